"""Boundaries: loading, neighbours, centres, distances, contiguity.

The canonical ``municipalities`` table is a GeoDataFrame with one row per map unit
(``kommunenummer`` as text, 4 digits), its facts and its geometry in EPSG:4326.
Areas and distances are computed in EPSG:25833 (UTM 33N), the national standard.
"""

from __future__ import annotations

import gzip
import json
from dataclasses import dataclass
from functools import cached_property, lru_cache

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
    geoms = shapely.set_precision(gdf.geometry.to_crs(4326).to_numpy(), 10 ** -decimals)
    features = [
        {"type": "Feature", "id": code, "properties": {"kommunenummer": code},
         "geometry": json.loads(shapely.to_geojson(geom))}
        for code, geom in zip(gdf["kommunenummer"], geoms, strict=True)
    ]
    return geojson_with_array_rings({"type": "FeatureCollection", "features": features})


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


class Geography:
    """One set of municipality boundaries with their facts, and the analyses on them.

    The bundled default (``bundled()``) has the 356 units of 2020-2023 numbered
    with 2024 numbers; an uploaded boundary file (e.g. the 2024 structure with 357
    municipalities) becomes a ``Geography`` through ``from_boundaries``.
    Derived structures (neighbour graph, centres, code index) are built once, on
    first use.
    """

    def __init__(self, units: pd.DataFrame, municipalities: gpd.GeoDataFrame, display: dict,
                 label: str, structure_year: int) -> None:
        self.units = units
        self.municipalities = municipalities
        self.display = display
        self.label = label
        self.structure_year = structure_year

    @cached_property
    def code_index(self) -> CodeIndex:
        return build_index(self.units)

    @cached_property
    def centres(self) -> pd.DataFrame:
        """A centre point per unit in EPSG:25833 (x, y metres) and lon/lat.

        The centre is the polygon's centroid when it falls inside the municipality,
        otherwise a point guaranteed inside (islands, crescent-shaped municipalities).
        """
        gdf = self.municipalities.to_crs(METRIC_CRS)
        centroid = gdf.geometry.centroid
        inside = centroid.within(gdf.geometry)
        point = centroid.where(inside, gdf.geometry.representative_point())
        lonlat = gpd.GeoSeries(point, crs=METRIC_CRS).to_crs(4326)
        return pd.DataFrame({
            "kommunenummer": gdf["kommunenummer"].to_numpy(),
            "x": point.x.to_numpy(), "y": point.y.to_numpy(),
            "lon": lonlat.x.to_numpy(), "lat": lonlat.y.to_numpy(),
        }).set_index("kommunenummer")

    @cached_property
    def neighbour_graph(self) -> nx.Graph:
        """All units as nodes; an edge per pair of neighbours.

        Edge attribute ``kind`` is ``"border"`` for a shared land or water border and
        ``"gap"`` for units within ``GAP_NEIGHBOUR_M`` of each other across water.
        """
        gdf = self.municipalities.to_crs(METRIC_CRS)
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

    def distance_km(self, codes: list[str]) -> pd.DataFrame:
        """Straight-line distances between unit centres, km, as a square DataFrame."""
        pts = self.centres.loc[codes, ["x", "y"]].to_numpy()
        diff = pts[:, None, :] - pts[None, :, :]
        matrix = np.sqrt((diff ** 2).sum(axis=2)) / 1000.0
        return pd.DataFrame(matrix, index=codes, columns=codes)

    def neighbours(self, code: str, include_gap: bool = True) -> list[str]:
        """Neighbouring unit numbers of a unit, sorted."""
        return sorted(
            other for other, data in self.neighbour_graph[code].items()
            if include_gap or data["kind"] == "border"
        )

    def contiguity(self, codes: list[str]) -> Contiguity:
        """Connectivity of ``codes`` over shared borders and short water gaps."""
        members = list(dict.fromkeys(codes))
        sub = self.neighbour_graph.subgraph(members)
        population = self.units.set_index("kommunenummer")["population_2024"].fillna(0)
        components = sorted(
            (tuple(sorted(c)) for c in nx.connected_components(sub)),
            key=lambda comp: (-len(comp), -int(population.reindex(list(comp)).fillna(0).sum()), comp),
        )
        cut_off = tuple(sorted(code for comp in components[1:] for code in comp))
        gaps = tuple(sorted(
            (a, b) if a < b else (b, a)
            for a, b, data in sub.edges(data=True) if data["kind"] == "gap"
        ))
        return Contiguity(contiguous=len(components) <= 1, components=tuple(components),
                          cut_off=cut_off, gap_links=gaps)

    @classmethod
    def from_boundaries(cls, boundaries: gpd.GeoDataFrame, label: str) -> Geography:
        """A geography from uploaded boundaries (columns ``kommunenummer``, ``name``, geometry).

        The boundaries are expected simplified already (as ``io.geofiles`` does);
        facts come from the bundled 2024 table, so a 2024 structure gets its
        population, area, county and groups; numbers without facts keep their name
        and have no figures (shown as missing, never as zero).
        """
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
        units["density"] = units["population_2024"] / units["area_km2"]
        municipalities = gpd.GeoDataFrame(
            units.merge(gdf[["kommunenummer", "geometry"]], on="kommunenummer"),
            geometry="geometry", crs=4326)
        municipalities["structure_year"] = 2024
        display_frame = simplify_coverage(gdf, DISPLAY_TOLERANCE_M)
        display = geojson_from_frame(display_frame.sort_values("kommunenummer"), DISPLAY_DECIMALS)
        return cls(units.sort_values("kommunenummer").reset_index(drop=True),
                   municipalities.sort_values("kommunenummer").reset_index(drop=True),
                   display, label, 2024)


