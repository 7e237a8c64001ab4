"""Map assets per boundary set: the GeoJSON file the browser fetches once, bounds, label points.

The boundary file is written to the app's static folder (``static/kart/``, served at
``/app/static/kart/``) under a content-derived name, so every process serving the
app writes the same file and a changed boundary set gets a new address. If the
folder cannot be written, the figure carries the boundaries itself (slower, same map).
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go

from kommunestrategi import geo, maps

LOG = logging.getLogger("kommunestrategi.ui")
STATIC_DIR = Path(__file__).resolve().parent.parent / "static" / "kart"
STATIC_URL = "/app/static/kart/"


@dataclass(frozen=True)
class MapAssets:
    geojson: str | dict  # the file's URL, or the GeoJSON itself when it could not be written
    bounds: maps.Bounds
    label_points: Mapping[str, tuple[float, float]]  # unit number -> (lon, lat)


_ASSETS: weakref.WeakKeyDictionary[geo.Geography, MapAssets] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def assets(geography: geo.Geography) -> MapAssets:
    """The map assets of ``geography`` (built once per boundary set and process)."""
    with _LOCK:
        found = _ASSETS.get(geography)
        if found is not None:
            return found
        try:
            ref: str | dict = STATIC_URL + maps.write_geojson(geography.display, STATIC_DIR)
        except OSError:
            LOG.exception("could not write the boundary file; the map carries the boundaries itself")
            ref = geography.display
        found = MapAssets(ref, maps.Bounds.of(geography.display), maps.point_map(geography.centres[["lon", "lat"]]))
        _ASSETS[geography] = found
        return found


class SpecFigure(go.Figure):
    """A finished figure spec (:func:`kommunestrategi.maps.selection_spec`) handed to ``st.plotly_chart``.

    Given a dict, Streamlit validates it through a plotly ``Figure`` (every property
    checked, the data copied twice); given a figure, it takes ``to_dict()`` as it is.
    This figure's ``to_dict()`` is the spec itself, so a map click serialises the spec
    once and nothing more. It is for sending only: plotly's own set-up is skipped (an
    empty figure costs milliseconds), so only ``to_dict`` works (look at the spec, or
    use :func:`kommunestrategi.maps.selection_map` for a plotly figure).
    """

    def __init__(self, spec: dict) -> None:  # noqa: D107 - plotly's own set-up (4 ms) is skipped on purpose
        self._spec = spec

    def __repr__(self) -> str:
        return f"SpecFigure({len(self._spec.get('data', []))} traces)"

    def to_dict(self) -> dict:
        return self._spec

    def to_plotly_json(self) -> dict:
        return self._spec
