"""Excel templates the secretariat fills in: one per kind of data.

Each workbook has a data sheet (first), an instructions sheet (Norwegian and English), a data sheet with
the headers the importer expects, an example row that imports as it stands, and
dropdowns (data validation) fed from a hidden list sheet: valid municipality
numbers, indicator ids, service areas and legal forms. Boundaries are a file
format (GeoJSON, GeoPackage, zipped Shapefile), so their template is the
instructions alone.
"""

from __future__ import annotations

import io
from functools import lru_cache

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from kommunestrategi import geo
from kommunestrategi.i18n import t
from kommunestrategi.io.arrangements import catalogue_names
from kommunestrategi.io.report import write_text_safe
from kommunestrategi.io.validation import indicator_catalogue

TEMPLATE_KINDS = ("indicators", "arrangements", "travel-times", "boundaries")
DATA_ROWS = 2000

#: Per kind: headers, the example row, and which list feeds which column's dropdown.
SPECS: dict[str, dict] = {
    "indicators": {
        "headers": ["kommunenummer", "kommunenavn", "indicator_id", "year", "value", "unit"],
        "example": ["5001", "Trondheim", "pop_total", 2024, 214565, "persons"],
        "lists": {"A": "numbers", "C": "indicators"},
        "text_columns": "A",
        "widths": [16, 24, 26, 8, 14, 12],
    },
    "arrangements": {
        "headers": ["arrangement_id", "name", "service_area", "legal_form", "host", "members"],
        "example": ["A1", "Barnevernstjenesten i Værnesregionen", "barnevern", "vertskommune_adm", "5035",
                    "5035, 5036, 5037"],
        "lists": {"C": "service_areas", "D": "legal_forms", "E": "numbers"},
        "text_columns": "AEF",
        "widths": [16, 40, 22, 22, 12, 40],
    },
    "travel-times": {
        "headers": ["from_kommunenummer", "to_kommunenummer", "minutes"],
        "example": ["5001", "5035", 35],
        "lists": {"A": "numbers", "B": "numbers"},
        "text_columns": "AB",
        "widths": [22, 22, 10],
    },
}




@lru_cache(maxsize=1)
def _lists() -> dict[str, list[str]]:
    units = geo.load_units()
    numbers = sorted({n for members in units["members_2024"] for n in str(members).split()})
    return {
        "numbers": numbers,
        "indicators": sorted(indicator_catalogue()["indicator_id"].tolist()),
        "service_areas": sorted(set(catalogue_names("service_areas", "service_areas").values())),
        "legal_forms": sorted(set(catalogue_names("legal_forms", "forms").values())),
    }


def _instructions(book: Workbook, kind: str) -> None:
    sheet = book.create_sheet("Instruksjoner")
    sheet.column_dimensions["A"].width = 110
    rows: list[list[object]] = []
    for lang in ("nb", "en"):
        rows.append([t(f"data.template.{kind}.title", lang)])
        for n in range(1, 6):
            key = f"data.template.{kind}.step{n}"
            try:
                rows.append([t(key, lang)])
            except KeyError:
                break
        rows.append([t("data.template.common", lang)])
        rows.append([""])
    write_text_safe(sheet, rows)
    for row in sheet.iter_rows():
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for cell in (sheet["A1"], sheet.cell(row=len(rows) // 2 + 1, column=1)):
        cell.font = Font(bold=True, size=13)


def template_xlsx(kind: str) -> bytes:
    """The template workbook for ``kind`` (one of ``TEMPLATE_KINDS``) as xlsx bytes."""
    if kind not in TEMPLATE_KINDS:
        raise ValueError(f"unknown template kind: {kind}")
    book = Workbook()
    spec = SPECS.get(kind)
    if spec is None:  # boundaries: a file format, so instructions only
        book.remove(book.active)
        _instructions(book, kind)
    else:
        # the data sheet first: some readers (travel times) read the first sheet
        data = book.active
        data.title = "Data"
        _instructions(book, kind)
        write_text_safe(data, [spec["headers"], spec["example"]])
        for cell in data[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F4E79")
        for index, width in enumerate(spec["widths"], start=1):
            data.column_dimensions[get_column_letter(index)].width = width
        data.freeze_panes = "A2"
        lists = book.create_sheet("Lister")
        lists.sheet_state = "hidden"
        for col_index, (name, values) in enumerate(_lists().items(), start=1):
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
                validation.error = "Velg fra listen / choose from the list"
                data.add_data_validation(validation)
                validation.add(f"{column}2:{column}{DATA_ROWS}")
        # text format for number columns so Excel keeps leading zeros (0301)
        for column in spec["text_columns"]:
            for row in range(2, DATA_ROWS + 1):
                data[f"{column}{row}"].number_format = "@"
        book.active = 0
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def template_file_name(kind: str) -> str:
    return f"mal_{kind.replace('-', '_')}.xlsx"
