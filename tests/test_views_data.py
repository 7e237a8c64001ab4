"""The Data page (AppTest): upload, preview, confirm, new active version; a bad file shows its report."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from kommunestrategi.io import ssb_codes, templates
from kommunestrategi.store import Store

ROOT = Path(__file__).resolve().parent.parent
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _open_data_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception
    return at


def _demo_versions():
    store = Store.open()
    workspace = store.ensure_demo_workspace()
    return store.list_dataset_versions(workspace.id)


def test_upload_preview_confirm_and_new_version_is_active():
    at = _open_data_page()
    uploader = at.get("file_uploader")[0]
    uploader.set_value(("mal.xlsx", templates.template_xlsx("indicators"), XLSX)).run()
    assert not at.exception
    assert any("gyldig" in s.value for s in at.success), [s.value for s in at.success]
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Rader"] == "1" and metrics["Kommuner"] == "1"
    preview = at.dataframe[0].value  # the preview: labels and names, figures grouped
    assert list(preview.columns)[:5] == ["Kommunenummer", "Indikator", "År", "Verdi", "Enhet"]
    assert preview["Indikator"].tolist() == ["Folketall"]
    assert "Indikatorer funnet: Folketall" in [c.value for c in at.caption]  # the name, not pop_total
    assert preview["Verdi"].tolist()[0].replace("\u00a0", " ") == "214 565"
    assert any(m.value == "**Indikatorverdier**" for m in at.markdown)
    assert _demo_versions() == []  # nothing stored before the user confirms

    button = next(b for b in at.button if b.label == "Importer som ny versjon")
    assert button.disabled
    at.checkbox(key="data_confirm").check().run()
    next(b for b in at.button if b.label == "Importer som ny versjon").click().run()
    assert not at.exception
    assert any("versjon" in s.value and "aktiv" in s.value for s in at.success)
    versions = _demo_versions()
    assert len(versions) == 1 and versions[0].active and versions[0].file_name == "mal.xlsx"
    versions_table = at.dataframe[-1].value
    assert versions_table["Aktiv"].tolist() == [True]


def test_bad_file_shows_the_report_and_cannot_be_imported():
    at = _open_data_page()
    bad = (ROOT / "tests" / "data" / "bad" / "negative_population.csv").read_bytes()
    at.get("file_uploader")[0].set_value(("negative_population.csv", bad, "text/csv")).run()
    assert not at.exception
    assert any("feil" in e.value for e in at.error)
    report = at.table[0].value  # a table: messages shown whole, not cut
    assert report["Problem"].str.contains("negativ").any()
    assert report["Rad"].tolist() == ["2"] and report["Kolonne"].tolist() == ["D"]
    assert "Ark" not in report.columns  # a CSV has no sheets: no empty column
    assert not any(b.label == "Importer som ny versjon" for b in at.button)
    assert _demo_versions() == []


def test_switch_back_to_an_earlier_version():
    at = _open_data_page()
    csv = b"kommunenummer;indicator_id;year;value\n5001;pop_total;2024;1\n"
    for name, data in (("a.csv", csv), ("b.csv", csv.replace(b";1\n", b";2\n"))):
        at.get("file_uploader")[0].set_value((name, data, "text/csv")).run()
        at.checkbox(key="data_confirm").check().run()
        next(b for b in at.button if b.label == "Importer som ny versjon").click().run()
        assert not at.exception
    first, second = sorted(_demo_versions(), key=lambda v: v.id)
    assert second.active and not first.active
    at.selectbox(key="data_activate_choice_indicators").set_value(first.id).run()
    next(b for b in at.button if b.label == "Gjør aktiv").click().run()
    assert not at.exception
    first, second = sorted(_demo_versions(), key=lambda v: v.id)
    assert first.active and not second.active


def test_older_numbers_import_with_a_correspondence_table():
    at = _open_data_page()
    data_upload = at.get("file_uploader")[0]
    values = b"kommunenummer;indicator_id;year;value\n1601;pop_total;2019;193 501\n"
    data_upload.set_value(("verdier_2019.csv", values, "text/csv")).run()
    assert not at.error   # the number history translates 1601 -> 5001 on its own
    assert any("1601→5001" in w.value or "kan importeres" in w.value for w in at.warning)
    correspondence = next(u for u in at.get("file_uploader") if "correspondence" in u.proto.id)
    correspondence.set_value(("korrespondanse.csv", b"fra;til\n1601;5001\n", "text/csv")).run()
    assert not at.exception
    assert any("1 gamle kommunenummer" in s.value for s in at.success)
    assert not at.error
    assert any("kan importeres" in w.value for w in at.warning)   # with the translation noted
    at.checkbox(key="data_confirm").check().run()
    next(b for b in at.button if b.label == "Importer som ny versjon").click().run()
    assert not at.exception
    versions = _demo_versions()
    assert len(versions) == 1 and versions[0].file_name == "verdier_2019.csv"


def test_unmapped_ssb_codes_are_mapped_on_the_page_and_used_from_then_on():
    from tests.test_ssb_codes import kostra_answer

    at = _open_data_page()
    at.get("file_uploader")[0].set_value(("12134.json", kostra_answer(), "application/json")).run()
    assert not at.exception
    box = at.selectbox(key="data_code_12134_KOSAG999000")
    assert any("KOSAG999000" in m.value and "fantasiskolen" in m.value for m in at.markdown)
    box.set_value("gs_spesialundervisning").run()
    next(b for b in at.button if b.key == "data_codes_save").click().run()
    assert not at.exception
    assert any("1 SSB-koder" in s.value for s in at.success)
    store = Store.open()
    workspace = store.ensure_demo_workspace()
    assert ssb_codes.workspace_map(store, workspace.id) == {"12134:KOSAG999000": "gs_spesialundervisning"}
    result = at.session_state["data_result"][1]
    assert result.report.unmapped_codes == []
    frame = result.tables["indicator_values"]
    hit = frame[(frame["kommunenummer"] == "5001") & (frame["indicator_id"] == "gs_spesialundervisning")]
    assert hit["value"].tolist() == [7.0, 7.5]
