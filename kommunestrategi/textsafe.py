"""Showing user-supplied text as text.

Participant names, workspace names, saved-region names, custom service-area names,
answers and uploaded file names reach other users' screens. Streamlit renders
captions, headers, notices, expander and tab labels and ``st.markdown`` as Markdown
(links, images, emphasis, ``:red[...]`` directives, ``$...$`` LaTeX), so such text is
escaped before it is placed in any of them: ``[Logg inn her](http://...)`` and
``![p](http://...)`` then show exactly as typed, never as a live link or a remote
image in a viewer's browser.

Rules for code that renders:

* :func:`md` for multi-line user text inside Markdown (line breaks kept);
* :func:`md_inline` for user text inside a one-line Markdown context (captions,
  headers, labels, translated messages with a ``{name}`` placeholder);
* :func:`plain` where the text is shown by a plain-text widget (``st.text``,
  ``st.code``, selectbox options) but should still lose control characters.

This module does not import Streamlit, so the store, exports and CLI can use it too.
"""

from __future__ import annotations

import re

__all__ = ["md", "md_inline", "plain", "break_autolinks", "plotly_figure", "MARKDOWN_SPECIAL"]

#: Characters with a meaning anywhere in a line: emphasis, code, links and images
#: (``[``/``]``), HTML and autolinks (``<``/``>``), LaTeX (``$``), strikethrough,
#: table cells, Streamlit directives (``:red[x]``) and e-mail autolinks (``@``).
#: CommonMark shows any backslash-escaped ASCII punctuation literally.
MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>$~|:@])")
#: ``&amp;``-style entities would be decoded; escape the ``&`` of anything entity-like.
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: Block markers, meaningful only at the start of a line: headings, lists, quotes,
#: thematic breaks and setext underlines.
_LINE_START = re.compile(r"^(\d*)([#+\-=>.)])")
#: Autolink literals (``http://``, ``www.``, ``a@b.no``) and Streamlit's ``:material/x:``
#: icons and ``:emoji:`` codes are found in the rendered text, after escapes are
#: resolved; an invisible word joiner (U+2060) after the ``:``, ``@`` or ``www``
#: breaks them while the text reads the same.
_JOIN_AFTER = re.compile(r"(?<=[:@])(?=\S)|(?<=\bwww)(?=\.)", re.IGNORECASE)
WORD_JOINER = "\u2060"
_WHITESPACE = re.compile(r"\s+")
#: C0/C1 control characters (except tab and line breaks) and the Unicode
#: bidirectional overrides/isolates that can make text read differently from what
#: is stored (``Trondheim\u202egnp.exe``).
_INVISIBLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff]")


def plain(value: object) -> str:
    """``value`` as text without control characters or direction overrides."""
    text = "" if value is None else str(value)
    return _INVISIBLE.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def _escape(text: str) -> str:
    text = MARKDOWN_SPECIAL.sub(r"\\\1", text)
    text = _ENTITY.sub(r"\\&", text)
    text = _LINE_START.sub(r"\1\\\2", text)
    return break_autolinks(text)


def break_autolinks(text: str) -> str:
    """``text`` (already Markdown-escaped) with autolinks, icons and emoji codes broken
    by an invisible word joiner, so a bare ``http://...`` is not made a live link."""
    return _JOIN_AFTER.sub(WORD_JOINER, text)


def md(value: object) -> str:
    """User text for a Markdown renderer, shown literally; line breaks stay line breaks.

    Leading spaces are kept as non-breaking spaces so an indented line is not
    turned into a code block.
    """
    lines = []
    for line in plain(value).split("\n"):
        stripped = line.lstrip(" \t")
        indent = len(line) - len(stripped)
        lines.append("\u00a0" * indent + _escape(stripped.rstrip()))
    return "  \n".join(lines)


