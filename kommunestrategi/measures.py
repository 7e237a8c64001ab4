"""What the national map can be coloured by: measures with unit, source and year."""

from __future__ import annotations

import contextlib
import weakref
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from kommunestrategi import geo, indicators, regions
from kommunestrategi.i18n import t


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

    def label(self, lang: str = "nb") -> str:
        return t(self.label_key, lang)

    def unit(self, lang: str = "nb") -> str:
        return t(self.unit_key, lang)

    def source(self, lang: str = "nb") -> str:
        return t(self.source_key, lang, year=self.year)


BASE_MEASURES: tuple[MapMeasure, ...] = (
    MapMeasure("population", "common.population", "common.unit.inhabitants",
               "source.population", regions.POPULATION_YEAR, log_scale=True),
    MapMeasure("area", "common.area", "common.unit.km2", "source.area", 2024, log_scale=True),
    MapMeasure("density", "common.density", "common.unit.per_km2", "source.population",
               regions.POPULATION_YEAR, log_scale=True, decimals=1),
)

_COLUMNS = {"population": "population", "area": "area_km2", "density": "density"}


def base_measure_values(measure_id: str, geography: geo.Geography | None = None) -> pd.Series:
    """The values of a base measure, indexed by kommunenummer (bundled map by default)."""
    units = (geography or geo.bundled()).units.set_index("kommunenummer")
    return units[_COLUMNS[measure_id]].astype(float)


# ---------------------------------------------------------------------------
# Indicators from the catalogue as map measures (any indicator with figures)
# ---------------------------------------------------------------------------

#: Indicators already offered as base measures.
_BASE_INDICATORS = frozenset({"pop_total", "area_km2", "density"})


@dataclass(frozen=True)
class IndicatorMeasure:
    """A catalogue indicator as a map measure: its newest year's figures."""

    id: str
    indicator_id: str
    year: int
    log_scale: bool = False
    decimals: int = 0
    #: The catalogue entry of the figures' engine (a Swedish workspace names Swedish sources).
    indicator: Any = field(default=None, compare=False, repr=False)

    def _entry(self) -> Any:
        return self.indicator if self.indicator is not None else indicators.load_catalogue()[self.indicator_id]

    def label(self, lang: str = "nb") -> str:
        return self._entry().name(lang)

    def unit(self, lang: str = "nb") -> str:
        return self._entry().unit_label(lang)

    def source(self, lang: str = "nb") -> str:
        return f"{self._entry().source_label(lang)}, {self.year}"


_MEASURES_OF: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def indicator_measures(data: indicators.IndicatorData) -> tuple[IndicatorMeasure, ...]:
    """Every catalogued indicator with figures (newest year), in catalogue order.

    Worked out once per indicator data set (which does not change once built).
    """
    with contextlib.suppress(KeyError, TypeError):
        return _MEASURES_OF[data]
    found = _indicator_measures(data)
    with contextlib.suppress(TypeError):  # not weakly referenceable: no memo
        _MEASURES_OF[data] = found
    return found


def _indicator_measures(data: indicators.IndicatorData) -> tuple[IndicatorMeasure, ...]:
    out = []
    for ident, ind in data.catalogue.items():
        years = data.years(ident)
        if not years or ident in _BASE_INDICATORS:
            continue
        log = ind.similarity_log or (ind.rule.kind == "sum" and ind.unit in ("persons", "nok_1000"))
        out.append(IndicatorMeasure(f"indicator:{ident}", ident, years[-1], log_scale=log,
                                    decimals=ind.decimals, indicator=ind))
    return tuple(out)


def map_measures(data: indicators.IndicatorData) -> tuple[MapMeasure | IndicatorMeasure, ...]:
    """The base measures followed by every indicator with figures."""
    return (*BASE_MEASURES, *indicator_measures(data))


def measure_values(measure: MapMeasure | IndicatorMeasure, data: indicators.IndicatorData,
                   geography: geo.Geography | None = None) -> pd.Series:
    """A measure's figures indexed by kommunenummer (NaN where a unit has none)."""
    if isinstance(measure, IndicatorMeasure):
        values, _year = indicators.map_values(data, measure.indicator_id)
        return values
    return base_measure_values(measure.id, geography)


def available_measures(data: indicators.IndicatorData, geography: geo.Geography | None = None,
                       ) -> tuple[MapMeasure | IndicatorMeasure, ...]:
    """The measures with at least one figure for ``geography``'s municipalities.

    A Swedish workspace has population, area and density and the indicators of its
    bundled and imported Kolada figures; a measure with figures only for another
    country's municipalities (or none at all) is not offered as an empty map.
    """
    geography = geography or geo.bundled()
    with contextlib.suppress(KeyError, TypeError):
        return _AVAILABLE[data][geography]
    found = _available_measures(data, geography)
    with contextlib.suppress(TypeError):  # not weakly referenceable: no memo
        _AVAILABLE.setdefault(data, weakref.WeakKeyDictionary())[geography] = found
    return found


#: Measures with figures, per indicator data set and geography (neither changes once built).
_AVAILABLE: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_BY_ID: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def measures_by_id(data: indicators.IndicatorData, geography: geo.Geography | None = None,
                   ) -> dict[str, MapMeasure | IndicatorMeasure]:
    """:func:`available_measures` by id (the same dict for the same data and geography: do not change it)."""
    geography = geography or geo.bundled()
    with contextlib.suppress(KeyError, TypeError):
        return _BY_ID[data][geography]
    found = {m.id: m for m in available_measures(data, geography)}
    with contextlib.suppress(TypeError):
        _BY_ID.setdefault(data, weakref.WeakKeyDictionary())[geography] = found
    return found


def _available_measures(data: indicators.IndicatorData, geography: geo.Geography,
                        ) -> tuple[MapMeasure | IndicatorMeasure, ...]:
    codes = geography.units["kommunenummer"].astype(str)
    out = []
    for measure in map_measures(data):
        try:
            values = measure_values(measure, data, geography)
        except KeyError:  # a base column the geography does not have
            continue
        if values.reindex(codes).notna().any():
            out.append(measure)
    return tuple(out)
