"""Files shaped like the real ones (scripts/make_real_shaped_files.py): every case asserts
the values that are imported, not only whether the file passes."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from kommunestrategi.cli import main
from kommunestrategi.io.correspondence import read_correspondence
from kommunestrategi.io.importer import validate_file
from kommunestrategi.io.validation import ImportChoices

_SPEC = importlib.util.spec_from_file_location(
    "make_real_shaped_files", Path(__file__).resolve().parent.parent / "scripts" / "make_real_shaped_files.py")
corpus = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(corpus)
FILES = corpus.files()


def check(name: str, **kwargs):
    return validate_file(FILES[name], name, **kwargs)


def values(result) -> dict[tuple[str, str, int], float]:
    frame = result.tables["indicator_values"]
    return {(k, i, int(y)): float(v) for k, i, y, v in
            zip(frame["kommunenummer"], frame["indicator_id"], frame["year"], frame["value"], strict=True)}


def codes(result, severity: str | None = None) -> list[str]:
    return [line.code for line in result.report.lines if severity in (None, line.severity)]


def test_latin1_ssb_labels_beside_a_count_column_use_the_labels_and_translate_old_numbers():
    result = check("ssb_labels_counts.csv")
    assert result.ok, result.report.as_rows("en")
    got = values(result)
    assert got == {
        ("3101", "pop_total", 2019): 31037,           # 0101 Halden
        ("3103", "pop_total", 2019): 32588 + 15560,   # 0104 Moss + 0136 Rygge: a count, added up
        ("3903", "pop_total", 2019): 10670,           # 0702 Holmestrand
        ("5001", "pop_total", 2019): 193501,          # 1601 Trondheim
        ("5058", "pop_total", 2019): 2921,            # 1632 Roan: 2921 is its population, not a number
        ("1836", "pop_total", 2019): 3017,            # Rødøy: 3017 is a count, never "3017 -> 3112"
        ("3905", "pop_total", 2019): 9846,            # 0716 Re
    }
    translated = {t["from"]: t["to"] for t in result.translated}
    assert translated["0101"] == ["3101"] and translated["1601"] == ["5001"]
    assert "3017" not in translated and "2921" not in translated
    assert not any(line.code.startswith("unknown_municipality") for line in result.report.lines)
    warning = next(line for line in result.report.warnings if line.code == "old_numbers_translated")
    assert "0101→3101" in warning.message("en")


@pytest.mark.parametrize("name", ["ssb_stacked_region_on_top.csv", "ssb_stacked_variables.xlsx"])
def test_stacked_header_rows_under_a_labelled_first_cell_are_combined(name):
    result = check(name)
    assert result.ok, result.report.as_rows("en")
    got = values(result)
    assert got[("5001", "pop_total", 2018)] == 190464
    assert got[("5001", "pop_total", 2019)] == 193501
    assert len(got) == 6 if name.endswith(".csv") else len(got) == 4   # no header row read as data


def test_means_of_merged_municipalities_are_never_added_and_counts_are():
    result = check("merged_means.csv")
    assert result.ok
    got = values(result)
    assert got[("3103", "pop_total", 2019)] == 32588 + 15560
    assert ("3103", "bhg_dekningsgrad_1_5", 2019) not in got     # a mean: not 185.5
    assert ("3103", "snittinntekt", 2019) not in got             # unknown kind: not 698,600
    assert got[("1508", "pop_total", 2024)] == 67114 + 9311      # Haram's count goes into 1508
    assert got[("1508", "bhg_dekningsgrad_1_5", 2024)] == 92.1   # Ålesund's own mean stands
    assert {"merged_not_added", "merged_needs_kind"} <= set(codes(result, "warning"))
    # once the user says what the unknown indicator is
    mean = check("merged_means.csv", choices=ImportChoices(indicator_kinds={"snittinntekt": "mean"}))
    assert ("3103", "snittinntekt", 2019) not in values(mean)
    count = check("merged_means.csv", choices=ImportChoices(indicator_kinds={"snittinntekt": "count"}))
    assert values(count)[("3103", "snittinntekt", 2019)] == 342800 + 355800


def test_a_multi_sheet_workbook_needs_a_sheet_choice_and_reads_one_sheet():
    result = check("kostra_workbook.xlsx")
    assert not result.ok
    line = next(line for line in result.report.errors if line.code == "choose_sheet")
    assert "Tabell 1" in line.message("en") and "Tabell 2" in line.message("en")
    assert not any(line.code == "not_a_number" for line in result.report.lines)   # no merged "E" lines
    assert [s["name"] for s in result.sheets] == ["Les meg", "Tabell 1", "Tabell 2", "Langformat"]
    assert [s["municipality_rows"] for s in result.sheets] == [0, 2, 2, 2]
    by_name = check("kostra_workbook.xlsx", sheet="Tabell 2")
    assert by_name.ok and by_name.sheet == "Tabell 2"
    assert values(by_name)[("5001", "netto_lanegjeld_per_innb", 2025)] == 101000
    assert values(by_name)[("1804", "netto_lanegjeld_per_innb", 2024)] == 120500
    assert all(line.sheet == "Tabell 2" for line in by_name.report.lines)
    by_number = check("kostra_workbook.xlsx", sheet=2)
    assert values(by_number)[("5001", "netto_driftsresultat_pct", 2025)] == 2.5
    long_form = check("kostra_workbook.xlsx", sheet="Langformat")
    assert [line.code for line in long_form.report.errors] == ["not_a_number"]
    assert long_form.report.errors[0].sheet == "Langformat"
    missing = check("kostra_workbook.xlsx", sheet="Tabell 9")
    assert codes(missing, "error") == ["sheet_not_found"]


def test_the_only_sheet_with_municipalities_is_picked_on_its_own():
    result = check("one_table_workbook.xlsx")
    assert result.ok and result.sheet == "Data"
    assert values(result) == {("5001", "pop_total", 2024): 214565, ("1804", "pop_total", 2024): 53712}


def test_splits_need_a_choice_then_counts_follow_the_shares_and_shares_are_never_split():
    result = check("splits.csv")
    assert not result.ok
    assert codes(result, "error").count("split_needs_choice") == 2
    split = {t["from"]: t for t in result.translated}
    assert split["1850"]["to"] == ["1806", "1875"] and split["1850"]["weights"] == [0.5, 0.5]
    accepted = check("splits.csv", choices=ImportChoices(accept_splits=True))
    assert accepted.ok, accepted.report.as_rows("en")
    got = values(accepted)
    assert got[("5055", "pop_total", 2019)] == pytest.approx(350)
    assert got[("5056", "pop_total", 2019)] == pytest.approx(350)
    assert got[("5059", "pop_total", 2019)] == pytest.approx(300)
    assert got[("1806", "pop_total", 2019)] == pytest.approx(950)
    assert got[("1875", "pop_total", 2019)] == pytest.approx(950)
    assert got[("5001", "pop_total", 2019)] == 205163
    assert not any(key[1] == "share_80_plus" for key in got)
    assert "split_not_count" in codes(accepted, "warning")


def test_a_correspondence_with_splits_is_accepted_and_its_shares_used():
    mapping, report = read_correspondence(FILES["korrespondanse_splitt.csv"], "korrespondanse_splitt.csv")
    assert report.ok and mapping["5012"] == (("5055", 0.2), ("5056", 0.3), ("5059", 0.5))
    result = check("splits.csv", correspondence=mapping, choices=ImportChoices(accept_splits=True))
    got = values(result)
    assert got[("5055", "pop_total", 2019)] == pytest.approx(200)
    assert got[("5059", "pop_total", 2019)] == pytest.approx(500)
    assert {t["from"]: t["by"] for t in result.translated}["5012"] == "correspondence"


def test_a_name_that_contradicts_the_number_is_an_error_naming_both():
    result = check("names_against_numbers.csv")
    errors = [line for line in result.report.errors if line.code == "row_name_mismatch"]
    assert len(errors) == 1 and errors[0].row == 2
    text = errors[0].message("nb")
    assert "1860" in text and "Vestvågøy" in text and "Laxå" in text
    got = values(result)
    assert got[("1860", "pop_total", 2024)] == 11589          # the row whose name agrees
    assert got[("5001", "pop_total", 2024)] == 214565         # "Trondhem": a misspelling of its own name
    assert got[("3101", "pop_total", 2019)] == 31037          # Halden's old number with today's name


def test_did_you_mean_only_when_the_name_supports_it():
    result = check("unknown_number_hints.csv")
    lines = {line.params["value"]: line for line in result.report.errors}
    assert lines["2921"].code == "unknown_municipality" and lines["2921"].suggestion is None
    assert lines["5099 Trondhem"].suggestion == "5001 Trondheim"


@pytest.mark.parametrize("name", ["header_spellings.csv", "header_kommune_nr.csv"])
def test_common_header_spellings_name_the_municipality_column(name):
    result = check(name)
    assert result.ok, result.report.as_rows("en")
    assert values(result) == {("5001", "pop_total", 2024): 214565, ("1804", "pop_total", 2024): 53712}


def test_files_of_the_wrong_kind_say_so():
    county = check("county_level.csv")
    assert "county_level_file" in codes(county, "error")
    register = check("register_as_indicators.csv")
    assert codes(register, "error") == ["register_file"]


def test_a_cooperation_list_with_extra_columns_imports_its_members():
    result = check("samarbeid_ekstra_kolonner.xlsx", kind="arrangements")
    assert result.ok, result.report.as_rows("en")
    members = result.tables["arrangement_members"]
    arrangements = result.tables["arrangements"].set_index("arrangement_id")
    names = dict(zip(arrangements.index, arrangements["name"], strict=True))
    by_name = {names[a]: sorted(group["kommunenummer"]) for a, group in members.groupby("arrangement_id")}
    assert by_name["Fosen barnevern"] == ["5054", "5057"]
    assert by_name["Legevakt Trondheim"] == ["5001", "5028", "5029", "5031"]


def test_validate_json_reports_the_sheet_of_every_line_and_the_translations(tmp_path, capsys):
    path = tmp_path / "kostra_workbook.xlsx"
    path.write_bytes(FILES["kostra_workbook.xlsx"])
    assert main(["validate", str(path), "--sheet", "Langformat", "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert out["sheet"] == "Langformat"
    assert out["lines"] and all(line["sheet"] == "Langformat" for line in out["lines"])
    assert out["translated"] == []
    splits = tmp_path / "splits.csv"
    splits.write_bytes(FILES["splits.csv"])
    assert main(["validate", str(splits), "--json"]) == 1
    out = json.loads(capsys.readouterr().out)
    assert {"from": "5012", "to": ["5055", "5056", "5059"], "weights": [0.35, 0.35, 0.3]}.items() <= {
        k: v for t in out["translated"] if t["from"] == "5012" for k, v in t.items()}.items()
    assert all("sheet" in line for line in out["lines"])
    assert main(["validate", str(splits), "--accept-splits", "--json"]) == 0
    capsys.readouterr()
    assert main(["validate", str(path), "--sheet", "3"]) == 0
    assert main(["validate", str(path), "--indicator-kind", "x=weird"]) == 2


def test_the_corpus_script_writes_every_file(tmp_path):
    written = corpus.write(tmp_path)
    assert {p.name for p in written} == set(FILES)
    assert "Rødøy" in (tmp_path / "ssb_labels_counts.csv").read_bytes().decode("latin-1")
