"""AppTest of the Indicators page: a municipality, the map selection as a region,
similar municipalities as peers, trends and demography, in every language."""

import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kommunestrategi import indicators, measures
from kommunestrategi.formatting import number

APP = str(Path(__file__).resolve().parent.parent / "app.py")


@pytest.fixture
def app():
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    return at


def _texts(at) -> str:
    return "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)


def test_municipality_cards_with_value_year_source_and_position(app):
    app.switch_page("views/indikatorer.py").run()
    assert not app.exception and not app.error
    app.selectbox(key="ind_municipality").set_value("5001").run()
    assert not app.exception
    text = _texts(app)
    assert "**Andel 80 år og over**" in text
    assert "Kilde: SSB, tabell 07459, 2026" in text
    assert "Trøndelag fylke" in text and "KOSTRA-gruppe 12" in text and "Landet" in text
    assert "av 356" in text
    # the groups' figures carry the unit, as the card's own figure does ("Landet: 4,7 %", not "4,7")
    lines = [line for m in app.markdown if "<small>" in m.value for line in m.value.split("  \n")]
    national = [line for line in lines if line.startswith("<small>Landet")]
    bare = [line for line in national if not re.search(r"\d[ \xa0][^\d<]+</small>$|: [^\d<]+ \d+</small>$", line)]
    assert national and not bare, bare
    # indicators without figures are listed with how to get them, not as zero
    assert any("Ingen data ennå" in e.label for e in app.expander)


def test_selection_as_region_combines_by_the_rules(app):
    app.session_state["selection"] = ["5001", "5031"]
    app.switch_page("views/indikatorer.py").run()
    app.radio(key="ind_subject_kind").set_value("selection").run()
    assert not app.exception and not app.error
    data = indicators.bundled_data()
    population = data.card("pop_total", ["5001", "5031"]).value
    share = data.card("share_80_plus", ["5001", "5031"]).value
    text = _texts(app)
    assert f"### {number(population, 'nb')} personer" in text
    assert f"### {number(share, 'nb', 1)} %" in text
    assert "beregnet på nytt fra summert teller og nevner" in text
    assert "Kan ikke slås sammen" in text          # centrality is never combined


def test_empty_selection_points_to_the_map(app):
    app.switch_page("views/indikatorer.py").run()
    app.radio(key="ind_subject_kind").set_value("selection").run()
    assert not app.exception
    assert app.info[0].value.startswith("Ingen kommuner er valgt")


def test_similar_municipalities_become_peers(app):
    app.switch_page("views/indikatorer.py").run()
    app.selectbox(key="ind_municipality").set_value("5001").run()
    table = next(d.value for d in app.dataframe if "Avstand" in d.value.columns)
    assert table.iloc[0]["Kommunenr."] == "5001" and table.iloc[0]["Avstand"] == 0
    assert list(table["Avstand"]) == sorted(table["Avstand"])
    app.button(key="ind_use_peers").click().run()
    assert not app.exception
    peers = app.multiselect(key="ind_peers").value
    assert len(peers) == 10 and "5001" not in peers
    assert "Valgte sammenligningskommuner" in _texts(app)


@pytest.mark.parametrize("lang, title", [("en", "Indicators and benchmarking"),
                                         ("sv", "Indikatorer och jämförelse")])
def test_other_languages(app, lang, title):
    app.sidebar.selectbox(key="lang_picker").set_value(lang).run()
    app.switch_page("views/indikatorer.py").run()
    assert not app.exception
    assert app.title[0].value == title


def test_map_can_colour_by_an_indicator(app):
    app.switch_page("views/kart.py").run()
    box = app.selectbox(key="map_measure")
    assert "Andel 80 år og over" in box.options
    share = next(m for m in measures.map_measures(indicators.bundled_data())
                 if m.id == "indicator:share_80_plus")
    box.set_value(share.id).run()
    assert not app.exception and not app.error
    app.toggle(key="map_table_on").set_value(True).run()
    table = app.dataframe[0].value
    assert "Andel 80 år og over (%)" in table.columns
    assert "SSB, tabell 07459, 2026" in "\n".join(c.value for c in app.caption)
    assert app.query_params["maal"] == "indicator:share_80_plus"  # the colouring is in the link


