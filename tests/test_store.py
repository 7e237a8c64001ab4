"""The store's persistence suite, run against SQLite and a real PostgreSQL.

Each test gets an empty database (a SQLite file, or a uniquely named PostgreSQL
database). Every durability claim is checked through a *second* Store opened on
the same URL, i.e. as a restarted server or another process would see it.
"""

from __future__ import annotations

import threading
from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy import create_engine, inspect, select, text

from kommunestrategi.store import (
    Actor,
    ConflictError,
    InvalidAccessCode,
    PermissionDenied,
    Store,
    StoreError,
    TooManyAttempts,
    UnknownWorkspace,
    auth,
)
from kommunestrategi.store import models as m

SECRETARIAT = Actor("Sekretær Siri", "secretariat")
TRONDHEIM = Actor("Ordfører Trondheim", "council", "5001")
MELHUS = Actor("Ordfører Melhus", "council", "5028")
VIEWER = Actor("Observatør", "viewer")
COUNCILS = ["5001", "5028", "5029"]


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def url(request: pytest.FixtureRequest, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("fresh_postgres_url")


@pytest.fixture
def store(url: str):
    opened = Store.open(url)
    yield opened
    opened.close()


@pytest.fixture
def ws(store: Store):
    return store.create_workspace(SECRETARIAT, "Trøndelag 2026", COUNCILS)


def reopen(store: Store) -> Store:
    """A second store on the same database, like another process after a restart."""
    return Store.open(store.url)


# --------------------------------------------------------------------- basics
def test_fresh_database_is_migrated_to_head_and_demo_is_open(store: Store) -> None:
    assert store.current_revision() == store.head_revision()
    from alembic.script import ScriptDirectory
    assert len(ScriptDirectory.from_config(store.alembic_config()).get_heads()) == 1
    demo = store.ensure_demo_workspace()
    assert demo.open_access and demo.name == "Demo"
    assert store.ensure_demo_workspace() == demo
    assert [c.name for c in store.list_councils(demo.id)][:2] == ["Trondheim", "Melhus"]


def test_answers_round_trip_every_json_value(store: Store, ws) -> None:
    values = {"text": "Vi vil samarbeide – også om barnevern (æøå)", "score": 4, "share": 0.25,
              "yes": True, "none": None, "list": ["a", 1], "dict": {"b": [1, {"c": "d"}]}}
    for field, value in values.items():
        saved = store.save_answer(TRONDHEIM, ws.id, "5001", "barnevern", "kompetanse", field, value, None)
        assert saved.version == 1 and saved.author == TRONDHEIM.name
    other = reopen(store)
    stored = {a.field: a for a in other.get_answers(ws.id, "5001")}
    assert {f: a.value for f, a in stored.items()} == values
    answer = stored["text"]
    assert answer.updated_at.tzinfo is not None and answer.updated_at.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - answer.updated_at).total_seconds()) < 60
    assert other.get_answer(ws.id, "5001", "barnevern", "kompetanse", "score").value == 4
    assert other.get_answer(ws.id, "5028", "barnevern", "kompetanse", "score") is None
    assert other.get_answers(ws.id, "5028") == []
    other.close()


def test_workspaces_councils_and_lookup(store: Store, ws) -> None:
    assert store.get_workspace("trøndelag 2026").id == ws.id
    assert store.get_workspace(ws.id).name == ws.name
    with pytest.raises(UnknownWorkspace):
        store.get_workspace("Nowhere")
    with pytest.raises(StoreError):
        store.create_workspace(SECRETARIAT, "TRØNDELAG 2026", [])
    store.add_council(SECRETARIAT, ws.id, "5031")
    assert [c.kommunenummer for c in store.list_councils(ws.id)] == ["5001", "5028", "5029", "5031"]
    with pytest.raises(StoreError):
        store.add_council(SECRETARIAT, ws.id, "9999")
    with pytest.raises(StoreError, match="not a member"):
        store.save_answer(SECRETARIAT, ws.id, "0301", "a", "b", "c", "x", None)


