"""Scenarios, weights and workshop scores in the store; the board assembled from them."""

from __future__ import annotations

import pytest

from kommunestrategi.scenarios import service
from kommunestrategi.scenarios.board import assess
from kommunestrategi.scenarios.model import CRITERIA, Scenario, WorkshopScore
from kommunestrategi.store import Actor, ConflictError, PermissionDenied, Store, StoreError
from kommunestrategi.store import scenarios as S

SECRETARIAT = Actor("Siri", "secretariat")
TRONDHEIM = Actor("Ordfører Trondheim", "council", "5001")
VIEWER = Actor("Gjest", "viewer")
MEMBERS = ["5001", "5028", "5029", "5031", "5059"]


@pytest.fixture
def store(tmp_path) -> Store:
    store = Store.open(f"sqlite:///{tmp_path / 's.sqlite'}")
    yield store
    store.close()


@pytest.fixture
def ws(store: Store):
    return store.ensure_demo_workspace()


def test_scenarios_are_versioned_with_history_and_optimistic_edits(store: Store, ws) -> None:
    first = S.save_scenario(store, SECRETARIAT, ws.id, "Sammenslåing", "merger", MEMBERS,
                            details={"note": "Trondheim + 4"})
    assert (first.version, first.on_board, first.members) == (1, True, tuple(MEMBERS))
    second = S.save_scenario(store, SECRETARIAT, ws.id, "Sammenslåing Sør", "merger", MEMBERS[:3],
                             scenario_id=first.id, expected_version=1)
    assert (second.version, second.name, second.members) == (2, "Sammenslåing Sør", ("5001", "5028", "5029"))
    with pytest.raises(ConflictError):
        S.save_scenario(store, SECRETARIAT, ws.id, "Stale", "merger", MEMBERS, scenario_id=first.id,
                        expected_version=1)
    history = S.scenario_history(store, ws.id, first.id)
    assert [e.action for e in history] == ["update", "create"]
    assert history[0].old_value["name"] == "Sammenslåing"
    with pytest.raises(StoreError, match="exists"):
        S.save_scenario(store, SECRETARIAT, ws.id, "sammenslåing sør", "merger", MEMBERS)
    with pytest.raises(StoreError):
        S.save_scenario(store, SECRETARIAT, ws.id, "Feil", "annexation", MEMBERS)


def test_councils_propose_and_the_secretariat_decides_the_board(store: Store, ws) -> None:
    proposal = S.save_scenario(store, TRONDHEIM, ws.id, "Trondheims forslag", "cooperation", MEMBERS[:2],
                               details={"service_areas": ["barnevern"], "legal_form": "vertskommune",
                                        "host": "5001"})
    assert not proposal.on_board
    assert S.list_scenarios(store, ws.id, board_only=True) == []
    with pytest.raises(PermissionDenied):
        S.save_scenario(store, TRONDHEIM, ws.id, "x", "merger", MEMBERS, scenario_id=proposal.id)
    with pytest.raises(PermissionDenied):
        S.set_on_board(store, TRONDHEIM, ws.id, proposal.id, True)
    with pytest.raises(PermissionDenied):
        S.save_scenario(store, VIEWER, ws.id, "y", "merger", MEMBERS)
    on = S.set_on_board(store, SECRETARIAT, ws.id, proposal.id, True)
    assert on.on_board and on.version == 2 and on.details["host"] == "5001"
    assert [s.name for s in S.list_scenarios(store, ws.id, board_only=True)] == ["Trondheims forslag"]


