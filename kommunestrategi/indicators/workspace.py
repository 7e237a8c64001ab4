"""A workspace's own indicators: the catalogue as one workspace sees it.

The bundled catalogue (``catalogues/indicators.yaml``) is the same for everyone. A
secretariat can add to it for its workspace (stored in the table
``workspace_indicators``, :mod:`kommunestrategi.store.workspace_indicators`):

* a **new indicator** for an SSB content code the catalogue does not map (the Data
  page after ``fetch ssb`` or a JSON-stat2 upload): name, unit, dimension, sector,
  direction and aggregation rule, validated like a catalogue entry; the code is then
  mapped to it (``io.ssb_codes``), so a later import of the same table ends in it;
* the **kind** confirmed for an indicator of an uploaded file that the catalogue
  does not know (count, mean, ratio, index): stored as a plain indicator whose
  aggregation rule follows from the kind, so the next upload and the region figures
  use it without asking again.

:func:`workspace_catalogue` is the bundled catalogue plus these; the importer
(:func:`import_choices`) and the indicator engine both read it, so the imported
values appear in the panels under the secretariat's name and unit and combine for a
region by the rule it chose (a ratio or mean is never summed).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

import pandas as pd

from kommunestrategi.codes import fold_name
from kommunestrategi.i18n import LANGUAGES
from kommunestrategi.indicators.catalogue import (
    AGGREGATION_KINDS,
    DIMENSIONS,
    DIRECTIONS,
    SECTORS,
    UNITS,
    Indicator,
    IndicatorCatalogueError,
    _check_references,
    _parse_entry,
    load_catalogue,
)

#: The aggregation rule an indicator of each confirmed kind gets: counts are added;
#: means and shares are weighted by population (labelled so in the panels); an
#: index is shown per member, never combined.
KIND_RULES: dict[str, str] = {"count": "sum", "mean": "weighted_mean:pop_total",
                              "ratio": "weighted_mean:pop_total", "index": "not_aggregable"}
#: The unit of a confirmed kind when the file gives none the catalogue knows.
KIND_UNITS: dict[str, str] = {"count": "number", "mean": "value", "ratio": "value", "index": "index"}
#: The dimension and sector of indicators added by their kind alone.
OTHER_DIMENSION, OTHER_SECTOR = "other", "samlet"
MAX_NAME = 120
_MARKUP = re.compile(r"[<>]")
_FORMULA = re.compile(r"^\s*[=+@]")


class WorkspaceIndicatorError(ValueError):
    """A definition that cannot be stored; the message names the problem (in English, for the
    command line and logs); ``code`` and ``params`` let a page say it in the user's language
    (``own.error.<code>`` in the catalogue; ``invalid`` when there is no more to say)."""

    def __init__(self, message: str, code: str = "invalid", **params: Any) -> None:
        super().__init__(message)
        self.code = code
        self.params = params


def rule_text(kind: str, *, numerator: str = "", denominator: str = "", weight: str = "") -> str:
    """The catalogue's rule text for a chosen kind (``ratio:a/b``, ``weighted_mean:w``, ...)."""
    if kind == "ratio":
        if not numerator or not denominator:
            raise WorkspaceIndicatorError("a ratio of sums needs both a numerator and a denominator", "ratio_parts")
        return f"ratio:{numerator}/{denominator}"
    if kind == "weighted_mean":
        if not weight:
            raise WorkspaceIndicatorError("a weighted mean needs a weight", "weight_missing")
        return f"weighted_mean:{weight}"
    if kind in AGGREGATION_KINDS:
        return kind
    raise WorkspaceIndicatorError(f"aggregation {kind!r} is not one of {', '.join(AGGREGATION_KINDS)}")


def new_id(name: str, taken: set[str] | frozenset[str]) -> str:
    """A catalogue id for a new indicator's name, not in ``taken`` (``_2``, ``_3`` added)."""
    base = re.sub(r"[^a-z0-9]+", "_", fold_name(name)).strip("_")[:48] or "indikator"
    if not base[0].isalpha():
        base = f"i_{base}"
    ident, n = base, 1
    while ident in taken:
        n += 1
        ident = f"{base}_{n}"
    return ident


def _entry(ident: str, data: Mapping[str, Any]) -> dict[str, Any]:
    """A stored definition as a catalogue entry (one name for every language)."""
    name = " ".join(str(data.get("name") or ident).split())[:MAX_NAME]
    entry: dict[str, Any] = {"id": ident, **{f"name_{lang}": name for lang in LANGUAGES}}
    for key, default in (("unit", "value"), ("dimension", OTHER_DIMENSION), ("sector", OTHER_SECTOR),
                         ("direction", "neutral"), ("aggregation", "not_aggregable"),
                         ("source", "SSB"), ("ssb_table", "")):
        entry[key] = str(data.get(key) if data.get(key) is not None else default)
    if data.get("scale") is not None and entry["aggregation"].startswith("ratio:"):
        entry["scale"] = float(data["scale"])
    return entry


