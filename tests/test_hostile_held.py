"""Hostile input: what already held and must keep holding (issue 11, "Held").

Script/HTML injection is shown as text (``test_hostile_markdown.py``, the browser
test and ``test_views_eksport.py``); formula injection in XLSX/DOCX/PDF exports is
covered by ``test_export_xlsx.py``, ``test_export_docx.py`` and
``test_export_pdf.py``; kill -9 during editing by ``tests/e2e/test_checklist_e2e.py``.
Here: the store refuses writes across councils and from viewers, whatever a page
shows, and concurrent saves of different fields lose nothing.
"""

from __future__ import annotations

import threading

import pytest

from kommunestrategi.store import SYSTEM, Actor, PermissionDenied, Store


@pytest.fixture
def workspace():
    store = Store.open()
    ws = store.create_workspace(SYSTEM, "Låst", ["5001", "5028"])
    return store, ws


def test_council_a_cannot_write_council_b_through_the_store(workspace) -> None:
    store, ws = workspace
    trondheim = Actor("Kari", "council", "5001")
    store.save_answer(trondheim, ws.id, "5001", "ikt", "why", "problem", "vårt svar", None)
    with pytest.raises(PermissionDenied):
        store.save_answer(trondheim, ws.id, "5028", "ikt", "why", "problem", "<script>alert(1)</script>", None)
    assert store.get_answer(ws.id, "5028", "ikt", "why", "problem") is None


def test_viewers_cannot_write_anything(workspace) -> None:
    store, ws = workspace
    viewer = Actor("Ola", "viewer")
    for attempt in (
        lambda: store.save_answer(viewer, ws.id, "5001", "ikt", "why", "problem", "x", None),
        lambda: store.save_region(viewer, ws.id, "Region", ["5001"]),
        lambda: store.set_access_code(viewer, ws.id, "secretariat", "ny-kode-123"),
        lambda: store.create_workspace(viewer, "Ny", ["5001"]),
    ):
        with pytest.raises(PermissionDenied):
            attempt()
    assert store.get_answers(ws.id) == [] and store.list_regions(ws.id) == []


def test_concurrent_saves_lose_nothing(workspace) -> None:
    store, ws = workspace
    barrier = threading.Barrier(10)

    def save(index: int) -> None:
        barrier.wait()
        store.save_answer(SYSTEM, ws.id, "5001", "ikt", "why", f"field{index}", f"svar {index}", None)

    threads = [threading.Thread(target=save, args=(i,)) for i in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    saved = {a.field: a.value for a in store.get_answers(ws.id)}
    assert saved == {f"field{i}": f"svar {i}" for i in range(10)}
