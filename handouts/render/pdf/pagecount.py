"""A canvas that holds its pages until the document ends, so that every page's footer can say "page X of Y"."""

from __future__ import annotations

from typing import Callable

from reportlab.pdfgen.canvas import Canvas

from .bolding import BoldingCanvas


def counted_canvas(footer: Callable[[Canvas, int, int], None], discard: Callable[[], bool] | None = None) -> type[Canvas]:
    """A Canvas class that draws `footer(canvas, number, total)` on each page once the page count is known. With
    `discard()` true at the end the PDF is not wanted (a trial layout that ran past its pages): nothing is written
    (no footers, font subsets or compression)."""

    class CountedCanvas(BoldingCanvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            if discard is not None and discard():
                return
            total = len(self._pages)
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                footer(self, number, total)
                super().showPage()
            super().save()

    return CountedCanvas
