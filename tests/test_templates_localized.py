"""Templates in the user's language: localized headers, filled in as a user would, imported values.

Each template is downloaded in nb, en and sv, filled in with openpyxl (a number with a
leading zero typed into a text column, a decimal, a formula-looking text), run through
the Data page's path (``validate_file`` then ``datasets.import_result`` into a real
store) and the stored values are compared with what was typed.
"""

import io

import pytest
from openpyxl import load_workbook

from kommunestrategi import datasets
from kommunestrategi.i18n import LANGUAGES, t
from kommunestrategi.io import template_columns, templates
from kommunestrategi.io.importer import validate_file
from kommunestrategi.store import SYSTEM, Store

KINDS = ("indicators", "arrangements", "travel-times")
ALL_IDS = {column for columns in template_columns.COLUMNS.values() for column in columns}
FORMULA_TEXT = "=SUM(E2:E3)"


@pytest.fixture
def store_ws():
    store = Store.open()
    return store, store.ensure_demo_workspace()


def _book(kind: str, lang: str):
    return load_workbook(io.BytesIO(templates.template_xlsx(kind, lang)))


def _save(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _type(sheet, row: int, values: list) -> None:
    """Cells as a user types them: text stays text (also one that starts with '=')."""
    for column, value in enumerate(values, start=1):
        cell = sheet.cell(row=row, column=column, value=value)
        if isinstance(value, str):
            cell.data_type = "s"


def _name(catalogue: str, key: str, ident: str, lang: str) -> str:
    return templates._catalogue_labels(catalogue, key, lang)[ident]


def _import(store, ws, data: bytes, kind: str, lang: str):
    result = validate_file(data, t("data.template.file", lang, kind=kind), kind)
    assert result.ok, result.report.as_rows("en")
    return result, datasets.import_result(store, SYSTEM, ws.id, result)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("kind", KINDS)
def test_header_row_is_the_localized_labels_and_ids_are_on_a_hidden_sheet(kind, lang):
    book = _book(kind, lang)
    data = book["Data"]
    headers = [c.value for c in data[1]]
    assert headers == [t(f"templates.column.{c}", lang) for c in template_columns.COLUMNS[kind]]
    assert not set(headers) & ALL_IDS and not any("_" in h for h in headers)
    assert all(c.data_type == "s" for c in data[1])
    ids = book["Kolonner"]
    assert ids.sheet_state == "hidden"
    assert [[c.value for c in row] for row in ids.iter_rows(min_row=2)] == [
        [letter, label, column] for letter, label, column in
        zip("ABCDEF", headers, template_columns.COLUMNS[kind], strict=False)]
    assert book.sheetnames[1] == t("templates.sheet.instructions", lang)


def test_norwegian_template_shows_no_english_words():
    for kind in KINDS:
        book = _book(kind, "nb")
        visible = [book["Data"], book["Instruksjoner"]]
        text = " ".join(str(c.value) for sheet in visible for row in sheet.iter_rows() for c in row if c.value)
        for word in ("indicator_id", "arrangement_id", "service_area", "legal_form", "members", "minutes",
                     "persons", "Fill in", "The first sheet", "from_kommunenummer"):
            assert word not in text, (kind, word)


@pytest.mark.parametrize("lang", LANGUAGES)
def test_filled_indicator_template_imports_the_typed_values(store_ws, lang):
    store, ws = store_ws
    book = _book("indicators", lang)
    data = book["Data"]
    unit = t("templates.example_unit", lang)
    _type(data, 2, ["0301", "Oslo", "pop_total", 2024, 717710, unit])
    _type(data, 3, ["5001", FORMULA_TEXT, "share_80_plus", 2024, 4.25, ""])
    _type(data, 4, ["0301", "Oslo", "share_80_plus", 2023, 3.5, ""])
    raw = _save(book)
    reread = load_workbook(io.BytesIO(raw))["Data"]
    assert reread["B3"].value == FORMULA_TEXT and reread["B3"].data_type == "s"  # text, never a formula
    assert reread["A2"].value == "0301" and reread["A2"].number_format == "@"
    result, version = _import(store, ws, raw, "indicators", lang)
    assert result.report.lines == []
    assert version.counts["rows"] == 3
    values = datasets.uploaded_indicator_values(store, ws.id)
    got = {(r.kommunenummer, r.indicator_id, int(r.year)): float(r.value) for r in values.itertuples()}
    assert got == {("0301", "pop_total", 2024): 717710.0, ("5001", "share_80_plus", 2024): 4.25,
                   ("0301", "share_80_plus", 2023): 3.5}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_filled_arrangement_template_imports_the_typed_values(store_ws, lang):
    store, ws = store_ws
    book = _book("arrangements", lang)
    data = book["Data"]
    _type(data, 2, ["S1", "Barnevern Oslo og Bærum", _name("service_areas", "service_areas", "barnevern", lang),
                    _name("legal_forms", "forms", "vertskommune_adm", lang), "0301", "0301, 3201"])
    _type(data, 3, ["S2", "IKT Trøndelag", _name("service_areas", "service_areas", "ikt", lang),
                    _name("legal_forms", "forms", "iks", lang), "", "5001, 5035, 0301"])
    raw = _save(book)
    _result, _version = _import(store, ws, raw, "arrangements", lang)
    arrangements, _v = datasets.active_table(store, ws.id, "arrangements", "arrangements")
    members, _v = datasets.active_table(store, ws.id, "arrangements", "arrangement_members")
    rows = {r.arrangement_id: (r.name, r.service_area, r.legal_form, r.host) for r in arrangements.itertuples()}
    assert rows == {"S1": ("Barnevern Oslo og Bærum", "barnevern", "vertskommune_adm", "0301"),
                    "S2": ("IKT Trøndelag", "ikt", "iks", "")}
    got = {(r.arrangement_id, r.kommunenummer, r.role) for r in members.itertuples()}
    assert got == {("S1", "0301", "host"), ("S1", "3201", "member"), ("S2", "5001", "member"),
                   ("S2", "5035", "member"), ("S2", "0301", "member")}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_filled_travel_time_template_imports_the_typed_values(store_ws, lang):
    store, ws = store_ws
    book = _book("travel-times", lang)
    data = book["Data"]
    _type(data, 2, ["0301", "3201", 22.5])
    _type(data, 3, ["3201", "0301", 24])
    _type(data, 4, ["5001", "5035", 35])
    raw = _save(book)
    result, _version = _import(store, ws, raw, "travel-times", lang)
    assert result.report.lines == []
    frame = datasets.active_travel_times(store, ws.id)
    got = {(r.from_kommunenummer, r.to_kommunenummer): float(r.minutes) for r in frame.itertuples()}
    assert got == {("0301", "3201"): 22.5, ("3201", "0301"): 24.0, ("5001", "5035"): 35.0}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_files_with_the_machine_ids_still_import(lang):
    """Older templates and scripts write the machine ids; a template in another language reads too."""
    book = _book("indicators", lang)
    data = book["Data"]
    _type(data, 1, list(template_columns.COLUMNS["indicators"]))
    _type(data, 2, ["0301", "Oslo", "pop_total", 2024, 717710, ""])
    result = validate_file(_save(book), "old.xlsx", "indicators")
    assert result.ok and result.tables["indicator_values"]["value"].tolist() == [717710.0]