def test_weights_and_scores_are_per_participant_and_survive_reopening(store: Store, ws, tmp_path) -> None:
    scenario = S.save_scenario(store, SECRETARIAT, ws.id, "Status quo", "status_quo", MEMBERS)
    S.save_weights(store, Actor("Kari", "secretariat"), ws.id, {"capacity": 5, "identity": 2})
    S.save_weights(store, TRONDHEIM, ws.id, {"identity": 9})
    S.save_weights(store, Actor("Kari", "secretariat"), ws.id, {"capacity": 4, "identity": 2})
    S.save_score(store, TRONDHEIM, ws.id, scenario.id, "identity", 4, "  sterk\n lokal identitet ")
    with pytest.raises(PermissionDenied):
        S.save_weights(store, VIEWER, ws.id, {"capacity": 1})
    with pytest.raises(StoreError):
        S.save_weights(store, SECRETARIAT, ws.id, {"capacity": 0})
    with pytest.raises(StoreError):
        S.save_score(store, SECRETARIAT, ws.id, scenario.id, "identity", 6)
    with pytest.raises(StoreError):
        S.save_score(store, SECRETARIAT, ws.id, scenario.id, "nonsense", 3)
    before = S.fingerprint(store, ws.id)
    store.close()
    reopened = Store.open(store.url)
    weights = S.all_weights(reopened, ws.id)
    assert weights["Kari"]["capacity"] == 4 and weights["Kari"]["identity"] == 2
    assert weights["Ordfører Trondheim"]["identity"] == 9 and set(weights["Kari"]) == set(CRITERIA)
    scores = S.list_scores(reopened, ws.id)
    assert [(s.participant, s.criterion, s.score, s.reason) for s in scores] == [
        ("Ordfører Trondheim", "identity", 4, "sterk lokal identitet")]
    S.save_score(reopened, TRONDHEIM, ws.id, scenario.id, "identity", None)
    assert S.list_scores(reopened, ws.id) == []
    assert S.fingerprint(reopened, ws.id) != before
    S.delete_scenario(reopened, SECRETARIAT, ws.id, scenario.id)
    assert S.list_scenarios(reopened, ws.id) == []
    reopened.close()


def test_methods_can_switch_a_measured_criterion_to_workshop_only(store: Store, ws) -> None:
    assert S.get_methods(store, ws.id)["capacity"] == "measured"
    saved = S.save_methods(store, SECRETARIAT, ws.id, {"capacity": "workshop", "identity": "measured"})
    assert saved["capacity"] == "workshop" and saved["identity"] == "workshop"
    assert S.get_methods(store, ws.id) == saved


def test_board_from_the_store_ranks_with_mean_and_median_weights(store: Store, ws) -> None:
    status = S.save_scenario(store, SECRETARIAT, ws.id, "Status quo", "status_quo", MEMBERS)
    merger = S.save_scenario(store, SECRETARIAT, ws.id, "Sammenslåing", "merger", MEMBERS)
    only_measured = {c: "workshop" for c in CRITERIA} | {"capacity": "measured"}
    S.save_methods(store, SECRETARIAT, ws.id, only_measured | {"identity": "workshop"})
    S.save_score(store, Actor("Kari", "secretariat"), ws.id, status.id, "identity", 5, "kjent")
    S.save_score(store, Actor("Kari", "secretariat"), ws.id, merger.id, "identity", 2, "ny kommune")
    S.save_weights(store, Actor("Kari", "secretariat"), ws.id, {"capacity": 1, "identity": 3})
    S.save_weights(store, Actor("Ola", "secretariat"), ws.id, {"capacity": 3, "identity": 1})
    S.save_weights(store, Actor("Per", "secretariat"), ws.id, {"capacity": 1, "identity": 1})
    board = service.workspace_assessment(store, ws.id)
    assert board.criteria == ["capacity", "identity"]
    # a status quo and a merger: no cooperation form, indirect steering or joint ownership to judge
    assert board.not_applicable == ["coop_form", "coop_democracy", "coop_ownership"]
    assert set(board.waiting) == set(CRITERIA) - {"capacity", "identity"} - set(board.not_applicable)
    # capacity: status quo = smallest member (Skaun, 8,574 on 1 Jan 2026 -> 2), merger = 278,663 -> 5
    assert [cells["capacity"].score for cells in board.cells] == [2.0, 5.0]
    assert board.cells[0]["capacity"].proxy.value == 8_574
    # mean shares: capacity (1/4 + 3/4 + 1/2) / 3 = 1/2 -> both 3.5 ... tie broken by order
    data = board.as_json()
    assert data["weights"]["mean"] == {"capacity": 0.5, "identity": 0.5}
    assert data["weights"]["median"] == {"capacity": 0.5, "identity": 0.5}
    assert [r["score"] for r in data["ranking"]["mean"]] == [3.5, 3.5]
    kari = data["ranking"]["participants"]["Kari"]
    assert kari[0] == {"scenario": "Status quo", "place": 1, "score": 4.25}
    assert data["ranking"]["participants"]["Ola"][0]["scenario"] == "Sammenslåing"
    assert data["spread"]["capacity"]["min"] == 0.25 and data["spread"]["capacity"]["max"] == 0.75
    assert data["scenarios"][0]["criteria"]["identity"]["reasons"] == [
        {"participant": "Kari", "score": 5, "reason": "kjent"}]


