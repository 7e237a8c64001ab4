"""Neighbour links against the real map: gaps over water only, sea neighbours, contiguity by kind."""

import json

import pytest

from kommunestrategi import geo, neighbours, regions


def _kind(a: str, b: str) -> str | None:
    index = geo.code_index()
    a, b = index.unit_for(a), index.unit_for(b)
    return geo.bundled().adjacency[a].get(b)


@pytest.mark.parametrize("a, b", [
    ("Oslo", "Hole"),                 # 1.5 km apart, but through Bærum
    ("Hattfjelldal", "Namsskogan"),   # through Grane and Røyrvik
    ("Sauda", "Vindafjord"),          # through Suldal
    ("Surnadal", "Rennebu"),          # through Rindal and Oppdal
])
def test_gap_links_never_run_over_a_third_municipalitys_land(a, b):
    assert _kind(a, b) is None


@pytest.mark.parametrize("a, b", [
    ("Røst", "Værøy"), ("Karmøy", "Utsira"), ("Randaberg", "Kvitsøy"),
    ("Kristiansund", "Smøla"), ("Lyngen", "Skjervøy"), ("Trondheim", "Indre Fosen"),
])
def test_published_pairs_across_open_sea_are_neighbours(a, b):
    assert _kind(a, b) in {"border", "gap", "sea"}


@pytest.mark.parametrize("island", ["Utsira", "Træna", "Røst", "Værøy"])
def test_island_municipalities_far_out_have_neighbours(island):
    code = geo.code_index().unit_for(island)
    assert geo.neighbours(code)


def test_every_gap_link_is_short_and_every_sea_link_within_reach():
    links = geo.links()
    assert {link["kind"] for link in links} == {"border", "gap", "sea"}
    for link in links:
        assert link["a"] < link["b"]
        if link["kind"] == "border":
            assert link["distance_m"] == 0
        elif link["kind"] == "gap":
            assert 0 <= link["distance_m"] <= geo.GAP_NEIGHBOUR_M
        else:
            assert 0 < link["distance_m"] <= geo.SEA_NEIGHBOUR_M


def test_bundled_links_are_stored_and_match_the_boundaries():
    stored = geo.bundled_derived()
    assert stored is not None, "data/kommuner_avledet.json is stale: run scripts/build_data.py --derived-only"
    assert stored["algorithm"] == neighbours.ALGORITHM
    assert len(stored["centres"]) == 356


def test_stored_links_are_what_the_rules_give():
    # the bundled file is exactly what compute_links makes of the bundled polygons
    gdf = geo.load_municipalities().to_crs(geo.METRIC_CRS)
    fresh = neighbours.compute_links(list(gdf["kommunenummer"]), gdf.geometry.to_numpy())
    assert fresh == list(geo.links())


def test_contiguity_says_which_kinds_it_needed():
    over_land = geo.contiguity(["5001", "5031", "5028"])   # Trondheim, Malvik, Melhus
    assert over_land.contiguous and over_land.link_kinds == ("border",)
    assert over_land.connection == "land"
    # Røst and Værøy: one region only over the sea
    rost, vaeroy = geo.code_index().unit_for("Røst"), geo.code_index().unit_for("Værøy")
    islands = geo.contiguity([rost, vaeroy])
    assert islands.contiguous and islands.link_kinds == ("sea",)
    assert islands.connection == "water"
    assert islands.sea_links == tuple(sorted([(rost, vaeroy)]))
    # a border is preferred over a water link where both join the same members
    trondheim_fosen = geo.contiguity(["5001", geo.code_index().unit_for("Indre Fosen"), "5031"])
    assert trondheim_fosen.contiguous
    assert ("5001", "5031", "border") in trondheim_fosen.used_links


def test_region_summary_reports_link_kinds_in_json():
    karmoy, utsira = geo.code_index().unit_for("Karmøy"), geo.code_index().unit_for("Utsira")
    data = json.loads(json.dumps(regions.summarise([karmoy, utsira]).as_json()))
    assert data["contiguous"] is True
    assert data["link_kinds"] == ["sea"]
    assert data["connection"] == "water"
    assert data["sea_links"] == [sorted([karmoy, utsira])]
    assert data["used_links"] == [{"a": min(karmoy, utsira), "b": max(karmoy, utsira), "kind": "sea"}]
    assert data["gap_links"] == []
    far = regions.summarise(["5001", "5501"]).as_json()
    assert far["contiguous"] is False and far["connection"] == "none"


