"""A brochure's pictures: clinic photos cropped around their focus, and our line illustrations, in frames that may grow."""

from __future__ import annotations

import io

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable

from ...design import illustrations
from ...design.styles import Style
from ...errors import HandoutError
from ...model import Picture

INCH = 72.0


class PictureError(HandoutError):
    """A photo cannot be framed without cropping the part its focus keeps whole."""


def crop_box(size: tuple[int, int], aspect: float, focus: tuple[float, float, float, float]) -> tuple[int, int, int, int]:
    """The largest window of the photo with height / width = `aspect` that holds the focus box whole, centred on it as
    far as the photo's edges allow (left, top, right, bottom in pixels); PictureError when the box cannot fit."""
    width, height = size
    if height / width > aspect:
        cw, ch = width, width * aspect
    else:
        cw, ch = height / aspect, height
    fx0, fy0, fx1, fy1 = focus[0] * width, focus[1] * height, focus[2] * width, focus[3] * height
    if fx1 - fx0 > cw + 0.5 or fy1 - fy0 > ch + 0.5:
        raise PictureError(f"{fx1 - fx0:.0f}×{fy1 - fy0:.0f}")
    x = min(max((fx0 + fx1) / 2 - cw / 2, 0), width - cw)
    y = min(max((fy0 + fy1) / 2 - ch / 2, 0), height - ch)
    x, y = min(x, fx0), min(y, fy0)  # the box whole, even where centring would cut it
    x, y = max(x, fx1 - cw), max(y, fy1 - ch)
    return (round(x), round(y), round(x + cw), round(y + ch))


def photo_image(data: bytes, box: tuple[int, int, int, int], printed: tuple[float, float], ppi: float, cmyk: bool):
    """The photo cut to `box`, scaled down (never up) to about `ppi` at its printed size (points), on white; in CMYK
    separated as the vector colours are (separate: full grey-component replacement)."""
    from PIL import Image

    image = rgb_on_white(data, to_srgb=True).crop(box)
    want = (round(printed[0] / INCH * ppi * 1.05), round(printed[1] / INCH * ppi * 1.05))
    if want[0] < image.width:
        image = image.resize(want, Image.LANCZOS)
    return separate(image) if cmyk else image


def rgb_on_white(data: bytes, to_srgb: bool):
    """A PNG or JPEG as an RGB Pillow image, any transparency flattened on white; with `to_srgb`, brought into sRGB
    from the file's own ICC profile when it has a usable one (a camera's, a design tool's)."""
    from PIL import Image, ImageCms

    image = Image.open(io.BytesIO(data))
    image.load()
    icc = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "P", "PA"):
        rgba = image.convert("RGBA")
        image = Image.new("RGB", rgba.size, "white")
        image.paste(rgba, mask=rgba.getchannel("A"))
    else:
        image = image.convert("RGB")
    if to_srgb and icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"), outputMode="RGB")
        except (OSError, ImageCms.PyCMSError):
            pass  # a broken profile: the pixels as they are
    return image


def separate(image):
    """An RGB image in CMYK, pixel by pixel as rgb_to_cmyk separates a colour: full grey-component replacement, so
    black and greys print on the K plate alone. (Pillow's own convert("CMYK") sets K to 0 and prints black as
    C100 M100 Y100: 300 % ink, which a print shop flags, and small black type blurs if the plates shift.)"""
    from PIL import Image, ImageChops, ImageMath

    r, g, b = image.split()
    top = ImageChops.lighter(ImageChops.lighter(r, g), b)  # 255 (1 - K)

    def plate(x):  # 255 (top - x) / top, rounded; 0 where the pixel is black (top 0, and x 0 with it)
        return ImageMath.lambda_eval(
            lambda a: a["convert"]((a["float"](a["top"]) - a["x"]) * 255 / a["max"](a["top"], 1) + 0.5, "L"), top=top, x=x)

    return Image.merge("CMYK", (plate(r), plate(g), plate(b), ImageChops.invert(top)))


def _ink(name: str) -> tuple[float, float, float, float]:
    """The box of the drawing's lines, a little wider than their points (a smooth curve swings a little past them)."""
    x0, y0, x1, y1 = illustrations.ink(name)
    return x0 - _INK_MARGIN, y0 - _INK_MARGIN, x1 + _INK_MARGIN, y1 + _INK_MARGIN


_INK_MARGIN = 3.0  # the drawing's units


