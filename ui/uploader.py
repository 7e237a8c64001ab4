"""File uploaders that speak the user's language.

Streamlit draws its own English texts in the drop zone ("Drag and drop file
here", "Limit 50MB per file", "Browse files"). Those are hidden here; the page
shows its own caption under the label and the button says "Velg fil".
"""

from __future__ import annotations

import json

import streamlit as st

from kommunestrategi.i18n import Translator


def own_texts(_: Translator) -> None:
    """Replace the drop zone's built-in English texts on this page (call once per run)."""
    # a CSS string: quoted, with quotes and backslashes escaped and no "<" that could end the style
    button = json.dumps(_("data.upload.button"), ensure_ascii=False).replace("<", "\\3c ")
    browse = '[data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"]'
    st.html(f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
{browse} p {{ display: none; }}
{browse}::after {{ content: {button}; }}
</style>""")


def caption(_: Translator, types: list[str], limit_mb: int) -> str:
    """``Dra en fil hit … Filtyper: xlsx, csv. Høyst 50 MB.``"""
    return _("data.upload.caption", types=", ".join(types), limit=limit_mb)