# ------------------------------------------------------------------ conflicts
def test_stale_version_is_a_conflict_and_writes_nothing(store: Store, ws) -> None:
    key = ("5001", "barnevern", "kompetanse", "text")
    first = store.save_answer(TRONDHEIM, ws.id, *key, "Trondheims tekst", None)
    store.save_answer(SECRETARIAT, ws.id, *key, "Sekretariatets tekst", first.version)
    before = len(store.history(ws.id))
    with pytest.raises(ConflictError) as caught:
        store.save_answer(TRONDHEIM, ws.id, *key, "Trondheims nye tekst", first.version)
    assert caught.value.current.value == "Sekretariatets tekst"
    assert caught.value.current.version == 2
    assert caught.value.attempted == "Trondheims nye tekst"
    assert len(store.history(ws.id)) == before
    assert reopen(store).get_answer(ws.id, *key).value == "Sekretariatets tekst"
    # A second "new" answer for an existing key is a conflict too.
    with pytest.raises(ConflictError):
        store.save_answer(TRONDHEIM, ws.id, *key, "ny", None)


def test_saving_the_stored_value_is_a_no_op(store: Store, ws) -> None:
    key = ("5001", "barnevern", "kompetanse", "text")
    first = store.save_answer(TRONDHEIM, ws.id, *key, "samme", None)
    again = store.save_answer(TRONDHEIM, ws.id, *key, "samme", 0)
    assert again.version == first.version == 1
    assert len(store.answer_history(ws.id, *key)) == 1


def test_different_answers_saved_from_the_same_start_both_kept(store: Store, ws) -> None:
    a = store.save_answer(TRONDHEIM, ws.id, "5001", "barnevern", "k1", "text", "Trondheim", None)
    b = store.save_answer(MELHUS, ws.id, "5028", "barnevern", "k1", "text", "Melhus", None)
    assert (a.version, b.version) == (1, 1)
    values = {x.council: x.value for x in reopen(store).get_answers(ws.id)}
    assert values == {"5001": "Trondheim", "5028": "Melhus"}


# -------------------------------------------------------------------- history
def test_history_and_restore_is_a_new_change(store: Store, ws) -> None:
    key = ("5001", "barnevern", "kompetanse", "text")
    v1 = store.save_answer(TRONDHEIM, ws.id, *key, "første", None)
    v2 = store.save_answer(SECRETARIAT, ws.id, *key, "andre", v1.version)
    history = store.answer_history(ws.id, *key)
    assert [(h.old_value, h.new_value, h.version, h.author) for h in history] == [
        ("første", "andre", 2, SECRETARIAT.name), (None, "første", 1, TRONDHEIM.name)]
    restored = store.restore_answer(TRONDHEIM, ws.id, *key, history[-1].id)
    assert (restored.value, restored.version) == ("første", v2.version + 1)
    history = reopen(store).answer_history(ws.id, *key)
    assert len(history) == 3
    assert (history[0].action, history[0].old_value, history[0].new_value) == ("restore", "andre", "første")
    people = store.participants(ws.id)
    assert [(name, count) for name, count, _last in people] == [
        (TRONDHEIM.name, 2), (SECRETARIAT.name, 2)]  # newest first; the secretariat created the workspace
    workspace_history = store.history(ws.id)
    assert workspace_history[0].entity == "answer" and workspace_history[-1].entity == "workspace"
    with pytest.raises(StoreError):
        store.restore_answer(TRONDHEIM, ws.id, "5001", "barnevern", "other", "text", history[0].id)


