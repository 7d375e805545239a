"""The brochure painter: a Brochure's named panels placed on the sheet that print_geometry describes."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace

from reportlab.lib.colors import CMYKColor, CMYKColorSep, HexColor, toColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, KeepTogether, Paragraph as RLParagraph, Spacer

from ...version import __version__
from ...errors import HandoutError
from ...model import BodyMap, Brochure, BrochurePanel, Callout, Heading, Picture
from ...design.styles import Style, merge, load_style
from ...design import print_geometry as geo
from .bolding import BoldingCanvas
from .flowables import Builder
from .pictures import PictureFlowable, beside_names, picture_flowable, rgb_on_white, separate
from .plan import QrFlowable
from .spread import join as _join, slice_ as _slice, spread


class FitError(HandoutError):
    """A panel's text does not fit on the panel, even set tighter."""


@dataclass(frozen=True)
class BrochureOptions:
    """How to print a brochure; shared by the CLI and the API."""

    format: str = "trifold"
    page_size: str = "letter"
    bleed: float = 0.0  # points
    marks: str = "none"  # none | crop | crop,fold
    colour: str = "rgb"  # rgb | cmyk
    tabs: bool = False  # a flyer: tear-off tabs at its foot with the clinic's phone and booking address
    theme: str = ""  # the cover's design: photo | illustration | type ("": photo if the clinic has one, else illustration)


@dataclass
class Rendered:
    """The PDF and what the renderer decided that a preflight report should say."""

    pdf: bytes
    sheet: geo.Sheet
    conversions: dict[str, str] = field(default_factory=dict)  # "#1D5C63" -> "C69 M0 Y0 K61 (converted)"
    dropped: dict[str, int] = field(default_factory=dict)  # panel -> optional blocks left out for room


# Copyfitting: when a panel's text does not fit, the same words set tighter (never under 9 pt) and the body map a
# little smaller (its dots and numbers keep their size).
_TIGHT = {"text": {"body": {"size": 9.5, "leading": 11.4, "space_after": 2}, "lead": {"size": 9.5, "leading": 11.4},
                   "h2": {"size": 12.5, "leading": 15, "space_after": 3}, "h3": {"space_before": 4},
                   "callout_title": {"size": 10.5, "leading": 12.5}},
          "layout": {"body_map": {"width": 166, "height": 204}}}


def rgb_to_cmyk(r: float, g: float, b: float) -> tuple[float, float, float, float]:
    """Device RGB (0-1) to CMYK (0-1) with full grey-component replacement; no ICC profile is shipped."""
    k = 1 - max(r, g, b)
    if k >= 1:
        return (0.0, 0.0, 0.0, 1.0)
    return tuple(round(v, 4) for v in ((1 - r - k) / (1 - k), (1 - g - k) / (1 - k), (1 - b - k) / (1 - k), k))  # type: ignore[return-value]


def _cmyk_enforcer(accent: str, accent_cmyk: tuple[float, ...] | None, record: dict[str, str]):
    """ReportLab's enforceColorSpace hook: every colour leaves as DeviceCMYK; greys and black as K only."""
    accent = accent.upper()

    def enforce(colour):
        tc = toColor(colour)
        if isinstance(tc, CMYKColorSep):
            tc = tc.clone()
            tc.__class__ = CMYKColor
            return tc
        if isinstance(tc, CMYKColor):
            return tc
        r, g, b = tc.red, tc.green, tc.blue
        if r == g == b:
            return CMYKColor(0, 0, 0, round(1 - r, 4), alpha=tc.alpha)
        hexval = "#%02X%02X%02X" % (round(r * 255), round(g * 255), round(b * 255))
        if hexval == accent and accent_cmyk:
            cmyk = tuple(v / 100 for v in accent_cmyk)
            how = "from clinic.yaml colour_cmyk"
        else:
            cmyk = rgb_to_cmyk(r, g, b)
            how = "converted once from RGB (no ICC profile: ask the print shop for a proof)"
        name = f"brand colour {hexval}" if hexval == accent else f"colour {hexval}"
        record.setdefault(name, "C{:.0f} M{:.0f} Y{:.0f} K{:.0f} ".format(*(v * 100 for v in cmyk)) + how)
        return CMYKColor(*cmyk, alpha=tc.alpha)

    return enforce


