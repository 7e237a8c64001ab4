"""One municipality's cooperation overview as a table in the user's language, and as XLSX.

The same rows feed the Cooperation page's download, the strategy export's
"Existing cooperation" section and the ``cooperation`` command.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from kommunestrategi import criteria
from kommunestrategi.cooperation.analysis import overview_rows
from kommunestrategi.cooperation.model import Arrangement
from kommunestrategi.formatting import day, number
from kommunestrategi.i18n import t

COLUMNS = ("name", "service_area", "legal_form", "host", "members", "next_review", "exit_clause",
           "notice_months", "annual_cost", "person_years", "status", "flags")


def form_name(form_id: str, lang: str) -> str:
    """The legal form's name in ``lang``; the text as given when it is not in the catalogue."""
    if not form_id:
        return t("cooperation.missing", lang)
    try:
        return criteria.text(criteria.catalogue().form(form_id).name, lang)
    except KeyError:
        return form_id


def service_name(area_id: str, lang: str) -> str:
    if not area_id:
        return t("cooperation.missing", lang)
    try:
        return criteria.text(criteria.catalogue().service_area(area_id).name, lang)
    except KeyError:
        return area_id


def municipality(code: str) -> str:
    return criteria.municipality_label(code) if code else ""


def _host_based(form_id: str) -> bool:
    try:
        return criteria.catalogue().form(form_id).host_based if form_id else True
    except KeyError:
        return True


def host_text(host: str, form_id: str, lang: str) -> str:
    """The host as "number name"; "missing" when a host-based form names none, "–" when the form has no host."""
    if host:
        return municipality(host)
    return t("cooperation.missing", lang) if _host_based(form_id) else "–"


def flag_label(flag: str, lang: str) -> str:
    return t(f"cooperation.flag.{flag}", lang)


def yes_no(value: bool | None, lang: str) -> str:
    if value is None:
        return t("cooperation.missing", lang)
    return t("cooperation.yes" if value else "cooperation.no", lang)


def date_text(text: str, lang: str) -> str:
    return day(dt.date.fromisoformat(text), lang) if text else t("cooperation.missing", lang)


def headers(lang: str) -> list[str]:
    return [t(f"cooperation.column.{c}", lang) for c in COLUMNS]


def overview_table(arrangements: Iterable[Arrangement], code: str, lang: str = "nb",
                   today: dt.date | None = None) -> list[list[object]]:
    """Rows (texts and numbers, in the order of :data:`COLUMNS`) for one municipality."""
    rows: list[list[object]] = []
    for r in overview_rows(arrangements, code, today):
        rows.append([
            r["name"], service_name(r["service_area"], lang), form_name(r["legal_form"], lang),
            host_text(r["host"], r["legal_form"], lang), ", ".join(municipality(m) for m in r["members"]),
            date_text(r["next_review"], lang), yes_no(r["exit_clause"], lang),
            r["notice_months"] if r["notice_months"] is not None else None,
            r["annual_cost"], r["person_years"],
            t("cooperation.status.ended", lang, date=date_text(r["ended"], lang)) if r["ended"]
            else t("cooperation.status.running", lang),
            "; ".join(flag_label(f, lang) for f in r["flags"]),
        ])
    return rows


def overview_text_rows(arrangements: Iterable[Arrangement], code: str, lang: str = "nb",
                       today: dt.date | None = None) -> list[list[str]]:
    """The same rows with numbers formatted for the language (``–`` for missing)."""
    out = []
    for row in overview_table(arrangements, code, lang, today):
        cells = list(row)
        cells[7] = number(cells[7], lang)
        cells[8] = number(cells[8], lang)
        cells[9] = number(cells[9], lang, 1)
        out.append([str(c) for c in cells])
    return out


def overview_xlsx(arrangements: Iterable[Arrangement], code: str, lang: str = "nb",
                  today: dt.date | None = None) -> bytes:
    """The overview as a workbook; text is always stored as text (never a formula)."""
    from kommunestrategi.export.xlsx import write_text

    book = Workbook()
    sheet = book.active
    sheet.title = t("cooperation.xlsx.sheet", lang)[:31]
    title = sheet.cell(row=1, column=1)
    write_text(title, t("cooperation.xlsx.title", lang, municipality=municipality(code)))
    title.font = Font(bold=True, size=13)
    for c, text in enumerate(headers(lang), start=1):
        cell = sheet.cell(row=3, column=c)
        write_text(cell, text)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="2F4B6E")
    for r, row in enumerate(overview_table(arrangements, code, lang, today), start=4):
        for c, value in enumerate(row, start=1):
            cell = sheet.cell(row=r, column=c)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                cell.value = value
                cell.number_format = "#,##0" if float(value).is_integer() else "#,##0.0"
            elif value is None:
                write_text(cell, t("cooperation.missing", lang))
            else:
                write_text(cell, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for letter, width in zip("ABCDEFGHIJKL", (34, 20, 26, 20, 44, 14, 10, 10, 14, 10, 16, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
