"""URL state: a view starts from its link and writes every change back to the URL."""

from streamlit.testing.v1 import AppTest


def _page():
    import streamlit as st

    from ui import session, urlstate

    urlstate.widget("measure", "maal", options=["population", "area"], default="population")
    st.selectbox("Measure", ["population", "area"], key="measure")
    urlstate.widget("counties", "fylker", options=["Trøndelag", "Nordland"], many=True)
    st.multiselect("Counties", ["Trøndelag", "Nordland"], key="counties")
    session.selection_to_url()
    st.write(",".join(session.selection()))


def test_widget_starts_from_the_link_and_ignores_unknown_values():
    at = AppTest.from_function(_page)
    at.query_params["maal"] = "area"
    at.query_params["fylker"] = "Nordland,Atlantis"
    at.query_params["valg"] = "5001,5028,x,5001"
    at.run()
    assert not at.exception
    assert at.selectbox(key="measure").value == "area"
    assert at.multiselect(key="counties").value == ["Nordland"]
    assert at.session_state["selection"] == ["5001", "5028"]
    assert at.query_params["fylker"] == "Nordland"
    assert at.query_params["valg"] == "5001,5028"


def test_changes_go_to_the_url_and_the_default_is_left_out():
    at = AppTest.from_function(_page)
    at.run()
    assert "maal" not in at.query_params
    at.selectbox(key="measure").set_value("area").run()
    assert at.query_params["maal"] == "area"
    at.multiselect(key="counties").set_value(["Trøndelag", "Nordland"]).run()
    assert at.query_params["fylker"] == "Trøndelag,Nordland"
    at.selectbox(key="measure").set_value("population").run()
    assert "maal" not in at.query_params


def test_invalid_value_falls_back_to_the_default():
    at = AppTest.from_function(_page)
    at.query_params["maal"] = "<script>"
    at.run()
    assert not at.exception
    assert at.selectbox(key="measure").value == "population"
    assert "maal" not in at.query_params
