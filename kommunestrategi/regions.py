"""A set of municipalities seen as a cooperation region or a merged municipality."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from kommunestrategi.codes import UnknownMunicipality

if TYPE_CHECKING:
    import pandas as pd

    from kommunestrategi import geo

#: The expert committee's guideline for a municipality's size (2014).
GUIDELINE_MIN_POPULATION = 15_000
GUIDELINE_MAX_POPULATION = 20_000
#: The population year shown wherever a municipality's or a region's population is:
#: 1 January of this year, the newest in the bundled age-group table (2024 borders).
#: Maps, region figures, the command line and scenario cards use this one year.
POPULATION_YEAR = 2026
SOURCE_POPULATION = f"SSB 07459, 1 Jan {POPULATION_YEAR}"
SOURCE_AREA = "SSB 09280 / Kartverket"


class UnitFacts(NamedTuple):
    """What a region summary needs of one map unit (None: no figure)."""

    name: str
    county: str
    population: int | float | None
    area_km2: float | None


@dataclass(frozen=True)
class Member:
    kommunenummer: str
    name: str
    county: str
    population: int
    area_km2: float
    density: float
    share_of_population: float
    distance_to_largest_km: float
    #: Travel time to the largest member, minutes, when a travel-time table is active.
    travel_to_largest_min: float | None = None


@dataclass(frozen=True)
class RegionSummary:
    """Key figures of a region; ``as_json`` gives the CLI's stable JSON fields."""

    members: tuple[str, ...]
    names: dict[str, str]
    population: int
    population_year: int
    area_km2: float
    density: float
    largest: str
    largest_share: float
    max_centre_distance_km: float | None
    #: None when the geography has no boundaries (a Swedish workspace before an import).
    contiguous: bool | None
    cut_off: tuple[str, ...]
    gap_links: tuple[tuple[str, str], ...]
    components: tuple[tuple[str, ...], ...]
    guideline: str
    member_rows: tuple[Member, ...] = field(repr=False)
    #: Longest travel time between members, minutes (None without a travel-time table,
    #: or when a pair is missing from it).
    max_travel_minutes: float | None = None
    #: Where population and area come from (SSB for Norway, SCB for Sweden).
    sources: dict | None = None
    #: Links across open sea between members (pairs of numbers).
    sea_links: tuple[tuple[str, str], ...] = ()
    #: The link kinds needed to tie the members together (``border``, ``gap``, ``sea``).
    link_kinds: tuple[str, ...] = ()
    #: ``land`` (contiguous over borders alone), ``water`` (needs a ferry gap or the
    #: sea), ``none`` (not contiguous); None without boundaries to tell.
    connection: str | None = "none"
    #: The links that tie the members together, closest kind first (``(a, b, kind)``).
    used_links: tuple[tuple[str, str, str], ...] = ()

    def as_json(self) -> dict:
        """The region as JSON-ready data (fields named in the README's CLI section)."""
        data = asdict(self)
        data["members"] = list(self.members)
        data["cut_off"] = list(self.cut_off)
        data["gap_links"] = [list(link) for link in self.gap_links]
        data["sea_links"] = [list(link) for link in self.sea_links]
        data["link_kinds"] = list(self.link_kinds)
        data["used_links"] = [{"a": a, "b": b, "kind": kind} for a, b, kind in self.used_links]
        data["components"] = [list(c) for c in self.components]
        data["member_rows"] = [asdict(m) for m in self.member_rows]
        data["area_km2"] = round(self.area_km2, 2)
        data["density"] = round(self.density, 2)
        data["largest_share"] = round(self.largest_share, 4)
        data["max_centre_distance_km"] = _round_or_none(self.max_centre_distance_km, 1)
        for row in data["member_rows"]:
            row["distance_to_largest_km"] = _round_or_none(row["distance_to_largest_km"], 1)
            row["share_of_population"] = round(row["share_of_population"], 4)
            row["density"] = round(row["density"], 2)
        data["sources"] = dict(self.sources or {"population": SOURCE_POPULATION, "area": SOURCE_AREA})
        return data


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _round_or_none(value: float | None, digits: int) -> float | None:
    return None if _missing(value) else round(float(value), digits)


def resolve_codes(values: list[str], geography: geo.Geography | None = None) -> list[str]:
    """Map 2020/2024 numbers or names to map units, keeping order, dropping repeats.

    Raises ``UnknownMunicipality`` for the first value that matches nothing.
    """
    if geography is None:
        from kommunestrategi import geo

        geography = geo.bundled()
    index = geography.code_index
    return list(dict.fromkeys(index.unit_for(v) for v in values))


def guideline_status(population: int) -> str:
    """``below``, ``within`` or ``above`` the expert committee's 15,000-20,000 guideline."""
    if population < GUIDELINE_MIN_POPULATION:
        return "below"
    if population <= GUIDELINE_MAX_POPULATION:
        return "within"
    return "above"


