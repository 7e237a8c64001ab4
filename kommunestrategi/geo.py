"""Boundaries: loading, neighbours, centres, distances, contiguity.

The canonical ``municipalities`` table is a GeoDataFrame with one row per map unit
(``kommunenummer`` as text, 4 digits), its facts and its geometry in EPSG:4326.
Areas and distances are computed in EPSG:25833 (UTM 33N), the national standard.

Neighbour links (``border``, ``gap``, ``sea``; see :mod:`kommunestrategi.neighbours`)
and centres are derived from the geometry once: the bundled boundaries carry them in
``data/kommuner_avledet.json`` (written by ``scripts/build_data.py``), uploaded
boundaries keep them in ``<data dir>/cache/neighbours/`` under a key of their hash.
So a region's figures and contiguity need neither the polygons nor geopandas;
those are loaded only when a map or an area calculation asks for them.
"""

from __future__ import annotations

import gzip
import json
import os
import tempfile
from collections.abc import Callable
from functools import cached_property, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from kommunestrategi import bundledmap
from kommunestrategi import neighbours as _nb
from kommunestrategi.codes import CodeIndex, UnknownMunicipality, build_index
from kommunestrategi.config import BUNDLED_DATA_DIR
from kommunestrategi.regions import POPULATION_YEAR, UnitFacts

if TYPE_CHECKING:
    import geopandas as gpd
    import networkx as nx

METRIC_CRS = 25833
#: Municipalities closer than this (metres) across water only, without a shared
#: border, are neighbours across a short gap (islands, fjords, ferry links).
GAP_NEIGHBOUR_M = _nb.GAP_NEIGHBOUR_M
#: Municipalities facing each other across open sea within this (metres) are sea neighbours.
SEA_NEIGHBOUR_M = _nb.SEA_NEIGHBOUR_M
#: Borders shorter than this (metres) are treated as a corner touch, not a border.
MIN_BORDER_M = _nb.MIN_BORDER_M
#: Link kinds, from the closest tie to the loosest.
LINK_KINDS = _nb.KINDS
#: The bundled boundaries, and what is derived from them.
BOUNDARIES_FILE = bundledmap.BOUNDARIES_FILE
DERIVED_FILE = bundledmap.DERIVED_FILE

_CODE_COLUMNS = {"kommunenummer": str, "kommunenummer_2020": str, "county_number": str,
                 "members_2024": str}


def _read_geojson(name: str) -> dict:
    return json.loads(gzip.decompress((BUNDLED_DATA_DIR / name).read_bytes()))


def _rings_as_arrays(coords: list) -> list | np.ndarray:
    if coords and isinstance(coords[0][0], (int, float)):
        return np.asarray(coords, dtype=float)
    return [_rings_as_arrays(part) for part in coords]


def geojson_with_array_rings(collection: dict) -> dict:
    """The same GeoJSON with each ring as an (n, 2) numpy array.

    Plotly deep-copies a figure's GeoJSON; copying a few hundred arrays is about
    ten times faster than copying a hundred thousand small lists, and plotly
    serialises the arrays as plain JSON lists.
    """
    return {
        "type": "FeatureCollection",
        "features": [
            {**feature, "geometry": {"type": feature["geometry"]["type"],
                                     "coordinates": _rings_as_arrays(feature["geometry"]["coordinates"])}}
            for feature in collection["features"]
        ],
    }


def geojson_from_frame(gdf: gpd.GeoDataFrame, decimals: int) -> dict:
    """A FeatureCollection with the kommunenummer as feature id (rings as arrays)."""
    import shapely

    geoms = shapely.set_precision(gdf.geometry.to_crs(4326).to_numpy(), 10 ** -decimals)
    features = [
        {"type": "Feature", "id": code, "properties": {"kommunenummer": code},
         "geometry": json.loads(shapely.to_geojson(geom))}
        for code, geom in zip(gdf["kommunenummer"], geoms, strict=True)
    ]
    return geojson_with_array_rings({"type": "FeatureCollection", "features": features})


#: Whether a set of units forms one connected area, and over which links.
Contiguity = _nb.Contiguity


#: Derived links and centres by boundary key, for this process (a few boundary sets).
_DERIVED: dict[str, dict] = {}


def _remember(key: str, derived: dict) -> dict:
    if len(_DERIVED) >= 4:
        _DERIVED.pop(next(iter(_DERIVED)))
    _DERIVED[key] = derived
    return derived


def _cache_dir() -> Path:
    from kommunestrategi import config

    return config.data_dir() / "cache" / "neighbours"


