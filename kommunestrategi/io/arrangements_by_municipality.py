"""The third register shape: one row per municipality, its partners in one or two columns.

A typical regional mapping lists every municipality once with the municipalities
it cooperates with for one service ("Samarbeidskommuner" as names and/or
"Samarbeidskommunenr" as numbers), or a marker such as "#Ingen samarbeid",
"Ingen" or "-" when it has none. Reading it:

* the group of a row is its own municipality plus the partners listed (a file may
  list the whole group including the row's own municipality, or only the others;
  which one is decided from the file: when most rows include their own
  municipality, a row that does not is reported);
* identical groups for the same service merge into one arrangement; "no
  cooperation" rows and groups of one create none;
* inconsistencies are reported with row numbers: A lists B but B does not list A
  (or B has no row), a municipality in two different groups for the same service,
  a row whose group does not contain its own municipality, and a group listed
  under only one of its members.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from kommunestrategi import geo
from kommunestrategi.codes import fold_name
from kommunestrategi.io import validation as v
from kommunestrategi.io.tables import cell_text, column_letter, header_key

#: Folded header texts of a partner column given as names / as numbers.
PARTNER_NAME_HEADERS = {"samarbeidskommuner", "samarbeidskommune", "samarbeidspartnere", "samarbeidspartner",
                        "partnere", "partnerkommuner", "partners", "partner municipalities", "partner names",
                        "samverkanskommuner", "samarbetskommuner", "samarbeider med", "cooperates with",
                        "samverkar med", "samarbeidskommunar"}
PARTNER_NUMBER_HEADERS = {"samarbeidskommunenr", "samarbeidskommunenummer", "samarbeidskommunenr.",
                          "samarbeidskommunenumre", "partnernummer", "partner numbers", "partner codes",
                          "partner municipality numbers", "samverkanskommunkod", "samarbeidspartnernr",
                          "samarbeidskommunenummer (knr)", "samarbeidskommunar nr"}
#: Folded cell texts that mean "this municipality has no cooperation for the service".
NO_COOPERATION = {"ingen samarbeid", "ingen", "-", "--", "–", "nei", "ikke samarbeid", "ikkje samarbeid",
                  "ingen samarbeid registrert", "none", "no cooperation", "no", "inget samarbete", "ingen samverkan",
                  "inget", "x", "0", "n/a", "ikke relevant", "egen tjeneste", "eget"}


def partner_role(key: str) -> str | None:
    """``partner_numbers`` / ``partner_names`` for a partner column header, else None."""
    if key in PARTNER_NUMBER_HEADERS:
        return "partner_numbers"
    if key in PARTNER_NAME_HEADERS:
        return "partner_names"
    return None


def is_no_cooperation(text: str) -> bool:
    folded = fold_name(text).strip().lstrip("#").strip(" .!")
    return folded in NO_COOPERATION or folded.startswith(("ingen samarbeid", "ikke samarbeid", "no cooperation"))


@dataclass
class MunicipalityRow:
    """One usable row: its municipality, the service and the group it names (with row number)."""

    line: int
    own: str
    service: str
    listed: list[str]
    fields: dict = field(default_factory=dict)
    host: str = ""
    sheet: str | None = None
    name: str = ""
    form: str = ""


def _names() -> dict[str, str]:
    return geo.code_index().names


def _label(code: str) -> str:
    return f"{code} {_names().get(code, '')}".strip()


def _rows_text(lines: list[int]) -> str:
    return ", ".join(str(n) for n in sorted(set(lines)))


def group_rows(rows: list[MunicipalityRow], no_cooperation: dict[tuple[str, str], int],
               capped: v.CappedReport) -> list[dict]:
    """Merge the rows into arrangements and report the inconsistencies.

    ``no_cooperation`` maps (service, municipality) to the row that says it has none.
    Returns one dict per arrangement: ``service``, ``members`` (sorted), ``rows``
    (the row numbers that list it), ``first`` (the first such row).
    """
    cooperating = [r for r in rows if r.listed]
    including = sum(1 for r in cooperating if r.own in r.listed)
    whole_groups = bool(cooperating) and including * 2 >= len(cooperating)
    groups: dict[tuple[str, frozenset[str]], list[MunicipalityRow]] = defaultdict(list)
    for r in cooperating:
        members = set(r.listed) | {r.own}
        if whole_groups and r.own not in r.listed:
            capped.add("warning", "group_without_own", sheet=r.sheet, row=r.line, municipality=_label(r.own),
                       group=", ".join(_label(c) for c in sorted(r.listed)))
        if len(members) < 2:
            capped.add("warning", "group_of_one", sheet=r.sheet, row=r.line, municipality=_label(r.own))
            continue
        groups[(r.service, frozenset(members))].append(r)

    rows_of: dict[tuple[str, str], list[MunicipalityRow]] = defaultdict(list)
    for r in rows:
        rows_of[(r.service, r.own)].append(r)

    # A lists B, but B does not list A.
    for (service, members), listing in groups.items():
        for r in listing:
            for partner in sorted(members - {r.own}):
                own_rows = rows_of.get((service, partner), [])
                if any(r.own in o.listed for o in own_rows):
                    continue
                if own_rows or (service, partner) in no_cooperation:
                    lines = [o.line for o in own_rows] or [no_cooperation[(service, partner)]]
                    capped.add("warning", "partner_not_reciprocal", sheet=r.sheet, row=r.line,
                               municipality=_label(r.own), partner=_label(partner), partner_rows=_rows_text(lines))
                else:
                    capped.add("warning", "partner_has_no_row", sheet=r.sheet, row=r.line,
                               municipality=_label(r.own), partner=_label(partner))

    # A municipality in two different groups for the same service.
    by_member: dict[tuple[str, str], list[tuple[frozenset[str], list[MunicipalityRow]]]] = defaultdict(list)
    for (service, members), listing in groups.items():
        for code in members:
            by_member[(service, code)].append((members, listing))
    for (_service, code), found in sorted(by_member.items(), key=lambda item: item[0]):
        if len(found) < 2:
            continue
        lines = [r.line for _members, listing in found for r in listing]
        texts = ["(" + ", ".join(_label(c) for c in sorted(members)) + ")" for members, _listing in found]
        first = min(lines)
        sheet = next(r.sheet for _members, listing in found for r in listing)
        capped.add("warning", "in_two_groups", sheet=sheet, row=first, municipality=_label(code),
                   groups="; ".join(texts), rows=_rows_text(lines))

    # A group listed under only one of its members.
    for (_service, members), listing in groups.items():
        if len(listing) == 1:
            r = listing[0]
            capped.add("warning", "group_listed_once", sheet=r.sheet, row=r.line, municipality=_label(r.own),
                       group=", ".join(_label(c) for c in sorted(members)))

    merged = []
    for (service, members), listing in groups.items():
        lines = sorted(r.line for r in listing)
        merged.append({"service": service, "members": sorted(members), "rows": lines, "first": lines[0],
                       "listing": sorted(listing, key=lambda r: r.line)})
    merged.sort(key=lambda g: g["first"])
    return merged


def split_partners(text: str) -> list[str]:
    """The partner entries of a cell (any of , ; / newline, "og", "&" as separators)."""
    return [part.strip() for part in re.split(r"\s*[,;/\n|]\s*|\s+og\s+|\s*&\s*", text) if part and part.strip()]


def looks_like_partner_header(rows: list[list[object]], header_row: int) -> dict[str, int]:
    """Partner columns of a header row (role -> column)."""
    found: dict[str, int] = {}
    for c, value in enumerate(rows[header_row]):
        key = header_key(cell_text(value))
        role = partner_role(key)
        if role is None and key.startswith(("samarbeidskommune", "samarbeidspartner")):
            role = "partner_numbers" if re.search(r"(nr|nummer|numre|kode)$", key) else "partner_names"
        if role and role not in found:
            found[role] = c
    return found


def column_of(roles: dict[str, int], role: str) -> str:
    return column_letter(roles[role]) if role in roles else ""
