"""How robust the leader of a weighted-sum ranking is to changes of one weight.

One criterion's share ``s`` moves alone while the other criteria keep their
proportions to each other: the weights become
``s * e_j + (1 - s) / (1 - w_j) * (w - w_j * e_j)``. Every scenario's score is
then linear in ``s``, so the points where two scenarios swap are found exactly
(no search, no step size):

* :func:`leader_ranges`: for each criterion, the interval of its share in which
  the current leader stays first;
* :func:`smallest_flip`: the smallest single change of one share (in share
  points) at which the second scenario draws level with the first - beyond it,
  the two swap places.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kommunestrategi.scenarios.scoring import ranking, shares

_EPS = 1e-12


@dataclass(frozen=True)
class LeaderRange:
    """Criterion ``criterion`` (index): the leader stays first while its share is in
    ``[low, high]``; ``current`` is the share now. ``low_rival``/``high_rival`` name
    (by index) the scenario that takes the lead just past each end, or None when the
    end is 0 or 1 without a change of leader."""

    criterion: int
    current: float
    low: float
    high: float
    low_rival: int | None
    high_rival: int | None


@dataclass(frozen=True)
class Flip:
    """The smallest change of one criterion's share that makes ``second`` draw level
    with ``first``: share of ``criterion`` from ``current`` to ``at``."""

    criterion: int
    current: float
    at: float
    first: int
    second: int

    @property
    def change(self) -> float:
        return self.at - self.current


def _lines(scores: np.ndarray, w: np.ndarray, j: int) -> tuple[np.ndarray, np.ndarray]:
    """Each scenario's score at share 0 and at share 1 of criterion ``j`` (the score is
    the straight line between them)."""
    rest = w.copy()
    rest[j] = 0.0
    if rest.sum() <= _EPS:  # the criterion has all the weight: the others share equally
        rest = np.ones_like(w)
        rest[j] = 0.0
        if rest.sum() <= _EPS:  # a single criterion: nothing can move
            return scores[:, j].copy(), scores[:, j].copy()
    rest = rest / rest.sum()
    return scores @ rest, scores[:, j].copy()


def _crossing(d0: float, d1: float) -> float | None:
    """Where the line from d0 (s=0) to d1 (s=1) is zero, or None if it is not in [0, 1]
    or the line is flat."""
    if abs(d1 - d0) <= _EPS:
        return None
    s = d0 / (d0 - d1)
    return s if -_EPS <= s <= 1 + _EPS else None


def leader_ranges(scores: np.ndarray, weights: np.ndarray) -> list[LeaderRange]:
    """For each criterion, the share interval in which today's leader stays first."""
    s = np.asarray(scores, dtype=float)
    w = shares(weights)
    leader = int(ranking(s @ w)[0])
    out = []
    for j in range(s.shape[1]):
        at0, at1 = _lines(s, w, j)
        low, high = 0.0, 1.0
        low_rival = high_rival = None
        for i in range(s.shape[0]):
            if i == leader:
                continue
            d0, d1 = at0[leader] - at0[i], at1[leader] - at1[i]
            cross = _crossing(d0, d1)
            if cross is None:
                continue
            if d1 < d0 and cross < high:  # the leader's margin shrinks as the share grows
                high, high_rival = cross, i
            elif d1 > d0 and cross > low:
                low, low_rival = cross, i
        out.append(LeaderRange(j, float(w[j]), float(max(0.0, low)), float(min(1.0, high)),
                               low_rival, high_rival))
    return out


def smallest_flip(scores: np.ndarray, weights: np.ndarray) -> Flip | None:
    """The smallest single-share change at which first and second place draw level.

    None with fewer than two scenarios, or when no single share can change the order
    of the two (e.g. the leader scores at least as well on every criterion).
    """
    s = np.asarray(scores, dtype=float)
    if s.shape[0] < 2:
        return None
    w = shares(weights)
    order = ranking(s @ w)
    first, second = int(order[0]), int(order[1])
    best: Flip | None = None
    for j in range(s.shape[1]):
        at0, at1 = _lines(s, w, j)
        d0, d1 = at0[first] - at0[second], at1[first] - at1[second]
        cross = _crossing(d0, d1)
        if cross is None:
            continue
        cross = float(min(1.0, max(0.0, cross)))
        if abs(cross - w[j]) <= _EPS and abs(d0 + (d1 - d0) * w[j]) > _EPS:
            continue
        if best is None or abs(cross - w[j]) < abs(best.change) - _EPS:
            best = Flip(j, float(w[j]), cross, first, second)
    return best
