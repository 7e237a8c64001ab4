"""``scenarios`` and ``propose``: the workshop board of a workspace, and region proposals."""

from __future__ import annotations

import argparse
import json

from kommunestrategi.cli import CommandError


def _print_json(data: object) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2))


def cmd_scenarios(args: argparse.Namespace) -> int:
    from kommunestrategi.scenarios.service import workspace_assessment
    from kommunestrategi.store import Store, UnknownWorkspace

    store = Store.open()
    store.ensure_demo_workspace()
    try:
        workspace = store.get_workspace(args.workspace)
    except UnknownWorkspace:
        raise CommandError(f"unknown workspace: {args.workspace}") from None
    board = workspace_assessment(store, workspace.id).as_json()
    if args.json:
        _print_json({"workspace": workspace.name, **board})
        return 0
    print(f"{workspace.name}: {len(board['scenarios'])} scenarios on the board, "
          f"{len(board['participants'])} participants with weights")
    for s in board["scenarios"]:
        print(f"- {s['name']} ({s['kind']}): {', '.join(s['members'])}; population {s['population']}")
    if board["waiting"]:
        print(f"waiting for scores: {', '.join(board['waiting'])}")
    for row in board["ranking"]["mean"] or []:
        print(f"{row['place']}. {row['scenario']}  {row['score']:.2f} (mean weights)")
    flip = board["sensitivity"]["flip"]
    if flip:
        print(f"smallest flip: {flip['criterion']} weight {flip['share']:.1%} -> {flip['at']:.1%} "
              f"puts {flip['second']} level with {flip['first']}")
    return 0


def cmd_propose(args: argparse.Namespace) -> int:
    from kommunestrategi import geo
    from kommunestrategi.codes import UnknownMunicipality
    from kommunestrategi.scenarios.proposals import area_codes, propose

    if args.min_population < 0:
        raise CommandError("--min-population must be zero or more", 2)
    geography = geo.bundled()
    affinity: dict = {}
    if args.workspace:
        from kommunestrategi.scenarios.service import affinity as pair_affinity
        from kommunestrategi.scenarios.service import register
        from kommunestrategi.store import Store, UnknownWorkspace

        store = Store.open()
        store.ensure_demo_workspace()
        try:
            workspace = store.get_workspace(args.workspace)
        except UnknownWorkspace:
            raise CommandError(f"unknown workspace: {args.workspace}") from None
        affinity = pair_affinity(register(store, workspace.id))
    try:
        codes = area_codes(args.area, geography)
    except UnknownMunicipality as exc:
        raise CommandError(f"unknown county or municipality: {exc.given}") from None
    proposal = propose(codes, geography, args.min_population, affinity)
    names = dict(zip(geography.units["kommunenummer"], geography.units["name"], strict=True))
    data = proposal.as_json(names)
    if args.json:
        _print_json(data)
        return 0
    print(f"{len(proposal.regions)} regions for {len(codes)} municipalities "
          f"(at least {args.min_population} inhabitants each where possible)")
    for i, region in enumerate(data["regions"], 1):
        flag = "" if region["meets_threshold"] else "  (below: no more neighbours in the area)"
        print(f"{i}. {region['population']}: {', '.join(region['names'])}{flag}")
    return 0


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("scenarios", help="the workshop board of a workspace: scores, ranking, flip points")
    parser.add_argument("--workspace", required=True, metavar="NAME", help="workspace name or id")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=cmd_scenarios)

    propose = subparsers.add_parser("propose", help="contiguous regions that reach a population threshold")
    propose.add_argument("--area", required=True, metavar="COUNTY_OR_CODES",
                         help="county number or name (50, Trøndelag), 'all', or municipality numbers, comma-separated")
    propose.add_argument("--min-population", type=int, default=15_000, metavar="N",
                         help="inhabitants each region should reach (default 15000)")
    propose.add_argument("--workspace", metavar="NAME",
                         help="keep the workspace's existing cooperation arrangements together where it costs little")
    propose.add_argument("--json", action="store_true", help="print JSON")
    propose.set_defaults(func=cmd_propose)
