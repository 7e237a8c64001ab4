"""Reading indicator and arrangement files end to end (``io.importer.validate_file``):
the shapes municipalities and SSB produce, the team's real files, the templates and
the corpus of bad files."""

import io
import json
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from kommunestrategi.io import templates
from kommunestrategi.io.csvfiles import read_csv_grid
from kommunestrategi.io.importer import validate_file
from kommunestrategi.io.report import ImportReport, report_xlsx
from kommunestrategi.io.validation import resolve_regions

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "data" / "bad"
MANIFEST = json.loads((BAD / "manifest.json").read_text(encoding="utf-8"))


def xlsx(rows, sheet="Data"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def values_of(result):
    frame = result.tables["indicator_values"]
    return {(r.kommunenummer, r.indicator_id, r.year): r.value for r in frame.itertuples()}


def test_long_form_csv_semicolon_decimal_comma_and_space_thousands():
    data = (b"kommunenummer;indicator_id;year;value\n301;pop_total;2024;717 710\n"
            b"K-5001;netto_driftsresultat;2023;2,5\n")
    result = validate_file(data, "long.csv")
    assert result.ok, result.report.as_rows("en")
    assert values_of(result) == {("0301", "pop_total", 2024): 717710.0,
                                 ("5001", "netto_driftsresultat", 2023): 2.5}


def test_comma_separated_with_english_decimals_and_tab_separated():
    comma = b"kommunenummer,indicator_id,year,value\n5001,pop_total,2024,\"214,565\"\n0301,x_share,2024,12.5\n"
    tab = b"kommune\tyear\tmy_indicator\n5001 Trondheim\t2024\t1.5\n"
    first = validate_file(comma, "a.csv")
    assert values_of(first)[("0301", "x_share", 2024)] == 12.5
    assert values_of(first)[("5001", "pop_total", 2024)] == 214565
    assert values_of(validate_file(tab, "b.tsv")) == {("5001", "my_indicator", 2024): 1.5}


def test_latin1_and_utf16_are_detected():
    latin = "kommune;år;pop_total\nBodø;2024;1\nTromsø;2024;2\n".encode("cp1252")
    result = validate_file(latin, "latin.csv")
    assert result.ok and set(result.tables["indicator_values"]["kommunenummer"]) == {"1804", "5501"}
    utf16 = "kommune;år;pop_total\nBodø;2024;1\n".encode("utf-16")
    assert validate_file(utf16, "u16.csv").counts["rows"] == 1


def test_ssb_statistikkbanken_csv_with_title_and_year_columns():
    data = ('"07459: Befolkning, etter region, statistikkvariabel og år"\n\n'
            '"region";"Personer 2022";"Personer 2023"\n'
            '"3001 Halden";31444;31595\n"5001 Trondheim";..;212660\n"0 Hele landet";5425270;5488984\n'
            '"K-21-22 Svalbard og Jan Mayen";2;3\n').encode("cp1252")
    result = validate_file(data, "07459.csv")
    assert result.ok
    got = values_of(result)
    assert got[("3101", "pop_total", 2022)] == 31444
    assert ("5001", "pop_total", 2022) not in got  # ".." is missing, not zero
    assert got[("5001", "pop_total", 2023)] == 212660
    codes = [line.code for line in result.report.lines]
    assert codes.count("aggregate_skipped") == 2
    assert "missing_values" in codes and "old_numbers_translated" in codes


def test_ssb_long_csv_with_variable_year_and_value_columns():
    data = ('"region";"statistikkvariabel";"år";"07459: Befolkning"\n'
            '"K-5001 Trondheim";"Personer";"2022";"210 496"\n"K-0301 Oslo";"Personer";"2022";"699 827"\n').encode()
    result = validate_file(data, "long_ssb.csv")
    assert result.ok
    assert values_of(result)[("0301", "pop_total", 2022)] == 699827


def test_ssb_xlsx_with_several_header_rows_and_merged_label():
    book = Workbook()
    ws = book.active
    ws.append(["12362: Kommunale nøkkeltall"])
    ws.append([])
    ws.append([None, "Netto driftsresultat", None])
    ws.append([None, "2022", "2023"])
    ws.append(["5001 Trondheim", 1.5, "2,5"])
    ws.append(["0301 Oslo", -0.5, ":"])
    ws.merge_cells("B3:C3")
    out = io.BytesIO()
    book.save(out)
    result = validate_file(out.getvalue(), "12362.xlsx")
    assert result.ok, result.report.as_rows("en")
    got = values_of(result)
    assert got[("5001", "netto_driftsresultat", 2023)] == 2.5
    assert got[("0301", "netto_driftsresultat", 2022)] == -0.5


def test_wide_by_indicator_xlsx_with_numeric_codes_and_names():
    result = validate_file(xlsx([["kommunenummer", "kommunenavn", "year", "pop_total", "area_km2"],
                                 [301, "Oslo", 2024, 717710, 454.1], ["Hattfjelldal", None, 2024, 1200, 2600]]),
                           "wide.xlsx")
    assert result.ok
    assert result.counts["indicators"] == ["area_km2", "pop_total"]
    assert values_of(result)[("1826", "pop_total", 2024)] == 1200


def test_indicator_and_year_can_be_given_for_bare_files():
    data = b"kommunenummer;verdi\n5001;3\n"
    assert not validate_file(data, "bare.csv").ok
    result = validate_file(data, "bare.csv", indicator_id="my_ind", year=2024)
    assert values_of(result) == {("5001", "my_ind", 2024): 3.0}


def test_identical_duplicates_warn_and_count_once():
    data = b"kommunenummer;indicator_id;year;value\n5001;pop_total;2024;5\n5001;pop_total;2024;5\n"
    result = validate_file(data, "dup.csv")
    assert result.ok and result.counts["rows"] == 1
    assert [line.code for line in result.report.lines] == ["duplicate_row"]


def test_haram_and_alesund_are_added_into_one_map_unit():
    data = b"kommunenummer;indicator_id;year;value\n1508;pop_total;2024;60000\n1580;pop_total;2024;9000\n"
    result = validate_file(data, "ha.csv")
    assert result.ok
    assert values_of(result) == {("1508", "pop_total", 2024): 69000.0}


def test_report_names_sheet_row_column_and_suggestion():
    result = validate_file(xlsx([["kommunenummer", "indicator_id", "year", "value"],
                                 ["5001", "pop_total", 2024, 1], ["Trondhjem", "pop_total", 2024, 2],
                                 ["0301", "pop_total", 2024, "mye"]], sheet="Ark1"), "rep.xlsx")
    assert not result.ok
    unknown = next(line for line in result.report.lines if line.code.startswith("unknown_municipality"))
    assert (unknown.sheet, unknown.row, unknown.suggestion) == ("Ark1", 3, "5001 Trondheim")
    assert "Did you mean 5001 Trondheim?" in unknown.message("en")
    bad = next(line for line in result.report.lines if line.code == "not_a_number")
    assert (bad.row, bad.column) == (4, "D")


def test_long_reports_are_capped_with_a_summary_line():
    rows = "".join(f"5001;pop_total;{2000 + i};x\n" for i in range(60))
    result = validate_file(("kommunenummer;indicator_id;year;value\n" + rows).encode(), "many.csv")
    codes = [line.code for line in result.report.lines]
    assert codes.count("not_a_number") == 20
    summary = next(line for line in result.report.lines if line.code == "more_lines")
    assert summary.params["count"] == 40


def rezip(workbook: bytes, edit=lambda name, content: content, extra: dict | None = None) -> bytes:
    """The workbook's zip rewritten with ``edit`` applied to each part and ``extra`` parts added."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info, edit(info.filename, source.read(info)))
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return out.getvalue()


def test_formula_with_cached_value_is_read_with_a_warning():
    good = xlsx([["kommunenummer", "indicator_id", "year", "value"], ["5001", "pop_total", 2024, 7]])

    def with_formula(name, content):
        if name == "xl/worksheets/sheet1.xml":
            content = content.replace(b'<c r="D2" t="n"><v>7</v></c>', b'<c r="D2"><f>3+4</f><v>7</v></c>')
            assert b"<f>" in content
        return content

    result = validate_file(rezip(good, with_formula), "cached.xlsx")
    assert result.ok
    assert values_of(result) == {("5001", "pop_total", 2024): 7.0}
    assert [line.code for line in result.report.lines] == ["formulas_cached"]


# --- arrangements -----------------------------------------------------------------

def test_arrangements_one_row_per_membership_with_roles():
    data = ("arrangement_id;name;kommunenummer;role\nB1;Barnevern Værnes;5035;vert\nB1;Barnevern Værnes;5036;medlem\n"
            "B1;Barnevern Værnes;5037;medlem\nB2;IKT;5001;\nB2;IKT;301;\n").encode()
    result = validate_file(data, "members.csv", "arrangements")
    assert result.ok, result.report.as_rows("en")
    members = result.tables["arrangement_members"]
    assert len(result.tables["arrangements"]) == 2 and len(members) == 5
    host = members[members["role"] == "host"]
    assert host[["arrangement_id", "kommunenummer"]].values.tolist() == [["B1", "5035"]]


def test_arrangements_comma_list_with_host():
    data = 'name;host;members\nLegevakt;Stjørdal;"5035,5036 , 5037"\n'.encode()
    result = validate_file(data, "list.csv", "arrangements")
    assert result.ok
    members = result.tables["arrangement_members"].set_index("kommunenummer")["role"].to_dict()
    assert members == {"5035": "host", "5036": "member", "5037": "member"}


# --- the team's real files ------------------------------------------------------------

def test_real_ssb_jsonstat_population(real_data):
    name = "ssb_07459_folketall_2022.jsonstat.json"
    result = validate_file((real_data / name).read_bytes(), name)
    assert result.ok, result.report.as_rows("en")
    values = result.tables["indicator_values"]
    assert values["kommunenummer"].nunique() == 356
    assert values["value"].sum() == 5_425_270
    assert set(values["indicator_id"]) == {"pop_total"}
    skipped = {line.params["value"] for line in result.report.lines if line.code == "aggregate_skipped"}
    assert skipped == {"K-21-22", "K-23", "K-Rest"}


def test_real_bufdir_child_welfare_list(real_data):
    name = "bufdir_interkommunale_barnevernsamarbeid_2023.csv"
    result = validate_file((real_data / name).read_bytes(), name, "arrangements")
    assert result.ok, result.report.as_rows("en")
    assert result.counts["arrangements"] == 64
    assert result.counts["memberships"] == 204


def test_real_klass131_latin1_csv_reads(real_data):
    report = ImportReport("klass.csv")
    rows = read_csv_grid((real_data / "ssb_klass131_kommuner_2020.csv").read_bytes(), report)
    assert rows[0][:4] == ["code", "parentCode", "level", "name"]
    names = {row[3] for row in rows[1:]}
    assert {"Båtsfjord", "Sør-Varanger", "Ålesund"} <= names
    import pandas as pd
    kinds = resolve_regions(pd.Series([row[0] for row in rows[1:]], dtype=object))["kind"]
    assert (kinds == "unit").sum() == 356 and (kinds == "aggregate").sum() == 1  # 9999 Uoppgitt


# --- templates ----------------------------------------------------------------------

@pytest.mark.parametrize("kind", ["indicators", "arrangements", "travel-times"])
def test_filled_template_imports_without_edits(kind):
    data = templates.template_xlsx(kind)
    result = validate_file(data, templates.template_file_name(kind), kind)
    assert result.ok, result.report.as_rows("en")
    assert result.report.lines == []


def test_template_has_instructions_headers_dropdowns_and_example():
    book = load_workbook(io.BytesIO(templates.template_xlsx("indicators")))
    assert book.sheetnames[:2] == ["Data", "Instruksjoner"]
    assert book["Lister"].sheet_state == "hidden"
    data = book["Data"]
    assert [c.value for c in data[1]] == ["Kommunenummer", "Kommunenavn", "Indikator", "År", "Verdi", "Enhet"]
    assert data["A2"].value == "5001"
    formulas = {dv.formula1 for dv in data.data_validations.dataValidation}
    assert any("$A$" in f for f in formulas) and any("$B$" in f for f in formulas)
    numbers = [c.value for c in book["Lister"]["A"][1:] if c.value]
    assert "0301" in numbers and "5001" in numbers and len(numbers) == 357
    text = " ".join(str(c.value) for c in book["Instruksjoner"]["A"] if c.value)
    assert "Kommunenummer" in text and "Fyll inn" in text


def test_boundary_template_is_instructions_only():
    book = load_workbook(io.BytesIO(templates.template_xlsx("boundaries")))
    assert book.sheetnames == ["Instruksjoner"]


# --- the report as xlsx -------------------------------------------------------------

def test_report_xlsx_keeps_injection_strings_as_text():
    result = validate_file((BAD / "csv_injection_values.csv").read_bytes(), "inj.csv")
    report = ImportReport("=cmd.csv", list(result.report.lines))
    report.error("unknown_municipality", row=2, value='=HYPERLINK("http://evil.example")')
    book = load_workbook(io.BytesIO(report_xlsx(report, "en")))
    cells = [c for row in book.active.iter_rows() for c in row if c.value is not None]
    assert all(c.data_type != "f" for c in cells)
    assert any(str(c.value).startswith("=") for c in cells)  # shown as typed, never run
    assert book.active["A1"].value == "File"


# --- the bad files ------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_bad_file_gives_a_clear_report_line(name):
    expected = MANIFEST[name]
    result = validate_file((BAD / name).read_bytes(), name, expected["kind"])
    lines = [(line.severity, line.code) for line in result.report.lines]
    assert (expected["severity"], expected["code"]) in lines
    for line in result.report.lines:
        assert line.message("nb") and line.message("en") and line.message("sv")
    if expected["severity"] == "error":
        assert not result.ok


def test_the_corpus_is_large_enough_and_up_to_date():
    assert len(MANIFEST) >= 30
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_bad_files

    assert sorted(make_bad_files.bad_files()) == sorted(MANIFEST)


def test_big_bad_files_are_rejected_before_parsing(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import make_bad_files

    for name, (path, kind, code, severity) in make_bad_files.make_big_files(tmp_path).items():
        result = validate_file(path.read_bytes(), name, kind)
        assert (severity, code) in [(line.severity, line.code) for line in result.report.lines], name
        assert not result.ok
        path.unlink()


def test_real_2024_boundaries_validate_as_357_municipalities(real_data):
    name = "kartverket_kommuner_2024_small.geojson"
    result = validate_file((real_data / name).read_bytes(), name, "boundaries")
    assert result.ok, result.report.as_rows("en")
    assert result.counts == {"rows": 357, "municipalities": 357}
    assert list(result.tables) == ["boundaries"]
    assert {"kommunenummer", "name", "geometry_wkb"} <= set(result.tables["boundaries"].columns)


def test_row_limit_is_configurable(monkeypatch):
    monkeypatch.setenv("KOMMUNESTRATEGI_MAX_ROWS", "3")
    rows = "".join(f"5001;pop_total;{2000 + i};1\n" for i in range(5))
    result = validate_file(("kommunenummer;indicator_id;year;value\n" + rows).encode(), "rows.csv")
    assert not result.ok
    assert [line.code for line in result.report.errors] == ["too_many_rows"]


def test_zip_with_a_lying_size_header_is_rejected_as_damaged():
    """Unpacking stops at the declared size; the checksum then fails: no bomb gets through."""
    good = xlsx([["kommunenummer", "indicator_id", "year", "value"], ["5001", "pop_total", 2024, 1]])
    data = bytearray(rezip(good, extra={"xl/media/big.bin": b"\0" * (8 * 1024 * 1024)}))
    # shrink the declared uncompressed size of the last member in both headers to 10 bytes
    name = b"xl/media/big.bin"
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = data.rfind(signature, 0, data.rfind(name))
        data[start + offset:start + offset + 4] = (10).to_bytes(4, "little")
    result = validate_file(bytes(data), "lying.xlsx")
    assert not result.ok
    assert [line.code for line in result.report.errors] == ["truncated"]


def test_number_column_wins_over_an_ambiguous_name_column():
    data = "kommune;kommunenummer;year;pop_total\nHerøy;1818;2024;1700\nHerøy;1515;2024;8900\n".encode()
    result = validate_file(data, "heroy.csv")
    assert result.ok, result.report.as_rows("en")
    assert values_of(result) == {("1818", "pop_total", 2024): 1700.0, ("1515", "pop_total", 2024): 8900.0}


def test_service_areas_and_legal_forms_become_catalogue_ids():
    data = (b"name;service_area;legal_form;members\nA;Barnevern;Administrativt vertskommunesamarbeid;\"5035, 5036\"\n"
            b"B;Sjakk;Klubb;\"5001, 0301\"\n")
    result = validate_file(data, "forms.csv", "arrangements")
    assert result.ok
    rows = result.tables["arrangements"][["service_area", "legal_form"]].values.tolist()
    assert rows == [["barnevern", "vertskommune_adm"], ["Sjakk", "Klubb"]]
    assert sorted(line.code for line in result.report.warnings) == ["unknown_legal_form", "unknown_service_area"]
