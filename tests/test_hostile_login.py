"""Hostile input, item 3: the login attempt limiter cannot be bypassed.

(a) a success with one role's code does not reset the failures against another
role; (b) parallel attempts cannot race past the limit (SQLite and PostgreSQL,
separate connections); (c) ``X-Forwarded-For`` is believed only from configured
proxies, and a workspace-wide budget caps guessing from many (forged) clients;
(d) one client's typos do not lock out another client.
"""

from __future__ import annotations

import threading

import pytest

from kommunestrategi.store import SYSTEM, InvalidAccessCode, Store, TooManyAttempts, auth
from kommunestrategi.store import models as m

SECRETARIAT = "sekretariat-hemmelig"
VIEWER = "observator-kode"


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path):
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.sqlite'}"
    return request.getfixturevalue("fresh_postgres_url")


@pytest.fixture
def locked(store_url):
    store = Store.open(store_url)
    ws = store.create_workspace(SYSTEM, "Låst", ["5001", "5028"])
    store.set_access_code(SYSTEM, ws.id, "secretariat", SECRETARIAT)
    store.set_access_code(SYSTEM, ws.id, "viewer", VIEWER)
    store.set_access_code(SYSTEM, ws.id, "council", "trondheim-kode", council="5001")
    yield store, ws
    store.close()


def _attempt(store, ws, code, client="10.0.0.7"):
    try:
        return store.login(ws.id, code, client).role
    except TooManyAttempts:
        return "blocked"
    except InvalidAccessCode:
        return "wrong"


def test_a_viewer_login_does_not_reset_the_count_against_the_secretariat_code(locked) -> None:
    store, ws = locked
    outcomes = []
    for guess in range(auth.MAX_FAILURES * 2):
        outcomes.append(_attempt(store, ws, VIEWER))  # the attacker's own, valid viewer code
        outcomes.append(_attempt(store, ws, f"gjett-{guess}"))
    guesses = outcomes[1::2]
    assert guesses[: auth.MAX_FAILURES] == ["wrong"] * auth.MAX_FAILURES
    assert set(guesses[auth.MAX_FAILURES:]) == {"blocked"}
    # The right secretariat code now gets the same answer as a wrong one: no oracle.
    assert _attempt(store, ws, SECRETARIAT) == "blocked"
    # The viewer code (the role that logged in) still works.
    assert _attempt(store, ws, VIEWER) == "viewer"
    # Another client is not affected.
    assert _attempt(store, ws, SECRETARIAT, client="10.0.0.8") == "secretariat"


def test_a_secretariat_login_does_not_reset_the_viewers_count(locked) -> None:
    store, ws = locked
    for guess in range(auth.MAX_FAILURES):
        assert _attempt(store, ws, f"feil-{guess}") == "wrong"
    assert _attempt(store, ws, SECRETARIAT) == "blocked"  # locked for every role of this client
    assert _attempt(store, ws, VIEWER) == "blocked"


