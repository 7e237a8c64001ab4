"""Indicators page: cards by dimension and sector for a municipality, a saved region or
the map selection, benchmarked against peers, county, KOSTRA group and country;
similar municipalities; trends; demography."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kommunestrategi import chart_tables as ct
from kommunestrategi import charts, indicators
from kommunestrategi.formatting import number
from kommunestrategi.indicators import Card, IndicatorData
from kommunestrategi.textsafe import plotly_figure
from ui import chart_tables, session, urlstate
from ui.indicator_data import current_indicator_data
from ui.textsafe import md_inline

SUBJECT_KINDS = ("municipality", "selection", "region")
#: The tabs' ids in the URL (?fane=utvikling), whatever the language.
TAB_IDS = ("kort", "like", "utvikling", "demografi")
AGE_LABELS = {"pop_0_5": "0-5", "pop_6_15": "6-15", "pop_16_66": "16-66", "pop_67_79": "67-79",
              "pop_80_plus": "80+"}


def _saved_regions() -> list[tuple[str, list[str]]]:
    """(name, member numbers) of the workspace's saved regions; empty without a store."""
    try:
        from ui.workspace import current_store, current_workspace

        regions = current_store().list_regions(current_workspace().id)
    except Exception:  # noqa: BLE001 - without a store there are no saved regions
        session.LOG.exception("could not list saved regions")
        return []
    return [(region.name, [str(c) for c in region.codes]) for region in regions if region.codes]


def _subject(data: IndicatorData) -> tuple[list[str], str]:
    """The chosen municipality, map selection or saved region: (numbers, label)."""
    _ = session.translator()
    labels = {code: f"{code} {data.names[code]}" for code in data.codes}
    selection = [c for c in session.selection() if c in data.pos]
    urlstate.widget("ind_subject_kind", "emne", options=SUBJECT_KINDS, default=SUBJECT_KINDS[0])
    kind = st.radio(_("indicators.subject"), SUBJECT_KINDS, horizontal=True, key="ind_subject_kind",
                    format_func=lambda k: _(f"indicators.subject.{k}"))
    if kind == "selection":
        session.selection_to_url()
        if not selection:
            st.info(_("indicators.selection_empty"))
            st.page_link("views/kart.py", label=_("indicators.to_map"), icon=":material/map:")
            return [], ""
        if len(selection) == 1:
            return selection, data.names[selection[0]]
        return selection, _("indicators.selection_label", count=len(selection))
    if kind == "region":
        saved = _saved_regions()
        if not saved:
            st.info(_("indicators.no_saved_regions"))
            return [], ""
        names = [name for name, _members in saved]
        if "ind_region" not in st.session_state:
            wanted = urlstate.initial("region", options=names)
            st.session_state["ind_region"] = names.index(wanted) if wanted in names else 0
        chosen = st.selectbox(_("indicators.saved_region"), range(len(saved)), key="ind_region",
                              format_func=names.__getitem__)
        urlstate.write("region", names[chosen])
        members = [c for c in saved[chosen][1] if c in data.pos]
        return members, saved[chosen][0]
    if st.session_state.get("ind_municipality") not in data.pos:   # first visit or other boundaries
        wanted = urlstate.initial("kommune", options=data.codes)
        st.session_state["ind_municipality"] = wanted or (selection[0] if selection else data.codes[0])
    code = st.selectbox(_("common.municipality"), data.codes, key="ind_municipality",
                        format_func=labels.__getitem__)
    urlstate.write("kommune", code)
    return [code], data.names[code]


def _keep_options(key: str, options: list[str]) -> None:
    """Drop remembered choices that are no longer offered (other data or boundaries)."""
    if key in st.session_state:
        allowed = set(options)
        st.session_state[key] = [v for v in st.session_state[key] if v in allowed]


