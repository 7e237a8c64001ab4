"""The register elsewhere: the checklist (partners with "use as partners", exit with flags) and the region builder."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from kommunestrategi import datasets
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CSV = (b"navn;tjeneste;form;kommuner;vertskommune;neste revisjon\n"
       b"Barnevernvakt Trondheim;barnevern;vertskommune_adm;\"5001, 5028, 5031\";5001;2020-01-01\n"
       b"IKT Trondheim;ikt;iks;\"5001, 5059\";;\n")


def _checklist(tab: str) -> AppTest:
    store = Store.open()
    ws = store.ensure_demo_workspace()
    datasets.import_result(store, SYSTEM, ws.id, validate_file(CSV, "register.csv", "arrangements"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kommune"] = "5001"
    at.query_params["omrade"] = "barnevern"
    at.run()
    at.switch_page("views/sjekkliste.py")
    at.session_state["chk_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def test_partners_show_existing_arrangements_and_use_them():
    at = _checklist("2. Søke partnere tidlig")
    assert any("Barnevernvakt Trondheim" in m.value for m in at.markdown)
    assert not any("IKT Trondheim" in m.value for m in at.markdown)  # another service area
    assert any("Revisjon forfalt" in c.value for c in at.caption)
    use = next(b for b in at.button if b.label == "Bruk som samarbeidspartnere")
    use.click().run()
    assert not at.exception
    store = Store.open()
    ws = store.ensure_demo_workspace()
    assert store.get_answer(ws.id, "5001", "barnevern", "partners", "partners").value == ["5028", "5031"]


def test_exit_shows_arrangements_with_flags_but_no_use_button():
    at = _checklist("7. Status og konsekvenser ved uttreden")
    assert any("Barnevernvakt Trondheim" in m.value for m in at.markdown)
    assert any("Ingen uttredelsesklausul" in c.value for c in at.caption)
    assert not any(b.label == "Bruk som samarbeidspartnere" for b in at.button)


def test_region_builder_counts_arrangements_inside_and_crossing():
    store = Store.open()
    ws = store.ensure_demo_workspace()
    datasets.import_result(store, SYSTEM, ws.id, validate_file(CSV, "register.csv", "arrangements"))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["selection"] = ["5001", "5028", "5031"]
    at.run()
    at.switch_page("views/region.py").run()
    assert not at.exception
    assert any(i.value == "Eksisterende samarbeid: 1 innenfor utvalget, 1 krysser grensen." for i in at.info)


def test_form_helper_marks_the_legal_references_as_guidance_to_check():
    at = _checklist("3. Velge form og mandat")
    captions = [c.value for c in at.caption]
    notice = "Veiledning med egne ord, ikke sitat fra loven. Kontroller alltid mot lovteksten på Lovdata"
    # the decision helper names acts and sections (e.g. "kommuneloven § 20-2"): its notice says to verify them
    assert any(c.startswith(notice) for c in captions)
