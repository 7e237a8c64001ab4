"""Two app servers on one PostgreSQL: what is saved through one is seen through the other.

This is the multi-process deployment of the README in miniature: no state lives
only in an app process, so any process can serve any participant.
"""

import pytest

from tests.conftest import ROOT, AppServer, wait_for_app

pytestmark = [pytest.mark.e2e, pytest.mark.postgres]


def _pick(page, label: str, name: str) -> None:
    box = page.get_by_label(label)
    box.click()
    box.fill(name)
    page.get_by_role("option", name=name, exact=False).first.click()
    page.keyboard.press("Escape")


def test_region_saved_through_server_a_is_listed_through_server_b(fresh_postgres_url, tmp_path, browser):
    env = {"KOMMUNESTRATEGI_DATABASE_URL": fresh_postgres_url}
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    server_a = AppServer(tmp_path / "a", env=env).start()
    server_b = AppServer(tmp_path / "b", env=env).start()
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    try:
        page = context.new_page()
        page.goto(f"{server_a.url}/region")
        wait_for_app(page)
        page.locator("h1", has_text="Regionbygger").wait_for(timeout=30_000)
        _pick(page, "Endre utvalget", "Trondheim")
        page.get_by_text("Sammenhengende over land").first.wait_for(timeout=30_000)
        _pick(page, "Endre utvalget", "Melhus")
        wait_for_app(page)
        page.get_by_label("Navn på regionen").fill("Trondheim og Melhus")
        page.get_by_role("button", name="Lagre utvalget").click()
        page.get_by_text("«Trondheim og Melhus» lagret").wait_for(timeout=30_000)

        other = context.new_page()
        other.goto(f"{server_b.url}/region")
        wait_for_app(other)
        other.get_by_text("Trondheim og Melhus", exact=True).wait_for(timeout=30_000)
        other.get_by_role("button", name="Åpne").first.click()
        wait_for_app(other)
        other.get_by_text("Sammenhengende over land").first.wait_for(timeout=30_000)  # the region is open
        out = ROOT / "test-output" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out / "store_server_a.png"), full_page=True)
        other.screenshot(path=str(out / "store_server_b.png"), full_page=True)
    finally:
        context.close()
        server_a.stop()
        server_b.stop()