def _cooperation_region(data: IndicatorData, codes: list[str]) -> tuple[list[str], str]:
    """For one municipality: the saved region it belongs to (first by name), else the
    map selection when that includes it. Empty for a region subject."""
    _ = session.translator()
    if len(codes) != 1:
        return [], ""
    for name, members in _saved_regions():
        members = [c for c in members if c in data.pos]
        if codes[0] in members and len(members) > 1:
            return members, name
    selection = [c for c in session.selection() if c in data.pos]
    if codes[0] in selection and len(selection) > 1:
        return selection, _("indicators.selection_label", count=len(selection))
    return [], ""


#: The similarity weights offered, 0 to 5 in halves.
WEIGHT_STEPS = [step / 2 for step in range(11)]
#: Units written before the number ("klasse 2", not "2 klasse").
UNIT_FIRST = frozenset({"class", "rank"})


def _value_text(card: Card, lang: str, multi: bool = True) -> str:
    if card.indicator.unit == "municipalities" and not multi and card.value is not None:
        # one municipality is in the register or not: "Ja"/"Nei", not "0 kommuner"
        return session.translator()("export.yes" if card.value else "export.no")
    return _with_unit(card.value, card.indicator, lang)


def _with_unit(value: float | None, indicator, lang: str) -> str:
    """``12,0 %``, ``52 000 kr``, ``klasse 2``: a figure as the cards show it."""
    text = number(value, lang, indicator.decimals)
    unit = indicator.unit_label(lang)
    return f"{unit} {text}" if indicator.unit in UNIT_FIRST else f"{text} {unit}".strip()


def _method_text(card: Card, data: IndicatorData, lang: str) -> str:
    _ = session.translator()
    if card.method == "weighted_mean":
        weight = data.catalogue[card.indicator.rule.weight].name(lang)
        return _("indicators.method.weighted_mean", weight=weight)
    return _(f"indicators.method.{card.method}")


def _group_label(key: str, label: str) -> str:
    _ = session.translator()
    return _(f"indicators.group.{key}", name=label)


def _render_card(card: Card, data: IndicatorData, lang: str, multi: bool) -> None:
    _ = session.translator()
    ind = card.indicator
    with st.container(border=True):
        st.markdown(f"**{md_inline(ind.name(lang))}**")  # a workspace's own indicator is named by a user
        source = _("common.source_year", source=ind.source_label(lang), year=card.year or "–")
        if card.status == "not_aggregable":
            st.markdown(_("indicators.not_aggregable"))
            members = ", ".join(
                f"{data.names[c]}: {number(v, lang, ind.decimals) if v is not None else '–'}"
                for c, v in card.member_values)
            st.caption(f"{members} ({ind.unit_label(lang)}) · {source}")
            return
        if card.status == "incomplete":
            missing = ", ".join(data.names[c] for c in card.missing) or "–"
            st.markdown(_("indicators.incomplete", names=missing))
            st.caption(ind.how_to_get(lang))
            return
        st.markdown(f"### {_value_text(card, lang, multi)}")
        uploaded = [v for v in card.versions if v != indicators.BUNDLED_VERSION]
        if uploaded:
            source += " · " + _("indicators.uploaded_version", versions=", ".join(f"#{v}" for v in uploaded))
        st.caption(source)
        if multi or card.method == "weighted_mean":
            st.caption(_("indicators.method_label", method=_method_text(card, data, lang)))
        lines = []
        if card.rank is not None:
            basis = "size" if ind.direction == "neutral" else "rank"
            lines.append(_(f"indicators.position.{basis}", rank=card.rank, count=card.ranked,
                           percentile=number(card.percentile, lang)))
        if card.best_quartile is not None:
            key = "indicators.best_quartile.in" if card.in_best_quartile else "indicators.best_quartile.goal"
            sign = "≤" if ind.direction == "lower_is_better" else "≥"
            lines.append(_(key, sign=sign, value=number(card.best_quartile, lang, ind.decimals),
                           unit=ind.unit_label(lang)))
        for group in card.comparisons:
            if group.value is None:
                continue
            kind = _("indicators.kind.median") if group.kind == "median" else ""
            lines.append(f"{_group_label(group.key, md_inline(group.label))}{kind}: "
                         f"{_with_unit(group.value, ind, lang)}")
        if lines:
            # region names (typed by users) are escaped above for Markdown and HTML alike:
            # a Markdown link inside <small> would still be a live link
            st.markdown("  \n".join(f"<small>{line}</small>" for line in lines),
                        unsafe_allow_html=True)
        if card.small_number:
            st.warning(_("indicators.small_number",
                         base=data.catalogue[ind.small_base].name(lang),
                         value=number(card.small_base_value, lang)), icon=":material/warning:")


