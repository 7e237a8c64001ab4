"""The national map figure: offline, all units, selection outlined, Norwegian numbers."""

import json

import pandas as pd

from kommunestrategi import charts, geo


def _figure(**kwargs):
    units = geo.load_units().set_index("kommunenummer")
    return charts.national_map(geo.display_geojson(), units["population_2024"].astype(float),
                               units["name"], measure_label="Folketall", unit="innbyggere", **kwargs)


def test_every_unit_is_drawn_without_base_layers():
    fig = _figure()
    assert len(fig.data[0].locations) == 356
    geo_layout = fig.layout.geo
    assert geo_layout.projection.type == "transverse mercator"
    assert not any([geo_layout.showland, geo_layout.showcoastlines, geo_layout.showcountries,
                    geo_layout.showocean, geo_layout.showlakes])


def test_selection_is_outlined_in_a_second_trace_with_only_its_features():
    fig = _figure(selected=["5001", "5031"])
    assert len(fig.data) == 2
    outline = fig.data[1]
    assert list(outline.locations) == ["5001", "5031"]
    assert len(outline.geojson["features"]) == 2


def test_hover_text_uses_norwegian_number_format():
    fig = _figure(lang="nb")
    oslo = fig.data[0].text[list(fig.data[0].locations).index("0301")]
    assert "717\u00a0710" in oslo
    assert fig.layout.separators == ", "


def test_missing_values_are_not_shown_as_zero():
    units = geo.load_units().set_index("kommunenummer")
    values = pd.Series({"0301": 1.0})
    fig = charts.national_map(geo.display_geojson(), values, units["name"],
                              measure_label="X", unit="", missing_label="ingen data")
    locations = list(fig.data[0].locations)
    assert fig.data[0].z[locations.index("5001")] is None
    assert "ingen data" in fig.data[0].text[locations.index("5001")]


def test_focus_frames_the_chosen_units():
    fig = _figure(focus=["5001", "5031"])
    lon = fig.layout.geo.lonaxis.range
    lat = fig.layout.geo.lataxis.range
    assert 9.5 < lon[0] < lon[1] < 11.5
    assert 62.9 < lat[0] < lat[1] < 63.7


def test_figure_json_stays_small():
    assert len(_figure(selected=["5001"]).to_json()) < 800_000
    json.loads(_figure().to_json())
