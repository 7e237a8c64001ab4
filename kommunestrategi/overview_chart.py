"""The secretariat's overview as a heat map: councils down, the checklist's steps
across, each cell the share of the step filled in (plotly, no Streamlit).

The column titles are wrapped over several lines, so the eight steps fit the
page's width instead of scrolling sideways; where even that would overlap (a narrow
page), the browser turns them.
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence

import pandas as pd
import plotly.graph_objects as go

from kommunestrategi.formatting import percent

#: Characters per line of a wrapped column title.
TITLE_WIDTH = 12


def wrap(title: str, width: int = TITLE_WIDTH) -> str:
    """A column title over lines of at most ``width`` characters, broken between words."""
    return "<br>".join(textwrap.wrap(title, width=width, break_long_words=False)) or title


def completeness_heatmap(matrix: pd.DataFrame, labels: Mapping[str, str], rows: Sequence[str],
                         lang: str = "nb", colour_title: str = "", notes: Sequence[str] = ()) -> go.Figure:
    """``matrix`` (councils x step ids, shares 0-1) as a heat map with the share in each cell;
    ``notes`` (one per row, e.g. the areas started) show on hover."""
    columns = list(matrix.columns)
    notes = list(notes) or [""] * len(rows)
    z = matrix.to_numpy(dtype=float)
    text = [[percent(v, lang, 0) for v in row] for row in z]
    fig = go.Figure(go.Heatmap(
        z=z, x=[wrap(labels.get(c, c)) for c in columns], y=list(rows), zmin=0.0, zmax=1.0,
        colorscale="YlGn", text=text, texttemplate="%{text}", textfont={"size": 13},
        customdata=[[note] * len(columns) for note in notes],
        hovertemplate="%{y} (%{customdata})<br>%{x}: %{text}<extra></extra>", xgap=2, ygap=2,
        colorbar={"title": {"text": colour_title}, "thickness": 12, "tickvals": [0, 0.2, 0.4, 0.6, 0.8, 1.0],
                  "ticktext": [percent(v, lang, 0) for v in (0, 0.2, 0.4, 0.6, 0.8, 1.0)]},
    ))
    fig.update_layout(
        height=140 + 44 * len(rows), margin={"l": 10, "r": 10, "t": 90, "b": 10},
        # no fixed angle: level titles where they fit (a wide page), turned where they would
        # overlap (a projector at 1024); the top margin grows to hold them
        xaxis={"side": "top", "automargin": True, "fixedrange": True, "tickfont": {"size": 10}},
        yaxis={"autorange": "reversed", "fixedrange": True},
        separators={"nb": ", ", "sv": ", "}.get(lang, ".,"),
    )
    return fig
