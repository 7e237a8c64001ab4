"""``cooperation``: the cooperation register of a workspace, per municipality.

Counts by legal form and service area, hosted arrangements, partners, person-years
and cost where known, and governance flags. JSON fields are documented in the README.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json

from kommunestrategi.cli import CommandError
from kommunestrategi.codes import normalise_number


def _municipality(code: str) -> str:
    from kommunestrategi.io import validation as v

    region = v.resolve_region(code)
    if region.kind != "unit" or region.unit is None:
        raise CommandError(f"unknown municipality: {code}", 1)
    return str(region.unit)


def cmd_cooperation(args: argparse.Namespace) -> int:
    from kommunestrategi import geo
    from kommunestrategi.cooperation import analysis
    from kommunestrategi.cooperation.register import register_for
    from kommunestrategi.store import Store, UnknownWorkspace

    store = Store.open()
    try:
        ws = store.get_workspace(args.workspace)
    except UnknownWorkspace:
        known = ", ".join(w.name for w in store.list_workspaces()) or "none"
        raise CommandError(f"unknown workspace: {args.workspace} (known: {known})", 1) from None
    full = register_for(store, ws.id)
    register = full.active()
    today = dt.date.today()
    names = geo.code_index().names
    codes = [_municipality(args.municipality)] if args.municipality else register.municipalities()
    flagged = analysis.flag_table(register, today)
    rows = []
    for code in codes:
        s = analysis.summary(register, code, today=today)
        mine = register.for_municipality(code)
        rows.append({
            "kommunenummer": code, "name": names.get(code, ""), "arrangements": s.arrangements,
            "by_form": s.by_form, "by_sector": s.by_sector,
            "hosted": [{"id": i, "name": register.get(i).name} for i in s.hosted],
            "partners": s.partners, "person_years": s.person_years, "annual_cost": s.annual_cost,
            "flags": s.flags,
            "flagged": [{"id": a.id, "name": a.name, "flags": flagged[a.id]} for a in mine if flagged[a.id]],
        })
    if args.json:
        print(json.dumps({
            "workspace": ws.name, "source": full.source, "dataset_version": full.dataset_version,
            "date": today.isoformat(), "arrangements": len(register), "ended": len(full) - len(register),
            "municipalities": rows,
        }, ensure_ascii=False, indent=2))
        return 0
    print(f"{ws.name}: {_count(len(register), 'running arrangement')} ({full.source or 'entered in the app'})")
    for row in rows:
        forms = ", ".join(f"{k or 'unknown form'} {v}" for k, v in row["by_form"].items()) or "-"
        sectors = ", ".join(f"{k or 'unknown area'} {v}" for k, v in row["by_sector"].items()) or "-"
        flags = ", ".join(f"{k} {v}" for k, v in row["flags"].items()) or "none"
        print(f"{row['kommunenummer']} {row['name']}: {_count(row['arrangements'], 'arrangement')}; forms: {forms}; "
              f"areas: {sectors}; hosts {len(row['hosted'])}; partners {row['partners']}; flags: {flags}")
    return 0


def _count(n: int, noun: str) -> str:
    """``1 arrangement``, ``2 arrangements``."""
    return f"{n} {noun}{'' if n == 1 else 's'}"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "cooperation", help="the cooperation register of a workspace, per municipality",
        description="Per municipality: arrangements by legal form and service area, hosted arrangements, "
                    "partners, person-years and cost where known, and governance flags.")
    parser.add_argument("--workspace", required=True, help="workspace name")
    parser.add_argument("--municipality", type=lambda s: normalise_number(s) or s,
                        help="one municipality (number or name); default: every member of the register")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(func=cmd_cooperation)
