"""The cooperation register: arrangements, their members and register fields.

An :class:`Arrangement` is one inter-municipal arrangement (a host-municipality
cooperation, an IKS, a company, an agreement ...) with its members (2024 map
unit numbers), its host and the register fields. Every field except id and
members may be missing; missing fields are ``""`` for texts and ``None`` for
numbers, dates and yes/no.

A :class:`Register` is the arrangements of one workspace: the active imported
dataset version with the secretariat's additions, edits and endings applied
(``kommunestrategi.cooperation.arrangements_for``).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

import pandas as pd

from kommunestrategi.codes import normalise_number

#: Register fields beyond name, service area, form, members and host (import and edit).
REGISTER_FIELDS: tuple[str, ...] = ("year_established", "org_number", "annual_cost", "budget_share",
                                    "person_years", "agreement_date", "next_review", "exit_clause",
                                    "notice_months")
TEXT_FIELDS = ("name", "service_area", "legal_form", "host", "org_number", "agreement_date", "next_review",
               "ended")
NUMBER_FIELDS = ("annual_cost", "budget_share", "person_years", "notice_months")


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _text(value: object) -> str:
    return "" if _missing(value) else str(value).strip()


def _float(value: object) -> float | None:
    if _missing(value) or value == "":
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def _int(value: object) -> int | None:
    number = _float(value)
    return None if number is None else int(number)


def _yes_no(value: object) -> bool | None:
    if _missing(value) or value == "":
        return None
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("yes", "ja", "true", "1"):
        return True
    if text in ("no", "nei", "false", "0"):
        return False
    return None


def _date_text(value: object) -> str:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = _text(value)
    if not text:
        return ""
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return ""


@dataclass(frozen=True)
class Arrangement:
    """One arrangement of the register (see the module docstring)."""

    id: str
    name: str
    members: tuple[str, ...]
    service_area: str = ""
    legal_form: str = ""
    host: str = ""
    year_established: int | None = None
    org_number: str = ""
    annual_cost: float | None = None
    budget_share: float | None = None
    person_years: float | None = None
    agreement_date: str = ""
    next_review: str = ""
    exit_clause: bool | None = None
    notice_months: float | None = None
    ended: str = ""
    #: ``import`` (from the active dataset version, possibly edited) or ``app`` (added in the app)
    source: str = "import"
    #: the edit version in the store (0: as imported, never edited)
    version: int = 0
    source_row: int | None = None

    @property
    def active(self) -> bool:
        return not self.ended

    def review_date(self) -> dt.date | None:
        return dt.date.fromisoformat(self.next_review) if self.next_review else None

    def as_dict(self) -> dict[str, Any]:
        """Plain JSON-able values (members as a list)."""
        data = asdict(self)
        data["members"] = list(self.members)
        return data

    def with_changes(self, **changes: Any) -> Arrangement:
        return normalised(replace(self, **changes))

    def editable(self) -> dict[str, Any]:
        """The fields the secretariat edits (everything but id, source, version and row)."""
        data = self.as_dict()
        for key in ("id", "source", "version", "source_row"):
            data.pop(key)
        return data


def normalised(arrangement: Arrangement) -> Arrangement:
    """Types tidied: member numbers as 4 digits (sorted, unique), texts stripped, numbers as floats."""
    members = tuple(sorted({normalise_number(m) or str(m) for m in arrangement.members if _text(m)}))
    host = normalise_number(arrangement.host) or "" if _text(arrangement.host) else ""
    return replace(
        arrangement,
        name=_text(arrangement.name), service_area=_text(arrangement.service_area),
        legal_form=_text(arrangement.legal_form), members=members, host=host,
        year_established=_int(arrangement.year_established), org_number=_text(arrangement.org_number),
        annual_cost=_float(arrangement.annual_cost), budget_share=_float(arrangement.budget_share),
        person_years=_float(arrangement.person_years), agreement_date=_date_text(arrangement.agreement_date),
        next_review=_date_text(arrangement.next_review), exit_clause=_yes_no(arrangement.exit_clause),
        notice_months=_float(arrangement.notice_months), ended=_date_text(arrangement.ended),
    )


def from_dict(data: Mapping[str, Any], **extra: Any) -> Arrangement:
    """An arrangement from stored or edited values (unknown keys ignored)."""
    known = {f.name for f in fields(Arrangement)}
    values = {k: v for k, v in {**data, **extra}.items() if k in known}
    values.setdefault("name", "")
    values["members"] = tuple(values.get("members") or ())
    return normalised(Arrangement(**values))


def from_tables(arrangements: pd.DataFrame | None, members: pd.DataFrame | None) -> list[Arrangement]:
    """Arrangements from the importer's canonical tables (older versions may lack register columns)."""
    if arrangements is None or len(arrangements) == 0:
        return []
    by_id: dict[str, list[str]] = {}
    if members is not None and len(members):
        for arrangement_id, code in zip(members["arrangement_id"].astype(str), members["kommunenummer"].astype(str),
                                        strict=True):
            by_id.setdefault(arrangement_id, []).append(code)
    out = []
    for row in arrangements.to_dict("records"):
        ident = _text(row.get("arrangement_id"))
        out.append(from_dict({**row, "id": ident, "members": by_id.get(ident, []),
                              "source_row": _int(row.get("source_row"))}, source="import"))
    return out


