"""The Data page's preview in words: table and column names, names for ids, grouped figures."""

import pandas as pd

from kommunestrategi.data_preview import column_label, preview_frame, table_title

NBSP = "\u00a0"


def test_arrangement_tables_have_norwegian_names_and_labels():
    assert table_title("arrangements") == "Samarbeidsordninger"
    assert table_title("arrangement_members") == "Medlemmer i ordningene"
    frame = pd.DataFrame({"arrangement_id": ["A1"], "name": ["Barnevern i Værnes"], "service_area": ["barnevern"],
                          "legal_form": ["vertskommune_adm"], "host": ["5035"], "annual_cost": [18_500_000.0],
                          "exit_clause": [True], "org_number": ["912345678"]})
    shown = preview_frame(frame).iloc[0].to_dict()
    assert shown["Tjenesteområde"] == "Barnevern"
    assert shown["Juridisk form"] == "Administrativt vertskommunesamarbeid"
    assert shown["Årlig kostnad (kr)"].replace(NBSP, " ") == "18 500 000"
    assert shown["Uttredelsesklausul"] == "Ja"
    assert shown["Organisasjonsnummer"] == "912345678"  # an identifier, not an amount


def test_indicator_values_show_names_years_and_grouped_values():
    frame = pd.DataFrame({"kommunenummer": ["5031"], "indicator_id": ["pop_total"], "year": [2024],
                          "value": [14783.0], "unit": ["persons"], "source_number": ["5031"],
                          "geometry_wkb": [b"\x00"]})
    shown = preview_frame(frame, "nb")
    assert list(shown.columns) == ["Kommunenummer", "Indikator", "År", "Verdi", "Enhet", "Nummer i filen"]
    assert shown.iloc[0].tolist() == ["5031", "Folketall", "2024", f"14{NBSP}783", "personer", "5031"]
    assert preview_frame(frame, "en").iloc[0]["Value"] == "14,783"
    assert column_label("pop_unknown_column") == "Pop unknown column"


def test_report_messages_name_indicators_not_ids():
    from kommunestrategi.data_preview import readable_message
    assert readable_message("Verdien -5 er negativ, men pop_total kan ikke være negativ.") == \
        "Verdien -5 er negativ, men Folketall kan ikke være negativ."
    assert readable_message("fil_pop_total.csv og pop_totalt") == "fil_pop_total.csv og pop_totalt"


def test_an_unreadable_register_field_is_named_by_its_column_title():
    from kommunestrategi.io.importer import validate_file

    data = b"navn;tjeneste;kommuner;vertskommune;budsjett\nIKT;ikt;\"5031, 5035\";5035;x\n"
    result = validate_file(data, "samarbeid.csv", "arrangements")
    messages = {lang: [line.message(lang) for line in result.report.lines] for lang in ("nb", "en")}
    assert "«x» kan ikke leses som «Årlig kostnad (kr)»; feltet er satt som mangler." in messages["nb"]
    assert "“x” cannot be read as “Annual cost (NOK)”; the field is left missing." in messages["en"]
    assert not any("annual_cost" in m for m in messages["nb"] + messages["en"])
