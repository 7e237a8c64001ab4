"""Importing cooperation registers in all three shapes, register fields and unused columns."""

from __future__ import annotations

import io

import openpyxl
import pytest

from kommunestrategi.io.importer import validate_file

REAL = "bufdir_interkommunale_barnevernsamarbeid_2023.csv"


def _members(result) -> dict[str, list[str]]:
    members = result.tables["arrangement_members"]
    return {aid: sorted(group["kommunenummer"]) for aid, group in members.groupby("arrangement_id")}


def test_real_child_welfare_list_yields_64_arrangements_and_204_memberships(real_data):
    result = validate_file((real_data / REAL).read_bytes(), REAL, "arrangements", service_area="barnevern")
    assert result.ok, result.report.as_rows("en")
    assert result.counts == {"arrangements": 64, "memberships": 204, "municipalities": 204}
    arrangements = result.tables["arrangements"]
    row = arrangements[arrangements["source_row"] == 4].iloc[0]  # "HAUGESUND , UTSIRA"
    assert _members(result)[row["arrangement_id"]] == ["1106", "1151"]
    assert set(arrangements["service_area"]) == {"barnevern"}
    # the county column is not read: it is named, not silently dropped
    unused = [line for line in result.report.warnings if line.code == "column_unused"]
    assert [(line.column, line.params["header"]) for line in unused] == [("C", "fylke")]


def _shape3_csv() -> bytes:
    lines = [
        "Kommune;Kommunenr;Samarbeidskommuner;Samarbeidskommunenr;Merknad",
        "Trondheim;5001;#Ingen samarbeid;;sjekket",          # 2: no cooperation
        "Melhus;5028;MELHUS, SKAUN;5028, 5029;",             # 3: group {Melhus, Skaun}
        "Skaun;5029;Melhus , Skaun;5028,5029;",              # 4: the same group -> merged
        "Oppdal;5021;Oppdal, Rennebu;5021, 5022;",           # 5: Rennebu does not list Oppdal
        "Rennebu;5022;Ingen;-;",                             # 6: no cooperation
        "Røros;5025;Røros, Holtålen, Os;5025, 5026, 3430;",  # 7
        "Holtålen;5026;Holtålen, Røros;5026, 5025;",         # 8: Holtålen in two groups
        "Os;3430;Os, Røros, Holtålen;3430, 5025, 5026;",     # 9
        "Selbu;5032;Tydal;5033;",                            # 10: group without own municipality
        "Tydal;5033;Selbu, Tydal;5032, 5033;",               # 11
        "Frosta;5036;Frosta, Stjørdal, Meråker;5036, 5035, 5034;",  # 12: partners with no rows
        "Orkland;5059;-;;",                                  # 13: no cooperation
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def test_one_row_per_municipality_merges_groups_and_reports_inconsistencies():
    result = validate_file(_shape3_csv(), "mapping.csv", "arrangements", service_area="barnevern")
    assert result.ok, result.report.as_rows("en")
    groups = sorted(_members(result).values())
    assert groups == [["3430", "5025", "5026"], ["5021", "5022"], ["5025", "5026"], ["5028", "5029"],
                      ["5032", "5033"], ["5034", "5035", "5036"]]
    # no single-member arrangement, none for the "no cooperation" rows
    assert all(len(g) >= 2 for g in groups)
    members = set(result.tables["arrangement_members"]["kommunenummer"])
    assert not members & {"5001", "5059"}
    arrangements = result.tables["arrangements"]
    assert len(arrangements) == 6 and set(arrangements["service_area"]) == {"barnevern"}
    # identical groups on rows 3 and 4 became one arrangement from row 3
    assert arrangements.set_index("source_row").loc[3, "name"] == "Melhus, Skaun"
    lines = {(line.code, line.row) for line in result.report.warnings}
    assert ("partner_not_reciprocal", 5) in lines        # Oppdal lists Rennebu, Rennebu says none
    assert ("partner_not_reciprocal", 9) in lines        # Os lists Holtålen, Holtålen does not list Os
    assert ("in_two_groups", 7) in lines                 # Røros/Holtålen in two groups (rows 7, 8, 9)
    assert ("group_without_own", 10) in lines            # Selbu's row names only Tydal
    assert ("group_listed_once", 12) in lines            # Frosta's group under Frosta only
    assert ("partner_has_no_row", 12) in lines
    assert ("column_unused", 1) in lines
    by_code = {line.code: line for line in reversed(result.report.warnings)}  # the first of each code
    assert by_code["partner_not_reciprocal"].message("en") == (
        "5021 Oppdal lists 5022 Rennebu as a partner, but 5022 Rennebu does not list 5021 Oppdal (row 6).")
    two = [line for line in result.report.warnings if line.code == "in_two_groups"]
    assert {line.params["municipality"] for line in two} == {"5025 Rosse", "5026 Holtålen"}
    assert all(line.params["rows"] == "7, 8, 9" for line in two)
    assert by_code["column_unused"].params["header"] == "Merknad"
    for lang in ("nb", "en", "sv"):
        assert all(line.message(lang) for line in result.report.lines)


def test_one_row_per_municipality_with_service_column_and_partners_only():
    data = (b"kommunenavn;tjeneste;samarbeidspartnere\nMelhus;Barnevern;Skaun\nSkaun;Barnevern;Melhus\n"
            b"Melhus;IKT;Skaun og Orkland\nSkaun;IKT;Melhus, Orkland\nOrkland;IKT;Melhus/Skaun\n")
    result = validate_file(data, "partners.csv", "arrangements")
    assert result.ok, result.report.as_rows("en")
    arrangements = result.tables["arrangements"].set_index("arrangement_id")
    by_service = {arrangements.loc[aid, "service_area"]: group for aid, group in _members(result).items()}
    assert by_service == {"barnevern": ["5028", "5029"], "ikt": ["5028", "5029", "5059"]}
    assert not result.report.warnings  # partners-only convention: no "group without own" lines


def test_register_fields_are_read_and_unreadable_cells_reported():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Navn", "Tjenesteområde", "Organisasjonsform", "Kommuner", "Vertskommune", "Etablert",
               "Org.nr.", "Årlig kostnad", "Årsverk", "Avtaledato", "Neste revisjon", "Uttredelsesklausul",
               "Oppsigelsestid", "Kontaktperson"])
    ws.append(["Værnesregionen IKT", "IKT", "Vertskommune (administrativt)", "Stjørdal, Frosta, Selbu",
               "Stjørdal", 2011, "974 123 456", "12 500 000", "14,5", "01.03.2011", "2026-06-30", "Ja",
               "12 mnd", "Kari"])
    ws.append(["Legevakt", "Helse", "", "5035, 5036", "", "", "", "", "", "", "snart", "nei", "", ""])
    buffer = io.BytesIO()
    wb.save(buffer)
    result = validate_file(buffer.getvalue(), "register.xlsx", "arrangements")
    assert result.ok, result.report.as_rows("en")
    first, second = result.tables["arrangements"].to_dict("records")
    assert first["year_established"] == 2011 and first["org_number"] == "974123456"
    assert first["annual_cost"] == 12_500_000 and first["person_years"] == 14.5
    assert first["agreement_date"] == "2011-03-01" and first["next_review"] == "2026-06-30"
    assert first["exit_clause"] == "yes" and first["notice_months"] == 12
    assert first["host"] == "5035"
    assert second["exit_clause"] == "no" and second["next_review"] == "" and second["annual_cost"] != \
        second["annual_cost"]  # missing stays missing (NaN)
    unreadable = [line for line in result.report.warnings if line.code == "field_unreadable"]
    assert [(line.row, line.column, line.params["value"]) for line in unreadable] == [(3, "K", "snart")]
    unused = [line for line in result.report.warnings if line.code == "column_unused"]
    assert [(line.column, line.params["header"]) for line in unused] == [("N", "Kontaktperson")]


