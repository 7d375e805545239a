"""Inline SVG painters for the HTML page: the body map and the booking QR code, from the data the PDF draws.

The geometry comes from the same places the PDF painters use (handouts/design/map_geometry.py for the body map,
ReportLab's QR encoder for the module grid); only the painting is here.
Colours are CSS classes (styled by the page, dark mode included); text is escaped here.
"""

from __future__ import annotations

import itertools
from functools import lru_cache

from markupsafe import Markup, escape

from ...design import map_geometry
from ...library.cache import LRU, DiskMemo
from ...model import BodyMap

MAP_WIDTH, MAP_HEIGHT = 300.0, 260.0  # the box the map is laid out in (SVG user units; the page scales it)
LABEL_EM = 0.6  # a view label's width per character (bold), in its font size (labels only need not to overlap)
CJK_EM = 1.0  # a Chinese character's


def _label_width(text: str, size: float = 12) -> float:
    """A view label's width in px at `size` px (.view labels), wide enough for the browser's bold sans."""
    return sum(CJK_EM if ord(ch) >= 0x2E80 else LABEL_EM for ch in text) * size


def _large_print() -> tuple[float, float, map_geometry.Sizes, float]:
    """Large print's map as its PDF draws it (styles/large-print.yaml): the box, the disc and dot sizes, and the
    size of the numbers and view labels, in SVG units of a point (the page shows the map 1 unit to 1 pt)."""
    from ...design.styles import sheet

    data = sheet("large-print")
    spec, text = data["layout"]["body_map"], data["text"]
    label = text["figure_label"]
    sizes = map_geometry.Sizes(disc=spec["dot"], dot=max(1.6, spec["dot"] * 0.3), label=label["leading"] + 2,
                               gap=spec["gap"] / 2)
    return spec["width"], spec["height"], sizes, max(text["marker"]["size"], label["size"])


def _num(v: float) -> str:
    return f"{v:.1f}".rstrip("0").rstrip(".")


def body_map_svg(block: BodyMap, name: str, described_by: str = "", large_print: bool = False) -> Markup:
    """The map as an `<svg role="img">` named `name`: the same geometry the PDF paints
    (handouts/design/map_geometry.py: dots at their true spots, numbered discs outside the body with leaders).
    Large print lays it out as the large-print PDF does: a wider box, larger discs, 18-unit numbers (class "large")."""
    width, height, sizes, text = MAP_WIDTH, MAP_HEIGHT, map_geometry.Sizes(disc=7.0, dot=2.4, label=14.0, gap=6.0), 12.0
    if large_print:
        width, height, sizes, text = _large_print()
    marks = tuple((p.number, p.code, m.view, m.x, m.y) for p in block.points for m in p.marks)
    key = (marks, block.views, name, described_by, large_print)
    svg = _SVGS.hit(key)
    if svg is not None:  # the same map on another sheet (a new patient, another practitioner, another fit)
        return svg
    views = dict(block.views)
    measure = lambda label: _label_width(label, text)  # noqa: E731
    widths = [measure(views.get(n, n)) for n in map_geometry.view_order(m[2] for m in marks)]
    place_key = ("page map: own dot nearest, clear of labels", marks, sorted(views.items()), width, height, sizes, widths)
    kept = _DISCS.get(place_key)
    try:
        hash(kept)  # a damaged file may hold anything; the layout's own memo needs a hashable value
    except TypeError:
        kept = None
    geometry = map_geometry.layout(list(marks), views, width, height, sizes, measure=measure, discs=kept)
    found = map_geometry.disc_places(geometry)
    if found != kept:
        _DISCS.put(place_key, found)
    described = f' aria-describedby="{escape(described_by)}"' if described_by else ""
    size = ' large' if large_print else ''
    parts = [f'<svg class="bodymap{size}" role="img" aria-label="{escape(name)}"{described} '
             f'viewBox="0 0 {_num(geometry.width)} {_num(geometry.height)}" xmlns="http://www.w3.org/2000/svg">']
    for v in geometry.views:
        parts += [f'<path class="fig" d="{map_geometry.path_data(f)}"/>' for f in v.fills]
        parts += [f'<path class="fig-line" d="{map_geometry.path_data(p)}"/>' for p in v.strokes]
        parts += [f'<path class="fig-detail" d="{map_geometry.path_data(p)}"/>' for p in v.details]
        for co in v.callouts:
            (x1, y1), (x2, y2) = co.leader
            parts.append(f'<line class="leader" x1="{_num(x1)}" y1="{_num(y1)}" x2="{_num(x2)}" y2="{_num(y2)}"/>')
        parts += [f'<circle class="spot" cx="{_num(d.x)}" cy="{_num(d.y)}" r="{_num(geometry.dot_radius)}"/>'
                  for d in v.dots]
        for co in v.callouts:
            parts.append(f'<circle class="dot" cx="{_num(co.x)}" cy="{_num(co.y)}" r="{_num(geometry.disc_radius)}"/>'
                         f'<text class="num" x="{_num(co.x)}" y="{_num(co.y + geometry.disc_radius * 0.45)}" '
                         f'aria-hidden="true">{co.number}</text>')
        x, y = v.label_at
        parts.append(f'<text class="view" x="{_num(x)}" y="{_num(y)}" aria-hidden="true">{escape(v.label)}</text>')
    parts.append("</svg>")
    return _SVGS.keep(key, Markup("".join(parts)))


# The page's maps are laid out in their own box (MAP_WIDTH x MAP_HEIGHT, or large print's), not the PDF's, so the
# numbered discs' search (most of a new map's time) is remembered for the page too: in memory, the whole SVG of the
# last 48 maps (content and the set of points only: no patient's name is in a map), and on disk the discs'
# places (cache.DiskMemo: SHA-256 digests of the same inputs the PDF's memo uses), so a restarted screen draws a map
# it has drawn before without the search. A remembered SVG is the one the search gives: same bytes.
_SVGS = LRU(48)
_DISCS = DiskMemo("page-discs", keep=1024)


@lru_cache(maxsize=16)  # one booking address per clinic, drawn on every sheet
def qr_svg(url: str, name: str) -> Markup:
    """The QR code as one SVG path of dark runs on a white square with its 4-module quiet zone."""
    from ...design.qr import QUIET_MODULES, qr_modules

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
