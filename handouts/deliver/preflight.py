"""`handouts preflight`: check a PDF as a print shop would (boxes, bleed, fonts, colour, image resolution, text)."""

from __future__ import annotations

import io
import re
import math
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import HandoutError
from ..design import print_geometry as geo

MIN_TEXT_FAIL = 6.0  # pt: text smaller than this is unreadable in print
MIN_TEXT_WARN = 9.0  # pt: body text of a brochure
PPI_WARN, PPI_FAIL = 300, 150
MIN_LINE = 0.25  # pt: thinner lines may not print
TOLERANCE = 0.5  # pt
_RGB_SPACES = ("/DeviceRGB", "/CalRGB")


@dataclass(frozen=True)
class Finding:
    level: str  # ok | note | warn | fail
    topic: str
    message: str

    def __str__(self) -> str:
        return f"{self.level.upper():4}  {self.topic}: {self.message}"


@dataclass
class Report:
    """One line per finding; `failed` when any finding is a failure."""

    label: str
    findings: list[Finding] = field(default_factory=list)

    def add(self, level: str, topic: str, message: str) -> None:
        self.findings.append(Finding(level, topic, message))

    @property
    def failed(self) -> bool:
        return any(f.level == "fail" for f in self.findings)

    def lines(self) -> list[str]:
        fails = sum(f.level == "fail" for f in self.findings)
        warns = sum(f.level == "warn" for f in self.findings)
        verdict = "FAILED" if fails else "passed"
        return [str(f) for f in self.findings] + [f"preflight {verdict}: {self.label}: {fails} failure(s), {warns} warning(s)"]


@dataclass(frozen=True)
class PreflightOptions:
    """What to hold the PDF to; format None: any PDF (our formats are still recognised by their trim size)."""

    format: str | None = None
    bleed: float | None = None  # points; None: any
    colour: str = "rgb"  # rgb | cmyk


def run_preflight(pdf: bytes | Path, options: PreflightOptions = PreflightOptions(), label: str = "", notes: dict[str, str] | None = None) -> Report:
    """Check a PDF; never raises for what is in the file (an unreadable file is a failure line)."""
    import pikepdf

    data = pdf.read_bytes() if isinstance(pdf, Path) else pdf
    report = Report(label or (str(pdf) if isinstance(pdf, Path) else "PDF"))
    try:
        doc = pikepdf.open(io.BytesIO(data))
    except pikepdf.PdfError as exc:
        reason = re.sub(r"^stream <[^>]*>: ", "", str(exc))  # qpdf names our in-memory stream: no help to a reader
        report.add("fail", "file", f"not a readable PDF ({reason}); export it again")
        return report
    with doc:
        sheet = _boxes(doc, options, report)
        _fonts(doc, report)
        _content(doc, options, report)
    for source, converted in (notes or {}).items():
        report.add("note", "colour", f"{source} printed as {converted}")
    _text(data, sheet, report)
    return report


# ---- page boxes -------------------------------------------------------------------


def _box(page, name: str) -> tuple[float, float, float, float] | None:
    import pikepdf

    value = page.obj.get(name)
    if value is None:
        return None
    x0, y0, x1, y1 = (float(v) for v in value)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)) if isinstance(value, pikepdf.Array) else None


def _inches(points: float) -> str:
    return f"{points / 72:.4g}in"


