"""Older municipality numbers (2019 and before) translated with a user-given correspondence."""

import json

from kommunestrategi.cli import main
from kommunestrategi.io.correspondence import read_correspondence
from kommunestrategi.io.importer import validate_file

# 2019 -> 2020: Trondheim 1601 -> 5001, Malvik 1663 -> 5031 (SSB classification 131)
SSB_EXPORT = (b"sourceCode;sourceName;targetCode;targetName\n"
              b"1601;Trondheim;5001;Trondheim\n1663;Malvik;5031;Malvik\n")
VALUES_2019 = b"kommunenummer;indicator_id;year;value\n1601;pop_total;2019;193 501\n1663;pop_total;2019;14 000\n"


def test_ssb_correspondence_export_is_read():
    mapping, report = read_correspondence(SSB_EXPORT, "korrespondanse.csv")
    assert report.ok
    assert mapping == {"1601": "5001", "1663": "5031"}


def test_headers_fra_til_and_files_without_headers():
    mapping, _ = read_correspondence(b"fra,til\n1601,5001\n", "a.csv")
    assert mapping == {"1601": "5001"}
    mapping, _ = read_correspondence(b"1601;5001\n1663;5031\n", "b.csv")
    assert mapping == {"1601": "5001", "1663": "5031"}


def test_a_split_in_the_table_is_accepted_with_its_shares_and_empty_tables_are_refused():
    mapping, report = read_correspondence(b"fra;til\n1601;5001\n1601;5031\n", "c.csv")
    assert report.ok
    assert mapping == {"1601": (("5001", None), ("5031", None))}
    assert any(line.code == "correspondence_split" for line in report.warnings)
    mapping, _ = read_correspondence(b"fra;til;andel\n5012;5055;0,35\n5012;5056;0,35\n5012;5059;0,3\n", "s.csv")
    assert mapping == {"5012": (("5055", 0.35), ("5056", 0.35), ("5059", 0.3))}
    mapping, report = read_correspondence(b"", "d.csv")
    assert mapping is None and not report.ok


def test_without_a_correspondence_2019_numbers_are_translated_by_the_history():
    result = validate_file(VALUES_2019, "verdier_2019.csv")
    assert result.ok, result.report.as_rows("en")
    values = result.tables["indicator_values"].set_index("kommunenummer")["value"]
    assert values["5001"] == 193501 and values["5031"] == 14000
    assert {(t["from"], tuple(t["to"]), t["by"]) for t in result.report.translated} == {
        ("1601", ("5001",), "historic"), ("1663", ("5031",), "historic")}


def test_with_a_correspondence_its_translation_wins_and_is_flagged():
    mapping, _ = read_correspondence(b"fra;til\n1663;5035\n", "k.csv")  # deliberately not the history's
    result = validate_file(VALUES_2019, "verdier_2019.csv", correspondence=mapping)
    assert result.ok, result.report.as_rows("en")
    values = result.tables["indicator_values"].set_index("kommunenummer")["value"]
    assert values["5001"] == 193501 and values["5035"] == 14000
    assert any(line.code == "old_numbers_translated" for line in result.report.warnings)
    assert {t["from"]: t["by"] for t in result.report.translated} == {"1601": "historic", "1663": "correspondence"}
    # the translation applies only to that validation
    again = validate_file(VALUES_2019, "verdier_2019.csv")
    assert "5035" not in set(again.tables["indicator_values"]["kommunenummer"])


def test_cli_validate_takes_a_correspondence(tmp_path, capsys):
    (tmp_path / "v.csv").write_bytes(VALUES_2019)
    (tmp_path / "k.csv").write_bytes(SSB_EXPORT)
    assert main(["validate", str(tmp_path / "v.csv")]) == 0
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "v.csv"), "--correspondence", str(tmp_path / "k.csv"),
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True
    (tmp_path / "bad.csv").write_bytes(b"just;text\nno;numbers\n")
    assert main(["validate", str(tmp_path / "v.csv"), "--correspondence", str(tmp_path / "bad.csv")]) == 1
    assert "bad.csv" in capsys.readouterr().err
