"""AppTest: every chart on the Indicators, Strategy and Cooperation pages has its figures
beside it as a table ("Tallene i tabell"), the same numbers the chart draws."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi import indicators
from kommunestrategi.formatting import number

APP = str(Path(__file__).resolve().parent.parent / "app.py")
LABEL = "Tallene i tabell"


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    return at


def _numbers(at) -> dict[str, object]:
    return {e.proto.label: e for e in at.expander if e.proto.label == LABEL}


def test_indicator_charts_have_their_tables(app):
    app.switch_page("views/indikatorer.py").run()
    app.selectbox(key="ind_municipality").set_value("5001").run()
    assert not app.exception
    keys = {e.key for e in app.expander if e.proto.label == LABEL}
    for chart in ("ind_detail_bars", "ind_detail_strip", "ind_trend_chart", "ind_pyramid", "ind_projection"):
        assert f"numbers_{chart}" in keys, (chart, keys)
    # the comparison bars: Trondheim's share of 80+ first, as the chart draws it
    data = indicators.bundled_data()
    card = data.card("share_80_plus", ["5001"])
    tables = [t.value for t in app.table]
    bars = next(t for t in tables if "Kommune eller gruppe" in t.columns)
    assert bars.iloc[0]["Kommune eller gruppe"] == "Trondheim"
    assert bars.iloc[0, 1] == number(card.value, "nb", data.catalogue["share_80_plus"].decimals)
    # the age pyramid: one row per age group with the inhabitants
    pyramid = next(t for t in tables if "Aldersgruppe" in t.columns)
    structure = data.age_structure(["5001"])
    assert len(pyramid) == len(structure)
    assert list(pyramid["Innbyggere"]) == [number(v, "nb") for v in structure["value"]]


def test_strategy_overview_heatmap_has_its_table(app):
    app.switch_page("views/strategi.py").run()
    assert not app.exception
    keys = {e.key for e in app.expander if e.proto.label == LABEL}
    assert "numbers_strategy_heatmap" in keys, keys
    table = next(t.value for t in app.table if "Kommune (andel utfylt per steg)" in t.value.columns)
    assert len(table) == 5  # the demo workspace's five councils
    assert table.iloc[0, 0].startswith("5001")


def test_cooperation_network_and_map_have_their_tables():
    from kommunestrategi import datasets
    from kommunestrategi.io.importer import validate_file
    from kommunestrategi.store import SYSTEM, Store
    from tests.test_views_samarbeid import CSV

    store = Store.open()
    ws = store.ensure_demo_workspace()
    datasets.import_result(store, SYSTEM, ws.id, validate_file(CSV, "register.csv", "arrangements"))
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.query_params["kommune"] = "5028"
    at.query_params["visning"] = "mellom"
    at.switch_page("views/samarbeid.py").run()
    assert not at.exception
    keys = {e.key for e in at.expander if e.proto.label == LABEL}
    assert {"numbers_coop_network", "numbers_coop_map"} <= keys, keys
    tables = [t.value for t in at.table]
    links = next(t for t in tables if "Felles ordninger" in t.columns)
    pairs = {frozenset((a, b)): n for a, b, n in links.itertuples(index=False)}
    assert pairs[frozenset(("Melhus", "Skaun"))] == "2"     # the network's strongest line
    counts = next(t for t in tables if "Ordninger" in t.columns)
    per_municipality = dict(zip(counts["Kommune"], counts["Ordninger"], strict=True))
    assert per_municipality["Melhus"] == "3" and per_municipality["Trondheim"] == "1"
