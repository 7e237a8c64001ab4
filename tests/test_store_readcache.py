"""Read-mostly answers (workspaces, active datasets) are reused, and never once the database changed.

The app asks on every run which workspaces exist and which datasets are active; the
store keeps those answers while the SQLite files show no change. A change made by this
process, by another store object or by another process (the command line while the
app runs) must be seen by the very next call.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import event

from kommunestrategi.store import Actor, Store, UnknownWorkspace, readcache

ROOT = Path(__file__).resolve().parent.parent
SECRETARIAT = Actor("Sekretær Siri", "secretariat")


@pytest.fixture
def store(tmp_path):
    opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite'}")
    yield opened
    opened.close()


def _counting(store: Store) -> list[str]:
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute",
                 lambda _c, _cur, statement, *_a: statements.append(statement))
    return statements


def test_repeated_reads_query_once(store):
    ws = store.create_workspace(SECRETARIAT, "Trøndelag", ["5001"])
    statements = _counting(store)
    for _ in range(5):
        assert [w.name for w in store.list_workspaces()] == ["Trøndelag"]
        assert store.get_workspace(ws.id).name == "Trøndelag"
        assert store.get_workspace("Trøndelag").id == ws.id
        assert store.active_dataset_version(ws.id, "indicators") is None
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 4  # one per distinct question, not one per call


def test_a_write_in_this_process_is_seen_at_once(store):
    ws = store.create_workspace(SECRETARIAT, "Trøndelag", ["5001"])
    assert store.active_dataset_version(ws.id, "indicators") is None
    assert len(store.list_workspaces()) == 1
    table = pd.DataFrame({"kommunenummer": ["5001"], "value": [1.0]})
    first = store.add_dataset_version(SECRETARIAT, ws.id, "indicators", "a.csv", "a" * 64, {}, [], {"v": table})
    assert store.active_dataset_version(ws.id, "indicators").id == first.id
    second = store.add_dataset_version(SECRETARIAT, ws.id, "indicators", "b.csv", "b" * 64, {}, [], {"v": table})
    assert store.active_dataset_version(ws.id, "indicators").id == second.id
    store.activate_dataset_version(SECRETARIAT, ws.id, first.id)
    assert store.active_dataset_version(ws.id, "indicators").id == first.id
    store.create_workspace(SECRETARIAT, "Agder", ["4204"])
    assert [w.name for w in store.list_workspaces()] == ["Agder", "Trøndelag"]
    # another store object on the same file (a second engine in this process)
    other = Store.open(store.url)
    other.activate_dataset_version(SECRETARIAT, ws.id, second.id)
    assert store.active_dataset_version(ws.id, "indicators").id == second.id
    other.close()


def test_a_write_by_another_process_is_seen_at_once(store, monkeypatch):
    # only the database files can tell: the age backstop is out of the way
    monkeypatch.setattr(readcache, "MAX_AGE", 3600.0)
    ws = store.create_workspace(SECRETARIAT, "Trøndelag", ["5001"])
    assert [w.name for w in store.list_workspaces()] == ["Trøndelag"]
    with pytest.raises(UnknownWorkspace):
        store.get_workspace("Agder")
    script = (
        "import sys; from kommunestrategi.store import Actor, Store\n"
        "s = Store.open(sys.argv[1]); s.create_workspace(Actor('cli', 'secretariat'), 'Agder', ['4204'])\n"
    )
    subprocess.run([sys.executable, "-c", script, store.url], check=True, cwd=ROOT, timeout=120)
    assert [w.name for w in store.list_workspaces()] == ["Agder", "Trøndelag"]
    assert store.get_workspace("Agder").name == "Agder"
    assert store.get_workspace(ws.id).name == "Trøndelag"


@pytest.mark.postgres
def test_postgresql_always_asks_the_server(fresh_postgres_url):
    store = Store.open(fresh_postgres_url)
    try:
        assert not store.read_cache.enabled
        store.create_workspace(SECRETARIAT, "Trøndelag", ["5001"])
        statements = _counting(store)
        store.list_workspaces()
        store.list_workspaces()
        assert len([s for s in statements if s.lstrip().upper().startswith("SELECT")]) == 2
    finally:
        store.close()
