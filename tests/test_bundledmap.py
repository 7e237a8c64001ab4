"""The pandas-free bundled map gives exactly what the pandas geography gives."""

import csv
import io
import json
from contextlib import redirect_stdout

import pytest

from kommunestrategi import bundledmap, geo, regions
from kommunestrategi.cli.region import print_region
from kommunestrategi.codes import UnknownMunicipality
from kommunestrategi.config import BUNDLED_DATA_DIR

REGIONS = [
    ["5001", "5031", "5028", "5029", "5027", "5032", "5033", "5034", "5035", "5036"],  # Trøndelag, a gap
    ["1149", "1151", "1106", "1146"],          # Karmøy, Utsira (sea), Haugesund, Tysvær
    ["5001", "5031", "5501"],                  # not contiguous: Tromsø is cut off
    ["1508"],                                  # Ålesund og Haram: two 2024 members
    ["1856", "1857", "1804"],                  # Røst, Værøy (sea), Bodø
    ["0301", "3201", "3203"],                  # Oslo, Bærum, Asker (2024 numbers)
    ["5520", "5522", "5524", "5526"],          # Bardu, Salangen, Målselv, Sørreisa
]


@pytest.fixture(scope="module")
def light() -> bundledmap.BundledMap:
    light = bundledmap.load()
    assert light is not None, "the stored neighbour graph must be of the bundled boundaries"
    return light


def _printed(summary, as_json: bool) -> str:
    out = io.StringIO()
    with redirect_stdout(out):
        print_region(summary, as_json)
    return out.getvalue()


@pytest.mark.parametrize("codes", REGIONS)
def test_both_paths_print_the_same_region(light, codes):
    heavy = regions.summarise(codes, geo.bundled())
    quick = regions.summarise(codes, light)
    assert quick == heavy
    for as_json in (True, False):
        assert _printed(quick, as_json) == _printed(heavy, as_json)
    data = json.loads(_printed(quick, True))
    assert data["population_year"] == 2026 and data["members"] == codes


def test_every_unit_has_the_same_facts_numbers_and_links(light):
    heavy = geo.bundled()
    codes = heavy.unit_codes
    assert light.unit_codes == codes
    assert light.member_facts(codes) == heavy.member_facts(codes)
    assert light.member_centres(codes) == heavy.member_centres(codes)
    assert light.code_index == heavy.code_index
    assert light.links == heavy.links and light.adjacency == heavy.adjacency
    assert all(light.neighbours(c) == heavy.neighbours(c) for c in codes)


def test_unknown_unit_is_refused_alike(light):
    for geography in (light, geo.bundled()):
        with pytest.raises(UnknownMunicipality):
            regions.summarise(["5001", "9999"], geography)
        assert geography.code_index.unit_for("Trondheim") == "5001"


def test_population_year_is_the_newest_in_the_bundled_table():
    with (BUNDLED_DATA_DIR / bundledmap.POPULATION_FILE).open(encoding="utf-8") as handle:
        years = {int(row["year"]) for row in csv.DictReader(handle)}
    assert regions.POPULATION_YEAR == max(years) == 2026
    figures = bundledmap.latest_population()
    assert len(figures) == 357
    assert figures["0301"] == 728_714 and figures["1151"] == 219    # Oslo, Utsira
    assert bundledmap.unit_population("1508 1580") == 59_663 + 9_460
    assert bundledmap.unit_population("1508 9999") is None


def test_stale_stored_links_fall_back_to_the_polygons(tmp_path):
    (tmp_path / bundledmap.BOUNDARIES_FILE).write_bytes(b"other boundaries")
    (tmp_path / bundledmap.DERIVED_FILE).write_text(
        (BUNDLED_DATA_DIR / bundledmap.DERIVED_FILE).read_text(encoding="utf-8"), encoding="utf-8")
    assert bundledmap.bundled_derived(tmp_path) is None
    assert bundledmap.bundled_derived() is not None