def _cards_tab(data: IndicatorData, codes: list[str], peers: list[str], region: list[str],
               region_label: str, lang: str) -> indicators.Panel:
    _ = session.translator()
    panel = data.panel(codes, peers=peers, region=region, region_label=region_label)
    grouped = panel.grouped()
    _keep_options("ind_dimensions", list(grouped))
    dims = st.multiselect(_("indicators.dimensions"), list(grouped), default=list(grouped),
                          format_func=lambda d: _(f"indicators.dimension.{d}"), key="ind_dimensions",
                          placeholder=_("common.choose_many"))
    st.caption(_("indicators.position_note"))
    for dim in dims:
        st.subheader(_(f"indicators.dimension.{dim}"))
        for sector, cards in grouped[dim].items():
            st.markdown(f"**{_(f'indicators.sector.{sector}')}**")
            columns = st.columns(3)
            for i, card in enumerate(cards):
                with columns[i % 3]:
                    _render_card(card, data, lang, len(codes) > 1)
    _detail(panel, data, codes, lang)
    if panel.no_data:
        with st.expander(_("indicators.no_data_title", count=len(panel.no_data))):
            st.caption(_("indicators.no_data_intro"))
            st.dataframe(pd.DataFrame([{
                _("indicators.col.indicator"): c.indicator.name(lang),
                _("indicators.col.sector"): _(f"indicators.sector.{c.indicator.sector}"),
                _("indicators.col.source"): c.indicator.source_label(lang),
                _("indicators.col.how"): c.indicator.how_to_get(lang),
            } for c in panel.no_data]), hide_index=True, width="stretch")
    return panel


