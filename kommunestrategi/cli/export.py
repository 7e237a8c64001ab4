"""``export``: strategy summaries of a workspace's councils as DOCX, PDF or XLSX files."""

from __future__ import annotations

import argparse
from pathlib import Path

from kommunestrategi.cli import CommandError
from kommunestrategi.i18n import LANGUAGES


def cmd_export(args: argparse.Namespace) -> int:
    from kommunestrategi.export import FORMATS
    from kommunestrategi.export.batch import workspace_files, workspace_zip
    from kommunestrategi.export.collect import UnknownCouncil, resolve_council
    from kommunestrategi.store import Store, UnknownWorkspace

    if args.format not in FORMATS:
        raise CommandError(f"unknown format: {args.format}", 2)
    store = Store.open()
    try:
        workspace = store.get_workspace(args.workspace)
    except UnknownWorkspace:
        raise CommandError(f"unknown workspace: {args.workspace}") from None
    if args.council:
        try:
            codes = [resolve_council(store, workspace.id, args.council)[0]]
        except UnknownCouncil:
            raise CommandError(f"unknown council in workspace {workspace.name}: {args.council}") from None
    else:
        codes = [c.kommunenummer for c in store.list_councils(workspace.id)]
        if not codes:
            raise CommandError(f"workspace {workspace.name} has no councils")
    out = Path(args.out)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CommandError(f"cannot create output folder {out}: {exc.strerror}", 2) from None

    written: list[Path] = []
    if args.zip:
        path = out / f"{_safe_name(workspace.name)}_{args.format}.zip"
        path.write_bytes(workspace_zip(store, workspace, [args.format], args.lang, councils=codes))
        written.append(path)
    else:
        for _name, files in workspace_files(store, workspace, [args.format], args.lang, councils=codes):
            for name, content in files.items():
                path = out / name
                path.write_bytes(content)
                written.append(path)
    for path in written:
        print(path)
    return 0


def _safe_name(name: str) -> str:
    return "".join(ch if ch.isalnum() or ch in "-_" else "_" for ch in name).strip("_") or "workspace"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("export", help="strategy summaries as DOCX, PDF or XLSX files")
    parser.add_argument("--workspace", required=True, metavar="NAME", help="workspace name or id")
    parser.add_argument("--council", metavar="CODE", help="one member council (number or name); default all")
    parser.add_argument("--format", required=True, choices=("docx", "pdf", "xlsx"))
    parser.add_argument("--out", required=True, metavar="DIR", help="output folder (created when missing)")
    parser.add_argument("--lang", default="nb", choices=LANGUAGES, help="language of the documents (default nb)")
    parser.add_argument("--zip", action="store_true", help="write one zip with all files instead")
    parser.set_defaults(func=cmd_export)
