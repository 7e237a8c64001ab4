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
    page.get_by_text("Valgt: 1 kommuner").wait_for(timeout=30_000)
    page.wait_for_timeout(1000)
    _click_unit(page, "5031")
    page.get_by_text("Valgt: 2 kommuner").wait_for(timeout=30_000)
    units = geo.load_units().set_index("kommunenummer")
    expected = number(int(units.loc[["5001", "5031"], "population_2024"].sum()), "nb")
    assert expected in page.locator("[data-testid='stAlertContentSuccess']").inner_text()
    # the selection carries over to the region builder
    page.get_by_role("link", name="Se utvalget i regionbyggeren").click()
    page.locator("h1", has_text="Regionbygger").wait_for(timeout=30_000)
    page.get_by_text(expected).first.wait_for(timeout=30_000)
