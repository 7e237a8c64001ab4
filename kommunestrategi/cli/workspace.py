"""``workspace`` and ``answers``: list, export, import and lock workspaces; dump stored answers.

All commands use the store at ``KOMMUNESTRATEGI_DATABASE_URL`` (default: the SQLite
file in the data folder) and act as the ``system`` secretariat actor.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from pathlib import Path

from kommunestrategi.cli import CommandError
from kommunestrategi.store import ROLES, SYSTEM, Store, StoreError, UnknownWorkspace, Workspace


def _store() -> Store:
    return Store.open()


def _workspace(store: Store, name: str) -> Workspace:
    try:
        return store.get_workspace(name)
    except UnknownWorkspace:
        known = ", ".join(w.name for w in store.list_workspaces()) or "none"
        raise CommandError(f"unknown workspace: {name} (known: {known})", 1) from None


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_list(args: argparse.Namespace) -> int:
    store = _store()
    store.ensure_demo_workspace()
    rows = []
    for ws in store.list_workspaces():
        rows.append({
            "id": ws.id, "name": ws.name, "created_at": ws.created_at.isoformat(),
            "open_access": ws.open_access, "country": ws.country,
            "councils": [c.kommunenummer for c in store.list_councils(ws.id)],
            "answers": len(store.get_answers(ws.id)),
        })
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        access = "open" if row["open_access"] else "locked"
        print(f"{row['name']}\t{access}\t{len(row['councils'])} councils\t{row['answers']} answers")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    store = _store()
    ws = _workspace(store, args.name)
    data = store.export_workspace(ws.id)
    try:
        Path(args.out).write_bytes(data)
    except OSError as exc:
        raise CommandError(f"cannot write {args.out}: {exc.strerror}", 2) from None
    print(f"exported {ws.name} to {args.out} ({len(data)} bytes)")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror}", 2) from None
    store = _store()
    try:
        ws = store.import_workspace(SYSTEM, data, name=args.name)
    except StoreError as exc:
        raise CommandError(str(exc), 1) from None
    print(f"imported {ws.name} (id {ws.id})")
    return 0


def cmd_create(args: argparse.Namespace) -> int:
    store = _store()
    try:
        ws = store.create_workspace(SYSTEM, args.name, args.council or [], open_access=args.open,
                                    country=args.country)
    except StoreError as exc:
        raise CommandError(str(exc), 1) from None
    print(f"created {ws.name} (id {ws.id}, {'open' if ws.open_access else 'locked'}, {ws.country})")
    return 0


def cmd_set_code(args: argparse.Namespace) -> int:
    store = _store()
    ws = _workspace(store, args.name)
    code = args.code if args.code is not None else (
        getpass.getpass("access code: ") if sys.stdin.isatty() else sys.stdin.readline())
    try:
        store.set_access_code(SYSTEM, ws.id, args.role, code.strip(), council=args.council)
    except StoreError as exc:
        raise CommandError(str(exc), 1) from None
    who = f"council {args.council}" if args.role == "council" else args.role
    print(f"access code for {who} in {ws.name} set")
    return 0


def cmd_access(args: argparse.Namespace) -> int:
    store = _store()
    ws = _workspace(store, args.name)
    store.set_open_access(SYSTEM, ws.id, args.open_access)
    if not args.open_access and not any(c.role == "secretariat" for c in store.list_access_codes(ws.id)):
        print("warning: no secretariat access code is set; set one with `workspace set-code`",
              file=sys.stderr)
    print(f"{ws.name} is now {'open' if args.open_access else 'locked'}")
    return 0


def cmd_answers(args: argparse.Namespace) -> int:
    store = _store()
    ws = _workspace(store, args.workspace)
    try:
        answers = store.get_answers(ws.id, args.council)
    except StoreError as exc:
        raise CommandError(str(exc), 1) from None
    rows = [{
        "workspace": ws.name, "council": a.council, "service_area": a.service_area,
        "criterion": a.criterion, "field": a.field, "value": a.value, "version": a.version,
        "author": a.author, "updated_at": a.updated_at.isoformat(),
    } for a in answers]
    if args.json:
        _print_json(rows)
        return 0
    for row in rows:
        print("\t".join(str(row[k]) for k in ("council", "service_area", "criterion", "field", "version",
                                              "author", "updated_at"))
              + "\t" + json.dumps(row["value"], ensure_ascii=False))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    workspace = subparsers.add_parser("workspace", help="list, export, import and lock workspaces")
    commands = workspace.add_subparsers(dest="workspace_command", required=True)

    listing = commands.add_parser("list", help="all workspaces")
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=cmd_list)

    export = commands.add_parser("export", help="the whole workspace as one zip file")
    export.add_argument("name", help="workspace name or id")
    export.add_argument("--out", required=True, help="file to write")
    export.set_defaults(func=cmd_export)

    imp = commands.add_parser("import", help="recreate a workspace from an export file")
    imp.add_argument("file")
    imp.add_argument("--name", help="import under this name instead of the one in the file")
    imp.set_defaults(func=cmd_import)

    create = commands.add_parser("create", help="a new workspace")
    create.add_argument("name")
    create.add_argument("--council", action="append", metavar="CODE", help="member council (repeat)")
    create.add_argument("--open", action="store_true", help="open access (no codes needed)")
    create.add_argument("--country", default="NO", type=str.upper, choices=("NO", "SE"),
                        help="the country of the municipalities: NO (default) or SE")
    create.set_defaults(func=cmd_create)

    code = commands.add_parser("set-code", help="set the access code of a role (read from stdin if no --code)")
    code.add_argument("name", help="workspace name or id")
    code.add_argument("--role", required=True, choices=ROLES)
    code.add_argument("--council", metavar="CODE", help="the council, for --role council")
    code.add_argument("--code", help="the access code (at least 6 characters)")
    code.set_defaults(func=cmd_set_code)

    lock = commands.add_parser("lock", help="require access codes")
    lock.add_argument("name")
    lock.set_defaults(func=cmd_access, open_access=False)
    unlock = commands.add_parser("unlock", help="open access: everyone edits as secretariat")
    unlock.add_argument("name")
    unlock.set_defaults(func=cmd_access, open_access=True)

    answers = subparsers.add_parser("answers", help="every stored checklist answer of a workspace")
    answers.add_argument("--workspace", required=True, help="workspace name or id")
    answers.add_argument("--council", metavar="CODE", help="only this council")
    answers.add_argument("--json", action="store_true", help="print JSON")
    answers.set_defaults(func=cmd_answers)