def render_brochure(brochure: Brochure, options: BrochureOptions) -> Rendered:
    """Paint every panel on its face; raise FitError naming the panel and its files when text does not fit."""
    sheet = geo.sheet(options.format, options.page_size, options.bleed, options.marks)
    names = {p.name for p in brochure.panels}
    if names != set(sheet.panel_names):
        raise HandoutError(f"brochure panels {sorted(names)} do not match the {options.format} panels {list(sheet.panel_names)}")
    layers = ("brochure", "zh") if brochure.lang == "zh" else ("brochure",)  # zh: kinsoku line breaks, as on the leaflet
    style = load_style(brochure.masthead.colour, options.page_size, layers)
    theme = style.data["brochure"]["themes"][brochure.theme]
    # the theme's cover type, and the colour mode the photos are converted to
    style = Style(merge(style.data, {"text": theme.get("text", {}), "brochure": {"colour": options.colour}}), style.accent,
                  style.page_size)
    out = Rendered(b"", sheet)
    enforce = _cmyk_enforcer(brochure.masthead.colour, brochure.colour_cmyk, out.conversions) if options.colour == "cmyk" else None
    buffer = io.BytesIO()
    canvas = BoldingCanvas(buffer, pagesize=sheet.page, invariant=1, pageCompression=1, initialFontName=style.chain().primary,
                    enforceColorSpace=enforce, lang=brochure.lang, trimBox=sheet.trim_box, bleedBox=sheet.bleed_box)
    canvas.setTitle(brochure.title)
    canvas.setAuthor(brochure.author)
    canvas.setSubject(brochure.subject)
    canvas.setKeywords(", ".join(brochure.keywords))
    canvas.setCreator(f"handouts {__version__}")
    canvas.setProducer(f"handouts {__version__}")
    canvas.setViewerPreference("PrintScaling", "None")
    canvas.setViewerPreference("Duplex", "DuplexFlipShortEdge")
    panels = _moved_on(canvas, sheet, brochure, style, options)
    for index, face in enumerate(sheet.faces):
        canvas.setTrimBox(sheet.trim_box)
        canvas.setBleedBox(sheet.bleed_box)
        for panel in face.panels:
            _background(canvas, sheet, panel, panels[panel.name], brochure.masthead.colour)
        for panel in face.panels:
            out.dropped[panel.name] = _paint(canvas, sheet, panel, panels[panel.name], style, brochure, options)
        if brochure.tabs and index == 0:
            _tabs(canvas, sheet, style, brochure, options)
        if options.marks != "none":
            _marks(canvas, sheet, index, "fold" in options.marks)
        canvas.showPage()
    canvas.save()
    out.pdf = buffer.getvalue()
    return out


def _background(canvas: Canvas, sheet: geo.Sheet, panel: geo.Panel, content: BrochurePanel, colour: str) -> None:
    """A cover panel is the brand colour to the bleed edge on its outer sides, to the fold on the inner."""
    if content.kind != "cover":
        return
    o, b, m = sheet.offset, sheet.bleed, sheet.unprinted  # m: no bleed, so an even white margin the printer can keep
    x0 = o + panel.x - (b if panel.x == 0 else 0) + (m if panel.x == 0 else 0)
    outer = abs(panel.x + panel.width - sheet.trim[0]) < 0.01
    x1 = o + panel.x + panel.width + (b if outer else 0) - (m if outer else 0)
    canvas.saveState()
    canvas.setFillColor(HexColor(colour))
    canvas.rect(x0, o - b + m, x1 - x0, sheet.trim[1] + 2 * b - 2 * m, stroke=0, fill=1)
    canvas.restoreState()


def _panel_style(style: Style, kind: str, accent: str) -> Style:
    if kind == "cover":  # white text, headings (a draft line among them) and bullets on the brand colour
        on = {"body": {"colour": "on_accent", "size": 12, "leading": 15}, "h2": {"colour": "on_accent"}, "h3": {"colour": "on_accent"}}
        return Style(merge(style.data, {"text": on}), "#FFFFFF", style.page_size)
    return style


