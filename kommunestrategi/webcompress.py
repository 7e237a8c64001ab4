"""Compressed, cached static files for the app's web server (an ASGI middleware).

Streamlit serves its own JavaScript bundles uncompressed (about 9.5 MB for a cold
load of the map page, most of it plotly's bundle) and leaves compression to a
reverse proxy. A workshop runs on one laptop with no proxy, thirty laptops on a
shared Wi-Fi, so the app compresses them itself: each immutable file (content-named,
so it never changes under its address) is compressed once per process and then
served from memory, so a hall of browsers costs the server one compression per
file, not one per request. Everything else passes through untouched.

Pure ASGI, no Streamlit import: :mod:`app` mounts it with ``st.App``.
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from typing import Any

import anyio

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

#: Content types worth compressing (images, fonts and archives are compressed already).
COMPRESSIBLE = ("text/", "application/javascript", "application/json", "application/geo+json",
                "image/svg+xml", "application/manifest+json", "application/wasm")
#: Paths whose files never change under their name: Streamlit's hashed bundles, the map's
#: content-named boundary files.
DEFAULT_PREFIXES = ("/static/", "/app/static/kart/")


def _header(scope: Scope, name: bytes) -> bytes:
    for key, value in scope.get("headers") or ():
        if key.lower() == name:
            return value
    return b""


def _accepts_gzip(scope: Scope) -> bool:
    """Whether the request's ``Accept-Encoding`` allows gzip (``q=0`` refuses it)."""
    accepted = _header(scope, b"accept-encoding").decode("latin-1").lower()
    for part in accepted.split(","):
        token, *params = (item.strip() for item in part.split(";"))
        if token not in ("gzip", "*"):
            continue
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    return float(value) > 0
                except ValueError:
                    return False
        return True
    return False


def _compressible(headers: Iterable[tuple[bytes, bytes]]) -> bool:
    content_type = b""
    for key, value in headers:
        name = key.lower()
        if name == b"content-encoding":
            return False  # already encoded by someone else
        if name == b"content-type":
            content_type = value
    text = content_type.decode("latin-1").lower()
    return any(text.startswith(kind) for kind in COMPRESSIBLE)


class CompressedStatic:
    """Serve immutable static files gzip-compressed from a bounded in-memory cache.

    Only ``GET`` requests under ``prefixes`` that accept gzip, without a ``Range``
    header, answered ``200`` with a compressible content type and at least
    ``minimum_size`` bytes, are compressed; the first request for a file is
    compressed in a worker thread (the event loop keeps serving), later ones are
    answered from memory. ``max_bytes`` bounds the cache (least recently used go).
    """

    def __init__(self, app: ASGIApp, *, prefixes: tuple[str, ...] = DEFAULT_PREFIXES, minimum_size: int = 1024,
                 level: int = 6, max_bytes: int = 64 * 2**20) -> None:
        self.app = app
        self.prefixes = prefixes
        self.minimum_size = minimum_size
        self.level = level
        self.max_bytes = max_bytes
        self._cache: OrderedDict[str, tuple[list[tuple[bytes, bytes]], bytes]] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()
        self.compressions = 0  # files compressed so far (a measure for tests and benchmarks)

    def _eligible(self, scope: Scope) -> bool:
        return (scope.get("type") == "http" and scope.get("method") == "GET"
                and str(scope.get("path", "")).startswith(self.prefixes)
                and not _header(scope, b"range") and _accepts_gzip(scope))

    def _key(self, scope: Scope) -> str:
        query = scope.get("query_string") or b""
        return str(scope.get("path", "")) + ("?" + query.decode("latin-1") if query else "")

    def _cached(self, key: str) -> tuple[list[tuple[bytes, bytes]], bytes] | None:
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    def _remember(self, key: str, headers: list[tuple[bytes, bytes]], body: bytes) -> None:
        if len(body) > self.max_bytes:
            return
        with self._lock:
            if key in self._cache:
                return
            self._cache[key] = (headers, body)
            self._size += len(body)
            while self._size > self.max_bytes and self._cache:
                _old, (_headers, dropped) = self._cache.popitem(last=False)
                self._size -= len(dropped)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._eligible(scope):
            await self.app(scope, receive, send)
            return
        key = self._key(scope)
        found = self._cached(key)
        if found is not None:
            headers, body = found
            await send({"type": "http.response.start", "status": 200, "headers": headers})
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        # Ask the app for the plain file (no inner compression), then compress it here.
        plain_scope = dict(scope)
        plain_scope["headers"] = [(k, v) for k, v in scope.get("headers") or ()
                                  if k.lower() not in (b"accept-encoding", b"if-none-match", b"if-modified-since")]
        start: Message | None = None
        chunks: list[bytes] = []

        async def collect(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(bytes(message.get("body", b"")))

        await self.app(plain_scope, receive, collect)
        if start is None:
            return
        body = b"".join(chunks)
        raw_headers = [(bytes(k), bytes(v)) for k, v in start.get("headers", [])]
        if start.get("status") != 200 or len(body) < self.minimum_size or not _compressible(raw_headers):
            await send(start)
            await send({"type": "http.response.body", "body": body, "more_body": False})
            return
        packed = await anyio.to_thread.run_sync(gzip.compress, body, self.level)
        with self._lock:
            self.compressions += 1
        headers = [(k, v) for k, v in raw_headers if k.lower() not in (b"content-length", b"vary")]
        headers += [(b"content-encoding", b"gzip"), (b"vary", b"Accept-Encoding"),
                    (b"content-length", str(len(packed)).encode("ascii"))]
        self._remember(key, headers, packed)
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": packed, "more_body": False})
