"""Pure figure builders: data in, plotly figure out (no Streamlit).

Maps use ``go.Choropleth`` on plotly's own geo projection with every base layer
switched off, so nothing is fetched from a tile server. The page passes
``topojsonURL`` pointing at the app's static folder, where an empty base-layer
file stands in for the one plotly would otherwise download.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kommunestrategi.formatting import number, percent

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
        text=[percent(share, lang, 1) for share in shares], textposition="outside", cliponaxis=False,
        marker_color="#1f5f8b", hovertemplate="%{y}: %{text}<extra></extra>"))
    # the whole scale, 0-100 %, with each bar's value written beside it
    fig.update_layout(title=title, height=80 + 28 * len(names),
                      margin={"l": 0, "r": 40, "t": 40, "b": 0},
                      xaxis={"range": [0, 100], "ticksuffix": " %", "fixedrange": True},
                      separators=SEPARATORS.get(lang, ", "), yaxis={"autorange": "reversed", "fixedrange": True})
    return fig


# ---------------------------------------------------------------------------
# Indicator figures (the Indicators page)
#
# Built as plain dicts and passed to plotly without validation (as the map is):
# validating every property costs tens of milliseconds per figure. Hover numbers
# are formatted in the browser with d3-format and the language's ``separators``.
# ---------------------------------------------------------------------------

#: Okabe-Ito colours (safe for the common colour-vision deficiencies).
OKABE_ITO = {"blue": "#0072B2", "orange": "#E69F00", "vermillion": "#D55E00", "green": "#009E73",
             "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "grey": "#999999",
             "black": "#000000"}
#: Relative position by quartile, first = top quarter (viridis steps, colour-blind-safe).
POSITION_COLOURS = ("#440154", "#31688e", "#35b779", "#fde725")
_ROLE_COLOURS = {"subject": OKABE_ITO["blue"], "peers": OKABE_ITO["orange"],
                 "region": OKABE_ITO["purple"], "county": OKABE_ITO["green"],
                 "kostragruppe": OKABE_ITO["sky"], "national": OKABE_ITO["grey"],
                 "member": "#7fa7c9"}


def _value_text(value: float | None, unit: str, lang: str, decimals: int) -> str:
    return f"{number(value, lang, decimals)} {unit}".strip() if value is not None else "–"


def _d3(decimals: int) -> str:
    """A d3 number format with grouping and ``decimals`` decimals."""
    return f",.{decimals}f"


def _figure(traces: list[dict], layout: dict, lang: str) -> go.Figure:
    base = {"separators": SEPARATORS.get(lang, ", "), "margin": {"l": 0, "r": 0, "t": 40, "b": 0}}
    return go.Figure({"data": traces, "layout": {**base, **layout}}, _validate=False)


def _title(text: str) -> dict:
    return {"text": text, "font": {"size": 14}}


def indicator_comparison(
    rows: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    unit: str,
    lang: str = "nb",
    decimals: int = 1,
) -> go.Figure:
    """Horizontal bars: the subject's figure and its comparison groups.

    ``rows`` are ``(label, value, role)`` with role ``subject``, ``peers``, ``region``,
    ``county``, ``kostragruppe``, ``national`` or ``member``; missing values are
    listed with a dash and no bar (never as zero).
    """
    texts = [_value_text(value, unit, lang, decimals) for _label, value, _role in rows]
    trace = {
        "type": "bar", "orientation": "h",
        "x": [value for _label, value, _role in rows], "y": [label for label, _value, _role in rows],
        "marker": {"color": [_ROLE_COLOURS.get(role, OKABE_ITO["grey"]) for _label, _value, role in rows]},
        "text": texts, "textposition": "outside", "cliponaxis": False,
        "hovertemplate": "%{y}: %{text}<extra></extra>",
    }
    return _figure([trace], {
        "title": _title(title), "height": 90 + 30 * len(rows), "margin": {"l": 0, "r": 40, "t": 40, "b": 0},
        "yaxis": {"autorange": "reversed"}, "xaxis": {"title": {"text": unit}, "rangemode": "tozero"},
        "showlegend": False}, lang)


def indicator_strip(
    values: pd.Series,
    names: pd.Series,
    *,
    subject_value: float | None,
    subject_label: str,
    direction: str,
    title: str,
    unit: str,
    lang: str = "nb",
    decimals: int = 1,
    position_labels: Sequence[str] = ("1", "2", "3", "4"),
    legend_title: str = "",
) -> go.Figure:
    """Every municipality's figure as a dot, coloured by its quarter of the ranking.

    The colours show relative position only (``legend_title`` should say so), never
    a verdict. For ``lower_is_better`` the lowest values form the first quarter; for
    ``neutral`` the first quarter holds the largest values.
    """
    raw = values.to_numpy(dtype=float)
    keep = ~np.isnan(raw)
    raw = raw[keep]
    labels = names.reindex(values.index).to_numpy(dtype=object)[keep]
    order = np.argsort(raw if direction == "lower_is_better" else -raw, kind="stable")
    ranks = np.empty(raw.size, dtype=int)
    ranks[order] = np.arange(raw.size)
    quarter = np.minimum(ranks * 4 // max(raw.size, 1), 3)
    jitter = ((np.arange(raw.size) * 0.6180339887) % 1 - 0.5) * 0.6
    hover = f"%{{customdata}}: %{{x:{_d3(decimals)}}} {unit}<extra></extra>"
    traces = []
    for q in range(4):
        mask = quarter == q
        traces.append({
            "type": "scatter", "mode": "markers", "name": position_labels[q],
            "x": raw[mask], "y": jitter[mask], "customdata": labels[mask], "hovertemplate": hover,
            "marker": {"color": POSITION_COLOURS[q], "size": 7, "opacity": 0.8,
                       "line": {"width": 0.4, "color": "#ffffff"}}})
    if subject_value is not None:
        traces.append({
            "type": "scatter", "mode": "markers+text", "name": subject_label,
            "x": [subject_value], "y": [0], "text": [subject_label], "textposition": "top center",
            "marker": {"symbol": "diamond", "size": 16, "color": OKABE_ITO["vermillion"],
                       "line": {"width": 1.5, "color": "#000000"}},
            "hovertemplate": f"{subject_label}: {_value_text(subject_value, unit, lang, decimals)}<extra></extra>"})
    return _figure(traces, {
        "title": _title(title), "height": 260,
        "yaxis": {"visible": False, "range": [-0.6, 0.8]}, "xaxis": {"title": {"text": unit}},
        "legend": {"orientation": "h", "y": -0.3, "title": {"text": legend_title}}}, lang)


def indicator_trend(
    series: Mapping[str, pd.DataFrame],
    *,
    title: str,
    unit: str,
    lang: str = "nb",
    decimals: int = 1,
) -> go.Figure:
    """Lines over the years: one per label, each a frame with ``year`` and ``value``.

    The first series is the subject (drawn thicker); years are whole numbers.
    """
    colours = [OKABE_ITO[c] for c in ("blue", "orange", "green", "purple", "sky", "vermillion", "grey")]
    traces = []
    for i, (label, frame) in enumerate(series.items()):
        if frame is None or frame.empty:
            continue
        traces.append({
            "type": "scatter", "mode": "lines+markers", "name": label,
            "x": frame["year"].astype(int).tolist(), "y": frame["value"].astype(float).tolist(),
            "line": {"width": 3.5 if i == 0 else 1.8, "color": colours[i % len(colours)]},
            "hovertemplate": f"{label} %{{x}}: %{{y:{_d3(decimals)}}} {unit}<extra></extra>"})
    return _figure(traces, {
        "title": _title(title), "height": 340, "xaxis": {"dtick": 1, "tickformat": "d"},
        "yaxis": {"title": {"text": unit}}, "legend": {"orientation": "h", "y": -0.2}}, lang)


def age_pyramid(
    structure: pd.DataFrame,
    *,
    group_labels: Mapping[str, str],
    title: str,
    lang: str = "nb",
    reference: pd.DataFrame | None = None,
    subject_label: str = "",
    reference_label: str = "",
) -> go.Figure:
    """The age structure as a centred pyramid of shares (youngest at the bottom).

    ``structure`` has ``group, value, share`` (share 0-1). SSB's bundled age groups
    carry no split by sex, so each bar is centred: half to each side. A
    ``reference`` (e.g. the country) is drawn as outlined bars for comparison.
    """
    groups = list(structure["group"])
    labels = [group_labels.get(g, g) for g in groups]
    shares = [float(s) * 100 if s is not None and not pd.isna(s) else None for s in structure["share"]]
    # the share beside the bar (short enough for a narrow column); the count in the hover text
    text = [f"{number(s, lang, 1)} %" if s is not None else "–" for s in shares]
    hover = [f"{number(v, lang)} ({number(s, lang, 1)} %)" if s is not None else "–"
             for v, s in zip(structure["value"], shares, strict=True)]
    half = [s / 2 if s is not None else None for s in shares]
    traces = []
    for side in (-1, 1):
        traces.append({
            "type": "bar", "orientation": "h", "y": labels,
            "x": [side * h if h is not None else None for h in half],
            "marker": {"color": OKABE_ITO["blue"]}, "name": subject_label, "showlegend": side == 1,
            "text": text if side == 1 else None, "textposition": "outside", "cliponaxis": False,
            "customdata": hover, "hovertemplate": "%{y}: %{customdata}<extra></extra>"})
    if reference is not None and not reference.empty:
        ref = reference.set_index("group").reindex(groups)["share"].astype(float) * 50
        for side in (-1, 1):
            traces.append({
                "type": "bar", "orientation": "h", "y": labels, "x": list(side * ref),
                "name": reference_label, "showlegend": side == 1, "hoverinfo": "skip",
                "marker": {"color": "rgba(0,0,0,0)", "line": {"color": OKABE_ITO["vermillion"], "width": 2}}})
    limit = max([h for h in half if h is not None] + [1]) * 2.0
    return _figure(traces, {
        "title": _title(title), "barmode": "overlay", "bargap": 0.08, "height": 330,
        "xaxis": {"range": [-limit, limit], "visible": False},
        "legend": {"orientation": "h", "y": -0.05}}, lang)


def population_projection(
    frame: pd.DataFrame,
    *,
    series_labels: Mapping[str, str],
    title: str,
    axis_title: str,
    lang: str = "nb",
    marks: Sequence[int] = (2030, 2040),
    note: str = "",
) -> go.Figure:
    """Total population and 80+ as an index (first year = 100), observed and projected.

    ``frame`` has ``year, series (total | 80_plus), value, kind (observed |
    projected)``. The 80+ line is highlighted; projected years are dashed with the
    target years (2030, 2040) marked. Without projected years the observed trend
    is drawn and ``note`` (where projections come from) is written on the chart.
    """
    styles = {"total": (OKABE_ITO["grey"], 2.0), "80_plus": (OKABE_ITO["vermillion"], 4.0)}
    projected_any = bool((frame["kind"] == "projected").any()) if not frame.empty else False
    traces = []
    for series, (colour, width) in styles.items():
        part = frame[frame["series"] == series].sort_values("year")
        if part.empty:
            continue
        base = float(part.iloc[0]["value"])
        values = part["value"].to_numpy(dtype=float)
        index = values / base * 100 if base else values * np.nan
        years = part["year"].to_numpy(dtype=int)
        kinds = part["kind"].to_numpy()
        for kind, dash in (("observed", "solid"), ("projected", "dash")):
            mask = kinds == kind
            if kind == "projected" and mask.any() and (~mask).any():
                mask = mask.copy()
                mask[np.flatnonzero(~mask)[-1]] = True   # join the projection to the last observation
            if not mask.any():
                continue
            traces.append({
                "type": "scatter", "mode": "lines+markers",
                "name": series_labels.get(series, series) + ("" if kind == "observed" else " *"),
                "x": years[mask].tolist(), "y": index[mask].tolist(), "customdata": values[mask].tolist(),
                "line": {"color": colour, "width": width, "dash": dash},
                "hovertemplate": "%{x}: %{customdata:,.0f} (%{y:,.0f})<extra></extra>"})
    note_lines = [] if projected_any else textwrap.wrap(note, 90)
    shapes, annotations = [], []
    if projected_any:
        for year in marks:
            shapes.append({"type": "line", "xref": "x", "yref": "paper", "x0": year, "x1": year,
                           "y0": 0, "y1": 1, "line": {"color": "#666666", "width": 1, "dash": "dot"}})
            annotations.append({"text": str(year), "xref": "x", "yref": "paper", "x": year, "y": 1,
                                "yanchor": "bottom", "showarrow": False})
    elif note_lines:
        annotations.append({"text": "<br>".join(note_lines), "xref": "paper", "yref": "paper", "x": 0,
                            "y": 1.0, "xanchor": "left", "yanchor": "bottom", "showarrow": False,
                            "font": {"size": 11, "color": "#444444"}})
    return _figure(traces, {
        "title": _title(title), "height": 360, "shapes": shapes, "annotations": annotations,
        "margin": {"l": 0, "r": 0, "t": 50 + 16 * len(note_lines), "b": 0}, "xaxis": {"tickformat": "d"},
        "yaxis": {"title": {"text": axis_title}}, "legend": {"orientation": "h", "y": -0.15}}, lang)


def similarity_table(
    result: pd.DataFrame,
    values: Mapping[str, pd.Series],
    *,
    columns: Mapping[str, str],
) -> pd.DataFrame:
    """The similar-municipalities result as a display table.

    ``result`` comes from ``IndicatorData.similar``; ``values`` maps a column title to
    each municipality's figure (indexed by number); ``columns`` gives the titles for
    ``rank, kommunenummer, name, distance``.
    """
    table = pd.DataFrame({
        columns["rank"]: result["rank"].to_numpy(),
        columns["kommunenummer"]: result["kommunenummer"].to_numpy(),
        columns["name"]: result["name"].to_numpy(),
        columns["distance"]: result["distance"].round(3).to_numpy(),
    })
    for title, series in values.items():
        table[title] = series.reindex(result["kommunenummer"]).to_numpy()
    return table
