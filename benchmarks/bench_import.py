"""Benchmark: validate + normalise a 50,000-row x 10-column xlsx, against pandas/openpyxl.

The file is generated: 356 municipalities x 141 years (1960-2100, first 50,000
rows), columns kommunenummer, kommunenavn, year and seven indicators (wide by
indicator, 350,000 values). Measured:

* ``import_validate_median``: ``io.importer.validate_file`` - the byte-level safety
  checks, calamine reading, layout detection, municipality resolution, number
  parsing, range and duplicate checks, and the canonical long table;
* ``baseline_openpyxl_median``: ``pandas.read_excel(engine="openpyxl", dtype=str)``
  alone, i.e. only reading, no validation (the baseline named in the issue).

Targets: validate + normalise <= 2 s, and >= 3x faster than the baseline. CPU times
and the load average are printed too: on a shared machine wall time mostly measures
the neighbours.

    python benchmarks/bench_import.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import psutil  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from kommunestrategi import geo  # noqa: E402
from kommunestrategi.io.importer import validate_file  # noqa: E402

ROWS = 50_000
INDICATORS = ["pop_total", "pop_0_5", "pop_6_15", "pop_16_66", "pop_67_79", "pop_80_plus", "area_km2"]


def make_workbook() -> bytes:
    units = geo.load_units()
    codes = units["kommunenummer"].tolist()
    names = units["name"].tolist()
    rng = np.random.default_rng(1)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Data")
    sheet.append(["kommunenummer", "kommunenavn", "year", *INDICATORS])
    count = 0
    for year in range(1960, 2101):
        values = rng.integers(0, 100_000, size=(len(codes), len(INDICATORS)))
        for i, code in enumerate(codes):
            if count == ROWS:
                break
            sheet.append([code, names[i], year, *values[i].tolist()])
            count += 1
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def median_time(func, repeat: int) -> tuple[float, float, object]:
    """Median wall-clock and CPU seconds of ``func`` (CPU time is steadier on a shared machine)."""
    wall, cpu = [], []
    result = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        result = func()
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(wall), statistics.median(cpu), result


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    geo.code_index()  # warm the bundled lookups, as a running app has them
    data = make_workbook()
    print(f"file_size: {len(data) / 1048576:.1f} MB")
    ours, ours_cpu, result = median_time(lambda: validate_file(data, "bench.xlsx"), args.repeat)
    assert result.ok, result.report.as_rows("en")[:5]
    assert result.counts["rows"] == ROWS * len(INDICATORS), result.counts
    peak_ours = _peak_rss_linux()
    baseline, baseline_cpu, frame = median_time(
        lambda: pd.read_excel(io.BytesIO(data), engine="openpyxl", dtype=str), args.repeat)
    assert len(frame) == ROWS
    rss = psutil.Process().memory_info()
    peak = getattr(rss, "peak_wset", None) or _peak_rss_linux() or rss.rss
    print(f"rows: {ROWS} rows")
    print(f"values: {result.counts['rows']} values")
    print(f"import_validate_median: {ours:.3f} s")
    print(f"import_validate_cpu_median: {ours_cpu:.3f} s")
    print(f"baseline_openpyxl_median: {baseline:.3f} s")
    print(f"baseline_openpyxl_cpu_median: {baseline_cpu:.3f} s")
    print(f"speedup_vs_openpyxl: {baseline / ours:.1f} x")
    print(f"load_average_1min: {os.getloadavg()[0]:.1f}")
    if peak_ours:
        print(f"peak_rss_after_validate: {peak_ours / 1048576:.0f} MB")
    print(f"peak_rss: {peak / 1048576:.0f} MB")
    print(f"target_2s: {'met' if ours <= 2.0 else 'missed'}")
    print(f"target_3x: {'met' if baseline / ours >= 3 else 'missed'}")
    return 0


def _peak_rss_linux() -> int | None:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


if __name__ == "__main__":
    sys.exit(main())
