"""Rules for names users give things (workspaces, regions), checked before storing.

A name is shown to other participants and typed on the command line, so it must be
visible, of sensible length and never mistakable for an id:

* not empty, at most :data:`MAX_NAME` characters after trimming;
* no control characters and no invisible format characters (zero-width spaces and
  joiners, direction overrides), which make two different names look the same;
* not only digits (``workspace export 1`` must mean one thing: the id).
"""

from __future__ import annotations

import unicodedata

from kommunestrategi.store.types import StoreError

MAX_NAME = 200


def problem(name: object, max_length: int = MAX_NAME, digits_allowed: bool = False) -> str | None:
    """What is wrong with ``name`` as an English phrase, or None if it is fine."""
    if not isinstance(name, str):
        return "is not text"
    text = name.strip()
    if not text:
        return "is empty"
    if len(text) > max_length:
        return f"is {len(text)} characters long (at most {max_length})"
    bad = sorted({f"U+{ord(ch):04X}" for ch in text if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Cn")
                  or ch in "\u2028\u2029"})
    if bad:
        return f"contains control or invisible characters ({', '.join(bad[:5])})"
    if not digits_allowed and text.isdigit():
        return "is only digits and could be mistaken for an id"
    return None


def checked(name: object, what: str = "workspace name", **rules: object) -> str:
    """``name`` trimmed, or :class:`StoreError` naming the problem."""
    found = problem(name, **rules)  # type: ignore[arg-type]
    if found:
        raise StoreError(f"the {what} {found}")
    return str(name).strip()
