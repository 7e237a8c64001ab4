"""The assessment board: every scenario's criterion scores, each participant's
ranking, the combined ranking with its spread, TOPSIS and the sensitivity.

Nothing here is a verdict: every score says whether it is measured (with its
formula, source and year) or judged in the workshop (mean of the participants'
1-5 scores, with how many gave one). A criterion enters the ranking only when
every scenario on the board has a score for it, so all scenarios are compared
on the same basis; the others are listed as waiting for scores.

A cooperation criterion that does not apply to a scenario's kind (``model.APPLIES``)
is marked not applicable with its reason and counts as the midpoint
``NOT_APPLICABLE_SCORE``; a criterion that applies to no scenario on the board is
left out of the ranking (``not_applicable``). A measured proxy with nothing to
measure (the partners' proxy without a cooperation register) falls back to the
workshop scores for that scenario, and says so (``fallback``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from kommunestrategi import geo
from kommunestrategi.indicators import IndicatorData
from kommunestrategi.scenarios import proxies, scoring, sensitivity
from kommunestrategi.scenarios.model import (
    COMMITTEE,
    COOPERATION,
    CRITERIA,
    NOT_APPLICABLE_SCORE,
    Scenario,
    WorkshopScore,
    applies,
    methods_from,
)


@dataclass(frozen=True)
class CriterionScore:
    """One scenario's score on one criterion and where it comes from."""

    score: float | None
    method: str  # measured | workshop
    proxy: proxies.Proxy | None = None
    count: int = 0  # workshop scores given
    reasons: tuple[tuple[str, int, str], ...] = ()  # (participant, score, reason)
    #: False: the criterion does not apply to this kind of scenario (scored as the midpoint)
    applicable: bool = True
    #: why a measured criterion is judged in the workshop for this scenario (``register_empty``...)
    fallback: str | None = None


@dataclass
class Ranking:
    """Scores and places (1 = best) of the scenarios under one weighting."""

    label: str
    shares: np.ndarray
    scores: np.ndarray
    places: np.ndarray


@dataclass
class Assessment:
    scenarios: list[Scenario]
    figures: list[proxies.Figures]
    cells: list[dict[str, CriterionScore]]  # per scenario, by criterion
    methods: dict[str, str]
    criteria: list[str]  # criteria in the ranking (scored for every scenario)
    waiting: list[str]  # criteria still missing a score for some scenario
    #: criteria that apply to no scenario on the board (nothing to compare)
    not_applicable: list[str] = field(default_factory=list)
    participants: list[str] = field(default_factory=list)
    participant_rankings: list[Ranking] = field(default_factory=list)
    mean: Ranking | None = None
    median: Ranking | None = None
    topsis: np.ndarray | None = None
    spread: dict[str, scoring.Spread] = field(default_factory=dict)
    leader_ranges: list[sensitivity.LeaderRange] = field(default_factory=list)
    flip: sensitivity.Flip | None = None
    equal_weights: bool = False

    @property
    def matrix(self) -> np.ndarray:
        """Scores (scenarios x ranked criteria)."""
        return np.array([[cells[c].score for c in self.criteria] for cells in self.cells], dtype=float)

    def as_json(self) -> dict[str, Any]:
        """The board as JSON-ready data (the CLI's stable fields, see README)."""
        def rank_json(r: Ranking | None) -> list[dict[str, Any]] | None:
            if r is None:
                return None
            order = np.argsort(r.places)
            return [{"scenario": self.scenarios[i].name, "place": int(r.places[i]),
                     "score": round(float(r.scores[i]), 4)} for i in order]

        def name(i: int | None) -> str | None:
            return None if i is None else self.scenarios[i].name

        scenarios = []
        for scenario, figs, cells in zip(self.scenarios, self.figures, self.cells, strict=True):
            scenarios.append({
                "name": scenario.name, "kind": scenario.kind, "members": list(scenario.members),
                "origin": scenario.origin, "details": scenario.details, "version": scenario.version,
                "population": figs.population, "contiguous": figs.contiguous,
                "max_distance_km": round(figs.max_distance_km, 1),
                "arrangements_inside": figs.arrangements_inside,
                "arrangements_crossing": figs.arrangements_crossing,
                "criteria": {c: _cell_json(cell) for c, cell in cells.items()},
            })
        return {
            "criteria": self.criteria, "waiting": self.waiting, "methods": self.methods,
            "criteria_groups": {"committee": list(COMMITTEE), "cooperation": list(COOPERATION)},
            "not_applicable": self.not_applicable, "not_applicable_score": NOT_APPLICABLE_SCORE,
            "participants": self.participants, "equal_weights": self.equal_weights,
            "scenarios": scenarios,
            "weights": {"mean": _shares_json(self.criteria, self.mean),
                        "median": _shares_json(self.criteria, self.median)},
            "ranking": {"mean": rank_json(self.mean), "median": rank_json(self.median),
                        "topsis": None if self.topsis is None else [
                            {"scenario": s.name, "closeness": round(float(v), 4)}
                            for s, v in zip(self.scenarios, self.topsis, strict=True)],
                        "participants": {r.label: rank_json(r) for r in self.participant_rankings}},
            "spread": {c: {"min": round(s.minimum, 4), "q1": round(s.q1, 4), "median": round(s.median, 4),
                           "q3": round(s.q3, 4), "max": round(s.maximum, 4)} for c, s in self.spread.items()},
            "sensitivity": {
                "leader": name(int(np.argmin(self.mean.places))) if self.mean is not None else None,
                "ranges": [{"criterion": self.criteria[r.criterion], "share": round(r.current, 4),
                            "low": round(r.low, 4), "high": round(r.high, 4),
                            "low_rival": name(r.low_rival), "high_rival": name(r.high_rival)}
                           for r in self.leader_ranges],
                "flip": None if self.flip is None else {
                    "criterion": self.criteria[self.flip.criterion], "share": round(self.flip.current, 4),
                    "at": round(self.flip.at, 4), "change": round(self.flip.change, 4),
                    "first": name(self.flip.first), "second": name(self.flip.second)},
            },
        }


