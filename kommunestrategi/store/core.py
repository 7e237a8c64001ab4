"""The workspace store: every piece of shared state, durable and guarded by role.

One code path for SQLite (the default file in the data folder) and PostgreSQL
(``KOMMUNESTRATEGI_DATABASE_URL``). Every write method

* checks the actor's role first (:class:`PermissionDenied`), so a council
  participant cannot write another council's answers even by calling the store
  directly;
* runs in one transaction that also appends a row to the history (who, when,
  old value, new value) and commits before it returns;
* for answers, uses optimistic concurrency: ``UPDATE ... WHERE version = :expected``
  so of two editors who started from the same version only the first wins and
  the second gets a :class:`ConflictError` with both values.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, delete, event, func, insert, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError
from sqlalchemy.pool import StaticPool

from kommunestrategi import config
from kommunestrategi.codes import normalise_number
from kommunestrategi.store import auth
from kommunestrategi.store import models as m
from kommunestrategi.store.dataset_versions import DatasetVersionsMixin
from kommunestrategi.store.readcache import ReadCache
from kommunestrategi.store.types import (
    ROLES,
    AccessCodeInfo,
    Actor,
    Answer,
    ConflictError,
    Council,
    HistoryEntry,
    PermissionDenied,
    SavedRegion,
    StoreError,
    UnknownWorkspace,
    Workspace,
)

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DATASET_KINDS = ("indicators", "arrangements", "boundaries", "travel_times", "population_grid")
DEMO_WORKSPACE = "Demo"
#: Trøndelag councils of the demo workspace (Trondheim and four neighbours).
DEMO_COUNCILS = ("5001", "5028", "5029", "5031", "5059")
_PG_MIGRATION_LOCK = 72_635_001


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(value: datetime) -> datetime:
    """UTC-aware datetime (SQLite gives back the stored UTC time without a zone)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _dump(value: Any) -> str:
    """Canonical JSON text of a value, so equal values compare equal as text."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _load(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def _answer_key(council: str, service_area: str, criterion: str, field: str) -> str:
    return _dump([council, service_area, criterion, field])


@lru_cache(maxsize=1)
def _municipality_names(country: str = "NO") -> dict[str, str]:
    from kommunestrategi.countries import municipality_names

    return municipality_names(country)


def council_name(kommunenummer: str, country: str = "NO") -> str:
    """The municipality's name for a 4-digit number of the country; StoreError if there is none."""
    code = normalise_number(kommunenummer)
    names = _municipality_names(country)
    if code is None or code not in names:
        raise StoreError(f"unknown municipality number: {kommunenummer}")
    return names[code]


def _council_code(kommunenummer: str) -> str:
    code = normalise_number(kommunenummer)
    if code is None:
        raise StoreError(f"not a municipality number: {kommunenummer!r}")
    return code