class PictureFlowable(Flowable):
    """A picture in a frame `width` wide, `height` tall; `low`..`high`: the heights it may take (it starts at `low`,
    the layout hands it room left at the panel's foot up to `high`). A spot whose room is under `least` draws nothing.
    `most` (a spot's, when above `high`): how tall it may yet stretch when its panel would still be left too empty,
    its drawing then scaled by the lines it draws, not its box, so that it stays no wider than its frame."""

    def __init__(self, picture: Picture, style: Style, width: float, low: float, high: float, on_colour: bool,
                 least: float = 0.0, most: float = 0.0):
        super().__init__()
        self.picture, self.s, self.frame_width = picture, style, width
        self.low, self.high, self.least, self.most = low, high, least, max(most, high)
        self.height = low
        self.on_colour = on_colour
        self.hAlign = "LEFT" if picture.role == "portrait" else "CENTER"
        self.spaceBefore = 4 if picture.role in ("spot", "portrait") else 0
        self.spaceAfter = 10 if picture.role in ("cover", "mark", "inset") else 4
        self.bound = self._photo_bound() if picture.kind == "photo" else None

    def _photo_bound(self) -> tuple[float, float]:
        """The photo's pixels across and down (after its crop to the frame's shape at its starting height)."""
        from PIL import Image

        with Image.open(io.BytesIO(self.picture.data)) as image:
            return image.size

    def getSpaceBefore(self) -> float:
        return self.spaceBefore if self.height else 0.0

    def getSpaceAfter(self) -> float:
        return self.spaceAfter if self.height else 0.0

    def settle(self) -> float:
        """A spot left smaller than `least` gives its room back (drawing nothing); returns the height given back."""
        if 0 < self.height < self.least:
            back, self.height = self.height, 0.0
            return back
        return 0.0

    def grow(self, extra: float, stretch: bool = False) -> float:
        """Take up to `extra` points more height (to `high`, or with `stretch` to `most`); returns what it took."""
        take = max(-self.height, min(extra, (self.most if stretch else self.high) - self.height))  # (less than nothing: it gives room back)
        self.height += take
        return take

    def shown(self) -> tuple[float, float, tuple[int, int, int, int] | None]:
        """The drawn width, height and (a photo) its crop box: a photo at most as large as its pixels allow at the
        style's `photo_ppi`, never with its focus cut."""
        if self.height < self.least or self.height <= 0:
            return 0.0, 0.0, None
        w, h = self.frame_width, self.height
        if self.picture.kind == "photo":  # a frame too wide (or tall) to show the focus whole is drawn narrower (shorter)
            (pw, ph), f = self.bound, self.picture.focus
            low, high = (f[3] - f[1]) * ph / pw, ph / max((f[2] - f[0]) * pw, 1)
            if h / w < low:
                w = h / low
            elif h / w > high:
                h = w * high
        if self.picture.kind != "photo":
            art = illustrations.ILLUSTRATIONS[self.picture.name]
            if self.height > self.high:  # stretched: its lines (not its box) as large as the frame allows
                x0, y0, x1, y1 = _ink(self.picture.name)
                scale = min(w / (x1 - x0), h / (y1 - y0))
                return art.width * scale, art.height * scale, None
            scale = min(w / art.width, h / art.height)
            return art.width * scale, art.height * scale, None
        try:
            box = crop_box(self.bound, h / w, self.picture.focus)
        except PictureError as exc:
            raise PictureError(f"{self.picture.where}: the focus ({exc} pixels) is larger than a {w / INCH:.2f} × "
                               f"{h / INCH:.2f} in frame can show of {self.picture.name}; give a smaller focus, or a "
                               f"photo with more room around the face") from None
        ppi = self.s.data["brochure"]["pictures"]["photo_ppi"]
        most = (box[2] - box[0]) / (ppi * 1.01) * INCH  # the widest it prints at `ppi` (and a little over, for rounding)
        if most < w:
            w, h = most, most * h / w
        return w, h, box

    def wrap(self, avail_width, avail_height):
        return self.frame_width, self.height

    def draw(self):
        w, h, box = self.shown()
        if not w:
            return
        x = 0.0 if self.picture.role == "portrait" else (self.frame_width - w) / 2
        y = (self.height - h) / 2
        if self.picture.kind != "photo" and self.height > self.high:  # stretched: its lines' box centred in the frame
            art = illustrations.ILLUSTRATIONS[self.picture.name]
            x0, y0, x1, y1 = _ink(self.picture.name)
            scale = w / art.width
            x = self.frame_width / 2 - (x0 + x1) / 2 * scale
            y = self.height / 2 - (art.height - (y0 + y1) / 2) * scale
        if self.picture.kind == "photo":
            from reportlab.lib.utils import ImageReader

            cmyk = self.s.data["brochure"].get("colour") == "cmyk"
            image = photo_image(self.picture.data, box, (w, h), self.s.data["brochure"]["pictures"]["photo_ppi"], cmyk)
            self.canv.drawImage(ImageReader(image), x, y, w, h)
            return
        self._draw_art(x, y, w, h)

    def _draw_art(self, x: float, y: float, w: float, h: float) -> None:
        c = self.canv
        fills, outlines, details, accents, _, _ = illustrations.paths(self.picture.name, w, h)
        line = self.s.data["brochure"]["pictures"]["line"]
        if self.on_colour:  # white lines on the brand colour, no fill
            colours = (None, self.s.colour("on_accent"), self.s.colour("on_accent"), self.s.colour("on_accent"))
        else:
            colours = (self.s.colour("figure_fill"), self.s.colour("figure_line"), self.s.colour("figure_detail"), self.s.accent)
        c.saveState()
        c.translate(x, y)
        c.setLineCap(1)
        c.setLineJoin(1)
        if colours[0]:
            c.setFillColor(HexColor(colours[0]))
            for f in fills:
                c.drawPath(self._path(f), stroke=0, fill=1)
        for commands, colour, width in ((outlines, colours[1], line), (details, colours[2], line * 0.6),
                                        (accents, colours[3], line * 1.3)):
            c.setStrokeColor(HexColor(colour))
            c.setLineWidth(width)
            for path in commands:
                c.drawPath(self._path(path), stroke=1, fill=0)
        c.restoreState()

    def _path(self, commands):
        path = self.canv.beginPath()
        for op, *v in commands:
            if op == "M":
                path.moveTo(*(round(n, 1) for n in v))
            elif op == "L":
                path.lineTo(*(round(n, 1) for n in v))
            elif op == "C":
                path.curveTo(*(round(n, 1) for n in v))
            elif op == "Z":
                path.close()
        return path


