"""AppTest of the region page: how a region hangs together (over land, by ferry or sea)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app():
    return AppTest.from_file(APP, default_timeout=60)


def test_a_region_over_land_says_so(app):
    app.run()
    app.session_state["selection"] = ["5001", "5031", "5028"]
    app.switch_page("views/region.py").run()
    assert not app.exception
    assert [s.value for s in app.success] == ["Sammenhengende over land."]
    assert not [c for c in app.caption if "hav" in c.value]


def test_islands_joined_by_the_sea_name_the_crossing(app):
    app.run()
    app.session_state["selection"] = ["1856", "1857"]          # Røst, Værøy
    app.switch_page("views/region.py").run()
    assert not app.exception
    (success,) = app.success
    assert success.value.startswith("Sammenhengende med fergestrekning/sjø: Røst–Værøy (")
    assert success.value.endswith(" km).")
    assert any(c.value.startswith("Over åpent hav") and "Røst–Værøy" in c.value for c in app.caption)


def test_the_crossing_in_english(app):
    app.run()
    app.sidebar.selectbox(key="lang_picker").set_value("en").run()
    app.session_state["selection"] = ["1149", "1151"]          # Karmøy, Utsira
    app.switch_page("views/region.py").run()
    assert not app.exception
    assert app.success[0].value.startswith("Contiguous with a ferry crossing/sea link: Karmøy–Utsira (")
