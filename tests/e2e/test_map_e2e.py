"""The map and region builder in a real browser, with every non-localhost request blocked."""

import pytest

from kommunestrategi import geo
from kommunestrategi.formatting import number
from tests.conftest import AppServer, wait_for_app

pytestmark = pytest.mark.e2e


def _open_map(page, url: str) -> None:
    page.goto(f"{url}/kart")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot path.choroplethlocation", timeout=60_000)


def test_map_draws_at_least_350_shapes_offline(app_server, page):
    _open_map(page, app_server.url)
    shapes = page.locator(".js-plotly-plot").first.locator("path.choroplethlocation").count()
    assert shapes >= 350, f"only {shapes} municipality shapes drawn"
    # the base-layer file came from the app itself, not from a CDN, and nothing else
    # (page icon, fonts, usage statistics) was requested from outside the machine
    assert page.blocked_requests == []


def test_deep_link_on_fresh_server_shows_app_navigation(tmp_path, browser):
    server = AppServer(tmp_path).start()
    try:
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{server.url}/kart")  # the very first request this server sees
        wait_for_app(page)
        page.locator("h1", has_text="Kommunekart").wait_for(timeout=30_000)
        nav = page.locator("[data-testid='stSidebarNav']").inner_text()
        assert "Regionbygger" in nav and "Kart" in nav and "Start" in nav
        page.wait_for_timeout(1000)
        assert page.get_by_text("Page not found").count() == 0
        page.goto(f"{server.url}/region")
        wait_for_app(page)
        page.locator("h1", has_text="Regionbygger").wait_for(timeout=30_000)
        page.wait_for_timeout(1000)
        assert page.get_by_text("Page not found").count() == 0
        context.close()
    finally:
        server.stop()


def _click_unit(page, code: str) -> None:
    codes = [f["id"] for f in geo.display_geojson()["features"]]
    shape = page.locator(".js-plotly-plot").first.locator("path.choroplethlocation").nth(codes.index(code))
    box = shape.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def test_clicking_two_municipalities_shows_combined_population(app_server, page):
    _open_map(page, app_server.url)
    # zoom to Trøndelag so the shapes are large enough to click
    page.get_by_label("Zoom til fylke").click()
    page.get_by_role("option", name="Trøndelag").click()
    page.wait_for_timeout(1500)
    _click_unit(page, "5001")
    page.locator("ol.ks-selection li").first.wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    _click_unit(page, "5031")
    page.locator("ol.ks-selection li").nth(1).wait_for(timeout=30_000)
    units = geo.load_units().set_index("kommunenummer")
    expected = number(int(units.loc[["5001", "5031"], "population"].sum()), "nb")  # 1 January 2026
    assert expected in page.locator(".st-key-map_side [data-testid='stMetric']").nth(1).inner_text()
    # listed in the order they were picked, and named on the map
    assert page.locator("ol.ks-selection li").all_inner_texts()[0].startswith("Trondheim")
    assert "Malvik" in page.locator("ol.ks-selection li").all_inner_texts()[1]
    assert page.locator(".js-plotly-plot text", has_text="Malvik").count() >= 1
    # the view is in the URL: a reload shows the same county and selection
    assert "valg=5001%2C5031" in page.url or "valg=5001,5031" in page.url
    page.reload()
    wait_for_app(page)
    page.locator("ol.ks-selection li").nth(1).wait_for(timeout=30_000)
    # still the county view: its larger municipalities are named on the map
    page.locator(".js-plotly-plot text", has_text="Steinkjer").first.wait_for(timeout=30_000)
    # the selection carries over to the region builder
    page.get_by_role("link", name="Se utvalget i regionbyggeren").click()
    page.locator("h1", has_text="Regionbygger").wait_for(timeout=30_000)
    page.get_by_text(expected).first.wait_for(timeout=30_000)
