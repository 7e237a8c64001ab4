"""Checklist page: a council works through the seven criteria for one service area.

Every field saves to the store when the user leaves it (see ``ui/autosave.py``);
status badges, consistency warnings and the decision helper's suggestions are
computed by ``kommunestrategi.criteria`` from what is stored.
"""

import streamlit as st

from kommunestrategi import criteria as cr
from kommunestrategi import strategy
from ui import session, urlstate
from ui.autosave import AnswerEditor, page_context, slug
from ui.cooperation import checklist_panel
from ui.textsafe import md_inline

STATUS_COLOURS = {cr.NOT_STARTED: "gray", cr.IN_PROGRESS: "orange", cr.COMPLETE: "green"}
STATUS_ICONS = {cr.NOT_STARTED: ":material/radio_button_unchecked:", cr.IN_PROGRESS: ":material/pending:",
                cr.COMPLETE: ":material/check_circle:"}


def _pick_from_query(key: str, param: str, options: list[str]) -> None:
    """Start a picker at the value in the URL (deep links such as ?kommune=5001&omrade=ikt)."""
    if key not in st.session_state or st.session_state[key] not in options:
        wanted = st.query_params.get(param)
        st.session_state[key] = wanted if wanted in options else options[0]


def _remember(key: str, param: str) -> None:
    st.query_params[param] = st.session_state[key]


def _add_custom_area() -> None:
    name = st.session_state.get("chk_new_area", "")
    try:
        area_id = cr.custom_area_id(name)
    except ValueError:
        return
    extra = st.session_state.setdefault("chk_custom_areas", [])
    if area_id not in extra:
        extra.append(area_id)
    st.session_state["chk_area"] = area_id
    st.query_params["omrade"] = area_id
    st.session_state["chk_new_area"] = ""


def _badge(status: str, _) -> None:
    st.badge(_(f"criteria.status.{status}"), icon=STATUS_ICONS[status], color=STATUS_COLOURS[status])


def _issues(issues: list[cr.Issue], lang: str) -> None:
    for issue in issues:
        (st.warning if issue.severity == "warning" else st.info)(issue.message(lang), icon=":material/rule:")


def _partners_extras(editor: AnswerEditor, store, workspace_id: int, _) -> None:
    """Fill the partners from the map's current selection or from a saved region."""
    item = cr.catalogue().criterion("partners").field("partners")
    picked = [c for c in session.selection() if c != editor.council]
    regions = store.list_regions(workspace_id)
    names = {r.name: r for r in regions}
    cols = st.columns([3, 1, 2], vertical_alignment="bottom")
    choice = cols[0].selectbox(_("checklist.use_region"), list(names), index=None, disabled=not names,
                               placeholder=_("autosave.choose"), key=slug("chk_region", editor.service_area))
    cols[1].button(_("checklist.use_region_button"), disabled=choice is None or editor.readonly,
                   key=slug("chk_region_use", editor.service_area),
                   on_click=lambda: editor.apply("partners", item, [c for c in names[choice].codes
                                                                  if c != editor.council]))
    cols[2].button(_("checklist.use_map", count=len(picked)), disabled=not picked or editor.readonly,
                   key=slug("chk_map_use", editor.service_area), icon=":material/map:",
                   on_click=lambda: editor.apply("partners", item, picked))


def _form_facts(form: cr.LegalForm, lang: str, _) -> None:
    cat = cr.catalogue()
    with st.expander(_("checklist.form.about") + ": " + cr.text(form.name, lang)):
        st.caption(cr.text(cat.forms_notice, lang))
        st.markdown(
            f"- **{_('checklist.form.basis')}:** {form.basis}\n"
            f"- **{_('checklist.form.steering')}:** {cr.text(form.steering_body, lang)}\n"
            f"- **{_('checklist.form.entity')}:** {_('checklist.form.entity.' + form.legal_entity)}\n"
            f"- **{_('checklist.form.employer')}:** {cr.text(form.employer, lang)}\n"
            f"- **{_('checklist.form.authority')}:** "
            f"{_('checklist.form.entity.yes' if form.can_delegate_authority else 'checklist.form.entity.no')}\n"
            f"- **{_('checklist.form.tasks')}:** {cr.text(form.suitable_tasks, lang)}"
        )
        st.write(cr.text(form.note, lang))
        if form.nearest_no:
            nearest = next((f for f in cat.forms if f.id == form.nearest_no), None)
            if nearest is not None:
                st.markdown(f"**{_('checklist.form.nearest_no')}:** {cr.text(nearest.name, lang)} ({nearest.basis})")
        st.markdown(f"**{_('checklist.form.agreement')}:**\n" + "\n".join(
            f"- {cr.text(item, lang)}" for item in form.agreement_items))


