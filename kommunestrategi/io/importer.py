"""One entry point for every kind of upload: bytes in, ``ImportResult`` out.

``validate_file`` runs the byte-level safety checks, reads the file with the
reader for its kind (indicators, arrangements, boundaries, travel times) and
returns the report, the canonical tables and the preview counts. It never
raises for a bad file and never writes anything: importing is a separate,
confirmed step (``kommunestrategi.datasets.import_result``).
"""

from __future__ import annotations

import hashlib
import importlib
from collections.abc import Mapping
from pathlib import PurePath

import pandas as pd

from kommunestrategi.io import arrangements as arr
from kommunestrategi.io import indicators_import as ind
from kommunestrategi.io import sheets as sheets_mod
from kommunestrategi.io import ssb_codes
from kommunestrategi.io.csvfiles import read_csv_grid
from kommunestrategi.io.excel import read_workbook
from kommunestrategi.io.report import ImportReport, ImportResult
from kommunestrategi.io.safety import MAX_COLUMNS, XlsxFacts, check_upload, max_rows
from kommunestrategi.io.validation import ImportChoices, current_choices, using_choices, using_correspondence

#: Kinds of data, as the CLI spells them, and the store's name for each.
KINDS = {"indicators": "indicators", "arrangements": "arrangements", "boundaries": "boundaries",
         "travel-times": "travel_times", "population-grid": "population_grid"}
_ALLOWED = {
    "indicators": ("xlsx", "csv", "json"),
    "arrangements": ("xlsx", "csv"),
    "boundaries": ("geojson", "json", "gpkg", "zip"),
    "travel-times": ("xlsx", "csv"),
    "population-grid": ("xlsx", "csv"),
}


def store_kind(kind: str) -> str:
    """The store's kind name for a CLI/UI kind (``travel-times`` -> ``travel_times``)."""
    return KINDS.get(kind, kind)


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _grids(data: bytes, fmt: str, report: ImportReport,
           facts: XlsxFacts | None) -> list[tuple[str | None, list[list[object]], list]]:
    if fmt == "xlsx":
        return [(s.name, s.rows, s.merged) for s in read_workbook(data, report, facts)]
    rows = read_csv_grid(data, report)
    if rows and max(len(r) for r in rows[:1000]) > MAX_COLUMNS:
        report.error("too_many_columns", sheet=None, count=max(len(r) for r in rows[:1000]), limit=MAX_COLUMNS)
        return []
    if len(rows) > max_rows() + 100:
        report.error("too_many_rows", sheet=None, count=len(rows), limit=max_rows())
        return []
    return [(None, rows, [])]


#: The catalogue's age groups (indicator id, first and last single year of age).
AGE_GROUPS = (("pop_0_5", 0, 5), ("pop_6_15", 6, 15), ("pop_16_66", 16, 66),
              ("pop_67_79", 67, 79), ("pop_80_plus", 80, None))
_AGE_DIMENSIONS = ("alder", "age")


def _age_groups(frame: pd.DataFrame, age_column: str, report: ImportReport) -> pd.DataFrame | None:
    """Population by single year of age (SSB 07459's ``Alder``) summed into the catalogue's
    age groups and the total, per region and year; None when the ages are not single years.

    A group is only formed when every one of its years is in the file, and the total
    only when all ages are; a missing value in a group leaves that group missing.
    """
    codes = frame[age_column].astype(str)
    ages = codes.str.extract(r"^(\d{1,3})\+?$")[0]
    if ages.isna().any():
        return None
    age = ages.astype(int)
    present = set(age)
    # open-ended groups (80+, the total) need the open top age, e.g. SSB's "105+"
    open_top = codes.str.endswith("+").any()
    oldest = max(present)
    parts = []
    missing = []
    for indicator_id, first, last in (*AGE_GROUPS, ("pop_total", 0, None)):
        if last is None and not open_top:
            missing.append(indicator_id)
            continue
        last = oldest if last is None else last
        if not set(range(first, last + 1)) <= present:
            missing.append(indicator_id)
            continue
        rows = frame[(age >= first) & (age <= last)]
        grouped = rows.groupby([rows["region_code"], rows["year"]], sort=False)["value"]
        summed = grouped.sum(min_count=1).where(~grouped.apply(lambda v: v.isna().any()))
        parts.append(summed.rename("value").reset_index().assign(indicator=indicator_id))
    if missing:
        report.warning("ssb_age_groups_incomplete", groups=", ".join(missing))
    if not parts:
        return pd.DataFrame(columns=["region_code", "year", "value", "indicator"])
    return pd.concat(parts, ignore_index=True)


