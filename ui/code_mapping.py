"""Data page: SSB content codes without a catalogue indicator. Each is mapped to an
indicator of the workspace's catalogue, or becomes a new indicator of the workspace
(name, unit, dimension, sector, direction, rule for regions), stored and used from
then on (:mod:`kommunestrategi.indicators.workspace`)."""

from __future__ import annotations

import streamlit as st

from kommunestrategi.indicators import workspace as own
from kommunestrategi.io import ssb_codes
from ui import own_indicators, session
from ui.textsafe import md_inline

NEW = "__new__"
MAX_CODES = 40


def _key(item: dict, field: str) -> str:
    return f"data_code_{item['table']}_{item['code']}" + (f"_{field}" if field else "")


def _new_fields(item: dict, catalogue: dict, lang: str) -> dict:
    """The widgets of a new indicator for one code, pre-filled from SSB's label and unit."""
    start = {"name": item["label"], "unit": own.suggested_unit(item.get("unit", ""), item["label"]),
             "direction": "neutral", "dimension": own.OTHER_DIMENSION, "sector": own.OTHER_SECTOR,
             "rule": None, "parts": {}, "scale": None}
    return own_indicators.definition_fields(lambda f: _key(item, f), start, catalogue, lang)


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
                    st.error(_("data.codes.invalid", code=md_inline(code), problem=own_indicators.problem_text(exc)))
                    return
                added.append(_("data.codes.added", name=md_inline(indicator.names["nb"]), id=indicator.id))
                done += 1
            elif pick:
                ssb_codes.save_mapping(store, actor, workspace.id, item["table"], code, pick)
                done += 1
        st.session_state.pop("data_result", None)  # validate again with the new mapping
        st.session_state["data_flash"] = " ".join([_("data.codes.saved", count=done), *added])
        st.rerun()