def _boxes(doc, options: PreflightOptions, report: Report) -> geo.Sheet | None:
    """TrimBox and BleedBox on every page, the bleed, and whether the trim is the format's."""
    trims, bleeds = [], []
    for n, page in enumerate(doc.pages, start=1):
        media = _box(page, "/MediaBox")
        trim, bleed = _box(page, "/TrimBox"), _box(page, "/BleedBox")
        if trim is None:
            report.add("fail", "boxes", f"page {n} has no TrimBox: the shop cannot tell where to cut; export with trim/bleed boxes")
            continue
        if bleed is None:
            report.add("warn", "boxes", f"page {n} has no BleedBox; the shop will assume no bleed")
            bleed = trim
        if media and not (_inside(trim, bleed) and _inside(bleed, media)):
            report.add("fail", "boxes", f"page {n}: the TrimBox must lie inside the BleedBox, and that inside the MediaBox")
        trims.append(trim)
        amounts = (trim[0] - bleed[0], trim[1] - bleed[1], bleed[2] - trim[2], bleed[3] - trim[3])
        if max(amounts) - min(amounts) > TOLERANCE:
            report.add("fail", "bleed", f"page {n}: the bleed is uneven ({', '.join(f'{a:.1f}' for a in amounts)} pt); it must be the same on every side")
        bleeds.append(min(amounts))
    if not trims:
        return None
    size = (trims[0][2] - trims[0][0], trims[0][3] - trims[0][1])
    if any(abs((t[2] - t[0]) - size[0]) > TOLERANCE or abs((t[3] - t[1]) - size[1]) > TOLERANCE for t in trims):
        report.add("fail", "boxes", "the pages have different trim sizes; a brochure's faces must be the same size")
    bleed = min(bleeds)
    sheet = _sheet_for(size, len(doc.pages), options, report)
    if options.bleed is not None and abs(bleed - options.bleed) > TOLERANCE:
        report.add("fail", "bleed", f"the bleed is {bleed:.2f} pt ({_inches(bleed)}); expected {options.bleed:.2f} pt ({_inches(options.bleed)})")
    elif bleed < TOLERANCE:
        report.add("note", "bleed", "no bleed: right for office printing; a print shop wants 0.125in (US) or 3mm (A4) with backgrounds to the edge")
    else:
        report.add("ok", "bleed", f"{bleed:.2f} pt ({_inches(bleed)}, {bleed / geo.MM:.1f} mm) on every side")
    report.add("ok" if sheet else "note", "boxes",
               f"{len(doc.pages)} page(s), trim {_inches(size[0])} × {_inches(size[1])}"
               + (f": {'US Letter' if sheet.page_size == 'letter' else 'A4'} {sheet.format}" if sheet else ""))
    if sheet is not None:
        trim = trims[0]
        sheet = geo.Sheet(sheet.format, sheet.page_size, sheet.trim, bleed, trim[0] - bleed, sheet.faces)
    return sheet


def _inside(inner, outer) -> bool:
    return (inner[0] >= outer[0] - TOLERANCE and inner[1] >= outer[1] - TOLERANCE
            and inner[2] <= outer[2] + TOLERANCE and inner[3] <= outer[3] + TOLERANCE)


def _sheet_for(size, pages: int, options: PreflightOptions, report: Report) -> geo.Sheet | None:
    if options.format is None:
        return geo.match_sheet(size, pages)
    for page_size in ("letter", "a4"):
        sheet = geo.sheet(options.format, page_size)
        if abs(sheet.trim[0] - size[0]) < 1 and abs(sheet.trim[1] - size[1]) < 1:
            if len(sheet.faces) != pages:
                report.add("fail", "format", f"a {options.format} has {len(sheet.faces)} page(s) (one per face); this PDF has {pages}")
            return sheet
    want = " or ".join(f"{_inches(geo.sheet(options.format, s).trim[0])} × {_inches(geo.sheet(options.format, s).trim[1])}" for s in ("letter", "a4"))
    report.add("fail", "format", f"the trim is {_inches(size[0])} × {_inches(size[1])}; a {options.format} is {want}")
    return None


# ---- fonts ------------------------------------------------------------------------


def _fonts(doc, report: Report) -> None:
    seen: dict[str, bool] = {}
    for page in doc.pages:
        for font in _resources(page.obj.get("/Resources"), "/Font"):
            name = str(font.get("/BaseFont", "(unnamed)")).lstrip("/")
            seen[name] = seen.get(name, False) or _embedded(font)
    missing = sorted(n for n, ok in seen.items() if not ok)
    for name in missing:
        report.add("fail", "fonts", f"{name} is not embedded; a print shop will substitute it (embed all fonts when exporting)")
    if seen and not missing:
        report.add("ok", "fonts", f"all {len(seen)} font(s) embedded")


def _embedded(font) -> bool:
    subtype = str(font.get("/Subtype", ""))
    if subtype == "/Type3":
        return True
    if subtype == "/Type0":
        font = font.get("/DescendantFonts")[0]
    descriptor = font.get("/FontDescriptor")
    return descriptor is not None and any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))


