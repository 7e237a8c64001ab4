"""The checklist knowledge: seven criteria, legal forms, service areas, and the rules
that judge a council's answers.

The catalogues are data files in ``catalogues/`` (``criteria.yaml``,
``legal_forms.yaml``, ``service_areas.yaml``), read once and validated at load so
that a malformed catalogue fails loudly with the file and place of the problem
instead of producing a half-working checklist.

On top of the catalogues this module computes, without any UI or store:

* the **status** of a criterion (not started / in progress / complete) from its
  required fields, so status is never ticked by hand;
* **consistency issues** across criteria (authority delegated to a form that cannot
  carry it, a host form without a host among the partners, ...), each with an i18n
  message;
* the **decision helper**: answers to a few questions give recommended legal forms
  with the reasons shown.

Answers for one council and service area are passed as a mapping
``{criterion_id: {field_id: value}}`` (see :func:`answers_by_area`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from kommunestrategi.formatting import day
from kommunestrategi.i18n import LANGUAGES, normalise_language, t

CATALOGUE_DIR = Path(__file__).resolve().parent / "catalogues"

FIELD_TYPES = frozenset({
    "text", "long_text", "date", "number", "choice", "multi_choice",
    "municipalities", "municipality", "indicator_target", "legal_form",
})
NUMBER_UNITS = frozenset({"nok", "percent", "months", "years"})
STEERING_LEVELS = ("low", "medium", "high")

NOT_STARTED = "not_started"
IN_PROGRESS = "in_progress"
COMPLETE = "complete"
STATUSES = (NOT_STARTED, IN_PROGRESS, COMPLETE)

#: Prefix of a service area a council defined itself (``custom:Vei og park``).
CUSTOM_AREA_PREFIX = "custom:"
#: Criterion ids used for the strategy conclusion and the decision helper answers.
STRATEGY_ID = "strategy"
HELPER_ID = "helper"

AreaAnswers = Mapping[str, Mapping[str, Any]]


class CriteriaCatalogueError(ValueError):
    """A catalogue file is malformed; the message names the file and the place."""


Texts = Mapping[str, str]


def text(texts: Texts, lang: str) -> str:
    """The text in ``lang`` (Norwegian if the language is unknown)."""
    return texts[normalise_language(lang)]


@dataclass(frozen=True)
class Option:
    id: str
    label: Texts


@dataclass(frozen=True)
class Field:
    """One structured answer field of a criterion."""

    id: str
    type: str
    required: bool
    label: Texts
    help: Texts | None = None
    options: tuple[Option, ...] = ()
    unit: str | None = None
    min: float | None = None
    max: float | None = None

    def option_ids(self) -> list[str]:
        return [option.id for option in self.options]

    def option_label(self, option_id: str, lang: str) -> str:
        for option in self.options:
            if option.id == option_id:
                return text(option.label, lang)
        return str(option_id)


@dataclass(frozen=True)
class Criterion:
    """A criterion (or the strategy / helper section) with its guiding questions."""

    id: str
    number: int
    title: Texts
    intro: Texts | None
    questions: tuple[Texts, ...]
    fields: tuple[Field, ...]

    def field(self, field_id: str) -> Field:
        for item in self.fields:
            if item.id == field_id:
                return item
        raise KeyError(f"{self.id} has no field {field_id!r}")

    @property
    def required_fields(self) -> tuple[Field, ...]:
        return tuple(item for item in self.fields if item.required)


@dataclass(frozen=True)
class LegalForm:
    """A legal form for cooperation; all texts are paraphrased guidance, not law."""

    id: str
    country: str
    basis: str
    legal_entity: str
    can_delegate_authority: bool
    principle_matters: bool
    host_based: bool
    own_employer: bool
    commercial: bool
    political_steering: str
    service_production: bool
    historic: bool
    cooperation: bool
    name: Texts
    steering_body: Texts
    employer: Texts
    suitable_tasks: Texts
    note: Texts
    agreement_items: tuple[Texts, ...]
    #: A Swedish form's nearest Norwegian counterpart (a form id), "" for Norwegian forms.
    nearest_no: str = ""


@dataclass(frozen=True)
class ServiceArea:
    id: str
    group: str
    priority: bool
    name: Texts
    description: Texts | None = None

    @property
    def custom(self) -> bool:
        return self.group == "custom"


@dataclass(frozen=True)
class Catalogue:
    """Everything the checklist knows, validated."""

    criteria: tuple[Criterion, ...]
    strategy: Criterion
    helper: Criterion
    forms: tuple[LegalForm, ...]
    forms_notice: Texts
    service_areas: tuple[ServiceArea, ...]

    def criterion(self, criterion_id: str) -> Criterion:
        for item in (*self.criteria, self.strategy, self.helper):
            if item.id == criterion_id:
                return item
        raise KeyError(f"unknown criterion {criterion_id!r}")

    def form(self, form_id: str) -> LegalForm:
        for item in self.forms:
            if item.id == form_id:
                return item
        raise KeyError(f"unknown legal form {form_id!r}")

    def has_form(self, form_id: object) -> bool:
        return any(item.id == form_id for item in self.forms)

    def service_area(self, area_id: str) -> ServiceArea:
        """The catalogue area, or a user-defined one (``custom:<name>``)."""
        for item in self.service_areas:
            if item.id == area_id:
                return item
        if area_id.startswith(CUSTOM_AREA_PREFIX) and area_id[len(CUSTOM_AREA_PREFIX):].strip():
            name = area_id[len(CUSTOM_AREA_PREFIX):].strip()
            return ServiceArea(area_id, "custom", False, dict.fromkeys(LANGUAGES, name))
        raise KeyError(f"unknown service area {area_id!r}")


def custom_area_id(name: str) -> str:
    """The id of a user-defined service area from its name (whitespace tidied)."""
    cleaned = " ".join(str(name).split())
    if not cleaned:
        raise ValueError("a service area needs a name")
    return CUSTOM_AREA_PREFIX + cleaned


# ---------------------------------------------------------------------------
# Loading and validation


class _Reader:
    """Small helpers that raise ``CriteriaCatalogueError`` with file and place."""

    def __init__(self, file: str) -> None:
        self.file = file

    def fail(self, where: str, problem: str) -> CriteriaCatalogueError:
        return CriteriaCatalogueError(f"{self.file}: {where}: {problem}")

    def mapping(self, value: object, where: str) -> dict:
        if not isinstance(value, dict):
            raise self.fail(where, "expected a mapping")
        return value

    def items(self, value: object, where: str) -> list:
        if not isinstance(value, list) or not value:
            raise self.fail(where, "expected a non-empty list")
        return value

    def ident(self, entry: dict, where: str) -> str:
        value = entry.get("id")
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "missing id")
        return value

    def texts(self, value: object, where: str) -> dict[str, str]:
        if not isinstance(value, dict) or set(value) != set(LANGUAGES):
            raise self.fail(where, f"needs texts in exactly {', '.join(LANGUAGES)}")
        if not all(isinstance(v, str) and v.strip() for v in value.values()):
            raise self.fail(where, "empty text")
        return {lang: value[lang].strip() for lang in LANGUAGES}

    def flag(self, entry: dict, key: str, where: str) -> bool:
        value = entry.get(key)
        if not isinstance(value, bool):
            raise self.fail(f"{where}.{key}", "expected true or false")
        return value

    def choice(self, entry: dict, key: str, allowed: Iterable[str], where: str) -> str:
        value = entry.get(key)
        allowed = tuple(allowed)
        if value not in allowed:
            raise self.fail(f"{where}.{key}", f"{value!r} is not one of {', '.join(allowed)}")
        return value

    def unique(self, ids: list[str], where: str) -> None:
        seen: set[str] = set()
        for ident in ids:
            if ident in seen:
                raise self.fail(where, f"duplicate id {ident!r}")
            seen.add(ident)


def _read_yaml(path: Path) -> dict:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise CriteriaCatalogueError(f"{path.name}: file is missing") from exc
    except yaml.YAMLError as exc:
        raise CriteriaCatalogueError(f"{path.name}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise CriteriaCatalogueError(f"{path.name}: expected a mapping at the top")
    return data


def _field(reader: _Reader, entry: object, where: str) -> Field:
    entry = reader.mapping(entry, where)
    ident = reader.ident(entry, where)
    where = f"{where} ({ident})"
    kind = reader.choice(entry, "type", sorted(FIELD_TYPES), where)
    required = reader.flag(entry, "required", where)
    label = reader.texts(entry.get("label"), f"{where}.label")
    help_texts = reader.texts(entry["help"], f"{where}.help") if "help" in entry else None
    options: tuple[Option, ...] = ()
    if kind in ("choice", "multi_choice"):
        raw = reader.items(entry.get("options"), f"{where}.options")
        options = tuple(
            Option(str(reader.ident(reader.mapping(o, f"{where}.options"), f"{where}.options")),
                   reader.texts(o.get("label"), f"{where}.options.{o.get('id')}.label"))
            for o in raw
        )
        reader.unique([o.id for o in options], f"{where}.options")
    elif "options" in entry:
        raise reader.fail(where, f"options are only allowed for choice fields, not {kind}")
    unit = entry.get("unit")
    if unit is not None and (kind != "number" or unit not in NUMBER_UNITS):
        raise reader.fail(f"{where}.unit", f"unit {unit!r} needs a number field and one of {sorted(NUMBER_UNITS)}")
    bounds = []
    for key in ("min", "max"):
        value = entry.get(key)
        if value is not None and (kind != "number" or isinstance(value, bool) or not isinstance(value, int | float)):
            raise reader.fail(f"{where}.{key}", "bounds need a number field and a number")
        bounds.append(float(value) if value is not None else None)
    if bounds[0] is not None and bounds[1] is not None and bounds[0] > bounds[1]:
        raise reader.fail(where, "min is larger than max")
    return Field(ident, kind, required, label, help_texts, options, unit, bounds[0], bounds[1])


def _section(reader: _Reader, entry: object, where: str, number: int | None = None) -> Criterion:
    entry = reader.mapping(entry, where)
    ident = reader.ident(entry, where)
    where = f"{where} ({ident})"
    if number is None:
        number = entry.get("number")
        if not isinstance(number, int) or isinstance(number, bool):
            raise reader.fail(f"{where}.number", "expected a whole number")
    fields = tuple(_field(reader, item, f"{where}.fields[{i}]")
                   for i, item in enumerate(reader.items(entry.get("fields"), f"{where}.fields")))
    reader.unique([f.id for f in fields], f"{where}.fields")
    questions = tuple(reader.texts(q, f"{where}.questions[{i}]") for i, q in enumerate(entry.get("questions") or []))
    intro = reader.texts(entry["intro"], f"{where}.intro") if "intro" in entry else None
    return Criterion(ident, number, reader.texts(entry.get("title"), f"{where}.title"), intro, questions, fields)


def _criteria(path: Path) -> tuple[tuple[Criterion, ...], Criterion, Criterion]:
    reader = _Reader(path.name)
    data = _read_yaml(path)
    raw = reader.items(data.get("criteria"), "criteria")
    criteria = tuple(_section(reader, item, f"criteria[{i}]") for i, item in enumerate(raw))
    reader.unique([c.id for c in criteria], "criteria")
    numbers = sorted(c.number for c in criteria)
    if numbers != list(range(1, len(criteria) + 1)):
        raise reader.fail("criteria", f"numbers must run 1..{len(criteria)}, got {numbers}")
    for c in criteria:
        if not c.questions:
            raise reader.fail(f"criteria ({c.id})", "needs at least one guiding question")
        if not c.required_fields:
            raise reader.fail(f"criteria ({c.id})", "needs at least one required field")
    strategy = _section(reader, data.get("strategy"), "strategy", number=len(criteria) + 1)
    helper = _section(reader, data.get("decision_helper"), "decision_helper", number=0)
    ids = [c.id for c in criteria] + [strategy.id, helper.id]
    reader.unique(ids, "criteria/strategy/decision_helper")
    if strategy.id != STRATEGY_ID or helper.id != HELPER_ID:
        raise reader.fail("strategy/decision_helper", f"ids must be {STRATEGY_ID!r} and {HELPER_ID!r}")
    return criteria, strategy, helper


_FORM_FLAGS = ("can_delegate_authority", "principle_matters", "host_based", "own_employer", "commercial",
               "service_production", "historic", "cooperation")
_FORM_TEXTS = ("name", "steering_body", "employer", "suitable_tasks", "note")


def _forms(path: Path) -> tuple[tuple[LegalForm, ...], Texts]:
    reader = _Reader(path.name)
    data = _read_yaml(path)
    notice = reader.texts(data.get("notice"), "notice")
    forms = []
    for i, entry in enumerate(reader.items(data.get("forms"), "forms")):
        where = f"forms[{i}]"
        entry = reader.mapping(entry, where)
        ident = reader.ident(entry, where)
        where = f"{where} ({ident})"
        basis = entry.get("basis")
        if not isinstance(basis, str) or not basis.strip():
            raise reader.fail(f"{where}.basis", "missing legal basis")
        items = tuple(reader.texts(item, f"{where}.agreement_items[{j}]")
                      for j, item in enumerate(reader.items(entry.get("agreement_items"), f"{where}.agreement_items")))
        forms.append(LegalForm(
            id=ident,
            country=reader.choice(entry, "country", ("no", "se"), where),
            basis=basis.strip(),
            legal_entity=reader.choice(entry, "legal_entity", ("yes", "no", "optional"), where),
            political_steering=reader.choice(entry, "political_steering", STEERING_LEVELS, where),
            agreement_items=items,
            **{flag: reader.flag(entry, flag, where) for flag in _FORM_FLAGS},
            **{key: reader.texts(entry.get(key), f"{where}.{key}") for key in _FORM_TEXTS},
            nearest_no=str(entry.get("nearest_no") or ""),
        ))
    reader.unique([f.id for f in forms], "forms")
    ids = {f.id: f for f in forms}
    for form in forms:
        if form.nearest_no and (form.nearest_no not in ids or ids[form.nearest_no].country != "no"):
            raise reader.fail(f"forms ({form.id}).nearest_no", f"{form.nearest_no!r} is not a Norwegian form")
    return tuple(forms), notice


def _service_areas(path: Path) -> tuple[ServiceArea, ...]:
    reader = _Reader(path.name)
    data = _read_yaml(path)
    areas = []
    for i, entry in enumerate(reader.items(data.get("service_areas"), "service_areas")):
        where = f"service_areas[{i}]"
        entry = reader.mapping(entry, where)
        ident = reader.ident(entry, where)
        if ident.startswith(CUSTOM_AREA_PREFIX) or ident != ident.strip().lower():
            raise reader.fail(where, f"id {ident!r} must be lower case and not start with {CUSTOM_AREA_PREFIX!r}")
        where = f"{where} ({ident})"
        areas.append(ServiceArea(
            ident, reader.choice(entry, "group", ("seed", "nivi"), where), reader.flag(entry, "priority", where),
            reader.texts(entry.get("name"), f"{where}.name"),
            reader.texts(entry["description"], f"{where}.description") if "description" in entry else None,
        ))
    reader.unique([a.id for a in areas], "service_areas")
    return tuple(areas)


def load_catalogue(directory: Path | None = None) -> Catalogue:
    """Read and validate the three catalogue files in ``directory``.

    Raises :class:`CriteriaCatalogueError` naming the file and the place of the
    first problem found.
    """
    directory = Path(directory) if directory is not None else CATALOGUE_DIR
    criteria, strategy, helper = _criteria(directory / "criteria.yaml")
    forms, notice = _forms(directory / "legal_forms.yaml")
    return Catalogue(criteria, strategy, helper, forms, notice, _service_areas(directory / "service_areas.yaml"))


@lru_cache(maxsize=1)
def catalogue() -> Catalogue:
    """The bundled catalogue, loaded once per process."""
    return load_catalogue()


# ---------------------------------------------------------------------------
# Answers and status


def answers_by_area(answers: Iterable[Any], council: str | None = None) -> dict[tuple[str, str], dict[str, dict[str, Any]]]:
    """Group stored answers (objects with ``council``, ``service_area``, ``criterion``,
    ``field``, ``value``) as ``{(council, area): {criterion: {field: value}}}``."""
    grouped: dict[tuple[str, str], dict[str, dict[str, Any]]] = {}
    for answer in answers:
        if council is not None and answer.council != council:
            continue
        area = grouped.setdefault((answer.council, answer.service_area), {})
        area.setdefault(answer.criterion, {})[answer.field] = answer.value
    return grouped


def parse_date(value: object) -> dt.date | None:
    """A stored date (ISO text ``2026-05-31``, a date or a datetime), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value.strip():
        try:
            return dt.date.fromisoformat(value.strip()[:10])
        except ValueError:
            return None
    return None


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def target_is_measurable(value: object) -> bool:
    """An indicator target names an indicator, a target value and a year."""
    if not isinstance(value, Mapping):
        return False
    indicator = value.get("indicator")
    return (isinstance(indicator, str) and bool(indicator.strip())
            and _is_number(value.get("target")) and _is_number(value.get("year")))


