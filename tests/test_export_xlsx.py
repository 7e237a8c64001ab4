"""XLSX export: named sheets, exact answers, figures as numbers, no formulas from user text."""

import io
import zipfile

import openpyxl
import pytest

from kommunestrategi.export.document import build_document
from kommunestrategi.export.xlsx import FORMULA_TRIGGERS, render_xlsx, sheet_title, write_text
from tests.export_samples import ANSWERS, empty_data, full_data


@pytest.fixture(scope="module")
def workbook_bytes():
    return render_xlsx(build_document(full_data()))


def _cells(wb):
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            yield from row


def test_named_sheets(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    assert wb.sheetnames[:5] == ["Oversikt", "Strategi", "Svar", "Advarsler", "Nøkkeltall"]
    assert "Kilder" in wb.sheetnames


def test_every_answer_is_a_text_cell_exactly(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    values = [c.value for c in _cells(wb)]
    for answer in ANSWERS:
        assert answer in values, answer[:40]
    answers = wb["Svar"]
    assert [c.value for c in answers[1]][:5] == ["Tjenesteområde", "#", "Kriterium", "Felt", "Svar"]


def test_no_formula_cells_anywhere(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    assert not [c.coordinate for c in _cells(wb) if c.data_type == "f"]
    with zipfile.ZipFile(io.BytesIO(workbook_bytes)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name)


def test_formula_like_text_gets_the_quote_prefix(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    risky = [c for c in _cells(wb) if isinstance(c.value, str) and c.value.startswith(FORMULA_TRIGGERS)]
    assert {c.value for c in risky} >= {"=SUM(A1)", "+47 22 00 00 00", "@kommune", "-1 ikke et tall"}
    assert all(c.quotePrefix for c in risky)


def test_figures_are_numbers(workbook_bytes):
    wb = openpyxl.load_workbook(io.BytesIO(workbook_bytes))
    figures = wb["Nøkkeltall"]
    assert figures["D2"].value == 24_800 and figures["D2"].data_type == "n"


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "=HYPERLINK(\"http://x\")"])
def test_write_text_never_makes_a_formula(text):
    ws = openpyxl.Workbook().active
    write_text(ws["A1"], text)
    assert ws["A1"].data_type == "s" and ws["A1"].value == text and ws["A1"].quotePrefix


def test_sheet_titles_are_valid_and_unique():
    taken: set[str] = set()
    assert sheet_title("a/b:c*d?e[f]" + "x" * 40, taken) == "a_b_c_d_e_f_" + "x" * 19
    assert sheet_title("Svar", taken) == "Svar"
    assert sheet_title("svar", taken) == "svar (2)"


def test_empty_council_workbook_is_valid():
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(build_document(empty_data()))))
    summary = wb["Oversikt"]
    assert summary["B5"].value.startswith("Ikke påbegynt")
    missing = [row[1].value for row in summary.iter_rows(min_row=6)]
    assert any(m.startswith("Mangler: ingen region") for m in missing)
    assert any("tjenesteområder" in m for m in missing)
    assert wb["Svar"].max_row == 1
