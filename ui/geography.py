"""The boundaries the app shows: the workspace's active uploaded boundaries, or the bundled ones."""

from __future__ import annotations

import logging
import weakref

import pandas as pd

from kommunestrategi import datasets, geo

LOG = logging.getLogger("kommunestrategi.ui")


def current_geography() -> geo.Geography:
    """The active boundary dataset version of the current workspace, else the bundled map."""
    from ui import session
    from ui.workspace import current_store, current_workspace

    memo = session.run_memo()
    found = memo.get("geography")
    if found is not None:
        return found
    try:
        workspace = current_workspace()
        found = datasets.active_geography(current_store(), workspace.id,
                                          str(getattr(workspace, "country", "") or "NO"))
    except Exception:  # noqa: BLE001 - the bundled map still works when the store cannot be read
        LOG.exception("could not read the active boundaries; using the bundled map")
        return geo.bundled()
    memo["geography"] = found
    return found


def current_travel_times() -> pd.DataFrame | None:
    """The workspace's active travel-time table (long form), or None."""
    from ui.workspace import current_store, current_workspace

    try:
        return datasets.active_travel_times(current_store(), current_workspace().id)
    except Exception:  # noqa: BLE001 - straight-line distances still work
        LOG.exception("could not read the active travel times")
        return None


_LABELS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def code_labeller(geography: geo.Geography):
    """``"5001 Trondheim"`` for a number (one dict per boundary set and process)."""
    labels = _LABELS.get(geography)
    if labels is None:
        labels = {code: f"{code} {name}" for code, name in geography.by_code["name"].items()}
        _LABELS[geography] = labels
    return labels.__getitem__


def valid_selection(codes: list[str], geography: geo.Geography) -> list[str]:
    """The selection restricted to units that exist in ``geography``."""
    known = geography.by_code.index
    return [code for code in codes if code in known]
