"""Benchmark: autosave latency and lost edits under concurrent writers, SQLite and PostgreSQL.

For each database: the latency of ``Store.save_answer`` (one autosave: role check,
version check, update, history row, commit) as median and p95, against a baseline
measured in the same run (one bare ``UPDATE`` + commit on the same connection
pool); then 20 threads each save 100 different answers at the same time, and the
answers and history rows are counted afterwards: all 2,000 must be there.

Targets: autosave median <= 20 ms on SQLite, p95 <= 50 ms.

    python benchmarks/bench_store.py [--pg-url postgresql+psycopg://...] [--saves 300]

PostgreSQL runs when ``--pg-url`` or ``KOMMUNESTRATEGI_TEST_POSTGRES_URL`` is given;
the benchmark creates and drops its own database on that server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from kommunestrategi.store import Actor, Store  # noqa: E402
from kommunestrategi.store import models as m  # noqa: E402

WRITERS = 20
EDITS = 100
ACTOR = Actor("bench", "secretariat")
COUNCILS = ["5001", "5028", "5029", "5031", "5059"]


def percentile(samples: list[float], share: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def line(name: str, value: float | int | str, unit: str) -> None:
    print(f"{name}: {value} {unit}", flush=True)


def autosave_latency(store: Store, ws_id: int, saves: int, criterion: str = "kompetanse") -> list[float]:
    """Seconds per save of one answer, each from the version the last save returned."""
    version = 0
    samples = []
    for i in range(saves):
        start = time.perf_counter()
        version = store.save_answer(ACTOR, ws_id, "5001", "barnevern", criterion, "text",
                                    f"Tekst fra workshopen, versjon {i} – æøå", version).version
        samples.append(time.perf_counter() - start)
    return samples


def baseline_latency(store: Store, saves: int) -> list[float]:
    """Seconds per bare UPDATE + commit of the same row (no checks, no history)."""
    samples = []
    with store.engine.connect() as conn:
        conn = conn.execution_options(store_write=True)
        for i in range(saves):
            start = time.perf_counter()
            with conn.begin():
                conn.execute(text("UPDATE answers SET value = :v WHERE criterion = 'kompetanse'"), {"v": f'"{i}"'})
            samples.append(time.perf_counter() - start)
    return samples


def concurrent_writers(store: Store, ws_id: int) -> tuple[float, int, int, int]:
    """(seconds, errors, answers present, history rows) after WRITERS x EDITS saves."""
    errors: list[BaseException] = []
    barrier = threading.Barrier(WRITERS)

    def work(n: int) -> None:
        barrier.wait()
        for i in range(EDITS):
            try:
                store.save_answer(ACTOR, ws_id, COUNCILS[n % len(COUNCILS)], "concurrent", f"writer{n:02d}",
                                  f"edit{i:03d}", f"writer {n} edit {i}", None)
            except BaseException as exc:  # noqa: BLE001 - counted and reported
                errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(WRITERS)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - start
    fresh = Store.open(store.url)  # count through a new connection pool
    with fresh.engine.connect() as conn:
        present = conn.execute(select(func.count()).select_from(m.answers).where(
            m.answers.c.workspace_id == ws_id, m.answers.c.service_area == "concurrent")).scalar()
        history = conn.execute(select(func.count()).select_from(m.history).where(
            m.history.c.workspace_id == ws_id, m.history.c.entity == "answer",
            m.history.c.key.like('%"concurrent"%'))).scalar()
    fresh.close()
    if errors:
        print(f"# first error: {errors[0]!r}", file=sys.stderr)
    return elapsed, len(errors), int(present), int(history)


def run(label: str, url: str, saves: int) -> bool:
    store = Store.open(url)
    ws = store.create_workspace(ACTOR, f"bench-{uuid.uuid4().hex[:6]}", COUNCILS)
    autosave_latency(store, ws.id, 20, "warm-up")  # warm-up (connections, statement caches)
    samples = autosave_latency(store, ws.id, saves)
    base = baseline_latency(store, saves)
    median, p95 = statistics.median(samples) * 1000, percentile(samples, 0.95) * 1000
    line(f"{label}.autosave_median", f"{median:.2f}", "ms")
    line(f"{label}.autosave_p95", f"{p95:.2f}", "ms")
    line(f"{label}.baseline_bare_update_commit_median", f"{statistics.median(base) * 1000:.2f}", "ms")
    line(f"{label}.baseline_bare_update_commit_p95", f"{percentile(base, 0.95) * 1000:.2f}", "ms")
    elapsed, errors, present, history = concurrent_writers(store, ws.id)
    made = WRITERS * EDITS
    line(f"{label}.concurrent_writers", WRITERS, "threads")
    line(f"{label}.concurrent_edits_made", made, "edits")
    line(f"{label}.concurrent_edits_present", present, "edits")
    line(f"{label}.concurrent_edits_lost", made - present, "edits")
    line(f"{label}.concurrent_history_rows", history, "rows")
    line(f"{label}.concurrent_errors", errors, "errors")
    line(f"{label}.concurrent_throughput", f"{made / elapsed:.0f}", "edits/s")
    store.close()
    ok = present == made and history == made and errors == 0
    if label == "sqlite":
        ok = ok and median <= 20 and p95 <= 50
        line("sqlite.targets_met", "yes" if ok else "no", "(median<=20ms,p95<=50ms,0 lost)")
    else:
        line(f"{label}.targets_met", "yes" if ok else "no", "(0 lost)")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pg-url", default=os.environ.get("KOMMUNESTRATEGI_TEST_POSTGRES_URL", ""))
    parser.add_argument("--saves", type=int, default=300, help="sequential autosaves to time")
    args = parser.parse_args()
    ok = True
    with tempfile.TemporaryDirectory() as folder:
        ok &= run("sqlite", f"sqlite:///{Path(folder) / 'bench.sqlite'}", args.saves)
    if args.pg_url:
        import psycopg

        server = make_url(args.pg_url)
        admin = server.set(drivername="postgresql").render_as_string(hide_password=False)
        name = f"ks_bench_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            ok &= run("postgresql", server.set(database=name).render_as_string(hide_password=False), args.saves)
        finally:
            with psycopg.connect(admin, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        print("# PostgreSQL skipped: give --pg-url or set KOMMUNESTRATEGI_TEST_POSTGRES_URL", file=sys.stderr)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
