"""``region`` and ``neighbours``: region figures and neighbours on a workspace's boundaries.

Both use the active boundaries of a workspace (``--workspace NAME``; default the
``Demo`` workspace), as the app does, and the bundled map when the workspace has
imported none. Without ``--workspace`` and without a store yet, the bundled map is
used without creating one. The bundled map is read without pandas or geopandas
(:mod:`kommunestrategi.bundledmap`: plain CSV and the stored neighbour graph), which
is most of a command's time otherwise; imported boundaries and travel times go
through :mod:`kommunestrategi.geo` and the store.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, Any

from kommunestrategi.cli import CommandError

if TYPE_CHECKING:
    from kommunestrategi.bundledmap import BundledMap
    from kommunestrategi.geo import Geography


def _bundled() -> BundledMap | Geography:
    """The bundled map: without pandas when its stored neighbour graph is current."""
    from kommunestrategi import bundledmap

    light = bundledmap.load()
    if light is not None:
        return light
    from kommunestrategi import geo

    return geo.bundled()


def _workspace_data(name: str | None) -> tuple[BundledMap | Geography, Any]:
    """(geography, travel-time table or None) of workspace ``name`` (None: Demo, if it exists).

    A workspace known (from a quick read-only look) to have no active boundaries or
    travel times gives the bundled map without opening the store.
    """
    from kommunestrategi import config, quickstore

    url = config.database_url()
    path = quickstore.sqlite_path(url)
    if name is None and path is not None and not path.is_file():
        return _bundled(), None
    kinds = quickstore.active_kinds(url, name or quickstore.DEMO_WORKSPACE)
    if kinds is not None and not kinds & {"boundaries", "travel_times"}:
        return _bundled(), None
    from kommunestrategi import datasets
    from kommunestrategi.store import DEMO_WORKSPACE, Store, UnknownWorkspace

    store = Store.open()
    try:
        workspace = store.get_workspace(name or DEMO_WORKSPACE)
    except UnknownWorkspace:
        if name is None:
            return _bundled(), None
        known = ", ".join(w.name for w in store.list_workspaces()) or "none"
        raise CommandError(f"unknown workspace: {name} (known: {known})", 1) from None
    return (datasets.active_geography(store, workspace.id),
            datasets.active_travel_times(store, workspace.id))


def _resolve(values: list[str], geography: BundledMap | Geography) -> list[str]:
    from kommunestrategi import regions
    from kommunestrategi.codes import UnknownMunicipality

    try:
        return regions.resolve_codes(values, geography)
    except UnknownMunicipality as exc:
        hint = f" (did you mean {exc.suggestion}?)" if exc.suggestion else ""
        raise CommandError(f"unknown municipality number: {exc.given}{hint}") from None


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_region(args: argparse.Namespace) -> int:
    from kommunestrategi import regions

    geography, travel = _workspace_data(args.workspace)
    print_region(regions.summarise(_resolve(args.codes, geography), geography, travel), args.json)
    return 0


def print_region(summary: Any, as_json: bool) -> None:
    """Print a ``regions.RegionSummary`` as the command does (JSON or text lines)."""
    if as_json:
        _print_json(summary.as_json())
        return
    print(f"{len(summary.members)} municipalities: "
          + ", ".join(f"{c} {n}" for c, n in summary.names.items()))
    print(f"population {summary.population} ({summary.population_year}), "
          f"area {summary.area_km2:.1f} km2, density {summary.density:.1f} per km2")
    if summary.contiguous is None:  # a Swedish workspace without imported boundaries
        print("contiguous: unknown (no boundaries)")
    else:
        print(f"contiguous: {'yes' if summary.contiguous else 'no'}"
              + (f" (over: {', '.join(summary.link_kinds)})" if summary.contiguous and summary.link_kinds else "")
              + (f" (cut off: {', '.join(summary.cut_off)})" if summary.cut_off else ""))
    if summary.max_centre_distance_km is not None:
        print(f"max centre distance {summary.max_centre_distance_km:.1f} km")
    sources = summary.sources or {}
    if sources:
        print(f"sources: population {sources.get('population')}; area {sources.get('area')}")


def _links_of(geography: BundledMap | Geography, code: str, border_only: bool) -> list[dict]:
    distance = {(link["a"], link["b"]): link["distance_m"] for link in geography.links}
    return [{"kommunenummer": other, "kind": kind,
             "distance_km": round(distance[(min(code, other), max(code, other))] / 1000, 1)}
            for other, kind in sorted(geography.adjacency.get(code, {}).items())
            if not border_only or kind == "border"]


def cmd_neighbours(args: argparse.Namespace) -> int:
    if args.all == bool(args.code):
        raise CommandError("give either one municipality number or --all", 2)
    geography, _ = _workspace_data(args.workspace)
    if not getattr(geography, "has_boundaries", True):
        raise CommandError(f"workspace {args.workspace} has no boundaries: neighbours need them "
                           "(import FILE --kind boundaries --workspace NAME)", 1)
    if args.all:
        links = [{"a": link["a"], "b": link["b"], "kind": link["kind"],
                  "distance_km": round(link["distance_m"] / 1000, 1)}
                 for link in geography.links if not args.border_only or link["kind"] == "border"]
        codes = geography.unit_codes
        found = {code: geography.neighbours(code, include_gap=not args.border_only) for code in codes}
        if args.json:
            _print_json({"boundaries": geography.label, "municipalities": len(codes),
                         "neighbours": found, "links": links})
        else:
            for code in codes:
                print(f"{code}: {' '.join(found[code])}")
        return 0
    (code,) = _resolve([args.code], geography)
    found = geography.neighbours(code, include_gap=not args.border_only)
    if args.json:
        _print_json({"kommunenummer": code, "neighbours": found,
                     "links": _links_of(geography, code, args.border_only)})
    else:
        print(" ".join(found))
    return 0


def _workspace_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--workspace", metavar="NAME",
                        help="use this workspace's active boundaries (default: the Demo workspace's)")


def register(subparsers: argparse._SubParsersAction) -> None:
    region = subparsers.add_parser("region", help="figures for a set of municipalities")
    region.add_argument("codes", nargs="+", metavar="CODE", help="2020 or 2024 municipality numbers")
    region.add_argument("--json", action="store_true", help="print JSON")
    _workspace_option(region)
    region.set_defaults(func=cmd_region)

    neighbours = subparsers.add_parser("neighbours", help="neighbouring municipality numbers")
    neighbours.add_argument("code", nargs="?", metavar="CODE")
    neighbours.add_argument("--all", action="store_true", help="every municipality's neighbours")
    neighbours.add_argument("--json", action="store_true", help="print JSON")
    neighbours.add_argument("--border-only", action="store_true",
                            help="only shared borders, not links across water")
    _workspace_option(neighbours)
    neighbours.set_defaults(func=cmd_neighbours)
