"""Benchmark: the cooperation register's analysis, network layout and figure.

Prints ``name: value unit`` lines. Target (issue): for a generated register of
2,000 arrangements over all municipalities, analysis (counts by form and sector,
summaries, pair matrix, coherence of 10 regions, flags) + network layout +
figure build and serialise <= 300 ms, figure JSON <= 500 KB.
Baseline in the same run: networkx's spring layout from random positions with
its default 50 iterations, and the figure with every link drawn (no cap, no
rounding of positions).

    python benchmarks/bench_cooperation.py [--arrangements 2000] [--repeat 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import networkx as nx  # noqa: E402
import plotly.io as pio  # noqa: E402

from kommunestrategi import geo  # noqa: E402
from kommunestrategi.cooperation import Arrangement, Register, analysis  # noqa: E402
from kommunestrategi.cooperation import figures as cf  # noqa: E402

FORMS = ("vertskommune_adm", "vertskommune_nemnd", "iks", "as", "oppgavefellesskap", "avtale_kjop")
AREAS = ("barnevern", "ikt", "ppt", "plan_bygg", "brann_beredskap", "helse", "innkjop", "kultur")


def generated_register(count: int, seed: int = 14) -> Register:
    """``count`` arrangements of 2-8 neighbouring municipalities each, over every map unit."""
    rng = random.Random(seed)
    graph = geo.neighbour_graph()
    codes = sorted(graph.nodes)
    out = []
    for i in range(count):
        members = [rng.choice(codes)]
        size = rng.choice((2, 2, 3, 3, 4, 5, 6, 8))
        while len(members) < size:
            options = sorted({n for m in members for n in graph.neighbors(m)} - set(members))
            if not options:
                break
            members.append(rng.choice(options))
        form = rng.choice(FORMS)
        out.append(Arrangement(
            f"A{i:04d}", f"Samarbeid {i}", tuple(sorted(members)), service_area=rng.choice(AREAS), legal_form=form,
            host=members[0] if form.startswith("vertskommune") and rng.random() < 0.9 else "",
            next_review=rng.choice(("", "2025-06-01", "2027-01-01", "2029-12-31")),
            exit_clause=rng.choice((True, False, None)), notice_months=rng.choice((None, 6.0, 12.0)),
            annual_cost=rng.choice((None, 1_000_000.0, 5_500_000.0))))
    return Register.of(out)


def analyse(register: Register, regions: list[list[str]]) -> None:
    analysis.counts_table(register)
    for code in register.municipalities():
        analysis.summary(register, code)
    analysis.pair_matrix(register)
    for region in regions:
        analysis.coherence(register, region)


def figure(register: Register, names: dict, counties: dict, centres,
           cached: bool = False) -> tuple[float, int, int, int]:
    if not cached:
        cf._LAYOUTS.clear()  # measure the layout itself, not the page's cache of it
    start = time.perf_counter()
    net = cf.network(register, centres)
    fig = cf.network_figure(net, names, counties, highlight=["5001"])
    payload = pio.to_json(fig, validate=False)
    return time.perf_counter() - start, len(payload.encode("utf-8")), len(net.links), net.links_total


def baseline(register: Register, names: dict, counties: dict) -> tuple[float, int]:
    start = time.perf_counter()
    pairs = analysis.pair_counts(register)
    graph = nx.Graph()
    graph.add_weighted_edges_from((a, b, w) for (a, b), w in pairs.items())
    laid = nx.spring_layout(graph, seed=7, weight="weight")
    net = cf.Network({c: (float(p[0]), float(p[1])) for c, p in laid.items()},
                     {c: 1 for c in laid}, [(a, b, w) for (a, b), w in pairs.items()], len(pairs))
    payload = pio.to_json(cf.network_figure(net, names, counties), validate=False)
    return time.perf_counter() - start, len(payload.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--arrangements", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    units = geo.load_units().set_index("kommunenummer")
    names, counties = units["name"].astype(str).to_dict(), units["county"].astype(str).to_dict()
    centres = geo.bundled().centres
    register = generated_register(args.arrangements)
    rng = random.Random(3)
    regions = [rng.sample(register.municipalities(), 8) for _ in range(10)]
    analyse(register, regions)  # warm caches (catalogues)
    figure(register, names, counties, centres)
    analysis_ms, figure_ms, totals, cpu_ms, cached_ms = [], [], [], [], []
    size = links = links_total = 0
    for _ in range(args.repeat):
        cpu = time.process_time()
        start = time.perf_counter()
        analyse(register, regions)
        a = time.perf_counter() - start
        f, size, links, links_total = figure(register, names, counties, centres)
        cpu_ms.append((time.process_time() - cpu) * 1000)
        analysis_ms.append(a * 1000)
        figure_ms.append(f * 1000)
        totals.append((a + f) * 1000)
        cached_ms.append(figure(register, names, counties, centres, cached=True)[0] * 1000)
    base_s, base_size = baseline(register, names, counties)
    print(f"register: {len(register)} arrangements over {len(register.municipalities())} municipalities")
    print(f"analysis: {statistics.median(analysis_ms):.1f} ms")
    print(f"layout_and_figure: {statistics.median(figure_ms):.1f} ms")
    print(f"total: {statistics.median(totals):.1f} ms (target <= 300)")
    print(f"total_cpu: {statistics.median(cpu_ms):.1f} ms (process CPU time; wall time inflates on a loaded machine)")
    print(f"figure_rerun_cached_layout: {statistics.median(cached_ms):.1f} ms")
    print(f"figure_json: {size / 1024:.0f} KB (target <= 500)")
    print(f"links_drawn: {links} of {links_total}")
    print(f"baseline_layout_and_figure: {base_s * 1000:.1f} ms (random start, 50 iterations, every link)")
    print(f"baseline_figure_json: {base_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
