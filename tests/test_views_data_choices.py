"""The Data page's choices (AppTest), asserting the values imported after each one:
a new indicator for an unmapped SSB content code, the sheet of a multi-sheet workbook,
accepting the split of an old municipality, and the kind of an unknown indicator
(stored in the workspace and not asked again)."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
from streamlit.testing.v1 import AppTest

from kommunestrategi import datasets, indicators
from kommunestrategi.indicators import workspace as own
from kommunestrategi.io import ssb_codes
from kommunestrategi.store import Store
from kommunestrategi.store import workspace_indicators as stored
from tests.test_ssb_codes import kostra_answer
from tests.test_views_data import XLSX, _open_data_page

ROOT = Path(__file__).resolve().parent.parent
IMPORT = "Importer som ny versjon"


def _demo():
    store = Store.open()
    return store, store.ensure_demo_workspace()


def _import(at: AppTest) -> None:
    at.checkbox(key="data_confirm").check().run()
    next(b for b in at.button if b.label == IMPORT).click().run()
    assert not at.exception


def _imported() -> dict[tuple[str, str, int], float]:
    store, ws = _demo()
    frame = datasets.uploaded_indicator_values(store, ws.id)
    return {(k, i, int(y)): float(v) for k, i, y, v in
            zip(frame["kommunenummer"], frame["indicator_id"], frame["year"], frame["value"], strict=True)}


def _result(at: AppTest):
    return at.session_state["data_result"][1]


def test_an_unmapped_code_becomes_a_new_workspace_indicator_used_from_then_on():
    at = _open_data_page()
    at.get("file_uploader")[0].set_value(("12134.json", kostra_answer(), "application/json")).run()
    assert not at.exception
    assert any("KOSAG999000" in m.value and "fantasiskolen" in m.value for m in at.markdown)
    at.selectbox(key="data_code_12134_KOSAG999000").set_value("__new__").run()
    assert not at.exception
    # the form is pre-filled from SSB's label and unit
    assert at.text_input(key="data_code_12134_KOSAG999000_name").value == (
        "Andel elever med spesialundervisning i fantasiskolen")
    assert at.selectbox(key="data_code_12134_KOSAG999000_unit").value == "percent"
    assert at.selectbox(key="data_code_12134_KOSAG999000_rule").value == "weighted_mean"
    at.text_input(key="data_code_12134_KOSAG999000_name").set_value("Spesialundervisning (andel)").run()
    at.selectbox(key="data_code_12134_KOSAG999000_dimension").set_value("coverage").run()
    at.selectbox(key="data_code_12134_KOSAG999000_sector").set_value("grunnskole").run()
    at.selectbox(key="data_code_12134_KOSAG999000_direction").set_value("lower_is_better").run()
    at.selectbox(key="data_code_12134_KOSAG999000_weight").set_value("pop_6_15").run()
    next(b for b in at.button if b.key == "data_codes_save").click().run()
    assert not at.exception
    assert any("spesialundervisning_andel" in s.value for s in at.success), [s.value for s in at.success]

    store, ws = _demo()
    [made] = stored.list_indicators(store, ws.id)
    assert made.indicator_id == "spesialundervisning_andel"
    assert ssb_codes.workspace_map(store, ws.id) == {"12134:KOSAG999000": "spesialundervisning_andel"}
    # validated again at once: the code's values are now under the new indicator
    assert _result(at).report.unmapped_codes == []
    preview = at.dataframe[0].value   # the preview names the new indicator as the secretariat did
    assert "Spesialundervisning (andel)" in preview["Indikator"].tolist()
    _import(at)
    got = _imported()
    assert got[("5001", "spesialundervisning_andel", 2025)] == 7.5
    assert got[("1804", "spesialundervisning_andel", 2024)] == 6.0
    assert got[("5001", "netto_driftsresultat_pct", 2024)] == 1.2

    # the panels: the workspace's name and unit, combined for a region by its weight, not summed
    data = indicators.build_data(datasets.uploaded_indicator_values(store, ws.id), None,
                                 own.workspace_catalogue(store, ws.id))
    ind = data.catalogue["spesialundervisning_andel"]
    assert (ind.name("nb"), ind.unit_label("nb"), ind.direction) == ("Spesialundervisning (andel)", "%",
                                                                      "lower_is_better")
    combined = data.combine("spesialundervisning_andel", 2025, data.index(["5001", "1804"]))
    assert combined.method == "weighted_mean" and 6.1 < combined.value < 7.5

    # a later import of the same table maps the code by itself: nothing to choose
    later = _open_data_page()
    later.get("file_uploader")[0].set_value(("12134.json", kostra_answer(), "application/json")).run()
    assert not later.exception
    assert not any(s.key == "data_code_12134_KOSAG999000" for s in later.selectbox)
    frame = _result(later).tables["indicator_values"]
    assert set(frame["indicator_id"]) == {"netto_driftsresultat_pct", "frie_inntekter_per_innb",
                                          "spesialundervisning_andel"}


def _workbook() -> bytes:
    """Two sheets with municipality rows (so none is picked by itself) and a notes sheet."""
    book = openpyxl.Workbook()
    first = book.active
    first.title = "Folketall"
    first.append(["kommunenummer", "indicator_id", "year", "value"])
    first.append(["5001", "pop_total", 2023, 212660])
    first.append(["5028", "pop_total", 2023, 7461])
    second = book.create_sheet("Areal")
    second.append(["kommunenummer", "indicator_id", "year", "value"])
    second.append(["5001", "area_km2", 2023, 341.7])
    second.append(["5028", "area_km2", 2023, 227.4])
    notes = book.create_sheet("Merknader")
    notes.append(["Kilde: SSB"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_sheet_picker_imports_the_chosen_sheet_only():
    at = _open_data_page()
    at.get("file_uploader")[0].set_value(("kostra.xlsx", _workbook(), XLSX)).run()
    assert not at.exception
    picker = at.selectbox(key="data_sheet")
    assert picker.options[0] != "" and len(picker.options) == 4   # automatic, then the three sheets
    assert at.error  # two sheets have municipality rows: the page asks for one, nothing merged
    assert not any(b.label == IMPORT for b in at.button)
    picker.set_value("Areal").run()
    assert not at.exception and not at.error
    assert _result(at).sheet == "Areal"
    _import(at)
    assert _imported() == {("5001", "area_km2", 2023): 341.7, ("5028", "area_km2", 2023): 227.4}


def test_split_counts_are_shared_out_only_when_accepted():
    csv = (b"kommunenummer;indicator_id;year;value\n1850;pop_total;2019;1900\n"
           b"1850;hjemmetjenester_andel_80_plus;2019;40\n5001;pop_total;2019;200000\n")
    at = _open_data_page()
    at.get("file_uploader")[0].set_value(("tysfjord.csv", csv, "text/csv")).run()
    assert not at.exception
    assert any("1850" in e.value or "feil" in e.value for e in at.error)   # a choice is needed first
    assert not any(b.label == IMPORT for b in at.button)
    split = at.checkbox(key="data_accept_splits")
    assert split.value is False
    split.check().run()
    assert not at.exception and not at.error
    _import(at)
    got = _imported()
    assert got == {("1806", "pop_total", 2019): 950.0, ("1875", "pop_total", 2019): 950.0,
                   ("5001", "pop_total", 2019): 200000.0}   # the share (a ratio) is never split


def test_the_kind_of_an_unknown_indicator_is_asked_once_and_stored():
    csv = (b"kommunenummer;indicator_id;year;value\n0104;antall_brukere;2019;120\n"
           b"0136;antall_brukere;2019;80\n5001;antall_brukere;2019;900\n")
    at = _open_data_page()
    at.get("file_uploader")[0].set_value(("brukere.csv", csv, "text/csv")).run()
    assert not at.exception
    kind = at.selectbox(key="data_ikind_antall_brukere")
    assert kind.value == ""
    frame = _result(at).tables["indicator_values"]
    assert "3103" not in set(frame["kommunenummer"])   # not added up before the kind is known
    kind.set_value("count").run()
    assert not at.exception
    frame = _result(at).tables["indicator_values"]
    assert frame[frame["kommunenummer"] == "3103"]["value"].tolist() == [200.0]
    _import(at)
    assert any("antall_brukere" in i.value for i in at.info)
    assert any(e.label == "Arbeidsflatens egne indikatorer (1)" for e in at.expander)
    listed = at.dataframe[-1].value
    assert listed["Id"].tolist() == ["antall_brukere"] and listed["Regel for regioner"].tolist() == ["Sum (antall)"]
    assert _imported() == {("3103", "antall_brukere", 2019): 200.0, ("5001", "antall_brukere", 2019): 900.0}
    store, ws = _demo()
    assert own.stored_kinds(store, ws.id) == {"antall_brukere": "count"}

    # the next upload is not asked again, and the figures are added up by the stored kind
    later = _open_data_page()
    later.get("file_uploader")[0].set_value(("brukere_2.csv", csv.replace(b";80\n", b";81\n"), "text/csv")).run()
    assert not later.exception
    assert not any(s.key == "data_ikind_antall_brukere" for s in later.selectbox)
    frame = _result(later).tables["indicator_values"]
    assert frame[frame["kommunenummer"] == "3103"]["value"].tolist() == [201.0]
    _import(later)
    data = indicators.build_data(datasets.uploaded_indicator_values(store, ws.id), None,
                                 own.workspace_catalogue(store, ws.id))
    assert data.combine("antall_brukere", 2019, data.index(["3103", "5001"])).value == 1101.0


def test_a_workspace_indicator_appears_on_the_indicators_page_with_its_name_and_unit():
    from kommunestrategi.io.importer import validate_file
    from kommunestrategi.store import SYSTEM

    store, ws = _demo()
    own.add_indicator(store, SYSTEM, ws.id, name="Spesialundervisning *andel*", unit="percent",
                      dimension="coverage", sector="grunnskole", direction="lower_is_better",
                      aggregation="weighted_mean:pop_6_15", table="12134", code="KOSAG999000", label="x")
    result = validate_file(kostra_answer(), "12134.json", choices=own.import_choices(store, ws.id))
    datasets.import_result(store, SYSTEM, ws.id, result)

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/indikatorer.py").run()
    at.selectbox(key="ind_municipality").set_value("5001").run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    at_card = texts.index(r"**Spesialundervisning \*andel\***")   # the user's name, shown as text
    assert "### 7,5 %" in texts[at_card:at_card + 3]
    assert "**Grunnskole**" in texts[:at_card]   # under the sector the secretariat chose
