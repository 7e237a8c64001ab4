"""Hostile input, item 4, the other way in: a workspace chosen in the sidebar's picker
(not by a deep link) keeps its login across sidebar navigation, and edits never land
in the open Demo workspace as "Gjest · Sekretariat"."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kommunestrategi.store import SYSTEM, Store
from tests.conftest import AppServer, wait_for_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("picker-server")
    store = Store.open(f"sqlite:///{data / 'kommunestrategi.sqlite'}")
    store.ensure_demo_workspace()
    locked = store.create_workspace(SYSTEM, "Fosenregionen 2026", ["5001", "5028"])
    store.set_access_code(SYSTEM, locked.id, "council", "trondheim-kode", council="5001")
    store.close()
    app = AppServer(data).start()
    app.locked_id = locked.id
    yield app
    app.stop()


def _url(page: str, workspace_id: int) -> re.Pattern:
    return re.compile(rf"/{page}\?(.*&)?arbeidsflate={workspace_id}(&|$)")


def test_a_workspace_chosen_in_the_picker_keeps_its_login_across_pages(server, page):
    page.goto(f"{server.url}/region")
    wait_for_app(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    picker = sidebar.get_by_label("Arbeidsflate")
    picker.click()
    page.get_by_role("option", name="Fosenregionen 2026", exact=False).first.click()
    page.get_by_text("er låst").first.wait_for(timeout=30_000)
    expect(page).to_have_url(_url("region", server.locked_id), timeout=20_000)
    sidebar.get_by_label("Ditt navn (vises i historikken)").fill("Kari")
    sidebar.get_by_label("Tilgangskode").fill("trondheim-kode")
    sidebar.get_by_role("button", name="Logg inn").click()
    expect(sidebar.get_by_text("Kommune 5001 Trondheim").first).to_be_visible(timeout=30_000)
    for title, heading in (("kart", "Kommunekart"), ("sjekkliste", "Sjekkliste"), ("strategi", "Strategi")):
        page.locator(f"[data-testid='stSidebarNav'] a[href$='/{title}']").first.click()
        expect(page.locator("h1", has_text=heading).first).to_be_visible(timeout=30_000)
        who = sidebar.get_by_text("Du er").first
        expect(who).to_contain_text("Kari", timeout=20_000)
        expect(who).to_contain_text("Kommune 5001 Trondheim", timeout=20_000)
        assert "Gjest" not in who.inner_text()
        expect(page).to_have_url(_url(title, server.locked_id), timeout=20_000)
        assert page.get_by_text("er låst").count() == 0
