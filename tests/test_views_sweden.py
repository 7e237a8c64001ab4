"""Every page of a Swedish workspace in Swedish (AppTest): no error and no Norwegian leftovers.

The walk opens each page of the navigation in a workspace with country SE and the
interface in Swedish, collects every text the page renders (titles, markdown,
captions, notices, widget labels, help and placeholders, metric labels, table
headers; not the options of pickers, which legitimately hold Norwegian names such
as the municipalities offered for a new Norwegian workspace) and fails on words
that only Norwegian has. The same module checks what a Swedish workspace offers on
the map and in the legal-form helper.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi.store import SYSTEM, Store

APP = str(Path(__file__).resolve().parent.parent / "app.py")
PAGES = ("views/start.py", "views/kart.py", "views/region.py", "views/indikatorer.py", "views/tjenester.py",
         "views/samarbeid.py", "views/scenarier.py", "views/sjekkliste.py", "views/strategi.py",
         "views/eksport.py", "views/arbeidsomrade.py", "views/data.py")
#: Words (and sources, places, month names) that only a Norwegian text has.
NORWEGIAN_ONLY = (
    r"KOSTRA-grupp", r"\b[Ff]ylke", r"\b[Kk]ommunestyre", r"\bKilde\b", r"\b[Ii]nnbyggere\b", r"\bikke\b",
    r"\bog\b", r"\bennå\b", r"\bogså\b", r"\b[Vv]elg\b", r"\bjanuar\b", r"\bfebruar\b", r"\bmai\b",
    r"\bdesember\b", r"\bSSB\b", r"\bKartverket\b", r"\bTrondheim", r"Trøndelag", r"\bNAV\b",
    # Streamlit's own English placeholders: a picker left without a translated one
    r"Choose an? options?", r"No options to select",
)


def _texts(node, out: list[str]) -> list[str]:
    """Every user-visible text below ``node`` (options of pickers left out)."""
    picker = isinstance(getattr(node, "options", None), (list, tuple))
    proto = getattr(node, "proto", None)
    # a picker without a placeholder shows Streamlit's English one in the browser
    if getattr(node, "type", "") == "multiselect" and not proto.placeholder:
        out.append("Choose options")
    if getattr(node, "type", "") == "selectbox" and not proto.placeholder and not proto.HasField("default"):
        out.append("Choose an option")
    for attr in ("value", "label", "body", "help", "placeholder"):
        if attr == "value" and picker:
            continue  # a picker's value is one of its options
        try:
            value = getattr(node, attr, None)
        except Exception:  # noqa: BLE001 - some elements compute these lazily and may not have them
            continue
        if isinstance(value, str):
            out.append(value)
        elif attr == "value" and isinstance(getattr(value, "columns", None), Iterable):  # a table: headers
            out.extend(str(c) for c in value.columns)
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            _texts(child, out)
    return out


def _leftovers(text: str) -> list[str]:
    return sorted({m.group(0) for pattern in NORWEGIAN_ONLY for m in re.finditer(pattern, text)})


@pytest.fixture
def swedish():
    """A Swedish workspace with two councils, opened in Swedish with both selected on the map."""
    store = Store.open()
    store.ensure_demo_workspace()
    ws = store.create_workspace(SYSTEM, "Norrbotten", ["2583", "2584"], open_access=True, country="SE")
    # a scenario on the board and a service point, so their cards and tables are walked too
    from kommunestrategi.servicepoints.layers import save_layer
    from kommunestrategi.servicepoints.model import point_from_dict
    from kommunestrategi.store import scenarios as S

    S.save_scenario(store, SYSTEM, ws.id, "Tornedalen", "cooperation", ["2583", "2584"])
    save_layer(store, SYSTEM, ws.id, [point_from_dict(
        {"name": "Servicecenter Kiruna", "kind": "centre", "kommunenummer": "2584",
         "agencies": ["kommun", "skatteverket"]}, "SE")])
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "sv"
    at.run()
    at.selectbox(key="workspace_picker").set_value(ws.id).run()
    at.session_state["selection"] = ["2583", "2584"]
    return at


def test_every_page_of_a_swedish_workspace_has_no_norwegian_leftovers(swedish) -> None:
    found = {}
    for page in PAGES:
        swedish.switch_page(page).run()
        assert not swedish.exception, (page, swedish.exception)
        text = "\n".join(_texts(swedish._tree, []))
        assert "Något gick fel" not in text, page
        assert text.count("\n") > 10, page  # the page rendered
        if page == "views/scenarier.py":
            assert "Tornedalen" in text
            # no contiguity verdict without boundaries, and no Norwegian ROBEK register
            assert "Om regionen hänger ihop kan inte avgöras" in text and "Inte sammanhängande" not in text
            assert "ROBEK" not in text
            assert ("**Servicepunkter:** andelen inom 20 km kan inte beräknas utan kommungränser eller "
                    "befolkningsrutnät · 1 av 2 kommuner utan servicecenter · dagens servicepunkter (1 i området)") in text
        if leftovers := _leftovers(text):
            found[page] = leftovers
    assert found == {}


def test_the_walk_would_notice_a_norwegian_page() -> None:
    """The word list catches the Norwegian interface (so a clean Swedish walk means something)."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("views/indikatorer.py").run()
    at.selectbox(key="ind_municipality").set_value("5001").run()
    assert {"KOSTRA-grupp", "fylke"} <= set(_leftovers("\n".join(_texts(at._tree, []))))