def travel_matrix(travel_times: pd.DataFrame, codes: list[str],
                  geography: geo.Geography | None = None) -> pd.DataFrame:
    """Travel minutes between ``codes`` from a long table (from/to kommunenummer, minutes).

    Numbers are mapped to the geography's units; where a unit covers several
    municipalities the shortest time is used. Missing pairs are NaN; a unit to
    itself is 0. Times are made symmetric by taking the shorter direction.
    """
    import pandas as pd

    if geography is None:
        from kommunestrategi import geo

        geography = geo.bundled()
    index = geography.code_index
    # one lookup per distinct number, not per row (a national matrix has ~127,000 rows)
    numbers = pd.unique(pd.concat([travel_times["from_kommunenummer"], travel_times["to_kommunenummer"]]))
    unit_of = {number: _unit_or_none(index, number) for number in numbers}
    table = travel_times.assign(
        a=travel_times["from_kommunenummer"].map(unit_of),
        b=travel_times["to_kommunenummer"].map(unit_of),
    ).dropna(subset=["a", "b"])
    table = table[table["a"].isin(codes) & table["b"].isin(codes)]
    matrix = table.groupby(["a", "b"])["minutes"].min().unstack().reindex(index=codes, columns=codes)
    matrix = matrix.combine(matrix.T, lambda x, y: x.where(y.isna() | (x <= y), y))
    for code in codes:
        matrix.loc[code, code] = 0.0
    return matrix.astype(float)


def _unit_or_none(index, code: str) -> str | None:
    try:
        return index.unit_for(code)
    except UnknownMunicipality:
        return None


def summarise(codes: list[str], geography: geo.Geography | None = None,
              travel_times: pd.DataFrame | None = None) -> RegionSummary:
    """Figures for a selection of units (numbers as in ``geography``, default the bundled map).

    ``geography`` is a :class:`kommunestrategi.geo.Geography` or the command line's
    pandas-free :class:`kommunestrategi.bundledmap.BundledMap`; both give the same
    figures. With ``travel_times`` (the active travel-time dataset, long form), the
    summary also gives travel minutes between members.
    """
    if not codes:
        raise ValueError("a region needs at least one municipality")
    if geography is None:
        from kommunestrategi import geo

        geography = geo.bundled()
    members = list(dict.fromkeys(codes))
    facts = geography.member_facts(members)
    travel: dict[tuple[str, str], float | None] | None = None
    if travel_times is not None:
        matrix = travel_matrix(travel_times, members, geography)
        travel = {(a, b): None if _missing(matrix.at[a, b]) else float(matrix.at[a, b])
                  for a in members for b in members}
    has_boundaries = getattr(geography, "has_boundaries", True)
    return build_summary(
        members, facts, geography.member_centres(members), geography.contiguity(members), travel,
        has_boundaries=has_boundaries,
        population_year=getattr(geography, "population_year", POPULATION_YEAR),
        sources=getattr(geography, "sources", None),
    )


def _centre_distance_km(a: tuple[float, float] | None, b: tuple[float, float] | None) -> float | None:
    if a is None or b is None:
        return None
    dx, dy = a[0] - b[0], a[1] - b[1]
    return math.sqrt(dx * dx + dy * dy) / 1000.0


def build_summary(members: list[str], facts: Mapping[str, UnitFacts],
                  centres: Mapping[str, tuple[float, float] | None], conn,
                  travel: Mapping[tuple[str, str], float | None] | None, *,
                  has_boundaries: bool = True, population_year: int = POPULATION_YEAR,
                  sources: dict | None = None) -> RegionSummary:
    """A region's figures from plain per-unit facts, centres (EPSG:25833 metres) and its
    contiguity: the one computation behind every geography."""
    people = {code: 0 if _missing(facts[code].population) else int(facts[code].population)
              for code in members}
    population = sum(people.values())
    area = math.fsum(0.0 if _missing(facts[code].area_km2) else float(facts[code].area_km2)
                     for code in members)
    largest = max(members, key=lambda code: people[code])

    def distance(a: str, b: str) -> float | None:
        return 0.0 if a == b else _centre_distance_km(centres.get(a), centres.get(b))

    def density(code: str) -> float:
        fact = facts[code]
        if _missing(fact.population) or _missing(fact.area_km2) or not fact.area_km2:
            return 0.0
        return float(fact.population) / float(fact.area_km2)

    def travel_to(code: str) -> float | None:
        return None if travel is None else travel.get((code, largest))

    member_rows = tuple(
        Member(
            kommunenummer=code,
            name=str(facts[code].name),
            county=str(facts[code].county),
            population=people[code],
            area_km2=0.0 if _missing(facts[code].area_km2) else float(facts[code].area_km2),
            density=density(code),
            share_of_population=people[code] / population if population else 0.0,
            distance_to_largest_km=distance(code, largest),
            travel_to_largest_min=travel_to(code),
        )
        for code in members
    )
    pairs = [distance(a, b) for a in members for b in members]
    times = [] if travel is None else [travel.get((a, b)) for a in members for b in members]
    return RegionSummary(
        members=tuple(members),
        names={code: str(facts[code].name) for code in members},
        population=population,
        population_year=population_year,
        area_km2=area,
        density=population / area if area else 0.0,
        largest=largest,
        largest_share=people[largest] / population if population else 0.0,
        max_centre_distance_km=None if any(d is None for d in pairs) else max(pairs),
        contiguous=conn.contiguous if has_boundaries else None,
        cut_off=conn.cut_off,
        gap_links=conn.gap_links,
        components=conn.components,
        guideline=guideline_status(population),
        member_rows=member_rows,
        max_travel_minutes=None if travel is None or any(t is None for t in times) else max(times),
        sources=sources,
        sea_links=conn.sea_links,
        link_kinds=conn.link_kinds,
        connection=conn.connection if has_boundaries else None,
        used_links=conn.used_links,
    )
