"""Small drawn pictograms (vector, no font needed): self-care actions and the call-us / emergency tiers."""

from __future__ import annotations

import math

from reportlab.lib.colors import HexColor, white
from reportlab.platypus import Flowable


def _phone(c, s):
    """A telephone handset."""
    p = c.beginPath()
    p.moveTo(0.22 * s, 0.92 * s)
    p.curveTo(0.02 * s, 0.80 * s, 0.05 * s, 0.45 * s, 0.30 * s, 0.22 * s)
    p.curveTo(0.52 * s, 0.02 * s, 0.80 * s, -0.02 * s, 0.92 * s, 0.18 * s)
    p.lineTo(0.74 * s, 0.34 * s)
    p.curveTo(0.66 * s, 0.28 * s, 0.56 * s, 0.28 * s, 0.46 * s, 0.38 * s)
    p.curveTo(0.36 * s, 0.48 * s, 0.30 * s, 0.58 * s, 0.38 * s, 0.70 * s)
    p.close()
    c.drawPath(p, stroke=0, fill=1)


def _emergency(c, s):
    """A warning triangle with an exclamation mark."""
    p = c.beginPath()
    p.moveTo(0.5 * s, 0.97 * s)
    p.lineTo(0.98 * s, 0.08 * s)
    p.lineTo(0.02 * s, 0.08 * s)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.setFillColor(white)
    c.rect(0.45 * s, 0.38 * s, 0.10 * s, 0.36 * s, stroke=0, fill=1)
    c.circle(0.5 * s, 0.22 * s, 0.06 * s, stroke=0, fill=1)


def _check(c, s):
    c.setLineWidth(s * 0.14)
    c.setLineCap(1)
    c.setLineJoin(1)
    p = c.beginPath()
    p.moveTo(0.12 * s, 0.52 * s)
    p.lineTo(0.40 * s, 0.22 * s)
    p.lineTo(0.90 * s, 0.82 * s)
    c.drawPath(p, stroke=1, fill=0)


def _move(c, s):
    """A walking figure."""
    c.circle(0.56 * s, 0.88 * s, 0.10 * s, stroke=0, fill=1)
    c.setLineWidth(s * 0.11)
    c.setLineCap(1)
    c.setLineJoin(1)
    for a, b, d in (((0.52, 0.74), (0.46, 0.44), None), ((0.46, 0.44), (0.30, 0.04), None), ((0.46, 0.44), (0.66, 0.24), (0.72, 0.04)),
                    ((0.50, 0.66), (0.28, 0.50), None), ((0.50, 0.66), (0.72, 0.54), None)):
        p = c.beginPath()
        p.moveTo(a[0] * s, a[1] * s)
        p.lineTo(b[0] * s, b[1] * s)
        if d:
            p.lineTo(d[0] * s, d[1] * s)
        c.drawPath(p, stroke=1, fill=0)


def _heat(c, s):
    """Three wavy lines rising (warmth)."""
    c.setLineWidth(s * 0.09)
    c.setLineCap(1)
    for x in (0.22, 0.5, 0.78):
        p = c.beginPath()
        p.moveTo(x * s, 0.05 * s)
        p.curveTo((x - 0.14) * s, 0.30 * s, (x + 0.14) * s, 0.50 * s, x * s, 0.70 * s)
        p.curveTo((x - 0.10) * s, 0.80 * s, (x + 0.05) * s, 0.92 * s, x * s, 0.97 * s)
        c.drawPath(p, stroke=1, fill=0)


def _cold(c, s):
    """A snowflake."""
    c.setLineWidth(s * 0.08)
    c.setLineCap(1)
    for k in range(3):
        a = math.pi / 3 * k
        dx, dy = 0.45 * s * math.cos(a), 0.45 * s * math.sin(a)
        c.line(0.5 * s - dx, 0.5 * s - dy, 0.5 * s + dx, 0.5 * s + dy)