def derive(codes: list[str], geoms_metric: Any) -> dict:
    """What the analysis needs from polygons (EPSG:25833): neighbour links and centres.

    The centre is the polygon's centroid when it falls inside the municipality,
    otherwise a point guaranteed inside (islands, crescent-shaped municipalities).
    """
    import shapely
    from pyproj import Transformer

    geoms = np.asarray(geoms_metric, dtype=object)
    centroid = shapely.centroid(geoms)
    point = np.where(shapely.within(centroid, geoms), centroid, shapely.point_on_surface(geoms))
    xy = shapely.get_coordinates(point)
    lon, lat = Transformer.from_crs(METRIC_CRS, 4326, always_xy=True).transform(xy[:, 0], xy[:, 1])
    return {
        "algorithm": _nb.ALGORITHM,
        "links": _nb.compute_links(list(codes), geoms),
        "centres": {str(code): [round(float(x), 1), round(float(y), 1), round(float(lo), 6), round(float(la), 6)]
                    for code, x, y, lo, la in zip(codes, xy[:, 0], xy[:, 1], lon, lat, strict=True)},
    }


class Geography:
    """One set of municipality boundaries with their facts, and the analyses on them.

    The bundled default (``bundled()``) has the 356 units of 2020-2023 numbered
    with 2024 numbers; an uploaded boundary file (e.g. the 2024 structure with 357
    municipalities) becomes a ``Geography`` through ``from_boundaries``.
    Derived structures (neighbour links, centres, code index) are built once, on
    first use; ``municipalities`` and ``display`` may be given as functions that
    load them on first use.
    """

    #: The year of the ``population`` column (1 January).
    population_year = POPULATION_YEAR

    def __init__(self, units: pd.DataFrame, municipalities: gpd.GeoDataFrame | Callable[[], gpd.GeoDataFrame],
                 display: dict | Callable[[], dict], label: str, structure_year: int,
                 stored: Callable[[], dict | None] | None = None) -> None:
        self.units = units
        self._municipalities = municipalities
        self._display = display
        self._stored = stored
        self.label = label
        self.structure_year = structure_year

    @cached_property
    def municipalities(self) -> gpd.GeoDataFrame:
        source = self._municipalities
        return source() if callable(source) else source

    @cached_property
    def display(self) -> dict:
        source = self._display
        return source() if callable(source) else source

    @cached_property
    def by_code(self) -> pd.DataFrame:
        """``units`` indexed by kommunenummer (built once; treat as read-only)."""
        return self.units.set_index("kommunenummer")

    @cached_property
    def code_index(self) -> CodeIndex:
        return build_index(self.units)

    @cached_property
    def derived(self) -> dict:
        """Neighbour links and centres: stored with the data, from the disk cache, or computed."""
        stored = self._stored() if self._stored is not None else None
        if stored is not None and stored.get("algorithm") == _nb.ALGORITHM:
            return stored
        gdf = self.municipalities.to_crs(METRIC_CRS)
        codes = [str(c) for c in gdf["kommunenummer"]]
        geoms = gdf.geometry.to_numpy()
        key = _nb.boundary_key(codes, geoms)
        if key in _DERIVED:
            return _DERIVED[key]
        path = _cache_dir() / f"{key}.json"
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
            if cached.get("algorithm") == _nb.ALGORITHM:
                return _remember(key, cached)
        except (OSError, ValueError):
            pass
        result = _remember(key, derive(codes, geoms))
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=path.parent,
                                             suffix=".tmp", delete=False) as tmp:
                json.dump(result, tmp, ensure_ascii=False, separators=(",", ":"))
            os.replace(tmp.name, path)
        except OSError:
            pass  # a read-only data folder: keep the result for this process only
        return result

    @cached_property
    def links(self) -> tuple[dict, ...]:
        """Every neighbour link: ``{"a", "b", "kind", "distance_m"}`` with ``a < b``, sorted."""
        return tuple(self.derived["links"])

    @property
    def unit_codes(self) -> list[str]:
        """Every unit's number, in table order."""
        return [str(code) for code in self.units["kommunenummer"]]

    @cached_property
    def adjacency(self) -> dict[str, dict[str, str]]:
        """Unit number -> {neighbour number: link kind}, for every unit."""
        return _nb.adjacency(self.unit_codes, self.links)

    @cached_property
    def _unit_table(self) -> pd.DataFrame:
        return self.units.set_index("kommunenummer")

    def member_facts(self, codes: list[str]) -> dict[str, UnitFacts]:
        """Name, county, population and area of each unit in ``codes`` (None: no figure)."""
        units = self._unit_table
        unknown = [code for code in codes if code not in units.index]
        if unknown:
            raise UnknownMunicipality(unknown[0])

        def figure(value: Any) -> float | None:
            return None if pd.isna(value) else float(value)

        return {code: UnitFacts(name=str(units.at[code, "name"]), county=str(units.at[code, "county"]),
                                population=figure(units.at[code, "population"]),
                                area_km2=figure(units.at[code, "area_km2"]))
                for code in codes}

    def member_centres(self, codes: list[str]) -> dict[str, tuple[float, float] | None]:
        """Centre (x, y, EPSG:25833 metres) of each unit in ``codes``; None without a polygon."""
        centres = self.derived["centres"]
        return {code: (float(centres[code][0]), float(centres[code][1])) if code in centres else None
                for code in codes}

    @cached_property
    def centres(self) -> pd.DataFrame:
        """A centre point per unit in EPSG:25833 (x, y metres) and lon/lat."""
        centres = self.derived["centres"]
        codes = [str(c) for c in self.units["kommunenummer"]]
        values = np.array([centres[c] for c in codes], dtype=float).reshape(len(codes), 4)
        return pd.DataFrame({"kommunenummer": codes, "x": values[:, 0], "y": values[:, 1],
                             "lon": values[:, 2], "lat": values[:, 3]}).set_index("kommunenummer")

    @cached_property
    def neighbour_graph(self) -> nx.Graph:
        """All units as nodes; an edge per pair of neighbours.

        Edge attributes: ``kind`` (``"border"`` for a shared border, ``"gap"`` for
        less than ``GAP_NEIGHBOUR_M`` across water only, ``"sea"`` for facing across
        open sea within ``SEA_NEIGHBOUR_M``) and ``distance_m`` (0 for a border).
        """
        import networkx as nx

        graph = nx.Graph()
        graph.add_nodes_from(self.adjacency)
        for link in self.links:
            graph.add_edge(link["a"], link["b"], kind=link["kind"], distance_m=link["distance_m"])
        return graph

    def distance_km(self, codes: list[str]) -> pd.DataFrame:
        """Straight-line distances between unit centres, km, as a square DataFrame."""
        pts = self.centres.loc[codes, ["x", "y"]].to_numpy()
        diff = pts[:, None, :] - pts[None, :, :]
        matrix = np.sqrt((diff ** 2).sum(axis=2)) / 1000.0
        return pd.DataFrame(matrix, index=codes, columns=codes)

    def neighbours(self, code: str, include_gap: bool = True) -> list[str]:
        """Neighbouring unit numbers of a unit, sorted (``include_gap=False``: shared borders only)."""
        return sorted(other for other, kind in self.adjacency.get(code, {}).items()
                      if include_gap or kind == "border")

    def contiguity(self, codes: list[str]) -> Contiguity:
        """Connectivity of ``codes`` over shared borders, short water gaps and the sea."""
        population = self._unit_table["population"]
        members = list(dict.fromkeys(codes))
        figures = {code: (None if pd.isna(population.get(code)) else population.get(code)) for code in members}
        return _nb.contiguity(members, self.adjacency, figures)

    @classmethod
    def from_boundaries(cls, boundaries: gpd.GeoDataFrame, label: str) -> Geography:
        """A geography from uploaded boundaries (columns ``kommunenummer``, ``name``, geometry).

        The boundaries are expected simplified already (as ``io.geofiles`` does);
        facts come from the bundled 2024 table, so a 2024 structure gets its
        population, area, county and groups; numbers without facts keep their name
        and have no figures (shown as missing, never as zero).
        """
        import geopandas as gpd

        from kommunestrategi.geometry import DISPLAY_DECIMALS, DISPLAY_TOLERANCE_M, simplify_coverage

        gdf = boundaries.to_crs(4326)[["kommunenummer", "name", "geometry"]].copy()
        gdf["kommunenummer"] = gdf["kommunenummer"].astype(str)
        facts = load_facts_2024()
        units = gdf[["kommunenummer", "name"]].merge(
            facts.drop(columns=["name"]), on="kommunenummer", how="left")
        units["county"] = units["county"].fillna("")
        units["kommunenummer_2020"] = units["kommunenummer"].map(
            lambda code: _number_2020.get(code, code))
        units["members_2024"] = units["kommunenummer"]
        units["name_2020"] = units["name"]
        units["population"] = _population_column(units["members_2024"])
        units["density"] = units["population"] / units["area_km2"]
        municipalities = gpd.GeoDataFrame(
            units.merge(gdf[["kommunenummer", "geometry"]], on="kommunenummer"),
            geometry="geometry", crs=4326)
        municipalities["structure_year"] = 2024

        def display() -> dict:
            display_frame = simplify_coverage(gdf, DISPLAY_TOLERANCE_M)
            return geojson_from_frame(display_frame.sort_values("kommunenummer"), DISPLAY_DECIMALS)

        return cls(units.sort_values("kommunenummer").reset_index(drop=True),
                   municipalities.sort_values("kommunenummer").reset_index(drop=True),
                   display, label, 2024)


