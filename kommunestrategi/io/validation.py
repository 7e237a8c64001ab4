"""Row-level validation shared by the importers: municipalities, numbers, years, values.

* Municipalities: numbers in any form (``301``, ``K-0301``, ``5001 Trondheim``),
  names case- and accent-insensitively (Sami names too), 2020 numbers translated
  to the 2024 map units; aggregates (counties, "Hele landet", Oslo districts,
  SSB's ``K-21-22``/``K-Rest``) recognised and skipped; unknown values rejected
  with the closest match as suggestion. Resolution is cached per distinct value,
  so 50,000 rows cost a few hundred lookups.
* Numbers: Norwegian and English notation (``1 234,5``, ``1,234.5``), SSB's
  missing-value symbols (``..`` ``:`` ``.`` ``-``) counted, not errors.
* Reporting: at most ``LINES_PER_CODE`` lines per problem, then one summary line,
  so a broken 50,000-row file gives a readable report.
"""

from __future__ import annotations

import difflib
import math
import re
from collections import Counter
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd
import yaml

from kommunestrategi import geo
from kommunestrategi.codes import UnknownMunicipality, fold_name, historic, normalise_number
from kommunestrategi.config import PACKAGE_DIR
from kommunestrategi.io.report import ImportReport

#: Plausible years for municipal statistics and projections.
MIN_YEAR, MAX_YEAR = 1950, 2100
#: SSB's symbols for "no value": not available, confidential, not applicable, nil.
MISSING_SYMBOLS = frozenset({"", "..", "...", ":", ".", "-", "–", "—", "nan", "NaN", "None"})
LINES_PER_CODE = 20

_AGGREGATE_NAMES = {
    "hele landet", "landet", "norge", "i alt", "totalt", "sum", "total", "uoppgitt", "landet uten oslo",
    "svalbard", "jan mayen", "kontinentalsokkelen", "uoppgitt kommune",
}
_AGGREGATE_CODE = re.compile(
    r"^(?:K-)?(?:\d{1,2}(?!\d)|\d{5,}|\d+-\d+|9999|0000|rest\b|EAK|EKA\d|EKG\d|F-?\d)", re.IGNORECASE)
_DIGITS = re.compile(r"^(?:K-)?(\d+)")
_PAREN = re.compile(r"\s*\(.*?\)\s*")
_SPACES = re.compile(r"[\s\u00a0\u202f\u2009']")


@dataclass(frozen=True)
class Region:
    """What a region cell means: a map unit, an aggregate to skip, or unknown."""

    kind: str  # "unit" | "aggregate" | "unknown"
    unit: str | None = None
    number: str | None = None  # the 4-digit number as given (after normalising)
    old_number: bool = False  # an older number (2020 or before) translated to the 2024 unit
    suggestion: str | None = None
    #: "2020", "historic" or "correspondence": where the translation of an old number came from
    translated_by: str | None = None
    #: the 2024 number(s) an old number lies in, with shares (more than one: a split)
    targets: tuple[tuple[str, float], ...] = ()
    #: the name written next to the number when it names another municipality (or none)
    name_conflict: str | None = None


@lru_cache(maxsize=1)
def _county_names() -> dict[str, str]:
    units = geo.load_units()
    names = {fold_name(c): str(n) for c, n in zip(units["county"], units["county_number"], strict=True)}
    for extra in ("viken", "vestfold og telemark", "troms og finnmark", "trondelag", "akershus", "ostfold",
                  "buskerud", "vestfold", "telemark", "troms", "finnmark", "innlandet", "more og romsdal"):
        names.setdefault(extra, "")
    return names


def county_names() -> frozenset[str]:
    """Folded county names of 2024 and before (Viken, Troms og Finnmark, ...)."""
    return frozenset(n for n in _county_names() if n)


@lru_cache(maxsize=1)
def _numbers_2024() -> frozenset[str]:
    units = geo.load_units()
    return frozenset(n for members in units["members_2024"] for n in str(members).split())


