"""Older municipality numbers in an indicator file: what was translated (old -> new,
with the shares of a split), whether a figure may be added up, and sharing out the
counts of a split municipality over its successors (once the user accepted it)."""

from __future__ import annotations

import pandas as pd

from kommunestrategi import geo
from kommunestrategi.io import validation as v
from kommunestrategi.io.report import ImportReport


def _catalogue_aggregation(indicator_id: str) -> str:
    catalogue = v.indicator_catalogue()
    hit = catalogue.loc[catalogue["indicator_id"] == indicator_id, "aggregation"]
    return str(hit.iloc[0]) if len(hit) else ""


def targets_text(targets: tuple[tuple[str, float], ...], index: object) -> str:
    names = getattr(index, "names", {})
    units = getattr(index, "unit_by_number", {})
    return ", ".join(f"{n} {names.get(units.get(n, n), '')}".strip() for n, _s in targets)


def translated(regions: list[v.Region], index: object) -> list[dict]:
    """Old numbers found in the file: ``from``, ``to`` (2024 numbers), ``weights``, ``by``."""
    out: dict[str, dict] = {}
    by_2020 = getattr(index, "number_2024_by_2020", {})
    for region in regions:
        if not region.old_number or not region.number or region.number in out:
            continue
        if region.targets:
            shares = v.split_shares(region.targets)
            to = [n for n, _s in shares]
            weights = [round(s, 4) for _n, s in shares]
        else:
            to = list(by_2020.get(region.number, (region.unit,)))
            weights = [1.0] * len(to) if len(to) == 1 else [None] * len(to)
        out[region.number] = {"from": region.number, "to": to, "weights": weights,
                              "unit": region.unit, "split": region.kind == "split",
                              "by": region.translated_by or "2020"}
    return [out[k] for k in sorted(out)]


def additive(indicator_id: str) -> bool | None:
    """Whether an indicator's figures may be added up: from the catalogue's aggregation
    rule, else from the kind the user confirmed (``count``); None when unknown."""
    rule = _catalogue_aggregation(indicator_id)
    if rule:
        return rule == "sum"
    kind = (v.current_choices().indicator_kinds or {}).get(indicator_id)
    if kind:
        return kind == "count"
    return None


def expand_splits(out: pd.DataFrame, splits: dict, report: ImportReport) -> pd.DataFrame:
    """Counts of a split old municipality shared out over its successors by the shares
    (accepted by the user); other figures are left out with a warning."""
    is_split = out["kommunenummer"].isna()
    if not is_split.any():
        return out
    index = geo.code_index()
    extra: list[dict] = []
    refused: set[tuple[str, str]] = set()
    for row in out[is_split].to_dict("records"):
        ident, number = str(row["indicator_id"]), str(row["source_number"])
        if additive(ident) is not True:
            refused.add((number, ident))
            continue
        per_unit: dict[str, float] = {}
        for target, share in v.split_shares(splits[number]):
            unit = index.unit_by_number[target]
            per_unit[unit] = per_unit.get(unit, 0.0) + share
        for unit, share in per_unit.items():
            extra.append({**row, "kommunenummer": unit, "value": float(row["value"]) * share})
    for number, ident in sorted(refused):
        kind = "split_needs_kind" if additive(ident) is None else "split_not_count"
        report.warning(kind, number=number, indicator=ident)
    kept = out[~is_split]
    return pd.concat([kept, pd.DataFrame(extra, columns=out.columns)], ignore_index=True) if extra else kept
