"""Coverage: a service centre in each municipality, and inhabitants within reach of a point.

Two ways to count inhabitants within ``distance_km`` (straight line) of the nearest
point or mobile stop:

* **grid**: an imported population grid or settlement file (cell centres ``x, y``
  in EPSG:25833 metres, ``population``): each cell is counted where it lies and is
  covered when its centre is within the distance. The nearest point of every cell
  comes from a k-d tree over the points, so a what-if change is recomputed at once.
* **centres** (no grid): each municipality's whole population is placed at its
  municipal centre, so a municipality counts as fully covered or not at all. This
  is an estimate and is labelled as one.

Without boundaries (a Swedish workspace before a boundary import) there are no
centres: only "has a service centre" can be answered, from the points' municipality.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from kommunestrategi.servicepoints.model import ServicePoint

METRIC_CRS = 25833


@lru_cache(maxsize=2)
def _transformer(source: int, target: int) -> Any:
    from pyproj import Transformer

    return Transformer.from_crs(source, target, always_xy=True)


def to_metric(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """WGS84 lon/lat to EPSG:25833 metres."""
    return _transformer(4326, METRIC_CRS).transform(np.asarray(lon, dtype=float), np.asarray(lat, dtype=float))


def to_lonlat(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _transformer(METRIC_CRS, 4326).transform(np.asarray(x, dtype=float), np.asarray(y, dtype=float))


@dataclass(frozen=True)
class MunicipalityCoverage:
    kommunenummer: str
    name: str
    population: float | None
    has_centre: bool
    points: int
    #: Inhabitants within the distance (None when it cannot be told: no centres, no grid).
    covered: float | None
    share: float | None


@dataclass(frozen=True)
class CoverageResult:
    #: ``grid``, ``centres`` (estimated from municipal centres) or ``none`` (no positions at all)
    method: str
    distance_km: float
    rows: tuple[MunicipalityCoverage, ...]
    #: Ids of points that could not be placed in a municipality or on the map.
    unplaced: tuple[str, ...]

    def row(self, code: str) -> MunicipalityCoverage:
        return next(r for r in self.rows if r.kommunenummer == code)

    def total_share(self, codes: list[str] | None = None) -> float | None:
        """Covered share of all inhabitants of ``codes`` (all municipalities by default)."""
        rows = [r for r in self.rows if codes is None or r.kommunenummer in set(codes)]
        if any(r.covered is None for r in rows):
            return None
        population = sum(r.population or 0 for r in rows)
        return sum(r.covered or 0 for r in rows) / population if population else None

    def without_centre(self, codes: list[str] | None = None) -> list[str]:
        return [r.kommunenummer for r in self.rows
                if (codes is None or r.kommunenummer in set(codes)) and not r.has_centre]


def anchors(points: list[ServicePoint], centres: pd.DataFrame) -> tuple[np.ndarray, list[str], list[str]]:
    """Positions (EPSG:25833, one row per point or mobile stop), the point id of each, and
    the ids of points without a position (only a municipality, which has no centre)."""
    lon, lat, owner, unplaced = [], [], [], []
    xy_direct: list[tuple[float, float]] = []
    direct_owner: list[str] = []
    for point in points:
        placed = False
        if point.lat is not None and point.lon is not None:
            lon.append(point.lon)
            lat.append(point.lat)
            owner.append(point.id)
            placed = True
        for stop in point.stops:
            lon.append(stop.lon)
            lat.append(stop.lat)
            owner.append(point.id)
            placed = True
        if not placed:
            if point.kommunenummer in centres.index:
                centre = centres.loc[point.kommunenummer]
                xy_direct.append((float(centre["x"]), float(centre["y"])))
                direct_owner.append(point.id)
            else:
                unplaced.append(point.id)
    x, y = to_metric(np.asarray(lon), np.asarray(lat)) if lon else (np.empty(0), np.empty(0))
    xy = np.column_stack([x, y]) if lon else np.empty((0, 2))
    if xy_direct:
        xy = np.vstack([xy, np.asarray(xy_direct, dtype=float)])
    return xy.reshape(-1, 2), owner + direct_owner, unplaced


_TREES: dict[int, tuple[Any, Any, np.ndarray]] = {}


def _polygon_tree(geography: Any) -> tuple[Any, np.ndarray]:
    """An STR tree of the geography's polygons (lon/lat) and their numbers, built once per geography."""
    import shapely

    cached = _TREES.get(id(geography))
    if cached is None or cached[0] is not geography:
        gdf = geography.municipalities
        gdf = gdf[gdf.geometry.notna()]
        geoms = gdf.geometry.to_crs(4326).to_numpy()
        if len(_TREES) >= 8:
            _TREES.pop(next(iter(_TREES)))
        cached = _TREES[id(geography)] = (geography, shapely.STRtree(geoms),
                                          gdf["kommunenummer"].astype(str).to_numpy())
    return cached[1], cached[2]


