"""Norwegian number formats (1 234,5) and the other languages."""

from datetime import date

from kommunestrategi import formatting

NBSP = "\u00a0"


def test_norwegian_numbers_group_with_space_and_use_decimal_comma():
    assert formatting.number(1234.5, "nb", 1) == f"1{NBSP}234,5"
    assert formatting.number(5550203, "nb") == f"5{NBSP}550{NBSP}203"


def test_english_and_swedish_numbers():
    assert formatting.number(1234.5, "en", 1) == "1,234.5"
    assert formatting.number(1234.5, "sv", 1).replace(NBSP, " ") == "1 234,5"


def test_missing_values_show_a_dash_not_zero():
    assert formatting.number(None) == "–"
    assert formatting.number(float("nan")) == "–"
    assert formatting.percent(None) == "–"


def test_percent():
    assert formatting.percent(0.1234, "nb").replace(NBSP, " ") == "12,3 %"


def test_dates():
    assert formatting.day(date(2026, 11, 23), "nb") == "23. nov. 2026"


def test_times_are_shown_in_oslo_local_time_with_the_date_in_the_language():
    from datetime import UTC, datetime
    winter = datetime(2026, 11, 29, 20, 46, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    assert formatting.timestamp(winter, "nb") == "29. nov. 2026, 21:46"
    assert formatting.timestamp(summer, "nb") == "2. juli 2026, 00:30"
    assert formatting.timestamp(winter, "en") == "29 Nov 2026, 21:46"
    assert formatting.clock(winter) == "21:46"
    # a naive time is the store's UTC
    assert formatting.clock(datetime(2026, 11, 29, 20, 46)) == "21:46"
    # the date of a late evening in UTC is the next day in Oslo
    assert formatting.day(datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "nb") == "1. jan. 2027"


def test_numbers_typed_the_norwegian_way_are_read():
    assert formatting.parse_number("18 500 000") == 18_500_000
    assert formatting.parse_number(f"18{NBSP}500{NBSP}000") == 18_500_000
    assert formatting.parse_number("78,0") == 78.0
    assert formatting.parse_number("78.5") == 78.5
    assert formatting.parse_number("1.234,5") == 1234.5
    assert formatting.parse_number("-3,25") == -3.25
    assert formatting.parse_number("1,234.5", "en") == 1234.5
    assert formatting.parse_number("  ") is None
    import pytest
    with pytest.raises(ValueError):
        formatting.parse_number("atten")


def test_numbers_for_input_boxes():
    assert formatting.input_number(18_500_000).replace(NBSP, " ") == "18 500 000"
    assert formatting.input_number(78.0, decimals=1) == "78,0"
    assert formatting.input_number(0.198) == "0,198"
    assert formatting.input_number(1.0, decimals=2) == "1,00"
    assert formatting.input_number(None) == ""


def test_number_matches_babel_on_many_values():
    """The fast path gives exactly Babel's text (rounding half to even on the decimal form)."""
    import random

    import numpy as np
    from babel.numbers import format_decimal

    from kommunestrategi.i18n import BABEL_LOCALES

    rnd = random.Random(7)
    values = [0, -0.0, 0.5, 1.5, 2.5, -0.3, -0.5, 2.675, 0.125, 99.995, -99.995, 1 / 3, 0.1 + 0.2, 1e15,
              123456789.987, -1234.5, 1e-7, 5e-324, np.float64(3.14159), np.int64(-42), 12345678901234567890,
              float("inf"), float("-inf")]
    values += [rnd.uniform(-1e7, 1e7) for _ in range(400)]
    values += [round(rnd.uniform(-1000, 1000), rnd.randint(0, 4)) for _ in range(400)]
    for lang, locale in BABEL_LOCALES.items():
        for decimals in (0, 1, 2, 3):
            pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
            for value in values:
                assert formatting.number(value, lang, decimals) == format_decimal(value, format=pattern, locale=locale), \
                    (lang, decimals, value)
    assert formatting.number(-1234.5, "nb", 1) == "-1\u00a0234,5"
    assert formatting.number(1234567, "en") == "1,234,567"
