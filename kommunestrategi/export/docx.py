"""The strategy summary as a Word document (python-docx).

Headings use Word's own heading styles and tables the built-in "Table Grid"
style, so the text can be pasted into a case document (saksframlegg) and keeps
its structure. User text is added as runs, never parsed: ``<script>`` and
``=SUM(A1)`` stay plain text.
"""

from __future__ import annotations

import io

from docx import Document as new_docx
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from kommunestrategi.export.document import (
    Block,
    BulletList,
    Document,
    Fields,
    Image,
    Notice,
    Paragraph,
    Section,
    Table,
    clean_text,
)
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


def _table(doc, block: Table) -> None:
    table = doc.add_table(rows=1, cols=len(block.columns))
    table.style = "Table Grid"
    for cell, title in zip(table.rows[0].cells, block.columns, strict=True):
        cell.text = ""
        _add_text(cell.paragraphs[0], title, bold=True)
    # mark the header row so Word repeats it on each page
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)
    for row in block.rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            _add_text(cell.paragraphs[0], str(value))
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
    page.page_width, page.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(page, side, Mm(22))
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
