"""The format-neutral model of a strategy summary and its input.

``Document`` (sections of paragraphs, field lists, tables, images and notices,
plus the workbook's sheets) is what every renderer draws; ``CouncilData`` is
everything known about one council, already in the user's language, from which
``document.build_document`` makes it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from kommunestrategi.textsafe import break_autolinks

# --- building blocks -----------------------------------------------------------

#: Characters XML 1.0 (DOCX, XLSX) cannot hold; removed from every text.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def clean_text(value: object) -> str:
    """A value as text that every output format can hold.

    Only characters XML forbids are dropped; tabs, line breaks, quotes, ``<`` and
    leading ``=`` are kept exactly (each renderer writes text as text).
    """
    return _XML_ILLEGAL.sub("", "" if value is None else str(value))


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>:~$&=^])")


def markdown_escape(text: str) -> str:
    """Text for a Markdown renderer that shows it literally (no emphasis, links,
    HTML, LaTeX or colour directives); line breaks are kept as breaks."""
    escaped = break_autolinks(_MARKDOWN_SPECIAL.sub(r"\\\1", clean_text(text)))
    return escaped.replace("\r\n", "\n").replace("\n", "  \n")


@dataclass(frozen=True)
class Num:
    """A figure: the number for spreadsheets and its formatted text for documents."""

    value: float | int | None
    text: str

    def __str__(self) -> str:
        return self.text


Cell = str | Num


@dataclass
class Paragraph:
    """Running text. ``style``: ``body`` or ``note`` (smaller, for sources)."""

    text: str
    style: str = "body"


@dataclass
class BulletList:
    items: list[str]


@dataclass
class Fields:
    """Label/value pairs: the typed answers, kept whole however long they are."""

    items: list[tuple[str, str]]


@dataclass
class Table:
    """A table of short cells with a header row; ``caption`` names year and source."""

    columns: list[str]
    rows: list[list[Cell]]
    caption: str = ""


@dataclass
class Image:
    """A PNG picture (the static map) with its caption."""

    png: bytes
    caption: str
    width_mm: float = 160.0


@dataclass
class Notice:
    """A message about the content: ``missing`` (what is not filled in), ``warning``
    (a consistency rule that fails) or ``info``."""

    text: str
    kind: str = "missing"


Block = Paragraph | BulletList | Fields | Table | Image | Notice


@dataclass
class Section:
    """A titled part of the document; ``level`` 1 is a chapter, 2 and 3 sub-parts."""

    key: str
    title: str
    level: int = 1
    blocks: list[Block] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)

    def walk(self) -> Iterator[Section]:
        yield self
        for sub in self.subsections:
            yield from sub.walk()


@dataclass
class Sheet:
    """A named worksheet for the XLSX export (all answers and figures as a table)."""

    name: str
    columns: list[str]
    rows: list[list[Cell]]
    widths: list[int] = field(default_factory=list)


@dataclass
class Document:
    """The strategy summary of one council, in one language."""

    lang: str
    title: str
    subtitle: str
    council: str
    council_name: str
    workspace: str
    generated_at: datetime
    status: str
    complete: bool
    title_rows: list[tuple[str, str]]
    sections: list[Section]
    sheets: list[Sheet]
    footer: str

    def walk(self) -> Iterator[Section]:
        for section in self.sections:
            yield from section.walk()

    def texts(self) -> Iterator[str]:
        """Every text of the document (for search and tests)."""
        yield from (self.title, self.subtitle, self.status)
        for label, value in self.title_rows:
            yield from (label, value)
        for section in self.walk():
            yield section.title
            for block in section.blocks:
                yield from block_texts(block)


def block_texts(block: Block) -> Iterator[str]:
    if isinstance(block, (Paragraph, Notice)):
        yield block.text
    elif isinstance(block, BulletList):
        yield from block.items
    elif isinstance(block, Fields):
        for label, value in block.items:
            yield from (label, value)
    elif isinstance(block, Table):
        yield from block.columns
        for row in block.rows:
            yield from (str(c) for c in row)
        yield block.caption
    elif isinstance(block, Image):
        yield block.caption


# --- the input: what is known about one council ---------------------------------------

@dataclass
class FieldAnswer:
    """One field of the checklist with its typed answer as display text."""

    field: str
    label: str
    text: str
    required: bool = False
    updated_at: datetime | None = None
    author: str = ""

    @property
    def filled(self) -> bool:
        return bool(self.text.strip())


@dataclass
class CriterionPart:
    """One of the seven criteria for one service area."""

    id: str
    number: int
    title: str
    status: str  # not_started | in_progress | complete
    status_label: str
    fields: list[FieldAnswer] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def missing_required(self) -> list[str]:
        return [f.label for f in self.fields if f.required and not f.filled]


@dataclass
class AreaPart:
    """One service area a council considers: its strategy and its criteria."""

    id: str
    name: str
    approach: str = ""
    form: str = ""
    partners: list[str] = field(default_factory=list)
    host: str = ""
    timeline: str = ""
    rationale: str = ""
    decision_deadline: date | None = None
    review_date: date | None = None
    owner_meetings: str = ""
    reporting: str = ""
    ownership_report: str = ""
    notice_months: float | None = None
    criteria: list[CriterionPart] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    strategy_fields: list[FieldAnswer] = field(default_factory=list)


@dataclass
class IndicatorRow:
    """A key figure of the council against a comparison group."""

    name: str
    unit: str
    value: float | None
    year: int | None
    source: str
    #: (group label, group value): region, KOSTRA group, the country ...
    comparisons: list[tuple[str, float | None]] = field(default_factory=list)
    decimals: int = 0
    #: labels of the comparisons whose value is the median of the group's members
    medians: list[str] = field(default_factory=list)


@dataclass
class RegionPart:
    """The region or scenario the council's strategy points to."""

    name: str
    codes: list[str]
    names: list[str]
    population: int
    population_year: int
    area_km2: float
    contiguous: bool
    guideline: str
    map_png: bytes | None = None
    source: str = ""


@dataclass
class ScenarioRow:
    name: str
    members: int
    population: int
    area_km2: float
    contiguous: bool
    guideline: str
    score: float | None = None


@dataclass
class DatasetRow:
    id: int
    kind: str
    file_name: str
    sha256: str
    created_at: datetime | None
    active: bool


@dataclass
class CouncilData:
    """Everything the summary shows for one council, texts already in ``lang``."""

    council: str
    council_name: str
    workspace: str
    lang: str = "nb"
    generated_at: datetime = field(default_factory=lambda: datetime.now().astimezone())
    areas: list[AreaPart] = field(default_factory=list)
    region: RegionPart | None = None
    indicators: list[IndicatorRow] = field(default_factory=list)
    indicator_note: str = ""
    scenarios: list[ScenarioRow] = field(default_factory=list)
    weights: dict[str, float] = field(default_factory=dict)
    datasets: list[DatasetRow] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    unavailable: list[str] = field(default_factory=list)
    #: the council's existing arrangements (``export.cooperation_part.CooperationPart``), if read
    cooperation: Any = None
    #: ``NO`` or ``SE``: a Swedish workspace's summary names Swedish sources and labels Norwegian guidance
    country: str = "NO"
    #: the workshop board (``export.scenario_part.ScenarioBoardPart``); None: the saved regions are shown
    scenario_board: Any = None
