"""``region`` and ``neighbours``: region figures and neighbours from the bundled map."""

from __future__ import annotations

import argparse
import json

from kommunestrategi import geo, regions
from kommunestrategi.cli import CommandError
from kommunestrategi.codes import UnknownMunicipality


def _resolve(values: list[str]) -> list[str]:
    try:
        return regions.resolve_codes(values)
    except UnknownMunicipality as exc:
        hint = f" (did you mean {exc.suggestion}?)" if exc.suggestion else ""
        raise CommandError(f"unknown municipality number: {exc.given}{hint}") from None


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_region(args: argparse.Namespace) -> int:
    summary = regions.summarise(_resolve(args.codes))
    if args.json:
        _print_json(summary.as_json())
        return 0
    print(f"{len(summary.members)} municipalities: "
          + ", ".join(f"{c} {n}" for c, n in summary.names.items()))
    print(f"population {summary.population} ({summary.population_year}), "
          f"area {summary.area_km2:.1f} km2, density {summary.density:.1f} per km2")
    print(f"contiguous: {'yes' if summary.contiguous else 'no'}"
          + (f" (over: {', '.join(summary.link_kinds)})" if summary.contiguous and summary.link_kinds else "")
          + (f" (cut off: {', '.join(summary.cut_off)})" if summary.cut_off else ""))
    print(f"max centre distance {summary.max_centre_distance_km:.1f} km")
    return 0


def cmd_neighbours(args: argparse.Namespace) -> int:
    (code,) = _resolve([args.code])
    found = geo.neighbours(code, include_gap=not args.border_only)
    if args.json:
        adjacency = geo.bundled().adjacency
        _print_json({
            "kommunenummer": code,
            "neighbours": found,
            "links": [{"kommunenummer": other, "kind": adjacency[code][other]} for other in found],
        })
    else:
        print(" ".join(found))
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    region = subparsers.add_parser("region", help="figures for a set of municipalities")
    region.add_argument("codes", nargs="+", metavar="CODE", help="2020 or 2024 municipality numbers")
    region.add_argument("--json", action="store_true", help="print JSON")
    region.set_defaults(func=cmd_region)

    neighbours = subparsers.add_parser("neighbours", help="neighbouring municipality numbers")
    neighbours.add_argument("code", metavar="CODE")
    neighbours.add_argument("--json", action="store_true", help="print JSON")
    neighbours.add_argument("--border-only", action="store_true",
                            help="only shared borders, not links across short water gaps")
    neighbours.set_defaults(func=cmd_neighbours)