def _flowables(builder: Builder, blocks, kind: str, panel_height: float = 0.0) -> list[Flowable]:
    out: list[Flowable] = []
    for block in blocks:
        if isinstance(block, Picture):  # brochures only: a photo or one of our illustrations, in a frame that may grow
            out.append(picture_flowable(block, builder.s, builder.width, panel_height, on_colour=kind in ("cover", "head")))
            continue
        for f in builder.block(block):
            if isinstance(block, BodyMap):
                f.hAlign = "CENTER"
            if isinstance(f, KeepTogether):  # one fixed frame per panel: nothing moves to a next page
                out += f._content
                continue
            if isinstance(f, QrFlowable):
                f.hAlign = "CENTER"
            out.append(f)
    return out


def _height(canvas: Canvas, flows: list[Flowable], width: float) -> float:
    total = 0.0
    for i, f in enumerate(flows):
        _, h = f.wrapOn(canvas, width, 100_000)
        total += h + (f.getSpaceBefore() if i else 0) + f.getSpaceAfter()
    return total


def _fit(canvas: Canvas, builder: Builder, content: BrochurePanel, width: float, height: float) -> tuple[list, int, float]:
    """The flowables to print: all the blocks' if they fit, else leaving out optional blocks from the end (a block's
    `together` group and the optional headings just before it go with it; a panel never ends on a heading)."""
    flows, gone, need = _fit_blocks(canvas, builder, content, width, height)
    return flows, len(gone), need


def _fit_blocks(canvas: Canvas, builder: Builder, content: BrochurePanel, width: float, height: float) -> tuple[list, set, float]:
    optional = sorted(content.optional)
    gone: set[int] = set()
    units: list[set[int]] = []  # what was left out, in the order it went
    made = [_flowables(builder, [b], content.kind, height) for b in content.blocks]  # each block's flowables, built once

    def measure(gone: set[int]) -> tuple[list, float]:
        keep = [i for i in range(len(content.blocks)) if i not in gone]
        while keep and isinstance(content.blocks[keep[-1]], Heading):
            keep.pop()
        flows = beside_names([f for i in keep for f in made[i]])  # a portrait beside its practitioner's name
        return flows, _height(canvas, flows, width)

    while True:
        flows, need = measure(gone)
        if need <= height or not optional:
            for unit in reversed(units[:-1]):  # a picture left out before the last piece may fit again
                if not any(isinstance(content.blocks[i], Picture) for i in unit):
                    continue  # (words go the last first, and never come back out of order)
                trial = measure(gone - unit)
                if trial[1] <= height:
                    gone -= unit
                    flows, need = trial
            return flows, gone, need
        last = optional.pop()
        drop = {last}.union(*(set(g) for g in content.together if last in g))
        i = min(drop) - 1
        while i in optional and isinstance(content.blocks[i], Heading):
            drop.add(i)
            i -= 1
        optional = [k for k in optional if k not in drop]
        gone |= drop
        units.append(drop)


def logo_image(data: bytes, cmyk: bool):
    """The clinic logo as a Pillow image on white; for CMYK, brought to sRGB with ImageCms (from its own ICC
    profile, if it has one), then separated as the vector colours are (rgb_to_cmyk: no CMYK profile ships)."""
    if cmyk:
        return separate(rgb_on_white(data, to_srgb=True))
    return rgb_on_white(data, to_srgb=False)


class _LogoCard(Flowable):
    """The clinic logo on a white card (a logo is drawn for white paper, not for the brand colour)."""

    def __init__(self, image, box: tuple[float, float], pad: float = 6):
        super().__init__()
        from reportlab.lib.utils import ImageReader

        self.reader = ImageReader(image)
        w, h = image.size
        scale = min(box[0] / w, box[1] / h)
        self.w, self.h, self.pad = w * scale, h * scale, pad
        self.spaceAfter = 14

    def wrap(self, avail_width, avail_height):
        return self.w + 2 * self.pad, self.h + 2 * self.pad

    def draw(self):
        self.canv.setFillColor(toColor("#FFFFFF"))
        self.canv.roundRect(0, 0, self.w + 2 * self.pad, self.h + 2 * self.pad, 4, stroke=0, fill=1)
        self.canv.drawImage(self.reader, self.pad, self.pad, self.w, self.h)


