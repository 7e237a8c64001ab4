"""Batch export: every council of a workspace in a zip, with progress."""

import io
import zipfile

import pytest

from kommunestrategi.export.batch import workspace_zip
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