def _indicators_from_json(data: bytes, report: ImportReport) -> pd.DataFrame:
    ssb = importlib.import_module("kommunestrategi.io.ssb")
    frame, json_report = ssb.parse_jsonstat2(data, report.file)
    report.extend(json_report.lines)
    if frame is None:
        return ind.empty_values()
    table = str(frame.attrs.get("table_id", "")) or None
    geo_dim = frame.attrs.get("geo_dimension")
    extra = [c for c in frame.columns if c not in ("region_code", "region_label", "year", "value", geo_dim)]
    age_column = next((c for c in extra if str(c).lower() in _AGE_DIMENSIONS), None)
    if age_column is not None:
        grouped = _age_groups(frame, age_column, report)
        if grouped is not None:
            long = pd.DataFrame({"region": grouped["region_code"].astype(object), "year": grouped["year"],
                                 "value": grouped["value"].astype(float),
                                 "indicator": grouped["indicator"].astype(object), "unit": ""})
            return ind.normalise_values(
                long.assign(row=range(1, len(long) + 1), column=None, sheet=None, table=table), report)
    content = ssb_codes.content_dimension(extra)
    if content is not None:
        return _mapped_contents(frame, content, table, report)
    indicator = None
    if extra:
        parts = [frame[c].astype(str) for c in extra if frame[c].nunique() > 1 or c == extra[0]]
        indicator = parts[0]
        for part in parts[1:]:
            indicator = indicator + "." + part
    long = pd.DataFrame({"region": frame["region_code"].astype(object), "year": frame["year"],
                         "value": frame["value"].astype(float)})
    long["indicator"] = indicator.astype(object) if indicator is not None else (table or "")
    units = frame.attrs.get("units") or {}
    long["unit"] = frame[extra[0]].map(lambda c: units.get(str(c), "")) if extra and units else ""
    return ind.normalise_values(long.assign(row=range(1, len(long) + 1), column=None, sheet=None, table=table),
                                report)


def _mapped_contents(frame: pd.DataFrame, content: str, table: str | None, report: ImportReport) -> pd.DataFrame:
    """Values of a JSON-stat answer whose content codes become catalogue indicators
    (``io.ssb_codes``); codes without a mapping are reported with SSB's label and left out."""
    labels = (frame.attrs.get("dimension_labels") or {}).get(content, {})
    workspace_map = current_choices().code_map
    ids: dict[str, str | None] = {}
    for code in frame[content].astype(str).unique():
        found = ssb_codes.lookup(table, code, labels.get(code, ""), workspace_map)
        ids[code] = found.indicator
        if found.conflict:   # SSB's label says another figure: never stored under the mapped indicator
            report.warning("ssb_code_label_mismatch", table=table or "", content_code=code,
                           label=labels.get(code, code), expected=found.conflict)
    unmapped = [code for code, ident in ids.items() if ident is None]
    units = frame.attrs.get("units") or {}
    for code in unmapped:
        report.warning("ssb_code_unmapped", table=table or "", content_code=code, label=labels.get(code, code))
        report.unmapped_codes.append({"table": table or "", "code": code, "label": labels.get(code, code),
                                      "unit": str(units.get(code, "") or "")})
    codes = frame[content].astype(str)
    kept = frame[codes.map(lambda c: ids.get(c) is not None)]
    long = pd.DataFrame({"region": kept["region_code"].astype(object), "year": kept["year"],
                         "value": kept["value"].astype(float),
                         "indicator": kept[content].astype(str).map(ids).astype(object),
                         "unit": kept[content].astype(str).map(lambda c: units.get(c, "")).astype(object)})
    if long.empty and unmapped and report.ok:
        report.error("ssb_nothing_mapped", table=table or "", count=len(unmapped))
    return ind.normalise_values(long.assign(row=range(1, len(long) + 1), column=None, sheet=None, table=table),
                                report)


def _is_kolada(data: bytes) -> bool:
    from kommunestrategi.io import kolada_import

    return kolada_import.looks_like_kolada(data)


def _other_reader(kind: str, data: bytes, file_name: str, report: ImportReport,
                  country: str = "NO") -> dict[str, pd.DataFrame]:
    """Boundaries and travel times are read by ``io.geofiles`` / ``io.travel``."""
    module, function, table = {
        "boundaries": ("kommunestrategi.io.geofiles", "read_boundaries", "boundaries"),
        "travel-times": ("kommunestrategi.io.travel", "read_travel_times", "travel_times"),
        "population-grid": ("kommunestrategi.servicepoints.grid", "read_population_grid", "population_grid"),
    }[kind]
    try:
        reader = getattr(importlib.import_module(module), function)
    except (ImportError, AttributeError):
        report.error("kind_unavailable", kind=kind)
        return {}
    frame, other = reader(data, file_name, country=country) if kind == "boundaries" else reader(data, file_name)
    report.extend(other.lines)
    if frame is None:
        return {}
    if kind == "boundaries":
        from kommunestrategi import geo

        return {table: geo.boundaries_to_table(frame)}
    return {table: pd.DataFrame(frame)}