def _text_rect(sheet: geo.Sheet, panel: geo.Panel, kind: str, base: Style) -> tuple[float, float, float, float]:
    pad = base.data["brochure"]["cover_padding" if kind == "cover" else "panel_padding"]
    x0, y0, x1, y1 = sheet.safe(panel)
    o = sheet.offset
    return (o + x0 + pad, o + y0 + pad, x1 - x0 - 2 * pad, y1 - y0 - 2 * pad)


def _moved_on(canvas: Canvas, sheet: geo.Sheet, brochure: Brochure, base: Style, options: BrochureOptions) -> dict[str, BrochurePanel]:
    """Whole blocks moved between neighbouring text panels in reading order, so that neither is left with much room
    at its foot once its type has grown: the last blocks of one may start the next, or the first blocks of the next
    may end the one before. A heading never leaves the block under it, each panel keeps its first two blocks, the
    urgent-care box never moves onto a panel the reader opens to first, and no move leaves a block out."""
    panels = {p.name: p for p in brochure.panels}
    order = [n for n in geo.READING_ORDER.get(options.format, ()) if n in panels]
    layer = base.data["brochure"].get("text")
    plain = Style(merge(base.data, layer), base.accent, base.page_size) if layer else base
    balance = plain.data["brochure"]["balance"]
    fixed = _panel_style(plain, "text", base.accent)
    first = set(geo.FIRST_OPENED.get(options.format, ()))

    def draft(panel: BrochurePanel) -> bool:
        return bool(brochure.draft_notice) and bool(panel.blocks) and getattr(panel.blocks[0], "text", None) == brochure.draft_notice

    def starts(panel: BrochurePanel, i: int) -> bool:
        """Whether blocks[i] starts a section or a subsection (a heading, not the draft line): a place to cut."""
        return isinstance(panel.blocks[i], Heading) and not (i == 0 and draft(panel))

    known: dict = {}

    def room(name: str, panel: BrochurePanel, pictures: bool = False) -> float | None:
        """The panel's empty share at its foot once its type and body map (and with `pictures`, its other pictures)
        have grown; None when it cannot hold every block it has at its usual size (or leaves out more than before)."""
        key = (name, panel.blocks, panel.optional, panel.together, pictures)
        if key not in known:
            known[key] = _room(name, panel, pictures)
        return known[key]

    def _room(name: str, panel: BrochurePanel, pictures: bool = False) -> float | None:
        _, _, width, height = _text_rect(sheet, sheet.panel(name), "text", base)
        flows, gone, need = _fit_blocks(canvas, Builder(fixed, width), panel, width, height)
        if need > height or len(gone) > dropped[name]:
            return None
        flows, need = _grow(canvas, plain, panel, width, height, flows, len(gone), need)
        if pictures:  # its pictures grown into the room left, as the painter grows them
            need = _pictures_grow(canvas, list(flows), width, height, need)
        return max(0.0, (height - need) / height)

    dropped = {}
    for name in order:
        _, _, width, height = _text_rect(sheet, sheet.panel(name), "text", base)
        dropped[name] = len(_fit_blocks(canvas, Builder(fixed, width), panels[name], width, height)[1]) if panels[name].kind == "text" else 0
    for here, there in zip(order, order[1:]):
        p, q = panels[here], panels[there]
        if p.kind != "text" or q.kind != "text" or p.head or q.head:
            continue
        now = (room(here, p), room(there, q))
        if None not in now and max(now) <= balance["moved"]:  # balanced enough already
            continue
        best, score = None, max(1.0 if r is None else r for r in now)  # None: it is over full, the worst
        keep = 1 if draft(q) else 0  # a draft line stays first on its panel
        moves = [(cut, "on") for cut in range(2, len(p.blocks)) if starts(p, cut)]
        moves += [(cut, "back") for cut in range(keep + 1, len(q.blocks) - 1) if starts(q, cut)]
        for cut, way in moves:
            if way == "on":  # p's last sections start q, after its draft line
                moved = p.blocks[cut:]
                a, b = _slice(p, 0, cut), _join(_join(_slice(q, 0, keep), _slice(p, cut, len(p.blocks))), _slice(q, keep, len(q.blocks)))
                onto = there
            else:  # q's first sections (after its draft line) end p
                moved = q.blocks[keep:cut]
                a, b = _join(p, _slice(q, keep, cut)), _join(_slice(q, 0, keep), _slice(q, cut, len(q.blocks)))
                onto = here
            if onto in first and any(isinstance(m, Callout) for m in moved):
                continue
            ra, rb = room(here, a), room(there, b)
            if ra is None or rb is None:
                continue
            if max(ra, rb) < score - 0.02 and max(ra, rb) <= balance["moved"]:  # a move must balance both panels
                best, score = (a, b), max(ra, rb)
        if best is not None:
            panels[here] = replace(best[0], name=here)
            panels[there] = replace(best[1], name=there)
    # what moving one section between two neighbours could not balance, spreading the run's sections again may
    return spread(order, panels, lambda name, panel: room(name, panel, True), lambda panel: 1 if draft(panel) else 0, first, balance["moved"])


