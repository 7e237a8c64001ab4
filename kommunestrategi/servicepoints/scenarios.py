"""Service-point coverage as a headline figure of a scenario card.

A scenario can carry its own service-point layer (``scenario:<id>``, saved on the
service-point page); without one the workspace's base layer applies. The figure is
the share of the scenario's inhabitants within the distance of a point and how many
of its municipalities lack a service centre, computed as on the service-point page
(from the active population grid, else estimated from municipal centres).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kommunestrategi.servicepoints.coverage import PreparedGrid, compute_coverage, prepare_grid
from kommunestrategi.servicepoints.layers import BASE_LAYER, SETTING_KIND, load_layer, scenario_layer

DEFAULT_DISTANCE_KM = 20
_GRIDS: dict[tuple, PreparedGrid] = {}


@dataclass(frozen=True)
class ScenarioCoverage:
    #: ``scenario`` (the scenario's own layer) or ``base`` (the workspace's)
    layer: str
    distance_km: float
    #: ``grid``, ``centres`` or ``none`` (see ``coverage.compute_coverage``)
    method: str
    points: int
    #: Covered share of the members' inhabitants (None when it cannot be told).
    share: float | None
    without_centre: tuple[str, ...]


def active_grid(store: Any, workspace_id: int, geography: Any) -> tuple[PreparedGrid | None, str | None]:
    """The workspace's active population grid placed in ``geography`` (cached per version), and its file name."""
    from kommunestrategi import datasets
    from kommunestrategi.servicepoints.grid import assign_grid

    table, version = datasets.active_table(store, workspace_id, "population_grid", "population_grid")
    if table is None or version is None:
        return None, None
    key = (str(store.url), version.id, geography.label)
    if key not in _GRIDS:
        if len(_GRIDS) >= 4:
            _GRIDS.pop(next(iter(_GRIDS)))
        _GRIDS[key] = prepare_grid(assign_grid(table, geography), geography)
    return _GRIDS[key], version.file_name


def scenario_coverage(store: Any, workspace_id: int, scenario_id: int, members: list[str] | tuple[str, ...],
                      geography: Any, country: str = "NO", distance_km: float = DEFAULT_DISTANCE_KM,
                      grid: PreparedGrid | None = None) -> ScenarioCoverage | None:
    """The coverage of a scenario's members by its layer (or the base layer); None when the
    workspace has no service points at all, so cards without them stay as they were."""
    own = store.get_setting(workspace_id, SETTING_KIND, scenario_layer(scenario_id), default=None) is not None
    layer = scenario_layer(scenario_id) if own else BASE_LAYER
    points = load_layer(store, workspace_id, layer, country)
    if not points and not own:
        return None
    result = compute_coverage(geography, points, distance_km, grid)
    codes = [c for c in members if c in set(geography.units["kommunenummer"])]
    inside = [r for r in result.rows if r.kommunenummer in set(codes)]
    return ScenarioCoverage("scenario" if own else "base", float(distance_km), result.method,
                            sum(r.points for r in inside), result.total_share(codes),
                            tuple(result.without_centre(codes)))
