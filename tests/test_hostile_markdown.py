"""Hostile input, item 2: user text is shown as text, never as Markdown or HTML.

Participant names, workspace names, saved-region names, custom service-area names
and uploaded file names reach other users' screens; a ``[Logg inn her](http://...)``
must never become a live link there, nor ``![p](http://...)`` a remote image.
(The same payloads are rendered in a real browser in
``tests/e2e/test_hostile_e2e.py``.)
"""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi import criteria as cr
from kommunestrategi.store import SYSTEM, Actor, Store
from kommunestrategi.textsafe import WORD_JOINER, md, md_inline, plain

from .conftest import ROOT

LINK = "[Logg inn her](http://evil.example/login)"
IMAGE = "![p](http://evil.example/p.png)"
PAYLOADS = [
    LINK,
    IMAGE,
    "<img src=http://evil.example/i.png>",
    "<http://evil.example>",
    "http://evil.example/bare",
    "www.evil.example",
    "ola@evil.example",
    ":red[rød] :material/hub: $x^2$",
    "**fet** _kursiv_ `kode` ~~borte~~",
    "&lt;script&gt;",
    "# Overskrift",
    "1. liste",
    "- liste",
    "> sitat",
]
#: A Markdown link or image that a renderer would turn into an element.
LIVE_LINK = re.compile(r"(?<!\\)\[[^\]]*(?<!\\)\]\(")


def _unescaped(text: str) -> str:
    """What a CommonMark renderer shows for ``text`` (escapes resolved, joiners dropped)."""
    return re.sub(r"\\(.)", r"\1", text).replace(WORD_JOINER, "").replace("\u00a0", " ")


@pytest.mark.parametrize("payload", PAYLOADS)
def test_escaped_text_reads_exactly_as_typed_and_has_no_markup(payload: str) -> None:
    for escaped in (md(payload), md_inline(payload)):
        assert _unescaped(escaped) == payload
        assert not LIVE_LINK.search(escaped)
        assert not re.search(r"(?<!\\)[<*_`$~\[\]]", escaped), escaped
        assert "http://" not in escaped and "www." not in escaped.lower()
        assert not re.match(r"[#>\-+]|\d+\.", escaped)


def test_inline_text_is_one_line_and_control_characters_are_dropped() -> None:
    assert md_inline("Ola\n\nNordmann\t ") == "Ola Nordmann"
    assert plain("Trondheim\u202egnp.exe\x00") == "Trondheimgnp.exe"
    assert md_inline("x" * 300, limit=10) == "x" * 9 + "…"
    assert md("a\n---\n    kode") == "a  \n\\---  \n\u00a0\u00a0\u00a0\u00a0kode"
    # Ordinary names are left alone.
    for name in ("Sør-Trøndelag 2026", "Fosen & Co", "Kommune 5001 Trondheim (vertskommune)"):
        assert md_inline(name) == name


def _app(page: str) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _all_markdown(at: AppTest) -> list[str]:
    """Every Markdown-rendered text on the page and in the sidebar."""
    texts: list[str] = []
    for kind in ("markdown", "caption", "info", "success", "warning", "error", "title", "header", "subheader"):
        texts += [str(e.value) for e in getattr(at, kind)]
        texts += [str(e.value) for e in getattr(at.sidebar, kind)]
    texts += [str(e.label) for e in at.expander]
    return texts


def _assert_no_live_markup(texts: list[str]) -> None:
    for text in texts:
        assert not LIVE_LINK.search(text), text
        assert "http://evil" not in text, text


def test_locked_workspace_prompt_shows_a_hostile_workspace_name_as_text() -> None:
    store = Store.open()
    ws = store.create_workspace(SYSTEM, LINK, ["5001"])
    store.set_access_code(SYSTEM, ws.id, "secretariat", "sekretariat-kode")
    at = _app("views/region.py")
    at.sidebar.selectbox(key="workspace_picker").set_value(ws.id).run()
    prompts = [i.value for i in at.info if "låst" in i.value]
    assert prompts and md_inline(LINK) in prompts[0]
    _assert_no_live_markup(_all_markdown(at))


