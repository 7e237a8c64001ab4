"""Benchmark: the hostile-file corpus through ``validate`` and ``workspace import``.

Every file is built here (nothing is downloaded) and handed to a real
``python -m kommunestrategi`` process, one per file, so each figure is that
process's own: wall time, peak RSS and exit code, and how many lines it wrote to
stderr. The corpus:

* ``forged_xlsx``: 2 million rows whose zip headers claim the sheet is stored 1:1
  at its packed size (so no ratio check can see it);
* ``giant_cell_xlsx``: a 0.6 MB workbook whose one cell unpacks to 600 MB;
* ``rows_2m_xlsx`` / ``rows_2m_csv``: 2 million honest rows;
* ``coords_5m_shp``: a zipped Shapefile boundary with 5 million vertices;
* ``crs_link_geojson``: a GeoJSON whose ``crs`` links to a loopback listener
  (connections to it are counted, must be 0);
* ``ws_member_1gib`` / ``ws_member_1gib_forged``: a workspace export with a 1 GiB
  member (about 1 MB packed), honest and with a header claiming 1 KB;
* ``ws_deep_json`` / ``ws_infinity``: a workspace export nested 100,000 deep, and
  one with ``"version": Infinity``.

Baseline, in the same run: ``validate`` of a valid 357-row CSV (the price of
starting the command at all). Targets (issue 11): no file over 600 MB peak RSS,
none over 15 s, exit codes 1 or 2 with one line on stderr. The load average is
printed: on a shared machine wall time mostly measures the neighbours.

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kommunestrategi import geo  # noqa: E402
from tests import hostile  # noqa: E402

_PEAK = (
    "import resource, subprocess, sys\n"
    "done = subprocess.run([sys.executable, '-m', 'kommunestrategi', *sys.argv[1:]], capture_output=True)\n"
    "sys.stdout.buffer.write(done.stdout)\n"
    "sys.stderr.buffer.write(done.stderr)\n"
    "print('\\nPEAK_RSS', resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, file=sys.stderr)\n"
    "sys.exit(done.returncode)\n")


def run(args: list[str], data_dir: Path) -> dict:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _PEAK, *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=900, env={**os.environ, "KOMMUNESTRATEGI_DATA_DIR": str(data_dir),
                                            "KOMMUNESTRATEGI_DATABASE_URL": f"sqlite:///{data_dir / 's.sqlite'}"})
    seconds = time.perf_counter() - started
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    peak = int(lines[-1].split()[1]) / 1024 if lines and lines[-1].startswith("PEAK_RSS") else float("nan")
    return {"seconds": seconds, "peak_mb": peak, "exit": done.returncode, "stderr_lines": len(lines) - 1,
            "first_error": (lines[0] if len(lines) > 1 else "")[:100]}


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="bench-hostile-") as tmp:
        folder = Path(tmp)
        data_dir = folder / "data"
        data_dir.mkdir()
        listener = hostile.ConnectionCounter()
        print("building the corpus ...", file=sys.stderr)
        files: dict[str, tuple[str, bytes, list[str]]] = {}
        facts = geo.load_facts_2024()
        valid = "kommunenummer;aar;verdi\n" + "".join(f"{k};2024;1,5\n" for k in facts["kommunenummer"])
        files["baseline_valid_csv"] = ("gyldig.csv", valid.encode(), ["--indicator", "befolkning"])
        files["forged_xlsx"] = ("forfalsket.xlsx", hostile.forged_size_xlsx(2_000_000), ["--indicator", "befolkning"])
        files["giant_cell_xlsx"] = ("kjempecelle.xlsx", hostile.giant_cell_xlsx(), ["--indicator", "befolkning"])
        files["rows_2m_xlsx"] = ("rader.xlsx", hostile.xlsx_with_sheet(hostile._sheet_rows(2_000_000)),
                                 ["--indicator", "befolkning"])
        files["rows_2m_csv"] = ("rader.csv", hostile.rows_csv(2_000_000), ["--indicator", "befolkning"])
        files["coords_5m_shp"] = ("grenser.zip", hostile.many_coordinates_shapefile_zip(5_000_000),
                                  ["--kind", "boundaries"])
        files["crs_link_geojson"] = ("lenke.geojson",
                                     json.dumps(hostile.geojson_documents(listener.url)["crs_link_proj4"]).encode(),
                                     ["--kind", "boundaries"])
        store_dir = folder / "export"
        store_dir.mkdir()
        os.environ["KOMMUNESTRATEGI_DATABASE_URL"] = f"sqlite:///{store_dir / 's.sqlite'}"
        from kommunestrategi.store import SYSTEM, Store

        store = Store.open()
        demo = store.ensure_demo_workspace()
        store.save_answer(SYSTEM, demo.id, "5001", "ikt", "why", "problem", "Felles drift", None)
        import io
        import zipfile

        with zipfile.ZipFile(io.BytesIO(store.export_workspace(demo.id))) as archive:
            document = json.loads(archive.read("workspace.json"))
        store.close()
        del os.environ["KOMMUNESTRATEGI_DATABASE_URL"]
        document["workspace"]["name"] = "Importert"
        document["datasets"] = [{"ref": 0, "kind": "indicators", "file_name": "x.csv", "sha256": "0" * 64,
                                 "counts": {}, "report": {}, "created_at": "2026-01-01T00:00:00+00:00",
                                 "author": "x", "active": True, "tables": ["values"]}]
        member = "datasets/0/values.json"
        files["ws_member_1gib"] = ("stor.zip", hostile.workspace_zip(document, extra={member: 1024**3}), [])
        files["ws_member_1gib_forged"] = ("forfalsket.zip", hostile.workspace_zip(
            document, extra={member: 1024**3}, declare={member: 1024}), [])
        text = json.dumps({**document, "datasets": []})
        files["ws_deep_json"] = ("dyp.zip", hostile.workspace_zip(
            text.replace('"Felles drift"', "[" * 100_000 + "]" * 100_000)), [])
        files["ws_infinity"] = ("uendelig.zip", hostile.workspace_zip(text.replace('"version": 1', '"version": Infinity', 1)),
                                [])

        results = {}
        for name, (file_name, data, extra) in files.items():
            path = folder / file_name
            path.write_bytes(data)
            if name.startswith("ws_"):
                args = ["workspace", "import", str(path)]
            else:
                args = ["validate", str(path), *extra]
            result = run(args, data_dir)
            result["size_mb"] = len(data) / 1048576
            results[name] = result
            path.unlink()
            print(f"{name}.file_size: {result['size_mb']:.2f} MB")
            print(f"{name}.time: {result['seconds']:.2f} s")
            print(f"{name}.peak_rss: {result['peak_mb']:.0f} MB")
            print(f"{name}.exit_code: {result['exit']} code")
            print(f"{name}.stderr_lines: {result['stderr_lines']} lines", flush=True)
        listener.close()
        hostile_only = {k: v for k, v in results.items() if k != "baseline_valid_csv"}
        print(f"max_peak_rss: {max(r['peak_mb'] for r in hostile_only.values()):.0f} MB")
        print(f"max_time: {max(r['seconds'] for r in hostile_only.values()):.2f} s")
        print(f"exit_codes_1_or_2: {sum(r['exit'] in (1, 2) for r in hostile_only.values())} of {len(hostile_only)} files")
        print(f"one_line_errors: {sum(r['stderr_lines'] <= 1 for r in hostile_only.values())} of "
              f"{len(hostile_only)} files")
        print(f"network_connections: {listener.count} connections")
        print(f"load_average_1min: {os.getloadavg()[0]:.1f} load")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