@dataclass(frozen=True)
class Register:
    """The arrangements of one workspace (ended ones included; see :meth:`active`)."""

    arrangements: tuple[Arrangement, ...] = ()
    #: where the imported part comes from, e.g. ``"barnevern.csv (#3)"``; "" when nothing is imported
    source: str = ""
    dataset_version: int | None = None
    _index: dict = field(default_factory=dict, compare=False, repr=False)

    def __iter__(self) -> Iterator[Arrangement]:
        return iter(self.arrangements)

    def __len__(self) -> int:
        return len(self.arrangements)

    def get(self, arrangement_id: str) -> Arrangement | None:
        ids = self._index.get("__ids__")
        if ids is None:
            ids = self._index["__ids__"] = {a.id: a for a in self.arrangements}
        return ids.get(arrangement_id)

    def active(self) -> Register:
        """Only running arrangements (not ended)."""
        return Register(tuple(a for a in self.arrangements if a.active), self.source, self.dataset_version)

    def by_member(self) -> dict[str, list[Arrangement]]:
        """Municipality number -> its arrangements (built once per register)."""
        index = self._index.get("__by_member__")
        if index is None:
            index = {}
            for a in self.arrangements:
                for m in a.members:
                    index.setdefault(m, []).append(a)
            self._index["__by_member__"] = index
        return index

    def for_municipality(self, code: str) -> list[Arrangement]:
        code = normalise_number(code) or code
        return list(self.by_member().get(code, []))

    def for_service(self, service_area: str) -> list[Arrangement]:
        return [a for a in self.arrangements if a.service_area == service_area]

    def municipalities(self) -> list[str]:
        return sorted(self.by_member())

    def memberships(self) -> pd.DataFrame:
        """One row per (arrangement, member): ``arrangement_id``, ``kommunenummer``, ``role``."""
        rows = [(a.id, m, "host" if m == a.host else "member") for a in self.arrangements for m in a.members]
        return pd.DataFrame(rows, columns=["arrangement_id", "kommunenummer", "role"])

    def frame(self) -> pd.DataFrame:
        """One row per arrangement with every field (members as a space-separated text)."""
        columns = [f.name for f in fields(Arrangement)]
        rows = []
        for a in self.arrangements:
            data = a.as_dict()
            data["members"] = " ".join(a.members)
            rows.append(data)
        return pd.DataFrame(rows, columns=columns)

    @classmethod
    def of(cls, arrangements: Iterable[Arrangement], source: str = "",
           dataset_version: int | None = None) -> Register:
        return cls(tuple(arrangements), source, dataset_version)
