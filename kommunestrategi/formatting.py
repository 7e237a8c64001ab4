"""Numbers and dates in the user's language: ``1 234,5`` in Norwegian."""

from __future__ import annotations

import math
from datetime import date, datetime

from babel.dates import format_date, format_datetime
from babel.numbers import format_decimal, format_percent

from kommunestrategi.i18n import BABEL_LOCALES, normalise_language


def _locale(lang: str) -> str:
    return BABEL_LOCALES[normalise_language(lang)]


def number(value: float | int | None, lang: str = "nb", decimals: int = 0) -> str:
    """A number with the language's grouping and decimal sign; ``–`` for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern, locale=_locale(lang))


def percent(share: float | None, lang: str = "nb", decimals: int = 1) -> str:
    """A share (0.123) as a percentage (``12,3 %``)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + " %"
    return format_percent(share, format=pattern, locale=_locale(lang))


def day(value: date | datetime | None, lang: str = "nb") -> str:
    """A date in the language's medium style (``23. nov. 2026``)."""
    if value is None:
        return "–"
    return format_date(value, format="medium", locale=_locale(lang))


def timestamp(value: datetime | None, lang: str = "nb") -> str:
    """Date and time (``23.11.2026, 12:03``)."""
    if value is None:
        return "–"
    return format_datetime(value, format="short", locale=_locale(lang))
