"""The social media painter: a SocialPost drawn with ReportLab at 1 pt per pixel, then rasterised by pypdfium2.

ReportLab draws it, as it draws the brochures, so a post has the same fonts, font fallbacks, escaping and Chinese
line breaking (render/pdf/kinsoku.py); pypdfium2 (already needed by preflight and proofs) turns the one page into
pixels at scale 1, so 1080 pt wide is exactly 1080 px. The PDF is kept too: its text layer is the words drawn.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable, Frame, Spacer

from ..composition.social import SocialPost
from ..design.styles import Style, load_style, merge
from ..design.tints import MIN_CONTRAST, contrast, darker
from ..errors import HandoutError
from ..version import __version__
from .pdf.bolding import BoldingCanvas
from .pdf.kinsoku import Paragraph

SIZES = ("square", "portrait", "story")
WHITE = "#FFFFFF"


class SocialFitError(HandoutError):
    """A post's words do not fit on the image at the smallest type a phone can read."""


@dataclass(frozen=True)
class SocialImage:
    """The PNG, the same drawing as a one-page PDF, and what was drawn."""

    png: bytes
    pdf: bytes
    size: tuple[int, int]
    highlights: bool  # whether the highlights were drawn (a small size may leave them out)
    ground: str  # the colour behind the white words: the clinic's colour, darkened if white did not have 4.5:1 on it


def ground_colour(colour: str) -> str:
    """The clinic's colour if white text has 4.5:1 on it, else the same hue darkened until it has."""
    return colour.upper() if contrast(colour, WHITE) >= MIN_CONTRAST else darker(colour)


def render_social(post: SocialPost, size: str) -> SocialImage:
    """Draw the post at `size` (square 1080x1080, portrait 1080x1350, story 1080x1920); SocialFitError names the
    files to shorten when the words do not fit even with the highlights left out and the type at its smallest."""
    if size not in SIZES:
        raise HandoutError(f"--size {size}: not a size; choose one of {', '.join(SIZES)}")
    ground = ground_colour(post.colour)
    base = load_style(ground, "letter", ("social", "zh") if post.lang == "zh" else ("social",))
    spec = base.data["social"]
    width, height = spec["sizes"][size]
    side, edge = spec["margin"][size]
    buffer = io.BytesIO()
    canvas = BoldingCanvas(buffer, pagesize=(width, height), invariant=1, pageCompression=1, initialFontName=base.chain().primary,
                    lang=post.lang)
    canvas.setTitle(post.title)
    canvas.setAuthor(post.clinic)
    canvas.setSubject(" ".join(post.lines))
    canvas.setCreator(f"handouts {__version__}")
    canvas.setProducer(f"handouts {__version__}")
    inner = width - 2 * side
    pad = spec["band_padding"]

    _fill(canvas, 0, 0, width, height, ground)
    top = height
    first = max(edge, pad)  # the first band's words start below the app's own bar (a story) or the padding
    if post.draft:  # black on yellow, first thing on the image, as the brochure's draft line is first on its face
        flows = [_para(base, post.draft, "social_draft")]
        need = _height(flows, inner)
        _fill(canvas, 0, top - first - need - pad, width, first + need + pad, base.colour("draft_ground"))
        _frame(canvas, flows, side, top - first - need, inner, need)
        top -= first + need + pad
        first = pad
    top = _clinic_band(canvas, base, post, side, top, inner, width, first, pad)

    foot = [_para(base, post.call, "social_call"), *([_para(base, post.booking, "social_foot")] if post.booking else []),
            _para(base, post.not_advice, "social_foot")]
    foot_height = _height(foot, inner)
    rule = edge + foot_height + spec["gap"] / 2
    room_top, room_bottom = top - spec["gap"], rule + spec["gap"] / 2
    flows, highlights = _middle(base, post, inner, room_top - room_bottom, size)
    spare = room_top - room_bottom - _height(flows, inner)
    _frame(canvas, [Spacer(1, spare / 3), *flows], side, room_bottom, inner, room_top - room_bottom)
    canvas.saveState()
    canvas.setStrokeColor(HexColor(WHITE))
    canvas.setLineWidth(3)
    canvas.line(side, rule, width - side, rule)
    canvas.restoreState()
    _frame(canvas, foot, side, edge, inner, foot_height)  # drawn last: the text layer reads in the order the eye does
    canvas.showPage()
    canvas.save()
    pdf = buffer.getvalue()
    return SocialImage(_rasterise(pdf, (width, height)), pdf, (width, height), highlights, ground)


