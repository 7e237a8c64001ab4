"""Answers of a few read-mostly queries, kept until the database changes.

Every script run of the app asks which workspaces exist and which dataset versions
are active: small queries, but each is a transaction, and together they were a tenth
of a map interaction's server time. Their answers change when a secretariat uploads
or renames something, a few times a day.

An answer is reused only while all of these hold:

- the SQLite database file and its write-ahead log are unchanged (their size and
  modification time: every commit, by any process, writes the log);
- no write went through a store of this process on the same database since;
- it is younger than :data:`MAX_AGE` seconds (a backstop for a change the file
  times cannot show, such as two commits within one tick of the file clock).

PostgreSQL and in-memory SQLite have no such files, so there every call queries.
Cached values are immutable (frozen dataclasses, tuples).
"""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.engine import make_url

T = TypeVar("T")

#: Seconds an answer is kept at most, even when nothing shows a change.
MAX_AGE = 5.0

_GENERATIONS: dict[str, int] = {}
_GENERATIONS_LOCK = threading.Lock()


def _database_file(url: str) -> str | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return os.path.abspath(database)


class ReadCache:
    """Read-mostly answers of one database (see the module docstring)."""

    def __init__(self, url: str) -> None:
        self._file = _database_file(url)
        self._key = self._file or url
        self._entries: dict[tuple, tuple[tuple, int, float, Any]] = {}
        self._lock = threading.Lock()

    @property
    def enabled(self) -> bool:
        return self._file is not None

    def _token(self) -> tuple:
        out: list[int] = []
        for path in (self._file, f"{self._file}-wal"):
            try:
                info = os.stat(path)
            except FileNotFoundError:
                out += [-1, -1]
            else:
                out += [info.st_mtime_ns, info.st_size]
        return tuple(out)

    def changed(self) -> None:
        """A write went through this process: every answer of this database is stale."""
        with _GENERATIONS_LOCK:
            _GENERATIONS[self._key] = _GENERATIONS.get(self._key, 0) + 1

    def get(self, key: tuple, compute: Callable[[], T]) -> T:
        """The answer for ``key``: kept, or ``compute()``d now (which must return an immutable value)."""
        if self._file is None:
            return compute()
        # taken before the query: a change during it makes the next call query again
        token = self._token()
        generation = _GENERATIONS.get(self._key, 0)
        now = time.monotonic()
        with self._lock:
            hit = self._entries.get(key)
        if hit is not None and hit[0] == token and hit[1] == generation and now - hit[2] < MAX_AGE:
            return hit[3]
        value = compute()
        with self._lock:
            if len(self._entries) > 1024:
                self._entries.clear()
            self._entries[key] = (token, generation, now, value)
        return value
