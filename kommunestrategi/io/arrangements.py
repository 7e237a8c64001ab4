"""Existing cooperation arrangements from xlsx/csv into two canonical tables.

Three shapes are read:

* one row per arrangement, members as a comma list in one cell (numbers and/or
  names, irregular spaces, upper case, e.g. the child-welfare directorate's list);
* one row per membership, grouped by an arrangement id or name column;
* one row per municipality with its partners in one or two columns (see
  ``io.arrangements_by_municipality``): identical groups merge, "no cooperation"
  rows create nothing and inconsistencies are reported with row numbers.

Output: ``arrangements(arrangement_id, name, service_area, legal_form, host,
source_row, <register fields>)`` (register fields in ``io.arrangement_fields``)
and ``arrangement_members(arrangement_id, kommunenummer, role)`` with role
``host`` or ``member``; municipality numbers are 2024 map units. No column is
silently ignored: every column not read is named in the report as a warning.
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
from kommunestrategi.io import arrangement_fields as af
from kommunestrategi.io import arrangements_by_municipality as abm
from kommunestrategi.io import template_columns
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
# the template's column labels in every language name their columns too
for _headers, _column in ((ID_HEADERS, "arrangement_id"), (NAME_HEADERS, "name"),
                          (SERVICE_HEADERS, "service_area"), (FORM_HEADERS, "legal_form"),
                          (HOST_HEADERS, "host"), (MEMBER_NUMBER_HEADERS, "members")):
    _headers |= template_columns.aliases(_column, header_key)


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
                                     | {"source_row": pd.Series(dtype="int64")} | af.empty_columns()),
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


def _resolve_members(number_parts: list[str], name_parts: list[str], capped: v.CappedReport,
                     sheet: str | None, line: int, column: str) -> list[str]:
    """Map units for a list of numbers and/or names (numbers first, names as a cross-check)."""
    names = geo.code_index().names
    given = number_parts or name_parts
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
                capped.add("warning", "aggregate_skipped", sheet=sheet, row=line, column=column, value=part[:60])
                continue
            code = "unknown_municipality_suggest" if region.suggestion else "unknown_municipality"
            capped.add("error", code, sheet=sheet, row=line, column=column, value=part[:60],
                       suggestion_text=region.suggestion or "", suggestion=region.suggestion)
            continue
        if region.old_number and region.number and region.unit != region.number:
            # an older number read as today's municipality: said, never done silently
            capped.add("warning", "member_number_translated", sheet=sheet, row=line, column=column,
                       number=region.number, unit=f"{region.unit} {names.get(str(region.unit), '')}".strip())
        if number_parts and name_parts and len(number_parts) == len(name_parts):
            by_name = _unit_for(name_parts[i])
            if by_name.kind == "unit" and by_name.unit != region.unit:
                capped.add("warning", "name_number_mismatch", sheet=sheet, row=line,
                           number=part, name=name_parts[i][:60], expected=names.get(region.unit, ""))
        if region.unit not in units:
            units.append(str(region.unit))
    return units


def _service_and_form(service: str, form: str, roles: dict[str, int], capped: v.CappedReport,
                      sheet: str | None, line: int) -> tuple[str, str]:
    """Catalogue ids for the service area and legal form texts (unknown texts kept and reported)."""
    service_id = _catalogue_id(service, "service_areas", "service_areas")
    form_id = _catalogue_id(form, "legal_forms", "forms")
    if service and service_id is None:
        capped.add("warning", "unknown_service_area", sheet=sheet, row=line,
                   column=column_letter(roles["service"]) if "service" in roles else None, value=service[:60])
    if form and form_id is None:
        capped.add("warning", "unknown_legal_form", sheet=sheet, row=line,
                   column=column_letter(roles["form"]), value=form[:60])
    return service_id or service, form_id or form


def _check_text(row: list[str], roles: dict[str, int], capped: v.CappedReport, sheet: str | None,
                line: int) -> None:
    for role in ("name", "service", "form", "id", "host"):
        c = roles.get(role)
        text = row[c] if c is not None and c < len(row) else ""
        if text and (_FORMULA_TEXT.match(text) or _MARKUP.search(text)):
            capped.add("error", "text_unsafe", sheet=sheet, row=line, column=column_letter(c), value=text[:60])


def _host(text: str, roles: dict[str, int], capped: v.CappedReport, sheet: str | None, line: int) -> str:
    if not text:
        return ""
    region = _unit_for(text)
    if region.kind == "unit":
        return str(region.unit)
    capped.add("error", "unknown_municipality", sheet=sheet, row=line,
               column=column_letter(roles["host"]), value=text[:60], suggestion_text="")
    return ""


class _Collector:
    """The arrangements and memberships read so far (across the sheets of one file)."""

    def __init__(self) -> None:
        self.arrangements: list[dict] = []
        self.members: list[dict] = []
        self._by_id: dict[str, dict] = {}
        self._member_keys: dict[tuple[str, str], dict] = {}
        self.sheet: str | None = None

    def new_id(self) -> str:
        return f"A{len(self.arrangements) + 1:03d}"

    def has(self, arrangement_id: str) -> bool:
        return arrangement_id in self._by_id

    def get(self, arrangement_id: str) -> dict:
        return self._by_id[arrangement_id]

    def add(self, record: dict) -> dict:
        record["_sheet"] = self.sheet  # for report lines only; not a column of the table
        self.arrangements.append(record)
        self._by_id[record["arrangement_id"]] = record
        return record

    def member(self, arrangement_id: str, unit: str, is_host: bool) -> None:
        existing = self._member_keys.get((arrangement_id, unit))
        if existing:
            if is_host:
                existing["role"] = "host"
            return
        record = {"arrangement_id": arrangement_id, "kommunenummer": unit, "role": "host" if is_host else "member"}
        self.members.append(record)
        self._member_keys[(arrangement_id, unit)] = record


def _read_by_arrangement(sheet: str | None, rows: list[list[object]], header_row: int, roles: dict[str, int],
                         fields: dict[str, int], out: _Collector, capped: v.CappedReport,
                         service_area: str | None) -> None:
    """Shapes 1 and 2: one row per arrangement (members as a list) or one row per membership."""
    names = geo.code_index().names
    by_key: dict[str, str] = {}
    for r in range(header_row + 1, len(rows)):
        row = [cell_text(x) for x in rows[r]]
        if not any(row):
            continue
        line = r + 1

        def cell(role: str, row: list[str] = row) -> str:
            c = roles.get(role)
            return row[c] if c is not None and c < len(row) else ""

        _check_text(row, roles, capped, sheet, line)
        number_parts = _split_members(cell("numbers")) if "numbers" in roles else []
        name_parts = _split_members(cell("names")) if "names" in roles else []
        given = number_parts or name_parts
        column = column_letter(roles["numbers"] if number_parts else roles.get("names", 0))
        if not given:
            capped.add("error", "no_members", sheet=sheet, row=line)
            continue
        units = _resolve_members(number_parts, name_parts, capped, sheet, line, column)
        if not units:
            continue
        host = _host(cell("host"), roles, capped, sheet, line)
        name = cell("name") or ", ".join(names.get(u, u) for u in units)
        key = cell("id") or cell("name")
        one_per_row = len(given) == 1 and key
        if one_per_row and key in by_key:
            arrangement_id = by_key[key]
        else:
            arrangement_id = cell("id") or out.new_id()
            if out.has(arrangement_id):
                capped.add("error", "duplicate_arrangement", sheet=sheet, row=line, value=arrangement_id)
                continue
            if key:
                by_key[key] = arrangement_id
            service, form = _service_and_form(cell("service") or (service_area or ""), cell("form"), roles,
                                              capped, sheet, line)
            out.add({"arrangement_id": arrangement_id, "name": name, "service_area": service, "legal_form": form,
                     "host": host, "source_row": line} | af.read_fields(row, fields, capped, sheet, line))
        record = out.get(arrangement_id)
        role_text = fold_name(cell("role"))
        for unit in units:
            is_host = unit == (host or record["host"]) or (role_text in HOST_ROLES and len(units) == 1)
            if is_host and not record["host"]:
                record["host"] = unit
            out.member(arrangement_id, unit, is_host)
        if host and host not in units:
            capped.add("warning", "host_not_member", sheet=sheet, row=line, host=host)


def _read_by_municipality(sheet: str | None, rows: list[list[object]], header_row: int, roles: dict[str, int],
                          partners: dict[str, int], fields: dict[str, int], out: _Collector,
                          capped: v.CappedReport, service_area: str | None) -> None:
    """Shape 3: one row per municipality with its partners (see ``io.arrangements_by_municipality``)."""
    names = geo.code_index().names
    listed_rows: list[abm.MunicipalityRow] = []
    none: dict[tuple[str, str], int] = {}
    for r in range(header_row + 1, len(rows)):
        row = [cell_text(x) for x in rows[r]]
        if not any(row):
            continue
        line = r + 1

        def cell(role: str, row: list[str] = row, roles: dict[str, int] = roles | partners) -> str:
            c = roles.get(role)
            return row[c] if c is not None and c < len(row) else ""

        _check_text(row, roles, capped, sheet, line)
        own_role = "numbers" if cell("numbers") else "names"
        own_number, own_name = cell("numbers"), cell("names")
        if not (own_number or own_name):
            capped.add("error", "no_municipality", sheet=sheet, row=line)
            continue
        # the row's own number, with its name (when both are given) as a cross-check
        own_units = _resolve_members([own_number] if own_number else [], [own_name] if own_name else [], capped,
                                     sheet, line, abm.column_of(roles, own_role))
        if not own_units:
            continue
        own = own_units[0]
        service, form = _service_and_form(cell("service") or (service_area or ""), cell("form"), roles,
                                          capped, sheet, line)
        numbers_text, names_text = cell("partner_numbers"), cell("partner_names")
        texts = [t for t in (numbers_text, names_text) if t]
        if not texts or all(abm.is_no_cooperation(t) for t in texts):
            none[(service, own)] = line
            continue
        number_parts = [] if abm.is_no_cooperation(numbers_text) else abm.split_partners(numbers_text)
        name_parts = [] if abm.is_no_cooperation(names_text) else abm.split_partners(names_text)
        column = abm.column_of(partners, "partner_numbers" if number_parts else "partner_names")
        listed = _resolve_members(number_parts, name_parts, capped, sheet, line, column)
        if not listed:
            continue
        listed_rows.append(abm.MunicipalityRow(
            line, own, service, listed, fields=af.read_fields(row, fields, capped, sheet, line),
            host=_host(cell("host"), roles, capped, sheet, line), sheet=sheet, name=cell("name"), form=form))
    for group in abm.group_rows(listed_rows, none, capped):
        listing = group["listing"]
        hosts = {r.host for r in listing if r.host}
        host = hosts.pop() if len(hosts) == 1 else ""
        fields_merged: dict[str, object] = dict.fromkeys(af.FIELDS)
        for r in listing:
            for key, value in r.fields.items():
                if fields_merged.get(key) is None and value is not None:
                    fields_merged[key] = value
        arrangement_id = out.new_id()
        name = next((r.name for r in listing if r.name), "") or ", ".join(names.get(u, u) for u in group["members"])
        out.add({"arrangement_id": arrangement_id, "name": name, "service_area": group["service"],
                 "legal_form": next((r.form for r in listing if r.form), ""), "host": host,
                 "source_row": group["first"]} | fields_merged)
        for unit in group["members"]:
            out.member(arrangement_id, unit, unit == host)


def _drop_single_members(out: _Collector, capped: v.CappedReport) -> None:
    """An "arrangement" of one municipality is no cooperation: left out, and said so with its row.

    It is what a mapping of one row per municipality becomes when its partner column
    was not recognised (that column is then also named unused).
    """
    count: dict[str, int] = {}
    for m in out.members:
        count[m["arrangement_id"]] = count.get(m["arrangement_id"], 0) + 1
    single = {a["arrangement_id"] for a in out.arrangements if count.get(a["arrangement_id"], 0) < 2}
    if not single:
        return
    names = geo.code_index().names
    for a in out.arrangements:
        if a["arrangement_id"] in single:
            member = next((m["kommunenummer"] for m in out.members if m["arrangement_id"] == a["arrangement_id"]), "")
            capped.add("warning", "single_member_skipped", sheet=a.get("_sheet"), row=a["source_row"],
                       municipality=f"{member} {names.get(member, '')}".strip())
    out.arrangements = [a for a in out.arrangements if a["arrangement_id"] not in single]
    out.members = [m for m in out.members if m["arrangement_id"] not in single]


def read_arrangements(sheets: Sequence[tuple[str | None, list[list[object]], list]],
                      report: ImportReport, service_area: str | None = None) -> dict[str, pd.DataFrame]:
    """The canonical arrangement tables from the grids of one file.

    ``service_area`` (a catalogue id or a text) is the service of rows that do not
    name one, e.g. a mapping of one service with one row per municipality.
    """
    capped = v.CappedReport(report)
    out = _Collector()
    found_table = False
    for sheet, rows, _merged in sheets:
        header = _find_header(rows)
        if header is None:
            continue
        found_table = True
        out.sheet = sheet
        header_row, roles = header
        partners = abm.looks_like_partner_header(rows, header_row)
        if partners:
            # one row per municipality reads no arrangement id or member role: such columns are named unused
            roles = {role: c for role, c in roles.items() if role not in ("id", "role")}
        taken = set(roles.values()) | set(partners.values())
        fields = af.header_fields(rows, header_row, taken)
        if partners:
            _read_by_municipality(sheet, rows, header_row, roles, partners, fields, out, capped, service_area)
        else:
            _read_by_arrangement(sheet, rows, header_row, roles, fields, out, capped, service_area)
        af.report_unused_columns(rows, header_row, taken | set(fields.values()), capped, sheet)
    _drop_single_members(out, capped)
    capped.finish()
    if not found_table:
        report.error("no_arrangement_table")
        return empty_tables()
    tables = empty_tables()
    if out.arrangements:
        frame = pd.DataFrame(out.arrangements)
        for column, empty in tables["arrangements"].items():
            if column not in frame:
                frame[column] = None
            if empty.dtype.kind in "OU" or str(empty.dtype) in ("str", "string"):
                frame[column] = [("" if x is None or (isinstance(x, float) and x != x) else str(x))
                                 for x in frame[column]]
            frame[column] = frame[column].astype(empty.dtype)
        tables["arrangements"] = frame[list(tables["arrangements"].columns)]
    if out.members:
        tables["arrangement_members"] = pd.DataFrame(out.members).astype(str)
    if not out.arrangements and report.ok:
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
