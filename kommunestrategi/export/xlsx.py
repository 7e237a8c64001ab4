"""The strategy summary as a workbook (openpyxl): every answer and figure on named sheets.

Safe against formula injection: text is always stored as text. openpyxl turns a
string starting with ``=`` into a formula, and spreadsheet programs treat text
starting with ``+``, ``-``, ``@``, a tab or a carriage return as the start of a
formula when a cell is edited; such cells are written as strings with Excel's
quote prefix (the cell shows the text and never evaluates it). Figures are
written as numbers with a number format.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from kommunestrategi.export.document import MEDIAN_MARK, Document, Num, Sheet, clean_text

#: First characters that make a spreadsheet read text as a formula.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="2F4B6E")
_WRAP = Alignment(wrap_text=True, vertical="top")
#: Excel's limit for one cell's text.
MAX_CELL_CHARS = 32_767
_SHEET_FORBIDDEN = str.maketrans({c: "_" for c in "[]:*?/\\"})


def write_text(cell: XlCell, value: object) -> None:
    """Store ``value`` as plain text, never as a formula."""
    text = clean_text(value)[:MAX_CELL_CHARS]
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def write_cell(cell: XlCell, value: object) -> None:
    """A figure as a number (with its format), anything else as safe text."""
    if isinstance(value, Num):
        if value.value is None:
            write_text(cell, value.text)
            return
        cell.value = value.value
        cell.number_format = "#,##0" if float(value.value).is_integer() else "#,##0.00"
        if value.text.endswith(MEDIAN_MARK):  # a group's median keeps its marker, as text in the format
            cell.number_format += f'"{MEDIAN_MARK}"'
        return
    write_text(cell, value)


def sheet_title(name: str, taken: set[str]) -> str:
    """A valid, unique worksheet name (31 characters, none of ``[]:*?/\\``)."""
    base = clean_text(name).translate(_SHEET_FORBIDDEN).strip("'")[:31] or "Ark"
    title, n = base, 2
    while title.lower() in taken:
        suffix = f" ({n})"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(title.lower())
    return title


def column_widths(sheet: Sheet, cap: int = 50) -> list[float]:
    """Widths (in characters) from the content: at least a heading's longest word and
    the longest figure, and room for one line of text up to ``cap`` (or the sheet's
    own width for a column of long answers)."""
    widths = []
    for j, title in enumerate(sheet.columns):
        cells = [row[j] for row in sheet.rows if j < len(row)]
        least = max([len(w) for w in str(title).split()] + [len(c.text) for c in cells if isinstance(c, Num)],
                    default=4)
        longest = max([len(line) for c in cells for line in str(c).splitlines()] + [len(str(title))], default=0)
        limit = sheet.widths[j] if j < len(sheet.widths) else cap
        widths.append(float(max(least, min(longest, limit)) + 2))
    return widths


def _write_sheet(ws, sheet: Sheet) -> None:
    for col, title in enumerate(sheet.columns, start=1):
        cell = ws.cell(row=1, column=col)
        write_text(cell, title)
        cell.font = _HEADER_FONT
        cell.fill = _HEADER_FILL
        cell.alignment = _WRAP
    for r, row in enumerate(sheet.rows, start=2):
        for c, value in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            write_cell(cell, value)
            cell.alignment = _WRAP
    for col, width in enumerate(column_widths(sheet), start=1):
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"
    if sheet.rows:
        ws.auto_filter.ref = f"A1:{get_column_letter(len(sheet.columns))}{len(sheet.rows) + 1}"


def render_xlsx(document: Document) -> bytes:
    """The document's sheets as XLSX bytes."""
    wb = Workbook()
    wb.remove(wb.active)
    taken: set[str] = set()
    for sheet in document.sheets:
        ws = wb.create_sheet(sheet_title(sheet.name, taken))
        _write_sheet(ws, sheet)
    wb.properties.title = clean_text(document.title)
    wb.properties.creator = "kommunestrategi"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