@pytest.fixture(scope="module")
def links_2024():
    """Links of Kartverket's 2024 boundaries, simplified as an import does."""
    from pathlib import Path

    import geopandas as gpd

    from kommunestrategi.geometry import ANALYSIS_TOLERANCE_M, simplify_coverage

    path = Path(__file__).resolve().parents[2] / "shared" / "data" / "real" / "kartverket_kommuner_2024_small.geojson"
    if not path.is_file():
        pytest.skip(f"real data file {path} not present")
    raw = gpd.read_file(path)[["kommunenummer", "kommunenavn", "geometry"]]
    gdf = simplify_coverage(raw, ANALYSIS_TOLERANCE_M).to_crs(geo.METRIC_CRS)
    found = neighbours.compute_links(list(gdf["kommunenummer"]), gdf.geometry.to_numpy())
    return {(link["a"], link["b"]): link["kind"] for link in found}


@pytest.mark.parametrize("a, b, kinds", [
    ("0301", "3310", set()),                        # Oslo - Hole: through Bærum
    ("1826", "5044", set()),                        # Hattfjelldal - Namsskogan
    ("1135", "1160", set()),                        # Sauda - Vindafjord
    ("1566", "5022", set()),                        # Surnadal - Rennebu (no shared border)
    ("1856", "1857", {"sea"}),                      # Røst - Værøy
    ("1149", "1151", {"sea"}),                      # Karmøy - Utsira
    ("1127", "1144", {"gap", "sea"}),               # Randaberg - Kvitsøy
    ("1505", "1573", {"gap", "sea"}),               # Kristiansund - Smøla
    ("5536", "5542", {"gap", "sea"}),               # Lyngen - Skjervøy
    ("5001", "5054", {"gap", "sea"}),               # Trondheim - Indre Fosen
    ("1508", "1580", {"border"}),                   # Ålesund - Haram
])
def test_known_cases_on_the_2024_boundaries(links_2024, a, b, kinds):
    kind = links_2024.get((min(a, b), max(a, b)))
    assert (kind in kinds) if kinds else kind is None


def test_on_the_2024_boundaries_the_islands_far_out_have_neighbours(links_2024):
    for island in ("1151", "1835", "1856", "1857"):       # Utsira, Træna, Røst, Værøy
        assert any(island in pair for pair in links_2024), island


def test_the_rules_hold_for_another_countrys_boundaries(real_data):
    # Sweden: nothing in the rules is Norwegian
    import geopandas as gpd

    from kommunestrategi.geometry import ANALYSIS_TOLERANCE_M, simplify_coverage

    raw = gpd.read_file(real_data / "se_kommuner.geojson").rename(columns={"id": "kommunenummer", "kom_namn": "name"})
    gdf = simplify_coverage(raw[["kommunenummer", "name", "geometry"]], ANALYSIS_TOLERANCE_M).to_crs(geo.METRIC_CRS)
    found = {(link["a"], link["b"]): link["kind"]
             for link in neighbours.compute_links(list(gdf["kommunenummer"]), gdf.geometry.to_numpy())}
    assert found[("0180", "0184")] == "border"             # Stockholm - Solna
    assert found[("0880", "0885")] == "gap"                # Kalmar - Borgholm across Kalmarsund
    assert not [pair for pair in found if "0980" in pair]  # Gotland: far out at sea


def test_links_of_imported_boundaries_are_cached_on_disk_by_their_hash(real_data, monkeypatch):
    import geopandas as gpd

    from kommunestrategi import config
    from kommunestrategi.geometry import ANALYSIS_TOLERANCE_M, simplify_coverage

    raw = gpd.read_file(real_data / "kartverket_kommuner_2024_small.geojson")
    raw = raw[["kommunenummer", "kommunenavn", "geometry"]].rename(columns={"kommunenavn": "name"})
    table = geo.boundaries_to_table(simplify_coverage(raw, ANALYSIS_TOLERANCE_M))
    geo._DERIVED.clear()                      # nothing from earlier tests in this process
    first = geo.Geography.from_boundaries(geo.boundaries_from_table(table), "2024")
    links = first.links
    (cached,) = (config.data_dir() / "cache" / "neighbours").glob("*.json")
    assert json.loads(cached.read_text(encoding="utf-8"))["algorithm"] == neighbours.ALGORITHM
    # another process (here: an emptied memory) reads the file instead of deriving again
    geo._DERIVED.clear()
    monkeypatch.setattr(geo, "derive", lambda *a: pytest.fail("derived again"))
    again = geo.Geography.from_boundaries(geo.boundaries_from_table(table), "2024 again")
    assert again.links == links
    assert again.centres.loc["1580", "x"] == first.centres.loc["1580", "x"]
