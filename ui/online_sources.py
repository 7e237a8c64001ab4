"""The "online sources" section of the Data page: fetch a named SSB table, see stored copies.

``render()`` draws the section and returns ``(data, file_name)`` of the fetched
answer (kept in the session until ``clear()``), which the page runs through the
same validate -> preview -> confirm flow as an uploaded file. Nothing is
imported here.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from kommunestrategi.io import sources
from kommunestrategi.io.online import FetchError
from ui import session

_STATE_KEY = "online_fetched"


def clear() -> None:
    """Forget the fetched answer (after it was imported or discarded)."""
    st.session_state.pop(_STATE_KEY, None)


def render(key: str = "online") -> tuple[bytes, str] | None:
    """Draw the section; returns the fetched answer as (bytes, file name), or None."""
    _ = session.translator()
    lang = session.language()
    st.subheader(_("online.section.title"))
    st.caption(_("online.section.help"))
    choices = sources.ssb_tables(lang)
    labels = dict(choices)
    col_table, col_mode, col_button = st.columns([3, 2, 1], vertical_alignment="bottom")
    table_id = col_table.selectbox(_("online.section.table"), [c[0] for c in choices],
                                   format_func=labels.__getitem__, key=f"{key}_table")
    cache_only = col_mode.toggle(_("online.section.cache_only"), key=f"{key}_cache_only")
    if col_button.button(_("online.section.fetch"), key=f"{key}_fetch", type="primary"):
        try:
            with st.spinner(_("online.section.fetching", source="SSB")):
                result = sources.fetch_ssb(table_id, cache_only=cache_only)
        except FetchError as exc:
            clear()
            st.warning(exc.message(lang))
        else:
            st.session_state[_STATE_KEY] = {
                "data": result.data, "name": sources.import_file_name("SSB", table_id, result),
                "status": result.describe(lang), "stale": result.stale, "label": labels[table_id]}
    fetched = st.session_state.get(_STATE_KEY)
    if fetched:
        (st.warning if fetched["stale"] else st.success)(f"{fetched['label']}: {fetched['status']}")
    stored = sources.stored_answers(lang)
    with st.expander(_("online.section.stored", count=len(stored))):
        if stored:
            frame = pd.DataFrame(stored)[["source", "table", "fetched", "age"]]
            frame.columns = [_("online.section.col_source"), _("online.section.col_table"),
                             _("online.section.col_fetched"), _("online.section.col_age")]
            st.dataframe(frame, hide_index=True, width="stretch")
        else:
            st.caption(_("online.section.none_stored"))
    return (fetched["data"], fetched["name"]) if fetched else None
