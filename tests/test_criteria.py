"""The checklist catalogues, criterion status, consistency rules and the decision helper."""

import datetime as dt
import shutil
from pathlib import Path

import pytest
import yaml

from kommunestrategi import criteria as cr
from kommunestrategi.i18n import LANGUAGES
from kommunestrategi.i18n import catalogue as texts

TODAY = dt.date(2026, 11, 23)
COUNCIL = "5001"  # Trondheim; neighbours include 5028 Melhus and 5031 Malvik


@pytest.fixture(scope="module")
def cat() -> cr.Catalogue:
    return cr.load_catalogue()


# --- catalogues -------------------------------------------------------------


def test_seven_criteria_in_order_with_questions_in_every_language(cat):
    assert [c.id for c in cat.criteria] == ["why", "partners", "form", "internal", "democracy", "ownership", "exit"]
    assert [c.number for c in cat.criteria] == list(range(1, 8))
    for criterion in cat.criteria:
        assert criterion.questions and criterion.required_fields
        for question in criterion.questions:
            assert set(question) == set(LANGUAGES)


def test_fields_named_in_the_issue_exist(cat):
    assert cat.criterion("why").field("target").type == "indicator_target"
    assert cat.criterion("why").field("alternatives").option_ids() == ["alone", "cooperation", "merger"]
    assert cat.criterion("partners").field("partners").type == "municipalities"
    assert cat.criterion("form").field("legal_form").type == "legal_form"
    assert cat.criterion("form").field("authority").option_ids() == ["yes", "no"]
    assert cat.criterion("democracy").field("budget_share_outside").unit == "percent"
    assert cat.criterion("exit").field("notice_months").type == "number"
    assert cat.strategy.field("decision_deadline").type == "date"


def test_legal_forms_cover_norway_and_sweden_and_carry_agreement_items(cat):
    ids = {f.id for f in cat.forms}
    assert {"politisk_rad", "oppgavefellesskap", "vertskommune_adm", "vertskommune_nemnd", "iks", "as",
            "samkommune", "avtale_kjop", "se_kommunalforbund", "se_gemensam_namnd", "se_avtalssamverkan"} <= ids
    assert cat.form("samkommune").historic
    assert cat.form("vertskommune_adm").can_delegate_authority and not cat.form("iks").can_delegate_authority
    assert all(f.agreement_items and f.basis for f in cat.forms)
    assert "Lovdata" in cat.forms_notice["nb"]


def test_service_areas_include_seed_areas_and_user_defined(cat):
    ids = [a.id for a in cat.service_areas]
    for area in ("ikt", "barnevern", "eldreomsorg_2030", "rekruttering_helse", "innkjop", "administrasjon"):
        assert area in ids
    custom = cat.service_area(cr.custom_area_id("  Vei  og park "))
    assert custom.custom and custom.name["en"] == "Vei og park"
    with pytest.raises(KeyError):
        cat.service_area("nonsense")
    with pytest.raises(ValueError):
        cr.custom_area_id("   ")


def _broken_copy(tmp_path: Path, name: str, change) -> Path:
    for file in ("criteria.yaml", "legal_forms.yaml", "service_areas.yaml"):
        shutil.copy(cr.CATALOGUE_DIR / file, tmp_path / file)
    path = tmp_path / name
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return tmp_path


def _drop_sv(data):
    del data["criteria"][0]["title"]["sv"]


def _bad_type(data):
    data["criteria"][1]["fields"][0]["type"] = "colour"


def _duplicate_field(data):
    data["criteria"][0]["fields"].append(dict(data["criteria"][0]["fields"][0]))


def _options_on_text(data):
    data["criteria"][0]["fields"][0]["options"] = [{"id": "x", "label": {"nb": "x", "en": "x", "sv": "x"}}]


def _bad_numbers(data):
    data["criteria"][6]["number"] = 9


def _no_questions(data):
    data["criteria"][2]["questions"] = []


def _form_flag_text(data):
    data["forms"][0]["can_delegate_authority"] = "maybe"


def _form_country(data):
    data["forms"][0]["country"] = "dk"


def _area_duplicate(data):
    data["service_areas"].append(dict(data["service_areas"][0]))


