"""A council's cooperation strategy as a document model, built from stored answers.

The checklist stores one answer per (council, service area, criterion, field). This
module turns those answers into what a council takes to its kommunestyre: per
service area the chosen approach (alone / cooperation in form X with partners Y /
merger), rationale, timeline and decision deadline, followed by the seven criteria
with their status, answers and consistency warnings. The strategy page renders this
model on screen; exporters render the same model to DOCX/PDF/XLSX, so both always
say the same thing.

Entry points:

* :func:`build_council_strategy` -- from the store (``store.get_answers``);
* :func:`build_from_answers` -- the same from any iterable of answer objects
  (anything with ``council, service_area, criterion, field, value`` and optionally
  ``author, updated_at``), for tests and exports of a workspace file;
* :func:`completeness_overview` -- the secretariat's councils x criteria matrix.

Every text in the model is already in the requested language; raw values are kept
beside the display texts for exporters that want their own formatting.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

import pandas as pd

from kommunestrategi import criteria as cr
from kommunestrategi.formatting import day, number, prose_list
from kommunestrategi.i18n import t


@dataclass(frozen=True)
class FieldAnswer:
    """One field with its answer. ``text`` is the value ready to show ("" if empty)."""

    id: str
    label: str
    type: str
    required: bool
    value: Any
    text: str
    filled: bool
    author: str | None = None
    updated_at: dt.datetime | None = None


@dataclass(frozen=True)
class IssueText:
    """A consistency issue with its message in the model's language."""

    rule: str
    criterion: str
    severity: str
    message: str


@dataclass(frozen=True)
class Section:
    """A criterion (or the strategy section) of one service area."""

    id: str
    number: int
    title: str
    status: str
    status_label: str
    completion: float
    questions: tuple[str, ...]
    fields: tuple[FieldAnswer, ...]
    issues: tuple[IssueText, ...]

    def field(self, field_id: str) -> FieldAnswer:
        for item in self.fields:
            if item.id == field_id:
                return item
        raise KeyError(field_id)


@dataclass(frozen=True)
class AreaStrategy:
    """A council's strategy for one service area.

    ``approach`` is ``alone``, ``cooperation``, ``merger`` or None (not chosen);
    ``headline`` says it in one sentence, e.g. "Samarbeid som interkommunalt selskap
    (IKS) med 5029 Skaun, 5059 Orkland".
    """

    service_area: str
    service_area_name: str
    approach: str | None
    approach_label: str
    headline: str
    legal_form: str | None
    legal_form_name: str | None
    partners: tuple[str, ...]
    partner_names: tuple[str, ...]
    host: str | None
    rationale: str
    timeline: str
    decision_deadline: dt.date | None
    decision_deadline_text: str
    strategy: Section
    criteria: tuple[Section, ...]
    issues: tuple[IssueText, ...]
    last_updated: dt.datetime | None
    authors: tuple[str, ...]

    @property
    def complete_count(self) -> int:
        """How many of the seven criteria are complete."""
        return sum(section.status == cr.COMPLETE for section in self.criteria)

    def criterion(self, criterion_id: str) -> Section:
        for section in self.criteria:
            if section.id == criterion_id:
                return section
        raise KeyError(criterion_id)


@dataclass(frozen=True)
class CouncilStrategy:
    """Everything a council has decided and documented, per service area."""

    workspace_id: int | None
    council: str
    council_name: str
    lang: str
    generated_at: dt.datetime
    areas: tuple[AreaStrategy, ...]

    @property
    def started(self) -> bool:
        return bool(self.areas)

    def area(self, service_area: str) -> AreaStrategy:
        for area in self.areas:
            if area.service_area == service_area:
                return area
        raise KeyError(service_area)


#: The country whose names ``municipality_name`` uses (set while reading a Swedish workspace).
_COUNTRY: ContextVar[str] = ContextVar("strategy_country", default="NO")