def _detail(panel: indicators.Panel, data: IndicatorData, codes: list[str], lang: str) -> None:
    """The comparison chart and distribution for one indicator."""
    _ = session.translator()
    cards = [c for c in panel.with_data if c.status == "ok"]
    if not cards:
        return
    st.subheader(_("indicators.detail"))
    ids = [c.indicator.id for c in cards]
    default = ids.index("share_80_plus") if "share_80_plus" in ids else 0
    if st.session_state.get("ind_detail", ids[0]) not in ids:
        del st.session_state["ind_detail"]
    chosen = st.selectbox(_("indicators.detail_pick"), ids, index=default, key="ind_detail",
                          format_func=lambda i: data.catalogue[i].name(lang))
    card = panel.card(chosen)
    ind = card.indicator
    unit = ind.unit_label(lang)
    subject_label = data.names[codes[0]] if len(codes) == 1 else _("indicators.subject_combined")
    rows = [(subject_label, card.value, "subject")]
    if len(codes) > 1:
        for code in codes:
            value = data.series(ind.id, card.year)[data.pos[code]]
            rows.append((data.names[code], None if pd.isna(value) else float(value), "member"))
    rows += [(_group_label(g.key, g.label) + (_("indicators.kind.median") if g.kind == "median" else ""),
              g.value, g.key) for g in card.comparisons]
    left, right = st.columns(2)
    title = f"{ind.name(lang)} ({card.year})"
    left.plotly_chart(plotly_figure(charts.indicator_comparison(rows, title=title, unit=unit, lang=lang,
                                                  decimals=ind.decimals)),
                      config=charts.BASE_CONFIG, width="stretch", key="ind_detail_bars")
    value_header = f"{ind.name(lang)} ({unit})" if unit else ind.name(lang)
    with left:
        chart_tables.show(ct.comparison_table(rows, label=_("charts.col.who"), value=value_header, lang=lang,
                                              decimals=ind.decimals), key="ind_detail_bars")
    values = pd.Series(data.series(ind.id, card.year), index=data.codes)
    position_keys = ("size" if ind.direction == "neutral" else "rank")
    strip = charts.indicator_strip(
        values, pd.Series(data.names), subject_value=card.value, subject_label=subject_label,
        direction=ind.direction, title=_("indicators.strip_title", year=card.year), unit=unit, lang=lang,
        decimals=ind.decimals,
        position_labels=[_(f"indicators.quarter.{position_keys}.{q}") for q in range(1, 5)],
        legend_title=_("indicators.legend_relative"))
    right.plotly_chart(plotly_figure(strip), config=charts.BASE_CONFIG, width="stretch", key="ind_detail_strip")
    with right:
        chart_tables.show(ct.ranking_table(values, data.names, code=_("common.kommunenummer"),
                                           name=_("common.municipality"), value=value_header,
                                           rank=_("charts.col.place"), lang=lang, decimals=ind.decimals),
                          key="ind_detail_strip")
    st.caption(" · ".join([_("common.source_year", source=ind.source_label(lang), year=card.year),
                           _("indicators.position_note")]))


def _similar_tab(data: IndicatorData, codes: list[str], lang: str) -> None:
    _ = session.translator()
    st.caption(_("indicators.similar_intro"))
    base = codes[0]
    if len(codes) > 1:
        base = st.selectbox(_("indicators.similar_base"), codes, key="ind_similar_base",
                            format_func=data.names.__getitem__)
    available = [i for i in data.catalogue if data.has_data(i) and data.catalogue[i].benchmark]
    default = [i for i in indicators.DEFAULT_SIMILARITY if i in available]
    _keep_options("ind_similar_ids", available)
    chosen = st.multiselect(_("indicators.similar_indicators"), available, default=default,
                            key="ind_similar_ids", format_func=lambda i: data.catalogue[i].name(lang),
                            placeholder=_("common.choose_many"))
    if not chosen:
        st.info(_("indicators.similar_pick"))
        return
    weights = {}
    columns = st.columns(min(len(chosen), 4))
    for i, ident in enumerate(chosen):
        # a select slider, so the weight shows the language's way (1,0 not 1.00)
        weights[ident] = columns[i % len(columns)].select_slider(
            data.catalogue[ident].name(lang), WEIGHT_STEPS, value=1.0, key=f"ind_w_{ident}",
            format_func=lambda w: number(w, lang, 1))
    count = st.slider(_("indicators.similar_count"), 3, 30, 10, key="ind_similar_n")
    try:
        result = data.similar(base, weights, n=count)
    except ValueError:
        st.warning(_("indicators.similar_missing", name=data.names[base]))
        return
    values = {}
    for ident in chosen:
        series, year = indicators.map_values(data, ident)
        values[f"{data.catalogue[ident].name(lang)} ({year})"] = series
    table = charts.similarity_table(result, values, columns={
        "rank": _("indicators.col.rank"), "kommunenummer": _("common.kommunenummer"),
        "name": _("common.municipality"), "distance": _("indicators.col.distance")})
    formats = {col: (lambda v, d=data.catalogue[i].decimals: number(v, lang, d))
               for col, i in zip(values, chosen, strict=True)}
    formats[_("indicators.col.distance")] = lambda v: number(v, lang, 3)
    formats[_("indicators.col.rank")] = lambda v: "–" if v == 0 else str(v)  # the base itself; the others from 1
    st.dataframe(table.style.format(formats), hide_index=True, width="stretch")
    st.caption(_("indicators.similar_method"))
    st.button(_("indicators.use_as_peers"), key="ind_use_peers", icon=":material/group:",
              on_click=_set_peers, args=(list(result["kommunenummer"][1:]),))


