"""Kolada figures as indicator values of a Swedish workspace.

Reads what ``fetch kolada KPI --out FILE`` writes (Kolada API v3 JSON, one page or
a list of pages) and Kolada's CSV/Excel downloads (one row per kommun with the
KPI, year and value, or one column per year; the KPI id in a column, in a title
line above the table or in the sheet name). Kolada KPIs become the catalogue's
indicators through ``catalogues/kolada_kpis.yaml``; only the total (gender ``T``)
of kommuner is kept: the country (``0000``) and regions (``0001``-``0025``) are
skipped with a warning, K/M splits are skipped silently-but-counted.

Only *verified* KPIs become catalogue indicators: those whose id and title the
catalogue's ``checked`` field confirms from a named source, and those a
``fetch kolada`` checked against Kolada's own title (the fetched file carries that
metadata). Any other catalogue KPI is refused with a message saying why, never
imported under an indicator whose figures it may not be.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd
import yaml

from kommunestrategi import formatting
from kommunestrategi.codes import UnknownMunicipality
from kommunestrategi.io import kolada
from kommunestrategi.io.report import ImportReport

KPI_CATALOGUE_PATH = Path(__file__).resolve().parent.parent / "catalogues" / "kolada_kpis.yaml"
COLUMNS = ["kommunenummer", "indicator_id", "year", "value", "unit", "source_number"]
_KPI_IN_TEXT = re.compile(r"\b([A-Z]\d{5})\b")
_MISSING = {"", "-", "..", ".", "x", "nan", "none", "null"}
_HEADERS = {
    "id": ("kommun-id", "kommunid", "kommunkod", "kommun id", "id", "municipality_id", "municipality id",
           "ou", "område-id", "omrade-id", "omradesid", "kod"),
    "name": ("kommun", "kommunnamn", "område", "omrade", "namn", "municipality", "kommun namn"),
    "kpi": ("kpi", "kpi-id", "kpi id", "nyckeltal", "nyckeltals-id", "nyckeltalsid", "nyckeltal id"),
    "year": ("år", "ar", "period", "year", "tid"),
    "value": ("värde", "varde", "value"),
    "gender": ("kön", "kon", "gender"),
}


@dataclass(frozen=True)
class KpiMapping:
    kpi: str
    indicator: str
    title_sv: str
    norway: str
    #: What the id and title were checked against ("unverified ..." when nothing yet).
    checked: str = "unverified"

    @property
    def verified(self) -> bool:
        """True when the id and title were confirmed from a named source (the catalogue's ``checked``)."""
        return not self.checked.strip().lower().startswith("unverified")

    def title_matches(self, kolada_title: str) -> bool:
        """Kolada's title for this id is the catalogue's (case, punctuation and a leading "U." aside)."""
        return normalise_title(kolada_title) == normalise_title(self.title_sv)


def normalise_title(text: str) -> str:
    """A KPI title for comparison: Kolada's old "U. " marker dropped, case and punctuation ignored."""
    text = re.sub(r"^\s*[A-Z]\.\s+", "", str(text or ""))
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


@lru_cache(maxsize=1)
def kpi_catalogue() -> dict[str, KpiMapping]:
    """Kolada KPI id -> the indicator it becomes (validated against the indicator catalogue)."""
    from kommunestrategi.indicators import load_catalogue

    entries = yaml.safe_load(KPI_CATALOGUE_PATH.read_text(encoding="utf-8"))["kpis"]
    known = load_catalogue()
    out: dict[str, KpiMapping] = {}
    for entry in entries:
        mapping = KpiMapping(str(entry["kpi"]), str(entry["indicator"]), str(entry["title_sv"]),
                             str(entry.get("norway") or ""), str(entry.get("checked") or "unverified"))
        if mapping.indicator not in known or (mapping.norway and mapping.norway not in known):
            raise ValueError(f"{KPI_CATALOGUE_PATH.name}: {mapping.kpi} names an unknown indicator")
        if not _KPI_IN_TEXT.fullmatch(mapping.kpi):
            raise ValueError(f"{KPI_CATALOGUE_PATH.name}: {mapping.kpi!r} is not a Kolada KPI id")
        out[mapping.kpi] = mapping
    return out


def verified_kpis() -> dict[str, KpiMapping]:
    """The catalogue's KPIs whose id and title were verified (mapped to indicators by default)."""
    return {k: m for k, m in kpi_catalogue().items() if m.verified}


def confirmed_by_fetch(doc: object) -> frozenset[str]:
    """Catalogue KPIs whose Kolada title, saved in a fetched file, is the catalogue's title."""
    mapping = kpi_catalogue()
    return frozenset(k for k, title in kolada.file_metadata(doc).items()
                     if k in mapping and mapping[k].title_matches(title))


def looks_like_kolada(data: bytes) -> bool:
    """A Kolada API answer (or a list of pages): ``values`` entries with ``kpi`` and ``period``."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    page = doc[0] if isinstance(doc, list) and doc else doc
    values = page.get("values") if isinstance(page, dict) else None
    return bool(isinstance(values, list) and values and isinstance(values[0], dict)
                and "kpi" in values[0] and "period" in values[0])


def empty_values() -> pd.DataFrame:
    return pd.DataFrame({"kommunenummer": pd.Series(dtype=str), "indicator_id": pd.Series(dtype=str),
                         "year": pd.Series(dtype="int64"), "value": pd.Series(dtype=float),
                         "unit": pd.Series(dtype=str), "source_number": pd.Series(dtype=str)})


# ---------------------------------------------------------------------------- JSON
def read_json(data: bytes, report: ImportReport, indicator_id: str | None = None) -> pd.DataFrame:
    """Indicator values from a Kolada API answer as ``fetch kolada --out`` saves it."""
    frame, parsed = kolada.parse_kolada(data, report.file)
    report.extend(parsed.lines)
    if frame is None:
        return empty_values()
    confirmed = confirmed_by_fetch(json.loads(data.decode("utf-8-sig")))
    long = pd.DataFrame({
        "municipality": frame["municipality_id"].astype(str), "kpi": frame["kpi"].astype(str),
        "year": frame["year"].astype("int64"), "gender": frame["gender"].astype(str),
        "value": frame["value"].astype(float), "row": range(1, len(frame) + 1),
    })
    return _canonical(long, report, indicator_id, sheet=None, confirmed=confirmed)


# ---------------------------------------------------------------------- CSV/Excel
def _key(cell: object) -> str:
    return re.sub(r"\s+", " ", str(cell if cell is not None else "").strip().lower())


def _year_header(cell: object) -> int | None:
    text = _key(cell)
    if re.fullmatch(r"\d{4}(\.0)?", text):
        year = int(float(text))
        return year if 1950 <= year <= 2100 else None
    return None


def _number(cell: object) -> float:
    if cell is None:
        return math.nan
    if isinstance(cell, (int, float)) and not isinstance(cell, bool):
        return float(cell)
    text = str(cell).strip().replace("\u00a0", "").replace(" ", "")
    if text.lower() in _MISSING:
        return math.nan
    # "1.234,5" (thousands point, decimal comma) or "16,2"
    text = text.replace(".", "") if "," in text and "." in text else text
    text = text.replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return math.nan


def _find_header(rows: list[list[object]]) -> tuple[int, dict[str, int], dict[int, int]] | None:
    """(header row index, {role: column}, {column: year}) of the first row that looks like a table head."""
    for index, row in enumerate(rows[:30]):
        keys = [_key(c) for c in row]
        roles: dict[str, int] = {}
        for role, names in _HEADERS.items():
            for col, key in enumerate(keys):
                if key in names and col not in roles.values():
                    roles.setdefault(role, col)
                    break
        years = {col: y for col, c in enumerate(row) if (y := _year_header(c)) is not None}
        has_place = "id" in roles or "name" in roles
        if has_place and (("year" in roles and "value" in roles) or years):
            return index, roles, years
    return None


def _kpi_from_titles(rows: list[list[object]], upto: int, sheet: str | None) -> str | None:
    for row in rows[:upto]:
        for cell in row:
            match = _KPI_IN_TEXT.search(str(cell or ""))
            if match:
                return match.group(1)
    match = _KPI_IN_TEXT.search(sheet or "")
    return match.group(1) if match else None


def _municipality(row: list[object], roles: dict[str, int], index) -> str | None:
    if "id" in roles:
        raw = str(row[roles["id"]] if roles["id"] < len(row) else "").strip()
        if raw.endswith(".0"):
            raw = raw[:-2]
        if re.fullmatch(r"\d{1,4}", raw):
            return raw.zfill(4)
    if "name" in roles and roles["name"] < len(row):
        name = str(row[roles["name"]] or "").strip()
        if re.fullmatch(r"\d{4}", name):  # the API's ``municipality`` field holds the id, e.g. 0000, 2584
            return name
        try:
            return index.unit_for(name)
        except UnknownMunicipality:
            return f"?{name}" if name else None
    return None


def read_grids(grids: list[tuple[str | None, list[list[object]], list]], report: ImportReport,
               indicator_id: str | None = None, year: int | None = None) -> pd.DataFrame:
    """Indicator values from the sheets of a Kolada CSV/Excel download."""
    from kommunestrategi.countries import sweden

    index = sweden.bundled().code_index
    parts = []
    found_table = False
    for sheet, rows, _merged in grids:
        head = _find_header(rows)
        if head is None:
            continue
        found_table = True
        start, roles, years = head
        title_kpi = _kpi_from_titles(rows, start, sheet)
        records = []
        for offset, row in enumerate(rows[start + 1:], start=start + 2):
            if not any(str(c or "").strip() for c in row):
                continue
            place = _municipality(row, roles, index)
            if place is None:
                continue
            kpi = title_kpi
            if "kpi" in roles and roles["kpi"] < len(row):
                match = _KPI_IN_TEXT.search(str(row[roles["kpi"]] or ""))
                kpi = match.group(1) if match else kpi
            gender = str(row[roles["gender"]]).strip() if "gender" in roles and roles["gender"] < len(row) else "T"
            if "year" in roles and "value" in roles:
                raw_year = _number(row[roles["year"]] if roles["year"] < len(row) else None)
                cells = [(int(raw_year) if not math.isnan(raw_year) else year,
                          row[roles["value"]] if roles["value"] < len(row) else None)]
            else:
                cells = [(y, row[col] if col < len(row) else None) for col, y in years.items()]
            for the_year, cell in cells:
                records.append((place, kpi or "", the_year, gender, _number(cell), offset))
        frame = pd.DataFrame(records, columns=["municipality", "kpi", "year", "gender", "value", "row"])
        parts.append(_canonical(frame, report, indicator_id, sheet))
    if not found_table:
        report.error("kolada_no_table")
        return empty_values()
    return pd.concat(parts, ignore_index=True) if parts else empty_values()


# ------------------------------------------------------------------ shared checks
_GENDER_TOTAL = {"t", "totalt", "total", "alla", "samtliga", "båda könen", "bada konen", ""}


def _canonical(long: pd.DataFrame, report: ImportReport, indicator_id: str | None,
               sheet: str | None, confirmed: frozenset[str] = frozenset()) -> pd.DataFrame:
    """Kommuner's totals, mapped to catalogue indicators, checked against the 290 kommuner.

    Only verified KPIs (or those ``confirmed`` by a fetch against Kolada's title) are mapped."""
    from kommunestrategi.countries import sweden
    from kommunestrategi.indicators import load_catalogue

    if long.empty:
        return empty_values()
    catalogue = load_catalogue()
    every = kpi_catalogue()
    mapping = {k: m for k, m in every.items() if m.verified or k in confirmed}
    known = set(sweden.load_units()["kommunenummer"])
    split = ~long["gender"].astype(str).str.strip().str.lower().isin(_GENDER_TOTAL)
    if split.any():
        report.warning("kolada_gender_skipped", sheet=sheet, count=formatting.number(int(split.sum())))
    long = long[~split]
    kinds = long["municipality"].map(lambda c: "unknown" if str(c).startswith("?")
                                     else kolada.classify_id(c))
    aggregates = long[kinds.isin(["country", "region"])]
    if len(aggregates):
        report.warning("kolada_aggregates_skipped", sheet=sheet,
                       count=formatting.number(int(aggregates["municipality"].nunique())),
                       examples=", ".join(sorted(set(aggregates["municipality"]))[:5]))
    named_unknown = long[kinds == "unknown"]
    long = long[kinds == "municipality"]
    unknown = pd.concat([long.loc[~long["municipality"].isin(known), ["municipality", "row"]],
                         named_unknown[["municipality", "row"]].assign(
                             municipality=named_unknown["municipality"].str[1:])])
    for place, row in unknown.groupby("municipality", sort=True)["row"].first().head(20).items():
        report.error("kolada_unknown_kommun", sheet=sheet, row=int(row), column="kommun", number=place)
    long = long[long["municipality"].isin(known)]
    override = None
    if indicator_id:
        if indicator_id in every and indicator_id not in mapping:
            _unverified(report, [indicator_id], sheet)
            return empty_values()
        override = mapping[indicator_id].indicator if indicator_id in mapping else indicator_id
        if override not in catalogue:
            report.error("kolada_unknown_indicator", indicator=indicator_id)
            return empty_values()
    if override is None:
        kpis = sorted(set(long["kpi"]))
        if "" in kpis:
            report.error("kolada_no_kpi", sheet=sheet)
            return empty_values()
        unverified = [k for k in kpis if k in every and k not in mapping]
        if unverified:
            _unverified(report, unverified, sheet)
        unmapped = [k for k in kpis if k not in every]
        if unmapped:
            report.error("kolada_kpi_unmapped", sheet=sheet, kpis=", ".join(unmapped),
                         known=", ".join(sorted(mapping)))
        long = long[long["kpi"].isin(mapping)]
        long = long.assign(indicator_id=long["kpi"].map(lambda k: mapping[k].indicator))
    else:
        long = long.assign(indicator_id=override)
    missing_year = long["year"].isna()
    if missing_year.any():
        report.error("kolada_no_year", sheet=sheet, row=int(long.loc[missing_year, "row"].iloc[0]))
        long = long[~missing_year]
    long = long.dropna(subset=["value"])
    for ident, rows in long.groupby("indicator_id"):
        ind = catalogue[ident]
        low = -math.inf if ind.min is None else ind.min
        high = math.inf if ind.max is None else ind.max
        bad = rows[(rows["value"] < low) | (rows["value"] > high)]
        for _, line in bad.head(20).iterrows():
            report.error("kolada_out_of_range", sheet=sheet, row=int(line["row"]), column="värde",
                         value=formatting.number(float(line["value"]), decimals=2), indicator=ident,
                         low=formatting.number(ind.min) if ind.min is not None else "-",
                         high=formatting.number(ind.max) if ind.max is not None else "-")
    duplicated = long.duplicated(["municipality", "indicator_id", "year"], keep=False)
    if duplicated.any():
        first = long[duplicated].iloc[0]
        report.error("kolada_duplicate", sheet=sheet, row=int(first["row"]), number=first["municipality"],
                     year=int(first["year"]), indicator=first["indicator_id"])
    out = pd.DataFrame({
        "kommunenummer": long["municipality"].astype(str).to_numpy(),
        "indicator_id": long["indicator_id"].astype(str).to_numpy(),
        "year": long["year"].astype("int64").to_numpy(),
        "value": long["value"].astype(float).to_numpy(),
        "unit": long["indicator_id"].map(lambda i: catalogue[i].unit).astype(str).to_numpy(),
        "source_number": long["municipality"].astype(str).to_numpy(),
    })
    return out.reset_index(drop=True)


def _unverified(report: ImportReport, kpis: list[str], sheet: str | None) -> None:
    every = kpi_catalogue()
    report.error("kolada_kpi_unverified", sheet=sheet, kpis=", ".join(kpis),
                 indicators=", ".join(every[k].indicator for k in kpis),
                 known=", ".join(sorted(verified_kpis())))

