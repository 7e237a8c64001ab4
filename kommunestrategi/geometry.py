"""Boundary simplification shared by the data build and boundary uploads.

Uploaded boundaries must be simplified exactly as the bundled ones are, so that
areas, neighbours and maps mean the same whichever file the figures come from.
``scripts/build_data.py`` and ``io/geofiles.py`` both use ``simplify_coverage``
with these tolerances.
"""

from __future__ import annotations

import geopandas as gpd
import shapely

#: The metric CRS for simplification, areas and distances (UTM 33N).
METRIC_CRS = 25833
#: Tolerances for coverage simplification, metres in EPSG:25833. The analysis
#: geometry (areas, neighbours, distances) keeps every unit's area within 1% of the
#: source polygon; the display geometry is coarser so the national map stays small.
ANALYSIS_TOLERANCE_M = 250.0
DISPLAY_TOLERANCE_M = 800.0
#: Coordinate decimals (degrees) the simplified geometry is stored with.
ANALYSIS_DECIMALS = 4
DISPLAY_DECIMALS = 3


def polygonal_parts(geoms: object) -> list:
    """``make_valid`` each geometry and keep only its polygonal parts."""
    valid = shapely.make_valid(geoms)
    return [shapely.union_all([g for g in shapely.get_parts(geom)
                               if g.geom_type in ("Polygon", "MultiPolygon")]) for geom in valid]


def simplify_coverage(gdf: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """make_valid, then coverage_simplify so that neighbours keep shared borders.

    Returns the frame in EPSG:4326 with two extra columns: ``area_unsimplified_km2``
    (after make_valid) and ``area_polygon_km2`` (after simplification), both
    measured in EPSG:25833.
    """
    proj = gdf.to_crs(METRIC_CRS)
    geoms = polygonal_parts(proj.geometry.values)
    simplified = shapely.coverage_simplify(shapely.GeometryCollection(geoms).geoms, tolerance_m)
    out = proj.copy()
    out["area_unsimplified_km2"] = shapely.area(geoms) / 1e6
    out["geometry"] = gpd.GeoSeries(list(simplified), crs=METRIC_CRS).values
    out["geometry"] = shapely.make_valid(out.geometry.values)
    out["area_polygon_km2"] = out.geometry.area / 1e6
    return out.to_crs(4326)
