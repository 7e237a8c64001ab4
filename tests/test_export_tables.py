"""Table layout in the Word and Excel files: widths from the content, figures whole."""

import io

import docx
import openpyxl
from docx.shared import Mm

from kommunestrategi.export.document import MEDIAN_MARK, build_document
from kommunestrategi.export.docx import render_docx
from kommunestrategi.export.layout import ColumnNeed, fit_widths, needs, transpose
from kommunestrategi.export.model import Num, Table
from kommunestrategi.export.xlsx import column_widths, render_xlsx
from tests.export_samples import full_data

NBSP = "\u00a0"


def _chars(text: str, bold: bool) -> float:
    return float(len(text))


def test_a_figure_needs_its_whole_width_and_a_heading_its_longest_word():
    table = Table(["Antall kommuner", "Tekst"], [[Num(14783, f"14{NBSP}783"), "kort ord"]])
    first, second = needs(table.columns, table.rows, _chars, padding=0)
    assert first.least >= len("kommuner")  # the longest heading word, never "Antall kommuner" split inside
    assert first.least >= len(f"14{NBSP}783")
    assert second.least >= len("Tekst")


def test_widths_fill_the_page_and_give_up_when_the_pieces_do_not_fit():
    need = [ColumnNeed(10, 30), ColumnNeed(20, 20), ColumnNeed(5, 50)]
    widths = fit_widths(need, 60)
    assert abs(sum(widths) - 60) < 1e-9
    assert all(w >= n.least for w, n in zip(widths, need, strict=True))
    assert fit_widths(need, 34) is None


def test_transpose_turns_columns_into_rows():
    table = Table(["Område", "Eiermøter", "Frist"], [["Barnevern", "Årlig", "1. mars 2027"]])
    turned = transpose(table)
    assert turned.columns == ["Område", "Barnevern"]
    assert turned.rows == [["Eiermøter", "Årlig"], ["Frist", "1. mars 2027"]]


def test_word_tables_have_fixed_widths_within_the_page():
    document = build_document(full_data())
    doc = docx.Document(io.BytesIO(render_docx(document)))
    key_figures = next(t for t in doc.tables if t.rows[0].cells[0].text == "Indikator")
    widths = [c.width for c in key_figures.rows[0].cells]
    assert all(w is not None for w in widths)
    assert sum(widths) <= Mm(210 - 44) + Mm(1)
    # the figure column is wide enough for the widest figure on one line
    assert "24\u00a0800" in [c.text for c in key_figures.columns[3].cells]


def test_a_wide_word_table_gets_a_landscape_section():
    document = build_document(full_data())
    heads = ["Tjenesteområde"] + [f"Befolkningsframskrivning{i}" for i in range(5)]
    rows = [[f"Område {r}", *(Num(r, str(r)) for _ in range(5))] for r in range(5)]
    document.sections[-1].blocks.append(Table(heads, rows))
    doc = docx.Document(io.BytesIO(render_docx(document)))
    landscape = [s for s in doc.sections if s.page_width > s.page_height]
    assert len(landscape) == 1
    assert doc.sections[-1].page_width < doc.sections[-1].page_height


def test_workbook_columns_fit_their_content_and_medians_keep_their_mark():
    data = full_data()
    data.indicators[0].medians = ["Landet"]
    document = build_document(data)
    sheet = next(s for s in document.sheets if s.name == "Nøkkeltall")
    widths = column_widths(sheet)
    for j, title in enumerate(sheet.columns):
        assert widths[j] >= max(len(w) for w in title.split())
    wb = openpyxl.load_workbook(io.BytesIO(render_xlsx(document)))
    ws = wb["Nøkkeltall"]
    header = [c.value for c in ws[1]]
    cell = ws.cell(row=2, column=header.index("Landet") + 1)
    assert cell.value == 5000
    assert cell.number_format.endswith(f'"{MEDIAN_MARK}"')
