"""The Data page's own-indicator editor (AppTest): the secretariat edits a workspace
indicator (stored as a new version, the panels show the new name) and removes one (a
confirmation while imported figures use it; refused while another rule builds on it)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from kommunestrategi import datasets, indicators
from kommunestrategi.indicators import workspace as own
from kommunestrategi.io import ssb_codes
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Store
from kommunestrategi.store import workspace_indicators as stored
from tests.test_ssb_codes import kostra_answer
from tests.test_views_data import _open_data_page

ROOT = Path(__file__).resolve().parent.parent
IDENT = "spesialundervisning"


def _demo():
    store = Store.open()
    return store, store.ensure_demo_workspace()


def _with_imported_indicator():
    store, ws = _demo()
    own.add_indicator(store, SYSTEM, ws.id, name="Spesialundervisning", unit="percent", dimension="coverage",
                      sector="grunnskole", direction="lower_is_better", aggregation="weighted_mean:pop_6_15",
                      table="12134", code="KOSAG999000", label="x")
    result = validate_file(kostra_answer(), "12134.json", choices=own.import_choices(store, ws.id))
    return store, ws, datasets.import_result(store, SYSTEM, ws.id, result)


def _data(store, ws):
    return indicators.build_data(datasets.uploaded_indicator_values(store, ws.id), None,
                                 own.workspace_catalogue(store, ws.id))


def _button(at: AppTest, key: str):
    return next(b for b in at.button if b.key == key)


def test_the_secretariat_edits_an_indicator_and_the_panels_show_the_new_definition():
    store, ws, _version = _with_imported_indicator()
    at = _open_data_page()
    assert any(e.label == "Arbeidsflatens egne indikatorer (1)" for e in at.expander)
    at.selectbox(key="data_own_pick").set_value(IDENT).run()
    assert not at.exception
    assert at.text_input(key=f"data_own_{IDENT}_name").value == "Spesialundervisning"   # the stored definition
    assert at.selectbox(key=f"data_own_{IDENT}_rule").value == "weighted_mean"
    assert at.selectbox(key=f"data_own_{IDENT}_weight").value == "pop_6_15"
    at.text_input(key=f"data_own_{IDENT}_name").set_value("Elever med spesialundervisning").run()
    at.selectbox(key=f"data_own_{IDENT}_dimension").set_value("quality").run()
    at.selectbox(key=f"data_own_{IDENT}_weight").set_value("pop_total").run()
    _button(at, f"data_own_{IDENT}_save").click().run()
    assert not at.exception
    assert any("Elever med spesialundervisning" in s.value and "versjon 2" in s.value for s in at.success)

    [row] = stored.list_indicators(store, ws.id)
    assert (row.version, row.data["name"], row.data["dimension"], row.data["aggregation"]) == (
        2, "Elever med spesialundervisning", "quality", "weighted_mean:pop_total")
    assert any(h.entity == "indicator" and h.action == "update" and h.version == 2 for h in store.history(ws.id))
    listed = at.dataframe[-1].value   # the list under the versions shows the new definition at once
    assert listed["Navn"].tolist() == ["Elever med spesialundervisning"]
    data = _data(store, ws)
    card = data.panel(["5001"]).card(IDENT)
    assert (card.value, card.indicator.name("nb"), card.indicator.dimension) == (
        7.5, "Elever med spesialundervisning", "quality")

    page = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    page.run()
    page.switch_page("views/indikatorer.py").run()
    page.selectbox(key="ind_municipality").set_value("5001").run()
    assert not page.exception
    texts = [m.value for m in page.markdown]
    assert "**Elever med spesialundervisning**" in texts and "**Spesialundervisning**" not in texts


def test_removing_an_indicator_with_imported_figures_asks_first_then_empties_the_panels():
    store, ws, version = _with_imported_indicator()
    at = _open_data_page()
    at.selectbox(key="data_own_pick").set_value(IDENT).run()
    assert not at.exception
    warning = " ".join(w.value for w in at.warning)
    assert f"4 importerte tall i den aktive datasettversjonen {version.id}" in warning
    assert "KOSAG999000 (12134)" in " ".join(c.value for c in at.caption)
    button = _button(at, f"data_own_{IDENT}_remove")
    assert button.disabled   # not before the user confirms
    at.checkbox(key=f"data_own_{IDENT}_confirm").check().run()
    _button(at, f"data_own_{IDENT}_remove").click().run()
    assert not at.exception
    assert any(f"{IDENT} er fjernet" in s.value for s in at.success)
    assert not any(e.label.startswith("Arbeidsflatens egne indikatorer") for e in at.expander)

    assert stored.list_indicators(store, ws.id) == []
    assert any(h.entity == "indicator" and h.action == "delete" and h.key == IDENT for h in store.history(ws.id))
    assert ssb_codes.workspace_map(store, ws.id) == {}
    data = _data(store, ws)
    assert IDENT not in data.catalogue and IDENT not in data._raw
    # the dataset version itself is unchanged
    assert (datasets.uploaded_indicator_values(store, ws.id)["indicator_id"] == IDENT).sum() == 4


def test_a_count_another_rule_builds_on_cannot_be_removed():
    store, ws = _demo()
    own.save_kinds(store, SYSTEM, ws.id, {"antall_plasser": "count"})
    own.add_indicator(store, SYSTEM, ws.id, name="Plasser per innbygger", unit="percent",
                              dimension="coverage", direction="neutral", scale=100,
                              aggregation="ratio:antall_plasser/pop_total")
    at = _open_data_page()
    at.selectbox(key="data_own_pick").set_value("antall_plasser").run()
    assert not at.exception
    assert any("«Plasser per innbygger» bygger på" in e.value for e in at.error)
    assert not any(b.key == "data_own_antall_plasser_remove" for b in at.button)
    # and the form will not make it anything but a count
    at.selectbox(key="data_own_antall_plasser_rule").set_value("not_aggregable").run()
    _button(at, "data_own_antall_plasser_save").click().run()
    assert any("ikke lagret" in e.value and "«Plasser per innbygger»" in e.value and "summeres" in e.value
               for e in at.error)
    assert stored.list_indicators(store, ws.id)[0].data["aggregation"] == "sum"


def test_a_definition_that_cannot_be_stored_says_why_in_the_users_language():
    store, ws, _version = _with_imported_indicator()
    at = _open_data_page()
    at.selectbox(key="data_own_pick").set_value(IDENT).run()
    at.text_input(key=f"data_own_{IDENT}_name").set_value("=HYPERLINK(1)").run()
    _button(at, f"data_own_{IDENT}_save").click().run()
    assert not at.exception
    [error] = [e.value for e in at.error]
    assert "Endringen ble ikke lagret" in error and "begynne som en formel" in error
    assert "formula" not in error and "may not" not in error   # no English from the package
    assert stored.list_indicators(store, ws.id)[0].version == 1   # nothing stored


def test_every_problem_the_package_names_has_words_in_every_language():
    import re

    from kommunestrategi.i18n import catalogue

    sources = "".join(p.read_text() for p in (ROOT / "kommunestrategi" / "indicators").glob("workspace*.py"))
    codes = {code for line in sources.splitlines() if "WorkspaceIndicatorError(" in line
             for code in re.findall(r'",\s*"([a-z_]+)"\)', line)}
    assert {"ratio_parts", "weight_missing", "name_empty", "name_unsafe", "self_reference"} <= codes
    for code in codes | {"invalid"}:
        entry = catalogue()[f"own.error.{code}"]
        assert all(entry.get(lang) for lang in ("nb", "en", "sv")), code
