"""The register of a workspace: the active imported arrangements with the app's changes.

``register_for(store, workspace_id)`` reads the active ``arrangements`` dataset
version and applies what the secretariat saved in the app (edits of imported
arrangements, keyed by the imported file's SHA-256, and arrangements added in the
app). ``add``, ``save`` and ``end`` write through :mod:`kommunestrategi.store.cooperation`,
so every change is in the history.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from kommunestrategi.cooperation.model import Arrangement, Register, from_dict, from_tables
from kommunestrategi.store import cooperation as stored
from kommunestrategi.store.types import Actor, HistoryEntry

#: Imported arrangements by (database URL, dataset version id): versions never change.
_IMPORTED: dict[tuple[str, int], list[Arrangement]] = {}


def _imported(store: Any, version: Any) -> list[Arrangement]:
    key = (str(store.url), int(version.id))
    if key not in _IMPORTED:
        names = set(store.dataset_table_names(version.id))
        arrangements = store.dataset_table(version.id, "arrangements") if "arrangements" in names else None
        members = store.dataset_table(version.id, "arrangement_members") if "arrangement_members" in names else None
        if len(_IMPORTED) >= 8:
            _IMPORTED.pop(next(iter(_IMPORTED)))
        _IMPORTED[key] = from_tables(arrangements, members)
    return _IMPORTED[key]


def register_for(store: Any, workspace_id: int) -> Register:
    """Every arrangement of the workspace, ended ones included (``.active()`` leaves them out)."""
    version = store.active_dataset_version(workspace_id, "arrangements")
    sha = version.sha256 if version is not None else ""
    saved = stored.list_arrangements(store, workspace_id)
    edits = {(s.dataset_sha256, s.arrangement_id): s for s in saved}
    result: list[Arrangement] = []
    if version is not None:
        for a in _imported(store, version):
            edit = edits.get((sha, a.id))
            if edit is None:
                result.append(a)
            else:
                result.append(from_dict(edit.data, id=a.id, source="import", version=edit.version,
                                        source_row=a.source_row))
    for s in saved:
        if not s.dataset_sha256:
            result.append(from_dict(s.data, id=s.arrangement_id, source="app", version=s.version))
    label = f"{version.file_name} (#{version.id})" if version is not None else ""
    return Register.of(result, label, version.id if version is not None else None)


def _sha(store: Any, workspace_id: int, arrangement: Arrangement) -> str:
    if arrangement.source == "app":
        return ""
    version = store.active_dataset_version(workspace_id, "arrangements")
    return version.sha256 if version is not None else ""


def add(store: Any, actor: Actor, workspace_id: int, arrangement: Arrangement) -> Arrangement:
    """Add an arrangement in the app; returns it with its new id (``app-<n>``) and version 1."""
    data = arrangement.editable()
    saved = stored.add_arrangement(store, actor, workspace_id, data)
    return from_dict(saved.data, id=saved.arrangement_id, source="app", version=saved.version)


def save(store: Any, actor: Actor, workspace_id: int, arrangement: Arrangement, *,
         action: str = "update") -> Arrangement:
    """Save an edited arrangement; ``arrangement.version`` is the version the edit started from.

    Raises ``ConflictError`` when someone saved it since.
    """
    imported = None
    if arrangement.source == "import" and arrangement.version == 0:
        version = store.active_dataset_version(workspace_id, "arrangements")
        original = next((a for a in _imported(store, version) if a.id == arrangement.id), None) if version else None
        imported = original.editable() if original is not None else None
    saved = stored.save_arrangement(store, actor, workspace_id, _sha(store, workspace_id, arrangement),
                                    arrangement.id, arrangement.editable(), arrangement.version, action=action,
                                    imported=imported)
    return from_dict(saved.data, id=arrangement.id, source=arrangement.source, version=saved.version,
                     source_row=arrangement.source_row)


def end(store: Any, actor: Actor, workspace_id: int, arrangement: Arrangement,
        on: dt.date | None = None) -> Arrangement:
    """End an arrangement on a date (default today); it stays in the register and its history."""
    ended = arrangement.with_changes(ended=(on or dt.date.today()).isoformat())
    return save(store, actor, workspace_id, ended, action="end")


def reopen(store: Any, actor: Actor, workspace_id: int, arrangement: Arrangement) -> Arrangement:
    """Undo an ending (a new change in the history)."""
    return save(store, actor, workspace_id, arrangement.with_changes(ended=""), action="reopen")


def history(store: Any, workspace_id: int, arrangement: Arrangement) -> list[HistoryEntry]:
    """Every change of one arrangement, newest first."""
    return stored.arrangement_history(store, workspace_id, _sha(store, workspace_id, arrangement), arrangement.id)
