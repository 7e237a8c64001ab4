"""Service points from a CSV or Excel file: name, kind, lat/lon or municipality, agencies, hours.

Columns (Norwegian, Swedish or English names): ``name``/``navn``/``namn``,
``kind``/``type``/``typ`` (centre, fixed, mobile; also servicesenter,
servicekontor, mobil; servicecenter, servicekontor, mobilt), ``lat``, ``lon``,
``kommunenummer``/``kommunkod``/``kommune``/``kommun`` (a number or a name),
``agencies``/``etater``/``myndigheter`` (separated by comma or semicolon),
``hours``/``åpningstider``/``öppettider``. A mobile point's stops are rows of the
same name with kind ``stop``/``stopp``/``hållplats`` and their own position and
``schedule``/``rutetider``/``tider``.
"""

from __future__ import annotations

import re
from typing import Any

from kommunestrategi.codes import UnknownMunicipality
from kommunestrategi.io.report import ImportReport
from kommunestrategi.servicepoints.model import (
    AGENCIES,
    ServicePoint,
    ServicePointError,
    point_from_dict,
    with_ids,
)

_COLUMNS = {
    "name": ("name", "navn", "namn"),
    "kind": ("kind", "type", "typ", "art"),
    "lat": ("lat", "latitude", "breddegrad"),
    "lon": ("lon", "lng", "longitude", "lengdegrad"),
    "municipality": ("kommunenummer", "kommunkod", "kommune", "kommun", "municipality", "knr"),
    "agencies": ("agencies", "etater", "myndigheter", "agency", "etat", "myndighet"),
    "hours": ("hours", "åpningstider", "apningstider", "öppettider", "oppettider", "opening hours"),
    "schedule": ("schedule", "rutetider", "tider", "besøk", "besök"),
}
_KINDS = {
    "centre": "centre", "center": "centre", "servicesenter": "centre", "servicecenter": "centre",
    "servicesentre": "centre", "fixed": "fixed", "fast": "fixed", "servicekontor": "fixed",
    "servicepunkt": "fixed", "mobile": "mobile", "mobil": "mobile", "mobilt": "mobile",
    "stop": "stop", "stopp": "stop", "hållplats": "stop", "hallplats": "stop",
}
_AGENCY_ALIASES = {
    "kommunen": "kommune", "kommunen ": "kommune", "skatt": "skatteetaten", "af": "arbetsformedlingen",
    "arbetsförmedlingen": "arbetsformedlingen", "försäkringskassan": "forsakringskassan",
    "fk": "forsakringskassan", "politiet": "politi",
}


def _key(text: object) -> str:
    return re.sub(r"\s+", " ", str(text or "").strip().lower())


def read_points(rows: list[list[object]], country: str, geography: Any, report: ImportReport) -> list[ServicePoint]:
    """Points from a table's rows; problems become report lines with the row number."""
    for start, header in enumerate(rows[:10]):  # noqa: B007 - used after the loop
        keys = [_key(c) for c in header]
        cols = {role: keys.index(name) for role, names in _COLUMNS.items() for name in names if name in keys}
        if "name" in cols and "kind" in cols:
            break
    else:
        report.error("sp_no_columns")
        return []
    known_agencies = AGENCIES.get(country, AGENCIES["NO"])
    entries: dict[str, dict[str, Any]] = {}
    stops: list[tuple[int, str, dict[str, Any]]] = []
    for number, row in enumerate(rows[start + 1:], start=start + 2):
        cell = {role: (row[i] if i < len(row) else None) for role, i in cols.items()}
        if not any(str(v or "").strip() for v in cell.values()):
            continue
        kind = _KINDS.get(_key(cell.get("kind")), _key(cell.get("kind")))
        name = str(cell.get("name") or "").strip()
        if kind == "stop":
            stops.append((number, name, {"name": name, "lat": cell.get("lat"), "lon": cell.get("lon"),
                                         "schedule": cell.get("schedule") or cell.get("hours") or ""}))
            continue
        code = ""
        place = str(cell.get("municipality") or "").strip()
        if place:
            try:
                code = geography.code_index.unit_for(place)
            except UnknownMunicipality:
                report.error("sp_unknown_municipality", row=number, column="kommune", value=place)
                continue
        agencies = [a for a in re.split(r"[;,/]", str(cell.get("agencies") or "")) if a.strip()]
        agencies = [_AGENCY_ALIASES.get(_key(a), _key(a)) for a in agencies]
        unknown = [a for a in agencies if a not in known_agencies]
        if unknown:
            report.warning("sp_unknown_agency", row=number, value=", ".join(unknown), known=", ".join(known_agencies))
            agencies = [a for a in agencies if a in known_agencies]
        data = {"name": name, "kind": kind, "lat": cell.get("lat"), "lon": cell.get("lon"), "kommunenummer": code,
                "agencies": agencies, "hours": cell.get("hours") or "", "stops": []}
        if kind == "mobile" and (data["lat"] in (None, "") or data["lon"] in (None, "")):
            data["lat"] = data["lon"] = None
        entries[f"{number}"] = {"row": number, **data}
    by_name = {e["name"].lower(): e for e in entries.values() if e["kind"] == "mobile"}
    for number, name, stop in stops:
        owner = by_name.get(name.lower())
        if owner is None:
            report.error("sp_stop_without_mobile", row=number, value=name)
            continue
        owner["stops"].append(stop)
    points = []
    for entry in entries.values():
        row = entry.pop("row")
        try:
            points.append(point_from_dict(entry, country))
        except ServicePointError as exc:
            report.error(f"sp_error_{exc.code}", row=row, **exc.params)
    if not points and report.ok:
        report.error("sp_no_points")
    return with_ids(points)


def read_points_file(data: bytes, file_name: str, country: str, geography: Any) -> tuple[list[ServicePoint],
                                                                                        ImportReport]:
    """Points from an uploaded CSV/XLSX (safety-checked like every upload)."""
    from kommunestrategi.io.csvfiles import read_csv_grid
    from kommunestrategi.io.excel import read_workbook
    from kommunestrategi.io.safety import check_upload

    report = ImportReport(file_name)
    fmt, facts = check_upload(data, file_name, report, ("xlsx", "csv"))
    if fmt is None:
        return [], report
    if fmt == "xlsx":
        sheets = read_workbook(data, report, facts)
        rows = sheets[0].rows if sheets else []
    else:
        rows = read_csv_grid(data, report)
    if not rows:
        report.error("sp_no_points")
        return [], report
    return read_points(rows, country, geography, report), report
