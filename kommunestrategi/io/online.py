"""Shared HTTP machinery for the online sources (SSB PxWebApi, Kolada).

Online data is optional: the app works offline with bundled data and uploads.
When the user asks for a table, ``OnlineSource.get`` answers from the disk cache
when the entry is fresh, otherwise fetches with a timeout, retries transient
failures with exponential backoff, and falls back to an older cached copy when
the network is gone. Every failure is a ``FetchError`` whose ``message(lang)``
is a sentence for the user, never a traceback.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import pandas as pd
import requests

from kommunestrategi import config, formatting
from kommunestrategi.i18n import t
from kommunestrategi.io.cache import CacheEntry, DiskCache, describe_age, local_time, utcnow
from kommunestrategi.io.report import ImportReport

#: Seconds to wait for a connection and for each read.
DEFAULT_TIMEOUT = 20.0
#: Extra attempts after a transient failure (connection error, timeout, 429, 5xx).
DEFAULT_RETRIES = 2
#: First backoff pause in seconds; doubles with each retry.
DEFAULT_BACKOFF = 0.5
#: A server's Retry-After is honoured up to this many seconds.
MAX_RETRY_AFTER = 30.0
RETRY_STATUS = frozenset({429, 500, 502, 503, 504})
USER_AGENT = "kommunestrategi (https://github.com/; decision support for municipalities)"


class FetchError(Exception):
    """A failure to get data from an online source, with a translatable message."""

    key = "online.error"

    def __init__(self, source: str, **params: object) -> None:
        self.source = source
        self.params = {"source": source, **params}
        super().__init__(f"{type(self).__name__}: {source} {params}")

    def message(self, lang: str = "nb") -> str:
        """The problem as a sentence in the user's language."""
        return t(self.key, lang, **self.params)


class OfflineError(FetchError):
    """No connection to the source (or it did not answer in time) and nothing cached."""

    key = "online.offline"


class SourceTimeout(OfflineError):
    """The source did not answer within the timeout, on every attempt."""

    key = "online.timeout"


class NotCachedError(FetchError):
    """Cache-only mode was asked for, but the answer is not in the cache."""

    key = "online.not_cached"


class ServerError(FetchError):
    """The source kept answering with an error (429 or 5xx) after all retries."""

    key = "online.server_error"


class RequestRejected(FetchError):
    """The source rejected the request (4xx): unknown table, bad query."""

    key = "online.rejected"


class ResponseTooLarge(FetchError):
    """The answer exceeds the size limit for untrusted input."""

    key = "online.too_large"


class InvalidResponse(FetchError):
    """The answer could not be read as the expected format; ``report`` says why."""

    key = "online.invalid"

    def __init__(self, source: str, report: ImportReport, **params: object) -> None:
        super().__init__(source, **params)
        self.report = report


@dataclass(frozen=True)
class FetchResult:
    """A parsed answer from an online source and where it came from."""

    frame: pd.DataFrame
    fetched_at: datetime
    from_cache: bool
    url: str
    #: True when the network failed and an expired cached copy was used.
    stale: bool = False
    report: ImportReport | None = field(default=None, compare=False)
    #: The raw answer(s) as received (JSON), e.g. to run them through the file importer.
    data: bytes = field(default=b"", compare=False, repr=False)

    def age(self, now: datetime | None = None) -> timedelta:
        return max((now or utcnow()) - self.fetched_at, timedelta(0))

    def describe(self, lang: str = "nb", now: datetime | None = None) -> str:
        """Where and when, for the user: "Fetched 23.11.2026, 12:03 (3 hours ago, from cache)"."""
        key = "online.fetched_stale" if self.stale else (
            "online.fetched_cached" if self.from_cache else "online.fetched_now")
        return t(key, lang, when=formatting.timestamp(local_time(self.fetched_at), lang),
                 age=describe_age(self.age(now), lang))


@dataclass(frozen=True)
class Payload:
    """Raw bytes of one answer and their provenance (internal to the clients)."""

    data: bytes
    fetched_at: datetime
    from_cache: bool
    url: str
    stale: bool = False


def cache_key(method: str, url: str, params: dict | None, body: object) -> str:
    """A stable text key for a request."""
    return json.dumps([method.upper(), url, sorted((params or {}).items()), body],
                      sort_keys=True, ensure_ascii=False, default=str)