def _decision_helper(editor: AnswerEditor, values: dict, lang: str, _) -> None:
    cat = cr.catalogue()
    with st.expander(_("checklist.helper.title"), icon=":material/help:"):
        st.caption(_("checklist.helper.intro"))
        st.caption(cr.text(cat.forms_notice, lang))  # the forms' legal bases are guidance to check, not law
        for item in cat.helper.fields:
            editor.field(cr.HELPER_ID, item)
        answers = values.get(cr.HELPER_ID) or {}
        home = "se" if session.country() == "SE" else "no"
        if home == "se" and not answers.get("country"):
            st.caption(_("formsx.country_default"))
        ranked = cr.recommend_forms(answers, default_country=home)
        if not ranked:
            st.info(_("checklist.helper.empty"))
            return
        chosen = (values.get("form") or {}).get("legal_form")
        legal_form = cat.criterion("form").field("legal_form")
        top = [r for r in ranked if r.recommended]
        rest = [r for r in ranked if not r.recommended]
        for rec in top:
            _recommendation(rec, editor, legal_form, chosen, lang, _)
        if rest:
            st.markdown(f"**{_('checklist.helper.others')}**")
            for rec in rest:
                _recommendation(rec, editor, legal_form, chosen, lang, _)


def _recommendation(rec: cr.Recommendation, editor: AnswerEditor, legal_form: cr.Field, chosen, lang, _) -> None:
    name = cr.text(rec.form.name, lang)
    with st.container(border=True):
        label = ("checklist.helper.recommended" if rec.recommended
                 else "checklist.helper.excluded" if rec.excluded else "checklist.helper.possible")
        colour = "green" if rec.recommended else "red" if rec.excluded else "gray"
        cols = st.columns([4, 1], vertical_alignment="center")
        cols[0].markdown(f"**{name}** :{colour}-badge[{_(label)}]")
        if rec.form.nearest_no and cr.catalogue().has_form(rec.form.nearest_no):
            nearest = cr.catalogue().form(rec.form.nearest_no)
            cols[0].caption(_("formsx.nearest_no", form=cr.text(nearest.name, lang), basis=nearest.basis))
        for reason in rec.reasons:
            cols[0].markdown(("✓ " if reason.positive else "✗ ") + reason.message(lang))
        if chosen == rec.form.id:
            cols[1].badge(_("checklist.helper.chosen"), color="blue")
        elif not rec.excluded:
            cols[1].button(_("checklist.helper.use", form=name), key=slug("chk_use", editor.service_area, rec.form.id),
                           disabled=editor.readonly,
                           on_click=lambda form_id=rec.form.id: editor.apply("form", legal_form, form_id))


def _criterion(criterion: cr.Criterion, editor: AnswerEditor, values: dict, issues: list[cr.Issue],
               store, workspace_id: int, lang: str, _) -> None:
    status = cr.criterion_status(criterion, values.get(criterion.id))
    _badge(status, _)
    if criterion.intro:
        st.write(cr.text(criterion.intro, lang))
    if criterion.questions:
        st.markdown(f"**{_('checklist.questions')}**\n" + "\n".join(
            f"- {cr.text(q, lang)}" for q in criterion.questions))
    _issues([i for i in issues if i.criterion == criterion.id], lang)
    st.caption(_("checklist.required_note"))
    for item in criterion.fields:
        if criterion.id == "partners" and item.id == "host":
            partners = (values.get("partners") or {}).get("partners")
            choices = [editor.council, *(p for p in partners or [] if p != editor.council)]
            editor.field(criterion.id, item, choices=choices)
            st.caption(_("checklist.host_choices"))
            continue
        editor.field(criterion.id, item)
        if criterion.id == "partners" and item.id == "partners":
            _partners_extras(editor, store, workspace_id, _)
        if criterion.id == "form" and item.id == "legal_form":
            form_id = (values.get("form") or {}).get("legal_form")
            if cr.catalogue().has_form(form_id):
                _form_facts(cr.catalogue().form(form_id), lang, _)
            _decision_helper(editor, values, lang, _)
    if criterion.id in ("partners", "exit"):
        checklist_panel(editor, criterion.id)
    with st.expander(_("autosave.history"), icon=":material/history:"):
        editor.history(criterion)


