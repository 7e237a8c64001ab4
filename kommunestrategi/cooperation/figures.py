"""Figures of the cooperation register: the network graph and partner lines on the map.

The network is laid out with networkx (a spring layout started from each
municipality's geographic centre, so neighbours stay near each other) and drawn
with plotly as plain dicts (no per-property validation). Node size is the number
of arrangements, colour the county; links are drawn in a few width classes by
the number of shared arrangements, strongest first, at most ``MAX_LINKS`` of them
so that the figure stays small (the page says when links were left out).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import networkx as nx
import numpy as np
import pandas as pd
import plotly.graph_objects as go

from kommunestrategi.charts import OKABE_ITO, SEPARATORS
from kommunestrategi.cooperation.analysis import pair_counts
from kommunestrategi.cooperation.model import Arrangement

MAX_LINKS = 2500
#: At most this many municipalities are named in the network (the chosen ones and their partners).
MAX_NAMED = 40
#: Qualitative colours for counties (Okabe-Ito first, then muted extras).
COUNTY_COLOURS = (*(OKABE_ITO[k] for k in ("blue", "orange", "green", "vermillion", "purple", "sky", "yellow",
                                          "black")), "#8c564b", "#7f7f7f", "#bcbd22", "#17becf", "#393b79",
                  "#ad494a", "#637939", "#843c39")
#: Layouts by (links, nodes, start, seed, iterations): reruns of a page with the same register reuse them.
_LAYOUTS: dict[tuple, dict[str, tuple[float, float]]] = {}
LINK_CLASSES = ((1, 0.6, "rgba(90,90,90,0.25)"), (2, 1.4, "rgba(60,60,60,0.45)"),
                (4, 2.6, "rgba(30,30,30,0.6)"), (8, 4.0, "rgba(0,0,0,0.75)"))


@dataclass(frozen=True)
class Network:
    """Node positions, sizes and links of the cooperation network."""

    positions: dict[str, tuple[float, float]]
    arrangements: dict[str, int]
    links: list[tuple[str, str, int]]
    links_total: int


def network(arrangements: Iterable[Arrangement], centres: pd.DataFrame | None = None, *, seed: int = 7,
            iterations: int = 10) -> Network:
    """The laid-out network; ``centres`` (index kommunenummer, columns x/y) seeds the layout."""
    arrangements = list(arrangements)
    pairs = pair_counts(arrangements)
    counts: dict[str, int] = {}
    for a in arrangements:
        for m in set(a.members):
            counts[m] = counts.get(m, 0) + 1
    graph = nx.Graph()
    graph.add_nodes_from(sorted(counts))
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in pairs.items())
    start = None
    if centres is not None and len(graph):
        known = [c for c in graph.nodes if c in centres.index]
        if known:
            xy = centres.loc[known, ["x", "y"]].to_numpy(dtype=float)
            span = float(max(np.ptp(xy[:, 0]), np.ptp(xy[:, 1]), 1.0))
            xy = (xy - xy.mean(axis=0)) / span * 2
            start = {c: tuple(p) for c, p in zip(known, xy, strict=True)}
            rng = np.random.default_rng(seed)
            for c in graph.nodes:
                start.setdefault(c, tuple(rng.uniform(-1, 1, 2)))
    if len(graph) == 0:
        positions: dict[str, tuple[float, float]] = {}
    elif len(graph) == 1:
        positions = {next(iter(graph.nodes)): (0.0, 0.0)}
    else:
        key = (hash(frozenset(pairs.items())), hash(frozenset(counts)), None if start is None else
               hash(tuple(sorted(start.items()))), seed, iterations)
        positions = _LAYOUTS.get(key)
        if positions is None:
            k = 3.0 / math.sqrt(len(graph))
            laid = nx.spring_layout(graph, pos=start, k=k, iterations=iterations, seed=seed, weight="weight")
            positions = {c: (round(float(p[0]), 3), round(float(p[1]), 3)) for c, p in laid.items()}
            if len(_LAYOUTS) >= 8:
                _LAYOUTS.pop(next(iter(_LAYOUTS)))
            _LAYOUTS[key] = positions
    links = sorted(((a, b, w) for (a, b), w in pairs.items()), key=lambda x: (-x[2], x[0], x[1]))
    return Network(positions, counts, links[:MAX_LINKS], len(links))


def _link_class(weight: int) -> int:
    chosen = 0
    for i, (lowest, _width, _colour) in enumerate(LINK_CLASSES):
        if weight >= lowest:
            chosen = i
    return chosen


def _class_label(i: int) -> str:
    """The shared-arrangement counts of a width class: ``1``, ``2–3``, ``4–7``, ``8+``."""
    lowest = LINK_CLASSES[i][0]
    upper = LINK_CLASSES[i + 1][0] - 1 if i + 1 < len(LINK_CLASSES) else None
    return f"{lowest}" if upper == lowest else (f"{lowest}–{upper}" if upper else f"{lowest}+")


def county_colours(counties: Sequence[str]) -> dict[str, str]:
    return {c: COUNTY_COLOURS[i % len(COUNTY_COLOURS)] for i, c in enumerate(sorted(set(counties)))}


def network_figure(net: Network, names: Mapping[str, str], counties: Mapping[str, str], *,
                   lang: str = "nb", arrangements_label: str = "arrangements", shared_label: str = "shared",
                   height: int = 620, highlight: Iterable[str] = ()) -> go.Figure:
    """The network as a plotly figure: links in width classes, nodes coloured by county."""
    traces: list[dict] = []
    classes = [[] for _ in LINK_CLASSES]
    for a, b, w in net.links:
        if a in net.positions and b in net.positions:
            classes[_link_class(w)].append((net.positions[a], net.positions[b]))
    for i, (_lowest, width, colour) in enumerate(LINK_CLASSES):
        if not classes[i]:
            continue
        # one polyline per class, links separated by NaN gaps; float32 arrays travel as compact binary
        ends = np.asarray(classes[i], dtype=np.float32)  # (links, 2 ends, x/y)
        xs = np.full(len(ends) * 3, np.nan, dtype=np.float32)
        ys = np.full(len(ends) * 3, np.nan, dtype=np.float32)
        xs[0::3], xs[1::3] = ends[:, 0, 0], ends[:, 1, 0]
        ys[0::3], ys[1::3] = ends[:, 0, 1], ends[:, 1, 1]
        label = _class_label(i)
        traces.append({"type": "scatter", "mode": "lines", "x": xs, "y": ys, "hoverinfo": "skip",
                       "connectgaps": False, "line": {"width": width, "color": colour},
                       "name": f"{shared_label}: {label}", "legendgroup": "links", "showlegend": True})
    colours = county_colours([counties.get(c, "") for c in net.positions])
    by_county: dict[str, list[str]] = {}
    for code in net.positions:
        by_county.setdefault(counties.get(code, ""), []).append(code)
    wanted = set(highlight)
    largest = max(net.arrangements.values(), default=1)
    for county in sorted(by_county):
        codes = by_county[county]
        sizes = [5 + 15 * math.sqrt(net.arrangements.get(c, 0) / largest) for c in codes]
        traces.append({
            "type": "scatter", "mode": "markers", "name": county or "–",
            "x": [net.positions[c][0] for c in codes], "y": [net.positions[c][1] for c in codes],
            "marker": {"size": [round(s, 1) for s in sizes], "color": colours[county], "opacity": 0.85,
                       "line": {"width": [2.5 if c in wanted else 0.5 for c in codes],
                                "color": ["#d62728" if c in wanted else "#ffffff" for c in codes]}},
            "text": [f"{names.get(c, c)} ({c})<br>{arrangements_label}: {net.arrangements.get(c, 0)}" for c in codes],
            "customdata": codes, "hovertemplate": "%{text}<extra></extra>",
        })
    # names beside the chosen municipality and its partners (a network of bare dots says little)
    named = [c for c in net.positions if c in wanted]
    named += sorted({b if a in wanted else a for a, b, _w in net.links if (a in wanted) != (b in wanted)}
                    - set(named))
    if named and len(named) <= MAX_NAMED:
        traces.append({"type": "scatter", "mode": "text", "x": [net.positions[c][0] for c in named],
                       "y": [net.positions[c][1] for c in named], "text": [names.get(c, c) for c in named],
                       "textposition": "top center", "textfont": {"size": 11, "color": "#222222"},
                       "hoverinfo": "skip", "showlegend": False, "name": ""})
    fig = go.Figure({"data": traces}, _validate=False)
    fig.update_layout(
        height=height, margin={"l": 0, "r": 0, "t": 10, "b": 0}, separators=SEPARATORS.get(lang, ", "),
        xaxis={"visible": False}, yaxis={"visible": False, "scaleanchor": "x"},
        plot_bgcolor="rgba(0,0,0,0)", legend={"itemsizing": "constant"}, dragmode="pan", uirevision="network",
    )
    return fig


def add_partner_lines(fig: go.Figure, links: Sequence[tuple[str, str, int]], centres: pd.DataFrame, *,
                      shared_label: str = "shared") -> go.Figure:
    """Lines between partners on a map figure (``scattergeo``), width by shared arrangements."""
    for i, (_lowest, width, colour) in enumerate(LINK_CLASSES):
        lons: list[float | None] = []
        lats: list[float | None] = []
        for a, b, w in links:
            if _link_class(w) != i or a not in centres.index or b not in centres.index:
                continue
            lons += [round(float(centres.at[a, "lon"]), 4), round(float(centres.at[b, "lon"]), 4), None]
            lats += [round(float(centres.at[a, "lat"]), 4), round(float(centres.at[b, "lat"]), 4), None]
        if lons:
            fig.add_trace(go.Scattergeo(lon=lons, lat=lats, mode="lines", hoverinfo="skip",
                                        line={"width": width + 0.4, "color": colour.replace("0.25", "0.5")},
                                        name=f"{shared_label}: {_class_label(i)}", showlegend=True))
    return fig
