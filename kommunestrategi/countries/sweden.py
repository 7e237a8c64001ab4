"""Sweden's 290 kommuner as a geography, with SCB's figures bundled.

Kommunkod: 4 digits, the first two the län (county). Bundled facts
(``data/se_kommuner.csv``, ``data/se_hemtjanst_80plus.csv``; sources in
``data/README.md``): population 31 Dec 2024 (SCB via Kolada N01951), land area
(SCB 2015), inhabitants 80+ in 2019 and 2023 (SCB) and the share of them with home
help in 2023 (Kolada N21704). No boundaries are bundled: without an imported
boundary file a Swedish workspace has figures, tables and regions but no map,
no distances and no neighbours; after importing one (e.g. a GeoJSON with ``id``,
``kom_namn``) it has all of them.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import cached_property, lru_cache
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd

from kommunestrategi import geo
from kommunestrategi.codes import CodeIndex, fold_name
from kommunestrategi.config import BUNDLED_DATA_DIR

COUNTRY = "SE"
#: Population figures are SCB's of 31 December 2024 (the year's end).
POPULATION_YEAR = 2024
AREA_YEAR = 2015
SOURCES = {"population": "SCB (Kolada N01951), 31 Dec 2024", "area": "SCB landareal 2015"}
#: Indicator source names for a Swedish workspace (the catalogue names Norwegian ones).
INDICATOR_SOURCES = {
    "pop_total": "SCB (Kolada N01951)", "area_km2": "SCB", "density": "SCB",
    "pop_80_plus": "SCB", "hjemmetjenester_andel_80_plus": "Kolada N21704 (RKA)",
    "hjemmetjenester_mottakere_80_plus": "Kolada N21704 (RKA) / SCB",
}
_KOMMUNKOD = re.compile(r"^\d{4}$")


def is_kommunkod(value: object) -> bool:
    """A Swedish kommunkod: 4 digits with a län part 01-25."""
    text = str(value).strip()
    return bool(_KOMMUNKOD.match(text)) and 1 <= int(text[:2]) <= 25


@lru_cache(maxsize=1)
def load_units() -> pd.DataFrame:
    """The 290 kommuner with their facts, in the columns the app's unit tables use."""
    raw = pd.read_csv(BUNDLED_DATA_DIR / "se_kommuner.csv", dtype={"kommunkod": str, "lanskod": str})
    units = pd.DataFrame({
        "kommunenummer": raw["kommunkod"].str.zfill(4),
        "name": raw["kommun"],
        "name_no": raw["kommun"],
        "members_2024": raw["kommunkod"].str.zfill(4),
        "kommunenummer_2020": raw["kommunkod"].str.zfill(4),
        "name_2020": raw["kommun"],
        "county_number": raw["lanskod"].str.zfill(2),
        "county": raw["lan"],
        "admin_centre": "",
        "population_2024": raw["folkmangd_2024_12_31"].astype(float),
        "area_km2": raw["landareal_km2_2015"].astype(float),
        "centrality": np.nan,
        "kostragruppe": "",
        "robek": np.nan,
        "cost_need_index": np.nan,
        "language_form": "",
    })
    # ``population``: the figure the region summaries read (of ``POPULATION_YEAR`` here)
    units["population"] = units["population_2024"]
    units["density"] = units["population"] / units["area_km2"]
    return units.sort_values("kommunenummer").reset_index(drop=True)


@lru_cache(maxsize=1)
def home_help_80plus() -> pd.DataFrame:
    """The bundled Kolada N21704 share (2023) and SCB's 80+ population (2019, 2023)."""
    raw = pd.read_csv(BUNDLED_DATA_DIR / "se_hemtjanst_80plus.csv", dtype={"kommunkod": str})
    raw["kommunkod"] = raw["kommunkod"].str.zfill(4)
    return raw


