"""The register in the store: imported arrangements with the secretariat's additions, edits and endings."""

from __future__ import annotations

import datetime as dt

import pytest

from kommunestrategi import cooperation, datasets
from kommunestrategi.cooperation import register as reg
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Actor, ConflictError, PermissionDenied, Store

CSV = ("navn;tjeneste;form;kommuner;vertskommune\nBarnevern Værnes;barnevern;vertskommune_adm;"
       "\"5035, 5036, 5034\";5035\nIKT Melhus-Skaun;ikt;iks;\"5028, 5029\";\n").encode()


@pytest.fixture
def store_ws():
    store = Store.open()
    ws = store.ensure_demo_workspace()
    datasets.import_result(store, SYSTEM, ws.id, validate_file(CSV, "register.csv", "arrangements"))
    return store, ws


def test_imported_register_and_the_public_api(store_ws):
    store, ws = store_ws
    register = cooperation.arrangements_for(ws.name, store)
    assert [(a.id, a.members, a.host) for a in register] == [
        ("A001", ("5034", "5035", "5036"), "5035"), ("A002", ("5028", "5029"), "")]
    assert register.source == f"register.csv (#{register.dataset_version})"
    assert cooperation.coherence(register, ["5028", "5029", "5059"]).inside == 1


def test_add_edit_end_with_history_and_conflicts(store_ws):
    store, ws = store_ws
    register = reg.register_for(store, ws.id)
    first = register.get("A001")
    edited = reg.save(store, SYSTEM, ws.id, first.with_changes(next_review="2027-01-01", exit_clause=True))
    assert edited.version == 1
    with pytest.raises(ConflictError):  # an editor who started from the imported version
        reg.save(store, SYSTEM, ws.id, first.with_changes(name="Annet navn"))
    added = reg.add(store, SYSTEM, ws.id, cooperation.Arrangement(
        "", "Legevakt", ("5001", "5028"), service_area="helse", legal_form="vertskommune_adm", host="5001"))
    assert added.id == "app-1" and added.version == 1
    reg.end(store, SYSTEM, ws.id, added, on=dt.date(2026, 12, 31))

    full = reg.register_for(store, ws.id)
    assert full.get("A001").next_review == "2027-01-01" and full.get("A001").exit_clause is True
    assert full.get("app-1").ended == "2026-12-31" and full.get("app-1").source == "app"
    assert [a.id for a in full.active()] == ["A001", "A002"]
    assert [a.id for a in cooperation.arrangements_for(ws.id, store)] == ["A001", "A002"]

    history = reg.history(store, ws.id, full.get("app-1"))
    assert [h.action for h in history] == ["end", "create"]
    assert history[0].old_value["ended"] == "" and history[0].new_value["ended"] == "2026-12-31"
    (first_edit,) = reg.history(store, ws.id, full.get("A001"))
    assert first_edit.action == "update"
    # the first edit of an imported arrangement keeps what the file said as its "before"
    assert first_edit.old_value["next_review"] == first.next_review != first_edit.new_value["next_review"]
    assert first_edit.old_value["name"] == first.name and first_edit.old_value["members"] == list(first.members)
    assert any(h.entity == "cooperation" for h in store.history(ws.id))


def test_only_the_secretariat_changes_the_register(store_ws):
    store, ws = store_ws
    first = reg.register_for(store, ws.id).get("A001")
    for actor in (Actor("Kari", "council", "5035"), Actor("Ola", "viewer")):
        with pytest.raises(PermissionDenied):
            reg.save(store, actor, ws.id, first.with_changes(name="x"))
        with pytest.raises(PermissionDenied):
            reg.add(store, actor, ws.id, first)


def test_edits_follow_the_imported_file(store_ws):
    store, ws = store_ws
    first = reg.register_for(store, ws.id).get("A001")
    reg.save(store, SYSTEM, ws.id, first.with_changes(notice_months=6))
    other = CSV.replace(b"IKT Melhus-Skaun", b"IKT Trondheim")
    datasets.import_result(store, SYSTEM, ws.id, validate_file(other, "other.csv", "arrangements"))
    assert reg.register_for(store, ws.id).get("A001").notice_months is None  # another file
    first_version = datasets.versions(store, ws.id, "arrangements")[-1]
    datasets.activate(store, SYSTEM, ws.id, first_version.id)
    assert reg.register_for(store, ws.id).get("A001").notice_months == 6


def test_workspace_export_carries_the_register_changes(store_ws, tmp_path):
    store, ws = store_ws
    first = reg.register_for(store, ws.id).get("A001")
    reg.save(store, SYSTEM, ws.id, first.with_changes(notice_months=3))
    reg.add(store, SYSTEM, ws.id, cooperation.Arrangement("", "Legevakt", ("5001", "5028"), service_area="helse"))
    data = store.export_workspace(ws.id)
    other = Store.open(f"sqlite:///{tmp_path}/other.sqlite")
    copy = other.import_workspace(SYSTEM, data)
    register = reg.register_for(other, copy.id)
    assert register.get("A001").notice_months == 3 and register.get("A001").version == 1
    assert register.get("app-1").name == "Legevakt"
    assert [h.action for h in reg.history(other, copy.id, register.get("A001"))] == ["update"]
    assert other.export_workspace(copy.id) == data
