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
    button = json.dumps(_("data.upload.button"))  # a CSS string: quoted and escaped
    st.html(f"""<style>
[data-testid="stFileUploaderDropzoneInstructions"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: {button}; font-size: 0.875rem; }}
</style>""")


def caption(_: Translator, types: list[str], limit_mb: int) -> str:
    """``Dra en fil hit … Filtyper: xlsx, csv. Høyst 50 MB.``"""
    return _("data.upload.caption", types=", ".join(types), limit=limit_mb)
