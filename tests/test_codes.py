"""Municipality numbers and names: normalising, matching, 2020 <-> 2024."""

import pytest

from kommunestrategi import codes, geo
from kommunestrategi.codes import UnknownMunicipality


@pytest.mark.parametrize("raw, expected", [
    (301, "0301"), ("301", "0301"), ("0301", "0301"), ("K-0301", "0301"), ("k-301", "0301"),
    ("5001 Trondheim", "5001"), (5001.0, "5001"), (" 0301 ", "0301"),
    ("Oslo", None), ("", None), (None, None), (float("nan"), None), (12.5, None),
])
def test_normalise_number(raw, expected):
    assert codes.normalise_number(raw) == expected


def test_fold_name_ignores_case_and_accents():
    assert codes.fold_name("ÅLESUND") == codes.fold_name("ålesund")
    assert codes.fold_name("Bø") == "bo"
    assert codes.fold_name("Hábmer") == "habmer"


@pytest.mark.parametrize("value, unit", [
    ("5001", "5001"),          # same number 2020 and 2024
    ("1507", "1508"),          # Ålesund 2020 -> the Ålesund og Haram unit
    ("1580", "1508"),          # Haram 2024 -> same unit
    ("3001", "3101"),          # Halden: 2020 Viken number -> 2024 Østfold number
    ("3101", "3101"),
    ("5401", "5501"),          # Tromsø 2020 -> 2024
    ("trondheim", "5001"),
    ("TROMSØ", "5501"),
    ("Hattfjelldal", "1826"),  # Sami double name "Aarborte - Hattfjelldal" matches by either part
    ("Aarborte", "1826"),
])
def test_unit_for_accepts_2020_and_2024_numbers_and_names(value, unit):
    assert geo.code_index().unit_for(value) == unit


def test_unknown_number_or_name_has_a_suggestion():
    with pytest.raises(UnknownMunicipality) as err:
        geo.code_index().unit_for("Trondhiem")
    assert err.value.suggestion == "5001 Trondheim"
    with pytest.raises(UnknownMunicipality):
        geo.code_index().unit_for("9999")


def test_translation_2020_to_2024_and_back():
    assert codes.to_2024("1507") == ("1508", "1580")
    assert codes.to_2024("3001") == ("3101",)
    assert codes.to_2020("3101") == "3001"
    assert codes.to_2020("1580") == "1507"
    assert codes.to_2020("5001") == "5001"
    with pytest.raises(UnknownMunicipality):
        codes.to_2024("9999")


def test_no_number_means_two_different_municipalities_in_2020_and_2024():
    changes = codes.code_changes()
    by_2020 = dict(zip(changes.kommunenummer_2020, changes.kommunenummer_2024, strict=False))
    for number in set(changes.kommunenummer_2020) & set(changes.kommunenummer_2024):
        assert by_2020[number] == number or number == "1507"
