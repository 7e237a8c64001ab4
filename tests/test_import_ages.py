"""Population by single year of age (SSB 07459 as fetched) becomes the catalogue's age groups."""

import json
from pathlib import Path

from kommunestrategi.io.importer import validate_file

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "ssb_07459_alder.jsonstat2.json"


def _single_years(values_by_age: dict[str, list[float | None]]) -> bytes:
    """A JSON-stat2 answer for two municipalities, one year, the given age codes."""
    ages = list(values_by_age)
    data = {
        "version": "2.0", "class": "dataset", "label": "07459",
        "id": ["Region", "Alder", "ContentsCode", "Tid"], "size": [2, len(ages), 1, 1],
        "role": {"time": ["Tid"], "metric": ["ContentsCode"], "geo": ["Region"]},
        "dimension": {
            "Region": {"category": {"index": {"K-5001": 0, "K-5031": 1},
                                    "label": {"K-5001": "Trondheim", "K-5031": "Malvik"}}},
            "Alder": {"category": {"index": {a: i for i, a in enumerate(ages)}}},
            "ContentsCode": {"category": {"index": {"Personer1": 0}, "label": {"Personer1": "Personer"}}},
            "Tid": {"category": {"index": {"2025": 0}}},
        },
        "value": [v for region in range(2) for age in ages for v in [values_by_age[age][region]]],
        "extension": {"px": {"tableid": "07459"}},
    }
    return json.dumps(data).encode()


def _values(result):
    frame = result.tables["indicator_values"]
    return {(r.kommunenummer, r.indicator_id): r.value for r in frame.itertuples()}


def test_all_single_years_give_every_age_group_and_the_total():
    ages = {f"{a:03d}": [1.0, 2.0] for a in range(105)}
    ages["105+"] = [1.0, 2.0]
    result = validate_file(_single_years(ages), "07459.json")
    assert result.ok, result.report.as_rows("en")
    values = _values(result)
    assert values[("5001", "pop_0_5")] == 6 and values[("5031", "pop_0_5")] == 12
    assert values[("5001", "pop_16_66")] == 51
    assert values[("5001", "pop_80_plus")] == 26          # 80..104 and 105+
    assert values[("5001", "pop_total")] == 106
    assert values[("5031", "pop_total")] == 212


def test_a_missing_value_leaves_its_group_missing_not_smaller():
    ages = {f"{a:03d}": [1.0, 2.0] for a in range(105)}
    ages["105+"] = [1.0, 2.0]
    ages["003"] = [None, 2.0]
    values = _values(validate_file(_single_years(ages), "07459.json"))
    assert ("5001", "pop_0_5") not in values and ("5001", "pop_total") not in values
    assert values[("5031", "pop_0_5")] == 12
    assert values[("5001", "pop_6_15")] == 10


def test_incomplete_ages_are_not_summed_and_the_report_says_so():
    result = validate_file(FIXTURE.read_bytes(), FIXTURE.name)   # only ages 0 and 80
    assert "pop_total" not in set(result.tables["indicator_values"]["indicator_id"])
    warning = next(line for line in result.report.warnings if line.code == "ssb_age_groups_incomplete")
    assert "pop_80_plus" in warning.params["groups"] and "pop_total" in warning.params["groups"]
    assert "0–105+" in warning.message("en")
