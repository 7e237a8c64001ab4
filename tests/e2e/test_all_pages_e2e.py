"""Every page in the navigation opens in a real browser with no exception; a
screenshot of each is saved under test-output/screenshots/."""

from urllib.parse import urlparse

import pytest

from tests.conftest import ROOT, wait_for_app

pytestmark = pytest.mark.e2e


def test_every_page_opens_without_exception(app_server, page):
    page.goto(app_server.url)
    wait_for_app(page)
    links = page.locator("[data-testid='stSidebarNav'] a")
    pages = {links.nth(i).inner_text().strip(): links.nth(i).get_attribute("href")
             for i in range(links.count())}
    assert len(pages) >= 3, pages
    out = ROOT / "test-output" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for title, href in pages.items():
        page.goto(href if href.startswith("http") else f"{app_server.url}/{href.lstrip('/')}")
        wait_for_app(page)
        page.wait_for_timeout(1500)
        wait_for_app(page)
        slug = urlparse(href).path.strip("/") or "start"
        page.screenshot(path=str(out / f"page-{slug}.png"), full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0, f"exception on {title}"
        assert page.get_by_text("Noe gikk galt på denne siden").count() == 0, f"error on {title}"
        assert page.get_by_text("Page not found").count() == 0, f"{title} not found"
