"""What the register says: counts per municipality, pairs, regional coherence, governance flags.

All functions take a :class:`~kommunestrategi.cooperation.model.Register` (or a
list of arrangements) and return plain values or frames; nothing here reads the
store or draws. Ended arrangements are left out by the callers (``register.active()``).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from kommunestrategi import criteria
from kommunestrategi.codes import normalise_number
from kommunestrategi.cooperation.model import Arrangement, Register

RULES_PATH = Path(__file__).resolve().parent / "rules.yaml"
#: Governance flags, in the order they are shown.
FLAGS: tuple[str, ...] = ("no_review_date", "review_overdue", "review_due", "no_exit_clause", "no_notice_period",
                          "no_host", "form_unsuitable")
#: Flags that are problems (the others are reminders).
SERIOUS_FLAGS = frozenset({"review_overdue", "no_host", "form_unsuitable"})
UNKNOWN = ""


@lru_cache(maxsize=1)
def rules() -> dict:
    return yaml.safe_load(RULES_PATH.read_text(encoding="utf-8")) or {}


def authority_areas() -> frozenset[str]:
    return frozenset(str(a) for a in rules().get("authority_service_areas", []))


@lru_cache(maxsize=1)
def _forms() -> dict[str, criteria.LegalForm]:
    return {f.id: f for f in criteria.catalogue().forms}


def _form(form_id: str) -> criteria.LegalForm | None:
    return _forms().get(form_id) if form_id else None


def _mine(register: Register | Iterable[Arrangement], code: str) -> list[Arrangement]:
    if isinstance(register, Register):
        return register.for_municipality(code)
    return [a for a in register if code in a.members]


def flags(arrangement: Arrangement, today: dt.date | None = None) -> list[str]:
    """The governance flags of one arrangement (ids from :data:`FLAGS`).

    ``no_review_date`` / ``review_overdue`` / ``review_due`` (within the rules'
    warning days), ``no_exit_clause`` (unknown or "no"), ``no_notice_period``,
    ``no_host`` (a host-municipality form with no host named) and
    ``form_unsuitable`` (a service area with exercise of public authority in a
    form that cannot in general be given it, or a historic form).
    """
    return list(_flags(arrangement, today or dt.date.today()))


@lru_cache(maxsize=20_000)
def _flags(arrangement: Arrangement, today: dt.date) -> tuple[str, ...]:
    found: list[str] = []
    review = arrangement.review_date()
    if review is None:
        found.append("no_review_date")
    elif review < today:
        found.append("review_overdue")
    elif review <= today + dt.timedelta(days=int(rules().get("review_warning_days", 90))):
        found.append("review_due")
    if arrangement.exit_clause is not True:
        found.append("no_exit_clause")
    if arrangement.notice_months is None:
        found.append("no_notice_period")
    form = _form(arrangement.legal_form)
    if form is not None and form.host_based and not arrangement.host:
        found.append("no_host")
    if form is not None and (form.historic or (arrangement.service_area in authority_areas()
                                               and not form.can_delegate_authority)):
        found.append("form_unsuitable")
    return tuple(found)


def flag_table(arrangements: Iterable[Arrangement], today: dt.date | None = None) -> dict[str, list[str]]:
    """Arrangement id -> its flags."""
    return {a.id: flags(a, today) for a in arrangements}


def _steered_share(arrangements: Sequence[Arrangement], code: str, budget_nok: float | None) -> float | None:
    """The share of a municipality's budget steered through its arrangements (0-1), where known.

    Per arrangement: the register's ``budget_share`` (percent of each member's
    budget) when given, else its ``annual_cost`` split equally among the members,
    divided by the municipality's budget. None when no arrangement has a figure or
    there is no budget for the cost-only ones.
    """
    share = 0.0
    known = False
    for a in arrangements:
        if a.budget_share is not None:
            share += a.budget_share / 100
            known = True
        elif a.annual_cost is not None and budget_nok:
            share += a.annual_cost / max(len(a.members), 1) / budget_nok
            known = True
    return share if known else None


@dataclass(frozen=True)
class MunicipalitySummary:
    """One municipality's cooperation: counts by form and sector, hosted, resources, flags."""

    kommunenummer: str
    arrangements: int
    by_form: dict[str, int]
    by_sector: dict[str, int]
    hosted: list[str]
    partners: int
    person_years: float | None
    annual_cost: float | None
    budget_share: float | None
    flags: dict[str, int]
    arrangement_ids: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "kommunenummer": self.kommunenummer, "arrangements": self.arrangements, "by_form": self.by_form,
            "by_sector": self.by_sector, "hosted": self.hosted, "partners": self.partners,
            "person_years": self.person_years, "annual_cost": self.annual_cost,
            "budget_share": self.budget_share, "flags": self.flags, "arrangement_ids": self.arrangement_ids,
        }


