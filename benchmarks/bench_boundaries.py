"""Benchmark: boundary upload and JSON-stat2 parsing on the team's real files.

Prints ``name: value unit`` lines. Baselines in the same run: plain
``geopandas.read_file`` of the same GeoJSON (no validation, no simplification)
and ``json.loads`` of the JSON-stat2 file (no table built).

    python benchmarks/bench_boundaries.py [--real ../shared/data/real] [--repeat 5]
"""

from __future__ import annotations

import argparse
import io
import json
import resource
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import geopandas as gpd  # noqa: E402

from kommunestrategi.io.geofiles import read_boundaries  # noqa: E402
from kommunestrategi.io.ssb import parse_jsonstat2  # noqa: E402


def median_seconds(func, repeat: int) -> float:
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "data" / "real")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    geojson = args.real / "kartverket_kommuner_2024_small.geojson"
    jsonstat = args.real / "ssb_07459_folketall_2022.jsonstat.json"
    if not geojson.exists() or not jsonstat.exists():
        print(f"real files not found under {args.real}", file=sys.stderr)
        return 2
    data = geojson.read_bytes()
    frame, report = read_boundaries(data, geojson.name)
    assert report.ok and len(frame) == 357
    ours = median_seconds(lambda: read_boundaries(data, geojson.name), args.repeat)
    base = median_seconds(lambda: gpd.read_file(io.BytesIO(data)), args.repeat)
    print(f"boundaries_read_validate_simplify_357: {ours * 1000:.0f} ms")
    print(f"baseline_geopandas_read_file_only: {base * 1000:.0f} ms")
    print(f"boundaries_overhead_vs_baseline: {ours / base:.1f} x")
    raw = jsonstat.read_bytes()
    ours = median_seconds(lambda: parse_jsonstat2(raw, jsonstat.name), args.repeat * 4)
    base = median_seconds(lambda: json.loads(raw), args.repeat * 4)
    print(f"jsonstat2_parse_359_regions: {ours * 1000:.2f} ms")
    print(f"baseline_json_loads_only: {base * 1000:.2f} ms")
    print(f"peak_rss: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
