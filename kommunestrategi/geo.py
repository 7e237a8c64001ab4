"""Boundaries: loading, neighbours, centres, distances, contiguity.

The canonical ``municipalities`` table is a GeoDataFrame with one row per map unit
(``kommunenummer`` as text, 4 digits), its facts and its geometry in EPSG:4326.
Areas and distances are computed in EPSG:25833 (UTM 33N), the national standard.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations

import geopandas as gpd
import networkx as nx
import numpy as np
import pandas as pd
import shapely

from kommunestrategi.codes import CodeIndex, build_index
from kommunestrategi.config import BUNDLED_DATA_DIR

METRIC_CRS = 25833
#: Municipalities closer than this (metres) without a shared border count as
#: neighbours across water (islands, fjords, ferry links); such links are flagged.
GAP_NEIGHBOUR_M = 5_000.0
#: Borders shorter than this (metres) are treated as a corner touch, not a border.
MIN_BORDER_M = 1.0

_CODE_COLUMNS = {"kommunenummer": str, "kommunenummer_2020": str, "county_number": str,
                 "members_2024": str}


@lru_cache(maxsize=1)
def load_units() -> pd.DataFrame:
    """The bundled fact table, one row per map unit (no geometry)."""
    units = pd.read_csv(BUNDLED_DATA_DIR / "kommuner.csv", dtype=_CODE_COLUMNS)
    units["kostragruppe"] = units["kostragruppe"].fillna("")
    units["language_form"] = units["language_form"].fillna("")
    units["density"] = units["population_2024"] / units["area_km2"]
    return units


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


@lru_cache(maxsize=1)
def display_geojson() -> dict:
    """The coarser boundaries for the national map (feature id = number, rings as arrays)."""
    return geojson_with_array_rings(_read_geojson("kommuner_kart.geojson.gz"))


@lru_cache(maxsize=1)
def load_municipalities() -> gpd.GeoDataFrame:
    """The canonical municipalities GeoDataFrame (bundled data, EPSG:4326)."""
    features = _read_geojson("kommuner_grenser.geojson.gz")["features"]
    geoms = gpd.GeoDataFrame.from_features(features, crs=4326)
    gdf = load_units().merge(geoms[["kommunenummer", "geometry"]], on="kommunenummer",
                             how="left", validate="1:1")
    gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs=4326)
    gdf["structure_year"] = 2020
    return gdf


@lru_cache(maxsize=1)
def code_index() -> CodeIndex:
    """Lookups from any 2020/2024 number or name to a bundled map unit."""
    return build_index(load_units())


@lru_cache(maxsize=1)
def centres() -> pd.DataFrame:
    """A centre point per unit in EPSG:25833 (x, y metres) and lon/lat.

    The centre is the polygon's centroid when it falls inside the municipality,
    otherwise a point guaranteed inside (islands, crescent-shaped municipalities).
    """
    gdf = load_municipalities().to_crs(METRIC_CRS)
    centroid = gdf.geometry.centroid
    inside = centroid.within(gdf.geometry)
    point = centroid.where(inside, gdf.geometry.representative_point())
    lonlat = gpd.GeoSeries(point, crs=METRIC_CRS).to_crs(4326)
    return pd.DataFrame({
        "kommunenummer": gdf["kommunenummer"].to_numpy(),
        "x": point.x.to_numpy(), "y": point.y.to_numpy(),
        "lon": lonlat.x.to_numpy(), "lat": lonlat.y.to_numpy(),
    }).set_index("kommunenummer")


def distance_km(codes: list[str]) -> pd.DataFrame:
    """Straight-line distances between unit centres, km, as a square DataFrame."""
    pts = centres().loc[codes, ["x", "y"]].to_numpy()
    diff = pts[:, None, :] - pts[None, :, :]
    matrix = np.sqrt((diff ** 2).sum(axis=2)) / 1000.0
    return pd.DataFrame(matrix, index=codes, columns=codes)


@lru_cache(maxsize=1)
def neighbour_graph() -> nx.Graph:
    """All units as nodes; an edge per pair of neighbours.

    Edge attribute ``kind`` is ``"border"`` for a shared land or water border and
    ``"gap"`` for units within ``GAP_NEIGHBOUR_M`` of each other across water.
    """
    gdf = load_municipalities().to_crs(METRIC_CRS)
    geoms = gdf.geometry.to_numpy()
    codes = gdf["kommunenummer"].to_numpy()
    graph = nx.Graph()
    graph.add_nodes_from(codes)
    tree = shapely.STRtree(geoms)
    left, right = tree.query(geoms, predicate="dwithin", distance=GAP_NEIGHBOUR_M)
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        shared = shapely.intersection(shapely.boundary(geoms[i]), shapely.boundary(geoms[j]))
        border = shapely.length(shared) >= MIN_BORDER_M
        graph.add_edge(codes[i], codes[j], kind="border" if border else "gap")
    return graph


def neighbours(code: str, include_gap: bool = True) -> list[str]:
    """Neighbouring unit numbers of a unit, sorted."""
    graph = neighbour_graph()
    return sorted(
        other for other, data in graph[code].items()
        if include_gap or data["kind"] == "border"
    )


@dataclass(frozen=True)
class Contiguity:
    """Whether a set of units forms one connected area."""

    contiguous: bool
    #: Connected groups, largest first (by member count, then population).
    components: tuple[tuple[str, ...], ...]
    #: Members outside the largest group.
    cut_off: tuple[str, ...]
    #: Links across water used to connect the set (pairs of numbers).
    gap_links: tuple[tuple[str, str], ...]


def contiguity(codes: list[str]) -> Contiguity:
    """Connectivity of ``codes`` over shared borders and short water gaps."""
    members = list(dict.fromkeys(codes))
    sub = neighbour_graph().subgraph(members)
    population = load_units().set_index("kommunenummer")["population_2024"]
    components = sorted(
        (tuple(sorted(c)) for c in nx.connected_components(sub)),
        key=lambda comp: (-len(comp), -int(population.loc[list(comp)].sum()), comp),
    )
    cut_off = tuple(sorted(code for comp in components[1:] for code in comp))
    gaps = tuple(sorted(
        (a, b) if a < b else (b, a)
        for a, b, data in sub.edges(data=True) if data["kind"] == "gap"
    ))
    return Contiguity(
        contiguous=len(components) <= 1,
        components=tuple(components),
        cut_off=cut_off,
        gap_links=gaps,
    )


def max_pairwise(codes: list[str]) -> float:
    """The largest centre-to-centre distance within ``codes``, km (0 for one unit)."""
    if len(codes) < 2:
        return 0.0
    matrix = distance_km(codes)
    return float(max(matrix.loc[a, b] for a, b in combinations(codes, 2)))
