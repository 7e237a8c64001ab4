"""A participant's lasting identity: a random token kept by the browser, a name kept here.

The browser holds a random token (a cookie); the store keeps only its SHA-256 with the
participant's name, so the name typed once ("Ditt navn") survives a reload, a new tab
and a server restart. A name is not an authority: in an open workspace anyone may
type any name; access codes and OIDC decide roles (see :mod:`kommunestrategi.store.auth`).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import insert, select, update

from kommunestrategi.store.core import Store
from kommunestrategi.store.tables_participants import participants as table

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{20,64}$")
MAX_NAME = 80


@dataclass(frozen=True)
class Participant:
    id: int
    name: str
    created_at: datetime
    updated_at: datetime


def new_token() -> str:
    """A fresh random token (URL- and cookie-safe, 128+ bits)."""
    return secrets.token_urlsafe(24)


def valid_token(token: object) -> bool:
    return isinstance(token, str) and bool(TOKEN_PATTERN.match(token))


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def _clean(name: str) -> str:
    return " ".join(str(name or "").split())[:MAX_NAME]


def _row(row) -> Participant:
    def aware(value: datetime) -> datetime:
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    return Participant(row.id, row.name, aware(row.created_at), aware(row.updated_at))


def get(store: Store, token: str) -> Participant | None:
    """The participant holding ``token``, or None (unknown or malformed token)."""
    if not valid_token(token):
        return None
    with store._read() as conn:
        row = conn.execute(select(table).where(table.c.token_hash == _hash(token))).first()
    return _row(row) if row is not None else None


def ensure(store: Store, token: str, name: str = "") -> Participant:
    """The participant holding ``token``, created (with ``name``) if new."""
    if not valid_token(token):
        raise ValueError("malformed participant token")
    found = get(store, token)
    if found is not None:
        return found
    now = datetime.now(UTC)
    with store._write() as conn:
        row = conn.execute(select(table).where(table.c.token_hash == _hash(token))).first()
        if row is None:
            conn.execute(insert(table).values(token_hash=_hash(token), name=_clean(name),
                                              created_at=now, updated_at=now))
            row = conn.execute(select(table).where(table.c.token_hash == _hash(token))).first()
    return _row(row)


def rename(store: Store, token: str, name: str) -> Participant:
    """Give the participant holding ``token`` a (new) name; committed before it returns."""
    participant = ensure(store, token)
    name = _clean(name)
    if name == participant.name:
        return participant
    now = datetime.now(UTC)
    with store._write() as conn:
        conn.execute(update(table).where(table.c.id == participant.id).values(name=name, updated_at=now))
    return Participant(participant.id, name, participant.created_at, now)