def is_filled(item: Field, value: object) -> bool:
    """Whether ``value`` counts as an answer to the field."""
    if value is None:
        return False
    kind = item.type
    if kind in ("text", "long_text", "municipality", "legal_form"):
        return isinstance(value, str) and bool(value.strip())
    if kind == "choice":
        return isinstance(value, str) and value in item.option_ids()
    if kind == "date":
        return parse_date(value) is not None
    if kind == "number":
        return _is_number(value)
    if kind in ("multi_choice", "municipalities"):
        return isinstance(value, list | tuple) and len(value) > 0
    if kind == "indicator_target":
        return target_is_measurable(value)
    return False


def _has_content(item: Field, value: object) -> bool:
    """Anything entered at all (a half-filled indicator target counts as started)."""
    if item.type == "indicator_target" and isinstance(value, Mapping):
        return any(v not in (None, "") for v in value.values())
    return is_filled(item, value)


def completion(criterion: Criterion, values: Mapping[str, Any] | None) -> float:
    """The share (0..1) of the criterion's required fields that are filled."""
    values = values or {}
    required = criterion.required_fields
    if not required:
        return 1.0
    return sum(is_filled(f, values.get(f.id)) for f in required) / len(required)


def criterion_status(criterion: Criterion, values: Mapping[str, Any] | None) -> str:
    """``not_started`` when nothing is entered, ``complete`` when every required
    field is filled, else ``in_progress``."""
    values = values or {}
    if not any(_has_content(f, values.get(f.id)) for f in criterion.fields):
        return NOT_STARTED
    return COMPLETE if completion(criterion, values) == 1.0 else IN_PROGRESS