class OnlineSource:
    """Fetch bytes over HTTP with cache, timeout, retries and an offline fallback.

    ``session`` may be any ``requests.Session`` (tests mount an adapter or point
    ``base_url`` at a loopback server); ``sleep`` is injectable so tests of the
    backoff do not wait.
    """

    def __init__(self, name: str, cache: DiskCache | None = None, timeout: float = DEFAULT_TIMEOUT,
                 retries: int = DEFAULT_RETRIES, session: requests.Session | None = None,
                 backoff: float = DEFAULT_BACKOFF, sleep: Callable[[float], None] = time.sleep,
                 max_bytes: int | None = None) -> None:
        self.name = name
        self.cache = cache
        self.timeout = timeout
        self.retries = max(0, int(retries))
        self.session = session or requests.Session()
        self.backoff = backoff
        self.sleep = sleep
        self.max_bytes = max_bytes
        #: How many HTTP requests were actually sent (cache hits do not count).
        self.requests_sent = 0

    def get(self, method: str, url: str, *, params: dict | None = None, body: object = None,
            max_age: timedelta | None | str = "default", cache_only: bool = False,
            validate: Callable[[bytes], None] | None = None) -> Payload:
        """The answer for a request: from a fresh cache entry, the network, or a stale entry.

        ``validate`` is called on fetched bytes before they are cached, so a broken
        answer is never stored; it raises ``FetchError`` to reject them.
        """
        key = cache_key(method, url, params, body)
        shown_url = self._shown_url(url, params)
        if self.cache is not None:
            fresh = self.cache.get(key, max_age=max_age)
            if fresh is not None:
                return self._from_entry(fresh, stale=False)
            if cache_only:
                older = self.cache.get(key, max_age=None)
                if older is None:
                    raise NotCachedError(self.name)
                return self._from_entry(older, stale=True)
        elif cache_only:
            raise NotCachedError(self.name)
        try:
            data = self._fetch(method, url, params=params, body=body)
            if validate is not None:
                validate(data)
        except (OfflineError, ServerError):
            stale = self.cache.get(key, max_age=None) if self.cache is not None else None
            if stale is not None:
                return self._from_entry(stale, stale=True)
            raise
        if self.cache is not None:
            entry = self.cache.put(key, data, url=shown_url)
            return Payload(entry.data, entry.fetched_at, False, shown_url)
        return Payload(data, utcnow(), False, shown_url)

    @staticmethod
    def _from_entry(entry: CacheEntry, stale: bool) -> Payload:
        return Payload(entry.data, entry.fetched_at, True, entry.url, stale)

    @staticmethod
    def _shown_url(url: str, params: dict | None) -> str:
        if not params:
            return url
        return requests.Request("GET", url, params=params).prepare().url or url

    def _limit(self) -> int:
        return self.max_bytes if self.max_bytes is not None else config.max_upload_bytes()

    def _fetch(self, method: str, url: str, *, params: dict | None, body: object) -> bytes:
        last: FetchError | None = None
        for attempt in range(self.retries + 1):
            if attempt:
                self.sleep(self._pause(attempt, last))
            try:
                self.requests_sent += 1
                response = self.session.request(
                    method, url, params=params, json=body, timeout=self.timeout, stream=True,
                    headers={"Accept": "application/json", "User-Agent": USER_AGENT})
            except requests.Timeout:
                last = SourceTimeout(self.name, seconds=formatting.number(self.timeout))
                continue
            except (requests.ConnectionError, OSError):
                last = OfflineError(self.name)
                continue
            try:
                if response.status_code in RETRY_STATUS:
                    last = ServerError(self.name, status=response.status_code)
                    last.retry_after = _retry_after(response)  # type: ignore[attr-defined]
                    continue
                if response.status_code >= 400:
                    raise RequestRejected(self.name, status=response.status_code,
                                          detail=_error_detail(response))
                return self._read(response)
            except requests.Timeout:
                last = SourceTimeout(self.name, seconds=formatting.number(self.timeout))
            except (requests.ConnectionError, OSError):
                last = OfflineError(self.name)
            finally:
                response.close()
        assert last is not None
        raise last

    def _pause(self, attempt: int, last: FetchError | None) -> float:
        pause = self.backoff * (2 ** (attempt - 1))
        retry_after = getattr(last, "retry_after", None)
        if retry_after is not None:
            pause = max(pause, min(retry_after, MAX_RETRY_AFTER))
        return pause

    def _read(self, response: requests.Response) -> bytes:
        limit = self._limit()
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > limit:
            raise ResponseTooLarge(self.name, limit_mb=formatting.number(limit / 1024 / 1024))
        chunks: list[bytes] = []
        total = 0
        for chunk in response.iter_content(chunk_size=65536):
            total += len(chunk)
            if total > limit:
                raise ResponseTooLarge(self.name, limit_mb=formatting.number(limit / 1024 / 1024))
            chunks.append(chunk)
        return b"".join(chunks)


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    try:
        return float(value) if value else None
    except ValueError:
        return None


def _error_detail(response: requests.Response) -> str:
    """A short reason from an error answer (PxWebApi sends JSON with a title)."""
    try:
        text = response.raw.read(4096, decode_content=True).decode("utf-8", "replace")
    except (OSError, ValueError, AttributeError):
        return ""
    try:
        payload = json.loads(text)
    except ValueError:
        return text.strip()[:200]
    if isinstance(payload, dict):
        for name in ("title", "detail", "message", "error"):
            if isinstance(payload.get(name), str):
                return payload[name][:200]
    return ""