def test_board_without_weights_uses_equal_weights_and_says_so() -> None:
    from kommunestrategi import geo
    from kommunestrategi.indicators import bundled_data

    scenarios = [Scenario(1, "A", "merger", tuple(MEMBERS)), Scenario(2, "B", "cooperation", tuple(MEMBERS))]
    workshop = [WorkshopScore(i, c, "Kari", 3, "") for i in (1, 2) for c in CRITERIA]
    board = assess(scenarios, geography=geo.bundled(), data=bundled_data(), weights={}, workshop=workshop)
    assert board.equal_weights and board.participants == []
    # a cooperation is judged on all seventeen criteria, so all of them are ranked
    assert board.mean is not None and board.mean.shares.tolist() == pytest.approx([1 / 17] * 17)
    # the merger's form, steering, ownership and exit do not apply: they count as the midpoint 3
    assert [c for c, cell in board.cells[0].items() if not cell.applicable] == [
        "coop_form", "coop_democracy", "coop_ownership", "coop_exit"]
    # without a register the partners' proxy falls back to the workshop scores
    assert board.cells[1]["coop_partners"].fallback == "register_empty"
    assert board.cells[1]["coop_partners"].method == "workshop" and board.cells[1]["coop_partners"].score == 3
    # a cooperation and a merger of the same members score the same on the three proxies
    assert board.cells[0]["capacity"].score == board.cells[1]["capacity"].score == 5.0
    assert board.cells[0]["functional"].score == board.cells[1]["functional"].score


def test_workspace_export_carries_scenarios_scores_and_weights(store: Store, ws, tmp_path) -> None:
    status = S.save_scenario(store, SECRETARIAT, ws.id, "Status quo", "status_quo", MEMBERS)
    S.save_scenario(store, TRONDHEIM, ws.id, "Forslag", "cooperation", MEMBERS[:2], details={"host": "5001"})
    S.save_score(store, TRONDHEIM, ws.id, status.id, "identity", 4, "sterk")
    S.save_weights(store, Actor("Kari", "secretariat"), ws.id, {"capacity": 3, "identity": 1})
    data = store.export_workspace(ws.id)
    other = Store.open(f"sqlite:///{tmp_path / 'other.sqlite'}")
    copy = other.import_workspace(SECRETARIAT, data, name="Kopi")
    scenarios = S.list_scenarios(other, copy.id)
    assert [(s.name, s.kind, s.on_board, s.details) for s in scenarios] == [
        ("Status quo", "status_quo", True, {}), ("Forslag", "cooperation", False, {"host": "5001"})]
    (score,) = S.list_scores(other, copy.id)
    assert (score.scenario_id, score.participant, score.score, score.reason) == (
        scenarios[0].id, "Ordfører Trondheim", 4, "sterk")
    assert S.all_weights(other, copy.id)["Kari"]["capacity"] == 3
    again = other.export_workspace(copy.id)
    import io
    import json
    import zipfile

    def doc(raw: bytes) -> dict:
        d = json.loads(zipfile.ZipFile(io.BytesIO(raw)).read("workspace.json"))
        d["workspace"].pop("name")
        return d
    assert doc(again)["scenarios"] == doc(data)["scenarios"]
    assert doc(again)["scenario_scores"] == doc(data)["scenario_scores"]
    other.close()
