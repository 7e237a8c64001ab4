"""Row-level validation helpers: municipalities, numbers, years, units."""

import math

import pandas as pd
import pytest

from kommunestrategi.io import validation as v


@pytest.mark.parametrize("value, unit", [
    ("301", "0301"), (301, "0301"), (301.0, "0301"), ("0301", "0301"), ("K-0301", "0301"),
    ("5001 Trondheim", "5001"), ("K-5001", "5001"), ("TRONDHEIM", "5001"), ("trondheim", "5001"),
    ("Bodø", "1804"), ("BODO", "1804"), ("Guovdageaidnu", "5612"), ("Kautokeino", "5612"),
    ("3001", "3101"),  # Halden: 2020 number translated to the 2024 unit
    ("1580", "1508"),  # Haram (2024) lies in the bundled unit Ålesund og Haram
])
def test_municipalities_resolve_to_2024_units(value, unit):
    region = v.resolve_region(value)
    assert region.kind == "unit"
    assert region.unit == unit


def test_old_number_is_flagged():
    assert v.resolve_region("3001").old_number
    assert not v.resolve_region("3101").old_number


@pytest.mark.parametrize("value", [
    "0 Hele landet", "Hele landet", "K-21-22", "K-23", "K-Rest", "50 Trøndelag", "Trøndelag", "EKA50",
    "EKG13", "030101 Gamle Oslo", "Bydel Frogner", "F-50", "9999 Uoppgitt",
])
def test_aggregates_are_recognised(value):
    assert v.resolve_region(value).kind == "aggregate"


def test_unknown_number_gets_a_suggestion():
    region = v.resolve_region("Trondhjem")
    assert region.kind == "unknown"
    assert region.suggestion == "5001 Trondheim"
    assert v.resolve_region("<script>alert(1)</script>").kind == "unknown"


@pytest.mark.parametrize("text, decimal, expected", [
    ("1 234,5", ",", 1234.5), ("1\u00a0234,5", ",", 1234.5), ("1,234.5", ".", 1234.5), ("1.234,5", ",", 1234.5),
    ("12,5", ",", 12.5), ("12.5", ".", 12.5), ("1,234", ".", 1234.0), ("\u22123,5", ",", -3.5), (17, ",", 17.0),
    ("12,5 %", ",", 12.5),
])
def test_numbers_in_norwegian_and_english_notation(text, decimal, expected):
    assert v.parse_number(text, decimal) == pytest.approx(expected)


@pytest.mark.parametrize("symbol", ["..", ":", ".", "-", "", "..."])
def test_ssb_missing_symbols_are_missing_not_errors(symbol):
    assert v.parse_number(symbol) is None


def test_text_is_not_a_number():
    assert math.isnan(v.parse_number("mange"))
    assert math.isnan(v.parse_number("=1+2"))


def test_vectorised_parsing_separates_missing_from_bad():
    values, missing, bad = v.parse_numbers(pd.Series(["1 000", "..", "x", 5.0], dtype=object))
    assert values.iloc[0] == 1000 and values.iloc[3] == 5
    assert missing.tolist() == [False, True, False, False]
    assert bad.tolist() == [False, False, True, False]


def test_decimal_sign_is_detected_from_the_column():
    assert v.detect_decimal(pd.Series(["1,5", "2,25"])) == ","
    assert v.detect_decimal(pd.Series(["1.5", "2.25"])) == "."


@pytest.mark.parametrize("value, year", [(2022, 2022), (2022.0, 2022), ("2022", 2022), ("2022K", 2022),
                                         ("2022M12", 2022), ("neste år", None)])
def test_years(value, year):
    assert v.parse_year(value) == year


def test_units_compare_by_meaning():
    assert not v.units_conflict("Prosent", "percent")
    assert not v.units_conflict("personer", "persons")
    assert v.units_conflict("1000 kr", "nok")
    assert not v.units_conflict("something unknown", "persons")


def test_catalogue_is_read():
    catalogue = v.indicator_catalogue()
    assert "pop_total" in set(catalogue["indicator_id"])
    assert v.forbids_negative("pop_total", "persons")
    assert not v.forbids_negative("netto_driftsresultat", "percent")
