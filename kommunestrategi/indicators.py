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
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from kommunestrategi import geo
from kommunestrategi.config import BUNDLED_DATA_DIR
from kommunestrategi.i18n import LANGUAGES, normalise_language, t

CATALOGUE_PATH = Path(__file__).resolve().parent / "catalogues" / "indicators.yaml"

DIMENSIONS: tuple[str, ...] = ("quality", "coverage", "resource_use", "priority",
                               "demography", "economy", "workforce")
DIRECTIONS: tuple[str, ...] = ("higher_is_better", "lower_is_better", "neutral")
#: Sectors in display order (labels: ``indicators.sector.<code>``).
SECTORS: tuple[str, ...] = ("befolkning", "geografi", "okonomi", "barnehage", "grunnskole",
                            "pleie_omsorg", "helse", "sosial", "barnevern", "administrasjon",
                            "ikt", "arbeidsgiver", "samlet")
#: Unit codes with their default number of decimals (labels: ``indicators.unit.<code>``).
UNITS: dict[str, int] = {
    "persons": 0, "percent": 1, "nok_per_inhabitant": 0, "nok_1000": 0, "km2": 1,
    "per_km2": 1, "index": 3, "class": 0, "municipalities": 0, "per_10000": 1,
    "person_years": 1, "pupils": 1, "points": 1, "rank": 0, "days": 0, "places": 0,
    "nok_1000_per_place": 0,
}
AGGREGATION_KINDS: tuple[str, ...] = ("sum", "ratio", "weighted_mean", "not_aggregable")
REQUIRED_FIELDS: tuple[str, ...] = ("id", "name_nb", "name_en", "name_sv", "unit", "dimension",
                                    "sector", "direction", "aggregation", "source", "ssb_table")
OPTIONAL_FIELDS: tuple[str, ...] = ("scale", "decimals", "min", "max", "small_base", "small_min",
                                    "similarity_log", "benchmark")
#: The dataset version of the figures bundled with the app.
BUNDLED_VERSION = "bundled"
VALUE_COLUMNS: tuple[str, ...] = ("kommunenummer", "indicator_id", "year", "value", "dataset_version")
#: Indicators the similarity search starts with.
DEFAULT_SIMILARITY: dict[str, float] = {
    "pop_total": 1.0, "density": 1.0, "share_80_plus": 1.0, "centrality": 1.0, "cost_need_index": 1.0,
}
_ID = re.compile(r"^[a-z][a-z0-9_]*$")


class IndicatorCatalogueError(ValueError):
    """The indicator catalogue file is malformed; the message lists every problem."""


@dataclass(frozen=True)
class AggregationRule:
    """How members' figures combine: ``kind`` plus the ids the rule refers to."""

    kind: str
    numerator: str | None = None
    denominator: str | None = None
    weight: str | None = None

    @classmethod
    def parse(cls, text: str) -> AggregationRule:
        """``sum``, ``ratio:a/b``, ``weighted_mean:w`` or ``not_aggregable``; ValueError otherwise."""
        text = str(text).strip()
        if text in ("sum", "not_aggregable"):
            return cls(text)
        kind, _sep, rest = text.partition(":")
        if kind == "ratio":
            num, slash, den = rest.partition("/")
            if slash and num and den:
                return cls("ratio", numerator=num.strip(), denominator=den.strip())
        if kind == "weighted_mean" and rest.strip():
            return cls("weighted_mean", weight=rest.strip())
        raise ValueError(
            f"aggregation {text!r} is not one of sum, ratio:<num>/<den>, weighted_mean:<weight>, "
            "not_aggregable")

    def references(self) -> tuple[str, ...]:
        return tuple(x for x in (self.numerator, self.denominator, self.weight) if x)