#: An older-to-newer number correspondence given with the file being validated
#: (e.g. the 2019 -> 2020 renumbering from SSB's classification 131); see
#: ``using_correspondence``. Empty when none was given.
_CORRESPONDENCE: ContextVar[Mapping[str, str] | None] = ContextVar("correspondence", default=None)


@contextmanager
def using_correspondence(mapping: Mapping[str, str] | None) -> Iterator[None]:
    """Within the block, numbers in ``mapping`` are translated before they are resolved.

    The 2020 <-> 2024 translation is built in; older structures need the user's
    correspondence table (``io.correspondence.read_correspondence``).
    """
    token = _CORRESPONDENCE.set(dict(mapping) if mapping else None)
    try:
        yield
    finally:
        _CORRESPONDENCE.reset(token)


@dataclass(frozen=True)
class ImportChoices:
    """What the user decided on the Data page (or on the command line) for one file.

    ``accept_splits``: counts of an old municipality that was split are shared out
    over its successors by population (ratios and means never are).
    ``indicator_kinds``: for indicators the catalogue does not know, what kind of
    figure they are (``count``, ``mean``, ``ratio``, ``index``); only counts are added
    up when several old municipalities form one of today's.
    """

    accept_splits: bool = False
    indicator_kinds: Mapping[str, str] | None = None
    #: the workspace's SSB content-code mapping: ``"<table>:<code>" -> indicator id``
    code_map: Mapping[str, str] | None = None
    #: the workspace's own indicators as rows of the importer's catalogue (each a tuple of
    #: ``(column, value)`` pairs; ``indicators.workspace.catalogue_rows``)
    catalogue_extra: tuple[tuple[tuple[str, object], ...], ...] | None = None


INDICATOR_KINDS: tuple[str, ...] = ("count", "mean", "ratio", "index")
_CHOICES: ContextVar[ImportChoices | None] = ContextVar("import_choices", default=None)


@contextmanager
def using_choices(choices: ImportChoices | None) -> Iterator[None]:
    """Within the block, the user's split and indicator-kind choices apply."""
    token = _CHOICES.set(choices or ImportChoices())
    try:
        yield
    finally:
        _CHOICES.reset(token)


def current_choices() -> ImportChoices:
    return _CHOICES.get() or ImportChoices()


def split_shares(targets: tuple[tuple[str, float], ...]) -> tuple[tuple[str, float], ...]:
    """The shares of a split, normalised to sum to 1.

    These are the shares of the number history (or of the user's correspondence
    table). The successors' whole population is no guide: Tysfjord's two halves
    went to Narvik and Hamarøy, and Narvik's own 20,000 inhabitants say nothing
    about how Tysfjord's 2,000 were divided.
    """
    total = sum(s for _n, s in targets) or 1.0
    return tuple((n, s / total) for n, s in targets)


def resolve_region(value: object) -> Region:
    """Classify one region cell (number, ``NNNN Name``, ``K-NNNN``, or a name).

    A number found in the active correspondence is translated first (and counted
    as an old number); everything else is resolved against the map units, then
    against the municipality number history (1940s-2024).
    """
    mapping = _CORRESPONDENCE.get()
    if mapping and value is not None and not (isinstance(value, float) and math.isnan(value)):
        number = normalise_number(value)
        if number is not None and number in mapping:
            return _from_correspondence(value, number, mapping[number])
    return _resolve_region(value)


def _from_correspondence(value: object, number: str, target: object) -> Region:
    """A number of the user's correspondence table: one target, or a split with shares."""
    targets = _targets(target)
    if len(targets) == 1:
        region = _resolve_region(targets[0][0])
        if region.kind == "unit":
            return Region("unit", region.unit, number, True, translated_by="correspondence",
                          targets=((targets[0][0], 1.0),), name_conflict=_name_conflict(value, region.unit, True))
        return _resolve_region(value)
    units = [_resolve_region(t).unit for t, _w in targets]
    if all(units):
        return Region("split", None, number, True, translated_by="correspondence", targets=targets)
    return _resolve_region(value)


