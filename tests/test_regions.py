"""Region summaries: sums, largest member, distances, contiguity, the size guideline."""

import pytest

from kommunestrategi import geo, regions
from kommunestrategi.codes import UnknownMunicipality


def test_region_population_is_the_sum_of_its_members():
    units = geo.load_units().set_index("kommunenummer")
    members = ["5001", "5031", "5028", "5029"]
    summary = regions.summarise(members)
    assert summary.population == int(units.loc[members, "population"].sum())
    assert summary.area_km2 == pytest.approx(units.loc[members, "area_km2"].sum())
    assert summary.density == pytest.approx(summary.population / summary.area_km2)
    assert summary.population_year == 2026


def test_region_population_is_that_of_1_january_2026():
    # SSB 07459, 1 January 2026: Trondheim 218,460, Malvik 14,961
    summary = regions.summarise(["5001", "5031"])
    assert summary.population == 218_460 + 14_961
    assert [m.population for m in summary.member_rows] == [218_460, 14_961]
    assert summary.population_year == regions.POPULATION_YEAR == 2026
    assert summary.as_json()["sources"]["population"] == "SSB 07459, 1 Jan 2026"


def test_largest_member_and_share():
    summary = regions.summarise(["5031", "5001"])
    assert summary.largest == "5001"
    assert 0.5 < summary.largest_share < 1
    assert sum(m.share_of_population for m in summary.member_rows) == pytest.approx(1)
    largest_row = next(m for m in summary.member_rows if m.kommunenummer == "5001")
    assert largest_row.distance_to_largest_km == 0


def test_split_region_names_what_is_cut_off():
    summary = regions.summarise(["5001", "5031", "5501"])
    assert not summary.contiguous
    assert summary.cut_off == ("5501",)
    assert 750 < summary.max_centre_distance_km < 850   # Trondheim - Tromsø


@pytest.mark.parametrize("population, status", [(14_999, "below"), (15_000, "within"),
                                                (20_000, "within"), (20_001, "above")])
def test_guideline_of_the_expert_committee(population, status):
    assert regions.guideline_status(population) == status


def test_resolve_codes_accepts_old_numbers_and_drops_repeats():
    assert regions.resolve_codes(["3001", "3101", "1580", "1507"]) == ["3101", "1508"]
    with pytest.raises(UnknownMunicipality):
        regions.resolve_codes(["5001", "0000"])


def test_as_json_has_the_stable_cli_fields():
    data = regions.summarise(["5001", "5031"]).as_json()
    for field in ("members", "population", "population_year", "area_km2", "contiguous",
                  "max_centre_distance_km"):
        assert field in data
    assert data["members"] == ["5001", "5031"]
    assert data["contiguous"] is True


def test_empty_region_is_refused():
    with pytest.raises(ValueError):
        regions.summarise([])


def test_travel_times_replace_straight_lines_when_given():
    import pandas as pd

    travel = pd.DataFrame({
        "from_kommunenummer": ["5001", "5031", "5001", "1507"],
        "to_kommunenummer": ["5031", "5001", "5028", "5001"],
        "minutes": [25.0, 30.0, 35.0, 400.0],
    })
    summary = regions.summarise(["5001", "5031", "5028"], travel_times=travel)
    rows = {m.kommunenummer: m for m in summary.member_rows}
    assert rows["5031"].travel_to_largest_min == 25.0      # the shorter direction
    assert rows["5028"].travel_to_largest_min == 35.0
    # Malvik - Melhus is not in the table: no maximum is claimed
    assert summary.max_travel_minutes is None
    complete = regions.summarise(["5001", "5031"], travel_times=travel)
    assert complete.max_travel_minutes == 25.0
    assert regions.summarise(["5001", "5031"]).max_travel_minutes is None
