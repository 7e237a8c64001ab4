"""A small disk cache for online sources: key -> bytes, with the time they were fetched.

Answers from SSB and Kolada change rarely, the app must work offline once data
has been fetched, and the user must see how old a figure is. Each entry is two
files under ``<data dir>/cache/<namespace>/``: the payload and a JSON sidecar with
the key, the source URL and the fetch time (UTC). Writes go to a temporary file
first and are renamed into place, so a crash never leaves half an entry.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from kommunestrategi import config
from kommunestrategi.i18n import t

#: Times are stored in UTC and shown in this zone.
DISPLAY_TIME_ZONE = "Europe/Oslo"
#: Entries older than this are fetched again when the network is available.
DEFAULT_MAX_AGE = timedelta(days=7)


def utcnow() -> datetime:
    """The current time in UTC (a function so tests can replace it)."""
    return datetime.now(UTC)


def local_time(moment: datetime) -> datetime:
    """A UTC time in Norwegian (and Swedish) local time for display; UTC if no time-zone data."""
    try:
        return moment.astimezone(ZoneInfo(DISPLAY_TIME_ZONE))
    except ZoneInfoNotFoundError:
        return moment


@dataclass(frozen=True)
class CacheEntry:
    """One cached answer."""

    key: str
    data: bytes
    fetched_at: datetime
    url: str = ""

    def age(self, now: datetime | None = None) -> timedelta:
        """How long ago the entry was fetched (never negative)."""
        delta = (now or utcnow()) - self.fetched_at
        return max(delta, timedelta(0))

    def is_fresh(self, max_age: timedelta | None, now: datetime | None = None) -> bool:
        """True when no limit is given or the entry is younger than ``max_age``."""
        return max_age is None or self.age(now) <= max_age


def describe_age(age: timedelta, lang: str = "nb") -> str:
    """An age in words for the user ("3 hours ago"), in their language."""
    seconds = int(age.total_seconds())
    if seconds < 60:
        return t("online.age.now", lang)
    if seconds < 3600:
        return t("online.age.minutes", lang, n=seconds // 60)
    if seconds < 86400:
        return t("online.age.hours", lang, n=seconds // 3600)
    return t("online.age.days", lang, n=seconds // 86400)


class DiskCache:
    """Payloads keyed by text, stored under the data folder.

    ``max_age`` is the default freshness limit for ``get``; ``None`` accepts any
    age. The folder is created on first write.
    """

    def __init__(self, root: Path | None = None, namespace: str = "online",
                 max_age: timedelta | None = DEFAULT_MAX_AGE) -> None:
        self.root = (root or config.data_dir() / "cache") / namespace
        self.max_age = max_age

    @staticmethod
    def _digest(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def _paths(self, key: str) -> tuple[Path, Path]:
        digest = self._digest(key)
        return self.root / f"{digest}.bin", self.root / f"{digest}.json"

    def get(self, key: str, max_age: timedelta | None | str = "default",
            now: datetime | None = None) -> CacheEntry | None:
        """The entry for ``key`` if present and fresh enough, else None.

        ``max_age`` overrides the cache's default; pass ``None`` to accept any age.
        A damaged entry (missing or unreadable sidecar) counts as absent.
        """
        limit = self.max_age if max_age == "default" else max_age
        entry = self._read(key)
        if entry is None or not entry.is_fresh(limit, now):  # type: ignore[arg-type]
            return None
        return entry

    def _read(self, key: str) -> CacheEntry | None:
        data_path, meta_path = self._paths(key)
        try:
            meta = json.loads(meta_path.read_text(encoding="utf-8"))
            data = data_path.read_bytes()
            fetched_at = datetime.fromisoformat(meta["fetched_at"])
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if meta.get("key") != key or meta.get("size") != len(data):
            return None
        if fetched_at.tzinfo is None:
            fetched_at = fetched_at.replace(tzinfo=UTC)
        return CacheEntry(key=key, data=data, fetched_at=fetched_at, url=str(meta.get("url", "")))

    def put(self, key: str, data: bytes, url: str = "", fetched_at: datetime | None = None) -> CacheEntry:
        """Store ``data`` under ``key`` (replacing an older entry) and return the entry."""
        self.root.mkdir(parents=True, exist_ok=True)
        entry = CacheEntry(key=key, data=bytes(data), fetched_at=fetched_at or utcnow(), url=url)
        data_path, meta_path = self._paths(key)
        meta = {"key": key, "url": url, "fetched_at": entry.fetched_at.isoformat(), "size": len(data)}
        self._atomic_write(data_path, entry.data)
        self._atomic_write(meta_path, json.dumps(meta, ensure_ascii=False).encode("utf-8"))
        return entry

    def _atomic_write(self, path: Path, payload: bytes) -> None:
        fd, tmp = tempfile.mkstemp(dir=self.root, prefix=".tmp-")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(payload)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise

    def entries(self) -> Iterator[CacheEntry]:
        """All readable entries, newest first."""
        if not self.root.is_dir():
            return iter(())
        found = []
        for meta_path in self.root.glob("*.json"):
            try:
                key = json.loads(meta_path.read_text(encoding="utf-8"))["key"]
            except (OSError, ValueError, KeyError, TypeError):
                continue
            entry = self._read(key)
            if entry is not None:
                found.append(entry)
        return iter(sorted(found, key=lambda e: e.fetched_at, reverse=True))

    def delete(self, key: str) -> None:
        """Forget one entry (no error when absent)."""
        for path in self._paths(key):
            path.unlink(missing_ok=True)

    def clear(self) -> int:
        """Forget every entry; returns how many were removed."""
        count = 0
        for entry in list(self.entries()):
            self.delete(entry.key)
            count += 1
        return count