def point_municipalities(points: list[ServicePoint], geography: Any) -> dict[str, str]:
    """Point id -> municipality: the one given, else the polygon its position lies in ("" if none)."""
    out = {p.id: p.kommunenummer for p in points}
    todo = [p for p in points if not p.kommunenummer and p.lat is not None and p.lon is not None]
    if not todo or not getattr(geography, "has_boundaries", True):
        return out
    import shapely

    tree, codes = _polygon_tree(geography)
    inside, polygon = tree.query(shapely.points([p.lon for p in todo], [p.lat for p in todo]), predicate="within")
    for i, j in zip(inside, polygon, strict=True):
        if not out.get(todo[i].id):
            out[todo[i].id] = str(codes[j])
    return out


@dataclass(frozen=True)
class PreparedGrid:
    """A population grid as arrays over one geography's units (built once per grid and geography)."""

    xy: np.ndarray
    population: np.ndarray
    #: The unit position of each cell in the geography's unit order (-1: outside every unit).
    unit: np.ndarray
    #: Inhabitants per unit according to the grid.
    unit_population: np.ndarray
    #: A k-d tree over the cells, for "which cells lie within r of this point".
    tree: Any = None

    def covered(self, anchor_xy: np.ndarray, distance_m: float) -> np.ndarray:
        """Whether each cell lies within ``distance_m`` of an anchor.

        Few points and a short distance: ask the cell tree for the cells around each
        point (touches only the cells in reach). Otherwise: the nearest point of
        every cell from a tree over the points.
        """
        if len(anchor_xy) == 0 or len(self.xy) == 0:
            return np.zeros(len(self.xy), dtype=bool)
        span = np.ptp(self.xy, axis=0)
        area = max(float(span[0] * span[1]), 1.0)
        expected = len(anchor_xy) * min(1.0, np.pi * distance_m ** 2 / area) * len(self.xy)
        if self.tree is None or expected > 2 * len(self.xy):
            return covered_cells(self.xy, anchor_xy, distance_m)
        mask = np.zeros(len(self.xy), dtype=bool)
        for found in self.tree.query_ball_point(anchor_xy, distance_m, return_sorted=False, workers=-1):
            mask[found] = True
        return mask


def prepare_grid(grid: pd.DataFrame, geography: Any) -> PreparedGrid:
    codes = pd.Index([str(c) for c in geography.units["kommunenummer"]])
    unit = codes.get_indexer(grid["kommunenummer"].astype(str))
    population = grid["population"].to_numpy(dtype=float)
    inside = unit >= 0
    xy = grid[["x", "y"]].to_numpy(dtype=float)
    return PreparedGrid(xy, population, unit,
                        np.bincount(unit[inside], weights=population[inside], minlength=len(codes)),
                        cKDTree(xy) if len(xy) else None)


