"""Numbers, dates and times in the user's language: ``1 234,5`` in Norwegian.

The one place where figures and moments become text. Times are stored in UTC;
every time shown or written into a document is Norwegian local time
(Europe/Oslo), with the date in the user's language. A naive time is taken as
UTC (that is how the store and the caches keep them).
"""

from __future__ import annotations

import functools
import math
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_date
from babel.lists import format_list
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


@functools.lru_cache(maxsize=16)
def _number_symbols(locale: str) -> tuple[str, str, str]:
    """(minus sign, group separator, decimal sign) of ``locale``, read off Babel's own output."""
    probe = format_decimal(-1234.5, format="#,##0.0", locale=locale)
    one = probe.index("1")
    return probe[:one], probe[one + 1], probe[one + 5]


_QUANTA = tuple(Decimal(1).scaleb(-places) for places in range(16))


def number(value: float | int | None, lang: str = "nb", decimals: int = 0) -> str:
    """A number with the language's grouping and decimal sign; ``–`` for missing.

    The same text as Babel's ``format_decimal`` with the pattern ``#,##0.0…`` (the
    value read as its shortest decimal form, rounded half to even), built from the
    locale's symbols with Python's own formatting: a table or map formats
    hundreds of numbers per interaction, and this is several times faster.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    locale = _locale(lang)
    try:
        exact = Decimal(str(value))
        if not exact.is_finite() or not 0 <= decimals < len(_QUANTA):
            raise InvalidOperation
        text = format(exact.quantize(_QUANTA[decimals], rounding=ROUND_HALF_EVEN), ",f")
    except (InvalidOperation, ValueError):
        pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
        return format_decimal(value, format=pattern, locale=locale)
    minus, group, point = _number_symbols(locale)
    sign = ""
    if text.startswith("-"):
        sign, text = minus, text[1:]
    return sign + text.translate({44: group, 46: point})


def percent(share: float | None, lang: str = "nb", decimals: int = 1) -> str:
    """A share (0.123) as a percentage (``12,3 %``, a no-break space before the sign,
    so a line never ends between the figure and its ``%``)."""
    if share is None or (isinstance(share, float) and math.isnan(share)):
        return "–"
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + "\u00a0%"
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


_SPACES = str.maketrans("", "", " \u00a0\u202f\u2009'")


def parse_number(text: str | None, lang: str = "nb") -> float | None:
    """A number typed the language's way: ``18 500 000``, ``78,0`` (``78.0`` is read
    too); ``1,234.5`` in English. ``None`` for an empty text; ``ValueError`` when
    it is not a number."""
    if text is None or not str(text).strip():
        return None
    raw = str(text).strip().translate(_SPACES).replace("\u2212", "-")
    if normalise_language(lang) == "en":
        raw = raw.replace(",", "")
    elif "," in raw:
        raw = raw.replace(".", "").replace(",", ".")  # 1.234,5 -> 1234.5; 78,0 -> 78.0
    value = float(raw)
    if math.isnan(value) or math.isinf(value):
        raise ValueError(f"not a number: {text!r}")
    return value


def input_number(value: float | int | None, lang: str = "nb", decimals: int | None = None) -> str:
    """A number for an input box: grouped, with the language's decimal sign; as many
    decimals as it has (at least ``decimals`` when given)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else min(6, len(f"{float(value):.6f}".rstrip("0").split(".")[1]))
    else:
        shown = f"{float(value):.6f}".rstrip("0").split(".")[1]
        decimals = max(decimals, min(6, len(shown)))
    return number(value, lang, decimals)


def prose_list(items: Sequence[str], lang: str = "nb") -> str:
    """Items as running text: ``Trondheim, Malvik og Stjørdal``."""
    items = [str(i) for i in items if str(i)]
    return format_list(items, locale=_locale(lang)) if items else ""