def _resources(resources, kind: str, depth: int = 0):
    """Objects of a kind (/Font, /XObject) in resources and in the form XObjects they use."""
    if resources is None or depth > 8:
        return
    for obj in (resources.get(kind) or {}).values():
        yield obj
    for xobj in (resources.get("/XObject") or {}).values():
        if str(xobj.get("/Subtype")) == "/Form":
            yield from _resources(xobj.get("/Resources"), kind, depth + 1)


# ---- colour, images and lines (one walk over the content streams) ---------------------------


def _is_rgb(space) -> bool:
    import pikepdf

    if space is None:
        return False
    if isinstance(space, pikepdf.Name):
        return str(space) in _RGB_SPACES
    if isinstance(space, pikepdf.Array) and len(space):
        head = str(space[0])
        if head in _RGB_SPACES:
            return True
        if head == "/ICCBased":
            return int(space[1].get("/N", 0)) == 3
        if head == "/Indexed":
            return _is_rgb(space[1])
        if head in ("/Separation", "/DeviceN"):
            return _is_rgb(space[2])
    return False


@dataclass
class _Walk:
    rgb_ops: int = 0
    rgb_images: list[str] = field(default_factory=list)
    images: list[tuple[str, float]] = field(default_factory=list)  # (name, ppi)
    thin: float = math.inf


def _content(doc, options: PreflightOptions, report: Report) -> None:
    walk = _Walk()
    for n, page in enumerate(doc.pages, start=1):
        _stream(page.obj, page.obj.get("/Resources"), (1, 0, 0, 1, 0, 0), walk, f"page {n}", 0)
    if options.colour == "cmyk":
        if walk.rgb_ops or walk.rgb_images:
            report.add("fail", "colour", f"RGB colour in a CMYK file: {walk.rgb_ops} RGB colour operator(s) and "
                       f"{len(walk.rgb_images)} RGB image(s){' (' + ', '.join(sorted(set(walk.rgb_images))) + ')' if walk.rgb_images else ''}; convert them to CMYK")
        else:
            report.add("ok", "colour", "every colour and image is CMYK or grey (no PDF/X claim: ask the shop which profile it prints with)")
    elif walk.rgb_ops or walk.rgb_images:
        report.add("note", "colour", "RGB colour: fine for office printers; a print shop converts it to CMYK and colours may shift (use --colour cmyk)")
    for name, ppi in walk.images:
        level = "fail" if ppi < PPI_FAIL else "warn" if ppi < PPI_WARN else "ok"
        report.add(level, "images", f"{name} prints at {ppi:.0f} ppi" + ("" if level == "ok" else f"; use an image with at least {PPI_WARN} ppi at its printed size"))
    if walk.thin < MIN_LINE:
        report.add("warn", "lines", f"a line {walk.thin:.2f} pt wide may not print; use at least {MIN_LINE} pt")


def _mul(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D, e * A + f * C + E, e * B + f * D + F)