# -------------------------------------------------- regions, weights, datasets
def test_saved_regions(store: Store, ws) -> None:
    first = store.save_region(SECRETARIAT, ws.id, "Trondheimsregionen", ["5001", "5028", "5028", "5029"])
    assert first.codes == ["5001", "5028", "5029"]
    store.save_region(SECRETARIAT, ws.id, "Trondheimsregionen", ["5001", "5031"])
    store.save_region(SECRETARIAT, ws.id, "Alle", ["5001"])
    listed = {r.name: r.codes for r in reopen(store).list_regions(ws.id)}
    assert listed == {"Alle": ["5001"], "Trondheimsregionen": ["5001", "5031"]}
    store.delete_region(SECRETARIAT, ws.id, "Alle")
    assert [r.name for r in store.list_regions(ws.id)] == ["Trondheimsregionen"]
    deleted = store.history(ws.id, entity="region")[0]
    assert (deleted.action, deleted.old_value) == ("delete", ["5001"])
    with pytest.raises(StoreError):
        store.save_region(SECRETARIAT, ws.id, " ", ["5001"])


def test_weights_and_council_settings(store: Store, ws) -> None:
    assert store.get_weights(ws.id, "standard") == {}
    store.save_weights(SECRETARIAT, ws.id, "standard", {"kompetanse": 2, "økonomi": 0.5})
    assert reopen(store).get_weights(ws.id, "standard") == {"kompetanse": 2.0, "økonomi": 0.5}
    assert store.save_setting(TRONDHEIM, ws.id, "strategy", "mål", {"tekst": "A"}, council="5001") == 1
    assert store.save_setting(TRONDHEIM, ws.id, "strategy", "mål", {"tekst": "B"}, council="5001") == 2
    assert store.get_setting(ws.id, "strategy", "mål", council="5001") == {"tekst": "B"}
    assert store.list_settings(ws.id, "strategy") == {("5001", "mål"): {"tekst": "B"}}


def test_dataset_versions_keep_tables_and_types(store: Store, ws) -> None:
    table = pd.DataFrame({"kommunenummer": pd.Series(["0301", "5001"], dtype="str"),
                          "value": [1.5, float("nan")], "year": [2023, 2024], "flag": [True, False]})
    first = store.add_dataset_version(SECRETARIAT, ws.id, "indicators", "a.xlsx", "a" * 64,
                                      {"rows": 2}, [{"row": 3, "message": "ok"}], {"values": table})
    second = store.add_dataset_version(SECRETARIAT, ws.id, "indicators", "b.xlsx", "b" * 64, {}, [],
                                       {"values": table.head(1)})
    other = reopen(store)
    assert [v.file_name for v in other.list_dataset_versions(ws.id, "indicators")] == ["b.xlsx", "a.xlsx"]
    assert other.active_dataset_version(ws.id, "indicators").id == second.id
    assert other.active_dataset_version(ws.id, "arrangements") is None
    back = other.dataset_table(first.id, "values")
    pd.testing.assert_frame_equal(back, table)
    assert back["kommunenummer"].tolist() == ["0301", "5001"]
    assert other.list_dataset_versions(ws.id)[1].report == [{"row": 3, "message": "ok"}]
    again = store.activate_dataset_version(SECRETARIAT, ws.id, first.id)
    assert again.active and store.active_dataset_version(ws.id, "indicators").id == first.id
    assert sum(v.active for v in store.list_dataset_versions(ws.id, "indicators")) == 1
    with pytest.raises(StoreError):
        store.add_dataset_version(SECRETARIAT, ws.id, "recipes", "c.csv", "c" * 64, {}, [], {})
    with pytest.raises(StoreError):
        store.dataset_table(first.id, "missing")


