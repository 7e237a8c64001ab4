"""Aggregation: a set of municipalities' figure built by the indicator's rule
(sum, ratio of summed parts, weighted mean, or not aggregable), year by year."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


@dataclass(frozen=True)
class Combined:
    """A figure for a set of municipalities and how it was obtained.

    ``method``: ``value`` (one municipality's own figure), ``sum``, ``ratio``
    (summed numerator / summed denominator), ``ratio_derived`` (the same, numerators
    recovered from members' ratios), ``weighted_mean``, ``not_aggregable`` or
    ``missing``. ``missing`` lists members without the figures needed.
    """

    value: float | None
    method: str
    missing: tuple[str, ...] = ()
    weight: str | None = None



class AggregationMixin:
    """Combining members' figures; mixed into :class:`IndicatorData`."""

    def combine(self, ident: str, year: int, idx: np.ndarray, *, skip_missing: bool = False) -> Combined:
        """The figure of the units at ``idx`` by the indicator's aggregation rule.

        With ``skip_missing`` members lacking figures are left out (for comparison
        groups); otherwise a missing member makes the result ``missing``.
        """
        ind = self.catalogue[ident]
        rule = ind.rule
        if len(idx) == 1 and not skip_missing:
            value = self.series(ident, year)[idx[0]]
            if np.isnan(value):
                return Combined(None, "missing", (self.codes[idx[0]],))
            return Combined(float(value), "value")
        if rule.kind == "not_aggregable":
            return Combined(None, "not_aggregable")
        values = self.series(ident, year)[idx]
        if rule.kind == "sum":
            ok = ~np.isnan(values)
            return self._finish(idx, ok, skip_missing, lambda m: float(values[m].sum()), "sum")
        if rule.kind == "weighted_mean":
            weights = self._nearest(rule.weight, year)[idx]
            ok = ~np.isnan(values) & ~np.isnan(weights)

            def mean(m: np.ndarray) -> float | None:
                total = weights[m].sum()
                return float((values[m] * weights[m]).sum() / total) if total > 0 else None
            return self._finish(idx, ok, skip_missing, mean, "weighted_mean", rule.weight)
        num = self._array(rule.numerator, year, len(self.codes))[idx]
        den = self._array(rule.denominator, year, len(self.codes))[idx]
        direct = ~np.isnan(num) & ~np.isnan(den)
        if not direct.all():
            # members with only their ratio: numerator = ratio * denominator / scale,
            # the denominator taken from the nearest year when that year has none
            den = np.where(np.isnan(den), self._nearest(rule.denominator, year)[idx], den)
        derived_num = values * den / ind.scale
        use_derived = ~direct & ~np.isnan(derived_num)
        num = np.where(direct, num, derived_num)
        ok = direct | use_derived
        method = "ratio_derived" if use_derived[ok].any() else "ratio"

        def ratio(m: np.ndarray) -> float | None:
            total = den[m].sum()
            return float(num[m].sum() / total * ind.scale) if total > 0 else None
        return self._finish(idx, ok, skip_missing, ratio, method)

    def _array(self, ident: str | None, year: int, n: int) -> np.ndarray:
        arr = self._raw.get(ident or "", {}).get(year)
        return arr if arr is not None else np.full(n, np.nan)

    def _nearest(self, ident: str | None, year: int) -> np.ndarray:
        """A count's figures in ``year``, or in the nearest year that has them
        (the latest earlier year first): weights and denominators change slowly."""
        years = self._raw.get(ident or "", {})
        if not years:
            return np.full(len(self.codes), np.nan)
        if year in years:
            return years[year]
        earlier = [y for y in years if y < year]
        return years[max(earlier)] if earlier else years[min(years)]

    def _finish(self, idx: np.ndarray, ok: np.ndarray, skip_missing: bool, compute, method: str,
                weight: str | None = None) -> Combined:
        if skip_missing:
            if not ok.any():
                return Combined(None, "missing")
            return Combined(compute(ok), method, weight=weight)
        if not ok.all():
            return Combined(None, "missing", tuple(self.codes[i] for i in idx[~ok]), weight)
        return Combined(compute(ok), method, weight=weight)

    def history(self, ident: str, codes: Sequence[str]) -> pd.DataFrame:
        """The subject's figure for every year (``year, value, method``).

        For a region, each year is combined from the members' figures of that year;
        years where a member lacks a figure are left out, never half-summed.
        """
        idx = self.index(codes)
        rows = []
        for year in self.years(ident):
            combined = self.combine(ident, year, idx)
            if combined.value is not None:
                rows.append({"year": year, "value": combined.value, "method": combined.method})
        return pd.DataFrame(rows, columns=["year", "value", "method"])

    def group_history(self, ident: str, idx: np.ndarray) -> pd.DataFrame:
        """A comparison group's figure for every year, from the members that have one."""
        rows = []
        for year in self.years(ident):
            combined = self.combine(ident, year, idx, skip_missing=True)
            if combined.value is not None:
                rows.append({"year": year, "value": combined.value, "method": combined.method})
        return pd.DataFrame(rows, columns=["year", "value", "method"])

    def latest(self, ident: str, idx: np.ndarray) -> tuple[int | None, Combined]:
        """The newest year in which the subject's figure can be formed, and the figure."""
        first: Combined | None = None
        for year in reversed(self.years(ident)):
            combined = self.combine(ident, year, idx)
            if combined.value is not None:
                return year, combined
            first = first or combined
        return None, first or Combined(None, "missing")