def _stream(owner, resources, ctm, walk: _Walk, where: str, depth: int) -> None:
    import pikepdf

    if depth > 8:
        return
    xobjects = (resources.get("/XObject") if resources is not None else None) or {}
    spaces = (resources.get("/ColorSpace") if resources is not None else None) or {}
    stack = []
    fill_space = stroke_space = None
    try:
        instructions = pikepdf.parse_content_stream(owner)
    except pikepdf.PdfError:
        return
    for item in instructions:
        if isinstance(item, pikepdf.ContentStreamInlineImage):
            image = item.iimage
            if _is_rgb(image.obj.get("/ColorSpace")) or str(getattr(image, "colorspace", "")) in _RGB_SPACES:
                walk.rgb_images.append(f"inline image on {where}")
            continue
        operands, op = item.operands, str(item.operator)
        if op == "q":
            stack.append(ctm)
        elif op == "Q" and stack:
            ctm = stack.pop()
        elif op == "cm":
            ctm = _mul(tuple(float(v) for v in operands), ctm)
        elif op in ("rg", "RG"):
            walk.rgb_ops += 1
        elif op in ("cs", "CS"):
            space = operands[0]
            resolved = spaces.get(str(space), space) if str(space) not in ("/DeviceRGB", "/DeviceCMYK", "/DeviceGray") else space
            if op == "cs":
                fill_space = resolved
            else:
                stroke_space = resolved
        elif op in ("sc", "scn") and _is_rgb(fill_space) or op in ("SC", "SCN") and _is_rgb(stroke_space):
            walk.rgb_ops += 1
        elif op == "w":
            scale = math.sqrt(abs(ctm[0] * ctm[3] - ctm[1] * ctm[2]))
            width = float(operands[0]) * scale
            if 0 < width < walk.thin:
                walk.thin = width
        elif op == "Do":
            name = str(operands[0])
            xobj = xobjects.get(name)
            if xobj is None:
                continue
            subtype = str(xobj.get("/Subtype"))
            if subtype == "/Image":
                if _is_rgb(xobj.get("/ColorSpace")):
                    walk.rgb_images.append(f"image {name.lstrip('/')} on {where}")
                if not bool(xobj.get("/ImageMask", False)):
                    shown_w = math.hypot(ctm[0], ctm[1]) / 72
                    shown_h = math.hypot(ctm[2], ctm[3]) / 72
                    if shown_w > 0 and shown_h > 0:
                        ppi = min(int(xobj.get("/Width")) / shown_w, int(xobj.get("/Height")) / shown_h)
                        walk.images.append((f"image {name.lstrip('/')} on {where}", ppi))
            elif subtype == "/Form":
                matrix = tuple(float(v) for v in xobj.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                _stream(xobj, xobj.get("/Resources", resources), _mul(matrix, ctm), walk, where, depth + 1)


# ---- text: size and place -------------------------------------------------------------


def _chars(data: bytes):
    """(page index, character, (x0, y0, x1, y1) of its box (the font's full height) in page points from the bottom left, size)."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    doc = pdfium.PdfDocument(data)
    try:
        for n in range(len(doc)):
            page = doc[n]
            textpage = page.get_textpage()
            count = textpage.count_chars()
            text = textpage.get_text_range(0, count) if count else ""
            for i in range(min(count, len(text))):
                if text[i].strip():
                    yield n, text[i], textpage.get_charbox(i, loose=True), raw.FPDFText_GetFontSize(textpage.raw, i)
            textpage.close()
            page.close()
    finally:
        doc.close()


def _text(data: bytes, sheet: geo.Sheet | None, report: Report) -> None:
    smallest = math.inf
    lines: dict[tuple[int, str], list] = {}
    for n, char, (left, bottom, right, top), size in _chars(data):
        smallest = min(smallest, size)
        if sheet is None or n >= len(sheet.faces):
            continue
        box = (left - sheet.offset, bottom - sheet.offset, right - sheet.offset, top - sheet.offset)
        if not any(_within(box, sheet.safe(p)) for p in sheet.faces[n].panels):
            lines.setdefault((n, f"{box[1] / 72:.2f}"), []).append((box[0], char))  # out of place, by line
    outside = [f"page {n + 1} {''.join(c for _, c in chars)!r} at {chars[0][0] / 72:.2f}in,{y}in" for (n, y), chars in list(lines.items())[:4]]
    if len(lines) > 4:
        outside.append(f"and {len(lines) - 4} more line(s)")
    if smallest is math.inf:
        report.add("note", "text", "no text found (outlined text cannot be checked)")
        return
    level = "fail" if smallest < MIN_TEXT_FAIL else "warn" if smallest < MIN_TEXT_WARN else "ok"
    report.add(level, "text", f"smallest text {smallest:.1f} pt" + ("" if level == "ok" else f"; body text should be at least {MIN_TEXT_WARN:.0f} pt"))
    if sheet is None:
        return
    if outside:
        report.add("fail", "safe zone", f"text within {_inches(sheet.edge)} of the paper's edge or {_inches(geo.SAFE)} of a fold "
                                        f"(from the trim's lower left): " + "; ".join(outside))
    else:
        report.add("ok", "safe zone", f"all text at least {_inches(sheet.edge)} inside the trim and {_inches(geo.SAFE)} clear of the folds")


def _within(box, safe) -> bool:
    return (box[0] >= safe[0] - TOLERANCE and box[1] >= safe[1] - TOLERANCE
            and box[2] <= safe[2] + TOLERANCE and box[3] <= safe[3] + TOLERANCE)


def read_pdf(path: Path) -> bytes:
    """The bytes of a PDF to check, or an error naming the file."""
    try:
        return path.read_bytes()
    except OSError as exc:
        raise HandoutError(f"{path}: cannot read it ({exc.strerror or exc}); check the path") from None