@dataclass(frozen=True)
class Indicator:
    """One catalogue entry (the canonical ``indicator_catalogue`` row)."""

    id: str
    names: Mapping[str, str]
    unit: str
    dimension: str
    sector: str
    direction: str
    aggregation: str
    source: str
    ssb_table: str
    rule: AggregationRule
    scale: float = 1.0
    decimals: int = 0
    min: float | None = None
    max: float | None = None
    small_base: str | None = None
    small_min: float | None = None
    similarity_log: bool = False
    benchmark: bool = True

    def name(self, lang: str = "nb") -> str:
        return self.names[normalise_language(lang)]

    def unit_label(self, lang: str = "nb") -> str:
        return t(f"indicators.unit.{self.unit}", lang)

    def source_label(self, lang: str = "nb") -> str:
        """The source with its SSB table, e.g. ``SSB KOSTRA, tabell 12362``."""
        if self.ssb_table:
            return t("indicators.source_table", lang, source=self.source, table=self.ssb_table)
        return self.source

    def how_to_get(self, lang: str = "nb") -> str:
        """Where the figures come from when the app has none yet."""
        if self.ssb_table and self.ssb_table in _fetchable_tables():
            return t("indicators.get.fetch", lang, table=self.ssb_table)
        if self.ssb_table:
            return t("indicators.get.download", lang, table=self.ssb_table)
        return t("indicators.get.upload", lang, source=self.source)

    def as_row(self) -> dict[str, object]:
        """The canonical table row (``indicator_id, name_nb, ..., ssb_table``)."""
        return {"indicator_id": self.id, **{f"name_{lang}": self.names[lang] for lang in LANGUAGES},
                "unit": self.unit, "dimension": self.dimension, "sector": self.sector,
                "direction": self.direction, "aggregation": self.aggregation, "source": self.source,
                "ssb_table": self.ssb_table}


def _fetchable_tables() -> frozenset[str]:
    """SSB tables the app's own client can fetch (empty if that catalogue is unreadable)."""
    try:
        from kommunestrategi.io import ssb
        return frozenset(ssb.known_tables())
    except Exception:  # noqa: BLE001 - without the client, every table is "download and upload"
        return frozenset()


# ---------------------------------------------------------------------------
# Catalogue loading and validation
# ---------------------------------------------------------------------------

def _number(entry: dict, key: str, problems: list[str], where: str) -> float | None:
    value = entry.get(key)
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or math.isnan(float(value)):
        problems.append(f"{where}: {key} must be a number, not {value!r}")
        return None
    return float(value)


def _flag(entry: dict, key: str, default: bool, problems: list[str], where: str) -> bool:
    value = entry.get(key, default)
    if not isinstance(value, bool):
        problems.append(f"{where}: {key} must be true or false, not {value!r}")
        return default
    return value


def _parse_entry(entry: object, position: int, problems: list[str]) -> Indicator | None:
    """One entry as an Indicator, appending every problem found (None if unusable)."""
    if not isinstance(entry, dict):
        problems.append(f"entry {position}: expected a mapping of fields, got {type(entry).__name__}")
        return None
    ident = entry.get("id")
    where = f"entry {position} (id {ident!r})"
    count = len(problems)
    unknown = sorted(set(entry) - set(REQUIRED_FIELDS) - set(OPTIONAL_FIELDS))
    if unknown:
        problems.append(f"{where}: unknown field(s) {', '.join(unknown)}")
    for key in REQUIRED_FIELDS:
        value = entry.get(key)
        if value is None or not isinstance(value, str) or (key != "ssb_table" and not value.strip()):
            problems.append(f"{where}: {key} is missing or not text")
    if len(problems) > count:
        return None
    if not _ID.match(ident):
        problems.append(f"{where}: id must be lower-case letters, digits and _ (starting with a letter)")
    checks = (("dimension", DIMENSIONS), ("direction", DIRECTIONS), ("sector", SECTORS),
              ("unit", tuple(UNITS)))
    for key, allowed in checks:
        if entry[key] not in allowed:
            problems.append(f"{where}: {key} {entry[key]!r} is not one of {', '.join(allowed)}")
    try:
        rule = AggregationRule.parse(entry["aggregation"])
    except ValueError as exc:
        problems.append(f"{where}: {exc}")
        rule = AggregationRule("not_aggregable")
    table = entry["ssb_table"].strip()
    if table and not re.fullmatch(r"\d{5}", table):
        problems.append(f"{where}: ssb_table {table!r} is not a five-digit SSB table number")
    scale = _number(entry, "scale", problems, where)
    if scale is not None and scale <= 0:
        problems.append(f"{where}: scale must be positive")
    if scale is not None and rule.kind != "ratio":
        problems.append(f"{where}: scale is only meaningful for ratio indicators")
    decimals = entry.get("decimals", UNITS.get(entry["unit"], 0))
    if isinstance(decimals, bool) or not isinstance(decimals, int) or not 0 <= decimals <= 6:
        problems.append(f"{where}: decimals must be a whole number 0-6")
        decimals = 0
    low, high = _number(entry, "min", problems, where), _number(entry, "max", problems, where)
    if low is not None and high is not None and low > high:
        problems.append(f"{where}: min {low} is above max {high}")
    small_base = entry.get("small_base")
    small_min = _number(entry, "small_min", problems, where)
    if (small_base is None) != (small_min is None):
        problems.append(f"{where}: small_base and small_min go together")
    if len(problems) > count:
        return None
    return Indicator(
        id=ident, names={lang: entry[f"name_{lang}"].strip() for lang in LANGUAGES},
        unit=entry["unit"], dimension=entry["dimension"], sector=entry["sector"],
        direction=entry["direction"], aggregation=entry["aggregation"].strip(),
        source=entry["source"].strip(), ssb_table=table, rule=rule,
        scale=scale if scale is not None else 1.0, decimals=decimals, min=low, max=high,
        small_base=small_base, small_min=small_min,
        similarity_log=_flag(entry, "similarity_log", False, problems, where),
        benchmark=_flag(entry, "benchmark", True, problems, where),
    )