def bundled_values(units: pd.DataFrame | None = None) -> pd.DataFrame:
    """Sweden's bundled figures in the canonical long form (``dataset_version`` ``bundled``)."""
    from kommunestrategi.indicators import BUNDLED_VERSION

    units = load_units() if units is None else units
    facts = load_units().set_index("kommunenummer")
    codes = [c for c in units["kommunenummer"] if c in facts.index]
    help80 = home_help_80plus().set_index("kommunkod").reindex(codes)
    frames = [
        ("pop_total", POPULATION_YEAR, facts.loc[codes, "population_2024"]),
        ("area_km2", AREA_YEAR, facts.loc[codes, "area_km2"]),
        ("area_km2", POPULATION_YEAR, facts.loc[codes, "area_km2"]),
        ("pop_80_plus", 2019, help80["folkmangd_80plus_2019"]),
        ("pop_80_plus", 2023, help80["folkmangd_80plus_2023"]),
        ("hjemmetjenester_andel_80_plus", 2023, help80["andel_80plus_hemtjanst_pct_2023"]),
    ]
    values = pd.concat([
        pd.DataFrame({"kommunenummer": codes, "indicator_id": ident, "year": year,
                      "value": pd.to_numeric(series, errors="coerce").to_numpy(dtype=float)})
        for ident, year, series in frames
    ], ignore_index=True).dropna(subset=["value"])
    values["year"] = values["year"].astype(int)
    values["dataset_version"] = BUNDLED_VERSION
    return values.reset_index(drop=True)


def catalogue() -> dict[str, Any]:
    """The indicator catalogue with Swedish source names where Sweden's figures come from."""
    from kommunestrategi.indicators import load_catalogue

    cat = dict(load_catalogue())
    for ident, source in INDICATOR_SOURCES.items():
        if ident in cat:
            cat[ident] = replace(cat[ident], source=source, ssb_table="")
    return cat


def code_index(units: pd.DataFrame) -> CodeIndex:
    """Lookups from a kommunkod (with or without the leading zero) or a name."""
    names = dict(zip(units["kommunenummer"], units["name"], strict=True))
    by_name = {fold_name(name): code for code, name in names.items()}
    # "Malung-Sälen", "Upplands Väsby": also without the hyphen and with "kommun"
    for code, name in names.items():
        by_name.setdefault(fold_name(name.replace("-", " ")), code)
        by_name.setdefault(fold_name(f"{name} kommun"), code)
    return CodeIndex(unit_by_number={code: code for code in names}, unit_by_name=by_name,
                     number_2024_by_2020={}, number_2020_by_2024={}, names=names)


class SwedishGeography(geo.Geography):
    """The 290 kommuner; polygons only for those in imported boundaries (none by default)."""

    country = COUNTRY
    sources = SOURCES
    population_year = POPULATION_YEAR

    @property
    def has_boundaries(self) -> bool:
        return bool(self.municipalities.geometry.notna().any())

    @cached_property
    def code_index(self) -> CodeIndex:
        return code_index(self.units)

    def _with_geometry(self) -> gpd.GeoDataFrame:
        gdf = self.municipalities
        return gdf[gdf.geometry.notna() & ~gdf.geometry.is_empty]

    @cached_property
    def derived(self) -> dict:
        """Neighbour links and centres of the kommuner that have a polygon (none without boundaries)."""
        if not self.has_boundaries:
            return {"links": [], "centres": {}}
        shapes = self._with_geometry()
        units = self.units[self.units["kommunenummer"].isin(set(shapes["kommunenummer"]))]
        return geo.Geography(units.reset_index(drop=True), shapes.reset_index(drop=True), self.display,
                             self.label, self.structure_year).derived

    @cached_property
    def centres(self) -> pd.DataFrame:
        """Centres (x, y in EPSG:25833, lon/lat) of the kommuner that have a polygon."""
        centres = self.derived["centres"]
        codes = [str(c) for c in self.units["kommunenummer"] if str(c) in centres]
        values = np.array([centres[c] for c in codes], dtype=float).reshape(len(codes), 4)
        return pd.DataFrame({"kommunenummer": pd.Series(codes, dtype=str), "x": values[:, 0],
                             "y": values[:, 1], "lon": values[:, 2], "lat": values[:, 3]}).set_index("kommunenummer")

    def distance_km(self, codes: list[str]) -> pd.DataFrame:
        """Centre distances; NaN for a kommun without a polygon (0 to itself)."""
        pts = self.centres.reindex(codes)[["x", "y"]].to_numpy(dtype=float)
        diff = pts[:, None, :] - pts[None, :, :]
        matrix = np.sqrt((diff ** 2).sum(axis=2)) / 1000.0
        np.fill_diagonal(matrix, 0.0)
        return pd.DataFrame(matrix, index=codes, columns=codes)


