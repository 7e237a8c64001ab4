"""AppTest of the checklist and strategy pages: answers reach the store, status and
warnings follow the stored answers, conflicts show both texts, history restores."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi.store import Actor

APP = str(Path(__file__).resolve().parent.parent / "app.py")
OTHER = Actor("Anne", "secretariat")


def _checklist(tab: str | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kommune"] = "5001"
    at.query_params["omrade"] = "barnevern"
    at.run()
    at.switch_page("views/sjekkliste.py")
    if tab:
        at.session_state["chk_tab"] = tab
    at.run()
    assert not at.exception, at.exception
    return at


def _area(at: AppTest, label: str):
    return next(w for w in at.text_area if w.label.startswith(label))


def test_filling_a_criterion_reaches_the_store(store, demo):
    at = _checklist()
    assert at.title[0].value == "Sjekkliste"
    assert at.selectbox(key="chk_council").value == "5001"
    assert at.selectbox(key="chk_area").value == "barnevern"
    _area(at, "Problemet som skal løses").input("For få saksbehandlere, fristbrudd").run()
    assert not at.exception
    stored = store.get_answer(demo, "5001", "barnevern", "why", "problem")
    assert stored.value == "For få saksbehandlere, fristbrudd" and stored.version == 1
    assert any(re.fullmatch(r":material/check: Lagret \d\d:\d\d", c.value) for c in at.caption)
    # the rest of "why": effect, measurable target, alternatives -> complete
    _area(at, "Forventet effekt").input("Ingen fristbrudd").run()
    at.text_input(key=f"w.{demo}-5001-barnevern-why-target.indicator").input("Fristbrudd (%)").run()
    at.text_input(key=f"w.{demo}-5001-barnevern-why-target.target").input("0").run()
    at.number_input(key=f"w.{demo}-5001-barnevern-why-target.year").set_value(2028).run()
    at.multiselect(key=f"w.{demo}-5001-barnevern-why-alternatives").set_value(["alone", "cooperation"]).run()
    assert not at.exception
    assert store.get_answer(demo, "5001", "barnevern", "why", "target").value == {
        "indicator": "Fristbrudd (%)", "baseline": None, "target": 0.0, "year": 2028}
    assert store.get_answer(demo, "5001", "barnevern", "why", "alternatives").value == ["alone", "cooperation"]
    assert "1 av 7 kriterier fullført" in at.get("progress")[0].proto.text


def test_a_reload_shows_what_the_store_holds(store, demo):
    store.save_answer(OTHER, demo, "5001", "barnevern", "why", "effect", "Stabil bemanning", None)
    at = _checklist()
    assert _area(at, "Forventet effekt").value == "Stabil bemanning"
    # the effect has no measurable target: the warning is shown
    assert any("målbart mål" in w.value for w in at.warning)


def test_same_answer_changed_elsewhere_shows_both_texts(store, demo):
    at = _checklist()
    store.save_answer(OTHER, demo, "5001", "barnevern", "why", "problem", "Annes tekst", None)
    _area(at, "Problemet som skal løses").input("Min tekst").run()
    assert not at.exception
    assert store.get_answer(demo, "5001", "barnevern", "why", "problem").value == "Annes tekst"
    assert any("Anne lagret dette svaret" in w.value for w in at.warning)
    assert at.text_area(key=f"theirs.{demo}-5001-barnevern-why-problem").value == "Annes tekst"
    assert at.text_area(key=f"mine.{demo}-5001-barnevern-why-problem").value == "Min tekst"
    merged = at.text_area(key=f"merge.{demo}-5001-barnevern-why-problem")
    merged.input("Annes tekst + min tekst").run()
    at.button(key=f"savemerge.{demo}-5001-barnevern-why-problem").click().run()
    stored = store.get_answer(demo, "5001", "barnevern", "why", "problem")
    assert stored.value == "Annes tekst + min tekst" and stored.version == 2
    assert _area(at, "Problemet som skal løses").value == "Annes tekst + min tekst"


def test_keep_theirs_after_conflict(store, demo):
    at = _checklist()
    store.save_answer(OTHER, demo, "5001", "barnevern", "why", "problem", "Annes tekst", None)
    _area(at, "Problemet som skal løses").input("Min tekst").run()
    at.button(key=f"keep.{demo}-5001-barnevern-why-problem").click().run()
    assert _area(at, "Problemet som skal løses").value == "Annes tekst"
    assert store.get_answer(demo, "5001", "barnevern", "why", "problem").version == 1


def test_history_restore_is_a_new_change(store, demo):
    first = store.save_answer(OTHER, demo, "5001", "barnevern", "why", "problem", "Første", None)
    store.save_answer(OTHER, demo, "5001", "barnevern", "why", "problem", "Andre", first.version)
    at = _checklist()
    at.selectbox(key=f"hist-{demo}-5001-barnevern-why").set_value("problem").run()
    oldest = store.answer_history(demo, "5001", "barnevern", "why", "problem")[-1]
    at.button(key=f"restore.{demo}-5001-barnevern-why-problem.{oldest.id}").click().run()
    assert not at.exception
    restored = store.get_answer(demo, "5001", "barnevern", "why", "problem")
    assert restored.value == "Første" and restored.version == 3
    assert _area(at, "Problemet som skal løses").value == "Første"


def test_form_tab_decision_helper_recommends_and_applies(store, demo):
    at = _checklist(tab="3. Velge form og mandat")
    at.selectbox(key=f"w.{demo}-5001-barnevern-helper-authority").set_value("yes").run()
    at.selectbox(key=f"w.{demo}-5001-barnevern-helper-principle").set_value("no").run()
    assert not at.exception
    assert store.get_answer(demo, "5001", "barnevern", "helper", "authority").value == "yes"
    use = at.button(key="chk_use-barnevern-vertskommune_adm")
    use.click().run()
    assert store.get_answer(demo, "5001", "barnevern", "form", "legal_form").value == "vertskommune_adm"
    assert at.selectbox(key=f"w.{demo}-5001-barnevern-form-legal_form").value == "vertskommune_adm"
    # a host form without a host: the warning names the form
    assert any("Administrativt vertskommunesamarbeid bygger på en vertskommune" in w.value for w in at.warning)


def test_strategy_page_reads_like_a_document(store, demo):
    for criterion, field, value in [("strategy", "approach", "cooperation"), ("form", "legal_form", "iks"),
                                    ("partners", "partners", ["5028", "5031"]),
                                    ("why", "problem", "<b>=SUM(A1)</b>")]:
        store.save_answer(OTHER, demo, "5001", "ikt", criterion, field, value, None)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kommune"] = "5001"
    at.run()
    at.switch_page("views/strategi.py").run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "Kommunen vil samarbeide med Melhus og Malvik i form av interkommunalt selskap \\(IKS\\)" in text
    assert "\\<b\\>\\=SUM\\(A1\\)\\</b\\>" in text
    assert any("Ikke startet: 5028 Melhus" in w.value for w in at.warning)
    # the council's strategy first, the secretariat's heat map on its own tab
    assert [t.label for t in at.tabs] == ["Kommunens strategi", "Oversikt for sekretariatet"]
    assert at.get("plotly_chart")


def test_partners_from_the_map_selection(store, demo):
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["kommune"] = "5001"
    at.query_params["omrade"] = "barnevern"
    at.session_state["selection"] = ["5001", "5028", "5031"]
    at.run()
    at.switch_page("views/sjekkliste.py")
    at.session_state["chk_tab"] = "2. Søke partnere tidlig"
    at.run()
    at.button(key="chk_map_use-barnevern").click().run()
    assert not at.exception
    assert store.get_answer(demo, "5001", "barnevern", "partners", "partners").value == ["5028", "5031"]
    assert at.multiselect(key=f"w.{demo}-5001-barnevern-partners-partners").value == ["5028", "5031"]


@pytest.mark.parametrize("actor, codes, readonly", [
    (Actor("Mari", "council", "5028"), ["5028"], False),
    (Actor("Per", "viewer"), ["5001", "5028", "5029", "5031", "5059"], True),
])
def test_roles_limit_what_the_page_offers(store, demo, actor, codes, readonly):
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["workspace_logins"] = {demo: actor}
    at.run()
    at.switch_page("views/sjekkliste.py").run()
    assert not at.exception
    assert at.selectbox(key="chk_council").options == [f"{c} {n}" for c, n in (
        (c.kommunenummer, c.name) for c in store.list_councils(demo)) if c in codes]
    assert _area(at, "Problemet som skal løses").disabled is readonly
    assert any("kan lese, men ikke endre" in i.value for i in at.info) is readonly


def test_switching_language_keeps_the_page_working(store, demo):
    at = _checklist(tab="3. Velge form og mandat")
    at.selectbox(key="lang_picker").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Checklist"
