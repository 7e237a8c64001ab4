"""Travel times between municipality centres, to replace straight-line distances.

A secretariat gets travel times from a route planner or the county as a matrix
(municipalities down the first column and across the first row, minutes in the
cells) or as a long table (from, to, minutes). Both arrive as CSV or xlsx and are
read with the shared safe readers; municipalities may be numbers in any form or
names. The result is one canonical long table ``from_kommunenummer,
to_kommunenummer, minutes`` (2024 numbers, 4 digits) plus a report.

Minutes may be written ``95``, ``95,5`` or ``1:35`` (hours:minutes). A pair given
twice with different times, a negative or implausibly long time, or an unknown
municipality is an error; aggregates are skipped with a warning; the diagonal
(a municipality to itself) is dropped.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import pandas as pd

from kommunestrategi import formatting
from kommunestrategi.codes import fold_name
from kommunestrategi.geo import code_index
from kommunestrategi.io import template_columns
from kommunestrategi.io.csvfiles import read_csv_grid
from kommunestrategi.io.excel import read_workbook
from kommunestrategi.io.report import ImportReport
from kommunestrategi.io.safety import check_upload
from kommunestrategi.io.tables import column_letter
from kommunestrategi.io.validation import CappedReport, Region, parse_number, resolve_region

COLUMNS = ["from_kommunenummer", "to_kommunenummer", "minutes"]
#: Longest plausible travel time between two centres (two days, e.g. by ferry and road).
MAX_MINUTES = 48 * 60
#: Header names (folded, letters only) of the long form's columns.
_FROM_NAMES = ("fra", "from", "frakommune", "fromkommune", "fromkommunenummer", "origin", "start", "frakommunenr",
               "fran", "franvalue")
_TO_NAMES = ("til", "to", "tilkommune", "tokommune", "tokommunenummer", "destination", "mal", "tilkommunenr")
_MINUTE_NAMES = ("minutter", "minutes", "min", "minuter", "reisetid", "reisetidmin", "reisetidminutter",
                 "traveltime", "traveltimeminutes", "restid", "tid", "time", "minutt")
_HOURS_MINUTES = re.compile(r"^\s*(\d{1,3}):([0-5]\d)(?::[0-5]\d)?\s*$")


@dataclass(frozen=True)
class _Cell:
    row: int  # 1-based, as the user sees it
    column: str
    value: object


def _letters(text: object) -> str:
    return re.sub(r"[^a-z]", "", fold_name(str(text)))


# the template's column labels in every language name its columns too
_FROM_NAMES += tuple(sorted(template_columns.aliases("from_kommunenummer", _letters)))
_TO_NAMES += tuple(sorted(template_columns.aliases("to_kommunenummer", _letters)))
_MINUTE_NAMES += tuple(sorted(template_columns.aliases("minutes", _letters)))


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or str(value).strip() == ""


def _grid(data: bytes, file_name: str, report: ImportReport) -> tuple[list[list[object]], str | None] | None:
    fmt, facts = check_upload(data, file_name, report, allowed=("xlsx", "csv"))
    if fmt is None:
        return None
    if fmt == "csv":
        return read_csv_grid(data, report), None
    sheets = read_workbook(data, report, facts)
    for sheet in sheets:
        if any(not _blank(v) for row in sheet.rows for v in row):
            return sheet.rows, sheet.name
    return [], None


def _trim(rows: list[list[object]]) -> tuple[list[list[object]], int, int]:
    """Drop empty rows and columns around the table; returns (rows, first row, first column)."""
    keep_rows = [i for i, row in enumerate(rows) if any(not _blank(v) for v in row)]
    if not keep_rows:
        return [], 0, 0
    top = keep_rows[0]
    body = rows[top:keep_rows[-1] + 1]
    width = max(len(r) for r in body)
    padded = [list(r) + [None] * (width - len(r)) for r in body]
    used = [j for j in range(width) if any(not _blank(r[j]) for r in padded)]
    left, right = used[0], used[-1]
    return [r[left:right + 1] for r in padded], top, left


def _is_place(value: object) -> bool:
    if _blank(value):
        return False
    return resolve_region(value).kind in ("unit", "aggregate") or bool(
        re.fullmatch(r"\s*(?:K-)?\d{3,4}\b.*", str(value)))


def _number(region: Region) -> str | None:
    """The 2024 number for a resolved municipality (a 2020 number is translated)."""
    if region.kind != "unit":
        return None
    if region.number and not region.old_number:
        return region.number
    translated = code_index().number_2024_by_2020.get(region.number or "", ())
    return translated[0] if len(translated) == 1 else region.unit


def _minutes(value: object) -> float | None:
    """Minutes from a cell: number, decimal comma, or ``h:mm``; None when empty, NaN when not a time."""
    if isinstance(value, str):
        match = _HOURS_MINUTES.match(value)
        if match:
            return int(match.group(1)) * 60 + int(match.group(2))
    if hasattr(value, "hour") and hasattr(value, "minute") and not hasattr(value, "year"):
        return value.hour * 60 + value.minute  # a time-of-day cell from Excel means h:mm
    try:
        return parse_number(value, ",")
    except TypeError:
        return math.nan


def _cells_from_matrix(table: list[list[object]], top: int, left: int,
                       csv_like: bool) -> list[tuple[_Cell, _Cell, _Cell]]:
    """(origin, destination, minutes) cells of a matrix: origins down, destinations across."""
    header = table[0]
    origin_column = str(header[0] or "") if csv_like else column_letter(left)
    out = []
    for i, row in enumerate(table[1:], start=1):
        for j in range(1, len(header)):
            column = str(header[j]) if csv_like else column_letter(left + j)
            out.append((_Cell(top + i + 1, origin_column, row[0]), _Cell(top + 1, column, header[j]),
                        _Cell(top + i + 1, column, row[j])))
    return out


def _long_columns(header: list[object]) -> tuple[int, int, int] | None:
    names = [_letters(h) for h in header]

    def find(options: tuple[str, ...]) -> int | None:
        for option in options:
            if option in names:
                return names.index(option)
        return None

    found = (find(_FROM_NAMES), find(_TO_NAMES), find(_MINUTE_NAMES))
    if None in found or len(set(found)) < 3:
        return None
    return found  # type: ignore[return-value]


def read_travel_times(data: bytes, file_name: str) -> tuple[pd.DataFrame | None, ImportReport]:
    """Travel times from a CSV or xlsx matrix or long table, validated.

    Returns ``(frame, report)``: ``frame`` has columns ``from_kommunenummer``,
    ``to_kommunenummer`` (text, 4 digits, 2024 numbers) and ``minutes`` (float),
    one row per ordered pair, sorted; None when an error blocks the import.
    ``frame.attrs["layout"]`` is ``"matrix"`` or ``"long"``.
    """
    report = ImportReport(file_name)
    grid = _grid(data, file_name, report)
    if grid is None or report.errors:
        return None, report
    rows, sheet = grid
    table, top, left = _trim(rows)
    if len(table) < 2 or len(table[0]) < 2:
        report.error("travel_empty", sheet=sheet)
        return None, report
    csv_like = sheet is None
    header = table[0]
    long_cols = _long_columns(header)
    across = [v for v in header[1:] if not _blank(v)]
    down = [r[0] for r in table[1:] if not _blank(r[0])]
    is_matrix = (long_cols is None and across and down
                 and sum(map(_is_place, across)) >= 0.6 * len(across)
                 and sum(map(_is_place, down)) >= 0.6 * len(down))
    triples: list[tuple[_Cell, _Cell, _Cell]] = []
    if is_matrix:
        layout = "matrix"
        triples = _cells_from_matrix(table, top, left, csv_like)
    elif long_cols is not None:
        layout = "long"
        f, t, m = long_cols

        def name(j: int) -> str:
            return str(header[j]) if csv_like else column_letter(left + j)

        for i, row in enumerate(table[1:], start=1):
            if all(_blank(v) for v in row):
                continue
            triples.append((_Cell(top + i + 1, name(f), row[f]), _Cell(top + i + 1, name(t), row[t]),
                            _Cell(top + i + 1, name(m), row[m])))
    else:
        report.error("travel_layout", sheet=sheet)
        return None, report

    capped = CappedReport(report)
    seen: dict[tuple[str, str], tuple[float, int]] = {}
    skipped_aggregates: set[str] = set()
    empty_cells = 0
    reported: set[tuple[int, str]] = set()
    for origin, destination, cell in triples:
        ends = []
        for end in (origin, destination):
            region = resolve_region(end.value) if not _blank(end.value) else Region("unknown")
            if region.kind == "aggregate":
                skipped_aggregates.add(str(end.value).strip())
                ends.append(None)
                continue
            number = _number(region)
            if number is None and (end.row, end.column) not in reported:
                reported.add((end.row, end.column))
                capped.add("error", "travel_unknown_municipality", sheet=sheet, row=end.row, column=end.column,
                           value=str(end.value if not _blank(end.value) else "")[:60],
                           suggestion=region.suggestion)
            ends.append(number)
        minutes = _minutes(cell.value)
        if minutes is None:
            empty_cells += 1
            continue
        if None in ends:
            continue
        a, b = ends
        if math.isnan(minutes):
            capped.add("error", "travel_not_a_time", sheet=sheet, row=cell.row, column=cell.column,
                       value=str(cell.value)[:40])
            continue
        if a == b:
            if minutes != 0:
                capped.add("warning", "travel_diagonal", sheet=sheet, row=cell.row, column=cell.column,
                           number=a, minutes=formatting.number(minutes, decimals=1))
            continue
        if minutes < 0 or minutes > MAX_MINUTES:
            capped.add("error", "travel_implausible", sheet=sheet, row=cell.row, column=cell.column,
                       minutes=formatting.number(minutes, decimals=1), limit=formatting.number(MAX_MINUTES))
            continue
        if minutes == 0:
            capped.add("error", "travel_zero", sheet=sheet, row=cell.row, column=cell.column,
                       origin=a, destination=b)
            continue
        previous = seen.get((a, b))
        if previous is not None and previous[0] != minutes:
            capped.add("error", "travel_conflict", sheet=sheet, row=cell.row, column=cell.column,
                       origin=a, destination=b, first=formatting.number(previous[0], decimals=1),
                       second=formatting.number(minutes, decimals=1), first_row=previous[1])
            continue
        seen[(a, b)] = (minutes, cell.row)
    capped.finish()
    if skipped_aggregates:
        report.warning("travel_aggregates_skipped", sheet=sheet, count=len(skipped_aggregates),
                       examples=", ".join(sorted(skipped_aggregates)[:3]))
    if empty_cells and layout == "matrix":
        report.warning("travel_empty_cells", sheet=sheet, count=formatting.number(empty_cells))
    if not seen and not report.errors:
        report.error("travel_no_pairs", sheet=sheet)
    if report.errors:
        return None, report
    frame = pd.DataFrame([(a, b, m) for (a, b), (m, _) in seen.items()], columns=COLUMNS)
    frame = frame.astype({"from_kommunenummer": "string", "to_kommunenummer": "string", "minutes": "float64"})
    frame = frame.sort_values(["from_kommunenummer", "to_kommunenummer"]).reset_index(drop=True)
    frame.attrs["layout"] = layout
    return frame, report


def symmetric_minutes(frame: pd.DataFrame) -> pd.DataFrame:
    """A square table of minutes where each pair takes the mean of both directions.

    Useful where a single figure per pair is wanted (e.g. the longest trip in a
    region); pairs given in one direction only use that figure.
    """
    both = pd.concat([frame, frame.rename(columns={"from_kommunenummer": "to_kommunenummer",
                                                   "to_kommunenummer": "from_kommunenummer"})])
    mean = both.groupby(["from_kommunenummer", "to_kommunenummer"])["minutes"].mean()
    return mean.unstack()
