"""Scoring arithmetic, TOPSIS and the exact sensitivity of the scenario board."""

from __future__ import annotations

import numpy as np
import pytest

from kommunestrategi.scenarios import scoring, sensitivity
from kommunestrategi.scenarios.proxies import band


def test_weighted_sum_uses_weight_proportions() -> None:
    scores = np.array([[5, 1], [2, 4]], dtype=float)
    assert scoring.weighted_sum(scores, np.array([3, 1])) == pytest.approx([4.0, 2.5])
    assert scoring.weighted_sum(scores, np.array([30, 10])) == pytest.approx([4.0, 2.5])
    per = scoring.weighted_sum(scores, np.array([[1, 0], [0, 1]]))
    assert per == pytest.approx(np.array([[5, 2], [1, 4]], dtype=float))


@pytest.mark.parametrize("weights", [[-1, 2], [0, 0], [np.nan, 1]])
def test_unusable_weights_are_refused(weights) -> None:
    with pytest.raises(scoring.ScoringError):
        scoring.shares(np.array(weights, dtype=float))


def test_ranks_are_stable_for_ties() -> None:
    assert list(scoring.ranks(np.array([3.0, 4.0, 3.0]))) == [2, 1, 3]


def test_combined_mean_and_median_weights_differ_and_spread_is_reported() -> None:
    scores = np.array([[5, 1], [2, 4]], dtype=float)
    weights = np.array([[1, 0], [2, 0], [0, 5]], dtype=float)  # shares (1,0), (1,0), (0,1)
    combined = scoring.combine(scores, weights)
    assert combined.mean_shares == pytest.approx([2 / 3, 1 / 3])
    assert combined.median_shares == pytest.approx([1, 0])
    assert combined.mean_scores == pytest.approx([11 / 3, 8 / 3])
    assert combined.median_scores == pytest.approx([5, 2])
    first = combined.spread[0]
    assert (first.minimum, first.median, first.maximum) == pytest.approx((0, 1, 1))
    assert first.mean == pytest.approx(2 / 3)


def test_median_of_all_zero_falls_back_to_mean() -> None:
    scores = np.array([[5, 1, 3], [2, 4, 3]], dtype=float)
    combined = scoring.combine(scores, np.array([[1, 0, 0], [0, 1, 0], [0, 0, 1]], dtype=float))
    assert combined.median_shares == pytest.approx([1 / 3] * 3)


def test_topsis_matches_a_hand_computation() -> None:
    scores = np.array([[1, 5, 3], [4, 2, 3], [3, 3, 3]], dtype=float)
    w = np.array([0.5, 0.3, 0.2])
    v = scores / np.sqrt((scores ** 2).sum(axis=0)) * w
    best, worst = v.max(axis=0), v.min(axis=0)
    d_best = np.sqrt(((v - best) ** 2).sum(axis=1))
    d_worst = np.sqrt(((v - worst) ** 2).sum(axis=1))
    assert scoring.topsis(scores, w) == pytest.approx(d_worst / (d_best + d_worst))
    assert scoring.topsis(scores[:1], w) == pytest.approx([1.0])


# ---------------------------------------------------------------------------- sensitivity
A_B = np.array([[5, 1, 3], [2, 4, 3]], dtype=float)
W = np.array([0.6, 0.2, 0.2])


def test_smallest_flip_is_exact_in_a_two_scenario_example() -> None:
    # A = 3.8, B = 2.6. Moving criterion 1 alone (the others keep their 3:1 proportion):
    # A = 4.5 - 3.5 s, B = 2.25 + 1.75 s, equal at s = 3/7 (a change of +0.2286);
    # criterion 0 would need s = 1/3 (-0.2667), criterion 2 s = 1 (+0.8).
    flip = sensitivity.smallest_flip(A_B, W)
    assert flip is not None
    assert (flip.criterion, flip.first, flip.second) == (1, 0, 1)
    assert flip.at == pytest.approx(3 / 7, abs=1e-12)
    assert flip.change == pytest.approx(3 / 7 - 0.2, abs=1e-12)
    moved = np.array([0.75 * (1 - flip.at), flip.at, 0.25 * (1 - flip.at)])
    a, b = scoring.weighted_sum(A_B, moved)
    assert a == pytest.approx(b, abs=1e-12)
    past = np.array([0.75 * (1 - flip.at - 1e-6), flip.at + 1e-6, 0.25 * (1 - flip.at - 1e-6)])
    assert list(scoring.ranks(scoring.weighted_sum(A_B, past))) == [2, 1]


def test_leader_ranges_are_exact() -> None:
    ranges = sensitivity.leader_ranges(A_B, W)
    assert [(r.low, r.high) for r in ranges] == [
        pytest.approx((1 / 3, 1.0)), pytest.approx((0.0, 3 / 7)), pytest.approx((0.0, 1.0))]
    assert (ranges[0].low_rival, ranges[0].high_rival) == (1, None)
    assert (ranges[1].low_rival, ranges[1].high_rival) == (None, 1)
    assert [r.current for r in ranges] == pytest.approx([0.6, 0.2, 0.2])


def test_no_flip_when_the_leader_dominates() -> None:
    scores = np.array([[5, 5], [3, 4]], dtype=float)
    assert sensitivity.smallest_flip(scores, np.array([1.0, 1.0])) is None
    assert sensitivity.smallest_flip(scores[:1], np.array([1.0, 1.0])) is None
    assert [(r.low, r.high) for r in sensitivity.leader_ranges(scores, np.array([1.0, 1.0]))] == [(0, 1), (0, 1)]


def test_flip_points_hold_on_random_boards() -> None:
    rng = np.random.default_rng(15)
    for _ in range(200):
        n, m = rng.integers(2, 8), rng.integers(2, 10)
        scores = rng.integers(1, 6, size=(n, m)).astype(float)
        weights = rng.random(m) + 0.01
        w = scoring.shares(weights)
        base = scoring.weighted_sum(scores, w)
        leader = int(scoring.ranking(base)[0])
        for r in sensitivity.leader_ranges(scores, weights):
            assert r.low - 1e-9 <= r.current <= r.high + 1e-9
            for s, rival in ((r.low, r.low_rival), (r.high, r.high_rival)):
                if rival is None:
                    continue
                rest = w.copy()
                rest[r.criterion] = 0
                moved = (1 - s) * rest / rest.sum()
                moved[r.criterion] = s
                tied = scoring.weighted_sum(scores, moved)
                assert tied[leader] == pytest.approx(tied[rival], abs=1e-9)
        flip = sensitivity.smallest_flip(scores, weights)
        if flip is not None:
            rest = w.copy()
            rest[flip.criterion] = 0
            moved = (1 - flip.at) * rest / rest.sum()
            moved[flip.criterion] = flip.at
            tied = scoring.weighted_sum(scores, moved)
            assert tied[flip.first] == pytest.approx(tied[flip.second], abs=1e-9)


@pytest.mark.parametrize(("rule", "value", "score"), [
    ("population", 4_999, 1), ("population", 5_000, 2), ("population", 14_999, 3), ("population", 15_000, 4),
    ("population", 19_999, 4), ("population", 20_000, 5), ("net_result", -0.1, 1), ("net_result", 2.0, 4),
    ("robek_share", 0.0, 5), ("robek_share", 0.05, 4), ("robek_share", 0.6, 1),
    ("reach_km", 25.0, 5), ("reach_km", 25.1, 4), ("reach_km", 91, 1), ("reach_min", 45.0, 4),
])
def test_band_rules(rule: str, value: float, score: int) -> None:
    assert band(rule, value) == score