def _make_engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, pool_size=10, max_overflow=30, pool_timeout=60, pool_pre_ping=True)
    database = parsed.database or ""
    memory = database in ("", ":memory:")
    if not memory:
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    engine = create_engine(
        url,
        connect_args={"timeout": 30, "check_same_thread": False},
        **({"poolclass": StaticPool} if memory else {"pool_size": 10, "max_overflow": 30, "pool_timeout": 60}),
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below), so the driver must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # Writers take the write lock at BEGIN, so a read-then-write transaction
        # never fails half-way with "database is locked"; readers do not block.
        immediate = connection.get_execution_options().get("store_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    return engine


class Store(DatasetVersionsMixin):
    """All workspace state behind one SQLAlchemy engine (see the module docstring)."""

    _shared: dict[str, Store] = {}
    _shared_lock = threading.Lock()

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        # SQLite has one writer at a time. Queuing this process's writers on a lock
        # avoids SQLite's busy-wait back-off (sleeps of up to 100 ms) between threads;
        # other processes still wait through busy_timeout.
        self._write_lock: threading.Lock | None = threading.Lock() if engine.dialect.name == "sqlite" else None
        self.read_cache = ReadCache(url)

    # ------------------------------------------------------------------ setup
    @classmethod
    def open(cls, url: str | None = None, migrate: bool = True) -> Store:
        """A store on ``url`` (default: :func:`kommunestrategi.config.database_url`),
        its schema upgraded to the newest migration."""
        url = url or config.database_url()
        store = cls(_make_engine(url), url)
        if migrate:
            store.migrate()
        return store

    @classmethod
    def shared(cls, url: str | None = None) -> Store:
        """One process-wide store per URL (one connection pool per database)."""
        url = url or config.database_url()
        with cls._shared_lock:
            store = cls._shared.get(url)
            if store is None:
                store = cls._shared[url] = cls.open(url)
            return store

    def close(self) -> None:
        """Close all pooled connections."""
        self.engine.dispose()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def alembic_config(self) -> Config:
        cfg = Config()
        cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
        return cfg

    def head_revision(self) -> str:
        return ScriptDirectory.from_config(self.alembic_config()).get_current_head() or ""

    def current_revision(self) -> str | None:
        with self.engine.connect() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def migrate(self, revision: str = "head") -> None:
        """Upgrade the schema to ``revision`` (idempotent; safe with several processes)."""
        if revision == "head" and self.current_revision() == self.head_revision():
            return
        cfg = self.alembic_config()
        with self.engine.connect() as conn:
            conn = conn.execution_options(store_write=True)
            postgres = self.dialect == "postgresql"
            if postgres:
                conn.exec_driver_sql(f"SELECT pg_advisory_lock({_PG_MIGRATION_LOCK})")
                conn.commit()
            try:
                with conn.begin():
                    cfg.attributes["connection"] = conn
                    command.upgrade(cfg, revision)
            finally:
                if postgres:
                    conn.exec_driver_sql(f"SELECT pg_advisory_unlock({_PG_MIGRATION_LOCK})")
                    conn.commit()

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A write transaction, committed when the block ends without an exception."""
        lock = self._write_lock
        if lock is not None:
            lock.acquire()
        try:
            with self.engine.connect() as conn:
                conn = conn.execution_options(store_write=True)
                with conn.begin():
                    yield conn
        finally:
            self.read_cache.changed()
            if lock is not None:
                lock.release()

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self.engine.connect() as conn:
            yield conn

    # ---------------------------------------------------------- authorisation
    @staticmethod
    def _require_secretariat(actor: Actor, what: str) -> None:
        if actor.role != "secretariat":
            raise PermissionDenied(f"role {actor.role} may not {what}")

    @staticmethod
    def _require_council_write(actor: Actor, council: str, what: str) -> None:
        if actor.role == "secretariat":
            return
        if actor.role == "council" and normalise_number(actor.council) == council:
            return
        if actor.role == "council":
            raise PermissionDenied(f"council {actor.council} may not {what} for council {council}")
        raise PermissionDenied(f"role {actor.role} may not {what}")

    @staticmethod
    def _history(conn: Connection, workspace_id: int, actor: Actor, entity: str, key: str,
                 action: str, old: str | None, new: str | None, version: int | None, at: datetime) -> None:
        conn.execute(insert(m.history).values(
            workspace_id=workspace_id, at=at, author=actor.name, entity=entity, key=key,
            action=action, old_value=old, new_value=new, version=version))

    # ------------------------------------------------------------- workspaces
    @staticmethod
    def _workspace(row: Any) -> Workspace:
        return Workspace(row.id, row.name, _aware(row.created_at), bool(row.open_access),
                         str(getattr(row, "country", None) or "NO"))

    def list_workspaces(self) -> list[Workspace]:
        def query() -> tuple[Workspace, ...]:
            with self._read() as conn:
                rows = conn.execute(select(m.workspaces).order_by(m.workspaces.c.name)).all()
            return tuple(self._workspace(r) for r in rows)

        return list(self.read_cache.get(("workspaces",), query))

    def get_workspace(self, name_or_id: str | int) -> Workspace:
        """The workspace with this id or name (exact, then case-insensitive)."""
        def query() -> Workspace:
            with self._read() as conn:
                return self._get_workspace(conn, name_or_id)

        return self.read_cache.get(("workspace", type(name_or_id).__name__, name_or_id), query)

    def _get_workspace(self, conn: Connection, name_or_id: str | int) -> Workspace:
        table = m.workspaces
        row = None
        if isinstance(name_or_id, int) or (isinstance(name_or_id, str) and name_or_id.isdigit()):
            row = conn.execute(select(table).where(table.c.id == int(name_or_id))).first()
        if row is None and isinstance(name_or_id, str):
            name = name_or_id.strip()
            row = conn.execute(select(table).where(table.c.name == name)).first()
            if row is None:
                row = conn.execute(select(table).where(func.lower(table.c.name) == name.lower())).first()
        if row is None:
            raise UnknownWorkspace(name_or_id)
        return self._workspace(row)

    def create_workspace(self, actor: Actor, name: str, councils: list[str],
                         open_access: bool = False, country: str = "NO") -> Workspace:
        """A new workspace with its member councils (secretariat only).

        ``country`` (``NO`` or ``SE``) is fixed at creation: it decides which
        municipalities the councils and all data are about.
        """
        from kommunestrategi.countries import UnknownCountry, normalise_country
        from kommunestrategi.store import names

        self._require_secretariat(actor, "create workspaces")
        if not str(name or "").strip():
            raise StoreError("a workspace needs a name")
        name = names.checked(name)
        try:
            country = normalise_country(country)
        except UnknownCountry as exc:
            raise StoreError(str(exc)) from None
        members = {_council_code(c): council_name(c, country) for c in councils}
        at = _now()
        try:
            with self._write() as conn:
                if conn.execute(select(m.workspaces.c.id).where(
                        func.lower(m.workspaces.c.name) == name.lower())).first():
                    raise StoreError(f"a workspace named {name!r} exists")
                # Norway is the column's server default (a store not yet migrated has no column)
                values = {"country": country} if country != "NO" else {}
                workspace_id = conn.execute(insert(m.workspaces).values(
                    name=name, created_at=at, open_access=open_access, **values)).inserted_primary_key[0]
                for code, council in sorted(members.items()):
                    conn.execute(insert(m.councils).values(
                        workspace_id=workspace_id, kommunenummer=code, name=council))
                self._history(conn, workspace_id, actor, "workspace", name, "create", None,
                              _dump({"councils": sorted(members), "open_access": open_access,
                                     "country": country}), None, at)
        except IntegrityError:
            raise StoreError(f"a workspace named {name!r} exists") from None
        return Workspace(workspace_id, name, at, open_access, country)

    def ensure_demo_workspace(self) -> Workspace:
        """The open "Demo" workspace, created on first start so the app needs no setup."""
        try:
            return self.get_workspace(DEMO_WORKSPACE)
        except UnknownWorkspace:
            pass
        try:
            return self.create_workspace(Actor("system", "secretariat"), DEMO_WORKSPACE,
                                         list(DEMO_COUNCILS), open_access=True)
        except StoreError:  # another process created it a moment ago
            return self.get_workspace(DEMO_WORKSPACE)

    def set_open_access(self, actor: Actor, workspace_id: int, open_access: bool) -> Workspace:
        """Open a workspace to everyone (as secretariat) or lock it to access codes."""
        self._require_secretariat(actor, "change workspace access")
        at = _now()
        with self._write() as conn:
            ws = self._get_workspace(conn, workspace_id)
            if ws.open_access != open_access:
                conn.execute(update(m.workspaces).where(m.workspaces.c.id == ws.id)
                             .values(open_access=open_access))
                self._history(conn, ws.id, actor, "workspace", ws.name, "access",
                              _dump(ws.open_access), _dump(open_access), None, at)
        return Workspace(ws.id, ws.name, ws.created_at, open_access, ws.country)

    def list_councils(self, workspace_id: int) -> list[Council]:
        with self._read() as conn:
            rows = conn.execute(select(m.councils.c.kommunenummer, m.councils.c.name)
                                .where(m.councils.c.workspace_id == workspace_id)
                                .order_by(m.councils.c.kommunenummer)).all()
        return [Council(r.kommunenummer, r.name) for r in rows]

    def add_council(self, actor: Actor, workspace_id: int, kommunenummer: str) -> Council:
        """Add a member council (secretariat only); adding an existing one is a no-op."""
        self._require_secretariat(actor, "add councils")
        code = _council_code(kommunenummer)
        at = _now()
        with self._write() as conn:
            ws = self._get_workspace(conn, workspace_id)
            council = Council(code, council_name(code, ws.country))
            exists = conn.execute(select(m.councils.c.id).where(
                m.councils.c.workspace_id == ws.id, m.councils.c.kommunenummer == code)).first()
            if not exists:
                conn.execute(insert(m.councils).values(workspace_id=ws.id, kommunenummer=code,
                                                       name=council.name))
                self._history(conn, ws.id, actor, "council", code, "add", None, _dump(council.name), None, at)
        return council

    def remove_council(self, actor: Actor, workspace_id: int, kommunenummer: str) -> None:
        """Remove a member council (secretariat only); its answers stay in the store."""
        self._require_secretariat(actor, "remove councils")
        code = _council_code(kommunenummer)
        with self._write() as conn:
            ws = self._get_workspace(conn, workspace_id)
            gone = conn.execute(delete(m.councils).where(
                m.councils.c.workspace_id == ws.id, m.councils.c.kommunenummer == code)).rowcount
            if gone:
                self._history(conn, ws.id, actor, "council", code, "remove", None, None, None, _now())

    def _require_member(self, conn: Connection, workspace_id: int, council: str) -> None:
        self._get_workspace(conn, workspace_id)
        if not conn.execute(select(m.councils.c.id).where(
                m.councils.c.workspace_id == workspace_id,
                m.councils.c.kommunenummer == council)).first():
            raise StoreError(f"council {council} is not a member of this workspace")

    # ---------------------------------------------------------------- answers
    @staticmethod
    def _answer(row: Any) -> Answer:
        return Answer(row.workspace_id, row.council, row.service_area, row.criterion, row.field,
                      _load(row.value), row.version, row.author, _aware(row.updated_at))

    def get_answers(self, workspace_id: int, council: str | None = None) -> list[Answer]:
        """All stored answers of the workspace (or of one council), in key order."""
        table = m.answers
        query = select(table).where(table.c.workspace_id == workspace_id)
        if council is not None:
            query = query.where(table.c.council == _council_code(council))
        query = query.order_by(table.c.council, table.c.service_area, table.c.criterion, table.c.field)
        with self._read() as conn:
            return [self._answer(r) for r in conn.execute(query).all()]

    def _answer_row(self, conn: Connection, workspace_id: int, council: str, service_area: str,
                    criterion: str, field: str) -> Any:
        table = m.answers
        return conn.execute(select(table).where(
            table.c.workspace_id == workspace_id, table.c.council == council,
            table.c.service_area == service_area, table.c.criterion == criterion,
            table.c.field == field)).first()

    def get_answer(self, workspace_id: int, council: str, service_area: str, criterion: str,
                   field: str) -> Answer | None:
        with self._read() as conn:
            row = self._answer_row(conn, workspace_id, _council_code(council), service_area, criterion, field)
        return None if row is None else self._answer(row)

    def save_answer(self, actor: Actor, workspace_id: int, council: str, service_area: str,
                    criterion: str, field: str, value: Any, expected_version: int | None,
                    *, action: str = "update") -> Answer:
        """Save one answer if nobody changed it since ``expected_version``; committed on return.

        Raises :class:`ConflictError` (nothing written) when the stored version differs;
        saving the value that is already stored returns the stored answer unchanged.
        """
        code = _council_code(council)
        self._require_council_write(actor, code, "save answers")
        new = _dump(value)
        expected = expected_version or 0
        key = (code, service_area, criterion, field)
        try:
            return self._save_answer(actor, workspace_id, key, value, new, expected, action)
        except IntegrityError:
            # Someone inserted the same answer at the same moment (PostgreSQL).
            current = self.get_answer(workspace_id, *key)
            if current is not None and _dump(current.value) == new:
                return current
            raise ConflictError(current, value) from None

    def _save_answer(self, actor: Actor, workspace_id: int, key: tuple[str, str, str, str], value: Any,
                     new: str, expected: int, action: str) -> Answer:
        code, service_area, criterion, field = key
        at = _now()
        with self._write() as conn:
            self._require_member(conn, workspace_id, code)
            row = self._answer_row(conn, workspace_id, *key)
            if row is not None and row.value == new:
                return self._answer(row)
            if row is None:
                if expected != 0:
                    raise ConflictError(None, value)
                conn.execute(insert(m.answers).values(
                    workspace_id=workspace_id, council=code, service_area=service_area,
                    criterion=criterion, field=field, value=new, version=1, author=actor.name,
                    updated_at=at))
                old, version = None, 1
                action = "create" if action == "update" else action
            else:
                if row.version != expected:
                    raise ConflictError(self._answer(row), value)
                done = conn.execute(update(m.answers).where(
                    m.answers.c.id == row.id, m.answers.c.version == expected).values(
                    value=new, version=expected + 1, author=actor.name, updated_at=at)).rowcount
                if done != 1:
                    current = self._answer_row(conn, workspace_id, *key)
                    raise ConflictError(None if current is None else self._answer(current), value)
                old, version = row.value, expected + 1
            self._history(conn, workspace_id, actor, "answer", _answer_key(*key), action, old, new, version, at)
        return Answer(workspace_id, code, service_area, criterion, field, _load(new), version, actor.name, at)

    @staticmethod
    def _entry(row: Any) -> HistoryEntry:
        return HistoryEntry(row.id, _aware(row.at), row.author, _load(row.old_value), _load(row.new_value),
                            row.version, row.entity, row.key, row.action)

    def answer_history(self, workspace_id: int, council: str, service_area: str, criterion: str,
                       field: str) -> list[HistoryEntry]:
        """Every change of one answer, newest first."""
        key = _answer_key(_council_code(council), service_area, criterion, field)
        table = m.history
        with self._read() as conn:
            rows = conn.execute(select(table).where(
                table.c.workspace_id == workspace_id, table.c.entity == "answer", table.c.key == key)
                .order_by(table.c.id.desc())).all()
        return [self._entry(r) for r in rows]

    def restore_answer(self, actor: Actor, workspace_id: int, council: str, service_area: str,
                       criterion: str, field: str, history_id: int) -> Answer:
        """Make the value saved by history entry ``history_id`` current again (a new change)."""
        code = _council_code(council)
        self._require_council_write(actor, code, "restore answers")
        key = _answer_key(code, service_area, criterion, field)
        with self._read() as conn:
            row = conn.execute(select(m.history).where(
                m.history.c.id == history_id, m.history.c.workspace_id == workspace_id,
                m.history.c.entity == "answer", m.history.c.key == key)).first()
        if row is None:
            raise StoreError(f"no history entry {history_id} for this answer")
        value = _load(row.new_value)
        for _attempt in range(5):
            current = self.get_answer(workspace_id, code, service_area, criterion, field)
            try:
                return self.save_answer(actor, workspace_id, code, service_area, criterion, field, value,
                                        current.version if current else 0, action="restore")
            except ConflictError:
                continue
        raise StoreError("the answer kept changing while it was being restored; try again")

    # ---------------------------------------------------------------- regions
    def save_region(self, actor: Actor, workspace_id: int, name: str, codes: list[str]) -> SavedRegion:
        """Save (or replace) a named selection of municipalities (secretariat only)."""
        self._require_secretariat(actor, "save regions")
        name = name.strip()
        if not name:
            raise StoreError("a saved region needs a name")
        members = list(dict.fromkeys(_council_code(c) for c in codes))
        if not members:
            raise StoreError("a saved region needs at least one municipality")
        new = _dump(members)
        at = _now()
        table = m.regions
        with self._write() as conn:
            self._get_workspace(conn, workspace_id)
            row = conn.execute(select(table).where(table.c.workspace_id == workspace_id,
                                                   table.c.name == name)).first()
            if row is None:
                region_id = conn.execute(insert(table).values(
                    workspace_id=workspace_id, name=name, codes=new, author=actor.name,
                    updated_at=at)).inserted_primary_key[0]
                old = None
            else:
                region_id, old = row.id, row.codes
                if old == new:
                    return SavedRegion(row.id, row.name, members, row.author, _aware(row.updated_at))
                conn.execute(update(table).where(table.c.id == row.id).values(
                    codes=new, author=actor.name, updated_at=at))
            self._history(conn, workspace_id, actor, "region", name, "save", old, new, None, at)
        return SavedRegion(region_id, name, members, actor.name, at)

    def list_regions(self, workspace_id: int) -> list[SavedRegion]:
        table = m.regions
        with self._read() as conn:
            rows = conn.execute(select(table).where(table.c.workspace_id == workspace_id)
                                .order_by(table.c.name)).all()
        return [SavedRegion(r.id, r.name, _load(r.codes), r.author, _aware(r.updated_at)) for r in rows]

    def delete_region(self, actor: Actor, workspace_id: int, name: str) -> None:
        """Delete a saved region (secretariat only); its codes stay in the history."""
        self._require_secretariat(actor, "delete regions")
        table = m.regions
        with self._write() as conn:
            row = conn.execute(select(table).where(table.c.workspace_id == workspace_id,
                                                   table.c.name == name)).first()
            if row is None:
                raise StoreError(f"no saved region named {name!r}")
            conn.execute(delete(table).where(table.c.id == row.id))
            self._history(conn, workspace_id, actor, "region", name, "delete", row.codes, None, None, _now())

    # ------------------------------------------------------ weights, settings
    def save_setting(self, actor: Actor, workspace_id: int, kind: str, name: str, value: Any,
                     council: str | None = None) -> int:
        """Store a named value (e.g. criteria weights, a council's strategy); returns its version.

        Without ``council`` the value belongs to the workspace (secretariat only); with a
        council it belongs to that council (its own participants or the secretariat).
        """
        code = _council_code(council) if council else ""
        if code:
            self._require_council_write(actor, code, f"save {kind}")
        else:
            self._require_secretariat(actor, f"save {kind}")
        new = _dump(value)
        at = _now()
        table = m.settings
        with self._write() as conn:
            self._get_workspace(conn, workspace_id)
            row = conn.execute(select(table).where(
                table.c.workspace_id == workspace_id, table.c.kind == kind, table.c.name == name,
                table.c.council == code)).first()
            if row is not None and row.value == new:
                return row.version
            if row is None:
                conn.execute(insert(table).values(
                    workspace_id=workspace_id, kind=kind, name=name, council=code, value=new, version=1,
                    author=actor.name, updated_at=at))
                old, version = None, 1
            else:
                conn.execute(update(table).where(table.c.id == row.id).values(
                    value=new, version=table.c.version + 1, author=actor.name, updated_at=at))
                old, version = row.value, row.version + 1
            self._history(conn, workspace_id, actor, kind, _dump([code, name]), "save", old, new, version, at)
        return version

    def get_setting(self, workspace_id: int, kind: str, name: str, council: str | None = None,
                    default: Any = None) -> Any:
        code = _council_code(council) if council else ""
        table = m.settings
        with self._read() as conn:
            row = conn.execute(select(table.c.value).where(
                table.c.workspace_id == workspace_id, table.c.kind == kind, table.c.name == name,
                table.c.council == code)).first()
        return default if row is None else _load(row.value)

    def list_settings(self, workspace_id: int, kind: str) -> dict[tuple[str, str], Any]:
        """All values of one kind: ``{(council or "", name): value}``."""
        table = m.settings
        with self._read() as conn:
            rows = conn.execute(select(table.c.council, table.c.name, table.c.value).where(
                table.c.workspace_id == workspace_id, table.c.kind == kind)).all()
        return {(r.council, r.name): _load(r.value) for r in rows}

    def save_weights(self, actor: Actor, workspace_id: int, name: str, weights: dict[str, float]) -> None:
        """Save a named set of criteria weights for scenario comparison (secretariat only)."""
        self.save_setting(actor, workspace_id, "weights", name,
                          {str(k): float(v) for k, v in weights.items()})

    def get_weights(self, workspace_id: int, name: str) -> dict[str, float]:
        """The named weights, or an empty dict when none were saved."""
        return dict(self.get_setting(workspace_id, "weights", name, default={}))

    # ---------------------------------------------------------------- history
    def history(self, workspace_id: int, limit: int = 200, entity: str | None = None) -> list[HistoryEntry]:
        """The newest ``limit`` changes in the workspace (all kinds unless ``entity``)."""
        table = m.history
        query = select(table).where(table.c.workspace_id == workspace_id)
        if entity is not None:
            query = query.where(table.c.entity == entity)
        with self._read() as conn:
            rows = conn.execute(query.order_by(table.c.id.desc()).limit(limit)).all()
        return [self._entry(r) for r in rows]

    def participants(self, workspace_id: int) -> list[tuple[str, int, datetime]]:
        """Everyone who changed something in the workspace: ``(name, changes, last change)``,
        most recent first (taken from the history, so nobody is ever lost from it)."""
        table = m.history
        with self._read() as conn:
            rows = conn.execute(select(table.c.author, func.count(), func.max(table.c.at))
                                .where(table.c.workspace_id == workspace_id)
                                .group_by(table.c.author)).all()
        found = [(author, int(count), _aware(last)) for author, count, last in rows]
        return sorted(found, key=lambda row: row[2], reverse=True)

    # ------------------------------------------------------------ access codes
    def set_access_code(self, actor: Actor, workspace_id: int, role: str, code: str,
                        council: str | None = None) -> None:
        """Set (or replace) the access code for a role, and for role council per council.

        Only a salted scrypt hash is stored. Secretariat only.
        """
        self._require_secretariat(actor, "set access codes")
        if role not in ROLES:
            raise StoreError(f"unknown role: {role!r}")
        council_code = _council_code(council) if role == "council" and council else ""
        if role == "council" and not council_code:
            raise StoreError("a council access code needs a council")
        code = code.strip()
        if len(code) < auth.MIN_CODE_LENGTH:
            raise StoreError(f"an access code needs at least {auth.MIN_CODE_LENGTH} characters")
        salt, digest = auth.hash_code(code)
        at = _now()
        table = m.access_codes
        with self._write() as conn:
            ws = self._get_workspace(conn, workspace_id)
            if council_code:
                self._require_member(conn, ws.id, council_code)
            others = conn.execute(select(table).where(table.c.workspace_id == ws.id)).all()
            for other in others:
                same_slot = other.role == role and other.council == council_code
                if not same_slot and auth.check_code(code, other.salt, other.code_hash):
                    raise StoreError("this code is already used for another role; choose another")
            conn.execute(delete(table).where(table.c.workspace_id == ws.id, table.c.role == role,
                                             table.c.council == council_code))
            conn.execute(insert(table).values(workspace_id=ws.id, role=role, council=council_code,
                                              salt=salt, code_hash=digest, created_at=at, author=actor.name))
            self._history(conn, ws.id, actor, "access_code", _dump([role, council_code]), "set",
                          None, None, None, at)

    def remove_access_code(self, actor: Actor, workspace_id: int, role: str, council: str | None = None) -> None:
        self._require_secretariat(actor, "remove access codes")
        council_code = _council_code(council) if council else ""
        table = m.access_codes
        with self._write() as conn:
            gone = conn.execute(delete(table).where(
                table.c.workspace_id == workspace_id, table.c.role == role,
                table.c.council == council_code)).rowcount
            if gone:
                self._history(conn, workspace_id, actor, "access_code", _dump([role, council_code]),
                              "remove", None, None, None, _now())

    def list_access_codes(self, workspace_id: int) -> list[AccessCodeInfo]:
        table = m.access_codes
        with self._read() as conn:
            rows = conn.execute(select(table.c.role, table.c.council, table.c.created_at, table.c.author)
                                .where(table.c.workspace_id == workspace_id)
                                .order_by(table.c.role, table.c.council)).all()
        return [AccessCodeInfo(r.role, r.council or None, _aware(r.created_at), r.author) for r in rows]

    def login(self, workspace_id: int | str, code: str, client: str = "", name: str | None = None) -> Actor:
        """The actor an access code stands for; failed attempts are limited per role,
        per client and per workspace (see :mod:`kommunestrategi.store.limiter`).

        Raises :class:`TooManyAttempts` while the limit holds, :class:`InvalidAccessCode`
        for a wrong code.
        """
        from kommunestrategi.store import limiter

        return limiter.login(self, workspace_id, code, client, name)

    def requires_login(self, workspace_id: int) -> bool:
        """Whether the workspace is locked (not open access)."""
        return not self.get_workspace(workspace_id).open_access

    # ----------------------------------------------------- export and import
    def export_workspace(self, workspace_id: int) -> bytes:
        """The whole workspace as one zip file (see :mod:`kommunestrategi.store.archive`)."""
        from kommunestrategi.store import archive

        return archive.export_workspace(self, workspace_id)

    def import_workspace(self, actor: Actor, data: bytes, name: str | None = None) -> Workspace:
        """Recreate a workspace from an export file, under its own name or ``name`` (secretariat)."""
        self._require_secretariat(actor, "import workspaces")
        from kommunestrategi.store import archive

        return archive.import_workspace(self, data, name)
