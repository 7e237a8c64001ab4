"""The Indicators page in a real browser: a region picked on the map shows its combined
population and its share 80+ computed as a ratio of sums (not a mean of shares)."""

import pytest

from kommunestrategi import indicators
from kommunestrategi.formatting import number
from tests.conftest import wait_for_app

pytestmark = pytest.mark.e2e

MEMBERS = {"5001": "5001 Trondheim", "5026": "5026 Holtålen"}


def _main_text(page) -> str:
    return page.locator("[data-testid='stMain']").inner_text().replace("\xa0", " ")


def test_region_panel_shows_combined_population_and_ratio_of_sums(app_server, page):
    page.goto(f"{app_server.url}/kart")
    wait_for_app(page)
    search = page.get_by_label("Søk og velg kommuner (navn eller nummer)")
    for code, label in MEMBERS.items():
        search.click()
        search.fill(code)
        page.get_by_role("option", name=label).click()
        page.keyboard.press("Escape")
    # both are listed beside the map, in the order they were picked
    page.locator("ol.ks-selection li").nth(1).wait_for(timeout=30_000)

    page.locator("[data-testid='stSidebarNav']").get_by_text("Indikatorer").click()
    page.locator("h1", has_text="Indikatorer og sammenligning").wait_for(timeout=30_000)
    wait_for_app(page)
    page.locator("[data-testid='stRadio'] label").filter(has_text="Utvalget fra kartet").click()
    page.get_by_text("Samlede tall for 2 kommuner").wait_for(timeout=30_000)
    wait_for_app(page)

    data = indicators.bundled_data()
    population = number(data.card("pop_total", list(MEMBERS)).value, "nb").replace("\xa0", " ")
    ratio = data.card("share_80_plus", list(MEMBERS))
    shares = [data.card("share_80_plus", [code]).value for code in MEMBERS]
    ratio_text = number(ratio.value, "nb", 1) + " %"
    mean_text = number(sum(shares) / 2, "nb", 1) + " %"
    assert ratio_text != mean_text   # the two rules give different answers for this pair

    page.get_by_text(f"{population} personer").first.wait_for(timeout=30_000)
    text = _main_text(page)
    card = text[text.index("Andel 80 år og over"):][:400]
    assert ratio_text in card, card
    assert mean_text not in card
    assert "summert teller og nevner" in card
    assert not page.locator("[data-testid='stException']").count()
