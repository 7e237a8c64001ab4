"""Imported data as immutable, versioned datasets in the store.

Every confirmed import becomes a new dataset version (who, when, file name,
SHA-256, counts, the validation report and the canonical tables); the store makes
it the active version of its kind. Older versions stay and can be made active
again; nothing is overwritten or deleted. Analysis code reads the active
version through functions here, e.g. ``uploaded_indicator_values``, which also
names the version each figure comes from.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from kommunestrategi.io.importer import store_kind
from kommunestrategi.io.report import ImportReport, ImportResult, ReportLine

INDICATOR_COLUMNS = ["kommunenummer", "indicator_id", "year", "value", "dataset_version"]


class DatasetError(ValueError):
    """An import that may not happen (the file has errors or could not be read)."""

    def __init__(self, result: ImportResult) -> None:
        self.result = result
        super().__init__(f"{result.file_name}: {len(result.report.errors)} error(s), nothing imported")


def report_dicts(report: ImportReport) -> list[dict]:
    """The report as stored: language-neutral lines (code + parameters), rendered on display."""
    return [line.as_dict() for line in report.lines]


def report_from_dicts(file_name: str, lines: list[dict]) -> ImportReport:
    """A stored report back as an ``ImportReport`` (to show it in any language)."""
    report = ImportReport(file_name)
    for line in lines or []:
        known = {k: line.get(k) for k in ("severity", "code", "file", "sheet", "row", "column", "suggestion")}
        report.lines.append(ReportLine(params=dict(line.get("params") or {}), **known))
    return report


def import_result(store: Any, actor: Any, workspace_id: int, result: ImportResult) -> Any:
    """Store a validated file as a new, active dataset version; raises DatasetError if it has errors.

    Returns the store's ``DatasetVersion``.
    """
    if not result.ok:
        raise DatasetError(result)
    counts = dict(result.counts)
    return store.add_dataset_version(
        actor, workspace_id, store_kind(result.kind), result.file_name, result.sha256, counts,
        report_dicts(result.report), {name: frame.copy() for name, frame in result.tables.items()},
    )


def versions(store: Any, workspace_id: int, kind: str | None = None) -> list[Any]:
    """All dataset versions of a workspace (newest first), optionally of one kind."""
    return list(store.list_dataset_versions(workspace_id, store_kind(kind) if kind else None))


def same_file_version(store: Any, workspace_id: int, result: ImportResult) -> Any | None:
    """An earlier version of the same kind made from a file with the same SHA-256, if any."""
    for version in versions(store, workspace_id, result.kind):
        if version.sha256 == result.sha256:
            return version
    return None


def activate(store: Any, actor: Any, workspace_id: int, version_id: int) -> Any:
    """Make an earlier version the active one again (recorded in the store's history)."""
    return store.activate_dataset_version(actor, workspace_id, version_id)


def empty_indicator_values() -> pd.DataFrame:
    return pd.DataFrame({
        "kommunenummer": pd.Series(dtype=str), "indicator_id": pd.Series(dtype=str),
        "year": pd.Series(dtype="int64"), "value": pd.Series(dtype=float),
        "dataset_version": pd.Series(dtype="int64"),
    })


def uploaded_indicator_values(store: Any, workspace_id: int) -> pd.DataFrame:
    """The active uploaded indicator values of a workspace, long form, with their version id.

    Columns ``kommunenummer`` (2024 map unit, text), ``indicator_id``, ``year``,
    ``value``, ``dataset_version``; an empty frame with these columns when nothing
    has been imported.
    """
    version = store.active_dataset_version(workspace_id, "indicators")
    if version is None:
        return empty_indicator_values()
    table = store.dataset_table(version.id, "indicator_values")
    if table is None or len(table) == 0:
        return empty_indicator_values()
    out = pd.DataFrame({
        "kommunenummer": table["kommunenummer"].astype(str).str.zfill(4),
        "indicator_id": table["indicator_id"].astype(str),
        "year": pd.to_numeric(table["year"]).astype("int64"),
        "value": pd.to_numeric(table["value"]).astype(float),
    })
    out["dataset_version"] = int(version.id)
    return out.reset_index(drop=True)


def active_table(store: Any, workspace_id: int, kind: str, table: str) -> tuple[pd.DataFrame | None, Any]:
    """(table, version) of the active version of ``kind``; (None, None) when nothing is imported."""
    version = store.active_dataset_version(workspace_id, store_kind(kind))
    if version is None:
        return None, None
    return store.dataset_table(version.id, table), version


def workspace_country(store: Any, workspace_id: int) -> str:
    """``NO`` or ``SE``: the country the workspace was created for."""
    return str(getattr(store.get_workspace(workspace_id), "country", "NO") or "NO")


#: Geographies built from boundary dataset versions, by (database URL, version id).
_GEOGRAPHIES: dict[tuple[str, int], Any] = {}


def active_geography(store: Any, workspace_id: int, country: str | None = None) -> Any:
    """The workspace's active boundaries as a ``geo.Geography``; the bundled map when none.

    Built once per dataset version and process (the version is immutable). ``country``
    is the workspace's, when the caller has it already (else it is looked up).
    """
    from kommunestrategi import countries, geo

    country = country or workspace_country(store, workspace_id)
    version = store.active_dataset_version(workspace_id, "boundaries")
    if version is None:
        return countries.geography(country)
    key = (str(store.url), version.id)
    cached = _GEOGRAPHIES.get(key)
    if cached is None:
        table = store.dataset_table(version.id, "boundaries")
        cached = countries.geography(country, geo.boundaries_from_table(table),
                                     f"{version.file_name} (#{version.id})")
        if len(_GEOGRAPHIES) >= 4:
            _GEOGRAPHIES.pop(next(iter(_GEOGRAPHIES)))
        _GEOGRAPHIES[key] = cached
    return cached


#: Travel-time tables by (database URL, version id): versions are immutable, and the
#: region builder asks on every rerun.
_TRAVEL_TIMES: dict[tuple[str, int], pd.DataFrame] = {}


def active_travel_times(store: Any, workspace_id: int) -> pd.DataFrame | None:
    """The workspace's active travel-time table (long form), or None (read once per version)."""
    version = store.active_dataset_version(workspace_id, "travel_times")
    if version is None:
        return None
    key = (str(store.url), version.id)
    if key not in _TRAVEL_TIMES:
        if len(_TRAVEL_TIMES) >= 4:
            _TRAVEL_TIMES.pop(next(iter(_TRAVEL_TIMES)))
        _TRAVEL_TIMES[key] = store.dataset_table(version.id, "travel_times")
    return _TRAVEL_TIMES[key]
