"""``workspace`` and ``answers`` commands, against SQLite and PostgreSQL by URL."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from kommunestrategi.cli import main
from kommunestrategi.store import Actor, Store

from .conftest import ROOT

TRONDHEIM = Actor("Ordfører", "council", "5001")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database_url(request: pytest.FixtureRequest, tmp_path, monkeypatch) -> str:
    """The URL the commands must honour (not the default file in the data folder)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'elsewhere' / 'cli.sqlite'}"
    else:
        url = request.getfixturevalue("fresh_postgres_url")
    monkeypatch.setenv("KOMMUNESTRATEGI_DATABASE_URL", url)
    return url


def test_answers_json_lists_every_stored_answer(database_url: str, capsys) -> None:
    store = Store.open(database_url)
    ws = store.ensure_demo_workspace()
    first = store.save_answer(TRONDHEIM, ws.id, "5001", "barnevern", "kompetanse", "text", "Ja, æøå", None)
    store.save_answer(TRONDHEIM, ws.id, "5001", "barnevern", "kompetanse", "text", "Nei", first.version)
    store.save_answer(Actor("Siri", "secretariat"), ws.id, "5028", "pp", "avstand", "score", 3, None)
    assert main(["answers", "--workspace", "demo", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["council"], r["service_area"], r["criterion"], r["field"], r["value"], r["version"], r["author"])
            for r in rows] == [("5001", "barnevern", "kompetanse", "text", "Nei", 2, "Ordfører"),
                               ("5028", "pp", "avstand", "score", 3, 1, "Siri")]
    assert rows[0]["updated_at"].endswith("+00:00")
    assert main(["answers", "--workspace", "Demo", "--council", "5028", "--json"]) == 0
    assert [r["council"] for r in json.loads(capsys.readouterr().out)] == ["5028"]
    store.close()


def test_unknown_workspace_is_exit_1_with_one_line(database_url: str, capsys) -> None:
    assert main(["answers", "--workspace", "Finnes ikke", "--json"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: unknown workspace: Finnes ikke") and err.count("\n") == 1
    assert main(["workspace", "export", "Finnes ikke", "--out", "x.zip"]) == 1


def test_export_import_and_list(database_url: str, tmp_path, capsys) -> None:
    store = Store.open(database_url)
    ws = store.ensure_demo_workspace()
    store.save_answer(TRONDHEIM, ws.id, "5001", "a", "b", "c", "lagret", None)
    out = tmp_path / "demo.zip"
    assert main(["workspace", "export", "Demo", "--out", str(out)]) == 0
    assert out.read_bytes() == store.export_workspace(ws.id)
    assert main(["workspace", "import", str(out)]) == 1  # the name is taken
    assert "exists" in capsys.readouterr().err
    assert main(["workspace", "import", str(out), "--name", "Kopi"]) == 0
    assert main(["workspace", "list", "--json"]) == 0
    listed = {w["name"]: w for w in json.loads(capsys.readouterr().out.split("\n", 1)[1])}
    assert listed["Kopi"]["answers"] == 1 and listed["Kopi"]["councils"] == listed["Demo"]["councils"]
    bad = tmp_path / "bad.zip"
    bad.write_bytes(b"not a zip")
    assert main(["workspace", "import", str(bad)]) == 1
    assert main(["workspace", "import", str(tmp_path / "missing.zip")]) == 2
    store.close()


def test_lock_down_a_workspace_from_the_command_line(database_url: str, capsys) -> None:
    assert main(["workspace", "create", "Sør 2026", "--council", "5001", "--council", "5028"]) == 0
    assert main(["workspace", "set-code", "Sør 2026", "--role", "secretariat", "--code", "sekretariat-1"]) == 0
    assert main(["workspace", "set-code", "Sør 2026", "--role", "council", "--council", "5001",
                 "--code", "trondheim-1"]) == 0
    assert main(["workspace", "set-code", "Sør 2026", "--role", "viewer", "--code", "kort"]) == 1
    assert main(["workspace", "lock", "Sør 2026"]) == 0
    store = Store.open(database_url)
    ws = store.get_workspace("Sør 2026")
    assert not ws.open_access
    assert store.login(ws.id, "trondheim-1").council == "5001"
    assert main(["workspace", "unlock", "Sør 2026"]) == 0
    assert store.get_workspace("Sør 2026").open_access
    store.close()


def test_command_runs_as_a_process_with_the_url_from_the_environment(database_url: str, tmp_path) -> None:
    import os

    result = subprocess.run([sys.executable, "-m", "kommunestrategi", "workspace", "list", "--json"],
                            cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)},
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert [w["name"] for w in json.loads(result.stdout)] == ["Demo"]
    store = Store.open(database_url)
    assert [w.name for w in store.list_workspaces()] == ["Demo"]
    store.close()
