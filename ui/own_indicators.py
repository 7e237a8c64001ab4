"""Data page: the workspace's own indicators, listed, and (for the secretariat) edited or
removed (:mod:`kommunestrategi.indicators.workspace_changes`)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kommunestrategi.formatting import number
from kommunestrategi.indicators import workspace as own
from kommunestrategi.indicators import workspace_changes as changes
from kommunestrategi.indicators.catalogue import AGGREGATION_KINDS, DIMENSIONS, DIRECTIONS, SECTORS, UNITS
from kommunestrategi.store import workspace_indicators as stored_table
from ui import session
from ui.textsafe import md_inline

PICK = "data_own_pick"


def definition_fields(key, start: dict, catalogue: dict, lang: str) -> dict:
    """The widgets of an indicator definition (name, unit, direction, dimension, sector, rule
    and its parts), starting from ``start``; ``key(field)`` names each widget. Returns the values."""
    _ = session.translator()
    units = list(UNITS)
    name = st.text_input(_("data.newind.name"), value=start["name"][:own.MAX_NAME], max_chars=own.MAX_NAME,
                         key=key("name"))
    cols = st.columns(2)
    unit = cols[0].selectbox(_("data.newind.unit"), units, index=units.index(start["unit"]) if start["unit"] in units
                             else units.index("value"), key=key("unit"),
                             format_func=lambda u: f"{_(f'indicators.unit.{u}')} ({u})")
    direction = cols[1].selectbox(_("data.newind.direction"), DIRECTIONS, index=DIRECTIONS.index(start["direction"])
                                  if start["direction"] in DIRECTIONS else DIRECTIONS.index("neutral"),
                                  key=key("direction"), format_func=lambda d: _(f"data.newind.direction.{d}"))
    cols = st.columns(2)
    dimension = cols[0].selectbox(_("data.newind.dimension"), DIMENSIONS,
                                  index=DIMENSIONS.index(start["dimension"]) if start["dimension"] in DIMENSIONS
                                  else DIMENSIONS.index(own.OTHER_DIMENSION),
                                  key=key("dimension"), format_func=lambda d: _(f"indicators.dimension.{d}"))
    sector = cols[1].selectbox(_("data.newind.sector"), SECTORS, index=SECTORS.index(start["sector"])
                               if start["sector"] in SECTORS else SECTORS.index(own.OTHER_SECTOR),
                               key=key("sector"), format_func=lambda s: _(f"indicators.sector.{s}"))
    rule_start = start.get("rule") or own.suggested_rule(unit)
    rule = st.selectbox(_("data.newind.rule"), AGGREGATION_KINDS,
                        index=AGGREGATION_KINDS.index(rule_start) if rule_start in AGGREGATION_KINDS else 0,
                        key=key("rule"), help=_("data.newind.rule.help"),
                        format_func=lambda r: _(f"data.newind.rule.{r}"))
    counts = own.count_indicators(catalogue)
    label = {i: f"{catalogue[i].name(lang)} ({i})" for i in counts}.__getitem__
    given = start.get("parts") or {}

    def at(ident: str | None, default: str | None) -> int | None:
        chosen = ident if ident in counts else default
        return counts.index(chosen) if chosen in counts else None

    parts: dict = {}
    scale = None
    if rule == "weighted_mean":
        parts["weight"] = st.selectbox(_("data.newind.weight"), counts, index=at(given.get("weight"), "pop_total"),
                                       key=key("weight"), format_func=label)
    elif rule == "ratio":
        cols = st.columns([3, 3, 2])
        parts["numerator"] = cols[0].selectbox(_("data.newind.numerator"), counts, index=at(given.get("numerator"), None),
                                               key=key("numerator"), format_func=label,
                                               help=_("data.newind.numerator.help"))
        parts["denominator"] = cols[1].selectbox(_("data.newind.denominator"), counts,
                                                 index=at(given.get("denominator"), "pop_total"),
                                                 key=key("denominator"), format_func=label)
        scale = cols[2].number_input(_("data.newind.scale"), min_value=0.001,
                                     value=float(start.get("scale") or (100.0 if unit == "percent" else 1.0)),
                                     key=key("scale"))
    return {"name": name, "unit": unit, "direction": direction, "dimension": dimension, "sector": sector,
            "rule": rule, "parts": parts, "scale": scale}


def _table(found: dict, lang: str) -> None:
    _ = session.translator()
    st.dataframe(pd.DataFrame({
        _("data.newind.name"): [i.name(lang) for i in found.values()],
        _("data.newind.unit"): [i.unit_label(lang) for i in found.values()],
        _("data.newind.dimension"): [_(f"indicators.dimension.{i.dimension}") for i in found.values()],
        _("data.newind.direction"): [_(f"data.newind.direction.{i.direction}") for i in found.values()],
        _("data.newind.rule"): [_(f"data.newind.rule.{i.rule.kind}")
                                + (f" ({', '.join(i.rule.references())})" if i.rule.references() else "")
                                for i in found.values()],
        _("data.own.id"): list(found),
    }), hide_index=True, width="stretch")


def _edit(store, workspace, actor, ident: str, data: dict, lang: str) -> None:
    _ = session.translator()
    st.markdown(f"**{_('data.own.edit.title')}**")
    st.caption(_("data.own.edit.help"))
    catalogue = {i: ind for i, ind in own.workspace_catalogue(store, workspace.id).items() if i != ident}
    fields = definition_fields(lambda f: f"data_own_{ident}_{f}", changes.form_values(data), catalogue, lang)
    if st.button(_("data.own.edit.save"), key=f"data_own_{ident}_save", type="primary"):
        try:
            rule, parts = fields.pop("rule"), fields.pop("parts")
            indicator, version = changes.edit_indicator(store, actor, workspace.id, ident,
                                                        aggregation=own.rule_text(rule, **parts), **fields)
        except changes.StaysACount as exc:
            names = own.own_catalogue(store, workspace.id)
            st.error(_("data.own.edit.stays_count", list=md_inline(", ".join(
                f"«{names[i].name(lang)}»" if i in names else i for i in exc.users))))
            return
        except own.WorkspaceIndicatorError as exc:
            st.error(_("data.own.edit.invalid", problem=problem_text(exc)))
            return
        st.session_state.pop("data_result", None)   # a file on the page is read again with the new definition
        st.session_state["data_flash"] = (_("data.own.edit.saved", name=md_inline(indicator.name(lang)),
                                            version=version) if version else _("data.own.edit.unchanged"))
        st.rerun()


def problem_text(exc: Exception) -> str:
    """Why a definition was not stored, in the user's language (the package's problem code)."""
    from kommunestrategi.i18n import catalogue

    _ = session.translator()
    key = f"own.error.{getattr(exc, 'code', 'invalid')}"
    return _(key) if key in catalogue() else _("own.error.invalid")


def _remove(store, workspace, actor, ident: str, lang: str) -> None:
    _ = session.translator()
    st.markdown(f"**{_('data.own.remove.title')}**")
    impact = changes.removal_impact(store, workspace.id, ident)
    if impact.blocked:
        names = own.own_catalogue(store, workspace.id)
        st.error(_("data.own.remove.blocked", list=md_inline(", ".join(
            f"«{names[i].name(lang)}»" if i in names else i for i in impact.dependents))))
        return
    if impact.needs_confirmation:
        text = (_("data.own.remove.in_use", count=number(impact.active_values, lang), version=impact.active_version)
                if impact.active_values else "")
        if impact.other_versions:
            text += " " + _("data.own.remove.older", list=", ".join(str(v) for v in impact.other_versions))
        st.warning(f"{text.strip()} {_('data.own.remove.consequence')}")
        confirmed = st.checkbox(_("data.own.remove.confirm"), key=f"data_own_{ident}_confirm")
    else:
        st.caption(_("data.own.remove.unused"))
        confirmed = True
    if impact.codes:
        shown = ", ".join(f"{code} ({table})" for table, code in (k.split(":", 1) for k in impact.codes))
        st.caption(_("data.own.remove.codes", list=md_inline(shown)))
    if st.button(_("data.own.remove.button"), key=f"data_own_{ident}_remove", disabled=not confirmed):
        try:
            changes.remove_indicator(store, actor, workspace.id, ident, accept_values=confirmed)
        except own.WorkspaceIndicatorError as exc:
            st.error(problem_text(exc))
            return
        st.session_state.pop("data_result", None)
        st.session_state.pop(PICK, None)
        st.session_state["data_flash"] = _("data.own.remove.done", id=ident)
        st.rerun()


def render(store, workspace, actor, lang: str) -> None:
    """The workspace's own indicators under the versions; the secretariat may edit or remove one."""
    _ = session.translator()
    if store is None or workspace is None:
        return
    found = own.own_catalogue(store, workspace.id)
    if not found:
        return
    with st.expander(_("data.own.title", count=len(found)), expanded=bool(st.session_state.get(PICK))):
        st.caption(_("data.own.help"))
        _table(found, lang)
        if getattr(actor, "role", "") != "secretariat":
            return
        ident = st.selectbox(_("data.own.pick"), ["", *found], key=PICK,
                             format_func=lambda i: f"{found[i].name(lang)} ({i})" if i else _("data.own.pick.none"))
        if not ident:
            return
        data = {s.indicator_id: s.data for s in stored_table.list_indicators(store, workspace.id)}.get(ident)
        if data is None:
            return
        _edit(store, workspace, actor, ident, data, lang)
        st.divider()
        _remove(store, workspace, actor, ident, lang)