def _empty_display() -> dict:
    return {"type": "FeatureCollection", "features": []}


def geography(boundaries: gpd.GeoDataFrame | None = None, label: str | None = None) -> SwedishGeography:
    """Sweden's geography: all 290 kommuner, with ``boundaries`` (columns ``kommunenummer``,
    ``name``, geometry) where imported. Kommuner in the file but not among the 290 are kept
    with their name and no figures."""
    units = load_units().copy()
    if boundaries is None or len(boundaries) == 0:
        gdf = gpd.GeoDataFrame(units.copy(), geometry=gpd.GeoSeries([None] * len(units), crs=4326), crs=4326)
        gdf["structure_year"] = POPULATION_YEAR
        return SwedishGeography(units, gdf, _empty_display(), label or "se-bundled", POPULATION_YEAR)
    from kommunestrategi.geometry import DISPLAY_DECIMALS, DISPLAY_TOLERANCE_M, simplify_coverage

    shapes = boundaries.to_crs(4326)[["kommunenummer", "name", "geometry"]].copy()
    shapes["kommunenummer"] = shapes["kommunenummer"].astype(str).str.zfill(4)
    extra = shapes.loc[~shapes["kommunenummer"].isin(set(units["kommunenummer"])), ["kommunenummer", "name"]]
    if len(extra):
        filler = {c: (np.nan if units[c].dtype.kind == "f" else "") for c in units.columns}
        rows = [{**filler, "kommunenummer": code, "name": name, "name_no": name, "members_2024": code,
                 "kommunenummer_2020": code, "name_2020": name, "county_number": code[:2]}
                for code, name in zip(extra["kommunenummer"], extra["name"], strict=True)]
        units = pd.concat([units, pd.DataFrame(rows)], ignore_index=True)
    units = units.sort_values("kommunenummer").reset_index(drop=True)
    gdf = gpd.GeoDataFrame(units.merge(shapes[["kommunenummer", "geometry"]], on="kommunenummer", how="left"),
                           geometry="geometry", crs=4326)
    gdf["structure_year"] = POPULATION_YEAR
    display_frame = simplify_coverage(shapes, DISPLAY_TOLERANCE_M)
    display = geo.geojson_from_frame(display_frame.sort_values("kommunenummer"), DISPLAY_DECIMALS)
    return SwedishGeography(units, gdf, display, label or "se-uploaded", POPULATION_YEAR)


@lru_cache(maxsize=1)
def bundled() -> SwedishGeography:
    """Sweden without boundaries (figures and tables only)."""
    return geography()


def indicator_data(uploaded: pd.DataFrame | None = None, units: pd.DataFrame | None = None) -> Any:
    """The indicator engine for a Swedish workspace: Sweden's bundled figures plus uploads
    (e.g. imported Kolada files), on the 290 kommuner (or ``units`` of imported boundaries)."""
    from kommunestrategi import indicators

    units = load_units() if units is None else units
    values = indicators.combine_values(bundled_values(units), uploaded, units)
    return indicators.IndicatorData(values, catalogue=catalogue(), units=units)


@lru_cache(maxsize=1)
def bundled_indicator_data() -> Any:
    """The engine over Sweden's bundled figures only (shared by pages and the CLI)."""
    return indicator_data()