@contextmanager
def _names_of(store: Any, workspace_id: int) -> Iterator[None]:
    """Use the workspace's country for municipality names inside the block."""
    try:
        country = str(getattr(store.get_workspace(workspace_id), "country", "NO") or "NO")
    except Exception:  # noqa: BLE001 - a store without countries is Norwegian
        country = "NO"
    token = _COUNTRY.set(country)
    try:
        yield
    finally:
        _COUNTRY.reset(token)


def municipality_name(code: str, country: str | None = None) -> str:
    """The map unit's name (of ``country``, default the one being read), or the code itself when unknown."""
    if (country or _COUNTRY.get()) == "SE":
        from kommunestrategi.countries import municipality_names

        return str(municipality_names("SE").get(code, code))
    from kommunestrategi import geo

    names = geo.load_units().set_index("kommunenummer")["name"]
    return str(names[code]) if code in names.index else str(code)


def display_value(item: cr.Field, value: Any, lang: str = "nb", cat: cr.Catalogue | None = None) -> str:
    """An answer as text for reading: option labels, names, Norwegian number format."""
    cat = cat or cr.catalogue()
    if value is None or value == "" or value == []:
        return ""
    kind = item.type
    if kind in ("text", "long_text"):
        return str(value)
    if kind == "number":
        if not isinstance(value, int | float) or isinstance(value, bool):
            return str(value)
        decimals = 0 if float(value).is_integer() else 1
        shown = number(value, lang, decimals)
        suffix = {"nok": "\u00a0kr", "percent": "\u00a0%", "months": "", "years": ""}.get(item.unit or "", "")
        return shown + suffix
    if kind == "date":
        parsed = cr.parse_date(value)
        return day(parsed, lang) if parsed else str(value)
    if kind == "choice":
        return item.option_label(str(value), lang)
    if kind == "multi_choice":
        return ", ".join(item.option_label(str(v), lang) for v in value) if isinstance(value, list) else str(value)
    if kind == "municipalities":
        return ", ".join(cr.municipality_label(str(c)) for c in value) if isinstance(value, list) else str(value)
    if kind == "municipality":
        return cr.municipality_label(str(value))
    if kind == "legal_form":
        return cr.text(cat.form(value).name, lang) if cat.has_form(value) else str(value)
    if kind == "indicator_target" and isinstance(value, Mapping):
        return t("strategy.target_text", lang,
                 indicator=str(value.get("indicator") or "–"),
                 baseline=_num(value.get("baseline"), lang), target=_num(value.get("target"), lang),
                 year=str(int(value["year"])) if isinstance(value.get("year"), int | float) else "–")
    return str(value)


def _num(value: Any, lang: str) -> str:
    if not isinstance(value, int | float) or isinstance(value, bool):
        return "–"
    return number(value, lang, 0 if float(value).is_integer() else 1)


def _section(criterion: cr.Criterion, values: Mapping[str, Any], meta: Mapping[str, Any], lang: str,
             issues: Sequence[IssueText], cat: cr.Catalogue) -> Section:
    status = cr.criterion_status(criterion, values)
    fields = tuple(
        FieldAnswer(
            id=item.id, label=cr.text(item.label, lang), type=item.type, required=item.required,
            value=values.get(item.id), text=display_value(item, values.get(item.id), lang, cat),
            filled=cr.is_filled(item, values.get(item.id)),
            author=getattr(meta.get(item.id), "author", None),
            updated_at=getattr(meta.get(item.id), "updated_at", None),
        )
        for item in criterion.fields
    )
    return Section(
        id=criterion.id, number=criterion.number, title=cr.text(criterion.title, lang), status=status,
        status_label=t(f"criteria.status.{status}", lang), completion=cr.completion(criterion, values),
        questions=tuple(cr.text(q, lang) for q in criterion.questions), fields=fields,
        issues=tuple(issue for issue in issues if issue.criterion == criterion.id),
    )


def _in_sentence(name: str) -> str:
    """A form's name inside a sentence: ``vertskommune med …`` (``IKS`` and ``AS`` kept)."""
    return name[:1].lower() + name[1:] if len(name) > 1 and not name[1].isupper() else name


