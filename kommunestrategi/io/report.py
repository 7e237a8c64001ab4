"""The validation report: one line per problem, naming file, sheet, row and column.

Lines carry a message *key* and parameters rather than text, so the same report
renders in Norwegian, English or Swedish (``render``) and exports to XLSX. Errors
block an import; warnings do not.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Literal

from kommunestrategi.i18n import catalogue, t

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class ReportLine:
    """One finding. ``row`` is the 1-based row as the user sees it in the file."""

    severity: Severity
    code: str
    file: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    params: dict = field(default_factory=dict)
    suggestion: str | None = None

    @property
    def message_key(self) -> str:
        return f"report.{self.code}"

    def message(self, lang: str = "nb") -> str:
        """The problem in the user's language."""
        where = {"sheet": self.sheet or "", "row": self.row or "", "column": self.column or ""}
        params = dict(self.params)
        if isinstance(params.get("field"), str):  # a register field by its column title, not its id
            key = f"data.column.{params['field']}"
            params["field"] = t(key, lang) if key in catalogue() else params["field"]
        return t(self.message_key, lang, **{**where, **params})

    def as_dict(self, lang: str | None = None) -> dict:
        data = asdict(self)
        if lang:
            data["message"] = self.message(lang)
        return data


@dataclass
class ImportReport:
    """All findings for one file."""

    file: str
    lines: list[ReportLine] = field(default_factory=list)
    #: older municipality numbers translated to today's (``from``, ``to``, ``weights``, ``by``)
    translated: list[dict] = field(default_factory=list)
    #: the sheet of a workbook that was read
    sheet: str | None = None
    #: SSB content codes without a catalogue indicator (``table``, ``code``, ``label``)
    unmapped_codes: list[dict] = field(default_factory=list)

    def add(self, severity: Severity, code: str, *, sheet: str | None = None, row: int | None = None,
            column: str | None = None, suggestion: str | None = None, **params: object) -> ReportLine:
        line = ReportLine(severity, code, self.file, sheet, row, column, dict(params), suggestion)
        self.lines.append(line)
        return line

    def error(self, code: str, **kwargs: object) -> ReportLine:
        return self.add("error", code, **kwargs)

    def warning(self, code: str, **kwargs: object) -> ReportLine:
        return self.add("warning", code, **kwargs)

    def extend(self, lines: Iterable[ReportLine]) -> None:
        self.lines.extend(lines)

    @property
    def errors(self) -> list[ReportLine]:
        return [line for line in self.lines if line.severity == "error"]

    @property
    def warnings(self) -> list[ReportLine]:
        return [line for line in self.lines if line.severity == "warning"]

    @property
    def ok(self) -> bool:
        """True when nothing blocks the import (warnings allowed)."""
        return not self.errors

    def as_rows(self, lang: str = "nb") -> list[dict]:
        """Rows for a table or JSON: file, sheet, row, column, severity, problem, suggestion."""
        return [
            {"file": line.file, "sheet": line.sheet, "row": line.row, "column": line.column,
             "severity": line.severity, "code": line.code, "problem": line.message(lang),
             "suggestion": line.suggestion}
            for line in self.lines
        ]


#: Characters that make a spreadsheet program read a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
#: Characters XML 1.0 cannot hold (an uploaded file's name may contain them).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def write_text_safe(sheet: object, rows: Iterable[list[object]]) -> None:
    """Append rows to an openpyxl sheet so no text cell can become a formula.

    openpyxl stores text starting with ``=`` as a formula; forcing the cell type to
    string keeps ``=HYPERLINK(...)``, ``+cmd`` or ``@SUM`` as the literal text the
    user uploaded, shown but never evaluated.
    """
    for values in rows:
        sheet.append([_XML_ILLEGAL.sub("", v)[:32_767] if isinstance(v, str) else v for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"
                # the quote prefix makes Excel and LibreOffice show the text even when the
                # cell is edited and confirmed again (the file name and sheet names too)
                if cell.value.startswith(FORMULA_PREFIXES):
                    cell.quotePrefix = True


def report_xlsx(report: ImportReport, lang: str = "nb") -> bytes:
    """The report as an XLSX workbook (formula-injection safe: every cell is plain text or a number)."""
    import io

    from openpyxl import Workbook
    from openpyxl.styles import Font

    book = Workbook()
    sheet = book.active
    sheet.title = t("report.xlsx.sheet", lang)[:31]
    headers = [t(f"report.column.{name}", lang) for name in
               ("file", "sheet", "row", "column", "severity", "problem", "suggestion")]
    sheet.append(headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    write_text_safe(sheet, (
        [row["file"], row["sheet"], row["row"], row["column"],
         t(f"report.severity.{row['severity']}", lang), row["problem"], row["suggestion"]]
        for row in report.as_rows(lang)))
    for letter, width in zip("ABCDEFG", (28, 16, 8, 12, 10, 80, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass
class ImportResult:
    """What validating one file produced: the report, the canonical tables and a preview.

    ``tables`` is empty when the file could not be read; ``report.ok`` says whether
    the tables may be imported.
    """

    kind: str
    file_name: str
    sha256: str
    report: ImportReport
    tables: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    readable: bool = True
    #: the workbook's sheets (``name``, ``position``, ``municipality_rows``, ``rows``) when it has several
    sheets: list = field(default_factory=list)
    #: the sheet that was read (None for CSV/JSON or when none could be chosen)
    sheet: str | None = None

    @property
    def translated(self) -> list[dict]:
        """Older municipality numbers translated to today's (``from``, ``to``, ``weights``, ``by``)."""
        return self.report.translated

    @property
    def ok(self) -> bool:
        return self.readable and self.report.ok and bool(self.tables)
