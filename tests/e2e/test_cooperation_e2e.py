"""The Cooperation page in a real browser: a municipality's figures, the XLSX overview,
the network view, and the view restored from the URL after a reload."""

import io
import re
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

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


def _metric(page, label: str):
    """The value of the figure with this label (a locator: assertions on it wait)."""
    box = page.locator("[data-testid='stMetric']").filter(
        has=page.locator("[data-testid='stMetricLabel']", has_text=label))
    return box.locator("[data-testid='stMetricValue']")


def test_cooperation_page_figures_download_and_url_state(server, page):
    page.goto(f"{server.url}/samarbeid?kommune=5028")
    wait_for_app(page)
    main = page.locator("[data-testid='stMain']")
    expect(main.locator("h1", has_text="Eksisterende samarbeid")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Last ned oversikten (XLSX)")).to_be_visible(timeout=30_000)
    expect(main).to_contain_text("register.csv (#1)", timeout=20_000)
    expect(main).to_contain_text("3 løpende samarbeid", timeout=20_000)
    expect(_metric(page, "Vertskommune for")).to_have_text("1", timeout=20_000)
    expect(_metric(page, "Samarbeidskommuner")).to_have_text("4", timeout=20_000)
    expect(_metric(page, "Andel av budsjettet")).to_have_text("–", timeout=20_000)  # no cost, no budget
    expect(page.locator("[data-testid='stMetric']").first.locator("[data-testid='stMetricValue']")).to_have_text(
        "3", timeout=20_000)  # "Samarbeid": the municipality's arrangements

    with page.expect_download() as info:
        page.get_by_text("Last ned oversikten (XLSX)").click()
    book = openpyxl.load_workbook(io.BytesIO(Path(info.value.path()).read_bytes()))
    sheet = book.active
    names = sorted(sheet.cell(row=r, column=1).value for r in range(4, sheet.max_row + 1))
    assert names == ["Barnevern Melhus-Skaun", "IKT Orkdalsregionen", "Plankontor"]
    plan = next(r for r in range(4, sheet.max_row + 1) if sheet.cell(row=r, column=1).value == "Plankontor")
    assert "Formen passer ikke oppgaven" in sheet.cell(row=plan, column=12).value

    page.locator("[data-testid='stButtonGroup']").get_by_text("Mellom kommuner", exact=True).click()
    expect(page.get_by_text("Samarbeidsnettverket")).to_be_visible(timeout=30_000)
    wait_for_app(page)
    page.wait_for_function("() => document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=60_000)
    expect(page).to_have_url(re.compile(r"visning=mellom"), timeout=20_000)
    assert "kommune=5028" in page.url
    page.reload()
    wait_for_app(page)
    expect(page.get_by_text("Samarbeidsnettverket")).to_be_visible(timeout=60_000)
    expect(page.locator("[data-testid='stException']")).to_have_count(0)

    page.locator("[data-testid='stButtonGroup']").get_by_text("Styringsflagg", exact=True).click()
    expect(page).to_have_url(re.compile(r"visning=styring"), timeout=20_000)
    # the governance view: its guidance note, then two tables (flag totals, the flagged arrangements)
    expect(main).to_contain_text("Veiledning, ikke juridisk vurdering", timeout=30_000)
    expect(page.locator("[data-testid='stDataFrame']")).to_have_count(2, timeout=30_000)
    assert not page.blocked_requests
