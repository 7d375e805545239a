"""Print geometry of brochures as plain data: trim, bleed, slug, faces, panels, folds and safe zones (points)."""

from __future__ import annotations

import re
from dataclasses import dataclass

IN = 72.0
MM = 72.0 / 25.4
SAFE = 0.125 * IN  # text and logos stay this far inside a trim edge and clear of each fold
OFFICE_EDGE = 0.25 * IN  # without bleed (office printing): nothing printed this near the paper's edge, which
                         # desktop printers cannot reach (colour there leaves a white frame of uneven width)
SLUG = 0.375 * IN  # room outside the bleed for crop and fold marks (only with --marks)
MARK_GAP = 3.0  # marks start this far outside the bleed edge
MARK_LINE = 0.3  # pt: print shops want 0.25-0.5 pt
MAX_BLEED = 0.5 * IN

FORMATS = ("trifold", "bifold", "rack-card", "flyer")
# The order a reader meets the panels: the cover, then what opening it shows (a letter-fold's cover opens onto
# inside_left and the fold-in flap; opening the flap shows the whole inside), the back last.
READING_ORDER = {"trifold": ("cover", "inside_left", "flap", "inside_middle", "inside_right", "back"),
                 "bifold": ("cover", "inside_left", "inside_right", "back"), "rack-card": ("front", "back"),
                 "flyer": ("front",)}
FIRST_OPENED = {"trifold": ("inside_left", "flap"), "bifold": ("inside_left",), "rack-card": (), "flyer": ()}
MARKS = ("none", "crop", "crop,fold")
DEFAULT_BLEED = "0"  # office printing: a desktop printer cannot print to the edge; print shops want 0.125in or 3mm

_LENGTH = re.compile(r"^\s*(\d+(?:\.\d*)?|\.\d+)\s*(in|mm|cm|pt)?\s*$", re.I)
_UNITS = {"in": IN, "mm": MM, "cm": 10 * MM, "pt": 1.0}


class LengthError(ValueError):
    """A length on the command line that is not a number with a unit."""


def parse_length(text: str, name: str = "--bleed") -> float:
    """`0.125in`, `3mm`, `0.3cm`, `9pt` or `0` -> points."""
    m = _LENGTH.match(str(text))
    if not m:
        raise LengthError(f"{name}: {text!r} is not a length; write a number with a unit, e.g. 0.125in, 3mm or 9pt (or 0 for none)")
    value, unit = float(m[1]), (m[2] or "").lower()
    if not unit and value != 0:
        raise LengthError(f"{name}: {text!r} has no unit; write {text}in, {text}mm or {text}pt")
    points = value * _UNITS.get(unit, 1.0)
    if points > MAX_BLEED:
        raise LengthError(f"{name}: {text!r} is more than 0.5in; print shops ask for 0.125in (US) or 3mm (A4)")
    return round(points, 4)


