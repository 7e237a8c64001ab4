"""Map page: a national choropleth, selection by click or search, and a sortable table."""

import pandas as pd
import streamlit as st

from kommunestrategi import charts
from kommunestrategi.formatting import number
from kommunestrategi.measures import map_measures, measure_values
from ui import session
from ui.geography import current_geography, valid_selection
from ui.indicator_data import current_indicator_data
from ui.textsafe import md_inline

TOPOJSON_CONFIG = {**charts.BASE_CONFIG, "topojsonURL": "/app/static/"}


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


def render() -> None:
    _ = session.translator()
    lang = session.language()
    geography = current_geography()
    units = geography.units.set_index("kommunenummer")
    labels = {code: f"{code} {name}" for code, name in units["name"].items()}
    if session.selection() != valid_selection(session.selection(), geography):
        session.set_selection(valid_selection(session.selection(), geography))
        st.session_state.pop("map_search", None)

    st.title(_("map.title"))
    st.caption(_("map.intro"))

    indicator_data = current_indicator_data()
    controls = st.columns([1, 1, 2])
    measure = controls[0].selectbox(
        _("map.measure"), map_measures(indicator_data), format_func=lambda m: m.label(lang),
        key="map_measure")
    counties = sorted(units["county"].unique())
    county = controls[1].selectbox(
        _("map.zoom"), [None, *counties], format_func=lambda c: c or _("common.all_country"),
        key="map_county")
    if "map_search" not in st.session_state:
        st.session_state["map_search"] = session.selection()
    controls[2].multiselect(
        _("map.search"), list(units.index), format_func=labels.__getitem__, key="map_search",
        placeholder=_("map.search_placeholder"), on_change=_sync_from_search)

    values = measure_values(measure, indicator_data, geography)
    unit = measure.unit(lang)
    focus = list(units.index[units["county"] == county]) if county else None
    fig = charts.national_map(
        geography.display, values, units["name"],
        measure_label=measure.label(lang), unit=unit, lang=lang,
        selected=session.selection(), log_scale=measure.log_scale,
        decimals=measure.decimals, focus=focus,
    )

    left, right = st.columns([5, 4])
    with left:
        if not getattr(geography, "has_boundaries", True):  # a Swedish workspace before a boundary import
            st.info(_("map.no_boundaries"))
        else:
            st.plotly_chart(fig, key="map_chart", on_select=_toggle_from_click,
                            selection_mode="points", config=TOPOJSON_CONFIG, width="stretch")
            st.caption(_("map.click_hint"))
        st.caption(" · ".join([
            _("common.source", source=_(measure.source_key) if hasattr(measure, "source_key")
              else measure.source(lang)),
            _("common.source", source=_("source.boundaries")),
        ]))
        if geography.structure_year == 2020:
            st.caption(_("map.alesund_note"))
        elif getattr(geography, "has_boundaries", True):
            st.caption(_("map.uploaded_boundaries", label=md_inline(geography.label)))
    with right:
        chosen = session.selection()
        if chosen:
            st.success(_("map.selected_summary", count=len(chosen),
                         population=number(units.loc[chosen, "population_2024"].sum(), lang)))
            st.page_link("views/region.py", label=_("map.to_region"), icon=":material/join:")
        else:
            st.info(_("map.nothing_selected"))
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
        styled = table.style.format({value_column: lambda v: number(v, lang, measure.decimals)})
        st.dataframe(styled, hide_index=True, height=560, width="stretch", column_config={
            _("common.kommunenummer"): st.column_config.TextColumn(width="small"),
            _("common.county"): st.column_config.TextColumn(width="small"),
        })
        st.caption(_("map.table_caption"))


session.guarded(render)