def test_region_page_without_boundaries_shows_figures_and_says_where_the_map_comes_from(swedish) -> None:
    swedish.switch_page("views/region.py").run()
    assert not swedish.exception
    assert not any("Något gick fel" in e.value for e in swedish.error)
    assert any(m.label == "Folkmängd 2024" and m.value == "31\xa0577" for m in swedish.metric)
    assert any("Kartan över regionen visas när kommungränser" in i.value for i in swedish.info)


def test_map_offers_only_measures_with_swedish_figures(swedish) -> None:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "sv"
    at.run()
    at.switch_page("views/kart.py").run()
    # in the Norwegian demo the map can be coloured by the centrality index
    at.selectbox(key="map_measure").set_value("indicator:centrality").run()
    assert at.query_params["maal"] == ["indicator:centrality"] or at.query_params["maal"] == "indicator:centrality"
    ws = Store.open().get_workspace("Norrbotten")
    at.selectbox(key="workspace_picker").set_value(ws.id).run()
    at.switch_page("views/kart.py").run()
    assert not at.exception, at.exception
    box = at.selectbox(key="map_measure")
    assert box.options == ["Folkmängd", "Areal", "Befolkningstäthet", "Invånare 80 år och äldre",
                           "Andel invånare 80 år och äldre med hemtjänst"]
    assert box.value == "population"
    assert any("”Centralitetsindex (klass 1-6)” har inga siffror" in i.value for i in at.info)
    box.set_value("indicator:hjemmetjenester_andel_80_plus").run()
    captions = [c.value for c in at.caption]
    assert "Källa: Kolada N21704 (RKA), 2023" in captions
    assert not any("SSB" in c for c in captions)
    # without boundaries there is nothing to click: no click hint, no boundary source
    assert not any("Klicka på en kommun" in c for c in captions)
    at.toggle(key="map_table_on").set_value(True).run()  # the table is shown on request
    table = at.dataframe[0].value
    table = getattr(table, "data", table)  # a Styler keeps its frame in .data
    values = dict(zip(table.iloc[:, 0], table.iloc[:, -1], strict=True))
    assert len(values) == 290 and values["2584"] == pytest.approx(22.75) and values["2583"] == pytest.approx(30.98)


def test_map_without_kolada_imports_says_where_more_measures_come_from() -> None:
    from kommunestrategi import measures
    from kommunestrategi.countries import sweden

    offered = measures.available_measures(sweden.bundled_indicator_data(), sweden.bundled())
    assert [m.id for m in offered] == ["population", "area", "density", "indicator:pop_80_plus",
                                       "indicator:hjemmetjenester_andel_80_plus"]
    assert offered[-1].source("sv") == "Kolada N21704 (RKA), 2023"
    # Norway keeps every measure with figures
    from kommunestrategi import geo, indicators

    norway = measures.available_measures(indicators.bundled_data(), geo.bundled())
    assert "indicator:centrality" in [m.id for m in norway] and len(norway) == len(
        measures.map_measures(indicators.bundled_data()))


