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


def test_conflicting_and_empty_tables_are_refused_with_a_reason():
    mapping, report = read_correspondence(b"fra;til\n1601;5001\n1601;5031\n", "c.csv")
    assert mapping is None
    line = report.errors[0]
    assert line.code == "correspondence_conflict" and line.row == 3
    assert "1601" in line.message("en")
    mapping, report = read_correspondence(b"", "d.csv")
    assert mapping is None and not report.ok


def test_without_a_correspondence_2019_numbers_are_unknown():
    result = validate_file(VALUES_2019, "verdier_2019.csv")
    assert not result.ok
    assert any(line.column for line in result.report.errors)


def test_with_a_correspondence_2019_numbers_are_imported_and_flagged():
    mapping, _ = read_correspondence(SSB_EXPORT, "korrespondanse.csv")
    result = validate_file(VALUES_2019, "verdier_2019.csv", correspondence=mapping)
    assert result.ok, result.report.as_rows("en")
    values = result.tables["indicator_values"].set_index("kommunenummer")["value"]
    assert values["5001"] == 193501 and values["5031"] == 14000
    assert any(line.code == "old_numbers_translated" for line in result.report.warnings)
    # the translation applies only to that validation
    assert not validate_file(VALUES_2019, "verdier_2019.csv").ok


def test_cli_validate_takes_a_correspondence(tmp_path, capsys):
    (tmp_path / "v.csv").write_bytes(VALUES_2019)
    (tmp_path / "k.csv").write_bytes(SSB_EXPORT)
    assert main(["validate", str(tmp_path / "v.csv")]) == 1
    capsys.readouterr()
    assert main(["validate", str(tmp_path / "v.csv"), "--correspondence", str(tmp_path / "k.csv"),
                 "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["valid"] is True
    (tmp_path / "bad.csv").write_bytes(b"fra;til\n1601;5001\n1601;5031\n")
    assert main(["validate", str(tmp_path / "v.csv"), "--correspondence", str(tmp_path / "bad.csv")]) == 1
    assert "1601" in capsys.readouterr().err
