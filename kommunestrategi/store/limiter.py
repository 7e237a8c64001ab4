"""Logging in with an access code, and the limit on failed attempts.

Failures are counted in a sliding window (``auth.WINDOW_SECONDS``) in two scopes,
each separately for every role of the workspace (``secretariat``, ``viewer``,
``council:5001``, ...):

* per workspace and client (the network address, see :func:`auth.client_address`):
  at most ``auth.MAX_FAILURES``;
* per workspace over all clients: at most ``auth.MAX_WORKSPACE_FAILURES``, so
  changing or forging the client address gives no fresh budget.

A wrong code counts against every role; a successful login clears only the count
of the role it logged into (in its client's scope and the workspace's). So holding
a viewer code gives no extra guesses at the secretariat code. While a role is
locked, a code for that role and a wrong code get the same answer
(:class:`TooManyAttempts`), so the answer never tells whether a guess was right;
codes of roles that are not locked still work. When every role is locked the
attempt is refused without checking the code.

Atomic on SQLite and PostgreSQL: counting and recording the attempt happen in one
write transaction that first locks the workspace's row (``SELECT ... FOR UPDATE``
on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` serialises writers), and the attempt
is recorded as a failure *before* the code is checked; a success then marks it.
So parallel attempts cannot all pass the count, and an attempt whose check never
finishes still counts.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, insert, select, update

from kommunestrategi.store import auth
from kommunestrategi.store import models as m
from kommunestrategi.store.types import ROLES, Actor, InvalidAccessCode, TooManyAttempts

if TYPE_CHECKING:
    from kommunestrategi.store.core import Store

#: Attempts older than this are deleted when a new one is recorded.
KEEP_DAYS = 7


def role_key(role: str, council: str | None) -> str:
    """``secretariat``, ``viewer`` or ``council:5001``: what a code logs into."""
    return f"{role}:{council}" if role == "council" else role


def _failures_since_success(rows: Iterable[Any], key: str) -> list[datetime]:
    """Times of the failures after the latest success of ``key`` (rows in id order)."""
    failures: list[datetime] = []
    for row in rows:
        if row.success:
            if row.role == key:
                failures = []
        else:
            failures.append(_aware(row.at))
    return failures


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _wait(failures: Sequence[datetime], limit: int, now: datetime) -> int | None:
    """Seconds until fewer than ``limit`` failures are in the window; None if not locked."""
    if len(failures) < limit:
        return None
    expires = sorted(failures)[len(failures) - limit] + timedelta(seconds=auth.WINDOW_SECONDS)
    return max(1, int((expires - now).total_seconds()) + 1)


def locked_roles(rows: Sequence[Any], client: str, keys: Iterable[str], now: datetime) -> dict[str, int]:
    """``{role key: seconds to wait}`` for the roles this client may not log into now.

    ``rows`` are the workspace's attempts within the window, in id order, with
    ``client``, ``at``, ``success`` and ``role``.
    """
    mine = [row for row in rows if row.client == client]
    locked: dict[str, int] = {}
    for key in keys:
        waits = [w for w in (_wait(_failures_since_success(mine, key), auth.MAX_FAILURES, now),
                             _wait(_failures_since_success(rows, key), auth.MAX_WORKSPACE_FAILURES, now))
                 if w is not None]
        if waits:
            locked[key] = max(waits)
    return locked


def _usable(code_row: Any) -> bool:
    """Whether a stored code stands for a role that can log in (defends against bad imports)."""
    return code_row.role in ROLES and (code_row.role != "council" or bool(code_row.council))


def login(store: Store, workspace_id: int | str, code: str, client: str = "", name: str | None = None) -> Actor:
    """The actor ``code`` stands for in the workspace (see the module docstring).

    Raises :class:`TooManyAttempts` while the limit holds, :class:`InvalidAccessCode`
    for a wrong code.
    """
    client = (client or "unknown")[:200]
    now = datetime.now(UTC)
    attempts = m.login_attempts
    with store._write() as conn:
        ws = store._get_workspace(conn, workspace_id)
        # Serialise the attempts on one workspace (PostgreSQL; SQLite's writers already are).
        conn.execute(select(m.workspaces.c.id).where(m.workspaces.c.id == ws.id).with_for_update())
        codes = [c for c in conn.execute(select(m.access_codes).where(m.access_codes.c.workspace_id == ws.id)).all()
                 if _usable(c)]
        rows = conn.execute(select(attempts.c.id, attempts.c.client, attempts.c.at, attempts.c.success,
                                   attempts.c.role)
                            .where(attempts.c.workspace_id == ws.id,
                                   attempts.c.at >= now - timedelta(seconds=auth.WINDOW_SECONDS))
                            .order_by(attempts.c.id)).all()
        keys = {role_key(c.role, c.council or None) for c in codes} or {"-"}
        locked = locked_roles(rows, client, keys, now)
        if len(locked) == len(keys):
            raise TooManyAttempts(min(locked.values()))
        attempt_id = conn.execute(insert(attempts).values(workspace_id=ws.id, client=client, at=now,
                                                          success=False, role="")).inserted_primary_key[0]
        conn.execute(delete(attempts).where(attempts.c.workspace_id == ws.id,
                                            attempts.c.at < now - timedelta(days=KEEP_DAYS)))
    match = next((c for c in codes if auth.check_code(code or "", c.salt, c.code_hash)), None)
    key = role_key(match.role, match.council or None) if match is not None else None
    if match is not None and key not in locked:
        with store._write() as conn:
            conn.execute(update(attempts).where(attempts.c.id == attempt_id).values(success=True, role=key))
        council = match.council or None
        default = {"secretariat": "secretariat", "viewer": "viewer"}.get(match.role, f"council {council}")
        return Actor((name or "").strip()[:200] or default, match.role, council)
    if locked:
        raise TooManyAttempts(min(locked.values()))
    mine = [row for row in rows if row.client == client]
    used = min(len(_failures_since_success(mine, k)) for k in keys) + 1
    raise InvalidAccessCode(f"wrong access code ({max(0, auth.MAX_FAILURES - used)} attempts left)")
