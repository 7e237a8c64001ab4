"""A group's figure two ways: as Kolada shows it and as this tool combines it.

Kolada's group values (e.g. "Liknande kommuner", a län) are the **unweighted mean
of the members' values**: a kommun of 2,500 counts as much as one of 250,000.
This tool combines a group as if it were one municipality: a share is the **ratio
of sums** (sum of numerators / sum of denominators, e.g. all 80+ with home help /
all 80+), other figures by the indicator's own rule. The two differ whenever
small and large members differ; both are shown, labelled, so a figure can be
checked against Kolada's site and still be read as the region's own.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np


@dataclass(frozen=True)
class GroupComparison:
    indicator_id: str
    year: int
    members: tuple[str, ...]
    #: Kolada's way: the unweighted mean of the members with a value.
    kolada_mean: float | None
    #: This tool's way: the members combined by the indicator's rule (a ratio of sums for shares).
    tool_value: float | None
    #: How ``tool_value`` was obtained (``ratio``, ``ratio_derived``, ``sum``, ``weighted_mean``...).
    tool_method: str
    #: Members without a figure (left out of both).
    missing: tuple[str, ...]

    @property
    def difference(self) -> float | None:
        if self.kolada_mean is None or self.tool_value is None:
            return None
        return self.tool_value - self.kolada_mean


def compare_group(data: Any, indicator_id: str, year: int, codes: list[str]) -> GroupComparison:
    """The group ``codes`` for one indicator and year, as Kolada's mean and as this tool's figure."""
    members = tuple(dict.fromkeys(codes))
    idx = data.index(members)
    values = np.asarray(data.series(indicator_id, year), dtype=float)[idx]
    have = ~np.isnan(values)
    missing = tuple(code for code, ok in zip(members, have, strict=True) if not ok)
    kolada_mean = float(values[have].mean()) if have.any() else None
    combined = data.combine(indicator_id, year, idx[have], skip_missing=True) if have.any() else None
    tool_value = None if combined is None or combined.value is None else float(combined.value)
    return GroupComparison(indicator_id, int(year), members, kolada_mean, tool_value,
                           combined.method if combined is not None else "missing", missing)
