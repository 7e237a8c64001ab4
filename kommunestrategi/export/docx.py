"""The strategy summary as a Word document (python-docx).

Headings use Word's own heading styles and tables the built-in "Table Grid"
style, so the text can be pasted into a case document (saksframlegg) and keeps
its structure. User text is added as runs, never parsed: ``<script>`` and
``=SUM(A1)`` stay plain text.
"""

from __future__ import annotations

import io
from functools import lru_cache

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from fpdf import FPDF

from kommunestrategi.export import layout
from kommunestrategi.export.document import (
    Block,
    BulletList,
    Document,
    Fields,
    Image,
    Notice,
    Num,
    Paragraph,
    Section,
    Table,
    clean_text,
)
from kommunestrategi.export.pdf import font_files
from kommunestrategi.i18n import t

_NOTICE_COLOURS = {"missing": RGBColor(0x9A, 0x5B, 0x00), "warning": RGBColor(0xB0, 0x1E, 0x1E),
                   "info": RGBColor(0x44, 0x55, 0x66)}


def _add_text(paragraph, text: str, bold: bool = False, italic: bool = False):
    """Add ``text`` as runs, keeping line breaks and tabs as Word breaks and tabs."""
    run = paragraph.add_run(clean_text(text))
    run.bold = bold
    run.italic = italic
    return run


def _page_number_field(paragraph) -> None:
    """A PAGE field, so Word numbers the pages itself."""
    run = paragraph.add_run()
    for tag, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if tag:
            el = OxmlElement("w:fldChar")
            el.set(qn("w:fldCharType"), tag)
        else:
            el = OxmlElement("w:instrText")
            el.set(qn("xml:space"), "preserve")
            el.text = text
        run._r.append(el)


#: Table text sizes tried (pt, largest first) and cell padding (mm, Word's default left/right cell margin).
_TABLE_SIZES = (9.0, 8.0, 7.0)
_CELL_PADDING = 1.9
_PAGE_SHORT, _PAGE_LONG, _MARGIN = 210, 297, 22


@lru_cache(maxsize=1)
def _measurer() -> FPDF:
    """DejaVu Sans metrics (wider than Word's default fonts, so widths are on the safe side)."""
    pdf = FPDF(unit="mm")
    for style, path in font_files().items():
        pdf.add_font("DejaVu", style, str(path))
    return pdf


@lru_cache(maxsize=50_000)
def _width(text: str, bold: bool, size: float) -> float:
    pdf = _measurer()
    pdf.set_font("DejaVu", "B" if bold else "", size)
    return pdf.get_string_width(text)


def _layout(block: Table, available: float, size: float) -> list[float] | None:
    def measure(text: str, bold: bool) -> float:
        return _width(text, bold, size)
    return layout.fit_widths(layout.needs(block.columns, block.rows, measure, _CELL_PADDING), available)


def _orient(doc, landscape: bool) -> None:
    """Start a new page in portrait or landscape (a new Word section)."""
    section = doc.add_section(WD_SECTION.NEW_PAGE)
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    long_side, short_side = Mm(_PAGE_LONG), Mm(_PAGE_SHORT)
    section.page_width, section.page_height = (long_side, short_side) if landscape else (short_side, long_side)


def _table(doc, block: Table) -> None:
    """A table whose widths follow its content (figures and headings whole); turned when
    it is too wide and has few rows, else on a landscape page."""
    portrait, wide = _PAGE_SHORT - 2 * _MARGIN, _PAGE_LONG - 2 * _MARGIN
    for size in _TABLE_SIZES:
        widths = _layout(block, portrait, size)
        if widths:
            return _draw_table(doc, block, widths, size)
        if len(block.rows) <= layout.TRANSPOSE_MAX_ROWS:
            turned = layout.transpose(block)
            widths = _layout(turned, portrait, size)
            if widths:
                return _draw_table(doc, turned, widths, size)
        widths = _layout(block, wide, size)
        if widths:
            _orient(doc, landscape=True)
            _draw_table(doc, block, widths, size)
            return _orient(doc, landscape=False)
    return _draw_table(doc, block, None, _TABLE_SIZES[-1])