def _check_references(catalogue: dict[str, Indicator], problems: list[str]) -> None:
    """Rules must point at catalogued indicators that can themselves be summed."""
    for ind in catalogue.values():
        where = f"indicator {ind.id!r}"
        for ref in ind.rule.references():
            target = catalogue.get(ref)
            if target is None:
                problems.append(f"{where}: aggregation refers to unknown indicator {ref!r}")
            elif ref == ind.id:
                problems.append(f"{where}: aggregation refers to itself")
            elif target.rule.kind != "sum":
                problems.append(f"{where}: {ref!r} is used as numerator, denominator or weight "
                                f"but is not a count (aggregation sum)")
        if ind.small_base and ind.small_base not in catalogue:
            problems.append(f"{where}: small_base refers to unknown indicator {ind.small_base!r}")


def parse_catalogue(text: str, name: str = CATALOGUE_PATH.name) -> dict[str, Indicator]:
    """Parse and validate catalogue YAML; raises IndicatorCatalogueError listing all problems."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise IndicatorCatalogueError(f"{name}: not valid YAML: {exc}") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("indicators"), list):
        raise IndicatorCatalogueError(f"{name}: expected a top-level 'indicators:' list")
    problems: list[str] = []
    catalogue: dict[str, Indicator] = {}
    for position, entry in enumerate(doc["indicators"], start=1):
        ind = _parse_entry(entry, position, problems)
        if ind is None:
            continue
        if ind.id in catalogue:
            problems.append(f"entry {position}: duplicate id {ind.id!r}")
            continue
        catalogue[ind.id] = ind
    if not problems:
        _check_references(catalogue, problems)
    if problems:
        raise IndicatorCatalogueError(f"{name}: " + "; ".join(problems))
    return catalogue


@lru_cache(maxsize=4)
def load_catalogue(path: Path | None = None) -> dict[str, Indicator]:
    """The indicator catalogue, validated (cached; read once per process)."""
    path = Path(path) if path else CATALOGUE_PATH
    return parse_catalogue(path.read_text(encoding="utf-8"), path.name)


def catalogue_frame(lang: str = "nb") -> pd.DataFrame:
    """The catalogue as the canonical ``indicator_catalogue`` table."""
    return pd.DataFrame([ind.as_row() for ind in load_catalogue().values()])


# ---------------------------------------------------------------------------
# Values: bundled facts plus uploaded datasets
# ---------------------------------------------------------------------------

_FACTS = (("pop_total", "population_2024", 2024), ("area_km2", "area_km2", 2024),
          ("centrality", "centrality", 2024), ("cost_need_index", "cost_need_index", 2026),
          ("robek", "robek", 2024))


def bundled_values(units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures bundled with the app, in the canonical long form.

    Population by age group 1 Jan 2020-2023 and population 1 Jan 2024 (SSB 07459),
    land area (09280), centrality class, cost-need index (2026) and ROBEK status,
    for the bundled map units or for ``units`` of another geography (e.g. uploaded
    2024 boundaries). Age figures of a bundled unit that stands for several 2024
    municipalities (Ålesund and Haram) are left out where that geography splits it.
    """
    if units is None:
        return _bundled_values_default()
    base = geo.load_units()
    ages = _age_table()
    merged = base.loc[base["members_2024"].str.contains(" "), ["kommunenummer", "members_2024"]]
    same = set()
    if "members_2024" in units:
        here = dict(zip(units["kommunenummer"], units["members_2024"], strict=True))
        same = {c for c, m in zip(merged["kommunenummer"], merged["members_2024"], strict=True)
                if here.get(c) == m}
    ages = ages[~ages["kommunenummer"].isin(set(merged["kommunenummer"]) - same)]
    return _values_from(ages, units)


