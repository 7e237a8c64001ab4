"""Indicator values in the canonical long form: the bundled facts plus uploaded
datasets (``kommunenummer, indicator_id, year, value, dataset_version``)."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

import pandas as pd

from kommunestrategi import geo
from kommunestrategi.config import BUNDLED_DATA_DIR
from kommunestrategi.indicators.catalogue import BUNDLED_VERSION, VALUE_COLUMNS, load_catalogue

_FACTS = (("pop_total", "population_2024", 2024), ("area_km2", "area_km2", 2024),
          ("centrality", "centrality", 2024), ("cost_need_index", "cost_need_index", 2026),
          ("robek", "robek", 2024))
_AGE_COLUMNS = ("pop_0_5", "pop_6_15", "pop_16_66", "pop_67_79", "pop_80_plus", "pop_total")
#: KOSTRA eldercare shares (percent of inhabitants 80+), combined over a unit's members
#: weighted by their inhabitants 80+ (the ratio rule of the catalogue)
_CARE_COLUMNS = ("hjemmetjenester_andel_80_plus", "sykehjem_andel_80_plus")


def bundled_values(units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Figures bundled with the app, in the canonical long form.

    Population by age group 1 January 2005-2026 in the 2024 borders (SSB 07459),
    land area (09280), centrality class, cost-need index (2026), ROBEK status (2024
    and the register of April 2026) and KOSTRA eldercare 2025 (shares of inhabitants
    80+ with home services and in nursing homes, SSB 12209), for the bundled map
    units or for ``units`` of another geography (e.g. uploaded 2024 boundaries).
    Figures are kept in 2024 numbers and summed into each unit from its members
    (``members_2024``); a unit lacking a member's figure gets none.
    """
    if units is None:
        return _bundled_values_default()
    return _values_from(units)


def _members(units: pd.DataFrame) -> pd.DataFrame:
    """``kommunenummer_2024 -> unit`` for a geography (members_2024, else its own numbers)."""
    if "members_2024" in units:
        pairs = [(str(m), str(u)) for u, members in zip(units["kommunenummer"], units["members_2024"], strict=True)
                 for m in str(members).split()]
    else:
        pairs = [(str(u), str(u)) for u in units["kommunenummer"]]
    return pd.DataFrame(pairs, columns=["number", "unit"]).drop_duplicates("number")


@lru_cache(maxsize=1)
def _age_table() -> pd.DataFrame:
    """Population by age group in 2024 numbers, long form (2005-2026)."""
    wide = pd.read_csv(BUNDLED_DATA_DIR / "befolkning_aldersgrupper_2005_2026.csv", dtype={"kommunenummer": str})
    long = wide.melt(id_vars=["kommunenummer", "year"], value_vars=list(_AGE_COLUMNS),
                     var_name="indicator_id", value_name="value").dropna(subset=["value"])
    return long.rename(columns={"kommunenummer": "number"})


@lru_cache(maxsize=1)
def _care_table() -> pd.DataFrame:
    path = BUNDLED_DATA_DIR / "eldreomsorg_2025.csv"
    if not path.exists():
        return pd.DataFrame(columns=["number", "year", *_CARE_COLUMNS])
    return pd.read_csv(path, dtype={"kommunenummer": str}).rename(columns={"kommunenummer": "number"})


@lru_cache(maxsize=1)
def _robek_table() -> pd.DataFrame:
    path = BUNDLED_DATA_DIR / "robek_2026.csv"
    if not path.exists():
        return pd.DataFrame(columns=["number", "year"])
    return pd.read_csv(path, dtype={"kommunenummer": str}).rename(columns={"kommunenummer": "number"})


@lru_cache(maxsize=1)
def _bundled_values_default() -> pd.DataFrame:
    return _values_from(geo.load_units())


def _sum_complete(frame: pd.DataFrame, members: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """Members' values summed per unit, only where every member of the unit has one."""
    size = members.groupby("unit").size().rename("size")
    joined = frame.merge(members, on="number")
    grouped = joined.groupby(["unit", *keys], sort=True)["value"].agg(["sum", "count"]).reset_index()
    grouped = grouped.join(size, on="unit")
    grouped = grouped[grouped["count"] == grouped["size"]]
    return grouped.rename(columns={"unit": "kommunenummer", "sum": "value"})[["kommunenummer", *keys, "value"]]


def _values_from(units: pd.DataFrame) -> pd.DataFrame:
    members = _members(units)
    ages = _sum_complete(_age_table(), members, ["indicator_id", "year"])
    frames = [ages[["kommunenummer", "indicator_id", "year", "value"]]]
    care = _care_table()
    if len(care):
        weight = _age_table()
        weight = weight[(weight["indicator_id"] == "pop_80_plus")][["number", "year", "value"]]
        for column in _CARE_COLUMNS:
            part = care[["number", "year", column]].dropna().merge(weight, on=["number", "year"], how="left")
            # numerator in persons = share x inhabitants 80+; one member's share needs no weight
            part["value"] = part[column] * part["value"].fillna(0) / 100
            numerators = _sum_complete(part[["number", "year", "value"]], members, ["year"])
            denominators = _sum_complete(weight[weight["year"].isin(set(part["year"]))], members, ["year"])
            shares = numerators.merge(denominators, on=["kommunenummer", "year"], suffixes=("", "_den"))
            shares = shares[shares["value_den"] > 0]
            frames.append(pd.DataFrame({"kommunenummer": shares["kommunenummer"], "indicator_id": column,
                                        "year": shares["year"],
                                        "value": (shares["value"] / shares["value_den"] * 100).round(1)}))
    robek = _robek_table()
    if len(robek):
        listed = set(robek["number"])
        flags = pd.DataFrame({"number": members["number"], "year": int(robek["year"].max()),
                              "value": members["number"].isin(listed).astype(float)})
        flags = _sum_complete(flags, members, ["year"])
        frames.append(flags.assign(indicator_id="robek")[["kommunenummer", "indicator_id", "year", "value"]])
    for ident, column, year in _FACTS:
        if column in units:
            frames.append(pd.DataFrame({"kommunenummer": units["kommunenummer"], "indicator_id": ident,
                                        "year": year, "value": pd.to_numeric(units[column].astype(float),
                                                                             errors="coerce")}))
    values = pd.concat(frames, ignore_index=True).dropna(subset=["value"])
    values = values.drop_duplicates(["kommunenummer", "indicator_id", "year"], keep="first")
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
                   units: pd.DataFrame | None = None, catalogue: Iterable[str] | None = None) -> pd.DataFrame:
    """Bundled and uploaded figures in one table; an upload wins over a bundled figure
    for the same municipality, indicator and year. Indicators outside the catalogue
    (``catalogue``: the ids a workspace knows, by default the bundled catalogue's) and
    unknown municipalities are left out (the importer reports them)."""
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
    known = set(catalogue if catalogue is not None else load_catalogue())
    codes = set((units if units is not None else geo.load_units())["kommunenummer"])
    keep = values["indicator_id"].isin(known) & values["kommunenummer"].isin(codes)
    return values[keep].reset_index(drop=True)
