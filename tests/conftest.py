"""Shared fixtures: paths to the team's real files, a temporary data folder, an app
server and a real browser for end-to-end tests."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
#: Raw public files kept beside the project for tests only (never copied into it).
REAL_DATA = ROOT.parent / "shared" / "data" / "real"
CHROMIUM = "/usr/bin/chromium"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test gets its own data folder and SQLite store; tests that want
    PostgreSQL set ``KOMMUNESTRATEGI_DATABASE_URL`` themselves."""
    monkeypatch.setenv("KOMMUNESTRATEGI_DATA_DIR", str(tmp_path_factory.mktemp("data")))
    monkeypatch.delenv("KOMMUNESTRATEGI_DATABASE_URL", raising=False)


@pytest.fixture
def real_data() -> Path:
    """The folder of real public files; skips with a reason when it is absent."""
    if not REAL_DATA.is_dir():
        pytest.skip(f"real data folder {REAL_DATA} not present")
    return REAL_DATA


@pytest.fixture
def store():
    """The app's own store (this test's data folder) with its open Demo workspace, as the
    pages see it (modules that test the store itself define their own ``store``)."""
    from kommunestrategi import config
    from kommunestrategi.store import Store

    opened = Store.open(config.database_url())
    opened.ensure_demo_workspace()
    yield opened
    opened.close()


@pytest.fixture
def demo(store) -> int:
    """The Demo workspace's id."""
    return store.get_workspace("Demo").id


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class AppServer:
    """A ``streamlit run app.py`` process on a free localhost port."""

    def __init__(self, data_dir: Path, env: dict[str, str] | None = None, port: int | None = None) -> None:
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.env = {**os.environ, "KOMMUNESTRATEGI_DATA_DIR": str(data_dir), **(env or {})}
        self.process: subprocess.Popen | None = None
        self.log = data_dir / f"server-{self.port}.log"

    def start(self, timeout: float = 60) -> AppServer:
        log = self.log.open("ab")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"),
             "--server.port", str(self.port), "--server.address", "127.0.0.1",
             "--server.headless", "true", "--browser.gatherUsageStats", "false",
             "--server.fileWatcherType", "none"],
            cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"app server exited: {self.log.read_text()[-2000:]}")
            try:
                with urllib.request.urlopen(f"{self.url}/_stcore/health", timeout=2) as resp:
                    if resp.status == 200:
                        return self
            except OSError:
                time.sleep(0.3)
        raise RuntimeError("app server did not become healthy")

    def kill(self) -> None:
        """SIGKILL: the process gets no chance to flush anything."""
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()


@pytest.fixture(scope="session")
def app_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[AppServer]:
    """One app server for the browser tests of a session, on its own data folder."""
    server = AppServer(tmp_path_factory.mktemp("server-data")).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (never a downloaded browser)."""
    if not Path(CHROMIUM).exists():
        if IN_CI:
            pytest.fail(f"{CHROMIUM} is missing in CI")
        pytest.skip(f"{CHROMIUM} not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM, headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


def block_external(route) -> None:
    """Let only loopback requests through; count the rest as blocked."""
    url = route.request.url
    host = url.split("://", 1)[-1].split("/", 1)[0].split(":")[0]
    if url.startswith(("data:", "blob:")) or host in ("127.0.0.1", "localhost", "[::1]"):
        route.continue_()
    else:
        route.abort()


@pytest.fixture
def page(browser, request):
    """A fresh browser context and page with every non-localhost request blocked.

    A screenshot of the page is saved under ``test-output/`` when the test ends.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    blocked: list[str] = []

    def handler(route):
        host = route.request.url.split("://", 1)[-1].split("/", 1)[0].split(":")[0]
        if not route.request.url.startswith(("data:", "blob:")) and host not in ("127.0.0.1", "localhost"):
            blocked.append(route.request.url)
        block_external(route)

    context.route("**/*", handler)
    pg = context.new_page()
    pg.blocked_requests = blocked
    yield pg
    out = ROOT / "test-output" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(Exception):  # a closed page has nothing to show
        pg.screenshot(path=str(out / f"{request.node.name}.png"), full_page=True)
    context.close()


def wait_for_app(pg, timeout: float = 60_000) -> None:
    """Wait until Streamlit has rendered and finished running the script."""
    pg.wait_for_selector("[data-testid='stApp']", timeout=timeout)
    pg.wait_for_selector("[data-testid='stSidebarNav'], [data-testid='stSidebarNavItems']",
                         timeout=timeout)
    pg.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


#: True once no script run is in progress and nothing on the page is stale (greyed out
#: by a rerun) for a whole second.
_IDLE = """() => {
  const busy = document.querySelector('[data-testid="stStatusWidget"]')
    || document.querySelector('[data-stale="true"]');
  const now = performance.now();
  if (busy) { window.__ksIdleSince = undefined; return false; }
  if (window.__ksIdleSince === undefined) { window.__ksIdleSince = now; }
  return now - window.__ksIdleSince > 1000;
}"""


def wait_for_idle(pg, timeout: float = 60_000) -> None:
    """Wait until the app has been idle for a second: the status widget shows only after
    a run has lasted a moment, so a fresh run can still be starting right after
    :func:`wait_for_app`; a rerun that a restored widget or a component starts too."""
    pg.wait_for_function(_IDLE, polling=100, timeout=timeout)


def have_tool(name: str) -> bool:
    return shutil.which(name) is not None


def _postgres_conninfo(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    """``KOMMUNESTRATEGI_TEST_POSTGRES_URL`` if a server answers there.

    Outside CI the PostgreSQL tests skip with the reason printed; in CI (``CI=true``)
    a missing or unreachable server fails them. Start one locally with
    ``eval "$(scripts/test_postgres.sh)"``.
    """
    url = os.environ.get("KOMMUNESTRATEGI_TEST_POSTGRES_URL", "").strip()
    reason = ""
    if not url:
        reason = "KOMMUNESTRATEGI_TEST_POSTGRES_URL is not set (run: eval \"$(scripts/test_postgres.sh)\")"
    else:
        import psycopg

        try:
            psycopg.connect(_postgres_conninfo(url), connect_timeout=3).close()
        except psycopg.Error as exc:
            reason = f"no PostgreSQL server reachable at {url}: {exc}"
    if reason:
        if IN_CI:
            pytest.fail(f"PostgreSQL is required in CI: {reason}")
        print(f"\nskipping PostgreSQL tests: {reason}")
        pytest.skip(reason)
    return url


@pytest.fixture
def fresh_postgres_url(postgres_server_url: str, request: pytest.FixtureRequest) -> Iterator[str]:
    """An empty, uniquely named PostgreSQL database for one test, dropped afterwards."""
    import re
    import uuid

    import psycopg
    from sqlalchemy.engine import make_url

    name = "ks_" + re.sub(r"[^a-z0-9]", "_", request.node.name.lower())[:40] + "_" + uuid.uuid4().hex[:8]
    admin = _postgres_conninfo(postgres_server_url)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
