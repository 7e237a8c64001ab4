"""The seven cooperation criteria on the scenario board: where they apply, the
partners' proxy from a small hand-made cooperation register, and the scoring
arithmetic and exact flip point once they are weighed."""

from __future__ import annotations

import datetime as dt

import pytest

from kommunestrategi import geo, regions
from kommunestrategi.cooperation import Arrangement, Register
from kommunestrategi.i18n import LANGUAGES, catalogue
from kommunestrategi.indicators import bundled_data
from kommunestrategi.scenarios import proxies
from kommunestrategi.scenarios.board import assess
from kommunestrategi.scenarios.model import (
    APPLIES,
    COMMITTEE,
    COOPERATION,
    CRITERIA,
    NOT_APPLICABLE_SCORE,
    Scenario,
    WorkshopScore,
    applies,
)

TRONDHEIM, MELHUS, SKAUN, MALVIK, ORKLAND = "5001", "5028", "5029", "5031", "5059"
REGION = (TRONDHEIM, MELHUS, SKAUN)
#: Two arrangements inside Trondheim-Melhus-Skaun, one crossing to Malvik, one elsewhere.
REGISTER = Register((
    Arrangement("a1", "Legevakt", (TRONDHEIM, MELHUS)),
    Arrangement("a2", "Barnevern", (TRONDHEIM, MELHUS, SKAUN)),
    Arrangement("a3", "Brann", (SKAUN, MALVIK)),
    Arrangement("a4", "IKT", ("5055", "5056")),
), source="samarbeid.csv (#1)")
TODAY = dt.date(2026, 11, 30)
ALL_WORKSHOP = {c: "workshop" for c in CRITERIA}


def _board(scenarios, weights, workshop=(), methods=None, register=None):
    return assess(scenarios, geography=geo.bundled(), data=bundled_data(), weights=weights, workshop=workshop,
                  methods=ALL_WORKSHOP if methods is None else methods, register=register)


def test_the_seventeen_criteria_and_where_the_seven_apply() -> None:
    assert CRITERIA == COMMITTEE + COOPERATION and len(COMMITTEE) == 10 and len(COOPERATION) == 7
    assert APPLIES["cooperation"] == frozenset(COOPERATION)
    assert sorted(APPLIES["merger"]) == ["coop_internal", "coop_partners", "coop_why"]
    assert sorted(APPLIES["status_quo"]) == ["coop_exit", "coop_why"]
    assert all(applies(kind, c) for kind in APPLIES for c in COMMITTEE)
    # every "does not apply" has its reason in every language
    texts = catalogue()
    for kind, applying in APPLIES.items():
        for criterion in set(COOPERATION) - applying:
            key = f"scenarios.na.{kind}.{criterion}"
            assert all(texts[key][lang].strip() for lang in LANGUAGES), key


def test_partners_proxy_on_a_hand_made_register() -> None:
    proxy = proxies.partners(Scenario(1, "Samarbeid", "cooperation", REGION), REGISTER, TODAY)
    # inside: a1, a2; crossing: a3 (Skaun-Malvik); a4 does not touch the region
    assert (proxy.detail["inside"], proxy.detail["crossing"]) == (2, 1)
    assert proxy.value == pytest.approx(2 / 3)
    assert proxy.score == 3.67  # 1 + 4 x 2/3, rounded as shown
    assert (proxy.formula, proxy.rule, proxy.source, proxy.year) == ("partners_inside", "share_inside", "register", 2026)
    assert proxy.detail["register_source"] == "samarbeid.csv (#1)"
    # with Malvik in the region every arrangement touching it stays inside: 1 + 4 x 1
    wider = proxies.partners(Scenario(2, "Større", "merger", (*REGION, MALVIK)), REGISTER, TODAY)
    assert (wider.detail["inside"], wider.detail["crossing"], wider.score) == (3, 0, 5.0)
    # Melhus alone: both of its arrangements cross the region: 1 + 4 x 0
    alone = proxies.partners(Scenario(3, "Melhus", "merger", (MELHUS,)), REGISTER, TODAY)
    assert (alone.detail["inside"], alone.detail["crossing"], alone.score) == (0, 2, 1.0)


def test_partners_proxy_says_when_there_is_nothing_to_measure() -> None:
    empty = proxies.partners(Scenario(1, "S", "cooperation", REGION), Register(()), TODAY)
    assert empty.score is None and empty.detail["fallback"] == "register_empty"
    assert proxies.partners(Scenario(1, "S", "cooperation", REGION), None, TODAY).detail["fallback"] == "register_empty"
    untouched = proxies.partners(Scenario(1, "S", "cooperation", (ORKLAND,)), REGISTER, TODAY)
    assert untouched.score is None and untouched.detail["fallback"] == "no_arrangements"


