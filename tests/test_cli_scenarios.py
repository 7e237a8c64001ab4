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
        "score": 5.0, "method": "measured", "applicable": True, "value": 278663.0, "unit": "inhabitants",
        "rule": "population", "formula": "capacity_region", "source": "SSB 07459, 1 Jan 2026", "year": 2026}
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


def test_scenarios_json_has_the_cooperation_criteria_where_they_apply(tmp_path, monkeypatch, capsys) -> None:
    from kommunestrategi import cooperation
    from kommunestrategi.cooperation import register as reg

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    monkeypatch.setenv("KOMMUNESTRATEGI_DATABASE_URL", url)
    store = Store.open(url)
    ws = store.ensure_demo_workspace()
    members = ["5001", "5028", "5029"]
    # two arrangements inside Trondheim-Melhus-Skaun, one crossing to Malvik, one elsewhere
    for name, codes in (("Legevakt", ("5001", "5028")), ("Barnevern", ("5001", "5028", "5029")),
                        ("Brann", ("5029", "5031")), ("IKT", ("5055", "5056"))):
        reg.add(store, SECRETARIAT, ws.id, cooperation.Arrangement("", name, codes, service_area="helse"))
    S.save_methods(store, SECRETARIAT, ws.id, {})
    coop = S.save_scenario(store, SECRETARIAT, ws.id, "Samarbeid", "cooperation", members)
    S.save_scenario(store, SECRETARIAT, ws.id, "Sammenslåing", "merger", members)
    S.save_score(store, SECRETARIAT, ws.id, coop.id, "coop_form", 5, "vertskommune med klart mandat")
    S.save_weights(store, SECRETARIAT, ws.id, {"coop_partners": 1, "coop_form": 1})
    store.close()
    assert main(["scenarios", "--workspace", "Demo", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["criteria_groups"]["cooperation"] == [
        "coop_why", "coop_partners", "coop_form", "coop_internal", "coop_democracy", "coop_ownership", "coop_exit"]
    assert data["methods"]["coop_partners"] == "measured" and data["methods"]["coop_form"] == "workshop"
    coop_cells, merger_cells = (s["criteria"] for s in data["scenarios"])
    # 2 of the 3 arrangements touching the members stay inside: 1 + 4 x 2/3
    partners = coop_cells["coop_partners"]
    assert (partners["score"], partners["inside"], partners["crossing"]) == (3.67, 2, 1)
    assert partners["formula"] == "partners_inside" and partners["rule"] == "share_inside"
    assert partners["source"] == "register" and partners["year"] >= 2026
    assert merger_cells["coop_partners"] == coop_cells["coop_partners"]
    assert coop_cells["coop_form"]["reasons"] == [
        {"participant": "Siri", "score": 5, "reason": "vertskommune med klart mandat"}]
    assert merger_cells["coop_form"] == {"score": 3.0, "method": "workshop", "applicable": False,
                                         "count": 0, "reasons": []}
    # ranked where every scenario has a score (not applicable counts as 3)
    assert "coop_partners" in data["criteria"] and "coop_form" in data["criteria"]
    assert "coop_why" in data["waiting"] and data["not_applicable"] == []
    assert data["weights"]["mean"]["coop_form"] == 0.5
    # the proxy's score is rounded to 3.67 as shown: cooperation 0.5 x 3.67 + 0.5 x 5 = 4.335;
    # merger 0.5 x 3.67 + 0.5 x 3 (not applicable) = 3.335
    assert [(r["scenario"], r["score"]) for r in data["ranking"]["mean"]] == [
        ("Samarbeid", 4.335), ("Sammenslåing", 3.335)]
    # the form's weight may fall from 50 % to 0 before the merger is level (both then 3.67)
    form = next(r for r in data["sensitivity"]["ranges"] if r["criterion"] == "coop_form")
    assert (form["low"], form["high"]) == (0.0, 1.0)
