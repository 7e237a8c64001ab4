"""Column widths for the document tables, from their content.

A council reads these tables on paper, so two rules hold in every format: a
figure never breaks across lines, and a heading breaks only between words. Each
column therefore gets at least the width of its widest unbreakable piece (a
whole figure, a heading's longest word, a text's longest word up to a cap) and,
when there is room, the width that keeps its cells on one line. A table whose
unbreakable pieces do not fit the page is turned (``transpose``) or set on a
landscape page by the renderer; ``fit_widths`` says when that is needed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from kommunestrategi.export.model import Cell, Num, Table

#: Where a line may break: ordinary spaces and line breaks (never a no-break space).
_BREAKS = re.compile("[ \t\r\n]+")
#: A measuring function: (text, bold) -> width in the renderer's unit.
Measure = Callable[[str, bool], float]

#: The widest a single word of running text may claim before it may be split
#: (a SHA-256 or a URL in a table cell), in the renderer's unit.
WORD_CAP_MM = 48.0
#: The widest a column should grow to keep its cells on one line.
LINE_CAP_MM = 70.0


def pieces(cell: Cell) -> list[str]:
    """The parts of a cell that must stay on one line: a figure whole, text per word."""
    if isinstance(cell, Num):
        return [cell.text]
    return [word for word in _BREAKS.split(str(cell)) if word]


@dataclass(frozen=True)
class ColumnNeed:
    least: float  # the widest unbreakable piece
    want: float  # the width that keeps every cell on one line (capped)


def needs(columns: Sequence[str], rows: Sequence[Sequence[Cell]], measure: Measure, padding: float,
          word_cap: float = WORD_CAP_MM, line_cap: float = LINE_CAP_MM) -> list[ColumnNeed]:
    """What each column needs, padding on both sides included."""
    result = []
    for j, title in enumerate(columns):
        least = max((measure(w, True) for w in pieces(title)), default=0.0)
        want = min(measure(" ".join(pieces(title)), True), line_cap)
        for row in rows:
            cell = row[j] if j < len(row) else ""
            for piece in pieces(cell):
                size = measure(piece, False)
                least = max(least, size if isinstance(cell, Num) else min(size, word_cap))
            want = max(want, min(measure(" ".join(pieces(cell)) if not isinstance(cell, Num) else cell.text,
                                         False), line_cap))
        extra = 2 * padding + 0.6  # padding plus a margin for rounding in the renderer
        result.append(ColumnNeed(least + extra, max(want, least) + extra))
    return result


def fit_widths(need: Sequence[ColumnNeed], available: float) -> list[float] | None:
    """Column widths summing to ``available``, or None when the unbreakable parts do not fit."""
    least = sum(n.least for n in need)
    if least > available:
        return None
    want = sum(n.want for n in need)
    if want <= available:
        return [n.want * available / want for n in need]
    room = available - least
    spread = want - least
    return [n.least + room * (n.want - n.least) / spread for n in need]


def transpose(table: Table) -> Table:
    """The table turned: the first column's cells become the header, the other
    column titles the first column (for wide tables with few rows)."""
    columns = [table.columns[0], *(str(row[0]) for row in table.rows)]
    rows: list[list[Cell]] = [[title, *(row[j] for row in table.rows)]
                              for j, title in enumerate(table.columns) if j > 0]
    return Table(columns, rows, table.caption)


#: Tables with at most this many rows are turned rather than set in landscape.
TRANSPOSE_MAX_ROWS = 3
