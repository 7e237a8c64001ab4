"""The boundaries the app shows: the workspace's active uploaded boundaries, or the bundled ones."""

from __future__ import annotations

import logging

import streamlit as st

from kommunestrategi import geo

LOG = logging.getLogger("kommunestrategi.ui")


@st.cache_resource(max_entries=4, show_spinner=False)
def _geography_for_version(database_url: str, version_id: int, label: str) -> geo.Geography:
    from ui.workspace import current_store

    table = current_store().dataset_table(version_id, "boundaries")
    return geo.Geography.from_boundaries(geo.boundaries_from_table(table), label)


def current_geography() -> geo.Geography:
    """The active boundary dataset version of the current workspace, else the bundled map."""
    try:
        from ui.workspace import current_store, current_workspace

        store = current_store()
        workspace = current_workspace()
        version = store.active_dataset_version(workspace.id, "boundaries")
    except Exception:  # noqa: BLE001 - without a store the bundled map still works
        LOG.exception("could not read the active boundaries; using the bundled map")
        return geo.bundled()
    if version is None:
        return geo.bundled()
    return _geography_for_version(str(store.url), version.id, f"{version.file_name} (#{version.id})")


def valid_selection(codes: list[str], geography: geo.Geography) -> list[str]:
    """The selection restricted to units that exist in ``geography``."""
    known = set(geography.units["kommunenummer"])
    return [code for code in codes if code in known]


@st.cache_resource(max_entries=4, show_spinner=False)
def _travel_for_version(database_url: str, version_id: int):
    from ui.workspace import current_store

    return current_store().dataset_table(version_id, "travel_times")


def current_travel_times():
    """The workspace's active travel-time table (long form), or None."""
    try:
        from ui.workspace import current_store, current_workspace

        store = current_store()
        version = store.active_dataset_version(current_workspace().id, "travel_times")
    except Exception:  # noqa: BLE001 - straight-line distances still work
        LOG.exception("could not read the active travel times")
        return None
    return None if version is None else _travel_for_version(str(store.url), version.id)
