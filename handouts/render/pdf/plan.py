"""Drawings of the session plan: the phase timeline, the booking QR code, the calendar and the tracker."""

from __future__ import annotations

import itertools

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.lib.colors import HexColor, black, white
from reportlab.platypus import Flowable

from .kinsoku import Paragraph as RLParagraph

from ...model import Timeline
from ...design.qr import QUIET_MODULES, qr_widget  # noqa: F401 (QUIET_MODULES: read by tests)
from ...design.styles import Style



class TimelineFlowable(Flowable):
    """The plan's phases as a row of arrows, each as wide as its share of the weeks (within limits)."""

    def __init__(self, block: Timeline, style: Style, width: float):
        super().__init__()
        self.block = block
        self.s = style
        self.width = width
        self.spec = style.data["layout"]["timeline"]
        self._laid: list[tuple[float, float, list]] = []
        self.spaceBefore, self.spaceAfter = 2, self.spec["space_after"]

    def _widths(self, width: float) -> list[float]:
        weights = []
        for phase in self.block.phases:
            weeks = phase.length * (1 if phase.per == "week" else 4.35) if phase.length else self.spec["open_weeks"]
            weights.append(max(weeks, 1.0))
        total = sum(weights)
        low = min(self.spec["min_width"], width / len(weights))
        widths = [max(low, width * w / total) for w in weights]
        excess = sum(widths) - width  # take what the minimums added from the wide phases
        wide = [i for i, w in enumerate(widths) if w > low]
        for i in wide:
            widths[i] -= excess * (widths[i] - low) / sum(widths[j] - low for j in wide) if excess > 0 else 0
        return widths

    def wrap(self, avail_width, avail_height):
        self.width = min(self.width, avail_width)
        pad, arrow = self.spec["padding"], self.spec["arrow"]
        self._laid = []
        x, height = 0.0, 0.0
        for i, (phase, w) in enumerate(zip(self.block.phases, self._widths(self.width))):
            inner = w - 2 * pad - arrow * (1 if i else 0) - arrow * 0.6
            paras = [RLParagraph(self.s.markup(phase.when, "timeline_when"), self.s.paragraph("timeline_when")),
                     RLParagraph(self.s.markup(phase.label, "timeline"), self.s.paragraph("timeline"))]
            h = sum(p.wrap(inner, avail_height)[1] for p in paras)
            self._laid.append((x, w, paras))
            height = max(height, h + 2 * pad)
            x += w
        self.height = height
        return self.width, height

    def draw(self):
        c = self.canv
        pad, arrow, h = self.spec["padding"], self.spec["arrow"], self.height
        fills = [self.s.colour(name) for name in self.spec["fills"]]
        last = len(self._laid) - 1
        for i, (x, w, paras) in enumerate(self._laid):
            right = x + w - (0 if i == last else 1.5)
            path = c.beginPath()
            path.moveTo(x, 0)
            path.lineTo(right - arrow, 0)
            path.lineTo(right, h / 2)
            path.lineTo(right - arrow, h)
            path.lineTo(x, h)
            if i:
                path.lineTo(x + arrow, h / 2)
            path.close()
            c.setFillColor(HexColor(fills[i % len(fills)]))
            c.setStrokeColor(HexColor(self.s.colour("accent")))
            c.setLineWidth(0.8)
            c.drawPath(path, stroke=1, fill=1)
            y = h - pad
            for p in paras:
                y -= p.height
                p.drawOn(c, x + pad + (arrow if i else 0), y)


class QrFlowable(Flowable):
    """A QR code from ReportLab's QR widget, drawn module by module on white with its quiet zone.

    Drawn straight on the canvas rather than through renderPDF, which sets Helvetica (never embedded)
    on the canvas even when a drawing has no text.
    """

    def __init__(self, widget: QrCodeWidget, module: float):
        super().__init__()
        self.widget, self.module = widget, module
        self.count = widget.qr.getModuleCount()
        self.width = self.height = module * (self.count + 2 * widget.barBorder)
        self.value = widget.value

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        c, m, border = self.canv, self.module, self.widget.barBorder
        c.setFillColor(white)
        c.rect(0, 0, self.width, self.height, stroke=0, fill=1)
        c.setFillColor(black)
        for r, row in enumerate(self.widget.qr.modules):
            x = 0
            for dark, run in itertools.groupby(bool(v) for v in row):
                n = len(list(run))
                if dark:
                    c.rect((x + border) * m, self.height - (r + border + 1) * m, n * m, m, stroke=0, fill=1)
                x += n


def qr_drawing(url: str, size: float) -> QrFlowable:
    """A QR code whose symbol (without its quiet zone) is `size` points wide, on white with a 4-module quiet zone."""
    widget = qr_widget(url)
    return QrFlowable(widget, size / widget.qr.getModuleCount())
