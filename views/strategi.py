"""Strategy page: a council's cooperation strategy read as a document, and the
secretariat's overview of how far every council has got."""

import streamlit as st

from kommunestrategi import chart_tables as ct
from kommunestrategi import criteria as cr
from kommunestrategi import strategy
from kommunestrategi.formatting import timestamp
from kommunestrategi.overview_chart import completeness_heatmap
from kommunestrategi.textsafe import plotly_figure
from ui import chart_tables, session
from ui.autosave import as_text, page_context
from ui.textsafe import md_inline


def _area(area: strategy.AreaStrategy, lang: str, _) -> None:
    st.header(md_inline(area.service_area_name), divider="gray")
    st.markdown(f"**{as_text(area.headline)}**")
    facts = [
        (_("strategy.approach"), area.approach_label),
        (_("strategy.legal_form"), area.legal_form_name or "–"),
        (_("strategy.partners"), ", ".join(cr.municipality_label(c) for c in area.partners) or "–"),
        (_("strategy.host"), cr.municipality_label(area.host) if area.host else "–"),
        (_("strategy.deadline"), area.decision_deadline_text or "–"),
    ]
    st.markdown("\n".join(f"- **{label}:** {as_text(text)}" for label, text in facts))
    for label, text in ((_("strategy.rationale"), area.rationale), (_("strategy.timeline"), area.timeline)):
        if text:
            st.markdown(f"**{label}**  \n{as_text(text)}")
    for issue in area.issues:
        (st.warning if issue.severity == "warning" else st.info)(md_inline(issue.message), icon=":material/rule:")
    st.caption(_("strategy.criteria_status", complete=area.complete_count))
    if area.last_updated:
        st.caption(_("strategy.last_updated", time=timestamp(area.last_updated, lang),
                     authors=md_inline(", ".join(area.authors))))
    for section in area.criteria:
        with st.expander(f"{section.number}. {md_inline(section.title)} · {section.status_label}",
                         expanded=section.status != cr.NOT_STARTED):
            lines = []
            for item in section.fields:
                if item.filled or item.text:
                    lines.append(f"**{as_text(item.label)}**  \n{as_text(item.text)}")
                elif item.required:
                    lines.append(f"**{as_text(item.label)}**  \n*{_('strategy.unanswered')}*")
            st.markdown("\n\n".join(lines))


def _overview(store, ws, lang: str, _) -> None:
    overview = strategy.completeness_overview(store, ws.id, lang)
    st.caption(_("strategy.overview_intro"))
    if session.country() == "SE":
        st.info(_("country.se_guidance"))
    if overview.not_started:
        st.warning(_("strategy.not_started_list", councils=md_inline(", ".join(
            f"{c} {overview.names[c]}" for c in overview.not_started))))
    else:
        st.success(_("strategy.all_started"))
    def areas(count: int) -> str:
        return _("strategy.areas_count.one" if count == 1 else "strategy.areas_count.other", count=count)
    # short row labels leave the width to the eight steps; the areas started show on hover
    rows = [f"{c} {overview.names[c]}" for c in overview.matrix.index]
    notes = [areas(overview.areas_started[c]) for c in overview.matrix.index]
    fig = completeness_heatmap(overview.matrix, overview.labels, rows, lang, _("strategy.filled_share"), notes)
    st.plotly_chart(plotly_figure(fig), config={"displaylogo": False, "displayModeBar": False}, width="stretch",
                    key="strategy_heatmap")
    chart_tables.show(ct.share_matrix_table(overview.matrix, rows=rows, labels=overview.labels,
                                            row_header=_("charts.col.step_share"), lang=lang), key="strategy_heatmap")


def render() -> None:
    _ = session.translator()
    lang = session.language()
    st.title(_("strategy.title"))
    st.caption(_("strategy.intro"))
    context = page_context(_)
    if context is None:
        return
    store, ws, actor, councils = context.store, context.workspace, context.actor, context.councils
    if actor.role == "secretariat":
        # the council's own strategy first; the secretariat's overview on its own tab
        own, overview = st.tabs([_("strategy.tab.council"), _("strategy.overview")])
        with overview:
            _overview(store, ws, lang, _)
        with own:
            _council(store, ws, actor, councils, lang, _)
    else:
        _council(store, ws, actor, councils, lang, _)


def _council(store, ws, actor, councils: dict[str, str], lang: str, _) -> None:
    codes = list(councils)
    start = actor.council if actor.role == "council" and actor.council in councils else st.query_params.get("kommune")
    council = st.selectbox(_("checklist.council"), codes, index=codes.index(start) if start in codes else 0,
                           format_func=lambda c: f"{c} {councils[c]}", key="strategy_council")
    doc = strategy.build_council_strategy(store, ws.id, council, lang)
    st.header(_("strategy.document_title", council=md_inline(doc.council_name)))
    st.caption(_("strategy.generated", workspace=md_inline(ws.name), time=timestamp(doc.generated_at, lang)))
    if not doc.started:
        st.info(_("strategy.not_started"))
        st.page_link("views/sjekkliste.py", label=_("strategy.open_checklist"), icon=":material/checklist:")
        return
    for area in doc.areas:
        _area(area, lang, _)


session.guarded(render)
