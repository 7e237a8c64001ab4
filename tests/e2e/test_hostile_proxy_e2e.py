"""Hostile input, item 3 in a real browser: whom the login limiter believes.

* Behind a reverse proxy on the same machine (``KOMMUNESTRATEGI_TRUSTED_PROXIES=
  127.0.0.1``) each participant is counted by the address the proxy reports, not
  one shared count for everybody (Streamlit hides a loopback peer's address), and
  the forged left part of the header is ignored.
* With no proxy configured, ``X-Forwarded-For`` from a loopback peer is not believed
  at all: uvicorn, the server under ``st.App``, used to rewrite the client address
  from it for any loopback peer, so every forged address got a fresh count.

The browsers here send ``X-Forwarded-For`` as a proxy (or an attacker) would.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import expect

from kommunestrategi.store import SYSTEM, Store, auth
from kommunestrategi.store import models as m
from tests.conftest import AppServer, block_external, wait_for_app

pytestmark = pytest.mark.e2e


def _server(tmp_path_factory, name: str, env: dict[str, str]) -> AppServer:
    data = tmp_path_factory.mktemp(name)
    url = f"sqlite:///{data / 'kommunestrategi.sqlite'}"
    store = Store.open(url)
    store.ensure_demo_workspace()
    ws = store.create_workspace(SYSTEM, "Bak proxy", ["5001", "5028"])
    store.set_access_code(SYSTEM, ws.id, "council", "trondheim-kode", council="5001")
    store.close()
    app = AppServer(data, env=env).start()
    app.workspace_id = ws.id
    app.store_url = url
    return app


@pytest.fixture(scope="module")
def proxied(tmp_path_factory):
    app = _server(tmp_path_factory, "proxied-server", {"KOMMUNESTRATEGI_TRUSTED_PROXIES": "127.0.0.1, ::1"})
    yield app
    app.stop()


@pytest.fixture(scope="module")
def unproxied(tmp_path_factory):
    app = _server(tmp_path_factory, "unproxied-server", {"KOMMUNESTRATEGI_TRUSTED_PROXIES": ""})
    yield app
    app.stop()


def _attempts(server) -> list[tuple[str, bool]]:
    store = Store.open(server.store_url, migrate=False)
    try:
        with store.engine.connect() as conn:
            rows = conn.execute(m.login_attempts.select().where(
                m.login_attempts.c.workspace_id == server.workspace_id).order_by(m.login_attempts.c.id)).all()
        return [(row.client, bool(row.success)) for row in rows]
    finally:
        store.close()


def _wait_for_attempts(server, count: int) -> list[tuple[str, bool]]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        rows = _attempts(server)
        if len(rows) >= count:
            return rows
        time.sleep(0.2)
    raise AssertionError(f"expected {count} recorded attempts, found {_attempts(server)}")


def _participant(browser, forwarded_for: str):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO",
                                  extra_http_headers={"X-Forwarded-For": forwarded_for})
    context.route("**/*", block_external)
    return context, context.new_page()


def _try_code(page, server, code: str) -> None:
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_label("Tilgangskode").fill(code)
    sidebar.get_by_role("button", name="Logg inn").click()


def test_each_participant_behind_a_local_proxy_has_a_count_of_their_own(proxied, browser):
    typist, typist_page = _participant(browser, "203.0.113.66, 198.51.100.7")  # left part forged
    other, other_page = _participant(browser, "198.51.100.8")
    try:
        typist_page.goto(f"{proxied.url}/sjekkliste?arbeidsflate={proxied.workspace_id}")
        wait_for_app(typist_page)
        typist_page.get_by_text("er låst").first.wait_for(timeout=30_000)
        for attempt in range(1, auth.MAX_FAILURES + 1):
            _try_code(typist_page, proxied, f"feil-{attempt}")
            _wait_for_attempts(proxied, attempt)
            expect(typist_page.get_by_text("Feil tilgangskode").first).to_be_visible(timeout=20_000)
        # the sixth attempt, even with the right code, is refused for this participant
        _try_code(typist_page, proxied, "trondheim-kode")
        expect(typist_page.get_by_text("For mange feil forsøk").first).to_be_visible(timeout=20_000)
        assert {client for client, _ok in _attempts(proxied)} == {"198.51.100.7"}

        # another participant behind the same proxy logs in at once
        other_page.goto(f"{proxied.url}/sjekkliste?arbeidsflate={proxied.workspace_id}")
        wait_for_app(other_page)
        other_page.get_by_text("er låst").first.wait_for(timeout=30_000)
        _try_code(other_page, proxied, "trondheim-kode")
        sidebar = other_page.locator("[data-testid='stSidebar']")
        expect(sidebar.get_by_text("Kommune 5001 Trondheim").first).to_be_visible(timeout=20_000)
        assert _attempts(proxied)[-1] == ("198.51.100.8", True)
        assert all(client == "198.51.100.7" for client, _ok in _attempts(proxied)[:-1])
    finally:
        typist.close()
        other.close()


def test_forged_forwarded_headers_from_an_unconfigured_peer_give_no_fresh_count(unproxied, browser):
    contexts = []
    try:
        for attempt in range(1, auth.MAX_FAILURES + 2):
            # every attempt from a "new" browser claiming a new address
            context, page = _participant(browser, f"203.0.113.{attempt}")
            contexts.append(context)
            page.goto(f"{unproxied.url}/sjekkliste?arbeidsflate={unproxied.workspace_id}")
            wait_for_app(page)
            page.get_by_text("er låst").first.wait_for(timeout=30_000)
            if attempt <= auth.MAX_FAILURES:
                _try_code(page, unproxied, f"feil-{attempt}")
                _wait_for_attempts(unproxied, attempt)
                expect(page.get_by_text("Feil tilgangskode").first).to_be_visible(timeout=20_000)
            else:  # the right code from a sixth forged address: still the one loopback client
                _try_code(page, unproxied, "trondheim-kode")
                expect(page.get_by_text("For mange feil forsøk").first).to_be_visible(timeout=20_000)
            context.close()
        assert {client for client, _ok in _attempts(unproxied)} == {"127.0.0.1"}
    finally:
        for context in contexts:
            context.close()
