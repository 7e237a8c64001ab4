"""``validate`` and ``import``: check a data file, and import a valid one as a dataset version."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kommunestrategi.cli import CommandError
from kommunestrategi.i18n import LANGUAGES, t
from kommunestrategi.io.correspondence import read_correspondence
from kommunestrategi.io.importer import KINDS, validate_file
from kommunestrategi.io.report import ImportResult
from kommunestrategi.io.validation import INDICATOR_KINDS, ImportChoices


def _read(path_text: str) -> bytes:
    path = Path(path_text)
    try:
        return path.read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path_text}: {exc.strerror or exc}", 2) from None


def _correspondence(args: argparse.Namespace) -> dict[str, str] | None:
    """The old -> new number table given with ``--correspondence``; invalid exits 1."""
    path = getattr(args, "correspondence", None)
    if not path:
        return None
    mapping, report = read_correspondence(_read(path), Path(path).name)
    if mapping is None:
        problems = "; ".join(line.message(args.lang) for line in report.errors) or "unreadable"
        raise CommandError(f"correspondence {path}: {problems}", 1)
    return mapping


def _kinds(args: argparse.Namespace) -> dict[str, str]:
    """``--indicator-kind ID=KIND`` (repeatable) as a dict; a bad kind exits 2."""
    kinds: dict[str, str] = {}
    for text in getattr(args, "indicator_kind", None) or []:
        ident, sep, kind = text.partition("=")
        if not sep or not ident.strip() or kind.strip() not in INDICATOR_KINDS:
            raise CommandError(f"--indicator-kind {text}: expected ID=KIND with KIND one of "
                               f"{', '.join(INDICATOR_KINDS)}", 2)
        kinds[ident.strip()] = kind.strip()
    return kinds


def _choices(args: argparse.Namespace) -> ImportChoices:
    """``--accept-splits`` and ``--indicator-kind ID=KIND`` for a file read without a workspace."""
    kinds = _kinds(args)
    return ImportChoices(accept_splits=bool(getattr(args, "accept_splits", False)), indicator_kinds=kinds or None)


def _validate(args: argparse.Namespace, country: str | None = None,
              choices: ImportChoices | None = None) -> ImportResult:
    data = _read(args.file)
    return validate_file(data, Path(args.file).name, args.kind, indicator_id=getattr(args, "indicator", None),
                         year=getattr(args, "year", None), correspondence=_correspondence(args),
                         sheet=getattr(args, "sheet", None), choices=choices or _choices(args),
                         country=country or getattr(args, "country", None) or "NO",
                         service_area=getattr(args, "service_area", None))


def _exit_code(result: ImportResult) -> int:
    if not result.readable:
        return 2
    return 0 if result.ok else 1


def _print_report(result: ImportResult, lang: str, as_json: bool) -> None:
    if as_json:
        print(json.dumps({
            "file": result.file_name, "kind": result.kind, "sha256": result.sha256,
            "valid": result.ok, "readable": result.readable, "counts": result.counts,
            "errors": len(result.report.errors), "warnings": len(result.report.warnings),
            "sheet": result.sheet, "sheets": result.sheets, "translated": result.translated,
            "lines": result.report.as_rows(lang),
        }, ensure_ascii=False, indent=2, default=str))
        return
    for row in result.report.as_rows(lang):
        where = ":".join(str(x) for x in (row["sheet"], row["row"], row["column"]) if x not in (None, ""))
        label = t(f"report.severity.{row['severity']}", lang).upper()
        print(f"{label}\t{where}\t{row['problem']}")
    status = "valid" if result.ok else ("unreadable" if not result.readable else "invalid")
    counts = ", ".join(f"{k}={len(v) if isinstance(v, list) else v}" for k, v in result.counts.items())
    print(f"{result.file_name}: {status}; {len(result.report.errors)} error(s), "
          f"{len(result.report.warnings)} warning(s){'; ' + counts if counts else ''}")


def cmd_validate(args: argparse.Namespace) -> int:
    result = _validate(args)
    _print_report(result, args.lang, args.json)
    return _exit_code(result)


def cmd_import(args: argparse.Namespace) -> int:
    from kommunestrategi import datasets
    from kommunestrategi.store import SYSTEM, Store, UnknownWorkspace

    store = Store.open()
    try:
        workspace = store.get_workspace(args.workspace) if args.workspace else store.ensure_demo_workspace()
    except UnknownWorkspace:
        raise CommandError(f"unknown workspace: {args.workspace}", 1) from None
    # the workspace's country decides which municipality numbers the file may use;
    # its own SSB content-code mapping and indicators (made on the Data page) apply
    from kommunestrategi.indicators import workspace as own

    kinds = _kinds(args)
    choices = own.import_choices(store, workspace.id, accept_splits=bool(args.accept_splits),
                                 indicator_kinds=kinds)
    result = _validate(args, workspace.country, choices)
    if not result.ok:
        _print_report(result, args.lang, args.json)
        return _exit_code(result)
    if kinds and args.kind == "indicators":  # the kinds given are the workspace's from now on
        named = own.file_indicator_ids(result)
        own.save_kinds(store, SYSTEM, workspace.id, {i: k for i, k in kinds.items() if i in named},
                       own.file_units(result.tables.get("indicator_values")))
    version = datasets.import_result(store, SYSTEM, workspace.id, result)
    if args.json:
        print(json.dumps({"version": version.id, "workspace": workspace.name, "kind": version.kind,
                          "file": result.file_name, "sha256": result.sha256, "counts": result.counts,
                          "warnings": len(result.report.warnings), "sheet": result.sheet,
                          "translated": result.translated}, ensure_ascii=False, indent=2, default=str))
    else:
        print(f"imported {result.file_name} as dataset version {version.id} ({version.kind}) "
              f"in workspace {workspace.name}; {len(result.report.warnings)} warning(s)")
    return 0


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--kind", choices=list(KINDS), default="indicators", help="kind of data (default indicators)")
    parser.add_argument("--lang", choices=list(LANGUAGES), default="nb", help="language of the report")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.add_argument("--indicator", help="indicator id for files that do not name it")
    parser.add_argument("--year", type=int, help="year for files that do not name it")
    parser.add_argument("--correspondence", metavar="FILE",
                        help="CSV/xlsx translating older municipality numbers (e.g. 2019 -> 2020)")
    parser.add_argument("--service-area", dest="service_area", metavar="ID",
                        help="arrangements: service area (catalogue id or name) of rows that name none")
    parser.add_argument("--sheet", metavar="NAME|N", help="the sheet of a workbook to read (name or 1-based number)")
    parser.add_argument("--accept-splits", action="store_true",
                        help="share counts of a split old municipality out over its successors")
    parser.add_argument("--indicator-kind", metavar="ID=KIND", action="append",
                        help="kind of an indicator the catalogue does not know: " + ", ".join(INDICATOR_KINDS))


def register(subparsers: argparse._SubParsersAction) -> None:
    validate = subparsers.add_parser("validate", help="check a data file and print the report")
    _common(validate)
    validate.add_argument("--country", default="NO", type=str.upper, choices=("NO", "SE"),
                          help="the country the file is about: NO (default) or SE")
    validate.set_defaults(func=cmd_validate)

    imp = subparsers.add_parser("import", help="import a valid data file as a new dataset version")
    _common(imp)
    imp.add_argument("--workspace", metavar="NAME", help="workspace name (default: Demo)")
    imp.set_defaults(func=cmd_import)
