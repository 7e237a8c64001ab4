"""SSB content codes end in catalogue indicators (catalogues/ssb_content_codes.yaml and the
workspace's own mapping); codes without a mapping are listed with SSB's label, not stored."""

from __future__ import annotations

import json

from kommunestrategi.io import ssb_codes
from kommunestrategi.io.importer import validate_file
from kommunestrategi.io.validation import ImportChoices


def kostra_answer() -> bytes:
    """A JSON-stat2 answer in the shape SSB's PxWebApi v2 gives for a KOSTRA table: table
    12134 (region variable KOKkommuneregion0000), three content codes - SSB's codes of
    the net operating result and free revenue per inhabitant with SSB's labels
    (catalogues/ssb_content_codes.yaml names where they were read), and one made-up
    code the mapping does not know -, two municipalities, two years."""
    regions = ["5001", "1804"]
    contents = ["KOSAGD230000", "KOSAG110000", "KOSAG999000"]
    years = ["2024", "2025"]
    values = [1.2, 2.5, 64200, 71500, 7.0, 7.5,         # 5001: per content code, per year
              -0.4, 0.8, 66100, 70900, 6.0, 6.1]        # 1804
    return json.dumps({
        "version": "2.0", "class": "dataset", "label": "12134: Utvalgte nøkkeltall for kommuneregnskap, kommunekonsern (K)",
        "source": "Statistisk sentralbyrå", "updated": "2026-03-15T07:00:00Z",
        "id": ["KOKkommuneregion0000", "ContentsCode", "Tid"], "size": [2, 3, 2],
        "role": {"geo": ["KOKkommuneregion0000"], "time": ["Tid"], "metric": ["ContentsCode"]},
        "dimension": {
            "KOKkommuneregion0000": {"label": "region", "category": {
                "index": {r: i for i, r in enumerate(regions)},
                "label": {"5001": "Trondheim", "1804": "Bodø"}}},
            "ContentsCode": {"label": "statistikkvariabel", "category": {
                "index": {c: i for i, c in enumerate(contents)},
                "label": {"KOSAGD230000": "Netto driftresultat i prosent av brutto driftsinntekter",
                          "KOSAG110000": "Frie inntekter per innbygger",
                          "KOSAG999000": "Andel elever med spesialundervisning i fantasiskolen"},
                "unit": {"KOSAGD230000": {"base": "prosent", "decimals": 1},
                         "KOSAG110000": {"base": "kr", "decimals": 0},
                         "KOSAG999000": {"base": "prosent", "decimals": 1}}}},
            "Tid": {"label": "år", "category": {"index": {y: i for i, y in enumerate(years)},
                                                  "label": {y: y for y in years}}},
        },
        "extension": {"px": {"tableid": "12134"}},
        "value": values,
    }).encode()


def values(result) -> dict[tuple[str, str, int], float]:
    frame = result.tables["indicator_values"]
    return {(k, i, int(y)): float(v) for k, i, y, v in
            zip(frame["kommunenummer"], frame["indicator_id"], frame["year"], frame["value"], strict=True)}


def test_content_codes_become_catalogue_indicators_and_unmapped_codes_are_listed():
    result = validate_file(kostra_answer(), "12134.json")
    assert result.ok, result.report.as_rows("en")
    got = values(result)
    assert got[("5001", "netto_driftsresultat_pct", 2025)] == 2.5
    assert got[("1804", "frie_inntekter_per_innb", 2024)] == 66100
    assert not any(key[1].startswith("KOSAG") for key in got)      # no unreadable ids stored
    assert result.report.unmapped_codes == [{"table": "12134", "code": "KOSAG999000",
                                             "label": "Andel elever med spesialundervisning i fantasiskolen",
                                             "unit": "prosent"}]
    line = next(line for line in result.report.warnings if line.code == "ssb_code_unmapped")
    assert "KOSAG999000" in line.message("nb") and "fantasiskolen" in line.message("nb")


def test_the_workspace_mapping_maps_a_code_and_wins():
    choices = ImportChoices(code_map={"12134:KOSAG999000": "gs_spesialundervisning"})
    result = validate_file(kostra_answer(), "12134.json", choices=choices)
    assert values(result)[("5001", "gs_spesialundervisning", 2025)] == 7.5
    assert result.report.unmapped_codes == []


