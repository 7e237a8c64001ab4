"""``validate`` and ``import`` on the command line: report, exit codes, JSON."""

import json
from pathlib import Path

from kommunestrategi.cli import main
from kommunestrategi.store import Store

BAD = Path(__file__).resolve().parent / "data" / "bad"
GOOD = b"kommunenummer;indicator_id;year;value\n5001;pop_total;2024;214565\n0 Hele landet;pop_total;2024;1\n"


def test_valid_file_exits_0_with_warnings(tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_bytes(GOOD)
    assert main(["validate", str(path), "--json", "--lang", "en"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["valid"] and out["readable"] and out["errors"] == 0 and out["warnings"] == 1
    assert out["counts"]["rows"] == 1
    assert "whole country" in out["lines"][0]["problem"]
    assert set(out) >= {"file", "kind", "sha256", "valid", "readable", "counts", "errors", "warnings", "lines"}


def test_invalid_file_exits_1_and_prints_the_report(capsys):
    assert main(["validate", str(BAD / "year_3024.csv")]) == 1
    out = capsys.readouterr().out
    assert "3024" in out and "FEIL" in out and "invalid" in out


def test_unreadable_file_exits_2(capsys):
    assert main(["validate", str(BAD / "password.xlsx"), "--lang", "en"]) == 2
    assert "password" in capsys.readouterr().out
    assert main(["validate", str(BAD / "no_such_file.csv")]) == 2


def test_arrangements_kind(real_data, capsys):
    path = real_data / "bufdir_interkommunale_barnevernsamarbeid_2023.csv"
    assert main(["validate", str(path), "--kind", "arrangements", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["memberships"] == 204


def test_import_creates_a_version_and_refuses_bad_files(tmp_path, capsys):
    path = tmp_path / "good.csv"
    path.write_bytes(GOOD)
    assert main(["import", str(path), "--kind", "indicators", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    store = Store.open()
    versions = store.list_dataset_versions(store.ensure_demo_workspace().id)
    assert [v.id for v in versions] == [out["version"]] and out["workspace"] == "Demo"
    assert main(["import", str(BAD / "negative_population.csv"), "--kind", "indicators"]) == 1
    assert len(store.list_dataset_versions(store.ensure_demo_workspace().id)) == 1
    assert main(["import", str(path), "--workspace", "Nowhere"]) == 1
    assert "unknown workspace" in capsys.readouterr().err
