"""`handouts preflight`: fails what a print shop would reject, passes our own brochures."""

from __future__ import annotations

from pathlib import Path

from reportlab.lib.colors import CMYKColor
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas

from handouts.design.fonts import register
from handouts.design import print_geometry as geo

FONT = "Atkinson"


def _pdf(path: Path, size=(810, 630), trim=(9, 9, 801, 621), bleed=(0, 0, 810, 630), font: str | None = FONT, draw=None,
         pages: int = 2) -> Path:
    if font:
        register(FONT, "AtkinsonHyperlegibleNext-Regular.ttf")
    kwargs = {"initialFontName": font} if font else {}
    canvas = Canvas(str(path), pagesize=size, invariant=1, **kwargs)
    for n in range(pages):
        if trim:
            canvas.setTrimBox(trim)
        if bleed:
            canvas.setBleedBox(bleed)
        if draw:
            draw(canvas, n)
        canvas.showPage()
    canvas.save()
    return path


def _image(mode: str, pixels: int) -> ImageReader:
    from PIL import Image

    colour = {"RGB": (200, 30, 30), "CMYK": (0, 200, 200, 0), "L": 128}[mode]
    return ImageReader(Image.new(mode, (pixels, pixels), colour))


def _text(canvas, n, x=100, y=300, size=10, font=FONT):
    canvas.setFont(font, size)
    canvas.setFillColor(CMYKColor(0, 0, 0, 1))
    canvas.drawString(x, y, "Acupuncture")


def test_our_own_brochure_passes(run, tmp_path):
    out = tmp_path / "hip.pdf"
    assert run("brochure", "hip-pain", "--bleed", "0.125in", "--colour", "cmyk", "-o", out).exit_code == 0
    result = run("preflight", out, "--format", "trifold", "--bleed", "0.125in", "--colour", "cmyk")
    assert result.exit_code == 0, result.output
    assert "preflight passed" in result.output
    assert "FAIL" not in result.output and "WARN" not in result.output
    for topic in ("bleed", "boxes", "fonts", "colour", "text", "safe zone"):
        assert f"  {topic}:" in result.output


def test_unembedded_font_fails(run, tmp_path):
    pdf = _pdf(tmp_path / "helv.pdf", font=None, draw=lambda c, n: _text(c, n, font="Helvetica"))
    result = run("preflight", pdf)
    assert result.exit_code == 1
    assert "FAIL  fonts: Helvetica is not embedded" in result.output


def test_rgb_image_fails_in_cmyk_mode_and_is_a_note_in_rgb(run, tmp_path):
    pdf = _pdf(tmp_path / "rgb.pdf", draw=lambda c, n: c.drawImage(_image("RGB", 400), 100, 100, 72, 72))
    result = run("preflight", pdf, "--colour", "cmyk")
    assert result.exit_code == 1
    assert "FAIL  colour: RGB colour in a CMYK file" in result.output and "2 RGB image(s)" in result.output  # one per page
    assert run("preflight", pdf).exit_code == 0


def test_rgb_colour_operator_fails_in_cmyk_mode(run, tmp_path):
    def draw(canvas, n):
        canvas.setFillColorRGB(0.8, 0.1, 0.1)
        canvas.rect(100, 100, 50, 50, stroke=0, fill=1)

    result = run("preflight", _pdf(tmp_path / "rg.pdf", draw=draw), "--colour", "cmyk")
    assert result.exit_code == 1 and "RGB colour operator(s)" in result.output


def test_image_resolution_at_printed_size(run, tmp_path):
    low = _pdf(tmp_path / "72.pdf", draw=lambda c, n: c.drawImage(_image("CMYK", 72), 100, 100, 72, 72))
    result = run("preflight", low, "--colour", "cmyk")
    assert result.exit_code == 1
    assert "FAIL  images: image" in result.output and "prints at 72 ppi" in result.output
    mid = _pdf(tmp_path / "200.pdf", draw=lambda c, n: c.drawImage(_image("CMYK", 200), 100, 100, 72, 72))
    result = run("preflight", mid, "--colour", "cmyk")
    assert result.exit_code == 0 and "WARN  images:" in result.output and "200 ppi" in result.output
    high = _pdf(tmp_path / "300.pdf", draw=lambda c, n: c.drawImage(_image("CMYK", 600), 100, 100, 144, 144))
    assert "OK    images:" in run("preflight", high, "--colour", "cmyk").output


def test_missing_trim_box_and_wrong_bleed_fail(run, tmp_path):
    result = run("preflight", _pdf(tmp_path / "notrim.pdf", trim=None, bleed=None))
    assert result.exit_code == 1 and "has no TrimBox" in result.output
    result = run("preflight", _pdf(tmp_path / "bleed.pdf"), "--bleed", "3mm")
    assert result.exit_code == 0  # 9 pt and 3 mm (8.5 pt) are the same bleed to half a point
    result = run("preflight", _pdf(tmp_path / "bleed0.pdf", size=(792, 612), trim=(0, 0, 792, 612), bleed=(0, 0, 792, 612)),
                 "--bleed", "0.125in")
    assert result.exit_code == 1 and "the bleed is 0.00 pt" in result.output


def test_wrong_format_fails(run, tmp_path):
    result = run("preflight", _pdf(tmp_path / "t.pdf"), "--format", "rack-card")
    assert result.exit_code == 1 and "a rack-card is 4in × 9in" in result.output


def test_text_on_a_fold_or_near_the_trim_fails(run, tmp_path):
    fold = 9 + geo.sheet("trifold").faces[0].folds[0]
    on_fold = _pdf(tmp_path / "fold.pdf", draw=lambda c, n: _text(c, n, x=fold - 20))
    result = run("preflight", on_fold, "--format", "trifold")
    assert result.exit_code == 1 and "FAIL  safe zone:" in result.output and "page 1 'upun' at 3.50in" in result.output
    near_edge = _pdf(tmp_path / "edge.pdf", draw=lambda c, n: _text(c, n, x=12))
    assert "FAIL  safe zone:" in run("preflight", near_edge).output  # recognised as a trifold by its trim size
    fine = _pdf(tmp_path / "fine.pdf", draw=lambda c, n: _text(c, n, x=100))
    result = run("preflight", fine, "--format", "trifold")
    assert result.exit_code == 0 and "OK    safe zone" in result.output


def test_small_text_warns_and_tiny_text_fails(run, tmp_path):
    small = _pdf(tmp_path / "s.pdf", draw=lambda c, n: _text(c, n, size=8))
    result = run("preflight", small)
    assert result.exit_code == 0 and "WARN  text: smallest text 8.0 pt" in result.output
    tiny = _pdf(tmp_path / "t.pdf", draw=lambda c, n: _text(c, n, size=5))
    assert run("preflight", tiny).exit_code == 1


def test_not_a_pdf_and_missing_file_are_clean_errors(run, tmp_path):
    junk = tmp_path / "junk.pdf"
    junk.write_text("hello")
    result = run("preflight", junk)
    assert result.exit_code == 1 and "not a readable PDF" in result.output and "Traceback" not in result.output
    result = run("preflight", tmp_path / "nope.pdf")
    assert result.exit_code == 1 and "cannot read it" in result.output
