"""Dataset versions in the store: every import kept immutable, one active per kind.

A mixin of :class:`kommunestrategi.store.core.Store` (split from it by concern); it
uses the store's transactions, role checks and history.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import insert, select, update

from kommunestrategi.store import core as _core  # the store's helpers (core imports this module)
from kommunestrategi.store import frames
from kommunestrategi.store import models as m
from kommunestrategi.store.types import Actor, DatasetVersion, StoreError


class DatasetVersionsMixin:
    """Add, list, activate and read dataset versions (see ``Store``)."""

    @staticmethod
    def _dataset(row: Any) -> DatasetVersion:
        return DatasetVersion(row.id, row.workspace_id, row.kind, row.file_name, row.sha256,
                              _core._load(row.counts), _core._load(row.report), _core._aware(row.created_at), row.author,
                              bool(row.active))

    def add_dataset_version(self, actor: Actor, workspace_id: int, kind: str, file_name: str, sha256: str,
                            counts: dict, report: list[dict], tables: dict[str, pd.DataFrame]) -> DatasetVersion:
        """Store an imported dataset (immutable) and make it the active one of its kind."""
        self._require_secretariat(actor, "import data")
        if kind not in _core.DATASET_KINDS:
            raise StoreError(f"unknown dataset kind: {kind!r}")
        blobs = {str(name): frames.frame_to_bytes(frame) for name, frame in tables.items()}
        return self._insert_dataset(actor, workspace_id, kind, file_name, sha256, counts, report, blobs)

    def _insert_dataset(self, actor: Actor, workspace_id: int, kind: str, file_name: str, sha256: str,
                        counts: dict, report: list[dict], blobs: dict[str, bytes]) -> DatasetVersion:
        at = _core._now()
        table = m.dataset_versions
        with self._write() as conn:
            self._get_workspace(conn, workspace_id)
            conn.execute(update(table).where(table.c.workspace_id == workspace_id, table.c.kind == kind)
                         .values(active=False))
            version_id = conn.execute(insert(table).values(
                workspace_id=workspace_id, kind=kind, file_name=file_name, sha256=sha256,
                counts=_core._dump(counts), report=_core._dump(report), created_at=at, author=actor.name,
                active=True)).inserted_primary_key[0]
            for name, blob in sorted(blobs.items()):
                conn.execute(insert(m.dataset_tables).values(version_id=version_id, name=name, data=blob))
            self._history(conn, workspace_id, actor, "dataset", kind, "add", None,
                          _core._dump({"file_name": file_name, "sha256": sha256}), None, at)
            row = conn.execute(select(table).where(table.c.id == version_id)).one()
        return self._dataset(row)

    def list_dataset_versions(self, workspace_id: int, kind: str | None = None) -> list[DatasetVersion]:
        """Dataset versions of the workspace, newest first."""
        table = m.dataset_versions
        query = select(table).where(table.c.workspace_id == workspace_id)
        if kind is not None:
            query = query.where(table.c.kind == kind)
        with self._read() as conn:
            rows = conn.execute(query.order_by(table.c.id.desc())).all()
        return [self._dataset(r) for r in rows]

    def activate_dataset_version(self, actor: Actor, workspace_id: int, version_id: int) -> DatasetVersion:
        """Make an earlier (or later) version the active one of its kind (secretariat only)."""
        self._require_secretariat(actor, "change the active data")
        table = m.dataset_versions
        with self._write() as conn:
            row = conn.execute(select(table).where(table.c.id == version_id,
                                                   table.c.workspace_id == workspace_id)).first()
            if row is None:
                raise StoreError(f"no dataset version {version_id} in this workspace")
            if not row.active:
                previous = conn.execute(select(table.c.sha256).where(
                    table.c.workspace_id == workspace_id, table.c.kind == row.kind, table.c.active)).first()
                conn.execute(update(table).where(table.c.workspace_id == workspace_id,
                                                 table.c.kind == row.kind).values(active=False))
                conn.execute(update(table).where(table.c.id == version_id).values(active=True))
                self._history(conn, workspace_id, actor, "dataset", row.kind, "activate",
                              _core._dump({"sha256": previous.sha256}) if previous else None,
                              _core._dump({"file_name": row.file_name, "sha256": row.sha256}), None, _core._now())
            row = conn.execute(select(table).where(table.c.id == version_id)).one()
        return self._dataset(row)

    def active_dataset_version(self, workspace_id: int, kind: str) -> DatasetVersion | None:
        table = m.dataset_versions

        def query() -> DatasetVersion | None:
            with self._read() as conn:
                row = conn.execute(select(table).where(table.c.workspace_id == workspace_id,
                                                       table.c.kind == kind, table.c.active)
                                   .order_by(table.c.id.desc())).first()
            return None if row is None else self._dataset(row)

        return self.read_cache.get(("active_dataset", workspace_id, kind), query)

    def dataset_table_names(self, version_id: int) -> list[str]:
        table = m.dataset_tables
        with self._read() as conn:
            return list(conn.execute(select(table.c.name).where(table.c.version_id == version_id)
                                     .order_by(table.c.name)).scalars())

    def dataset_table(self, version_id: int, table: str) -> pd.DataFrame:
        """A stored table of a dataset version, with the column types it was stored with."""
        t = m.dataset_tables
        with self._read() as conn:
            data = conn.execute(select(t.c.data).where(t.c.version_id == version_id, t.c.name == table)).scalar()
        if data is None:
            raise StoreError(f"dataset version {version_id} has no table {table!r}")
        return frames.frame_from_bytes(bytes(data))

