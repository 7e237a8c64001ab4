"""One council's strategy summary as a plain document model.

The renderers (DOCX, PDF, XLSX, the on-screen preview) all draw the same
``Document``, so the four outputs cannot drift apart. ``build_document`` turns a
``CouncilData`` (everything known about one council, already in the user's
language) into sections of paragraphs, field lists, tables, images and notices.
It is pure: ``collect.py`` reads the store and the analysis modules to fill a
``CouncilData``; tests build one by hand.

Every part that is missing still gets its section, with a notice that says what
is missing and where to fill it in, so a council with nothing filled in still
gets a valid document.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime

from kommunestrategi.formatting import day, number, percent, timestamp
from kommunestrategi.i18n import normalise_language, t
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


# --- building the document -------------------------------------------------------------

#: Key figures shown in the document; the XLSX has them all.
MAX_DOCUMENT_INDICATORS = 16

def _status_counts(data: CouncilData) -> tuple[int, int]:
    criteria = [c for a in data.areas for c in a.criteria]
    return sum(c.status == "complete" for c in criteria), len(criteria)


def _dash(text: str) -> str:
    return text if text.strip() else "–"


class _Builder:
    def __init__(self, data: CouncilData) -> None:
        self.data = data
        self.lang = normalise_language(data.lang)

    def _(self, key: str, **params: object) -> str:
        return t(f"export.{key}", self.lang, **params)

    def num(self, value: float | int | None, decimals: int = 0) -> Num:
        return Num(value, number(value, self.lang, decimals))

    def yes_no(self, flag: bool) -> str:
        return self._("yes") if flag else self._("no")

    def day(self, value: date | None) -> str:
        return day(value, self.lang) if value else "–"

    # title and status

    def status(self) -> tuple[str, bool]:
        done, total = _status_counts(self.data)
        if not self.data.areas:
            return self._("status.no_areas"), False
        if total and done == total:
            return self._("status.complete", total=total), True
        return self._("status.partial", done=done, total=total,
                      share=percent(done / total if total else 0.0, self.lang, 0)), False

    def title_rows(self, status: str) -> list[tuple[str, str]]:
        d = self.data
        return [
            (self._("council"), f"{d.council} {d.council_name}"),
            (self._("workspace"), d.workspace),
            (self._("date"), day(d.generated_at, self.lang)),
            (self._("status"), status),
        ]

    # sections

    def region(self) -> Section:
        section = Section("region", self._("section.region"))
        region = self.data.region
        if region is None:
            section.blocks.append(Notice(self._("missing.region")))
            return section
        section.blocks.append(Paragraph(self._("region.intro", name=region.name, count=len(region.codes))))
        if region.map_png:
            section.blocks.append(Image(region.map_png, self._("region.map_caption", name=region.name)))
        else:
            section.blocks.append(Notice(self._("missing.map"), "info"))
        section.blocks.append(Table(
            [self._("figure"), self._("value")],
            [
                [self._("region.members"), ", ".join(region.names)],
                [self._("region.population", year=region.population_year), self.num(region.population)],
                [self._("region.area"), self.num(region.area_km2, 1)],
                [self._("region.contiguous"), self.yes_no(region.contiguous)],
                [self._("region.guideline"), self._(f"region.guideline_{region.guideline}")],
            ],
            caption=self._("source", source=region.source) if region.source else "",
        ))
        return section

    def indicators(self) -> Section:
        section = Section("indicators", self._("section.indicators"))
        if not self.data.indicators:
            section.blocks.append(Notice(self.data.indicator_note or self._("missing.indicators")))
            return section
        columns, rows = self.indicator_table()
        section.blocks.append(Table(columns, rows[:MAX_DOCUMENT_INDICATORS], caption=self._("indicators.caption")))
        if len(rows) > MAX_DOCUMENT_INDICATORS:
            section.blocks.append(Paragraph(self._("indicators.more", count=len(rows) - MAX_DOCUMENT_INDICATORS),
                                            "note"))
        if self.data.indicator_note:
            section.blocks.append(Paragraph(self.data.indicator_note, "note"))
        return section

    def area_chapter(self, key: str) -> Section:
        """A chapter about the service areas; says so when the council has none yet."""
        section = Section(key, self._(f"section.{key}"))
        if not self.data.areas:
            section.blocks.append(Notice(self._("missing.areas")))
        return section

    def indicator_table(self) -> tuple[list[str], list[list[Cell]]]:
        groups = list(dict.fromkeys(label for r in self.data.indicators for label, _v in r.comparisons))
        columns = [self._("indicator"), self._("unit"), self._("year"), self.data.council_name, *groups,
                   self._("source_col")]
        rows: list[list[Cell]] = []
        for r in self.data.indicators:
            values = dict(r.comparisons)
            rows.append([r.name, r.unit, str(r.year or "–"), self.num(r.value, r.decimals),
                         *(self.num(values.get(g), r.decimals) for g in groups), r.source])
        return columns, rows

    def strategy(self) -> Section:
        section = self.area_chapter("strategy")
        if not self.data.areas:
            return section
        for area in self.data.areas:
            sub = Section(f"strategy.{area.id}", area.name, level=2)
            items = [
                (self._("approach"), _dash(area.approach)),
                (self._("form"), _dash(area.form)),
                (self._("partners"), _dash(", ".join(area.partners))),
                (self._("host"), _dash(area.host)),
                (self._("timeline"), _dash(area.timeline)),
                (self._("decision_deadline"), self.day(area.decision_deadline)),
                (self._("rationale"), _dash(area.rationale)),
            ]
            sub.blocks.append(Fields(items))
            if not area.approach.strip():
                sub.blocks.append(Notice(self._("missing.approach", area=area.name)))
            section.subsections.append(sub)
        return section

    def criteria(self) -> Section:
        section = self.area_chapter("criteria")
        if not self.data.areas:
            return section
        for area in self.data.areas:
            sub = Section(f"criteria.{area.id}", area.name, level=2)
            sub.blocks.append(Table(
                [self._("criterion"), self._("status")],
                [[f"{c.number}. {c.title}", c.status_label] for c in area.criteria]))
            for text in area.warnings:
                sub.blocks.append(Notice(text, "warning"))
            for crit in area.criteria:
                part = Section(f"criteria.{area.id}.{crit.id}",
                               f"{crit.number}. {crit.title} – {crit.status_label}", level=3)
                filled = [(f.label, f.text) for f in crit.fields if f.filled]
                if filled:
                    part.blocks.append(Fields(filled))
                missing = crit.missing_required
                if missing:
                    part.blocks.append(Notice(self._("missing.fields", fields="; ".join(missing))))
                elif not filled:
                    part.blocks.append(Notice(self._("missing.criterion")))
                for text in crit.warnings:
                    part.blocks.append(Notice(text, "warning"))
                sub.subsections.append(part)
            section.subsections.append(sub)
        return section

    def ownership(self) -> Section:
        section = self.area_chapter("ownership")
        if not self.data.areas:
            return section
        today = self.data.generated_at.date()
        rows: list[list[Cell]] = []
        overdue = []
        for area in self.data.areas:
            rows.append([area.name, _dash(area.owner_meetings), _dash(area.reporting),
                         _dash(area.ownership_report), self.day(area.review_date),
                         self.num(area.notice_months), self.day(area.decision_deadline)])
            if area.review_date and area.review_date < today:
                overdue.append(self._("warning.review_overdue", area=area.name,
                                      date=self.day(area.review_date)))
        section.blocks.append(Table(
            [self._("service_area"), self._("owner_meetings"), self._("reporting"),
             self._("ownership_report"), self._("review_date"), self._("notice_months"),
             self._("decision_deadline")], rows))
        if all(a.review_date is None for a in self.data.areas):
            section.blocks.append(Notice(self._("missing.review")))
        section.blocks.extend(Notice(text, "warning") for text in overdue)
        return section

    def scenarios(self) -> Section:
        section = Section("scenarios", self._("section.scenarios"))
        if not self.data.scenarios:
            section.blocks.append(Notice(self._("missing.scenarios"), "info"))
            return section
        has_score = any(s.score is not None for s in self.data.scenarios)
        columns = [self._("scenario"), self._("region.members_count"), self._("region.population_short"),
                   self._("region.area"), self._("region.contiguous"), self._("region.guideline")]
        if has_score:
            columns.append(self._("score"))
        rows: list[list[Cell]] = []
        for s in self.data.scenarios:
            row: list[Cell] = [s.name, self.num(s.members), self.num(s.population), self.num(s.area_km2, 1),
                               self.yes_no(s.contiguous), self._(f"region.guideline_{s.guideline}")]
            if has_score:
                row.append(self.num(s.score, 2))
            rows.append(row)
        section.blocks.append(Table(columns, rows))
        if self.data.weights:
            section.blocks.append(Table(
                [self._("weight_criterion"), self._("weight")],
                [[name, self.num(value, 2)] for name, value in self.data.weights.items()],
                caption=self._("weights.caption")))
        else:
            section.blocks.append(Notice(self._("missing.weights"), "info"))
        return section

    def open_questions(self) -> Section:
        section = Section("questions", self._("section.questions"))
        items = []
        for area in self.data.areas:
            if not area.approach.strip():
                items.append(self._("question.approach", area=area.name))
            for crit in area.criteria:
                for label in crit.missing_required:
                    items.append(self._("question.field", area=area.name, criterion=crit.title, field=label))
            items.extend(f"{area.name}: {w}" for w in area.warnings)
            items.extend(f"{area.name}, {c.title}: {w}" for c in area.criteria for w in c.warnings)
        if not self.data.areas:
            items.append(self._("missing.areas"))
        if items:
            section.blocks.append(BulletList(items))
        else:
            section.blocks.append(Paragraph(self._("questions.none")))
        return section

    def appendix(self) -> Section:
        section = Section("appendix", self._("section.appendix"))
        sources = list(dict.fromkeys(self.data.sources))
        section.blocks.append(Paragraph(self._("appendix.sources"), "body"))
        section.blocks.append(BulletList(sources or [self._("appendix.no_sources")]))
        if self.data.datasets:
            section.blocks.append(Table(
                [self._("dataset.kind"), self._("dataset.file"), self._("dataset.id"), "SHA-256",
                 self._("dataset.created"), self._("dataset.active")],
                [[d.kind, d.file_name, str(d.id), d.sha256, timestamp(d.created_at, self.lang),
                  self.yes_no(d.active)] for d in self.data.datasets]))
        else:
            section.blocks.append(Notice(self._("missing.datasets"), "info"))
        for text in self.data.unavailable:
            section.blocks.append(Notice(text, "info"))
        section.blocks.append(Paragraph(self._("appendix.generated",
                                               at=timestamp(self.data.generated_at, self.lang)), "note"))
        return section

    # spreadsheets

    def sheets(self, status: str, sections: list[Section]) -> list[Sheet]:
        d = self.data
        missing = [[section.title, block.text] for section in sections for block in section.blocks
                   if isinstance(block, Notice) and block.kind == "missing"]
        sheets = [Sheet(self._("sheet.summary"), [self._("figure"), self._("value")],
                        [[a, b] for a, b in self.title_rows(status)] + missing, [28, 90])]
        sheets.append(Sheet(
            self._("sheet.strategy"),
            [self._("service_area"), self._("approach"), self._("form"), self._("partners"), self._("host"),
             self._("timeline"), self._("decision_deadline"), self._("rationale")],
            [[a.name, a.approach, a.form, ", ".join(a.partners), a.host, a.timeline,
              self.day(a.decision_deadline), a.rationale] for a in d.areas],
            [22, 16, 24, 30, 18, 40, 14, 50]))
        answers: list[list[Cell]] = []
        for area in d.areas:
            for f in area.strategy_fields:
                answers.append([area.name, "", self._("strategy_label"), f.label, f.text,
                                self.yes_no(f.required), "",
                                timestamp(f.updated_at, self.lang) if f.updated_at else "", f.author])
            for crit in area.criteria:
                for f in crit.fields:
                    answers.append([area.name, self.num(crit.number), crit.title, f.label, f.text,
                                    self.yes_no(f.required), crit.status_label,
                                    timestamp(f.updated_at, self.lang) if f.updated_at else "", f.author])
        sheets.append(Sheet(
            self._("sheet.answers"),
            [self._("service_area"), "#", self._("criterion"), self._("field"), self._("answer"),
             self._("required"), self._("status"), self._("updated"), self._("author")],
            answers, [22, 5, 28, 34, 70, 9, 14, 16, 14]))
        sheets.append(Sheet(
            self._("sheet.warnings"),
            [self._("service_area"), self._("criterion"), self._("warning")],
            [[a.name, "", w] for a in d.areas for w in a.warnings]
            + [[a.name, c.title, w] for a in d.areas for c in a.criteria for w in c.warnings],
            [22, 28, 80]))
        columns, rows = self.indicator_table()
        sheets.append(Sheet(self._("sheet.indicators"), columns, rows, [34, 14, 8] + [16] * (len(columns) - 4) + [30]))
        for section in (self.ownership(), self.scenarios()):
            tables = [b for b in section.blocks if isinstance(b, Table)]
            if tables:
                sheets.append(Sheet(section.title[:31], tables[0].columns, tables[0].rows))
        sheets.append(Sheet(
            self._("sheet.sources"),
            [self._("dataset.kind"), self._("dataset.file"), self._("dataset.id"), "SHA-256",
             self._("dataset.created"), self._("dataset.active")],
            [[x.kind, x.file_name, self.num(x.id), x.sha256, timestamp(x.created_at, self.lang),
              self.yes_no(x.active)] for x in d.datasets]
            + [[self._("appendix.source_row"), s, "", "", "", ""] for s in dict.fromkeys(d.sources)]
            + [[self._("appendix.generated_row"), timestamp(d.generated_at, self.lang), "", "", "", ""]],
            [16, 36, 8, 66, 16, 8]))
        return sheets

    def build(self) -> Document:
        d = self.data
        status, complete = self.status()
        sections = [self.region(), self.indicators(), self.strategy(), self.criteria(),
                    self.ownership(), self.scenarios(), self.open_questions(), self.appendix()]
        return Document(
            lang=self.lang,
            title=self._("title", council=d.council_name),
            subtitle=self._("subtitle"),
            council=d.council,
            council_name=d.council_name,
            workspace=d.workspace,
            generated_at=d.generated_at,
            status=status,
            complete=complete,
            title_rows=self.title_rows(status),
            sections=sections,
            sheets=self.sheets(status, sections),
            footer=self._("footer", council=d.council_name, date=day(d.generated_at, self.lang)),
        )


def build_document(data: CouncilData) -> Document:
    """The strategy summary for one council (pure: no store, no files)."""
    return _Builder(data).build()


def file_stem(document: Document) -> str:
    """A safe file name stem: ``strategi_5001_Trondheim``."""
    name = re.sub(r"[^\w-]+", "_", document.council_name, flags=re.UNICODE).strip("_")
    prefix = t("export.file_prefix", document.lang)
    return f"{prefix}_{document.council}_{name}" if name else f"{prefix}_{document.council}"
