"""The online-sources layer the Data page calls, and its Streamlit section (AppTest)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi.io import sources, ssb
from tests.fixtures.loopback import LoopbackServer, Reply, fixture_bytes


@pytest.fixture
def server(monkeypatch):
    srv = LoopbackServer().start()
    monkeypatch.setenv("KOMMUNESTRATEGI_SSB_URL", srv.url)
    srv.route("/tables/07459/data", Reply(body=fixture_bytes("ssb_07459_alder.jsonstat2.json")))
    yield srv
    srv.stop()


def test_table_choices_in_each_language():
    choices = dict(sources.ssb_tables("en"))
    assert choices["07459"] == "07459 Population by age (1 January)"
    assert set(choices) == set(ssb.known_tables())


def test_fetch_then_stored_answers_show_age(server):
    result = sources.fetch_ssb("07459")
    assert sources.import_file_name("SSB", "07459", result).startswith("ssb_07459_")
    (row,) = sources.stored_answers("en")
    assert (row["source"], row["table"], row["age"]) == ("SSB", "07459", "just now")
    assert sources.fetch_ssb("07459", cache_only=True).from_cache


def _section() -> None:
    import streamlit as st

    from ui import online_sources

    fetched = online_sources.render()
    if fetched:
        st.write(f"fetched {fetched[1]} {len(fetched[0])}")


def test_section_fetches_and_reports_offline(server):
    at = AppTest.from_function(_section, default_timeout=30).run()
    assert not at.exception
    at.toggle[0].set_value(True).run()
    at.button[0].click().run()
    assert "bare bruke lagrede kopier" in at.warning[0].value  # cache-only, nothing stored yet
    at.toggle[0].set_value(False).run()
    at.button[0].click().run()
    assert not at.exception
    assert at.success[0].value.startswith("07459 Befolkning etter alder")
    assert any(m.value.startswith("fetched ssb_07459_") for m in at.markdown)
    assert at.expander[0].label == "Lagrede kopier (1)"
