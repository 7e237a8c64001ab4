"""The secretariat's changes to the cooperation register: add, edit and end arrangements.

Each change is one transaction that writes the arrangement (table
``cooperation_arrangements``) and a history row (entity ``cooperation``, key
``[dataset_sha256, arrangement_id]``, old and new value), committed before the
function returns. Saves name the version the editor started from; a save against
a changed arrangement raises :class:`ConflictError` and writes nothing. Only the
secretariat may change the register.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from kommunestrategi.store.tables_cooperation import cooperation_arrangements as table
from kommunestrategi.store.types import Actor, ConflictError, HistoryEntry, StoreError

if TYPE_CHECKING:
    from kommunestrategi.store.core import Store

ENTITY = "cooperation"
APP_PREFIX = "app-"


@dataclass(frozen=True)
class StoredArrangement:
    """One saved arrangement: the data (a dict of the register's fields) and its version."""

    dataset_sha256: str
    arrangement_id: str
    data: dict
    version: int
    author: str
    updated_at: datetime


def _key(dataset_sha256: str, arrangement_id: str) -> str:
    return json.dumps([dataset_sha256, arrangement_id], ensure_ascii=False, separators=(",", ":"))


def _stored(row: Any) -> StoredArrangement:
    from kommunestrategi.store.core import _aware, _load

    return StoredArrangement(row.dataset_sha256, row.arrangement_id, _load(row.data), row.version, row.author,
                             _aware(row.updated_at))


def list_arrangements(store: Store, workspace_id: int) -> list[StoredArrangement]:
    """Every saved arrangement of the workspace (added ones and edits of imported ones)."""
    with store._read() as conn:
        rows = conn.execute(select(table).where(table.c.workspace_id == workspace_id)
                            .order_by(table.c.id)).all()
    return [_stored(r) for r in rows]


def get_arrangement(store: Store, workspace_id: int, dataset_sha256: str,
                    arrangement_id: str) -> StoredArrangement | None:
    with store._read() as conn:
        row = conn.execute(select(table).where(
            table.c.workspace_id == workspace_id, table.c.dataset_sha256 == dataset_sha256,
            table.c.arrangement_id == arrangement_id)).first()
    return None if row is None else _stored(row)


def _next_app_id(conn: Any, workspace_id: int) -> str:
    ids = conn.execute(select(table.c.arrangement_id).where(
        table.c.workspace_id == workspace_id, table.c.dataset_sha256 == "")).scalars()
    numbers = [int(i[len(APP_PREFIX):]) for i in ids if i.startswith(APP_PREFIX) and i[len(APP_PREFIX):].isdigit()]
    return f"{APP_PREFIX}{max(numbers, default=0) + 1}"


def add_arrangement(store: Store, actor: Actor, workspace_id: int, data: dict) -> StoredArrangement:
    """A new arrangement added in the app (id ``app-<n>``), version 1."""
    from kommunestrategi.store.core import _dump, _now

    store._require_secretariat(actor, "add arrangements")
    at = _now()
    for _attempt in range(5):
        try:
            with store._write() as conn:
                store._get_workspace(conn, workspace_id)
                arrangement_id = _next_app_id(conn, workspace_id)
                value = {**data, "id": arrangement_id}
                new = _dump(value)
                conn.execute(insert(table).values(
                    workspace_id=workspace_id, dataset_sha256="", arrangement_id=arrangement_id, data=new,
                    version=1, author=actor.name, updated_at=at))
                store._history(conn, workspace_id, actor, ENTITY, _key("", arrangement_id), "create", None, new,
                               1, at)
            return StoredArrangement("", arrangement_id, value, 1, actor.name, at)
        except IntegrityError:
            continue  # another process took the same number at the same moment
    raise StoreError("could not add the arrangement; try again")


def save_arrangement(store: Store, actor: Actor, workspace_id: int, dataset_sha256: str, arrangement_id: str,
                     data: dict, expected_version: int, *, action: str = "update",
                     imported: dict | None = None) -> StoredArrangement:
    """Save an arrangement (an edit of an imported one, or of one added in the app).

    ``expected_version`` is the version the editor started from (0 for an imported
    arrangement never edited). Raises :class:`ConflictError` when it changed since.
    ``imported``: the arrangement as imported, the history's "before" of its first edit.
    """
    from kommunestrategi.store.core import _dump, _load, _now

    store._require_secretariat(actor, "change arrangements")
    value = {**data, "id": arrangement_id}
    new = _dump(value)
    at = _now()
    key = _key(dataset_sha256, arrangement_id)
    try:
        with store._write() as conn:
            store._get_workspace(conn, workspace_id)
            row = conn.execute(select(table).where(
                table.c.workspace_id == workspace_id, table.c.dataset_sha256 == dataset_sha256,
                table.c.arrangement_id == arrangement_id)).first()
            if row is not None and row.data == new:
                return _stored(row)
            if row is None:
                if expected_version != 0 or not dataset_sha256:
                    raise ConflictError(None, value)
                conn.execute(insert(table).values(
                    workspace_id=workspace_id, dataset_sha256=dataset_sha256, arrangement_id=arrangement_id,
                    data=new, version=1, author=actor.name, updated_at=at))
                old, version = (None if imported is None else _dump({**imported, "id": arrangement_id})), 1
            else:
                if row.version != expected_version:
                    raise ConflictError(_load(row.data), value)
                done = conn.execute(update(table).where(table.c.id == row.id, table.c.version == expected_version)
                                    .values(data=new, version=expected_version + 1, author=actor.name,
                                            updated_at=at)).rowcount
                if done != 1:
                    raise ConflictError(None, value)
                old, version = row.data, expected_version + 1
            store._history(conn, workspace_id, actor, ENTITY, key, action, old, new, version, at)
    except IntegrityError:
        raise ConflictError(None, value) from None
    return StoredArrangement(dataset_sha256, arrangement_id, value, version, actor.name, at)


def arrangement_history(store: Store, workspace_id: int, dataset_sha256: str,
                        arrangement_id: str) -> list[HistoryEntry]:
    """Every change of one arrangement, newest first."""
    from kommunestrategi.store import models as m

    key = _key(dataset_sha256, arrangement_id)
    with store._read() as conn:
        rows = conn.execute(select(m.history).where(
            m.history.c.workspace_id == workspace_id, m.history.c.entity == ENTITY, m.history.c.key == key)
            .order_by(m.history.c.id.desc())).all()
    return [store._entry(r) for r in rows]
