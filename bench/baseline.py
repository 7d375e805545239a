"""The benchmark's baseline: a straightforward ReportLab platypus build of the same handout, no caches.

    python bench/baseline.py handout.json -o out.pdf [--repeat N] [--batch N --out-dir DIR]
    python bench/baseline.py --day day.jsonl --out-dir DIR     # the mixed day (bench/mixed.py --export)

Reads the handout exported by bench/export.py (the same words, rows, dots and QR modules) and sets it
the plain platypus way: the same TrueType fonts embedded (subset), a masthead, a facts row, headed
sections, bulleted lists, the points table beside a simple body map, the boxed callout, a timeline
table, the QR code and a footer with page X of Y. It does not import `handouts`.
"""

from __future__ import annotations

import argparse
import copy
import io
import json
import sys
import time
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Circle, Drawing, PolyLine, Polygon, Rect, String
from reportlab.lib.colors import HexColor, white
from reportlab.lib.pagesizes import A4, letter
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (KeepTogether, PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table,
                                TableStyle)

FONTS = Path(__file__).resolve().parent.parent / "fonts"
CJK = "DroidSansFallback"


def register_fonts() -> None:
    for name, file in (("Atkinson", "AtkinsonHyperlegibleNext-Regular.ttf"), ("Atkinson-Bold", "AtkinsonHyperlegibleNext-Bold.ttf"),
                       ("NotoSans", "NotoSans-Regular.ttf"), ("NotoSans-Bold", "NotoSans-Bold.ttf"), (CJK, "DroidSansFallbackFull.ttf")):
        if name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(name, str(FONTS / file)))


def mark(text: str, latin: str) -> str:
    """Escape text; runs of CJK characters in the CJK font, Latin beyond Atkinson's range in Noto Sans."""
    if latin == CJK:  # the CJK font draws Latin too
        return escape(text)
    out, run, face = [], "", None
    cmap = pdfmetrics.getFont(latin).face.charToGlyph
    for ch in text:
        f = None if ord(ch) in cmap or ch.isspace() else CJK if ord(ch) >= 0x2E80 else "NotoSans-Bold" if "Bold" in latin else "NotoSans"
        if f != face and run:
            out.append(f'<font face="{face}">{escape(run)}</font>' if face else escape(run))
            run = ""
        face = f
        run += ch
    if run:
        out.append(f'<font face="{face}">{escape(run)}</font>' if face else escape(run))
    return "".join(out)


