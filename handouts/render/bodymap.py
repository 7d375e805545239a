"""The body map painter: paints the geometry from handouts/mapgeometry.py on a ReportLab canvas.

Nothing is placed here: the views, outlines, dots (always at their true spots), numbered discs and
leader lines all come from `mapgeometry.layout`, so the PDF and any other painter show the same map.
Dots and discs are vector circles, so tests can read their centres back from the PDF.
"""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Paragraph

from .. import mapgeometry
from ..model import BodyMap
from ..styles import Style
from .text import draw_runs, text_width


class BodyMapFlowable(Flowable):
    """The chosen views in a box of the given size, each labelled below, with the caption under them."""

    def __init__(self, block: BodyMap, style: Style, width: float, height: float):
        super().__init__()
        self.block = block
        self.s = style
        self.width = width
        self.height = height
        self._geometry: mapgeometry.MapGeometry | None = None

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    # ---- the data -------------------------------------------------------------------

    def caption(self) -> Paragraph | None:
        if not self.block.caption:
            return None
        para = Paragraph(self.s.markup(self.block.caption, "small"), self.s.paragraph("small", alignment=1, spaceBefore=0))
        para.wrap(self.width, 10_000)
        return para

    def caption_height(self) -> float:
        para = self.caption()
        return 0.0 if para is None else para.height + 3

    def sizes(self) -> mapgeometry.Sizes:
        spec = self.s.data["layout"]["body_map"]
        label = self.s.text("figure_label")
        return mapgeometry.Sizes(disc=spec["dot"], dot=max(1.6, spec["dot"] * 0.3), label=label["leading"] + 2,
                                 gap=spec["gap"] / 2)

    def geometry(self) -> mapgeometry.MapGeometry:
        """The map's geometry in this flowable's box above the caption (y down from the top)."""
        if self._geometry is None:
            marks = [(p.number, p.code, m.view, m.x, m.y) for p in self.block.points for m in p.marks]
            self._geometry = mapgeometry.layout(marks, dict(self.block.views), self.width,
                                                self.height - self.caption_height(), self.sizes(),
                                                measure=lambda text: text_width(self.s, text, "figure_label"))
        return self._geometry

    # ---- painting -------------------------------------------------------------------

    def _path(self, commands):
        h = self.height
        path = self.canv.beginPath()
        for cmd in commands:
            op, *v = cmd
            if op == "M":
                path.moveTo(v[0], h - v[1])
            elif op == "L":
                path.lineTo(v[0], h - v[1])
            elif op == "C":
                path.curveTo(v[0], h - v[1], v[2], h - v[3], v[4], h - v[5])
            elif op == "Z":
                path.close()
        return path

    def draw(self):
        c = self.canv
        spec = self.s.data["layout"]["body_map"]
        geo = self.geometry()
        h = self.height
        marker = self.s.text("marker")
        red = HexColor(self.s.colour("marker"))
        c.saveState()
        c.setLineJoin(1)
        c.setLineCap(1)
        for view in geo.views:
            c.setFillColor(HexColor(self.s.colour("figure_fill")))
            for fill in view.fills:
                c.drawPath(self._path(fill), stroke=0, fill=1)
            c.setStrokeColor(HexColor(self.s.colour("figure_line")))
            c.setLineWidth(spec["line"])
            for stroke in view.strokes:
                c.drawPath(self._path(stroke), stroke=1, fill=0)
            c.setStrokeColor(HexColor(self.s.colour("figure_detail")))
            c.setLineWidth(spec["detail"])
            for detail in view.details:
                c.drawPath(self._path(detail), stroke=1, fill=0)
        for view in geo.views:  # markers over every figure
            c.setStrokeColor(red)
            c.setLineWidth(0.8)
            for co in view.callouts:
                (x1, y1), (x2, y2) = co.leader
                c.line(x1, h - y1, x2, h - y2)
            c.setFillColor(red)
            c.setStrokeColor(HexColor(self.s.colour("page")))
            c.setLineWidth(0.6)
            for dot in view.dots:
                c.circle(dot.x, h - dot.y, geo.dot_radius, stroke=1, fill=1)
            c.setLineWidth(0.9)
            for co in view.callouts:
                c.setFillColor(red)
                c.circle(co.x, h - co.y, geo.disc_radius, stroke=1, fill=1)
                draw_runs(c, self.s, co.x, h - co.y - marker["size"] * 0.36, str(co.number), "marker", align="centre")
        c.restoreState()
        for view in geo.views:
            x, y = view.label_at
            draw_runs(c, self.s, x, h - y, view.label, "figure_label", align="centre")
        para = self.caption()
        if para is not None:
            para.drawOn(c, 0, 0)
