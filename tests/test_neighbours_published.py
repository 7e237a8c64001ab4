"""The neighbour links against a published neighbour list, and no water link over foreign land."""

import csv
from pathlib import Path

import pytest
import shapely
from pyproj import Transformer

from kommunestrategi import bundledmap, geo, neighbours

PUBLISHED = Path(__file__).parent / "fixtures" / "nabokommuner_wikidata_2020.csv"


def _published() -> set[tuple[str, str]]:
    """The published pairs as pairs of map units (2020 numbers -> today's numbers)."""
    unit = {row["kommunenummer_2020"]: row["kommunenummer"] for row in bundledmap.load().rows.values()}
    with PUBLISHED.open(encoding="utf-8") as handle:
        return {tuple(sorted((unit[row["kommunenummer_a"]], unit[row["kommunenummer_b"]])))
                for row in csv.DictReader(handle)}


def test_the_published_list_covers_the_356_municipalities_of_2020():
    pairs = _published()
    assert len(pairs) == 900
    assert len({code for pair in pairs for code in pair}) == 356


def test_links_agree_with_the_published_neighbour_list():
    published = _published()
    ours = {(link["a"], link["b"]) for link in bundledmap.load().links}
    found = published & ours
    recall, precision = len(found) / len(published), len(found) / len(ours)
    # measured: 893 of 900 published pairs found (99.2 %), 893 of our 935 links published (95.5 %)
    assert recall >= 0.95, f"{recall:.1%} of the published pairs found"
    assert precision >= 0.95, f"{precision:.1%} of our links published"
    # every shared border is a published pair
    borders = {(link["a"], link["b"]) for link in bundledmap.load().links if link["kind"] == "border"}
    assert borders <= published


def _kind(a: str, b: str) -> str | None:
    index = geo.code_index()
    return geo.bundled().adjacency[index.unit_for(a)].get(index.unit_for(b))


@pytest.mark.parametrize("a, b", [
    ("Storfjord", "Nordreisa"),       # 25 km apart across Finland (Käsivarsi)
    ("Sør-Varanger", "Tana"),         # across Finland, not across the Varangerfjord
    ("Kautokeino", "Storfjord"),      # across Finland
])
def test_no_water_link_crosses_a_neighbouring_country(a, b):
    assert _kind(a, b) is None


@pytest.mark.parametrize("a, b, kind", [
    ("Kautokeino", "Karasjok", "border"),
    ("Vadsø", "Sør-Varanger", "sea"),   # across the Varangerfjord
    ("Vardø", "Vadsø", "border"),
    ("Lyngen", "Skjervøy", "sea"),
    ("Karmøy", "Utsira", "sea"),
    ("Kristiansund", "Smøla", "sea"),
])
def test_links_near_the_national_border_or_across_the_sea_stay(a, b, kind):
    assert _kind(a, b) == kind


def test_a_corner_touch_is_no_link():
    # Meråker and Levanger meet at a single point of the simplified boundaries
    assert _kind("Meråker", "Levanger") is None


@pytest.fixture(scope="module")
def metric_geoms():
    return geo.bundled().municipalities.to_crs(geo.METRIC_CRS).geometry.to_numpy()


def test_the_land_border_runs_from_iddefjorden_to_jakobselva(metric_geoms):
    border = neighbours.land_border(metric_geoms)
    # Norway's land border is 2,542 km (Sweden 1,619, Finland 727, Russia 196); simplified here
    assert 2_400_000 < border.length < 2_700_000
    to_metric = Transformer.from_crs(4326, geo.METRIC_CRS, always_xy=True)
    anchors = [shapely.Point(to_metric.transform(*neighbours.LAND_BORDERS["NO"][i])) for i in (0, -1)]
    ends = [shapely.Point(border.coords[0]), shapely.Point(border.coords[-1])]
    assert all(min(end.distance(anchor) for anchor in anchors) < neighbours.ANCHOR_TOLERANCE_M for end in ends)


@pytest.mark.parametrize("lon, lat, abroad", [
    (20.80, 69.04, True),    # Kilpisjärvi, Finland
    (18.13, 68.43, True),    # Riksgränsen, Sweden
    (30.22, 69.41, True),    # Nikel, Russia
    (12.10, 63.32, True),    # Storlien, Sweden
    (30.00, 70.00, False),   # the Varangerfjord
    (20.25, 69.40, False),   # the Lyngenfjord at Skibotn
    (5.00, 59.30, False),    # the North Sea off Karmøy
])
def test_the_foreign_strip_lies_beyond_the_border_only(metric_geoms, lon, lat, abroad):
    strip = neighbours.foreign_strip(metric_geoms)
    point = shapely.Point(Transformer.from_crs(4326, geo.METRIC_CRS, always_xy=True).transform(lon, lat))
    assert strip.contains(point) is abroad


def test_boundaries_that_miss_the_anchor_points_get_no_strip(metric_geoms):
    # the southern half of Norway alone does not reach Treriksrøysa or Jakobselva
    south = [g for g in metric_geoms if g.centroid.y < 7_000_000]
    assert neighbours.land_border(south) is None
    assert neighbours.foreign_strip(south) is None
