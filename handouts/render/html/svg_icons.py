"""The pictograms of render/icons.py as inline SVG, painted by the very same drawing functions.

Each pictogram in icons.py is a function of (canvas, size) that calls a handful of ReportLab canvas
methods. Here a small recording canvas takes those calls and writes SVG elements instead, so the page
and the PDF draw one shape from one definition. The icons are decorative on the page (the item's text
carries the meaning): aria-hidden, no title. Colour is `currentColor` (the page's CSS picks it, dark
mode included); what the PDF paints white (the mark inside the warning triangle, the moon's bite) is
painted in the page's background colour through the class "knock".
"""

from __future__ import annotations

from functools import lru_cache

from markupsafe import Markup

SIZE = 20.0  # user units of the viewBox; the page scales the icon to its text


def _n(v: float) -> str:
    return f"{v:.2f}".rstrip("0").rstrip(".")


class _Path:
    def __init__(self):
        self.d: list[str] = []

    def moveTo(self, x, y):
        self.d.append(f"M{_n(x)} {_n(y)}")

    def lineTo(self, x, y):
        self.d.append(f"L{_n(x)} {_n(y)}")

    def curveTo(self, x1, y1, x2, y2, x3, y3):
        self.d.append(f"C{_n(x1)} {_n(y1)} {_n(x2)} {_n(y2)} {_n(x3)} {_n(y3)}")

    def close(self):
        self.d.append("Z")


class _Recorder:
    """Just enough of a ReportLab canvas for icons.py: paths, lines, rects, circles, line width, cap, join, fill."""

    def __init__(self):
        self.out: list[str] = []
        self.width, self.cap, self.join, self.knock = 1.0, "butt", "miter", False

    def _paint(self, stroke: int, fill: int) -> str:
        colour = "var(--icon-knock, #fff)" if self.knock else "currentColor"
        fill_ = colour if fill else "none"
        if stroke:
            return (f' fill="{fill_}" stroke="{colour}" stroke-width="{_n(self.width)}" stroke-linecap="{self.cap}"'
                    f' stroke-linejoin="{self.join}"')
        return f' fill="{fill_}"'

    # state
    def setLineWidth(self, w):
        self.width = w

    def setLineCap(self, cap):
        self.cap = ("butt", "round", "square")[cap]

    def setLineJoin(self, join):
        self.join = ("miter", "round", "bevel")[join]

    def setFillColor(self, colour):
        self.knock = True  # icons.py only ever sets white: the knocked-out parts

    def setStrokeColor(self, colour):
        pass

    # shapes
    def beginPath(self):
        return _Path()

    def drawPath(self, path, stroke=1, fill=0):
        self.out.append(f'<path d="{" ".join(path.d)}"{self._paint(stroke, fill)}/>')

    def line(self, x1, y1, x2, y2):
        self.out.append(f'<line x1="{_n(x1)}" y1="{_n(y1)}" x2="{_n(x2)}" y2="{_n(y2)}"{self._paint(1, 0)}/>')

    def rect(self, x, y, w, h, stroke=1, fill=0):
        self.out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}"{self._paint(stroke, fill)}/>')

    def roundRect(self, x, y, w, h, r, stroke=1, fill=0):
        self.out.append(f'<rect x="{_n(x)}" y="{_n(y)}" width="{_n(w)}" height="{_n(h)}" rx="{_n(r)}"'
                        f'{self._paint(stroke, fill)}/>')

    def circle(self, x, y, r, stroke=1, fill=0):
        self.out.append(f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(r)}"{self._paint(stroke, fill)}/>')


@lru_cache(maxsize=None)
def icon_svg(name: str, css_class: str = "icon") -> Markup:
    """One pictogram as a decorative inline `<svg aria-hidden="true">` (ReportLab's y runs up: flipped here)."""
    from ..pdf.icons import ICONS

    if name not in ICONS:
        raise ValueError(f"no pictogram called {name!r}; the pictograms are {', '.join(sorted(ICONS))}")
    canvas = _Recorder()
    ICONS[name](canvas, SIZE)
    pad = SIZE * 0.08  # round caps and thick strokes reach a little past the box
    box = f"{_n(-pad)} {_n(-pad)} {_n(SIZE + 2 * pad)} {_n(SIZE + 2 * pad)}"
    body = "".join(canvas.out)
    return Markup(f'<svg class="{css_class} icon-{name}" aria-hidden="true" focusable="false" viewBox="{box}" '
                  f'xmlns="http://www.w3.org/2000/svg"><g transform="matrix(1 0 0 -1 0 {_n(SIZE)})">{body}</g></svg>')

