"""The strategy summary as PDF (fpdf2) with an embedded Unicode font.

The core PDF fonts know Latin-1 only, so dashes, typographic quotes and many
names would be lost; DejaVu Sans (shipped with matplotlib) is embedded instead.
The text stays selectable and searchable, every page carries its number, and
the chapters appear as bookmarks in the reader's outline.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import Align, WrapMode, XPos, YPos
from fpdf.fonts import FontFace

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
from kommunestrategi.i18n import t

FONT = "DejaVu"
_NOTICE_COLOURS = {"missing": (154, 91, 0), "warning": (176, 30, 30), "info": (68, 85, 102)}
_HEADING_SIZES = {1: 16, 2: 13, 3: 11}
#: A table row with more characters than this is laid out as label/value text,
#: because a table row cannot break across pages.
_LONG_ROW = 900
#: Font sizes tried for a table, largest first.
_TABLE_SIZES = (8.0, 7.0)
_CELL_PADDING = 1.0


@lru_cache(maxsize=1)
def font_files() -> dict[str, Path]:
    """DejaVu Sans regular, bold and oblique from matplotlib's data."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"": folder / "DejaVuSans.ttf", "B": folder / "DejaVuSans-Bold.ttf",
            "I": folder / "DejaVuSans-Oblique.ttf"}