def _sleep(c, s):
    """A crescent moon."""
    c.circle(0.46 * s, 0.5 * s, 0.42 * s, stroke=0, fill=1)
    c.setFillColor(white)
    c.circle(0.66 * s, 0.62 * s, 0.36 * s, stroke=0, fill=1)


def _water(c, s):
    """A drop."""
    p = c.beginPath()
    p.moveTo(0.5 * s, 0.98 * s)
    p.curveTo(0.38 * s, 0.74 * s, 0.16 * s, 0.52 * s, 0.16 * s, 0.34 * s)
    p.curveTo(0.16 * s, 0.14 * s, 0.32 * s, 0.02 * s, 0.5 * s, 0.02 * s)
    p.curveTo(0.68 * s, 0.02 * s, 0.84 * s, 0.14 * s, 0.84 * s, 0.34 * s)
    p.curveTo(0.84 * s, 0.52 * s, 0.62 * s, 0.74 * s, 0.5 * s, 0.98 * s)
    p.close()
    c.drawPath(p, stroke=0, fill=1)


def _food(c, s):
    """A bowl."""
    p = c.beginPath()
    p.moveTo(0.04 * s, 0.52 * s)
    p.lineTo(0.96 * s, 0.52 * s)
    p.curveTo(0.92 * s, 0.20 * s, 0.72 * s, 0.08 * s, 0.5 * s, 0.08 * s)
    p.curveTo(0.28 * s, 0.08 * s, 0.08 * s, 0.20 * s, 0.04 * s, 0.52 * s)
    p.close()
    c.drawPath(p, stroke=0, fill=1)
    c.setLineWidth(s * 0.07)
    c.setLineCap(1)
    c.line(0.36 * s, 0.62 * s, 0.30 * s, 0.92 * s)
    c.line(0.60 * s, 0.62 * s, 0.66 * s, 0.92 * s)


def _breathe(c, s):
    """Air lines (calm breathing)."""
    c.setLineWidth(s * 0.09)
    c.setLineCap(1)
    for y, w in ((0.75, 0.7), (0.5, 0.9), (0.25, 0.6)):
        p = c.beginPath()
        p.moveTo(0.05 * s, y * s)
        p.lineTo(w * s, y * s)
        p.curveTo((w + 0.15) * s, y * s, (w + 0.15) * s, (y + 0.15) * s, w * s, (y + 0.15) * s)
        c.drawPath(p, stroke=1, fill=0)


def _screen(c, s):
    """A screen, switched off."""
    c.setLineWidth(s * 0.09)
    c.roundRect(0.06 * s, 0.26 * s, 0.88 * s, 0.62 * s, 0.06 * s, stroke=1, fill=0)
    c.line(0.30 * s, 0.08 * s, 0.70 * s, 0.08 * s)


def _diary(c, s):
    """A notepad with lines."""
    c.setLineWidth(s * 0.08)
    c.rect(0.16 * s, 0.04 * s, 0.68 * s, 0.90 * s, stroke=1, fill=0)
    for y in (0.68, 0.48, 0.28):
        c.line(0.28 * s, y * s, 0.72 * s, y * s)


ICONS = {"phone": _phone, "emergency": _emergency, "check": _check, "move": _move, "heat": _heat, "cold": _cold,
         "sleep": _sleep, "water": _water, "food": _food, "breathe": _breathe, "screen": _screen, "diary": _diary}


class Icon(Flowable):
    """One pictogram, `size` points square, in one colour."""

    def __init__(self, name: str, size: float, colour: str):
        super().__init__()
        if name not in ICONS:
            raise ValueError(f"no pictogram called {name!r}; the pictograms are {', '.join(sorted(ICONS))}")
        self.name, self.size, self.colour = name, size, colour
        self.width = self.height = size

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        c = self.canv
        c.saveState()
        c.setFillColor(HexColor(self.colour))
        c.setStrokeColor(HexColor(self.colour))
        ICONS[self.name](c, self.size)
        c.restoreState()