def _paint(canvas: Canvas, sheet: geo.Sheet, panel: geo.Panel, content: BrochurePanel, base: Style, brochure: Brochure,
           options: BrochureOptions) -> int:
    pad = base.data["brochure"]["cover_padding" if content.kind == "cover" else "panel_padding"]
    rect = _text_rect(sheet, panel, content.kind, base)
    if content.kind == "flyer" and content.head:
        # the headline's optional lines (the highlights) give way when the text under them cannot fit otherwise
        short = _without_optional_head(content)
        if short is not content:
            below = _headline(canvas, sheet, rect, content, base, brochure, options, draw=False)
            if not _layout(canvas, _below_tabs(sheet, below, pad, brochure), _body(content), base)[2]:
                content = short
        rect = _below_tabs(sheet, _headline(canvas, sheet, rect, content, base, brochure, options), pad, brochure)
        content = _body(content)
    top = []
    if content.kind == "cover" and brochure.masthead.logo:
        top = [_LogoCard(logo_image(brochure.masthead.logo, options.colour == "cmyk"), tuple(base.data["layout"]["logo_box"]))]
    return _fill(canvas, rect, content, base, brochure, options, panel.name, top)


def _body(content: BrochurePanel) -> BrochurePanel:
    """A flyer panel's blocks under its headline."""
    shift = content.head
    return BrochurePanel(content.name, content.blocks[shift:], tuple(i - shift for i in content.optional if i >= shift),
                         kind="flyer", sources=content.sources,
                         together=tuple(tuple(i - shift for i in g if i >= shift) for g in content.together))


def _without_optional_head(content: BrochurePanel) -> BrochurePanel:
    """The flyer panel without the optional blocks of its headline (the same panel when it has none)."""
    gone = {i for i in content.optional if i < content.head}
    if not gone:
        return content
    keep = [i for i in range(len(content.blocks)) if i not in gone]
    at = {old: new for new, old in enumerate(keep)}
    return BrochurePanel(content.name, tuple(content.blocks[i] for i in keep), tuple(at[i] for i in content.optional if i in at),
                         kind=content.kind, sources=content.sources, head=content.head - len(gone),
                         together=tuple(g for g in (tuple(at[i] for i in grp if i in at) for grp in content.together) if g))


def _below_tabs(sheet: geo.Sheet, rect, pad: float, brochure: Brochure):
    """With tear-off tabs, the flyer's text stops above the strip."""
    if not brochure.tabs:
        return rect
    above = geo.tabs(sheet).top + geo.SAFE + pad
    o = sheet.offset
    return (rect[0], o + above, rect[2], rect[1] + rect[3] - o - above)