def test_not_applicable_counts_as_the_midpoint_and_the_arithmetic_holds() -> None:
    status = Scenario(1, "Status quo", "status_quo", REGION)
    coop = Scenario(2, "Samarbeid", "cooperation", REGION)
    merger = Scenario(3, "Sammenslåing", "merger", REGION)
    workshop = [
        WorkshopScore(2, "coop_ownership", "Kari", 4, "eierskapsmelding finnes"),
        WorkshopScore(2, "coop_ownership", "Ola", 5, ""),
        WorkshopScore(1, "coop_why", "Kari", 2, ""), WorkshopScore(2, "coop_why", "Kari", 4, ""),
        WorkshopScore(3, "coop_why", "Kari", 5, ""),
    ]
    board = _board([status, coop, merger], {"Kari": {"coop_ownership": 1, "coop_why": 3}}, workshop)
    assert board.criteria == ["coop_why", "coop_ownership"]
    ownership = [cells["coop_ownership"] for cells in board.cells]
    assert [c.applicable for c in ownership] == [False, True, False]
    assert [c.score for c in ownership] == [NOT_APPLICABLE_SCORE, 4.5, NOT_APPLICABLE_SCORE]
    assert ownership[1].count == 2
    # shares 3/4 why, 1/4 ownership:
    # status quo 0.75 x 2 + 0.25 x 3 = 2.25; cooperation 0.75 x 4 + 0.25 x 4.5 = 4.125;
    # merger 0.75 x 5 + 0.25 x 3 = 4.5
    assert board.mean.scores.tolist() == pytest.approx([2.25, 4.125, 4.5])
    assert board.mean.places.tolist() == [3, 2, 1]
    # form, steering and exit apply to the cooperation only, which has no score yet
    assert {"coop_form", "coop_democracy", "coop_internal", "coop_partners", "coop_exit"} <= set(board.waiting)
    assert board.not_applicable == []
    data = board.as_json()
    assert data["scenarios"][0]["criteria"]["coop_ownership"] == {
        "score": 3.0, "method": "workshop", "applicable": False, "count": 0, "reasons": []}
    assert data["not_applicable_score"] == 3.0


def test_the_flip_point_is_exact_with_a_cooperation_criterion() -> None:
    coop = Scenario(1, "Samarbeid", "cooperation", REGION)
    merger = Scenario(2, "Sammenslåing", "merger", REGION)
    workshop = [WorkshopScore(1, "coop_form", "Kari", 5, ""),
                WorkshopScore(1, "coop_why", "Kari", 3, ""), WorkshopScore(2, "coop_why", "Kari", 4, ""),
                WorkshopScore(1, "identity", "Kari", 3, ""), WorkshopScore(2, "identity", "Kari", 3, "")]
    board = _board([coop, merger], {"Kari": {"coop_form": 1, "coop_why": 3, "identity": 2}}, workshop)
    assert board.criteria == ["identity", "coop_why", "coop_form"]
    # shares 1/3 identity, 1/2 why, 1/6 form (the merger's form does not apply: 3)
    # cooperation 3/3 + 3/2 + 5/6 = 3.333; merger 3/3 + 4/2 + 3/6 = 3.5
    assert board.mean.scores.tolist() == pytest.approx([10 / 3, 3.5])
    # form share s, the others keeping their proportions (why 3/5, identity 2/5 of the rest):
    # cooperation 5s + 3(1 - s), merger 3s + 3.6(1 - s): level at s = 3/13
    flip = board.flip
    assert board.criteria[flip.criterion] == "coop_form"
    assert (flip.current, flip.at, flip.change) == pytest.approx((1 / 6, 3 / 13, 3 / 13 - 1 / 6))
    assert (flip.first, flip.second) == (1, 0)
    form = next(r for r in board.leader_ranges if board.criteria[r.criterion] == "coop_form")
    assert (form.low, form.high, form.high_rival) == (pytest.approx(0.0), pytest.approx(3 / 13), 0)


def test_measured_partners_in_the_board_and_the_fallback_cells() -> None:
    coop = Scenario(1, "Samarbeid", "cooperation", REGION)
    elsewhere = Scenario(2, "Orkland alene", "cooperation", (ORKLAND,))
    methods = ALL_WORKSHOP | {"coop_partners": "measured"}
    board = _board([coop, elsewhere], {}, [WorkshopScore(2, "coop_partners", "Kari", 2, "få felles tjenester")],
                   methods=methods, register=REGISTER)
    measured, judged = board.cells[0]["coop_partners"], board.cells[1]["coop_partners"]
    assert (measured.method, measured.score, measured.proxy.detail["inside"]) == ("measured", 3.67, 2)
    assert (judged.method, judged.score, judged.fallback) == ("workshop", 2.0, "no_arrangements")
    assert board.criteria == ["coop_partners"] and board.equal_weights
    assert board.mean.scores.tolist() == pytest.approx([3.67, 2.0])


def test_card_population_and_trend_use_the_region_builders_year() -> None:
    scenario = Scenario(1, "Samarbeid", "cooperation", REGION)
    figs = proxies.figures(scenario, geo.bundled(), bundled_data())
    assert figs.population_year == regions.POPULATION_YEAR
    assert figs.population == regions.summarise(list(REGION)).population
    first, last, _change = figs.trend
    assert first == 2005 and last == regions.POPULATION_YEAR
    capacity = proxies.capacity(scenario, geo.bundled(), bundled_data())
    assert capacity.year == regions.POPULATION_YEAR and capacity.value == figs.population
