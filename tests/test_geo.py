"""Boundaries, neighbours, distances and contiguity from the bundled data."""

import pytest

from kommunestrategi import geo


def test_bundled_municipalities_cover_the_2020_structure():
    gdf = geo.load_municipalities()
    assert len(gdf) == 356
    assert gdf["kommunenummer"].str.fullmatch(r"\d{4}").all()
    assert gdf.geometry.notna().all() and gdf.geometry.is_valid.all()
    assert gdf.crs.to_epsg() == 4326


def test_population_is_that_of_2024_for_all_357_municipalities():
    units = geo.load_units()
    assert int(units["population_2024"].sum()) == 5_550_203
    # the figure shown (regions.POPULATION_YEAR): 1 January 2026, summed over 2024 members
    assert int(units["population"].sum()) == 5_627_400
    assert units.set_index("kommunenummer").at["1508", "population"] == 59_663 + 9_460
    alesund = units.set_index("kommunenummer").loc["1508"]
    assert alesund["name"] == "Ålesund og Haram"
    assert alesund["members_2024"] == "1508 1580"


def test_simplified_polygons_keep_their_area():
    units = geo.load_units()
    gdf = geo.load_municipalities().to_crs(geo.METRIC_CRS)
    area = gdf.set_index("kommunenummer").geometry.area / 1e6
    polygon = units.set_index("kommunenummer")["area_polygon_km2"]
    assert ((area / polygon - 1).abs() < 0.01).all()
    # against the official land area: close for the typical municipality
    official = units.set_index("kommunenummer")["area_km2"]
    assert (area / official - 1).abs().median() < 0.01


def test_neighbours_share_borders():
    assert "5031" in geo.neighbours("5001")          # Trondheim - Malvik
    assert "5501" not in geo.neighbours("5001")      # Trondheim - Tromsø
    assert "5001" in geo.neighbours("5031")          # symmetric
    assert geo.neighbour_graph()["5001"]["5031"]["kind"] == "border"


def test_no_gaps_between_neighbours_after_simplification():
    # coverage simplification keeps shared borders shared: Oslo's neighbours touch it
    gdf = geo.load_municipalities().to_crs(geo.METRIC_CRS).set_index("kommunenummer")
    for other in geo.neighbours("0301", include_gap=False):
        assert gdf.geometry["0301"].distance(gdf.geometry[other]) == pytest.approx(0, abs=1)


def test_island_neighbours_across_water_are_flagged():
    graph = geo.neighbour_graph()
    kinds = {data["kind"] for *_, data in graph.edges(data=True)}
    assert kinds == {"border", "gap", "sea"}
    # Utsira lies far out at sea: no border or gap, but it faces Karmøy
    assert geo.neighbours("1151", include_gap=False) == []
    assert "1149" in geo.neighbours("1151")
    assert graph["1151"]["1149"]["kind"] == "sea"


def test_contiguity_of_a_split_selection_is_false():
    result = geo.contiguity(["5001", "5031", "5501"])
    assert not result.contiguous
    assert result.cut_off == ("5501",)
    assert geo.contiguity(["5001", "5031", "5028"]).contiguous


def test_distances_between_centres_are_plausible():
    d = geo.distance_km(["0301", "5001", "5501"])
    assert d.loc["0301", "5001"] == pytest.approx(390, rel=0.1)   # Oslo - Trondheim
    assert d.loc["5001", "5501"] == pytest.approx(800, rel=0.05)     # Trondheim - Tromsø
    assert d.loc["0301", "0301"] == 0


def test_centres_lie_inside_their_municipality():
    gdf = geo.load_municipalities().to_crs(geo.METRIC_CRS).set_index("kommunenummer")
    centres = geo.centres()
    import shapely
    points = shapely.points(centres["x"].to_numpy(), centres["y"].to_numpy())
    inside = shapely.within(points, gdf.geometry.reindex(centres.index).to_numpy())
    assert inside.all()


def test_display_geojson_has_every_unit_once():
    ids = [f["id"] for f in geo.display_geojson()["features"]]
    assert len(ids) == len(set(ids)) == 356


def test_uploaded_2024_boundaries_become_a_geography_of_357(real_data):
    import geopandas as gpd

    from kommunestrategi import regions
    from kommunestrategi.geometry import ANALYSIS_TOLERANCE_M, simplify_coverage

    raw = gpd.read_file(real_data / "kartverket_kommuner_2024_small.geojson")
    raw = raw[["kommunenummer", "kommunenavn", "geometry"]].rename(columns={"kommunenavn": "name"})
    table = geo.boundaries_to_table(simplify_coverage(raw, ANALYSIS_TOLERANCE_M))
    geography = geo.Geography.from_boundaries(geo.boundaries_from_table(table), "2024")
    assert len(geography.units) == 357
    assert int(geography.units["population_2024"].sum()) == 5_550_203
    assert int(geography.units["population"].sum()) == 5_627_400
    assert regions.summarise(["1580"], geography).population == 9_460
    # Ålesund and Haram are separate municipalities now
    haram = regions.summarise(["1580"], geography)
    assert haram.population < regions.summarise(["1508", "1580"], geography).population
    assert "5031" in geography.neighbours("5001")
    assert len(geography.display["features"]) == 357