def _draw_table(doc, block: Table, widths: list[float] | None, size: float) -> None:
    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    if widths:
        table.autofit = False
        layout_el = OxmlElement("w:tblLayout")
        layout_el.set(qn("w:type"), "fixed")
        table._tbl.tblPr.append(layout_el)
    numeric = [bool(block.rows) and all(isinstance(r[j], Num) for r in block.rows)
               for j in range(len(block.columns))]
    for cell, title in zip(table.rows[0].cells, block.columns, strict=True):
        cell.text = ""
        _add_text(cell.paragraphs[0], title, bold=True).font.size = Pt(size)
    # mark the header row so Word repeats it on each page
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    for row in block.rows:
        cells = table.add_row().cells
        for j, (cell, value) in enumerate(zip(cells, row, strict=True)):
            _add_text(cell.paragraphs[0], str(value)).font.size = Pt(size)
            if numeric[j]:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if widths:
        for j, width in enumerate(widths):
            table.columns[j].width = Mm(width)
            for cell in table.columns[j].cells:
                cell.width = Mm(width)
    if block.caption:
        para = doc.add_paragraph(style="Caption")
        _add_text(para, block.caption)


def _block(doc, block: Block) -> None:
    if isinstance(block, Paragraph):
        para = doc.add_paragraph()
        run = _add_text(para, block.text)
        if block.style == "note":
            run.font.size = Pt(9)
    elif isinstance(block, BulletList):
        for item in block.items:
            _add_text(doc.add_paragraph(style="List Bullet"), item)
    elif isinstance(block, Fields):
        for label, value in block.items:
            para = doc.add_paragraph()
            para.paragraph_format.space_after = Pt(0)
            para.paragraph_format.keep_with_next = True
            _add_text(para, label, bold=True)
            _add_text(doc.add_paragraph(), value)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Image):
        doc.add_picture(io.BytesIO(block.png), width=Mm(block.width_mm))
        _add_text(doc.add_paragraph(style="Caption"), block.caption)
    elif isinstance(block, Notice):
        para = doc.add_paragraph()
        run = _add_text(para, block.text, italic=block.kind != "warning", bold=block.kind == "warning")
        run.font.color.rgb = _NOTICE_COLOURS.get(block.kind, _NOTICE_COLOURS["info"])


def _section(doc, section: Section) -> None:
    doc.add_heading(clean_text(section.title), level=section.level)
    for block in section.blocks:
        _block(doc, block)
    for sub in section.subsections:
        _section(doc, sub)


def render_docx(document: Document) -> bytes:
    """The document as DOCX bytes."""
    doc = new_docx()
    page = doc.sections[0]
    page.orientation = WD_ORIENT.PORTRAIT
    page.page_width, page.page_height = Mm(_PAGE_SHORT), Mm(_PAGE_LONG)
    for side in ("left_margin", "right_margin"):
        setattr(page, side, Mm(_MARGIN))
    props = doc.core_properties
    props.title = clean_text(document.title)
    props.subject = clean_text(document.subtitle)
    props.author = "kommunestrategi"
    props.language = {"nb": "nb-NO", "en": "en-GB", "sv": "sv-SE"}[document.lang]

    footer = page.footer.paragraphs[0]
    _add_text(footer, f"{document.footer} – {t('export.page_label', document.lang)} ")
    _page_number_field(footer)

    doc.add_paragraph(clean_text(document.title), style="Title")
    _add_text(doc.add_paragraph(style="Subtitle"), document.subtitle)
    table = doc.add_table(rows=0, cols=2)
    table.style = "Table Grid"
    for label, value in document.title_rows:
        cells = table.add_row().cells
        _add_text(cells[0].paragraphs[0], label, bold=True)
        _add_text(cells[1].paragraphs[0], value)
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)

    for section in document.sections:
        _section(doc, section)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
