"""Indicator values in the canonical long form: the bundled facts plus uploaded
datasets (``kommunenummer, indicator_id, year, value, dataset_version``)."""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from kommunestrategi import geo
from kommunestrategi.config import BUNDLED_DATA_DIR
from kommunestrategi.indicators.catalogue import BUNDLED_VERSION, VALUE_COLUMNS, load_catalogue

_FACTS = (("pop_total", "population_2024", 2024), ("area_km2", "area_km2", 2024),
          ("centrality", "centrality", 2024), ("cost_need_index", "cost_need_index", 2026),
          ("robek", "robek", 2024))


def bundled_values(units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures bundled with the app, in the canonical long form.

    Population by age group 1 Jan 2020-2023 and population 1 Jan 2024 (SSB 07459),
    land area (09280), centrality class, cost-need index (2026) and ROBEK status,
    for the bundled map units or for ``units`` of another geography (e.g. uploaded
    2024 boundaries). Age figures of a bundled unit that stands for several 2024
    municipalities (Ålesund and Haram) are left out where that geography splits it.
    """
    if units is None:
        return _bundled_values_default()
    base = geo.load_units()
    ages = _age_table()
    merged = base.loc[base["members_2024"].str.contains(" "), ["kommunenummer", "members_2024"]]
    same = set()
    if "members_2024" in units:
        here = dict(zip(units["kommunenummer"], units["members_2024"], strict=True))
        same = {c for c, m in zip(merged["kommunenummer"], merged["members_2024"], strict=True)
                if here.get(c) == m}
    ages = ages[~ages["kommunenummer"].isin(set(merged["kommunenummer"]) - same)]
    return _values_from(ages, units)


@lru_cache(maxsize=1)
def _age_table() -> pd.DataFrame:
    ages = pd.read_csv(BUNDLED_DATA_DIR / "befolkning_aldersgrupper.csv", dtype={"kommunenummer": str})
    return ages[["kommunenummer", "indicator_id", "year", "value"]]


@lru_cache(maxsize=1)
def _bundled_values_default() -> pd.DataFrame:
    return _values_from(_age_table(), geo.load_units())


def _values_from(ages: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    frames = [ages]
    for ident, column, year in _FACTS:
        if column in units:
            frames.append(pd.DataFrame({"kommunenummer": units["kommunenummer"], "indicator_id": ident,
                                        "year": year, "value": pd.to_numeric(units[column].astype(float),
                                                                             errors="coerce")}))
    values = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    values["year"] = values["year"].astype(int)
    values["value"] = values["value"].astype(float)
    values["dataset_version"] = BUNDLED_VERSION
    return values.reset_index(drop=True)


def uploaded_values(store: object, workspace_id: object) -> pd.DataFrame:
    """Uploaded figures of a workspace (empty when there are none or no store)."""
    if store is None or workspace_id is None:
        return pd.DataFrame(columns=list(VALUE_COLUMNS))
    from kommunestrategi import datasets  # the import area's module; optional at run time
    return datasets.uploaded_indicator_values(store, workspace_id)


def combine_values(bundled: pd.DataFrame, uploaded: pd.DataFrame | None,
                   units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Bundled and uploaded figures in one table; an upload wins over a bundled figure
    for the same municipality, indicator and year. Unknown indicators and
    municipalities are left out (the importer reports them)."""
    frames = [bundled]
    if uploaded is not None and len(uploaded):
        up = uploaded.loc[:, [c for c in VALUE_COLUMNS if c in uploaded.columns]].copy()
        if "dataset_version" not in up:
            up["dataset_version"] = "upload"
        up["kommunenummer"] = up["kommunenummer"].astype(str).str.zfill(4)
        up["year"] = pd.to_numeric(up["year"], errors="coerce")
        up["value"] = pd.to_numeric(up["value"], errors="coerce")
        up = up.dropna(subset=["year", "value"])
        up["year"] = up["year"].astype(int)
        up["dataset_version"] = up["dataset_version"].astype(str)
        frames.insert(0, up)
    values = pd.concat(frames, ignore_index=True)
    values = values.drop_duplicates(["kommunenummer", "indicator_id", "year"], keep="first")
    known = set(load_catalogue())
    codes = set((units if units is not None else geo.load_units())["kommunenummer"])
    keep = values["indicator_id"].isin(known) & values["kommunenummer"].isin(codes)
    return values[keep].reset_index(drop=True)
