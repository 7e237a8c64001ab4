"""The strategy summary's scenario section from the workshop board: the scenarios,
their criterion scores (measured or judged), the combined ranking and its sensitivity.

``scenario_board_part`` reads the board of a workspace (``None`` when it has no
scenarios on the board, so the section falls back to the saved regions);
``scenario_board_section`` turns it into a document section. The first table (the
ranking) also becomes the XLSX sheet of the section.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from kommunestrategi.export.model import Cell, Notice, Num, Paragraph, Section, Table
from kommunestrategi.formatting import number, percent
from kommunestrategi.i18n import t
from kommunestrategi.scenarios.board import Assessment
from kommunestrategi.scenarios.model import COMMITTEE, COOPERATION


@dataclass
class ScenarioBoardPart:
    """The section's tables and texts, already in the council's language."""

    tables: list[Table] = field(default_factory=list)
    paragraphs: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)


def _num(value: float | None, lang: str, decimals: int = 2) -> Num:
    return Num(value, number(value, lang, decimals))


def board_part(board: Assessment, lang: str) -> ScenarioBoardPart | None:
    """The part for an assessment (None when nothing is on the board)."""
    if not board.scenarios:
        return None
    part = ScenarioBoardPart()
    names = [s.name for s in board.scenarios]
    order = list(np.argsort(board.mean.places, kind="stable")) if board.mean is not None else list(range(len(names)))
    columns = [t("scenarios.col.scenario", lang), t("scenarios.kind", lang), t("scenarios.members", lang),
               t("scenarios.fig.population", lang)]
    if board.mean is not None:
        columns += [t("scenarios.col.place_mean", lang), t("scenarios.col.score_mean", lang),
                    t("scenarios.col.score_median", lang), t("scenarios.col.topsis", lang)]
    rows: list[list[Cell]] = []
    for i in order:
        s, figs = board.scenarios[i], board.figures[i]
        row: list[Cell] = [s.name, t(f"scenarios.kind.{s.kind}", lang),
                           ", ".join(figs.names.get(c, c) for c in figs.members), _num(figs.population, lang, 0)]
        if board.mean is not None:
            row += [Num(int(board.mean.places[i]), str(int(board.mean.places[i]))),
                    _num(float(board.mean.scores[i]), lang), _num(float(board.median.scores[i]), lang),
                    _num(None if board.topsis is None else float(board.topsis[i]), lang, 3)]
        rows.append(row)
    part.tables.append(Table(columns, rows, caption=t("scenarios.export.ranking_caption", lang)))

    header = [t("scenarios.col.criterion", lang), t("scenarios.col.method", lang), *[names[i] for i in order]]
    for criteria, caption in ((COMMITTEE, "scenarios.export.criteria_caption"),
                              (COOPERATION, "scenarios.export.coop_caption")):
        part.tables.append(Table(header, [_criterion_row(board, criterion, order, lang) for criterion in criteria],
                                 caption=t(caption, lang)))
    if board.mean is not None:
        weight_rows: list[list[Cell]] = []
        for j, criterion in enumerate(board.criteria):
            spread = board.spread.get(criterion)
            weight_rows.append([
                t(f"scenarios.criterion.{criterion}", lang),
                Num(float(board.mean.shares[j]), percent(float(board.mean.shares[j]), lang)),
                Num(float(board.median.shares[j]), percent(float(board.median.shares[j]), lang)),
                "–" if spread is None else f"{percent(spread.minimum, lang, 0)} – {percent(spread.maximum, lang, 0)}",
            ])
        part.tables.append(Table([t("scenarios.col.criterion", lang), t("scenarios.col.mean", lang),
                                  t("scenarios.col.median", lang), t("scenarios.export.spread", lang)], weight_rows,
                                 caption=t("scenarios.participants_count", lang, count=len(board.participants),
                                           names=", ".join(board.participants) or "–")))
        leader = names[order[0]]
        for r in board.leader_ranges:
            rival = next((names[i] for i in (r.high_rival, r.low_rival) if i is not None), None)
            part.paragraphs.append(t("scenarios.export.range", lang,
                                     criterion=t(f"scenarios.criterion.{board.criteria[r.criterion]}", lang),
                                     leader=leader, now=percent(r.current, lang), low=percent(r.low, lang),
                                     high=percent(r.high, lang))
                                   + (" " + t("scenarios.export.then", lang, rival=rival) if rival else ""))
        if board.flip is not None:
            flip = board.flip
            part.paragraphs.append(t("scenarios.flip", lang,
                                     criterion=t(f"scenarios.criterion.{board.criteria[flip.criterion]}", lang),
                                     now=percent(flip.current, lang), at=percent(flip.at, lang),
                                     change=("+" if flip.change > 0 else "") + number(flip.change * 100, lang, 1),
                                     first=names[flip.first], second=names[flip.second]))
        if board.equal_weights:
            part.notices.append(t("scenarios.equal_weights", lang))
    if board.waiting:
        part.notices.append(t("scenarios.waiting", lang, criteria=", ".join(
            t(f"scenarios.criterion.{c}", lang) for c in board.waiting)))
    if board.not_applicable:
        part.notices.append(t("scenarios.not_applicable_list", lang, criteria=", ".join(
            t(f"scenarios.criterion.{c}", lang) for c in board.not_applicable)))
    return part


def _criterion_row(board: Assessment, criterion: str, order: list, lang: str) -> list[Cell]:
    """A criterion's method and each scenario's score ("does not apply (3)" where it does not)."""
    cells = [board.cells[i][criterion] for i in order]
    applicable = [c for c in cells if c.applicable]
    method = t(f"scenarios.method.{applicable[0].method}", lang) if applicable else t("scenarios.na_short", lang)
    if any(c.fallback for c in applicable):
        method += " (" + t(f"scenarios.fallback.{next(c.fallback for c in applicable if c.fallback)}", lang) + ")"
    row: list[Cell] = [t(f"scenarios.criterion.{criterion}", lang), method]
    for cell in cells:
        if cell.applicable:
            row.append(_num(cell.score, lang, 1))
        else:
            row.append(Num(cell.score, f"{t('scenarios.na_short', lang)} ({number(cell.score, lang, 0)})"))
    return row


_RECENT: dict[tuple, ScenarioBoardPart | None] = {}


def scenario_board_part(store: Any, workspace_id: int, lang: str) -> ScenarioBoardPart | None:
    """The part for a stored workspace; a batch of councils reads the board once
    (kept while the store's scenarios, weights and scores are unchanged)."""
    from kommunestrategi.scenarios.service import workspace_assessment
    from kommunestrategi.store import scenarios as store_scenarios

    key = (str(store.url), workspace_id, lang, store_scenarios.fingerprint(store, workspace_id))
    if key not in _RECENT:
        if len(_RECENT) > 16:
            _RECENT.clear()
        _RECENT[key] = board_part(workspace_assessment(store, workspace_id), lang)
    return _RECENT[key]


def scenario_board_section(part: ScenarioBoardPart, lang: str) -> Section:
    section = Section("scenarios", t("export.section.scenarios", lang))
    section.blocks.append(Paragraph(t("scenarios.intro", lang)))
    section.blocks.append(part.tables[0])
    for table in part.tables[1:]:
        section.blocks.append(table)
    if part.paragraphs:
        section.blocks.append(Paragraph(t("scenarios.sensitivity_title", lang)))
        section.blocks.extend(Paragraph(text) for text in part.paragraphs)
    section.blocks.extend(Notice(text, "info") for text in part.notices)
    return section
