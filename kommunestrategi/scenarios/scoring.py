"""Scoring arithmetic: weighted sum, TOPSIS, rankings and the combined view.

Every scenario has a 1-5 score per criterion (a matrix ``scores`` of shape
scenarios x criteria). A participant's weights are non-negative numbers per
criterion; only their proportions matter, so they are normalised to sum to 1.

* **Weighted sum:** ``scores @ shares`` - a scenario's mean score weighted by the
  participant's shares (1-5, like the scores themselves).
* **TOPSIS** (closeness to the ideal, 0-1) through ``pymcdm`` with vector
  normalisation, every criterion a benefit criterion (a higher score is better).
* **Combined view:** the rankings from the mean and from the median of the
  participants' weights (each criterion's median, then normalised), with the
  spread of opinion per criterion (min, quartiles, max of the shares).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np


class ScoringError(ValueError):
    """Weights or scores that cannot be used (negative, all zero, wrong shape)."""


def shares(weights: np.ndarray) -> np.ndarray:
    """Weights normalised to sum to 1 (a 1-d vector, or each row of a 2-d array)."""
    w = np.asarray(weights, dtype=float)
    if (w < 0).any() or np.isnan(w).any():
        raise ScoringError("weights must be non-negative numbers")
    total = w.sum(axis=-1, keepdims=True)
    if (total <= 0).any():
        raise ScoringError("at least one weight must be above zero")
    return w / total


def weighted_sum(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each scenario's weighted mean score (rows of ``scores``), for one weight vector
    or - with a 2-d ``weights`` - for each participant (result participants x scenarios)."""
    s = np.asarray(scores, dtype=float)
    w = shares(weights)
    if s.ndim != 2 or s.shape[1] != w.shape[-1]:
        raise ScoringError(f"scores {s.shape} and weights {w.shape} do not match")
    return w @ s.T


def topsis(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """TOPSIS closeness (0-1, higher is better) of each scenario; all criteria benefits.

    Uses ``pymcdm``'s TOPSIS with vector normalisation (a criterion on which all
    scenarios score the same does not divide by zero). With one scenario its
    closeness is 1.
    """
    from pymcdm import normalizations
    from pymcdm.methods import TOPSIS

    s = np.asarray(scores, dtype=float)
    w = shares(weights)
    if s.shape[0] == 1:
        return np.ones(1)
    method = TOPSIS(normalization_function=normalizations.vector_normalization)
    with warnings.catch_warnings():  # pymcdm warns when the shares sum to 1 only up to rounding
        warnings.simplefilter("ignore")  # and identical scenarios divide 0 by 0 (closeness 0.5)
        result = np.asarray(method(s, w, np.ones(s.shape[1], dtype=int)), dtype=float)
    return np.nan_to_num(result, nan=0.5)


def ranking(values: np.ndarray) -> np.ndarray:
    """Positions (0 = best) of the scenarios ordered by ``values`` descending; ties keep
    the scenarios' order (stable), so the same inputs always give the same ranking."""
    return np.argsort(-np.asarray(values, dtype=float), kind="stable")


def ranks(values: np.ndarray) -> np.ndarray:
    """Each scenario's place, 1 = best (ties broken by order, as in :func:`ranking`)."""
    order = ranking(values)
    places = np.empty(len(order), dtype=int)
    places[order] = np.arange(1, len(order) + 1)
    return places


@dataclass(frozen=True)
class Spread:
    """How far the participants' shares for one criterion lie apart."""

    minimum: float
    q1: float
    median: float
    q3: float
    maximum: float
    mean: float

    @property
    def iqr(self) -> float:
        return self.q3 - self.q1


@dataclass(frozen=True)
class Combined:
    """The combined view of all participants' weights."""

    mean_shares: np.ndarray
    median_shares: np.ndarray
    mean_scores: np.ndarray
    median_scores: np.ndarray
    #: Per participant (rows): scenario scores under their own weights.
    participant_scores: np.ndarray
    spread: tuple[Spread, ...]


def combine(scores: np.ndarray, weights: np.ndarray) -> Combined:
    """The combined view for ``weights`` (participants x criteria) on ``scores``."""
    w = np.atleast_2d(np.asarray(weights, dtype=float))
    if w.shape[0] == 0:
        raise ScoringError("no participant has set weights")
    per = shares(w)
    mean = per.mean(axis=0)
    median = np.median(per, axis=0)
    if median.sum() <= 0:  # every criterion's median is zero: fall back to the mean
        median = mean
    median = shares(median)
    q = np.quantile(per, [0.0, 0.25, 0.5, 0.75, 1.0], axis=0)
    spread = tuple(Spread(float(q[0, j]), float(q[1, j]), float(q[2, j]), float(q[3, j]), float(q[4, j]),
                          float(mean[j])) for j in range(per.shape[1]))
    return Combined(mean, median, weighted_sum(scores, mean), weighted_sum(scores, median),
                    weighted_sum(scores, per), spread)
