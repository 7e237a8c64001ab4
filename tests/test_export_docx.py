"""DOCX export: opens in python-docx, real heading styles and tables, answers as plain text."""

import io

import docx

from kommunestrategi.export.document import build_document
from kommunestrategi.export.docx import render_docx
from tests.export_samples import ANSWERS, empty_data, full_data


def _open(data):
    return docx.Document(io.BytesIO(render_docx(build_document(data))))


def _texts(doc):
    texts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return texts


def test_every_answer_is_there_exactly():
    texts = _texts(_open(full_data()))
    for answer in ANSWERS:
        assert answer in texts, answer[:40]


def test_headings_use_word_heading_styles_and_tables_exist():
    doc = _open(full_data())
    styles = {p.style.name for p in doc.paragraphs}
    assert {"Title", "Heading 1", "Heading 2", "Heading 3"} <= styles
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings[0] == "Valgt region eller scenario" and "De sju kriteriene" in headings
    assert len(doc.tables) >= 5
    assert doc.tables[0].style.name == "Table Grid"


def test_map_picture_is_embedded():
    from kommunestrategi.export.static_map import region_map_png

    data = full_data(png=region_map_png(["5035", "5001", "5031"], "5035"))
    doc = _open(data)
    assert len(doc.inline_shapes) == 1


def test_script_is_text_not_markup():
    raw = render_docx(build_document(full_data()))
    import zipfile
    xml = zipfile.ZipFile(io.BytesIO(raw)).read("word/document.xml").decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "<script>" not in xml


def test_empty_council_document_is_valid_and_says_what_is_missing():
    texts = _texts(_open(empty_data()))
    assert any(t.startswith("Mangler:") for t in texts)
    assert "Samarbeidsstrategi for Frosta" in texts