@lru_cache(maxsize=1)
def _age_table() -> pd.DataFrame:
    ages = pd.read_csv(BUNDLED_DATA_DIR / "befolkning_aldersgrupper.csv", dtype={"kommunenummer": str})
    return ages[["kommunenummer", "indicator_id", "year", "value"]]


@lru_cache(maxsize=1)
def _bundled_values_default() -> pd.DataFrame:
    return _values_from(_age_table(), geo.load_units())


def _values_from(ages: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    frames = [ages]
    for ident, column, year in _FACTS:
        if column in units:
            frames.append(pd.DataFrame({"kommunenummer": units["kommunenummer"], "indicator_id": ident,
                                        "year": year, "value": pd.to_numeric(units[column].astype(float),
                                                                             errors="coerce")}))
    values = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    values["year"] = values["year"].astype(int)
    values["value"] = values["value"].astype(float)
    values["dataset_version"] = BUNDLED_VERSION
    return values.reset_index(drop=True)


def uploaded_values(store: object, workspace_id: object) -> pd.DataFrame:
    """Uploaded figures of a workspace (empty when there are none or no store)."""
    if store is None or workspace_id is None:
        return pd.DataFrame(columns=list(VALUE_COLUMNS))
    from kommunestrategi import datasets  # the import area's module; optional at run time
    return datasets.uploaded_indicator_values(store, workspace_id)


def combine_values(bundled: pd.DataFrame, uploaded: pd.DataFrame | None,
                   units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Bundled and uploaded figures in one table; an upload wins over a bundled figure
    for the same municipality, indicator and year. Unknown indicators and
    municipalities are left out (the importer reports them)."""
    frames = [bundled]
    if uploaded is not None and len(uploaded):
        up = uploaded.loc[:, [c for c in VALUE_COLUMNS if c in uploaded.columns]].copy()
        if "dataset_version" not in up:
            up["dataset_version"] = "upload"
        up["kommunenummer"] = up["kommunenummer"].astype(str).str.zfill(4)
        up["year"] = pd.to_numeric(up["year"], errors="coerce")
        up["value"] = pd.to_numeric(up["value"], errors="coerce")
        up = up.dropna(subset=["year", "value"])
        up["year"] = up["year"].astype(int)
        up["dataset_version"] = up["dataset_version"].astype(str)
        frames.insert(0, up)
    values = pd.concat(frames, ignore_index=True)
    values = values.drop_duplicates(["kommunenummer", "indicator_id", "year"], keep="first")
    known = set(load_catalogue())
    codes = set((units if units is not None else geo.load_units())["kommunenummer"])
    keep = values["indicator_id"].isin(known) & values["kommunenummer"].isin(codes)
    return values[keep].reset_index(drop=True)


# ---------------------------------------------------------------------------
# The engine: values per indicator and year as arrays over all municipalities
# ---------------------------------------------------------------------------

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


class IndicatorData:
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

    # -- combining members ------------------------------------------------------
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


#: The age groups of SSB 07459 as bundled, youngest first.
AGE_GROUPS: tuple[str, ...] = ("pop_0_5", "pop_6_15", "pop_16_66", "pop_67_79", "pop_80_plus")


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


def build_data(uploaded: pd.DataFrame | None = None, units: pd.DataFrame | None = None) -> IndicatorData:
    """The engine over bundled plus uploaded figures, on the bundled map units or on
    ``units`` of another geography."""
    if units is None and (uploaded is None or not len(uploaded)):
        return bundled_data()
    values = combine_values(bundled_values(units), uploaded, units)
    return IndicatorData(values, units=units)


def map_values(data: IndicatorData, ident: str) -> tuple[pd.Series, int | None]:
    """An indicator's newest figures for every unit (for the map) and their year."""
    years = data.years(ident)
    if not years:
        return pd.Series(np.nan, index=data.codes, dtype=float), None
    year = years[-1]
    return pd.Series(data.series(ident, year), index=data.codes, dtype=float), year
