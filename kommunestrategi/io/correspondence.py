"""A number correspondence between municipality structures, given by the user.

The 2020 <-> 2024 translation is built in. Files that use older numbers (the
2019 structure and before) can be imported when the user also gives a
correspondence table, such as SSB's classification 131 correspondence export:
two columns of municipality numbers, old first (``sourceCode``/``targetCode``,
``old``/``new``, ``fra``/``til``, or simply the first two number columns).

An old number listed with several new ones is a split (Snillfjord 5012 -> 5055,
5056, 5059): it is kept with the shares of a ``weighting``/``andel``/``share``
column, or equal shares without one, and only used for counts once the user has
accepted splitting (``io.validation.ImportChoices``).
"""

from __future__ import annotations

import re
from pathlib import PurePath

from kommunestrategi.codes import normalise_number
from kommunestrategi.io.csvfiles import read_csv_grid
from kommunestrategi.io.excel import read_workbook
from kommunestrategi.io.report import ImportReport
from kommunestrategi.io.safety import check_upload
from kommunestrategi.io.tables import header_key
from kommunestrategi.io.validation import parse_number

_OLD_NAMES = {"sourcecode", "source", "old", "gammel", "gammeltnummer", "fra", "from", "kommunenummer2019"}
_NEW_NAMES = {"targetcode", "target", "new", "ny", "nyttnummer", "til", "to", "kommunenummer2020",
              "kommunenummer2024"}
_SHARE_NAMES = {"weighting", "weight", "andel", "share", "vekt", "vekting"}


def _share_column(header: list[object]) -> int | None:
    keys = [re.sub(r"[^a-z0-9]", "", header_key(str(cell))) for cell in header]
    return next((i for i, key in enumerate(keys) if key in _SHARE_NAMES), None)


def _columns(header: list[object]) -> tuple[int, int] | None:
    keys = [re.sub(r"[^a-z0-9]", "", header_key(str(cell))) for cell in header]
    old = next((i for i, key in enumerate(keys) if key in _OLD_NAMES), None)
    new = next((i for i, key in enumerate(keys) if key in _NEW_NAMES), None)
    return (old, new) if old is not None and new is not None else None


def read_correspondence(data: bytes, file_name: str
                        ) -> tuple[dict[str, str | tuple[tuple[str, float | None], ...]] | None, ImportReport]:
    """Old number -> new number (or, for a split, ``((new, share), ...)``) from a CSV or
    xlsx file; None with report lines when unusable."""
    name = PurePath(file_name).name or "correspondence"
    report = ImportReport(name)
    fmt, facts = check_upload(data, name, report, ("csv", "xlsx"))
    if fmt is None:
        return None, report
    rows = read_workbook(data, report, facts)[0].rows if fmt == "xlsx" else read_csv_grid(data, report)
    rows = [row for row in rows if any(str(cell).strip() for cell in row)]
    if not rows:
        report.error("correspondence_empty")
        return None, report
    columns = _columns(rows[0])
    share_col = _share_column(rows[0]) if columns else None
    body = rows[1:] if columns else rows
    if columns is None:
        # no known header: the first two columns holding municipality numbers
        numeric = [i for i, cell in enumerate(body[0]) if normalise_number(cell)] if body else []
        columns = (numeric[0], numeric[1]) if len(numeric) >= 2 else None
    if columns is None:
        report.error("correspondence_columns")
        return None, report
    targets: dict[str, dict[str, float | None]] = {}
    for offset, row in enumerate(body, start=len(rows) - len(body) + 1):
        old = normalise_number(row[columns[0]]) if columns[0] < len(row) else None
        new = normalise_number(row[columns[1]]) if columns[1] < len(row) else None
        if old is None or new is None:
            report.warning("correspondence_bad_row", row=offset)
            continue
        share = None
        if share_col is not None and share_col < len(row):
            share = parse_number(row[share_col])
            share = share if share is not None and share == share and share > 0 else None
        targets.setdefault(old, {})[new] = share
    mapping: dict[str, str | tuple[tuple[str, float | None], ...]] = {}
    for old, news in targets.items():
        if len(news) == 1:
            mapping[old] = next(iter(news))
        else:
            mapping[old] = tuple(sorted(news.items()))
            report.warning("correspondence_split", number=old, targets=", ".join(sorted(news)))
    if not mapping and report.ok:
        report.error("correspondence_empty")
    return (mapping if report.ok else None), report
