"""Sheets of a workbook: which hold municipality rows, which one to read (one at a
time, never merged), and why a file has no table of municipalities."""

from __future__ import annotations

import re
from collections.abc import Sequence

from kommunestrategi.codes import fold_name
from kommunestrategi.io import validation as v
from kommunestrategi.io.report import ImportReport
from kommunestrategi.io.tables import cell_text, find_layout, header_key


def sheet_overview(sheets: Sequence[tuple[str | None, list[list[object]], list]]) -> list[dict]:
    """Each sheet with whether it holds municipality rows (``name``, ``position``,
    ``municipality_rows``, ``rows``): what the sheet picker offers."""
    out = []
    for position, (name, rows, merged) in enumerate(sheets, start=1):
        layout = find_layout(rows, merged) if rows else None
        count = 0
        if layout is not None:
            cells = [r[layout.region_col] for r in rows[layout.data_start:] if layout.region_col < len(r)]
            count = sum(1 for cell in cells if v.resolve_region(cell).kind in ("unit", "split"))
        out.append({"name": name, "position": position, "municipality_rows": count, "rows": len(rows),
                    "table": layout is not None})
    return out


def pick_sheet(sheets: Sequence[tuple[str | None, list[list[object]], list]], sheet: str | int | None,
               report: ImportReport) -> tuple[list[tuple[str | None, list[list[object]], list]], list[dict]]:
    """The sheet(s) to read: the one asked for (name or 1-based number), else the only
    sheet with municipality rows; several such sheets need a choice (error)."""
    overview = sheet_overview(sheets) if len(sheets) > 1 or sheet is not None else []
    if sheet is not None and str(sheet).strip():
        wanted = str(sheet).strip()
        for position, item in enumerate(sheets, start=1):
            if item[0] == wanted or (wanted.isdigit() and int(wanted) == position):
                return [item], overview
        for item in sheets:  # a name typed in another case
            if item[0] is not None and fold_name(item[0]) == fold_name(wanted):
                return [item], overview
        report.error("sheet_not_found", sheet_name=wanted,
                     sheets=", ".join(f"{i}: {s[0]}" for i, s in enumerate(sheets, start=1)))
        return [], overview
    if len(sheets) <= 1:
        return list(sheets), overview
    with_rows = [s for s, o in zip(sheets, overview, strict=True) if o["municipality_rows"]]
    if len(with_rows) == 1:
        if sum(1 for o in overview if o["table"]) > 1:  # say so only when another sheet looked like a table
            report.warning("sheet_picked", sheet_name=with_rows[0][0], count=len(sheets))
        return with_rows, overview
    if len(with_rows) > 1:
        report.error("choose_sheet", count=len(with_rows),
                     sheets=", ".join(f"{o['position']}: {o['name']} ({o['municipality_rows']})"
                                      for o in overview if o["municipality_rows"]))
        return [], overview
    return list(sheets), overview


REGISTER_HEADERS = {"medlemmer", "members", "deltakere", "deltakerkommuner", "vertskommune", "host",
                     "samarbeid", "ordning", "arrangement", "selskap"}


def explain_no_table(sheets: Sequence[tuple[str | None, list[list[object]], list]], report: ImportReport) -> None:
    """Say why no table of municipalities was found: a county-level file, a cooperation
    register, or no column of municipality numbers or names at all."""
    for name, rows, _merged in sheets:
        texts = [cell_text(c) for row in rows[:200] for c in row[:12] if cell_text(c)]
        keys = {header_key(t) for t in texts[:400]}
        if keys & REGISTER_HEADERS:
            report.error("register_file", sheet=name)
            return
        kinds = [v.resolve_region(t).kind for t in texts[:2000]]
        counties = sum(1 for t in texts[:2000] if fold_name(strip_code(t)) in v.county_names())
        if counties >= 3 and kinds.count("unit") < counties:
            report.error("county_level_file", sheet=name, count=counties)
            return
    report.error("no_table")


def strip_code(text: str) -> str:
    return re.sub(r"^\s*(?:K-|F-)?\d+\s*", "", text)
