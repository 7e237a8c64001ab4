"""The workshop's and the data imports' entries of the workspace history in words.

Scenarios, scores, weights and the measured-or-judged choice are stored with
machine keys and JSON values (``[2, "identity", "Siri"]``, ``{"score": 2,
"reason": ""}``); here they read as ``Scenario 2 · Lokal identitet · Siri`` and
``2``. A dataset's kind (``arrangements``) reads as its name on the Data page.
"""

from __future__ import annotations

import json
from typing import Any

from kommunestrategi import criteria as cr
from kommunestrategi.formatting import number
from kommunestrategi.i18n import catalogue, t

SEPARATOR = " · "
#: The history entities described here.
ENTITIES = frozenset({"scenario", "scenario_score", "scenario_weights", "scenario_methods", "dataset", "workspace"})


def _known(key: str, lang: str, fallback: str) -> str:
    return t(key, lang) if key in catalogue() else fallback


def _criterion(criterion: str, lang: str) -> str:
    return _known(f"scenarios.criterion.{criterion}", lang, criterion)


def _order(criterion: str) -> int:
    from kommunestrategi.scenarios.model import CRITERIA

    return CRITERIA.index(criterion) if criterion in CRITERIA else len(CRITERIA)


def _parts(key: str) -> list[Any] | None:
    try:
        parts = json.loads(key)
    except ValueError:
        return None
    return parts if isinstance(parts, list) else None


def describe_key(entity: str, key: str, lang: str) -> str | None:
    """The entry's subject in words, or None when ``entity`` is not one of these."""
    if entity == "scenario":
        return t("history.scenario_number", lang, number=key)
    if entity == "scenario_score":
        parts = _parts(key)
        if parts and len(parts) == 3:
            scenario, criterion, participant = parts
            return SEPARATOR.join([t("history.scenario_number", lang, number=scenario),
                                   _criterion(str(criterion), lang), str(participant)])
        return key
    if entity == "scenario_weights":
        return key  # the participant's name
    if entity == "scenario_methods":
        return t("history.scenario_methods_key", lang)
    if entity == "dataset":
        return _known(f"data.kind.{key}", lang, key)
    return None


def _members(codes: Any) -> str:
    if isinstance(codes, str):
        try:
            codes = json.loads(codes)
        except ValueError:
            return codes
    return ", ".join(cr.municipality_label(str(c)) for c in codes or [])


def _as_dict(value: Any) -> dict | None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return None
    return value if isinstance(value, dict) else None


def describe_value(entity: str, value: Any, lang: str) -> str | None:
    """A stored value in words, or None when ``entity`` is not one of these (or the value
    has an unexpected shape)."""
    if entity not in ENTITIES:
        return None
    data = _as_dict(value)
    if data is None:
        return None
    if entity == "scenario":
        words = [str(data.get("name") or ""),
                 _known(f"scenarios.kind.{data.get('kind')}", lang, str(data.get("kind") or "")),
                 _members(data.get("members"))]
        return SEPARATOR.join(w for w in words if w)
    if entity == "scenario_score":
        score = data.get("score")
        shown = number(score, lang) if isinstance(score, int | float) else "–"
        reason = str(data.get("reason") or "").strip()
        return f"{shown} – {reason}" if reason else shown
    if entity == "scenario_weights":
        # the criteria the participant weighted (a weight of 0 leaves a criterion out)
        given = {c: w for c, w in data.items() if not (isinstance(w, int | float) and w == 0)} or data
        return ", ".join(f"{_criterion(str(c), lang)} {number(w, lang) if isinstance(w, int | float) else w}"
                         for c, w in sorted(given.items(), key=lambda cw: _order(str(cw[0]))))
    if entity == "scenario_methods":
        return ", ".join(f"{_criterion(str(c), lang)}: {_known(f'scenarios.method_short.{m}', lang, str(m))}"
                         for c, m in sorted(data.items(), key=lambda cm: _order(str(cm[0]))))
    if entity == "workspace":
        if "councils" not in data:
            return None
        return t("history.workspace_councils", lang, councils=_members(data.get("councils")))
    if entity == "dataset":
        return str(data.get("file_name") or "")
    return None