def _headline(canvas: Canvas, sheet: geo.Sheet, rect, content: BrochurePanel, base: Style, brochure: Brochure, options,
              draw: bool = True) -> tuple:
    """The flyer's first blocks (under the clinic's logo, if it has one) in white on a band of the brand colour that runs
    to the bleed; returns the room left below (only that, drawing nothing, unless `draw`)."""
    x, y, width, height = rect
    layer = base.data["brochure"].get("headline")  # notice-board sizes: read from across a waiting room
    style = _panel_style(Style(merge(base.data, layer), base.accent, base.page_size) if layer else base, "cover", base.accent)
    builder = Builder(style, width)
    flows = _flowables(builder, content.blocks[:content.head], "cover")
    if brochure.masthead.logo:  # the clinic's logo heads the band, on its white card, as on the other formats' covers
        flows.insert(0, _LogoCard(logo_image(brochure.masthead.logo, options.colour == "cmyk"), tuple(base.data["layout"]["logo_box"])))
    need = _height(canvas, flows, width)
    gap = base.data["brochure"]["cover_padding"]
    band = y + height - need - gap  # the band's lower edge
    below = band - geo.SAFE - gap
    if not draw:
        return (x, y, width, below - y)
    o, b, m = sheet.offset, sheet.bleed, sheet.unprinted
    canvas.saveState()
    canvas.setFillColor(HexColor(brochure.masthead.colour))
    canvas.rect(o - b + m, band, sheet.trim[0] + 2 * b - 2 * m, o + sheet.trim[1] + b - m - band, stroke=0, fill=1)
    canvas.restoreState()
    frame = Frame(x, band + gap / 2, width, need + gap / 2, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    left = list(flows)
    frame.addFromList(left, canvas)
    if left:
        raise FitError(f"the {options.format} headline ({brochure.lang}) does not fit; shorten the cover text in {', '.join(content.sources)}")
    return (x, y, width, below - y)


def _layout(canvas: Canvas, rect, content: BrochurePanel, base: Style, top: list[Flowable] = ()) -> tuple[list, int, bool, float, float]:
    """What the panel prints (measured, not drawn): its flowables, the optional blocks left out, whether they fit,
    the height they need and the height there is."""
    x, y, width, height = rect
    if top:
        height -= _height(canvas, list(top), width)
    need, flows, dropped = 0.0, [], 0
    for layer in (base.data["brochure"].get(content.kind), _TIGHT):  # full size, leaving out what may go; then set tighter
        merged = Style(merge(base.data, layer), base.accent, base.page_size) if layer else base
        style = _panel_style(merged, content.kind, base.accent)
        builder = Builder(style, width)
        flows, dropped, need = _fit(canvas, builder, content, width, height)
        if need <= height:
            if layer is not _TIGHT and content.kind != "cover":
                flows, need = _grow(canvas, merged, content, width, height, flows, dropped, need)
            pad = base.data["brochure"]["cover_padding" if content.kind == "cover" else "panel_padding"]
            return flows, dropped, True, _pictures_grow(canvas, flows, width, height, need, stretch=pad), height
    return flows, dropped, False, need, height


def _pictures_grow(canvas: Canvas, flows: list, width: float, height: float, need: float, stretch: float | None = None) -> float:
    """Room left at the panel's foot goes to its pictures (a cover's first, then the spots), each to its largest; a
    spot left too small to read draws nothing. With `stretch` (the painter's last step, once no whole block could
    move; the panel's padding), a panel still more than `balance.moved` empty as the reader sees it (the room left,
    the blank under its last block's ink and its padding, of its safe zone's height) lets its spots stretch on (pictures:
    spot: stretch), their shape kept. Returns the height the panel then needs."""
    pictures = sorted((f for f in flows if isinstance(f, PictureFlowable)), key=lambda f: f.picture.role == "spot")
    if not pictures:
        return need
    for f in pictures:
        need = _picture_grow(canvas, flows, f, width, height, need)
    for f in pictures:
        f.settle()
    need = _height(canvas, flows, width)
    seen = (height - need + _blank_below(flows[-1]) + stretch) / (height + 2 * stretch) if stretch is not None else 0.0
    if seen > pictures[0].s.data["brochure"]["balance"]["moved"]:
        for f in pictures:
            if f.picture.role == "spot" and f.height and f.most > f.high:
                need = _picture_grow(canvas, flows, f, width, height, need, stretch=True)
    return need


def _blank_below(last: Flowable) -> float:
    """The blank a panel's last flowable leaves under its ink: its space after, and under a paragraph's last
    baseline its leading's gap (a picture: its frame's blank under the drawing)."""
    blank = last.getSpaceAfter()
    if isinstance(last, RLParagraph):
        blank += last.style.leading - last.style.fontSize
    elif isinstance(last, PictureFlowable):
        blank += (last.height - last.shown()[1]) / 2
    return blank


def _picture_grow(canvas: Canvas, flows: list, f: PictureFlowable, width: float, height: float, need: float,
                  stretch: bool = False) -> float:
    """One picture grown into the room at the panel's foot; returns the height the panel then needs."""
    f.grow(height - need - 1, stretch)  # a point to spare: the frame places what was measured
    need = _height(canvas, flows, width)
    if need > height - 1:  # its space above and below came with it
        f.grow(-(need - height + 1), stretch)
        need = _height(canvas, flows, width)
    return need


def _fill(canvas: Canvas, rect, content: BrochurePanel, base: Style, brochure: Brochure, options: BrochureOptions, name: str,
          top: list[Flowable] = ()) -> int:
    x, y, width, _ = rect
    flows, dropped, fits, need, height = _layout(canvas, rect, content, base, top)
    if not fits:
        over = need - height
        files = ", ".join(content.sources) or "the content"
        raise FitError(f"the {options.format} {name} panel ({brochure.lang}, {options.page_size}) cannot hold its text: it needs "
                       f"{need:.0f} pt of height and has {height:.0f} pt (about {over / base.text('body')['leading']:.0f} lines too many). "
                       f"Shorten the text it takes from {files}, or choose a larger --format (bifold, trifold, flyer).")
    if content.kind == "cover":  # the title a third of the way down the spare room, the clinic's name and phone at the foot
        spare = height - _height(canvas, flows, width)
        flows.insert(0, Spacer(1, spare / 3))
        if len(flows) > 3:
            flows.insert(len(flows) - 2, Spacer(1, spare * 2 / 3 - 1))
    flows = [*top, *flows]
    height += _height(canvas, list(top), width) if top else 0
    frame = Frame(x, y, width, height, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id=name)
    left = list(flows)
    frame.addFromList(left, canvas)
    if left:
        raise FitError(f"the {options.format} {name} panel ({brochure.lang}): {len(left)} block(s) did not fit; "
                       f"shorten the text it takes from {', '.join(content.sources)}")
    return dropped


def _tabs(canvas: Canvas, sheet: geo.Sheet, style: Style, brochure: Brochure, options: BrochureOptions) -> None:
    """The tear-off tabs: each tab's lines turned to read upwards, the first bold, set as large as fits on one line
    each (never under `min_size`); dashed cut lines along the strip's top and between the tabs."""
    from reportlab.platypus import Paragraph as RLParagraph

    spec = style.data["brochure"]["tabs"]
    tabs = geo.tabs(sheet)
    o, pad = sheet.offset, spec["padding"]
    x0, y0, x1, y1 = tabs.boxes[0]
    length, across = y1 - y0 - 2 * pad, x1 - x0 - 2 * pad
    sizes = []
    for i, line in enumerate(brochure.tabs):
        size = spec["sizes"][min(i, len(spec["sizes"]) - 1)]
        name = "lead" if i == 0 else "body"
        while True:
            para = RLParagraph(style.markup(line, name), style.paragraph(name, fontSize=size, leading=size * 1.2, spaceAfter=0))
            para.wrap(length, 1000)
            if len(para.blPara.lines) == 1 or size <= spec["min_size"]:
                break
            size -= 0.5
        if len(para.blPara.lines) > 1:
            raise FitError(f"the flyer's tear-off tabs cannot hold {line!r} on one line at {spec['min_size']} pt; "
                           f"shorten the phone or booking_url in clinic.yaml, or make the flyer without --tabs")
        sizes.append(size)
    block = sum(s * 1.2 for s in sizes)
    if block > across:
        raise FitError(f"the flyer's tear-off tabs are too narrow for {len(sizes)} lines; shorten the phone or booking_url in clinic.yaml")
    canvas.saveState()
    for bx0, by0, bx1, by1 in tabs.boxes:
        # turned 90 degrees: each line reads up the tab, the tops of its letters to the left, so the first line is the
        # leftmost; the lines are centred across the tab
        canvas.saveState()
        canvas.translate(o + (bx0 + bx1) / 2 + block / 2, o + by0 + pad)
        canvas.rotate(90)
        y = block
        for i, (line, size) in enumerate(zip(brochure.tabs, sizes)):
            name = "lead" if i == 0 else "body"
            para = RLParagraph(style.markup(line, name), style.paragraph(name, fontSize=size, leading=size * 1.2, spaceAfter=0))
            _, h = para.wrap(length, 1000)
            y -= h
            para.drawOn(canvas, 0, y)
        canvas.restoreState()
    canvas.setStrokeColor(toColor("#000000"))
    canvas.setLineWidth(spec["cut_line"])
    canvas.setDash(*spec["dash"])
    for cx0, cy0, cx1, cy1 in tabs.cuts:
        canvas.line(o + cx0, o + cy0, o + cx1, o + cy1)
    canvas.restoreState()


# Balancing: the text styles and pictures that grow on a panel with room to spare (the cover's own styles do not).
_GROWS = ("body", "lead", "small", "h2", "h3", "callout_title", "figure_label", "qr_caption")


def _scaled(style: Style, kind: str, accent: str, type_: float, picture: float) -> Style:
    """The panel's style with its type `type_` times and its body map and QR code `picture` times as large."""
    data = dict(style.data)  # shallow copies: the style data is only read (a deep merge per attempt was half the time)
    data["text"] = {n: {**t, "size": round(t["size"] * type_, 2), "leading": round(t["leading"] * type_, 2)}
                    if n in _GROWS and "size" in t and "leading" in t else t for n, t in style.data["text"].items()}
    layout = data["layout"] = dict(style.data["layout"])
    layout["body_map"] = {**layout["body_map"], "width": layout["body_map"]["width"] * picture,
                          "height": layout["body_map"]["height"] * picture}
    layout["qr"] = {**layout["qr"], "size": round(layout["qr"]["size"] * picture, 2)}
    return _panel_style(Style(data, style.accent, style.page_size), kind, accent)


def _grow(canvas: Canvas, style: Style, content: BrochurePanel, width: float, height: float, flows: list, dropped: int,
          need: float) -> tuple[list, float]:
    """A panel more than `balance.empty` empty at its foot is rebalanced, not padded: its type grows (to
    `balance.body_max` pt at most), then its pictures (to `balance.picture_max` times), while every block it held still fits."""
    balance = style.data["brochure"]["balance"]
    if height - need <= balance["empty"] * height:
        return flows, need

    def attempt(type_: float, picture: float):
        made, gone, needs = _fit(canvas, Builder(_scaled(style, content.kind, style.accent, type_, picture), width), content, width, height)
        return (made, needs) if gone <= dropped and needs <= height else None

    best = (flows, need)
    chosen = 1.0
    for axis, top in (("type", balance["body_max"] / style.text("body")["size"]), ("picture", balance["picture_max"])):
        low, high = 1.0, top
        if high <= 1.0:
            continue
        for _ in range(4):  # a binary search: larger is better while everything still fits
            mid = (low + high) / 2
            hit = attempt(mid, 1.0) if axis == "type" else attempt(chosen, mid)
            if hit is not None:
                low, best = mid, hit
            else:
                high = mid
        hit = attempt(high, 1.0) if axis == "type" else attempt(chosen, high)
        if hit is not None:
            low, best = high, hit
        if axis == "type":
            chosen = low
    return best


def _marks(canvas: Canvas, sheet: geo.Sheet, face: int, folds: bool) -> None:
    """Crop marks (solid) and fold marks (dashed) in the slug, outside the bleed."""
    canvas.saveState()
    canvas.setStrokeColor(toColor("#000000"))
    canvas.setLineWidth(geo.MARK_LINE)
    for line in geo.marks(sheet, folds):
        canvas.line(*line)
    if folds:
        canvas.setDash(2, 2)
        for line in geo.fold_marks(sheet, face):
            canvas.line(*line)
    canvas.restoreState()
