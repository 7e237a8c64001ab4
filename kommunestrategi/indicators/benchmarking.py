"""Benchmarking: cards and panels (value, comparison groups, rank and quartile)
and the similar-municipalities search."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from kommunestrategi.indicators.catalogue import DIMENSIONS, Indicator


@dataclass(frozen=True)
class GroupFigure:
    """A comparison group's figure: combined by the rule, or the members' median."""

    key: str
    label: str
    value: float | None
    kind: str  # "combined" or "median"
    count: int
    method: str = ""


@dataclass
class Card:
    """An indicator for one subject: value, year, comparison and position."""

    indicator: Indicator
    status: str  # ok | no_data | not_aggregable | incomplete
    value: float | None = None
    year: int | None = None
    method: str = ""
    rank: int | None = None
    ranked: int = 0
    percentile: float | None = None
    quartile: int | None = None  # 1 = best (or largest for neutral) quarter
    best_quartile: float | None = None
    in_best_quartile: bool | None = None
    comparisons: list[GroupFigure] = field(default_factory=list)
    small_number: bool = False
    small_base_value: float | None = None
    missing: tuple[str, ...] = ()
    member_values: tuple[tuple[str, float | None], ...] = ()
    versions: tuple[str, ...] = ()


@dataclass
class Panel:
    """All cards for a subject (one municipality or a set of them)."""

    codes: tuple[str, ...]
    cards: list[Card]

    @property
    def with_data(self) -> list[Card]:
        return [c for c in self.cards if c.status != "no_data"]

    @property
    def no_data(self) -> list[Card]:
        return [c for c in self.cards if c.status == "no_data"]

    def card(self, indicator_id: str) -> Card:
        return next(c for c in self.cards if c.indicator.id == indicator_id)

    def grouped(self) -> dict[str, dict[str, list[Card]]]:
        """Cards with data by dimension, then sector, in catalogue order."""
        out: dict[str, dict[str, list[Card]]] = {}
        for dim in DIMENSIONS:
            for card in self.with_data:
                if card.indicator.dimension == dim:
                    out.setdefault(dim, {}).setdefault(card.indicator.sector, []).append(card)
        return out



class BenchmarkMixin:
    """Comparison groups, positions, panels and similarity; mixed into :class:`IndicatorData`."""

    # -- national statistics per indicator and year (cached) ----------------------
    def group_figure(self, ident: str, year: int, key: str, label: str, idx: np.ndarray,
                     *, cache_key: tuple | None = None) -> GroupFigure:
        """A comparison group's figure: combined by the rule for ratios and weighted
        means, the median of the members for counts and non-aggregable figures."""
        full = ("group", ident, year, *cache_key) if cache_key else None
        if full and full in self._stats:
            return self._stats[full]
        ind = self.catalogue[ident]
        values = self.series(ident, year)[idx]
        present = values[~np.isnan(values)]
        if ind.rule.kind in ("ratio", "weighted_mean"):
            combined = self.combine(ident, year, idx, skip_missing=True)
            figure = GroupFigure(key, label, combined.value, "combined", int(present.size),
                                 combined.method)
        else:
            median = float(np.median(present)) if present.size else None
            figure = GroupFigure(key, label, median, "median", int(present.size), "median")
        if full:
            self._stats[full] = figure
        return figure

    def _field(self, ident: str, year: int) -> tuple[np.ndarray, tuple[float, float]]:
        """All municipalities' figures sorted, and their 25th and 75th percentiles."""
        key = ("field", ident, year)
        cached = self._stats.get(key)
        if cached is None:
            arr = self.series(ident, year)
            ordered = np.sort(arr[~np.isnan(arr)])
            quartiles = tuple(float(q) for q in np.quantile(ordered, [0.25, 0.75])) if ordered.size else (
                math.nan, math.nan)
            cached = self._stats[key] = (ordered, quartiles)
        return cached

    def position(self, ident: str, year: int, value: float, members: np.ndarray) -> dict:
        """Rank, percentile, quartile and the best-quartile threshold of ``value``.

        The subject (one municipality or a region as one unit) is placed among all
        other municipalities with a figure; its own members are left out of the
        field. Rank 1 is the best (the largest for neutral indicators); percentile
        100 is the top.
        """
        ind = self.catalogue[ident]
        lower_better = ind.direction == "lower_is_better"
        series = self.series(ident, year)
        if len(members) == 1 and series[members[0]] == value:
            # one municipality: the field is everyone with a figure (cached, sorted)
            ordered, quartiles = self._field(ident, year)
            total = int(ordered.size)
            if lower_better:
                better = int(np.searchsorted(ordered, value, side="left"))
            else:
                better = int(ordered.size - np.searchsorted(ordered, value, side="right"))
            threshold = quartiles[0] if lower_better else quartiles[1]
        else:
            mask = ~np.isnan(series)
            mask[members] = False
            others = series[mask]
            total = int(others.size) + 1
            better = int((others < value).sum()) if lower_better else int((others > value).sum())
            threshold = None
            if ind.direction != "neutral":
                field_values = np.append(others, value)
                threshold = float(np.quantile(field_values, 0.25 if lower_better else 0.75))
        if total < 2:
            return {}
        rank = better + 1
        percentile = 100.0 * (total - rank) / (total - 1)
        quartile = min(4, 1 + (rank - 1) * 4 // total)
        result = {"rank": rank, "ranked": total, "percentile": percentile, "quartile": quartile}
        if ind.direction != "neutral":
            result["best_quartile"] = threshold
            result["in_best_quartile"] = bool(value <= threshold if lower_better else value >= threshold)
        return result

    # -- panels -------------------------------------------------------------------
    def card(self, ident: str, codes: Sequence[str], *, peers: Sequence[str] = (),
             region: Sequence[str] = (), region_label: str = "") -> Card:
        """One indicator for a municipality or a set of municipalities."""
        idx = self.index(codes)
        return self._card(ident, idx, self._groups_for(idx, peers, region, region_label))

    def _groups_for(self, idx: np.ndarray, peers: Sequence[str], region: Sequence[str],
                    region_label: str) -> list[tuple[str, str, np.ndarray, tuple | None]]:
        """The comparison groups of a subject: (key, label, positions, cache key).

        County and KOSTRA group are shown when every member shares them.
        """
        groups: list[tuple[str, str, np.ndarray, tuple | None]] = []
        if peers:
            groups.append(("peers", "", self.index(peers), None))
        if region:
            groups.append(("region", region_label, self.index(region), None))
        counties = set(self._county[idx])
        if len(counties) == 1:
            county = str(counties.pop())
            if county in self.groups["county"]:
                groups.append(("county", county, self.groups["county"][county], ("county", county)))
        kostra = set(self._kostragruppe[idx])
        if len(kostra) == 1:
            group = str(kostra.pop())
            if group in self.groups["kostragruppe"]:
                groups.append(("kostragruppe", group, self.groups["kostragruppe"][group],
                               ("kostragruppe", group)))
        groups.append(("national", "", self.all_index, ("national",)))
        return groups

    def _card(self, ident: str, idx: np.ndarray, groups: list[tuple[str, str, np.ndarray, tuple | None]]
              ) -> Card:
        ind = self.catalogue[ident]
        if not self.has_data(ident):
            return Card(ind, "no_data")
        year, combined = self.latest(ident, idx)
        if combined.value is None:
            if combined.method == "not_aggregable":
                year = self.years(ident)[-1]
                vals = self.series(ident, year)[idx]
                members = tuple((self.codes[i], None if np.isnan(v) else float(v))
                                for i, v in zip(idx, vals, strict=True))
                return Card(ind, "not_aggregable", year=year, method="not_aggregable",
                            member_values=members, versions=self.versions(ident))
            return Card(ind, "incomplete", method=combined.method, missing=combined.missing,
                        versions=self.versions(ident))
        card = Card(ind, "ok", value=combined.value, year=year, method=combined.method,
                    versions=self.versions(ident))
        if ind.benchmark:
            for key_name, value in self.position(ident, year, combined.value, idx).items():
                setattr(card, key_name, value)
        card.comparisons = [self.group_figure(ident, year, key, label, members, cache_key=cache_key)
                            for key, label, members, cache_key in groups]
        if ind.small_base:
            base = self.combine(ind.small_base, year, idx)
            if base.value is None:
                _year, base = self.latest(ind.small_base, idx)
            if base.value is not None:
                card.small_base_value = base.value
                card.small_number = base.value < (ind.small_min or 0)
        return card

    def panel(self, codes: Sequence[str], *, peers: Sequence[str] = (), region: Sequence[str] = (),
              region_label: str = "", indicator_ids: Iterable[str] | None = None) -> Panel:
        """Cards for every catalogued indicator (or the ones named)."""
        codes = tuple(dict.fromkeys(codes))
        if not codes:
            raise ValueError("a panel needs at least one municipality")
        for code in codes:
            if code not in self.pos:
                raise KeyError(code)
        idx = self.index(codes)
        groups = self._groups_for(idx, peers, region, region_label)
        ids = list(indicator_ids) if indicator_ids is not None else list(self.catalogue)
        return Panel(codes, [self._card(i, idx, groups) for i in ids])

    # -- similar municipalities --------------------------------------------------
    def similar(self, code: str, weights: Mapping[str, float], n: int = 10) -> pd.DataFrame:
        """The municipalities most like ``code`` on the chosen indicators.

        Each indicator (newest year) is standardised to z-scores over the
        municipalities that have all chosen indicators (log scale first where the
        catalogue says so); the distance is the weighted Euclidean distance divided
        by the square root of the weight sum. ``code`` itself comes first with
        distance 0; ties are broken by municipality number, so the order is stable.
        Columns: ``kommunenummer, name, distance, rank``.
        """
        chosen = {k: float(w) for k, w in weights.items() if w and float(w) > 0}
        if not chosen:
            raise ValueError("choose at least one indicator with a positive weight")
        if code not in self.pos:
            raise KeyError(code)
        matrix = np.column_stack([self._similarity_column(ident) for ident in chosen])
        w = np.array(list(chosen.values()))
        complete = ~np.isnan(matrix).any(axis=1)
        me = self.pos[code]
        if not complete[me]:
            lacking = [ident for ident, col in zip(chosen, matrix.T, strict=True) if np.isnan(col[me])]
            raise ValueError(f"{code} has no value for: {', '.join(lacking)}")
        sub = matrix[complete]
        std = sub.std(axis=0)
        std[std == 0] = 1.0
        z = (matrix - sub.mean(axis=0)) / std
        dist = np.sqrt(((z - z[me]) ** 2 * w).sum(axis=1) / w.sum())
        candidates = [i for i in np.flatnonzero(complete) if i != me]
        candidates.sort(key=lambda i: (round(float(dist[i]), 9), self.codes[i]))
        chosen_idx = [me, *candidates[:max(0, n)]]
        return pd.DataFrame({
            "kommunenummer": [self.codes[i] for i in chosen_idx],
            "name": [self.names[self.codes[i]] for i in chosen_idx],
            "distance": [0.0] + [float(dist[i]) for i in chosen_idx[1:]],
            "rank": range(len(chosen_idx)),
        })

    def _similarity_column(self, ident: str) -> np.ndarray:
        years = self.years(ident)
        if not years:
            return np.full(len(self.codes), np.nan)
        values = self.series(ident, years[-1]).astype(float)
        if self.catalogue[ident].similarity_log:
            with np.errstate(divide="ignore", invalid="ignore"):
                values = np.where(values > 0, np.log(values), np.nan)
        return values
