"""The body map: front and back outlines of a figure with today's points as numbered dots."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from ..model import BodyMap
from ..styles import Style
from . import figure
from .text import draw_runs


class BodyMapFlowable(Flowable):
    """Both views side by side in a box of the given size, each labelled below (Front, Back)."""

    def __init__(self, block: BodyMap, style: Style, width: float, height: float):
        super().__init__()
        self.block = block
        self.s = style
        self.width = width
        self.height = height

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def _path(self, points, closed: bool, x0: float, y0: float, scale: float):
        def at(p):
            return x0 + p[0] * scale, y0 + (figure.HEIGHT - p[1]) * scale

        path = self.canv.beginPath()
        path.moveTo(*at(points[0]))
        for c1, c2, end in figure.smooth(points, closed):
            path.curveTo(*at(c1), *at(c2), *at(end))
        if closed:
            path.close()
        return path

    def draw(self):
        c = self.canv
        spec = self.s.data["layout"]["body_map"]
        label = self.s.text("figure_label")
        label_h = label["leading"] + 2
        views = self.block.views
        slot = self.width / len(views)
        scale = min((self.height - label_h) / figure.HEIGHT, (slot - spec["gap"]) / figure.WIDTH)
        fig_w, fig_h = figure.WIDTH * scale, figure.HEIGHT * scale
        radius = spec["dot"]
        marker = self.s.text("marker")
        for i, (view, name) in enumerate(views):
            x0 = i * slot + (slot - fig_w) / 2
            y0 = label_h
            c.saveState()
            c.setLineJoin(1)
            c.setFillColor(HexColor(self.s.colour("figure_fill")))
            c.setStrokeColor(HexColor(self.s.colour("figure_line")))
            c.setLineWidth(spec["line"])
            c.drawPath(self._path(figure.outline(), True, x0, y0, scale), stroke=1, fill=1)
            c.setStrokeColor(HexColor(self.s.colour("figure_detail")))
            c.setLineWidth(spec["detail"])
            c.setLineCap(1)
            for line in figure.details(view):
                c.drawPath(self._path(line, False, x0, y0, scale), stroke=1, fill=0)
            for point in self.block.points:
                for mark in point.marks:
                    if mark.view != view:
                        continue
                    cx, cy = x0 + mark.x * fig_w, y0 + (1 - mark.y) * fig_h
                    c.setFillColor(HexColor(self.s.colour("marker")))
                    c.setStrokeColor(HexColor(self.s.colour("page")))
                    c.setLineWidth(0.9)
                    c.circle(cx, cy, radius, stroke=1, fill=1)
                    draw_runs(c, self.s, cx, cy - marker["size"] * 0.36, str(point.number), "marker", align="centre")
            c.restoreState()
            draw_runs(c, self.s, i * slot + slot / 2, 3, name, "figure_label", align="centre")