def test_the_bundled_mapping_names_only_catalogue_indicators():
    found = ssb_codes.mapping()
    assert found.codes["07459"]["Personer1"] == "pop_total"
    assert ssb_codes.indicator_for("12362", "X", "Netto lånegjeld i kroner per innbygger") == "netto_lanegjeld_per_innb"
    assert ssb_codes.indicator_for("12362", "X", "Noe SSB har som ingen har koblet") is None
    assert found.codes["12209"] == {"KOShjtj80aarover0001": "hjemmetjenester_andel_80_plus",
                                    "KOSsykhjand80aar0000": "sykehjem_andel_80_plus"}
    assert found.codes["12134"] == {"KOSAG110000": "frie_inntekter_per_innb",
                                    "KOSAGD230000": "netto_driftsresultat_pct"}
    assert "12362" not in found.codes   # SSB's 12362 is expenditure by function, not key figures


def _answer_with(table: str, labels: dict[str, str]) -> bytes:
    doc = json.loads(kostra_answer())
    doc["extension"]["px"]["tableid"] = table
    doc["dimension"]["ContentsCode"]["category"]["label"].update(labels)
    return json.dumps(doc).encode()


def test_a_code_is_mapped_by_code_whatever_the_label_spelling_but_refused_when_the_label_disagrees():
    # SSB's own spelling ("driftresultat") and a label with its unit map by code
    spelled = _answer_with("12134", {"KOSAGD230000": "Netto driftresultat i prosent av brutto driftsinntekter (prosent)"})
    assert values(validate_file(spelled, "12134.json"))[("5001", "netto_driftsresultat_pct", 2024)] == 1.2
    # a code whose label names another figure is never stored under the mapped indicator
    swapped = _answer_with("12134", {"KOSAG110000": "Langsiktig gjeld i prosent av brutto driftsinntekter"})
    result = validate_file(swapped, "12134.json")
    got = values(result)
    assert not any(key[1] == "frie_inntekter_per_innb" for key in got)
    assert got[("5001", "netto_driftsresultat_pct", 2025)] == 2.5
    line = next(line for line in result.report.warnings if line.code == "ssb_code_label_mismatch")
    assert "KOSAG110000" in line.message("nb") and "Langsiktig gjeld" in line.message("nb")
    assert "Frie inntekter per innbygger" in line.message("nb")
    assert {c["code"] for c in result.report.unmapped_codes} == {"KOSAG110000", "KOSAG999000"}   # mapped by hand
    # the workspace's own choice is the user's and wins
    chosen = validate_file(swapped, "12134.json", choices=ImportChoices(code_map={"12134:KOSAG110000": "frie_inntekter_per_innb"}))
    assert values(chosen)[("5001", "frie_inntekter_per_innb", 2024)] == 64200


def test_eldercare_codes_of_12209_map_by_code_with_their_labels_checked():
    doc = json.loads(kostra_answer())
    doc["extension"]["px"]["tableid"] = "12209"
    doc["label"] = "12209: Utvalgte nøkkeltall for helse og omsorg (K)"
    category = doc["dimension"]["ContentsCode"]["category"]
    category["index"] = {"KOShjtj80aarover0001": 0, "KOSsykhjand80aar0000": 1, "KOSAG999000": 2}
    category["label"] = {"KOShjtj80aarover0001": "Andel innbyggere 80 år og over som mottar hjemmetjenester",
                         "KOSsykhjand80aar0000": "Andel innbyggere 80 år og over som er beboere på institusjon",
                         "KOSAG999000": "Noe annet"}
    category["unit"] = {c: {"base": "prosent", "decimals": 1} for c in category["index"]}
    doc["value"] = [31.0, 30.2, 12.1, 11.8, 1.0, 1.0, 27.5, 28.0, 14.0, 13.1, 2.0, 2.0]
    got = values(validate_file(json.dumps(doc).encode(), "12209.json"))
    assert got[("5001", "hjemmetjenester_andel_80_plus", 2025)] == 30.2
    assert got[("1804", "sykehjem_andel_80_plus", 2024)] == 14.0
