"""A canvas whose text objects draw a synthetic bold face (design/fonts.py) filled and stroked: render mode 2."""

from __future__ import annotations

from reportlab.lib.rl_accel import fp_str
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject

from ...design.fonts import synthetic_bold

STROKE = 0.03  # of the font size: the stroke's whole width (half of it outside each outline), as CJK fake bolds do


class BoldingText(PDFTextObject):
    """A text object that, while its font is a synthetic bold, draws in render mode 2 with a stroke of the fill
    colour, STROKE em wide; when the font changes back and before the text object ends it returns to mode 0 and to
    the canvas's own stroke colour and line width, so nothing drawn after the text is stroked or changes width. The
    advances are the regular face's: a paragraph's lines are the same in bold."""

    def __init__(self, canvas, x=0, y=0, direction=None):
        super().__init__(canvas, x, y, direction=direction)
        self._fill = canvas._fillColorObj
        self._bold = None  # the stroke width drawn with, while bold
        if synthetic_bold(self._fontname):  # the canvas's font is the synthetic bold: drawString and the like
            self._embolden()

    def _embolden(self) -> None:
        width = STROKE * self._fontsize
        if self._bold is None:
            self.setTextRenderMode(2)
            self.setStrokeColor(self._fill)
        if width != self._bold:
            self._code.append(f"{fp_str(width)} w")
        self._bold = width

    def _plain(self) -> None:
        if self._bold is not None:
            canvas = self._canvas
            self.setTextRenderMode(0)
            self.setStrokeColor(canvas._strokeColorObj)
            self._code.append(f"{fp_str(canvas._lineWidth)} w")
            self._bold = None

    def _follow(self) -> None:
        if synthetic_bold(self._fontname):
            self._embolden()
        else:
            self._plain()

    def _setFont(self, psfontname, size):
        super()._setFont(psfontname, size)
        self._follow()

    def setFont(self, psfontname, size, leading=None):
        super().setFont(psfontname, size, leading)
        self._follow()

    def setFillColor(self, aColor, alpha=None):
        super().setFillColor(aColor, alpha)
        self._fill = self._fillColorObj
        if self._bold is not None:
            self.setStrokeColor(self._fill)  # the stroke is the text's own colour

    def getCode(self):
        self._plain()
        return super().getCode()


class BoldingCanvas(Canvas):
    """A ReportLab canvas whose text objects (Paragraphs, drawString) draw synthetic bold faces (BoldingText)."""

    def beginText(self, x=0, y=0, direction=None):
        return BoldingText(self, x, y, direction=direction)
