"""The body map painter: paints the geometry from handouts/design/map_geometry.py on a ReportLab canvas.

Nothing is placed here: the views, outlines, dots (always at their true spots), numbered discs and
leader lines all come from `map_geometry.layout`, so the PDF and any other painter show the same map.
Dots and discs are vector circles, so tests can read their centres back from the PDF.
"""

from __future__ import annotations

import re

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from ...design import map_geometry
from ...library.cache import LRU, DiskMemo
from ...model import BodyMap
from ...design.styles import Style
from .text import draw_runs, text_width


class BodyMapFlowable(Flowable):
    """The chosen views in a box of the given size, each labelled below, with the caption under them."""

    def __init__(self, block: BodyMap, style: Style, width: float, height: float):
        super().__init__()
        self.block = block
        self.s = style
        self.width = width
        self.height = height
        self._geometry: map_geometry.MapGeometry | None = None
        self._height: float | None = None

    def wrap(self, avail_width, avail_height):
        """The given width, and the height the map uses of the given height (the views keep their
        proportions, so a wide box may leave some height unused; it is not reserved)."""
        return self.width, self.used_height()

    def used_height(self) -> float:
        if self._height is None:  # the arrangement alone gives it: the discs are placed only when drawn
            marks = [(p.number, p.code, m.view, m.x, m.y) for p in self.block.points for m in p.marks]
            self._height = map_geometry.used_height(marks, dict(self.block.views), self.width,
                                                   self.height - self.caption_height(), self.sizes(),
                                                   measure=lambda text: text_width(self.s, text, "figure_label"))
        return min(self.height, self._height + self.caption_height())

    def dots_apart(self) -> bool:
        """Whether every two dots of a view are drawn at least a dot's width and 1 pt apart in this box."""
        marks = [(p.number, p.code, m.view, m.x, m.y) for p in self.block.points for m in p.marks]
        return map_geometry.dots_apart(marks, dict(self.block.views), self.width, self.height - self.caption_height(),
                                       self.sizes(), measure=lambda text: text_width(self.s, text, "figure_label"))

    # ---- the data -------------------------------------------------------------------

    def caption_lines(self) -> list[str]:
        """The caption broken into centred lines no wider than the map (CJK between characters, never
        before closing punctuation; other scripts at spaces)."""
        if not self.block.caption:
            return []
        key = (self.block.caption, self.width, id(self.s.data))
        hit = _CAPTIONS.hit(key)
        if hit is None or hit[0] is not self.s.data:
            hit = _CAPTIONS.keep(key, (self.s.data, wrap_caption(self.block.caption, self.width,
                                                                 lambda t: text_width(self.s, t, "small"))))
        return list(hit[1])

    def caption_height(self) -> float:
        lines = self.caption_lines()
        return len(lines) * self.s.text("small")["leading"] + 3 if lines else 0.0

    def sizes(self) -> map_geometry.Sizes:
        spec = self.s.data["layout"]["body_map"]
        label = self.s.text("figure_label")
        return map_geometry.Sizes(disc=spec["dot"], dot=max(1.6, spec["dot"] * 0.3), label=label["leading"] + 2,
                                 gap=spec["gap"] / 2)

    def geometry(self) -> map_geometry.MapGeometry:
        """The map's geometry in this flowable's box above the caption (y down from the top).

        Where the numbered discs go is searched once per map (points, views, box, sizes, label widths) and kept
        on disk too (cache.DiskMemo: a digest of those values, which are content and the set of points used,
        mapped to the discs' numbers and places), so a new process draws the same map without the search."""
        if self._geometry is None:
            marks = [(p.number, p.code, m.view, m.x, m.y) for p in self.block.points for m in p.marks]
            views = dict(self.block.views)
            height = self.height - self.caption_height()
            sizes = self.sizes()
            measure = lambda text: text_width(self.s, text, "figure_label")  # noqa: E731
            key = ("own dot nearest, clear of labels", marks, sorted(views.items()), self.width, height, sizes,
                   [measure(views.get(n, n)) for n in map_geometry.view_order(m[2] for m in marks)])
            kept = _DISCS.get(key)
            try:
                hash(kept)  # a damaged file may hold anything; the layout's own memo needs a hashable value
            except TypeError:
                kept = None
            self._geometry = map_geometry.layout(marks, views, self.width, height, sizes, measure=measure, discs=kept)
            found = map_geometry.disc_places(self._geometry)
            if found != kept:
                _DISCS.put(key, found)
        return self._geometry

    # ---- painting -------------------------------------------------------------------

    def _path(self, commands):
        """An outline's path, to a tenth of a point (0.035 mm: finer than any printer draws; the dots and discs,
        which mark the true spots, keep their exact centres)."""
        h = self.used_height()
        path = self.canv.beginPath()
        for cmd in commands:
            op, *v = cmd
            if op == "M":
                path.moveTo(round(v[0], 1), round(h - v[1], 1))
            elif op == "L":
                path.lineTo(round(v[0], 1), round(h - v[1], 1))
            elif op == "C":
                path.curveTo(round(v[0], 1), round(h - v[1], 1), round(v[2], 1), round(h - v[3], 1), round(v[4], 1),
                             round(h - v[5], 1))
            elif op == "Z":
                path.close()
        return path

    def draw(self):
        c = self.canv
        geo = self.geometry()
        h = self.used_height()  # the top of the map, from the bottom of what wrap() reported
        # The figures, leaders, dots and discs are the same PDF code every time this map is drawn (every fitting
        # pass, every patient with these points): made once, then added as it was made (the same bytes).
        spec = self.s.data["layout"]["body_map"]
        key = (h, spec["line"], spec["detail"], self.s.colour("figure_fill"), self.s.colour("figure_line"),
               self.s.colour("figure_detail"), self.s.colour("marker"), self.s.colour("page"),
               getattr(c, "_enforceColorSpace", None))
        hit = _ART.hit(id(geo))
        if hit is not None and hit[0] is geo and hit[1] == key:
            c.addLiteral(hit[2])
        else:
            start = len(c._code)
            self._draw_art(geo, h)
            _ART.keep(id(geo), (geo, key, "\n".join(c._code[start:])))
        marker = self.s.text("marker")
        for view in geo.views:  # the numbers on their discs
            for co in view.callouts:
                draw_runs(c, self.s, co.x, h - co.y - marker["size"] * 0.36, str(co.number), "marker", align="centre")
        for view in geo.views:
            x, y = view.label_at
            draw_runs(c, self.s, x, h - y, view.label, "figure_label", align="centre")
        leading = self.s.text("small")["leading"]
        lines = self.caption_lines()
        for i, line in enumerate(lines):
            draw_runs(c, self.s, self.width / 2, (len(lines) - 1 - i) * leading + leading * 0.25, line, "small", align="centre")

    def _draw_art(self, geo: map_geometry.MapGeometry, h: float) -> None:
        """Everything but the text, inside one saved graphics state (so its code stands alone)."""
        c = self.canv
        spec = self.s.data["layout"]["body_map"]
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
                c.circle(co.x, h - co.y, geo.disc_radius, stroke=1, fill=1)
        c.restoreState()


