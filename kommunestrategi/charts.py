"""Pure figure builders: data in, plotly figure out (no Streamlit).

Maps use ``go.Choropleth`` on plotly's own geo projection with every base layer
switched off, so nothing is fetched from a tile server. The page passes
``topojsonURL`` pointing at the app's static folder, where an empty base-layer
file stands in for the one plotly would otherwise download.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kommunestrategi.formatting import number

#: Colour-blind-safe sequential scale.
SEQUENTIAL_SCALE = "Viridis"
SELECTION_COLOUR = "#d62728"
#: Plotly's separators: decimal sign, then thousands separator, per language.
SEPARATORS = {"nb": ", ", "sv": ", ", "en": ".,"}
#: Plotly config for every figure; the page adds ``topojsonURL``.
BASE_CONFIG = {"displaylogo": False, "scrollZoom": True,
               "modeBarButtonsToRemove": ["select2d", "lasso2d", "toImage"]}


def _log_ticks(values: np.ndarray, lang: str, decimals: int) -> tuple[list[float], list[str]]:
    """Tick positions (log10) and labels (real values) for a log colour scale."""
    positive = values[values > 0]
    if positive.size == 0:
        return [], []
    low = math.floor(math.log10(positive.min()))
    high = math.ceil(math.log10(positive.max()))
    ticks: list[float] = []
    for exp in range(low, high + 1):
        for mult in (1, 3):
            value = mult * 10 ** exp
            if positive.min() <= value <= positive.max():
                ticks.append(value)
    return [math.log10(v) for v in ticks], [number(v, lang, decimals if v < 10 else 0) for v in ticks]


def national_map(
    geojson: dict,
    values: pd.Series,
    names: pd.Series,
    *,
    measure_label: str,
    unit: str,
    lang: str = "nb",
    selected: Iterable[str] = (),
    log_scale: bool = False,
    decimals: int = 0,
    focus: Sequence[str] | None = None,
    missing_label: str = "–",
    height: int = 720,
) -> go.Figure:
    """A choropleth of all municipalities, coloured by ``values`` (indexed by number).

    ``selected`` units are outlined; ``focus`` (a list of numbers, e.g. a county)
    sets the initial view, otherwise the whole country is shown.
    """
    codes = [f["id"] for f in geojson["features"]]
    data = pd.DataFrame({"value": values.reindex(codes).astype(float),
                         "name": names.reindex(codes)}, index=codes)
    raw = data["value"].to_numpy()
    colour = np.where(raw > 0, np.log10(np.where(raw > 0, raw, 1)), np.nan) if log_scale else raw
    labels = [
        f"{name} ({code})<br>{measure_label}: "
        + (f"{number(v, lang, decimals)} {unit}".strip() if not math.isnan(v) else missing_label)
        for code, name, v in zip(codes, data["name"], raw, strict=True)
    ]
    colorbar = {"title": {"text": f"{measure_label}<br>({unit})" if unit else measure_label},
                "thickness": 14, "len": 0.6}
    if log_scale:
        tickvals, ticktext = _log_ticks(raw, lang, decimals)
        colorbar.update(tickvals=tickvals, ticktext=ticktext)
    traces = [{
        "type": "choropleth",
        "geojson": geojson,
        "locations": codes,
        "z": [None if math.isnan(v) else float(v) for v in colour],
        "featureidkey": "id",
        "colorscale": SEQUENTIAL_SCALE,
        "marker": {"line": {"width": 0.3, "color": "#ffffff"}},
        "text": labels,
        "hovertemplate": "%{text}<extra></extra>",
        "colorbar": colorbar,
        "name": "",
    }]
    chosen = [c for c in dict.fromkeys(selected) if c in data.index]
    if chosen:
        wanted = set(chosen)
        traces.append({
            "type": "choropleth",
            # only the selected features: the outline trace must not repeat the country
            "geojson": {"type": "FeatureCollection",
                        "features": [f for f in geojson["features"] if f["id"] in wanted]},
            "locations": chosen,
            "z": [1] * len(chosen),
            "featureidkey": "id",
            "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
            "showscale": False,
            "marker": {"line": {"width": 2.2, "color": SELECTION_COLOUR}},
            "text": [labels[codes.index(c)] for c in chosen],
            "hovertemplate": "%{text}<extra></extra>",
            "name": "selection",
        })
    fig = go.Figure({"data": traces}, _validate=False)
    # plotly's fitbounds does not frame a transverse-mercator map; explicit ranges do.
    view = _focus_view(geojson, list(focus) if focus else codes)
    fig.update_geos(
        visible=False,
        projection={"type": "transverse mercator", "rotation": {"lon": view.pop("center_lon", 15.0)}},
        showland=False, showcoastlines=False, showocean=False, showlakes=False,
        showrivers=False, showcountries=False, showframe=False,
        bgcolor="rgba(0,0,0,0)",
        **view,
    )
    fig.update_layout(
        height=height,
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        separators=SEPARATORS.get(lang, ", "),
        dragmode="pan",
        uirevision="map",
        clickmode="event+select",
    )
    return fig


def _focus_view(geojson: dict, focus: Sequence[str]) -> dict:
    """Lon/lat ranges framing the features in ``focus``, and the central meridian."""
    wanted = set(focus)
    lons: list[float] = []
    lats: list[float] = []
    for feature in geojson["features"]:
        if feature["id"] not in wanted:
            continue
        coords = np.vstack(_flatten(feature["geometry"]["coordinates"]))
        lons.extend([coords[:, 0].min(), coords[:, 0].max()])
        lats.extend([coords[:, 1].min(), coords[:, 1].max()])
    if not lons:
        return _focus_view(geojson, [f["id"] for f in geojson["features"]]) if wanted else {}
    pad_lon = (max(lons) - min(lons)) * 0.08 + 0.1
    pad_lat = (max(lats) - min(lats)) * 0.08 + 0.05
    return {"lonaxis_range": [float(min(lons) - pad_lon), float(max(lons) + pad_lon)],
            "lataxis_range": [float(min(lats) - pad_lat), float(max(lats) + pad_lat)],
            "center_lon": float((min(lons) + max(lons)) / 2)}


def _flatten(coords) -> list[np.ndarray]:
    """All rings of a (Multi)Polygon's coordinates as (n, 2) arrays."""
    if isinstance(coords, np.ndarray):
        return [coords]
    if coords and isinstance(coords[0][0], (int, float)):
        return [np.asarray(coords, dtype=float)]
    out: list[np.ndarray] = []
    for part in coords:
        out.extend(_flatten(part))
    return out


def share_bar(names: Sequence[str], shares: Sequence[float], *, title: str, lang: str = "nb") -> go.Figure:
    """Horizontal bars of each member's share (0-1) of a region's population."""
    fig = go.Figure(go.Bar(
        x=[share * 100 for share in shares], y=list(names), orientation="h",
        marker_color="#1f5f8b", hovertemplate="%{y}: %{x:.1f} %<extra></extra>"))
    fig.update_layout(title=title, height=80 + 28 * len(names),
                      margin={"l": 0, "r": 0, "t": 40, "b": 0}, xaxis_ticksuffix=" %",
                      separators=SEPARATORS.get(lang, ", "), yaxis={"autorange": "reversed"})
    return fig
