"""Editing and removing a workspace's own indicators (SQLite and PostgreSQL): versioned,
in the history, secretariat only; the panels follow the edit, and a removal is refused
while another rule builds on the indicator and needs a confirmation while imported
figures use it."""

from __future__ import annotations

import pytest

from kommunestrategi import datasets, indicators
from kommunestrategi.indicators import workspace as own
from kommunestrategi.indicators import workspace_changes as changes
from kommunestrategi.io import ssb_codes
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Actor, PermissionDenied, Store
from kommunestrategi.store import workspace_indicators as stored
from tests.test_ssb_codes import kostra_answer

CODE = "KOSAG999000"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def store(request, tmp_path):
    if request.param == "sqlite":
        return Store.open(f"sqlite:///{tmp_path / 'ws.sqlite'}")
    return Store.open(request.getfixturevalue("fresh_postgres_url"))


def _special(store, ws) -> str:
    """A new indicator for the fixture's unmapped code, with the answer imported."""
    made = own.add_indicator(store, SYSTEM, ws.id, name="Spesialundervisning", unit="percent",
                             dimension="coverage", sector="grunnskole", direction="lower_is_better",
                             aggregation="weighted_mean:pop_6_15", table="12134", code=CODE, label="x")
    result = validate_file(kostra_answer(), "12134.json", choices=own.import_choices(store, ws.id))
    assert result.ok
    datasets.import_result(store, SYSTEM, ws.id, result)
    return made.id


def _data(store, ws):
    return indicators.build_data(datasets.uploaded_indicator_values(store, ws.id), None,
                                 own.workspace_catalogue(store, ws.id))


def test_an_edit_is_a_new_version_in_the_history_and_the_panels_follow_it(store):
    ws = store.ensure_demo_workspace()
    ident = _special(store, ws)
    indicator, version = changes.edit_indicator(
        store, SYSTEM, ws.id, ident, name="Elever med spesialundervisning", unit="percent",
        dimension="quality", direction="neutral", sector="grunnskole", aggregation="not_aggregable")
    assert version == 2 and indicator.id == ident
    again = Store.open(store.url)   # read back through another connection
    [row] = stored.list_indicators(again, ws.id)
    assert (row.version, row.data["name"], row.data["aggregation"], row.data["ssb_code"]) == (
        2, "Elever med spesialundervisning", "not_aggregable", CODE)
    entry = next(h for h in again.history(ws.id) if h.entity == "indicator" and h.action == "update")
    assert (entry.key, entry.version) == (ident, 2)
    assert (entry.old_value["name"], entry.new_value["name"]) == ("Spesialundervisning", "Elever med spesialundervisning")
    # the imported figures stay attached: new name and dimension, and no region figure
    data = _data(again, ws)
    card = data.panel(["5001"]).card(ident)
    assert (card.value, card.indicator.name("nb"), card.indicator.dimension) == (
        7.5, "Elever med spesialundervisning", "quality")
    assert data.combine(ident, 2025, data.index(["5001", "1804"])).value is None
    # saving the same definition again writes no version
    assert changes.edit_indicator(store, SYSTEM, ws.id, ident, name="Elever med spesialundervisning",
                                  unit="percent", dimension="quality", direction="neutral",
                                  sector="grunnskole", aggregation="not_aggregable")[1] is None
    assert stored.list_indicators(store, ws.id)[0].version == 2


def test_edits_are_checked_and_for_the_secretariat_only(store):
    ws = store.ensure_demo_workspace()
    ident = _special(store, ws)
    fields = dict(unit="percent", dimension="coverage", direction="neutral", sector="grunnskole")
    with pytest.raises(PermissionDenied):
        changes.edit_indicator(store, Actor("Rådmann", "viewer"), ws.id, ident, name="X",
                               aggregation="sum", **fields)
    with pytest.raises(own.WorkspaceIndicatorError):
        changes.edit_indicator(store, SYSTEM, ws.id, ident, name="<b>x</b>", aggregation="sum", **fields)
    with pytest.raises(own.WorkspaceIndicatorError, match="itself"):
        changes.edit_indicator(store, SYSTEM, ws.id, ident, name="X", aggregation=f"weighted_mean:{ident}",
                               **fields)
    with pytest.raises(own.WorkspaceIndicatorError, match="no indicator"):
        changes.edit_indicator(store, SYSTEM, ws.id, "pop_total", name="X", aggregation="sum", **fields)
    assert stored.list_indicators(store, ws.id)[0].version == 1


