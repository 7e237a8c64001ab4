"""The interactive map: boundaries sent once as a file, a light figure per interaction.

:func:`national_map` in :mod:`kommunestrategi.charts` inlines every boundary in the
figure (about 600 KB), which is fine for a picture but costly when the figure is
sent again after every click. Here the boundaries are written once per boundary set
to a content-named GeoJSON file (:func:`write_geojson`) that the browser fetches
and caches; the figure (:func:`selection_map`) names that file by URL and carries
only numbers, hover texts, the selection outline and labels - tens of kilobytes.

Views: :func:`frame` gives lon/lat ranges that keep a set of municipalities (a
county, a selection) wholly inside the map's frame; labels name the selected
municipalities, and at county zoom the county's larger ones too.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kommunestrategi.charts import SELECTION_COLOUR, SEPARATORS, SEQUENTIAL_SCALE, _flatten, _log_ticks
from kommunestrategi.formatting import number

#: Labels on a county view besides the selected municipalities: the largest by population.
COUNTY_LABELS = 12
#: Share of the framed extent added on every side, so outlines never touch the frame.
FRAME_PAD = 0.06


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def geojson_bytes(geojson: Mapping) -> bytes:
    """The boundaries as compact JSON (coordinates rounded to 5 decimals, about 1 m)."""
    def rounded(coords):
        if isinstance(coords, np.ndarray):
            return np.round(coords.astype(float), 5).tolist()
        if coords and isinstance(coords[0], (int, float)):
            return [round(float(c), 5) for c in coords]
        return [rounded(part) for part in coords]

    features = [{"type": "Feature", "id": f["id"], "properties": {},
                 "geometry": {"type": f["geometry"]["type"], "coordinates": rounded(f["geometry"]["coordinates"])}}
                for f in geojson["features"]]
    return json.dumps({"type": "FeatureCollection", "features": features}, separators=(",", ":"),
                      default=_plain).encode("utf-8")


def write_geojson(geojson: Mapping, folder: Path) -> str:
    """Write the boundaries to ``folder`` under a name made from their content; return the name.

    Writing is atomic and skipped when the file exists, so several processes can
    share a folder and a changed boundary set gets a new name (no stale caches).
    """
    data = geojson_bytes(geojson)
    name = f"kommuner-{hashlib.sha256(data).hexdigest()[:16]}.json"
    target = folder / name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        handle, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".json")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(data)
            os.replace(tmp, target)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
    return name


@dataclass(frozen=True)
class Bounds:
    """Lon/lat extents per unit, for framing views."""

    west: pd.Series
    south: pd.Series
    east: pd.Series
    north: pd.Series

    @classmethod
    def of(cls, geojson: Mapping) -> Bounds:
        rows = {}
        for feature in geojson["features"]:
            coords = np.vstack(_flatten(feature["geometry"]["coordinates"]))
            rows[feature["id"]] = (coords[:, 0].min(), coords[:, 1].min(), coords[:, 0].max(), coords[:, 1].max())
        table = pd.DataFrame.from_dict(rows, orient="index", columns=["w", "s", "e", "n"]).astype(float)
        return cls(table["w"], table["s"], table["e"], table["n"])


def _tm_xy(lon: np.ndarray, lat: np.ndarray, lon0: float) -> tuple[np.ndarray, np.ndarray]:
    """Spherical transverse Mercator (as plotly draws it) centred on ``lon0``, in radians."""
    lam = np.radians(lon - lon0)
    phi = np.radians(lat)
    b = np.clip(np.cos(phi) * np.sin(lam), -0.999999, 0.999999)
    x = 0.5 * np.log((1 + b) / (1 - b))
    y = np.arctan2(np.tan(phi), np.cos(lam))
    return x, y


def frame(bounds: Bounds, codes: Sequence[str], *, pad: float = FRAME_PAD) -> dict:
    """Plotly geo settings that frame ``codes`` wholly and tightly (all units when none are known).

    plotly fits and clips a ranged map to the projected bounding box of its lon/lat
    range box. In a transverse Mercator view that box is a fan far larger than the
    features (a lon/lat box around Norway leaves the map small), so the range is
    solved for instead: the lon/lat box whose projected bounds are the features'
    projected bounds plus ``pad`` on every side.
    """
    rows = bounds.west.index.get_indexer(list(codes))
    rows = rows[rows >= 0] if (rows >= 0).any() else np.arange(len(bounds.west))
    # each unit's bounding box corners, and the point of its south edge nearest the
    # central meridian (the lowest in the projected plane), in the projected plane
    w, e = bounds.west.to_numpy()[rows], bounds.east.to_numpy()[rows]
    s, n = bounds.south.to_numpy()[rows], bounds.north.to_numpy()[rows]
    lon0 = (float(w.min()) + float(e.max())) / 2
    lons = np.concatenate([w, e, w, e, np.clip(lon0, w, e)])
    lats = np.concatenate([s, s, n, n, s])
    x, y = _tm_xy(lons, lats, lon0)
    half_x = float(np.abs(x).max())
    y0, y1 = float(y.min()), float(y.max())
    span = max(2 * half_x, y1 - y0)
    half_x += span * pad
    y0, y1 = y0 - span * pad, y1 + span * pad
    south_edge = float(np.degrees(y0))
    # the range box's widest point is its southern corners: x(delta, south) = half_x
    ratio = min(0.999999, math.tanh(half_x) / max(1e-9, math.cos(y0)))
    delta = float(np.degrees(math.asin(ratio)))
    # its highest points are its northern corners: y(delta, north) = y1
    north_edge = float(np.degrees(math.atan(math.tan(min(y1, math.radians(89.0))) * math.cos(math.radians(delta)))))
    return {"lonaxis_range": [lon0 - delta, lon0 + delta],
            "lataxis_range": [south_edge, max(north_edge, south_edge + 0.01)],
            "projection": {"type": "transverse mercator", "rotation": {"lon": float(lon0)}}}


@functools.lru_cache(maxsize=64)
def _value_layer(codes: tuple[str, ...], raw: bytes, names: tuple[str, ...], measure_label: str, unit: str,
                 lang: str, decimals: int, log_scale: bool, missing_label: str) -> tuple[list, list, dict]:
    """The colour values, hover texts and colour bar of one measure (the same on every click).

    Cached on the values' bytes, so a click that changes only the selection formats
    nothing again; a changed dataset has other bytes and gets its own entry.
    """
    values = np.frombuffer(raw, dtype=float)
    colour = np.where(values > 0, np.log10(np.where(values > 0, values, 1)), np.nan) if log_scale else values
    shown = [f"{number(v, lang, decimals)} {unit}".strip() if not math.isnan(v) else missing_label for v in values]
    # below the map, across: a tall country leaves more room at the bottom than at the side
    colorbar = {"title": {"text": f"{measure_label} ({unit})" if unit else measure_label, "side": "top"},
                "orientation": "h", "thickness": 12, "len": 0.7, "x": 0.5, "xanchor": "center",
                "y": 0, "yanchor": "top", "ypad": 4}
    if log_scale:
        tickvals, ticktext = _log_ticks(values, lang, decimals)
        colorbar.update(tickvals=tickvals, ticktext=ticktext)
    z = [None if math.isnan(v) else round(float(v), 4) for v in colour]
    customdata = [[name, text] for name, text in zip(names, shown, strict=True)]
    return z, customdata, colorbar


def selection_map(*args, **kwargs) -> go.Figure:
    """:func:`selection_spec` as a plotly figure (for inspection; the app sends the spec itself)."""
    return go.Figure(selection_spec(*args, **kwargs), _validate=False)


def selection_spec(
    geojson_url: str | Mapping,
    codes: Sequence[str],
    values: pd.Series,
    names: pd.Series,
    bounds: Bounds,
    *,
    measure_label: str,
    unit: str,
    lang: str = "nb",
    selected: Iterable[str] = (),
    view: Sequence[str] | None = None,
    label_points: pd.DataFrame | Mapping[str, tuple[float, float]] | None = None,
    extra_labels: Sequence[str] = (),
    log_scale: bool = False,
    decimals: int = 0,
    missing_label: str = "–",
    height: int | None = None,
    label_size: int = 13,
) -> dict:
    """A choropleth of ``codes`` coloured by ``values``, the selection outlined and named.

    ``geojson_url`` is the boundary file's URL (or the GeoJSON itself); ``view`` the
    units to frame (default: all). ``label_points`` (index: unit number, columns
    ``lon``/``lat``, or a mapping of unit number to ``(lon, lat)``) places the names
    of the selected units and of ``extra_labels``.

    The result is a plotly figure as plain data, built unvalidated (its shape is fixed
    here and tested against plotly's validation): plotly's validation and copies cost
    more than the rest of a map click. Its lists may be shared with later figures of
    the same measure, so it is to be serialised, not changed.
    """
    codes = list(codes)
    raw = values.reindex(codes).astype(float).to_numpy()
    name_list = tuple(names.reindex(codes).fillna("").astype(str).tolist())
    z, customdata, colorbar = _value_layer(tuple(codes), raw.tobytes(), name_list, measure_label, unit, lang,
                                           decimals, log_scale, missing_label)
    measure_text = measure_label.replace("%", "%%")
    traces: list[dict] = [{
        "type": "choropleth",
        "geojson": geojson_url,
        "featureidkey": "id",
        "locations": codes,
        "z": z,
        "customdata": customdata,
        "hovertemplate": f"%{{customdata[0]}} (%{{location}})<br>{measure_text}: %{{customdata[1]}}<extra></extra>",
        "colorscale": SEQUENTIAL_SCALE,
        "marker": {"line": {"width": 0.3, "color": "#ffffff"}},
        "colorbar": colorbar,
        "name": "",
    }]
    known = set(codes)
    chosen = [c for c in dict.fromkeys(selected) if c in known]
    if chosen:
        traces.append({
            "type": "choropleth", "geojson": geojson_url, "featureidkey": "id",
            "locations": chosen, "z": [1] * len(chosen),
            "colorscale": [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]], "showscale": False,
            "marker": {"line": {"width": 2.6, "color": SELECTION_COLOUR}},
            "hoverinfo": "skip", "name": "selection",
        })
    settings = frame(bounds, view or codes)
    if view:
        # units outside the framed view are veiled, so the view's own units stand out
        inside = set(view)
        outside = [c for c in codes if c not in inside]
        traces.insert(1, {
            "type": "choropleth", "geojson": geojson_url, "featureidkey": "id",
            "locations": outside, "z": [1] * len(outside),
            "colorscale": [[0, "rgba(255,255,255,0.6)"], [1, "rgba(255,255,255,0.6)"]], "showscale": False,
            "marker": {"line": {"width": 0.3, "color": "#ffffff"}}, "hoverinfo": "skip", "name": "outside",
        })
    if label_points is not None:
        points = point_map(label_points)
        name_of = dict(zip(codes, name_list, strict=True))
        picked = set(chosen)
        taken: list[tuple[float, float]] = []
        labelled = _spaced([c for c in chosen if c in points], points, settings, taken)
        extras = _spaced([c for c in extra_labels if c in known and c not in picked and c in points],
                         points, settings, taken)
        for group, size, weight in ((extras, label_size - 2, "normal"), (labelled, label_size, "bold")):
            if not group:
                continue
            group_codes = [code for code, _spot in group]
            traces.append({
                "type": "scattergeo", "mode": "text",
                "lon": [round(float(points[code][0]), 4) for code in group_codes],
                "lat": [round(float(points[code][1]), 4) for code in group_codes],
                "text": [name_of[code] for code in group_codes],
                "textposition": [spot for _code, spot in group],
                "textfont": {"size": size, "color": "#111111", "weight": weight, "shadow": "auto"},
                "hoverinfo": "skip", "showlegend": False, "name": "labels",
            })
    geo = {"visible": False, "showland": False, "showcoastlines": False, "showocean": False, "showlakes": False,
           "showrivers": False, "showcountries": False, "showframe": False, "bgcolor": "rgba(0,0,0,0)",
           "lonaxis": {"range": settings["lonaxis_range"]}, "lataxis": {"range": settings["lataxis_range"]},
           "projection": settings["projection"]}
    layout = {"geo": geo, "margin": {"l": 0, "r": 0, "t": 0, "b": 64}, "separators": SEPARATORS.get(lang, ", "),
              "dragmode": "pan", "uirevision": "map-" + hashlib.sha1(",".join(sorted(view or [])).encode()).hexdigest()[:8],
              "clickmode": "event+select", "showlegend": False,
              # no plotly template: the app's theme styles the chart in the browser, and
              # plotly's default template was a third of every map message
              "template": {}}
    if height is not None:
        layout["height"] = height
    return {"data": traces, "layout": layout}


def point_map(points: pd.DataFrame | Mapping[str, tuple[float, float]]) -> Mapping[str, tuple[float, float]]:
    """``points`` as a mapping of unit number to ``(lon, lat)``."""
    if isinstance(points, pd.DataFrame):
        return dict(zip(points.index, zip(points["lon"].to_numpy(float), points["lat"].to_numpy(float),
                                          strict=True), strict=True))
    return points


#: Where a label may go relative to its point, with its offset (share of the frame's width, height).
_LABEL_SPOTS = (("middle center", 0.0, 0.0), ("bottom center", 0.0, -0.04), ("top center", 0.0, 0.04),
                ("middle right", 0.07, 0.0), ("middle left", -0.07, 0.0))


def _spaced(wanted: Sequence[str], points: Mapping[str, tuple[float, float]], settings: dict,
            placed: list[tuple[float, float]]) -> list[tuple[str, str]]:
    """``(code, textposition)`` for ``wanted`` in order, each put where it overlaps no earlier label.

    Overlap is judged in the projected plane against the framed extent (a label is
    taken as about a ninth of the frame wide and a thirtieth high). A name that fits
    nowhere is left off the map; it is still in the list beside it. ``placed`` (label
    centres already taken) is extended.
    """
    if not wanted:
        return []
    lon0 = settings["projection"]["rotation"]["lon"]
    (w, e), (s, n) = settings["lonaxis_range"], settings["lataxis_range"]
    fx, fy = _tm_xy(np.array([w, e, lon0, w]), np.array([s, s, s, n]), lon0)
    width, height = float(fx.max() - fx.min()) or 1.0, float(fy.max() - fy.min()) or 1.0
    x, y = _tm_xy(np.array([points[c][0] for c in wanted], dtype=float),
                  np.array([points[c][1] for c in wanted], dtype=float), lon0)
    kept: list[tuple[str, str]] = []
    for code, cx, cy in zip(wanted, x / width, y / height, strict=True):
        for spot, dx, dy in _LABEL_SPOTS:
            px, py = cx + dx, cy + dy
            if all(abs(px - qx) > 0.11 or abs(py - qy) > 0.04 for qx, qy in placed):
                kept.append((code, spot))
                placed.append((px, py))
                break
    return kept


def larger_units(population: pd.Series, codes: Sequence[str], count: int = COUNTY_LABELS) -> list[str]:
    """The ``count`` most populous of ``codes`` (to name on a county view)."""
    values = population.reindex(list(codes)).dropna().sort_values(ascending=False)
    return list(values.index[:count])
