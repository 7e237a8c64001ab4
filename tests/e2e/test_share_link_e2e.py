""""Kopier lenke" in a real browser: the copied address opens the same view in a new
browser (a fresh context: no cookies, no session, only the link)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.conftest import block_external, wait_for_app, wait_for_idle

pytestmark = pytest.mark.e2e


def _choose(page, key: str, option: str) -> None:
    """Pick ``option`` in the keyed selectbox and wait until the app shows it chosen;
    opens the menu again if a rerun closed it before the option could be clicked."""
    box = page.locator(f".st-key-{key}")
    for attempt in range(3):
        wait_for_idle(page)
        box.get_by_role("combobox").click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            break
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
    expect(box.get_by_role("combobox")).to_have_value(option, timeout=30_000)
    wait_for_idle(page)


def _copy_link(page, server_url: str, key: str) -> str:
    """Click the page's "Kopier lenke" and return what it put on the clipboard."""
    page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server_url)
    button = page.locator(f".st-key-{key}").get_by_role("button", name="Kopier lenke")
    wait_for_idle(page)
    button.click()
    expect(page.locator(f".st-key-{key}").get_by_role("status")).to_contain_text(
        "Lenken er kopiert", timeout=30_000)
    return page.evaluate("navigator.clipboard.readText()")


def _new_browser_page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    context.route("**/*", block_external)
    return context, context.new_page()


def _settled(page) -> None:
    """The app has finished its run (and the one a restored widget may start)."""
    wait_for_app(page)
    wait_for_idle(page)


def test_copied_map_link_restores_measure_county_and_selection(app_server, page, browser):
    page.goto(f"{app_server.url}/kart")
    _settled(page)
    page.wait_for_selector(".js-plotly-plot path.choroplethlocation", timeout=60_000)
    _choose(page, "map_measure", "Areal")
    _settled(page)
    _choose(page, "map_county", "Trøndelag")
    _settled(page)
    search = page.get_by_label("Søk og velg kommuner", exact=False)
    for name in ("Malvik", "Trondheim"):
        wait_for_idle(page)
        search.click()
        page.keyboard.type(name)
        page.keyboard.press("Enter")
        page.locator("ol.ks-selection li", has_text=name).wait_for(timeout=60_000)
    page.keyboard.press("Escape")  # close the search's menu: it lies over the side panel
    expect(page).to_have_url(re.compile(r"valg=5031(%2C|,)5001"), timeout=30_000)

    link = _copy_link(page, app_server.url, "copy_link")
    assert link.startswith(f"{app_server.url}/kart?")
    assert re.search(r"valg=5031(%2C|,)5001", link) and "maal=area" in link
    assert re.search(r"fylke=Tr(%C3%B8|ø)ndelag", link)

    context, fresh = _new_browser_page(browser)
    try:
        fresh.goto(link)
        wait_for_app(fresh)
        expect(fresh.locator("ol.ks-selection li")).to_have_count(2, timeout=60_000)
        expect(fresh.locator("ol.ks-selection li").nth(0)).to_contain_text("Malvik", timeout=30_000)
        expect(fresh.locator("ol.ks-selection li").nth(1)).to_contain_text("Trondheim", timeout=30_000)
        expect(fresh.locator(".st-key-map_measure").get_by_role("combobox")).to_have_value("Areal", timeout=30_000)
        expect(fresh.locator(".st-key-map_county").get_by_role("combobox")).to_have_value("Trøndelag", timeout=30_000)
        # the map is coloured by area (its legend says so) and zoomed to the county: its
        # larger municipalities are named
        fresh.locator(".js-plotly-plot text", has_text="Areal").first.wait_for(timeout=60_000)
        fresh.locator(".js-plotly-plot text", has_text="Steinkjer").first.wait_for(timeout=60_000)
    finally:
        context.close()


def test_copied_checklist_link_restores_council_area_and_step(app_server, page, browser):
    page.goto(f"{app_server.url}/sjekkliste")
    _settled(page)
    page.locator(".st-key-chk_council").wait_for(timeout=60_000)
    _choose(page, "chk_council", "5059 Orkland")
    _settled(page)
    _choose(page, "chk_area", "Barnevern")
    _settled(page)
    step = "3. Velge form og mandat"
    wait_for_idle(page)
    page.locator(".st-key-chk_tab").get_by_text(step).click()
    page.get_by_role("heading", name=step).wait_for(timeout=60_000)
    expect(page).to_have_url(re.compile(r"steg=form"), timeout=30_000)

    link = _copy_link(page, app_server.url, "chk_copy_link")
    assert link.startswith(f"{app_server.url}/sjekkliste?")
    assert "kommune=5059" in link and "omrade=barnevern" in link and "steg=form" in link

    context, fresh = _new_browser_page(browser)
    try:
        fresh.goto(link)
        wait_for_app(fresh)
        fresh.get_by_role("heading", name=step).wait_for(timeout=60_000)
        expect(fresh.locator(".st-key-chk_council").get_by_role("combobox")).to_have_value("5059 Orkland", timeout=30_000)
        expect(fresh.locator(".st-key-chk_area").get_by_role("combobox")).to_have_value("Barnevern", timeout=30_000)
        expect(fresh.locator(".st-key-chk_tab").get_by_role("radio", name=step, exact=False)).to_be_checked(
            timeout=30_000)
    finally:
        context.close()
