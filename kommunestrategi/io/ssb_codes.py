"""SSB content codes -> catalogue indicators (``catalogues/ssb_content_codes.yaml``).

A JSON-stat2 answer from Statistikkbanken names its figures by content code
(``ContentsCode``), e.g. ``KOSAG110000``, which nobody can read. Each code is
mapped to a catalogue indicator: by the workspace's own mapping (made on the Data
page), then by this data file (code, then SSB's label), then by the catalogue's
Norwegian name. A code found nowhere is reported with its label and its rows are
left out, so nothing is stored under an unreadable id.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

import yaml

from kommunestrategi.codes import fold_name
from kommunestrategi.config import PACKAGE_DIR

MAPPING_PATH = PACKAGE_DIR / "catalogues" / "ssb_content_codes.yaml"
#: The store setting kind under which a workspace keeps its own code mappings
#: (name ``<table>:<code>``, value an indicator id).
SETTING_KIND = "ssb_code_map"
CONTENT_DIMENSIONS = ("contentscode", "contents", "statistikkvariabel")


@dataclass(frozen=True)
class CodeMapping:
    codes: Mapping[str, Mapping[str, str]]
    labels: Mapping[str, Mapping[str, str]]


@lru_cache(maxsize=1)
def mapping() -> CodeMapping:
    """The bundled mapping, validated against the catalogue (unknown ids are an error)."""
    doc = yaml.safe_load(MAPPING_PATH.read_text(encoding="utf-8")) or {}
    tables = doc.get("tables") or {}
    from kommunestrategi.indicators import load_catalogue

    known = set(load_catalogue())
    codes: dict[str, dict[str, str]] = {}
    labels: dict[str, dict[str, str]] = {}
    for table, entry in tables.items():
        for kind, target in (("codes", codes), ("labels", labels)):
            for key, ident in ((entry or {}).get(kind) or {}).items():
                if ident not in known:
                    raise ValueError(f"{MAPPING_PATH.name}: table {table} {kind} {key!r}: unknown indicator {ident!r}")
                target.setdefault(str(table), {})[fold_name(str(key)) if kind == "labels" else str(key)] = ident
    return CodeMapping(codes, labels)


def content_dimension(columns: list[str]) -> str | None:
    """The column holding the content codes of a parsed JSON-stat frame, if any."""
    return next((c for c in columns if str(c).lower() in CONTENT_DIMENSIONS), None)


def indicator_for(table: str | None, code: str, label: str = "",
                  workspace_map: Mapping[str, str] | None = None) -> str | None:
    """The catalogue id of one content code, or None when it is not mapped anywhere."""
    table = table or ""
    if workspace_map:
        hit = workspace_map.get(f"{table}:{code}")
        if hit:
            return hit
    found = mapping()
    hit = found.codes.get(table, {}).get(code) or found.labels.get(table, {}).get(fold_name(label))
    if hit:
        return hit
    from kommunestrategi.io.validation import indicator_catalogue

    catalogue = indicator_catalogue()
    folded = fold_name(label)
    if folded:
        names = catalogue[catalogue["name_nb"].map(fold_name) == folded]
        if len(names) == 1:
            return str(names["indicator_id"].iloc[0])
    return code if code in set(catalogue["indicator_id"]) else None


def workspace_map(store: object, workspace_id: object) -> dict[str, str]:
    """The workspace's own mapping (``"<table>:<code>" -> indicator id``), empty without a store."""
    if store is None or workspace_id is None:
        return {}
    found = store.list_settings(workspace_id, SETTING_KIND)  # type: ignore[attr-defined]
    return {name: str(value) for (_council, name), value in sorted(found.items()) if value}


def save_mapping(store: object, actor: object, workspace_id: object, table: str, code: str, indicator_id: str) -> None:
    """Map one content code to a catalogue indicator for the workspace (secretariat only)."""
    store.save_setting(actor, workspace_id, SETTING_KIND, f"{table}:{code}", indicator_id)  # type: ignore[attr-defined]


def remove_mapping(store: object, actor: object, workspace_id: object, table: str, code: str) -> None:
    """Unmap one content code for the workspace (secretariat only; the next import lists it again)."""
    store.save_setting(actor, workspace_id, SETTING_KIND, f"{table}:{code}", "")  # type: ignore[attr-defined]
