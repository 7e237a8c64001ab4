"""Each page's view lives in its URL, so a reload, a new tab or a shared link restores it.

Two calls cover a page:

* :func:`widget` before creating a keyed widget: on the first run of a session (a
  reload, a shared link) the widget starts at the value in ``?param=``; on later runs
  the widget's current value is written back to the URL. The value is remembered
  in the session too, so a page switch (which clears the URL) and a return restore it.
* :func:`read` / :func:`write` for state that is not one widget (the map selection).

Values in the URL are stable ids (municipality numbers, measure ids, criterion ids),
never translated labels, so a link works in every language. Lists are comma-separated
(``?valg=5001,5028``). A value equal to the default is left out of the URL.

:func:`copy_link_button` shows a "Kopier lenke" button that copies the page's
current address (with its state) to the clipboard.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from ui import session

_MEMORY_KEY = "_urlstate"  # {param: last value} across page switches in a session
_SEEDED_KEY = "_urlstate_seeded"  # params already seeded from the URL in this session


def _memory() -> dict[str, Any]:
    """The session's last values, per page (two pages may use the same parameter name)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    page = getattr(ctx, "page_script_hash", "") if ctx is not None else ""
    return st.session_state.setdefault(_MEMORY_KEY, {}).setdefault(page, {})


def _encode(value: Any, many: bool) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if many:
        return ",".join(str(v) for v in value)
    return str(value)


def read(param: str, *, options: Iterable[Any] | None = None, many: bool = False,
         parse: Callable[[str], Any] = str) -> Any:
    """The value of ``?param=`` (``None``, or ``[]`` with ``many``, when absent or invalid).

    ``options`` restricts the accepted values (others are dropped); ``parse`` turns
    the text into the value (e.g. ``int``).
    """
    raw = st.query_params.get(param)
    allowed = None if options is None else list(options)

    def ok(text: str) -> Any:
        try:
            value = parse(text)
        except (TypeError, ValueError):
            return None
        return value if allowed is None or value in allowed else None

    if many:
        if not raw:
            return []
        values = [ok(part.strip()) for part in raw.split(",") if part.strip()]
        return list(dict.fromkeys(v for v in values if v is not None))
    if raw is None or raw == "":
        return None
    return ok(raw)


def write(param: str, value: Any, *, default: Any = None, many: bool = False) -> None:
    """Put ``value`` in the URL as ``?param=`` (left out when empty or the default).

    Sends nothing to the browser when the URL already says so.
    """
    _memory()[param] = list(value) if many and value is not None else value
    empty = value is None or value == "" or (many and not list(value)) or value == default
    if empty:
        if param in st.query_params:
            del st.query_params[param]
        return
    text = _encode(value, many)
    if st.query_params.get(param) != text:
        st.query_params[param] = text


def initial(param: str, *, options: Iterable[Any] | None = None, default: Any = None, many: bool = False,
            parse: Callable[[str], Any] = str) -> Any:
    """The value to start from: the URL's, else the session's last one, else ``default``."""
    allowed = None if options is None else list(options)
    if param in st.query_params:
        value = read(param, options=allowed, many=many, parse=parse)
        if value is not None and (not many or value or st.query_params.get(param) == ""):
            return value
    remembered = _memory().get(param)
    if remembered is not None:
        if many:
            remembered = [v for v in remembered if allowed is None or v in allowed]
            return remembered
        if allowed is None or remembered in allowed:
            return remembered
    return default


def widget(key: str, param: str, *, options: Iterable[Any] | None = None, default: Any = None,
           many: bool = False, parse: Callable[[str], Any] = str) -> None:
    """Tie the keyed widget ``key`` to ``?param=``; call it just before creating the widget.

    When the widget has no value yet in this session (first run, reload, shared link,
    or back from another page), it starts at the URL's value, else the last value the
    session had, else ``default``. Otherwise its current value goes to the URL.
    ``options`` are the widget's options: a value outside them is never used.
    """
    allowed = None if options is None else list(options)
    state = st.session_state
    if key not in state or (allowed is not None and not many and state[key] not in allowed):
        value = initial(param, options=allowed, default=default, many=many, parse=parse)
        if value is not None or not many:
            state[key] = value if not many else list(value)
        elif many:
            state[key] = []
        if state[key] is None and default is None and allowed:
            del state[key]  # let the widget choose its own first option
            return
    elif many and allowed is not None:
        kept = [v for v in state[key] if v in allowed]
        if kept != list(state[key]):
            state[key] = kept
    write(param, state[key], default=default, many=many)


def current_url() -> str:
    """The page's address with its current state (for tests and as the copied text)."""
    from urllib.parse import urlencode

    base = getattr(st.context, "url", None) or ""
    query = urlencode(st.query_params.to_dict())
    return f"{base}?{query}" if query else base


_COPY_JS = """
export default function (component) {
  const { parentElement, data } = component;
  const button = parentElement.querySelector("button");
  const status = parentElement.querySelector("[data-status]");
  button.onclick = async () => {
    const url = window.location.href;
    let copied = false;
    try {
      await navigator.clipboard.writeText(url);
      copied = true;
    } catch (error) {
      const field = document.createElement("textarea");
      field.value = url;
      field.setAttribute("readonly", "");
      field.style.position = "fixed";
      field.style.opacity = "0";
      document.body.appendChild(field);
      field.select();
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      field.remove();
    }
    status.textContent = copied ? data.copied : data.failed + " " + url;
  };
}
"""

_COPY_CSS = """
.ks-copy-link { display: flex; align-items: center; gap: 0.6rem; flex-wrap: wrap; }
.ks-copy-link button {
  font: inherit; padding: 0.3rem 0.8rem; border-radius: 0.5rem; cursor: pointer;
  border: 1px solid rgba(49, 51, 63, 0.3); background: #ffffff; color: #262730;
}
.ks-copy-link button:hover { border-color: #1f5f8b; color: #1f5f8b; }
.ks-copy-link button:focus-visible { outline: 3px solid #1f5f8b; outline-offset: 2px; }
.ks-copy-link [data-status] { font-size: 0.875rem; color: #31333f; word-break: break-all; }
"""

_copy_components: dict[str, object] = {}


def copy_link_button(key: str = "copy_link") -> None:
    """A "Kopier lenke" button: copies the page's address (with the view's state) to the clipboard.

    Works on plain http too (a hall's local network), where the clipboard API is not
    available, through the browser's copy command; if even that fails the address is
    shown to copy by hand. The label is in the button's markup (one component per
    language), so it has its accessible name before any script runs.
    """
    import html

    _ = session.translator()
    lang = session.language()
    component = _copy_components.get(lang)
    if component is None:
        label = html.escape(_("urlstate.copy_link"))
        component = _copy_components[lang] = st.components.v2.component(
            f"kommunestrategi_copy_link_{lang}",
            html=f"<div class='ks-copy-link'><button type='button'>{label}</button>"
                 "<span data-status role='status' aria-live='polite'></span></div>",
            css=_COPY_CSS, js=_COPY_JS)
    component(key=key, data={"copied": _("urlstate.copied"), "failed": _("urlstate.copy_failed")},
              width="content")