def test_thirty_parallel_wrong_codes_check_at_most_the_limit(locked, store_url, monkeypatch) -> None:
    store, ws = locked
    checked = []
    real_check = auth.check_code

    def counting_check(code, salt, digest):
        checked.append(code)
        return real_check(code, salt, digest)

    monkeypatch.setattr(auth, "check_code", counting_check)
    # One store (one connection pool, no shared in-process lock) per thread.
    stores = [Store.open(store_url, migrate=False) for _ in range(30)]
    results: list[str] = []
    barrier = threading.Barrier(30)

    def attack(index: int) -> None:
        barrier.wait()
        results.append(_attempt(stores[index], ws, f"parallell-{index}"))

    threads = [threading.Thread(target=attack, args=(i,)) for i in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for other in stores:
        other.close()
    assert len(results) == 30
    assert results.count("wrong") <= auth.MAX_FAILURES
    assert results.count("blocked") >= 30 - auth.MAX_FAILURES
    codes_per_attempt = 3  # every stored code is checked for a wrong one
    assert len(checked) <= auth.MAX_FAILURES * codes_per_attempt
    with store.engine.connect() as conn:
        recorded = conn.execute(m.login_attempts.select().where(m.login_attempts.c.workspace_id == ws.id)).all()
    assert len(recorded) <= auth.MAX_FAILURES


def test_changing_client_address_gives_no_fresh_budget_beyond_the_workspace_limit(locked) -> None:
    store, ws = locked
    outcomes = [_attempt(store, ws, f"gjett-{i}", client=f"203.0.113.{i}") for i in range(60)]
    assert outcomes.count("wrong") == auth.MAX_WORKSPACE_FAILURES
    assert set(outcomes[auth.MAX_WORKSPACE_FAILURES:]) == {"blocked"}
    assert _attempt(store, ws, SECRETARIAT, client="198.51.100.1") == "blocked"


def test_one_clients_typos_do_not_lock_out_another(locked) -> None:
    store, ws = locked
    for guess in range(auth.MAX_FAILURES):
        _attempt(store, ws, f"tastefeil-{guess}", client="192.0.2.10")
    assert _attempt(store, ws, "trondheim-kode", client="192.0.2.10") == "blocked"
    assert _attempt(store, ws, "trondheim-kode", client="192.0.2.11") == "council"


def test_forwarded_header_is_believed_only_from_configured_proxies(monkeypatch) -> None:
    forged = "1.2.3.4, 5.6.7.8"
    # No proxy configured: the peer is the client whatever the header says.
    monkeypatch.delenv("KOMMUNESTRATEGI_TRUSTED_PROXIES", raising=False)
    assert auth.client_address("127.0.0.1", forged) == "127.0.0.1"
    assert auth.client_address("10.1.2.3", forged) == "10.1.2.3"
    # A configured proxy: the rightmost address it was given, not the forged left part.
    monkeypatch.setenv("KOMMUNESTRATEGI_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8")
    assert auth.client_address("127.0.0.1", forged) == "5.6.7.8"
    assert auth.client_address("127.0.0.1", "1.2.3.4, 198.51.100.9, 10.0.0.5") == "198.51.100.9"
    assert auth.client_address("127.0.0.1", "") == "127.0.0.1"
    assert auth.client_address("127.0.0.1", "not-an-address") == "127.0.0.1"
    assert auth.client_address("192.0.2.1", forged) == "192.0.2.1"  # not a configured proxy
    assert auth.client_address("::ffff:127.0.0.1", "[2001:db8::1]:443") == "2001:db8::1"
    assert auth.client_address("", forged) == "unknown"
    assert auth.trusted_proxies("junk, 127.0.0.1") == auth.trusted_proxies("127.0.0.1")


def test_the_web_server_believes_forwarded_headers_only_from_configured_proxies(monkeypatch) -> None:
    """uvicorn by itself believes ``X-Forwarded-For`` from any loopback peer; ``app.py``
    has it built with ``KOMMUNESTRATEGI_TRUSTED_PROXIES`` instead (the browser test in
    ``tests/e2e/test_hostile_proxy_e2e.py`` makes the attack through the real app)."""
    import asyncio
    import concurrent.futures

    import uvicorn.config

    from kommunestrategi.proxyheaders import use_configured_proxies

    # restored after the test
    monkeypatch.setattr(uvicorn.config, "ProxyHeadersMiddleware", uvicorn.config.ProxyHeadersMiddleware)
    monkeypatch.delenv("FORWARDED_ALLOW_IPS", raising=False)
    seen: list[str] = []

    async def app(scope, receive, send) -> None:
        seen.append(scope["client"][0])

    def client_seen(peer: str) -> str:
        config = uvicorn.config.Config(app, proxy_headers=True)
        config.load()
        scope = {"type": "http", "client": (peer, 50000),
                 "headers": [(b"x-forwarded-for", b"203.0.113.66, 198.51.100.7")]}
        # a thread of its own: another test's browser may keep an event loop running in this one
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            pool.submit(asyncio.run, config.loaded_app(scope, None, None)).result()
        return seen[-1]

    assert client_seen("127.0.0.1") == "198.51.100.7"  # uvicorn's own default: the forged header wins
    assert use_configured_proxies()
    monkeypatch.setenv("KOMMUNESTRATEGI_TRUSTED_PROXIES", "")
    assert client_seen("127.0.0.1") == "127.0.0.1"
    monkeypatch.setenv("KOMMUNESTRATEGI_TRUSTED_PROXIES", "10.0.0.0/8")
    assert client_seen("127.0.0.1") == "127.0.0.1"
    assert client_seen("10.1.2.3") == "198.51.100.7"
