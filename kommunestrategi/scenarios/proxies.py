"""Measured proxies for four criteria and the headline figures of a scenario card.

Each proxy gives the measured value, how it was formed (formula), its source and
year, and a 1-5 score by a band rule the user can read (:data:`BANDS`). Figures are
combined by the indicators' aggregation rules (``IndicatorData.combine``): counts
summed, ratios recomputed from sums, population-weighted means labelled as such.

Which unit is measured depends on the kind of scenario (``Scenario.units``): under
the status quo each council stands alone, so the weakest member counts; a
cooperation pools capacity for its services but each council keeps its own
economy; a merger is measured as one municipality.

Populations are the region builder's (``regions.summarise``: the figures of
``regions.POPULATION_YEAR``), so a card, a proxy and the strategy document agree.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kommunestrategi import geo, regions
from kommunestrategi.formatting import local_zone
from kommunestrategi.indicators import IndicatorData, trend_growth
from kommunestrategi.scenarios.model import Scenario

#: Band rules: (upper bound exclusive, score) ascending, the last score for everything above.
#: Population: the expert committee's 15,000-20,000 guideline sits at 4, above it 5.
BANDS: dict[str, tuple[tuple[tuple[float, int], ...], int]] = {
    "population": (((5_000, 1), (10_000, 2), (15_000, 3), (20_000, 4)), 5),
    # Net operating result, % of revenue: the 2 % norm of the technical calculation committee at 4.
    "net_result": (((0.0, 1), (1.0, 2), (2.0, 3), (3.0, 4)), 5),
    # Share of the inhabitants living in a ROBEK municipality (lower is better).
    "robek_share": (((1e-9, 5), (0.10, 4), (0.25, 3), (0.50, 2)), 1),
    # Longest distance from the largest member's centre, km (lower is better).
    "reach_km": (((25.000001, 5), (40.000001, 4), (60.000001, 3), (90.000001, 2)), 1),
    # Longest travel time to the largest member, minutes (lower is better).
    "reach_min": (((30.000001, 5), (45.000001, 4), (60.000001, 3), (90.000001, 2)), 1),
}


def band(rule: str, value: float) -> int:
    """The 1-5 score of ``value`` under the band rule ``rule``."""
    steps, top = BANDS[rule]
    for bound, score in steps:
        if value < bound:
            return score
    return top


@dataclass(frozen=True)
class Proxy:
    """A measured criterion score: value, score and how it was obtained."""

    criterion: str
    score: float | None
    value: float | None
    unit: str  # inhabitants | percent | share | km | minutes
    rule: str  # a key of BANDS, or "share_largest" (1 + 4 x share)
    formula: str  # a key of the locale catalogue: scenarios.formula.<formula>
    source: str
    year: int | None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Figures:
    """The headline figures of a scenario card."""

    members: tuple[str, ...]
    names: dict[str, str]
    population: int
    population_year: int
    trend: tuple[int, int, float] | None  # first year, last year, relative change
    share_80: float | None
    share_80_year: int | None
    growth_80: tuple[int, int, float] | None
    area_km2: float
    max_distance_km: float
    max_travel_min: float | None
    contiguous: bool
    link_kinds: tuple[str, ...]
    cut_off: tuple[str, ...]
    cost_need_index: float | None
    cost_need_year: int | None
    robek: tuple[str, ...]
    largest: str
    summary: regions.RegionSummary | None = None
    #: Existing arrangements of the cooperation register with all members inside the
    #: scenario's municipalities, and with members both inside and outside (None: no register).
    arrangements_inside: int | None = None
    arrangements_crossing: int | None = None


def _latest(data: IndicatorData, ident: str, codes: tuple[str, ...]) -> tuple[int | None, float | None]:
    if not data.has_data(ident):
        return None, None
    year, combined = data.latest(ident, data.index(codes))
    return year, combined.value


def figures(scenario: Scenario, geography: geo.Geography, data: IndicatorData,
            travel_times: pd.DataFrame | None = None, register: Any = None) -> Figures:
    """The card figures of a scenario's members (combined by the indicators' rules)."""
    codes = tuple(c for c in scenario.members if c in data.pos)
    summary = regions.summarise(list(scenario.members), geography, travel_times)
    history = data.projection(list(codes)) if codes else pd.DataFrame(columns=["year", "series", "value", "kind"])
    # the trend ends where the card's population is from, so both tell the same story
    history = history[(history["kind"] != "observed") | (history["year"] <= summary.population_year)]
    trend = trend_growth(history, "total") if len(history) else None
    growth_80 = trend_growth(history, "80_plus") if len(history) else None
    share_year, share_80 = _latest(data, "share_80_plus", codes) if codes else (None, None)
    need_year, need = _latest(data, "cost_need_index", codes) if codes else (None, None)
    robek_members: tuple[str, ...] = ()
    if codes and data.has_data("robek"):
        year = data.years("robek")[-1]
        values = data.series("robek", year)[data.index(codes)]
        robek_members = tuple(c for c, v in zip(codes, values, strict=True) if not np.isnan(v) and v > 0)
    inside = crossing = None
    if register is not None and len(register):
        from kommunestrategi.cooperation import coherence

        held = coherence(register, summary.members)
        inside, crossing = held.inside, held.crossing
    return Figures(
        members=summary.members, names=summary.names, population=summary.population,
        population_year=summary.population_year, trend=trend, share_80=share_80, share_80_year=share_year,
        growth_80=growth_80, area_km2=summary.area_km2, max_distance_km=summary.max_centre_distance_km,
        max_travel_min=summary.max_travel_minutes, contiguous=summary.contiguous,
        link_kinds=summary.link_kinds, cut_off=summary.cut_off,
        cost_need_index=need, cost_need_year=need_year, robek=robek_members, largest=summary.largest,
        summary=summary, arrangements_inside=inside, arrangements_crossing=crossing,
    )


# -- the proxies ------------------------------------------------------------------------
def capacity(scenario: Scenario, geography: geo.Geography, data: IndicatorData,
             summary: regions.RegionSummary | None = None) -> Proxy:
    """Population of the unit that provides the services against the 15,000-20,000 guideline.

    Status quo: the smallest council. Cooperation and merger: the whole region. When a
    population projection is imported, the weaker of today's and the latest projected
    band counts.
    """
    summary = summary or regions.summarise(list(scenario.members), geography)
    population_of = {m.kommunenummer: m.population for m in summary.member_rows}
    served = scenario.units if scenario.kind == "status_quo" else (scenario.members,)
    populations = [sum(population_of.get(c, 0) for c in u) for u in served]
    weakest = int(np.argmin(populations))
    value = populations[weakest]
    score = band("population", value)
    detail: dict[str, Any] = {"unit": list(served[weakest])}
    codes = tuple(c for c in served[weakest] if c in data.pos)
    if codes and data.has_data("proj_pop_total"):
        year = data.years("proj_pop_total")[-1]
        projected = data.combine("proj_pop_total", year, data.index(codes)).value
        if projected is not None:
            detail.update(projected=projected, projected_year=year)
            score = min(score, band("population", projected))
    formula = "capacity_smallest" if scenario.kind == "status_quo" else "capacity_region"
    return Proxy("capacity", float(score), float(value), "inhabitants", "population", formula,
                 regions.SOURCE_POPULATION, summary.population_year, detail)


def economy(scenario: Scenario, geography: geo.Geography, data: IndicatorData) -> Proxy:
    """Net operating result (% of revenue) when imported, else the share in ROBEK.

    Status quo and cooperation: the weakest council's own result (each keeps its
    economy). Merger: the members' result combined by the ratio rule.
    """
    codes = tuple(c for c in scenario.members if c in data.pos)
    ident = "netto_driftsresultat_pct"
    source = data.catalogue[ident].source if ident in data.catalogue else ""
    if codes and data.has_data(ident):
        year = data.years(ident)[-1]
        if scenario.kind == "merger":
            value = data.combine(ident, year, data.index(codes)).value
            formula = "economy_merged"
        else:
            values = data.series(ident, year)[data.index(codes)]
            value = None if np.isnan(values).any() else float(values.min())
            formula = "economy_weakest"
        if value is not None:
            return Proxy("economy", float(band("net_result", value)), float(value), "percent", "net_result",
                         formula, source, year)
    if codes and data.has_data("robek"):
        year = data.years("robek")[-1]
        idx = data.index(codes)
        flags = data.series("robek", year)[idx]
        units = geography.units.set_index("kommunenummer")
        population = units.loc[list(codes), "population"].fillna(0).to_numpy(dtype=float)
        total = population.sum()
        share = float(population[np.nan_to_num(flags) > 0].sum() / total) if total else 0.0
        return Proxy("economy", float(band("robek_share", share)), share, "share", "robek_share",
                     "economy_robek", data.catalogue["robek"].source, year,
                     {"robek": [c for c, f in zip(codes, flags, strict=True) if f > 0]})
    return Proxy("economy", None, None, "share", "robek_share", "economy_robek", "", None)


def functional(scenario: Scenario, geography: geo.Geography, data: IndicatorData,
               summary: regions.RegionSummary) -> Proxy:
    """Whether the scenario plans for a functional area (shared housing and labour market).

    Cooperation and merger: the longest travel time (with an active travel-time
    table) or straight-line distance from the largest member to the others; a region
    that is not connected scores 1. Status quo: the area is planned by several
    councils, measured as the largest council's share of the inhabitants, 1 + 4 x share.
    """
    if scenario.kind == "status_quo":
        share = summary.largest_share
        return Proxy("functional", round(1 + 4 * share, 2), share, "share", "share_largest",
                     "functional_split", regions.SOURCE_POPULATION, summary.population_year)
    if summary.max_travel_minutes is not None:
        value = max((m.travel_to_largest_min or 0.0) for m in summary.member_rows)
        rule, unit, formula, source = "reach_min", "minutes", "functional_travel", "travel"
    else:
        distances = [m.distance_to_largest_km for m in summary.member_rows]
        if any(d is None for d in distances):  # no centres (a Swedish workspace before a boundary import)
            return Proxy("functional", None, None, "km", "reach_km", "functional_distance", "", None)
        value = max(distances)
        rule, unit, formula, source = "reach_km", "km", "functional_distance", "centres"
    score = band(rule, value) if summary.contiguous else 1
    return Proxy("functional", float(score), float(value), unit, rule, formula, source, None,
                 {"contiguous": summary.contiguous})


def partners(scenario: Scenario, register: Any, today: dt.date | None = None) -> Proxy:
    """Shared history of the partners: the share of the members' existing arrangements
    that stay inside the scenario's region, ``inside / (inside + crossing)``, scored
    ``1 + 4 x share``.

    ``inside``: running arrangements of the cooperation register with every member in
    the region; ``crossing``: those with members both inside and outside. Without a
    register, or when no arrangement touches the members, there is nothing to measure:
    the proxy has no score and ``detail["fallback"]`` says why (``register_empty`` or
    ``no_arrangements``), and the board asks for workshop scores instead.
    """
    year = (today or dt.datetime.now(local_zone()).date()).year
    if register is None or not len(register):
        return Proxy("coop_partners", None, None, "share", "share_inside", "partners_inside", "register", None,
                     {"fallback": "register_empty"})
    from kommunestrategi.cooperation import coherence

    held = coherence(register, scenario.members)
    detail: dict[str, Any] = {"inside": held.inside, "crossing": held.crossing,
                              "register_source": getattr(register, "source", "") or ""}
    total = held.inside + held.crossing
    if not total:
        return Proxy("coop_partners", None, None, "share", "share_inside", "partners_inside", "register", year,
                     detail | {"fallback": "no_arrangements"})
    share = held.inside / total
    return Proxy("coop_partners", round(1 + 4 * share, 2), share, "share", "share_inside", "partners_inside",
                 "register", year, detail)


def measured(scenario: Scenario, geography: geo.Geography, data: IndicatorData,
             summary: regions.RegionSummary, register: Any = None) -> dict[str, Proxy]:
    """All proxies of a scenario, by criterion."""
    return {
        "capacity": capacity(scenario, geography, data, summary),
        "economy": economy(scenario, geography, data),
        "functional": functional(scenario, geography, data, summary),
        "coop_partners": partners(scenario, register),
    }
