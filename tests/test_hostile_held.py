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


def test_viewers_cannot_write_through_the_newer_features_either(workspace) -> None:
    """Scenarios, weights, workshop scores, arrangements, service points, own indicators
    and settings: every write by a viewer is refused by the store, and a council cannot
    change the board, the register or the service points."""
    from kommunestrategi.servicepoints.layers import load_layer, save_layer
    from kommunestrategi.servicepoints.model import ServicePoint
    from kommunestrategi.store import cooperation as coop
    from kommunestrategi.store import scenarios as sc
    from kommunestrategi.store import workspace_indicators as own

    store, ws = workspace
    scenario = sc.save_scenario(store, SYSTEM, ws.id, "Sammenslåing", "merger", ["5001", "5028"], on_board=True)
    point = [ServicePoint(id="", name="Servicetorg", kind="fixed", kommunenummer="5001")]
    writes = {
        "scenario": lambda a: sc.save_scenario(store, a, ws.id, "Ny", "merger", ["5001"]),
        "edit scenario": lambda a: sc.save_scenario(store, a, ws.id, "Endret", "merger", ["5001"],
                                                    scenario_id=scenario.id, expected_version=scenario.version),
        "board": lambda a: sc.set_on_board(store, a, ws.id, scenario.id, False),
        "delete scenario": lambda a: sc.delete_scenario(store, a, ws.id, scenario.id),
        "weights": lambda a: sc.save_weights(store, a, ws.id, {"capacity": 2.0}),
        "score": lambda a: sc.save_score(store, a, ws.id, scenario.id, "capacity", 3),
        "methods": lambda a: sc.save_methods(store, a, ws.id, {"capacity": "x"}),
        "arrangement": lambda a: coop.add_arrangement(store, a, ws.id, {"name": "Felles IKT"}),
        "service points": lambda a: save_layer(store, a, ws.id, point),
        "own indicator": lambda a: own.save_indicator(store, a, ws.id, "eget", {"name": "Eget"}),
        "setting": lambda a: store.save_setting(a, ws.id, "x", "y", 1),
        "open access": lambda a: store.set_open_access(a, ws.id, True),
        "add council": lambda a: store.add_council(a, ws.id, "5029"),
    }
    council_may = {"scenario", "weights", "score"}  # a proposal off the board, own weights and scores
    for name, write in writes.items():
        with pytest.raises(PermissionDenied):
            write(Actor("Ola", "viewer"))
        if name not in council_may:
            with pytest.raises(PermissionDenied):
                write(Actor("Kari", "council", "5001"))
    assert [s.name for s in sc.list_scenarios(store, ws.id)] == ["Sammenslåing"]
    assert coop.list_arrangements(store, ws.id) == [] and load_layer(store, ws.id) == []
    assert sc.all_weights(store, ws.id) == {}