def summary(register: Register | Iterable[Arrangement], code: str, budget_nok: float | None = None,
            today: dt.date | None = None) -> MunicipalitySummary:
    """The summary for one municipality (``budget_nok``: its yearly budget in NOK, if known).

    ``person_years`` and ``annual_cost`` are the municipality's equal share of each
    arrangement's figure, summed over the arrangements that have one (None if none has).
    """
    code = normalise_number(code) or code
    mine = _mine(register, code)
    by_form = Counter(a.legal_form or UNKNOWN for a in mine)
    by_sector = Counter(a.service_area or UNKNOWN for a in mine)
    person_years = [a.person_years / len(a.members) for a in mine if a.person_years is not None]
    costs = [a.annual_cost / len(a.members) for a in mine if a.annual_cost is not None]
    flag_counts: Counter[str] = Counter()
    for a in mine:
        flag_counts.update(flags(a, today))
    return MunicipalitySummary(
        kommunenummer=code, arrangements=len(mine),
        by_form=dict(sorted(by_form.items())), by_sector=dict(sorted(by_sector.items())),
        hosted=[a.id for a in mine if a.host == code],
        partners=len({m for a in mine for m in a.members} - {code}),
        person_years=round(sum(person_years), 2) if person_years else None,
        annual_cost=round(sum(costs), 2) if costs else None,
        budget_share=_steered_share(mine, code, budget_nok),
        flags={f: flag_counts[f] for f in FLAGS if flag_counts[f]},
        arrangement_ids=[a.id for a in mine],
    )


def counts_table(register: Register | Iterable[Arrangement], codes: Iterable[str] | None = None) -> pd.DataFrame:
    """Per municipality: ``kommunenummer``, ``arrangements``, ``hosted``, ``partners``,
    then one column per legal form (``form:<id>``) and per service area (``sector:<id>``)."""
    arrangements = list(register)
    member_codes = sorted({m for a in arrangements for m in a.members})
    members = member_codes if codes is None else [normalise_number(c) or c for c in codes]
    position = {c: i for i, c in enumerate(members)}
    forms = sorted({a.legal_form for a in arrangements})
    sectors = sorted({a.service_area for a in arrangements})
    form_at = {f: i for i, f in enumerate(forms)}
    sector_at = {s: i for i, s in enumerate(sectors)}
    totals = np.zeros((len(members), 2), dtype=np.int64)
    by_form = np.zeros((len(members), len(forms)), dtype=np.int64)
    by_sector = np.zeros((len(members), len(sectors)), dtype=np.int64)
    for a in arrangements:
        f, s = form_at[a.legal_form], sector_at[a.service_area]
        for m in a.members:
            i = position.get(m)
            if i is None:
                continue
            totals[i, 0] += 1
            totals[i, 1] += a.host == m
            by_form[i, f] += 1
            by_sector[i, s] += 1
    partners = _partner_sets(arrangements)
    out = pd.DataFrame({"kommunenummer": members, "arrangements": totals[:, 0], "hosted": totals[:, 1],
                        "partners": np.array([len(partners.get(c, ())) for c in members], dtype=np.int64)})
    columns = {f"form:{f}": by_form[:, i] for i, f in enumerate(forms)}
    columns |= {f"sector:{s}": by_sector[:, i] for i, s in enumerate(sectors)}
    return pd.concat([out, pd.DataFrame(columns, index=out.index)], axis=1) if columns else out


def _partner_sets(arrangements: Iterable[Arrangement]) -> dict[str, set[str]]:
    partners: dict[str, set[str]] = {}
    for a in arrangements:
        for m in a.members:
            partners.setdefault(m, set()).update(a.members)
    for code, found in partners.items():
        found.discard(code)
    return partners


def pair_counts(register: Register | Iterable[Arrangement]) -> Counter[tuple[str, str]]:
    """(a, b) with a < b -> the number of arrangements both are members of."""
    pairs: Counter[tuple[str, str]] = Counter()
    for a in register:
        members = sorted(set(a.members))
        for i, x in enumerate(members):
            for y in members[i + 1:]:
                pairs[(x, y)] += 1
    return pairs


def pair_matrix(register: Register | Iterable[Arrangement], codes: Sequence[str] | None = None) -> pd.DataFrame:
    """Square matrix (index and columns: municipality numbers) of shared arrangements.

    The diagonal is each municipality's own number of arrangements.
    """
    from scipy import sparse

    arrangements = list(register)
    order = list(codes) if codes is not None else sorted({m for a in arrangements for m in a.members})
    position = {c: i for i, c in enumerate(order)}
    rows, cols = [], []
    for r, a in enumerate(arrangements):
        for m in set(a.members):
            if m in position:
                rows.append(r)
                cols.append(position[m])
    incidence = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, cols)),
                                  shape=(len(arrangements), len(order)))
    matrix = (incidence.T @ incidence).toarray()
    return pd.DataFrame(matrix, index=order, columns=order)