@dataclass(frozen=True)
class Panel:
    """A panel of one face, in trim coordinates (origin at the trim's bottom-left corner)."""

    name: str
    x: float
    width: float
    height: float

    @property
    def safe(self) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) where text and logos may go."""
        return (self.x + SAFE, SAFE, self.x + self.width - SAFE, self.height - SAFE)


@dataclass(frozen=True)
class Face:
    """One side of the sheet: a page of the PDF."""

    name: str  # outside | inside | front | back
    panels: tuple[Panel, ...]

    @property
    def folds(self) -> tuple[float, ...]:
        return tuple(p.x for p in self.panels[1:])


@dataclass(frozen=True)
class Sheet:
    """Everything about the paper of one brochure: the finished size, bleed, slug and faces."""

    format: str
    page_size: str
    trim: tuple[float, float]
    bleed: float
    slug: float
    faces: tuple[Face, ...]

    @property
    def offset(self) -> float:
        """Where the trim starts on the PDF page, from its bottom-left corner."""
        return self.bleed + self.slug

    @property
    def page(self) -> tuple[float, float]:
        return (self.trim[0] + 2 * self.offset, self.trim[1] + 2 * self.offset)

    @property
    def trim_box(self) -> tuple[float, float, float, float]:
        o = self.offset
        return (o, o, o + self.trim[0], o + self.trim[1])

    @property
    def bleed_box(self) -> tuple[float, float, float, float]:
        s = self.slug
        return (s, s, self.page[0] - s, self.page[1] - s)

    def panel(self, name: str) -> Panel:
        for face in self.faces:
            for panel in face.panels:
                if panel.name == name:
                    return panel
        raise KeyError(name)

    def face_of(self, panel_name: str) -> int:
        for i, face in enumerate(self.faces):
            if any(p.name == panel_name for p in face.panels):
                return i
        raise KeyError(panel_name)

    @property
    def panel_names(self) -> tuple[str, ...]:
        return tuple(p.name for f in self.faces for p in f.panels)

    @property
    def edge(self) -> float:
        """How far inside the trim text, logos and colour keep from the paper's edge: SAFE with bleed (the shop
        trims, colour runs into the bleed), OFFICE_EDGE without (a desktop printer's unprintable margin)."""
        return SAFE if self.bleed > 0 else OFFICE_EDGE

    @property
    def unprinted(self) -> float:
        """The margin at the paper's edge left without ink (none with bleed, where colour runs past the trim)."""
        return 0.0 if self.bleed > 0 else OFFICE_EDGE

    def safe(self, panel: Panel) -> tuple[float, float, float, float]:
        """(x0, y0, x1, y1) where text and logos may go on this sheet: SAFE from a fold, self.edge from the paper's edge."""
        right = sum(p.width for f in self.faces for p in f.panels if panel in f.panels)
        x0 = panel.x + (self.edge if panel.x < 0.01 else SAFE)
        x1 = panel.x + panel.width - (self.edge if abs(panel.x + panel.width - right) < 0.01 else SAFE)
        return (x0, self.edge, x1, panel.height - self.edge)


TAB_STRIP = 2.1 * IN  # a flyer's tear-off strip: tabs this long at its foot, inside the safe zone
TAB_WIDTH = 0.75 * IN  # about this wide: as many tabs as fit across the safe zone


@dataclass(frozen=True)
class Tabs:
    """A flyer's tear-off tabs in trim coordinates: each tab's box (its text inside) and the dashed cut lines."""

    boxes: tuple[tuple[float, float, float, float], ...]  # (x0, y0, x1, y1)
    cuts: tuple[tuple[float, float, float, float], ...]  # (x0, y0, x1, y1) lines

    @property
    def top(self) -> float:
        return self.boxes[0][3]


def tabs(sheet: Sheet) -> Tabs:
    """Tear-off tabs across the foot of a flyer: the boxes fill the safe zone's width; a cut line runs along the
    strip's top and between the tabs down to the paper's edge (with no bleed, to the printer's margin)."""
    if sheet.format != "flyer":
        raise ValueError(f"tear-off tabs are for a flyer, not a {sheet.format}")
    w = sheet.trim[0]
    x0, x1 = sheet.edge, w - sheet.edge
    count = max(1, int((x1 - x0) // TAB_WIDTH))
    step = (x1 - x0) / count
    y0, y1 = sheet.edge, sheet.edge + TAB_STRIP
    boxes = tuple((round(x0 + i * step, 4), y0, round(x0 + (i + 1) * step, 4), y1) for i in range(count))
    m = sheet.unprinted
    cuts = ((m, y1, w - m, y1), *((b[0], m, b[0], y1) for b in boxes[1:]))
    return Tabs(boxes, cuts)


def _face(name: str, height: float, panels: list[tuple[str, float]]) -> Face:
    x, out = 0.0, []
    for pname, width in panels:
        out.append(Panel(pname, round(x, 4), round(width, 4), round(height, 4)))
        x += width
    return Face(name, tuple(out))


# Panel widths, left to right as seen on each face: (letter in inches, a4 in mm).
_TRIFOLD = {
    "letter": ((11 * IN, 8.5 * IN), (3.625 * IN, 3.6875 * IN, 3.6875 * IN)),
    "a4": ((297 * MM, 210 * MM), (97 * MM, 100 * MM, 100 * MM)),
}


def sheet(format: str, page_size: str = "letter", bleed: float = 0.0, marks: str = "none") -> Sheet:
    """The geometry of a format on a paper size, with `bleed` points of bleed and a slug when marks are drawn."""
    if format not in FORMATS:
        raise ValueError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    if page_size not in ("letter", "a4"):
        raise ValueError(f"unknown page size {page_size!r}; choose letter or a4")
    slug = SLUG if marks != "none" else 0.0
    if format == "trifold":
        (w, h), (flap, back, cover) = _TRIFOLD[page_size]
        # Outside: flap | back | cover. Inside (the sheet turned over on its short edge): the flap is the
        # narrow inside_right, so the inside reads wide | wide | narrow.
        faces = (_face("outside", h, [("flap", flap), ("back", back), ("cover", cover)]),
                 _face("inside", h, [("inside_left", cover), ("inside_middle", back), ("inside_right", flap)]))
    elif format == "bifold":
        w, h = (11 * IN, 8.5 * IN) if page_size == "letter" else (297 * MM, 210 * MM)
        faces = (_face("outside", h, [("back", w / 2), ("cover", w / 2)]),
                 _face("inside", h, [("inside_left", w / 2), ("inside_right", w / 2)]))
    elif format == "rack-card":
        w, h = (4 * IN, 9 * IN) if page_size == "letter" else (99 * MM, 210 * MM)
        faces = (_face("front", h, [("front", w)]), _face("back", h, [("back", w)]))
    else:
        w, h = (8.5 * IN, 11 * IN) if page_size == "letter" else (210 * MM, 297 * MM)
        faces = (_face("front", h, [("front", w)]),)
    return Sheet(format, page_size, (round(w, 4), round(h, 4)), bleed, slug, faces)


def match_sheet(trim: tuple[float, float], pages: int) -> Sheet | None:
    """The format whose trim size and page count fit a PDF's TrimBox (for preflight without --format)."""
    for fmt in FORMATS:
        for size in ("letter", "a4"):
            s = sheet(fmt, size)
            if len(s.faces) == pages and abs(s.trim[0] - trim[0]) < 1 and abs(s.trim[1] - trim[1]) < 1:
                return s
    return None


def marks(sheet: Sheet, folds: bool) -> list[tuple[float, float, float, float]]:
    """Crop (and fold) mark lines (x0, y0, x1, y1) in page coordinates, all in the slug outside the bleed."""
    o, b = sheet.offset, sheet.bleed
    w, h = sheet.trim
    start, end = b + MARK_GAP, sheet.slug + b - 1.5
    out = []
    for x in (o, o + w):  # vertical crop marks above and below each vertical trim edge
        out += [(x, o - start, x, o - end), (x, o + h + start, x, o + h + end)]
    for y in (o, o + h):
        out += [(o - start, y, o - end, y), (o + w + start, y, o + w + end, y)]
    return out


def fold_marks(sheet: Sheet, face: int) -> list[tuple[float, float, float, float]]:
    o, b = sheet.offset, sheet.bleed
    h = sheet.trim[1]
    start, end = b + MARK_GAP, sheet.slug + b - 1.5
    out = []
    for x in sheet.faces[face].folds:
        out += [(o + x, o - start, o + x, o - end), (o + x, o + h + start, o + x, o + h + end)]
    return out
