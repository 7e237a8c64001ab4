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