def boundaries_to_table(boundaries: gpd.GeoDataFrame) -> pd.DataFrame:
    """Boundaries as a plain table for the store (geometry as WKB hex, EPSG:4326)."""
    import shapely

    gdf = boundaries.to_crs(4326)
    return pd.DataFrame({
        "kommunenummer": gdf["kommunenummer"].astype(str).to_numpy(),
        "name": gdf["name"].astype(str).to_numpy(),
        "geometry_wkb": shapely.to_wkb(gdf.geometry.to_numpy(), hex=True),
    })


def boundaries_from_table(table: pd.DataFrame) -> gpd.GeoDataFrame:
    """The inverse of ``boundaries_to_table``."""
    import geopandas as gpd
    import shapely

    return gpd.GeoDataFrame(
        {"kommunenummer": table["kommunenummer"].astype(str).str.zfill(4).to_numpy(),
         "name": table["name"].astype(str).to_numpy()},
        geometry=shapely.from_wkb(table["geometry_wkb"].to_numpy()), crs=4326)


class _Number2020(dict):
    """2024 number -> 2020 number, read lazily from the bundled correspondence."""

    def get(self, key, default=None):  # type: ignore[override]
        if not self:
            from kommunestrategi.codes import code_changes

            changes = code_changes()
            self.update(zip(changes.kommunenummer_2024, changes.kommunenummer_2020, strict=True))
        return super().get(key, default)


