"""Municipality boundaries from GeoJSON, GeoPackage or a zipped Shapefile.

The secretariat may bring newer boundaries than the bundled ones (e.g. the
official 2024 structure, where Ålesund and Haram are separate). Any CRS is
accepted and reprojected to EPSG:4326; the number and name columns are found by
name or by content; numbers are normalised (``301`` -> ``0301``) and checked
against the known municipality lists; the polygons are made valid and
simplified exactly as the bundled data is (``geometry.simplify_coverage``), so
areas and neighbours mean the same whichever file they come from.

``read_boundaries`` never raises on a bad file: every problem is a report line.
Nothing is replaced here; the caller shows the preview and asks the user to
confirm before the new boundaries are used.
"""

from __future__ import annotations

import io
import re
import tempfile
import warnings
import zipfile
from pathlib import Path, PurePosixPath

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from kommunestrategi import formatting, geometry
from kommunestrategi.codes import code_changes, fold_name, normalise_number
from kommunestrategi.geo import code_index
from kommunestrategi.io import offline
from kommunestrategi.io.report import ImportReport
from kommunestrategi.io.safety import check_upload

COUNTRIES = ("NO", "SE")
#: Most features a boundary file may have (Norway has 357 municipalities).
MAX_FEATURES = 5_000
#: Most vertices a boundary file may have: Kartverket's full-resolution municipal
#: boundaries have about a million; the app simplifies them to far fewer anyway.
MAX_COORDINATES = 3_000_000
#: Overlap between two municipalities (km²) above which the file is not a clean coverage.
MAX_OVERLAP_KM2 = 1.0
#: Shapefile parts read from a zip; everything else in it is ignored.
_SHAPE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
#: Column names (folded, without separators) that hold the municipality number.
_NUMBER_NAMES = ("kommunenummer", "kommunenr", "komnr", "knr", "kommunekode", "kommunenummer2024",
                 "municipalitynumber", "kommunkod", "kommunkode", "kommunid", "kn", "code", "id", "kode",
                 "nummer")
#: Column names (folded, without separators) that hold the municipality name.
_NAME_NAMES = ("kommunenavn", "navn", "name", "kommunnamn", "komnamn", "namn", "kommune", "kommun",
               "municipality", "label")
#: Column names that mark a Swedish file.
_SWEDISH_HINTS = ("komnamn", "kommunkod", "kommunnamn", "lancode", "lanskod", "lankod")


def _plain(column: str) -> str:
    return re.sub(r"[^a-z0-9]", "", fold_name(column))


def _read_frame(data: bytes, fmt: str, file_name: str, report: ImportReport) -> gpd.GeoDataFrame | None:
    """The file's features as a GeoDataFrame (any CRS), or None after an error line."""
    offline.configure_gdal()
    if fmt in ("geojson", "json") and offline.remote_references(data):
        report.error("geo_remote_reference")
        return None
    if fmt in ("geojson", "json") and not _coordinates_within_limit(data.count(b"["), report):
        return None
    with tempfile.TemporaryDirectory(prefix="boundaries-") as tmp:
        folder = Path(tmp)
        if fmt == "zip":
            path = _extract_shapefile(data, folder, report)
            if path is None:
                return None
        else:
            path = folder / ("upload.gpkg" if fmt == "gpkg" else "upload.geojson")
            path.write_bytes(data)
        try:
            layers = pyogrio.list_layers(path)
        except Exception:  # noqa: BLE001 - GDAL raises many kinds; all mean "unreadable"
            report.error("geo_unreadable")
            return None
        # "Unknown" is GDAL's type for a layer mixing Polygon and MultiPolygon.
        polygon_layers = [str(name) for name, kind in layers
                          if kind is None or any(k in str(kind).lower() for k in ("polygon", "unknown"))]
        if not polygon_layers:
            report.error("geo_no_polygons")
            return None
        if len(polygon_layers) > 1:
            report.warning("geo_first_layer", layer=polygon_layers[0], count=len(polygon_layers))
        try:
            info = pyogrio.read_info(path, layer=polygon_layers[0])
            if int(info.get("features") or 0) > MAX_FEATURES:
                report.error("geo_too_many_features", count=int(info["features"]), limit=MAX_FEATURES)
                return None
            with warnings.catch_warnings():
                # mixed text/number properties make GDAL guess a JSON column; we read them as text
                warnings.simplefilter("ignore", UserWarning)
                frame = gpd.read_file(path, layer=polygon_layers[0], engine="pyogrio")
            count = int(shapely.get_num_coordinates(frame.geometry.values).sum())
            return frame if _coordinates_within_limit(count, report) else None
        except Exception:  # noqa: BLE001 - GDAL raises many kinds; all mean "unreadable"
            report.error("geo_unreadable")
            return None


