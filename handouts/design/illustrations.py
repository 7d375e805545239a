"""Our own line illustrations for brochures (hands, a needle at a low angle, a leaf), as plain point lists.

Drawn in the body map's manner (handouts/design/map_figures.py): closed outlines filled light and stroked, thin
open detail lines, every line a smooth curve through its points (map_geometry.smooth). Each illustration has its
own box (`width` x `height` units, x right, y down); a painter scales it to the room it has and picks the colours
(on the brand colour: white lines on the ground; on paper: the body map's greys with an accent).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .map_figures import HAND_PALM, Pt, Shape, Side
from .map_geometry import Command, fill_path, stroke_paths


@dataclass(frozen=True)
class Illustration:
    name: str
    width: float
    height: float
    shapes: tuple[Shape, ...]  # filled and outlined, in order (later ones over earlier ones)
    details: tuple[Side, ...]  # thin lines inside
    accents: tuple[Side, ...] = ()  # lines in the accent colour (the needle's shaft)
    lines: tuple[Side, ...] = ()  # open lines drawn as outlines (the skin's surface)
    description: str = ""  # what it shows, for a picture's alternative text


def _moved(points, dx: float = 0, dy: float = 0, turn: float = 0, about: Pt = (0, 0), scale: float = 1.0, flip: float | None = None):
    """Points flipped (about x = flip), turned `turn` degrees clockwise about `about`, scaled, then moved."""
    out = []
    a = math.radians(turn)
    for x, y in points:
        if flip is not None:
            x = 2 * flip - x
        x, y = x - about[0], y - about[1]
        x, y = x * math.cos(a) - y * math.sin(a), x * math.sin(a) + y * math.cos(a)
        out.append((round(about[0] + x * scale + dx, 2), round(about[1] + y * scale + dy, 2)))
    return tuple(out)


def _side(side: Side, **how) -> Side:
    return Side(_moved(side.points, **how), closed=side.closed)


# ---- two open hands, cupped towards each other (the body map's palm, turned) ------------------------------

def _hands() -> Illustration:
    palm = HAND_PALM.shapes[0].sides[0]
    left = dict(turn=10, about=(30, 110), dx=6, dy=-2, flip=30)  # the left hand: the right palm mirrored
    right = dict(turn=-10, about=(30, 110), dx=74, dy=-2)  # both leaning in, as if to hold something
    shapes = (Shape((_side(palm, **left),)), Shape((_side(palm, **right),)))
    details = tuple(_side(d, **how) for how in (left, right) for d in HAND_PALM.details[:3])
    return Illustration("hands", 140, 110, shapes, details, description="two open hands")


# ---- a fine needle going in at a low angle, with its coiled handle ------------------------------------

def _needle() -> Illustration:
    skin = Side(((0, 70), (30, 66), (60, 64), (90, 65), (120, 68), (140, 72)))  # the skin's surface
    below = Side(((10, 82), (40, 78), (70, 77), (100, 78), (130, 82)))  # a fainter line under it
    angle = math.radians(18)  # the shaft's slope: a low angle to the skin
    tip = (96, 65.2)
    back = (tip[0] - 78 * math.cos(angle), tip[1] - 78 * math.sin(angle))
    shaft = Side((back, ((back[0] + tip[0]) / 2, (back[1] + tip[1]) / 2), tip))
    # the handle: a short coil of wire around the shaft's end, drawn as a slim rounded box along it
    ux, uy = math.cos(angle), math.sin(angle)
    nx, ny = -uy, ux
    h0 = (back[0] - 30 * ux, back[1] - 30 * uy)
    corners = [(h0[0] + nx * 3, h0[1] + ny * 3), (back[0] + nx * 3, back[1] + ny * 3),
               (back[0] - nx * 3, back[1] - ny * 3), (h0[0] - nx * 3, h0[1] - ny * 3)]
    handle = Shape((Side(tuple((round(x, 2), round(y, 2)) for x, y in corners), closed=True),))
    coils = tuple(Side(((round(h0[0] + ux * t + nx * 3, 2), round(h0[1] + uy * t + ny * 3, 2)),
                        (round(h0[0] + ux * t - nx * 3, 2), round(h0[1] + uy * t - ny * 3, 2)))) for t in range(4, 30, 4))
    return Illustration("needle", 140, 90, (handle,), (below, *coils), accents=(shaft,), lines=(skin,),
                        description="a fine needle going into the skin at a low angle")


# ---- a sprig of three leaves ------------------------------------------------------------------------

def _leaf(base: Pt, length: float, width: float, turn: float) -> tuple[Side, tuple[Side, ...]]:
    """A leaf pointing up from `base`, turned `turn` degrees: its outline and its midrib and veins."""
    half = ((0, 0), (width * 0.45, -length * 0.2), (width * 0.5, -length * 0.5), (width * 0.3, -length * 0.8), (0, -length))
    outline = half + tuple((-x, y) for x, y in reversed(half[1:-1]))
    how = dict(turn=turn, about=(0, 0), dx=base[0], dy=base[1])
    veins = [((0, -length * 0.05), (0, -length * 0.5), (0, -length * 0.95))]
    for t in (0.3, 0.5, 0.7):
        veins.append(((0, -length * t), (width * 0.22, -length * (t + 0.1)), (width * 0.34, -length * (t + 0.17))))
        veins.append(((0, -length * t), (-width * 0.22, -length * (t + 0.1)), (-width * 0.34, -length * (t + 0.17))))
    return Side(_moved(outline, **how), closed=True), tuple(Side(_moved(v, **how)) for v in veins)


def _leaves() -> Illustration:
    stem = Side(((60, 118), (58, 95), (56, 70), (58, 48)))
    parts = [_leaf((58, 50), 44, 24, 0), _leaf((57, 78), 38, 22, -48), _leaf((57, 96), 36, 20, 50)]
    shapes = tuple(Shape((outline,)) for outline, _ in parts)
    return Illustration("leaf", 120, 120, shapes, tuple(v for _, veins in parts for v in veins), accents=(stem,),
                        description="a sprig of leaves")


ILLUSTRATIONS: dict[str, Illustration] = {i.name: i for i in (_hands(), _needle(), _leaves())}


def ink(name: str) -> tuple[float, float, float, float]:
    """The box its lines' points take in its own units (x0, y0, x1, y1): for most drawings less than its own box."""
    art = ILLUSTRATIONS[name]
    sides = [side for shape in art.shapes for side in shape.sides] + [*art.details, *art.accents, *art.lines]
    xs = [x for side in sides for x, _ in side.points]
    ys = [y for side in sides for _, y in side.points]
    return min(xs), min(ys), max(xs), max(ys)


def paths(name: str, width: float, height: float) -> tuple[list[list[Command]], list[list[Command]], list[list[Command]], list[list[Command]], float, float]:
    """The illustration scaled into width x height (its shape kept, centred), y up from the bottom: fills, outline
    strokes, detail strokes and accent strokes as path commands, and the drawn width and height."""
    art = ILLUSTRATIONS[name]
    scale = min(width / art.width, height / art.height)
    w, h = art.width * scale, art.height * scale
    x0, y0 = (width - w) / 2, (height - h) / 2

    def at(p: Pt) -> Pt:
        return (x0 + p[0] * scale, y0 + h - p[1] * scale)

    fills = [fill_path(s, at) for s in art.shapes]
    outlines = [c for s in art.shapes for c in stroke_paths(s, at)] + [c for d in art.lines for c in stroke_paths(Shape((d,)), at)]
    details = [c for d in art.details for c in stroke_paths(Shape((d,)), at)]
    accents = [c for d in art.accents for c in stroke_paths(Shape((d,)), at)]
    return fills, outlines, details, accents, w, h