_number_2020 = _Number2020()


@lru_cache(maxsize=1)
def load_facts_2024() -> pd.DataFrame:
    """Facts for the 357 municipalities of 2024 (bundled), one row each."""
    return pd.read_csv(BUNDLED_DATA_DIR / "kommuner_2024.csv",
                       dtype={"kommunenummer": str, "county_number": str}).fillna(
        {"kostragruppe": "", "language_form": ""})


def _bundled_municipalities(units: pd.DataFrame) -> gpd.GeoDataFrame:
    import geopandas as gpd

    features = _read_geojson(BOUNDARIES_FILE)["features"]
    geoms = gpd.GeoDataFrame.from_features(features, crs=4326)
    gdf = units.merge(geoms[["kommunenummer", "geometry"]], on="kommunenummer",
                      how="left", validate="1:1")
    gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs=4326)
    gdf["structure_year"] = 2020
    return gdf


def bundled_derived(data_dir: Path | None = None) -> dict | None:
    """The links and centres stored with the bundled boundaries (see ``bundledmap.bundled_derived``)."""
    return bundledmap.bundled_derived(data_dir)


def _population_column(members_2024: pd.Series) -> pd.Series:
    """Population 1 January ``POPULATION_YEAR`` of each unit (the sum over its 2024 members)."""
    figures = bundledmap.latest_population()
    values = [bundledmap.unit_population(members, figures) for members in members_2024]
    if any(value is None for value in values):
        return pd.Series([np.nan if v is None else float(v) for v in values], index=members_2024.index)
    return pd.Series(values, index=members_2024.index, dtype="int64")


@lru_cache(maxsize=1)
def bundled() -> Geography:
    """The bundled default geography (2020 boundaries, 2024 numbers and figures)."""
    units = pd.read_csv(BUNDLED_DATA_DIR / "kommuner.csv", dtype=_CODE_COLUMNS)
    units["kostragruppe"] = units["kostragruppe"].fillna("")
    units["language_form"] = units["language_form"].fillna("")
    units["population"] = _population_column(units["members_2024"])
    units["density"] = units["population"] / units["area_km2"]
    return Geography(units, lambda: _bundled_municipalities(units),
                     lambda: geojson_with_array_rings(_read_geojson("kommuner_kart.geojson.gz")),
                     "bundled", 2020, stored=bundled_derived)


# The bundled geography through plain functions: what most callers need.

def load_units() -> pd.DataFrame:
    """The bundled fact table, one row per map unit (no geometry)."""
    return bundled().units


def load_municipalities() -> gpd.GeoDataFrame:
    """The canonical municipalities GeoDataFrame (bundled data, EPSG:4326)."""
    return bundled().municipalities


def display_geojson() -> dict:
    """The coarser boundaries for the national map (feature id = number, rings as arrays)."""
    return bundled().display


def code_index() -> CodeIndex:
    """Lookups from any 2020/2024 number or name to a bundled map unit."""
    return bundled().code_index


def centres() -> pd.DataFrame:
    return bundled().centres


def neighbour_graph() -> nx.Graph:
    return bundled().neighbour_graph


def links() -> tuple[dict, ...]:
    return bundled().links


def distance_km(codes: list[str]) -> pd.DataFrame:
    return bundled().distance_km(codes)


def neighbours(code: str, include_gap: bool = True) -> list[str]:
    return bundled().neighbours(code, include_gap)


def contiguity(codes: list[str]) -> Contiguity:
    return bundled().contiguity(codes)
