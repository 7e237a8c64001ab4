"""The service-point map: municipalities coloured by coverage, points and mobile stops on top."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kommunestrategi import charts
from kommunestrategi.formatting import number
from kommunestrategi.servicepoints.coverage import CoverageResult, to_lonlat
from kommunestrategi.servicepoints.model import ServicePoint

KIND_COLOURS = {"centre": "#b2182b", "fixed": "#2166ac", "mobile": "#1b7837"}
KIND_SYMBOLS = {"centre": "star", "fixed": "circle", "mobile": "diamond"}


def point_positions(points: list[ServicePoint], centres: pd.DataFrame) -> pd.DataFrame:
    """One row per drawn marker: point id, name, kind, lon, lat, and ``stop`` for a mobile stop."""
    rows = []
    for point in points:
        if point.lat is not None and point.lon is not None:
            rows.append((point.id, point.name, point.kind, point.lon, point.lat, ""))
        elif not point.stops and point.kommunenummer in centres.index:
            centre = centres.loc[point.kommunenummer]
            rows.append((point.id, point.name, point.kind, float(centre["lon"]), float(centre["lat"]), ""))
        for stop in point.stops:
            rows.append((point.id, point.name, point.kind, stop.lon, stop.lat, stop.name))
    return pd.DataFrame(rows, columns=["id", "name", "kind", "lon", "lat", "stop"])


def coverage_map(geography: Any, result: CoverageResult, points: list[ServicePoint], *, labels: dict[str, str],
                 lang: str = "nb", selected: list[str] | None = None, focus: list[str] | None = None,
                 height: int = 620) -> go.Figure:
    """``labels``: ``share`` (the colour's title), ``centre``/``fixed``/``mobile`` (legend), ``missing``."""
    share = pd.Series({r.kommunenummer: (r.share * 100 if r.share is not None else math.nan) for r in result.rows})
    names = geography.units.set_index("kommunenummer")["name"]
    fig = charts.national_map(geography.display, share, names, measure_label=labels["share"], unit="%", lang=lang,
                              selected=selected or [], decimals=0, focus=focus, missing_label=labels["missing"],
                              height=height)
    fig.data[0].update(zmin=0, zmax=100)
    markers = point_positions(points, geography.centres if getattr(geography, "has_boundaries", True)
                              else pd.DataFrame(columns=["lon", "lat"]))
    for kind in ("centre", "fixed", "mobile"):
        part = markers[markers["kind"] == kind]
        if part.empty:
            continue
        text = [f"{n}" + (f" – {s}" if s else "") for n, s in zip(part["name"], part["stop"], strict=True)]
        fig.add_trace(go.Scattergeo(
            lon=part["lon"], lat=part["lat"], mode="markers", name=labels[kind], text=text,
            customdata=part["id"], hovertemplate="%{text}<extra></extra>",
            marker={"size": 11 if kind == "centre" else 8, "color": KIND_COLOURS[kind],
                    "symbol": KIND_SYMBOLS[kind], "line": {"width": 1, "color": "#ffffff"}}))
    fig.update_layout(showlegend=True, legend={"orientation": "h", "y": 0.0, "x": 0.0,
                                               "bgcolor": "rgba(255,255,255,0.8)"})
    return fig


def share_text(value: float | None, lang: str, missing: str) -> str:
    return missing if value is None else f"{number(value * 100, lang, 0)} %"


def grid_lonlat(grid: pd.DataFrame) -> tuple[Any, Any]:
    return to_lonlat(grid["x"].to_numpy(), grid["y"].to_numpy())


#: ``customdata`` of the click layer's markers (a service point's is its id).
CLICK_ID = "__place__"
CLICK_CELLS = 90


def add_click_layer(fig: go.Figure, hover: str, cells: int = CLICK_CELLS) -> float:
    """Cover the map's view (and a margin around it) with invisible markers, so a click
    anywhere selects the nearest one and reports its lon/lat: plotly reports clicks on
    traces only, never on the empty map. Returns the spacing in km (north-south), the
    precision of a clicked position. ``hover`` is shown with the position."""
    lon_range = list(fig.layout.geo.lonaxis.range or (4.0, 31.5))
    lat_range = list(fig.layout.geo.lataxis.range or (57.8, 71.3))
    pad_lon = (lon_range[1] - lon_range[0]) * 0.5
    pad_lat = (lat_range[1] - lat_range[0]) * 0.5
    lons = np.linspace(lon_range[0] - pad_lon, lon_range[1] + pad_lon, cells)
    lats = np.linspace(max(lat_range[0] - pad_lat, -89.0), min(lat_range[1] + pad_lat, 89.0), cells)
    grid_lon, grid_lat = np.meshgrid(lons, lats)
    invisible = {"marker": {"opacity": 0}}
    # the municipalities no longer answer clicks (or hover): every click is a position
    fig.update_traces(hoverinfo="skip", selector={"type": "choropleth"})
    fig.add_trace(go.Scattergeo(
        lon=grid_lon.ravel().round(5), lat=grid_lat.ravel().round(5), mode="markers", name="",
        customdata=[CLICK_ID] * grid_lon.size, showlegend=False,
        marker={"size": 12, "opacity": 0, "color": "#000000"}, selected=invisible, unselected=invisible,
        hovertemplate=f"{hover}<br>%{{lat:.4f}}, %{{lon:.4f}}<extra></extra>"))
    return float((lats[1] - lats[0]) * 111.2)


def clicked_position(event: Any) -> tuple[float, float] | None:
    """(lat, lon) of a click on the click layer in a plotly selection event, else None."""
    for point in (event or {}).get("selection", {}).get("points", []):
        if point.get("customdata") == CLICK_ID and point.get("lat") is not None and point.get("lon") is not None:
            return float(point["lat"]), float(point["lon"])
    return None