def boundaries_to_table(boundaries: gpd.GeoDataFrame) -> pd.DataFrame:
    """Boundaries as a plain table for the store (geometry as WKB hex, EPSG:4326)."""
    gdf = boundaries.to_crs(4326)
    return pd.DataFrame({
        "kommunenummer": gdf["kommunenummer"].astype(str).to_numpy(),
        "name": gdf["name"].astype(str).to_numpy(),
        "geometry_wkb": shapely.to_wkb(gdf.geometry.to_numpy(), hex=True),
    })


def boundaries_from_table(table: pd.DataFrame) -> gpd.GeoDataFrame:
    """The inverse of ``boundaries_to_table``."""
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


@lru_cache(maxsize=1)
def bundled() -> Geography:
    """The bundled default geography (2020 boundaries, 2024 numbers and figures)."""
    units = pd.read_csv(BUNDLED_DATA_DIR / "kommuner.csv", dtype=_CODE_COLUMNS)
    units["kostragruppe"] = units["kostragruppe"].fillna("")
    units["language_form"] = units["language_form"].fillna("")
    units["density"] = units["population_2024"] / units["area_km2"]
    features = _read_geojson("kommuner_grenser.geojson.gz")["features"]
    geoms = gpd.GeoDataFrame.from_features(features, crs=4326)
    gdf = units.merge(geoms[["kommunenummer", "geometry"]], on="kommunenummer",
                      how="left", validate="1:1")
    gdf = gpd.GeoDataFrame(gdf, geometry="geometry", crs=4326)
    gdf["structure_year"] = 2020
    display = geojson_with_array_rings(_read_geojson("kommuner_kart.geojson.gz"))
    return Geography(units, gdf, display, "bundled", 2020)


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


def distance_km(codes: list[str]) -> pd.DataFrame:
    return bundled().distance_km(codes)


def neighbours(code: str, include_gap: bool = True) -> list[str]:
    return bundled().neighbours(code, include_gap)


def contiguity(codes: list[str]) -> Contiguity:
    return bundled().contiguity(codes)