# -------------------------------------------------------------- authorisation
def _write_paths(store: Store, ws):
    """Every write method, as (name, call(actor)) with arguments that are valid for a secretariat."""
    dataset = store.add_dataset_version(SECRETARIAT, ws.id, "indicators", "x.csv", "d" * 64, {}, [], {})
    store.save_region(SECRETARIAT, ws.id, "Til sletting", ["5001"])
    store.set_access_code(SECRETARIAT, ws.id, "viewer", "se-men-ikke-rør")
    store.save_answer(SECRETARIAT, ws.id, "5001", "sa", "c", "f", "første", None)
    own_history = store.answer_history(ws.id, "5001", "sa", "c", "f")[0].id
    store.save_answer(SECRETARIAT, ws.id, "5028", "sa", "c", "f", "Melhus", None)
    melhus_history = store.answer_history(ws.id, "5028", "sa", "c", "f")[0].id
    export = store.export_workspace(ws.id)
    return {
        "create_workspace": lambda a: a_create(store, a),
        "add_council": lambda a: store.add_council(a, ws.id, "5031"),
        "remove_council": lambda a: store.remove_council(a, ws.id, "5029"),
        "set_open_access": lambda a: store.set_open_access(a, ws.id, True),
        "save_answer_own_council": lambda a: store.save_answer(a, ws.id, "5001", "sa", "c", "g", "ny", None),
        "save_answer_other_council": lambda a: store.save_answer(a, ws.id, "5028", "sa", "c", "g", "ny", None),
        "restore_answer_own_council": lambda a: store.restore_answer(a, ws.id, "5001", "sa", "c", "f", own_history),
        "restore_answer_other_council":
            lambda a: store.restore_answer(a, ws.id, "5028", "sa", "c", "f", melhus_history),
        "save_region": lambda a: store.save_region(a, ws.id, "Ny region", ["5001"]),
        "delete_region": lambda a: store.delete_region(a, ws.id, "Til sletting"),
        "save_weights": lambda a: store.save_weights(a, ws.id, "standard", {"k": 1}),
        "save_setting_workspace": lambda a: store.save_setting(a, ws.id, "notes", "n", "x"),
        "save_setting_own_council": lambda a: store.save_setting(a, ws.id, "strategy", "s", "x", council="5001"),
        "save_setting_other_council":
            lambda a: store.save_setting(a, ws.id, "strategy", "s", "x", council="5028"),
        "add_dataset_version":
            lambda a: store.add_dataset_version(a, ws.id, "arrangements", "y.csv", "e" * 64, {}, [], {}),
        "activate_dataset_version": lambda a: store.activate_dataset_version(a, ws.id, dataset.id),
        "set_access_code": lambda a: store.set_access_code(a, ws.id, "secretariat", "hemmelig-kode"),
        "remove_access_code": lambda a: store.remove_access_code(a, ws.id, "viewer"),
        "import_workspace": lambda a: store.import_workspace(a, export, "Importert"),
    }


def a_create(store: Store, actor: Actor):
    return store.create_workspace(actor, "Ny arbeidsflate", ["5001"])


ALLOWED = {
    "secretariat": "all",
    "council": {"save_answer_own_council", "restore_answer_own_council", "save_setting_own_council"},
    "viewer": set(),
}
WRITE_PATHS = [
    "create_workspace", "add_council", "remove_council", "set_open_access", "save_answer_own_council",
    "save_answer_other_council", "restore_answer_own_council", "restore_answer_other_council",
    "save_region", "delete_region", "save_weights", "save_setting_workspace", "save_setting_own_council",
    "save_setting_other_council", "add_dataset_version", "activate_dataset_version", "set_access_code",
    "remove_access_code", "import_workspace",
]


def _snapshot(store: Store) -> bytes:
    return b"".join(store.export_workspace(w.id) for w in store.list_workspaces())


def test_every_write_path_is_authorised_by_role(store: Store, ws) -> None:
    """For each role and each write method: allowed ones succeed, the others raise
    PermissionDenied and change nothing at all (not even the history)."""
    paths = _write_paths(store, ws)
    assert sorted(paths) == sorted(WRITE_PATHS)
    actors = {"viewer": VIEWER, "council": TRONDHEIM, "secretariat": SECRETARIAT}
    for role in ("viewer", "council", "secretariat"):
        for name in WRITE_PATHS:
            allowed = ALLOWED[role] == "all" or name in ALLOWED[role]
            if allowed:
                paths[name](actors[role])
                continue
            before = _snapshot(store)
            with pytest.raises(PermissionDenied):
                paths[name](actors[role])
            assert _snapshot(store) == before, f"{role} {name} changed the store"
    # The secretariat really did all of it.
    assert store.get_workspace("Importert")
    assert store.get_answer(ws.id, "5028", "sa", "c", "g").author == SECRETARIAT.name
    assert store.get_answer(ws.id, "5001", "sa", "c", "g").author == TRONDHEIM.name


