"""Who this browser is: a lasting participant id and the name typed in "Ditt navn".

The browser keeps a random token in a cookie (set by a tiny script when it first
connects); the store keeps the token's hash with the name. So the name survives a
reload, a new tab of the same browser and a server restart, and edits are logged
under it instead of "Gjest". The token is never put in the URL: a shared link
("Kopier lenke") must not carry the sender's identity.

API for pages and helpers::

    from ui import participant
    me = participant.current()      # Participant(id=..., name=...)
    participant.set_name("Kari")   # stored before it returns
"""

from __future__ import annotations

import logging

import streamlit as st

from kommunestrategi.store import participants as store_participants
from kommunestrategi.store.participants import Participant

LOG = logging.getLogger("kommunestrategi.ui")
COOKIE = "kommunestrategi_deltaker"
COOKIE_MAX_AGE = 400 * 24 * 3600  # the longest browsers keep a cookie
_TOKEN_KEY = "participant_token"
_PARTICIPANT_KEY = "participant"

_COOKIE_JS = """
export default function (component) {
  const { data } = component;
  if (!data || !data.value) { return; }
  const secure = window.location.protocol === "https:" ? "; Secure" : "";
  document.cookie = data.name + "=" + data.value + "; Max-Age=" + data.max_age + "; Path=/; SameSite=Lax" + secure;
}
"""
_cookie_component = None
#: Runs of a session that carry the cookie setter (the first one sets it; the rest are spare).
COOKIE_RUNS = 3
_COOKIE_RUNS_KEY = "_participant_cookie_runs"


def _cookie_token() -> str | None:
    try:
        token = st.context.cookies.get(COOKIE)
    except Exception:  # noqa: BLE001 - no browser connection (tests, scripts)
        return None
    return token if store_participants.valid_token(token) else None


def token() -> str:
    """This browser's token: from the session, else its cookie, else a new one."""
    value = st.session_state.get(_TOKEN_KEY)
    if not store_participants.valid_token(value):
        value = _cookie_token() or store_participants.new_token()
        st.session_state[_TOKEN_KEY] = value
    return value


def current() -> Participant:
    """This browser's participant (created in the store on first use)."""
    cached = st.session_state.get(_PARTICIPANT_KEY)
    if isinstance(cached, Participant):
        return cached
    from ui.workspace import current_store

    participant = store_participants.ensure(current_store(), token())
    st.session_state[_PARTICIPANT_KEY] = participant
    return participant


def name() -> str:
    """The participant's name ("" until one is typed)."""
    try:
        return current().name
    except Exception:  # noqa: BLE001 - the app works without a store; the name is then per session
        LOG.exception("participant store unavailable")
        return ""


def set_name(new_name: str) -> Participant | None:
    """Store the participant's name (committed before it returns)."""
    from ui.workspace import current_store

    try:
        participant = store_participants.rename(current_store(), token(), new_name)
    except Exception:  # noqa: BLE001 - the name still applies to this session
        LOG.exception("could not store the participant's name")
        return None
    st.session_state[_PARTICIPANT_KEY] = participant
    return participant


def remember_in_browser() -> None:
    """Give the browser its token as a cookie (only while it does not have it yet)."""
    global _cookie_component
    value = token()
    if _cookie_token() == value:
        return
    # The browser's cookies are read once per connection, so a first visit would send
    # the setter on every run: the first few runs of a session are enough to set it.
    runs = st.session_state.get(_COOKIE_RUNS_KEY, 0)
    if runs >= COOKIE_RUNS:
        return
    st.session_state[_COOKIE_RUNS_KEY] = runs + 1
    if _cookie_component is None:
        _cookie_component = st.components.v2.component("kommunestrategi_participant_cookie", js=_COOKIE_JS)
    with st.sidebar:
        _cookie_component(key="participant_cookie", data={"name": COOKIE, "value": value,
                                                          "max_age": COOKIE_MAX_AGE},
                          width="content", height="content")
