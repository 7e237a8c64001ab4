"""SSB content codes -> catalogue indicators (``catalogues/ssb_content_codes.yaml``).

A JSON-stat2 answer from Statistikkbanken names its figures by content code
(``ContentsCode``), e.g. ``KOSAG110000``, which nobody can read. Each code is
mapped to a catalogue indicator: by the workspace's own mapping (made on the Data
page), then by this data file (code, then SSB's label), then by the catalogue's
Norwegian name. A code found nowhere is reported with its label and its rows are
left out, so nothing is stored under an unreadable id.

A code mapped by code is cross-checked against SSB's label of it in the answer
(:func:`lookup`): when the label disagrees with what the data file expects of that
code, the code is refused (reported with both texts) instead of being mapped.
"""

from __future__ import annotations

import re
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
    #: ``table -> code -> words`` SSB's label of a code must hold ("a|b": either)
    label_has: Mapping[str, Mapping[str, tuple[str, ...]]] = None  # type: ignore[assignment]


def label_key(label: str) -> str:
    """A label as compared: folded, a trailing unit in brackets ("(prosent)") left out."""
    return fold_name(re.sub(r"\s*\([^()]*\)\s*$", "", str(label or "")))


@lru_cache(maxsize=1)
def mapping() -> CodeMapping:
    """The bundled mapping, validated against the catalogue (unknown ids are an error)."""
    doc = yaml.safe_load(MAPPING_PATH.read_text(encoding="utf-8")) or {}
    tables = doc.get("tables") or {}
    from kommunestrategi.indicators import load_catalogue

    known = set(load_catalogue())
    codes: dict[str, dict[str, str]] = {}
    labels: dict[str, dict[str, str]] = {}
    words: dict[str, dict[str, tuple[str, ...]]] = {}
    for table, entry in tables.items():
        for kind, target in (("codes", codes), ("labels", labels)):
            for key, value in ((entry or {}).get(kind) or {}).items():
                ident = value.get("indicator") if isinstance(value, dict) else value
                if ident not in known:
                    raise ValueError(f"{MAPPING_PATH.name}: table {table} {kind} {key!r}: unknown indicator {ident!r}")
                target.setdefault(str(table), {})[label_key(str(key)) if kind == "labels" else str(key)] = ident
                if isinstance(value, dict) and value.get("label_has"):
                    words.setdefault(str(table), {})[str(key)] = tuple(fold_name(w) for w in value["label_has"])
    return CodeMapping(codes, labels, words)


def expected_labels(table: str, ident: str) -> list[str]:
    """The labels the data file lists for ``ident`` in ``table`` (compared form)."""
    return sorted(k for k, v in mapping().labels.get(table, {}).items() if v == ident)


def label_agrees(table: str, code: str, ident: str, label: str) -> bool:
    """Whether SSB's ``label`` of ``code`` fits the indicator the file maps it to (no label: yes)."""
    if not str(label or "").strip() or label == code:
        return True
    key = label_key(label)
    if key in expected_labels(table, ident):
        return True
    words = (mapping().label_has or {}).get(table, {}).get(code)
    if words:
        return all(any(alt in key for alt in word.split("|")) for word in words)
    return not expected_labels(table, ident)   # nothing to compare with


@dataclass(frozen=True)
class Lookup:
    indicator: str | None
    #: set when the data file maps the code but SSB's label of it disagrees (then refused)
    conflict: str | None = None


def lookup(table: str | None, code: str, label: str = "",
           workspace_map: Mapping[str, str] | None = None) -> Lookup:
    """The catalogue id of one content code, cross-checked against SSB's label.

    The workspace's own mapping (a deliberate choice) wins unchecked. A code the data
    file maps whose label disagrees gives ``Lookup(None, conflict=<what was expected>)``.
    """
    table = table or ""
    if workspace_map:
        hit = workspace_map.get(f"{table}:{code}")
        if hit:
            return Lookup(hit)
    found = mapping()
    by_code = found.codes.get(table, {}).get(code)
    if by_code:
        if label_agrees(table, code, by_code, label):
            return Lookup(by_code)
        from kommunestrategi.indicators import load_catalogue

        return Lookup(None, conflict=load_catalogue()[by_code].name("nb"))
    return Lookup(indicator_for(table, code, label))


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
    by_code = found.codes.get(table, {}).get(code)
    if by_code:
        return by_code if label_agrees(table, code, by_code, label) else None
    hit = found.labels.get(table, {}).get(label_key(label))
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
