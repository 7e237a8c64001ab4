"""Per-browser-session state: language and the current map selection."""

from __future__ import annotations

import logging
import re
import uuid
from collections.abc import Callable

import streamlit as st

from kommunestrategi.i18n import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES, Translator

LOG = logging.getLogger("kommunestrategi.ui")
SELECTION_KEY = "selection"
QUERY_SELECTION = "valg"


#: What one script run (or fragment run) looked up once: workspace, boundaries, indicator data.
_RUN_MEMO = "_run_memo"


def new_run() -> None:
    """Start a run's memo afresh (the top of app.py, the top of every fragment, after a write)."""
    st.session_state[_RUN_MEMO] = {}


def run_memo() -> dict:
    """This run's memo: store lookups every page repeats several times per run.

    A run sees one state of the store; anything that changes the active workspace or
    datasets during a run calls :func:`new_run` afterwards.
    """
    memo = st.session_state.get(_RUN_MEMO)
    if not isinstance(memo, dict):
        memo = {}
        st.session_state[_RUN_MEMO] = memo
    return memo


def fragment(func: Callable | None = None, **options):
    """``st.fragment`` whose every run starts with a fresh run memo."""
    import functools

    def decorate(body: Callable):
        @functools.wraps(body)
        def run(*args, **kwargs):
            new_run()
            return body(*args, **kwargs)
        return st.fragment(run, **options)

    return decorate(func) if func is not None else decorate


def language() -> str:
    """The language chosen in the sidebar (Norwegian bokmål by default)."""
    lang = st.session_state.get("lang")
    if lang not in LANGUAGES:
        lang = st.query_params.get("lang", DEFAULT_LANGUAGE)
        lang = lang if lang in LANGUAGES else DEFAULT_LANGUAGE
        st.session_state["lang"] = lang
    return lang


#: The current workspace's country (``NO``/``SE``), set by the sidebar on every run.
COUNTRY_KEY = "_workspace_country"


def translator() -> Translator:
    """The texts in the chosen language, with a Swedish workspace's own variants (``se.<key>``)."""
    from kommunestrategi.countries.texts import CountryTranslator

    return CountryTranslator(language(), st.session_state.get(COUNTRY_KEY, "NO"))


def country() -> str:
    """``NO`` or ``SE``: the country of the current workspace."""
    return st.session_state.get(COUNTRY_KEY, "NO")


def language_picker() -> None:
    """The sidebar's language selector; remembered in the URL so a refresh keeps it."""
    current = language()
    _ = Translator(current)
    choice = st.sidebar.selectbox(
        _("app.language"), LANGUAGES, index=LANGUAGES.index(current),
        format_func=LANGUAGE_NAMES.__getitem__, key="lang_picker",
    )
    if choice != current:
        st.session_state["lang"] = choice
        st.query_params["lang"] = choice
        st.rerun()


def selection() -> list[str]:
    """The municipalities currently selected (map unit numbers), in the order they were picked.

    A new session (a reload, a shared link) starts from the URL's ``?valg=5001,5028``.
    """
    if SELECTION_KEY not in st.session_state:
        raw = st.query_params.get(QUERY_SELECTION) or ""
        codes = [c.strip() for c in raw.split(",") if re.fullmatch(r"\d{4}", c.strip())]
        st.session_state[SELECTION_KEY] = list(dict.fromkeys(codes))
    return list(st.session_state[SELECTION_KEY])


def set_selection(codes: list[str]) -> None:
    st.session_state[SELECTION_KEY] = list(dict.fromkeys(codes))
    selection_to_url()


def selection_to_url() -> None:
    """Put the selection in the page's URL (``?valg=``); pages showing it call this every run."""
    from ui import urlstate

    urlstate.write(QUERY_SELECTION, selection(), many=True)


def guarded(page: Callable[[], None]) -> None:
    """Run a page; any unexpected error becomes a plain message with a reference.

    The traceback goes to the server log only, never to the user.
    """
    try:
        page()
    except Exception:  # noqa: BLE001 - the boundary that keeps tracebacks from users
        ref = uuid.uuid4().hex[:8]
        LOG.exception("page error %s", ref)
        st.error(translator()("app.error", ref=ref))