def area_statuses(answers: AreaAnswers, cat: Catalogue | None = None) -> dict[str, str]:
    """Status per criterion (and for the strategy section) of one service area."""
    cat = cat or catalogue()
    return {c.id: criterion_status(c, answers.get(c.id)) for c in (*cat.criteria, cat.strategy)}


# ---------------------------------------------------------------------------
# Consistency rules


@dataclass(frozen=True)
class Issue:
    """A consistency problem in one council's answers for one service area.

    ``rule`` names the rule, ``criterion`` where the user should fix it. Params
    ``form`` (a form id) and ``codes`` (municipality numbers) are turned into names
    in the user's language by :meth:`message`.
    """

    rule: str
    criterion: str
    severity: str
    params: Mapping[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> str:
        return f"criteria.rule.{self.rule}"

    def message(self, lang: str = "nb", cat: Catalogue | None = None) -> str:
        cat = cat or catalogue()
        params: dict[str, Any] = dict(self.params)
        if "form" in params:
            params["form"] = text(cat.form(params["form"]).name, lang)
        if "codes" in params:
            params["codes"] = ", ".join(municipality_label(code) for code in params["codes"])
        if isinstance(params.get("date"), dt.date):
            params["date"] = day(params["date"], lang)
        return t(self.key, lang, **params)


def municipality_label(code: str) -> str:
    """``5001 Trondheim`` for a known map unit, else the code as given."""
    from kommunestrategi import geo

    names = geo.load_units().set_index("kommunenummer")["name"]
    return f"{code} {names[code]}" if code in names.index else str(code)


def _value(answers: AreaAnswers, criterion: str, field_id: str) -> Any:
    return (answers.get(criterion) or {}).get(field_id)


def _codes(value: object) -> list[str]:
    if not isinstance(value, list | tuple):
        return []
    return [str(code) for code in value if str(code).strip()]


def check_consistency(council: str, answers: AreaAnswers, today: dt.date | None = None,
                      cat: Catalogue | None = None) -> list[Issue]:
    """Every consistency issue in one council's answers for one service area.

    Rules (ids as in ``Issue.rule``): ``authority_form``, ``host_missing``,
    ``host_not_partner``, ``iks_owners``, ``no_exit_clause``, ``exit_clause_missing``,
    ``review_overdue``, ``deadline_passed``, ``effect_without_target``,
    ``not_contiguous``.
    """
    cat = cat or catalogue()
    today = today or dt.date.today()
    issues: list[Issue] = []
    form_id = _value(answers, "form", "legal_form")
    form = cat.form(form_id) if cat.has_form(form_id) else None
    partners = [code for code in _codes(_value(answers, "partners", "partners")) if code != council]
    host = _value(answers, "partners", "host")
    host = host.strip() if isinstance(host, str) and host.strip() else None
    approach = _value(answers, STRATEGY_ID, "approach")

    if form is not None and _value(answers, "form", "authority") == "yes" and not form.can_delegate_authority:
        issues.append(Issue("authority_form", "form", "warning", {"form": form.id}))

    if form is not None and form.host_based:
        if host is None:
            issues.append(Issue("host_missing", "partners", "warning", {"form": form.id}))
        elif host not in {*partners, council}:
            issues.append(Issue("host_not_partner", "partners", "warning", {"form": form.id, "codes": [host]}))

    if form is not None and form.id == "iks" and len({*partners, council}) < 2:
        issues.append(Issue("iks_owners", "partners", "warning", {"count": len({*partners, council})}))

    exit_clause = _value(answers, "exit", "exit_clause")
    if exit_clause == "no":
        issues.append(Issue("no_exit_clause", "exit", "warning"))
    elif exit_clause != "yes" and (form is not None or approach == "cooperation"):
        issues.append(Issue("exit_clause_missing", "exit", "info"))

    review = parse_date(_value(answers, "exit", "review_date"))
    if review is not None and review < today:
        issues.append(Issue("review_overdue", "exit", "warning", {"date": review}))

    deadline = parse_date(_value(answers, STRATEGY_ID, "decision_deadline"))
    decided = parse_date(_value(answers, "internal", "decision_date"))
    if deadline is not None and deadline < today and decided is None:
        issues.append(Issue("deadline_passed", STRATEGY_ID, "warning", {"date": deadline}))

    why = cat.criterion("why")
    if is_filled(why.field("effect"), _value(answers, "why", "effect")) and not target_is_measurable(
            _value(answers, "why", "target")):
        issues.append(Issue("effect_without_target", "why", "warning"))

    if _value(answers, "partners", "region_kind") == "fixed_region" and partners:
        cut_off = _not_contiguous([council, *partners])
        if cut_off:
            issues.append(Issue("not_contiguous", "partners", "warning", {"codes": cut_off}))
    return issues


def _not_contiguous(codes: list[str]) -> list[str]:
    """Members cut off from the largest connected group; [] when contiguous or unknown."""
    from kommunestrategi import geo

    known = set(geo.load_units()["kommunenummer"])
    members = [code for code in dict.fromkeys(codes) if code in known]
    if len(members) < 2:
        return []
    result = geo.contiguity(members)
    return [] if result.contiguous else list(result.cut_off)


# ---------------------------------------------------------------------------
# Decision helper


@dataclass(frozen=True)
class Reason:
    """One reason for or against a form; ``key`` is an i18n key."""

    key: str
    positive: bool

    def message(self, lang: str = "nb") -> str:
        return t(self.key, lang)


@dataclass(frozen=True)
class Recommendation:
    form: LegalForm
    score: int
    recommended: bool
    excluded: bool
    reasons: tuple[Reason, ...]


def _reason(reasons: list[Reason], name: str, positive: bool) -> int:
    reasons.append(Reason(f"criteria.helper.reason.{name}", positive))
    return 0


def _score_form(form: LegalForm, answers: Mapping[str, Any]) -> tuple[int, bool, list[Reason]]:
    reasons: list[Reason] = []
    score = 0
    excluded = False
    authority = answers.get("authority")
    if authority == "yes":
        if form.can_delegate_authority:
            score += 3
            _reason(reasons, "authority_ok", True)
        else:
            excluded = True
            _reason(reasons, "authority_blocked", False)
        if answers.get("principle") == "yes":
            if form.principle_matters:
                score += 2
                _reason(reasons, "principle_ok", True)
            else:
                excluded = True
                _reason(reasons, "principle_blocked", False)
    employ = answers.get("employ")
    if employ == "yes":
        score += 1 if form.own_employer else -1
        _reason(reasons, "employ_own" if form.own_employer else "employ_host", form.own_employer)
    elif employ == "no" and form.host_based:
        score += 1
        _reason(reasons, "employ_host_ok", True)
    entity = answers.get("entity")
    if entity == "yes":
        delta = {"yes": 2, "optional": 1, "no": -2}[form.legal_entity]
        score += delta
        _reason(reasons, "entity_yes" if delta > 0 else "entity_missing", delta > 0)
    elif entity == "no":
        delta = {"yes": -2, "optional": 1, "no": 1}[form.legal_entity]
        score += delta
        _reason(reasons, "entity_none_ok" if delta > 0 else "entity_unwanted", delta > 0)
    commercial = answers.get("commercial")
    if commercial == "yes":
        score += 2 if form.commercial else -1
        _reason(reasons, "commercial_fit" if form.commercial else "commercial_unfit", form.commercial)
    elif commercial == "no" and form.commercial:
        score -= 1
        _reason(reasons, "commercial_not_needed", False)
    steering = answers.get("steering")
    if steering in STEERING_LEVELS:
        gap = abs(STEERING_LEVELS.index(steering) - STEERING_LEVELS.index(form.political_steering))
        if gap == 0:
            score += 2
            _reason(reasons, "steering_match", True)
        elif gap == 2:
            score -= 2
            _reason(reasons, "steering_mismatch", False)
    if not form.service_production:
        score -= 3
        _reason(reasons, "no_services", False)
    if not form.cooperation:
        score -= 1
        _reason(reasons, "not_cooperation", False)
    return score, excluded, reasons


def recommend_forms(answers: Mapping[str, Any], cat: Catalogue | None = None,
                    default_country: str = "no") -> list[Recommendation]:
    """Rank the legal forms for the decision helper's answers.

    ``answers`` maps the helper's question ids (``authority``, ``principle``,
    ``employ``, ``entity``, ``commercial``, ``steering``, ``country``) to option ids.
    Forms that cannot do what is asked (authority, matters of principle) are
    excluded with the reason; historic forms and forms of the other country are
    left out. The best-scoring forms (within one point of the best, score above
    zero) are marked recommended. No answers give an empty list. Without a
    ``country`` answer the forms of ``default_country`` (the workspace's) are ranked.
    """
    cat = cat or catalogue()
    questions = [f.id for f in cat.helper.fields if f.id != "country"]
    if not any(answers.get(q) for q in questions):
        return []
    country = answers.get("country") or default_country
    results = []
    for form in cat.forms:
        if form.historic or form.country != country:
            continue
        score, excluded, reasons = _score_form(form, answers)
        results.append((form, score, excluded, reasons))
    best = max((score for _, score, excluded, _ in results if not excluded), default=0)
    ranked = [
        Recommendation(form, score, (not excluded) and score > 0 and score >= best - 1, excluded, tuple(reasons))
        for form, score, excluded, reasons in results
    ]
    order = {form.id: i for i, form in enumerate(cat.forms)}
    ranked.sort(key=lambda r: (r.excluded, not r.recommended, -r.score, order[r.form.id]))
    return ranked
