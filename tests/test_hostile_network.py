"""Hostile input, item 1: no uploaded file may make the server open a network connection.

Every file here points at a listener on a loopback port that counts TCP
connections; after reading, validating or importing the file it must have seen
none. GeoJSON ``crs`` links were followed by GDAL before the fix.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import zipfile
from io import BytesIO
from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
import shapely

from kommunestrategi.io import offline
from kommunestrategi.io.geofiles import read_boundaries
from kommunestrategi.io.importer import validate_file

from .conftest import ROOT
from .hostile import ConnectionCounter, geojson_documents, polygon_feature, xlsx_with_external_links


@pytest.fixture
def listener():
    counter = ConnectionCounter()
    yield counter
    counter.close()


def _codes(report) -> list[str]:
    return [line.code for line in report.lines]


@pytest.mark.parametrize("case", sorted(geojson_documents("http://x")))
def test_geojson_pointing_outside_the_file_is_refused_without_a_connection(listener, case) -> None:
    data = json.dumps(geojson_documents(listener.url)[case]).encode()
    for name in ("grenser.geojson", "grenser.json"):
        frame, report = read_boundaries(data, name)
        assert frame is None
        assert "geo_remote_reference" in _codes(report)
        assert "lenke" in report.lines[0].message("nb")
    assert listener.count == 0, listener.requests


def test_gdal_itself_cannot_reach_the_network_even_past_the_byte_check(listener, monkeypatch, tmp_path) -> None:
    """The second layer: with the byte check switched off, GDAL's fetch fails in curl."""
    monkeypatch.setattr(offline, "remote_references", lambda data: False)
    for case, document in geojson_documents(listener.url).items():
        read_boundaries(json.dumps(document).encode(), f"{case}.geojson")
    # and GDAL opened directly, after the configuration has been applied
    path = tmp_path / "link.geojson"
    path.write_text(json.dumps(geojson_documents(listener.url)["crs_link_proj4"]))
    offline.configure_gdal()
    pyogrio.read_info(path)
    assert listener.count == 0, listener.requests


