"""Strategy page: a council's cooperation strategy read as a document, and the
secretariat's overview of how far every council has got."""

import streamlit as st

from kommunestrategi import criteria as cr
from kommunestrategi import strategy
from kommunestrategi.formatting import percent, timestamp
from ui import session
from ui.autosave import as_text, local, page_context
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
        st.caption(_("strategy.last_updated", time=timestamp(local(area.last_updated), lang),
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
    st.subheader(_("strategy.overview"))
    st.caption(_("strategy.overview_intro"))
    if overview.not_started:
        st.warning(_("strategy.not_started_list", councils=md_inline(", ".join(
            f"{c} {overview.names[c]}" for c in overview.not_started))))
    else:
        st.success(_("strategy.all_started"))
    table = overview.matrix.rename(columns=overview.labels)
    table.index = [f"{c} {overview.names[c]}" for c in table.index]
    table.index.name = _("strategy.overview_council")
    table.insert(0, _("strategy.overview_areas"), [overview.areas_started[c] for c in overview.matrix.index])
    share_columns = list(overview.labels.values())
    styled = (table.style.background_gradient(cmap="RdYlGn", vmin=0.0, vmax=1.0, subset=share_columns)
              .format(lambda v: percent(v, lang, 0), subset=share_columns))
    st.dataframe(styled, width="stretch")


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
        _overview(store, ws, lang, _)
        st.divider()
    codes = list(councils)
    start = actor.council if actor.role == "council" and actor.council in councils else st.query_params.get("kommune")
    council = st.selectbox(_("checklist.council"), codes, index=codes.index(start) if start in codes else 0,
                           format_func=lambda c: f"{c} {councils[c]}", key="strategy_council")
    doc = strategy.build_council_strategy(store, ws.id, council, lang)
    st.title(_("strategy.document_title", council=md_inline(doc.council_name)))
    st.caption(_("strategy.generated", workspace=md_inline(ws.name), time=timestamp(local(doc.generated_at), lang)))
    if not doc.started:
        st.info(_("strategy.not_started"))
        st.page_link("views/sjekkliste.py", label=_("strategy.open_checklist"), icon=":material/checklist:")
        return
    for area in doc.areas:
        _area(area, lang, _)


session.guarded(render)