def test_participant_and_region_names_are_text_for_every_viewer() -> None:
    store = Store.open()
    demo = store.ensure_demo_workspace()
    store.save_region(Actor(IMAGE, "secretariat"), demo.id, LINK, ["5001", "5028"])
    at = _app("views/region.py")
    at.sidebar.text_input(key="participant_name").input(IMAGE).run()
    shown = _all_markdown(at)
    assert f"**{md_inline(LINK)}**" in shown
    assert any(md_inline(IMAGE) in text for text in shown)  # the region's author and "you are"
    _assert_no_live_markup(shown)


def test_workspace_admin_page_shows_hostile_names_as_text() -> None:
    store = Store.open()
    ws = store.create_workspace(SYSTEM, IMAGE, ["5001"], open_access=True)
    at = _app("views/arbeidsomrade.py")
    at.sidebar.selectbox(key="workspace_picker").set_value(ws.id).run()
    assert any(md_inline(IMAGE) in c.value for c in at.caption)
    _assert_no_live_markup(_all_markdown(at))


def test_strategy_page_shows_a_custom_service_area_name_and_authors_as_text() -> None:
    store = Store.open()
    demo = store.ensure_demo_workspace()
    council = store.list_councils(demo.id)[0].kommunenummer
    area = cr.custom_area_id(LINK)
    criterion = cr.catalogue().criteria[0]
    item = next(f for f in criterion.fields if f.type in ("text", "long_text"))
    store.save_answer(Actor(IMAGE, "secretariat"), demo.id, council, area, criterion.id, item.id,
                      "Se http://evil.example/mer og " + LINK, None)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["kommune"] = council
    at.run()
    at.switch_page("views/strategi.py").run()
    assert not at.exception, at.exception
    shown = _all_markdown(at)
    assert md_inline(LINK) in [h.value for h in at.header]
    _assert_no_live_markup(shown)

    at.switch_page("views/sjekkliste.py").run()
    assert not at.exception, at.exception
    assert any(md_inline(LINK) in c.value for c in at.caption)  # "started areas"
    _assert_no_live_markup(_all_markdown(at))


def test_figure_text_cannot_become_a_link_and_the_apps_own_markup_stays() -> None:
    import json

    import plotly.graph_objects as go

    from kommunestrategi.textsafe import plotly_figure

    link = '<a href="http://evil.example/x">Logg inn</a>'
    fig = go.Figure(go.Bar(x=[1.0, 2.0], y=[link, "Trondheim"], text=[link, "5001<br><b>Trondheim</b>"],
                           name=link, customdata=[[link, 1], ["5001", 2]], hovertemplate="%{y}<br>%{x}"))
    fig.update_layout(title=link, xaxis_title=link, legend_title_text=link,
                      annotations=[{"text": link, "x": 0, "y": 0}])
    spec = json.dumps(json.loads(plotly_figure(fig).to_json()), ensure_ascii=False)
    assert not re.search(r"<\s*/?\s*a\b", spec), spec
    assert spec.count("&lt;a href") == 8  # title, axis, legend, note, name, y, text, customdata
    assert "5001<br><b>Trondheim</b>" in spec and "%{y}<br>%{x}" in spec
    assert list(fig.data[0].y)[1] == "Trondheim"


def test_a_finished_map_spec_is_cleaned_too() -> None:
    from kommunestrategi.textsafe import plotly_figure
    from ui.mapview import SpecFigure

    link = '<a href="http://evil.example/x">Logg inn</a>'
    spec = {"data": [{"type": "choropleth", "text": [link, "Trondheim"], "customdata": [[link, "5001"]]}],
            "layout": {"title": {"text": link}, "annotations": [{"text": link}]}}
    plotly_figure(SpecFigure(spec))
    assert spec["data"][0]["text"] == ['&lt;a href="http://evil.example/x">Logg inn&lt;/a>', "Trondheim"]
    assert spec["data"][0]["customdata"][0][0].startswith("&lt;a")
    assert spec["layout"]["title"]["text"].startswith("&lt;a") and spec["layout"]["annotations"][0]["text"][0] == "&"
