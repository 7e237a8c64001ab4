"""The indicator values the pages show: bundled figures plus the workspace's active
uploaded indicator dataset, on the current geography. Built once per dataset version."""

from __future__ import annotations

import logging

import pandas as pd
import streamlit as st

from kommunestrategi import indicators
from kommunestrategi.indicators import workspace
from ui.geography import current_geography

LOG = logging.getLogger("kommunestrategi.ui")


@st.cache_resource(max_entries=6, show_spinner=False)
def _engine(geography_label: str, database_url: str, workspace_id: int | None, version_id: int | None,
            own_key: tuple, _units: pd.DataFrame | None) -> indicators.IndicatorData:
    """One engine per geography, indicator dataset version and revision of the
    workspace's own indicators (the cache keys)."""
    from ui.workspace import current_store

    uploaded = None
    if version_id is not None:
        from kommunestrategi import datasets

        uploaded = datasets.uploaded_indicator_values(current_store(), workspace_id)
    if geography_label.startswith("SE:"):
        from kommunestrategi.countries import sweden

        return sweden.indicator_data(uploaded, _units)
    catalogue = workspace.workspace_catalogue(current_store(), workspace_id) if own_key else None
    return indicators.build_data(uploaded, _units, catalogue)


def _active_version() -> tuple[str, int | None, int | None, tuple]:
    """(store URL, workspace id, active indicator dataset version id, the workspace's own
    indicators as ``(id, version)`` pairs) or Nones."""
    try:
        from kommunestrategi.store import workspace_indicators
        from ui.workspace import current_store, current_workspace

        store = current_store()
        current = current_workspace()
        version = store.active_dataset_version(current.id, "indicators")
        own = tuple((s.indicator_id, s.version) for s in workspace_indicators.list_indicators(store, current.id))
        return str(store.url), current.id, (version.id if version is not None else None), own
    except Exception:  # noqa: BLE001 - without a store the bundled figures still work
        LOG.exception("could not read the active indicator dataset; using the bundled figures")
        return "", None, None, ()


def current_indicator_data() -> indicators.IndicatorData:
    """The engine for the current workspace and geography."""
    from ui import session

    memo = session.run_memo()
    found = memo.get("indicator_data")
    if found is None:
        found = memo["indicator_data"] = _current_indicator_data()
    return found


def _current_indicator_data() -> indicators.IndicatorData:
    geography = current_geography()
    url, workspace_id, version_id, own = _active_version()
    if getattr(geography, "country", "NO") == "SE":
        if not geography.has_boundaries and version_id is None:
            from kommunestrategi.countries import sweden

            return sweden.bundled_indicator_data()
        return _engine(f"SE:{geography.label}", url, workspace_id, version_id, (), geography.units)
    if geography.label == "bundled" and version_id is None and not own:
        return indicators.bundled_data()
    units = None if geography.label == "bundled" else geography.units
    return _engine(geography.label, url, workspace_id, version_id, own, units)
