"""Excel templates the secretariat fills in: one per kind of data, in the user's language.

Each workbook has a data sheet (first) whose header row shows the columns'
labels in the user's language (``io.template_columns``; the readers accept the
labels of every language), an example row that imports as it stands, an
instructions sheet, dropdowns (data validation) fed from a hidden list sheet
(valid municipality numbers, indicator ids, service areas and legal forms by
name), and a hidden sheet ``Kolonner`` pairing each label with its machine id.
Boundaries are a file format (GeoJSON, GeoPackage, zipped Shapefile), so their
template is the instructions alone.
"""

from __future__ import annotations

import io
from functools import lru_cache

import yaml
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kommunestrategi import geo
from kommunestrategi.config import PACKAGE_DIR
from kommunestrategi.i18n import DEFAULT_LANGUAGE, normalise_language, t
from kommunestrategi.io import template_columns
from kommunestrategi.io.report import write_text_safe
from kommunestrategi.io.validation import indicator_catalogue

TEMPLATE_KINDS = ("indicators", "arrangements", "travel-times", "boundaries")
DATA_ROWS = 2000

#: Per kind: the example row, and which list feeds which column's dropdown (headers: ``template_columns``).
#: ``{unit}``, ``{service_area}`` and ``{legal_form}`` in the example are written in the user's language.
SPECS: dict[str, dict] = {
    "indicators": {
        "example": ["5001", "Trondheim", "pop_total", 2024, 214565, "{unit}"],
        "lists": {"A": "numbers", "C": "indicators"},
        "text_columns": "A",
        "widths": [16, 24, 26, 8, 14, 12],
    },
    "arrangements": {
        "example": ["A1", "Barnevernstjenesten i Værnesregionen", "{service_area}", "{legal_form}", "5035",
                    "5035, 5036, 5037"],
        "lists": {"C": "service_areas", "D": "legal_forms", "E": "numbers"},
        "text_columns": "AEF",
        "widths": [16, 40, 22, 22, 12, 40],
    },
    "travel-times": {
        "example": ["5001", "5035", 35],
        "lists": {"A": "numbers", "B": "numbers"},
        "text_columns": "AB",
        "widths": [22, 22, 10],
    },
}
#: The example arrangement's service area and legal form (catalogue ids, shown by name).
EXAMPLE_IDS = {"service_area": ("service_areas", "service_areas", "barnevern"),
               "legal_form": ("legal_forms", "forms", "vertskommune_adm")}


@lru_cache(maxsize=4)
def _catalogue_labels(name: str, key: str, lang: str) -> dict[str, str]:
    """Catalogue id -> its name in ``lang`` (the id where it has none), e.g. service areas."""
    path = PACKAGE_DIR / "catalogues" / f"{name}.yaml"
    entries = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get(key, []) if path.exists() else []
    out: dict[str, str] = {}
    for entry in entries:
        if isinstance(entry, dict) and "id" in entry:
            names = entry.get("name") if isinstance(entry.get("name"), dict) else {}
            out[str(entry["id"])] = str(names.get(lang) or entry["id"])
    return out


@lru_cache(maxsize=3)
def _lists(lang: str = DEFAULT_LANGUAGE) -> dict[str, list[str]]:
    units = geo.load_units()
    numbers = sorted({n for members in units["members_2024"] for n in str(members).split()})
    return {
        "numbers": numbers,
        "indicators": sorted(indicator_catalogue()["indicator_id"].tolist()),
        "service_areas": sorted(set(_catalogue_labels("service_areas", "service_areas", lang).values())),
        "legal_forms": sorted(set(_catalogue_labels("legal_forms", "forms", lang).values())),
    }


def _example(kind: str, lang: str) -> list[object]:
    fill = {"unit": t("templates.example_unit", lang)}
    for column, (name, key, ident) in EXAMPLE_IDS.items():
        fill[column] = _catalogue_labels(name, key, lang).get(ident, ident)
    return [value.format(**fill) if isinstance(value, str) and value.startswith("{") else value
            for value in SPECS[kind]["example"]]


def _instructions(book: Workbook, kind: str, lang: str) -> None:
    sheet = book.create_sheet(t("templates.sheet.instructions", lang))
    sheet.column_dimensions["A"].width = 110
    prefix = "data.template" if kind == "boundaries" else "templates"
    rows: list[list[object]] = [[t(f"data.template.{kind}.title", lang)]]
    for n in range(1, 6):
        try:
            rows.append([t(f"{prefix}.{kind}.step{n}", lang)])
        except KeyError:
            break
    rows.append([t("templates.common", lang)])
    write_text_safe(sheet, rows)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet["A1"].font = Font(bold=True, size=13)


def _column_ids(book: Workbook, kind: str, lang: str) -> None:
    """The hidden sheet ``Kolonner``: each column's letter, its label and its machine id."""
    sheet = book.create_sheet("Kolonner")
    sheet.sheet_state = "hidden"
    rows: list[list[object]] = [["column", "label", "id"]]
    for index, column in enumerate(template_columns.COLUMNS[kind], start=1):
        rows.append([get_column_letter(index), template_columns.label(column, lang), column])
    write_text_safe(sheet, rows)


def template_xlsx(kind: str, lang: str = DEFAULT_LANGUAGE) -> bytes:
    """The template workbook for ``kind`` (one of ``TEMPLATE_KINDS``) in ``lang`` as xlsx bytes."""
    if kind not in TEMPLATE_KINDS:
        raise ValueError(f"unknown template kind: {kind}")
    lang = normalise_language(lang)
    book = Workbook()
    spec = SPECS.get(kind)
    if spec is None:  # boundaries: a file format, so instructions only
        book.remove(book.active)
        _instructions(book, kind, lang)
    else:
        # the data sheet first: some readers (travel times) read the first sheet
        data = book.active
        data.title = "Data"
        _instructions(book, kind, lang)
        write_text_safe(data, [template_columns.labels(kind, lang), _example(kind, lang)])
        for cell in data[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F4E79")
        for index, width in enumerate(spec["widths"], start=1):
            data.column_dimensions[get_column_letter(index)].width = width
        data.freeze_panes = "A2"
        lists = book.create_sheet("Lister")
        lists.sheet_state = "hidden"
        for col_index, (name, values) in enumerate(_lists(lang).items(), start=1):
            letter = get_column_letter(col_index)
            lists.cell(row=1, column=col_index, value=name)
            for row_index, value in enumerate(values, start=2):
                lists.cell(row=row_index, column=col_index, value=value).data_type = "s"
            for column, list_name in spec["lists"].items():
                if list_name != name or not values:
                    continue
                validation = DataValidation(
                    type="list", formula1=f"=Lister!${letter}$2:${letter}${len(values) + 1}",
                    allow_blank=True, showErrorMessage=list_name not in ("numbers", "indicators"))
                validation.error = t("templates.choose_from_list", lang)
                data.add_data_validation(validation)
                validation.add(f"{column}2:{column}{DATA_ROWS}")
        # text format for number columns so Excel keeps leading zeros (0301)
        for column in spec["text_columns"]:
            for row in range(2, DATA_ROWS + 1):
                data[f"{column}{row}"].number_format = "@"
        _column_ids(book, kind, lang)
        book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_file_name(kind: str) -> str:
    return f"mal_{kind.replace('-', '_')}.xlsx"
