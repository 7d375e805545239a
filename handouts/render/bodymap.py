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
            marks = [(x0 + m.x * fig_w, y0 + (1 - m.y) * fig_h, point.number)
                     for point in self.block.points for m in point.marks if m.view == view]
            placed = spread(marks, radius * 2 + 1.5, (i * slot + radius, i * slot + slot - radius))
            for (tx, ty, _), (cx, cy, number) in zip(marks, placed):
                if abs(cx - tx) + abs(cy - ty) > 1:  # moved off its spot: a fine line back to the spot
                    c.setStrokeColor(HexColor(self.s.colour("marker")))
                    c.setLineWidth(0.8)
                    c.line(tx, ty, cx, cy)
                    c.setFillColor(HexColor(self.s.colour("marker")))
                    c.circle(tx, ty, 1.6, stroke=0, fill=1)
            for cx, cy, number in placed:
                c.setFillColor(HexColor(self.s.colour("marker")))
                c.setStrokeColor(HexColor(self.s.colour("page")))
                c.setLineWidth(0.9)
                c.circle(cx, cy, radius, stroke=1, fill=1)
                draw_runs(c, self.s, cx, cy - marker["size"] * 0.36, str(number), "marker", align="centre")
            c.restoreState()
            draw_runs(c, self.s, i * slot + slot / 2, 3, name, "figure_label", align="centre")


def spread(marks: list[tuple[float, float, int]], gap: float, bounds: tuple[float, float]) -> list[tuple[float, float, int]]:
    """Nudge numbered dots apart until none overlaps (points close together, such as around a knee).

    Each overlapping pair is pushed apart along the line between them (sideways when they coincide,
    lower number to the left); a dot moves only as far as it must. Deterministic: same input, same places.
    """
    placed = [[x, y, n] for x, y, n in marks]
    for _ in range(80):
        moved = False
        for a in range(len(placed)):
            for b in range(a + 1, len(placed)):
                pa, pb = placed[a], placed[b]
                dx, dy = pb[0] - pa[0], pb[1] - pa[1]
                distance = (dx * dx + dy * dy) ** 0.5
                if distance >= gap - 0.01:
                    continue
                if distance < 0.01:
                    dx, dy, distance = (1.0, 0.0, 1.0) if pa[2] <= pb[2] else (-1.0, 0.0, 1.0)
                push = (gap - distance) / 2
                ux, uy = dx / distance, dy / distance
                pa[0] -= ux * push
                pa[1] -= uy * push
                pb[0] += ux * push
                pb[1] += uy * push
                moved = True
        for p in placed:
            p[0] = min(max(p[0], bounds[0]), bounds[1])
        if not moved:
            break
    return [(x, y, n) for x, y, n in placed]
