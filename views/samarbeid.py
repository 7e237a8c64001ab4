"""Cooperation page ("Samarbeid"): the register of existing arrangements, per municipality,
between municipalities, against a region, with governance flags, and (secretariat) its editor."""

import datetime as dt

import pandas as pd
import streamlit as st

from kommunestrategi import chart_tables as ct
from kommunestrategi import charts, cooperation
from kommunestrategi.cooperation import analysis
from kommunestrategi.cooperation import figures as cf
from kommunestrategi.cooperation import overview as ov
from kommunestrategi.formatting import number, percent
from kommunestrategi.textsafe import plotly_figure
from ui import chart_tables, session, urlstate
from ui.cooperation import current_register, editor, municipality_options
from ui.geography import current_geography
from ui.indicator_data import current_indicator_data
from ui.textsafe import md_inline
from ui.workspace import current_store, current_workspace

VIEWS = ("kommune", "mellom", "region", "styring", "rediger")
TOPOJSON_CONFIG = {**charts.BASE_CONFIG, "topojsonURL": "/app/static/"}


def _budget(code: str) -> float | None:
    """The municipality's newest gross operating revenue (NOK), if any data has it."""
    try:
        data = current_indicator_data()
        years = data.years("brutto_driftsinntekter")
    except Exception:  # noqa: BLE001 - the share is simply not shown
        return None
    for year in sorted(years, reverse=True):
        idx = data.index([code])
        value = data.series("brutto_driftsinntekter", year)[idx]
        if len(value) and value[0] == value[0]:
            return float(value[0]) * 1000
    return None


def _counts_frame(counts: dict[str, int], label, heading: str, _) -> pd.DataFrame:
    return pd.DataFrame([{heading: label(k), _("cooperation.arrangements"): v} for k, v in counts.items()])


def _pinned(column: str) -> dict:
    """Keep the name column in sight while a wide table scrolls sideways."""
    return {column: st.column_config.TextColumn(column, pinned=True)}


def _municipality_view(register, code: str, lang: str, _) -> None:
    summary = analysis.summary(register, code, _budget(code))
    # two rows of three: every label and figure stays readable on a narrow screen
    first, second = st.columns(3), st.columns(3)
    first[0].metric(_("cooperation.arrangements"), number(summary.arrangements, lang))
    first[1].metric(_("cooperation.hosted"), number(len(summary.hosted), lang))
    first[2].metric(_("cooperation.partners"), number(summary.partners, lang))
    second[0].metric(_("cooperation.column.person_years"), number(summary.person_years, lang, 1),
                     help=_("cooperation.share_note"))
    cost = None if summary.annual_cost is None else summary.annual_cost / 1_000_000
    second[1].metric(_("cooperation.annual_cost_mill"), number(cost, lang, 1), help=_("cooperation.share_note"))
    second[2].metric(_("cooperation.budget_share_label"), percent(summary.budget_share, lang),
                     help=_("cooperation.budget_share_help"))
    if summary.budget_share is not None:
        st.info(_("cooperation.budget_share", share=percent(summary.budget_share, lang)),
                icon=":material/balance:")
    else:
        st.caption(_("cooperation.budget_share_missing"))
    if not summary.arrangements:
        st.info(_("cooperation.none_for_municipality"))
        return
    # one under the other: long form names never push the counts out of sight
    st.markdown(f"**{_('cooperation.by_form')}**")
    st.dataframe(_counts_frame(summary.by_form, lambda k: ov.form_name(k, lang),
                               _("cooperation.column.legal_form"), _), hide_index=True, width="stretch")
    st.markdown(f"**{_('cooperation.by_sector')}**")
    st.dataframe(_counts_frame(summary.by_sector, lambda k: ov.service_name(k, lang),
                               _("cooperation.column.service_area"), _), hide_index=True, width="stretch")
    if summary.hosted:
        st.markdown(_("cooperation.hosts_list", names=md_inline(", ".join(
            register.get(i).name for i in summary.hosted))))
    st.subheader(_("cooperation.overview"))
    table = pd.DataFrame(ov.overview_text_rows(register, code, lang), columns=ov.headers(lang))
    st.dataframe(table, hide_index=True, width="stretch", column_config=_pinned(_("cooperation.column.name")))
    st.download_button(_("cooperation.download_xlsx"), ov.overview_xlsx(register, code, lang),
                       file_name=f"{_('cooperation.file_prefix')}_{code}.xlsx",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                       icon=":material/download:", key="coop_xlsx")


