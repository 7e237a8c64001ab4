"""AppTest of the start, map and region pages: no exception, key elements present."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app():
    return AppTest.from_file(APP, default_timeout=60)


def test_start_page(app):
    app.run()
    assert not app.exception
    assert app.title[0].value == "Kommunestrategi"


def test_map_page_has_measure_zoom_search_and_table(app):
    app.run()
    app.switch_page("views/kart.py").run()
    assert not app.exception
    assert not app.error
    assert app.title[0].value == "Kommunekart"
    assert app.selectbox(key="map_measure").value == "population"
    assert len(app.multiselect(key="map_search").options) == 356
    assert not app.dataframe  # the figures as a table on request
    app.toggle(key="map_table_on").set_value(True).run()
    table = app.dataframe[0].value
    assert len(table) == 356
    trondheim = table[table.iloc[:, 0] == "5001"].iloc[0]
    assert trondheim.iloc[-1] == 218460  # 1 January 2026: the sortable number behind the shown "218 460"


def test_search_selection_shows_combined_population(app):
    app.run()
    app.switch_page("views/kart.py").run()
    app.multiselect(key="map_search").set_value(["5001", "5031"]).run()
    assert not app.exception
    assert app.session_state["selection"] == ["5001", "5031"]
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Valgte kommuner"] == "2"
    assert metrics["Folketall 2026"] == "233\u00a0421"  # 1 January 2026: 218 460 + 14 961
    assert app.query_params["valg"] == "5001,5031"


def test_region_page_empty_state(app):
    app.run()
    app.switch_page("views/region.py").run()
    assert not app.exception
    assert app.info[0].value.startswith("Velg minst én kommune")


def test_region_page_shows_figures_for_the_selection(app):
    app.run()
    app.session_state["selection"] = ["5001", "5031", "5501"]
    app.switch_page("views/region.py").run()
    assert not app.exception
    labels = [m.label for m in app.metric]
    assert "Folketall 2026" in labels and "Antall kommuner" in labels
    assert any("Tromsø" in w.value for w in app.warning)   # not contiguous


def test_english_language(app):
    app.run()
    app.sidebar.selectbox(key="lang_picker").set_value("en").run()
    app.switch_page("views/region.py").run()
    assert not app.exception
    assert app.title[0].value == "Region builder"


def test_uploaded_boundaries_replace_the_bundled_map(app, real_data):
    import geopandas as gpd

    from kommunestrategi import geo
    from kommunestrategi.geometry import ANALYSIS_TOLERANCE_M, simplify_coverage
    from kommunestrategi.store import SYSTEM, Store

    app.run()
    app.switch_page("views/kart.py").run()
    assert len(app.multiselect(key="map_search").options) == 356

    raw = gpd.read_file(real_data / "kartverket_kommuner_2024_small.geojson")
    raw = raw[["kommunenummer", "kommunenavn", "geometry"]].rename(columns={"kommunenavn": "name"})
    table = geo.boundaries_to_table(simplify_coverage(raw, ANALYSIS_TOLERANCE_M))
    store = Store.open()
    workspace = store.ensure_demo_workspace()
    store.add_dataset_version(SYSTEM, workspace.id, "boundaries", "kommuner_2024.geojson", "0" * 64,
                              {"municipalities": 357}, [], {"boundaries": table})

    app.run()
    assert not app.exception
    options = app.multiselect(key="map_search").options
    assert len(options) == 357
    assert any("Haram" in option for option in options)


def test_region_page_shows_travel_times_from_an_active_dataset(app):
    import pandas as pd

    from kommunestrategi.store import SYSTEM, Store

    store = Store.open()
    workspace = store.ensure_demo_workspace()
    travel = pd.DataFrame({"from_kommunenummer": ["5001"], "to_kommunenummer": ["5031"],
                           "minutes": [22.0]})
    store.add_dataset_version(SYSTEM, workspace.id, "travel_times", "reisetider.csv", "1" * 64,
                              {"pairs": 1}, [], {"travel_times": travel})
    app.run()
    app.session_state["selection"] = ["5001", "5031"]
    app.switch_page("views/region.py").run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Lengste reisetid mellom kommunesentre"] == "22 min"
