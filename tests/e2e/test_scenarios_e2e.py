"""Two participants in two browsers weigh the criteria differently; the presenter view
on a third shows the combined ranking change by itself, without a reload."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from kommunestrategi.scenarios.model import CRITERIA
from kommunestrategi.store import Actor, Store
from kommunestrategi.store import scenarios as S
from tests.conftest import ROOT, AppServer, block_external, wait_for_app

pytestmark = [pytest.mark.e2e]
MEMBERS = ["5001", "5028", "5029", "5031", "5059"]
SECRETARIAT = Actor("Siri", "secretariat")


def _seed(data_dir) -> None:
    """Status quo and a merger of the demo councils, ranked on capacity (measured:
    status quo 2, merger 5) and identity (workshop: status quo 5, merger 2)."""
    store = Store.open(f"sqlite:///{data_dir / 'kommunestrategi.sqlite'}")
    ws = store.ensure_demo_workspace()
    S.save_methods(store, SECRETARIAT, ws.id, {c: "workshop" for c in CRITERIA} | {"capacity": "measured"})
    status = S.save_scenario(store, SECRETARIAT, ws.id, "Status quo", "status_quo", MEMBERS)
    merger = S.save_scenario(store, SECRETARIAT, ws.id, "Storkommune", "merger", MEMBERS)
    S.save_score(store, SECRETARIAT, ws.id, status.id, "identity", 5, "")
    S.save_score(store, SECRETARIAT, ws.id, merger.id, "identity", 2, "")
    store.close()


def _context(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="nb-NO")
    context.route("**/*", block_external)
    return context


def _leader(page) -> str:
    return page.locator(".presenter-ranking li .presenter-name").first.inner_text()


def _set_weights(page, url: str, name: str, weights: dict[str, int]) -> None:
    page.goto(f"{url}/scenarier?visning=weights")
    wait_for_app(page)
    box = page.get_by_label("Ditt navn (vises i historikken)")
    box.fill(name)
    box.press("Enter")
    wait_for_app(page)
    page.get_by_text("Hvor viktig er hvert kriterium for deg?").wait_for(timeout=60_000)
    for label, value in weights.items():
        slider = page.locator(f"input[type=range][aria-label='{label}']")
        slider.wait_for(state="attached", timeout=90_000)
        slider.focus()
        slider.press("Home")
        for _ in range(value):
            slider.press("ArrowRight")
    page.get_by_role("button", name="Lagre vektene mine").click()
    page.get_by_text("Vektene dine er lagret").wait_for(timeout=30_000)


def test_two_participants_and_the_presenter_view(tmp_path, browser) -> None:
    _seed(tmp_path)
    server = AppServer(tmp_path).start()
    presenter_ctx, kari_ctx, ola_ctx = _context(browser), _context(browser), _context(browser)
    try:
        presenter = presenter_ctx.new_page()
        presenter.goto(f"{server.url}/scenarier?presenter=1")
        wait_for_app(presenter)
        presenter.locator(".presenter-ranking").wait_for(timeout=60_000)
        # no weights yet: equal weights, a tie at 3.5 kept in the board's order
        assert _leader(presenter) == "Status quo"
        presenter.evaluate("() => { window.__notReloaded = true; }")

        kari = kari_ctx.new_page()
        _set_weights(kari, server.url, "Kari", {"Tilstrekkelig kapasitet": 10, "Lokal identitet": 2})
        presenter.wait_for_function(
            "() => document.querySelector('.presenter-ranking li .presenter-name')?.innerText === 'Storkommune'",
            timeout=30_000)

        ola = ola_ctx.new_page()
        _set_weights(ola, server.url, "Ola", {"Tilstrekkelig kapasitet": 0, "Lokal identitet": 10})
        # mean shares: capacity (10/12 + 0) / 2, identity (2/12 + 1) / 2 -> status quo 3.75, merger 3.25
        presenter.wait_for_function(
            "() => document.querySelector('.presenter-ranking li .presenter-name')?.innerText === 'Status quo'",
            timeout=30_000)
        assert presenter.evaluate("() => window.__notReloaded === true")
        scores = presenter.locator(".presenter-ranking li .presenter-score").all_inner_texts()
        assert scores == ["3,75", "3,25"]

        store = Store.open(f"sqlite:///{tmp_path / 'kommunestrategi.sqlite'}")
        weights = S.all_weights(store, store.get_workspace("Demo").id)
        store.close()
        assert weights["Kari"]["capacity"] == 10 and weights["Kari"]["identity"] == 2
        assert weights["Ola"]["capacity"] == 0 and weights["Ola"]["identity"] == 10

        # Kari's reload keeps her name and her weights
        kari.reload()
        wait_for_app(kari)
        kari.get_by_text("Bare forholdet mellom vektene teller. Du er Kari.").wait_for(timeout=60_000)
        capacity = kari.locator("input[type=range][aria-label='Tilstrekkelig kapasitet']")
        capacity.wait_for(state="attached", timeout=90_000)
        expect(capacity).to_have_value("10", timeout=20_000)
        out = ROOT / "test-output" / "screenshots"
        out.mkdir(parents=True, exist_ok=True)
        presenter.screenshot(path=str(out / "scenarios_presenter.png"), full_page=True)
        kari.screenshot(path=str(out / "scenarios_weights_kari.png"), full_page=True)
    finally:
        for context in (presenter_ctx, kari_ctx, ola_ctx):
            context.close()
        server.stop()