def _between_view(register, code: str, lang: str, _) -> None:
    geography = current_geography()
    units = geography.units.set_index("kommunenummer")
    partners = sorted({m for a in register.for_municipality(code) for m in a.members})
    st.subheader(_("cooperation.pair_matrix"))
    st.caption(_("cooperation.pair_matrix_note", name=md_inline(ov.municipality(code))))
    if partners:
        matrix = analysis.pair_matrix(register, partners)
        labels = [str(units["name"].get(c, c)) for c in partners]
        matrix.index, matrix.columns = labels, labels
        st.dataframe(matrix.style.background_gradient(cmap="Blues", axis=None), width="stretch")
    else:
        st.info(_("cooperation.none_for_municipality"))
    st.subheader(_("cooperation.network"))
    net = cf.network(register, geography.centres)
    counties = units["county"].astype(str).to_dict()
    fig = cf.network_figure(net, units["name"].astype(str).to_dict(), counties, lang=lang,
                            arrangements_label=_("cooperation.arrangements"), shared_label=_("cooperation.shared"),
                            highlight=[code])
    st.plotly_chart(plotly_figure(fig), config=charts.BASE_CONFIG, width="stretch", key="coop_network")
    names = units["name"].astype(str).to_dict()
    chart_tables.show(ct.links_table(net.links, names, first=_("charts.col.municipality_a"),
                                     second=_("charts.col.municipality_b"), value=_("charts.col.shared"), lang=lang),
                      key="coop_network")
    caption = _("cooperation.network_note")
    if net.links_total > len(net.links):
        caption += " " + _("cooperation.links_capped", shown=number(len(net.links), lang),
                           total=number(net.links_total, lang))
    st.caption(caption)
    st.subheader(_("cooperation.map"))
    counts = pd.Series(net.arrangements, dtype=float)
    values = counts.reindex(units.index).fillna(0.0)
    fig = charts.national_map(geography.display, values, units["name"], measure_label=_("cooperation.arrangements"),
                              unit="", lang=lang, selected=[code], focus=partners or None, height=560)
    shown = [link for link in net.links if code in link[:2]] or net.links[:600]
    cf.add_partner_lines(fig, shown, geography.centres, shared_label=_("cooperation.shared"))
    st.plotly_chart(plotly_figure(fig), config=TOPOJSON_CONFIG, width="stretch", key="coop_map")
    chart_tables.show(ct.count_table(net.arrangements, names, code=_("common.kommunenummer"),
                                     name=_("common.municipality"), value=_("charts.col.arrangements"), lang=lang),
                      key="coop_map")
    st.caption(_("cooperation.map_note"))