@pytest.mark.parametrize("name, change, expected", [
    ("criteria.yaml", _drop_sv, "criteria[0] (why).title"),
    ("criteria.yaml", _bad_type, "'colour' is not one of"),
    ("criteria.yaml", _duplicate_field, "duplicate id 'problem'"),
    ("criteria.yaml", _options_on_text, "options are only allowed"),
    ("criteria.yaml", _bad_numbers, "numbers must run 1..7"),
    ("criteria.yaml", _no_questions, "guiding question"),
    ("legal_forms.yaml", _form_flag_text, "can_delegate_authority: expected true or false"),
    ("legal_forms.yaml", _form_country, "'dk' is not one of"),
    ("service_areas.yaml", _area_duplicate, "duplicate id 'ikt'"),
])
def test_malformed_catalogue_fails_with_file_and_place(tmp_path, name, change, expected):
    folder = _broken_copy(tmp_path, name, change)
    with pytest.raises(cr.CriteriaCatalogueError) as err:
        cr.load_catalogue(folder)
    assert name in str(err.value) and expected in str(err.value)


def test_invalid_yaml_and_missing_file_are_catalogue_errors(tmp_path):
    for file in ("criteria.yaml", "legal_forms.yaml", "service_areas.yaml"):
        shutil.copy(cr.CATALOGUE_DIR / file, tmp_path / file)
    (tmp_path / "legal_forms.yaml").write_text("forms: [unclosed", encoding="utf-8")
    with pytest.raises(cr.CriteriaCatalogueError, match="legal_forms.yaml: not valid YAML"):
        cr.load_catalogue(tmp_path)
    (tmp_path / "service_areas.yaml").unlink()
    shutil.copy(cr.CATALOGUE_DIR / "legal_forms.yaml", tmp_path / "legal_forms.yaml")
    with pytest.raises(cr.CriteriaCatalogueError, match="service_areas.yaml: file is missing"):
        cr.load_catalogue(tmp_path)


def test_every_rule_and_reason_and_status_has_a_text():
    keys = texts()
    rules = ["authority_form", "host_missing", "host_not_partner", "iks_owners", "no_exit_clause",
             "exit_clause_missing", "review_overdue", "deadline_passed", "effect_without_target", "not_contiguous"]
    for rule in rules:
        assert f"criteria.rule.{rule}" in keys
    for status in cr.STATUSES:
        assert f"criteria.status.{status}" in keys


# --- status -----------------------------------------------------------------


@pytest.mark.parametrize("field_id, criterion, empty, filled", [
    ("problem", "why", "   ", "Too few child welfare workers"),
    ("target", "why", {"indicator": "Fristbrudd", "target": 0}, {"indicator": "Fristbrudd", "target": 0, "year": 2028}),
    ("alternatives", "why", [], ["alone"]),
    ("partners", "partners", [], ["5028"]),
    ("region_kind", "partners", "fixed", "fixed_region"),
    ("budget", "form", "12", 12_000_000),
    ("legal_form", "form", "", "iks"),
    ("decision_date", "internal", "31.12.2026", "2026-12-31"),
    ("budget_share_outside", "democracy", True, 12.5),
])
def test_is_filled_per_field_type(cat, field_id, criterion, empty, filled):
    item = cat.criterion(criterion).field(field_id)
    assert not cr.is_filled(item, empty)
    assert not cr.is_filled(item, None)
    assert cr.is_filled(item, filled)


def test_status_is_computed_from_required_fields(cat):
    internal = cat.criterion("internal")
    assert cr.criterion_status(internal, {}) == cr.NOT_STARTED
    assert cr.criterion_status(internal, {"decision_ref": "  "}) == cr.NOT_STARTED
    partial = {"decision_ref": "2026/123", "decision_date": "2026-06-01"}
    assert cr.criterion_status(internal, partial) == cr.IN_PROGRESS
    assert cr.completion(internal, partial) == pytest.approx(0.5)
    full = {**partial, "political": "Formannskapet 3 ganger", "staff": "Tillitsvalgte med i prosjektgruppen"}
    assert cr.criterion_status(internal, full) == cr.COMPLETE


def test_optional_fields_alone_start_but_do_not_complete(cat):
    why = cat.criterion("why")
    assert cr.criterion_status(why, {"evidence": "KOSTRA 2024"}) == cr.IN_PROGRESS
    half_target = {"target": {"indicator": "Fristbrudd", "baseline": None, "target": None, "year": None}}
    assert cr.criterion_status(why, half_target) == cr.IN_PROGRESS


