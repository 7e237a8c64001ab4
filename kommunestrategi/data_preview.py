"""The Data page's preview of a checked file, as a secretariat reads it.

The importer's canonical tables speak the store's language (``indicator_values``
with ``indicator_id``, ``pop_total``, ``value`` 14783.0). Here each table gets
its name, each column its label and each cell its text in the user's language:
indicator and service-area names instead of ids, figures grouped (``14 783``),
years and municipality numbers as they are written.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from functools import lru_cache

import pandas as pd

from kommunestrategi import criteria as cr
from kommunestrategi.formatting import day, number
from kommunestrategi.i18n import catalogue as texts
from kommunestrategi.i18n import t

#: Columns written as they are (numbers that are names, not amounts).
_AS_IS = {"kommunenummer", "from_kommunenummer", "to_kommunenummer", "host", "year", "year_established",
          "org_number", "arrangement_id", "source_number", "source_row", "name", "kommunenavn"}
#: Columns never shown (geometry as bytes).
_HIDDEN = {"geometry_wkb", "geometry"}


def table_title(name: str, lang: str = "nb") -> str:
    """``indicator_values`` as ``Indikatorverdier``."""
    key = f"data.table.{name}"
    return t(key, lang) if key in texts() else name.replace("_", " ").capitalize()


def column_label(column: str, lang: str = "nb") -> str:
    """``indicator_id`` as ``Indikator``."""
    key = f"data.column.{column}"
    return t(key, lang) if key in texts() else column.replace("_", " ").capitalize()


@lru_cache(maxsize=4)
def _indicator_names(lang: str) -> dict[str, str]:
    from kommunestrategi.indicators.catalogue import load_catalogue

    return {ident: ind.name(lang) for ident, ind in load_catalogue().items()}


def indicator_label(ident: str, lang: str = "nb", extra_names: dict[str, str] | None = None) -> str:
    """An indicator's name for the page (``pop_total`` -> ``Folketall``); a workspace's
    own indicator by its own name; an unknown id as it is."""
    return (extra_names or {}).get(ident) or _indicator_names(lang).get(ident) or ident


def _unit(unit: object, lang: str) -> str:
    key = f"indicators.unit.{unit}"
    return t(key, lang) if key in texts() else str(unit)


def _service_area(area: object, lang: str) -> str:
    try:
        return cr.text(cr.catalogue().service_area(str(area)).name, lang)
    except KeyError:
        return str(area)


def _legal_form(form: object, lang: str) -> str:
    cat = cr.catalogue()
    return cr.text(cat.form(str(form)).name, lang) if cat.has_form(str(form)) else str(form)


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA or (
        isinstance(value, str) and not value.strip())


def _figure(value: object, lang: str) -> str:
    if isinstance(value, bool):
        return t("export.yes" if value else "export.no", lang)
    if isinstance(value, int | float):
        decimals = 0 if float(value).is_integer() else min(3, len(f"{float(value):.3f}".rstrip("0").split(".")[1]))
        return number(value, lang, decimals)
    return str(value)


def _formatter(column: str, lang: str, extra_names: dict[str, str] | None = None) -> Callable[[object], str]:
    names = {**(extra_names or {}), **_indicator_names(lang)} if column == "indicator_id" else {}
    if column == "indicator_id":
        return lambda v: names.get(str(v), str(v))
    if column == "unit":
        return lambda v: _unit(v, lang)
    if column == "service_area":
        return lambda v: _service_area(v, lang)
    if column == "legal_form":
        return lambda v: _legal_form(v, lang)
    if column == "role":
        return lambda v: t(f"data.role.{v}", lang) if f"data.role.{v}" in texts() else str(v)
    if column in _AS_IS:
        return lambda v: str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)
    if column in ("agreement_date", "next_review"):
        return lambda v: day(v, lang) if hasattr(v, "year") else str(v)
    return lambda v: _figure(v, lang)


def preview_frame(frame: pd.DataFrame, lang: str = "nb",
                  indicator_names: dict[str, str] | None = None) -> pd.DataFrame:
    """The table with labelled columns and every cell as display text (``indicator_names``:
    the names of a workspace's own indicators, beside the catalogue's)."""
    shown = frame.drop(columns=[c for c in frame.columns if c in _HIDDEN])
    out = {}
    for column in shown.columns:
        fmt = _formatter(str(column), lang, indicator_names)
        out[column_label(str(column), lang)] = [("" if _missing(v) else fmt(v)) for v in shown[column].tolist()]
    return pd.DataFrame(out, columns=list(out) or None)


def readable_message(text: str, lang: str = "nb") -> str:
    """A report message with indicator ids (``pop_total``) replaced by their names."""
    names = _indicator_names(lang)
    if not text or not names:
        return text
    pattern = _id_pattern()
    return pattern.sub(lambda m: names.get(m.group(0), m.group(0)), text)


@lru_cache(maxsize=1)
def _id_pattern() -> re.Pattern[str]:
    ids = sorted(_indicator_names("nb"), key=len, reverse=True)
    return re.compile(r"(?<![\w.])(?:" + "|".join(re.escape(i) for i in ids) + r")(?![\w.])")