def _targets(target: object) -> tuple[tuple[str, float], ...]:
    """Correspondence targets as ``((number, share), ...)`` from a number or a list of them."""
    if isinstance(target, (str, int)):
        return ((str(target), 1.0),)
    items = list(target)  # type: ignore[arg-type]
    out = []
    for item in items:
        if isinstance(item, (tuple, list)):
            number, share = item[0], item[1]
            out.append((str(number), float(share) if share is not None else math.nan))
        else:
            out.append((str(item), math.nan))
    if any(math.isnan(share) for _n, share in out):
        out = [(n, 1.0 / len(out)) for n, _s in out]
    return tuple(out)


def _name_part(text: str) -> str:
    """The name written after a number ("0101 Halden" -> "Halden", "1860, Laxå" -> "Laxå")."""
    return re.sub(r"^\s*(?:K-)?\d+\s*[,;:.\-–]?\s*", "", text).strip()


_YEARS_NOTE = re.compile(r"\(\s*(?:\d{4}\s*[-–]\s*(?:\d{4})?|-\s*\d{4})\s*\)")


def _name_conflict(value: object, unit: str | None, old: bool = False) -> str | None:
    """The name next to a number when it does not name that number's municipality.

    Names of either vintage (2020 and 2024, Sami and Kven forms) match; a name with
    a qualifier in brackets ("Sande (Vestf.)") or one we do not know next to an
    older number is not judged (older names are not all in the register).
    """
    if unit is None or not isinstance(value, str):
        return None
    name = _name_part(value)
    if not name or not re.search(r"[^\W\d_]", name):
        return None
    qualifier = _PAREN.search(_YEARS_NOTE.sub(" ", name))
    name = _PAREN.sub(" ", name).strip()
    if not name:
        return None
    index = geo.code_index()
    folded = fold_name(name)
    other = index.unit_by_name.get(folded)
    if other == unit or qualifier is not None:
        return None
    if other is None and old:
        return None
    own = [n for n, u in index.unit_by_name.items() if u == unit]
    if other is None and difflib.get_close_matches(folded, own, n=1, cutoff=0.85):
        return None  # a misspelling of the number's own name ("Trondhem")
    return name


def _name_suggestion(index, text: str) -> str | None:
    """'NNNN Name' of the municipality the name in the cell points to (never a guess from digits)."""
    name = _PAREN.sub(" ", _name_part(text)).strip()
    if not name or not re.search(r"[^\W\d_]", name):
        return None
    folded = fold_name(name)
    if folded in index.unit_by_name:
        unit = index.unit_by_name[folded]
        return f"{unit} {index.names[unit]}"
    close = difflib.get_close_matches(folded, list(index.unit_by_name), n=1, cutoff=0.8)
    if close:
        unit = index.unit_by_name[close[0]]
        return f"{unit} {index.names[unit]}"
    return None


