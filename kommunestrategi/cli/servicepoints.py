"""``servicepoints``: list, import and compute the coverage of a workspace's service points."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from kommunestrategi.cli import CommandError


def _context(name: str):
    from kommunestrategi import datasets
    from kommunestrategi.store import Store, UnknownWorkspace

    store = Store.open()
    store.ensure_demo_workspace()
    try:
        ws = store.get_workspace(name)
    except UnknownWorkspace:
        raise CommandError(f"unknown workspace: {name}", 1) from None
    return store, ws, datasets.active_geography(store, ws.id)


def _grid(store, ws, geography):
    from kommunestrategi import datasets
    from kommunestrategi.servicepoints.grid import assign_grid

    table, version = datasets.active_table(store, ws.id, "population_grid", "population_grid")
    return (assign_grid(table, geography), version.file_name) if table is not None else (None, None)


def cmd_list(args: argparse.Namespace) -> int:
    from kommunestrategi.servicepoints.layers import load_layer

    store, ws, _geography = _context(args.workspace)
    points = load_layer(store, ws.id, args.layer, ws.country)
    if args.json:
        print(json.dumps([p.as_dict() for p in points], ensure_ascii=False, indent=2))
    else:
        for p in points:
            where = f"{p.lat:.5f},{p.lon:.5f}" if p.lat is not None else p.kommunenummer
            print(f"{p.id}\t{p.kind}\t{p.name}\t{where}\t{','.join(p.agencies)}")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from kommunestrategi.servicepoints.importing import read_points_file
    from kommunestrategi.servicepoints.layers import load_layer, save_layer
    from kommunestrategi.servicepoints.model import ServicePointError
    from kommunestrategi.store import SYSTEM

    try:
        data = Path(args.file).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {args.file}: {exc.strerror or exc}", 2) from None
    store, ws, geography = _context(args.workspace)
    points, report = read_points_file(data, Path(args.file).name, ws.country, geography)
    for line in report.lines:
        where = f"row {line.row}: " if line.row else ""
        print(f"{line.severity.upper()}\t{where}{line.message(args.lang)}")
    if not report.ok:
        return 1 if points or report.lines else 2
    existing = [] if args.replace else load_layer(store, ws.id, args.layer, ws.country)
    try:
        save_layer(store, SYSTEM, ws.id, [*existing, *points], args.layer)
    except ServicePointError as exc:
        raise CommandError(str(exc), 1) from None
    print(f"imported {len(points)} service point(s) into {ws.name} ({args.layer})")
    return 0


def cmd_coverage(args: argparse.Namespace) -> int:
    from kommunestrategi.servicepoints import compute_coverage
    from kommunestrategi.servicepoints.layers import load_layer

    store, ws, geography = _context(args.workspace)
    points = load_layer(store, ws.id, args.layer, ws.country)
    grid, grid_file = _grid(store, ws, geography)
    result = compute_coverage(geography, points, args.distance_km, grid)
    members = [c.kommunenummer for c in store.list_councils(ws.id)]
    rows = [r for r in result.rows if args.all or not members or r.kommunenummer in members]
    data = {
        "workspace": ws.name, "country": ws.country, "layer": args.layer, "distance_km": args.distance_km,
        "method": result.method, "grid": grid_file, "points": len(points), "unplaced": list(result.unplaced),
        "share": result.total_share([r.kommunenummer for r in rows]),
        "without_centre": [r.kommunenummer for r in rows if not r.has_centre],
        "municipalities": [{"kommunenummer": r.kommunenummer, "name": r.name, "population": r.population,
                            "has_centre": r.has_centre, "points": r.points, "covered": r.covered,
                            "share": None if r.share is None else round(r.share, 4)} for r in rows],
    }
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    method = {"grid": f"population grid {grid_file}", "centres": "estimated from municipal centres",
              "none": "no boundaries and no grid: share not computed"}[result.method]
    print(f"{ws.name}: {len(points)} point(s), within {args.distance_km:g} km; {method}")
    for r in rows:
        share = "-" if r.share is None else f"{r.share * 100:.1f}%"
        print(f"{r.kommunenummer}\t{r.name}\tcentre={'yes' if r.has_centre else 'no'}\t{share}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    from kommunestrategi.i18n import LANGUAGES
    from kommunestrategi.servicepoints.layers import BASE_LAYER

    parser = subparsers.add_parser("servicepoints", help="a workspace's service points and their coverage")
    commands = parser.add_subparsers(dest="servicepoints_command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--workspace", required=True, metavar="NAME", help="workspace name or id")
        p.add_argument("--layer", default=BASE_LAYER, help="layer: base (default) or scenario:<id>")

    listing = commands.add_parser("list", help="the points of a layer")
    common(listing)
    listing.add_argument("--json", action="store_true", help="print JSON")
    listing.set_defaults(func=cmd_list)

    imp = commands.add_parser("import", help="add the points of a CSV/xlsx file to a layer")
    imp.add_argument("file", metavar="FILE")
    common(imp)
    imp.add_argument("--replace", action="store_true", help="replace the layer's points instead of adding")
    imp.add_argument("--lang", choices=list(LANGUAGES), default="nb", help="language of the report")
    imp.set_defaults(func=cmd_import)

    cov = commands.add_parser("coverage", help="service centres and inhabitants within reach, per municipality")
    common(cov)
    cov.add_argument("--distance-km", type=float, default=20.0, help="straight-line distance (default 20)")
    cov.add_argument("--all", action="store_true", help="every municipality, not only the workspace's councils")
    cov.add_argument("--json", action="store_true", help="print JSON")
    cov.set_defaults(func=cmd_coverage)
