"""The store's value types and errors (plain, immutable dataclasses)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

Role = Literal["secretariat", "council", "viewer"]
ROLES: tuple[str, ...] = ("secretariat", "council", "viewer")


@dataclass(frozen=True)
class Actor:
    """Who is acting: a name for the history and a role that decides what they may write.

    ``council`` is the 4-digit kommunenummer a council participant speaks for.
    """

    name: str
    role: Role
    council: str | None = None

    def __post_init__(self) -> None:
        if self.role not in ROLES:
            raise ValueError(f"unknown role: {self.role!r}")
        if self.role == "council" and not self.council:
            raise ValueError("a council actor needs a council (kommunenummer)")


#: The actor for command-line tools and import scripts.
SYSTEM = Actor("system", "secretariat")


@dataclass(frozen=True)
class Workspace:
    id: int
    name: str
    created_at: datetime
    open_access: bool
    #: ``NO`` or ``SE``: decides the workspace's municipalities, data and guidance.
    country: str = "NO"


@dataclass(frozen=True)
class Council:
    kommunenummer: str
    name: str


@dataclass(frozen=True)
class Answer:
    workspace_id: int
    council: str
    service_area: str
    criterion: str
    field: str
    value: Any
    version: int
    author: str
    updated_at: datetime


@dataclass(frozen=True)
class HistoryEntry:
    """One change: who, when, the value before and after, and the version it produced."""

    id: int
    at: datetime
    author: str
    old_value: Any
    new_value: Any
    version: int | None
    entity: str = "answer"
    key: str = ""
    action: str = "update"


@dataclass(frozen=True)
class SavedRegion:
    id: int
    name: str
    codes: list[str]
    author: str
    updated_at: datetime


@dataclass(frozen=True)
class DatasetVersion:
    id: int
    workspace_id: int
    kind: str
    file_name: str
    sha256: str
    counts: dict
    report: list[dict]
    created_at: datetime
    author: str
    active: bool


@dataclass(frozen=True)
class AccessCodeInfo:
    """That a code exists for a role (and council), never the code or its hash."""

    role: str
    council: str | None
    created_at: datetime
    author: str


class StoreError(Exception):
    """Any failure of the store the user can act on (one-line message)."""


class UnknownWorkspace(StoreError):
    """No workspace with that name or id."""

    def __init__(self, given: object) -> None:
        super().__init__(f"unknown workspace: {given}")
        self.given = given


class PermissionDenied(StoreError):
    """The actor's role may not make this change."""


class ConflictError(StoreError):
    """Someone saved the same answer since the editor loaded it; nothing was written.

    ``current`` is the stored answer, ``attempted`` the value that was not saved.
    """

    def __init__(self, current: Any, attempted: Any) -> None:
        super().__init__("the value was changed by someone else since it was loaded")
        self.current = current
        self.attempted = attempted


class InvalidAccessCode(PermissionDenied):
    """The access code matches no role in the workspace."""


class TooManyAttempts(PermissionDenied):
    """Too many failed logins from this client; ``retry_after`` seconds until the next try."""

    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed attempts; try again in {retry_after} s")
        self.retry_after = retry_after