def test_a_count_another_rule_builds_on_stays_a_count_and_is_not_removed(store):
    ws = store.ensure_demo_workspace()
    assert own.save_kinds(store, SYSTEM, ws.id, {"antall_plasser": "count"}) == ["antall_plasser"]
    share = own.add_indicator(store, SYSTEM, ws.id, name="Plasser per innbygger", unit="percent",
                              dimension="coverage", direction="neutral", scale=100,
                              aggregation="ratio:antall_plasser/pop_total")
    fields = dict(name="antall_plasser", unit="number", dimension="other", direction="neutral", sector="samlet")
    with pytest.raises(own.WorkspaceIndicatorError, match=share.id):
        changes.edit_indicator(store, SYSTEM, ws.id, "antall_plasser", aggregation="not_aggregable", **fields)
    assert changes.removal_impact(store, ws.id, "antall_plasser").dependents == (share.id,)
    with pytest.raises(own.WorkspaceIndicatorError, match=share.id):
        changes.remove_indicator(store, SYSTEM, ws.id, "antall_plasser")
    assert {r.indicator_id for r in stored.list_indicators(store, ws.id)} == {"antall_plasser", share.id}
    # once the share is gone, the count can go too (nothing imported uses either)
    changes.remove_indicator(store, SYSTEM, ws.id, share.id)
    changes.remove_indicator(store, SYSTEM, ws.id, "antall_plasser")
    assert stored.list_indicators(store, ws.id) == []


def test_removal_with_imported_figures_needs_a_confirmation_and_empties_the_panels(store):
    ws = store.ensure_demo_workspace()
    ident = _special(store, ws)
    version = store.active_dataset_version(ws.id, "indicators").id
    impact = changes.removal_impact(store, ws.id, ident)
    assert (impact.active_version, impact.active_values, impact.codes) == (version, 4, (f"12134:{CODE}",))
    with pytest.raises(changes.IndicatorInUse) as refused:
        changes.remove_indicator(store, SYSTEM, ws.id, ident)
    assert refused.value.impact.active_values == 4
    with pytest.raises(PermissionDenied):
        changes.remove_indicator(store, Actor("Rådmann", "viewer"), ws.id, ident, accept_values=True)
    assert _data(store, ws).panel(["5001"]).card(ident).value == 7.5   # nothing changed yet

    changes.remove_indicator(store, SYSTEM, ws.id, ident, accept_values=True)
    again = Store.open(store.url)
    assert stored.list_indicators(again, ws.id) == []
    entry = next(h for h in again.history(ws.id) if h.entity == "indicator" and h.action == "delete")
    assert (entry.key, entry.version, entry.new_value) == (ident, 2, None)
    assert entry.old_value["name"] == "Spesialundervisning"   # what was removed can be read back
    # the code is unmapped (so the next import asks again), the figures leave the panels...
    assert ssb_codes.workspace_map(again, ws.id) == {}
    assert [c["code"] for c in validate_file(kostra_answer(), "12134.json",
                                             choices=own.import_choices(again, ws.id)).report.unmapped_codes] == [CODE]
    data = _data(again, ws)
    assert ident not in data.catalogue
    assert ident not in data._raw   # no figures of it reach the engine
    # ...but stay in the unchanged dataset version, and return with the same indicator
    assert (datasets.uploaded_indicator_values(again, ws.id)["indicator_id"] == ident).sum() == 4
    own.add_indicator(again, SYSTEM, ws.id, name="Spesialundervisning", unit="percent", dimension="coverage",
                      sector="grunnskole", direction="lower_is_better", aggregation="weighted_mean:pop_6_15")
    assert _data(again, ws).panel(["5001"]).card(ident).value == 7.5


def test_removing_an_unused_indicator_needs_no_confirmation(store):
    ws = store.ensure_demo_workspace()
    own.save_kinds(store, SYSTEM, ws.id, {"antall_brukere": "mean"})
    impact = changes.remove_indicator(store, SYSTEM, ws.id, "antall_brukere")
    assert not impact.needs_confirmation and impact.active_version is None
    assert own.own_catalogue(store, ws.id) == {}
    with pytest.raises(own.WorkspaceIndicatorError, match="no indicator"):
        changes.remove_indicator(store, SYSTEM, ws.id, "antall_brukere")
