"""Batch export: every council of a workspace in a zip, with progress."""

import io
import zipfile

import openpyxl
import pytest

from kommunestrategi.export.batch import worker_count, workspace_zip
from kommunestrategi.store import Store


def test_zip_has_one_file_per_council_and_format():
    store = Store.open()
    ws = store.ensure_demo_workspace()
    calls = []
    data = workspace_zip(store, ws, ["xlsx", "docx"], "en", progress=lambda *a: calls.append(a))
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    councils = [c.kommunenummer for c in store.list_councils(ws.id)]
    assert len(names) == 2 * len(councils)
    assert all(n.startswith(("xlsx/strategy_", "docx/strategy_")) for n in names)
    assert [c[0] for c in calls] == list(range(1, len(councils) + 1))
    assert calls[-1][1] == len(councils)


def test_unknown_format_is_refused_before_any_work():
    store = Store.open()
    with pytest.raises(ValueError, match="unknown format"):
        workspace_zip(store, store.ensure_demo_workspace(), ["odt"])


def test_worker_processes_give_the_same_files():
    store = Store.open()
    ws = store.ensure_demo_workspace()
    two = ["5001", "5028"]
    serial = zipfile.ZipFile(io.BytesIO(workspace_zip(store, ws, ["xlsx"], councils=two, workers=1)))
    parallel = zipfile.ZipFile(io.BytesIO(workspace_zip(store, ws, ["xlsx"], councils=two, workers=2)))
    assert serial.namelist() == parallel.namelist()
    for name in serial.namelist():
        a = openpyxl.load_workbook(io.BytesIO(serial.read(name)))
        b = openpyxl.load_workbook(io.BytesIO(parallel.read(name)))
        assert [[c.value for c in r] for r in a["Svar"].iter_rows()] == [[c.value for c in r] for r in b["Svar"].iter_rows()]


@pytest.mark.parametrize(("councils", "env", "expected"), [(25, "", 1), (25, "1", 1), (25, "3", 3), (3, "8", 3)])
def test_worker_count(monkeypatch, councils, env, expected):
    monkeypatch.setenv("KOMMUNESTRATEGI_EXPORT_WORKERS", env)
    assert worker_count(councils) == expected
