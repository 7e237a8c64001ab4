"""Counts, pair matrix, coherence and governance flags on a hand-made register."""

from __future__ import annotations

import datetime as dt

from kommunestrategi.cooperation import Arrangement, Register, analysis, coherence

TODAY = dt.date(2026, 11, 29)


def _register() -> Register:
    a = Arrangement("B1", "Barnevern Værnes", ("5035", "5036", "5034"), service_area="barnevern",
                    legal_form="vertskommune_adm", host="5035", next_review="2027-06-01", exit_clause=True,
                    notice_months=12, annual_cost=9_000_000, person_years=15)
    b = Arrangement("I1", "IKT Værnes", ("5035", "5036", "5032", "5033"), service_area="ikt",
                    legal_form="vertskommune_adm", host="", next_review="2025-01-01", exit_clause=False)
    c = Arrangement("R1", "Revisjon Midt-Norge", ("5035", "5001", "5028"), service_area="administrasjon",
                    legal_form="iks", next_review="2026-12-31", exit_clause=True, notice_months=12,
                    budget_share=0.4)
    d = Arrangement("P1", "Plankontor", ("5036", "5035"), service_area="plan_bygg", legal_form="avtale_kjop",
                    host="5036", exit_clause=True, notice_months=6)
    e = Arrangement("X1", "Avsluttet", ("5035", "5036"), service_area="kultur", legal_form="iks",
                    ended="2024-01-01")
    return Register.of([a, b, c, d, e])


def test_summary_counts_by_form_and_sector_hosted_and_resources():
    s = analysis.summary(_register().active(), "5035", budget_nok=3_000_000_000, today=TODAY)
    assert s.arrangements == 4
    assert s.by_form == {"avtale_kjop": 1, "iks": 1, "vertskommune_adm": 2}
    assert s.by_sector == {"administrasjon": 1, "barnevern": 1, "ikt": 1, "plan_bygg": 1}
    assert s.hosted == ["B1"]
    assert s.partners == 6  # 5036 5034 5032 5033 5001 5028
    assert s.person_years == 5.0 and s.annual_cost == 3_000_000.0
    # 0.4 % given as a budget share + 3 mill. of 3,000 mill. = 0.1 %
    assert abs(s.budget_share - 0.005) < 1e-12
    assert s.flags == {"no_review_date": 1, "review_overdue": 1, "review_due": 1, "no_exit_clause": 1,
                       "no_notice_period": 1, "no_host": 1, "form_unsuitable": 1}


def test_counts_table_and_pair_matrix():
    register = _register().active()
    table = analysis.counts_table(register).set_index("kommunenummer")
    assert table.loc["5035", "arrangements"] == 4 and table.loc["5036", "hosted"] == 1
    assert table.loc["5001", "form:iks"] == 1 and table.loc["5032", "sector:ikt"] == 1
    matrix = analysis.pair_matrix(register)
    assert matrix.loc["5035", "5036"] == 3 == matrix.loc["5036", "5035"]
    assert matrix.loc["5035", "5035"] == 4
    assert matrix.loc["5032", "5001"] == 0
    assert analysis.pair_counts(register)[("5035", "5036")] == 3


def test_coherence_inside_and_crossing():
    register = _register().active()
    result = coherence(register, ["5035", "5036", "5034"])
    assert (result.inside, result.crossing) == (2, 2)
    assert set(result.inside_ids) == {"B1", "P1"} and set(result.crossing_ids) == {"I1", "R1"}
    per = {m.kommunenummer: m for m in result.members}
    assert (per["5035"].arrangements, per["5035"].inside, per["5035"].crossing) == (4, 2, 2)
    assert per["5034"].share_inside == 1.0
    assert result.as_dict()["share_inside"] == 0.5
    # ended arrangements count only when asked for
    assert coherence(_register(), ["5035", "5036"]).inside == 2


def test_flags_of_each_kind():
    register = _register()
    assert analysis.flags(register.get("B1"), TODAY) == []
    assert analysis.flags(register.get("I1"), TODAY) == ["review_overdue", "no_exit_clause", "no_notice_period",
                                                         "no_host"]
    assert analysis.flags(register.get("R1"), TODAY) == ["review_due"]
    # planning cases include exercise of authority; a purchase agreement cannot carry it
    assert analysis.flags(register.get("P1"), TODAY) == ["no_review_date", "form_unsuitable"]


def test_overview_rows_and_service_view():
    rows = analysis.overview_rows(_register(), "5036", TODAY)
    assert [r["id"] for r in rows] == ["B1", "I1", "X1", "P1"]
    assert rows[2]["ended"] == "2024-01-01" and rows[2]["flags"] == []
    assert [a.id for a in analysis.for_service(_register(), "5036", "barnevern")] == ["B1"]
    assert analysis.for_service(_register(), "5036", "kultur") == []  # ended


def test_host_text_says_missing_only_for_a_host_based_form():
    from kommunestrategi.cooperation import overview as ov

    assert ov.host_text("5035", "vertskommune_adm", "nb") == "5035 Stjørdal"
    assert ov.host_text("", "vertskommune_adm", "nb") == "mangler"
    assert ov.host_text("", "iks", "en") == "–"
    assert ov.host_text("", "", "en") == "missing"  # form unknown: the host may be missing
