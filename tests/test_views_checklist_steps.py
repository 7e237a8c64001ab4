"""The checklist as a council meets it: all eight steps listed, figures in Norwegian
format in the input boxes, the host chosen among the partners."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

from kommunestrategi.store import Actor

APP = str(Path(__file__).resolve().parent.parent / "app.py")
OTHER = Actor("Anne", "secretariat")
NBSP = "\u00a0"


def _checklist(step: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kommune"] = "5001"
    at.query_params["omrade"] = "barnevern"
    if step:
        at.query_params["steg"] = step
    at.run()
    at.switch_page("views/sjekkliste.py").run()
    assert not at.exception, at.exception
    return at


def test_all_eight_steps_are_listed_and_the_chosen_one_is_shown(store, demo):
    at = _checklist()
    steps = at.radio(key="chk_tab")
    assert len(steps.options) == 8
    assert steps.options[-1].endswith("Strategi")
    assert steps.options[6].endswith("7. Status og konsekvenser ved uttreden")
    steps.set_value("Strategi").run()
    assert not at.exception
    assert at.query_params["steg"] in ("strategy", ["strategy"])  # the step id: a link works in every language
    assert any(h.value == "Strategi" for h in at.subheader)


def test_budget_and_targets_show_in_norwegian_format(store, demo):
    store.save_answer(OTHER, demo, "5001", "barnevern", "form", "budget", 18_500_000, None)
    store.save_answer(OTHER, demo, "5001", "barnevern", "why", "target",
                      {"indicator": "Fristbrudd", "baseline": 78.0, "target": 90.5, "year": 2028}, None)
    at = _checklist("3. Velge form og mandat")
    budget = at.text_input(key=f"w.{demo}-5001-barnevern-form-budget")
    assert budget.value.replace(NBSP, " ") == "18 500 000"
    budget.input("19 250 000").run()
    assert store.get_answer(demo, "5001", "barnevern", "form", "budget").value == 19_250_000
    budget.input("mange penger").run()
    assert store.get_answer(demo, "5001", "barnevern", "form", "budget").value == 19_250_000
    assert any("Ikke et tall" in e.value for e in at.error)

    at = _checklist("1. Vite hvorfor")
    assert at.text_input(key=f"w.{demo}-5001-barnevern-why-target.baseline").value == "78,0"
    assert at.text_input(key=f"w.{demo}-5001-barnevern-why-target.target").value == "90,5"


def test_host_is_chosen_among_the_council_and_its_partners(store, demo):
    store.save_answer(OTHER, demo, "5001", "barnevern", "partners", "partners", ["5028", "5031"], None)
    at = _checklist("2. Søke partnere tidlig")
    host = at.selectbox(key=f"w.{demo}-5001-barnevern-partners-host")
    assert host.options == ["5001 Trondheim", "5028 Melhus", "5031 Malvik"]
    host.set_value("5031").run()
    assert store.get_answer(demo, "5001", "barnevern", "partners", "host").value == "5031"
