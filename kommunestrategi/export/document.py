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
from datetime import date, datetime

from kommunestrategi.export.cooperation_part import cooperation_section
from kommunestrategi.export.model import (  # noqa: F401 - the model is re-exported from here
    AreaPart,
    Block,
    BulletList,
    Cell,
    CouncilData,
    CriterionPart,
    DatasetRow,
    Document,
    FieldAnswer,
    Fields,
    Image,
    IndicatorRow,
    Notice,
    Num,
    Paragraph,
    RegionPart,
    ScenarioRow,
    Section,
    Sheet,
    Table,
    block_texts,
    clean_text,
    markdown_escape,
)
from kommunestrategi.export.scenario_part import scenario_board_section
from kommunestrategi.formatting import day, number, percent, timestamp
from kommunestrategi.i18n import normalise_language, t

# --- building the document -------------------------------------------------------------

NBSP = "\u00a0"
#: Marks a comparison figure that is the median of the group's members.
MEDIAN_MARK = "*"
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
        from kommunestrategi.countries.texts import CountryTranslator

        return CountryTranslator(self.lang, getattr(self.data, "country", "NO"))(f"export.{key}", **params)

    def num(self, value: float | int | None, decimals: int = 0) -> Num:
        return Num(value, number(value, self.lang, decimals))

    def group_num(self, value: float | int | None, decimals: int, median: bool) -> Num:
        """A comparison group's figure; a median of the members carries the marker
        the table's caption explains."""
        figure = self.num(value, decimals)
        return Num(value, f"{figure.text}{MEDIAN_MARK}") if median and value is not None else figure

    def kind(self, kind: str) -> str:
        """A dataset kind (``indicators``) by its name in the document's language."""
        try:
            return t(f"data.kind.{kind}", self.lang)
        except KeyError:
            return kind

    def moment(self, value: datetime | None) -> str:
        """A local date and time that stays on one line."""
        return timestamp(value, self.lang).replace(" ", NBSP) if value else "–"

    def yes_no(self, flag: bool) -> str:
        return self._("yes") if flag else self._("no")

    def day(self, value: date | None) -> str:
        """A date that stays on one line (no-break spaces)."""
        return day(value, self.lang).replace(" ", NBSP) if value else "–"

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
                         *(self.group_num(values.get(g), r.decimals, g in r.medians) for g in groups), r.source])
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
        if self.data.scenario_board is not None:
            return scenario_board_section(self.data.scenario_board, self.lang)
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
                [[self.kind(d.kind), d.file_name, self.num(d.id), d.sha256, self.moment(d.created_at),
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
                        [[a, b] for a, b in self.title_rows(status)] + missing
                        + ([[self._("sheet.indicators"), self._("indicators.caption")]] if d.indicators else []),
                        [28, 90])]
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
        extra = [s for s in sections if s.key == "cooperation"]
        for section in (self.ownership(), *extra, self.scenarios()):
            tables = [b for b in section.blocks if isinstance(b, Table)]
            if tables:
                sheets.append(Sheet(section.title[:31], tables[0].columns, tables[0].rows))
        sheets.append(Sheet(
            self._("sheet.sources"),
            [self._("dataset.kind"), self._("dataset.file"), self._("dataset.id"), "SHA-256",
             self._("dataset.created"), self._("dataset.active")],
            [[self.kind(x.kind), x.file_name, self.num(x.id), x.sha256, timestamp(x.created_at, self.lang),
              self.yes_no(x.active)] for x in d.datasets]
            + [[self._("appendix.source_row"), s, "", "", "", ""] for s in dict.fromkeys(d.sources)]
            + [[self._("appendix.generated_row"), timestamp(d.generated_at, self.lang), "", "", "", ""]],
            [16, 36, 8, 66, 16, 8]))
        return sheets

    def build(self) -> Document:
        d = self.data
        status, complete = self.status()
        sections = [self.region(), self.indicators(), self.strategy(), self.criteria(),
                    self.ownership(), cooperation_section(d.cooperation, self.lang), self.scenarios(),
                    self.open_questions(), self.appendix()]
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
