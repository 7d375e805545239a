"""A proof picture: every face of a brochure side by side, with trim, bleed, fold and safe lines drawn on it."""

from __future__ import annotations

import io

from ...design import print_geometry as geo

DPI = 100
COLOURS = {"trim": (0, 0, 0), "bleed": (220, 40, 40), "fold": (30, 90, 220), "safe": (0, 160, 80)}


def draw_proof(pdf: bytes, sheet: geo.Sheet, dpi: int = DPI) -> bytes:
    """PNG bytes: the faces left to right, each labelled, with a key to the lines."""
    import pypdfium2 as pdfium
    from PIL import Image, ImageDraw

    scale = dpi / 72
    doc = pdfium.PdfDocument(pdf)
    faces = []
    try:
        for index in range(len(doc)):
            image = doc[index].render(scale=scale).to_pil().convert("RGB")
            faces.append(_lines(image, sheet, index, scale, ImageDraw))
    finally:
        doc.close()
    gap, head = 24, 28
    width = sum(f.width for f in faces) + gap * (len(faces) + 1)
    height = max(f.height for f in faces) + head + gap
    out = Image.new("RGB", (width, height), (200, 200, 200))
    draw = ImageDraw.Draw(out)
    x = gap
    for index, face in enumerate(faces):
        name = sheet.faces[index].name if index < len(sheet.faces) else f"page {index + 1}"
        panels = " | ".join(p.name for p in sheet.faces[index].panels) if index < len(sheet.faces) else ""
        draw.text((x, 8), f"page {index + 1}: {name}   ({panels})", fill=(0, 0, 0))
        out.paste(face, (x, head))
        x += face.width + gap
    draw.text((gap, height - 16), "lines: black trim · red bleed edge · blue dashed folds · green safe zone", fill=(0, 0, 0))
    buffer = io.BytesIO()
    out.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _lines(image, sheet: geo.Sheet, index: int, scale: float, ImageDraw):
    draw = ImageDraw.Draw(image)
    page_h = sheet.page[1]

    def box(x0, y0, x1, y1, colour, dash=False):
        pts = [(x0, y0, x1, y0), (x1, y0, x1, y1), (x1, y1, x0, y1), (x0, y1, x0, y0)]
        for line in pts:
            seg(*line, colour, dash)

    def seg(x0, y0, x1, y1, colour, dash=False):
        a = (x0 * scale, (page_h - y0) * scale)
        b = (x1 * scale, (page_h - y1) * scale)
        if not dash:
            draw.line([a, b], fill=colour, width=1)
            return
        length = max(abs(b[0] - a[0]), abs(b[1] - a[1]))
        steps = int(length // 6)
        for i in range(0, steps, 2):
            t0, t1 = i / max(steps, 1), min(1, (i + 1) / max(steps, 1))
            draw.line([(a[0] + (b[0] - a[0]) * t0, a[1] + (b[1] - a[1]) * t0),
                       (a[0] + (b[0] - a[0]) * t1, a[1] + (b[1] - a[1]) * t1)], fill=colour, width=1)

    o = sheet.offset
    if sheet.bleed:
        box(*sheet.bleed_box, COLOURS["bleed"])
    box(*sheet.trim_box, COLOURS["trim"])
    if index < len(sheet.faces):
        for fold in sheet.faces[index].folds:
            seg(o + fold, o - sheet.bleed, o + fold, o + sheet.trim[1] + sheet.bleed, COLOURS["fold"], dash=True)
        for panel in sheet.faces[index].panels:
            x0, y0, x1, y1 = sheet.safe(panel)
            box(o + x0, o + y0, o + x1, o + y1, COLOURS["safe"])
    return image
