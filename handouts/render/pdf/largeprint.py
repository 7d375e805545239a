"""Large print: the body map and the points grid, one column, on the same page, without a hole where a page ends."""

from __future__ import annotations

from reportlab.platypus import Flowable

from ...model import BodyMap, Paragraph, PointsTable
from .blocks import points_grid


def map_and_grid(b, figure: BodyMap, table: PointsTable, use: Paragraph | None, head: list[Flowable]) -> list[Flowable]:
    """The heading, the map and how to use it, then the grid (its header repeated overleaf).

    At 18 pt the map (about 300 pt tall), its line and a row of the grid need most of a page. Where they do
    not fit, the rows that do come first and the map goes on at the top of the next page with the rest of the
    rows, instead of all of it moving on and leaving the page half empty: the map always shares its page
    with rows of the grid (the numbers it shows are beside it)."""
    drawing = b.body_map(figure)
    under = [b.para(use.text, "map_use", spaceBefore=4, spaceAfter=6)] if use else []
    return [_MapGrid(b, table, table.rows, 0, [drawing, *under], head)]


def _stack_height(flowables: list[Flowable], width: float) -> float:
    total = 0.0
    for f in flowables:
        f._stack_h = f.wrap(width, 100_000)[1]
        total += f._stack_h + f.getSpaceBefore() + f.getSpaceAfter()
    return total


def _draw_stack(flowables: list[Flowable], canvas, top: float) -> float:
    """Draw each flowable (measured by _stack_height) under the one before, from `top` down; the y reached."""
    y = top
    for f in flowables:
        y -= f.getSpaceBefore() + f._stack_h
        f.drawOn(canvas, 0, y)
        y -= f.getSpaceAfter()
    return y


class _MapGrid(Flowable):
    """`head`, `figure` (the map and its line), then the grid of `rows` with its header.

    Splits where a page ends: after the figure and the rows that fit; or, where the figure and a row do not
    fit, after the rows that do (never all of them), the figure going on with the rest at the next page's top."""

    def __init__(self, b, block: PointsTable, rows: tuple, stripe: int, figure: list[Flowable], head: list[Flowable]):
        super().__init__()
        self.b, self.block, self.rows, self.stripe, self.figure, self.head = b, block, rows, stripe, figure, list(head)
        self.grid = points_grid(b, block, rows=rows, stripe=stripe)

    def wrap(self, avail_width, avail_height):
        self._hh = _stack_height(self.head, avail_width)
        self._fh = _stack_height(self.figure, avail_width)
        _, self._gh = self.grid.wrap(avail_width, 100_000)
        self.width, self.height = avail_width, self._hh + self._fh + self._gh
        return self.width, self.height

    def _rows_that_fit(self, width: float, room: float, most: int) -> tuple[int, Flowable | None]:
        for n in range(most, 0, -1):
            part = points_grid(self.b, self.block, rows=self.rows[:n], stripe=self.stripe)
            if part.wrap(width, 100_000)[1] <= room:
                return n, part
        return 0, None

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        room = avail_height - self._hh
        n, part = self._rows_that_fit(avail_width, room - self._fh, len(self.rows))
        if n:  # the map, its line and the first rows here; the rest overleaf under the header
            return [_Stacked(self.head + self.figure + [part]), points_grid(self.b, self.block, rows=self.rows[n:], stripe=self.stripe + n)]
        n, part = self._rows_that_fit(avail_width, room, len(self.rows) - 1)
        if n:  # the first rows here; the map at the top of the next page, with the rest of them
            return [_Stacked(self.head + [part]), _MapGrid(self.b, self.block, self.rows[n:], self.stripe + n, self.figure, [])]
        return []

    def draw(self):
        y = _draw_stack(self.head + self.figure, self.canv, self.height)
        self.grid.drawOn(self.canv, 0, y - self._gh)


class _Stacked(Flowable):
    """Flowables one under the other, as one piece."""

    def __init__(self, flowables: list[Flowable]):
        super().__init__()
        self.flowables = flowables

    def wrap(self, avail_width, avail_height):
        self.width, self.height = avail_width, _stack_height(self.flowables, avail_width)
        return self.width, self.height

    def draw(self):
        _draw_stack(self.flowables, self.canv, self.height)
