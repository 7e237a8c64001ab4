"""What the national map can be coloured by: measures with unit, source and year."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from kommunestrategi import geo


@dataclass(frozen=True)
class MapMeasure:
    """One measure per municipality, with how to label and colour it."""

    id: str
    label_key: str
    unit_key: str
    source_key: str
    year: int
    log_scale: bool = False
    decimals: int = 0


BASE_MEASURES: tuple[MapMeasure, ...] = (
    MapMeasure("population", "common.population", "common.unit.inhabitants",
               "source.population_2024", 2024, log_scale=True),
    MapMeasure("area", "common.area", "common.unit.km2", "source.area", 2024, log_scale=True),
    MapMeasure("density", "common.density", "common.unit.per_km2", "source.population_2024", 2024,
               log_scale=True, decimals=1),
)

_COLUMNS = {"population": "population_2024", "area": "area_km2", "density": "density"}


def base_measure_values(measure_id: str) -> pd.Series:
    """The values of a base measure, indexed by kommunenummer."""
    units = geo.load_units().set_index("kommunenummer")
    return units[_COLUMNS[measure_id]].astype(float)
