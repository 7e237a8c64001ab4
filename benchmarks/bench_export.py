"""Benchmark: strategy summaries as DOCX + PDF + XLSX, one council and a batch of 25.

Prints ``name: value unit`` lines. Targets (issue): one council <= 3 s for all
three formats; a batch of 25 councils (all three formats, one zip) <= 60 s; peak
RSS printed. Every council has two service areas with every field of the seven
criteria and the strategy filled in (long texts of about 2,000 characters), a
saved region and key figures. Baselines in the same run: building the same
documents without rendering any file (the document model alone), and the batch
in one process when worker processes are configured. Wall-clock and CPU seconds are both
printed: on a shared machine the CPU time is the stable figure.

    python benchmarks/bench_export.py [--councils 25] [--no-serial-baseline]
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["KOMMUNESTRATEGI_DATA_DIR"] = tempfile.mkdtemp(prefix="bench_export_")

from kommunestrategi import criteria as cr  # noqa: E402
from kommunestrategi import geo  # noqa: E402
from kommunestrategi.export import FORMATS, render, renderer  # noqa: E402
from kommunestrategi.export.batch import indicator_data, worker_count, workspace_zip  # noqa: E402
from kommunestrategi.export.collect import council_document  # noqa: E402
from kommunestrategi.store import SYSTEM, Store  # noqa: E402

LONG = ("Kommunen vil styrke fagmiljøet gjennom et forpliktende samarbeid – «sammen er vi sterkere». "
        * 22)[:2000]


def value_for(item: cr.Field, council: str, partners: list[str], cat: cr.Catalogue) -> object:
    kind = item.type
    if kind == "long_text":
        return LONG
    if kind == "text":
        return f"Sak 2026/{council} – æøå"
    if kind == "date":
        return "2027-06-30"
    if kind == "number":
        return 12 if item.max is None or item.max >= 12 else item.max
    if kind == "choice":
        return item.options[0].id
    if kind == "multi_choice":
        return [o.id for o in item.options[:2]]
    if kind == "municipalities":
        return partners
    if kind == "municipality":
        return partners[0]
    if kind == "legal_form":
        return cat.forms[0].id
    if kind == "indicator_target":
        return {"indicator": "Andel 80 år og over", "baseline": 4.5, "target": 5.0, "year": 2030}
    return "x"


def fill(store: Store, workspace_id: int, councils: list[str]) -> None:
    cat = cr.catalogue()
    for code in councils:
        partners = [c for c in geo.neighbours(code) if c in councils][:3] or [councils[0]]
        for area in ("barnevern", "ikt"):
            for section in (*cat.criteria, cat.strategy):
                for item in section.fields:
                    store.save_answer(SYSTEM, workspace_id, code, area, section.id, item.id,
                                      value_for(item, code, partners, cat), None)


class Timer:
    """Wall-clock and CPU seconds of a block: on a shared machine the CPU time is
    the figure that does not depend on what else runs."""

    def __enter__(self) -> Timer:
        self.wall, self.cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = time.process_time() - self.cpu

    def line(self, name: str, target: str = "") -> str:
        suffix = f" (target {target})" if target else ""
        return f"{name}: {self.wall:.2f} s{suffix}\n{name}_cpu: {self.cpu:.2f} s"


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--councils", type=int, default=25)
    parser.add_argument("--no-serial-baseline", dest="serial_baseline", action="store_false",
                        help="skip the batch in one process (the baseline for the worker processes)")
    args = parser.parse_args()

    units = geo.load_units()
    trondelag = sorted(units.loc[units["kommunenummer"].str.startswith("50"), "kommunenummer"])
    others = sorted(set(units["kommunenummer"]) - set(trondelag))
    councils = (trondelag + others)[: args.councils]

    store = Store.open()
    start = time.perf_counter()
    ws = store.create_workspace(SYSTEM, "Benchmark", councils)
    fill(store, ws.id, councils)
    store.save_region(SYSTEM, ws.id, "Trøndelag sør", councils[:10])
    print(f"setup_store_answers: {time.perf_counter() - start:.2f} s")

    # once per process (a server does this once): imports of the renderers, data loading
    with Timer() as cold:
        for fmt in FORMATS:
            renderer(fmt)
        import kommunestrategi.export.static_map  # noqa: F401
        data = indicator_data(store, ws)
        council_document(store, ws, councils[-1], "nb", data=data, draw_map=False)
    print(cold.line("cold_start_imports_and_data"))

    # one council: gather, draw its map, render all three formats
    with Timer() as total:
        with Timer() as gather:
            document = council_document(store, ws, councils[0], "nb", data=data)
        for fmt in FORMATS:
            with Timer() as one:
                size = len(render(document, fmt))
            print(f"one_council_{fmt}: {one.wall:.3f} s ({size // 1024} KB)")
    print(gather.line("one_council_gather_and_map"))
    print(total.line("one_council_all_formats", "<= 3 s"))

    # baseline: the document model alone for every council (no files)
    with Timer() as base:
        for code in councils:
            council_document(store, ws, code, "nb", data=data, draw_map=False)
    print(base.line(f"baseline_models_only_{len(councils)}"))

    workers = worker_count(len(councils))
    with Timer() as batch:
        archive = workspace_zip(store, ws, list(FORMATS), "nb", councils=councils)
    print(batch.line(f"batch_{len(councils)}_councils_all_formats", "<= 60 s"))
    print(f"batch_workers: {workers} (KOMMUNESTRATEGI_EXPORT_WORKERS; CPU time is this process only)")
    if args.serial_baseline and workers > 1:
        with Timer() as serial:
            workspace_zip(store, ws, list(FORMATS), "nb", councils=councils, workers=1)
        print(serial.line(f"baseline_batch_{len(councils)}_one_process"))
    print(f"batch_zip_size: {len(archive) / 1024 / 1024:.1f} MB")
    print(f"batch_per_council: {batch.wall / len(councils):.2f} s")
    print(f"load_average_1min: {os.getloadavg()[0]:.1f} (cores: {os.cpu_count()})")
    print(f"peak_rss: {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
