"""Inline SVG painters for the HTML page: the body map and the booking QR code, from the data the PDF draws.

The geometry comes from the same places the PDF painters use (render/figure.py outline, bodymap.spread for
dots that would overlap, ReportLab's QR encoder for the module grid); only the painting is here. When the
body-map geometry moves into its own painter-agnostic module, `body_map_svg` is the one function to switch.
Colours are CSS classes (styled by the page, dark mode included); text is escaped here.
"""

from __future__ import annotations

import itertools

from markupsafe import Markup, escape

from ..model import BodyMap
from . import figure

DOT = 6.2  # dot radius, in figure units (the figure box is figure.WIDTH x figure.HEIGHT)
GAP = 14  # between the two views, in figure units
LABEL = 20  # room under each view for its label


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def _path(points: list[tuple[float, float]], closed: bool, dx: float) -> str:
    out = [f"M{_num(points[0][0] + dx)} {_num(points[0][1])}"]
    for c1, c2, end in figure.smooth(points, closed):
        out.append("C" + " ".join(f"{_num(x + dx)} {_num(y)}" for x, y in (c1, c2, end)))
    if closed:
        out.append("Z")
    return "".join(out)


def body_map_svg(block: BodyMap, name: str, described_by: str = "") -> Markup:
    """Front and back views with numbered dots, as an `<svg role="img">` named `name`."""
    from .bodymap import spread

    slot = figure.WIDTH + GAP
    width, height = slot * len(block.views) - GAP, figure.HEIGHT + LABEL
    described = f' aria-describedby="{escape(described_by)}"' if described_by else ""
    parts = [f'<svg class="bodymap" role="img" aria-label="{escape(name)}"{described} viewBox="0 0 {_num(width)} {_num(height)}" '
             f'xmlns="http://www.w3.org/2000/svg">']
    for i, (view, label) in enumerate(block.views):
        dx = i * slot
        parts.append(f'<path class="fig" d="{_path(figure.outline(), True, dx)}"/>')
        for line in figure.details(view):
            parts.append(f'<path class="fig-detail" d="{_path(line, False, dx)}"/>')
        marks = [(dx + m.x * figure.WIDTH, m.y * figure.HEIGHT, point.number)
                 for point in block.points for m in point.marks if m.view == view]
        placed = spread(marks, DOT * 2 + 1.5, (dx + DOT, dx + figure.WIDTH - DOT))
        for (tx, ty, _), (cx, cy, _) in zip(marks, placed):
            if abs(cx - tx) + abs(cy - ty) > 1:  # moved off its spot: a fine line back to the spot
                parts.append(f'<line class="leader" x1="{_num(tx)}" y1="{_num(ty)}" x2="{_num(cx)}" y2="{_num(cy)}"/>'
                             f'<circle class="spot" cx="{_num(tx)}" cy="{_num(ty)}" r="2"/>')
        for cx, cy, number in placed:
            parts.append(f'<circle class="dot" cx="{_num(cx)}" cy="{_num(cy)}" r="{DOT}"/>'
                         f'<text class="num" x="{_num(cx)}" y="{_num(cy + 3)}" aria-hidden="true">{number}</text>')
        parts.append(f'<text class="view" x="{_num(dx + figure.WIDTH / 2)}" y="{_num(figure.HEIGHT + LABEL - 4)}" aria-hidden="true">'
                     f"{escape(label)}</text>")
    parts.append("</svg>")
    return Markup("".join(parts))


def qr_modules(url: str) -> list[list[bool]]:
    """The QR module grid (True: dark) for a URL, from the same encoder and settings as the PDF's code."""
    from reportlab.graphics.barcode.qr import QrCodeWidget

    from .plan import QUIET_MODULES

    widget = QrCodeWidget(url, barLevel="M", barBorder=QUIET_MODULES)
    widget.qr.make()
    return [[bool(v) for v in row] for row in widget.qr.modules]


def qr_svg(url: str, name: str) -> Markup:
    """The QR code as one SVG path of dark runs on a white square with its 4-module quiet zone."""
    from .plan import QUIET_MODULES

    modules = qr_modules(url)
    size = len(modules) + 2 * QUIET_MODULES
    runs = []
    for r, row in enumerate(modules):
        x = 0
        for dark, run in itertools.groupby(row):
            n = len(list(run))
            if dark:
                runs.append(f"M{x + QUIET_MODULES} {r + QUIET_MODULES}h{n}v1h-{n}z")
            x += n
    return Markup(f'<svg class="qr" role="img" aria-label="{escape(name)}" viewBox="0 0 {size} {size}" '
                  f'shape-rendering="crispEdges" xmlns="http://www.w3.org/2000/svg">'
                  f'<rect width="{size}" height="{size}" fill="#fff"/><path fill="#000" d="{"".join(runs)}"/></svg>')
