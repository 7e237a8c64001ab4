"""SSB content codes end in catalogue indicators (catalogues/ssb_content_codes.yaml and the
workspace's own mapping); codes without a mapping are listed with SSB's label, not stored."""

from __future__ import annotations

import json

from kommunestrategi.io import ssb_codes
from kommunestrategi.io.importer import validate_file
from kommunestrategi.io.validation import ImportChoices


def kostra_answer() -> bytes:
    """A JSON-stat2 answer as SSB's PxWebApi v2 documents it: table 12362, three content
    codes (two with labels the mapping knows, one it does not), two municipalities, two years."""
    regions = ["5001", "1804"]
    contents = ["KOSAG110000", "KOSAG320000", "KOSAG999000"]
    years = ["2024", "2025"]
    values = [1.2, 2.5, 98000, 101000, 7.0, 7.5,        # 5001: per content code, per year
              -0.4, 0.8, 120500, 118000, 6.0, 6.1]      # 1804
    return json.dumps({
        "version": "2.0", "class": "dataset", "label": "12362: Utvalgte nøkkeltall for kommuner",
        "source": "Statistisk sentralbyrå", "updated": "2026-03-15T07:00:00Z",
        "id": ["KOKkommuneregion0000", "ContentsCode", "Tid"], "size": [2, 3, 2],
        "role": {"geo": ["KOKkommuneregion0000"], "time": ["Tid"], "metric": ["ContentsCode"]},
        "dimension": {
            "KOKkommuneregion0000": {"label": "region", "category": {
                "index": {r: i for i, r in enumerate(regions)},
                "label": {"5001": "Trondheim", "1804": "Bodø"}}},
            "ContentsCode": {"label": "statistikkvariabel", "category": {
                "index": {c: i for i, c in enumerate(contents)},
                "label": {"KOSAG110000": "Netto driftsresultat i prosent av brutto driftsinntekter",
                          "KOSAG320000": "Netto lånegjeld i kroner per innbygger",
                          "KOSAG999000": "Andel elever med spesialundervisning i fantasiskolen"},
                "unit": {"KOSAG110000": {"base": "prosent", "decimals": 1},
                         "KOSAG320000": {"base": "kr", "decimals": 0},
                         "KOSAG999000": {"base": "prosent", "decimals": 1}}}},
            "Tid": {"label": "år", "category": {"index": {y: i for i, y in enumerate(years)},
                                                  "label": {y: y for y in years}}},
        },
        "extension": {"px": {"tableid": "12362"}},
        "value": values,
    }).encode()


def values(result) -> dict[tuple[str, str, int], float]:
    frame = result.tables["indicator_values"]
    return {(k, i, int(y)): float(v) for k, i, y, v in
            zip(frame["kommunenummer"], frame["indicator_id"], frame["year"], frame["value"], strict=True)}


def test_content_codes_become_catalogue_indicators_and_unmapped_codes_are_listed():
    result = validate_file(kostra_answer(), "12362.json")
    assert result.ok, result.report.as_rows("en")
    got = values(result)
    assert got[("5001", "netto_driftsresultat_pct", 2025)] == 2.5
    assert got[("1804", "netto_lanegjeld_per_innb", 2024)] == 120500
    assert not any(key[1].startswith("KOSAG") for key in got)      # no unreadable ids stored
    assert result.report.unmapped_codes == [{"table": "12362", "code": "KOSAG999000",
                                             "label": "Andel elever med spesialundervisning i fantasiskolen",
                                             "unit": "prosent"}]
    line = next(line for line in result.report.warnings if line.code == "ssb_code_unmapped")
    assert "KOSAG999000" in line.message("nb") and "fantasiskolen" in line.message("nb")


def test_the_workspace_mapping_maps_a_code_and_wins():
    choices = ImportChoices(code_map={"12362:KOSAG999000": "gs_spesialundervisning"})
    result = validate_file(kostra_answer(), "12362.json", choices=choices)
    assert values(result)[("5001", "gs_spesialundervisning", 2025)] == 7.5
    assert result.report.unmapped_codes == []


def test_the_bundled_mapping_names_only_catalogue_indicators():
    found = ssb_codes.mapping()
    assert found.codes["07459"]["Personer1"] == "pop_total"
    assert ssb_codes.indicator_for("12362", "X", "Netto lånegjeld i kroner per innbygger") == "netto_lanegjeld_per_innb"
    assert ssb_codes.indicator_for("12362", "X", "Noe SSB har som ingen har koblet") is None
