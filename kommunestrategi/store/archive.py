"""Whole-workspace export and import as one zip file.

The zip holds ``workspace.json`` (workspace, councils, answers with versions,
saved regions, settings and weights, dataset-version metadata, access-code
hashes and the full history) and ``datasets/<n>/<table>.json`` with the dataset
tables exactly as stored. The file carries no database ids, so exporting a
workspace, importing it into another database and exporting again gives the
same bytes.
"""

from __future__ import annotations

import io
import json
import zipfile
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from kommunestrategi.store import models as m
from kommunestrategi.store import tables_cooperation
from kommunestrategi.store.types import StoreError, Workspace

if TYPE_CHECKING:
    from kommunestrategi.store.core import Store

FORMAT = "kommunestrategi-workspace/1"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)


def _time(value: datetime) -> str:
    from kommunestrategi.store.core import _aware

    return _aware(value).isoformat()


def _parse_time(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _loads(text: str | None) -> Any:
    return None if text is None else json.loads(text)


def export_workspace(store: Store, workspace_id: int) -> bytes:
    """The zip bytes for one workspace (deterministic for the same content)."""
    blobs: dict[str, bytes] = {}
    with store._read() as conn:
        ws = store._get_workspace(conn, workspace_id)
        wid = ws.id

        def rows(table: Any, *order: Any) -> list[Any]:
            return conn.execute(select(table).where(table.c.workspace_id == wid).order_by(*order)).all()

        a, r, s, d, c, h = m.answers, m.regions, m.settings, m.dataset_versions, m.access_codes, m.history
        coop = tables_cooperation.cooperation_arrangements
        datasets = []
        for n, row in enumerate(rows(d, d.c.id)):
            tables = conn.execute(select(m.dataset_tables.c.name, m.dataset_tables.c.data)
                                  .where(m.dataset_tables.c.version_id == row.id)
                                  .order_by(m.dataset_tables.c.name)).all()
            for table in tables:
                blobs[f"datasets/{n}/{table.name}.json"] = bytes(table.data)
            datasets.append({
                "ref": n, "kind": row.kind, "file_name": row.file_name, "sha256": row.sha256,
                "counts": _loads(row.counts), "report": _loads(row.report),
                "created_at": _time(row.created_at), "author": row.author, "active": bool(row.active),
                "tables": [t.name for t in tables],
            })
        document = {
            "format": FORMAT,
            "schema_revision": store.head_revision(),
            "workspace": {"name": ws.name, "created_at": _time(ws.created_at), "open_access": ws.open_access,
                          "country": ws.country},
            "councils": [{"kommunenummer": x.kommunenummer, "name": x.name}
                         for x in rows(m.councils, m.councils.c.kommunenummer)],
            "answers": [{"council": x.council, "service_area": x.service_area, "criterion": x.criterion,
                         "field": x.field, "value": _loads(x.value), "version": x.version,
                         "author": x.author, "updated_at": _time(x.updated_at)}
                        for x in rows(a, a.c.council, a.c.service_area, a.c.criterion, a.c.field)],
            "regions": [{"name": x.name, "codes": _loads(x.codes), "author": x.author,
                         "updated_at": _time(x.updated_at)} for x in rows(r, r.c.name)],
            "settings": [{"kind": x.kind, "name": x.name, "council": x.council, "value": _loads(x.value),
                          "version": x.version, "author": x.author, "updated_at": _time(x.updated_at)}
                         for x in rows(s, s.c.kind, s.c.name, s.c.council)],
            "datasets": datasets,
            "access_codes": [{"role": x.role, "council": x.council, "salt": bytes(x.salt).hex(),
                              "code_hash": bytes(x.code_hash).hex(), "created_at": _time(x.created_at),
                              "author": x.author} for x in rows(c, c.c.role, c.c.council)],
            # the cooperation register's changes made in the app (edits keyed by the imported file's SHA-256)
            "cooperation": [{"dataset_sha256": x.dataset_sha256, "arrangement_id": x.arrangement_id,
                             "data": _loads(x.data), "version": x.version, "author": x.author,
                             "updated_at": _time(x.updated_at)}
                            for x in rows(coop, coop.c.dataset_sha256, coop.c.arrangement_id)],
            "history": [{"at": _time(x.at), "author": x.author, "entity": x.entity, "key": x.key,
                         "action": x.action, "old_value": x.old_value, "new_value": x.new_value,
                         "version": x.version} for x in rows(h, h.c.id)],
        }
        from kommunestrategi.store import scenarios as workshop
        from kommunestrategi.store import workspace_indicators

        document.update(workshop.archive_rows(conn, wid))
        document.update(workspace_indicators.archive_rows(conn, wid))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        files = {"workspace.json": json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True).encode()}
        files.update(blobs)
        for path in sorted(files, key=lambda p: (p != "workspace.json", p)):
            info = zipfile.ZipInfo(path, date_time=_ZIP_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[path])
    return buffer.getvalue()