# --------------------------------------------------------------- access codes
def test_access_codes_are_hashed_and_log_in_by_role(store: Store, ws) -> None:
    store.set_access_code(SECRETARIAT, ws.id, "secretariat", "sekretariat-2026")
    store.set_access_code(SECRETARIAT, ws.id, "council", "trondheim-kode", council="5001")
    store.set_access_code(SECRETARIAT, ws.id, "viewer", "bare-lese")
    with store.engine.connect() as conn:
        stored = b"".join(bytes(r.code_hash) + bytes(r.salt) for r in conn.execute(select(m.access_codes)))
        dump = str(conn.execute(select(m.access_codes)).all()) + str(conn.execute(select(m.history)).all())
    for code in ("sekretariat-2026", "trondheim-kode", "bare-lese"):
        assert code.encode() not in stored and code not in dump
    assert store.login(ws.id, "trondheim-kode", "c", name="Ola") == Actor("Ola", "council", "5001")
    assert store.login(ws.id, " sekretariat-2026 ", "c").role == "secretariat"
    assert store.login(ws.id, "bare-lese", "c").role == "viewer"
    assert {(c.role, c.council) for c in store.list_access_codes(ws.id)} == {
        ("secretariat", None), ("council", "5001"), ("viewer", None)}
    with pytest.raises(StoreError, match="another role"):
        store.set_access_code(SECRETARIAT, ws.id, "council", "bare-lese", council="5028")
    with pytest.raises(StoreError, match="at least"):
        store.set_access_code(SECRETARIAT, ws.id, "viewer", "kort")
    store.set_access_code(SECRETARIAT, ws.id, "viewer", "ny-lesekode")
    with pytest.raises(InvalidAccessCode):
        store.login(ws.id, "bare-lese", "c")


def test_failed_logins_are_limited_per_client(store: Store, ws) -> None:
    store.set_access_code(SECRETARIAT, ws.id, "viewer", "riktig-kode")
    for attempt in range(auth.MAX_FAILURES):
        with pytest.raises(InvalidAccessCode, match=f"{auth.MAX_FAILURES - attempt - 1} attempts left"):
            store.login(ws.id, f"feil-{attempt}", "10.0.0.1")
    with pytest.raises(TooManyAttempts) as blocked:
        store.login(ws.id, "riktig-kode", "10.0.0.1")
    assert 0 < blocked.value.retry_after <= auth.WINDOW_SECONDS + 1
    # Another client is not blocked, and the limit is kept in the database (any process).
    assert reopen(store).login(ws.id, "riktig-kode", "10.0.0.2").role == "viewer"
    with pytest.raises(TooManyAttempts):
        reopen(store).login(ws.id, "riktig-kode", "10.0.0.1")


# -------------------------------------------------------------------- migrations
def test_migrations_from_empty_match_the_models(store: Store) -> None:
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    with store.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), m.metadata)
    assert diff == []
    assert set(inspect(store.engine).get_table_names()) >= set(m.metadata.tables)


def test_upgrade_from_the_previous_revision_keeps_data(url: str) -> None:
    old = Store.open(url, migrate=False)
    old.migrate("0001")
    assert old.current_revision() == "0001"
    assert "access_codes" not in inspect(old.engine).get_table_names()
    # written as the code of revision 0001 wrote it (later columns do not exist yet)
    with old.engine.begin() as conn:
        at = datetime.now(UTC)
        wid = conn.execute(text("INSERT INTO workspaces (name, created_at, open_access) "
                                "VALUES ('Før oppgradering', :at, false) RETURNING id"), {"at": at}).scalar_one()
        conn.execute(text("INSERT INTO councils (workspace_id, kommunenummer, name) VALUES (:w, '5001', 'Trondheim')"),
                     {"w": wid})
        conn.execute(text("INSERT INTO answers (workspace_id, council, service_area, criterion, field, value, "
                          "version, author, updated_at) VALUES (:w, '5001', 'sa', 'c', 'f', '\"bevart\"', 1, "
                          "'Ordfører', :at)"), {"w": wid, "at": at})
    old.close()
    ws = Store.open(url).get_workspace(wid)
    assert ws.country == "NO"
    new = Store.open(url)
    assert new.current_revision() == new.head_revision()
    assert new.get_answer(ws.id, "5001", "sa", "c", "f").value == "bevart"
    new.set_access_code(SECRETARIAT, ws.id, "viewer", "etter-oppgradering")
    assert new.login(ws.id, "etter-oppgradering").role == "viewer"
    new.close()


