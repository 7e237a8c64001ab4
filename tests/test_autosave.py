"""The autosave helpers: values survive the trip widget -> store -> widget, text is shown as typed."""

import datetime as dt

import pytest

from kommunestrategi import criteria as cr
from ui import autosave


def _field(criterion: str, field_id: str) -> cr.Field:
    return cr.catalogue().criterion(criterion).field(field_id)


@pytest.mark.parametrize("criterion, field_id, value", [
    ("why", "problem", "Æøå =SUM(A1) <script>alert(1)</script>\nline two"),
    ("why", "problem", "x" * 10_000),
    ("why", "target", {"indicator": "Fristbrudd", "baseline": 14.0, "target": 2.5, "year": 2028}),
    ("why", "alternatives", ["alone", "merger"]),
    ("partners", "partners", ["5028", "5031"]),
    ("partners", "host", "5028"),
    ("partners", "region_kind", "fixed_region"),
    ("form", "legal_form", "iks"),
    ("form", "budget", 12_500_000),
    ("democracy", "budget_share_outside", 12.5),
    ("internal", "decision_date", "2026-06-01"),
    ("exit", "notice_months", 12),
])
def test_value_round_trips_through_the_widget(criterion, field_id, value):
    item = _field(criterion, field_id)
    assert autosave._from_widget(item, autosave._to_widget(item, value)) == value


@pytest.mark.parametrize("criterion, field_id, widget, stored", [
    ("why", "problem", {"": "   "}, None),
    ("why", "alternatives", {"": []}, None),
    ("internal", "decision_date", {"": None}, None),
    ("form", "budget", {"": 1000.0}, 1000),
    ("why", "target", {"indicator": " ", "baseline": None, "target": None, "year": None}, None),
])
def test_empty_widgets_store_nothing_and_whole_numbers_stay_whole(criterion, field_id, widget, stored):
    value = autosave._from_widget(_field(criterion, field_id), widget)
    assert value == stored and type(value) is type(stored)


def test_unknown_stored_values_load_as_empty_widgets():
    assert autosave._to_widget(_field("partners", "region_kind"), "gone") == {"": None}
    assert autosave._to_widget(_field("form", "budget"), "12") == {"": ""}
    assert autosave._to_widget(_field("why", "target"), None)["indicator"] == ""


def test_number_boxes_show_and_read_the_norwegian_format():
    budget, share = _field("form", "budget"), _field("democracy", "budget_share_outside")
    assert autosave._to_widget(budget, 18_500_000)[""].replace("\u00a0", " ") == "18 500 000"
    assert autosave._to_widget(share, 78.0) == {"": "78,0"}
    assert autosave._from_widget(budget, {"": "18 500 000"}) == 18_500_000
    assert autosave._from_widget(share, {"": "12,5"}) == 12.5
    assert autosave._to_widget(share, 78.0, "en") == {"": "78.0"}
    with pytest.raises(ValueError):
        autosave._from_widget(budget, {"": "atten"})


def test_text_is_escaped_for_markdown():
    assert autosave.as_text("<script>alert(1)</script>") == "\\<script\\>alert\\(1\\)\\</script\\>"
    assert autosave.as_text("=SUM(A1) *a*") == "\\=SUM\\(A1\\) \\*a\\*"
    assert autosave.as_text("one\ntwo") == "one  \ntwo"


def test_clock_is_norwegian_local_time():
    winter = dt.datetime(2026, 11, 23, 11, 3, tzinfo=dt.UTC)
    summer = dt.datetime(2026, 6, 23, 11, 3, tzinfo=dt.UTC)
    assert autosave.clock(winter) == "12:03"
    assert autosave.clock(summer) == "13:03"
    assert autosave.clock(None) == ""


def test_slug_is_safe_for_keys_and_css():
    assert autosave.slug(1, "5001", "custom:Vei og park", "why", "problem") == "1-5001-custom_Vei_og_park-why-problem"