@pytest.mark.parametrize("marker", ["#Ingen samarbeid", "Ingen", "-", "ingen samarbeid.", "Nei"])
def test_no_cooperation_markers_create_nothing(marker):
    data = f"kommune;samarbeidskommuner\nMelhus;{marker}\nSkaun;{marker}\n".encode()
    result = validate_file(data, "none.csv", "arrangements", service_area="ikt")
    assert result.counts["arrangements"] == 0
    assert [line.code for line in result.report.errors] == ["no_data_rows"]


def test_older_member_numbers_are_reported_not_translated_silently():
    # 5030 was Klæbu until 2020; today it lies in 5001 Trondheim
    data = b"navn;kommunenummer\nLegevakt;\"5001, 5030, 5028\"\nPPT;\"5028, 5029\"\n"
    result = validate_file(data, "register.csv", "arrangements", service_area="helse")
    assert result.ok, result.report.as_rows("en")
    assert sorted(_members(result).values()) == [["5001", "5028"], ["5028", "5029"]]
    (line,) = [w for w in result.report.warnings if w.code == "member_number_translated"]
    assert (line.row, line.column) == (2, "B")
    assert line.message("en") == "Municipality number 5030 is an older number and was read as 5001 Trondheim."


def test_one_row_per_municipality_names_columns_it_does_not_read_and_checks_own_name():
    data = (b"Kommunenr;Kommune;Nr;Rolle;Samarbeidskommunenr\n"
            b"5028;Melhus;1;vert;5029\n"
            b"5029;Orkland;2;;5028\n")
    result = validate_file(data, "mapping.csv", "arrangements", service_area="ikt")
    assert result.ok, result.report.as_rows("en")
    assert sorted(_members(result).values()) == [["5028", "5029"]]
    unused = [(w.column, w.params["header"]) for w in result.report.warnings if w.code == "column_unused"]
    assert unused == [("C", "Nr"), ("D", "Rolle")]  # this shape reads no id or role: both named
    (mismatch,) = [w for w in result.report.warnings if w.code == "name_number_mismatch"]
    assert mismatch.row == 3 and mismatch.params["name"] == "Orkland" and mismatch.params["expected"] == "Skaun"


def test_a_partner_column_not_recognised_gives_no_single_member_arrangements():
    data = (b"Kommune;Kommunenr;Samarbeider med hvem\n"
            b"Melhus;5028;Skaun\n"
            b"Skaun;5029;Melhus\n")
    result = validate_file(data, "kartlegging.csv", "arrangements", service_area="ikt")
    assert result.counts["arrangements"] == 0  # never one "arrangement" per municipality
    skipped = [w for w in result.report.warnings if w.code == "single_member_skipped"]
    assert [(w.row, w.params["municipality"]) for w in skipped] == [(2, "5028 Melhus"), (3, "5029 Skaun")]
    unused = [(w.column, w.params["header"]) for w in result.report.warnings if w.code == "column_unused"]
    assert unused == [("C", "Samarbeider med hvem")]
    assert skipped[0].message("en").startswith("The arrangement on this row has only one member municipality")
    # in a membership list, an arrangement of which only one member is listed is left out the same way
    members = b"samarbeid;kommunenummer\nIKT;5028\nIKT;5029\nPPT;5001\n"
    result = validate_file(members, "medlemmer.csv", "arrangements", service_area="ikt")
    assert sorted(_members(result).values()) == [["5028", "5029"]]
    assert [w.row for w in result.report.warnings if w.code == "single_member_skipped"] == [4]
