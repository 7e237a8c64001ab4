"""Service points: checks, layers in the store, import, and coverage on a hand-made grid."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from kommunestrategi import geo
from kommunestrategi.cli import main
from kommunestrategi.io.importer import validate_file
from kommunestrategi.io.report import ImportReport
from kommunestrategi.servicepoints import compute_coverage
from kommunestrategi.servicepoints.coverage import covered_cells, prepare_grid, to_lonlat, to_metric
from kommunestrategi.servicepoints.grid import assign_grid, read_grid_rows
from kommunestrategi.servicepoints.importing import read_points
from kommunestrategi.servicepoints.layers import load_layer, save_layer, scenario_layer
from kommunestrategi.servicepoints.model import ServicePointError, point_from_dict, with_ids
from kommunestrategi.store import SYSTEM, Actor, PermissionDenied, Store

# A point in Trondheim (5001); cells are placed east and north of it at known distances.
LON, LAT = 10.3951, 63.4305


def _cells() -> pd.DataFrame:
    px, py = to_metric(np.array([LON]), np.array([LAT]))
    px, py = float(px[0]), float(py[0])
    return pd.DataFrame({
        "x": [px + 1_000, px + 15_000, px + 30_000, px, px + 100_000],
        "y": [py, py, py, py + 50_000, py],
        "population": [100.0, 200.0, 300.0, 400.0, 50.0],
        "kommunenummer": ["5001", "5001", "5028", "5028", "9999"],
    })


def _point(name: str, lon: float, lat: float, kind: str = "fixed", **extra) -> dict:
    return {"name": name, "kind": kind, "lon": lon, "lat": lat, **extra}


def test_coverage_on_a_hand_made_grid_and_what_if_changes() -> None:
    geography = geo.bundled()
    grid = _cells()
    points = with_ids([point_from_dict(_point("Servicesenter", LON, LAT, "centre"))])
    at_20 = compute_coverage(geography, points, 20, grid)
    assert at_20.method == "grid"
    assert at_20.row("5001").share == pytest.approx(1.0)      # 1 km and 15 km
    assert at_20.row("5028").covered == 0 and at_20.row("5028").population == 700
    assert at_20.row("5001").has_centre and not at_20.row("5028").has_centre
    at_35 = compute_coverage(geography, points, 35, grid)
    assert at_35.row("5028").share == pytest.approx(300 / 700)  # the 30 km cell only
    assert at_35.total_share(["5001", "5028"]) == pytest.approx(600 / 1000)
    # add a mobile point whose stop lies 2 km from the far cell: all of 5028 is covered
    far_lon, far_lat = to_lonlat(np.array([grid.x[3] + 2_000]), np.array([grid.y[3]]))
    mobile = point_from_dict({"name": "Bussen", "kind": "mobile", "kommunenummer": "5028",
                              "stops": [{"name": "Torget", "lat": float(far_lat[0]), "lon": float(far_lon[0]),
                                         "schedule": "tirsdag 10-14"}]})
    added = compute_coverage(geography, with_ids([*points, mobile]), 35, grid)
    assert added.row("5028").share == pytest.approx(1.0)
    assert added.row("5028").points == 1 and not added.row("5028").has_centre
    # move the centre 40 km north-west: 5001's cells fall out of reach
    moved = compute_coverage(geography, [points[0].moved(LAT + 0.36, LON - 0.1)], 20, grid)
    assert moved.row("5001").share == 0
    # remove every point: nothing covered
    assert compute_coverage(geography, [], 35, grid).row("5001").share == 0


def test_without_a_grid_coverage_is_estimated_from_municipal_centres() -> None:
    geography = geo.bundled()
    centre = geography.centres.loc["5001"]
    points = with_ids([point_from_dict(_point("Midt i byen", float(centre["lon"]), float(centre["lat"]), "centre"))])
    result = compute_coverage(geography, points, 5, None)
    assert result.method == "centres"
    assert result.row("5001").share == 1.0
    assert result.row("5059").share == 0.0  # Orkland's centre is far away
    # a point with only a municipality stands at that municipality's centre
    only_code = with_ids([point_from_dict({"name": "Orkland", "kind": "fixed", "kommunenummer": "5059"})])
    assert compute_coverage(geography, only_code, 1, None).row("5059").share == 1.0


def test_covered_cells_matches_brute_force() -> None:
    rng = np.random.default_rng(7)
    cells = rng.uniform(0, 100_000, size=(5_000, 2))
    anchors = rng.uniform(0, 100_000, size=(20, 2))
    brute = (np.sqrt(((cells[:, None, :] - anchors[None, :, :]) ** 2).sum(axis=2)).min(axis=1) <= 7_500)
    assert (covered_cells(cells, anchors, 7_500) == brute).all()
    # the prepared grid's two strategies (cells around each point, nearest point per cell) agree
    grid = pd.DataFrame({"x": cells[:, 0], "y": cells[:, 1], "population": 1.0, "kommunenummer": "5001"})
    prepared = prepare_grid(grid, geo.bundled())
    assert (prepared.covered(anchors, 7_500) == brute).all()
    far = np.sqrt(((cells[:, None, :] - anchors[None, :, :]) ** 2).sum(axis=2)).min(axis=1) <= 90_000
    assert (prepared.covered(anchors, 90_000) == far).all()


def test_points_are_checked() -> None:
    with pytest.raises(ServicePointError) as bad:
        point_from_dict({"name": "X", "kind": "kiosk", "kommunenummer": "5001"})
    assert bad.value.code == "bad_kind"
    with pytest.raises(ServicePointError):
        point_from_dict({"name": "X", "kind": "fixed"})  # no position
    with pytest.raises(ServicePointError):
        point_from_dict({"name": "X", "kind": "fixed", "lat": 63.4})  # half a position
    with pytest.raises(ServicePointError) as agency:
        point_from_dict({"name": "X", "kind": "fixed", "kommunenummer": "2584", "agencies": ["nav"]}, "SE")
    assert agency.value.code == "bad_agency"
    swedish = point_from_dict({"name": "Kiruna servicecenter", "kind": "centre", "kommunenummer": "2584",
                               "agencies": ["Skatteverket", "forsakringskassan"]}, "SE")
    assert swedish.agencies == ("skatteverket", "forsakringskassan")


def test_layers_are_stored_per_workspace_and_scenario_and_only_by_the_secretariat() -> None:
    store = Store.open()
    ws = store.ensure_demo_workspace()
    base = with_ids([point_from_dict(_point("A", LON, LAT, "centre", agencies=["nav"]))])
    save_layer(store, SYSTEM, ws.id, base)
    save_layer(store, SYSTEM, ws.id, [*base, point_from_dict(_point("B", 10.0, 63.0))], scenario_layer(7))
    assert [p.name for p in load_layer(store, ws.id)] == ["A"]
    assert [p.name for p in load_layer(store, ws.id, scenario_layer(7))] == ["A", "B"]
    with pytest.raises(PermissionDenied):
        save_layer(store, Actor("Ordfører", "council", "5001"), ws.id, [])
    # the layer travels with a workspace export
    copy = store.import_workspace(SYSTEM, store.export_workspace(ws.id), name="Kopi")
    assert [p.agencies for p in load_layer(store, copy.id)] == [("nav",)]


def test_points_from_a_table_with_a_mobile_route() -> None:
    rows = [["Navn", "Type", "Kommune", "lat", "lon", "Etater", "Åpningstider"],
            ["Servicetorget", "servicesenter", "Trondheim", "63.43", "10.39", "kommunen, NAV", "08-15"],
            ["Melhus servicekontor", "fast", "5028", "", "", "nav", ""],
            ["Bokbussen", "mobil", "Orkland", "", "", "kommune", ""],
            ["Bokbussen", "stopp", "", "63.30", "9.85", "", "mandag 10-12"],
            ["Ukjent", "fast", "Atlantis", "", "", "", ""]]
    report = ImportReport("punkter.csv")
    points = read_points(rows, "NO", geo.bundled(), report)
    assert [(p.name, p.kind, p.kommunenummer) for p in points] == [
        ("Servicetorget", "centre", "5001"), ("Melhus servicekontor", "fixed", "5028"),
        ("Bokbussen", "mobile", "5059")]
    assert points[0].agencies == ("kommune", "nav") and points[0].hours == "08-15"
    assert points[2].stops[0].schedule == "mandag 10-12"
    assert [line.code for line in report.errors] == ["sp_unknown_municipality"]


def test_population_grid_file_imports_and_is_placed_in_municipalities() -> None:
    text = "x;y;befolkning\n" + "\n".join(
        f"{x};{y};{p}" for x, y, p in [(269_000, 7_040_000, 120), (270_000, 7_041_000, 80), ("", 1, 5)])
    result = validate_file(text.encode(), "rutenett.csv", "population-grid")
    assert result.ok and result.counts["rows"] == 2
    assert [line.code for line in result.report.warnings] == ["grid_rows_skipped"]
    grid = assign_grid(result.tables["population_grid"], geo.bundled())
    assert set(grid["kommunenummer"]) == {"5001"}  # central Trondheim
    # SCB's grid in SWEREF99 TM is converted to EPSG:25833
    rows = [["x", "y", "pop", "crs"], ["500000", "7000000", "10", "3006"]]
    converted = read_grid_rows(rows, ImportReport("scb.csv"))
    assert abs(converted["x"].iloc[0] - 500_000) < 5 and abs(converted["y"].iloc[0] - 7_000_000) < 5
    # lon/lat cells are recognised as such
    lonlat = read_grid_rows([["lon", "lat", "population"], [LON, LAT, 5]], ImportReport("ll.csv"))
    assert lonlat["x"].iloc[0] == pytest.approx(to_metric(np.array([LON]), np.array([LAT]))[0][0])


def test_cli_imports_points_and_prints_coverage(tmp_path, capsys) -> None:
    import json

    points = tmp_path / "punkter.csv"
    points.write_text("navn;type;kommune;lat;lon;etater\nServicetorget;servicesenter;5001;63.43;10.39;nav\n",
                      encoding="utf-8")
    assert main(["servicepoints", "import", str(points), "--workspace", "Demo"]) == 0
    capsys.readouterr()
    assert main(["servicepoints", "coverage", "--workspace", "Demo", "--distance-km", "30", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["method"] == "centres" and out["points"] == 1
    rows = {r["kommunenummer"]: r for r in out["municipalities"]}
    assert rows["5001"]["has_centre"] is True and rows["5001"]["share"] == 1.0
    assert main(["servicepoints", "coverage", "--workspace", "Nope"]) == 1