# --- consistency rules ------------------------------------------------------


def _rules(answers, council=COUNCIL, today=TODAY):
    return [issue.rule for issue in cr.check_consistency(council, answers, today)]


def test_no_issues_for_empty_answers():
    assert _rules({}) == []


def test_authority_delegated_to_a_form_that_cannot_carry_it():
    assert "authority_form" in _rules({"form": {"legal_form": "iks", "authority": "yes"}})
    assert "authority_form" not in _rules({"form": {"legal_form": "iks", "authority": "no"}})
    assert "authority_form" not in _rules({"form": {"legal_form": "vertskommune_adm", "authority": "yes"},
                                           "partners": {"host": COUNCIL}})


def test_host_form_needs_a_host_among_partners():
    base = {"form": {"legal_form": "vertskommune_adm"}}
    assert "host_missing" in _rules(base)
    assert "host_not_partner" in _rules({**base, "partners": {"partners": ["5028"], "host": "5031"}})
    assert not {"host_missing", "host_not_partner"} & set(
        _rules({**base, "partners": {"partners": ["5028"], "host": "5028"}}))
    # the council itself may be the host
    assert not {"host_missing", "host_not_partner"} & set(_rules({**base, "partners": {"host": COUNCIL}}))
    # a non-host form does not need one
    assert "host_missing" not in _rules({"form": {"legal_form": "iks"}})


def test_iks_needs_two_owners():
    assert "iks_owners" in _rules({"form": {"legal_form": "iks"}})
    assert "iks_owners" in _rules({"form": {"legal_form": "iks"}, "partners": {"partners": [COUNCIL]}})
    assert "iks_owners" not in _rules({"form": {"legal_form": "iks"}, "partners": {"partners": ["5028"]}})


def test_exit_clause():
    assert "no_exit_clause" in _rules({"exit": {"exit_clause": "no"}})
    assert "exit_clause_missing" in _rules({"strategy": {"approach": "cooperation"}})
    assert "exit_clause_missing" in _rules({"form": {"legal_form": "iks"}})
    assert not {"no_exit_clause", "exit_clause_missing"} & set(
        _rules({"form": {"legal_form": "iks"}, "exit": {"exit_clause": "yes"}}))
    assert "exit_clause_missing" not in _rules({"strategy": {"approach": "alone"}})


def test_review_date_in_the_past_is_overdue():
    assert "review_overdue" in _rules({"exit": {"review_date": "2026-11-22"}})
    assert "review_overdue" not in _rules({"exit": {"review_date": "2026-11-23"}})
    issue = cr.check_consistency(COUNCIL, {"exit": {"review_date": "2025-01-31"}}, TODAY)[0]
    assert "31. jan. 2025" in issue.message("nb")


def test_decision_deadline_passed_without_decision():
    assert "deadline_passed" in _rules({"strategy": {"decision_deadline": "2026-07-01"}})
    assert "deadline_passed" not in _rules({"strategy": {"decision_deadline": "2026-07-01"},
                                            "internal": {"decision_date": "2026-06-20"}})
    assert "deadline_passed" not in _rules({"strategy": {"decision_deadline": "2027-07-01"}})


def test_expected_effect_without_measurable_target():
    assert "effect_without_target" in _rules({"why": {"effect": "Shorter waiting times"}})
    assert "effect_without_target" in _rules({"why": {"effect": "Shorter", "target": {"indicator": "Ventetid"}}})
    target = {"indicator": "Ventetid dager", "baseline": 40, "target": 20, "year": 2028}
    assert "effect_without_target" not in _rules({"why": {"effect": "Shorter", "target": target}})
    assert "effect_without_target" not in _rules({"why": {"target": target}})


def test_fixed_region_partners_must_be_contiguous():
    far = {"partners": {"partners": ["5028", "0301"], "region_kind": "fixed_region"}}
    issues = cr.check_consistency(COUNCIL, far, TODAY)
    assert [i.rule for i in issues] == ["not_contiguous"]
    assert issues[0].params["codes"] == ["0301"]
    assert "0301 Oslo" in issues[0].message("en")
    assert _rules({"partners": {"partners": ["5028", "5031"], "region_kind": "fixed_region"}}) == []
    # ad-hoc cooperation may be spread out
    assert _rules({"partners": {"partners": ["0301"], "region_kind": "ad_hoc"}}) == []


