"""A population grid or settlement file (x, y, population), read and placed in municipalities.

Accepted: CSV or Excel with columns ``x``, ``y`` and ``population`` (also
``befolkning``/``folkmengde``/``pop``/``antall``, ``lon``/``lat``), optionally
``kommunenummer``. Coordinates are EPSG:25833 metres (SSB's grid) unless the
values are plainly longitude/latitude, or ``crs`` says 3006 (SCB's SWEREF99 TM),
which is converted. Cells are placed in a municipality by their centre.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pandas as pd

from kommunestrategi.io.report import ImportReport
from kommunestrategi.servicepoints.coverage import METRIC_CRS, _transformer, to_metric

GRID_COLUMNS = ["x", "y", "population", "kommunenummer"]
_NAMES = {
    "x": ("x", "east", "easting", "ost", "øst", "e", "x_koord", "xkoord"),
    "y": ("y", "north", "northing", "nord", "n", "y_koord", "ykoord"),
    "lon": ("lon", "lng", "longitude", "lengdegrad"),
    "lat": ("lat", "latitude", "breddegrad"),
    "population": ("population", "pop", "befolkning", "folkmengde", "folkmangd", "antall", "innbyggere",
                   "invanare", "invånare", "bef", "pop_tot", "poptot"),
    "kommunenummer": ("kommunenummer", "kommunkod", "knr", "kommune"),
    "crs": ("crs", "epsg"),
}


def _key(text: object) -> str:
    return re.sub(r"\s+", "", str(text or "").strip().lower())


def _number(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.replace("\u00a0", "").str.replace(" ", "").str.replace(",", ".")
    return pd.to_numeric(text, errors="coerce")


def read_grid_rows(rows: list[list[object]], report: ImportReport) -> pd.DataFrame | None:
    """The grid from a table's rows (header in the first 10 rows), EPSG:25833 metres."""
    for start, header in enumerate(rows[:10]):  # noqa: B007 - used after the loop
        keys = [_key(c) for c in header]
        cols: dict[str, int] = {}
        for role, names in _NAMES.items():
            for i, key in enumerate(keys):
                if key in names:
                    cols.setdefault(role, i)
        if "population" in cols and (("x" in cols and "y" in cols) or ("lon" in cols and "lat" in cols)):
            break
    else:
        report.error("grid_no_columns")
        return None
    body = [r for r in rows[start + 1:] if any(str(c or "").strip() for c in r)]
    width = max(len(r) for r in body) if body else 0
    frame = pd.DataFrame([list(r) + [None] * (width - len(r)) for r in body])

    def column(role: str) -> pd.Series:
        return _number(frame[cols[role]]) if role in cols and cols[role] in frame else pd.Series(np.nan, index=frame.index)

    population = column("population")
    if "x" in cols and "y" in cols:
        x, y = column("x"), column("y")
        epsg = int(column("crs").dropna().iloc[0]) if "crs" in cols and column("crs").notna().any() else None
        lonlat = x.abs().max() <= 180 and y.abs().max() <= 90
    else:
        x, y = column("lon"), column("lat")
        epsg, lonlat = None, True
    bad = x.isna() | y.isna() | population.isna() | (population < 0)
    if bad.any():
        report.warning("grid_rows_skipped", count=int(bad.sum()), row=int(start + 2 + np.flatnonzero(bad)[0]))
    x, y, population = x[~bad], y[~bad], population[~bad]
    if lonlat:
        mx, my = to_metric(x.to_numpy(), y.to_numpy())
    elif epsg and epsg != METRIC_CRS:
        mx, my = _transformer(epsg, METRIC_CRS).transform(x.to_numpy(dtype=float), y.to_numpy(dtype=float))
    else:
        mx, my = x.to_numpy(dtype=float), y.to_numpy(dtype=float)
    codes = (frame.loc[~bad, cols["kommunenummer"]].astype(str).str.strip().str.replace(r"\.0$", "", regex=True)
             .str.zfill(4) if "kommunenummer" in cols else pd.Series("", index=x.index))
    out = pd.DataFrame({"x": np.asarray(mx, dtype=float), "y": np.asarray(my, dtype=float),
                        "population": population.to_numpy(dtype=float), "kommunenummer": codes.to_numpy(dtype=str)})
    if out.empty:
        report.error("grid_no_rows")
        return None
    return out


def read_population_grid(data: bytes, file_name: str, country: str = "NO") -> tuple[pd.DataFrame | None, ImportReport]:
    """A grid file as the importer's ``population-grid`` kind reads it."""
    from kommunestrategi.io.csvfiles import read_csv_grid
    from kommunestrategi.io.excel import read_workbook
    from kommunestrategi.io.safety import file_format

    report = ImportReport(file_name)
    fmt = file_format(data, file_name)
    if fmt == "xlsx":
        sheets = read_workbook(data, report)
        rows = sheets[0].rows if sheets else []
    else:
        rows = read_csv_grid(data, report)
    if not rows:
        report.error("grid_no_rows")
        return None, report
    return read_grid_rows(rows, report), report


def assign_grid(grid: pd.DataFrame, geography: Any) -> pd.DataFrame:
    """The grid with each cell's municipality (kept where the file gives one, else by polygon)."""
    out = grid.copy()
    known = set(geography.units["kommunenummer"])
    given = out["kommunenummer"].astype(str).isin(known)
    if given.all() or not getattr(geography, "has_boundaries", True):
        out.loc[~given, "kommunenummer"] = ""
        return out
    import shapely

    from kommunestrategi.servicepoints.coverage import _polygon_tree

    todo = np.flatnonzero(~given.to_numpy())
    lon, lat = _transformer(METRIC_CRS, 4326).transform(out["x"].to_numpy()[todo], out["y"].to_numpy()[todo])
    tree, numbers = _polygon_tree(geography)
    inside, polygon = tree.query(shapely.points(lon, lat), predicate="within")
    found = np.full(len(todo), "", dtype=object)
    found[inside[::-1]] = numbers[polygon[::-1]]  # a cell on a shared border goes to the first polygon
    codes = out["kommunenummer"].astype(str).to_numpy(dtype=object)
    codes[todo] = found
    out["kommunenummer"] = codes
    return out
