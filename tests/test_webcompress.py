"""Static files are sent gzip-compressed, compressed once, and nothing else changes."""

from __future__ import annotations

import asyncio
import concurrent.futures
import gzip
import urllib.request

import pytest

from kommunestrategi.webcompress import CompressedStatic

BUNDLE = b"function plot(){return 42};\n" * 4000  # ~110 KB of JavaScript


class FileServer:
    """A stand-in for the inner app: serves one file and counts the requests it got."""

    def __init__(self, body: bytes = BUNDLE, content_type: bytes = b"application/javascript",
                 extra: list[tuple[bytes, bytes]] | None = None, status: int = 200) -> None:
        self.body, self.content_type, self.extra, self.status = body, content_type, extra or [], status
        self.calls: list[dict] = []

    async def __call__(self, scope, receive, send):
        self.calls.append({k.decode(): v.decode() for k, v in scope.get("headers", [])})
        headers = [(b"content-type", self.content_type), (b"content-length", str(len(self.body)).encode()),
                   (b"cache-control", b"public, immutable, max-age=31536000"), *self.extra]
        await send({"type": "http.response.start", "status": self.status, "headers": headers})
        half = len(self.body) // 2  # in two chunks, as a file response streams
        await send({"type": "http.response.body", "body": self.body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": self.body[half:], "more_body": False})


def fetch(app, path="/static/js/index.abc123.js", method="GET", headers=None):
    """(status, headers, body) of one request through ``app``."""
    scope = {"type": "http", "method": method, "path": path, "query_string": b"",
             "headers": [(k.encode(), v.encode()) for k, v in (headers or {}).items()]}
    out: dict = {"body": b""}

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        if message["type"] == "http.response.start":
            out["status"] = message["status"]
            out["headers"] = {k.decode().lower(): v.decode() for k, v in message["headers"]}
        else:
            out["body"] += message.get("body", b"")

    # a thread of its own: another test's browser may keep an event loop running in this one
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, app(scope, receive, send)).result()
    return out["status"], out["headers"], out["body"]


GZIP = {"accept-encoding": "gzip, deflate, br"}


def test_a_bundle_is_sent_compressed_and_compressed_only_once():
    inner = FileServer()
    app = CompressedStatic(inner)
    for _ in range(3):
        status, headers, body = fetch(app, headers=GZIP)
        assert status == 200
        assert headers["content-encoding"] == "gzip"
        assert headers["vary"] == "Accept-Encoding"
        assert int(headers["content-length"]) == len(body) < len(BUNDLE) / 10
        assert headers["cache-control"] == "public, immutable, max-age=31536000"
        assert gzip.decompress(body) == BUNDLE
    assert app.compressions == 1 and len(inner.calls) == 1  # later requests came from memory
    # the inner app was asked for the plain file
    assert "accept-encoding" not in inner.calls[0]


@pytest.mark.parametrize("case", ["no gzip", "q=0", "range", "head", "other path", "image", "small",
                                  "encoded", "not found"])
def test_everything_else_passes_through_untouched(case):
    inner = FileServer()
    path, method, headers = "/static/js/index.abc123.js", "GET", dict(GZIP)
    if case == "no gzip":
        headers = {}
    elif case == "q=0":
        headers = {"accept-encoding": "gzip;q=0, br"}
    elif case == "range":
        headers["range"] = "bytes=0-99"
    elif case == "head":
        method = "HEAD"
    elif case == "other path":
        path = "/_stcore/health"
    elif case == "image":
        inner = FileServer(content_type=b"image/png")
    elif case == "small":
        inner = FileServer(body=b"x" * 100)
    elif case == "encoded":
        inner = FileServer(extra=[(b"content-encoding", b"br")])
    elif case == "not found":
        inner = FileServer(status=404)
    app = CompressedStatic(inner)
    status, out_headers, body = fetch(app, path=path, method=method, headers=headers)
    assert body == inner.body
    assert out_headers.get("content-encoding") in (None, "br")
    assert status == inner.status
    assert app.compressions == 0


def test_the_cache_is_bounded():
    app = CompressedStatic(FileServer(body=bytes(range(256)) * 4000), max_bytes=10_000)
    for number in range(5):
        fetch(app, path=f"/static/js/chunk{number}.js", headers=GZIP)
    assert app._size <= 10_000


@pytest.mark.e2e
def test_the_app_server_sends_its_bundles_compressed_and_asks_nobody_for_its_address(app_server):
    """``streamlit run app.py`` mounts the middleware; no lookup of a public address at start."""
    with urllib.request.urlopen(f"{app_server.url}/kart", timeout=30) as response:
        page = response.read().decode("utf-8")
    script = page.split('src="./static/js/', 1)[1].split('"', 1)[0]
    plain = urllib.request.urlopen(f"{app_server.url}/static/js/{script}", timeout=30).read()
    request = urllib.request.Request(f"{app_server.url}/static/js/{script}", headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=30) as response:
        assert response.headers["Content-Encoding"] == "gzip"
        assert gzip.decompress(response.read()) == plain
    assert "Did not auto detect external IP" not in app_server.log.read_text()
