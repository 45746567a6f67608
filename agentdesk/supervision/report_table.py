"""A long table for the report PDF, drawn straight on the canvas: a month of 15-minute rows
is about 30,000 cells, and reportlab's ``Table`` spends most of a report's time laying out
and drawing them one by one. Here every page is one text object and one set of grid lines;
the header is repeated on every page and the flowable splits itself at page ends."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

HEADER_BG = colors.HexColor("#dfe7f2")
TOTAL_BG = colors.HexColor("#f1f1f1")
GRID = colors.HexColor("#b0b8c4")
PAD = 3.0


class RowsTable(Flowable):  # type: ignore[misc]  # reportlab ships no types
    """``header`` over ``rows`` (strings), in ``font`` at ``size``; ``right`` marks the
    columns aligned right (numbers); ``last_is_total`` shades the last row."""

    def __init__(
        self,
        header: Sequence[str],
        rows: Sequence[Sequence[str]],
        widths: Sequence[float],
        right: Sequence[bool],
        font: str,
        size: float = 7.5,
        *,
        last_is_total: bool = False,
    ) -> None:
        super().__init__()
        self.header, self.rows = list(header), list(rows)
        self.widths, self.right = list(widths), list(right)
        self.font, self.size = font, size
        self.last_is_total = last_is_total
        self.row_h = size + 4.5

    def _height(self, count: int) -> float:
        return (count + 1) * self.row_h

    def wrap(self, avail_w: float, avail_h: float) -> tuple[float, float]:
        self.width = sum(self.widths)
        self.height = self._height(len(self.rows))
        return self.width, self.height

    def split(self, avail_w: float, avail_h: float) -> list[Flowable]:
        fits = int(avail_h // self.row_h) - 1
        if fits < 1 or fits >= len(self.rows):
            return [] if fits < 1 else [self]
        first = RowsTable(self.header, self.rows[:fits], self.widths, self.right, self.font,
                          self.size)  # fmt: skip
        rest = RowsTable(self.header, self.rows[fits:], self.widths, self.right, self.font,
                         self.size, last_is_total=self.last_is_total)  # fmt: skip
        return [first, rest]

    def draw(self) -> None:
        canvas: Any = self.canv
        width, height, row_h = sum(self.widths), self._height(len(self.rows)), self.row_h
        canvas.saveState()
        canvas.setFillColor(HEADER_BG)
        canvas.rect(0, height - row_h, width, row_h, stroke=0, fill=1)
        if self.last_is_total and self.rows:
            canvas.setFillColor(TOTAL_BG)
            canvas.rect(0, 0, width, row_h, stroke=0, fill=1)
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.25)
        lines: list[tuple[float, float, float, float]] = [
            (0.0, i * row_h, width, i * row_h) for i in range(len(self.rows) + 2)
        ]
        x = 0.0
        for w in [0.0, *self.widths]:
            x += w
            lines.append((x, 0, x, height))
        canvas.lines(lines)
        text = canvas.beginText()
        text.setFont(self.font, self.size)
        text.setFillColor(colors.black)
        for i, cells in enumerate([self.header, *self.rows]):
            baseline = height - (i + 1) * row_h + 3.2
            left = 0.0
            for cell, w, right in zip(cells, self.widths, self.right, strict=True):
                if right and i > 0:
                    at = left + w - PAD - stringWidth(cell, self.font, self.size)
                else:
                    at = left + PAD
                text.setTextOrigin(at, baseline)
                text.textOut(cell)
                left += w
        canvas.drawText(text)
        canvas.restoreState()