def picture_flowable(picture: Picture, style: Style, width: float, panel_height: float, on_colour: bool) -> PictureFlowable:
    """The picture's frame from the style's `pictures:` for its role: a share of the column's width; its height between
    a lower and an upper bound (a cover's at most `max_share` of the panel; a spot from nothing to `grow` times)."""
    spec = style.data["brochure"]["pictures"][picture.role]
    w = min(width * spec["width"], spec.get("max_width", width))
    h = w * spec["aspect"]
    if "max_share" in spec:
        h = min(h, spec["max_share"] * panel_height)
    if picture.kind == "illustration":  # no taller than the drawing is at the frame's width
        art = illustrations.ILLUSTRATIONS[picture.name]
        h = min(h if picture.role != "spot" else h * spec.get("grow", 1.0), w * art.height / art.width) / (
            spec.get("grow", 1.0) if picture.role == "spot" else 1.0)
    if picture.role == "spot":
        most = 0.0
        if picture.kind == "illustration" and "stretch" in spec:  # its lines no wider than the frame, its share of the panel
            x0, y0, x1, y1 = _ink(picture.name)
            most = min(spec["stretch"] * panel_height, w * (y1 - y0) / (x1 - x0))
        return PictureFlowable(picture, style, w, 0.0, h * spec.get("grow", 1.0), on_colour, least=min(h * 0.6, spec["least"]),
                               most=most)
    if picture.role in ("cover", "inset"):  # from under half its height, growing into the room the words leave
        return PictureFlowable(picture, style, w, h * spec.get("low", 0.45), h, on_colour)
    return PictureFlowable(picture, style, w, h, h, on_colour)


class PortraitBeside(Flowable):
    """A practitioner's portrait (a small square crop around the face) with their name and credential beside it, to
    its right, the name's lines centred on the picture's height."""

    def __init__(self, portrait: PictureFlowable, name: Flowable, gap: float = 8):
        super().__init__()
        self.portrait, self.name, self.gap = portrait, name, gap
        self.spaceBefore, self.spaceAfter = portrait.spaceBefore, name.getSpaceAfter()
        self._name_height = 0.0

    def wrap(self, avail_width, avail_height):
        width = self.portrait.frame_width
        _, self._name_height = self.name.wrap(max(avail_width - width - self.gap, 1), avail_height)
        self.width = avail_width
        return avail_width, max(self.portrait.height, self._name_height)

    def draw(self):
        height = max(self.portrait.height, self._name_height)
        self.portrait.drawOn(self.canv, 0, height - self.portrait.height)
        self.name.drawOn(self.canv, self.portrait.frame_width + self.gap, height - (height + self._name_height) / 2)


def beside_names(flows: list) -> list:
    """Each portrait with the flowable after it (the name and credential) side by side, as one flowable."""
    out, i = [], 0
    while i < len(flows):
        f = flows[i]
        if isinstance(f, PictureFlowable) and f.picture.role == "portrait" and i + 1 < len(flows):
            out.append(PortraitBeside(f, flows[i + 1]))
            i += 2
            continue
        out.append(f)
        i += 1
    return out