# ------------------------------------------------------------ export / import
def _full_workspace(store: Store):
    ws = store.create_workspace(SECRETARIAT, "Full", COUNCILS)
    a = store.save_answer(TRONDHEIM, ws.id, "5001", "barnevern", "k1", "text", "første", None)
    store.save_answer(TRONDHEIM, ws.id, "5001", "barnevern", "k1", "text", {"svar": ["å", 1]}, a.version)
    store.save_answer(MELHUS, ws.id, "5028", "pp-tjeneste", "k2", "score", 3, None)
    store.save_region(SECRETARIAT, ws.id, "Trondheimsregionen", ["5001", "5028"])
    store.save_weights(SECRETARIAT, ws.id, "standard", {"k1": 2.0})
    store.save_setting(TRONDHEIM, ws.id, "strategy", "mål", "Bedre tjenester", council="5001")
    frame = pd.DataFrame({"kommunenummer": pd.Series(["0301"], dtype="str"), "v": [1.0]})
    d1 = store.add_dataset_version(SECRETARIAT, ws.id, "indicators", "a.csv", "a" * 64, {"n": 1}, [], {"t": frame})
    store.add_dataset_version(SECRETARIAT, ws.id, "indicators", "b.csv", "b" * 64, {"n": 1}, [], {"t": frame})
    store.activate_dataset_version(SECRETARIAT, ws.id, d1.id)
    store.set_access_code(SECRETARIAT, ws.id, "council", "trondheim-kode", council="5001")
    return ws


def test_export_import_round_trip_is_exact(store: Store, tmp_path) -> None:
    ws = _full_workspace(store)
    exported = store.export_workspace(ws.id)
    assert store.export_workspace(ws.id) == exported
    target = Store.open(f"sqlite:///{tmp_path / 'target.sqlite'}")
    copy = target.import_workspace(SECRETARIAT, exported)
    assert copy.name == "Full"
    assert target.export_workspace(copy.id) == exported
    assert [(a.council, a.value, a.version, a.author, a.updated_at) for a in target.get_answers(copy.id)] == [
        (a.council, a.value, a.version, a.author, a.updated_at) for a in store.get_answers(ws.id)]
    assert target.login(copy.id, "trondheim-kode").council == "5001"
    assert target.active_dataset_version(copy.id, "indicators").file_name == "a.csv"
    # Into the same database under a new name; the old name is taken.
    with pytest.raises(StoreError, match="exists"):
        store.import_workspace(SECRETARIAT, exported)
    renamed = store.import_workspace(SECRETARIAT, exported, name="Full (kopi)")
    assert len(store.history(renamed.id, limit=1000)) == len(store.history(ws.id, limit=1000))
    with pytest.raises(StoreError, match="not a workspace export"):
        store.import_workspace(SECRETARIAT, b"PK not really a zip")
    target.close()


