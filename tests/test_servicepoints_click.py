"""Placing a service point by clicking the map: the invisible click layer over the view
and reading the clicked position from plotly's selection event."""

from __future__ import annotations

import numpy as np

from kommunestrategi import geo
from kommunestrategi.servicepoints.coverage import compute_coverage
from kommunestrategi.servicepoints.maps import CLICK_ID, add_click_layer, clicked_position, coverage_map

LABELS = {"share": "Innen rekkevidde", "centre": "Servicesenter", "fixed": "Fast", "mobile": "Mobil",
          "missing": "ukjent"}
MEMBERS = ["5001", "5028", "5029", "5031", "5059"]


def _figure():
    geography = geo.bundled()
    result = compute_coverage(geography, [], 20)
    return coverage_map(geography, result, [], labels=LABELS, selected=MEMBERS, focus=MEMBERS)


def test_click_layer_covers_the_view_and_silences_the_municipalities() -> None:
    fig = _figure()
    lon_range, lat_range = list(fig.layout.geo.lonaxis.range), list(fig.layout.geo.lataxis.range)
    spacing = add_click_layer(fig, "Klikk for å plassere et punkt her", cells=60)
    layer = fig.data[-1]
    assert set(layer.customdata) == {CLICK_ID} and len(layer.lon) == 60 * 60
    # the view and half of it again on every side, so a panned map still answers clicks
    assert min(layer.lon) < lon_range[0] and max(layer.lon) > lon_range[1]
    assert min(layer.lat) < lat_range[0] and max(layer.lat) > lat_range[1]
    assert layer.marker.opacity == 0 and layer.selected.marker.opacity == 0
    lat_step = np.diff(sorted(set(layer.lat)))[0]
    assert abs(spacing - lat_step * 111.2) < 0.01
    assert 0 < spacing < 10  # a few km around Trondheim
    assert all(trace.hoverinfo == "skip" for trace in fig.data if trace.type == "choropleth")
    assert "Klikk for å plassere et punkt her" in layer.hovertemplate


def test_clicked_position_reads_only_the_click_layer() -> None:
    municipality = {"selection": {"points": [{"location": "5001", "curve_number": 0}]}}
    assert clicked_position(municipality) is None
    assert clicked_position(None) is None and clicked_position({}) is None
    click = {"selection": {"points": [
        {"curve_number": 1, "customdata": "p1", "lat": 63.4, "lon": 10.3},  # an existing point's marker
        {"curve_number": 2, "customdata": CLICK_ID, "lat": 63.41234, "lon": 10.39876}]}}
    assert clicked_position(click) == (63.41234, 10.39876)