def parse(ident: str, data: Mapping[str, Any], known: Mapping[str, Indicator]) -> Indicator:
    """A stored definition as an :class:`Indicator`, checked like a catalogue entry
    (its rule must refer to counts of ``known`` or of itself's workspace)."""
    problems: list[str] = []
    # ids of uploaded files keep their spelling (``Antall_X``); the catalogue's own are lower-case
    safe = ident if re.fullmatch(r"[a-z][a-z0-9_]*", ident) else "workspace_indicator"
    indicator = _parse_entry(_entry(safe, data), 1, problems)
    if indicator is not None:
        indicator = replace(indicator, id=ident)
        _check_references({**known, ident: indicator}, problems)
    if problems or indicator is None:
        raise WorkspaceIndicatorError("; ".join(p.removeprefix("entry 1 ") for p in problems))
    return indicator


def own_indicators(stored: list[Any]) -> dict[str, Indicator]:
    """The workspace's stored definitions as indicators, on top of the bundled catalogue.

    A definition that no longer validates (or that names a bundled id) is left out,
    never allowed to break the panels.
    """
    bundled = load_catalogue()
    out: dict[str, Indicator] = {}
    for item in stored:
        ident = str(item.indicator_id)
        if ident in bundled:
            continue
        try:
            out[ident] = parse(ident, item.data, {**bundled, **out})
        except (WorkspaceIndicatorError, IndicatorCatalogueError, ValueError, TypeError):
            continue
    return out


def _stored(store: Any, workspace_id: Any) -> list[Any]:
    if store is None or workspace_id is None:
        return []
    from kommunestrategi.store import workspace_indicators as table

    return table.list_indicators(store, workspace_id)


def workspace_catalogue(store: Any, workspace_id: Any) -> dict[str, Indicator]:
    """The bundled catalogue plus the workspace's own indicators (bundled order first)."""
    return {**load_catalogue(), **own_indicators(_stored(store, workspace_id))}


def own_catalogue(store: Any, workspace_id: Any) -> dict[str, Indicator]:
    """Only the workspace's own indicators."""
    return own_indicators(_stored(store, workspace_id))


def catalogue_rows(own: Mapping[str, Indicator]) -> tuple[tuple[tuple[str, Any], ...], ...]:
    """The own indicators as rows of the importer's catalogue table (hashable)."""
    rows = []
    for ind in own.values():
        rows.append((("indicator_id", ind.id), ("unit", ind.unit), ("aggregation", ind.aggregation),
                     ("name_nb", ind.names["nb"]), ("ssb_table", ind.ssb_table),
                     ("min", ind.min), ("max", ind.max)))
    return tuple(rows)


def import_choices(store: Any, workspace_id: Any, *, accept_splits: bool = False,
                   indicator_kinds: Mapping[str, str] | None = None) -> Any:
    """The importer's choices for a file read into this workspace: its SSB content-code
    mapping and its own indicators (with the user's choices for this one file)."""
    from kommunestrategi.io import ssb_codes
    from kommunestrategi.io.validation import ImportChoices

    code_map = ssb_codes.workspace_map(store, workspace_id)
    own = own_catalogue(store, workspace_id)
    return ImportChoices(accept_splits=accept_splits, indicator_kinds=dict(indicator_kinds) if indicator_kinds
                         else None, code_map=code_map or None, catalogue_extra=catalogue_rows(own) or None)


def check(name: str, unit: str, dimension: str, direction: str, sector: str) -> None:
    """Raise :class:`WorkspaceIndicatorError` naming the first field out of its choices."""
    if not " ".join(str(name or "").split()):
        raise WorkspaceIndicatorError("the name is empty", "name_empty")
    if _MARKUP.search(name) or _FORMULA.match(name):
        raise WorkspaceIndicatorError("the name may not hold markup or start like a formula (=, +, @)", "name_unsafe")
    for key, value, allowed in (("unit", unit, tuple(UNITS)), ("dimension", dimension, DIMENSIONS),
                                ("direction", direction, DIRECTIONS), ("sector", sector, SECTORS)):
        if value not in allowed:
            raise WorkspaceIndicatorError(f"{key} {value!r} is not one of {', '.join(allowed)}")


def add_indicator(store: Any, actor: Any, workspace_id: Any, *, name: str, unit: str, dimension: str,
                  direction: str, aggregation: str, sector: str = OTHER_SECTOR, scale: float | None = None,
                  table: str = "", code: str = "", label: str = "") -> Indicator:
    """Define a new indicator for the workspace and map SSB ``table``/``code`` to it.

    The definition is validated like a catalogue entry first (units, dimensions,
    directions, sectors and the aggregation rule's references); nothing is stored
    when it fails. Returns the new indicator.
    """
    from kommunestrategi.io import ssb_codes
    from kommunestrategi.store import workspace_indicators as table_mod

    check(name, unit, dimension, direction, sector)
    known = workspace_catalogue(store, workspace_id)
    ident = new_id(name, frozenset(known))
    data: dict[str, Any] = {"name": " ".join(name.split())[:MAX_NAME], "unit": unit, "dimension": dimension,
                            "sector": sector, "direction": direction, "aggregation": aggregation,
                            "source": "SSB" if table else "", "ssb_table": table if re.fullmatch(r"\d{5}", table
                                                                                                 or "") else ""}
    if scale is not None and aggregation.startswith("ratio:"):
        data["scale"] = float(scale)
    if code:
        data["ssb_code"], data["ssb_label"] = code, label
    if not data["source"]:
        data["source"] = "Arbeidsflaten"
    indicator = parse(ident, data, known)
    table_mod.save_indicator(store, actor, workspace_id, ident, data)
    if table and code:
        ssb_codes.save_mapping(store, actor, workspace_id, table, code, ident)
    return indicator


