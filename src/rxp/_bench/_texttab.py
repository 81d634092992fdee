"""A fixed-width text table laid out exactly as benchstat lays out its tables.

A port of ``golang.org/x/perf/cmd/benchstat/internal/texttab``: cells placed by row and
column, optionally spanning columns; each column's left margin is the widest margin of its
cells; spanning cells widen their non-"shrink" columns, widest first, after every
single-column cell has been placed. Widths count code points, as Go's ``utf8`` does.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

__all__ = ["Table"]

Align = Literal["left", "center", "right"]


@dataclass(slots=True)
class _Cell:
    row: int
    col: int
    span: int
    value: str
    margin: str
    align: Align


@dataclass(slots=True)
class Table:
    """Build with ``row()``, ``col(i)``, ``cell(...)``/``span(...)``; lay out with
    ``format()``. Mutable while it is built, like the Go original."""

    _cells: list[_Cell] = field(default_factory=list)
    _cols: int = 0
    _shrink: set[int] = field(default_factory=set)
    _row: int = 0
    _col: int = 0

    def row(self) -> Table:
        if self._cells:
            self._row += 1
        self._col = 0
        return self

    def col(self, col: int) -> Table:
        if col < self._col:
            raise ValueError(f"cannot move from column {self._col} to earlier column {col}")
        self._col = col
        return self

    @property
    def cur_col(self) -> int:
        return self._col

    def cell(self, value: str, align: Align = "left", margin: str | None = None) -> Table:
        return self.span(1, value, align, margin)

    def span(
        self, cols: int, value: str, align: Align = "left", margin: str | None = None
    ) -> Table:
        default = "" if self._col == 0 or not value else " "
        self._cells.append(
            _Cell(self._row, self._col, cols, value, default if margin is None else margin, align)
        )
        self._col += cols
        self._cols = max(self._cols, self._col)
        return self

    def set_shrink(self, col: int) -> None:
        self._shrink.add(col)

    def format(self) -> str:
        lmargin = [0] * self._cols
        for c in self._cells:
            lmargin[c.col] = max(lmargin[c.col], len(c.margin))
        ws = [0] * self._cols
        for c in sorted(self._cells, key=lambda c: c.span):
            w = len(c.value) + lmargin[c.col]
            if c.span == 1:
                ws[c.col] = max(ws[c.col], w)
                continue
            if sum(ws[c.col : c.col + c.span]) >= w:
                continue
            grow = []
            for col in range(c.col, c.col + c.span):
                if col in self._shrink:
                    w -= ws[col]
                else:
                    grow.append(col)
            grow.sort(key=lambda col: -ws[col])
            left = len(grow)
            for col in grow:
                avg = (w + left - 1) // left
                ws[col] = max(ws[col], avg)
                w -= ws[col]
                left -= 1
        offs = [0] * (self._cols + 1)
        for i, w in enumerate(ws):
            offs[i + 1] = offs[i] + w

        out: list[str] = []
        row, off = 0, 0
        for c in sorted(self._cells, key=lambda c: (c.row, c.col)):
            if not c.value.strip() and not c.margin.strip():
                continue
            while c.row > row:
                out.append("\n")
                row, off = row + 1, 0
            spaces = offs[c.col] - off
            out.append(_go_pad("", spaces) + c.margin.rjust(lmargin[c.col]))
            off += spaces + lmargin[c.col]
            width = offs[c.col + c.span] - offs[c.col] - lmargin[c.col]
            text = _pad(c.value, width, c.align)
            out.append(text)
            off += len(text)
        if self._cells:
            out.append("\n")
        return "".join(out)


def _pad(s: str, width: int, align: Align) -> str:
    if align == "center":
        return _go_pad("", int((width - len(s)) / 2)) + s
    if align == "right":
        return _go_pad(s, width)
    return s


def _go_pad(s: str, width: int) -> str:
    """Go's ``fmt.Sprintf("%*s", width, s)``: a negative width pads on the right. This
    matters: when a cell overflows its columns, benchstat's next cell starts |gap| spaces
    further on instead of earlier."""
    return s.rjust(width) if width >= 0 else s.ljust(-width)
