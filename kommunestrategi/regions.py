"""A set of municipalities seen as a cooperation region or a merged municipality."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import pandas as pd

from kommunestrategi import geo
from kommunestrategi.codes import UnknownMunicipality

#: The expert committee's guideline for a municipality's size (2014).
GUIDELINE_MIN_POPULATION = 15_000
GUIDELINE_MAX_POPULATION = 20_000
POPULATION_YEAR = 2024
SOURCE_POPULATION = "SSB 07459, 1 Jan 2024"
SOURCE_AREA = "SSB 09280 / Kartverket"


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


def _round_or_none(value: float | None, digits: int) -> float | None:
    return None if value is None or pd.isna(value) else round(float(value), digits)


def resolve_codes(values: list[str], geography: geo.Geography | None = None) -> list[str]:
    """Map 2020/2024 numbers or names to map units, keeping order, dropping repeats.

    Raises ``UnknownMunicipality`` for the first value that matches nothing.
    """
    index = (geography or geo.bundled()).code_index
    return list(dict.fromkeys(index.unit_for(v) for v in values))


def guideline_status(population: int) -> str:
    """``below``, ``within`` or ``above`` the expert committee's 15,000-20,000 guideline."""
    if population < GUIDELINE_MIN_POPULATION:
        return "below"
    if population <= GUIDELINE_MAX_POPULATION:
        return "within"
    return "above"


def _or_zero(value: float) -> float:
    return 0.0 if pd.isna(value) else float(value)


def travel_matrix(travel_times: pd.DataFrame, codes: list[str],
                  geography: geo.Geography | None = None) -> pd.DataFrame:
    """Travel minutes between ``codes`` from a long table (from/to kommunenummer, minutes).

    Numbers are mapped to the geography's units; where a unit covers several
    municipalities the shortest time is used. Missing pairs are NaN; a unit to
    itself is 0. Times are made symmetric by taking the shorter direction.
    """
    index = (geography or geo.bundled()).code_index
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

    With ``travel_times`` (the active travel-time dataset, long form), the summary
    also gives travel minutes between members.
    """
    if not codes:
        raise ValueError("a region needs at least one municipality")
    geography = geography or geo.bundled()
    units = geography.units.set_index("kommunenummer")
    unknown = [c for c in codes if c not in units.index]
    if unknown:
        raise UnknownMunicipality(unknown[0])
    members = list(dict.fromkeys(codes))
    rows = units.loc[members]
    population = int(rows["population_2024"].fillna(0).sum())
    area = float(rows["area_km2"].fillna(0).sum())
    largest = str(rows["population_2024"].fillna(0).idxmax())
    distances = geography.distance_km(members)
    has_boundaries = getattr(geography, "has_boundaries", True)
    conn = geography.contiguity(members)
    travel = travel_matrix(travel_times, members, geography) if travel_times is not None else None
    member_rows = tuple(
        Member(
            kommunenummer=code,
            name=str(rows.at[code, "name"]),
            county=str(rows.at[code, "county"]),
            population=int(_or_zero(rows.at[code, "population_2024"])),
            area_km2=float(_or_zero(rows.at[code, "area_km2"])),
            density=float(_or_zero(rows.at[code, "density"])),
            share_of_population=float(_or_zero(rows.at[code, "population_2024"])) / population
            if population else 0.0,
            distance_to_largest_km=float(distances.at[code, largest]),
            travel_to_largest_min=None if travel is None or pd.isna(travel.at[code, largest])
            else float(travel.at[code, largest]),
        )
        for code in members
    )
    return RegionSummary(
        members=tuple(members),
        names={code: str(rows.at[code, "name"]) for code in members},
        population=population,
        population_year=getattr(geography, "population_year", POPULATION_YEAR),
        area_km2=area,
        density=population / area if area else 0.0,
        largest=largest,
        largest_share=float(_or_zero(rows.at[largest, "population_2024"])) / population if population else 0.0,
        max_centre_distance_km=None if distances.isna().any().any() else float(distances.to_numpy().max()),
        contiguous=conn.contiguous if has_boundaries else None,
        cut_off=conn.cut_off,
        gap_links=conn.gap_links,
        components=conn.components,
        guideline=guideline_status(population),
        member_rows=member_rows,
        max_travel_minutes=None if travel is None or travel.isna().any().any()
        else float(travel.to_numpy().max()),
        sources=getattr(geography, "sources", None),
        sea_links=conn.sea_links,
        link_kinds=conn.link_kinds,
        connection=conn.connection if has_boundaries else None,
        used_links=conn.used_links,
    )