def test_named_coordinate_systems_are_still_read() -> None:
    """The check refuses links only: an ordinary named CRS keeps working."""
    document = {"type": "FeatureCollection", "features": [polygon_feature()],
                "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}}}
    frame, report = read_boundaries(json.dumps(document).encode(), "grenser.geojson")
    assert frame is not None, _codes(report)
    assert list(frame["kommunenummer"]) == ["5001"]
    assert not offline.remote_references(b'{"crs": {"type": "name", "properties": {"name": "EPSG:25833"}}}')
    assert not offline.remote_references(b'{"coordRefSys": "http://www.opengis.net/def/crs/EPSG/0/25833"}')
    # a property value that merely mentions a link is data, not a reference
    assert not offline.remote_references(json.dumps({"properties": {"note": 'see "href": x'}}).encode())


def _geopackage(tmp_path: Path, url: str) -> bytes:
    frame = gpd.GeoDataFrame({"kommunenummer": ["5001"], "navn": ["Trondheim"]},
                             geometry=[shapely.box(10, 63, 10.5, 63.5)], crs=4326)
    path = tmp_path / "grenser.gpkg"
    frame.to_file(path, layer="kommuner", engine="pyogrio")
    with sqlite3.connect(path) as con:
        con.execute("INSERT INTO gpkg_spatial_ref_sys VALUES ('remote', 990001, 'NONE', 990001, ?, 'x')",
                    (url + "/srs",))
        con.execute("UPDATE gpkg_geometry_columns SET srs_id = 990001")
        con.execute("UPDATE gpkg_contents SET srs_id = 990001")
        con.execute("CREATE VIEW kart AS SELECT fid, kommunenummer, ogr_geocode('Trondheim', 'geometry') AS g, "
                    "geom FROM kommuner")
        con.execute("INSERT INTO gpkg_contents (table_name, data_type, identifier, srs_id) "
                    "VALUES ('kart', 'features', 'kart', 4326)")
        con.execute("INSERT INTO gpkg_geometry_columns VALUES ('kart', 'geom', 'POLYGON', 4326, 0, 0)")
    return path.read_bytes()


def test_geopackage_with_remote_srs_and_geocoding_view_makes_no_connection(listener, tmp_path) -> None:
    frame, report = read_boundaries(_geopackage(tmp_path, listener.url), "grenser.gpkg")
    assert frame is None and report.errors
    assert listener.count == 0, listener.requests


def test_zipped_shapefile_with_a_url_as_projection_makes_no_connection(listener, tmp_path) -> None:
    frame = gpd.GeoDataFrame({"knr": ["5001"], "navn": ["Trondheim"]},
                             geometry=[shapely.box(10, 63, 10.5, 63.5)], crs=4326)
    frame.to_file(tmp_path / "k.shp", engine="pyogrio")
    (tmp_path / "k.prj").write_text(listener.url + "/prj")
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for part in ("shp", "shx", "dbf", "prj"):
            archive.write(tmp_path / f"k.{part}", f"k.{part}")
    read_boundaries(buffer.getvalue(), "grenser.zip")
    assert listener.count == 0, listener.requests


def test_workbook_with_external_links_is_read_without_a_connection(listener) -> None:
    data = xlsx_with_external_links(listener.url)
    result = validate_file(data, "indikatorer.xlsx", "indicators", indicator_id="befolkning")
    assert "external_links_ignored" in _codes(result.report)
    assert listener.count == 0, listener.requests


def test_cli_validate_of_a_linking_geojson_makes_no_connection(listener, tmp_path) -> None:
    path = tmp_path / "grenser.geojson"
    path.write_text(json.dumps(geojson_documents(listener.url)["crs_link_proj4"]))
    done = subprocess.run([sys.executable, "-m", "kommunestrategi", "validate", str(path), "--kind", "boundaries",
                           "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2, done.stderr  # refused before it is read, like a damaged file
    assert [line["code"] for line in json.loads(done.stdout)["lines"]] == ["geo_remote_reference"]
    assert listener.count == 0, listener.requests


def test_data_page_upload_of_linking_files_makes_no_connection(listener, tmp_path) -> None:
    """The attack as a user makes it: files pointing at the listener uploaded on the Data
    page (the upload is validated and previewed at once, before anything is confirmed)."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.run()
    at.switch_page("views/data.py").run()
    assert not at.exception, at.exception
    at.radio(key="data_kind").set_value("boundaries").run()
    uploads = [("grenser.geojson", json.dumps(geojson_documents(listener.url)["crs_link_proj4"]).encode()),
               ("grenser.json", json.dumps(geojson_documents(listener.url)["esri_spatialreference"]).encode()),
               ("grenser.gpkg", _geopackage(tmp_path, listener.url))]
    for name, data in uploads:
        uploader = next(u for u in at.get("file_uploader") if "data_upload_boundaries" in u.proto.id)
        uploader.set_value((name, data, "application/octet-stream")).run()
        assert not at.exception, (name, at.exception)
        assert at.error, name  # refused, with its report
        report = " ".join(str(v) for table in at.table for v in table.value.to_numpy().ravel())
        if name.endswith("json"):
            assert "lenke" in report, report
    at.radio(key="data_kind").set_value("indicators").run()
    uploader = next(u for u in at.get("file_uploader") if "data_upload_indicators" in u.proto.id)
    uploader.set_value(("indikatorer.xlsx", xlsx_with_external_links(listener.url),
                        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")).run()
    assert not at.exception, at.exception
    report = " ".join(str(v) for table in at.table for v in table.value.to_numpy().ravel())
    assert "eksterne koblinger" in report, report  # reported, not followed
    assert listener.count == 0, listener.requests