@dataclass(frozen=True)
class MemberCoherence:
    kommunenummer: str
    arrangements: int
    inside: int
    crossing: int

    @property
    def share_inside(self) -> float | None:
        return self.inside / self.arrangements if self.arrangements else None


@dataclass(frozen=True)
class Coherence:
    """How well a region holds its members' cooperation.

    ``inside``: arrangements whose members all lie in the region; ``crossing``:
    arrangements with members both inside and outside (ids in ``crossing_ids``);
    ``members``: per member of the region, its arrangements, how many stay inside
    and the share that does.
    """

    region: tuple[str, ...]
    inside: int
    crossing: int
    inside_ids: tuple[str, ...]
    crossing_ids: tuple[str, ...]
    members: tuple[MemberCoherence, ...]

    @property
    def share_inside(self) -> float | None:
        touched = self.inside + self.crossing
        return self.inside / touched if touched else None

    def as_dict(self) -> dict:
        return {
            "region": list(self.region), "inside": self.inside, "crossing": self.crossing,
            "share_inside": self.share_inside, "inside_ids": list(self.inside_ids),
            "crossing_ids": list(self.crossing_ids),
            "members": [{"kommunenummer": m.kommunenummer, "arrangements": m.arrangements, "inside": m.inside,
                         "crossing": m.crossing, "share_inside": m.share_inside} for m in self.members],
        }


def coherence(register: Register | Iterable[Arrangement], members: Iterable[str]) -> Coherence:
    """Regional coherence of a region or selection (municipality numbers) against the register."""
    region = tuple(sorted({normalise_number(c) or str(c) for c in members}))
    inside_set = set(region)
    inside_ids: list[str] = []
    crossing_ids: list[str] = []
    per_member: dict[str, list[int]] = {c: [0, 0, 0] for c in region}
    for a in register:
        codes = set(a.members)
        within = codes & inside_set
        if not within:
            continue
        stays = codes <= inside_set
        (inside_ids if stays else crossing_ids).append(a.id)
        for code in within:
            per_member[code][0] += 1
            per_member[code][1 if stays else 2] += 1
    return Coherence(region, len(inside_ids), len(crossing_ids), tuple(inside_ids), tuple(crossing_ids),
                     tuple(MemberCoherence(c, *per_member[c]) for c in region))


def overview_rows(register: Register | Iterable[Arrangement], code: str,
                  today: dt.date | None = None) -> list[dict]:
    """One municipality's arrangements as rows for tables, XLSX and the strategy export.

    Keys: ``id``, ``name``, ``service_area``, ``legal_form``, ``host``, ``members``
    (list), ``next_review``, ``exit_clause``, ``notice_months``, ``annual_cost``,
    ``person_years``, ``ended``, ``flags`` (list of flag ids).
    """
    code = normalise_number(code) or code
    rows = []
    for a in _mine(register, code):
        rows.append({"id": a.id, "name": a.name, "service_area": a.service_area, "legal_form": a.legal_form,
                     "host": a.host, "members": list(a.members), "next_review": a.next_review,
                     "exit_clause": a.exit_clause, "notice_months": a.notice_months, "annual_cost": a.annual_cost,
                     "person_years": a.person_years, "ended": a.ended,
                     "flags": [] if a.ended else flags(a, today)})
    rows.sort(key=lambda r: (r["service_area"], r["name"].lower()))
    return rows


def for_service(register: Register | Iterable[Arrangement], code: str, service_area: str) -> list[Arrangement]:
    """The municipality's running arrangements for one service area (the checklist's view)."""
    code = normalise_number(code) or code
    return [a for a in _mine(register, code) if a.service_area == service_area and a.active]


def budgets_from_values(values: pd.DataFrame, indicator: str = "brutto_driftsinntekter") -> Mapping[str, float]:
    """Each municipality's newest budget figure in NOK from indicator values (``nok_1000``)."""
    if values is None or len(values) == 0 or "indicator_id" not in values:
        return {}
    rows = values[values["indicator_id"] == indicator].dropna(subset=["value"])
    if rows.empty:
        return {}
    newest = rows.sort_values("year").groupby("kommunenummer", sort=False).tail(1)
    return {str(k): float(v) * 1000 for k, v in zip(newest["kommunenummer"], newest["value"], strict=True)}
