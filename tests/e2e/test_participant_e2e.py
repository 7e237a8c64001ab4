"""The participant's name ("Ditt navn") survives a reload and a restarted server."""

import pytest
from playwright.sync_api import expect

from tests.conftest import AppServer, wait_for_app

pytestmark = pytest.mark.e2e


def _name_box(page):
    return page.locator("[data-testid='stSidebar']").get_by_label("Ditt navn", exact=False)


def test_name_survives_reload_and_server_restart(tmp_path, browser):
    server = AppServer(tmp_path).start()
    context = browser.new_context(viewport={"width": 1300, "height": 900}, locale="nb-NO")
    page = context.new_page()
    try:
        page.goto(f"{server.url}/kart")
        wait_for_app(page)
        box = _name_box(page)
        box.fill("Kari Nordmann")
        box.press("Tab")
        page.get_by_text("Kari Nordmann", exact=False).first.wait_for(timeout=60_000)
        page.wait_for_timeout(1000)
        assert any(c["name"] == "kommunestrategi_deltaker" for c in context.cookies())
        page.reload()
        wait_for_app(page)
        # the box can mount empty for a moment before the session's value arrives
        expect(_name_box(page)).to_have_value("Kari Nordmann", timeout=20_000)
        # a restarted server (SIGKILL) on the same store
        server.kill()
        server = AppServer(tmp_path, port=server.port).start()
        page.goto(f"{server.url}/sjekkliste")
        wait_for_app(page)
        expect(_name_box(page)).to_have_value("Kari Nordmann", timeout=20_000)
        # another browser is someone else
        other = browser.new_context().new_page()
        other.goto(f"{server.url}/kart")
        wait_for_app(other)
        other.wait_for_timeout(3000)
        assert _name_box(other).input_value() == ""
        other.context.close()
    finally:
        context.close()
        server.stop()
