"""AppTest of the scenario page: cards from the store, weights by sliders reach the
store under the participant's name, the combined ranking and its flip point,
region proposals adopted as scenarios, presenter mode."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi.scenarios.model import CRITERIA
from kommunestrategi.store import Actor
from kommunestrategi.store import scenarios as S

APP = str(Path(__file__).resolve().parent.parent / "app.py")
SECRETARIAT = Actor("Siri", "secretariat")
MEMBERS = ["5001", "5028", "5029", "5031", "5059"]


@pytest.fixture
def board(store, demo):
    """Status quo and a merger of the demo councils, judged on capacity and identity only."""
    S.save_methods(store, SECRETARIAT, demo, {c: "workshop" for c in CRITERIA} | {"capacity": "measured"})
    status = S.save_scenario(store, SECRETARIAT, demo, "Status quo", "status_quo", MEMBERS)
    merger = S.save_scenario(store, SECRETARIAT, demo, "Ny storkommune", "merger", MEMBERS)
    S.save_score(store, SECRETARIAT, demo, status.id, "identity", 5, "kjent")
    S.save_score(store, SECRETARIAT, demo, merger.id, "identity", 2, "ny")
    return status, merger


def _page(view: str | None = None, name: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    if view:
        at.query_params["visning"] = view
    for key, value in params.items():
        at.query_params[key] = value
    if name:
        at.session_state["participant_name"] = name
    at.run()
    at.switch_page("views/scenarier.py")
    at.run()
    assert not at.exception, at.exception
    return at


def _frame(at: AppTest, column: str):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def _basis_tables(at: AppTest) -> list:
    """The "how the score was found" tables (static tables, criterion as the index)."""
    frames = [t.value for t in at.table]
    return [f.reset_index() for f in frames if "Slik er det funnet" in f.columns]


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_board_shows_cards_with_members_and_headline_figures(board) -> None:
    at = _page()
    assert at.title[0].value == "Scenarier i verkstedet"
    text = _markdown(at)
    assert "Status quo" in text and "Ny storkommune" in text
    assert "**Kommuner:** Trondheim, Melhus, Skaun, Malvik, Orkland" in text
    assert "**Innbyggere:** 278\xa0663 (2026)" in text
    assert "Ingen i ROBEK" in text
    # the criteria table says what is measured and how
    capacity = _basis_tables(at)[0]
    row = capacity[capacity["Kriterium"] == "Tilstrekkelig kapasitet"].iloc[0]
    assert row["Grunnlag"] == "Målt" and row["Poeng (1–5)"] == "2,0"
    assert row["Slik er det funnet"].startswith("Innbyggere i den minste kommunen (hver står alene) = 8\xa0574. Regel: 1 under")
    assert row["Slik er det funnet"].endswith("Kilde: SSB 07459, 1 Jan 2026")


def test_weights_need_a_name_then_reach_the_store(store, demo, board) -> None:
    at = _page("weights")
    assert any("Ditt navn" in w.value or "Your name" in w.value for w in at.warning)
    at = _page("weights", name="Kari")
    at.slider(key="weight_capacity").set_value(9)
    at.slider(key="weight_identity").set_value(1)
    for criterion in CRITERIA:
        if criterion not in ("capacity", "identity"):
            at.slider(key=f"weight_{criterion}").set_value(0)
    at.button[[b.label for b in at.button].index("Lagre vektene mine")].click().run()
    assert not at.exception, at.exception
    stored = S.all_weights(store, demo)["Kari"]
    assert stored["capacity"] == 9 and stored["identity"] == 1 and stored["economy"] == 0
    assert any("Vektene dine er lagret" in s.value for s in at.success)


def test_combined_view_ranks_and_names_the_exact_flip(store, demo, board) -> None:
    S.save_weights(store, Actor("Kari", "secretariat"), demo, {"capacity": 1, "identity": 3})
    S.save_weights(store, Actor("Ola", "secretariat"), demo, {"capacity": 1, "identity": 1})
    at = _page("combined")
    ranking = _frame(at, "Plass (snitt)")
    # mean shares: capacity 3/8, identity 5/8. status quo 3/8*2 + 5/8*5 = 3.875; merger 3/8*5 + 5/8*2 = 3.125
    assert list(ranking["Scenario"]) == ["Status quo", "Ny storkommune"]
    assert list(ranking["Poeng (snittvekter)"]) == ["3,88", "3,12"]
    # capacity from 37.5 % to 50 %: both score 3.5 (with two criteria, the same as identity 62.5 -> 50)
    flip = " ".join(i.value for i in at.info)
    assert "«Tilstrekkelig kapasitet» fra 37,5\xa0% til 50,0\xa0% (+12,5 prosentpoeng)" in flip
    assert "da står Ny storkommune likt med Status quo" in flip
    sensitivity = _frame(at, "Leder til")
    assert list(sensitivity["Leder fra"]) == ["0,0\xa0%", "50,0\xa0%"]
    assert list(sensitivity["Leder til"]) == ["50,0\xa0%", "100,0\xa0%"]


def test_a_region_proposal_becomes_a_scenario(store, demo) -> None:
    at = _page("proposals", omrade="Trøndelag")
    at.button(key="proposal_run").click().run()
    assert not at.exception, at.exception
    assert any("regioner for 38 kommuner" in s.value for s in at.success)
    at.text_input[[t.label for t in at.text_input].index("Navn")].input("Forslag Trondheim")
    at.button[[b.label for b in at.button].index("Ta inn som scenario")].click().run()
    assert not at.exception, at.exception
    saved = S.list_scenarios(store, demo)
    assert [s.name for s in saved] == ["Forslag Trondheim"] and saved[0].origin == "proposal"
    assert "5001" in saved[0].members and saved[0].kind == "merger"


def test_secretariat_creates_a_cooperation_from_the_councils(store, demo) -> None:
    at = _page("manage", name="Siri")
    at.text_input(key="new_scenario_name").input("Barnevernssamarbeid")
    at.selectbox(key="new_scenario_kind").select("cooperation").run()
    at.multiselect(key="new_scenario_areas").select("barnevern")
    at.selectbox(key="new_scenario_host").select("5001")
    at.button(key="new_scenario_save").click().run()
    assert not at.exception, at.exception
    (saved,) = S.list_scenarios(store, demo)
    assert (saved.name, saved.kind, saved.members, saved.author) == (
        "Barnevernssamarbeid", "cooperation", tuple(MEMBERS), "Siri")
    assert saved.details["service_areas"] == ["barnevern"] and saved.details["host"] == "5001"


def test_presenter_mode_shows_the_ranking_in_large_type(store, demo, board) -> None:
    S.save_weights(store, Actor("Kari", "secretariat"), demo, {"capacity": 1, "identity": 3})
    at = _page(presenter="1")
    html = _markdown(at)
    assert "presenter-ranking" in html
    assert html.index("Status quo") < html.index("Ny storkommune")


def test_secretariat_edits_a_scenario_and_the_history_keeps_both_versions(store, demo, board) -> None:
    status, merger = board
    at = _page("manage", name="Siri")
    form_inputs = [t for t in at.text_input if t.value == "Ny storkommune"]
    form_inputs[0].input("Storkommune Trondheim")
    saves = [b for b in at.button if b.label == "Lagre endringene"]
    saves[1].click().run()  # the second scenario's form
    assert not at.exception, at.exception
    edited = S.get_scenario(store, demo, merger.id)
    assert (edited.name, edited.version, edited.author) == ("Storkommune Trondheim", 2, "Siri")
    assert [e.action for e in S.scenario_history(store, demo, merger.id)] == ["update", "create"]


def test_board_shows_the_cooperation_criteria_where_they_apply(store, demo) -> None:
    from kommunestrategi import cooperation
    from kommunestrategi.cooperation import register as reg

    for name, codes in (("Legevakt", ("5001", "5028")), ("Barnevern", ("5001", "5028", "5029")),
                        ("Brann", ("5029", "5031"))):
        reg.add(store, SECRETARIAT, demo, cooperation.Arrangement("", name, codes, service_area="helse"))
    coop = S.save_scenario(store, SECRETARIAT, demo, "Vertskommunesamarbeid", "cooperation", MEMBERS[:3])
    S.save_scenario(store, SECRETARIAT, demo, "Storkommune", "merger", MEMBERS[:3])
    S.save_score(store, SECRETARIAT, demo, coop.id, "coop_form", 4, "klart mandat")
    at = _page()
    assert any("de sju kriteriene for samarbeid" in c.value for c in at.caption)
    text = _markdown(at)
    assert "**Ekspertutvalgets ti kriterier (2014)**" in text
    assert "**Sju kriterier for samarbeid (der de gjelder)**" in text
    # side by side: the committee's ten, then the seven, a column per scenario
    # long names are cut in the column heads (the full name is the column's help and the expander's label)
    matrix = [df.value for df in at.dataframe if "1. Vertskommunesa…" in df.value.columns]
    assert [len(f) for f in matrix] == [10, 7]
    seven = matrix[1].set_index("Kriterium")
    assert list(seven.loc["Samarbeid: gode partnere", ["1. Vertskommunesa…", "2. Storkommune"]]) == [
        "3,7", "3,7"]
    assert list(seven.loc["Samarbeid: form og mandat", ["1. Vertskommunesa…", "2. Storkommune"]]) == [
        "4,0", "gjelder ikke"]
    assert seven.loc["Samarbeid: gode partnere", "Grunnlag"] == "Målt"
    # how each score was found, per scenario: the committee's ten, then the seven
    tables = _basis_tables(at)
    assert [len(f) for f in tables] == [10, 7, 10, 7]
    coop_table, merger_table = tables[1], tables[3]
    partners = coop_table[coop_table["Kriterium"] == "Samarbeid: gode partnere"].iloc[0]
    assert partners["Poeng (1–5)"] == "3,7" and partners["Grunnlag"] == "Målt"
    assert "= 66,7\xa0% (2 innenfor, 1 på tvers)" in partners["Slik er det funnet"]
    assert "Regel: 1 + 4 × andelen" in partners["Slik er det funnet"]
    assert "samarbeidsregisteret i arbeidsflaten" in partners["Slik er det funnet"]
    form = coop_table[coop_table["Kriterium"] == "Samarbeid: form og mandat"].iloc[0]
    assert (form["Poeng (1–5)"], form["Grunnlag"]) == ("4,0", "Vurdert i verkstedet")
    merger_form = merger_table[merger_table["Kriterium"] == "Samarbeid: form og mandat"].iloc[0]
    assert merger_form["Poeng (1–5)"] == "gjelder ikke"
    assert merger_form["Slik er det funnet"] == (
        "Gjelder ikke: en sammenslått kommune løser oppgavene selv, uten samarbeidsform eller mandat. "
        "Teller som 3 (midten av skalaen).")
    # the weights form has a slider for each of the seventeen criteria
    at = _page("weights", name="Kari")
    assert {s.key for s in at.slider} >= {f"weight_{c}" for c in CRITERIA}
    # scores are asked only where a criterion applies and is judged
    labels = [e.label for e in at.expander]
    assert any("Storkommune" in label for label in labels)


def test_board_says_the_register_is_empty_and_asks_for_scores(store, demo) -> None:
    S.save_scenario(store, SECRETARIAT, demo, "Samarbeid", "cooperation", MEMBERS[:3])
    at = _page()
    tables = _basis_tables(at)
    partners = tables[1][tables[1]["Kriterium"] == "Samarbeid: gode partnere"].iloc[0]
    assert partners["Grunnlag"] == "Vurdert i verkstedet" and partners["Poeng (1–5)"] == "–"
    assert partners["Slik er det funnet"].startswith("Samarbeidsregisteret er tomt")


def test_a_proposal_lives_in_the_url_and_a_reload_makes_it_again(store, demo) -> None:
    at = _page("proposals", omrade="Trøndelag")
    at.button(key="proposal_run").click().run()
    assert not at.exception, at.exception
    assert at.query_params["forslag"] == "15000:Trøndelag"
    first = _frame(at, "Største")
    # a reload (a new session from the same address) makes the same regions again
    again = _page("proposals", forslag="15000:Trøndelag")
    assert any("Forslaget er laget på nytt fra lenken (Trøndelag, minst 15\xa0000 innbyggere)" in c.value
               for c in again.caption)
    assert any("regioner for 38 kommuner" in s.value for s in again.success)
    assert _frame(again, "Største").equals(first)
    # a shared link with a selection and another threshold
    selection = _page("proposals", forslag="5000:5001,5028,5029,5031,5059")
    assert any("regioner for 5 kommuner" in s.value for s in selection.success)
    # adopt it as a scenario after the reload
    again.text_input[[t.label for t in again.text_input].index("Navn")].input("Fra lenken")
    again.button[[b.label for b in again.button].index("Ta inn som scenario")].click().run()
    assert not again.exception, again.exception
    (saved,) = S.list_scenarios(store, demo)
    assert saved.name == "Fra lenken" and saved.origin == "proposal" and "5001" in saved.members
    # discard clears it from the URL, so a reload shows no proposal
    again.button(key="proposal_discard").click().run()
    assert "forslag" not in again.query_params
    assert not any("regioner for" in s.value for s in again.success)


def test_an_unusable_proposal_link_is_ignored(store, demo) -> None:
    at = _page("proposals", forslag="mange:Atlantis")
    assert not any("regioner for" in s.value for s in at.success)
    assert "forslag" not in at.query_params
