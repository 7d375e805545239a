"""Drawing literal text on a canvas through the font chain (ReportLab would drop missing glyphs)."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfmetrics import stringWidth

from ...design.styles import Style


def text_width(style: Style, text: str, name: str) -> float:
    spec = style.text(name)
    return sum(stringWidth(run, font, spec["size"]) for font, run in style.chain(spec.get("weight", "regular")).runs(text))


def draw_runs(canvas, style: Style, x: float, y: float, text: str, name: str, align: str = "left") -> None:
    """Draw one line of literal text with the font chain; `align` says where x is: left, centre or right."""
    spec = style.text(name)
    runs = style.chain(spec.get("weight", "regular")).runs(text)
    size = spec["size"]
    width = sum(stringWidth(run, font, size) for font, run in runs)
    x -= {"left": 0, "centre": width / 2, "right": width}[align]
    canvas.setFillColor(HexColor(style.colour(spec.get("colour", "text"))))
    line = canvas.beginText(x, y)  # one text object, ended by a line break: readers extract one line
    for font, run in runs:
        line.setFont(font, size)
        line.textOut(run)
    line.textLine("")
    canvas.drawText(line)


def wrap_line(style: Style, text: str, name: str, width: float) -> list[str]:
    """Break text into lines no wider than `width` at spaces (words wider than the line stand alone)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(style, f"{lines[-1]} {word}", name) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines
