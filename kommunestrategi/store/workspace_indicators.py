"""A workspace's own indicators in the store (table ``workspace_indicators``).

Each save or removal is one transaction that writes the change and a history row
(entity ``indicator``, key the indicator id, old and new definition, version),
committed before the function returns. Only the secretariat may add, change or
remove them. What a definition
means (and its validation) is :mod:`kommunestrategi.indicators.workspace`'s concern;
here it is a JSON object keyed by its indicator id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from kommunestrategi.store.tables_workspace_indicators import workspace_indicators as table

if TYPE_CHECKING:
    from kommunestrategi.store.core import Store
    from kommunestrategi.store.types import Actor

ENTITY = "indicator"


@dataclass(frozen=True)
class StoredIndicator:
    indicator_id: str
    data: dict
    version: int
    author: str
    updated_at: datetime


def _stored(row: Any) -> StoredIndicator:
    from kommunestrategi.store.core import _aware, _load

    return StoredIndicator(row.indicator_id, _load(row.data), row.version, row.author, _aware(row.updated_at))


def list_indicators(store: Store, workspace_id: int) -> list[StoredIndicator]:
    """Every indicator the workspace added, in the order they were first saved.

    Asked on every page run (the indicator data depends on it), so answered from the
    store's read cache until the database changes; the definitions are not to be changed.
    """
    def query() -> tuple[StoredIndicator, ...]:
        with store._read() as conn:
            rows = conn.execute(select(table).where(table.c.workspace_id == workspace_id)
                                .order_by(table.c.id)).all()
        return tuple(_stored(r) for r in rows)

    return list(store.read_cache.get(("workspace_indicators", workspace_id), query))


def _own_row(store: Store, conn: Any, workspace_id: int, indicator_id: str) -> Any:
    """The stored row of ``indicator_id`` in the workspace (None if it has none); an unknown
    workspace raises."""
    store._get_workspace(conn, workspace_id)
    return conn.execute(select(table).where(table.c.workspace_id == workspace_id,
                                            table.c.indicator_id == indicator_id)).first()


def save_indicator(store: Store, actor: Actor, workspace_id: int, indicator_id: str, data: dict) -> StoredIndicator:
    """Add or replace the workspace's definition of ``indicator_id`` (secretariat only)."""
    from kommunestrategi.store.core import _dump, _now

    store._require_secretariat(actor, "define indicators")
    value = {**data, "id": indicator_id}
    new = _dump(value)
    at = _now()
    with store._write() as conn:
        row = _own_row(store, conn, workspace_id, indicator_id)
        if row is None:
            version, old, action = 1, None, "create"
            conn.execute(insert(table).values(workspace_id=workspace_id, indicator_id=indicator_id, data=new,
                                              version=1, author=actor.name, updated_at=at))
        else:
            version, old, action = row.version + 1, row.data, "update"
            conn.execute(update(table).where(table.c.id == row.id).values(
                data=new, version=version, author=actor.name, updated_at=at))
        store._history(conn, workspace_id, actor, ENTITY, indicator_id, action, old, new, version, at)
    return StoredIndicator(indicator_id, value, version, actor.name, at)


def remove_indicator(store: Store, actor: Actor, workspace_id: int, indicator_id: str) -> StoredIndicator:
    """Remove the workspace's definition of ``indicator_id`` (secretariat only).

    The history keeps the last definition (old value) with the next version number, so
    what was removed can be read back and defined again. Returns what was removed.
    """
    from kommunestrategi.store.core import _load, _now
    from kommunestrategi.store.types import StoreError

    store._require_secretariat(actor, "remove indicators")
    at = _now()
    with store._write() as conn:
        row = _own_row(store, conn, workspace_id, indicator_id)
        if row is None:
            raise StoreError(f"the workspace has no indicator {indicator_id!r} of its own")
        conn.execute(delete(table).where(table.c.id == row.id))
        store._history(conn, workspace_id, actor, ENTITY, indicator_id, "delete", row.data, None, row.version + 1, at)
    return StoredIndicator(indicator_id, _load(row.data), row.version + 1, actor.name, at)


def archive_rows(conn: Any, workspace_id: int) -> dict[str, list[dict[str, Any]]]:
    """The workspace's own indicators for the workspace export (``indicators``)."""
    from kommunestrategi.store.archive import _time
    from kommunestrategi.store.core import _load

    rows = conn.execute(select(table).where(table.c.workspace_id == workspace_id)
                        .order_by(table.c.indicator_id)).all()
    return {"indicators": [{"indicator_id": r.indicator_id, "data": _load(r.data), "version": r.version,
                            "author": r.author, "updated_at": _time(r.updated_at)} for r in rows]}


def restore_rows(conn: Any, workspace_id: int, document: dict[str, Any]) -> None:
    """Recreate what :func:`archive_rows` wrote (older exports have none)."""
    from kommunestrategi.store.archive import _parse_time
    from kommunestrategi.store.core import _dump

    for x in document.get("indicators", []):
        conn.execute(insert(table).values(
            workspace_id=workspace_id, indicator_id=x["indicator_id"], data=_dump(x["data"]),
            version=int(x["version"]), author=x["author"], updated_at=_parse_time(x["updated_at"])))