_CAPTIONS = LRU(256)  # (caption, width, style) -> (style, lines): asked at every wrap of every candidate width
_ART = LRU(8)  # id(geometry) -> (geometry, what else the code depends on, the PDF code of the figures and markers)


NO_LINE_START = "。，、；：？！）」』】〉》”’.,;:!?)"  # kinsoku: these never begin a line
NO_LINE_END = "（「『【〈《“‘("  # and these never end one


def wrap_caption(text: str, width: float, measure) -> list[str]:
    """Line breaking: tokens are words (with their space) or single CJK characters, with
    closing punctuation glued to the token before it and opening punctuation to the token after it."""
    tokens: list[str] = []
    for part in re.findall(r"[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]+\s*|\s+", text):
        if tokens and (part[0] in NO_LINE_START or tokens[-1][-1] in NO_LINE_END):
            tokens[-1] += part
        else:
            tokens.append(part)
    if " " in text.strip():  # words: plain greedy filling
        lines = [""]
        for token in tokens:
            if lines[-1] and measure((lines[-1] + token).rstrip()) > width:
                lines.append(token.lstrip())
            else:
                lines[-1] += token
        return [line.strip() for line in lines if line.strip()]
    # CJK: whole clauses (up to "；") on a line where they fit; a clause too long for a line breaks between characters
    clauses: list[list[str]] = [[]]
    for token in tokens:
        clauses[-1].append(token)
        if token.rstrip()[-1:] in ";；。":
            clauses.append([])
    lines = [""]
    for clause in filter(None, clauses):
        whole = "".join(clause)
        if measure((lines[-1] + whole).rstrip()) <= width:
            lines[-1] += whole
            continue
        if lines[-1] and measure(whole.strip()) <= width:
            lines.append(whole.lstrip())
            continue
        for token in clause:
            if lines[-1] and measure((lines[-1] + token).rstrip()) > width:
                lines.append(token.lstrip())
            else:
                lines[-1] += token
    return [line.strip() for line in lines if line.strip()]


_DISCS = DiskMemo("discs", keep=256)  # a map's numbered discs: (number, x, y, leader, dot) per view
