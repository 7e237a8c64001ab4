"""Numbers, dates and times in the user's language: ``1 234,5`` in Norwegian.

The one place where figures and moments become text. Times are stored in UTC;
every time shown or written into a document is Norwegian local time
(Europe/Oslo), with the date in the user's language. A naive time is taken as
UTC (that is how the store and the caches keep them).
"""

from __future__ import annotations

import math
from datetime import UTC, date, datetime, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date
from babel.numbers import format_decimal, format_percent

from kommunestrategi.i18n import BABEL_LOCALES, normalise_language

#: The time zone every shown time is in.
TIME_ZONE = "Europe/Oslo"


def local_zone() -> tzinfo:
    """Europe/Oslo (UTC when the system has no time-zone data)."""
    try:
        return ZoneInfo(TIME_ZONE)
    except ZoneInfoNotFoundError:  # pragma: no cover - tzdata is a dependency
        return UTC


def local(moment: datetime | None) -> datetime | None:
    """A stored (UTC or naive UTC) time in Norwegian local time."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(local_zone())


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
    """A date in the language's medium style (``23. nov. 2026``); a time's local date."""
    if value is None:
        return "–"
    if isinstance(value, datetime):
        value = local(value).date()
    return format_date(value, format="medium", locale=_locale(lang))


def timestamp(value: datetime | None, lang: str = "nb") -> str:
    """Local date and time (``23. nov. 2026, 13:03``)."""
    if value is None:
        return "–"
    moment = local(value)
    return f"{format_date(moment.date(), format='medium', locale=_locale(lang))}, {clock(moment)}"


def clock(value: datetime | None) -> str:
    """The local time of day (``13:03``)."""
    moment = local(value)
    return "" if moment is None else moment.strftime("%H:%M")
