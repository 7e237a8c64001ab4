"""Streamlit glue for the cooperation register: the current register, the editor and the
checklist's "existing arrangements" panel."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

import streamlit as st

from kommunestrategi import criteria, geo
from kommunestrategi.cooperation import Arrangement, Register, analysis
from kommunestrategi.cooperation import overview as ov
from kommunestrategi.cooperation import register as reg
from kommunestrategi.formatting import number, timestamp
from kommunestrategi.store import ConflictError, PermissionDenied, StoreError
from ui import session
from ui.textsafe import error, md_inline
from ui.workspace import current_actor, current_store, current_workspace, local_time

LOG = logging.getLogger("kommunestrategi.ui")
NEW = "__new__"


def current_register() -> Register:
    """The current workspace's register, ended arrangements included; empty if it cannot be read."""
    try:
        return reg.register_for(current_store(), current_workspace().id)
    except Exception:  # noqa: BLE001 - the page still works without the register
        LOG.exception("could not read the cooperation register")
        return Register()


def municipality_options() -> dict[str, str]:
    units = geo.load_units()
    return {code: f"{code} {name}" for code, name in zip(units["kommunenummer"], units["name"], strict=True)}


def flags_text(arrangement: Arrangement, lang: str) -> str:
    return "; ".join(ov.flag_label(f, lang) for f in analysis.flags(arrangement))


def arrangements_panel(council: str, service_area: str, on_use: Callable[[list[str]], None] | None = None,
                       *, key: str = "coop") -> None:
    """The council's running arrangements for one service area, with flags and "use as partners"."""
    _ = session.translator()
    lang = session.language()
    register = current_register()
    found = analysis.for_service(register, council, service_area)
    with st.container(border=True):
        st.markdown(f"**{_('cooperation.checklist.title')}**")
        if not found:
            st.caption(_("cooperation.checklist.none"))
            return
        for a in found:
            partners = [m for m in a.members if m != council]
            st.markdown(
                f"**{md_inline(a.name)}** · {md_inline(ov.form_name(a.legal_form, lang) if a.legal_form else _('cooperation.column.legal_form') + ': ' + _('cooperation.missing'))}  \n"
                + _("cooperation.checklist.members", members=md_inline(", ".join(ov.municipality(m)
                                                                                  for m in a.members)))
                + ("  \n" + _("cooperation.checklist.host", host=md_inline(ov.municipality(a.host)))
                   if a.host else ""))
            shown = analysis.flags(a)
            if shown:
                st.caption(_("cooperation.checklist.flags", flags=md_inline(flags_text(a, lang))))
            if on_use is not None and partners:
                st.button(_("cooperation.checklist.use"), key=f"{key}_use_{a.id}",
                          on_click=on_use, args=(partners,), icon=":material/group_add:")


def region_counts(codes: list[str]) -> None:
    """The region builder's line: existing arrangements inside the selection and crossing it."""
    register = current_register().active()
    if not len(register) or not codes:
        return
    _ = session.translator()
    lang = session.language()
    result = analysis.coherence(register, codes)
    st.info(_("cooperation.region.builder", inside=number(result.inside, lang),
              crossing=number(result.crossing, lang)), icon=":material/handshake:")


def checklist_panel(editor, criterion_id: str) -> None:
    """The checklist's view of the register: on "partners" with "use as partners", on "exit" with flags."""
    on_use = None
    if criterion_id == "partners" and not editor.readonly:
        item = criteria.catalogue().criterion("partners").field("partners")

        def on_use(codes: list[str]) -> None:
            editor.apply("partners", item, codes)

    arrangements_panel(editor.council, editor.service_area, on_use, key=f"coop_{criterion_id}")


# ------------------------------------------------------------------- the editor