def _shares_json(criteria: list[str], ranking: Ranking | None) -> dict[str, float] | None:
    if ranking is None:
        return None
    return {c: round(float(v), 4) for c, v in zip(criteria, ranking.shares, strict=True)}


def _cell_json(cell: CriterionScore) -> dict[str, Any]:
    out: dict[str, Any] = {"score": None if cell.score is None else round(cell.score, 3), "method": cell.method,
                           "applicable": cell.applicable}
    if cell.proxy is not None:
        p = cell.proxy
        out.update(value=p.value, unit=p.unit, rule=p.rule, formula=p.formula, source=p.source, year=p.year)
        if "inside" in p.detail:
            out.update(inside=p.detail["inside"], crossing=p.detail["crossing"])
    if cell.fallback:
        out["fallback"] = cell.fallback
    if cell.method == "workshop":
        out.update(count=cell.count, reasons=[{"participant": who, "score": s, "reason": why}
                                              for who, s, why in cell.reasons])
    return out


def _workshop_cells(scores: Iterable[WorkshopScore]) -> dict[tuple[int, str], list[WorkshopScore]]:
    out: dict[tuple[int, str], list[WorkshopScore]] = {}
    for s in scores:
        out.setdefault((s.scenario_id, s.criterion), []).append(s)
    return out


def assess(scenarios: list[Scenario], *, geography: geo.Geography, data: IndicatorData,
           weights: Mapping[str, Mapping[str, float]], workshop: Iterable[WorkshopScore] = (),
           methods: Mapping[str, str] | None = None, travel_times: pd.DataFrame | None = None,
           register: Any = None) -> Assessment:
    """The board for ``scenarios`` with each participant's ``weights`` ({name: {criterion: w}})."""
    chosen = methods_from(dict(methods or {}))
    by_cell = _workshop_cells(workshop)
    figures: list[proxies.Figures] = []
    cells: list[dict[str, CriterionScore]] = []
    same_members: dict[tuple[str, ...], proxies.Figures] = {}  # figures do not depend on the kind
    for scenario in scenarios:
        figs = same_members.get(scenario.members)
        if figs is None:
            figs = same_members[scenario.members] = proxies.figures(scenario, geography, data, travel_times,
                                                                        register)
        assert figs.summary is not None
        measured = proxies.measured(scenario, geography, data, figs.summary, register)
        row: dict[str, CriterionScore] = {}
        for criterion in CRITERIA:
            if not applies(scenario.kind, criterion):
                row[criterion] = CriterionScore(NOT_APPLICABLE_SCORE, chosen[criterion], None, applicable=False)
                continue
            fallback = None
            if chosen[criterion] == "measured":
                proxy = measured[criterion]
                fallback = proxy.detail.get("fallback")
                if fallback is None:
                    row[criterion] = CriterionScore(proxy.score, "measured", proxy)
                    continue
            given = sorted(by_cell.get((scenario.id, criterion), []), key=lambda s: s.participant.lower())
            mean = float(np.mean([s.score for s in given])) if given else None
            row[criterion] = CriterionScore(mean, "workshop", None, len(given),
                                            tuple((s.participant, s.score, s.reason) for s in given),
                                            fallback=fallback)
        figures.append(figs)
        cells.append(row)
    unused = [c for c in CRITERIA if cells and not any(row[c].applicable for row in cells)]
    ranked = [c for c in CRITERIA if c not in unused and cells and all(row[c].score is not None for row in cells)]
    waiting = [c for c in CRITERIA if c not in ranked and c not in unused]
    assessment = Assessment(list(scenarios), figures, cells, chosen, ranked, waiting, unused)
    if not scenarios or not ranked:
        return assessment
    participants = sorted(weights, key=str.lower)
    rows = [[float(weights[p].get(c, 0.0)) for c in ranked] for p in participants]
    rows_ok = [(p, r) for p, r in zip(participants, rows, strict=True) if sum(r) > 0]
    if not rows_ok:
        assessment.equal_weights = True
        rows_ok = [("", [1.0] * len(ranked))]
    names = [p for p, _ in rows_ok if p]
    w = np.array([r for _, r in rows_ok], dtype=float)
    matrix = assessment.matrix
    combined = scoring.combine(matrix, w)
    assessment.participants = names
    assessment.participant_rankings = [
        Ranking(p, scoring.shares(w[i]), combined.participant_scores[i], scoring.ranks(combined.participant_scores[i]))
        for i, p in enumerate(names)]
    assessment.mean = Ranking("mean", combined.mean_shares, combined.mean_scores, scoring.ranks(combined.mean_scores))
    assessment.median = Ranking("median", combined.median_shares, combined.median_scores,
                                scoring.ranks(combined.median_scores))
    assessment.spread = dict(zip(ranked, combined.spread, strict=True))
    assessment.topsis = scoring.topsis(matrix, combined.mean_shares)
    assessment.leader_ranges = sensitivity.leader_ranges(matrix, combined.mean_shares)
    assessment.flip = sensitivity.smallest_flip(matrix, combined.mean_shares)
    return assessment
