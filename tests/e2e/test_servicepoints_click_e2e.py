"""The service-point page in a real browser: a click anywhere on the map places a what-if
point, and the coverage figures change at once (nothing is saved until asked)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kommunestrategi.servicepoints.layers import load_layer
from kommunestrategi.store import Store
from tests.conftest import AppServer, wait_for_app, wait_for_idle

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = AppServer(tmp_path_factory.mktemp("sp-click")).start()
    yield srv
    srv.stop()


def _metric(page, label: str):
    return page.locator("[data-testid='stMetric']").filter(has_text=label)


def test_click_on_the_map_places_a_point_and_coverage_changes(server, page, monkeypatch):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{server.url}/tjenester")
    wait_for_app(page)
    expect(page.get_by_text("Anslått fra kommunesentrene").first).to_be_visible(timeout=90_000)
    expect(_metric(page, "Punkter i laget")).to_contain_text("0", timeout=20_000)
    expect(_metric(page, "Innbyggere innen 20 km")).to_contain_text("0 %", timeout=20_000)
    expect(_metric(page, "Uten servicesenter")).to_contain_text("5", timeout=20_000)

    wait_for_idle(page)  # a click during a rerun can be lost
    page.get_by_text("Plasser punkt med klikk").click()
    expect(page.get_by_role("switch", name="Plasser punkt med klikk")).to_be_checked(timeout=30_000)
    expect(page.get_by_text("Klikk hvor som helst på kartet").first).to_be_visible(timeout=60_000)
    chart = page.locator("[data-testid='stPlotlyChart']").first
    chart.scroll_into_view_if_needed()
    expect(chart.locator(".scattergeo").first).to_be_attached(timeout=30_000)  # the click layer is drawn
    box = chart.bounding_box()
    # the middle of the map: the demo councils around Trondheim (no municipality needs to be hit)
    x, y = box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.5
    page.mouse.move(x, y)
    page.mouse.click(x, y)

    expect(page.get_by_text("Lagt til som tenkt endring: Servicesenter 1").first).to_be_visible(timeout=30_000)
    expect(_metric(page, "Punkter i laget")).to_contain_text("1", timeout=20_000)
    expect(_metric(page, "Uten servicesenter")).to_contain_text("4", timeout=20_000)
    share = _metric(page, "Innbyggere innen 20 km")
    expect(share).not_to_contain_text("\n0 %", timeout=20_000)
    expect(share).to_contain_text("pp", timeout=20_000)  # the change against the saved layer
    expect(page.get_by_text("Du ser på en ulagret endring").first).to_be_visible(timeout=20_000)
    assert page.locator("[data-testid='stException']").count() == 0

    # a what-if only: nothing is stored until the layer is saved
    monkeypatch.setenv("KOMMUNESTRATEGI_DATA_DIR", str(server.data_dir))
    store = Store.open()
    assert load_layer(store, store.get_workspace("Demo").id) == []
    store.close()
