"""Tables on stdout at the pace of string joins: rich's layout, without rich's per-cell cost.

``rich.table.Table`` builds a ``Text``, a ``Padding``, two measurements and a list of segments
for every cell: about 0.8 ms a row, so the 45k-row table of ``claimgraph audit`` at 100k claims
took 35 s where its JSON took 1 s. :func:`render_table` prints the same characters: rich draws
the title, the header and the box (a table with the same column widths and no rows, so styles,
box characters and the terminal's width are rich's own), and the body rows are laid out here
with rich's rules (column widths from the widest cell, collapsed by ``Table._collapse_widths``
when the console is narrower; word wrap as ``rich._wrap.divide_line``, words longer than a
column folded; cells padded by one space each side). tests/test_table.py checks the output
against rich's own on many tables, wide and combining characters and hostile text included.

Cells must already be terminal-safe (:func:`claimgraph.cli._terminal.safe`): one line, no
control characters. Text rich would measure otherwise (a line or paragraph separator) and
columns too narrow to pad are drawn by rich itself.

>>> import io
>>> from rich.console import Console
>>> out = io.StringIO()
>>> render_table(Console(file=out, width=40), "2 rows", ["id", "says"],
...              [["a1", "Acme supplies Bolt"], ["b2", "Bolt invests in Acme, reported by two sources"]])
>>> for line in out.getvalue().splitlines():
...     print(line.rstrip())
                 2 rows
┏━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓
┃ id ┃ says                            ┃
┡━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩
│ a1 │ Acme supplies Bolt              │
│ b2 │ Bolt invests in Acme, reported  │
│    │ by two sources                  │
└────┴─────────────────────────────────┘
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["render_table"]

#: a word and the whitespace after it (rich._wrap.re_word)
_WORD = re.compile(r"\s*\S+\s*")
_TRAILING_SPACE = re.compile(r"\s+$")
#: characters that end a line for rich's measuring (str.splitlines) but not for its wrapping
_OTHER_LINE_ENDS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
#: rows joined into one write
_CHUNK = 2000


def render_table(console, title: str | None, columns: list[str], rows: list[list[str]]) -> None:
    """Print a table of text cells on ``console`` (a ``rich.console.Console``) as
    ``console.print(rich.table.Table(...))`` would, with ``header_style="bold"`` and every
    column ``overflow="fold"``; returns None. ``title`` and ``columns`` are plain text (not
    markup).

    >>> import io
    >>> from rich.console import Console
    >>> out = io.StringIO()
    >>> render_table(Console(file=out, width=30), None, ["n"], [["1"], ["22"]])
    >>> out.getvalue().splitlines()[-2:]
    ['│ 22 │', '└────┘']
    """
    from rich.cells import cell_len
    from rich.markup import escape
    from rich.table import Table

    n = len(columns)
    heads = list(columns)
    longest = [_width(h, cell_len) for h in heads]
    plain = True
    for row in rows:
        if len(row) != n:
            raise ValueError(f"a row of {len(row)} cells in a table of {n} columns")
        for j, text in enumerate(row):
            w = len(text) if text.isascii() else cell_len(text)
            if w > longest[j]:
                longest[j] = w
            if plain and _OTHER_LINE_ENDS.search(text):
                plain = False
    if any(_OTHER_LINE_ENDS.search(h) for h in heads) or (title and _OTHER_LINE_ENDS.search(title)):
        plain = False
    space = console.width - (n + 1)  # the borders: one each side, one between columns
    widths = _widths(longest, space)
    if not plain or space < 1 or min(widths) < 3:
        table = _rich_table(title, heads)
        for row in rows:
            table.add_row(*(escape(c) for c in row))
        console.print(table)
        return
    # rich draws the title, the header and the box at these widths
    frame = _rich_table(title, heads, [w - 2 for w in widths])
    with console.capture() as cap:
        console.print(frame)
    head_lines = cap.get().splitlines(keepends=True)
    bottom = head_lines.pop()
    box = Table().box.substitute(console.options, safe=console.safe_box)
    out = console.file
    out.write("".join(head_lines))
    mid = (box.mid_left, box.mid_vertical, box.mid_right + "\n")
    foot = (box.foot_left, box.foot_vertical, box.foot_right + "\n")
    chunk: list[str] = []
    last = len(rows) - 1
    for i, row in enumerate(rows):
        left, between, right = foot if i == last else mid
        cells = [_cell_lines(text, w - 2, cell_len) for text, w in zip(row, widths, strict=True)]
        height = max(len(c) for c in cells)
        if height == 1:
            chunk.append(left + between.join(c[0] for c in cells) + right)
        else:
            for k in range(height):
                chunk.append(left + between.join(c[k] if k < len(c) else " " * w
                                                 for c, w in zip(cells, widths, strict=True)) + right)
        if len(chunk) >= _CHUNK:
            out.write("".join(chunk))
            chunk.clear()
    out.write("".join(chunk))
    out.write(bottom)
    out.flush()


def _rich_table(title: str | None, heads: list[str], widths: list[int] | None = None):
    from rich.markup import escape
    from rich.table import Table

    table = Table(title=None if title is None else escape(title), show_lines=False, header_style="bold")
    for j, head in enumerate(heads):
        table.add_column(escape(head), overflow="fold", width=None if widths is None else widths[j])
    return table


def _width(text: str, cell_len) -> int:
    return len(text) if text.isascii() else cell_len(text)


def _widths(longest: list[int], space: int) -> list[int]:
    """Column widths, padding included, as rich's ``Table._calculate_column_widths``: each
    column as wide as its widest cell, the widest ones narrowed when the total is too wide."""
    from rich._ratio import ratio_reduce
    from rich.table import Table

    if space < 1:
        return [0] * len(longest)
    widths = [min(w + 2, space) for w in longest]
    if sum(widths) > space:
        widths = Table._collapse_widths(widths, [True] * len(widths), space)
        if sum(widths) > space:
            widths = ratio_reduce(sum(widths) - space, [1] * len(widths), widths, widths)
    return widths


def _cell_lines(text: str, width: int, cell_len) -> list[str]:
    """``text`` wrapped to ``width`` cells as rich wraps a cell's text (words, then folded
    long words), each line padded to ``width`` and one space each side."""
    ascii_ = text.isascii()
    size = len(text) if ascii_ else cell_len(text)
    if size <= width:
        return [" " + text + " " * (width - size + 1)]
    clen = len if ascii_ else cell_len
    lines = []
    for piece in _divide(text, width, clen, ascii_):
        if len(piece) > width:  # rich's rstrip_end: counts characters, not cells
            m = _TRAILING_SPACE.search(piece)
            if m is not None:
                piece = piece[:len(piece) - min(len(m.group()), len(piece) - width)]
        size = clen(piece)
        if size > width:
            if ascii_:
                piece, size = piece[:width], width
            else:
                from rich.cells import set_cell_size

                piece, size = set_cell_size(piece, width), width
        lines.append(" " + piece + " " * (width - size + 1))
    return lines


def _divide(text: str, width: int, clen, ascii_: bool) -> list[str]:
    """``text`` cut where ``rich._wrap.divide_line(text, width, fold=True)`` cuts it."""
    from rich.cells import chop_cells

    breaks: list[int] = []
    offset = 0
    for m in _WORD.finditer(text):
        start, word = m.start(), m.group()
        length = clen(word.rstrip())
        if width - offset >= length:
            offset += clen(word)
        elif length > width:
            folded = ([word[i:i + width] for i in range(0, len(word), width)] if ascii_
                      else chop_cells(word, width))
            for k, part in enumerate(folded):
                if start:
                    breaks.append(start)
                if k == len(folded) - 1:
                    offset = clen(part)
                else:
                    start += len(part)
        elif offset and start:
            breaks.append(start)
            offset = clen(word)
    cuts = [0, *breaks, len(text)]
    return [text[a:b] for a, b in zip(cuts, cuts[1:], strict=False)]


def cells_of(row: list[Any]) -> list[str]:
    """A row's values as terminal-safe text: None is an empty cell.

    >>> cells_of(["a\\x1b[2J", None, 3])
    ['a\\\\x1b[2J', '', '3']
    """
    from ._terminal import safe

    return ["" if v is None else safe(v) for v in row]