def test_legal_form_helper_defaults_to_swedish_forms_with_norwegian_counterparts(swedish) -> None:
    from kommunestrategi import criteria as cr

    ranked = cr.recommend_forms({"authority": "yes"}, default_country="se")
    assert {r.form.id for r in ranked} == {"se_kommunalforbund", "se_gemensam_namnd", "se_avtalssamverkan",
                                          "se_kommunalt_bolag"}
    assert {r.form.id for r in cr.recommend_forms({"authority": "yes"})} >= {"vertskommune_adm", "iks"}
    # an explicit answer wins over the workspace's country
    assert all(r.form.country == "no" for r in
               cr.recommend_forms({"authority": "yes", "country": "no"}, default_country="se"))

    store = Store.open()
    ws = store.get_workspace("Norrbotten")
    store.save_answer(SYSTEM, ws.id, "2583", "ikt", "helper", "authority", "yes", None)
    swedish.session_state["chk_tab"] = "3. Välja form och mandat"
    swedish.switch_page("views/sjekkliste.py").run()
    assert not swedish.exception, swedish.exception
    assert swedish.session_state["chk_council"] == "2583" and swedish.session_state["chk_area"] == "ikt"
    text = "\n".join(_texts(swedish._tree, []))
    assert "Arbetsytan gäller Sverige, så hjälpen visar svenska samverkansformer" in text
    # the Swedish forms are ranked, each with its nearest Norwegian counterpart
    nearest = set(line for line in text.splitlines() if line.startswith("Närmaste norska motsvarighet:"))
    assert nearest == {
        "Närmaste norska motsvarighet: Interkommunalt bolag (IKS) (lov om interkommunale selskaper (IKS-loven))",
        "Närmaste norska motsvarighet: Värdkommun med gemensam förtroendevald nämnd (kommuneloven § 20-3)",
        "Närmaste norska motsvarighet: Administrativt värdkommunsamarbete (kommuneloven § 20-2)",
        "Närmaste norska motsvarighet: Aktiebolag (AB) (aksjeloven)"}
    recommended = [m.value for m in swedish.markdown if m.value.startswith("**") and "-badge[" in m.value]
    assert recommended and all(any(name in v for name in ("Kommunalförbund", "Gemensam nämnd", "Avtalssamverkan",
                                                          "Kommunalt bolag"))
                               for v in recommended), recommended
    # the legal-form picker lists the Swedish forms first
    options = next(b.options for b in swedish.selectbox if b.label.startswith("Samverkansform")
                   or b.label.startswith("Juridisk form"))
    assert options[:4] == ["Kommunalförbund", "Gemensam nämnd", "Avtalssamverkan", "Kommunalt bolag"]
    assert options[-1] == "Samkommun (historisk)"
    # the helper's "Lagstiftning" question shows Sverige already chosen (nothing saved by showing it)
    legislation = next(b for b in swedish.selectbox if b.label == "Lagstiftning")
    assert legislation.value == "se" and legislation.format_func(legislation.value) == "Sverige"
    assert store.get_answer(ws.id, "2583", "ikt", "helper", "country") is None
    # choosing Norway shows the Norwegian forms and is saved
    legislation.set_value("no").run()
    assert store.get_answer(ws.id, "2583", "ikt", "helper", "country").value == "no"
    assert "Närmaste norska motsvarighet:" not in "\n".join(_texts(swedish._tree, []))


def test_legal_form_helper_preselects_norway_in_a_norwegian_workspace() -> None:
    store = Store.open()
    ws = store.ensure_demo_workspace()
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["lang"] = "nb"
    at.run()
    at.selectbox(key="workspace_picker").set_value(ws.id).run()
    at.session_state["chk_tab"] = "3. Velge form og mandat"
    at.switch_page("views/sjekkliste.py").run()
    assert not at.exception, at.exception
    legislation = next(b for b in at.selectbox if b.label == "Lovverk")
    assert legislation.value == "no" and legislation.format_func(legislation.value) == "Norge"
