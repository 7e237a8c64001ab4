"""Hostile input, item 2, swept over every page: a workspace whose every user-typed
text is a Markdown link or a remote image, rendered page by page.

Newer features add new places that show user text (scenario names, cooperation
arrangement names, service-point names and opening hours, weights under a
participant's name, saved regions, custom service areas, answers). Instead of one
test per place, every page is run with all of them stored at once and every
Markdown-rendering element (text, captions, notices, headings, expander and tab
labels, and the labels and options of radios, checkboxes, buttons, toggles and
metrics, which Streamlit renders as Markdown too) is checked for a live link or a
remote address, and every chart for an ``<a>`` element (plotly.js makes
``<a href>`` in figure text a live link). So a page that starts showing one of these texts unescaped fails
here without a test of its own.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi import criteria as cr
from kommunestrategi.servicepoints.layers import save_layer
from kommunestrategi.servicepoints.model import ServicePoint
from kommunestrategi.store import Actor, Store
from kommunestrategi.store import cooperation as coop_store
from kommunestrategi.store import scenarios as scenario_store

from .conftest import ROOT

LINK = "[Logg inn her](http://evil.example/login)"
IMAGE = "![p](http://evil.example/p.png)"
#: plotly.js turns an ``<a href>`` in any figure text into a live link.
HTML_LINK = '<a href="http://evil.example/plotly">Logg inn</a>'
#: An ``<a`` element start in a figure's JSON (``&lt;a`` is shown as text).
PLOTLY_LINK = re.compile(r"<\s*/?\s*a\b", re.IGNORECASE)
#: A Markdown link or image that a renderer would turn into an element.
LIVE_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")
PAGES = sorted(p.name for p in (ROOT / "views").glob("*.py"))


@pytest.fixture
def hostile_workspace():
    store = Store.open()
    demo = store.ensure_demo_workspace()
    actor = Actor(IMAGE, "secretariat")
    members = [c.kommunenummer for c in store.list_councils(demo.id)]
    store.save_region(actor, demo.id, LINK, members[:2])
    store.save_region(actor, demo.id, HTML_LINK, members[1:3])
    scenario = scenario_store.save_scenario(store, actor, demo.id, LINK, "cooperation", members[:2],
                                            on_board=True)
    scenario_store.save_scenario(store, actor, demo.id, IMAGE, "merger", members[:2], on_board=True)
    scenario_store.save_scenario(store, actor, demo.id, HTML_LINK, "status_quo", members[:3], on_board=True)
    scenario_store.save_weights(store, actor, demo.id, {"capacity": 3.0, "economy": 1.0})
    coop_store.add_arrangement(store, actor, demo.id, {
        "name": LINK, "service_area": IMAGE, "legal_form": "vertskommune", "members": members[:2],
        "host": members[0]})
    coop_store.add_arrangement(store, actor, demo.id, {
        "name": HTML_LINK, "service_area": "IKT", "legal_form": "vertskommune", "members": members[:3],
        "host": members[1]})
    points = [ServicePoint(id="", name=LINK, kind="fixed", hours=IMAGE, kommunenummer=members[0]),
              ServicePoint(id="", name=IMAGE, kind="centre", kommunenummer=members[1]),
              ServicePoint(id="", name=HTML_LINK, kind="fixed", hours=HTML_LINK, kommunenummer=members[2])]
    save_layer(store, actor, demo.id, points)
    save_layer(store, actor, demo.id, points[:1], layer=f"scenario:{scenario.id}")
    criterion = cr.catalogue().criteria[0]
    item = next(f for f in criterion.fields if f.type in ("text", "long_text"))
    for area in (cr.custom_area_id(LINK), cr.catalogue().service_areas[0].id):
        store.save_answer(actor, demo.id, members[0], area, criterion.id, item.id,
                          f"Se http://evil.example/mer og {LINK} {IMAGE}", None)
    return demo, members


def _texts(at: AppTest) -> list[str]:
    """Every text on the page that Streamlit renders as Markdown."""
    texts: list[str] = []
    for root in (at, at.sidebar):
        for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "header",
                     "subheader", "exception"):
            texts += [str(getattr(e, "value", e)) for e in getattr(root, kind)]
    texts += [str(e.label) for e in at.expander]
    texts += [str(e.label) for e in at.tabs]
    for kind in ("radio", "checkbox", "button", "toggle", "metric"):
        for element in at.get(kind):
            texts.append(str(getattr(element, "label", "")))
            texts += [str(o) for o in getattr(element, "options", None) or ()]
    return texts


@pytest.mark.parametrize("page", PAGES)
def test_no_page_renders_stored_user_text_as_markup(hostile_workspace, page: str) -> None:
    demo, members = hostile_workspace
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["kommune"] = members[0]
    at.run()
    at.switch_page(str(Path("views") / page)).run()
    assert not at.exception, at.exception
    for text in _texts(at):
        assert not LIVE_LINK.search(text), (page, text)
        assert "http://evil" not in text, (page, text)
    for chart in at.get("plotly_chart"):
        spec = json.dumps(json.loads(chart.proto.spec), ensure_ascii=False)
        assert not PLOTLY_LINK.search(spec), (page, PLOTLY_LINK.search(spec), spec[:200])
