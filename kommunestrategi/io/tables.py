"""Finding the table inside a sheet: title rows, header rows, the region column, data rows.

Files from SSB's Statistikkbanken and from municipalities rarely start with one
tidy header row: there is a title line, a blank line, one to three header rows
(with merged cells spread over the columns below), then the data. A layout is
found by looking for a header cell that names the region column or, failing
that, for the first rows whose cell in one of the first columns is a
municipality. Column labels are the header rows joined top to bottom, with
merged (blank) cells filled from the left.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from kommunestrategi.codes import fold_name
from kommunestrategi.io import template_columns
from kommunestrategi.io.validation import looks_like_region, resolve_region

#: Headers of a column of municipality numbers (preferred: names can be ambiguous, e.g. Herøy).
NUMBER_HEADERS = {
    "kommunenummer", "kommunenr", "kommunenr.", "knr", "kommunekode", "municipality no.", "municipality number",
    "kommunnummer", "kommunkod", "kode", "code", "kommunenummer_2024", "kommunenummer 2024", "kommuneid",
    "region id", "kommune_nr", "kommune nr", "kommune nr.", "kommune-nr", "komnr", "komm.nr", "komm.nr.",
    "kommune_nummer", "kommunenummer_2020", "kommunenummer 2020", "knr.", "municipality_code",
}
REGION_HEADERS = NUMBER_HEADERS | {"region", "kommune", "municipality", "geo"}
NAME_HEADERS = {"kommunenavn", "navn", "name", "municipality name", "kommunnamn"}
YEAR_HEADERS = {"ar", "year", "tid", "aar", "arstall", "argang", "period", "periode", "time"}
INDICATOR_HEADERS = {"indicator_id", "indikator", "indicator", "statistikkvariabel", "contentscode",
                     "variabel", "indikator_id", "kpi", "indicator id", "indikator-id", "nokkeltall", "nokkeltal"}
VALUE_HEADERS = {"value", "verdi", "varde", "values", "verdier"}
UNIT_HEADERS = {"unit", "enhet", "enheit", "benevning"}
IGNORED_HEADERS = {"fylke", "county", "kommentar", "comment", "note", "notes", "merknad", "kilde", "source",
                   "fylkesnummer", "lan", "kommentarer", "status"}


def column_letter(index: int) -> str:
    """Spreadsheet column letter for a 0-based index (0 -> A, 26 -> AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_text(value: object) -> str:
    """A cell as header text: numbers without '.0', None/NaN as ''."""
    if value is None:
        return ""
    if isinstance(value, float):
        if math.isnan(value):
            return ""
        if value.is_integer():
            return str(int(value))
    return str(value).strip()


def header_key(text: str) -> str:
    """Folded header text for matching ("Kommunenr." -> "kommunenr.", "År" -> "ar")."""
    return fold_name(re.sub(r"\s*\(.*?\)\s*$", "", text)).strip()


# the templates' column labels in every language name their columns too
for _headers, _column in ((NUMBER_HEADERS, "kommunenummer"), (NAME_HEADERS, "kommunenavn"),
                          (INDICATOR_HEADERS, "indicator_id"), (YEAR_HEADERS, "year"),
                          (VALUE_HEADERS, "value"), (UNIT_HEADERS, "unit")):
    _headers |= template_columns.aliases(_column, header_key)
REGION_HEADERS |= NUMBER_HEADERS


@dataclass
class Layout:
    """Where the table is in a grid (0-based rows/columns) and what each column means."""

    data_start: int
    region_col: int
    header_rows: list[int] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    title: str = ""
    merged_header_cols: list[int] = field(default_factory=list)


def _is_empty_row(row: list[object]) -> bool:
    return all(cell_text(v) == "" for v in row)


def find_layout(rows: list[list[object]], merged: list | None = None, scan: int = 60) -> Layout | None:
    """The table layout of a grid, or None when no region column is found."""
    limit = min(scan, len(rows))
    region_col: int | None = None
    data_start: int | None = None
    header_row: int | None = None
    for r in range(min(limit, 30)):
        keys = [header_key(cell_text(v)) for v in rows[r][:12]]
        for headers in (NUMBER_HEADERS, REGION_HEADERS, NAME_HEADERS):
            found = next((c for c, key in enumerate(keys) if key in headers), None)
            if found is not None:
                region_col, header_row = found, r
                break
        if region_col is not None:
            break
    if header_row is not None:
        data_start = header_row + 1
        while data_start < len(rows) and _is_empty_row(rows[data_start]):
            data_start += 1
        # stacked headers under a labelled first header cell ("region" above "kjønn", "år"):
        # the data start at the first row whose region cell is a municipality
        for r in range(data_start, min(len(rows), data_start + 6)):
            cell = rows[r][region_col] if region_col < len(rows[r]) else None
            if looks_like_region(cell) or _plain_number(cell):
                data_start = r
                break
    else:
        for r in range(limit):
            row = rows[r]
            for c in range(min(6, len(row))):
                if looks_like_region(row[c]) and (r + 1 >= len(rows) or looks_like_region(
                        rows[r + 1][c] if c < len(rows[r + 1]) else None) or _is_empty_row(rows[r + 1])):
                    region_col, data_start = c, r
                    break
            if region_col is not None:
                break
        if region_col is None or data_start is None:
            return None
    assert region_col is not None and data_start is not None
    # header rows: from a found header row down to the data, else the non-empty rows directly
    # above the data (up to 4), stopping at a blank row
    header_rows: list[int] = []
    if header_row is not None:
        header_rows = [r for r in range(header_row, data_start) if not _is_empty_row(rows[r])]
        # heading variables stacked above the row that names the region column
        # ("kjønn", "statistikkvariabel", "år" rows above "region"), up to a title line
        r = header_row - 1
        while r >= 0 and len(header_rows) < 6 and not _is_empty_row(rows[r]):
            if len([c for c, v in enumerate(rows[r]) if cell_text(v)]) < 2:
                break
            header_rows.insert(0, r)
            r -= 1
    else:
        r = data_start - 1
        while r >= 0 and len(header_rows) < 4 and not _is_empty_row(rows[r]):
            non_empty = [c for c, v in enumerate(rows[r]) if cell_text(v)]
            if non_empty == [0] and len(header_rows) > 0:
                break  # a title line sitting directly on the headers
            header_rows.insert(0, r)
            r -= 1
    region_col = _best_region_column(rows, data_start, region_col, header_rows)
    title = ""
    for r in range(0, header_rows[0] if header_rows else data_start):
        texts = [cell_text(v) for v in rows[r] if cell_text(v)]
        if texts:
            title = texts[0]
            break
    width = max((len(rows[r]) for r in range(data_start, min(len(rows), data_start + 200))), default=0)
    width = max([width] + [len(rows[r]) for r in header_rows])
    merged_cols = _merged_in_last_header(merged or [], header_rows)
    levels: list[list[str]] = []
    for level, r in enumerate(header_rows):
        texts = [cell_text(rows[r][c]) if c < len(rows[r]) else "" for c in range(width)]
        if level < len(header_rows) - 1:  # spread merged/blank upper header cells to the right
            last = ""
            for c in range(width):
                if c == region_col:
                    continue
                if texts[c]:
                    last = texts[c]
                elif c > region_col:
                    texts[c] = last
        levels.append(texts)
    labels = [" ".join(t for t in (lv[c] for lv in levels) if t).strip() for c in range(width)]
    return Layout(data_start, region_col, header_rows, labels, title, merged_cols)


def _plain_number(value: object) -> bool:
    """A bare 1-4 digit number (a municipality number without a name)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return not (isinstance(value, float) and (math.isnan(value) or not value.is_integer())) and 0 < value < 10000
    return bool(re.fullmatch(r"\s*\d{1,4}\s*", str(value)))


def region_evidence(values: list[object]) -> float:
    """Share of the non-empty cells that name a municipality (any vintage) or an aggregate
    written as one ("Hele landet", "K-21-22"); bare large numbers are counts, not evidence."""
    seen: dict[str, float] = {}
    total = hits = 0
    for value in values:
        text = cell_text(value)
        if not text:
            continue
        total += 1
        if text not in seen:
            region = resolve_region(value)
            if region.kind in ("unit", "split") or region.kind == "aggregate" and re.search(r"[^\W\d_]", text):
                seen[text] = 1.0
            else:
                seen[text] = 0.0
        hits += seen[text]
    return hits / total if total else 0.0


def _best_region_column(rows: list[list[object]], data_start: int, found: int, header_rows: list[int],
                        sample: int = 400) -> int:
    """The region column by evidence over the data rows, never by position alone.

    The column found by its header or first cell is kept when most of its cells are
    municipalities; otherwise the first 12 columns whose headers do not name another
    role (year, indicator, value, unit) are weighed and the one with the clearly
    largest share of municipality cells wins (a count column where some values
    happen to be municipality numbers never does).
    """
    body = rows[data_start:data_start + sample]
    if not body:
        return found
    width = min(12, max(len(r) for r in body))
    column = lambda c: [r[c] if c < len(r) else None for r in body]  # noqa: E731
    own = region_evidence(column(found)) if found < width else 0.0
    if own >= 0.8:
        return found
    taken = YEAR_HEADERS | INDICATOR_HEADERS | VALUE_HEADERS | UNIT_HEADERS | IGNORED_HEADERS
    best, best_share = found, own
    for c in range(width):
        if c == found:
            continue
        header = [header_key(cell_text(rows[r][c])) for r in header_rows if c < len(rows[r])]
        if any(key in taken or re.fullmatch(r"\d{4}", key) for key in header):
            continue
        cells = column(c)
        if len({cell_text(x) for x in cells} - {""}) < min(2, len(cells)):
            continue
        share = region_evidence(cells)
        if share > best_share + 0.3 and share >= 0.8:
            best, best_share = c, share
    return best


def _merged_in_last_header(merged: list, header_rows: list[int]) -> list[int]:
    """Columns covered (but not started) by a merged range in the lowest header row."""
    if not header_rows:
        return []
    last = header_rows[-1]
    covered: list[int] = []
    for (r0, c0), (r1, c1) in merged:
        if r0 <= last <= r1 and c1 > c0:
            covered.extend(range(c0 + 1, c1 + 1))
    return covered