# ---------------------------------------------------------------- concurrency
def test_twenty_concurrent_writers_lose_nothing(store: Store, ws) -> None:
    """20 threads: each edits its own answer 10 times and all fight over one shared
    answer (3 saves each, retrying on conflict). Every successful save is stored and
    in the history."""
    writers, edits, shared_edits = 20, 10, 3
    councils = ["5001", "5028", "5029"]
    successes_shared: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(writers)

    def work(n: int) -> None:
        try:
            council = councils[n % 3]
            start.wait()
            version = 0
            for i in range(edits):
                version = store.save_answer(SECRETARIAT, ws.id, council, "sa", f"writer{n}", "text",
                                            f"edit {i}", version).version
                while i < shared_edits:
                    current = store.get_answer(ws.id, "5001", "sa", "shared", "text")
                    try:
                        saved = store.save_answer(SECRETARIAT, ws.id, "5001", "sa", "shared", "text",
                                                  f"{n}-{i}", current.version if current else 0)
                        successes_shared.append(saved.version)
                        break
                    except ConflictError:
                        continue
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert not errors, errors
    other = reopen(store)
    answers = {a.criterion: a for a in other.get_answers(ws.id)}
    for n in range(writers):
        assert answers[f"writer{n}"].value == f"edit {edits - 1}"
        assert answers[f"writer{n}"].version == edits
    assert sorted(successes_shared) == list(range(1, writers * shared_edits + 1))
    assert answers["shared"].version == writers * shared_edits
    assert len(other.history(ws.id, limit=10_000, entity="answer")) == writers * (edits + shared_edits)
    other.close()


def test_shared_store_is_one_per_url(url: str) -> None:
    assert Store.shared(url) is Store.shared(url)


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path) -> None:
    store = Store.open(f"sqlite:///{tmp_path / 'deep' / 'folder' / 's.sqlite'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() >= 5000
    store.close()


def test_default_url_is_a_file_in_the_data_folder(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("KOMMUNESTRATEGI_DATA_DIR", str(tmp_path))
    store = Store.open()
    store.ensure_demo_workspace()
    assert (tmp_path / "kommunestrategi.sqlite").is_file()
    engine = create_engine(f"sqlite:///{tmp_path / 'kommunestrategi.sqlite'}")
    with engine.connect() as conn:
        assert conn.execute(text("SELECT name FROM workspaces")).scalar() == "Demo"
    engine.dispose()
    store.close()


def test_two_processes_writing_one_sqlite_file_lose_nothing(tmp_path) -> None:
    """Two app processes on the default SQLite file: writes wait for each other
    (BEGIN IMMEDIATE + busy timeout) instead of failing or overwriting."""
    import os
    import subprocess
    import sys

    from .conftest import ROOT

    url = f"sqlite:///{tmp_path / 'shared.sqlite'}"
    store = Store.open(url)
    ws = store.create_workspace(SECRETARIAT, "Delt", ["5001", "5028"])
    script = (
        "import sys\n"
        "from kommunestrategi.store import Actor, Store\n"
        "store = Store.open(sys.argv[1])\n"
        "for i in range(60):\n"
        "    store.save_answer(Actor('p' + sys.argv[2], 'secretariat'), int(sys.argv[3]), '5001', 'sa',\n"
        "                      'process' + sys.argv[2], f'f{i}', i, None)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    procs = [subprocess.Popen([sys.executable, "-c", script, url, str(n), str(ws.id)], env=env,
                              stderr=subprocess.PIPE, text=True) for n in (1, 2)]
    for proc in procs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err
    answers = store.get_answers(ws.id)
    assert len(answers) == 120
    assert {a.author for a in answers} == {"p1", "p2"}
    store.close()


def test_oidc_identity_gets_the_role_from_the_secrets() -> None:
    from kommunestrategi.store.auth import actor_for_identity

    settings = {"default_role": "viewer",
                "roles": {"Leder@Sekretariat.no": "secretariat", "ola@trondheim.kommune.no": "council:5001",
                          "feil@x.no": "council:abc", "admin@x.no": "superuser"}}
    assert actor_for_identity("Leder", "leder@sekretariat.no", settings) == Actor("Leder", "secretariat")
    assert actor_for_identity("Ola", "ola@trondheim.kommune.no", settings) == Actor("Ola", "council", "5001")
    assert actor_for_identity("", "ukjent@x.no", settings) == Actor("ukjent@x.no", "viewer")
    assert actor_for_identity("F", "feil@x.no", settings).role == "viewer"
    assert actor_for_identity("A", "admin@x.no", settings).role == "viewer"
    assert actor_for_identity("B", "b@x.no", {}).role == "viewer"
