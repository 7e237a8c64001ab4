"""Region builder: the current selection as a cooperation region or a merged municipality."""

import pandas as pd
import streamlit as st

from kommunestrategi import charts, geo, maps, regions
from kommunestrategi.formatting import number, percent
from kommunestrategi.textsafe import plotly_figure
from ui import session, urlstate, workspace
from ui.cooperation import region_counts
from ui.geography import current_geography, current_travel_times, valid_selection
from ui.mapview import SpecFigure, assets
from ui.textsafe import md_inline

TOPOJSON_CONFIG = {**charts.BASE_CONFIG, "topojsonURL": "/app/static/"}


def _sync_selection() -> None:
    session.set_selection(st.session_state["region_members"])
    st.session_state.pop("map_search", None)


def _members_editor(units: pd.DataFrame) -> list[str]:
    _ = session.translator()
    labels = {code: f"{code} {name}" for code, name in units["name"].items()}
    if st.session_state.get("region_members") != session.selection():
        st.session_state["region_members"] = session.selection()
    return st.multiselect(_("region.edit_members"), list(units.index),
                          format_func=labels.__getitem__, key="region_members",
                          placeholder=_("map.search_placeholder"), on_change=_sync_selection)


def _guideline_text(summary: regions.RegionSummary, lang: str) -> str:
    _ = session.translator()
    return _(f"region.guideline_{summary.guideline}",
             population=number(summary.population, lang),
             min=number(regions.GUIDELINE_MIN_POPULATION, lang),
             max=number(regions.GUIDELINE_MAX_POPULATION, lang))


def render() -> None:
    _ = session.translator()
    lang = session.language()
    geography = current_geography()
    units = geography.units.set_index("kommunenummer")
    if session.selection() != valid_selection(session.selection(), geography):
        session.set_selection(valid_selection(session.selection(), geography))
    session.selection_to_url()
    st.title(_("region.title"))
    st.caption(_("region.intro"))
    if session.country() == "SE":
        st.info(_("country.se_guidance"))

    codes = _members_editor(units)
    if not codes:
        st.info(_("region.empty"))
        workspace.saved_regions_panel([])
        return
    urlstate.copy_link_button("region_copy_link")
    travel = current_travel_times()
    summary = regions.summarise(codes, geography, travel)

    cols = st.columns(4)
    cols[0].metric(_("region.count"), number(len(summary.members), lang))
    cols[1].metric(_("common.population_in", year=summary.population_year), number(summary.population, lang),
                   help=_("common.source", source=_("source.population", year=summary.population_year)))
    cols[2].metric(f"{_('common.area')} ({_('common.unit.km2')})", number(summary.area_km2, lang),
                   help=_("common.source", source=_("source.area")))
    cols[3].metric(f"{_('common.density')} ({_('common.unit.per_km2')})", number(summary.density, lang, 1))

    cols = st.columns(2)
    cols[0].metric(_("region.largest"), summary.names[summary.largest])
    cols[0].caption(_("region.largest_share", name=md_inline(summary.names[summary.largest]),
                      share=percent(summary.largest_share, lang)))
    cols[1].metric(_("region.max_distance"),
                   f"{number(summary.max_centre_distance_km, lang, 1)} {_('common.unit.km')}")
    cols[1].caption(_("region.distance_note"))
    if summary.max_travel_minutes is not None:
        cols[1].metric(_("region.max_travel"), f"{number(summary.max_travel_minutes, lang)} min")
    elif travel is not None:
        cols[1].caption(_("region.travel_incomplete"))

    crossing_m = {(link["a"], link["b"]): link["distance_m"] for link in geography.links
                  if link["kind"] != "border"}

    def pairs(links) -> str:
        """``A–B (4,2 km), ...`` with the water crossed between each pair."""
        texts = []
        for a, b in links:
            metres = crossing_m.get((min(a, b), max(a, b)))
            km = f" ({number(metres / 1000, lang, 1)} {_('common.unit.km')})" if metres else ""
            texts.append(f"{summary.names[a]}–{summary.names[b]}{km}")
        return md_inline(", ".join(texts))

    if summary.contiguous is None:  # no boundaries imported (a Swedish workspace)
        st.info(_("region.contiguous_unknown"))
    elif summary.connection == "land":
        st.success(_("region.contiguous_land"))
    elif summary.connection == "water":
        crossings = [(a, b) for a, b, kind in summary.used_links if kind != "border"]
        st.success(_("region.contiguous_water", pairs=pairs(crossings)))
    else:
        st.warning(_("region.contiguous_no", names=md_inline(", ".join(summary.names[c] for c in summary.cut_off))))
    if summary.gap_links:
        st.caption(_("region.gap_links", km=number(geo.GAP_NEIGHBOUR_M / 1000, lang),
                     pairs=pairs(summary.gap_links)))
    if summary.sea_links:
        st.caption(_("region.sea_links", km=number(geo.SEA_NEIGHBOUR_M / 1000, lang),
                     pairs=pairs(summary.sea_links)))

    guideline = _guideline_text(summary, lang)
    if summary.guideline == "below":
        st.warning(f"**{_('region.guideline')}:** {guideline}")
    else:
        st.info(f"**{_('region.guideline')}:** {guideline}")
    region_counts(codes)

    st.subheader(_("region.members"))
    table = pd.DataFrame([{
        _("common.kommunenummer"): m.kommunenummer,
        _("common.municipality"): m.name,
        _("common.county"): m.county,
        _("common.population_in", year=summary.population_year): m.population,
        _("common.share"): m.share_of_population,
        f"{_('common.area')} ({_('common.unit.km2')})": m.area_km2,
        _("region.distance_to_largest"): m.distance_to_largest_km,
        **({_("region.travel_to_largest"): m.travel_to_largest_min} if travel is not None else {}),
    } for m in summary.member_rows])
    formats = {
        _("common.population_in", year=summary.population_year): lambda v: number(v, lang),
        _("common.share"): lambda v: percent(v, lang),
        f"{_('common.area')} ({_('common.unit.km2')})": lambda v: number(v, lang, 1),
        _("region.distance_to_largest"): lambda v: number(v, lang, 1),
        _("region.travel_to_largest"): lambda v: number(v, lang),
    }
    formats = {column: fmt for column, fmt in formats.items() if column in table.columns}
    styled = table.style.format(formats, na_rep="–")
    styled.set_uuid("region_members")  # the same table is the same message (cached by the browser)
    st.dataframe(styled, hide_index=True, width="stretch")
    st.caption(_("common.source", source=_("source.population", year=summary.population_year)))
    left, right = st.columns([2, 3])
    with left:
        share = charts.share_bar([m.name for m in summary.member_rows],
                                 [m.share_of_population for m in summary.member_rows],
                                 title=_("region.share_chart"), lang=lang)
        st.plotly_chart(plotly_figure(share), config=charts.BASE_CONFIG, width="stretch")
    with right:
        if not getattr(geography, "has_boundaries", True):  # a Swedish workspace before a boundary import
            st.info(_("regionx.no_boundaries"))
            workspace.saved_regions_panel(codes)
            return
        mapped = assets(geography)
        fig = SpecFigure(maps.selection_spec(
            mapped.geojson, list(units.index), units["population"].astype(float), units["name"],
            mapped.bounds, measure_label=_("common.population"), unit=_("common.unit.inhabitants"), lang=lang,
            selected=codes, view=codes, label_points=mapped.label_points, log_scale=True, height=480))
        st.plotly_chart(plotly_figure(fig), config=TOPOJSON_CONFIG, width="stretch", key="region_map")
    workspace.saved_regions_panel(codes)


session.guarded(render)
