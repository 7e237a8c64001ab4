"""Timeouts, retries with backoff, offline fallback and size limits of the online sources."""

from __future__ import annotations

from datetime import timedelta

import pytest

from kommunestrategi.io.cache import DiskCache
from kommunestrategi.io.online import (
    OfflineError,
    OnlineSource,
    ResponseTooLarge,
    ServerError,
    SourceTimeout,
)
from tests.fixtures.loopback import LoopbackServer, Reply


@pytest.fixture
def server():
    srv = LoopbackServer().start()
    yield srv
    srv.stop()


def _source(**kwargs) -> tuple[OnlineSource, list[float]]:
    pauses: list[float] = []
    kwargs.setdefault("cache", DiskCache())
    kwargs.setdefault("timeout", 2)
    return OnlineSource("SSB", sleep=pauses.append, backoff=0.5, **kwargs), pauses


def test_transient_errors_are_retried_with_exponential_backoff(server):
    server.route("/d", Reply(503), Reply(502), Reply(body=b"ok"))
    source, pauses = _source(retries=2)
    assert source.get("GET", f"{server.url}/d").data == b"ok"
    assert len(server.seen) == 3 and pauses == [0.5, 1.0]


def test_retry_after_is_honoured(server):
    server.route("/d", Reply(429, headers={"Retry-After": "3"}), Reply(body=b"ok"))
    source, pauses = _source(retries=1)
    source.get("GET", f"{server.url}/d")
    assert pauses == [3.0]


def test_server_error_after_all_retries(server):
    server.route("/d", Reply(503))
    source, _ = _source(retries=2)
    with pytest.raises(ServerError) as exc:
        source.get("GET", f"{server.url}/d")
    assert len(server.seen) == 3 and "503" in exc.value.message("en")


def test_timeout_is_retried_then_reported(server):
    server.route("/slow", Reply(body=b"late", delay=0.6))
    source, pauses = _source(retries=1, timeout=0.2)
    with pytest.raises(SourceTimeout) as exc:
        source.get("GET", f"{server.url}/slow")
    assert len(pauses) == 1
    assert isinstance(exc.value, OfflineError)
    assert "0" in exc.value.message("en") and "did not answer" in exc.value.message("en")


def test_stale_copy_is_used_when_offline(server):
    server.route("/d", Reply(body=b"v1"))
    source, _ = _source(cache=DiskCache(max_age=timedelta(0)), retries=0)
    first = source.get("GET", f"{server.url}/d")
    assert not first.from_cache
    server.stop()
    again = source.get("GET", f"{server.url}/d")
    assert again.from_cache and again.stale and again.data == b"v1"


def test_without_cache_offline_is_an_error():
    source, _ = _source(cache=None, retries=1, timeout=0.5)
    with pytest.raises(OfflineError) as exc:
        source.get("GET", "http://127.0.0.1:9/nothing")
    assert type(exc.value) is OfflineError
    assert "SSB" in exc.value.message("sv")


def test_oversized_answer_is_refused(server, monkeypatch):
    monkeypatch.setenv("KOMMUNESTRATEGI_MAX_UPLOAD_MB", "0.001")
    server.route("/big", Reply(body=b"x" * 5000))
    source, _ = _source()
    with pytest.raises(ResponseTooLarge):
        source.get("GET", f"{server.url}/big")
    assert list(source.cache.entries()) == []


def test_every_report_code_and_error_key_of_the_online_readers_has_texts():
    import re
    from pathlib import Path

    from kommunestrategi import i18n
    from kommunestrategi.io import online

    package = Path(online.__file__).parent
    catalogue = i18n.catalogue()
    used = set()
    for name in ("ssb.py", "kolada.py", "geofiles.py", "travel.py"):
        text = (package / name).read_text(encoding="utf-8")
        used |= set(re.findall(r"\.(?:error|warning)\(\s*\"(\w+)\"", text))
        used |= set(re.findall(r"capped\.add\(\"\w+\", \"(\w+)\"", text))
    assert {"ssb_not_json", "geo_unknown_number", "travel_conflict"} <= used
    assert not sorted(code for code in used if f"report.{code}" not in catalogue)
    errors = [cls for cls in vars(online).values()
              if isinstance(cls, type) and issubclass(cls, online.FetchError)]
    assert all(cls.key in catalogue for cls in errors)
