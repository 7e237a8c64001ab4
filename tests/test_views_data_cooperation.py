"""The Data page with a cooperation mapping of one row per municipality: the service area chosen on
the page, the merged groups in the preview and every inconsistency named with its row."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from kommunestrategi.cooperation import register as reg
from kommunestrategi.store import Store

ROOT = Path(__file__).resolve().parent.parent
MAPPING = (b"Kommune;Kommunenr;Samarbeidskommuner;Samarbeidskommunenr;Merknad\n"
           b"Melhus;5028;Melhus, Skaun;5028, 5029;\n"
           b"Skaun;5029;Skaun, Melhus;5029, 5028;\n"
           b"Oppdal;5021;Oppdal, Rennebu;5021, 5022;\n"
           b"Rennebu;5022;#Ingen samarbeid;;sjekket\n")


def test_mapping_imports_with_the_service_area_chosen_on_the_page():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page("views/data.py").run()
    at.radio(key="data_kind").set_value("arrangements").run()
    at.selectbox(key="data_opt_service_area").set_value("barnevern").run()
    at.get("file_uploader")[0].set_value(("kartlegging.csv", MAPPING, "text/csv")).run()
    assert not at.exception, at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Samarbeid"] == "2"  # Melhus-Skaun merged from two rows, Oppdal-Rennebu; none for "Ingen"
    report = at.table[0].value  # the report: one line per problem with its row
    lines = {(str(row).replace("\\", ""), msg.replace("\\", "")) for row, msg in
             zip(report["Rad"], report["Problem"], strict=True)}
    shown = " ".join(f"{row}: {msg}" for row, msg in sorted(lines))
    assert ("4: 5021 Oppdal lister 5022 Rennebu som samarbeidskommune, men 5022 Rennebu lister ikke 5021 Oppdal "
            "(rad 5).") in shown
    assert "1: Kolonnen «Merknad» (E) er ikke brukt" in shown
    at.checkbox(key="data_confirm").check().run()
    next(b for b in at.button if b.label == "Importer som ny versjon").click().run()
    assert not at.exception, at.exception
    store = Store.open()
    register = reg.register_for(store, store.ensure_demo_workspace().id)
    assert sorted((a.members, a.service_area) for a in register) == [
        (("5021", "5022"), "barnevern"), (("5028", "5029"), "barnevern")]