def _coordinates_within_limit(count: int, report: ImportReport) -> bool:
    """Refuse more than :data:`MAX_COORDINATES` vertices before any geometry work
    (repairing and simplifying millions of vertices takes minutes)."""
    if count > MAX_COORDINATES:
        report.error("geo_too_many_coordinates", count=count, limit=MAX_COORDINATES)
        return False
    return True


def _extract_shapefile(data: bytes, folder: Path, report: ImportReport) -> Path | None:
    """Write the one Shapefile in a zip to ``folder`` (basenames only) and return its .shp."""
    archive = zipfile.ZipFile(io.BytesIO(data))
    members = [info for info in archive.infolist()
               if not info.is_dir() and not PurePosixPath(info.filename).name.startswith(".")
               and "__MACOSX" not in info.filename]
    shps = [info for info in members if info.filename.lower().endswith(".shp")]
    if len(shps) != 1:
        if not shps:
            report.error("geo_zip_no_shapefile")
        else:
            report.error("geo_zip_many_shapefiles", count=len(shps))
        return None
    # a Shapefile point is 16 bytes: the .shp size (checked against the real bytes by
    # check_upload) bounds the vertex count before anything is unpacked
    if not _coordinates_within_limit(shps[0].file_size // 16, report):
        return None
    stem = PurePosixPath(shps[0].filename).with_suffix("")
    target = None
    for info in members:
        member = PurePosixPath(info.filename)
        if member.with_suffix("") != stem or member.suffix.lower() not in _SHAPE_PARTS:
            continue
        out = folder / f"upload{member.suffix.lower()}"
        out.write_bytes(archive.read(info))  # sizes already checked by check_upload
        if member.suffix.lower() == ".shp":
            target = out
    if not (folder / "upload.shx").exists() or not (folder / "upload.dbf").exists():
        report.error("geo_zip_incomplete")
        return None
    return target


def _find_column(frame: pd.DataFrame, names: tuple[str, ...], looks_right) -> str | None:
    columns = [c for c in frame.columns if c != frame.geometry.name]
    by_plain = {_plain(c): c for c in columns}
    for name in names:
        if name in by_plain and looks_right(frame[by_plain[name]]):
            return by_plain[name]
    scored = [(looks_right(frame[c]), c) for c in columns]
    scored = [(score, c) for score, c in scored if score]
    return max(scored, key=lambda item: item[0])[1] if scored else None


def _number_share(series: pd.Series) -> float:
    values = series.dropna()
    if values.empty:
        return 0.0
    if values.map(lambda v: isinstance(v, float) and not float(v).is_integer()).any():
        return 0.0
    text = values.map(lambda v: str(int(v)) if isinstance(v, float) else str(v).strip())
    share = float(text.map(lambda v: bool(re.fullmatch(r"(?:K-)?\d{3,4}", v, flags=re.I))).mean())
    return share if share >= 0.9 else 0.0


def _name_share(series: pd.Series) -> float:
    values = series.dropna().astype(str).str.strip()
    if values.empty:
        return 0.0
    share = float(values.map(lambda v: bool(re.search(r"[^\W\d_]{2,}", v))).mean())
    return share if share >= 0.9 else 0.0


def _reproject(frame: gpd.GeoDataFrame, report: ImportReport) -> gpd.GeoDataFrame | None:
    if frame.crs is None:
        minx, miny, maxx, maxy = frame.total_bounds
        if -180 <= minx <= maxx <= 180 and -90 <= miny <= maxy <= 90:
            report.warning("geo_no_crs_lonlat")
            return frame.set_crs(4326)
        report.error("geo_no_crs")
        return None
    try:
        return frame.to_crs(4326)
    except Exception:  # noqa: BLE001 - pyproj errors vary; all mean "cannot reproject"
        report.error("geo_bad_crs", crs=str(frame.crs)[:60])
        return None


def _norwegian_numbers(numbers: pd.Series, names: pd.Series | None, rows: pd.Series,
                       report: ImportReport, swedish_hint: bool) -> int | None | bool:
    """Check numbers against the 2020 and 2024 lists; returns the structure year.

    Returns False after an error line.
    """
    changes = code_changes()
    known_2024 = set(changes["kommunenummer_2024"])
    known_2020 = set(changes["kommunenummer_2020"])
    known = known_2024 | known_2020
    unknown = [i for i, n in enumerate(numbers) if n not in known]
    if len(numbers) >= 10 and len(unknown) > 0.2 * len(numbers):
        first = unknown[0]
        example = numbers.iloc[first] + (f" {names.iloc[first]}" if names is not None else "")
        report.error("geo_swedish_numbers" if swedish_hint else "geo_not_norwegian",
                     count=len(unknown), total=len(numbers), example=example)
        return False
    index = code_index()
    for i in unknown:
        guess = index.suggest(names.iloc[i]) if names is not None else None
        report.error("geo_unknown_number", row=int(rows.iloc[i]), column="kommunenummer",
                     number=numbers.iloc[i], suggestion=guess or index.suggest(numbers.iloc[i]))
    if unknown:
        return False
    present = set(numbers)
    if present <= known_2024:
        year: int | None = 2024
    elif present <= known_2020:
        year = 2020
    else:
        year = None
        report.warning("geo_mixed_structure")
    reference = known_2024 if year == 2024 else known_2020 if year == 2020 else set()
    missing = sorted(reference - present)
    if missing:
        label_of = dict(zip(changes["kommunenummer_2020"], changes["kommunenavn_2020"], strict=True))
        label_of.update(zip(changes["kommunenummer_2024"], changes["kommunenavn_2024"], strict=True))
        report.warning("geo_missing_municipalities", count=len(missing), year=year,
                       examples=", ".join(f"{n} {label_of.get(n, '')}".strip() for n in missing[:5]))
    return year


def _to_2024(numbers: pd.Series, report: ImportReport) -> pd.Series:
    """2020 numbers renumbered to 2024 (Ålesund 1507, split in 2024, becomes the unit 1508)."""
    by_2020 = code_index().number_2024_by_2020
    translated = numbers.map(lambda n: by_2020.get(n, (n,))[0])
    changed = sorted({f"{a}→{b}" for a, b in zip(numbers, translated, strict=True) if a != b})
    if changed:
        report.warning("geo_numbers_translated", count=len(changed), examples=", ".join(changed[:3]))
    return translated


def _swedish_numbers(numbers: pd.Series, rows: pd.Series, report: ImportReport) -> bool:
    """Swedish kommunkoder: 4 digits, county part 01-25."""
    ok = True
    for row, number in zip(rows, numbers, strict=True):
        if not re.fullmatch(r"\d{4}", number) or not 1 <= int(number[:2]) <= 25:
            report.error("geo_bad_swedish_number", row=row, column="id", number=number)
            ok = False
    return ok


def read_boundaries(data: bytes, file_name: str, country: str = "NO",
                    tolerance_m: float = geometry.ANALYSIS_TOLERANCE_M) -> tuple[gpd.GeoDataFrame | None,
                                                                                  ImportReport]:
    """Municipality polygons from an uploaded file, validated and simplified.

    Returns ``(frame, report)``; ``frame`` has columns ``kommunenummer`` (text,
    4 digits), ``name`` and ``geometry`` (EPSG:4326), one row per municipality,
    sorted by number, or is None when an error blocks the import. ``frame.attrs``
    holds ``country``, ``structure_year`` (2024 or 2020 for Norway, else None),
    ``source_crs`` and ``tolerance_m``. ``country`` is ``"NO"`` (numbers checked
    against the Norwegian lists; boundaries of the 2020 structure are renumbered
    to 2024 numbers, Ålesund 1507 becoming the unit 1508) or ``"SE"`` (Swedish
    kommunkoder, kept as they are).
    """
    report = ImportReport(file_name)
    country = country.upper()
    if country not in COUNTRIES:
        report.error("geo_unknown_country", country=country)
        return None, report
    fmt, _ = check_upload(data, file_name, report, allowed=("geojson", "json", "gpkg", "zip"))
    if fmt is None:
        return None, report
    raw = _read_frame(data, fmt, file_name, report)
    if raw is None:
        return None, report
    if raw.empty:
        report.error("geo_empty")
        return None, report
    source_crs = str(raw.crs.to_string()) if raw.crs is not None else ""
    frame = _reproject(raw, report)
    if frame is None:
        return None, report
    frame = frame.reset_index(drop=True)
    rows = pd.Series(np.arange(2, len(frame) + 2))  # as in a table with a header row

    number_col = _find_column(frame, _NUMBER_NAMES, _number_share)
    name_col = _find_column(frame, _NAME_NAMES, _name_share)
    if number_col is None and name_col is None:
        report.error("geo_no_number_column", columns=", ".join(map(str, frame.columns.drop(frame.geometry.name))))
        return None, report
    names = frame[name_col].astype("string").str.strip() if name_col else None
    swedish_hint = any(_plain(c) in _SWEDISH_HINTS for c in frame.columns)

    if number_col is not None:
        numbers = frame[number_col].map(
            lambda v: normalise_number(int(v) if isinstance(v, float) and v == v else v))
    else:
        numbers = names.map(lambda n: _number_for_name(n) if isinstance(n, str) else None)
        if numbers.notna().mean() < 0.5:
            report.error("geo_no_number_column",
                         columns=", ".join(map(str, frame.columns.drop(frame.geometry.name))))
            return None, report
        report.warning("geo_numbers_from_names", column=name_col)
    numbers = numbers.astype(object)
    blank = numbers.isna()
    for row in rows[blank.to_numpy()]:
        report.error("geo_missing_number", row=int(row), column=number_col or name_col)

    geoms = frame.geometry
    bad_geom = geoms.isna() | geoms.is_empty | ~geoms.geom_type.isin(["Polygon", "MultiPolygon"])
    for row in rows[bad_geom.to_numpy()]:
        report.error("geo_bad_geometry", row=int(row))
    if report.errors:
        return None, report

    numbers = numbers.astype(str)
    if country == "NO":
        year = _norwegian_numbers(numbers, names, rows, report, swedish_hint)
        if year is False:
            return None, report
        if year == 2020:
            numbers = _to_2024(numbers, report)
    else:
        if not _swedish_numbers(numbers, rows, report):
            return None, report
        year = None

    frame = gpd.GeoDataFrame({"kommunenummer": numbers.to_numpy(),
                              "name": (names if names is not None else numbers).to_numpy(),
                              "geometry": frame.geometry.to_numpy()}, crs=4326)
    if frame["kommunenummer"].duplicated().any():
        dup = sorted(set(frame.loc[frame["kommunenummer"].duplicated(), "kommunenummer"]))
        report.warning("geo_parts_merged", count=len(dup), examples=", ".join(dup[:5]))
        frame = frame.dissolve(by="kommunenummer", aggfunc="first", as_index=False)[
            ["kommunenummer", "name", "geometry"]]
    if country == "NO" and names is None:
        lookup = dict(zip(code_changes()["kommunenummer_2024"], code_changes()["kommunenavn_2024"], strict=True))
        frame["name"] = frame["kommunenummer"].map(lambda n: lookup.get(n, n))

    overlap = _largest_overlap_km2(frame)
    if overlap[0] > MAX_OVERLAP_KM2:
        report.warning("geo_overlaps", area=formatting.number(overlap[0], decimals=1),
                       first=overlap[1], second=overlap[2])
    simplified = geometry.simplify_coverage(frame, tolerance_m)
    simplified["geometry"] = shapely.set_precision(simplified.geometry.values,
                                                   10 ** -geometry.ANALYSIS_DECIMALS)
    simplified["geometry"] = shapely.make_valid(simplified.geometry.values)
    out = gpd.GeoDataFrame(simplified[["kommunenummer", "name", "geometry"]], geometry="geometry", crs=4326)
    out = out.sort_values("kommunenummer").reset_index(drop=True)
    out["name"] = out["name"].astype(str)
    out.attrs.update({"country": country, "structure_year": year, "source_crs": source_crs,
                      "tolerance_m": tolerance_m})
    return out, report


def _largest_overlap_km2(frame: gpd.GeoDataFrame) -> tuple[float, str, str]:
    """The largest area (km²) where two municipalities overlap, and which two.

    Boundary files are meant to be coverages (no overlaps); published simplified
    files overlap by slivers of a few hundred square metres, which is harmless.
    """
    metric = frame.to_crs(geometry.METRIC_CRS)
    geoms = shapely.make_valid(metric.geometry.to_numpy())
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    keep = left < right
    if not keep.any():
        return 0.0, "", ""
    areas = shapely.area(shapely.intersection(geoms[left[keep]], geoms[right[keep]])) / 1e6
    worst = int(np.argmax(areas))
    codes = frame["kommunenummer"].to_numpy()
    return float(areas[worst]), str(codes[left[keep][worst]]), str(codes[right[keep][worst]])


def _number_for_name(name: str) -> str | None:
    """The 2024 number of a Norwegian municipality name (Sami names too), None if unknown."""
    changes = code_changes()
    folded = fold_name(name)
    for number, label in zip(changes["kommunenummer_2024"], changes["kommunenavn_2024"], strict=True):
        if folded == fold_name(label) or folded in (fold_name(p) for p in re.split(r"\s+-\s+", label)):
            return number
    for number, label in zip(changes["kommunenummer_2024"], changes["kommunenavn_2020"], strict=True):
        if folded == fold_name(label):
            return number
    return None
