"""Shows the numbers behind a chart as a table, in a closed expander under it.

A small table is a real HTML ``<table>`` (``st.table``: a screen reader reads it row by
row, column headers and all); a long one (every municipality) a sortable, searchable
grid. Cells (and headers) are escaped, since ``st.table`` renders Markdown. The cells are text already formatted the language's way
(:mod:`kommunestrategi.chart_tables`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ui import session
from ui.textsafe import md

#: Longer than this, a table is a scrolling grid rather than a page-long HTML table.
LONG = 40


def show(table: pd.DataFrame, *, key: str, label: str | None = None) -> None:
    """An expander "Tallene i tabell" (or ``label``) holding ``table``."""
    _ = session.translator()
    with st.expander(label or _("charts.numbers"), icon=":material/table:", key=f"numbers_{key}"):
        if table.empty:
            st.caption(_("charts.numbers_none"))
        elif len(table) > LONG:
            st.dataframe(table, hide_index=True, width="stretch", key=f"numbers_grid_{key}")
        else:
            # st.table renders Markdown in its cells: names typed by users are escaped
            escaped = table.map(md)
            escaped.columns = [md(c) for c in table.columns]
            st.table(escaped, hide_index=True)