def _set_peers(codes: list[str]) -> None:
    """Button callback: runs before the next script run, so the peers widget takes it."""
    st.session_state["ind_peers"] = codes


def _trend_tab(data: IndicatorData, codes: list[str], subject_label: str, lang: str) -> None:
    _ = session.translator()
    ids = [i for i in data.catalogue if len(data.years(i)) > 1]
    if not ids:
        st.info(_("indicators.trend_none"))
        return
    default = ids.index("share_80_plus") if "share_80_plus" in ids else 0
    if st.session_state.get("ind_trend", ids[0]) not in ids:
        del st.session_state["ind_trend"]
    ident = st.selectbox(_("indicators.trend_pick"), ids, index=default, key="ind_trend",
                         format_func=lambda i: data.catalogue[i].name(lang))
    ind = data.catalogue[ident]
    series = {subject_label: data.history(ident, codes)}
    if len(codes) > 1 and ind.rule.kind == "sum":
        for code in codes:
            series[data.names[code]] = data.history(ident, [code])
    if ind.rule.kind in ("ratio", "weighted_mean"):
        series[_("indicators.group.national", name="")] = data.group_history(ident, data.all_index)
    if series[subject_label].empty:
        st.info(_("indicators.trend_no_subject"))
    fig = charts.indicator_trend(series, title=ind.name(lang), unit=ind.unit_label(lang), lang=lang,
                                 decimals=ind.decimals)
    st.plotly_chart(plotly_figure(fig), config=charts.BASE_CONFIG, width="stretch", key="ind_trend_chart")
    chart_tables.show(ct.trend_table(series, year=_("charts.col.year"), lang=lang, decimals=ind.decimals),
                      key="ind_trend_chart")
    st.caption(_("common.source", source=ind.source_label(lang)))
    if len(codes) > 1:
        st.caption(_("indicators.trend_members"))


