"""PDF export: embedded Unicode font, selectable exact text, page numbers, pages not blank."""

import io
import re
import shutil
import subprocess

import pypdf
import pytest
from PIL import Image, ImageStat

from kommunestrategi.export.document import build_document
from kommunestrategi.export.pdf import render_pdf
from tests.export_samples import ANSWERS, empty_data, full_data


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def _text_without_footers(reader, document) -> str:
    lines = []
    for page in reader.pages:
        lines += [line for line in page.extract_text().splitlines() if not line.startswith(document.footer)]
    return "\n".join(lines)


@pytest.fixture(scope="module")
def full_pdf():
    document = build_document(full_data())
    return document, render_pdf(document)


def test_text_is_selectable_and_holds_every_answer(full_pdf):
    document, data = full_pdf
    reader = pypdf.PdfReader(io.BytesIO(data))
    text = _squash(_text_without_footers(reader, document))
    for answer in ANSWERS:
        assert _squash(answer) in text, answer[:40]


def test_dashes_quotes_and_nordic_letters_survive_on_one_line(full_pdf):
    _document, data = full_pdf
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)
    assert "Æøå ÆØÅ – «sitat» “quotes” ‘single’ — tankestrek" in text


def test_font_is_embedded(full_pdf):
    _document, data = full_pdf
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    descriptors = [f.get_object()["/DescendantFonts"][0].get_object()["/FontDescriptor"] for f in fonts.values()]
    assert all("/FontFile2" in d for d in descriptors)
    assert any("DejaVu" in str(d["/FontName"]) for d in descriptors)


def test_every_page_is_numbered(full_pdf):
    _document, data = full_pdf
    reader = pypdf.PdfReader(io.BytesIO(data))
    total = len(reader.pages)
    assert total > 3
    for n, page in enumerate(reader.pages, start=1):
        assert f"Side {n} av {total}" in page.extract_text()


@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) is not installed")
@pytest.mark.parametrize("data", [full_data(), empty_data()], ids=["full", "empty"])
def test_rendered_pages_are_not_blank(tmp_path, data):
    path = tmp_path / "doc.pdf"
    path.write_bytes(render_pdf(build_document(data)))
    subprocess.run(["pdftoppm", "-r", "30", "-png", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert pages
    for png in pages:
        stat = ImageStat.Stat(Image.open(png).convert("L"))
        assert stat.var[0] > 5, png.name


def test_empty_council_pdf_says_what_is_missing():
    document = build_document(empty_data("en"))
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(render_pdf(document))).pages)
    assert "Missing: the council has not chosen any service areas yet." in _squash_lines(text)


def _squash_lines(text: str) -> str:
    return re.sub(r"\s*\n\s*", " ", text)
