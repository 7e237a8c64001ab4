"""Scenario board and region proposals. Targets: 10 scenarios x 20 participants'
weights on the 17 criteria (the committee's ten and the seven for a cooperation),
scoring + sensitivity <= 50 ms; a proposal for Trøndelag (38
municipalities) <= 2 s; for all of Norway <= 60 s.

Run: ``python benchmarks/bench_scenarios.py``. Baselines measured in the same run:
the sensitivity found by a grid search (each criterion's share stepped by 0.001,
as a first version would do it) instead of the exact line crossings; the proposal's
first step alone (agglomeration, without the local improvement); and the cold first
proposal, which includes building the neighbour graph and centres. Also timed,
without a target: the whole board (``assess``: card figures, the four proxies
including the partners' share from a 60-arrangement register, workshop cells,
scoring and sensitivity) for the ten regions of the Trøndelag proposal.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from kommunestrategi import geo  # noqa: E402
from kommunestrategi.cooperation import Arrangement, Register  # noqa: E402
from kommunestrategi.indicators import bundled_data  # noqa: E402
from kommunestrategi.scenarios import model, proposals, scoring, sensitivity  # noqa: E402
from kommunestrategi.scenarios.board import assess  # noqa: E402

SCENARIOS, CRITERIA, PARTICIPANTS = 10, len(model.CRITERIA), 20
RUNS = 50


def board(scores: np.ndarray, weights: np.ndarray) -> None:
    combined = scoring.combine(scores, weights)
    [scoring.ranks(row) for row in combined.participant_scores]
    scoring.ranks(combined.mean_scores)
    scoring.ranks(combined.median_scores)
    scoring.topsis(scores, combined.mean_shares)
    sensitivity.leader_ranges(scores, combined.mean_shares)
    sensitivity.smallest_flip(scores, combined.mean_shares)


def grid_sensitivity(scores: np.ndarray, weights: np.ndarray) -> None:
    """The naive way: step each share over [0, 1] and rank at every step."""
    w = scoring.shares(weights)
    leader = int(scoring.ranking(scores @ w)[0])
    for j in range(scores.shape[1]):
        rest = w.copy()
        rest[j] = 0
        rest = rest / rest.sum()
        for s in np.linspace(0, 1, 1001):
            moved = (1 - s) * rest
            moved[j] = s
            _ = int(scoring.ranking(scores @ moved)[0]) == leader


def full_board(proposal, geography, rng) -> None:
    """``assess`` end to end on the proposal's regions as scenarios of all three kinds."""
    kinds = model.KINDS
    scenarios = [model.Scenario(i + 1, f"R{i + 1}", kinds[i % 3], tuple(r.members))
                 for i, r in enumerate(proposal.regions[:SCENARIOS])]
    codes = sorted(c for r in proposal.regions for c in r.members)
    register = Register(tuple(Arrangement(f"a{i}", f"A{i}", tuple(rng.choice(codes, size=int(rng.integers(2, 5)),
                                                                              replace=False)))
                              for i in range(60)))
    workshop = [model.WorkshopScore(s.id, c, f"P{p}", int(rng.integers(1, 6)), "")
                for s in scenarios for c in model.CRITERIA for p in range(3)]
    weights = {f"P{p}": {c: float(rng.integers(0, 11)) + 0.1 for c in model.CRITERIA} for p in range(PARTICIPANTS)}
    data = bundled_data()
    run = lambda: assess(scenarios, geography=geography, data=data, weights=weights,  # noqa: E731
                         workshop=workshop, methods={}, register=register)
    board_ = run()
    times = timed(run, 5)
    print(f"board_full_assess_{len(scenarios)}_scenarios: {statistics.median(times) * 1000:.0f} ms "
          f"({len(board_.criteria)} criteria ranked, {len(register)} arrangements)")


def timed(func, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        func()
        out.append(time.perf_counter() - start)
    return out


def main() -> None:
    rng = np.random.default_rng(15)
    scores = rng.integers(1, 6, size=(SCENARIOS, CRITERIA)).astype(float)
    weights = rng.integers(0, 11, size=(PARTICIPANTS, CRITERIA)).astype(float) + 0.1
    board(scores, weights)  # imports (pymcdm) once
    exact = timed(lambda: board(scores, weights), RUNS)
    print(f"board_10x20_scoring_sensitivity_median ({CRITERIA} criteria): {statistics.median(exact) * 1000:.2f} ms")
    print(f"board_10x20_scoring_sensitivity_max: {max(exact) * 1000:.2f} ms")
    mean = scoring.combine(scores, weights).mean_shares
    grid = timed(lambda: grid_sensitivity(scores, mean), 3)
    print(f"baseline_grid_sensitivity_median: {statistics.median(grid) * 1000:.1f} ms")

    start = time.perf_counter()
    geography = geo.bundled()
    area = proposals.area_codes("Trøndelag", geography)
    proposals.propose(area, geography)
    print(f"trondelag_proposal_cold: {time.perf_counter() - start:.3f} s (incl. neighbour graph and centres)")
    warm = timed(lambda: proposals.propose(area, geography), 5)
    result = proposals.propose(area, geography)
    print(f"trondelag_proposal: {statistics.median(warm):.3f} s ({len(result.regions)} regions)")

    state_args = proposals._State(  # the first step alone, as the baseline
        sorted(area), geography.units.set_index("kommunenummer").loc[sorted(area), "population"]
        .fillna(0).to_numpy(dtype=float), geography.centres.loc[sorted(area), ["x", "y"]].to_numpy(dtype=float),
        geography.neighbour_graph.subgraph(area), {})
    agglomeration = timed(lambda: proposals._agglomerate(state_args, 15_000), 5)
    print(f"baseline_trondelag_agglomeration_only: {statistics.median(agglomeration):.3f} s")

    full_board(result, geography, rng)

    everything = proposals.area_codes("all", geography)
    start = time.perf_counter()
    national = proposals.propose(everything, geography)
    print(f"norway_proposal: {time.perf_counter() - start:.3f} s ({len(national.regions)} regions, "
          f"{sum(not r.meets_threshold for r in national.regions)} below the threshold for lack of links)")


if __name__ == "__main__":
    main()
