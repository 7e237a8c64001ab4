"""Changing and removing a workspace's own indicators (:mod:`.workspace`).

A secretariat that defined an indicator on the Data page (for an SSB content code, or
by confirming the kind of an uploaded file's unknown indicator) can later correct it
or take it away. Both are versioned saves in the store with a history row
(:mod:`kommunestrategi.store.workspace_indicators`).

**Editing** keeps the id, so figures already imported under it stay attached: the
panels show them under the new name and unit, and regions combine them by the new
rule. An edit is checked like a new definition; it may not make the indicator refer
to itself, and a count that another own indicator's rule builds on (a numerator,
denominator or weight) stays a count.

**Removing** is what a user expects of "delete" with a safety catch:

* refused while another own indicator's rule refers to it (that indicator would
  stop working); the message names them;
* when imported figures use it (the active indicator dataset or an older version),
  it is removed only after the user confirms that those figures leave the panels and
  region figures. Dataset versions are never changed: the figures stay stored and
  come back if an indicator with the same id is defined again (the same name on the
  Data page, or the same kind confirmed for the same file);
* SSB content codes mapped to it are unmapped (recorded in the history too), so the
  next import lists them again for a choice instead of storing them under a missing id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from kommunestrategi.indicators.catalogue import Indicator
from kommunestrategi.indicators.workspace import (
    MAX_NAME,
    WorkspaceIndicatorError,
    check,
    own_catalogue,
    parse,
    workspace_catalogue,
)

#: The kind an aggregation rule stands for (kept beside the rule of a confirmed kind).
RULE_KINDS: dict[str, str] = {"sum": "count", "weighted_mean": "mean", "ratio": "ratio",
                              "not_aggregable": "index"}


class IndicatorInUse(WorkspaceIndicatorError):
    """Imported figures use the indicator: removal needs the user's confirmation."""

    def __init__(self, impact: RemovalImpact) -> None:
        self.impact = impact
        super().__init__(f"{impact.values} imported figure(s) use {impact.indicator_id!r}; confirm to remove it")


class StaysACount(WorkspaceIndicatorError):
    """Another own indicator's rule builds on this count: it must stay one."""

    def __init__(self, users: list[str]) -> None:
        self.users = list(users)
        super().__init__(f"it must stay a count (sum): the rule of {', '.join(users)} refers to it")


@dataclass(frozen=True)
class RemovalImpact:
    """What removing one own indicator would touch."""

    indicator_id: str
    dependents: tuple[str, ...]          # own indicators whose rule refers to it
    codes: tuple[str, ...]               # "<table>:<code>" SSB content codes mapped to it
    active_version: int | None           # the active indicator dataset version, if it holds figures
    active_values: int                   # figures for it in the active version
    other_versions: tuple[int, ...]      # inactive dataset versions holding figures for it

    @property
    def blocked(self) -> bool:
        return bool(self.dependents)

    @property
    def values(self) -> int:
        return self.active_values

    @property
    def needs_confirmation(self) -> bool:
        return self.active_values > 0 or bool(self.other_versions)


def _stored(store: Any, workspace_id: Any) -> dict[str, Any]:
    from kommunestrategi.store import workspace_indicators as table

    return {s.indicator_id: s for s in table.list_indicators(store, workspace_id)}


def dependents(own: Mapping[str, Indicator], ident: str) -> list[str]:
    """The own indicators (other than ``ident``) whose aggregation rule refers to ``ident``."""
    return [i for i, ind in own.items() if i != ident and ident in ind.rule.references()]


def removal_impact(store: Any, workspace_id: Any, ident: str) -> RemovalImpact:
    """What removing ``ident`` would touch: rules that build on it, SSB codes mapped to it,
    and the imported figures (per dataset version) that use it."""
    from kommunestrategi import datasets
    from kommunestrategi.io import ssb_codes

    own = own_catalogue(store, workspace_id)
    codes = tuple(sorted(k for k, v in ssb_codes.workspace_map(store, workspace_id).items() if v == ident))
    active, active_values, others = None, 0, []
    for version in datasets.versions(store, workspace_id, "indicators"):
        frame = store.dataset_table(version.id, "indicator_values")
        count = 0 if frame is None or not len(frame) else int((frame["indicator_id"].astype(str) == ident).sum())
        if not count:
            continue
        if version.active:
            active, active_values = int(version.id), count
        else:
            others.append(int(version.id))
    return RemovalImpact(ident, tuple(dependents(own, ident)), codes, active, active_values, tuple(sorted(others)))