def render() -> None:
    _ = session.translator()
    lang = session.language()
    cat = cr.catalogue()
    st.title(_("checklist.title"))
    st.caption(_("checklist.intro"))
    if session.country() == "SE":
        st.info(_("country.se_guidance"))
    context = page_context(_)
    if context is None:
        return
    store, ws, actor, councils = context.store, context.workspace, context.actor, context.councils
    codes = list(councils)
    if actor.role == "council" and actor.council in councils:
        codes = [actor.council]
    _pick_from_query("chk_council", "kommune", codes)
    pickers = st.columns(2)
    council = pickers[0].selectbox(
        _("checklist.council"), codes, key="chk_council", format_func=lambda c: f"{c} {councils[c]}",
        on_change=_remember, args=("chk_council", "kommune"), disabled=len(codes) == 1)

    answers = store.get_answers(ws.id, council)
    started = {a.service_area for a in answers}
    extra = st.session_state.get("chk_custom_areas", [])
    wanted = st.query_params.get("omrade")
    custom = [a for a in (*started, *extra, *([wanted] if wanted else []))
              if a.startswith(cr.CUSTOM_AREA_PREFIX)]
    areas = [a.id for a in cat.service_areas] + strategy.area_order(custom, cat)

    def area_label(area_id: str) -> str:
        return cr.text(cat.service_area(area_id).name, lang)

    _pick_from_query("chk_area", "omrade", areas)
    area = pickers[1].selectbox(_("checklist.service_area"), areas, key="chk_area", format_func=area_label,
                                on_change=_remember, args=("chk_area", "omrade"))
    if started:
        pickers[1].caption(_("checklist.started_areas", areas=md_inline(", ".join(
            area_label(a) for a in strategy.area_order(started, cat)))))
    with pickers[1].popover(_("checklist.add_area"), icon=":material/add:"):
        st.text_input(_("checklist.add_area"), key="chk_new_area", on_change=_add_custom_area)
        st.button(_("checklist.add_area_button"), on_click=_add_custom_area, key="chk_new_area_btn")

    urlstate.copy_link_button("chk_copy_link")
    readonly = actor.role == "viewer" or (actor.role == "council" and actor.council != council)
    if readonly:
        st.info(_("checklist.readonly"))
    _body(store, actor, ws.id, council, area, lang, readonly)


@session.fragment
def _body(store, actor, workspace_id: int, council: str, area: str, lang: str, readonly: bool) -> None:
    """Status, warnings and the criteria tabs. A fragment: saving a field reruns only
    this part of the page, so a busy workshop stays responsive."""
    session.guarded(lambda: _criteria_tabs(store, actor, workspace_id, council, area, lang, readonly))


def _criteria_tabs(store, actor, workspace_id: int, council: str, area: str, lang: str, readonly: bool) -> None:
    _ = session.translator()
    cat = cr.catalogue()
    answers = [a for a in store.get_answers(workspace_id, council) if a.service_area == area]
    by_field = {(a.criterion, a.field): a for a in answers}
    values = cr.answers_by_area(answers).get((council, area), {})
    statuses = cr.area_statuses(values, cat)
    issues = cr.check_consistency(council, values)

    complete = sum(statuses[c.id] == cr.COMPLETE for c in cat.criteria)
    st.progress(complete / len(cat.criteria), text=_("checklist.progress", complete=complete))
    with st.expander(_("checklist.issues") + f" ({len(issues)})", expanded=False):
        if issues:
            _issues(issues, lang)
        else:
            st.caption(_("checklist.no_issues"))

    editor = AnswerEditor(store, actor, workspace_id, council, area, by_field, lang, readonly=readonly,
                          values=values, outer_key=lambda current: _shown(council, current))
    with editor.drawing():
        sections = [*cat.criteria, cat.strategy]
        labels = [step_label(s, lang) for s in sections]
        by_label = dict(zip(labels, sections, strict=True))
        # a step list rather than tabs: all eight steps stay visible, with their status.
        # The URL names the step by its id (?steg=why), so a link works in every language.
        if "chk_tab" not in st.session_state or st.session_state["chk_tab"] not in labels:
            wanted = st.query_params.get("steg")
            st.session_state["chk_tab"] = next((label for label, section in by_label.items()
                                                if wanted in (section.id, label)), labels[0])
        urlstate.write("kommune", council)
        urlstate.write("omrade", area)
        urlstate.write("steg", by_label[st.session_state["chk_tab"]].id)
        steps, body = st.columns([1, 2.6], gap="medium")
        with steps.container(border=True):
            chosen = st.radio(_("checklist.steps"), labels, key="chk_tab",
                              format_func=lambda label: (f"{STATUS_ICONS[statuses[by_label[label].id]]} {label}"))
        with body:
            section = by_label[chosen]
            urlstate.write("steg", section.id)
            st.subheader(chosen)
            _criterion(section, editor, values, issues, store, workspace_id, lang, _)


def _shown(council: str, values: dict) -> tuple:
    """What this page shows of the answers besides the fields themselves: statuses,
    warnings, the host's choices (the partners), the form's facts and the decision
    helper's advice. A field's save reruns the page only when this changed."""
    return (cr.area_statuses(values), [(i.rule, i.criterion, i.severity, dict(i.params))
                                       for i in cr.check_consistency(council, values)],
            (values.get("partners") or {}).get("partners"), (values.get("form") or {}).get("legal_form"),
            values.get(cr.HELPER_ID))


def step_label(section: cr.Criterion, lang: str) -> str:
    """``3. Velge form og mandat``; the strategy step by its title alone."""
    title = cr.text(section.title, lang)
    return title if section.id == cr.STRATEGY_ID else f"{section.number}. {title}"


session.guarded(render)
