"""Every page's view comes back from its link (a reload is a new session with the same URL)."""

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


def _open(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def test_map_view_from_a_link():
    at = _open("views/kart.py", valg="5031,5001", maal="area", fylke="Trøndelag", tabell="1")
    assert at.session_state["selection"] == ["5031", "5001"]  # in the order of the link
    assert at.selectbox(key="map_measure").value == "area"
    assert at.selectbox(key="map_county").value == "Trøndelag"
    table = at.dataframe[0].value
    assert set(table["Fylke"]) == {"Trøndelag"}
    assert {m.label: m.value for m in at.metric}["Valgte kommuner"] == "2"
    # changing the view changes the link
    at.selectbox(key="map_county").set_value(None).run()
    assert "fylke" not in at.query_params
    assert at.query_params["valg"] == "5031,5001"


def test_map_table_is_the_same_message_on_every_rerun():
    """A fixed table id: an unchanged table is not sent again after a click."""
    at = _open("views/kart.py")
    assert not at.dataframe  # the table is shown on request, and the request is kept in the link
    at.toggle(key="map_table_on").set_value(True).run()
    assert at.query_params["tabell"] == "1"
    first = at.dataframe[0].proto.SerializeToString()
    at.multiselect(key="map_search").set_value(["5001"]).run()
    assert at.dataframe[0].proto.SerializeToString() == first


def test_presenter_view_from_a_link_shows_map_and_key_figures_only():
    at = _open("views/kart.py", valg="5001", visning="presentasjon")
    assert not at.title  # no page title, no controls, no table
    assert not at.dataframe
    assert {m.label: m.value for m in at.metric}["Valgte kommuner"] == "1"
    at.button(key="map_present_off").click().run()
    assert "visning" not in at.query_params
    assert at.title and at.toggle(key="map_table_on")


def test_indicator_subject_and_tab_from_a_link():
    at = _open("views/indikatorer.py", emne="municipality", kommune="5031", fane="utvikling")
    assert at.selectbox(key="ind_municipality").value == "5031"
    assert at.query_params["fane"] == "utvikling"
    assert at.query_params["kommune"] == "5031"


def test_checklist_step_from_a_link_in_english():
    at = _open("views/sjekkliste.py", lang="en", kommune="5001", omrade="barnevern", steg="form")
    assert at.radio(key="chk_tab").value.startswith("3.")
    assert at.query_params["steg"] == "form"
    assert at.query_params["kommune"] == "5001" and at.query_params["omrade"] == "barnevern"