def edit_indicator(store: Any, actor: Any, workspace_id: Any, ident: str, *, name: str, unit: str,
                   dimension: str, direction: str, aggregation: str, sector: str,
                   scale: float | None = None) -> tuple[Indicator, int | None]:
    """Change the definition of the workspace's own indicator ``ident`` (secretariat only).

    Validated like a new definition before anything is stored. Returns the indicator
    and the new version number (None when nothing changed, so no version is written).
    """
    from kommunestrategi.store import workspace_indicators as table

    stored = _stored(store, workspace_id)
    if ident not in stored:
        raise WorkspaceIndicatorError(f"the workspace has no indicator {ident!r} of its own")
    check(name, unit, dimension, direction, sector)
    before = dict(stored[ident].data)
    before.pop("id", None)
    data: dict[str, Any] = {**before, "name": " ".join(name.split())[:MAX_NAME], "unit": unit,
                            "dimension": dimension, "sector": sector, "direction": direction,
                            "aggregation": aggregation}
    data.pop("scale", None)
    if scale is not None and aggregation.startswith("ratio:"):
        data["scale"] = float(scale)
    rule_kind = aggregation.split(":", 1)[0]
    if "kind" in data:  # a confirmed kind follows the rule it now has
        data["kind"] = RULE_KINDS.get(rule_kind, "index")
    users = dependents(own_catalogue(store, workspace_id), ident)
    if users and rule_kind != "sum":
        raise StaysACount(users)
    known = {i: ind for i, ind in workspace_catalogue(store, workspace_id).items() if i != ident}
    indicator = parse(ident, data, known)
    if ident in indicator.rule.references():
        raise WorkspaceIndicatorError("the rule may not refer to the indicator itself", "self_reference")
    if data == before:
        return indicator, None
    saved = table.save_indicator(store, actor, workspace_id, ident, data)
    return indicator, saved.version


def remove_indicator(store: Any, actor: Any, workspace_id: Any, ident: str, *,
                     accept_values: bool = False) -> RemovalImpact:
    """Remove the workspace's own indicator ``ident`` (secretariat only).

    Raises :class:`WorkspaceIndicatorError` when another own indicator's rule refers
    to it, and :class:`IndicatorInUse` when imported figures use it and
    ``accept_values`` is not given. SSB content codes mapped to it are unmapped.
    Returns what was touched.
    """
    from kommunestrategi.io import ssb_codes
    from kommunestrategi.store import workspace_indicators as table

    store._require_secretariat(actor, "remove indicators")
    if ident not in _stored(store, workspace_id):
        raise WorkspaceIndicatorError(f"the workspace has no indicator {ident!r} of its own")
    impact = removal_impact(store, workspace_id, ident)
    if impact.blocked:
        raise WorkspaceIndicatorError(f"the rule of {', '.join(impact.dependents)} refers to it; "
                                      "change or remove those first")
    if impact.needs_confirmation and not accept_values:
        raise IndicatorInUse(impact)
    table.remove_indicator(store, actor, workspace_id, ident)
    for key in impact.codes:
        source, code = key.split(":", 1)
        ssb_codes.remove_mapping(store, actor, workspace_id, source, code)
    return impact


def form_values(stored_data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored definition as the edit form's starting values (rule kind and its parts)."""
    aggregation = str(stored_data.get("aggregation") or "not_aggregable")
    kind, _sep, rest = aggregation.partition(":")
    parts: dict[str, str] = {}
    if kind == "ratio" and "/" in rest:
        parts["numerator"], parts["denominator"] = rest.split("/", 1)
    elif kind == "weighted_mean":
        parts["weight"] = rest
    scale = stored_data.get("scale")
    return {"name": str(stored_data.get("name") or ""), "unit": str(stored_data.get("unit") or "value"),
            "dimension": str(stored_data.get("dimension") or "other"),
            "sector": str(stored_data.get("sector") or "samlet"),
            "direction": str(stored_data.get("direction") or "neutral"), "rule": kind, "parts": parts,
            "scale": None if scale is None else float(scale)}
