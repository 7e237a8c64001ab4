"""A workspace's service-point layers in the store.

The base layer and one layer per scenario are stored as workspace settings (kind
``service_points``; name ``base`` or ``scenario:<id>``), so every save is
versioned, goes into the history with who and when, and travels with a workspace
export. Only the secretariat changes a layer.
"""

from __future__ import annotations

from typing import Any

from kommunestrategi.servicepoints.model import (
    MAX_POINTS,
    ServicePoint,
    ServicePointError,
    point_from_dict,
    with_ids,
)

SETTING_KIND = "service_points"
BASE_LAYER = "base"


def scenario_layer(scenario_id: int) -> str:
    return f"scenario:{int(scenario_id)}"


def load_layer(store: Any, workspace_id: int, layer: str = BASE_LAYER, country: str = "NO") -> list[ServicePoint]:
    """The stored points of a layer (empty when none were saved); invalid stored entries are skipped."""
    stored = store.get_setting(workspace_id, SETTING_KIND, layer, default=None) or {}
    points = []
    for entry in stored.get("points", []):
        try:
            points.append(point_from_dict(entry, country))
        except ServicePointError:
            continue
    return with_ids(points)


def save_layer(store: Any, actor: Any, workspace_id: int, points: list[ServicePoint],
               layer: str = BASE_LAYER) -> int:
    """Store the layer's points (replacing the earlier ones); returns the setting's version."""
    if len(points) > MAX_POINTS:
        raise ServicePointError("too_many", f"a layer holds at most {MAX_POINTS} points", limit=MAX_POINTS)
    points = with_ids(points)
    return store.save_setting(actor, workspace_id, SETTING_KIND, layer, {"points": [p.as_dict() for p in points]})


def list_layers(store: Any, workspace_id: int) -> list[str]:
    """Names of the stored layers, base first."""
    names = {name for (_council, name) in store.list_settings(workspace_id, SETTING_KIND)}
    return [BASE_LAYER] + sorted(n for n in names if n != BASE_LAYER)
