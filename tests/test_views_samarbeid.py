"""AppTest of the Cooperation page: per municipality, between municipalities, region, flags, editor."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi import datasets
from kommunestrategi.cooperation import register as reg
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
CSV = ("navn;tjeneste;form;kommuner;vertskommune;neste revisjon;uttredelsesklausul;oppsigelsestid;årlig kostnad\n"
       "Barnevern Melhus-Skaun;barnevern;vertskommune_adm;\"5028, 5029\";5028;2030-01-01;ja;12;4 000 000\n"
       "IKT Orkdalsregionen;ikt;iks;\"5059, 5028, 5029, 5055\";;2020-01-01;nei;;\n"
       "Plankontor;plan_bygg;avtale_kjop;\"5001, 5028\";5001;;ja;6;\n").encode()


@pytest.fixture
def app():
    store = Store.open()
    ws = store.ensure_demo_workspace()
    datasets.import_result(store, SYSTEM, ws.id, validate_file(CSV, "register.csv", "arrangements"))
    budget = b"kommunenummer;indikator;\xc3\xa5r;verdi\n5028;brutto_driftsinntekter;2024;1 000 000\n"
    datasets.import_result(store, SYSTEM, ws.id, validate_file(budget, "budsjett.csv", "indicators"))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    return at


def _open(at, **params):
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page("views/samarbeid.py").run()
    assert not at.exception, at.exception
    return at


def test_municipality_view_counts_overview_and_download(app):
    at = _open(app, kommune="5028")
    assert at.title[0].value == "Eksisterende samarbeid"
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Samarbeid"] == "3" and metrics["Vertskommune for"] == "1"
    assert metrics["Samarbeidskommuner"] == "4"
    # Melhus's half of 4 mill. kr, against a budget of 1 000 mill. kr (gross operating revenue, NOK 1000)
    assert metrics["Årlig kostnad (mill. kr)"] == "2,0"
    assert metrics["Andel av budsjettet"].replace("\xa0", " ") == "0,2 %"
    assert any("0,2" in i.value and "demokratiske dilemmaet" in i.value for i in at.info)
    by_form = at.dataframe[0].value
    assert dict(zip(by_form["Organisasjonsform"], by_form["Samarbeid"], strict=True)) == {
        "Avtalebasert kjøp og salg": 1, "Interkommunalt selskap (IKS)": 1, "Administrativt vertskommunesamarbeid": 1}
    by_sector = at.dataframe[1].value
    assert dict(zip(by_sector["Tjenesteområde"], by_sector["Samarbeid"], strict=True)) == {
        "Barnevern": 1, "IKT": 1, "Plan- og byggesak": 1}
    overview = at.dataframe[-1].value
    assert sorted(overview["Navn"]) == ["Barnevern Melhus-Skaun", "IKT Orkdalsregionen", "Plankontor"]
    flags = dict(zip(overview["Navn"], overview["Flagg"], strict=True))
    assert flags["Plankontor"] == "Ingen revisjonsdato; Formen passer ikke oppgaven"
    assert "Revisjon forfalt" in flags["IKT Orkdalsregionen"]
    assert at.query_params["kommune"] == ["5028"] or at.query_params["kommune"] == "5028"


def test_between_region_and_flag_views(app):
    at = _open(app, kommune="5028", visning="mellom")
    assert not at.error
    matrix = at.dataframe[0].value
    assert matrix.loc["Melhus", "Skaun"] == 2
    at.session_state["coop_view"] = "region"
    at.session_state["selection"] = ["5028", "5029"]
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert (metrics["Innenfor regionen"], metrics["Krysser grensen"]) == ("1", "2")
    at.session_state["coop_view"] = "styring"
    at.run()
    totals = at.dataframe[0].value
    totals = dict(zip(totals["Flagg"], totals["Samarbeid"], strict=True))
    assert totals == {"Ingen revisjonsdato": 1, "Revisjon forfalt": 1, "Revisjon snart": 0,
                      "Ingen uttredelsesklausul": 1, "Ingen oppsigelsestid": 1, "Vertskommune mangler": 0,
                      "Formen passer ikke oppgaven": 1}
    flagged = at.dataframe[1].value.set_index("Navn")
    assert list(flagged.columns[:2]) == ["Flagg", "Medlemmer"]  # the flags first: in sight on a narrow screen
    assert flagged.loc["Plankontor", "Flagg"] == "Ingen revisjonsdato; Formen passer ikke oppgaven"
    assert flagged.loc["IKT Orkdalsregionen", "Vertskommune"] == "–"  # an IKS has no host
    assert flagged.loc["IKT Orkdalsregionen", "Medlemmer"].startswith("5028 Melhus, 5029 Skaun")


def test_secretariat_edits_and_ends_with_history(app):
    at = _open(app, visning="rediger")
    at.selectbox(key="coop_edit_pick").set_value("A001").run()
    form = [f for f in at.text_input if f.label == "Navn"][0]
    form.set_value("Barnevern Melhus og Skaun")
    at.button[[b.label for b in at.button].index("Lagre")].click().run()
    assert not at.exception
    store = Store.open()
    ws = store.ensure_demo_workspace()
    register = reg.register_for(store, ws.id)
    assert register.get("A001").name == "Barnevern Melhus og Skaun" and register.get("A001").version == 1
    end = [b for b in at.button if b.label == "Avslutt samarbeidet"][0]
    end.click().run()
    assert not at.exception
    ended = reg.register_for(store, ws.id).get("A001")
    assert ended.ended and [h.action for h in reg.history(store, ws.id, ended)] == ["end", "update"]


def test_secretariat_adds_an_arrangement_with_its_register_fields(app):
    at = _open(app, visning="rediger")
    assert at.selectbox(key="coop_edit_pick").value == "__new__"
    [f for f in at.text_input if f.label == "Navn"][0].set_value("Legevakt Gauldal")
    [m for m in at.multiselect if m.label == "Medlemmer"][0].set_value(["5028", "5027"])
    [s for s in at.selectbox if s.label == "Tjenesteområde"][0].set_value("helse")
    [s for s in at.selectbox if s.label == "Organisasjonsform"][0].set_value("vertskommune_adm")
    [s for s in at.selectbox if s.label == "Vertskommune"][0].set_value("5027")
    [n for n in at.number_input if n.label == "Oppsigelsestid (mnd.)"][0].set_value(12.0)
    [r for r in at.radio if r.label == "Uttredelsesklausul"][0].set_value("yes")
    at.button[[b.label for b in at.button].index("Lagre")].click().run()
    assert not at.exception, at.exception
    assert any(s.value == "Lagret." for s in at.success)
    store = Store.open()
    ws = store.ensure_demo_workspace()
    added = reg.register_for(store, ws.id).get("app-1")
    assert (added.name, added.members, added.service_area, added.legal_form, added.host) == (
        "Legevakt Gauldal", ("5027", "5028"), "helse", "vertskommune_adm", "5027")
    assert (added.notice_months, added.exit_clause, added.next_review, added.source) == (12.0, True, "", "app")
    assert [h.action for h in reg.history(store, ws.id, added)] == ["create"]
    assert at.selectbox(key="coop_edit_pick").value == "app-1"  # the editor stays on what was saved
