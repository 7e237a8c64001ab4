"""The map page on a phone (390x844, touch): the map is large enough to use, nothing
runs off the side of the screen, and municipalities are chosen with the search box by
keyboard (the sidebar starts closed on a phone, so the app's own waits are used)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.conftest import block_external

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, locale="nb-NO")
    context.route("**/*", block_external)
    page = context.new_page()
    yield page
    context.close()


def _box(locator) -> dict:
    locator.wait_for(timeout=60_000)
    return locator.bounding_box()


def test_map_usable_on_a_phone(app_server, phone):
    phone.goto(f"{app_server.url}/kart")
    phone.wait_for_selector(".js-plotly-plot path.choroplethlocation", timeout=90_000)
    phone.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=60_000)
    plot = phone.locator(".st-key-map_box .js-plotly-plot")
    # the map: at least 300 px wide and tall, within the screen's width
    expect(plot).to_be_visible(timeout=60_000)
    phone.wait_for_function(
        "() => { const b = document.querySelector('.st-key-map_box .js-plotly-plot').getBoundingClientRect();"
        " return b.width >= 300 && b.height >= 300; }", timeout=30_000)
    box = _box(plot)
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], box
    # and Norway drawn in it is not a thumbnail: its shapes span most of the map's width
    shapes = _box(plot.locator(".choroplethlayer"))
    assert shapes["width"] >= 0.7 * box["width"] and shapes["height"] >= 250, (shapes, box)
    # the map and its legend are on the first screen, under the controls (no screen-high
    # box of white space to scroll past before the legend)
    legend = _box(plot.locator(".colorbar"))
    assert legend["y"] + legend["height"] <= PHONE["height"], legend
    # nothing is wider than the screen
    assert phone.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollWidth") <= PHONE["width"]

    # the search box is on screen, full width, and selects by keyboard
    search = phone.get_by_label("Søk og velg kommuner", exact=False)
    field = _box(phone.locator(".st-key-map_search"))
    assert field["x"] >= 0 and field["x"] + field["width"] <= PHONE["width"] and field["width"] >= 300, field
    search.focus()
    expect(search).to_be_focused()
    phone.keyboard.type("Malvik")
    phone.keyboard.press("Enter")
    phone.keyboard.press("Escape")
    item = phone.locator("ol.ks-selection li", has_text="Malvik")
    item.wait_for(timeout=60_000)
    expect(phone.locator(".st-key-map_side [data-testid='stMetric']").first).to_contain_text("1", timeout=30_000)
    # the side panel's figures stay within the screen
    side = _box(phone.locator(".st-key-map_side"))
    assert side["x"] >= 0 and side["x"] + side["width"] <= PHONE["width"], side
