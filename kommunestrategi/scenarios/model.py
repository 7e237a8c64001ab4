"""Scenarios and the criteria they are assessed against.

A scenario is one way the workspace's councils could organise themselves:

* ``status_quo`` - each council alone, as today;
* ``cooperation`` - the members cooperate (service areas, legal form, host);
* ``merger`` - the members become one municipality.

The criteria are the expert committee's ten (Ekspertutvalget for
kommunereformen, 2014), by the municipality's roles, and the seven criteria for a
cooperation (the checklist) where they apply: all seven to a cooperation, some to
a merger or the status quo (:data:`APPLIES`); a criterion that does not apply is
shown as such with its reason and counts as the scale's midpoint
(:data:`NOT_APPLICABLE_SCORE`), so it neither helps nor harms that scenario.
Four have a measured proxy (capacity, economic solidity, functional areas, and
partners - the share of existing arrangements inside the region); every criterion
can be assessed by workshop scores instead, and those without a proxy always are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

KINDS: tuple[str, ...] = ("status_quo", "cooperation", "merger")
ORIGINS: tuple[str, ...] = ("selection", "region", "proposal", "arrangements", "councils")

#: The expert committee's ten criteria, in the committee's order, with the roles they serve.
COMMITTEE: tuple[str, ...] = ("capacity", "competence", "distance", "efficiency", "economy", "choice",
                              "functional", "participation", "control", "identity")
#: The seven criteria for a cooperation (the checklist's, in its order), prefixed ``coop_``.
COOPERATION: tuple[str, ...] = ("coop_why", "coop_partners", "coop_form", "coop_internal", "coop_democracy",
                                "coop_ownership", "coop_exit")
CRITERIA: tuple[str, ...] = COMMITTEE + COOPERATION
#: Which cooperation criteria apply to each kind (the committee's ten apply to every kind).
#: A merger still needs a reason, partners and internal agreement, but has no cooperation
#: form, no indirect steering, nothing owned jointly and no way out for one council; the
#: status quo enters nothing new, yet needs its reason and a regular look at what it has.
APPLIES: dict[str, frozenset[str]] = {
    "cooperation": frozenset(COOPERATION),
    "merger": frozenset({"coop_why", "coop_partners", "coop_internal"}),
    "status_quo": frozenset({"coop_why", "coop_exit"}),
}
#: The score a criterion that does not apply to a scenario counts with in the ranking.
NOT_APPLICABLE_SCORE = 3.0
CRITERION_ROLES: dict[str, tuple[str, ...]] = {
    "capacity": ("services", "authority", "development"),
    "competence": ("services", "authority", "development"),
    "distance": ("authority",),
    "efficiency": ("services",),
    "economy": ("services",),
    "choice": ("services",),
    "functional": ("development",),
    "participation": ("democracy",),
    "control": ("democracy",),
    "identity": ("democracy",),
}
#: Criteria with a measured proxy (see :mod:`kommunestrategi.scenarios.proxies`).
MEASURED: tuple[str, ...] = ("capacity", "economy", "functional", "coop_partners")
METHODS: tuple[str, ...] = ("measured", "workshop")
SCORE_MIN, SCORE_MAX = 1, 5


class ScenarioError(ValueError):
    """A scenario, score or weight that cannot be stored as given."""


def applies(kind: str, criterion: str) -> bool:
    """Whether ``criterion`` applies to a scenario of ``kind``."""
    return criterion not in COOPERATION or criterion in APPLIES.get(kind, frozenset())


def default_methods() -> dict[str, str]:
    """Measured where a proxy exists, workshop scores for the rest."""
    return {c: "measured" if c in MEASURED else "workshop" for c in CRITERIA}


def methods_from(saved: dict[str, Any] | None) -> dict[str, str]:
    """The workspace's chosen methods over the defaults (unknown entries ignored;
    a criterion without a proxy stays ``workshop``)."""
    methods = default_methods()
    for criterion, method in (saved or {}).items():
        if criterion in methods and method in METHODS and (method == "workshop" or criterion in MEASURED):
            methods[criterion] = method
    return methods


def check_weights(weights: dict[str, Any]) -> dict[str, float]:
    """Weights for every criterion as non-negative floats (missing ones are 0)."""
    out: dict[str, float] = {}
    for criterion in CRITERIA:
        try:
            value = float(weights.get(criterion, 0.0))
        except (TypeError, ValueError):
            raise ScenarioError(f"weight for {criterion} is not a number") from None
        if not value >= 0 or value == float("inf"):
            raise ScenarioError(f"weight for {criterion} must be zero or more")
        out[criterion] = value
    if sum(out.values()) <= 0:
        raise ScenarioError("at least one weight must be above zero")
    return out


def check_score(score: Any) -> int:
    try:
        value = int(score)
    except (TypeError, ValueError):
        raise ScenarioError(f"score must be a whole number {SCORE_MIN}-{SCORE_MAX}") from None
    if value != score and not (isinstance(score, str) and score.strip() == str(value)):
        raise ScenarioError(f"score must be a whole number {SCORE_MIN}-{SCORE_MAX}")
    if not SCORE_MIN <= value <= SCORE_MAX:
        raise ScenarioError(f"score must be {SCORE_MIN}-{SCORE_MAX}")
    return value


@dataclass(frozen=True)
class Scenario:
    """One scenario as stored (``details``: service areas, legal form, host, note)."""

    id: int
    name: str
    kind: str
    members: tuple[str, ...]
    origin: str = "selection"
    on_board: bool = True
    details: dict[str, Any] = field(default_factory=dict)
    version: int = 1
    author: str = ""
    updated_at: datetime | None = None

    @property
    def units(self) -> tuple[tuple[str, ...], ...]:
        """The municipalities as they would be governed: each alone (status quo) or as one."""
        if self.kind == "status_quo":
            return tuple((m,) for m in self.members)
        return (self.members,)


@dataclass(frozen=True)
class WorkshopScore:
    scenario_id: int
    criterion: str
    participant: str
    score: int
    reason: str
    updated_at: datetime | None = None
