"""The strategy summary's "Existing cooperation" section: the council's arrangements from the register.

``cooperation_part`` reads what the section shows (from a register, in the
council's language); ``cooperation_section`` turns it into a document section.
The XLSX gets the same table as its own sheet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from kommunestrategi.cooperation import analysis
from kommunestrategi.cooperation import overview as ov
from kommunestrategi.cooperation.model import Arrangement
from kommunestrategi.export.model import Cell, Notice, Num, Paragraph, Section, Table
from kommunestrategi.formatting import number
from kommunestrategi.i18n import t

#: Overview columns shown in the document (the page's XLSX has them all).
DOCUMENT_COLUMNS = ("name", "service_area", "legal_form", "host", "members", "next_review", "exit_clause",
                    "notice_months", "flags")


@dataclass
class CooperationPart:
    """The council's running arrangements as table rows (texts in the council's language)."""

    source: str
    columns: list[str]
    rows: list[list[Cell]] = field(default_factory=list)
    flagged: int = 0


def cooperation_part(arrangements: Iterable[Arrangement], council: str, lang: str, source: str = "",
                     today: dt.date | None = None) -> CooperationPart:
    running = [a for a in arrangements if a.active]
    index = [ov.COLUMNS.index(c) for c in DOCUMENT_COLUMNS]
    rows: list[list[Cell]] = []
    for row in ov.overview_table(running, council, lang, today):
        cells: list[Cell] = []
        for i in index:
            value = row[i]
            if ov.COLUMNS[i] == "notice_months":
                cells.append(Num(value, number(value, lang)))
            else:
                cells.append(str(value) if value else "–")
        rows.append(cells)
    flagged = sum(1 for a in running if council in a.members and analysis.flags(a, today))
    return CooperationPart(source, [t(f"cooperation.column.{c}", lang) for c in DOCUMENT_COLUMNS], rows, flagged)


def cooperation_section(part: CooperationPart | None, lang: str) -> Section:
    section = Section("cooperation", t("export.section.cooperation", lang))
    if part is None or not part.rows:
        section.blocks.append(Notice(t("export.cooperation.none", lang), "info"))
        return section
    section.blocks.append(Paragraph(t("export.cooperation.intro", lang, count=number(len(part.rows), lang),
                                      source=part.source or t("cooperation.source_app", lang, count=len(part.rows)))))
    section.blocks.append(Table(part.columns, part.rows))
    if part.flagged:
        section.blocks.append(Notice(t("export.cooperation.flagged", lang, count=number(part.flagged, lang)),
                                     "warning"))
    return section