def covered_cells(cell_xy: np.ndarray, anchor_xy: np.ndarray, distance_m: float) -> np.ndarray:
    """Whether each cell centre lies within ``distance_m`` of the nearest anchor (k-d tree)."""
    if len(anchor_xy) == 0 or len(cell_xy) == 0:
        return np.zeros(len(cell_xy), dtype=bool)
    tree = cKDTree(anchor_xy)
    dist, _ = tree.query(cell_xy, k=1, distance_upper_bound=distance_m, workers=-1)
    return dist <= distance_m


def covered_by_municipality(cell_xy: np.ndarray, population: np.ndarray, cell_unit: np.ndarray, n_units: int,
                            anchor_xy: np.ndarray, distance_m: float) -> np.ndarray:
    """Covered inhabitants per unit position (``cell_unit``: the unit position of each cell, -1 outside)."""
    covered = covered_cells(cell_xy, anchor_xy, distance_m)
    inside = cell_unit >= 0
    return np.bincount(cell_unit[inside], weights=population[inside] * covered[inside], minlength=n_units)


def compute_coverage(geography: Any, points: list[ServicePoint], distance_km: float,
                     grid: pd.DataFrame | PreparedGrid | None = None) -> CoverageResult:
    """Coverage of every municipality of ``geography`` by ``points``.

    ``grid``: an assigned population grid (``x``, ``y``, ``population``, ``kommunenummer``;
    see ``grid.assign_grid``), better prepared once with ``prepare_grid`` for repeated
    what-if runs, or None for the estimate from municipal centres.
    """
    units = geography.units
    codes = [str(c) for c in units["kommunenummer"]]
    names = dict(zip(codes, units["name"].astype(str), strict=True))
    # the newest population figure the pages show (``population``), else the 2024 one
    column = "population" if "population" in units.columns else "population_2024"
    population = pd.to_numeric(units[column], errors="coerce").to_numpy(dtype=float)
    has_boundaries = getattr(geography, "has_boundaries", True)
    centres = geography.centres if has_boundaries else pd.DataFrame(columns=["x", "y"])
    anchor_xy, _owner, unplaced = anchors(points, centres)
    where = point_municipalities(points, geography)
    counts: dict[str, int] = {}
    with_centre: set[str] = set()
    for point in points:
        code = where.get(point.id, "")
        if not code:
            if point.id not in unplaced and not has_boundaries:
                unplaced.append(point.id)
            continue
        counts[code] = counts.get(code, 0) + 1
        if point.kind == "centre":
            with_centre.add(code)
    distance_m = float(distance_km) * 1000.0
    covered: np.ndarray | None
    if isinstance(grid, pd.DataFrame):
        grid = prepare_grid(grid, geography) if len(grid) else None
    if grid is not None and len(grid.xy):
        method = "grid"
        reach = grid.covered(anchor_xy, distance_m)
        inside = grid.unit >= 0
        covered = np.bincount(grid.unit[inside], weights=grid.population[inside] * reach[inside],
                              minlength=len(codes))
        population = np.where(grid.unit_population > 0, grid.unit_population, np.nan)
    elif has_boundaries and len(centres):
        method = "centres"
        centre_xy = centres.reindex(codes)[["x", "y"]].to_numpy(dtype=float)
        reach = covered_cells(np.nan_to_num(centre_xy, nan=1e12), anchor_xy, distance_m)
        covered = np.where(reach, np.nan_to_num(population), 0.0)
    else:
        method = "none"
        covered = None
    rows = []
    for i, code in enumerate(codes):
        pop = None if np.isnan(population[i]) else float(population[i])
        cov = None if covered is None or pop is None else float(covered[i])
        rows.append(MunicipalityCoverage(code, names[code], pop, code in with_centre, counts.get(code, 0), cov,
                                         None if cov is None or not pop else cov / pop))
    return CoverageResult(method, float(distance_km), tuple(rows), tuple(unplaced))
