"""The bundled map read with the standard library alone: facts, numbers and neighbour graph.

``region`` and ``neighbours`` on the bundled map need a few columns of
``data/kommuner.csv``, the newest population, the 2020 -> 2024 numbers and the
neighbour links and centres stored in ``data/kommuner_avledet.json``; none of it
needs pandas, numpy or the polygons. Importing pandas alone takes longer than the
whole command should, so the command line uses ``BundledMap`` for the bundled map
and :class:`kommunestrategi.geo.Geography` (pandas, geopandas) only for imported
boundaries. Both feed the same summary builder in :mod:`kommunestrategi.regions`,
and a test checks they give the same output.

The population of every unit is the newest year of the bundled age-group table
(1 January ``regions.POPULATION_YEAR``, in 2024 borders), summed over the unit's
2024 members; :mod:`kommunestrategi.geo` reads it through ``latest_population``
too, so the app and the command line show the same figure.
"""

from __future__ import annotations

import csv
import hashlib
import json
from functools import cached_property, lru_cache
from pathlib import Path

from kommunestrategi import neighbours as _nb
from kommunestrategi.codes import CHANGES_FILE, CodeIndex, UnknownMunicipality, index_from_records
from kommunestrategi.config import BUNDLED_DATA_DIR
from kommunestrategi.regions import POPULATION_YEAR, UnitFacts

#: The bundled boundaries, what is derived from them, the facts and the population.
BOUNDARIES_FILE = "kommuner_grenser.geojson.gz"
DERIVED_FILE = "kommuner_avledet.json"
UNITS_FILE = "kommuner.csv"
POPULATION_FILE = "befolkning_aldersgrupper_2005_2026.csv"


@lru_cache(maxsize=1)
def latest_population() -> dict[str, int]:
    """Population 1 January ``POPULATION_YEAR`` of each 2024 municipality (2024 borders)."""
    year = str(POPULATION_YEAR)
    with (BUNDLED_DATA_DIR / POPULATION_FILE).open(encoding="utf-8", newline="") as handle:
        return {row["kommunenummer"]: int(row["pop_total"]) for row in csv.DictReader(handle)
                if row["year"] == year and row["pop_total"] != ""}


def unit_population(members_2024: str, population: dict[str, int] | None = None) -> int | None:
    """The population of a map unit: the sum over its 2024 members (None if one has no figure)."""
    population = latest_population() if population is None else population
    figures = [population.get(code) for code in str(members_2024).split()]
    if not figures or any(figure is None for figure in figures):
        return None
    return sum(figures)


def bundled_derived(data_dir: Path | None = None) -> dict | None:
    """The links and centres stored with the bundled boundaries, if they are of these boundaries.

    ``None`` when the file is missing, was made from other boundaries (its
    ``boundaries_sha256`` differs) or by other rules (``algorithm``).
    """
    data_dir = data_dir or BUNDLED_DATA_DIR
    try:
        stored = json.loads((data_dir / DERIVED_FILE).read_text(encoding="utf-8"))
        boundaries = hashlib.sha256((data_dir / BOUNDARIES_FILE).read_bytes()).hexdigest()
    except (OSError, ValueError):
        return None
    if stored.get("algorithm") != _nb.ALGORITHM or stored.get("boundaries_sha256") != boundaries:
        return None
    return stored


def _number(text: str) -> float | None:
    return float(text) if text.strip() else None


class BundledMap:
    """The bundled map (356 units of 2020-2023 with 2024 numbers) without pandas.

    Offers what ``regions.summarise`` and the ``neighbours`` command ask of a
    geography: ``code_index``, ``links``, ``adjacency``, ``neighbours``,
    ``contiguity``, ``member_facts`` and ``member_centres``.
    """

    label = "bundled"
    structure_year = 2020
    has_boundaries = True
    sources = None
    population_year = POPULATION_YEAR

    def __init__(self, derived: dict) -> None:
        self.derived = derived
        with (BUNDLED_DATA_DIR / UNITS_FILE).open(encoding="utf-8", newline="") as handle:
            self.rows = {row["kommunenummer"]: row for row in csv.DictReader(handle)}

    @property
    def unit_codes(self) -> list[str]:
        return list(self.rows)

    @cached_property
    def code_index(self) -> CodeIndex:
        with (BUNDLED_DATA_DIR / CHANGES_FILE).open(encoding="utf-8", newline="") as handle:
            changes = list(csv.DictReader(handle))
        return index_from_records(self.rows.values(), changes)

    @cached_property
    def population(self) -> dict[str, int | None]:
        figures = latest_population()
        return {code: unit_population(row["members_2024"], figures) for code, row in self.rows.items()}

    @cached_property
    def links(self) -> tuple[dict, ...]:
        return tuple(self.derived["links"])

    @cached_property
    def adjacency(self) -> dict[str, dict[str, str]]:
        return _nb.adjacency(self.unit_codes, self.links)

    def neighbours(self, code: str, include_gap: bool = True) -> list[str]:
        return sorted(other for other, kind in self.adjacency.get(code, {}).items()
                      if include_gap or kind == "border")

    def contiguity(self, codes: list[str]) -> _nb.Contiguity:
        return _nb.contiguity(codes, self.adjacency, self.population)

    def member_facts(self, codes: list[str]) -> dict[str, UnitFacts]:
        unknown = [code for code in codes if code not in self.rows]
        if unknown:
            raise UnknownMunicipality(unknown[0])
        return {code: UnitFacts(name=self.rows[code]["name"], county=self.rows[code]["county"],
                                population=self.population[code],
                                area_km2=_number(self.rows[code]["area_km2"]))
                for code in codes}

    def member_centres(self, codes: list[str]) -> dict[str, tuple[float, float] | None]:
        centres = self.derived["centres"]
        return {code: (float(centres[code][0]), float(centres[code][1])) if code in centres else None
                for code in codes}


@lru_cache(maxsize=1)
def load() -> BundledMap | None:
    """The bundled map, or None when its stored links are missing or stale (then the
    polygons must be read, which :func:`kommunestrategi.geo.bundled` does)."""
    derived = bundled_derived()
    return BundledMap(derived) if derived is not None else None