def build(data: dict, out, pagesize=letter, scale: float = 1.0) -> None:
    """Set the handout into `out`; pagesize and scale (of every text size: 16/12 for large print) for the mixed day."""
    accent = HexColor(data["masthead"]["colour"])
    regular, bold = "Atkinson", "Atkinson-Bold"
    wrap = "CJK" if data["lang"] == "zh" else None  # ReportLab breaks Chinese lines between any two characters

    def style(name, size, leading, font=regular, colour="#1A1A1A", **kw):
        return ParagraphStyle(name, fontName=font, fontSize=size * scale, leading=leading * scale, textColor=HexColor(colour), wordWrap=wrap, **kw)

    body = style("body", 12, 14.2, spaceAfter=3)
    lead = style("lead", 12, 15.5, bold, spaceAfter=3)
    small = style("small", 9, 11.5, colour="#404040", spaceBefore=4)
    h2 = style("h2", 15, 18, bold, data["masthead"]["colour"], spaceBefore=5, spaceAfter=2)
    h3 = style("h3", 12.5, 15, bold, spaceBefore=3, spaceAfter=1)
    cell = style("cell", 12, 13.8)
    head = style("head", 12, 14.5, bold, "#FFFFFF")
    bullet = style("bullet", 12, 14.2, leftIndent=14, bulletIndent=1, spaceAfter=1)
    styles = {"body": body, "lead": lead, "small": small}

    def p(text, st):
        return Paragraph(mark(text, st.fontName), st)

    def bullets(items, columns=False):
        paras = [Paragraph(mark(i, regular), bullet, bulletText="•") for i in items]
        if not columns or len(items) < 4:
            return paras
        half = (len(paras) + 1) // 2  # four or more items: two columns, to save paper
        return [Table([[paras[:half], paras[half:]]], colWidths=[width / 2] * 2, style=TableStyle([
            ("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))]

    width = pagesize[0] - 76
    story = []
    m = data["masthead"]
    mast = Table([[p(m["name"], style("mn", 17, 20, bold, "#FFFFFF")),
                   [p(line, style("ml", 11, 13.5, colour="#FFFFFF", alignment=2)) for line in m["lines"]]]],
                 colWidths=[width * 0.66, width * 0.34])
    mast.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), accent), ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                              ("LEFTPADDING", (0, 0), (-1, -1), 10), ("RIGHTPADDING", (0, 0), (-1, -1), 10),
                              ("TOPPADDING", (0, 0), (-1, -1), 10), ("BOTTOMPADDING", (0, 0), (-1, -1), 10)]))
    story += [mast, Spacer(1, 12), p(data["title"], style("t", 21, 25, bold, data["masthead"]["colour"])),
              p(data["subtitle"], style("st", 13, 16.5, colour="#404040", spaceAfter=8))]
    for section in data["sections"]:
        code, code_at = None, 0
        if section["new_page"]:
            story.append(PageBreak())
        if section["title"]:
            story.append(p(section["title"], h2))
        for block in section["blocks"]:
            kind = block["type"]
            if kind == "Paragraph":
                story.append(p(block["text"], styles.get(block["style"], body)))
            elif kind == "Heading":
                story.append(p(block["text"], h3))
            elif kind == "BulletList":
                story += bullets(block["items"], columns=True)
            elif kind == "FactsRow":
                cells = [Paragraph(f'<font face="{bold}">{mark(k + ": ", bold)}</font>' + mark(v, regular), cell) for k, v in block["pairs"]]
                t = Table([cells], colWidths=[width / len(cells)] * len(cells))
                t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), HexColor("#EAF2F2")), ("TOPPADDING", (0, 0), (-1, -1), 6),
                                       ("BOTTOMPADDING", (0, 0), (-1, -1), 6)]))
                story.append(t)
            elif kind == "BodyMap":
                figure = body_map(block, data["figure"], regular)
            elif kind == "PointsTable":  # beside the body map, which comes just before it
                rows = [[p(block["headers"][0], head), p(" · ".join(block["headers"][1:]), head)]]
                for r in block["rows"]:
                    why = r.get("why", "") + (f" {r['note']}" if r.get("note") else "")
                    name = " ".join(str(r.get(k, "")) for k in ("pinyin", "hanzi"))
                    rows.append([p(f"{r['number']}. {r['code']} {name}", cell), p(r.get("location", "") + " " + why, cell)])
                t = Table(rows, colWidths=[(width - 150) * 0.3, (width - 150) * 0.7], repeatRows=1)
                t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, 0), accent), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                                       ("ROWBACKGROUNDS", (0, 1), (-1, -1), [white, HexColor("#EAF2F2")]),
                                       ("LINEBELOW", (0, 1), (-1, -1), 0.5, HexColor("#9FB3B6")),
                                       ("TOPPADDING", (0, 0), (-1, -1), 2), ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
                story.append(Table([[figure, t]], colWidths=[150, width - 150], splitInRow=1,
                                   style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                    ("RIGHTPADDING", (0, 0), (-1, -1), 0)])))
            elif kind == "Callout":
                parts = [([p(part_head, lead)] if part_head else []) + bullets(items) for part_head, items in block["parts"]]
                if scale > 1:  # large print: too tall for one box in columns; the parts one after another, unboxed
                    story += [Spacer(1, 6), p(block["title"], style("ct", 13.5, 17, bold, "#A4161A"))] + [f for part in parts for f in part]
                    continue
                inner = [p(block["title"], style("ct", 13.5, 17, bold, "#A4161A")),
                         Table([parts], colWidths=[(width - 18) / len(parts)] * len(parts),
                               style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))]
                t = Table([[inner]], colWidths=[width])
                t.setStyle(TableStyle([("BOX", (0, 0), (-1, -1), 2, HexColor("#A4161A")),
                                       ("BACKGROUND", (0, 0), (-1, -1), HexColor("#FCEFEF")),
                                       ("LEFTPADDING", (0, 0), (-1, -1), 9), ("RIGHTPADDING", (0, 0), (-1, -1), 9)]))
                story.append(KeepTogether([Spacer(1, 6), t]))
            elif kind == "Timeline":
                cells = [[p(ph["when"], lead), p(ph["label"], body)] for ph in block["phases"]]
                t = Table([cells], colWidths=[width / len(cells)] * len(cells))
                t.setStyle(TableStyle([("BACKGROUND", (0, 0), (-1, -1), HexColor("#EAF2F2")), ("BOX", (0, 0), (-1, -1), 0.8, accent),
                                       ("INNERGRID", (0, 0), (-1, -1), 0.8, accent), ("VALIGN", (0, 0), (-1, -1), "TOP")]))
                story.append(t)
            elif kind == "BookingCode":
                qr = QrCodeWidget(block["url"], barLevel="M", barBorder=4)
                x0, y0, x1, y1 = qr.getBounds()
                size = 58 * (len(block["modules"]) + 8) / len(block["modules"])
                d = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
                d.add(qr)
                code = [p(block["caption"], style("qc", 12, 14, bold, data["masthead"]["colour"], alignment=1)), d]
                code_at = len(story)  # the rest of the section goes on the left of the code
            elif kind in ("Calendar", "Tracker"):
                rows = [[p(h, head) for h in block["headers"]]]
                rows += [[p(w["label"], cell), p("   ·   ".join(w["dates"]), cell)] for w in block.get("weeks", [])]
                rows += [[p(d, cell)] + [""] * (len(block["headers"]) - 1) for d in block.get("rows", [])]
                story.append(Table(rows, colWidths=[width / len(block["headers"])] * len(block["headers"]), repeatRows=1,
                                   style=TableStyle([("GRID", (0, 0), (-1, -1), 0.6, HexColor("#4D4D4D")),
                                                     ("BACKGROUND", (0, 0), (-1, 0), accent)])))
        if code:
            story[code_at:] = [Table([[story[code_at:], code]], colWidths=[width - 90, 90],
                                     style=TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0)]))]

    class NumberedCanvas(Canvas):  # the ReportLab recipe for "page X of Y": keep the pages, count, then draw
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._saved = []

        def showPage(self):
            self._saved.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._saved, start=1):
                self.__dict__.update(state)
                footer(self, number, len(self._saved))
                super().showPage()
            super().save()

    def footer(canvas, page, pages):
        canvas.saveState()
        canvas.setStrokeColor(HexColor("#9FB3B6"))
        canvas.line(38, 44, pagesize[0] - 38, 44)
        canvas.setFont(regular, 9)
        canvas.setFillColor(HexColor("#404040"))
        canvas.drawRightString(pagesize[0] - 38, 33, data["page_label"].format(page=page, pages=pages))
        for i, line in enumerate((data["footer_contact"], data["footer"])):
            canvas.setFont(CJK if any(ord(c) >= 0x2E80 for c in line) else regular, 9)
            canvas.drawString(38, 33 - 11 * i, line)
        canvas.restoreState()

    doc = SimpleDocTemplate(out, pagesize=pagesize, leftMargin=38, rightMargin=38, topMargin=30, bottomMargin=58,
                            title=data["title"], author=data["author"], subject=data["subject"], invariant=1)
    doc.build(story, canvasmaker=NumberedCanvas)


