"""Existing cooperation arrangements from xlsx/csv into two canonical tables.

Two shapes are read:

* one row per arrangement, members as a comma list in one cell (numbers and/or
  names, irregular spaces, upper case, e.g. the child-welfare directorate's list);
* one row per membership, grouped by an arrangement id or name column.

Output: ``arrangements(arrangement_id, name, service_area, legal_form, host,
source_row)`` and ``arrangement_members(arrangement_id, kommunenummer, role)``
with role ``host`` or ``member``; municipality numbers are 2024 map units.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import pandas as pd
import yaml

from kommunestrategi import geo
from kommunestrategi.codes import fold_name
from kommunestrategi.config import PACKAGE_DIR
from kommunestrategi.io import validation as v
from kommunestrategi.io.report import ImportReport
from kommunestrategi.io.tables import cell_text, column_letter, header_key

ID_HEADERS = {"arrangement_id", "id", "samarbeid_id", "samarbeidsid", "arrangement id", "nr"}
NAME_HEADERS = {"name", "navn", "samarbeid", "arrangement", "samarbeidsnavn", "ordning", "samverkan", "tittel"}
MEMBER_NUMBER_HEADERS = {"kommunenummer", "kommunenr", "knr", "members", "medlemmer", "deltakere",
                         "deltakerkommuner", "kommunenumre", "member numbers", "kommunkod", "municipality no."}
MEMBER_NAME_HEADERS = {"kommunenavn", "kommuner", "kommune", "municipalities", "member names", "kommunnamn"}
HOST_HEADERS = {"host", "vertskommune", "vert", "vardkommun", "host municipality"}
ROLE_HEADERS = {"role", "rolle", "roll"}
SERVICE_HEADERS = {"service_area", "tjenesteomrade", "tjeneste", "sektor", "sector", "omrade", "verksamhet"}
FORM_HEADERS = {"legal_form", "form", "organisering", "organisasjonsform", "selskapsform", "juridisk form"}
_SPLIT = re.compile(r"\s*[,;/\n]\s*|\s+og\s+|\s*&\s*")
_FORMULA_TEXT = re.compile(r"^\s*[=+@]|^\s*-\s*[A-Za-z(]")
_MARKUP = re.compile(r"<\s*/?\s*[A-Za-z][^>]*>")
HOST_ROLES = {"host", "vert", "vertskommune", "vard", "vardkommun"}


@lru_cache(maxsize=4)
def catalogue_names(name: str, key: str) -> dict[str, str]:
    """Folded id and names (nb/en/sv) -> id, for a catalogue file such as service areas."""
    path = PACKAGE_DIR / "catalogues" / f"{name}.yaml"
    if not path.exists():
        return {}
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(key, [])
    found: dict[str, str] = {}
    for entry in entries:
        if not isinstance(entry, dict) or "id" not in entry:
            continue
        ident = str(entry["id"])
        found[fold_name(ident)] = ident
        names = entry.get("name") if isinstance(entry.get("name"), dict) else {}
        for text in names.values():
            found.setdefault(fold_name(str(text)), ident)
    return found


def _catalogue_id(text: str, name: str, key: str) -> str | None:
    """The catalogue id for an id or a name in any language; None when it is not in the catalogue."""
    return catalogue_names(name, key).get(fold_name(text)) if text else None


def empty_tables() -> dict[str, pd.DataFrame]:
    return {
        "arrangements": pd.DataFrame({c: pd.Series(dtype=str) for c in
                                      ("arrangement_id", "name", "service_area", "legal_form", "host")}
                                     | {"source_row": pd.Series(dtype="int64")}),
        "arrangement_members": pd.DataFrame({c: pd.Series(dtype=str) for c in
                                             ("arrangement_id", "kommunenummer", "role")}),
    }


def _find_header(rows: list[list[object]]) -> tuple[int, dict[str, int]] | None:
    for r in range(min(20, len(rows))):
        keys = [header_key(cell_text(x)) for x in rows[r]]
        roles: dict[str, int] = {}
        for c, key in enumerate(keys):
            for role, names in (("id", ID_HEADERS), ("name", NAME_HEADERS), ("numbers", MEMBER_NUMBER_HEADERS),
                                ("names", MEMBER_NAME_HEADERS), ("host", HOST_HEADERS), ("role", ROLE_HEADERS),
                                ("service", SERVICE_HEADERS), ("form", FORM_HEADERS)):
                if key in names and role not in roles:
                    roles[role] = c
                    break
        if "numbers" in roles or "names" in roles:
            return r, roles
    return None


def _split_members(text: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(text) if part and part.strip()]


def _unit_for(value: str) -> v.Region:
    cleaned = re.sub(r"\s*\(.*?\)\s*", " ", value).strip()
    region = v.resolve_region(cleaned)
    if region.kind == "unit":
        return region
    return v.resolve_region(value)


def read_arrangements(sheets: Sequence[tuple[str | None, list[list[object]], list]],
                      report: ImportReport) -> dict[str, pd.DataFrame]:
    """The canonical arrangement tables from the grids of one file."""
    capped = v.CappedReport(report)
    arrangements: list[dict] = []
    members: list[dict] = []
    names = geo.code_index().names
    found_table = False
    for sheet, rows, _merged in sheets:
        header = _find_header(rows)
        if header is None:
            continue
        found_table = True
        header_row, roles = header
        by_key: dict[str, str] = {}
        for r in range(header_row + 1, len(rows)):
            row = [cell_text(x) for x in rows[r]]
            if not any(row):
                continue
            line = r + 1

            def cell(role: str, row: list[str] = row, roles: dict[str, int] = roles) -> str:
                c = roles.get(role)
                return row[c] if c is not None and c < len(row) else ""

            for role in ("name", "service", "form", "id", "host"):
                text = cell(role)
                if text and (_FORMULA_TEXT.match(text) or _MARKUP.search(text)):
                    capped.add("error", "text_unsafe", sheet=sheet, row=line,
                               column=column_letter(roles[role]), value=text[:60])
            number_parts = _split_members(cell("numbers")) if "numbers" in roles else []
            name_parts = _split_members(cell("names")) if "names" in roles else []
            given = number_parts or name_parts
            column = column_letter(roles["numbers"] if number_parts else roles.get("names", 0))
            if not given:
                capped.add("error", "no_members", sheet=sheet, row=line)
                continue
            if number_parts and name_parts and len(number_parts) != len(name_parts):
                capped.add("warning", "member_count_mismatch", sheet=sheet, row=line,
                           numbers=len(number_parts), names=len(name_parts))
            units: list[str] = []
            for i, part in enumerate(given):
                region = _unit_for(part)
                if region.kind == "unknown" and number_parts and len(name_parts) == len(number_parts):
                    # an outdated number (e.g. from before 2020) next to a known name: trust the name
                    by_name = _unit_for(name_parts[i])
                    if by_name.kind == "unit":
                        capped.add("warning", "name_used_for_number", sheet=sheet, row=line, column=column,
                                   number=part, name=name_parts[i][:60],
                                   unit=f"{by_name.unit} {names.get(str(by_name.unit), '')}")
                        region = by_name
                if region.kind != "unit":
                    if region.kind == "aggregate":
                        capped.add("warning", "aggregate_skipped", sheet=sheet, row=line, column=column,
                                   value=part[:60])
                        continue
                    code = "unknown_municipality_suggest" if region.suggestion else "unknown_municipality"
                    capped.add("error", code, sheet=sheet, row=line, column=column, value=part[:60],
                               suggestion_text=region.suggestion or "", suggestion=region.suggestion)
                    continue
                if number_parts and name_parts and len(number_parts) == len(name_parts):
                    by_name = _unit_for(name_parts[i])
                    if by_name.kind == "unit" and by_name.unit != region.unit:
                        capped.add("warning", "name_number_mismatch", sheet=sheet, row=line,
                                   number=part, name=name_parts[i][:60], expected=names.get(region.unit, ""))
                if region.unit not in units:
                    units.append(str(region.unit))
            if not units:
                continue
            host_region = _unit_for(cell("host")) if cell("host") else None
            host = host_region.unit if host_region is not None and host_region.kind == "unit" else ""
            if cell("host") and not host:
                capped.add("error", "unknown_municipality", sheet=sheet, row=line,
                           column=column_letter(roles["host"]), value=cell("host")[:60], suggestion_text="")
            name = cell("name") or ", ".join(names.get(u, u) for u in units)
            key = cell("id") or cell("name")
            one_per_row = len(given) == 1 and key
            if one_per_row and key in by_key:
                arrangement_id = by_key[key]
            else:
                arrangement_id = cell("id") or f"A{len(arrangements) + 1:03d}"
                if any(a["arrangement_id"] == arrangement_id for a in arrangements):
                    capped.add("error", "duplicate_arrangement", sheet=sheet, row=line, value=arrangement_id)
                    continue
                if key:
                    by_key[key] = arrangement_id
                service, form = cell("service"), cell("form")
                service_id = _catalogue_id(service, "service_areas", "service_areas")
                form_id = _catalogue_id(form, "legal_forms", "forms")
                if service and service_id is None:
                    capped.add("warning", "unknown_service_area", sheet=sheet, row=line,
                               column=column_letter(roles["service"]), value=service[:60])
                if form and form_id is None:
                    capped.add("warning", "unknown_legal_form", sheet=sheet, row=line,
                               column=column_letter(roles["form"]), value=form[:60])
                arrangements.append({"arrangement_id": arrangement_id, "name": name,
                                     "service_area": service_id or service, "legal_form": form_id or form,
                                     "host": host, "source_row": line})
            record = next(a for a in arrangements if a["arrangement_id"] == arrangement_id)
            role_text = fold_name(cell("role"))
            for unit in units:
                is_host = unit == (host or record["host"]) or (role_text in HOST_ROLES and len(units) == 1)
                if is_host and not record["host"]:
                    record["host"] = unit
                existing = next((m for m in members if m["arrangement_id"] == arrangement_id
                                 and m["kommunenummer"] == unit), None)
                if existing:
                    if is_host:
                        existing["role"] = "host"
                    continue
                members.append({"arrangement_id": arrangement_id, "kommunenummer": unit,
                                "role": "host" if is_host else "member"})
            if host and host not in units:
                capped.add("warning", "host_not_member", sheet=sheet, row=line, host=host)
    capped.finish()
    if not found_table:
        report.error("no_arrangement_table")
        return empty_tables()
    tables = empty_tables()
    if arrangements:
        tables["arrangements"] = pd.DataFrame(arrangements).astype(
            {"arrangement_id": str, "name": str, "service_area": str, "legal_form": str, "host": str,
             "source_row": "int64"})
    if members:
        tables["arrangement_members"] = pd.DataFrame(members).astype(str)
    if not arrangements and report.ok:
        report.error("no_data_rows")
    return tables


def arrangement_counts(tables: dict[str, pd.DataFrame]) -> dict:
    """The preview figures for arrangements."""
    members = tables["arrangement_members"]
    return {
        "arrangements": int(len(tables["arrangements"])),
        "memberships": int(len(members)),
        "municipalities": int(members["kommunenummer"].nunique()) if len(members) else 0,
    }
