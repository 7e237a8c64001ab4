"""Command-line start-up: ``--help``, ``region`` of 10 municipalities, ``neighbours --all``.

Each command runs as a fresh ``python -m kommunestrategi`` process, 10 times; the
median wall time is printed with the median CPU time (user + system) of the
process, which says more on a busy machine. The store exists and holds the Demo
workspace, as after the app's first start, so ``region`` does its workspace look-up.

Baselines measured in the same run: the interpreter importing pandas (what every
figure-computing command paid before ``region`` and ``neighbours`` read the bundled
map without it) and building the parser with every command module imported up front
(how the command line started before commands were imported lazily). With ``../shared/data/real`` present, the same ``region`` on a
workspace with imported 2024 boundaries is timed too (neighbour links cached).

Targets: ``--help`` <= 0.3 s, ``region`` <= 0.8 s, ``neighbours --all`` <= 1.5 s.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REAL = ROOT.parent / "shared" / "data" / "real" / "kartverket_kommuner_2024_small.geojson"
RUNS = 10
#: Ten Trøndelag municipalities (2024 numbers).
TEN = ["5001", "5031", "5028", "5029", "5027", "5032", "5033", "5034", "5035", "5036"]
CLI = [sys.executable, "-m", "kommunestrategi"]


def _run(argv: list[str], env: dict) -> tuple[float, float]:
    """Wall and CPU seconds of one process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(argv, cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(name: str, argv: list[str], env: dict, target: float | None = None) -> float:
    runs = [_run(argv, env) for _ in range(RUNS)]
    wall = statistics.median(w for w, _ in runs)
    cpu = statistics.median(c for _, c in runs)
    verdict = "" if target is None else f" (target <= {target} s: {'met' if wall <= target else 'MISSED'})"
    print(f"{name}: {wall:.3f} s{verdict}")
    print(f"{name} cpu: {cpu:.3f} s")
    return wall


def main() -> int:
    global RUNS
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=RUNS, help="runs per command (default 10)")
    RUNS = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "KOMMUNESTRATEGI_DATA_DIR": tmp}
        env.pop("KOMMUNESTRATEGI_DATABASE_URL", None)
        subprocess.run([*CLI, "workspace", "list"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"load average before: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
        measure("baseline python -c 'import pandas'", [sys.executable, "-c", "import pandas"], env)
        measure("baseline eager parser (every command module imported)",
                [sys.executable, "-c", "from kommunestrategi.cli import build_parser; build_parser(full=True)"], env)
        measure("cli --help", [*CLI, "--help"], env, 0.3)
        measure("cli region of 10", [*CLI, "region", *TEN, "--json"], env, 0.8)
        measure("cli neighbours --all", [*CLI, "neighbours", "--all", "--json"], env, 1.5)
        measure("cli neighbours one", [*CLI, "neighbours", "5001", "--json"], env)
        if REAL.is_file():
            subprocess.run([*CLI, "workspace", "create", "Bench 2024"], cwd=ROOT, env=env, check=True,
                           stdout=subprocess.DEVNULL)
            subprocess.run([*CLI, "import", str(REAL), "--kind", "boundaries", "--workspace", "Bench 2024"],
                           cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)
            start = time.perf_counter()
            subprocess.run([*CLI, "neighbours", "--all", "--workspace", "Bench 2024"], cwd=ROOT, env=env,
                           check=True, stdout=subprocess.DEVNULL)
            print(f"first use of imported 2024 boundaries (neighbour links built and cached): "
                  f"{time.perf_counter() - start:.3f} s")
            measure("cli region of 10 --workspace (imported 2024 boundaries)",
                    [*CLI, "region", *TEN, "--workspace", "Bench 2024", "--json"], env)
        print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