def _date_value(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def editor(register: Register) -> None:
    """Add, edit and end arrangements (secretariat only), with each arrangement's history."""
    _ = session.translator()
    lang = session.language()
    actor = current_actor()
    if actor.role != "secretariat":
        st.info(_("cooperation.edit.secretariat_only"))
        return
    labels = {NEW: _("cooperation.edit.new")}
    labels.update({a.id: f"{a.name} ({a.id})" + (f" · {_('cooperation.status.ended_short')}" if a.ended else "")
                   for a in register})
    pending = st.session_state.pop("coop_pick_next", None)
    if pending in labels:
        st.session_state["coop_edit_pick"] = pending
    if st.session_state.pop("coop_saved", None):
        st.success(_("cooperation.edit.saved"))
    chosen = st.selectbox(_("cooperation.edit.pick"), list(labels), format_func=labels.__getitem__,
                          key="coop_edit_pick")
    current = register.get(chosen) if chosen != NEW else Arrangement("", "", ())
    names = municipality_options()
    cat = criteria.catalogue()
    areas = [a.id for a in cat.service_areas]
    forms = [f.id for f in cat.forms]
    if current.service_area and current.service_area not in areas:
        areas.append(current.service_area)
    if current.legal_form and current.legal_form not in forms:
        forms.append(current.legal_form)
    suffix = f"{chosen}_{current.version}"
    with st.form(f"coop_form_{suffix}"):
        name = st.text_input(_("cooperation.column.name"), current.name, max_chars=300)
        members = st.multiselect(_("cooperation.column.members"), list(names),
                                 default=[m for m in current.members if m in names],
                                 format_func=names.__getitem__, placeholder=_("autosave.choose"))
        left, right = st.columns(2)
        area = left.selectbox(_("cooperation.column.service_area"), ["", *areas],
                              index=(["", *areas].index(current.service_area)),
                              format_func=lambda x: ov.service_name(x, lang) if x else "–")
        form = right.selectbox(_("cooperation.column.legal_form"), ["", *forms],
                               index=(["", *forms].index(current.legal_form)),
                               format_func=lambda x: ov.form_name(x, lang) if x else "–")
        host_options = ["", *names]
        host = left.selectbox(_("cooperation.column.host"), host_options,
                              index=host_options.index(current.host) if current.host in names else 0,
                              format_func=lambda x: names.get(x, "–"))
        year = right.number_input(_("cooperation.column.year_established"), min_value=1800, max_value=2100,
                                  value=current.year_established, step=1)
        org = left.text_input(_("cooperation.column.org_number"), current.org_number, max_chars=20)
        cost = right.number_input(_("cooperation.column.annual_cost"), min_value=0.0,
                                  value=current.annual_cost, step=10_000.0)
        share = left.number_input(_("cooperation.column.budget_share"), min_value=0.0, max_value=100.0,
                                  value=current.budget_share, step=0.1)
        person_years = right.number_input(_("cooperation.column.person_years"), min_value=0.0,
                                          value=current.person_years, step=0.5)
        agreement = left.date_input(_("cooperation.column.agreement_date"), _date_value(current.agreement_date),
                                    min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31),
                                    format="DD.MM.YYYY")
        review = right.date_input(_("cooperation.column.next_review"), _date_value(current.next_review),
                                  min_value=dt.date(1950, 1, 1), max_value=dt.date(2100, 12, 31),
                                  format="DD.MM.YYYY")
        exit_options = ["", "yes", "no"]
        exit_now = "" if current.exit_clause is None else ("yes" if current.exit_clause else "no")
        exit_clause = left.radio(_("cooperation.column.exit_clause"), exit_options,
                                 index=exit_options.index(exit_now), horizontal=True,
                                 format_func=lambda x: {"": "–", "yes": _("cooperation.yes"),
                                                        "no": _("cooperation.no")}[x])
        notice = right.number_input(_("cooperation.column.notice_months"), min_value=0.0, max_value=120.0,
                                    value=current.notice_months, step=1.0)
        saved = st.form_submit_button(_("cooperation.edit.save"), type="primary")
    if saved:
        if len(members) < 2 or not name.strip():
            st.error(_("cooperation.edit.need_name_members"))
        else:
            changed = current.with_changes(
                name=name, service_area=area, legal_form=form, members=tuple(members),
                host=host if host in members else "", year_established=year, org_number=org,
                annual_cost=cost, budget_share=share, person_years=person_years,
                agreement_date=agreement.isoformat() if agreement else "",
                next_review=review.isoformat() if review else "",
                exit_clause={"": None, "yes": True, "no": False}[exit_clause], notice_months=notice)
            _write(lambda: reg.add(current_store(), actor, current_workspace().id, changed) if chosen == NEW
                   else reg.save(current_store(), actor, current_workspace().id, changed))
    if chosen == NEW:
        return
    with st.container(border=True):
        if current.ended:
            st.caption(_("cooperation.status.ended", date=ov.date_text(current.ended, lang)))
            if st.button(_("cooperation.edit.reopen"), key=f"coop_reopen_{suffix}"):
                _write(lambda: reg.reopen(current_store(), actor, current_workspace().id, current))
        else:
            left, right = st.columns([2, 1], vertical_alignment="bottom")
            on = left.date_input(_("cooperation.edit.end_date"), dt.date.today(), format="DD.MM.YYYY",
                                 key=f"coop_end_date_{suffix}")
            if right.button(_("cooperation.edit.end"), key=f"coop_end_{suffix}", icon=":material/block:"):
                _write(lambda: reg.end(current_store(), actor, current_workspace().id, current, on))
    with st.expander(_("cooperation.edit.history")):
        entries = reg.history(current_store(), current_workspace().id, current)
        if not entries:
            st.caption(_("cooperation.edit.no_history"))
        for entry in entries:
            before, after = entry.old_value or {}, entry.new_value or {}
            changed_fields = sorted(k for k in set(before) | set(after) if before.get(k) != after.get(k))
            st.markdown(
                _("cooperation.edit.history_line", time=timestamp(local_time(entry.at), lang),
                  author=md_inline(entry.author), action=_(f"cooperation.action.{entry.action}"),
                  version=number(entry.version, lang),
                  fields=md_inline(", ".join(_(f"cooperation.column.{k}") if f"cooperation.column.{k}" in
                                             _known_columns() else k for k in changed_fields if k != "id"))))


def _known_columns() -> set[str]:
    from kommunestrategi.i18n import catalogue

    return {k for k in catalogue() if k.startswith("cooperation.column.")}


def _write(action: Callable[[], Arrangement]) -> None:
    _ = session.translator()
    try:
        saved = action()
    except ConflictError:
        st.error(_("cooperation.edit.conflict"))
        return
    except (PermissionDenied, StoreError) as exc:
        error(exc)
        return
    st.session_state["coop_pick_next"] = saved.id
    st.session_state["coop_saved"] = saved.id
    st.rerun()
