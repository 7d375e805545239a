"""A drawing with a table to its right (the body map beside the points), continued set in from the left overleaf."""

from __future__ import annotations

from reportlab.platypus import Flowable, Table


class Beside(Flowable):
    """A drawing with a table to its right; at a page foot the table's remaining rows go on, aligned, overleaf."""

    def __init__(self, drawing: Flowable, table: Table, offset: float, head: list[Flowable] = ()):
        super().__init__()
        self.drawing, self.table, self.offset, self.head = drawing, table, offset, list(head)

    def _head_height(self, avail_width) -> float:
        total = 0.0
        for f in self.head:
            total += f.wrap(avail_width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
        return total

    def wrap(self, avail_width, avail_height):
        self._hh = self._head_height(avail_width)
        _, self._dh = self.drawing.wrap(self.offset, avail_height)
        _, self._th = self.table.wrap(avail_width - self.offset, avail_height)
        self.width, self.height = avail_width, self._hh + max(self._dh, self._th)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        room = avail_height - self._hh
        if self.height <= avail_height or self._dh > room:
            return []  # fits (no split needed), or the drawing itself does not: move to the next page
        parts = self.table.split(avail_width - self.offset, room)
        if len(parts) < 2:
            return []
        return [Beside(self.drawing, parts[0], self.offset, self.head), Indented(parts[1], self.offset)]

    def draw(self):
        y = self.height
        for f in self.head:
            y -= f.getSpaceBefore() + f.height
            f.drawOn(self.canv, 0, y)
            y -= f.getSpaceAfter()
        body = self.height - self._hh
        self.drawing.drawOn(self.canv, 0, body - self._dh)
        self.table.drawOn(self.canv, self.offset, body - self._th)


class Indented(Flowable):
    """A flowable set in from the left (the rest of a table that began beside a drawing)."""

    def __init__(self, inner: Flowable, offset: float):
        super().__init__()
        self.inner, self.offset = inner, offset

    def wrap(self, avail_width, avail_height):
        w, h = self.inner.wrap(avail_width - self.offset, avail_height)
        self.width, self.height = avail_width, h
        return self.width, h

    def split(self, avail_width, avail_height):
        return [Indented(p, self.offset) for p in self.inner.split(avail_width - self.offset, avail_height)]

    def draw(self):
        self.inner.drawOn(self.canv, self.offset, 0)
