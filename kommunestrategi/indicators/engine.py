"""The engine: indicator values as arrays over all map units, per indicator and
year, with the demography views and the shared bundled instance."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from kommunestrategi import geo
from kommunestrategi.indicators.aggregation import AggregationMixin
from kommunestrategi.indicators.benchmarking import BenchmarkMixin
from kommunestrategi.indicators.catalogue import Indicator, load_catalogue
from kommunestrategi.indicators.values import bundled_values, combine_values

#: The age groups of SSB 07459 as bundled, youngest first.
AGE_GROUPS: tuple[str, ...] = ("pop_0_5", "pop_6_15", "pop_16_66", "pop_67_79", "pop_80_plus")


class IndicatorData(AggregationMixin, BenchmarkMixin):
    """Indicator values as arrays over all map units, per indicator and year.

    Built once from a values table (bundled plus uploads); panels, region figures
    and the similarity search all read from it, so a panel is a few array lookups.
    """

    def __init__(self, values: pd.DataFrame, catalogue: Mapping[str, Indicator] | None = None,
                 units: pd.DataFrame | None = None) -> None:
        self.catalogue = dict(catalogue or load_catalogue())
        self.units = (units if units is not None else geo.load_units()).reset_index(drop=True).copy()
        for column in ("county", "kostragruppe"):
            self.units[column] = self.units[column].fillna("").astype(str) if column in self.units else ""
        self.units["name"] = self.units["name"].fillna(self.units["kommunenummer"])
        self.codes: list[str] = list(self.units["kommunenummer"])
        self.pos: dict[str, int] = {c: i for i, c in enumerate(self.codes)}
        self.names: dict[str, str] = dict(zip(self.codes, self.units["name"], strict=True))
        n = len(self.codes)
        self._raw: dict[str, dict[int, np.ndarray]] = {}
        self._versions: dict[str, tuple[str, ...]] = {}
        values = values[values["indicator_id"].isin(self.catalogue)
                        & values["kommunenummer"].isin(self.pos)]
        position = values["kommunenummer"].map(self.pos).to_numpy()
        for (ident, year), idx in values.groupby(["indicator_id", "year"], sort=True).indices.items():
            arr = np.full(n, np.nan)
            arr[position[idx]] = values["value"].to_numpy(dtype=float)[idx]
            self._raw.setdefault(ident, {})[int(year)] = arr
        if "dataset_version" in values:
            for ident, versions in values.groupby("indicator_id")["dataset_version"].unique().items():
                self._versions[ident] = tuple(sorted(map(str, versions)))
        self._series: dict[tuple[str, int], np.ndarray] = {}
        self._stats: dict[tuple, object] = {}
        self.groups: dict[str, dict[str, np.ndarray]] = {
            "county": self._group_index("county"),
            "kostragruppe": self._group_index("kostragruppe"),
        }
        self.all_index = np.arange(n)
        self._county = self.units["county"].to_numpy(dtype=object)
        self._kostragruppe = self.units["kostragruppe"].to_numpy(dtype=object)
        self._years: dict[str, list[int]] = {}

    def _group_index(self, column: str) -> dict[str, np.ndarray]:
        return {str(k): np.asarray(v) for k, v in self.units.groupby(column).indices.items() if str(k)}

    # -- raw and derived series -------------------------------------------------
    def years(self, ident: str) -> list[int]:
        """Years with at least one figure (own or computed from numerator/denominator)."""
        cached = self._years.get(ident)
        if cached is None:
            ind = self.catalogue[ident]
            years = set(self._raw.get(ident, {}))
            if ind.rule.kind == "ratio":
                years |= (set(self._raw.get(ind.rule.numerator, {}))
                          & set(self._raw.get(ind.rule.denominator, {})))
            cached = self._years[ident] = sorted(years)
        return cached

    def has_data(self, ident: str) -> bool:
        return bool(self.years(ident))

    def series(self, ident: str, year: int) -> np.ndarray:
        """Values of an indicator in a year for all units (NaN where missing).

        A ratio indicator is computed from its numerator and denominator where the
        municipality has no figure of its own.
        """
        key = (ident, year)
        cached = self._series.get(key)
        if cached is not None:
            return cached
        n = len(self.codes)
        raw = self._raw.get(ident, {}).get(year)
        arr = raw.copy() if raw is not None else np.full(n, np.nan)
        rule = self.catalogue[ident].rule
        if rule.kind == "ratio":
            num = self._raw.get(rule.numerator, {}).get(year)
            den = self._raw.get(rule.denominator, {}).get(year)
            if num is not None and den is not None:
                with np.errstate(divide="ignore", invalid="ignore"):
                    computed = np.where(den > 0, num / den * self.catalogue[ident].scale, np.nan)
                arr = np.where(np.isnan(arr), computed, arr)
        arr.setflags(write=False)
        self._series[key] = arr
        return arr

    def raw(self, ident: str, year: int) -> np.ndarray | None:
        return self._raw.get(ident, {}).get(year)

    def versions(self, ident: str) -> tuple[str, ...]:
        """Dataset versions behind an indicator's figures (its own and its ratio parts)."""
        key = ("versions", ident)
        if key not in self._stats:
            ind = self.catalogue[ident]
            refs = (ident, *ind.rule.references()) if ind.rule.kind == "ratio" else (ident,)
            self._stats[key] = tuple(sorted({str(v) for r in refs for v in self._versions.get(r, ())}))
        return self._stats[key]

    def index(self, codes: Iterable[str]) -> np.ndarray:
        """Positions of ``codes``; raises KeyError naming an unknown number."""
        return np.fromiter((self.pos[c] for c in codes), dtype=int)


    # -- demography ---------------------------------------------------------------
    def age_structure(self, codes: Sequence[str], year: int | None = None, *,
                      skip_missing: bool = False) -> pd.DataFrame:
        """Inhabitants per age group for the subject (``group, value, share, year``).

        ``skip_missing`` sums over the units that have figures (for the country as a
        reference); otherwise a unit without figures leaves the groups empty.
        """
        idx = self.index(codes)
        years = sorted(set.intersection(*(set(self.years(g)) for g in AGE_GROUPS)))
        if not years:
            return pd.DataFrame(columns=["group", "value", "share", "year"])
        year = year if year in years else years[-1]
        values = [self.combine(g, year, idx, skip_missing=skip_missing).value for g in AGE_GROUPS]
        total = sum(v for v in values if v is not None)
        return pd.DataFrame({"group": list(AGE_GROUPS), "value": values,
                             "share": [v / total if v is not None and total else None for v in values],
                             "year": year})

    def projection(self, codes: Sequence[str]) -> pd.DataFrame:
        """Observed and projected inhabitants, total and 80+ (``year, series, value, kind``).

        ``kind`` is ``observed`` (SSB 07459) or ``projected`` (SSB's projection,
        when imported). Without a projection only the observed years are returned.
        """
        rows = []
        for series, observed_id, projected_id in (("total", "pop_total", "proj_pop_total"),
                                                 ("80_plus", "pop_80_plus", "proj_pop_80_plus")):
            for kind, ident in (("observed", observed_id), ("projected", projected_id)):
                history = self.history(ident, codes)
                for year, value in zip(history["year"], history["value"], strict=True):
                    rows.append({"year": int(year), "series": series, "value": value, "kind": kind})
        frame = pd.DataFrame(rows, columns=["year", "series", "value", "kind"])
        observed_years = set(frame.loc[frame["kind"] == "observed", "year"])
        dup = (frame["kind"] == "projected") & frame["year"].isin(observed_years)
        return frame[~dup].sort_values(["series", "year"]).reset_index(drop=True)