@lru_cache(maxsize=20_000)
def _resolve_region(value: object) -> Region:
    """Classify one region cell against the map units (cached per distinct value)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return Region("unknown")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if not text:
        return Region("unknown")
    index = geo.code_index()
    folded = fold_name(_PAREN.sub(" ", text)).strip()
    name_part = fold_name(re.sub(r"^(?:K-)?[\d-]+\s*", "", text))
    if folded in _AGGREGATE_NAMES or name_part in _AGGREGATE_NAMES or folded.startswith(("bydel ", "fylke")):
        return Region("aggregate")
    if _AGGREGATE_CODE.match(text):
        return Region("aggregate")
    digits = _DIGITS.match(text)
    if digits:
        number = normalise_number(text)
        if number in index.unit_by_number:
            unit = index.unit_by_number[number]
            old = number not in _numbers_2024()
            return Region("unit", unit, number, old, translated_by="2020" if old else None,
                          name_conflict=_name_conflict(text, unit, old))
        past = historic(number) if number else None
        if past is not None:
            units = [index.unit_by_number.get(target) for target, _share in past.targets]
            if all(units) and len(set(units)) == 1:
                return Region("unit", units[0], number, True, translated_by="historic", targets=past.targets,
                              name_conflict=_name_conflict(text, units[0], True))
            if all(units):
                return Region("split", None, number, True, translated_by="historic", targets=past.targets)
        return Region("unknown", number=number, suggestion=_name_suggestion(index, text))
    if folded in _county_names():
        return Region("aggregate")
    try:
        unit = index.unit_for(_PAREN.sub(" ", text).strip())
    except UnknownMunicipality as exc:
        return Region("unknown", suggestion=exc.suggestion)
    return Region("unit", unit, unit, False)


def looks_like_region(value: object) -> bool:
    """True for a cell that names a municipality or an aggregate (used to find data rows)."""
    if value is None or value == "":
        return False
    if isinstance(value, (int, float)):
        return False
    text = str(value).strip()
    if len(text) > 80 or ":" in text or re.match(r"^\d+[.)]\s", text):  # titles, sentences, list items
        return False
    region = resolve_region(value)
    if region.kind in ("unit", "split"):
        # a bare number that is only an old number (2022) is as likely a year or a count
        return not (region.translated_by == "historic" and text.isdigit())
    if region.kind == "aggregate":
        return bool(re.match(r"^(?:K-|EAK|EKA|\d+\s+[^\W\d_])", text, flags=re.IGNORECASE)) \
            or fold_name(text) in _AGGREGATE_NAMES
    return False


def parse_number(value: object, decimal: str = ",") -> float | None:
    """A float from a cell; None for missing symbols; NaN for text that is not a number.

    ``decimal`` is the file's decimal sign, used when a lone ``,`` or ``.`` is ambiguous.
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return math.nan
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return None if math.isnan(number) else number
    text = str(value).strip()
    if text in MISSING_SYMBOLS:
        return None
    text = _SPACES.sub("", text).replace("\u2212", "-")
    if text.endswith("%"):
        text = text[:-1]
    if "," in text and "." in text:
        if text.rfind(",") > text.rfind("."):
            text = text.replace(".", "").replace(",", ".")
        else:
            text = text.replace(",", "")
    elif "," in text:
        if decimal == "." and re.fullmatch(r"-?\d{1,3}(,\d{3})+", text):
            text = text.replace(",", "")
        else:
            text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return math.nan


def detect_decimal(values: pd.Series) -> str:
    """``,`` or ``.``: the decimal sign used by the text cells of a column sample."""
    commas = dots = 0
    for value in values.head(2000):
        if isinstance(value, str):
            text = value.strip()
            if re.fullmatch(r"-?[\d\s\u00a0]*,\d+", text) and not re.fullmatch(r"-?\d{1,3},\d{3}", text):
                commas += 1
            elif re.fullmatch(r"-?[\d\s\u00a0]*\.\d+", text) and not re.fullmatch(r"-?\d{1,3}\.\d{3}", text):
                dots += 1
    return "." if dots > commas else ","


def parse_numbers(values: pd.Series, decimal: str = ",") -> tuple[pd.Series, pd.Series, pd.Series]:
    """Vectorised ``parse_number``: (floats, missing mask, bad-text mask).

    Cells that are numbers already (calamine gives floats) or plain numeric text are
    converted in one vectorised step; only the rest ("1 234,5", "..", "mange") goes
    through ``parse_number``, once per distinct text.
    """
    if values.dtype.kind in "fi":
        floats = values.astype(float)
        return floats, floats.isna(), pd.Series(False, index=values.index)
    raw = values.to_numpy(dtype=object)
    out = pd.to_numeric(values, errors="coerce").to_numpy(dtype=float).copy()
    missing = np.zeros(len(raw), dtype=bool)
    cache: dict[str, float | None] = {}
    for i in np.flatnonzero(np.isnan(out)):
        value = raw[i]
        if value is None or (isinstance(value, float) and math.isnan(value)):
            missing[i] = True
            continue
        key = value if isinstance(value, str) else repr(value)
        if key not in cache:
            try:
                cache[key] = parse_number(value, decimal)
            except (TypeError, ValueError):
                cache[key] = math.nan
        parsed = cache[key]
        if parsed is None:
            missing[i] = True
        else:
            out[i] = parsed
    floats = pd.Series(out, index=values.index)
    missing_mask = pd.Series(missing, index=values.index)
    return floats, missing_mask, floats.isna() & ~missing_mask