def _headline(approach: str | None, form_name: str | None, partner_names: Sequence[str], lang: str) -> str:
    """The strategy in one sentence of prose: partners by name, the form in lower case."""
    partners = prose_list(partner_names, lang)
    if approach == "alone":
        return t("strategy.headline.alone", lang)
    if approach == "merger":
        if partner_names:
            return t("strategy.headline.merger_with", lang, partners=partners)
        return t("strategy.headline.merger", lang)
    if approach == "cooperation":
        if form_name and partner_names:
            return t("strategy.prose.cooperation_with", lang, form=_in_sentence(form_name), partners=partners)
        if form_name:
            return t("strategy.prose.cooperation", lang, form=_in_sentence(form_name))
        if partner_names:
            return t("strategy.prose.cooperation_with_open_form", lang, partners=partners)
        return t("strategy.prose.cooperation_open_form", lang)
    return t("strategy.headline.open", lang)


def _area(council: str, area_id: str, values: Mapping[str, Mapping[str, Any]],
          meta: Mapping[str, Mapping[str, Any]], lang: str, today: dt.date, cat: cr.Catalogue) -> AreaStrategy:
    issues = tuple(
        IssueText(issue.rule, issue.criterion, issue.severity, issue.message(lang, cat))
        for issue in cr.check_consistency(council, values, today, cat)
    )
    sections = tuple(_section(c, values.get(c.id) or {}, meta.get(c.id) or {}, lang, issues, cat)
                     for c in cat.criteria)
    strategy = _section(cat.strategy, values.get(cr.STRATEGY_ID) or {}, meta.get(cr.STRATEGY_ID) or {}, lang,
                        issues, cat)
    chosen = (values.get(cr.STRATEGY_ID) or {})
    approach = chosen.get("approach") if chosen.get("approach") in ("alone", "cooperation", "merger") else None
    form_id = (values.get("form") or {}).get("legal_form")
    form_id = form_id if cat.has_form(form_id) else None
    form_name = cr.text(cat.form(form_id).name, lang) if form_id else None
    raw_partners = (values.get("partners") or {}).get("partners")
    partners = tuple(str(c) for c in raw_partners if str(c) != council) if isinstance(raw_partners, list) else ()
    host = (values.get("partners") or {}).get("host")
    deadline = cr.parse_date(chosen.get("decision_deadline"))
    answers_meta = [m for fields in meta.values() for m in fields.values()]
    stamps = [m.updated_at for m in answers_meta if getattr(m, "updated_at", None) is not None]
    authors = sorted({m.author for m in answers_meta if getattr(m, "author", None)})
    approach_field = cat.strategy.field("approach")
    area = cat.service_area(area_id)
    return AreaStrategy(
        service_area=area_id, service_area_name=cr.text(area.name, lang),
        approach=approach,
        approach_label=approach_field.option_label(approach, lang) if approach else t("strategy.not_chosen", lang),
        headline=_headline(approach, form_name, [municipality_name(c) for c in partners], lang),
        legal_form=form_id, legal_form_name=form_name,
        partners=partners, partner_names=tuple(municipality_name(c) for c in partners),
        host=host if isinstance(host, str) and host else None,
        rationale=str(chosen.get("rationale") or ""), timeline=str(chosen.get("timeline") or ""),
        decision_deadline=deadline, decision_deadline_text=day(deadline, lang) if deadline else "",
        strategy=strategy, criteria=sections, issues=issues,
        last_updated=max(stamps) if stamps else None, authors=tuple(authors),
    )


def area_order(area_ids: Iterable[str], cat: cr.Catalogue | None = None) -> list[str]:
    """Catalogue areas in catalogue order, then user-defined ones alphabetically."""
    cat = cat or cr.catalogue()
    order = {a.id: i for i, a in enumerate(cat.service_areas)}
    known, custom = [], []
    for area_id in dict.fromkeys(area_ids):
        if area_id in order:
            known.append(area_id)
        else:
            try:
                cat.service_area(area_id)
            except KeyError:
                continue
            custom.append(area_id)
    return sorted(known, key=order.__getitem__) + sorted(custom, key=str.casefold)


