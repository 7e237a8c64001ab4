"""A Swedish workspace end to end in a real browser, and the service-point page.

Created and filled on the command line (workspace with country SE, Swedish
boundaries, a Kolada KPI file), then every page opened in Swedish with no error and
no Norwegian leftovers; the strategy exported in Swedish; on the service-point page
a point is added on the map's municipality and the coverage changes at once.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from urllib.parse import urlparse

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect

from tests.conftest import ROOT, AppServer, wait_for_app, wait_for_idle

pytestmark = pytest.mark.e2e
NORWEGIAN_LEFTOVERS = ("KOSTRA-grupp", "fylke", "SSB tabell 07459", "Kartverket, kommungränser",
                       "Expertutvalgets rekommendation")


def _cli(data_dir, *args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "KOMMUNESTRATEGI_DATA_DIR": str(data_dir)}
    env.pop("KOMMUNESTRATEGI_DATABASE_URL", None)
    return subprocess.run([sys.executable, "-m", "kommunestrategi", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def swedish_server(tmp_path_factory):
    real = ROOT.parent / "shared" / "data" / "real" / "se_kommuner.geojson"
    if not real.is_file():
        pytest.skip(f"{real} not present")
    data_dir = tmp_path_factory.mktemp("se-data")
    assert _cli(data_dir, "workspace", "create", "Tornedalen", "--country", "SE", "--open",
                "--council", "2583", "--council", "2584", "--council", "2521").returncode == 0
    assert _cli(data_dir, "import", str(real), "--kind", "boundaries", "--workspace", "Tornedalen").returncode == 0
    kolada = ROOT / "tests" / "fixtures" / "kolada_N21704_norrbotten.json"
    imported = _cli(data_dir, "import", str(kolada), "--kind", "indicators", "--workspace", "Tornedalen", "--json")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert json.loads(imported.stdout)["counts"]["indicators"] == ["hjemmetjenester_andel_80_plus"]
    listed = json.loads(_cli(data_dir, "workspace", "list", "--json").stdout)
    ws_id = next(w["id"] for w in listed if w["name"] == "Tornedalen")
    server = AppServer(data_dir).start()
    server.workspace_id = ws_id
    yield server
    server.stop()


@pytest.mark.timeout(900)
def test_every_page_of_a_swedish_workspace_in_swedish(swedish_server, page):
    query = f"?lang=sv&arbeidsflate={swedish_server.workspace_id}&valg=2583,2584"
    page.goto(f"{swedish_server.url}/{query}")
    wait_for_app(page)
    links = page.locator("[data-testid='stSidebarNav'] a")
    pages = {links.nth(i).inner_text().strip().split("\n")[-1]: links.nth(i).get_attribute("href")
             for i in range(links.count())}
    assert "Servicepunkter" in pages and len(pages) >= 10, pages
    out = ROOT / "test-output" / "screenshots"
    out.mkdir(parents=True, exist_ok=True)
    for title, href in pages.items():
        url = href if href.startswith("http") else f"{swedish_server.url}/{href.lstrip('/')}"
        page.goto(url.split("?")[0] + query)  # a new page load is a new session: the URL carries its state
        wait_for_app(page)
        page.wait_for_timeout(1500)
        wait_for_app(page)
        slug = urlparse(href).path.strip("/") or "start"
        # wait for the page's own figure before reading it (a loaded machine renders slowly)
        marker = {"start": "290 kommuner", "region": "Norsk vägledning – expertutvalget i Norge",
                  "indikatorer": "Andel invånare 80 år och äldre med hemtjänst"}.get(slug)
        if marker:
            page.get_by_text(marker).first.wait_for(timeout=90_000)
        page.screenshot(path=str(out / f"se-page-{slug}.png"), full_page=True)
        assert page.locator("[data-testid='stException']").count() == 0, f"exception on {title}"
        assert page.get_by_text("Något gick fel").count() == 0, f"error on {title}"
        body = page.locator("[data-testid='stMain']").inner_text()
        for leftover in NORWEGIAN_LEFTOVERS:
            assert leftover not in body, f"{leftover!r} on {title}"
        if slug == "start":
            assert "290 kommuner" in body
        if slug == "region":
            assert "SOU 2020:8" in body and "Norsk vägledning" in body
        if slug == "indikatorer":
            assert "Andel invånare 80 år och äldre med hemtjänst" in body
    assert not page.blocked_requests


def test_strategy_exported_in_swedish(swedish_server, tmp_path):
    done = _cli(swedish_server.data_dir, "export", "--workspace", "Tornedalen", "--council", "2584",
                "--format", "docx", "--lang", "sv", "--out", str(tmp_path))
    assert done.returncode == 0, done.stderr
    (path,) = [line for line in done.stdout.splitlines() if line.endswith(".docx")]
    with zipfile.ZipFile(path) as docx:
        text = docx.read("word/document.xml").decode("utf-8")
    assert "Kiruna" in text and "Samverkansstrategi" in text
    assert "SCB" in text and "SSB, tabell 07459" not in text


def _choose(page, box, option: str, typed: str | None = None) -> None:
    """Open a selectbox and pick ``option``; opens it again if a rerun of the page closed
    the menu before the option could be clicked (seen when the whole suite runs)."""
    for attempt in range(3):
        box.click()
        if typed:
            page.keyboard.type(typed)
        try:
            page.get_by_role("option", name=option).first.click(timeout=10_000)
            return
        except PlaywrightTimeoutError:
            if attempt == 2:
                raise
            page.keyboard.press("Escape")
            wait_for_app(page)


def test_service_point_page_adds_a_point_and_coverage_changes(swedish_server, page):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{swedish_server.url}/tjenester?lang=sv&arbeidsflate={swedish_server.workspace_id}")
    wait_for_app(page)
    page.get_by_text("Uppskattat från kommunernas mittpunkter").wait_for(timeout=90_000)
    main = page.locator("[data-testid='stMain']")
    assert "Uppskattat från kommunernas mittpunkter" in main.inner_text()
    value = page.locator("[data-testid='stMetric']").filter(has_text="Utan servicecenter").locator(
        "[data-testid='stMetricValue']")
    expect(value).to_have_text("3", timeout=60_000)
    wait_for_idle(page)  # the map is drawn: nothing moves the form any more
    form = page.locator("[data-testid='stForm']").filter(
        has=page.get_by_role("button", name="Lägg till (tänk om)"))  # not the sidebar's login form
    form.scroll_into_view_if_needed()
    form.get_by_label("Namn").fill("Kiruna servicecenter")
    if form.get_by_label("Typ").input_value() != "Servicecenter":  # a new point is a centre by default
        _choose(page, form.get_by_label("Typ"), "Servicecenter")
    _choose(page, form.get_by_label("Kommun"), "2584 Kiruna", typed="2584 Kiruna")  # 290 options: filter first
    form.get_by_role("button", name="Lägg till (tänk om)").click()
    wait_for_app(page)
    page.wait_for_timeout(1500)
    wait_for_app(page)
    expect(value).to_have_text("2", timeout=60_000)
    expect(main.get_by_text("osparad ändring")).to_be_visible(timeout=30_000)
    page.get_by_role("button", name="Spara lagret").click()
    wait_for_app(page)
    expect(main.get_by_text("osparad ändring")).to_have_count(0, timeout=30_000)  # saved: no draft left
    listed = json.loads(_cli(swedish_server.data_dir, "servicepoints", "list", "--workspace", "Tornedalen",
                             "--json").stdout)
    assert [(p["name"], p["kind"], p["kommunenummer"]) for p in listed] == [
        ("Kiruna servicecenter", "centre", "2584")]
    assert page.locator("[data-testid='stException']").count() == 0