def md_inline(value: object, limit: int | None = None) -> str:
    """User text for a one-line Markdown context (caption, header, label, message).

    Whitespace runs (line breaks included) become one space; with ``limit`` the text
    is cut to that many characters (before escaping) and ends with ``…``.
    """
    text = _WHITESPACE.sub(" ", plain(value)).strip()
    if limit is not None and len(text) > limit:
        text = text[: max(0, limit - 1)].rstrip() + "…"
    return _escape(text)


#: The start or end of an ``<a>`` element: plotly.js turns ``<a href="...">`` in any
#: figure text (titles, hover labels, trace names, tick labels) into a live link.
_PLOTLY_LINK = re.compile(r"<(?=\s*/?\s*a\b)", re.IGNORECASE)
#: Trace properties that may carry user text (names of regions, scenarios, service
#: points, arrangements, own indicators).
_TRACE_TEXT = ("name", "text", "hovertext", "customdata", "x", "y", "labels", "ids", "legendgroup")


def _unlinked(value: object) -> tuple[object, bool]:
    """``value`` with every ``<a`` written as ``&lt;a`` (plotly shows the entity as
    ``<``), and whether anything changed. Lists, tuples and object arrays are walked."""
    if isinstance(value, str):
        if "<" not in value:
            return value, False
        new = _PLOTLY_LINK.sub("&lt;", value)
        return new, new != value
    if isinstance(value, (list, tuple)) or getattr(value, "dtype", None) is not None and value.dtype == object:
        changed = False
        items = []
        for item in value:
            new, hit = _unlinked(item)
            items.append(new)
            changed = changed or hit
        return (items if changed else value), changed
    return value, False


def plotly_figure(fig):
    """``fig`` with no user text able to become a link (changed in place, returned).

    plotly.js renders a subset of HTML in figure text, ``<a href>`` among it, so a
    region named ``<a href="http://...">Logg inn</a>`` would be a live link in a chart's
    labels. Only ``<a`` is neutralised (the app's own ``<br>``/``<b>`` markup stays);
    figures without such text are not touched, so this costs a scan, not a rebuild.
    """
    try:
        traces = fig.data
    except AttributeError:  # a finished spec whose to_dict() is the spec itself (ui.mapview.SpecFigure)
        _unlink_spec(fig.to_dict())
        return fig
    for trace in traces:
        for prop in _TRACE_TEXT:
            try:
                current = trace[prop]
            except (KeyError, ValueError):
                continue
            new, changed = _unlinked(current)
            if changed:
                trace[prop] = new
    layout = fig.layout
    for path in ("title.text", "legend.title.text"):
        _set_unlinked(layout, path)
    for note in layout.annotations or ():
        new, changed = _unlinked(note.text)
        if changed:
            note.text = new
    for axis in (*fig.select_xaxes(), *fig.select_yaxes()):
        for path in ("title.text", "ticktext", "categoryarray"):
            _set_unlinked(axis, path)
    return fig


def _set_unlinked(layout, path: str) -> None:
    obj = layout
    parts = path.split(".")
    for part in parts[:-1]:
        obj = obj[part]
        if obj is None:
            return
    new, changed = _unlinked(obj[parts[-1]])
    if changed:
        obj[parts[-1]] = new


def _unlink_spec(spec: dict) -> None:
    """:func:`plotly_figure` for a figure given as a plain dict (changed in place)."""
    def fix(holder: object, key: str) -> None:
        if isinstance(holder, dict) and key in holder:
            new, changed = _unlinked(holder[key])
            if changed:
                holder[key] = new

    for trace in spec.get("data") or ():
        for prop in _TRACE_TEXT:
            fix(trace, prop)
    layout = spec.get("layout") or {}
    for key, value in layout.items():
        if key == "title" or key.startswith(("xaxis", "yaxis", "legend")):
            if isinstance(value, dict):
                title = value.get("title") if key != "title" else value
                fix(title if isinstance(title, dict) else value, "text" if isinstance(title, dict) else "title")
                fix(value, "ticktext")
                fix(value, "categoryarray")
            elif key == "title":
                fix(layout, "title")
    for note in layout.get("annotations") or ():
        fix(note, "text")
