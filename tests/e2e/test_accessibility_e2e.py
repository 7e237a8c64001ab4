"""WCAG 2.1 AA in a real browser: axe-core (shipped with axe-playwright-python, nothing
downloaded) finds no critical or serious violation on any page of the navigation, in
Norwegian and (one page) in English; municipalities can be chosen by keyboard alone."""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

from tests.conftest import wait_for_app, wait_for_idle

pytestmark = pytest.mark.e2e

OPTIONS = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
           "resultTypes": ["violations"]}

def _settle(page, lang: str) -> None:
    wait_for_app(page)
    # the app's accessibility script has run: the page speaks the chosen language and the
    # navigation's list semantics are repaired (ui/a11y.py)
    expect(page.locator("html")).to_have_attribute("lang", lang, timeout=60_000)
    page.wait_for_selector("[data-testid='stSidebarNav'] ul[role='none']", state="attached", timeout=60_000)
    wait_for_idle(page)


def _violations(page) -> list[str]:
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options=OPTIONS)
    return [f"{v['id']} ({v['impact']}): {[(n['target'], n['html'][:120]) for n in v['nodes'][:3]]}"
            for v in results.response["violations"] if v["impact"] in ("critical", "serious")]


def _url(server_url: str, href: str) -> str:
    return href if href.startswith("http") else f"{server_url}/{href.lstrip('/')}"


@pytest.mark.timeout(1800)  # axe-core on a dozen pages takes minutes on a small machine
def test_no_serious_violations_on_any_page(app_server, page):
    page.goto(f"{app_server.url}/kart?valg=5001,5031")
    _settle(page, "nb")
    links = page.locator("[data-testid='stSidebarNav'] a")
    hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    assert len(hrefs) >= 8
    found = {}
    for href in hrefs:
        page.goto(_url(app_server.url, href))
        _settle(page, "nb")
        problems = _violations(page)
        if problems:
            found[urlparse(href).path or "/"] = problems
    # one page in English: the texts (and so the names of buttons and fields) differ;
    # the Data page has the file uploaders, whose button shows only an icon
    page.goto(f"{app_server.url}/data?lang=en")
    _settle(page, "en")
    page.get_by_role("heading", name="Data", exact=False).first.wait_for(timeout=30_000)
    if problems := _violations(page):
        found["/data?lang=en"] = problems
    if found:
        pytest.fail("\n".join(f"{path}: {problem}" for path, problems in found.items() for problem in problems))


def test_selection_by_keyboard_search(app_server, page):
    """A municipality can be chosen without a mouse: tab to the search, type, Enter."""
    page.goto(f"{app_server.url}/kart")
    wait_for_app(page)
    search = page.get_by_label("Søk og velg kommuner", exact=False)
    search.wait_for(timeout=60_000)
    # from the top of the page, through the sidebar and the map's controls, by Tab alone
    page.locator("body").focus()
    for _ in range(80):
        page.keyboard.press("Tab")
        if search.evaluate("el => el === document.activeElement"):
            break
    expect(search).to_be_focused()
    page.keyboard.type("Malvik")
    page.keyboard.press("Enter")
    page.locator("ol.ks-selection li", has_text="Malvik").wait_for(timeout=60_000)
    page.keyboard.type("Trondheim")
    page.keyboard.press("Enter")
    expect(page.locator("ol.ks-selection li")).to_have_count(2, timeout=60_000)
    expect(page.locator("ol.ks-selection li").nth(1)).to_contain_text("Trondheim", timeout=30_000)
    # the keyboard's selection is the view's state, in the URL
    expect(page).to_have_url(re.compile(r"valg=5031(%2C|,)5001"), timeout=30_000)
