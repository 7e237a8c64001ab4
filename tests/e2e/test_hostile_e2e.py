"""Hostile input in a real browser: markup in names (item 2), deep-link login
across pages (item 4) and no request leaving the machine on any page (item 7)."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from kommunestrategi.store import SYSTEM, Actor, Store
from tests.conftest import ROOT, AppServer, wait_for_app

pytestmark = pytest.mark.e2e

LINK = "[Logg inn her](http://evil.example/login)"
IMAGE = "![p](http://evil.example/p.png)"
BARE = "http://evil.example/bare"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("hostile-server")
    store = Store.open(f"sqlite:///{data / 'kommunestrategi.sqlite'}")
    demo = store.ensure_demo_workspace()
    store.save_region(Actor(IMAGE, "secretariat"), demo.id, LINK, ["5001", "5028"])
    store.save_region(Actor(BARE, "secretariat"), demo.id, BARE, ["5001", "5029"])
    locked = store.create_workspace(SYSTEM, "Trondheimsregionen 2026", ["5001", "5028"])
    store.set_access_code(SYSTEM, locked.id, "council", "trondheim-kode", council="5001")
    hostile = store.create_workspace(SYSTEM, LINK, ["5001"])
    store.set_access_code(SYSTEM, hostile.id, "secretariat", "sekretariat-kode")
    store.close()
    app = AppServer(data).start()
    app.locked_id = locked.id
    app.hostile_id = hostile.id
    yield app
    app.stop()


def _remote_elements(page) -> list[str]:
    """Links and images in the app's content that point outside the machine."""
    return page.evaluate("""() => [...document.querySelectorAll('[data-testid="stAppViewContainer"] a[href],'
        + '[data-testid="stAppViewContainer"] img[src], [data-testid="stSidebar"] a[href],'
        + '[data-testid="stSidebar"] img[src]')]
        .map(e => e.getAttribute('href') || e.getAttribute('src'))
        .filter(u => /^(https?:)?\\/\\//.test(u) && !/^(https?:)?\\/\\/(127\\.0\\.0\\.1|localhost)[:\\/]/.test(u))""")


def _shot(page, name: str) -> None:
    out = ROOT / "test-output" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(out / f"hostile-{name}.png"), full_page=True)


def test_hostile_names_show_as_text_not_links_or_images(server, page):
    page.goto(f"{server.url}/region")
    wait_for_app(page)
    page.get_by_text("evil.example/login").first.wait_for(timeout=30_000)
    body = page.locator("[data-testid='stAppViewContainer']").inner_text().replace("\u2060", "")
    assert LINK in body  # the saved region's name, literally
    assert IMAGE in body  # its author
    assert BARE in body
    # a hostile participant name in the sidebar
    page.get_by_label("Ditt navn (vises i historikken)").fill(IMAGE)
    page.keyboard.press("Enter")
    wait_for_app(page)
    page.locator("[data-testid='stSidebar']").get_by_text("Du er").wait_for(timeout=30_000)
    assert IMAGE in page.locator("[data-testid='stSidebar']").inner_text().replace("\u2060", "")
    assert _remote_elements(page) == []
    _shot(page, "region")
    # the locked-workspace prompt with a hostile workspace name
    page.goto(f"{server.url}/region?arbeidsflate={server.hostile_id}")
    wait_for_app(page)
    page.get_by_text("er låst").first.wait_for(timeout=30_000)
    prompt = page.get_by_text("er låst").first.inner_text()
    assert LINK in prompt.replace("\u2060", "")
    assert _remote_elements(page) == []
    assert not [u for u in page.blocked_requests if "evil.example" in u]


def test_deep_link_login_survives_navigation_between_pages(server, page):
    page.goto(f"{server.url}/sjekkliste?arbeidsflate={server.locked_id}&kommune=5001")
    wait_for_app(page)
    page.get_by_text("er låst").first.wait_for(timeout=30_000)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.get_by_label("Ditt navn (vises i historikken)").fill("Kari")
    sidebar.get_by_label("Tilgangskode").fill("trondheim-kode")
    sidebar.get_by_role("button", name="Logg inn").click()
    wait_for_app(page)
    sidebar.get_by_text("Kommune 5001 Trondheim").wait_for(timeout=30_000)
    for title, heading in (("strategi", "Strategi"), ("kart", "Kommunekart"), ("sjekkliste", "Sjekkliste")):
        page.locator(f"[data-testid='stSidebarNav'] a[href$='/{title}']").first.click()
        wait_for_app(page)
        page.locator("h1", has_text=heading).first.wait_for(timeout=30_000)
        wait_for_app(page)
        who = sidebar.get_by_text("Du er").first.inner_text()
        assert "Kari" in who and "Kommune 5001 Trondheim" in who, (title, who)
        assert "Gjest" not in who and "Sekretariat" not in who, (title, who)
        assert f"arbeidsflate={server.locked_id}" in page.url, page.url
        assert page.get_by_text("er låst").count() == 0
    _shot(page, "deep-link-after-navigation")
    # a reload (new session, the URL still names the workspace) asks for the code again
    page.reload()
    wait_for_app(page)
    page.get_by_text("er låst").first.wait_for(timeout=30_000)


@pytest.mark.timeout(1200)  # every page in turn: minutes on a small, busy machine
def test_no_page_makes_the_browser_leave_the_machine(server, page):
    """Any request to a non-loopback host fails this test (the page icon was a Google URL)."""
    attempted: list[str] = []
    page.on("request", lambda request: attempted.append(request.url))
    page.on("websocket", lambda socket: attempted.append(socket.url))
    page.goto(server.url)
    wait_for_app(page)
    links = page.locator("[data-testid='stSidebarNav'] a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= 5, hrefs
    for href in hrefs:
        page.goto(href if href.startswith("http") else f"{server.url}/{href.lstrip('/')}")
        wait_for_app(page)
        page.wait_for_timeout(1500)
        wait_for_app(page)
    icon = page.evaluate("() => [...document.querySelectorAll('link[rel~=icon]')].map(l => l.href)")
    assert icon and all(urlparse(u).hostname in ("127.0.0.1", "localhost") or u.startswith("data:")
                        for u in icon), icon
    outside = [u for u in attempted
               if not u.startswith(("data:", "blob:")) and urlparse(u).hostname not in ("127.0.0.1", "localhost")]
    assert outside == [], outside
    assert page.blocked_requests == []
