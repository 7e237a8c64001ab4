"""Travel-time files: matrix and long form, CSV and xlsx, validated."""

from __future__ import annotations

import io

import openpyxl
import pytest

from kommunestrategi.io.travel import read_travel_times, symmetric_minutes

MATRIX_CSV = (
    "Fra/til;5001 Trondheim;Malvik;K-5028;Trøndelag\r\n"
    "5001 Trondheim;0;20;45,5;\r\n"
    "Malvik;21;0;1:05;\r\n"
    "5028;46;64;0;\r\n"
).encode("cp1252")


def _pairs(frame) -> dict[tuple[str, str], float]:
    return {(a, b): m for a, b, m in frame.itertuples(index=False)}


def test_matrix_csv_with_names_numbers_and_hours():
    frame, report = read_travel_times(MATRIX_CSV, "reisetider.csv")
    assert report.ok, report.as_rows("en")
    assert list(frame.columns) == ["from_kommunenummer", "to_kommunenummer", "minutes"]
    assert frame.attrs["layout"] == "matrix"
    pairs = _pairs(frame)
    assert pairs == {("5001", "5031"): 20, ("5001", "5028"): 45.5, ("5031", "5001"): 21,
                     ("5031", "5028"): 65, ("5028", "5001"): 46, ("5028", "5031"): 64}
    codes = [line.code for line in report.warnings]
    assert "travel_aggregates_skipped" in codes  # the county column
    square = symmetric_minutes(frame)
    assert square.loc["5001", "5031"] == 20.5


def test_long_form_translates_2020_numbers_and_restores_zeros():
    data = (b"fra,til,minutter\n301,3201,25\n3002,3005,40\n3005,3002,41\n")
    frame, report = read_travel_times(data, "lang.csv")
    assert report.ok and frame.attrs["layout"] == "long"
    # 3002 Moss and 3005 Drammen are 2020 numbers (3103 and 3301 since 2024); 0301 Oslo gets its zero
    assert _pairs(frame) == {("0301", "3201"): 25, ("3103", "3301"): 40, ("3301", "3103"): 41}


def test_xlsx_matrix(tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Reisetid"
    sheet.append([])
    sheet.append([None, "Kommune", "0301", "3201"])
    sheet.append([None, "0301", 0, 22])
    sheet.append([None, "3201", 24.5, 0])
    buffer = io.BytesIO()
    book.save(buffer)
    frame, report = read_travel_times(buffer.getvalue(), "reisetid.xlsx")
    assert report.ok, report.as_rows("en")
    assert _pairs(frame) == {("0301", "3201"): 22, ("3201", "0301"): 24.5}


@pytest.mark.parametrize(("text", "code", "row", "column"), [
    ("fra;til;minutter\n5001;5031;20\n5001;5031;25\n", "travel_conflict", 3, "minutter"),
    ("fra;til;minutter\n5001;5031;-5\n", "travel_implausible", 2, "minutter"),
    ("fra;til;minutter\n5001;5031;3000\n", "travel_implausible", 2, "minutter"),
    ("fra;til;minutter\n5001;5031;langt\n", "travel_not_a_time", 2, "minutter"),
    ("fra;til;minutter\n5001;5031;0\n", "travel_zero", 2, "minutter"),
    ("fra;til;minutter\n5001;Malvk;20\n", "travel_unknown_municipality", 2, "til"),
    ("a;b;c\nx;y;z\n", "travel_layout", None, None),
    ("fra;til;minutter\n", "travel_empty", None, None),
])
def test_bad_rows_block_the_import(text, code, row, column):
    frame, report = read_travel_times(text.encode(), "bad.csv")
    assert frame is None
    line = report.errors[0]
    assert (line.code, line.row, line.column) == (code, row, column)
    assert line.message("en") and line.message("sv")


def test_unknown_name_suggests_the_closest_municipality():
    frame, report = read_travel_times(b"fra;til;minutter\n5001;Malvk;20\n", "x.csv")
    assert report.errors[0].suggestion == "5031 Malvik"


def test_diagonal_and_empty_cells_are_warnings():
    data = b"Kommune;5001;5031\n5001;3;20\n5031;;0\n"
    frame, report = read_travel_times(data, "m.csv")
    assert report.ok and _pairs(frame) == {("5001", "5031"): 20}
    assert sorted(line.code for line in report.warnings) == ["travel_diagonal", "travel_empty_cells"]


def test_not_a_table_file_is_refused():
    frame, report = read_travel_times(b"\x00\x01\x02 binary", "x.csv")
    assert frame is None and report.errors
