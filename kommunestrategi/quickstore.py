"""Read-only look-ups in a SQLite store through the standard library.

Opening the store proper imports SQLAlchemy and Alembic and checks the schema,
which costs more than a whole ``region`` command should. Commands that only need to
know whether a workspace has imported data ask here first and open the store only
when the answer is "yes" or "cannot tell" (not SQLite, no such file, a name that
is not an exact match, a schema this query does not fit). The store stays the
authority: nothing here writes, and every uncertain case falls back to it.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: The open workspace every store has (``kommunestrategi.store.DEMO_WORKSPACE``).
DEMO_WORKSPACE = "Demo"


def sqlite_path(url: str) -> Path | None:
    """The database file of a ``sqlite:///`` URL, or None for other URLs and in-memory databases."""
    if not url.startswith("sqlite:///"):
        return None
    path = url.removeprefix("sqlite:///").split("?", 1)[0]
    return None if path in ("", ":memory:") else Path(path)


def active_kinds(url: str, workspace: str) -> set[str] | None:
    """Dataset kinds with an active version in the Norwegian workspace named exactly ``workspace``.

    None when this cannot be told without the store: not a SQLite file that exists,
    no workspace of exactly that name, a workspace of another country (its default
    map is not the bundled Norwegian one), or a query error.
    """
    path = sqlite_path(url)
    if path is None or not path.is_file() or workspace.strip().isdigit():
        return None
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
            conn.row_factory = sqlite3.Row
            row = conn.execute("SELECT * FROM workspaces WHERE name = ?", (workspace.strip(),)).fetchone()
            if row is None or str(dict(row).get("country") or "NO").upper() != "NO":
                return None
            kinds = conn.execute("SELECT DISTINCT kind FROM dataset_versions WHERE workspace_id = ? AND active",
                                 (row["id"],)).fetchall()
    except sqlite3.Error:
        return None
    return {kind for (kind,) in kinds}
