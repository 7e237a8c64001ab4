"""Data page: SSB content codes without a catalogue indicator. Each is mapped to an
indicator of the workspace's catalogue, or becomes a new indicator of the workspace
(name, unit, dimension, sector, direction, rule for regions), stored and used from
then on (:mod:`kommunestrategi.indicators.workspace`)."""

from __future__ import annotations

import streamlit as st

from kommunestrategi.indicators import workspace as own
from kommunestrategi.indicators.catalogue import AGGREGATION_KINDS, DIMENSIONS, DIRECTIONS, SECTORS, UNITS
from kommunestrategi.io import ssb_codes
from ui import session
from ui.textsafe import md_inline

NEW = "__new__"
MAX_CODES = 40


def _key(item: dict, field: str) -> str:
    return f"data_code_{item['table']}_{item['code']}" + (f"_{field}" if field else "")


def _new_fields(item: dict, catalogue: dict, lang: str) -> dict:
    """The widgets of a new indicator for one code; returns the chosen values."""
    _ = session.translator()
    unit_default = own.suggested_unit(item.get("unit", ""), item["label"])
    units = list(UNITS)
    name = st.text_input(_("data.newind.name"), value=item["label"][:own.MAX_NAME], max_chars=own.MAX_NAME,
                         key=_key(item, "name"))
    cols = st.columns(2)
    unit = cols[0].selectbox(_("data.newind.unit"), units, index=units.index(unit_default), key=_key(item, "unit"),
                             format_func=lambda u: f"{_(f'indicators.unit.{u}')} ({u})")
    direction = cols[1].selectbox(_("data.newind.direction"), DIRECTIONS, index=DIRECTIONS.index("neutral"),
                                  key=_key(item, "direction"), format_func=lambda d: _(f"data.newind.direction.{d}"))
    cols = st.columns(2)
    dimension = cols[0].selectbox(_("data.newind.dimension"), DIMENSIONS, index=DIMENSIONS.index(own.OTHER_DIMENSION),
                                  key=_key(item, "dimension"), format_func=lambda d: _(f"indicators.dimension.{d}"))
    sector = cols[1].selectbox(_("data.newind.sector"), SECTORS, index=SECTORS.index(own.OTHER_SECTOR),
                               key=_key(item, "sector"), format_func=lambda s: _(f"indicators.sector.{s}"))
    rule = st.selectbox(_("data.newind.rule"), AGGREGATION_KINDS,
                        index=AGGREGATION_KINDS.index(own.suggested_rule(unit)), key=_key(item, "rule"),
                        help=_("data.newind.rule.help"), format_func=lambda r: _(f"data.newind.rule.{r}"))
    counts = own.count_indicators(catalogue)
    label = {i: f"{catalogue[i].name(lang)} ({i})" for i in counts}.__getitem__
    parts: dict = {}
    scale = None
    if rule == "weighted_mean":
        parts["weight"] = st.selectbox(_("data.newind.weight"), counts, index=counts.index("pop_total"),
                                       key=_key(item, "weight"), format_func=label)
    elif rule == "ratio":
        cols = st.columns([3, 3, 2])
        parts["numerator"] = cols[0].selectbox(_("data.newind.numerator"), counts, index=None,
                                               key=_key(item, "numerator"), format_func=label,
                                               help=_("data.newind.numerator.help"))
        parts["denominator"] = cols[1].selectbox(_("data.newind.denominator"), counts, index=counts.index("pop_total"),
                                                 key=_key(item, "denominator"), format_func=label)
        scale = cols[2].number_input(_("data.newind.scale"), min_value=0.001, value=100.0 if unit == "percent"
                                     else 1.0, key=_key(item, "scale"))
    return {"name": name, "unit": unit, "direction": direction, "dimension": dimension, "sector": sector,
            "rule": rule, "parts": parts, "scale": scale}


def render(result, store, workspace, actor, lang: str) -> None:
    """The list of unmapped codes with a mapping choice each, and one save button."""
    _ = session.translator()
    unmapped = result.report.unmapped_codes
    if not unmapped or store is None or getattr(actor, "role", "") != "secretariat":
        return
    st.markdown(f"**{_('data.codes.title')}**")
    st.caption(_("data.codes.help"))
    catalogue = own.workspace_catalogue(store, workspace.id)
    ids = ["", NEW, *sorted(catalogue)]

    def option(ident: str) -> str:
        if ident == NEW:
            return _("data.codes.new")
        return f"{ident} – {catalogue[ident].name(lang)}" if ident else _("data.codes.none")

    chosen: dict[str, tuple[dict, str, dict | None]] = {}
    for item in unmapped[:MAX_CODES]:
        with st.container(border=True):
            st.markdown(_("data.codes.item", table=md_inline(item["table"]), code=md_inline(item["code"]),
                          label=md_inline(item["label"])))
            if item.get("unit"):
                st.caption(_("data.codes.ssb_unit", unit=md_inline(item["unit"])))
            pick = st.selectbox(_("data.codes.existing"), ids, key=_key(item, ""), format_func=option)
            fields = _new_fields(item, catalogue, lang) if pick == NEW else None
            chosen[item["code"]] = (item, pick, fields)
    if st.button(_("data.codes.save"), key="data_codes_save", type="primary",
                 disabled=not any(pick for _i, pick, _f in chosen.values())):
        done, added = 0, []
        for code, (item, pick, fields) in chosen.items():
            if pick == NEW:
                try:
                    rule, parts = fields.pop("rule"), fields.pop("parts")
                    indicator = own.add_indicator(store, actor, workspace.id, table=item["table"], code=code,
                                                  label=item["label"], aggregation=own.rule_text(rule, **parts),
                                                  **fields)
                except own.WorkspaceIndicatorError as exc:
                    st.error(_("data.codes.invalid", code=md_inline(code), problem=md_inline(str(exc))))
                    return
                added.append(_("data.codes.added", name=md_inline(indicator.names["nb"]), id=indicator.id))
                done += 1
            elif pick:
                ssb_codes.save_mapping(store, actor, workspace.id, item["table"], code, pick)
                done += 1
        st.session_state.pop("data_result", None)  # validate again with the new mapping
        st.session_state["data_flash"] = " ".join([_("data.codes.saved", count=done), *added])
        st.rerun()


def render_own(store, workspace, lang: str) -> None:
    """The workspace's own indicators (new ones and confirmed kinds), listed under the versions."""
    _ = session.translator()
    if store is None or workspace is None:
        return
    found = own.own_catalogue(store, workspace.id)
    if not found:
        return
    import pandas as pd

    with st.expander(_("data.own.title", count=len(found))):
        st.caption(_("data.own.help"))
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