def _region_view(register, lang: str, _) -> None:
    store, ws = current_store(), current_workspace()
    saved = {r.name: r.codes for r in store.list_regions(ws.id)}
    options = ["__selection__", *saved]
    labels = {"__selection__": _("cooperation.region.selection")} | {n: n for n in saved}
    urlstate.widget("coop_region", "region", options=options, default="__selection__")
    chosen = st.selectbox(_("cooperation.region.pick"), options, format_func=labels.__getitem__, key="coop_region")
    codes = session.selection() if chosen == "__selection__" else saved[chosen]
    if not codes:
        st.info(_("cooperation.region.empty"))
        return
    result = cooperation.coherence(register, codes)
    cols = st.columns(3)
    cols[0].metric(_("cooperation.region.inside"), number(result.inside, lang))
    cols[1].metric(_("cooperation.region.crossing"), number(result.crossing, lang))
    cols[2].metric(_("cooperation.region.share_inside"), percent(result.share_inside, lang))
    st.caption(_("cooperation.region.note"))
    table = pd.DataFrame([{
        _("common.municipality"): ov.municipality(m.kommunenummer),
        _("cooperation.arrangements"): m.arrangements,
        _("cooperation.region.inside"): m.inside,
        _("cooperation.region.crossing"): m.crossing,
        _("cooperation.region.share_inside"): percent(m.share_inside, lang),
    } for m in result.members])
    st.dataframe(table, hide_index=True, width="stretch")
    if result.crossing_ids:
        st.markdown(f"**{_('cooperation.region.crossing_list')}**")
        inside = set(result.region)
        rows = []
        for ident in result.crossing_ids:
            a = register.get(ident)
            rows.append({_("cooperation.column.name"): a.name,
                         _("cooperation.column.service_area"): ov.service_name(a.service_area, lang),
                         _("cooperation.region.outside_members"): ", ".join(
                             ov.municipality(m) for m in a.members if m not in inside)})
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")


def _governance_view(register, lang: str, _) -> None:
    st.caption(_("cooperation.flags_intro"))
    table = analysis.flag_table(register)
    flag_column, count_column = _("cooperation.column.flags"), _("cooperation.arrangements")
    st.dataframe(pd.DataFrame([{flag_column: ov.flag_label(f, lang),
                                count_column: sum(f in found for found in table.values())}
                               for f in analysis.FLAGS]),
                 hide_index=True, width="stretch", key="coop_flag_totals")
    name = _("cooperation.column.name")
    rows = [{name: a.name,
             flag_column: "; ".join(ov.flag_label(f, lang) for f in table[a.id]),
             _("cooperation.column.members"): ", ".join(ov.municipality(m) for m in a.members),
             _("cooperation.column.legal_form"): ov.form_name(a.legal_form, lang),
             _("cooperation.column.host"): ov.host_text(a.host, a.legal_form, lang),
             _("cooperation.column.next_review"): ov.date_text(a.next_review, lang)}
            for a in register if table[a.id]]
    if rows:
        st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", column_config=_pinned(name),
                     key="coop_flagged")
    else:
        st.success(_("cooperation.no_flags"))


def render() -> None:
    _ = session.translator()
    lang = session.language()
    st.title(_("cooperation.title"))
    st.caption(_("cooperation.intro"))
    with st.expander(_("cooperation.guidance_title")):
        st.markdown(_("cooperation.guidance"))
    full = current_register()
    register = full.active()
    if full.source:
        st.caption(_("cooperation.source", source=md_inline(full.source), count=number(len(register), lang)))
    elif len(full):
        st.caption(_("cooperation.source_app", count=number(len(register), lang)))
    labels = {v: _(f"cooperation.view.{v}") for v in VIEWS}
    urlstate.widget("coop_view", "visning", options=VIEWS, default="kommune")
    view = st.segmented_control(_("cooperation.view"), VIEWS, format_func=labels.__getitem__, key="coop_view",
                                label_visibility="collapsed") or "kommune"
    if not len(full) and view != "rediger":
        st.info(_("cooperation.empty"))
        return
    if view in ("kommune", "mellom"):
        names = municipality_options()
        members = register.municipalities() or list(names)
        councils = [c.kommunenummer for c in current_store().list_councils(current_workspace().id)]
        default = next((c for c in councils if c in members), members[0])
        urlstate.widget("coop_municipality", "kommune", options=members, default=default)
        code = st.selectbox(_("common.municipality"), members, format_func=lambda c: names.get(c, c),
                            key="coop_municipality")
        if view == "kommune":
            _municipality_view(register, code, lang, _)
        else:
            _between_view(register, code, lang, _)
    elif view == "region":
        _region_view(register, lang, _)
    elif view == "styring":
        _governance_view(register, lang, _)
    else:
        editor(full)
    st.caption(_("cooperation.today", date=ov.date_text(dt.date.today().isoformat(), lang)))
    urlstate.copy_link_button("coop_copy_link")


session.guarded(render)
