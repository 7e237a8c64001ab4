"""Indicators: the catalogue, the values table, aggregation for regions, benchmarking
and the similar-municipalities search.

Why a module of its own: merge tools commonly average ratios or add up indices.
Here every indicator carries its aggregation rule in the catalogue
(``catalogues/indicators.yaml``) and a region's figure is always built by that
rule from its members' figures:

* ``sum``: counts are added;
* ``ratio:<num>/<den>``: the ratio is recomputed from the summed numerators and
  denominators (when only the members' ratios and denominators are known, the
  numerators are recovered as ``value * den / scale``; the result is the same);
* ``weighted_mean:<weight>``: a mean weighted by, e.g., population, used only where
  no numerator/denominator exists and always labelled as such;
* ``not_aggregable``: medians, ranks, classes and indices; shown per member, never
  as a combined value.

A region's history is built from its members' history year by year, so a merged
unit without figures of its own still has a trend.

The package is split by concern: ``catalogue`` (the indicator definitions),
``values`` (bundled and uploaded figures in long form), ``aggregation`` (combining
members by the rule), ``benchmarking`` (cards, panels, positions, similarity) and
``engine`` (:class:`IndicatorData`, which joins them). Everything public is
importable from ``kommunestrategi.indicators`` as before.
"""

from __future__ import annotations

from kommunestrategi import geo
from kommunestrategi.config import BUNDLED_DATA_DIR
from kommunestrategi.indicators.aggregation import Combined
from kommunestrategi.indicators.benchmarking import Card, GroupFigure, Panel
from kommunestrategi.indicators.catalogue import (
    AGGREGATION_KINDS,
    BUNDLED_VERSION,
    CATALOGUE_PATH,
    DEFAULT_SIMILARITY,
    DIMENSIONS,
    DIRECTIONS,
    OPTIONAL_FIELDS,
    REQUIRED_FIELDS,
    SECTORS,
    UNITS,
    VALUE_COLUMNS,
    AggregationRule,
    Indicator,
    IndicatorCatalogueError,
    catalogue_frame,
    load_catalogue,
    parse_catalogue,
)
from kommunestrategi.indicators.engine import (
    AGE_GROUPS,
    IndicatorData,
    build_data,
    bundled_data,
    growth,
    map_values,
    trend_growth,
)
from kommunestrategi.indicators.values import bundled_values, combine_values, uploaded_values

__all__ = [
    "AGE_GROUPS", "AGGREGATION_KINDS", "BUNDLED_DATA_DIR", "BUNDLED_VERSION", "CATALOGUE_PATH",
    "DEFAULT_SIMILARITY", "DIMENSIONS", "DIRECTIONS", "OPTIONAL_FIELDS", "REQUIRED_FIELDS",
    "SECTORS", "UNITS", "VALUE_COLUMNS", "AggregationRule", "Card", "Combined", "GroupFigure",
    "Indicator", "IndicatorCatalogueError", "IndicatorData", "Panel", "build_data",
    "bundled_data", "bundled_values", "catalogue_frame", "combine_values", "geo", "growth",
    "load_catalogue", "map_values", "parse_catalogue", "trend_growth", "uploaded_values",
]