def validate_file(data: bytes, file_name: str, kind: str = "indicators", *,
                  indicator_id: str | None = None, year: int | None = None,
                  correspondence: Mapping[str, object] | None = None, sheet: str | int | None = None,
                  choices: ImportChoices | None = None,
                  service_area: str | None = None, country: str = "NO") -> ImportResult:
    """Check and read one uploaded file; never raises for a bad file, never writes.

    ``correspondence`` (old number -> newer number, e.g. 2019 -> 2020) translates
    numbers of older structures before they are matched to the map (numbers of
    every vintage since the 1940s are translated by the bundled number history
    anyway). ``sheet`` (name or 1-based number) picks one sheet of a workbook;
    ``choices`` carries the user's decisions on splits and unknown indicators.
    ``service_area`` is the service of arrangement rows that do not name one.
    ``country`` (``NO`` or ``SE``, the workspace's) decides which municipality numbers are valid.
    """
    with using_correspondence(correspondence), using_choices(choices):
        return _validate_file(data, file_name, kind, indicator_id=indicator_id, year=year, sheet=sheet,
                              service_area=service_area, country=country or "NO")


def _validate_file(data: bytes, file_name: str, kind: str, *,
                   indicator_id: str | None, year: int | None, sheet: str | int | None = None,
                   service_area: str | None = None, country: str = "NO") -> ImportResult:
    name = PurePath(file_name).name or "upload"
    report = ImportReport(name)
    result = ImportResult(kind=kind, file_name=name, sha256=sha256(data), report=report)
    if kind not in KINDS:
        report.error("unknown_kind", kind=kind, expected=", ".join(KINDS))
        result.readable = False
        return result
    try:
        fmt, facts = check_upload(data, name, report, _ALLOWED[kind])
        if fmt is None:
            result.readable = False
            return result
        if kind in ("boundaries", "travel-times", "population-grid"):
            result.tables = _other_reader(kind, data, name, report, country)
            frame = next(iter(result.tables.values()), None)
            result.counts = {"rows": int(len(frame)) if frame is not None else 0}
            if frame is not None and "kommunenummer" in frame:
                result.counts["municipalities"] = int(frame["kommunenummer"].nunique())
            result.readable = bool(result.tables) or report.ok
            return result
        if country == "SE" and kind == "indicators":
            from kommunestrategi.io import kolada_import

            if fmt == "json":
                if not kolada_import.looks_like_kolada(data):
                    report.error("se_needs_kolada")
                    values = kolada_import.empty_values()
                else:
                    values = kolada_import.read_json(data, report, indicator_id)
            else:
                grids = _grids(data, fmt, report, facts)
                values = kolada_import.read_grids(grids, report, indicator_id, year) if grids else \
                    kolada_import.empty_values()
            if values.empty and report.ok:
                report.error("no_valid_rows")
            result.tables = {"indicator_values": values}
            result.counts = ind.indicator_counts(values)
            return result
        if fmt == "json" and kind == "indicators" and _is_kolada(data):
            report.error("kolada_needs_swedish_workspace")
            return result
        if fmt == "json":
            values = _indicators_from_json(data, report)
            if values.empty and report.ok:
                report.error("no_valid_rows")
            result.tables = {"indicator_values": values}
            result.counts = ind.indicator_counts(values)
            return result
        grids = _grids(data, fmt, report, facts)
        if not grids:
            if report.ok:
                report.error("no_table")
            result.readable = False
            return result
        if len(grids) > 1:
            result.sheets = sheets_mod.sheet_overview(grids)
        if kind == "indicators":
            values = ind.read_indicators(grids, report, indicator_id=indicator_id, year=year, sheet=sheet)
            result.sheet = report.sheet
            if values.empty and report.ok:
                report.error("no_valid_rows")
            result.tables = {"indicator_values": values}
            result.counts = ind.indicator_counts(values)
        else:
            tables = arr.read_arrangements(grids, report, service_area=service_area)
            result.tables = tables
            result.counts = arr.arrangement_counts(tables)
    except MemoryError:
        report.error("too_large", size_mb=round(len(data) / 1048576, 1), limit_mb=round(len(data) / 1048576, 1))
        result.readable = False
    except Exception as exc:  # noqa: BLE001 - an untrusted file must end as a report line, never a traceback
        report.error("unreadable", detail=type(exc).__name__)
        result.readable = False
    return result