def file_units(values: pd.DataFrame | None) -> dict[str, str]:
    """The catalogue unit of each indicator of an imported table, where its file names one
    the catalogue knows ("prosent" -> ``percent``)."""
    if values is None or "unit" not in values or values.empty:
        return {}
    from kommunestrategi.io.validation import normalise_unit

    out: dict[str, str] = {}
    for ident, units in values.groupby("indicator_id")["unit"]:
        common = Counter(str(u) for u in units if str(u or "").strip()).most_common(1)
        code = normalise_unit(common[0][0]) if common else None
        if code in UNITS:
            out[str(ident)] = code
    return out


def save_kinds(store: Any, actor: Any, workspace_id: Any, kinds: Mapping[str, str],
               units: Mapping[str, str] | None = None) -> list[str]:
    """Store the kinds confirmed for indicators the catalogue does not know.

    Each becomes a workspace indicator (name = its id, the file's unit where known,
    dimension "other", aggregation by its kind); a bundled id or an unchanged kind is
    skipped. Returns the ids stored.
    """
    from kommunestrategi.store import workspace_indicators as table_mod

    bundled = load_catalogue()
    existing = {s.indicator_id: s.data for s in _stored(store, workspace_id)}
    saved = []
    for ident, kind in sorted(kinds.items()):
        if kind not in KIND_RULES or ident in bundled or not re.fullmatch(r"[A-Za-z][A-Za-z0-9_.\-]{0,63}", ident):
            continue
        before = existing.get(ident) or {}
        if before.get("kind") == kind:
            continue
        unit = (units or {}).get(ident) or KIND_UNITS[kind]
        data = {**before, "name": before.get("name") or ident, "unit": before.get("unit") or unit,
                "kind": kind, "aggregation": KIND_RULES[kind]}
        data.setdefault("dimension", OTHER_DIMENSION)
        data.setdefault("sector", OTHER_SECTOR)
        data.setdefault("direction", "neutral")
        data.setdefault("source", "Arbeidsflaten")
        table_mod.save_indicator(store, actor, workspace_id, ident, data)
        saved.append(ident)
    return saved


def file_indicator_ids(result: Any) -> set[str]:
    """The indicators a validated file named: its values' and those its report asks a kind for."""
    ids = {str(i) for i in (getattr(result, "counts", {}) or {}).get("indicators", [])}
    for line in getattr(getattr(result, "report", None), "lines", []):
        if line.code in ("merged_needs_kind", "split_needs_kind") and line.params.get("indicator"):
            ids.add(str(line.params["indicator"]))
    return ids


def stored_kinds(store: Any, workspace_id: Any) -> dict[str, str]:
    """``indicator id -> kind`` of the workspace's own indicators (from the kind, or its rule)."""
    out = {}
    for ind in own_catalogue(store, workspace_id).values():
        kind = ind.rule.kind
        out[ind.id] = {"sum": "count", "weighted_mean": "mean", "ratio": "ratio"}.get(kind, "index")
    return out


def suggested_unit(unit_text: str, label: str = "") -> str:
    """The catalogue unit an SSB unit text and label suggest ("prosent" -> ``percent``;
    "kr" with "per innbygger" in the label -> ``nok_per_inhabitant``); ``value`` otherwise."""
    from kommunestrategi.io.validation import normalise_unit

    code = normalise_unit(unit_text or "")
    folded = fold_name(label)
    if code == "nok" and "per innbygger" in folded:
        return "nok_per_inhabitant"
    if code == "nok" and "1000" in folded.replace(" ", ""):
        return "nok_1000"
    return code if code in UNITS else ("percent" if "prosent" in folded or "andel" in folded else "value")


def suggested_rule(unit: str) -> str:
    """The aggregation kind a unit suggests: counts are added, a share or per-inhabitant
    figure is weighted by population, anything else is not combined."""
    if unit in ("persons", "number", "nok_1000", "places", "person_years", "municipalities", "km2"):
        return "sum"
    if unit in ("percent", "nok_per_inhabitant", "per_10000", "value", "days", "points", "pupils"):
        return "weighted_mean"
    return "not_aggregable"


def count_indicators(catalogue: Mapping[str, Indicator]) -> list[str]:
    """Indicators a ratio or a weighted mean may refer to: the counts (rule ``sum``)."""
    return [i for i, ind in catalogue.items() if ind.rule.kind == "sum"]
