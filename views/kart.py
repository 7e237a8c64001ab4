"""Map page: a choropleth that fills the screen, selection by click or search, a sortable table.

The view lives in the URL (``?valg=5001,5028&maal=area&fylke=Trøndelag&visning=presentasjon``);
the boundaries are a static file the browser fetches once (``ui/mapview.py``).
"""

import html

import pandas as pd
import streamlit as st

from kommunestrategi import charts, maps
from kommunestrategi.formatting import number
from kommunestrategi.measures import measure_values, measures_by_id
from kommunestrategi.textsafe import plotly_figure
from ui import session, urlstate
from ui.geography import code_labeller, current_geography, valid_selection
from ui.indicator_data import current_indicator_data
from ui.mapview import SpecFigure, assets
from ui.textsafe import md_inline

TOPOJSON_CONFIG = {**charts.BASE_CONFIG, "topojsonURL": "/app/static/", "responsive": True}
PRESENT = "presentasjon"

# The map's box takes the window's height less what is above it; the chart stretches to fill it.
_CSS = """
<style>
.block-container, [data-testid="stMainBlockContainer"] { padding: 2.5rem 1.5rem 1rem 1.5rem; max-width: 100%; }
.st-key-map_box { flex: 0 0 auto !important; height: calc(100dvh - 215px) !important; min-height: 360px; }
.st-key-map_side { max-height: calc(100dvh - 215px); overflow-y: auto; }
@media (max-width: 640px) {
  /* a phone: the columns stack and the framed map is about square, so the box is the
     screen's width plus the legend (a taller box only adds white space a finger must
     scroll past, and a touch on the map pans the map instead of the page) */
  .st-key-map_box { height: min(75vh, calc(100vw + 50px)) !important; min-height: 320px; }
  .st-key-map_side { max-height: none; }
  .block-container, [data-testid="stMainBlockContainer"] { padding: 2.5rem 1rem 1rem 1rem; }
}
</style>
"""
_PRESENT_CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stHeader"] { display: none; }
.block-container, [data-testid="stMainBlockContainer"] { padding-top: 1rem; padding-bottom: 0; max-width: 100%; }
.st-key-map_box { flex: 0 0 auto !important; height: calc(100dvh - 90px) !important; min-height: 360px; }
.st-key-map_side { max-height: calc(100dvh - 90px); overflow-y: auto; }
.st-key-map_side [data-testid="stMetricValue"] { font-size: 3rem; }
.st-key-map_side [data-testid="stMetricLabel"] p { font-size: 1.3rem; }
.st-key-map_side ol, .st-key-map_side li, .st-key-map_side h3 { font-size: 1.6rem; }
</style>
"""


def _toggle_from_click() -> None:
    """Add or remove the clicked municipality (the map's selection event)."""
    event = st.session_state.get("map_chart")
    points = (event or {}).get("selection", {}).get("points", [])
    if not points:
        return
    current = session.selection()
    for point in points:
        code = point.get("location")
        if code is None:
            continue
        if code in current:
            current.remove(code)
        else:
            current.append(code)
    session.set_selection(current)
    st.session_state["map_search"] = current


def _sync_from_search() -> None:
    session.set_selection(st.session_state.get("map_search", []))


def _set_present(on: bool) -> None:
    st.session_state["map_present"] = on
    urlstate.write("visning", PRESENT if on else None)


def _selection_list(chosen: list[str], units: pd.DataFrame, lang: str) -> None:
    """The selection in the order it was made, as a numbered list (text, never markup)."""
    lines = [f"<li>{html.escape(units.at[code, 'name'])} ({code}) – "
             f"{number(units.at[code, 'population'], lang)}</li>" for code in chosen]
    st.html(f"<ol class='ks-selection'>{''.join(lines)}</ol>")


def _measures(indicator_data, geography) -> dict:
    """The measures with figures for this geography, by id."""
    return measures_by_id(indicator_data, geography)


def _measure_notes(measures: dict, _) -> None:
    """Say why a measure asked for (a shared link, another workspace) is not offered, and
    where more measures come from when only the base ones have figures."""
    note = st.session_state.get("map_measure_missing")
    if note and note["geography"] == current_geography().label \
            and st.session_state.get("map_measure", "population") == "population":
        st.info(_("mapx.measure_missing", measure=md_inline(note["label"])))
    if all(not m.id.startswith("indicator:") for m in measures.values()):
        st.caption(_("mapx.only_base"))


def _note_missing_measure(measures: dict, geography) -> None:
    """Remember a colouring the URL or session asked for that has no figures here (shown
    until another measure is chosen or the geography changes)."""
    wanted = st.query_params.get("maal") or st.session_state.get("map_measure")
    if not wanted or wanted in measures:
        return
    label = wanted
    if wanted.startswith("indicator:"):
        from kommunestrategi import indicators

        entry = indicators.load_catalogue().get(wanted.split(":", 1)[1])
        label = entry.name(session.language()) if entry is not None else wanted.split(":", 1)[1]
    st.session_state["map_measure_missing"] = {"label": label, "geography": geography.label}


def _view() -> tuple:
    """What the page outside the map panel depends on (the table, the layout)."""
    state = st.session_state
    return state.get("map_measure"), state.get("map_county"), bool(state.get("map_present")), session.language()


@session.fragment
def _panel(view: tuple) -> None:
    """Controls, map and selection: a click reruns only this part, not the table or the sidebar."""
    if _view() != view:  # the colouring, county or layout changed: the whole page follows
        st.rerun(scope="app")
    _ = session.translator()
    lang = session.language()
    present = view[2]
    geography = current_geography()
    units = geography.by_code
    indicator_data = current_indicator_data()
    measures = _measures(indicator_data, geography)
    counties = sorted(units["county"].unique())
    urlstate.widget("map_measure", "maal", options=list(measures), default="population")
    urlstate.widget("map_county", "fylke", options=[None, *counties])
    session.selection_to_url()
    if "map_search" not in st.session_state:
        st.session_state["map_search"] = session.selection()
    if not present:
        controls = st.columns([1, 1, 2])
        controls[0].selectbox(_("map.measure"), list(measures), format_func=lambda i: measures[i].label(lang),
                              key="map_measure")
        controls[1].selectbox(_("map.zoom"), [None, *counties], format_func=lambda c: c or _("common.all_country"),
                              key="map_county")
        controls[2].multiselect(
            _("map.search"), list(units.index), format_func=code_labeller(geography), key="map_search",
            placeholder=_("map.search_placeholder"), on_change=_sync_from_search)
        _measure_notes(measures, _)
    measure = measures[st.session_state.get("map_measure") or "population"]
    county = st.session_state.get("map_county")

    values = measure_values(measure, indicator_data, geography)
    unit = measure.unit(lang)
    focus = list(units.index[units["county"] == county]) if county else None
    chosen = session.selection()
    fig = None
    if getattr(geography, "has_boundaries", True):
        mapped = assets(geography)
        fig = SpecFigure(maps.selection_spec(
            mapped.geojson, list(units.index), values, units["name"], mapped.bounds,
            measure_label=measure.label(lang), unit=unit, lang=lang, selected=chosen, view=focus,
            label_points=mapped.label_points,
            extra_labels=maps.larger_units(units["population"], focus) if focus else (),
            log_scale=measure.log_scale, decimals=measure.decimals, label_size=18 if present else 13,
        ))

    left, right = st.columns([3, 2])
    with left:
        if fig is None:  # a Swedish workspace before a boundary import
            st.info(_("map.no_boundaries"))
        else:
            with st.container(key="map_box"):
                st.plotly_chart(plotly_figure(fig), key="map_chart", on_select=_toggle_from_click, selection_mode="points",
                                config=TOPOJSON_CONFIG, width="stretch", height="stretch")
        if not present:
            source = _("common.source", source=_(measure.source_key) if hasattr(measure, "source_key")
                       else measure.source(lang))
            st.caption(" · ".join([source] if fig is None else [
                _("map.click_hint"), source, _("common.source", source=_("source.boundaries")),
                _("map.alesund_note") if geography.structure_year == 2020
                else _("map.uploaded_boundaries", label=md_inline(geography.label)),
            ]))
    with right, st.container(key="map_side"):
        with st.container(horizontal=True, gap="small", vertical_alignment="center"):
            if present:
                st.button(_("map.present_exit"), key="map_present_off", icon=":material/close_fullscreen:",
                          on_click=_set_present, args=(False,))
            else:
                st.button(_("map.present"), key="map_present_on", icon=":material/slideshow:",
                          on_click=_set_present, args=(True,), help=_("map.present_help"))
            urlstate.copy_link_button()
            if chosen:
                st.page_link("views/region.py", label=_("map.to_region"), icon=":material/join:")
        if present:
            st.subheader(measure.label(lang) + (f" – {county}" if county else ""))
        if chosen:
            with st.container(horizontal=True, gap="medium"):
                st.metric(_("map.selected_count"), number(len(chosen), lang), width="content")
                st.metric(_("common.population_in", year=geography.population_year),
                          number(units.loc[chosen, "population"].sum(), lang),
                          width="content")
                st.metric(f"{_('common.area')} ({_('common.unit.km2')})",
                          number(units.loc[chosen, "area_km2"].sum(), lang), width="content")
            st.markdown(f"**{_('map.selected_in_order')}**")
            _selection_list(chosen, units, lang)
        else:
            st.info(_("map.nothing_selected"))


def _table(measure, county: str | None, values: pd.Series, units: pd.DataFrame, lang: str) -> None:
    """Every municipality's figure (the map's numbers as a table), sortable."""
    _ = session.translator()
    unit = measure.unit(lang)
    st.subheader(_("map.table"))
    table = pd.DataFrame({
        _("common.kommunenummer"): units.index,
        _("common.municipality"): units["name"].to_numpy(),
        _("common.county"): units["county"].to_numpy(),
        f"{measure.label(lang)} ({unit})": values.reindex(units.index).to_numpy(),
    })
    if county:
        table = table[table[_("common.county")] == county]
    value_column = table.columns[-1]
    # a fixed id: the same table is the same message, which the browser already has
    styled = table.style.format({value_column: lambda v: number(v, lang, measure.decimals)}, na_rep="–")
    styled.set_uuid("map_table")
    st.dataframe(styled, hide_index=True, height=420, width="stretch", key="map_table", column_config={
        _("common.kommunenummer"): st.column_config.TextColumn(width="small"),
        _("common.county"): st.column_config.TextColumn(width="small"),
    })
    st.caption(_("map.table_caption"))


def _yes(text: str) -> bool:
    return text.strip().lower() in ("1", "true", "ja", "yes")


def render() -> None:
    _ = session.translator()
    lang = session.language()
    geography = current_geography()
    units = geography.by_code
    if session.selection() != valid_selection(session.selection(), geography):
        session.set_selection(valid_selection(session.selection(), geography))
        st.session_state.pop("map_search", None)
    if "map_present" not in st.session_state:
        st.session_state["map_present"] = st.query_params.get("visning") == PRESENT
    present = bool(st.session_state["map_present"])
    urlstate.write("visning", PRESENT if present else None)
    st.html(_PRESENT_CSS if present else _CSS)
    indicator_data = current_indicator_data()
    measures = _measures(indicator_data, geography)
    counties = sorted(units["county"].unique())
    _note_missing_measure(measures, geography)
    urlstate.widget("map_measure", "maal", options=list(measures), default="population")
    urlstate.widget("map_county", "fylke", options=[None, *counties])
    if not present:
        st.title(_("map.title"))
    _panel(_view())
    if not present:
        # The numbers as a table, on request: building it costs more than the rest of a
        # colouring change, and in a workshop the map is what people look at.
        urlstate.widget("map_table_on", "tabell", options=[False, True], default=False, parse=_yes)
        if st.toggle(_("map.table_show"), key="map_table_on", help=_("map.table_show_help")):
            measure = measures[st.session_state.get("map_measure") or "population"]
            _table(measure, st.session_state.get("map_county"), measure_values(measure, indicator_data, geography),
                   units, lang)


session.guarded(render)
