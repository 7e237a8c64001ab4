"""Register fields of an arrangement in an imported file: header names and cell parsing.

Besides name, service area, legal form, members and host, a register may give the
year the arrangement was established, its organisation number, the annual cost
(NOK) or the share of the budget it steers, person-years, the agreement date, the
next review date, whether the agreement has an exit clause and the notice period
in months. Every field may be missing; a cell that cannot be read is reported as a
warning and left missing.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

import pandas as pd

from kommunestrategi.codes import fold_name
from kommunestrategi.io import validation as v
from kommunestrategi.io.tables import cell_text, column_letter, header_key

#: Field -> folded header texts that name it (nb/nn/en/sv).
FIELD_HEADERS: dict[str, set[str]] = {
    "year_established": {"year_established", "etablert", "etableringsar", "ar etablert", "opprettet", "startar",
                         "established", "year established", "inrattad", "bildad", "etablerat"},
    "org_number": {"org_number", "organisasjonsnummer", "orgnr", "org.nr", "org.nr.", "org nr", "orgnummer",
                   "organisation number", "organisationsnummer", "organization number"},
    "annual_cost": {"annual_cost", "arlig kostnad", "kostnad", "kostnad per ar", "arskostnad", "budsjett",
                    "annual cost", "cost", "budget", "arlig kostnad (kr)", "kostnad (kr)", "arlig kostnad nok"},
    "budget_share": {"budget_share", "budsjettandel", "andel av budsjett", "andel av budsjettet", "budget share",
                     "share of budget", "budgetandel", "andel av budgeten"},
    "person_years": {"person_years", "arsverk", "person-years", "person years", "fte", "arsarbetare"},
    "agreement_date": {"agreement_date", "avtaledato", "avtale inngatt", "avtalen inngatt", "dato for avtale",
                       "agreement date", "avtalsdatum"},
    "next_review": {"next_review", "neste revisjon", "neste gjennomgang", "revisjonsdato", "revideres",
                    "neste evaluering", "next review", "review date", "nasta oversyn", "nasta revision"},
    "exit_clause": {"exit_clause", "uttredelsesklausul", "uttreden", "uttredelse", "exit clause", "exit",
                    "uttradesklausul", "uttrade"},
    "notice_months": {"notice_months", "oppsigelsestid", "oppsigelsestid (mnd)", "oppsigelse", "notice period",
                      "notice", "uppsagningstid"},
}
FIELDS: tuple[str, ...] = tuple(FIELD_HEADERS)
_YES = {"ja", "j", "yes", "y", "x", "true", "sann", "1"}
_NO = {"nei", "n", "no", "false", "usann", "0", "nej"}
_DATE_FORMATS = ("%d.%m.%Y", "%d.%m.%y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y")


def field_role(key: str) -> str | None:
    """The register field a folded header names, or None."""
    for name, headers in FIELD_HEADERS.items():
        if key in headers:
            return name
    return None


def empty_columns() -> dict[str, pd.Series]:
    """The register columns of the ``arrangements`` table, empty, with their types."""
    return {
        "year_established": pd.Series(dtype="Int64"),
        "org_number": pd.Series(dtype=str),
        "annual_cost": pd.Series(dtype=float),
        "budget_share": pd.Series(dtype=float),
        "person_years": pd.Series(dtype=float),
        "agreement_date": pd.Series(dtype=str),
        "next_review": pd.Series(dtype=str),
        "exit_clause": pd.Series(dtype=str),
        "notice_months": pd.Series(dtype=float),
    }


def parse_year(text: str) -> int | None:
    match = re.fullmatch(r"\s*(\d{4})(?:\.0)?\s*", text)
    if match and 1800 <= int(match.group(1)) <= 2100:
        return int(match.group(1))
    day = parse_date(text)
    return day.year if day else None


def parse_date(text: str) -> dt.date | None:
    """A date from ISO text, Norwegian ``31.12.2025`` or a spreadsheet date cell."""
    text = text.strip()
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        pass
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    number = v.parse_number(text)
    if number is not None and not math.isnan(number) and 20_000 < number < 80_000:
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(number))  # an Excel serial date
    return None


def _number(text: str) -> float | None:
    cleaned = re.sub(r"(?i)\s*(kr\.?|nok|sek|mill\.?|mnd\.?|måneder|maneder|months?|manader|år|ar)\s*$", "", text)
    cleaned = re.sub(r"(?i)^\s*(kr\.?|nok)\s*", "", cleaned)
    number = v.parse_number(cleaned)
    if number is None or math.isnan(number) or number < 0:
        return None
    if re.search(r"(?i)mill", text):
        number *= 1_000_000
    return number


def parse_yes_no(text: str) -> str | None:
    folded = fold_name(text).strip(" .")
    if folded in _YES or folded.startswith(("ja ", "ja,", "yes ")):
        return "yes"
    if folded in _NO or folded.startswith(("nei ", "nei,", "no ", "ingen")):
        return "no"
    return None


def parse_org_number(text: str) -> str | None:
    digits = re.sub(r"[\s.\-\u00a0]", "", text)
    if digits.upper().startswith("NO"):
        digits = digits[2:]
    if digits.upper().endswith("MVA"):
        digits = digits[:-3]
    return digits if re.fullmatch(r"\d{9}", digits) else None


_PARSERS: dict[str, Callable[[str], object]] = {
    "year_established": parse_year,
    "org_number": parse_org_number,
    "annual_cost": _number,
    "budget_share": _number,
    "person_years": _number,
    "agreement_date": lambda text: (d.isoformat() if (d := parse_date(text)) else None),
    "next_review": lambda text: (d.isoformat() if (d := parse_date(text)) else None),
    "exit_clause": parse_yes_no,
    "notice_months": _number,
}


def read_fields(row: list[str], roles: dict[str, int], capped: v.CappedReport, sheet: str | None,
                line: int) -> dict[str, object]:
    """The register fields of one row (missing ones as None); unreadable cells are reported."""
    values: dict[str, object] = dict.fromkeys(FIELDS)
    for name in FIELDS:
        c = roles.get(name)
        if c is None or c >= len(row) or not row[c]:
            continue
        text = row[c]
        if text in v.MISSING_SYMBOLS:
            continue
        value = _PARSERS[name](text)
        if value is None:
            capped.add("warning", "field_unreadable", sheet=sheet, row=line, column=column_letter(c),
                       value=text[:60], field=name)
            continue
        values[name] = value
    return values


def report_unused_columns(rows: list[list[object]], header_row: int, used: set[int], capped: v.CappedReport,
                          sheet: str | None) -> None:
    """Name every column that has a header or data but was not read (never silently ignored)."""
    width = max((len(r) for r in rows[header_row:header_row + 2000]), default=0)
    headers = rows[header_row] if header_row < len(rows) else []
    for c in range(width):
        if c in used:
            continue
        title = cell_text(headers[c]) if c < len(headers) else ""
        has_data = any(c < len(r) and cell_text(r[c]) for r in rows[header_row + 1:header_row + 2000])
        if title or has_data:
            capped.add("warning", "column_unused", sheet=sheet, row=header_row + 1, column=column_letter(c),
                       header=title[:60] or column_letter(c))


def header_fields(rows: list[list[object]], header_row: int, taken: set[int]) -> dict[str, int]:
    """Register-field columns of a header row (first match per field, skipping ``taken`` columns)."""
    found: dict[str, int] = {}
    for c, value in enumerate(rows[header_row]):
        if c in taken:
            continue
        role = field_role(header_key(cell_text(value)))
        if role and role not in found:
            found[role] = c
    return found
