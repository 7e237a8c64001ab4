"""A static map of a region or scenario as PNG, drawn offline (geopandas + matplotlib Agg).

Documents need a picture, not an interactive map, and a server may have no
browser: matplotlib's Agg backend draws without a display. The region's members
are filled, the council itself is outlined and darker, and the surrounding
municipalities are drawn in grey for orientation. Maps are drawn in UTM 33N
(EPSG:25833) so Norway keeps its shape.
"""

from __future__ import annotations

import io
from functools import lru_cache

import geopandas as gpd
import matplotlib

matplotlib.use("Agg")
from matplotlib.figure import Figure  # noqa: E402 - the backend must be chosen first

from kommunestrategi import geo  # noqa: E402

MEMBER_COLOUR = "#7fa6cf"
COUNCIL_COLOUR = "#2f4b6e"
CONTEXT_COLOUR = "#e6e6e6"
#: Space around the region, as a share of its larger side.
MARGIN = 0.15


_PROJECTED: dict[geo.Geography, gpd.GeoDataFrame] = {}


def _projected(geography: geo.Geography) -> gpd.GeoDataFrame:
    """The geography's municipalities in EPSG:25833 (kept per geography object)."""
    if geography not in _PROJECTED:
        if len(_PROJECTED) >= 4:
            _PROJECTED.clear()
        gdf = geography.municipalities[["kommunenummer", "name", "geometry"]]
        _PROJECTED[geography] = gdf.to_crs(geo.METRIC_CRS).set_index("kommunenummer")
    return _PROJECTED[geography]


@lru_cache(maxsize=64)
def _render(codes: tuple[str, ...], council: str, labels: bool, width_px: int,
            geography: geo.Geography) -> bytes:
    gdf = _projected(geography)
    members = gdf.loc[[c for c in codes if c in gdf.index]]
    if members.empty:
        raise ValueError("no known municipality in the region")
    minx, miny, maxx, maxy = members.total_bounds
    pad = max(maxx - minx, maxy - miny, 20_000) * MARGIN
    box = (minx - pad, miny - pad, maxx + pad, maxy + pad)
    context = gdf.cx[box[0]:box[2], box[1]:box[3]]
    context = context[~context.index.isin(members.index)]

    aspect = (box[3] - box[1]) / (box[2] - box[0])
    width_in = 7.0
    height_in = min(max(width_in * aspect, 3.5), 9.0)
    fig = Figure(figsize=(width_in, height_in), dpi=width_px / width_in)
    ax = fig.add_axes((0, 0, 1, 1))
    if not context.empty:
        context.plot(ax=ax, color=CONTEXT_COLOUR, edgecolor="white", linewidth=0.6)
    members.plot(ax=ax, color=MEMBER_COLOUR, edgecolor="white", linewidth=0.8)
    if council in members.index:
        members.loc[[council]].plot(ax=ax, color=COUNCIL_COLOUR, edgecolor="black", linewidth=1.2)
    if labels and len(members) <= 25:
        centres = geography.centres
        for code in members.index:
            x, y = centres.at[code, "x"], centres.at[code, "y"]
            ax.annotate(members.at[code, "name"], (x, y), ha="center", va="center", fontsize=7,
                        color="white" if code == council else "black",
                        bbox={"boxstyle": "round,pad=0.15", "fc": "none", "ec": "none"})
    ax.set_xlim(box[0], box[2])
    ax.set_ylim(box[1], box[3])
    ax.set_aspect("equal")
    ax.set_axis_off()
    out = io.BytesIO()
    # a light compression level: a third of the encoding time for a slightly larger file
    fig.savefig(out, format="png", facecolor="white", pil_kwargs={"compress_level": 2})
    return out.getvalue()


def region_map_png(codes: list[str], council: str = "", *, labels: bool = True, width_px: int = 1050,
                   geography: geo.Geography | None = None) -> bytes:
    """PNG bytes of the region ``codes`` (map unit numbers) with ``council`` emphasised,
    on ``geography`` (default the bundled map).

    Repeated calls for the same region are served from a small cache, so a batch
    of councils in one region draws the map once per council highlight.
    """
    return _render(tuple(dict.fromkeys(codes)), council, labels, width_px, geography or geo.bundled())
