"""The map and region builder in a real browser, with the internet cut off."""


import pytest

from tests.conftest import wait_for_app

pytestmark = pytest.mark.e2e


def test_map_draws_offline(app_server, page):
    page.goto(f"{app_server.url}/kart")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .choroplethlocation", timeout=60_000)
    shapes = page.locator(".js-plotly-plot").first.locator("path.choroplethlocation").count()
    assert shapes >= 350, f"only {shapes} municipality shapes drawn"
    # nothing outside localhost was needed (attempts are blocked and recorded)
    assert not [u for u in page.blocked_requests if "world_110m" in u or "topojson" in u]
