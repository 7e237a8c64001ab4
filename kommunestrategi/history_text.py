"""The workspace history in the reader's language.

The store keeps each change with a machine key (``["5031","barnevern","strategy",
"decision_deadline"]``) and the raw stored value (``"cooperation"``,
``"2027-03-01"``). Here those become what a council reads: ``5031 Malvik ·
Barnevern · Veivalg · Frist for vedtak`` and ``Samarbeid``, ``1. mars 2027``.
"""

from __future__ import annotations

import json
from typing import Any

from kommunestrategi import criteria as cr
from kommunestrategi import history_scenarios
from kommunestrategi.strategy import display_value

#: The separator between the parts of a described key.
SEPARATOR = " · "


def _parts(key: str) -> list[str] | None:
    try:
        parts = json.loads(key)
    except ValueError:
        return None
    return [str(p) for p in parts if p not in ("", None)] if isinstance(parts, list) else None


def _section(criterion: str) -> cr.Criterion | None:
    cat = cr.catalogue()
    if criterion == cr.STRATEGY_ID:
        return cat.strategy
    if criterion == cr.HELPER_ID:
        return cat.helper
    try:
        return cat.criterion(criterion)
    except KeyError:
        return None


def _field(criterion: str, field_id: str) -> cr.Field | None:
    section = _section(criterion)
    if section is None:
        return None
    try:
        return section.field(field_id)
    except KeyError:
        return None


def _area_name(area: str, lang: str) -> str:
    try:
        return cr.text(cr.catalogue().service_area(area).name, lang)
    except KeyError:
        return area


def describe_key(entity: str, key: str, lang: str = "nb") -> str:
    """What a history entry is about, in words; the parts joined with `` · ``."""
    described = history_scenarios.describe_key(entity, key, lang)
    if described is not None:
        return described
    parts = _parts(key)
    if parts is None:
        return key
    if entity == "answer" and len(parts) == 4:
        council, area, criterion, field_id = parts
        section = _section(criterion)
        item = _field(criterion, field_id)
        words = [cr.municipality_label(council), _area_name(area, lang)]
        if section is not None:
            title = cr.text(section.title, lang)
            words.append(f"{section.number}. {title}" if criterion not in (cr.STRATEGY_ID, cr.HELPER_ID) else title)
        else:
            words.append(criterion)
        words.append(cr.text(item.label, lang) if item else field_id)
        return SEPARATOR.join(words)
    if entity == "council" and parts:
        return SEPARATOR.join(cr.municipality_label(p) if p.isdigit() else p for p in parts)
    if entity == "cooperation" and parts:
        return parts[-1]  # the arrangement's id; the imported file's checksum says nothing to a reader
    return SEPARATOR.join(parts)


def _arrangement_text(value: dict, lang: str) -> str:
    """A register arrangement in one line: name, area, form, host, members, review date, ending."""
    from kommunestrategi.cooperation import overview as ov
    from kommunestrategi.i18n import t

    words = [str(value.get("name") or "")]
    if value.get("service_area"):
        words.append(ov.service_name(str(value["service_area"]), lang))
    if value.get("legal_form"):
        words.append(ov.form_name(str(value["legal_form"]), lang))
    if value.get("host"):
        words.append(t("cooperation.checklist.host", lang, host=ov.municipality(str(value["host"]))))
    members = value.get("members") or []
    words.append(t("cooperation.history.members", lang, count=len(members)))
    if value.get("next_review"):
        words.append(t("cooperation.history.review", lang, date=ov.date_text(str(value["next_review"]), lang)))
    if value.get("ended"):
        words.append(t("cooperation.status.ended", lang, date=ov.date_text(str(value["ended"]), lang)))
    return SEPARATOR.join(w for w in words if w)


def describe_value(entity: str, key: str, value: Any, lang: str = "nb") -> str:
    """A stored value as text: option names instead of ids, dates and numbers formatted."""
    if value is None:
        return ""
    described = history_scenarios.describe_value(entity, value, lang)
    if described is not None:
        return described
    parts = _parts(key)
    if entity == "answer" and parts and len(parts) == 4:
        item = _field(parts[2], parts[3])
        if item is not None:
            try:
                return display_value(item, value, lang)
            except (TypeError, ValueError, KeyError):
                pass
    if entity == "cooperation" and isinstance(value, dict):
        try:
            return _arrangement_text(value, lang)
        except (TypeError, ValueError):
            pass
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(v, str) and v.isdigit() and len(v) == 4 for v in value):
        return ", ".join(cr.municipality_label(v) for v in value)
    return json.dumps(value, ensure_ascii=False)
