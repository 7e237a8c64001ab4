"""The strategy document model and the secretariat's completeness overview."""

import datetime as dt
from types import SimpleNamespace

import pytest

from kommunestrategi import criteria as cr
from kommunestrategi import strategy as st

TODAY = dt.date(2026, 11, 23)
T0 = dt.datetime(2026, 11, 23, 11, 3, tzinfo=dt.UTC)


def answer(area, criterion, field, value, council="5001", author="Kari", minutes=0):
    return SimpleNamespace(council=council, service_area=area, criterion=criterion, field=field, value=value,
                           version=1, author=author, updated_at=T0 + dt.timedelta(minutes=minutes))


@pytest.fixture
def answers():
    return [
        answer("barnevern", "strategy", "approach", "cooperation"),
        answer("barnevern", "strategy", "rationale", "Små fagmiljø og fristbrudd"),
        answer("barnevern", "strategy", "decision_deadline", "2027-06-30"),
        answer("barnevern", "form", "legal_form", "vertskommune_adm", author="Ola", minutes=5),
        answer("barnevern", "form", "authority", "yes"),
        answer("barnevern", "form", "budget", 12500000),
        answer("barnevern", "partners", "partners", ["5028", "5031"]),
        answer("barnevern", "partners", "host", "5001"),
        answer("barnevern", "why", "target", {"indicator": "Fristbrudd", "baseline": 14, "target": 2.5,
                                              "year": 2028}),
        answer("barnevern", "helper", "authority", "yes"),
        answer("ikt", "strategy", "approach", "alone"),
        answer("custom:Vei og park", "why", "problem", "Vedlikeholdsetterslep"),
        answer("ikt", "why", "problem", "Not ours", council="5028"),
    ]


def test_headline_reads_like_a_decision(answers):
    doc = st.build_from_answers(answers, "5001", "nb", today=TODAY)
    assert doc.council_name == "Trondheim"
    area = doc.area("barnevern")
    assert area.headline == ("Kommunen vil samarbeide med Melhus og Malvik i form av administrativt "
                             "vertskommunesamarbeid.")
    assert area.approach == "cooperation" and area.approach_label == "Samarbeid"
    assert area.partners == ("5028", "5031") and area.partner_names == ("Melhus", "Malvik")
    assert area.decision_deadline == dt.date(2027, 6, 30)
    assert area.rationale == "Små fagmiljø og fristbrudd"
    assert doc.area("ikt").headline == "Kommunen løser oppgaven alene."
    english = st.build_from_answers(answers, "5001", "en", today=TODAY).area("barnevern")
    assert english.headline == ("The municipality will cooperate with Melhus and Malvik as administrative "
                                "host-municipality cooperation.")


def test_areas_in_catalogue_order_then_custom_and_only_this_council(answers):
    doc = st.build_from_answers(answers, "5001", "nb", today=TODAY)
    assert [a.service_area for a in doc.areas] == ["ikt", "barnevern", "custom:Vei og park"]
    assert doc.area("custom:Vei og park").service_area_name == "Vei og park"
    other = st.build_from_answers(answers, "5028", "nb", today=TODAY)
    assert [a.service_area for a in other.areas] == ["ikt"]
    assert not st.build_from_answers(answers, "0301", "nb").started


def test_sections_carry_status_answers_and_issues(answers):
    area = st.build_from_answers(answers, "5001", "nb", today=TODAY).area("barnevern")
    assert [s.number for s in area.criteria] == list(range(1, 8))
    form = area.criterion("form")
    assert form.status == cr.IN_PROGRESS and form.status_label == "Påbegynt"
    assert form.field("budget").text == "12\xa0500\xa0000\xa0kr"
    assert form.field("legal_form").author == "Ola"
    assert area.criterion("why").field("target").text == "Fristbrudd: fra 14 til 2,5 innen 2028"
    assert area.criterion("internal").status == cr.NOT_STARTED
    assert area.last_updated == T0 + dt.timedelta(minutes=5)
    assert area.authors == ("Kari", "Ola")
    # the decision helper's answers are not part of the document
    assert all(s.id != "helper" for s in area.criteria)
    assert [i.rule for i in area.issues] == ["exit_clause_missing"]
    assert area.criterion("exit").issues[0].message.startswith("Det er ikke registrert")
    assert area.strategy.status == cr.IN_PROGRESS


@pytest.mark.parametrize("field_id, criterion, value, expected", [
    ("problem", "why", "=SUM(A1) <script>alert(1)</script>", "=SUM(A1) <script>alert(1)</script>"),
    ("alternatives", "why", ["alone", "merger"], "Fortsette alene, Kommunesammenslåing"),
    ("budget_share_outside", "democracy", 12.5, "12,5\xa0%"),
    ("decision_date", "internal", "2026-06-01", "1. juni 2026"),
    ("host", "partners", "9999", "9999"),
    ("legal_form", "form", "unknown_form", "unknown_form"),
    ("notice_months", "exit", 12, "12"),
])
def test_display_value(field_id, criterion, value, expected):
    item = cr.catalogue().criterion(criterion).field(field_id)
    assert st.display_value(item, value, "nb") == expected


def test_completeness_overview_marks_councils_not_started(answers):
    overview = st.completeness_from_answers(answers, ["5001", "5028", "5031"], "nb")
    assert overview.not_started == ("5031",)
    assert list(overview.matrix.columns) == ["why", "partners", "form", "internal", "democracy", "ownership",
                                             "exit", "strategy"]
    assert overview.matrix.loc["5031"].sum() == 0
    # 5028: one area with 1 of 4 required "why" fields
    assert overview.matrix.loc["5028", "why"] == pytest.approx(0.25)
    # 5001: three areas; strategy has 4 required fields: barnevern 3/4, ikt 1/4, custom 0
    assert overview.matrix.loc["5001", "strategy"] == pytest.approx((0.75 + 0.25 + 0) / 3)
    assert overview.labels["why"] == "1. Vite hvorfor"
    assert overview.names["5031"] == "Malvik" and overview.areas_started["5001"] == 3


def test_build_council_strategy_reads_the_store(answers):
    class FakeStore:
        def get_answers(self, workspace_id, council=None):
            assert workspace_id == 7
            return [a for a in answers if council is None or a.council == council]

        def list_councils(self, workspace_id):
            return [SimpleNamespace(kommunenummer="5001", name="Trondheim"),
                    SimpleNamespace(kommunenummer="5031", name="Malvik")]

    doc = st.build_council_strategy(FakeStore(), 7, "5001", "sv", today=TODAY)
    assert doc.workspace_id == 7 and doc.lang == "sv"
    assert doc.area("ikt").headline == "Kommunen löser uppgiften på egen hand."
    overview = st.completeness_overview(FakeStore(), 7, "en")
    assert overview.not_started == ("5031",)
