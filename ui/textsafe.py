"""Streamlit glue for showing user text as text (see :mod:`kommunestrategi.textsafe`).

``md`` / ``md_inline`` escape for any Markdown-rendering element; :func:`error`
shows an exception's message (which may quote user input) as escaped text.
"""

from __future__ import annotations

import streamlit as st

from kommunestrategi.textsafe import break_autolinks, md, md_inline, plain

__all__ = ["md", "md_inline", "plain", "break_autolinks", "error", "bold"]


def bold(value: object) -> str:
    """User text in bold, for ``st.markdown``."""
    text = md_inline(value)
    return f"**{text}**" if text else ""


def error(exc: BaseException | str, target=None) -> None:
    """``st.error`` with the message escaped (store errors quote names users typed)."""
    (target or st).error(md_inline(str(exc)))
