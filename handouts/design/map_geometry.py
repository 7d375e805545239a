"""The body map's geometry, computed once as plain data that any painter (PDF, SVG/HTML) only paints.

Two steps:
- `choose_views(...)` (at compose time): which views to draw and on which view each point is marked.
  Zoomed insets (head, hand, knee, ankle) are used where today's points crowd (two or more points have
  a place on the inset) or where a point has no place on a whole-body view; the remaining points go on
  as few whole-body views (front, back, side) as possible. No view is drawn without a point on it.
- `layout(...)` (at render time, for a box of width x height points): where each view goes, the outline
  and detail paths, each dot at its true spot and a numbered disc outside the body joined to it by a
  leader line.

Coordinates are in points in a view box (0, 0) top-left to (width, height), y down (SVG convention);
a PDF painter flips y. Paths are lists of commands: ("M", x, y), ("L", x, y), ("C", x1, y1, x2, y2, x, y), ("Z",).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Iterable

from .map_figures import FIGURES, Shape, Side, ViewFigure

Pt = tuple[float, float]
Command = tuple


# ---- which views --------------------------------------------------------------------------


INSET_ORDER = ("head_front", "head_side", "head_back", "hand_palm", "hand_back", "hip_back", "knee", "foot_inner",
               "foot_outer", "ear")
MAIN_ORDER = ("front", "back", "side")


def choose_views(points: Iterable[tuple[str, dict[str, tuple[float, float]]]]) -> dict[str, str]:
    """{code: view} for points given as (code, {view: (x, y)}); points without coordinates are left out.

    Deterministic: the same points in the same order give the same views.
    """
    points = [(code, dict(places)) for code, places in points if places]
    chosen: dict[str, str] = {}
    free = [code for code, _ in points]
    places = dict(points)
    while True:  # insets first: the one that takes most still-unplaced points, if it takes two or a point with no main view
        best = None
        for view in INSET_ORDER:
            takers = [c for c in free if view in places[c]]
            must = [c for c in takers if not any(v in places[c] for v in MAIN_ORDER)]
            if must or _crowded(takers, places):
                key = (len(must) > 0, len(takers), -INSET_ORDER.index(view))
                if best is None or key > best[0]:
                    best = (key, view, takers)
        if best is None:
            break
        for code in best[2]:
            chosen[code] = best[1]
            free.remove(code)
    used = set(chosen.values())
    # points that also fit an inset already drawn go there (fewer views, and the inset is zoomed)
    for code in list(free):
        inset = next((v for v in INSET_ORDER if v in used and v in places[code]), None)
        if inset:
            chosen[code] = inset
            free.remove(code)
    # the rest on as few whole-body views as possible (front, back, side, in that order of preference)
    mains: list[str] = []
    while free:
        counts = {v: sum(1 for c in free if v in places[c]) for v in MAIN_ORDER}
        view = max(MAIN_ORDER, key=lambda v: (counts[v], -MAIN_ORDER.index(v)))
        if counts[view] == 0:  # only insets left for these points (an inset with one point)
            code = free[0]
            view = next(v for v in INSET_ORDER if v in places[code])
            counts[view] = 1
        mains.append(view)
        for code in [c for c in free if view in places[c]]:
            chosen[code] = view
            free.remove(code)
    return chosen


CROWD = 24.0  # figure units: two points closer than this on a whole-body view crowd each other
CROWD_PAIR = 8.0  # and a point off the midline of a symmetric view crowds its own mirror image closer than this


def _crowded(codes: list[str], places: dict[str, dict[str, tuple[float, float]]]) -> bool:
    """Whether two of these points are close together on a whole-body view they share, or one point's two sides are
    (a point on both sides close to the midline: its two dots merge on the whole figure)."""
    for a in codes:
        for view in MAIN_ORDER:
            if view in places[a] and FIGURES[view].mirror:
                apart = abs(1 - 2 * places[a][view][0]) * FIGURES[view].width
                if 1 <= apart < CROWD_PAIR:
                    return True
    for i, a in enumerate(codes):
        for b in codes[i + 1:]:
            for view in MAIN_ORDER:
                if view in places[a] and view in places[b]:
                    f = FIGURES[view]
                    (ax, ay), (bx, by) = places[a][view], places[b][view]
                    if math.hypot((ax - bx) * f.width, (ay - by) * f.height) < CROWD:
                        return True
                    if f.mirror and math.hypot((1 - ax - bx) * f.width, (ay - by) * f.height) < CROWD:
                        return True
    return False


def view_order(views: Iterable[str]) -> list[str]:
    """Views in drawing order: whole-body views first (front, back, side), then the insets."""
    order = MAIN_ORDER + INSET_ORDER
    return sorted(set(views), key=order.index)


# ---- paths ------------------------------------------------------------------------------------


def smooth(points: tuple[Pt, ...] | list[Pt], closed: bool) -> list[tuple[Pt, Pt, Pt]]:
    """Cubic Bezier segments (c1, c2, end) through the points (Catmull-Rom, tension 1/6)."""
    n = len(points)
    segments = []
    last = n if closed else n - 1
    for i in range(last):
        p0 = points[(i - 1) % n] if closed or i > 0 else points[i]
        p1 = points[i]
        p2 = points[(i + 1) % n]
        p3 = points[(i + 2) % n] if closed or i + 2 < n else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        segments.append((c1, c2, p2))
    return segments


def _side_commands(side: Side, at, move: bool = True) -> list[Command]:
    out: list[Command] = []
    first = at(side.points[0])
    out.append(("M" if move else "L", *first))
    for c1, c2, end in smooth(side.points, side.closed):
        out.append(("C", *at(c1), *at(c2), *at(end)))
    return out


def fill_path(shape: Shape, at) -> list[Command]:
    """The closed outline of a shape (cut sides joined by straight lines), for fill and for inside tests."""
    out: list[Command] = []
    for i, side in enumerate(shape.sides):
        out += _side_commands(side, at, move=i == 0)
    return out + [("Z",)]


def stroke_paths(shape: Shape, at) -> list[list[Command]]:
    """The outline strokes of a shape: each side on its own (a cut edge is not stroked)."""
    return [_side_commands(side, at) + ([("Z",)] if side.closed else []) for side in shape.sides]


def flatten(commands: list[Command], steps: int = 8) -> list[list[Pt]]:
    """Polygons/polylines (one per subpath) approximating a path; curves split into `steps` lines."""
    out: list[list[Pt]] = []
    current: list[Pt] = []
    for cmd in commands:
        if cmd[0] == "M":
            if current:
                out.append(current)
            current = [(cmd[1], cmd[2])]
        elif cmd[0] == "L":
            current.append((cmd[1], cmd[2]))
        elif cmd[0] == "C":
            x0, y0 = current[-1]
            x1, y1, x2, y2, x3, y3 = cmd[1:]
            for k in range(1, steps + 1):
                t = k / steps
                u = 1 - t
                current.append((u ** 3 * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t ** 3 * x3,
                                u ** 3 * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t ** 3 * y3))
    if current:
        out.append(current)
    return out


def inside(polygon: list[Pt], p: Pt) -> bool:
    """Point in polygon (even-odd ray casting); the polygon is closed implicitly."""
    x, y = p
    n = len(polygon)
    result = False
    j = n - 1
    for i in range(n):
        xi, yi = polygon[i]
        xj, yj = polygon[j]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            result = not result
        j = i
    return result


def _segment_distance(p: Pt, a: Pt, b: Pt) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


def _crosses(a: Pt, b: Pt, c: Pt, d: Pt) -> bool:
    def orient(p, q, r):
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])
    return (orient(a, b, c) * orient(a, b, d) < 0) and (orient(c, d, a) * orient(c, d, b) < 0)


# ---- the laid-out map -------------------------------------------------------------------------


@dataclass(frozen=True)
class Dot:
    number: int
    code: str
    x: float  # the true spot, in the map's box
    y: float
    content: tuple[float, float]  # the coordinate in content (fractions of the view's figure box)


@dataclass(frozen=True)
class Callout:
    number: int
    x: float  # centre of the numbered disc
    y: float
    leader: tuple[Pt, Pt]  # from the dot's edge to the disc's edge
    dot: Pt  # the dot it points to


@dataclass(frozen=True)
class ViewGeometry:
    name: str
    label: str
    figure_box: tuple[float, float, float, float]  # x, y, width, height of the figure's own box, in the map's box
    scale: float  # map points per figure unit
    fills: tuple[tuple[Command, ...], ...]  # closed outlines, filled
    strokes: tuple[tuple[Command, ...], ...]  # outline strokes
    details: tuple[tuple[Command, ...], ...]  # thin inner lines
    dots: tuple[Dot, ...]
    callouts: tuple[Callout, ...]
    label_at: Pt  # centre of the label's baseline

    @property
    def outlines(self) -> tuple[tuple[Pt, ...], ...]:
        """The fills flattened to polygons, for inside tests: worked out when asked, not kept (a few thousand
        points per view, held by every remembered map: most of a long mixed batch's memory)."""
        return tuple(tuple(poly) for f in self.fills for poly in flatten(f))

    def to_map(self, fx: float, fy: float) -> Pt:
        """A content coordinate (fractions of the figure box) in the map's box."""
        x, y, w, h = self.figure_box
        return x + fx * w, y + fy * h


@dataclass(frozen=True)
class MapGeometry:
    """The whole map. `height` is the height it uses: no more than the box it was laid out for."""

    width: float
    height: float
    dot_radius: float
    disc_radius: float
    views: tuple[ViewGeometry, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Sizes:
    disc: float = 6.4  # radius of a numbered disc
    dot: float = 1.9  # radius of the dot at the true spot
    label: float = 14  # height of a view's label line
    gap: float = 6  # between views


@lru_cache(maxsize=None)
def frame(name: str) -> tuple[float, float, float, float]:
    """The part of a view's figure box that the figure covers (x, y, width, height in figure units)."""
    v = FIGURES[name]
    pts = [p for shape in v.shapes for poly in flatten(fill_path(shape, lambda p: p)) for p in poly]
    x0, x1 = min(p[0] for p in pts), max(p[0] for p in pts)
    y0, y1 = min(p[1] for p in pts), max(p[1] for p in pts)
    return x0, y0, x1 - x0, y1 - y0


@lru_cache(maxsize=None)
def outlines(name: str) -> tuple[tuple[Pt, ...], ...]:
    """A view's figure outlines as polygons, in figure units."""
    return tuple(tuple(poly) for shape in FIGURES[name].shapes for poly in flatten(fill_path(shape, lambda p: p)))


def on_figure(name: str, x: float, y: float) -> bool:
    """Whether a content coordinate (fractions of the view's figure box) is on the drawn figure."""
    v = FIGURES[name]
    return any(inside(list(poly), (x * v.width, y * v.height)) for poly in outlines(name))


def _w(v: ViewFigure) -> float:
    return frame(v.name)[2]


def _h(v: ViewFigure) -> float:
    return frame(v.name)[3]


def _cells_layouts(views: list[ViewFigure]):
    """Every way to arrange the views: consecutive groups stacked into cells (insets only), cells into rows."""
    n = len(views)

    def compositions(items):
        if not items:
            yield []
            return
        for k in range(1, len(items) + 1):
            for rest in compositions(items[k:]):
                yield [items[:k], *rest]

    for cells in compositions(views):
        if any(len(c) > 1 and any(v.main for v in c) for c in cells):
            continue
        if len(cells) > 7:
            continue
        for rows in compositions(cells):
            yield rows


class _Plan:
    """Sizes of cells and rows for one arrangement at scale s (insets drawn `zoom` times larger)."""

    def __init__(self, rows, zoom: float, margin: float, labels: tuple[float, ...], sz: Sizes, names: tuple[str, ...]):
        self.rows, self.zoom, self.margin, self.sz = rows, zoom, margin, sz
        self.label_w = dict(zip(names, labels))
        self.fw = {n: frame(n)[2] for n in names}
        self.fh = {n: frame(n)[3] for n in names}

    def k(self, v: ViewFigure) -> float:
        return 1.0 if v.main else self.zoom

    def mv(self, v: ViewFigure) -> float:
        """Room above and below a figure: less, as discs mostly go beside it; below and above an inset (cut across
        the body) room for a disc, which is where the number of a point with another point on either side goes."""
        return self.sz.disc * 0.6 + 2 if v.main else self.sz.disc * 2 + 4

    def m(self, v: ViewFigure) -> float:
        """Room around a figure for the discs: an inset fills its box, so it needs a disc's width around it."""
        return self.margin if v.main else self.margin + self.sz.disc

    def cell_w(self, cell, s: float) -> float:
        return max(max(self.fw[v.name] * s * self.k(v) + 2 * self.m(v), self.label_w.get(v.name, 0) + 4 - self.sz.gap) for v in cell)

    def box_h(self, v: ViewFigure, s: float) -> float:
        return self.fh[v.name] * s * self.k(v) + 2 * self.mv(v)

    def cell_h(self, cell, s: float) -> float:
        return sum(self.box_h(v, s) + self.sz.label for v in cell)

    def row_w(self, row, s: float) -> float:
        """Cells side by side, with a disc's width more at both ends (between cells, a disc uses both margins)."""
        return sum(self.cell_w(c, s) for c in row) + self.sz.gap * (len(row) - 1) + 2 * self.sz.disc

    def row_h(self, row, s: float) -> float:
        return max(self.cell_h(c, s) for c in row)

    def size(self, s: float) -> tuple[float, float]:
        return (max(self.row_w(r, s) for r in self.rows),
                sum(self.row_h(r, s) for r in self.rows) + self.sz.gap * (len(self.rows) - 1))

    def fit(self, width: float, height: float) -> float:
        """The largest scale (points per figure unit) at which the rows fit the box."""
        size = self._sizer()
        lo, hi = 0.0, 8.0
        for _ in range(18):
            mid = (lo + hi) / 2
            w, h = size(mid)
            if w <= width and h <= height:
                lo = mid
            else:
                hi = mid
        return lo

    def _sizer(self):
        """`size` with every figure's numbers looked up once (the search calls it often): the same arithmetic
        in the same order, so the same values to the last bit."""
        sz = self.sz
        rows = [[[(self.fw[v.name], self.k(v), 2 * self.m(v), self.label_w.get(v.name, 0) + 4 - sz.gap,
                   self.fh[v.name], 2 * self.mv(v)) for v in c] for c in r] for r in self.rows]
        gap, disc, label = sz.gap, sz.disc, sz.label
        row_gaps = [gap * (len(r) - 1) for r in rows]
        ends = 2 * disc
        rows_gap = gap * (len(rows) - 1)

        def size(s: float) -> tuple[float, float]:
            width = height = None
            for r, extra in zip(rows, row_gaps):
                w = sum(max(max(fw * s * k + m2, lw) for fw, k, m2, lw, _, _ in c) for c in r) + extra + ends
                h = max(sum(fh * s * k + mv2 + label for _, k, _, _, fh, mv2 in c) for c in r)
                width = w if width is None else max(width, w)
                height = h if height is None else height + h
            return width, height + rows_gap

        return size


ZOOMS = (1.0, 1.3, 1.7, 2.2)  # how much larger than the whole figure an inset may be drawn
MORE_ZOOMS = (2.8, 3.5, 4.5)  # and larger still, only where no arrangement at the usual zooms keeps the dots apart


def spreads(marks, names: tuple[str, ...]) -> tuple[float, ...]:
    """For each view, the distance between its two closest dots in figure units (0 with fewer than two dots)."""
    out = []
    for name in names:
        f = FIGURES[name]
        spots = [(m[3] * f.width, m[4] * f.height) for m in marks if m[2] == name]
        out.append(min((math.hypot(a[0] - b[0], a[1] - b[1]) for i, a in enumerate(spots) for b in spots[i + 1:]),
                       default=0.0))
    return tuple(round(d, 3) for d in out)


@lru_cache(maxsize=128)
def _arrangement(names: tuple[str, ...], width: float, height: float, margin: float, sz: Sizes,
                 labels: tuple[float, ...], spread: tuple[float, ...] = ()) -> tuple[_Plan, float]:
    """The arrangement and scale that draw the figures largest (insets count a little less than whole figures),
    among those that keep every two dots of a view a dot's diameter and 1 pt apart (`spread`: see `spreads`)
    where any does."""
    views = [FIGURES[n] for n in names]
    has_main = any(v.main for v in views)
    apart = dict(zip(names, spread))
    found = []
    for zooms in (ZOOMS, MORE_ZOOMS) if has_main else ((1.0,),):
        for rows in _cells_layouts(views):
            for zoom in zooms:
                plan = _Plan(rows, zoom, margin, labels, sz, names)
                s = plan.fit(width, height)
                # how readable the smallest view is: a whole figure reads well about 150 pt tall, an inset about 70 pt
                legible = min(plan.fh[v.name] * s * plan.k(v) / (150 if v.main else 70) for v in views)
                clear = all(not apart.get(v.name) or apart[v.name] * s * plan.k(v) >= 2 * sz.dot + 1 + 1e-6
                            for v in views)
                found.append((clear, round(legible, 3), -len(rows), zoom, s, plan))
        if any(f[0] for f in found):
            break
    *_, s, plan = max(found, key=lambda f: f[:4])
    return plan, s


def layout(marks: list[tuple[int, str, str, float, float]], labels: dict[str, str], width: float, height: float,
           sizes: Sizes = Sizes(), measure=None, discs: tuple | None = None) -> MapGeometry:
    """The map for a box of width x height points.

    marks: (number, code, view, x, y) with x, y fractions of the view's figure box (one per dot; a
    bilateral point already has its two dots). labels: {view: label}. measure(text) -> width of a label
    in points (the painter's font), so that labels never overlap. discs: what `disc_places` gave for the same
    arguments (the numbered discs' search, the costly part, remembered); None, or places that do not match the
    dots, and they are searched for.
    """
    names = tuple(view_order(m[2] for m in marks))
    label_widths = tuple(measure(labels.get(n, n)) if measure else 0.0 for n in names)
    return _layout(tuple(tuple(m) for m in marks), tuple(sorted(labels.items())), float(width), float(height), sizes,
                   label_widths, discs)


def disc_places(geometry: MapGeometry) -> tuple:
    """The numbered discs of a map as plain numbers, per view: ((number, x, y, leader, dot), ...) (for `layout`)."""
    return tuple(tuple((c.number, c.x, c.y, c.leader, c.dot) for c in v.callouts) for v in geometry.views)


def used_height(marks: list[tuple[int, str, str, float, float]], labels: dict[str, str], width: float, height: float,
                sizes: Sizes = Sizes(), measure=None) -> float:
    """The height `layout` would use of the box (`layout(...).height`), without placing the numbered discs.

    The arrangement and scale decide the height; the discs are placed inside it afterwards. A page layout asks
    for the height of many candidate widths and draws only one, so this is what it asks."""
    names = tuple(view_order(m[2] for m in marks))
    if not names:
        return float(height)
    label_widths = tuple(measure(labels.get(n, n)) if measure else 0.0 for n in names)
    plan, s = _arrangement(names, float(width), float(height), sizes.disc + 2, sizes, label_widths, spreads(marks, names))
    return round(plan.size(s)[1], 3)


def dots_apart(marks: list[tuple[int, str, str, float, float]], labels: dict[str, str], width: float, height: float,
               sizes: Sizes = Sizes(), measure=None) -> bool:
    """Whether `layout` for this box draws every two dots of a view at least a dot's diameter and 1 pt apart
    (centre to centre: 2 * dot radius + 1), without placing the numbered discs."""
    names = tuple(view_order(m[2] for m in marks))
    if not names:
        return True
    label_widths = tuple(measure(labels.get(n, n)) if measure else 0.0 for n in names)
    apart = spreads(marks, names)
    plan, s = _arrangement(names, float(width), float(height), sizes.disc + 2, sizes, label_widths, apart)
    return all(not d or d * s * plan.k(FIGURES[n]) >= 2 * sizes.dot + 1 + 1e-6 for n, d in zip(names, apart))


@lru_cache(maxsize=8)  # a leaflet is laid out more than once while it is fitted to its pages (one or two maps a sheet; each map keeps its paths: bounded for a mixed day)
def _layout(marks, label_items, width: float, height: float, sizes: Sizes, label_widths, discs=None) -> MapGeometry:
    labels = dict(label_items)
    names = tuple(view_order(m[2] for m in marks))
    if not names:
        return MapGeometry(width, height, sizes.dot, sizes.disc)
    margin = sizes.disc + 2  # room around a figure for the discs
    plan, s = _arrangement(names, width, height, margin, sizes, label_widths, spreads(marks, names))
    # place rows top to bottom, cells left to right, centred
    rows = plan.rows
    total_h = plan.size(s)[1]
    y = 0.0  # top-aligned: the map uses `total_h` of the box's height and says so (MapGeometry.height)
    out: list[ViewGeometry] = []
    areas: list[tuple[float, float, float, float]] = []
    for row in rows:
        row_h = plan.row_h(row, s)
        x = (width - plan.row_w(row, s)) / 2 + sizes.disc
        for cell in row:
            cell_w = plan.cell_w(cell, s)
            cy = y + (row_h - plan.cell_h(cell, s))  # bottom-aligned: labels on one line
            for v in cell:
                box_h = plan.box_h(v, s)
                vs = s * plan.k(v)
                x0, y0, w0, _ = frame(v.name)
                fx = x + (cell_w - w0 * vs) / 2 - x0 * vs  # the figure box's origin, so its frame is centred
                fy = cy + plan.mv(v) - y0 * vs
                view_marks = [m for m in marks if m[2] == v.name]
                area = (x, cy, cell_w, box_h)
                areas.append(area)
                out.append(_view(v, labels.get(v.name, v.name), (fx, fy), vs, view_marks, area, sizes))
                cy += box_h + sizes.label
            x += cell_w + sizes.gap
        y += row_h + sizes.gap
    if _discs_fit(discs, out):
        return MapGeometry(width, round(total_h, 3), sizes.dot, sizes.disc,
                           tuple(replace(v, callouts=tuple(Callout(*c) for c in d)) for v, d in zip(out, discs)))
    # numbered discs, view by view, each kept clear of every figure, dot, disc and leader drawn so far
    outlines = [v.outlines for v in out]  # worked out once here, for the disc search; not kept in the geometry
    everything = _Placed([poly for polys in outlines for poly in polys], [d for v in out for d in v.dots])
    label_w = dict(zip(names, label_widths))
    everything.labels = [(v.label_at[0] - label_w.get(v.name, 0) / 2 - 1, ay + ah, v.label_at[0] + label_w.get(v.name, 0) / 2 + 1,
                          ay + ah + sizes.label) for v, (_, ay, _, ah) in zip(out, areas)]
    reach = margin + sizes.gap / 2 + sizes.disc
    views = []
    for v, (ax, ay, aw, ah), polys in zip(out, areas, outlines):
        x0, x1 = max(0.0, ax - reach), min(width, ax + aw + reach)
        centre = v.figure_box[0] + v.figure_box[2] / 2
        callouts = _callouts(v.dots, [list(p) for p in polys], (x0, ay, x1 - x0, ah), sizes, centre,
                             everything, (0.0, 0.0, width, total_h))
        views.append(replace(v, callouts=callouts))
    return MapGeometry(width, round(total_h, 3), sizes.dot, sizes.disc, tuple(views))


def _view(v: ViewFigure, label: str, origin: Pt, s: float, marks, area, sz: Sizes) -> ViewGeometry:
    ox, oy = origin

    def at(p: Pt) -> Pt:
        return (round(ox + p[0] * s, 3), round(oy + p[1] * s, 3))

    fills = [fill_path(shape, at) for shape in v.shapes]
    strokes = [p for shape in v.shapes for p in stroke_paths(shape, at)]
    details = [_side_commands(d, at) + ([("Z",)] if d.closed else []) for d in v.details]
    dots = tuple(Dot(n, code, *at((x * v.width, y * v.height)), (x, y)) for n, code, _, x, y in marks)
    ax, ay, aw, ah = area
    return ViewGeometry(v.name, label, (ox, oy, v.width * s, v.height * s), s, tuple(map(tuple, fills)),
                        tuple(map(tuple, strokes)), tuple(map(tuple, details)),
                        dots, (), (ax + aw / 2, ay + ah + sz.label - 3.5))


class _Placed:
    """What a new disc must keep clear of: every figure outline and dot, and the discs and leaders placed so far.

    Outline edges are kept in a grid of buckets so a disc is tested only against the edges near it.
    """

    CELL = 8.0

    def __init__(self, outlines: list, dots: list[Dot]):
        self.rows: list[tuple[tuple[float, float, float, float], dict[int, list[tuple[Pt, Pt]]]]] = []
        for poly in outlines:  # each outline's edges by the rows of the grid they span, for quick inside tests
            rows: dict[int, list[tuple[Pt, Pt]]] = {}
            for i in range(len(poly)):
                a, b = poly[i - 1], poly[i]
                for j in range(int(min(a[1], b[1]) // self.CELL), int(max(a[1], b[1]) // self.CELL) + 1):
                    rows.setdefault(j, []).append((a, b))
            self.rows.append((_bbox(poly), rows))
        self.buckets: dict[tuple[int, int], list[tuple[Pt, Pt]]] = {}
        for poly in outlines:
            for i in range(len(poly)):
                a, b = poly[i - 1], poly[i]
                for key in self._keys(min(a[0], b[0]), min(a[1], b[1]), max(a[0], b[0]), max(a[1], b[1])):
                    self.buckets.setdefault(key, []).append((a, b))
        self.dots = dots
        self.labels: list[tuple[float, float, float, float]] = []  # the views' label boxes (x0, y0, x1, y1)
        self.discs: list[Pt] = []
        self.leaders: list[tuple[Pt, Pt]] = []

    def _keys(self, x0, y0, x1, y1):
        c = self.CELL
        return [(i, j) for i in range(int(x0 // c), int(x1 // c) + 1) for j in range(int(y0 // c), int(y1 // c) + 1)]

    def covered(self, p: Pt) -> bool:
        """Whether p is on a figure (even-odd rule, as `inside`, on the edges in p's row only)."""
        x, y = p
        for (x0, y0, x1, y1), rows in self.rows:
            if not (x0 <= x <= x1 and y0 <= y <= y1):
                continue
            result = False
            for (xj, yj), (xi, yi) in rows.get(int(y // self.CELL), ()):
                if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
                    result = not result
            if result:
                return True
        return False

    def near_edge(self, p: Pt, distance: float) -> bool:
        """Whether an outline passes within `distance` of p."""
        seen = set()
        for key in self._keys(p[0] - distance, p[1] - distance, p[0] + distance, p[1] + distance):
            for edge in self.buckets.get(key, ()):
                if id(edge) in seen:
                    continue
                seen.add(id(edge))
                if _segment_distance(p, *edge) < distance:
                    return True
        return False


def _discs_fit(discs, views: list[ViewGeometry]) -> bool:
    """Whether remembered disc places (disc_places) belong to these views: one disc per number, each pointing at
    one of that view's dots."""
    try:
        if not isinstance(discs, tuple) or len(discs) != len(views):
            return False
        for places, v in zip(discs, views):
            dots = {(d.number, (d.x, d.y)) for d in v.dots}
            if not isinstance(places, tuple) or sorted(p[0] for p in places) != sorted({d.number for d in v.dots}):
                return False
            if any(len(p) != 5 or (p[0], p[4]) not in dots for p in places):
                return False
        return True
    except (TypeError, IndexError, ValueError):
        return False


def _bbox(poly) -> tuple[float, float, float, float]:
    return (min(p[0] for p in poly), min(p[1] for p in poly), max(p[0] for p in poly), max(p[1] for p in poly))


def _callouts(dots: tuple[Dot, ...], own: list, area, sz: Sizes, centre: float, placed: _Placed,
              whole: tuple[float, float, float, float]) -> tuple[Callout, ...]:
    """A numbered disc for each point, outside every figure, near its dot, leaders not crossing.

    The cheapest place wins: short leaders, level with the dot, away from the figure's centre line, not
    running over the figure. Where no place passes every test, the tests are relaxed one by one (leaders
    may cross; then the whole map may be used) rather than covering a figure.
    """
    R = sz.disc
    by_number: dict[int, list[Dot]] = {}
    for d in dots:
        by_number.setdefault(d.number, []).append(d)
    out: list[Callout] = []
    counts = {"left": 0, "right": 0}
    for number in sorted(by_number):
        group = by_number[number]
        if len(group) > 1:  # the number goes on the side with fewer numbers so far
            side = "left" if counts["left"] < counts["right"] else "right"
            group = sorted(group, key=lambda d: d.x if side == "left" else -d.x)
        dot = group[0]
        counts["left" if dot.x < centre else "right"] += 1
        outward = -1.0 if dot.x < centre else 1.0
        best = None
        for strict, box in ((True, area), (False, area), (False, whole)):
            best = _search(dot, own, box, sz, placed, outward, strict)
            if best is not None:
                break
        if best is None:  # every place off the figures is nearer another dot (a point ringed by others, as Kidney on
            # the ear): off the figure still, its leader passing no other dot, which then says whose number it is
            best = _search(dot, own, whole, sz, placed, outward, False, nearest=False)
        if best is None:  # nowhere free at all: beside the dot
            c = (dot.x + outward * (R + 6), dot.y)
            best = (0, c, _leader(dot, c, R, sz.dot))
        _, c, line = best
        out.append(Callout(number, round(c[0], 3), round(c[1], 3), line, (dot.x, dot.y)))
        placed.discs.append(c)
        placed.leaders.append(line)
    return tuple(out)


def _search(dot: Dot, own: list, box, sz: Sizes, placed: _Placed, outward: float, strict: bool, nearest: bool = True):
    R = sz.disc
    ax, ay, aw, ah = box
    best = None
    for radius in [R + 4 + 2.5 * k for k in range(48)]:
        for step in range(24):
            angle = math.radians(step * 15)
            cx = dot.x + radius * math.cos(angle)
            cy = dot.y + radius * math.sin(angle)
            if not (ax + R <= cx <= ax + aw - R and ay + R <= cy <= ay + ah - R):
                continue
            cost = radius + 3 * abs(math.sin(angle)) + (4 if math.cos(angle) * outward < 0 else 0)
            if best is not None and cost >= best[0]:
                continue
            c = (cx, cy)
            if any(math.hypot(cx - ox, cy - oy) < 2 * R + 1.2 for ox, oy in placed.discs):
                continue
            if any(math.hypot(cx - d.x, cy - d.y) < R + sz.dot + 1.5 for d in placed.dots):
                continue
            if any(math.hypot(cx - min(max(cx, x0), x1), cy - min(max(cy, y0), y1)) < R + 0.5
                   for x0, y0, x1, y1 in placed.labels):
                continue
            # beside its own dot: no other point's dot nearer the disc than this one (a reader follows the nearest)
            if nearest and any(d.number != dot.number and math.hypot(cx - d.x, cy - d.y) <= radius for d in placed.dots):
                continue
            if placed.near_edge(c, R + 0.8) or placed.covered(c):
                continue
            start, end = _leader(dot, c, R, sz.dot)
            if not nearest and any(_segment_distance((d.x, d.y), start, end) < sz.dot + 0.6 for d in placed.dots
                                   if d.number != dot.number):
                continue
            if strict:
                if any(_crosses(start, end, a, b) for a, b in placed.leaders):
                    continue
                if any(_segment_distance(o, start, end) < R + 0.5 for o in placed.discs):
                    continue
                if any(_segment_distance((d.x, d.y), start, end) < sz.dot + 0.6 for d in placed.dots if d is not dot):
                    continue
            # a leader that runs across the body is harder to follow: count the part over the figure
            over = sum(1 for k in range(1, 8) if placed.covered((start[0] + (end[0] - start[0]) * k / 8,
                                                                 start[1] + (end[1] - start[1]) * k / 8))) / 7
            cost += 2.5 * over * math.hypot(end[0] - start[0], end[1] - start[1])
            if best is not None and cost >= best[0]:
                continue
            best = (cost, c, (start, end))
        if best is not None and radius > best[0] + 6:
            break
    return best


def _leader(dot: Dot, c: Pt, R: float, r: float) -> tuple[Pt, Pt]:
    dx, dy = c[0] - dot.x, c[1] - dot.y
    d = math.hypot(dx, dy) or 1.0
    ux, uy = dx / d, dy / d
    return ((round(dot.x + ux * r, 3), round(dot.y + uy * r, 3)), (round(c[0] - ux * R, 3), round(c[1] - uy * R, 3)))


# ---- SVG ---------------------------------------------------------------------------------------


def path_data(commands: Iterable[Command]) -> str:
    parts = []
    for cmd in commands:
        parts.append(cmd[0] + (" " + " ".join(f"{v:.2f}" for v in cmd[1:]) if len(cmd) > 1 else ""))
    return " ".join(parts)


def to_svg(geometry: MapGeometry, colours: dict[str, str] | None = None, font: str = "sans-serif") -> str:
    """The map as a standalone SVG string (same geometry the PDF painter draws)."""
    from xml.sax.saxutils import escape

    c = {"fill": "#F2F2F0", "line": "#4D4D4D", "detail": "#8A8A8A", "marker": "#B3261E", "on_marker": "#FFFFFF",
         "label": "#555555", **(colours or {})}
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {geometry.width:.2f} {geometry.height:.2f}" '
           f'width="{geometry.width:.2f}" height="{geometry.height:.2f}">']
    for v in geometry.views:
        out.append(f'<g class="view" data-view="{v.name}">')
        for f in v.fills:
            out.append(f'<path d="{path_data(f)}" fill="{c["fill"]}" stroke="none"/>')
        for p in v.strokes:
            out.append(f'<path d="{path_data(p)}" fill="none" stroke="{c["line"]}" stroke-width="0.9" stroke-linejoin="round"/>')
        for p in v.details:
            out.append(f'<path d="{path_data(p)}" fill="none" stroke="{c["detail"]}" stroke-width="0.6" stroke-linecap="round"/>')
        for co in v.callouts:
            (x1, y1), (x2, y2) = co.leader
            out.append(f'<line x1="{x1:.2f}" y1="{y1:.2f}" x2="{x2:.2f}" y2="{y2:.2f}" stroke="{c["marker"]}" stroke-width="0.7"/>')
        for d in v.dots:
            out.append(f'<circle cx="{d.x:.2f}" cy="{d.y:.2f}" r="{geometry.dot_radius:.2f}" fill="{c["marker"]}" '
                       f'stroke="#FFFFFF" stroke-width="0.5" data-point="{escape(d.code)}"/>')
        for co in v.callouts:
            out.append(f'<circle cx="{co.x:.2f}" cy="{co.y:.2f}" r="{geometry.disc_radius:.2f}" fill="{c["marker"]}"/>')
            out.append(f'<text x="{co.x:.2f}" y="{co.y + geometry.disc_radius * 0.45:.2f}" text-anchor="middle" '
                       f'font-family="{font}" font-weight="bold" font-size="{geometry.disc_radius * 1.3:.1f}" '
                       f'fill="{c["on_marker"]}">{co.number}</text>')
        x, y = v.label_at
        out.append(f'<text x="{x:.2f}" y="{y:.2f}" text-anchor="middle" font-family="{font}" font-weight="bold" '
                   f'font-size="10" fill="{c["label"]}">{escape(v.label)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