def test_issue_messages_exist_in_every_language():
    answers = {"form": {"legal_form": "vertskommune_nemnd"}, "partners": {"partners": ["5028"], "host": "5031"}}
    issue = next(i for i in cr.check_consistency(COUNCIL, answers, TODAY) if i.rule == "host_not_partner")
    for lang in LANGUAGES:
        message = issue.message(lang)
        assert "5031 Malvik" in message and "{" not in message


# --- decision helper --------------------------------------------------------


def _recommended(answers):
    return [r.form.id for r in cr.recommend_forms(answers) if r.recommended]


def test_helper_without_answers_recommends_nothing():
    assert cr.recommend_forms({}) == []
    assert cr.recommend_forms({"country": "se"}) == []


def test_authority_without_matters_of_principle_points_to_host_models():
    answers = {"authority": "yes", "principle": "no", "employ": "no", "steering": "low"}
    assert _recommended(answers)[0] == "vertskommune_adm"
    results = {r.form.id: r for r in cr.recommend_forms(answers)}
    assert results["iks"].excluded and not results["iks"].recommended
    assert "criteria.helper.reason.authority_blocked" in [x.key for x in results["iks"].reasons]
    assert "criteria.helper.reason.authority_ok" in [x.key for x in results["vertskommune_adm"].reasons]


def test_matters_of_principle_need_a_joint_committee():
    recommended = _recommended({"authority": "yes", "principle": "yes"})
    assert recommended == ["vertskommune_nemnd"]
    adm = next(r for r in cr.recommend_forms({"authority": "yes", "principle": "yes"})
               if r.form.id == "vertskommune_adm")
    assert adm.excluded


def test_commercial_entity_with_own_staff_points_to_companies():
    recommended = _recommended({"authority": "no", "employ": "yes", "entity": "yes", "commercial": "yes",
                                "steering": "medium"})
    assert recommended == ["iks"]
    hands_off = _recommended({"authority": "no", "employ": "yes", "entity": "yes", "commercial": "yes",
                              "steering": "low"})
    assert hands_off[0] == "as"


def test_service_without_authority_and_close_steering():
    ranked = cr.recommend_forms({"authority": "no", "entity": "any", "commercial": "no", "steering": "medium",
                                 "employ": "yes"})
    assert ranked[0].form.id == "oppgavefellesskap"
    politisk = next(r for r in ranked if r.form.id == "politisk_rad")
    assert not politisk.recommended
    assert "criteria.helper.reason.no_services" in [x.key for x in politisk.reasons]


def test_helper_never_offers_historic_or_other_country_forms():
    norway = {r.form.id for r in cr.recommend_forms({"authority": "yes"})}
    assert "samkommune" not in norway and not any(f.startswith("se_") for f in norway)
    sweden = cr.recommend_forms({"authority": "yes", "principle": "yes", "country": "se"})
    assert {r.form.country for r in sweden} == {"se"}
    assert {r.form.id for r in sweden if r.recommended} == {"se_kommunalforbund", "se_gemensam_namnd"}


def test_every_reason_has_a_text_in_every_language():
    seen = set()
    for answers in ({"authority": "yes", "principle": "yes", "employ": "yes", "entity": "yes", "commercial": "yes",
                     "steering": "high"},
                    {"authority": "yes", "principle": "no", "employ": "no", "entity": "no", "commercial": "no",
                     "steering": "low"}):
        for rec in cr.recommend_forms(answers):
            seen.update(reason.key for reason in rec.reasons)
    keys = texts()
    assert len(seen) >= 14
    for key in seen:
        assert key in keys


def test_answers_by_area_groups_stored_answers():
    from types import SimpleNamespace as A

    rows = [A(council="5001", service_area="ikt", criterion="why", field="problem", value="x"),
            A(council="5001", service_area="ikt", criterion="form", field="legal_form", value="iks"),
            A(council="5028", service_area="ikt", criterion="why", field="problem", value="y")]
    grouped = cr.answers_by_area(rows)
    assert grouped[("5001", "ikt")] == {"why": {"problem": "x"}, "form": {"legal_form": "iks"}}
    assert list(cr.answers_by_area(rows, council="5028")) == [("5028", "ikt")]
