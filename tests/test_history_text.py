"""The workspace history in words: labels for keys, option names for ids, dates formatted."""

import json

from kommunestrategi.history_text import describe_key, describe_value


def _key(*parts):
    return json.dumps(list(parts))


def test_an_answer_key_reads_as_council_area_criterion_and_field():
    key = _key("5031", "barnevern", "strategy", "decision_deadline")
    assert describe_key("answer", key, "nb") == "5031 Malvik · Barnevern · Strategi · Frist for vedtak"
    assert describe_key("answer", _key("5031", "barnevern", "why", "problem"), "en").startswith(
        "5031 Malvik · Child welfare · 1. ")


def test_option_ids_dates_and_numbers_become_words():
    approach = _key("5031", "barnevern", "strategy", "approach")
    assert describe_value("answer", approach, "cooperation", "nb") == "Samarbeid"
    deadline = _key("5031", "barnevern", "strategy", "decision_deadline")
    assert describe_value("answer", deadline, "2027-03-01", "nb") == "1. mars 2027"
    budget = _key("5031", "barnevern", "form", "budget")
    assert describe_value("answer", budget, 18_500_000, "nb").replace("\u00a0", " ") == "18 500 000 kr"
    partners = _key("5031", "barnevern", "partners", "partners")
    assert describe_value("answer", partners, ["5001", "5035"], "nb") == "5001 Trondheim, 5035 Stjørdal"


def test_unknown_keys_and_values_stay_readable():
    assert describe_key("region", _key("Trondheimsregionen"), "nb") == "Trondheimsregionen"
    assert describe_key("answer", "not json", "nb") == "not json"
    assert describe_value("region", _key("R"), ["5001", "5031"], "nb") == "5001 Trondheim, 5031 Malvik"
    assert describe_value("answer", _key("5031", "x", "nope", "nope"), "tekst", "nb") == "tekst"
    assert describe_value("answer", _key("5031", "x", "nope", "nope"), None, "nb") == ""


def test_a_cooperation_register_change_reads_as_the_arrangement_in_words():
    from kommunestrategi.i18n import t

    sha = "92b47b6c92dedf85ef27fffccdd92cc34e86b9665800e829074476e982907a11"
    assert describe_key("cooperation", _key(sha, "A003"), "nb") == "A003"  # no checksum shown to readers
    assert describe_key("cooperation", _key("", "app-2"), "nb") == "app-2"
    value = {"id": "A003", "name": "Haugesund, Utsira", "service_area": "barnevern",
             "legal_form": "vertskommune_adm", "host": "1106", "members": ["1106", "1151"],
             "next_review": "2027-06-01", "ended": "2026-11-30", "exit_clause": True}
    assert describe_value("cooperation", _key(sha, "A003"), value, "nb") == (
        "Haugesund, Utsira · Barnevern · Administrativt vertskommunesamarbeid · Vertskommune: 1106 Haugesund"
        " · 2 kommuner · revisjon 1. juni 2027 · Avsluttet 30. nov. 2026")
    assert describe_value("cooperation", _key("", "app-2"), {"name": "IKT", "members": ["5028", "5029"]},
                          "en") == "IKT · 2 municipalities"
    # the history table's entity and actions have names in every language
    for lang in ("nb", "en", "sv"):
        assert t("store.entity.cooperation", lang) != "store.entity.cooperation"
        assert t("store.action.end", lang) != "store.action.end"
        assert t("store.action.reopen", lang) != "store.action.reopen"


def test_workshop_and_import_entries_read_as_words_from_a_real_store(tmp_path):
    from kommunestrategi.i18n import t
    from kommunestrategi.scenarios.model import CRITERIA
    from kommunestrategi.store import SYSTEM, Actor, Store
    from kommunestrategi.store import scenarios as S

    store = Store.open(f"sqlite:///{tmp_path / 'history.sqlite'}")
    ws = store.ensure_demo_workspace()
    siri = Actor("Siri", "secretariat")
    S.save_methods(store, siri, ws.id, {c: "workshop" for c in CRITERIA} | {"capacity": "measured"})
    scenario = S.save_scenario(store, siri, ws.id, "Storkommune", "merger", ["5001", "5031"])
    S.save_score(store, siri, ws.id, scenario.id, "identity", 2, "Mindre nærhet")
    S.save_weights(store, siri, ws.id, {"capacity": 1, "identity": 3})
    store.add_dataset_version(SYSTEM, ws.id, "arrangements", "samarbeid.csv", "ab" * 32, {}, [], {})
    shown = {}
    for e in store.history(ws.id, limit=50):
        shown.setdefault(e.entity, (describe_key(e.entity, e.key, "nb"),
                                    describe_value(e.entity, e.key, e.new_value, "nb")))
    assert shown["scenario"] == (f"Scenario {scenario.id}", "Storkommune · Sammenslåing · 5001 Trondheim, 5031 Malvik")
    assert shown["scenario_score"] == (f"Scenario {scenario.id} · Lokal identitet · Siri", "2 – Mindre nærhet")
    assert shown["scenario_weights"][1] == "Tilstrekkelig kapasitet 1, Lokal identitet 3"
    assert shown["scenario_methods"][0] == "Kriteriene"
    assert "Tilstrekkelig kapasitet: Målt" in shown["scenario_methods"][1]
    assert shown["dataset"] == ("Samarbeidsordninger", "samarbeid.csv")
    for entity in shown:  # every kind of entry has a name of its own in every language
        assert t(f"store.entity.{entity}", "en") != entity
    text = " ".join(" ".join(pair) for pair in shown.values())
    assert not [word for word in ("{", "identity", "merger", "arrangements", "measured", "workshop") if word in text], text
    store.close()
