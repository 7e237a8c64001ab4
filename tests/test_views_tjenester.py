"""AppTest of the service-point page: add a point as a what-if, see coverage change, save it."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi.servicepoints.layers import load_layer
from kommunestrategi.store import Store

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    at.switch_page("views/tjenester.py").run()
    return at


def _metric(at, start: str) -> str:
    return next(m.value for m in at.metric if m.label.startswith(start))


def test_service_point_page_estimates_from_centres_and_adds_a_point(app) -> None:
    assert not app.exception, app.exception
    assert app.title[0].value == "Servicepunkter"
    # no grid imported: the page says plainly that coverage is estimated from municipal centres
    assert any("Anslått fra kommunesentrene" in i.value for i in app.info)
    assert _metric(app, "Innbyggere innen 20 km") == "0 %"
    assert _metric(app, "Uten servicesenter") == "5"
    app.text_input(key="sp_add_name").set_value("Trondheim servicesenter")
    app.selectbox(key="sp_add_kind").set_value("centre")
    app.selectbox(key="sp_add_municipality_None").set_value("5001")
    app.multiselect(key="sp_add_agencies").set_value(["kommune", "nav"])
    app.button[0].click().run()  # the form's submit button
    assert not app.exception, app.exception
    assert _metric(app, "Uten servicesenter") == "4"
    # the short label's help names the municipalities it counts
    without = next(m for m in app.metric if m.label == "Uten servicesenter")
    assert without.help.startswith("Kommuner uten servicesenter: ") and "Trondheim" not in without.help
    # Trondheim's centre is within 20 km of Melhus' centre, so both count as covered
    share = _metric(app, "Innbyggere innen 20 km")
    assert share != "0 %"
    assert any("ulagret endring" in i.value for i in app.info)
    app.button(key="sp_save").click().run()
    assert not app.exception, app.exception
    store = Store.open()
    points = load_layer(store, store.get_workspace("Demo").id)
    assert [(p.name, p.kind, p.kommunenummer, p.agencies) for p in points] == [
        ("Trondheim servicesenter", "centre", "5001", ("kommune", "nav"))]


def test_service_point_page_in_swedish_without_boundaries() -> None:
    store = Store.open()
    store.create_workspace(__import__("kommunestrategi.store", fromlist=["SYSTEM"]).SYSTEM, "Norrbotten",
                           ["2583", "2584"], open_access=True, country="SE")
    at = AppTest.from_file(APP, default_timeout=90)
    at.query_params["lang"] = "sv"
    at.run()
    at.selectbox(key="workspace_picker").set_value(store.get_workspace("Norrbotten").id).run()
    at.switch_page("views/tjenester.py").run()
    assert not at.exception, at.exception
    assert at.title[0].value == "Servicepunkter"
    assert any("Utan kommungränser" in w.value for w in at.warning)
    assert any("Kartan visas när kommungränser" in i.value for i in at.info)