def parse_year(value: object) -> int | None:
    """A year from ``2022``, ``2022.0``, ``"2022K"``, ``"2022M12"``; None when there is none."""
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        return int(value) if not math.isnan(value) and float(value).is_integer() else None
    match = re.match(r"^\s*(\d{4})(?:[KMHU]\d{0,2})?\s*$", str(value))
    return int(match.group(1)) if match else None


def year_in_label(label: str) -> int | None:
    """A plausible year inside a header label ("Personer 2022" -> 2022)."""
    match = re.search(r"(?<!\d)(1[89]\d\d|2[01]\d\d|[3-9]\d\d\d)(?:[KMHU]\d{0,2})?(?!\d)", str(label))
    return int(match.group(1)) if match else None


class CappedReport:
    """Adds report lines, at most ``LINES_PER_CODE`` per code, then one summary line per code."""

    def __init__(self, report: ImportReport) -> None:
        self.report = report
        self.counts: Counter[str] = Counter()

    def add(self, severity: str, code: str, **kwargs: object) -> None:
        self.counts[code] += 1
        if self.counts[code] <= LINES_PER_CODE:
            self.report.add(severity, code, **kwargs)  # type: ignore[arg-type]

    def finish(self) -> None:
        for code, count in self.counts.items():
            if count > LINES_PER_CODE:
                severity = next(line.severity for line in self.report.lines if line.code == code)
                self.report.add(severity, "more_lines", count=count - LINES_PER_CODE, problem=code)


def map_distinct(values: pd.Series, func) -> pd.Series:
    """``values.map(func)`` computed once per distinct value (50,000 rows, a few hundred lookups)."""
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    table = np.empty(len(uniques) + 1, dtype=object)
    table[:-1] = [func(unique) for unique in uniques]
    table[-1] = func(None)  # missing cells (code -1)
    return pd.Series(table[codes], index=values.index, dtype=object)


def resolve_regions(values: pd.Series) -> pd.DataFrame:
    """Resolve a column of region cells; one lookup per distinct value.

    Returns columns ``kind``, ``unit``, ``number``, ``old_number``, ``suggestion``
    aligned with ``values``.
    """
    codes, uniques = pd.factorize(values.to_numpy(dtype=object), use_na_sentinel=True)
    found = [resolve_region(u) for u in uniques] + [Region("unknown")]
    columns: dict[str, pd.Series] = {}
    for name in ("kind", "unit", "number", "suggestion"):
        table = np.empty(len(found), dtype=object)
        table[:] = [getattr(r, name) for r in found]
        columns[name] = pd.Series(table[codes], index=values.index, dtype=object)
    columns["old_number"] = pd.Series(np.array([r.old_number for r in found], dtype=bool)[codes],
                                      index=values.index)
    return pd.DataFrame(columns)


CATALOGUE_COLUMNS = ["indicator_id", "unit", "aggregation", "name_nb", "ssb_table", "min", "max"]


def indicator_catalogue() -> pd.DataFrame:
    """The indicator catalogue (id, unit, aggregation, name, SSB table, min, max).

    Read from the catalogue data file ``catalogues/indicators.yaml`` (validated by
    ``kommunestrategi.indicators`` at load), plus the workspace's own indicators of
    the file being read (``ImportChoices.catalogue_extra``). Uploaded files may also
    carry the region's own indicators; those are accepted with a warning.
    """
    extra = current_choices().catalogue_extra
    return _with_extra(extra) if extra else _bundled_catalogue()


