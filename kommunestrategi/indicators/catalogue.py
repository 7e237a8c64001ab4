"""The indicator catalogue: every indicator's unit, dimension, direction, source and
aggregation rule (``catalogues/indicators.yaml``), parsed and validated."""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from kommunestrategi.i18n import LANGUAGES, catalogue, normalise_language, t

CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "catalogues" / "indicators.yaml"

DIMENSIONS: tuple[str, ...] = ("quality", "coverage", "resource_use", "priority",
                               "demography", "economy", "workforce", "other")
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
    "nok_1000_per_place": 0, "children_per_fte": 1, "number": 0, "value": 1,
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
        """The source with its SSB table, e.g. ``SSB KOSTRA, tabell 12362``, in the language."""
        source = source_name(self.source, lang)
        if self.ssb_table:
            return t("indicators.source_table", lang, source=source, table=self.ssb_table)
        return source

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


def source_name(source: str, lang: str = "nb") -> str:
    """A source's name in the language (``KDD, ROBEK-registeret`` -> ``KDD, the ROBEK
    register``): the text ``indicators.source_name.<source in lower case, words joined
    by _>`` when the catalogue has one, else the name as written."""
    key = "indicators.source_name." + "_".join(re.findall(r"\w+", source.lower()))
    return t(key, lang) if key in catalogue() else source


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