class _Pdf(FPDF):
    def __init__(self, document: Document) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.document = document
        self._widths: dict[tuple, float] = {}
        self._back_to_portrait = False
        for style, path in font_files().items():
            self.add_font(FONT, style, str(path))
        self.set_margins(20, 18, 20)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_title(clean_text(document.title))
        self.set_subject(clean_text(document.subtitle))
        self.set_author("kommunestrategi")
        self.set_creator("kommunestrategi")
        self.set_lang({"nb": "nb-NO", "en": "en-GB", "sv": "sv-SE"}[document.lang])
        self.set_font(FONT, size=10)

    def footer(self) -> None:
        self.set_y(-13)
        self.set_font(FONT, size=8)
        self.set_text_color(90, 90, 90)
        page = t("export.page", self.document.lang, page=self.page_no(), total="{nb}")
        self.cell(0, 5, f"{clean_text(self.document.footer)}    {page}", align=Align.R)
        self.set_text_color(0, 0, 0)

    # text helpers

    def _width(self, word: str) -> float:
        key = (self.font_style, self.font_size_pt, word)
        width = self._widths.get(key)
        if width is None:
            width = self._widths[key] = self.get_string_width(word)
        return width

    def wrap(self, text: str, width: float) -> list[str]:
        """Lines of ``text`` that fit ``width`` (mm), broken at spaces, long words split.

        fpdf2's own ``multi_cell`` measures the growing line once per character,
        which takes seconds for a 10,000-character answer; measuring each word once
        keeps it linear.
        """
        lines: list[str] = []
        space = self._width(" ")
        for paragraph in text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    ").split("\n"):
            line, used = "", 0.0
            for word in paragraph.split(" "):
                size = self._width(word)
                while size > width:  # a word wider than the line: split it by characters
                    cut = max(1, int(len(word) * width / size))
                    while cut > 1 and self._width(word[:cut]) > width:
                        cut -= 1
                    if line:
                        lines.append(line)
                    lines.append(word[:cut])
                    line, used = "", 0.0
                    word = word[cut:]
                    size = self._width(word)
                if line and used + space + size > width:
                    lines.append(line)
                    line, used = word, size
                elif line:
                    line, used = f"{line} {word}", used + space + size
                else:
                    line, used = word, size
            lines.append(line)
        return lines

    def text_block(self, text: str, size: float = 10, style: str = "", colour=(0, 0, 0),
                   line: float = 5) -> None:
        self.set_font(FONT, style, size)
        self.set_text_color(*colour)
        for row in self.wrap(clean_text(text), self.epw - 1):
            self.cell(self.epw, line, row, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(0, 0, 0)

    def heading(self, section: Section) -> None:
        self._portrait_again()
        size = _HEADING_SIZES.get(section.level, 11)
        if section.level == 1 and self.get_y() > self.h * 0.72:
            self.add_page()
        self.ln(3 if section.level > 1 else 5)
        self.start_section(clean_text(section.title)[:120], level=section.level - 1)
        self.text_block(section.title, size=size, style="B", line=size * 0.5)
        self.ln(1)

    def _measure(self, size: float) -> layout.Measure:
        def measure(text: str, bold: bool) -> float:
            key = ("B" if bold else "", size, text)
            width = self._widths.get(key)
            if width is None:
                self.set_font(FONT, key[0], size)
                width = self._widths[key] = self.get_string_width(text)
            return width
        return measure

    def _table_widths(self, block: Table, width: float, size: float) -> list[float] | None:
        need = layout.needs(block.columns, block.rows, self._measure(size), _CELL_PADDING)
        return layout.fit_widths(need, width - 0.05)

    def _landscape_width(self) -> float:
        return max(self.w, self.h) - self.l_margin - self.r_margin

    def data_table(self, block: Table) -> None:
        """A table whose figures never break and whose headings break only between
        words: widths from the content; turned when it has few rows and is too wide,
        else on a landscape page; as label/value text when even that cannot hold it."""
        widest_row = max((sum(len(str(c)) for c in row) for row in block.rows), default=0)
        if widest_row <= _LONG_ROW:
            for size in _TABLE_SIZES:
                widths = self._table_widths(block, self.epw, size)
                if widths:
                    return self._draw_table(block, widths, size)
                if len(block.rows) <= layout.TRANSPOSE_MAX_ROWS:
                    turned = layout.transpose(block)
                    widths = self._table_widths(turned, self.epw, size)
                    if widths:
                        return self._draw_table(turned, widths, size)
                if self.w < self.h:  # portrait now
                    widths = self._table_widths(block, self._landscape_width(), size)
                    if widths:
                        self.add_page(orientation="L")
                        self._back_to_portrait = True
                        return self._draw_table(block, widths, size)
        for row in block.rows:
            for title, value in zip(block.columns, row, strict=True):
                self.text_block(title, style="B", size=9)
                self.text_block(str(value), size=9)
            self.ln(2)
        self._caption(block)

    def _draw_table(self, block: Table, widths: list[float], size: float) -> None:
        self.set_font(FONT, size=size)
        align = tuple("RIGHT" if block.rows and all(isinstance(r[j], Num) for r in block.rows) else "LEFT"
                      for j in range(len(block.columns)))
        with self.table(width=sum(widths), col_widths=widths, text_align=align, align="LEFT",
                        line_height=size * 0.52, wrapmode=WrapMode.WORD, padding=_CELL_PADDING,
                        headings_style=FontFace(emphasis="BOLD", fill_color=(230, 234, 240)),
                        repeat_headings=1) as table:
            table.row([clean_text(c) for c in block.columns])
            for row in block.rows:
                table.row([clean_text(str(c)) for c in row])
        self._caption(block)

    def _caption(self, block: Table) -> None:
        if block.caption:
            self.text_block(block.caption, size=8, colour=(80, 80, 80), line=4)
        self.ln(2)

    def _portrait_again(self) -> None:
        """Back to portrait pages after a landscape table, before the next content."""
        if self._back_to_portrait:
            self._back_to_portrait = False
            self.add_page(orientation="P")

    def block(self, block: Block) -> None:
        self._portrait_again()
        if isinstance(block, Paragraph):
            self.text_block(block.text, size=8.5 if block.style == "note" else 10)
            self.ln(1)
        elif isinstance(block, BulletList):
            for item in block.items:
                self.text_block(f"•  {item}")
            self.ln(1)
        elif isinstance(block, Fields):
            for label, value in block.items:
                self.text_block(label, style="B", size=9.5)
                self.text_block(value)
                self.ln(1.5)
        elif isinstance(block, Table):
            self.data_table(block)
        elif isinstance(block, Image):
            width = min(block.width_mm, self.epw)
            self.image(io.BytesIO(block.png), w=width, x=self.l_margin)
            self.text_block(block.caption, size=8, colour=(80, 80, 80), line=4)
            self.ln(2)
        elif isinstance(block, Notice):
            style = "B" if block.kind == "warning" else "I"
            self.text_block(block.text, size=9.5, style=style, colour=_NOTICE_COLOURS.get(block.kind, (0, 0, 0)))
            self.ln(1)

    def section(self, section: Section) -> None:
        self.heading(section)
        for block in section.blocks:
            self.block(block)
        for sub in section.subsections:
            self.section(sub)


def render_pdf(document: Document) -> bytes:
    """The document as PDF bytes."""
    pdf = _Pdf(document)
    pdf.alias_nb_pages("{nb}")
    pdf.add_page()
    pdf.ln(40)
    pdf.text_block(document.title, size=24, style="B", line=11)
    pdf.ln(3)
    pdf.text_block(document.subtitle, size=12, colour=(60, 60, 60), line=6)
    pdf.ln(12)
    for label, value in document.title_rows:
        pdf.text_block(label, size=10, style="B")
        pdf.text_block(value, size=12, line=6)
        pdf.ln(2)
    pdf.add_page()
    for section in document.sections:
        pdf.section(section)
    return bytes(pdf.output())