def _demography_tab(data: IndicatorData, codes: list[str], subject_label: str, lang: str) -> None:
    _ = session.translator()
    structure = data.age_structure(codes)
    if structure.empty or structure["value"].isna().any():
        st.info(_("indicators.demography_none"))
        return
    year = int(structure["year"].iloc[0])
    national = data.age_structure(data.codes, year, skip_missing=True)
    left, right = st.columns(2)
    pyramid = charts.age_pyramid(
        structure, group_labels={k: f"{v} {_('indicators.years_old')}" for k, v in AGE_LABELS.items()},
        title="", lang=lang, reference=national,
        subject_label=subject_label, reference_label=_("indicators.group.national", name=""))
    # titles as page text, not inside the figures: they wrap in a narrow column (a projector at 1024)
    left.markdown(f"**{_('indicators.pyramid_title', year=year)}**")
    left.plotly_chart(plotly_figure(pyramid), config=charts.BASE_CONFIG, width="stretch", key="ind_pyramid")
    with left:
        national_label = _("indicators.group.national", name="").strip()
        chart_tables.show(ct.pyramid_table(
            structure, national, group_labels={k: f"{v} {_('indicators.years_old')}" for k, v in AGE_LABELS.items()},
            group=_("charts.col.age_group"), count=_("charts.col.inhabitants"),
            share=_("charts.col.share_of", name=subject_label),
            reference_share=_("charts.col.share_of", name=national_label), lang=lang), key="ind_pyramid")
    left.caption(_("common.source_year", source="SSB, tabell 07459", year=year) + " · "
                 + _("indicators.pyramid_note"))
    frame = data.projection(codes)
    projected = bool((frame["kind"] == "projected").any())
    observed = frame[frame["kind"] == "observed"]["year"]
    first, last = (int(observed.min()), int(observed.max())) if len(observed) else (year, year)
    # a chart titled "toward 2030 and 2040" only when there is a projection to show
    title = _("indicators.projection_title") if projected else _("indicators.history_title", start=first, end=last)
    fig = charts.population_projection(
        frame, series_labels={"total": _("indicators.series.total"), "80_plus": _("indicators.series.80_plus")},
        title="", axis_title=_("indicators.index_axis"), lang=lang, note="")
    right.markdown(f"**{title}**")
    right.plotly_chart(plotly_figure(fig), config=charts.BASE_CONFIG, width="stretch", key="ind_projection")
    with right:
        chart_tables.show(ct.projection_table(
            frame, series_labels={"total": _("indicators.series.total"), "80_plus": _("indicators.series.80_plus")},
            year=_("charts.col.year"), kind=_("charts.col.kind"),
            kind_labels={"observed": _("charts.kind.observed"), "projected": _("charts.kind.projected")},
            index_label=_("charts.col.index"), lang=lang), key="ind_projection")
    if projected:
        observed_80 = frame[(frame["kind"] == "observed") & (frame["series"] == "80_plus")]
        start = int(observed_80["year"].max()) if len(observed_80) else 0
        for target in (2030, 2040):
            change = indicators.growth(frame, "80_plus", start, target)
            if change is not None:
                right.metric(_("indicators.growth_80", start=start, end=target),
                             f"{number(change * 100, lang, 0)} %")
        right.caption(_("common.source", source=data.catalogue["proj_pop_80_plus"].source_label(lang)))
    else:
        trend = indicators.trend_growth(frame, "80_plus")
        if trend:
            right.metric(_("indicators.growth_80", start=trend[0], end=trend[1]),
                         f"{number(trend[2] * 100, lang, 1)} %")
        right.info(_("indicators.projection_where"))
    right.caption(_("indicators.projection_note") if projected else _("indicators.history_note", start=first, end=last))


def render() -> None:
    _ = session.translator()
    lang = session.language()
    data = current_indicator_data()
    st.title(_("indicators.title"))
    st.caption(_("indicators.intro"))
    codes, subject_label = _subject(data)
    if not codes:
        return
    labels = {code: f"{code} {data.names[code]}" for code in data.codes}
    _keep_options("ind_peers", data.codes)
    peers = st.multiselect(_("indicators.peers"), data.codes, key="ind_peers",
                           format_func=labels.__getitem__, placeholder=_("indicators.peers_placeholder"))
    region, region_label = _cooperation_region(data, codes)
    if len(codes) > 1:
        st.success(_("indicators.combined_note", count=len(codes),
                     names=", ".join(data.names[c] for c in codes)))
    tab_labels = [_("indicators.tab.cards"), _("indicators.tab.similar"), _("indicators.tab.trend"),
                  _("indicators.tab.demography")]
    urlstate.copy_link_button("ind_copy_link")
    first = urlstate.initial("fane", options=TAB_IDS, default=TAB_IDS[0])
    tabs = st.tabs(tab_labels, default=tab_labels[TAB_IDS.index(first)], key="ind_tab", on_change="rerun")
    active = next((i for i, tab in enumerate(tabs) if getattr(tab, "open", False)), TAB_IDS.index(first))
    urlstate.write("fane", TAB_IDS[active], default=TAB_IDS[0])
    with tabs[0]:
        _cards_tab(data, codes, peers, region, region_label, lang)
        if session.country() == "SE":
            from ui.kolada_groups import group_comparison

            group_comparison(data, list(codes), list(region or []), region_label)
    with tabs[1]:
        _similar_tab(data, codes, lang)
    with tabs[2]:
        _trend_tab(data, codes, subject_label, lang)
    with tabs[3]:
        _demography_tab(data, codes, subject_label, lang)


session.guarded(render)
