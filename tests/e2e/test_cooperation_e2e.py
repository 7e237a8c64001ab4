"""The Cooperation page in a real browser: a municipality's figures, the XLSX overview,
the network view, and the view restored from the URL after a reload."""

import io
from pathlib import Path

import openpyxl
import pytest

from kommunestrategi import datasets
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Store
from tests.conftest import AppServer, wait_for_app

pytestmark = pytest.mark.e2e

CSV = (b"navn;tjeneste;form;kommuner;vertskommune;neste revisjon;uttredelsesklausul;oppsigelsestid\n"
       b"Barnevern Melhus-Skaun;barnevern;vertskommune_adm;\"5028, 5029\";5028;2030-01-01;ja;12\n"
       b"IKT Orkdalsregionen;ikt;iks;\"5059, 5028, 5029, 5055\";;2020-01-01;nei;\n"
       b"Plankontor;plan_bygg;avtale_kjop;\"5001, 5028\";5001;;ja;6\n")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data_dir = tmp_path_factory.mktemp("coop-server")
    store = Store.open(f"sqlite:///{data_dir}/kommunestrategi.sqlite")
    ws = store.ensure_demo_workspace()
    datasets.import_result(store, SYSTEM, ws.id, validate_file(CSV, "register.csv", "arrangements"))
    store.close()
    app = AppServer(data_dir).start()
    yield app
    app.stop()


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text().replace("\xa0", " ")


def test_cooperation_page_figures_download_and_url_state(server, page):
    page.goto(f"{server.url}/samarbeid?kommune=5028")
    wait_for_app(page)
    page.locator("h1", has_text="Eksisterende samarbeid").wait_for(timeout=60_000)
    page.get_by_text("Last ned oversikten (XLSX)").wait_for(timeout=30_000)
    text = _main_text(page)
    assert "register.csv (#1)" in text and "3 løpende samarbeid" in text
    metrics = page.locator("[data-testid='stMetric']")
    values = {metrics.nth(i).locator("[data-testid='stMetricLabel']").inner_text():
              metrics.nth(i).locator("[data-testid='stMetricValue']").inner_text() for i in range(metrics.count())}
    assert values["Samarbeid"] == "3" and values["Vertskommune for"] == "1" and values["Samarbeidskommuner"] == "4"

    with page.expect_download() as info:
        page.get_by_text("Last ned oversikten (XLSX)").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    sheet = book.active
    names = sorted(sheet.cell(row=r, column=1).value for r in range(4, sheet.max_row + 1))
    assert names == ["Barnevern Melhus-Skaun", "IKT Orkdalsregionen", "Plankontor"]
    plan = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "Plankontor")
    assert "Formen passer ikke oppgaven" in sheet.cell(row=plan, column=12).value

    page.locator("[data-testid='stButtonGroup']").get_by_text("Mellom kommuner", exact=True).click()
    page.get_by_text("Samarbeidsnettverket").wait_for(timeout=30_000)
    wait_for_app(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=60_000)
    assert "visning=mellom" in page.url and "kommune=5028" in page.url
    page.reload()
    wait_for_app(page)
    page.get_by_text("Samarbeidsnettverket").wait_for(timeout=60_000)
    assert not page.locator("[data-testid='stException']").count()
    assert not page.blocked_requests
