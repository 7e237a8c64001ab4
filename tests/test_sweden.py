"""Sweden: a workspace's country, the 290 kommuner, their figures and imported boundaries."""

from __future__ import annotations

import json

import pytest

from kommunestrategi import datasets, regions
from kommunestrategi.cli import main
from kommunestrategi.countries import normalise_country, sweden
from kommunestrategi.store import SYSTEM, Store, StoreError


def test_the_290_kommuner_with_scb_figures() -> None:
    units = sweden.load_units()
    assert len(units) == 290
    assert int(units["population_2024"].sum()) == 10_587_710
    assert units["county_number"].nunique() == 21
    kiruna = units.set_index("kommunenummer").loc["2584"]
    assert kiruna["name"] == "Kiruna" and kiruna["county"] == "Norrbottens län"
    assert (units["county_number"] == units["kommunenummer"].str[:2]).all()


def test_lookup_by_kommunkod_or_name() -> None:
    index = sweden.bundled().code_index
    assert index.unit_for("114") == "0114"
    assert index.unit_for("malung-sälen") == "2023"
    assert index.unit_for("Göteborg") == "1480"


def test_bundled_figures_for_sweden() -> None:
    data = sweden.bundled_indicator_data()
    assert data.years("hjemmetjenester_andel_80_plus") == [2023]
    assert data.years("pop_80_plus") == [2019, 2023]
    pos = data.pos["0114"]
    assert data.series("hjemmetjenester_andel_80_plus", 2023)[pos] == pytest.approx(14.07)
    assert data.series("pop_80_plus", 2023)[pos] == 2381
    assert data.catalogue["pop_total"].source.startswith("SCB")


def test_country_is_checked() -> None:
    assert normalise_country("se") == "SE"
    assert normalise_country(None) == "NO"
    with pytest.raises(ValueError):
        normalise_country("DK")


def test_a_swedish_workspace_keeps_its_country_and_kommuner() -> None:
    store = Store.open()
    ws = store.create_workspace(SYSTEM, "Tornedalen", ["2583", "2584"], open_access=True, country="SE")
    assert store.get_workspace("Tornedalen").country == "SE"
    assert [(c.kommunenummer, c.name) for c in store.list_councils(ws.id)] == [
        ("2583", "Haparanda"), ("2584", "Kiruna")]
    store.add_council(SYSTEM, ws.id, "2521")
    assert "2521" in {c.kommunenummer for c in store.list_councils(ws.id)}
    # a Norwegian number that does not exist in Sweden is refused
    with pytest.raises(StoreError):
        store.add_council(SYSTEM, ws.id, "5001")
    with pytest.raises(StoreError):
        store.create_workspace(SYSTEM, "Trøndelag", ["2584"], country="NO")
    assert store.ensure_demo_workspace().country == "NO"
    # the country survives a workspace export and import
    copy = store.import_workspace(SYSTEM, store.export_workspace(ws.id), name="Kopia")
    assert copy.country == "SE"


def test_geography_without_boundaries_still_gives_region_figures() -> None:
    store = Store.open()
    ws = store.create_workspace(SYSTEM, "Norrbotten", [], open_access=True, country="SE")
    geography = datasets.active_geography(store, ws.id)
    assert geography.country == "SE" and not geography.has_boundaries
    summary = regions.summarise(["2583", "2584"], geography).as_json()
    assert summary["population"] == 9_151 + 22_426
    assert summary["max_centre_distance_km"] is None and summary["contiguous"] is None
    assert summary["sources"]["population"].startswith("SCB")


def test_cli_creates_a_swedish_workspace_and_imports_its_boundaries(real_data, capsys) -> None:
    assert main(["workspace", "create", "Norrbotten", "--country", "SE", "--council", "2584", "--open"]) == 0
    assert "SE" in capsys.readouterr().out
    assert main(["workspace", "list", "--json"]) == 0
    listed = {w["name"]: w for w in json.loads(capsys.readouterr().out)}
    assert listed["Norrbotten"]["country"] == "SE" and listed["Demo"]["country"] == "NO"
    # a Norwegian workspace refuses the Swedish file; the Swedish one takes it
    assert main(["import", str(real_data / "se_kommuner.geojson"), "--kind", "boundaries"]) == 2
    assert "svenske kommunkoder" in capsys.readouterr().out
    assert main(["import", str(real_data / "se_kommuner.geojson"), "--kind", "boundaries",
                 "--workspace", "Norrbotten", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["counts"]["municipalities"] == 290
    store = Store.open()
    geography = datasets.active_geography(store, store.get_workspace("Norrbotten").id)
    assert geography.has_boundaries and len(geography.display["features"]) == 290
    assert {"2521", "2523"} <= set(geography.neighbours("2584"))
    summary = regions.summarise(["2521", "2584"], geography)
    assert summary.contiguous is True
    assert 50 < summary.max_centre_distance_km < 300
    with pytest.raises(SystemExit) as usage:
        main(["workspace", "create", "X", "--country", "DK"])
    assert usage.value.code == 2


def test_region_and_neighbours_on_a_swedish_workspace(real_data, capsys) -> None:
    assert main(["workspace", "create", "Tornedalen", "--country", "SE", "--open"]) == 0
    capsys.readouterr()
    assert main(["region", "2583", "Kiruna", "--workspace", "Tornedalen", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["members"] == ["2583", "2584"] and data["population"] == 9_151 + 22_426
    assert data["area_km2"] == pytest.approx(921.27 + 19_155.37, abs=0.01)
    assert data["sources"]["population"].startswith("SCB") and data["contiguous"] is None
    # neighbours need boundaries: said plainly, exit code 1
    assert main(["neighbours", "2584", "--workspace", "Tornedalen"]) == 1
    assert "no boundaries" in capsys.readouterr().err
    assert main(["import", str(real_data / "se_kommuner.geojson"), "--kind", "boundaries",
                 "--workspace", "Tornedalen"]) == 0
    capsys.readouterr()
    assert main(["neighbours", "2584", "--workspace", "Tornedalen", "--json"]) == 0
    assert {"2521", "2523"} <= set(json.loads(capsys.readouterr().out)["neighbours"])
    assert main(["region", "2583", "2521", "2584", "--workspace", "Tornedalen"]) == 0
    text = capsys.readouterr().out
    assert "population 37434 (2024)" in text and "SCB" in text and "max centre distance" in text