UPLOAD = (b"kommunenummer;indicator_id;year;value\n"
          b"5001;sykefravaer_pct;2024;9,1\n5031;sykefravaer_pct;2024;7,5\n"
          b"5001;netto_lanegjeld_per_innb;2024;50000\n5031;netto_lanegjeld_per_innb;2024;30000\n"
          b"5001;proj_pop_80_plus;2030;10000\n5031;proj_pop_80_plus;2030;1000\n"
          b"5001;proj_pop_80_plus;2040;14000\n5031;proj_pop_80_plus;2040;1400\n")


def test_uploaded_figures_and_saved_region_reach_the_page():
    from kommunestrategi import datasets
    from kommunestrategi.io.importer import validate_file
    from kommunestrategi.store import SYSTEM, Store

    store = Store.open()
    workspace = store.ensure_demo_workspace()
    result = validate_file(UPLOAD, "kostra.csv")
    assert result.ok, [line.code for line in result.report.lines]
    datasets.import_result(store, SYSTEM, workspace.id, result)
    store.save_region(SYSTEM, workspace.id, "Trondheimsregionen", ["5001", "5031"])

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("views/indikatorer.py").run()
    at.selectbox(key="ind_municipality").set_value("5001").run()
    text = _texts(at)
    assert "### 9,1 %" in text                                   # uploaded sick leave
    assert "opplastet datasett #" in text
    assert "Samarbeidsregion: Trondheimsregionen" in text          # the saved region as comparison
    at.radio(key="ind_subject_kind").set_value("region").run()
    assert not at.exception and not at.error
    data = indicators.bundled_data()
    pop = data.combine("pop_total", 2024, data.index(["5001", "5031"])).value
    expected = (50000 * 214565 + 30000 * data.combine("pop_total", 2024, data.index(["5031"])).value) / pop
    text = _texts(at)
    assert f"### {number(expected, 'nb')} kr per innbygger" in text   # ratio of sums, not 40 000
    assert "teller utledet av kommunenes tall" in text
    # the projection toward 2030/2040 from the members' projected figures
    eighty_2026 = data.combine("pop_80_plus", 2026, data.index(["5001", "5031"])).value
    growth = {m.label: m.value for m in at.metric}
    assert growth["Vekst 80 år og over 2026-2030"] == f"{number((11000 / eighty_2026 - 1) * 100, 'nb')} %"
    assert growth["Vekst 80 år og over 2026-2040"] == f"{number((15400 / eighty_2026 - 1) * 100, 'nb')} %"


def test_befolkning_tab_shows_the_2005_2026_history_and_says_where_projections_come_from(app):
    app.switch_page("views/indikatorer.py").run()
    app.selectbox(key="ind_municipality").set_value("5001").run()
    assert not app.exception
    infos = "\n".join(i.value for i in app.info)
    assert "tabell 13600" in infos and "fetch ssb 13600" in infos
    assert "2030 og 2040" not in infos
    charts = [c for c in app.get("plotly_chart") if "ind_projection" in c.proto.id]
    assert charts and "mot 2030 og 2040" not in charts[0].proto.spec
    assert "**Befolkningsutvikling 2005-2026" in _texts(app)  # the title above the chart, as page text
    assert "1. januar 2005-2026 i dagens kommunegrenser" in _texts(app)
    metrics = {m.label: m.value for m in app.metric}
    data = indicators.bundled_data()
    first, last = (data.combine("pop_80_plus", y, data.index(["5001"])).value for y in (2005, 2026))
    assert metrics["Vekst 80 år og over 2005-2026"] == f"{number((last / first - 1) * 100, 'nb', 1)} %"