def growth(frame: pd.DataFrame, series: str, start: int, end: int) -> float | None:
    """Relative change of a projection series between two years (0.25 = +25 %)."""
    part = frame[frame["series"] == series].set_index("year")["value"]
    if start not in part.index or end not in part.index or not part[start]:
        return None
    return float(part[end] / part[start] - 1)


def trend_growth(frame: pd.DataFrame, series: str) -> tuple[int, int, float] | None:
    """The change over the observed years of a series: (first year, last year, change)."""
    part = frame[(frame["series"] == series) & (frame["kind"] == "observed")]
    if len(part) < 2:
        return None
    first, last = part.iloc[0], part.iloc[-1]
    if not first["value"]:
        return None
    return int(first["year"]), int(last["year"]), float(last["value"] / first["value"] - 1)


@lru_cache(maxsize=1)
def bundled_data() -> IndicatorData:
    """The engine over the bundled figures and map units (shared by pages and the CLI)."""
    return IndicatorData(bundled_values())


def build_data(uploaded: pd.DataFrame | None = None, units: pd.DataFrame | None = None,
               catalogue: Mapping[str, Indicator] | None = None) -> IndicatorData:
    """The engine over bundled plus uploaded figures, on the bundled map units or on
    ``units`` of another geography; ``catalogue`` is the workspace's (the bundled
    catalogue plus its own indicators, ``indicators.workspace.workspace_catalogue``)."""
    own = catalogue is not None and set(catalogue) != set(load_catalogue())
    if units is None and (uploaded is None or not len(uploaded)) and not own:
        return bundled_data()
    values = combine_values(bundled_values(units), uploaded, units, catalogue)
    return IndicatorData(values, catalogue=catalogue, units=units)


def map_values(data: IndicatorData, ident: str) -> tuple[pd.Series, int | None]:
    """An indicator's newest figures for every unit (for the map) and their year."""
    years = data.years(ident)
    if not years:
        return pd.Series(np.nan, index=data.codes, dtype=float), None
    year = years[-1]
    return pd.Series(data.series(ident, year), index=data.codes, dtype=float), year
