"""Boundary uploads: GeoJSON, GeoPackage and zipped Shapefile in any CRS."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pytest
import shapely

from kommunestrategi import geo, geometry
from kommunestrategi.io.geofiles import read_boundaries


@pytest.fixture(scope="module")
def trondelag() -> gpd.GeoDataFrame:
    """Bundled Trøndelag municipalities in UTM 33N, numbers as integers (as many GIS exports have)."""
    gdf = geo.load_municipalities()
    part = gdf[gdf["kommunenummer"].str.startswith("50")][["kommunenummer", "name", "geometry"]].copy()
    part = part.rename(columns={"kommunenummer": "KOMMUNENR", "name": "NAVN"})
    part["KOMMUNENR"] = part["KOMMUNENR"].astype(int)
    return part.to_crs(25833)


def _zip_shapefile(gdf: gpd.GeoDataFrame, folder: Path, parts=(".shp", ".shx", ".dbf", ".prj", ".cpg")) -> bytes:
    gdf.to_file(folder / "kommuner.shp", engine="pyogrio")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in folder.iterdir():
            if path.suffix in parts:
                zf.write(path, f"grenser/{path.name}")
    return buffer.getvalue()


def _areas(gdf: gpd.GeoDataFrame) -> dict[str, float]:
    return dict(zip(gdf["kommunenummer"], gdf.to_crs(geometry.METRIC_CRS).area / 1e6, strict=True))


def test_real_2024_boundaries_load_as_357_municipalities(real_data):
    data = (real_data / "kartverket_kommuner_2024_small.geojson").read_bytes()
    gdf, report = read_boundaries(data, "kartverket_kommuner_2024_small.geojson")
    assert report.ok, report.as_rows("en")
    assert list(gdf.columns) == ["kommunenummer", "name", "geometry"]
    assert len(gdf) == 357 and gdf.crs.to_epsg() == 4326
    assert {"1508", "1580"} <= set(gdf["kommunenummer"])
    names = dict(zip(gdf["kommunenummer"], gdf["name"], strict=True))
    assert names["1875"] == "Hábmer - Hamarøy" and names["1580"] == "Haram"
    assert gdf.attrs["structure_year"] == 2024
    assert gdf.geometry.is_valid.all()
    # Ålesund and Haram together cover what the bundled 2020 unit 1508 covers (within 2%)
    areas = _areas(gdf)
    bundled = _areas(geo.load_municipalities())
    assert areas["1508"] + areas["1580"] == pytest.approx(bundled["1508"], rel=0.02)


def test_swedish_file_needs_the_country(real_data):
    data = (real_data / "se_kommuner.geojson").read_bytes()
    gdf, report = read_boundaries(data, "se_kommuner.geojson")
    assert gdf is None
    assert report.errors[0].code == "geo_swedish_numbers"
    assert "Sweden" in report.errors[0].message("en") and "Sverige" in report.errors[0].message("sv")
    gdf, report = read_boundaries(data, "se_kommuner.geojson", country="SE")
    assert report.ok and len(gdf) == 290
    assert gdf.attrs["country"] == "SE" and gdf.attrs["structure_year"] is None
    assert dict(zip(gdf.kommunenummer, gdf.name, strict=True))["0180"] == "Stockholm"


def test_geopackage_in_utm_is_reprojected_and_simplified_like_the_bundle(trondelag, tmp_path):
    path = tmp_path / "trondelag.gpkg"
    trondelag.to_file(path, layer="kommuner", engine="pyogrio")
    gdf, report = read_boundaries(path.read_bytes(), "trondelag.gpkg")
    assert report.ok, report.as_rows("en")
    assert gdf.crs.to_epsg() == 4326 and gdf.attrs["source_crs"] == "EPSG:25833"
    assert gdf["kommunenummer"].tolist() == sorted(trondelag["KOMMUNENR"].astype(str).str.zfill(4))
    assert gdf["kommunenummer"].str.len().eq(4).all()
    # the rest of Norway is missing: one warning, not an error
    assert [line.code for line in report.warnings] == ["geo_missing_municipalities"]
    bundled = _areas(geo.load_municipalities())
    for code, area in _areas(gdf).items():
        assert area == pytest.approx(bundled[code], rel=0.01)
    # neighbours still share borders after simplification (coverage kept)
    metric = gdf.to_crs(geometry.METRIC_CRS).set_index("kommunenummer").geometry
    border = shapely.intersection(metric["5001"].boundary, metric["5031"].boundary)
    assert border.length > 1000


def test_zipped_shapefile_reads_and_incomplete_zip_is_reported(trondelag, tmp_path):
    (tmp_path / "a").mkdir()
    data = _zip_shapefile(trondelag, tmp_path / "a")
    gdf, report = read_boundaries(data, "kommuner.zip")
    assert report.ok, report.as_rows("en")
    assert len(gdf) == len(trondelag) and "5001" in set(gdf.kommunenummer)
    assert dict(zip(gdf.kommunenummer, gdf.name, strict=True))["5001"].startswith("Trondheim")
    (tmp_path / "b").mkdir()
    broken = _zip_shapefile(trondelag, tmp_path / "b", parts=(".shp", ".prj"))
    gdf, report = read_boundaries(broken, "kommuner.zip")
    assert gdf is None and report.errors[0].code == "geo_zip_incomplete"
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("readme.txt", "no shapes here")
    gdf, report = read_boundaries(empty.getvalue(), "kommuner.zip")
    assert report.errors[0].code == "geo_zip_no_shapefile"


def _feature(number, name, geom) -> dict:
    return {"type": "Feature", "properties": {"kommunenummer": number, "kommunenavn": name},
            "geometry": json.loads(shapely.to_geojson(geom))}


def _collection(features, crs=None) -> bytes:
    doc = {"type": "FeatureCollection", "features": features}
    if crs:
        doc["crs"] = {"type": "name", "properties": {"name": crs}}
    return json.dumps(doc).encode()


def test_unknown_number_gets_a_suggestion_and_blocks():
    box = shapely.box(10.3, 63.3, 10.5, 63.4)
    gdf, report = read_boundaries(_collection([_feature("5001", "Trondheim", box),
                                               _feature("5999", "Malvik", shapely.box(10.6, 63.3, 10.8, 63.4))]),
                                  "x.geojson")
    assert gdf is None
    (line,) = report.errors
    assert line.code == "geo_unknown_number" and line.row == 3
    assert line.suggestion == "5031 Malvik"


def test_leading_zero_restored_and_parts_merged():
    features = [_feature(301, "Oslo", shapely.box(10.6, 59.8, 10.7, 59.9)),
                _feature("0301", "Oslo", shapely.box(10.7, 59.8, 10.8, 59.9)),
                _feature("3201", "Bærum", shapely.box(10.4, 59.8, 10.6, 59.9))]
    gdf, report = read_boundaries(_collection(features), "oslo.geojson")
    assert report.ok
    assert gdf["kommunenummer"].tolist() == ["0301", "3201"]
    assert "geo_parts_merged" in [line.code for line in report.warnings]


@pytest.mark.parametrize(("payload", "name", "code"), [
    (_collection([{"type": "Feature", "properties": {"kommunenummer": "5001"},
                   "geometry": {"type": "Point", "coordinates": [10.4, 63.4]}}]), "p.geojson", "geo_no_polygons"),
    (_collection([{"type": "Feature", "properties": {"farge": "blå"},
                   "geometry": json.loads(shapely.to_geojson(shapely.box(10, 63, 11, 64)))}]),
     "c.geojson", "geo_no_number_column"),
    (b'{"type": "FeatureCollection", "features": [', "t.geojson", "geo_unreadable"),
    (_collection([_feature("5001", "Trondheim", shapely.box(270000, 7030000, 280000, 7040000))],
                 crs="urn:ogc:def:crs:EPSG::25833"), "utm.geojson", None),
])
def test_bad_and_odd_files(payload, name, code):
    gdf, report = read_boundaries(payload, name)
    if code is None:
        assert report.ok and gdf.geometry.iloc[0].bounds[1] > 63  # reprojected from UTM to lat/lon
        return
    assert gdf is None and report.errors[0].code == code
    assert report.errors[0].message("nb")


def test_names_only_file_resolves_numbers():
    features = [{"type": "Feature", "properties": {"navn": "Tråante"},
                 "geometry": json.loads(shapely.to_geojson(shapely.box(10.3, 63.3, 10.5, 63.4)))}]
    gdf, report = read_boundaries(_collection(features), "navn.geojson")
    assert report.ok and gdf["kommunenummer"].tolist() == ["5001"]
    assert report.warnings[0].code == "geo_numbers_from_names"


def test_size_limit(monkeypatch):
    monkeypatch.setenv("KOMMUNESTRATEGI_MAX_UPLOAD_MB", "0.0001")
    gdf, report = read_boundaries(_collection([_feature("5001", "x", shapely.box(10, 63, 11, 64))] * 3),
                                  "big.geojson")
    assert gdf is None and not report.ok


def test_zip_bomb_is_refused_before_extraction(trondelag, tmp_path):
    (tmp_path / "z").mkdir()
    buffer = io.BytesIO(_zip_shapefile(trondelag, tmp_path / "z"))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("grenser/kommuner.txt", b"\0" * (40 * 1024 * 1024))  # 40 MB of zeros, ~40 kB packed
    gdf, report = read_boundaries(buffer.getvalue(), "kommuner.zip")
    assert gdf is None and report.errors[0].code == "zip_bomb"


def test_overlapping_municipalities_are_flagged():
    features = [_feature("0301", "Oslo", shapely.box(10.6, 59.8, 10.8, 59.9)),
                _feature("3201", "Bærum", shapely.box(10.7, 59.8, 10.9, 59.9))]
    gdf, report = read_boundaries(_collection(features), "overlap.geojson")
    (line,) = [line for line in report.warnings if line.code == "geo_overlaps"]
    assert (line.params["first"], line.params["second"]) == ("0301", "3201")
    assert "km²" in line.message("en")


def test_2020_structure_is_renumbered_to_2024(tmp_path):
    units = geo.load_units()
    gdf = geo.load_municipalities()
    part = gdf[gdf["county_number"].isin(["31", "32", "33"])].copy()  # Viken in 2020: numbers 30xx
    part["nr"] = part["kommunenummer"].map(dict(zip(units.kommunenummer, units.kommunenummer_2020, strict=True)))
    assert part["nr"].str.startswith("30").all()
    path = tmp_path / "viken.geojson"
    part[["nr", "name", "geometry"]].to_file(path, driver="GeoJSON", engine="pyogrio")
    out, report = read_boundaries(path.read_bytes(), "viken.geojson")
    assert report.ok and out.attrs["structure_year"] == 2020
    assert sorted(out["kommunenummer"]) == sorted(part["kommunenummer"])
    assert "geo_numbers_translated" in [line.code for line in report.warnings]
