"""The board of a stored workspace: scenarios, weights and scores from the store,
figures from the workspace's active data (boundaries, indicators, travel times)."""

from __future__ import annotations

from typing import Any

from kommunestrategi import datasets, geo
from kommunestrategi import indicators as ind
from kommunestrategi.scenarios.board import Assessment, assess
from kommunestrategi.scenarios.model import Scenario
from kommunestrategi.store import scenarios as store_scenarios


def workspace_inputs(store: Any, workspace_id: int) -> tuple[geo.Geography, ind.IndicatorData, Any]:
    """The workspace's active geography, indicator engine and travel-time table."""
    geography = datasets.active_geography(store, workspace_id)
    uploaded = ind.uploaded_values(store, workspace_id)
    units = None if geography.label == "bundled" else geography.units
    data = ind.build_data(uploaded, units)
    return geography, data, datasets.active_travel_times(store, workspace_id)


def usable(scenarios: list[Scenario], geography: geo.Geography) -> list[Scenario]:
    """Scenarios with their members restricted to the geography's units (empty ones dropped)."""
    known = set(geography.units["kommunenummer"])
    out = []
    for s in scenarios:
        members = tuple(c for c in s.members if c in known)
        if members:
            out.append(s if members == s.members else Scenario(
                s.id, s.name, s.kind, members, s.origin, s.on_board, s.details, s.version, s.author, s.updated_at))
    return out


def register(store: Any, workspace_id: int) -> Any:
    """The workspace's running cooperation arrangements (None when there are none)."""
    from kommunestrategi.cooperation import arrangements_for

    found = arrangements_for(workspace_id, store)
    return found if len(found) else None


def affinity(found: Any) -> dict[tuple[str, str], float]:
    """Pairs of municipalities with the number of arrangements they share (for proposals)."""
    if found is None:
        return {}
    from kommunestrategi.cooperation import pair_counts

    return {pair: float(n) for pair, n in pair_counts(found).items()}


def workspace_assessment(store: Any, workspace_id: int, inputs: tuple | None = None) -> Assessment:
    """The assessment of the scenarios on the workspace's board."""
    geography, data, travel = inputs or workspace_inputs(store, workspace_id)
    scenarios = usable(store_scenarios.list_scenarios(store, workspace_id, board_only=True), geography)
    return assess(scenarios, geography=geography, data=data,
                  weights=store_scenarios.all_weights(store, workspace_id),
                  workshop=store_scenarios.list_scores(store, workspace_id),
                  methods=store_scenarios.get_methods(store, workspace_id), travel_times=travel,
                  register=register(store, workspace_id))
