"""``scenarios`` and ``propose`` on the command line."""

from __future__ import annotations

import json

from kommunestrategi.cli import main
from kommunestrategi.store import Actor, Store
from kommunestrategi.store import scenarios as S

SECRETARIAT = Actor("Siri", "secretariat")


def test_propose_json_for_trondelag(capsys) -> None:
    assert main(["propose", "--area", "Trøndelag", "--min-population", "15000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["min_population"] == 15000 and len(data["area"]) == 38
    members = [c for r in data["regions"] for c in r["members"]]
    assert sorted(members) == sorted(data["area"])
    assert all(r["population"] >= 15000 and r["meets_threshold"] for r in data["regions"])
    assert data["population"] == sum(r["population"] for r in data["regions"])
    trondheim = next(r for r in data["regions"] if "5001" in r["members"])
    assert "Trondheim" in trondheim["names"] and trondheim["largest"] == "5001"


def test_propose_unknown_area_is_exit_1(capsys) -> None:
    assert main(["propose", "--area", "Atlantis"]) == 1
    assert capsys.readouterr().err.startswith("error: unknown county or municipality: Atlantis")


def test_scenarios_json_has_members_scores_ranking_and_flip(tmp_path, monkeypatch, capsys) -> None:
    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("KOMMUNESTRATEGI_DATABASE_URL", url)
    store = Store.open(url)
    ws = store.ensure_demo_workspace()
    members = ["5001", "5028", "5029", "5031", "5059"]
    S.save_methods(store, SECRETARIAT, ws.id, {"capacity": "measured", "economy": "measured",
                                                "functional": "measured"})
    status = S.save_scenario(store, SECRETARIAT, ws.id, "Status quo", "status_quo", members)
    merger = S.save_scenario(store, SECRETARIAT, ws.id, "Sammenslåing", "merger", members)
    for criterion in ("competence", "distance", "efficiency", "choice", "participation", "control", "identity"):
        S.save_score(store, SECRETARIAT, ws.id, status.id, criterion, 4, "")
        S.save_score(store, SECRETARIAT, ws.id, merger.id, criterion, 3, "")
    S.save_weights(store, SECRETARIAT, ws.id, {"capacity": 2, "identity": 5, "participation": 3})
    store.close()
    assert main(["scenarios", "--workspace", "Demo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["workspace"] == "Demo" and data["participants"] == ["Siri"]
    assert [s["name"] for s in data["scenarios"]] == ["Status quo", "Sammenslåing"]
    assert data["scenarios"][1]["members"] == members
    assert data["scenarios"][1]["criteria"]["capacity"] == {
        "score": 5.0, "method": "measured", "value": 278663.0, "unit": "inhabitants", "rule": "population",
        "formula": "capacity_region", "source": "SSB 07459, 1 Jan 2026", "year": 2026}
    # weights 0.2 capacity, 0.5 identity, 0.3 participation:
    # status quo 0.2*2 + 0.8*4 = 3.6; merger 0.2*5 + 0.8*3 = 3.4
    assert data["ranking"]["mean"] == [{"scenario": "Status quo", "place": 1, "score": 3.6},
                                       {"scenario": "Sammenslåing", "place": 2, "score": 3.4}]
    flip = data["sensitivity"]["flip"]
    # capacity share s: status quo 2s + 4(1-s), merger 5s + 3(1-s): equal at s = 0.25
    assert flip == {"criterion": "capacity", "share": 0.2, "at": 0.25, "change": 0.05,
                    "first": "Status quo", "second": "Sammenslåing"}
    assert data["sensitivity"]["leader"] == "Status quo"
    capacity = next(r for r in data["sensitivity"]["ranges"] if r["criterion"] == "capacity")
    assert (capacity["low"], capacity["high"], capacity["high_rival"]) == (0.0, 0.25, "Sammenslåing")


def test_scenarios_unknown_workspace_is_exit_1(capsys) -> None:
    assert main(["scenarios", "--workspace", "Finnes ikke", "--json"]) == 1
    assert capsys.readouterr().err.startswith("error: unknown workspace: Finnes ikke")