def build_from_answers(answers: Iterable[Any], council: str, lang: str = "nb", *,
                       workspace_id: int | None = None, today: dt.date | None = None,
                       cat: cr.Catalogue | None = None) -> CouncilStrategy:
    """The strategy of ``council`` from answer objects (other councils are ignored).

    Answers under the decision helper (criterion ``helper``) are not part of the
    document. Service areas appear when they have at least one answer.
    """
    cat = cat or cr.catalogue()
    today = today or dt.date.today()
    values: dict[str, dict[str, dict[str, Any]]] = {}
    meta: dict[str, dict[str, dict[str, Any]]] = {}
    for answer in answers:
        if answer.council != council or answer.criterion == cr.HELPER_ID:
            continue
        values.setdefault(answer.service_area, {}).setdefault(answer.criterion, {})[answer.field] = answer.value
        meta.setdefault(answer.service_area, {}).setdefault(answer.criterion, {})[answer.field] = answer
    areas = tuple(_area(council, area_id, values[area_id], meta[area_id], lang, today, cat)
                  for area_id in area_order(values, cat))
    return CouncilStrategy(workspace_id, council, municipality_name(council), lang,
                           dt.datetime.now(dt.UTC), areas)


def build_council_strategy(store: Any, workspace_id: int, council: str, lang: str = "nb",
                           today: dt.date | None = None) -> CouncilStrategy:
    """The strategy of one council in a workspace, read from the store."""
    with _names_of(store, workspace_id):
        return build_from_answers(store.get_answers(workspace_id, council), council, lang,
                                  workspace_id=workspace_id, today=today)


@dataclass(frozen=True)
class CompletenessOverview:
    """Councils x criteria completeness across a workspace.

    ``matrix`` has one row per council (index: kommunenummer) and one column per
    criterion id plus ``strategy``; each cell is the mean share (0..1) of required
    fields filled over the service areas the council has started (0 if none).
    ``labels`` gives column titles, ``names`` council names, ``not_started`` the
    councils without a single answer.
    """

    matrix: pd.DataFrame
    labels: dict[str, str]
    names: dict[str, str]
    not_started: tuple[str, ...]
    areas_started: dict[str, int]


def completeness_from_answers(answers: Iterable[Any], councils: Sequence[str], lang: str = "nb",
                              cat: cr.Catalogue | None = None) -> CompletenessOverview:
    """The overview from answer objects and the workspace's member councils."""
    cat = cat or cr.catalogue()
    sections = (*cat.criteria, cat.strategy)
    grouped = cr.answers_by_area(a for a in answers if a.criterion != cr.HELPER_ID)
    rows = {}
    areas_started = {}
    for council in councils:
        areas = [values for (c, _area_id), values in grouped.items() if c == council]
        areas_started[council] = len(areas)
        rows[council] = {
            s.id: (sum(cr.completion(s, a.get(s.id)) for a in areas) / len(areas)) if areas else 0.0
            for s in sections
        }
    matrix = pd.DataFrame.from_dict(rows, orient="index", columns=[s.id for s in sections]).astype(float)
    matrix.index.name = "kommunenummer"
    labels = {s.id: (f"{s.number}. " if s.id != cr.STRATEGY_ID else "") + cr.text(s.title, lang) for s in sections}
    return CompletenessOverview(
        matrix=matrix, labels=labels, names={c: municipality_name(c) for c in councils},
        not_started=tuple(c for c in councils if areas_started[c] == 0), areas_started=areas_started,
    )


def completeness_overview(store: Any, workspace_id: int, lang: str = "nb") -> CompletenessOverview:
    """The secretariat's overview of a workspace, read from the store."""
    councils = [c.kommunenummer for c in store.list_councils(workspace_id)]
    with _names_of(store, workspace_id):
        return completeness_from_answers(store.get_answers(workspace_id), councils, lang)