def body_map(block: dict, figure: dict, font: str) -> Drawing:
    """Front and back outlines (straight segments through the figure's points) with the numbered dots."""
    w, h = 140, 184
    scale = min((h - 16) / figure["height"], (w / 2 - 8) / figure["width"])
    d = Drawing(w, h)
    for i, (view, label) in enumerate(block["views"]):
        x0 = i * w / 2 + (w / 2 - figure["width"] * scale) / 2
        pts = []
        for x, y in figure["outline"]:
            pts += [x0 + x * scale, 16 + (figure["height"] - y) * scale]
        d.add(Polygon(pts, fillColor=HexColor("#F2F2F0"), strokeColor=HexColor("#4D4D4D"), strokeWidth=0.9))
        for line in figure["details"][view]:
            flat = []
            for x, y in line:
                flat += [x0 + x * scale, 16 + (figure["height"] - y) * scale]
            d.add(PolyLine(flat, strokeColor=HexColor("#8A8A8A"), strokeWidth=0.6))
        for point in block["points"]:
            for m in point["marks"]:
                if m["view"] == view:
                    cx = x0 + m["x"] * figure["width"] * scale
                    cy = 16 + (1 - m["y"]) * figure["height"] * scale
                    d.add(Circle(cx, cy, 6.4, fillColor=HexColor("#B3261E"), strokeColor=white, strokeWidth=0.9))
                    d.add(String(cx, cy - 3, str(point["number"]), fontName=font, fontSize=8.5, fillColor=white, textAnchor="middle"))
        d.add(String(i * w / 2 + w / 4, 3, label, fontName=font, fontSize=12, fillColor=HexColor("#404040"), textAnchor="middle"))
    d.add(Rect(0, 0, 0, 0, strokeColor=None, fillColor=None))
    return d


def personalise(data: dict, patient: str) -> dict:
    """The same handout for another patient (the name in the facts row)."""
    data = copy.deepcopy(data)
    for section in data["sections"]:
        for block in section["blocks"]:
            if block["type"] == "FactsRow":
                block["pairs"][0][1] = patient
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("handout", type=Path, nargs="?", help="a handout exported by bench/export.py")
    parser.add_argument("-o", "--output", type=Path, help="write the PDF here")
    parser.add_argument("--repeat", type=int, default=0, help="then time this many warm builds; print ms each")
    parser.add_argument("--batch", type=int, default=0, help="write this many personalised PDFs into --out-dir")
    parser.add_argument("--out-dir", type=Path)
    parser.add_argument("--day", type=Path, help="a mixed day's handouts, one JSON line each (bench/mixed.py --export)")
    args = parser.parse_args()
    register_fonts()
    if args.day:
        args.out_dir.mkdir(parents=True, exist_ok=True)
        with args.day.open(encoding="utf-8") as lines:
            for i, line in enumerate(lines):
                visit = json.loads(line)
                with (args.out_dir / f"{i:05d}.pdf").open("wb") as handle:
                    build(personalise(visit["data"], visit["patient"]), handle, A4 if visit["paper"] == "a4" else letter,
                          visit["scale"])
        return
    data = json.loads(args.handout.read_text("utf-8"))
    if args.output:
        with args.output.open("wb") as handle:
            build(data, handle)
    for _ in range(args.repeat):
        start = time.perf_counter()
        build(data, io.BytesIO())
        print(f"{(time.perf_counter() - start) * 1000:.3f}")
    if args.batch:
        args.out_dir.mkdir(parents=True, exist_ok=True)
        for i in range(args.batch):
            with (args.out_dir / f"{i:05d}.pdf").open("wb") as handle:
                build(personalise(data, f"Patient {i:05d}"), handle)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
