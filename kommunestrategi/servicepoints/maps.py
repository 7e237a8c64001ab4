"""The service-point map: municipalities coloured by coverage, points and mobile stops on top."""

from __future__ import annotations

import math
from typing import Any

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
