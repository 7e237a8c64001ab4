"""The interactive map: boundaries as a file, a light figure, views that frame a whole county."""

import json

import numpy as np

from kommunestrategi import geo, maps


def _setup():
    geography = geo.bundled()
    units = geography.units.set_index("kommunenummer")
    return geography, units, maps.Bounds.of(geography.display)


def test_boundary_file_is_written_once_under_a_content_name(tmp_path):
    geography, _units, _bounds = _setup()
    name = maps.write_geojson(geography.display, tmp_path)
    assert name.startswith("kommuner-") and name.endswith(".json")
    data = json.loads((tmp_path / name).read_text())
    assert len(data["features"]) == 356
    assert maps.write_geojson(geography.display, tmp_path) == name
    assert [p.name for p in tmp_path.iterdir()] == [name]  # no temporary files left


def test_figure_names_the_file_and_stays_small():
    geography, units, bounds = _setup()
    fig = maps.selection_map("/app/static/kart/k.json", list(units.index), units["population_2024"].astype(float),
                             units["name"], bounds, measure_label="Folketall", unit="innbyggere",
                             selected=["5001", "5031", "5028"], label_points=geography.centres[["lon", "lat"]],
                             log_scale=True)
    assert fig.data[0].geojson == "/app/static/kart/k.json"
    assert len(fig.data[0].locations) == 356
    assert list(fig.data[1].locations) == ["5001", "5031", "5028"]
    assert len(fig.to_json()) < 30_000  # the inlined boundaries alone were about 600 KB
    # Norwegian numbers in the hover text
    assert fig.data[0].customdata[list(units.index).index("5001")][1] == "214\u00a0565 innbyggere"


def _inside(settings: dict, bounds: maps.Bounds, codes: list[str]) -> bool:
    """Every corner of every unit's bounding box lies in the projected range box plotly clips to."""
    lon0 = settings["projection"]["rotation"]["lon"]
    (w, e), (s, n) = settings["lonaxis_range"], settings["lataxis_range"]
    # the range box's projected extent: widest at its southern corners, highest at its northern ones
    bx, by = maps._tm_xy(np.array([w, e, lon0, w, e]), np.array([s, s, s, n, n]), lon0)
    x, y = maps._tm_xy(np.concatenate([bounds.west[codes], bounds.east[codes]]),
                       np.concatenate([bounds.south[codes], bounds.north[codes]]), lon0)
    return x.min() >= bx.min() and x.max() <= bx.max() and y.min() >= by.min() and y.max() <= by.max()


def test_county_zoom_frames_the_whole_county_and_tightly():
    _geography, units, bounds = _setup()
    for county in sorted(units["county"].unique()):
        codes = list(units.index[units["county"] == county])
        settings = maps.frame(bounds, codes)
        assert _inside(settings, bounds, codes), county
        # not the whole country: the frame is tight (padding only)
        lon0 = settings["projection"]["rotation"]["lon"]
        (w, e), (s, n) = settings["lonaxis_range"], settings["lataxis_range"]
        fx, fy = maps._tm_xy(np.array([w, e, lon0, w]), np.array([s, s, s, n]), lon0)
        x, y = maps._tm_xy(np.concatenate([bounds.west[codes], bounds.east[codes]]),
                           np.concatenate([bounds.south[codes], bounds.north[codes]]), lon0)
        assert (fy.max() - fy.min()) <= (y.max() - y.min()) * 1.3 + 0.02 or \
               (fx.max() - fx.min()) <= (x.max() - x.min()) * 1.3 + 0.02, county


def test_county_view_names_the_selection_and_the_larger_units_without_overlap():
    geography, units, bounds = _setup()
    trondelag = list(units.index[units["county"] == "Trøndelag"])
    fig = maps.selection_map("k.json", list(units.index), units["population_2024"].astype(float), units["name"],
                             bounds, measure_label="Folketall", unit="innbyggere", selected=["5001", "5031"],
                             view=trondelag, label_points=geography.centres[["lon", "lat"]],
                             extra_labels=maps.larger_units(units["population_2024"], trondelag))
    labels = [t for t in fig.data if t.type == "scattergeo"]
    bold = [t for t in labels if t.textfont.weight == "bold"][0]
    assert list(bold.text) == ["Trondheim", "Malvik"]
    others = [name for t in labels if t.textfont.weight != "bold" for name in t.text]
    assert "Steinkjer" in others and "Trondheim" not in others
    # outside the county: veiled, still clickable through the base layer
    veil = [t for t in fig.data if t.name == "outside"][0]
    assert "0301" in veil.locations and "5001" not in veil.locations


def test_the_map_spec_sent_unvalidated_is_what_plotly_validation_gives():
    import plotly.graph_objects as go
    import plotly.io as pio
    import plotly.tools

    from ui.mapview import SpecFigure

    geography, units, bounds = _setup()
    trondelag = list(units.index[units["county"] == "Trøndelag"])
    spec = maps.selection_spec("k.json", list(units.index), units["population_2024"].astype(float), units["name"],
                               bounds, measure_label="Folketall (%)", unit="innbyggere", selected=["5001", "5031"],
                               view=trondelag, label_points=maps.point_map(geography.centres[["lon", "lat"]]),
                               extra_labels=maps.larger_units(units["population_2024"], trondelag), log_scale=True)
    validated = go.Figure(spec)  # plotly's full validation: raises on any unknown or invalid property
    # validation only spells out defaults (a named colour scale as its stops, the empty template)
    assert json.loads(pio.to_json(go.Figure(json.loads(json.dumps(spec))))) == json.loads(pio.to_json(validated))
    assert [t["type"] for t in spec["data"]] == ["choropleth", "choropleth", "choropleth", "scattergeo",
                                                  "scattergeo"]
    # what Streamlit sends for a SpecFigure is the spec itself, not a validated copy
    sent = plotly.tools.return_figure_from_figure_or_data(SpecFigure(spec), validate_figure=True)
    assert sent is spec
    assert json.loads(pio.to_json(go.Figure(json.loads(pio.to_json(sent, validate=False))))) == \
        json.loads(pio.to_json(validated))