def read_archive(data: bytes) -> tuple[dict, dict[str, bytes]]:
    """The workspace document and dataset files of an export; StoreError if it is not one
    (unpacked and checked within the limits of :mod:`kommunestrategi.store.archive_checks`)."""
    from kommunestrategi.store.archive_checks import read_archive_limited

    return read_archive_limited(data, FORMAT)


def import_workspace(store: Store, data: bytes, name: str | None = None) -> Workspace:
    """Create a new workspace from export bytes; the name must be free."""
    from kommunestrategi.store import names

    document, blobs = read_archive(data)
    try:
        meta = document["workspace"]
        ws_name = names.checked(name if name is not None else meta["name"])
        created_at = _parse_time(meta["created_at"])
        open_access = bool(meta["open_access"])
        country = str(meta.get("country") or "NO")
        with store._write() as conn:
            taken = conn.execute(select(m.workspaces.c.id).where(
                func.lower(m.workspaces.c.name) == ws_name.lower())).first()
            if taken:
                raise StoreError(f"a workspace named {ws_name!r} exists; import it under another name")
            wid = conn.execute(insert(m.workspaces).values(
                name=ws_name, created_at=created_at, open_access=open_access,
                country=country)).inserted_primary_key[0]
            for x in document["councils"]:
                conn.execute(insert(m.councils).values(workspace_id=wid, kommunenummer=x["kommunenummer"],
                                                       name=x["name"]))
            from kommunestrategi.store.core import _dump

            for x in document["answers"]:
                conn.execute(insert(m.answers).values(
                    workspace_id=wid, council=x["council"], service_area=x["service_area"],
                    criterion=x["criterion"], field=x["field"], value=_dump(x["value"]),
                    version=int(x["version"]), author=x["author"], updated_at=_parse_time(x["updated_at"])))
            for x in document["regions"]:
                conn.execute(insert(m.regions).values(
                    workspace_id=wid, name=x["name"], codes=_dump(x["codes"]), author=x["author"],
                    updated_at=_parse_time(x["updated_at"])))
            for x in document["settings"]:
                conn.execute(insert(m.settings).values(
                    workspace_id=wid, kind=x["kind"], name=x["name"], council=x["council"],
                    value=_dump(x["value"]), version=int(x["version"]), author=x["author"],
                    updated_at=_parse_time(x["updated_at"])))
            for x in document["datasets"]:
                vid = conn.execute(insert(m.dataset_versions).values(
                    workspace_id=wid, kind=x["kind"], file_name=x["file_name"], sha256=x["sha256"],
                    counts=_dump(x["counts"]), report=_dump(x["report"]),
                    created_at=_parse_time(x["created_at"]), author=x["author"],
                    active=bool(x["active"]))).inserted_primary_key[0]
                for table in x["tables"]:
                    path = f"datasets/{x['ref']}/{table}.json"
                    if path not in blobs:
                        raise StoreError(f"workspace export is missing {path}")
                    conn.execute(insert(m.dataset_tables).values(version_id=vid, name=table, data=blobs[path]))
            for x in document["access_codes"]:
                conn.execute(insert(m.access_codes).values(
                    workspace_id=wid, role=x["role"], council=x["council"], salt=bytes.fromhex(x["salt"]),
                    code_hash=bytes.fromhex(x["code_hash"]), created_at=_parse_time(x["created_at"]),
                    author=x["author"]))
            for x in document.get("cooperation", []):
                conn.execute(insert(tables_cooperation.cooperation_arrangements).values(
                    workspace_id=wid, dataset_sha256=x["dataset_sha256"], arrangement_id=x["arrangement_id"],
                    data=_dump(x["data"]), version=int(x["version"]), author=x["author"],
                    updated_at=_parse_time(x["updated_at"])))
            for x in document["history"]:
                conn.execute(insert(m.history).values(
                    workspace_id=wid, at=_parse_time(x["at"]), author=x["author"], entity=x["entity"],
                    key=x["key"], action=x["action"], old_value=x["old_value"], new_value=x["new_value"],
                    version=x["version"]))
            from kommunestrategi.store import scenarios as workshop
            from kommunestrategi.store import workspace_indicators

            workshop.restore_rows(conn, wid, document)
            workspace_indicators.restore_rows(conn, wid, document)
    except (KeyError, TypeError, ValueError, OverflowError) as exc:
        reason = str(exc).splitlines()[0][:120] if str(exc) else ""
        raise StoreError(f"the workspace export is damaged: {type(exc).__name__} {reason}".strip()) from None
    except SQLAlchemyError as exc:
        # never the SQL text: one line naming the kind of conflict
        kind = "conflicting records" if isinstance(exc, IntegrityError) else "a value the database refuses"
        raise StoreError(f"the workspace export is damaged: it holds {kind}") from None
    return store.get_workspace(wid)