@lru_cache(maxsize=8)
def _with_extra(extra: tuple[tuple[tuple[str, object], ...], ...]) -> pd.DataFrame:
    bundled = _bundled_catalogue()
    rows = pd.DataFrame([dict(row) for row in extra], columns=CATALOGUE_COLUMNS)
    rows = rows[~rows["indicator_id"].isin(set(bundled["indicator_id"]))]
    for column in ("indicator_id", "unit", "aggregation", "name_nb", "ssb_table"):
        rows[column] = rows[column].fillna("").astype(str)
    for column in ("min", "max"):
        rows[column] = pd.to_numeric(rows[column], errors="coerce")
    return pd.concat([bundled, rows], ignore_index=True) if len(rows) else bundled


@lru_cache(maxsize=1)
def _bundled_catalogue() -> pd.DataFrame:
    frame: pd.DataFrame | None = None
    path = PACKAGE_DIR / "catalogues" / "indicators.yaml"
    if path.exists():
        frame = pd.DataFrame((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("indicators", []))
    if frame is None or frame.empty:
        return pd.DataFrame(columns=CATALOGUE_COLUMNS)
    if "indicator_id" not in frame.columns:
        if "id" in frame.columns:
            frame = frame.rename(columns={"id": "indicator_id"})
        elif frame.index.name in ("id", "indicator_id"):
            frame = frame.reset_index().rename(columns={"id": "indicator_id"})
    for column in CATALOGUE_COLUMNS:
        if column not in frame.columns:
            frame[column] = None
    frame = frame[CATALOGUE_COLUMNS].copy()
    for column in ("indicator_id", "unit", "aggregation", "name_nb", "ssb_table"):
        frame[column] = frame[column].fillna("").astype(str)
    frame["min"] = pd.to_numeric(frame["min"], errors="coerce")
    frame["max"] = pd.to_numeric(frame["max"], errors="coerce")
    return frame


_COUNT_UNITS = {"personer", "persons", "people", "antall", "number", "count", "innbyggere", "inhabitants",
                "km2",
                "barn", "elever", "pupils", "children"}


def forbids_negative(indicator_id: str, unit: str) -> bool:
    """True when a negative value is impossible: counts of people and things, areas, populations."""
    ident = fold_name(indicator_id)
    folded_unit = fold_name(unit)
    return (folded_unit in _COUNT_UNITS or folded_unit in {"km2", "km²"}
            or any(word in ident for word in ("population", "folketall", "befolkning", "innbyggere",
                                              "personer", "area", "areal")))


_UNIT_SYNONYMS = {
    "persons": {"persons", "personer", "people", "innbyggere", "inhabitants", "antall personer", "personar"},
    "percent": {"percent", "%", "prosent", "pct", "procent"},
    "nok": {"nok", "kr", "kroner", "kronor"},
    "nok_1000": {"nok_1000", "1000 kr", "1 000 kr", "1000 kroner", "tusen kroner", "nok 1000", "1000 nok"},
    "nok_per_inhabitant": {"nok_per_inhabitant", "kr per innbygger", "kroner per innbygger", "nok per inhabitant",
                           "kr/innbygger", "kr per innb"},
    "days": {"days", "dager", "dagar", "dogn"},
    "km2": {"km2", "km²", "kvadratkilometer", "square kilometres"},
    "years": {"years", "ar", "aar"},
}


def normalise_unit(unit: str) -> str | None:
    """The catalogue unit code a unit text means ("Prosent" -> "percent"); None when not recognised."""
    folded = re.sub(r"\s+", " ", fold_name(unit).replace(".", "")).strip()
    for code, synonyms in _UNIT_SYNONYMS.items():
        if folded in synonyms:
            return code
    return None


def units_conflict(given: str, expected: str) -> bool:
    """True when both units are recognised and differ (unrecognised units are not judged)."""
    a, b = normalise_unit(given), normalise_unit(expected)
    if {a, b} == {"nok", "nok_per_inhabitant"}:
        return False  # SSB gives per-inhabitant figures the unit "kr"
    return a is not None and b is not None and a != b