def _clinic_band(canvas: Canvas, base: Style, post: SocialPost, side: float, top: float, inner: float, width: float,
                 first: float, pad: float) -> float:
    """The logo and the clinic's name on a white band (a logo is drawn for white paper); returns the band's foot."""
    logo = None
    box = base.data["social"]["logo_box"]
    if post.logo:
        from PIL import Image
        from reportlab.lib.utils import ImageReader

        image = Image.open(io.BytesIO(post.logo))
        image.load()
        if image.mode in ("RGBA", "LA", "P", "PA"):
            rgba = image.convert("RGBA")
            flat = Image.new("RGB", rgba.size, WHITE)
            flat.paste(rgba, mask=rgba.getchannel("A"))
            image = flat
        scale = min(box[0] / image.width, box[1] / image.height)
        logo = (ImageReader(image.convert("RGB")), image.width * scale, image.height * scale)
    text_x = side + (logo[1] + pad if logo else 0)
    name = [_para(base, post.clinic, "social_name")]
    need = max(_height(name, width - side - text_x), logo[2] if logo else 0)
    _fill(canvas, 0, top - first - need - pad, width, first + need + pad, WHITE)
    if logo:
        canvas.drawImage(logo[0], side, top - first - (need + logo[2]) / 2, logo[1], logo[2])
    name_height = _height(name, width - side - text_x)
    _frame(canvas, name, text_x, top - first - (need + name_height) / 2, width - side - text_x, name_height)
    return top - first - need - pad


def _middle(base: Style, post: SocialPost, width: float, room: float, size: str) -> tuple[list[Flowable], bool]:
    """The title, the cover line and the highlights: at full size, then without the highlights, then smaller type."""
    tighter = Style(merge(base.data, base.data["social"]["tighter"]), base.accent, base.page_size)
    need = 0.0
    for style, highlights in ((base, True), (base, False), (tighter, True), (tighter, False)):
        if highlights and not post.highlights:
            continue
        flows: list[Flowable] = []
        if post.picture:  # the brochure branch's photo or illustration, when compose_social sets one
            flows.append(_picture(post.picture, width, room / 3))
        flows.append(_para(style, post.title, "social_title"))
        flows += [_para(style, line, "social_text") for line in post.lines]
        if highlights:
            indent = style.data["layout"]["bullet_indent"]
            flows += [_para(style, item, "social_item", leftIndent=indent, bulletIndent=0,
                           bulletText="•", bulletFontSize=style.text("social_item")["size"]) for item in post.highlights]
        need = _height(flows, width)
        if need <= room:
            return flows, highlights and bool(post.highlights)
    files = ", ".join(post.sources) or "the brochure's cover text"
    raise SocialFitError(f"the {size} image ({post.lang}) cannot hold its words at 40 px, the smallest a phone shows well: "
                         f"they need {need:.0f} px of height and have {room:.0f} px. Choose a taller --size (portrait, "
                         f"story), or shorten the cover text in {files}.")


def _para(style: Style, text: str, name: str, **changes) -> Paragraph:
    return Paragraph(style.markup(text, name), style.paragraph(name, **changes))


def _picture(data: bytes, width: float, most: float) -> Flowable:
    from reportlab.platypus import Image as RLImage
    from reportlab.lib.utils import ImageReader

    w, h = ImageReader(io.BytesIO(data)).getSize()
    scale = min(width / w, most / h)
    return RLImage(io.BytesIO(data), w * scale, h * scale)


def _height(flows: list[Flowable], width: float) -> float:
    total = 0.0
    for i, f in enumerate(flows):
        _, h = f.wrap(width, 100_000)
        total += h + (f.getSpaceBefore() if i else 0) + (f.getSpaceAfter() if i < len(flows) - 1 else 0)
    return total


def _frame(canvas: Canvas, flows: list[Flowable], x: float, y: float, width: float, height: float) -> None:
    frame = Frame(x, y, width, height + 1, leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    left = list(flows)
    frame.addFromList(left, canvas)
    if left:
        raise SocialFitError(f"{len(left)} block(s) of the image did not fit their band")  # _height measured them: a bug


def _fill(canvas: Canvas, x: float, y: float, w: float, h: float, colour: str) -> None:
    canvas.saveState()
    canvas.setFillColor(HexColor(colour))
    canvas.rect(x, y, w, h, stroke=0, fill=1)
    canvas.restoreState()


def _rasterise(pdf: bytes, size: tuple[int, int]) -> bytes:
    """The page as an RGB PNG of exactly `size` pixels (pypdfium2 at scale 1: 1 pt = 1 px)."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        image = document[0].render(scale=1).to_pil().convert("RGB")
    finally:
        document.close()
    if image.size != size:
        raise HandoutError(f"the social image came out {image.size[0]}x{image.size[1]}, not {size[0]}x{size[1]}")
    out = io.BytesIO()
    image.save(out, format="PNG")  # zlib level 6: optimize=True took 0.7 s for 2% smaller
    return out.getvalue()
