"""Brochures: print geometry read back from the PDF, safe zones, CMYK, the QR code, fonts, languages, claims, fitting."""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path

import pikepdf
import pdfplumber
import pytest

from conftest import assert_golden
from handouts.library import cache
from handouts.deliver.brochure import build_brochure
from handouts.design import print_geometry as geo
from handouts.render.pdf.brochure import BrochureOptions

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_CLINIC = REPO / "examples" / "brochure-clinic" / "clinic.yaml"
FORMATS = ["trifold", "bifold", "rack-card", "flyer"]
LANGS = ["en", "es", "zh"]


@lru_cache(maxsize=None)
def made(condition: str | None = "hip-pain", format: str = "trifold", lang: str = "en", page_size: str = "letter",
         bleed: float = 0.0, marks: str = "none", colour: str = "rgb", clinic: str | None = None):
    options = BrochureOptions(format=format, page_size=page_size, bleed=bleed, marks=marks, colour=colour)
    return build_brochure(condition, options, lang=lang, clinic=clinic)


def boxes(pdf: bytes) -> list[dict[str, list[float]]]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return [{name: [float(v) for v in page.obj[name]] for name in ("/MediaBox", "/TrimBox", "/BleedBox")} for page in doc.pages]


# ---- lengths and geometry ------------------------------------------------------------------


@pytest.mark.parametrize("text, points", [("0.125in", 9.0), ("3mm", 8.5039), ("9pt", 9.0), ("0", 0.0), (".25in", 18.0), ("0.3cm", 8.5039)])
def test_bleed_lengths(text, points):
    assert geo.parse_length(text) == pytest.approx(points, abs=1e-3)


@pytest.mark.parametrize("text, says", [("3", "has no unit"), ("0.125 inch", "not a length"), ("-3mm", "not a length"), ("2in", "more than 0.5in")])
def test_bad_bleed_is_a_usage_error_that_says_how_to_write_it(run, tmp_path, text, says):
    result = run("brochure", "hip-pain", "--bleed", text, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2
    assert says in result.output and "--bleed" in result.output
    assert not (tmp_path / "x.pdf").exists()


def test_trifold_folds_are_where_print_shops_put_them():
    letter = geo.sheet("trifold", "letter")
    assert [p.width / 72 for p in letter.faces[0].panels] == [3.625, 3.6875, 3.6875]
    assert [p.width / 72 for p in letter.faces[1].panels] == [3.6875, 3.6875, 3.625]
    assert [x / 72 for x in letter.faces[0].folds] == [3.625, 7.3125]
    assert [x / 72 for x in letter.faces[1].folds] == [3.6875, 7.375]
    assert [p.name for p in letter.faces[0].panels] == ["flap", "back", "cover"]
    assert [p.name for p in letter.faces[1].panels] == ["inside_left", "inside_middle", "inside_right"]
    a4 = geo.sheet("trifold", "a4")
    assert [round(p.width / geo.MM, 3) for p in a4.faces[0].panels] == [97, 100, 100]
    assert [round(x / geo.MM, 3) for x in a4.faces[1].folds] == [100, 200]


@pytest.mark.parametrize("format, page_size, bleed, page, trim", [
    ("trifold", "letter", 9.0, (810, 630), (9, 9, 801, 621)),
    ("trifold", "letter", 0.0, (792, 612), (0, 0, 792, 612)),
    ("trifold", "a4", 3 * geo.MM, (297 * geo.MM + 6 * geo.MM, 210 * geo.MM + 6 * geo.MM), None),
    ("bifold", "letter", 9.0, (810, 630), (9, 9, 801, 621)),
    ("rack-card", "letter", 9.0, (306, 666), (9, 9, 297, 657)),
    ("rack-card", "a4", 0.0, (99 * geo.MM, 210 * geo.MM), None),
    ("flyer", "letter", 9.0, (630, 810), (9, 9, 621, 801)),
    ("flyer", "a4", 0.0, (595.2756, 841.8898), None),
])
def test_page_size_and_boxes_on_every_page(format, page_size, bleed, page, trim):
    pdf = made("hip-pain", format, "en", page_size, bleed).pdf
    pages = boxes(pdf)
    assert len(pages) == {"trifold": 2, "bifold": 2, "rack-card": 2, "flyer": 1}[format]
    for b in pages:
        assert b["/MediaBox"][2:] == pytest.approx(list(page), abs=0.01)
        assert b["/BleedBox"] == pytest.approx(b["/MediaBox"], abs=0.01)  # no marks: the page is trim + bleed exactly
        tx0, ty0, tx1, ty1 = b["/TrimBox"]
        assert (tx0, ty0) == pytest.approx((bleed, bleed), abs=0.01)
        assert (page[0] - tx1, page[1] - ty1) == pytest.approx((bleed, bleed), abs=0.01)
        if trim:
            assert b["/TrimBox"] == list(map(float, trim))  # exactly, as a print shop reads it


def test_marks_sit_in_a_slug_outside_the_bleed_and_leave_the_trim_box_alone():
    pdf = made("hip-pain", "trifold", "en", "letter", 9.0, "crop,fold").pdf
    sheet = geo.sheet("trifold", "letter", 9.0, "crop,fold")
    b = boxes(pdf)[0]
    o = sheet.offset
    assert b["/TrimBox"] == pytest.approx([o, o, o + 792, o + 612])
    assert b["/BleedBox"] == pytest.approx([o - 9, o - 9, o + 801, o + 621])
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for index, page in enumerate(doc.pages):
            lines = page.lines
            assert lines, "no marks drawn"
            bleed_x0, bleed_x1 = o - 9, o + 801
            bleed_top, bleed_bottom = page.height - (o + 621), page.height - (o - 9)
            trim_top, trim_bottom = page.height - (o + 612), page.height - o
            inside = [l for l in lines if l["x0"] >= o - 0.01 and l["x1"] <= o + 792.01 and l["top"] >= trim_top - 0.01
                      and l["bottom"] <= trim_bottom + 0.01]
            lines = [l for l in lines if l not in inside]  # the rest are marks
            assert len(lines) == 8 + 4  # two crop marks at each corner, a fold mark above and below each fold
            for line in lines:
                assert 0.25 <= line["linewidth"] <= 0.5
                outside = (line["x1"] <= bleed_x0 + 0.01 or line["x0"] >= bleed_x1 - 0.01
                           or line["bottom"] <= bleed_top + 0.01 or line["top"] >= bleed_bottom - 0.01)
                assert outside, f"a mark reaches into the bleed: {line['x0']:.1f},{line['top']:.1f}"
            vertical = {round(line["x0"] - o, 2) for line in lines if abs(line["x0"] - line["x1"]) < 0.01}
            folds = {round(x, 2) for x in sheet.faces[index].folds}
            assert folds <= vertical, f"fold marks missing on face {index + 1}"
            assert {0.0, 792.0} <= vertical  # crop marks at the trim's left and right edges


def test_viewer_preferences_for_office_duplex():
    with pikepdf.open(io.BytesIO(made().pdf)) as doc:
        prefs = doc.Root.ViewerPreferences
        assert str(prefs.PrintScaling) == "/None"
        assert str(prefs.Duplex) == "/DuplexFlipShortEdge"


# ---- text: in its panel's safe zone, all of it drawn ---------------------------------------------


def _chars_outside_safe_zone(pdf: bytes, sheet: geo.Sheet) -> list[str]:
    bad = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == len(sheet.faces)
        for index, page in enumerate(doc.pages):
            o = sheet.offset
            for char in page.chars:
                if not char["text"].strip():
                    continue
                x0, x1 = char["x0"] - o, char["x1"] - o
                y1, y0 = page.height - char["top"] - o, page.height - char["bottom"] - o
                middle = (x0 + x1) / 2
                panel = next(p for p in sheet.faces[index].panels if p.x <= middle <= p.x + p.width)
                sx0, sy0, sx1, sy1 = panel.safe
                if not (x0 >= sx0 - 0.01 and x1 <= sx1 + 0.01 and y0 >= sy0 - 0.01 and y1 <= sy1 + 0.01):
                    bad.append(f"page {index + 1} {panel.name}: {char['text']!r} at {x0:.1f},{y0:.1f}")
    return bad


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_every_character_is_inside_its_panels_safe_zone_and_drawn(format, lang):
    made_ = made("hip-pain", format, lang, "letter", 9.0)
    sheet = geo.sheet(format, "letter", 9.0)
    assert _chars_outside_safe_zone(made_.pdf, sheet) == []
    assert not made_.report.failed, "\n".join(made_.report.lines())
    from handouts.composition.brochure import compose_brochure
    from handouts.library.load import load_library
    from handouts.model import Paragraph

    brochure = compose_brochure(load_library(), "hip-pain", format, lang)
    with pdfplumber.open(io.BytesIO(made_.pdf)) as doc:
        text = "".join("".join(c["text"] for c in page.chars) for page in doc.pages)
    text = "".join(text.split())
    # Every glyph drawn: the cover title and each panel's first paragraph are in the text layer whole
    # (ReportLab silently drops a character its font lacks).
    assert "".join(brochure.title.split()) in text
    for panel in brochure.panels:
        first = next(b for b in panel.blocks if isinstance(b, Paragraph))
        assert "".join(first.text.split())[:40] in text, f"{panel.name}: {first.text[:40]!r} is not on the page"


@pytest.mark.parametrize("format", FORMATS)
def test_clinic_brochure_with_a_full_profile_fits_every_format_and_language(format):
    for lang in LANGS:
        made_ = made(None, format, lang, "a4", 3 * geo.MM, clinic=str(EXAMPLE_CLINIC))
        assert _chars_outside_safe_zone(made_.pdf, geo.sheet(format, "a4", 3 * geo.MM)) == []
        assert not made_.report.failed


def _panel_texts(pdf: bytes, sheet: geo.Sheet) -> dict[str, str]:
    """Each panel's text, read from its own part of the page (panels side by side interleave in the page's text)."""
    out = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for index, page in enumerate(doc.pages):
            for panel in sheet.faces[index].panels:
                x0 = sheet.offset + panel.x
                text = page.crop((x0, 0, x0 + panel.width, float(page.height))).extract_text() or ""
                out[panel.name] = " ".join(text.split())
    return out


def test_testimonials_print_with_results_vary_and_the_team_with_credentials():
    texts = _panel_texts(made(None, "trifold", "en", clinic=str(EXAMPLE_CLINIC)).pdf, geo.sheet("trifold"))
    text = " ".join(texts.values())
    assert "The staff took time to explain everything" in text
    # FTC 16 CFR 255.2(b): not only "results vary", but what patients generally achieve
    for part in ("These are one person's words. Results vary.", "on average a little more than fake needling, and",
                 "it did not help everyone."):
        assert part in text, part
    assert "Sam Example, L.Ac., Dipl. Ac. (NCCAOM)" in text
    assert "Monday to Friday: 9 am to 7 pm" in text


def test_condition_brochure_has_points_first_visit_risks_phone_and_booking_code():
    pdf = made().pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        text = "".join(c["text"] for page in doc.pages for c in page.chars if c["text"].strip())
    for needle in ("Points we often use", "GB30", "Your first visit", "Is it safe?", "Get urgent care now", "(973) 922-9659",
                   "Scan to book", "Acupuncture for hip pain"):
        assert needle.replace(" ", "") in text, needle


# ---- colour, fonts, QR ---------------------------------------------------------------------------


def _operators(pdf: bytes) -> tuple[set[str], list[str]]:
    ops, images = set(), []
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            for item in pikepdf.parse_content_stream(page):
                ops.add(str(item.operator))
            for xobj in (page.Resources.get("/XObject") or {}).values():
                if str(xobj.get("/Subtype")) == "/Image":
                    images.append(str(xobj.get("/ColorSpace")))
            for cs in (page.Resources.get("/ColorSpace") or {}).values():
                images.append(str(cs))
    return ops, images


def test_cmyk_mode_has_no_rgb_anywhere_and_text_is_pure_black():
    pdf = made("hip-pain", "trifold", "en", "letter", 9.0, "crop,fold", "cmyk").pdf
    ops, spaces = _operators(pdf)
    assert not ops & {"rg", "RG", "sc", "scn", "SC", "SCN", "cs", "CS"}, ops
    assert "k" in ops  # CMYK fills are there
    assert not any("RGB" in s for s in spaces)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        body = [c for c in doc.pages[1].chars if c["size"] < 10.5 and c["text"].strip() and c["non_stroking_color"] != (0, 0, 0, 0)]
        black = [c for c in body if tuple(c["non_stroking_color"]) == (0, 0, 0, 1)]
        assert len(black) > 0.8 * len(body)  # body text is 100 % K (the rest: headings and captions in the brand colour)
    lines = made("hip-pain", "trifold", "en", "letter", 9.0, "crop,fold", "cmyk").report.lines()
    assert any("brand colour #1D5C63 printed as C71 M7 Y0 K61" in line for line in lines)


def _without_photos(text: str) -> str:
    """The example clinic's profile without its photos (so a cover holds the logo's image alone)."""
    start, end = text.index("\nphotos:\n") + 1, text.index("\nteam:\n") + 1
    return text[:start] + text[end:]


def _beside(clinic: Path) -> Path:
    """The example clinic's photo copied beside a clinic.yaml made from the example's."""
    (clinic.parent / "portrait.jpg").write_bytes((EXAMPLE_CLINIC.parent / "portrait.jpg").read_bytes())
    return clinic


def test_cmyk_logo_is_converted_and_sits_on_the_cover(tmp_path):
    from PIL import Image, ImageDraw

    logo = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((10, 10, 230, 230), fill=(200, 30, 60, 255))
    ImageDraw.Draw(logo).rectangle((300, 60, 590, 180), fill=(0, 0, 0, 255))  # black type, say
    logo.save(tmp_path / "logo.png")
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(_without_photos(EXAMPLE_CLINIC.read_text("utf-8")).replace("colour_cmyk:", "logo: logo.png\ncolour_cmyk:"), "utf-8")
    for colour in ("rgb", "cmyk"):
        made_ = build_brochure(None, BrochureOptions(colour=colour, bleed=9.0), clinic=clinic)
        spaces = []
        with pikepdf.open(io.BytesIO(made_.pdf)) as doc:
            for xobj in doc.pages[0].Resources.XObject.values():
                if str(xobj.Subtype) == "/Image":
                    spaces.append(str(xobj.ColorSpace))
        assert spaces == (["/DeviceCMYK"] if colour == "cmyk" else ["/DeviceRGB"])
        if colour == "cmyk":  # separated as the vector colours: black on K alone, the red as rgb_to_cmyk gives it
            from handouts.render.pdf.brochure import rgb_to_cmyk

            with pikepdf.open(io.BytesIO(made_.pdf)) as doc:
                (xobj,) = [x for x in doc.pages[0].Resources.XObject.values() if str(x.Subtype) == "/Image"]
                pixels = pikepdf.PdfImage(xobj).as_pil_image()
            w, h = pixels.size
            assert pixels.getpixel((w * 445 // 600, h // 2)) == (0, 0, 0, 255)
            red = pixels.getpixel((w * 120 // 600, h // 2))
            want = [v * 255 for v in rgb_to_cmyk(200 / 255, 30 / 255, 60 / 255)]  # C0 M85 Y70 K22
            assert all(abs(got - v) <= 0.5 for got, v in zip(red, want)), (red, want)
            assert pixels.getpixel((w * 270 // 600, h // 2)) == (0, 0, 0, 0)  # the transparent part: white paper
        lines = made_.report.lines()
        assert not made_.report.failed
        assert any(line.startswith("OK    images:") and "on page 1" in line for line in lines), lines
    cover = geo.sheet("trifold", "letter", 9.0).panel("cover")
    with pdfplumber.open(io.BytesIO(made_.pdf)) as doc:
        (image,) = doc.pages[0].images
        x0, x1 = image["x0"] - 9, image["x1"] - 9
        assert cover.safe[0] <= x0 and x1 <= cover.safe[2]


def test_rgb_mode_says_the_shop_will_convert():
    assert any("RGB colour" in line for line in made().report.lines())


def test_every_font_is_embedded_and_there_is_no_helvetica():
    for format in FORMATS:
        with pikepdf.open(io.BytesIO(made("hip-pain", format, "zh").pdf)) as doc:
            for page in doc.pages:
                for font in page.Resources.Font.values():
                    name = str(font.BaseFont)
                    assert "Helvetica" not in name
                    descriptor = (font.DescendantFonts[0] if "/DescendantFonts" in font else font).FontDescriptor
                    assert "/FontFile2" in descriptor, name


@pytest.mark.parametrize("format", FORMATS)
def test_booking_qr_decodes_is_at_least_2cm_and_inside_one_panel(format):
    import pypdfium2 as pdfium
    import zxingcpp

    made_ = made("hip-pain", format, "en", "letter", 9.0)
    sheet = geo.sheet(format, "letter", 9.0)
    scale = 4
    doc = pdfium.PdfDocument(made_.pdf)
    found = None
    for index in range(len(doc)):
        image = doc[index].render(scale=scale).to_pil()
        results = zxingcpp.read_barcodes(image)
        if results:
            found = (index, results[0])
            break
    doc.close()
    assert found, "no QR code found"
    index, result = found
    assert result.text == "https://clifton-acupuncture.example/book"
    pos = result.position
    xs = [p.x / scale - sheet.offset for p in (pos.top_left, pos.top_right, pos.bottom_left, pos.bottom_right)]
    assert (max(xs) - min(xs)) >= 20 / geo.MM * 0.98  # the symbol at least 2 cm wide (its quiet zone comes on top)
    panels = [p for p in sheet.faces[index].panels if p.safe[0] <= min(xs) and max(xs) <= p.safe[2]]
    assert len(panels) == 1, "the QR code crosses a fold or leaves the safe zone"


# ---- claims, fitting, errors -------------------------------------------------------------------


def _override(tmp_path: Path, rel: str, text: str) -> Path:
    root = tmp_path / "ours"
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return root


def test_risky_claim_in_a_clinics_override_is_refused_naming_words_file_and_line(run, tmp_path):
    bundled = (REPO / "content" / "brochures" / "conditions" / "hip-pain.yaml").read_text("utf-8")
    risky = bundled.replace("Acupuncture may ease the pain a little for some people,",
                            "Acupuncture cures hip pain, guaranteed,")
    assert risky != bundled
    root = _override(tmp_path, "brochures/conditions/hip-pain.yaml", risky)
    out = tmp_path / "x.pdf"
    cache.clear()
    for _ in range(2):  # the second run takes the content (and its parsed lines) from the caches: still refused
        result = run("brochure", "hip-pain", "--content", root, "-o", out)
        assert result.exit_code == 1
        assert str(root / "brochures/conditions/hip-pain.yaml") + ":" in result.output
        assert "'cures'" in result.output and "'guaranteed'" in result.output and "cover.en" in result.output
        assert "Traceback" not in result.output and not out.exists()
        cache.clear()  # the next run as a new process would: from the disk cache only
    assert list(Path(os.environ["HANDOUTS_CACHE"]).glob("documents-*.pickle"))


def test_medicare_line_that_promises_too_much_is_refused(run, tmp_path):
    clinic = EXAMPLE_CLINIC.read_text("utf-8").replace(
        "Medicare Part B pays for acupuncture only for chronic low back pain: up to 12 visits in 90 days, and 8 more if "
        "you are getting better, but no more than 20 a year.",
        "Medicare covers your acupuncture.")
    assert "Medicare covers your acupuncture." in clinic
    path = tmp_path / "clinic.yaml"
    path.write_text(clinic, "utf-8")
    _beside(path)
    result = run("brochure", "--clinic", path, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert f"{path}:" in result.output and "Medicare" in result.output and "chronic low back pain" in result.output


def test_a_testimonial_needs_a_consent_date(run, tmp_path):
    clinic = EXAMPLE_CLINIC.read_text("utf-8").replace("    consent_on: 2026-11-02\n", "")
    path = tmp_path / "clinic.yaml"
    path.write_text(clinic, "utf-8")
    _beside(path)
    result = run("brochure", "--clinic", path, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert "testimonials[0].consent_on" in result.output and "required" in result.output


def test_text_that_cannot_fit_fails_naming_the_panel_and_file(run, tmp_path):
    long_bio = "Sam has treated people with back, neck and joint pain for many years. " * 40
    clinic = EXAMPLE_CLINIC.read_text("utf-8").replace(
        "Sam has treated people with back, neck and joint pain for 12 years. Sam speaks English and Spanish.", long_bio.strip())
    path = tmp_path / "clinic.yaml"
    path.write_text(clinic, "utf-8")
    _beside(path)
    out = tmp_path / "x.pdf"
    result = run("brochure", "--clinic", path, "-o", out)
    assert result.exit_code == 1
    assert "inside_middle panel" in result.output and "cannot hold its text" in result.output  # the team's panel and str(path) in result.output
    assert not out.exists()


def test_cli_writes_pdf_and_proof_and_prints_the_preflight(run, tmp_path):
    out, proof = tmp_path / "hip.pdf", tmp_path / "proof.png"
    result = run("brochure", "hip-pain", "--format", "trifold", "--bleed", "0.125in", "--proof", proof, "-o", out)
    assert result.exit_code == 0, result.output
    assert "preflight passed" in result.output and "9.00 pt" in result.output
    assert boxes(out.read_bytes())[0]["/TrimBox"] == [9.0, 9.0, 801.0, 621.0]
    from PIL import Image

    with Image.open(proof) as image:
        assert image.format == "PNG" and image.width > 2 * image.height  # both faces side by side


# ---- golden images -------------------------------------------------------------------------------


@pytest.mark.parametrize("format", FORMATS)
def test_each_format_matches_its_reviewed_golden_image(format, regen_golden):
    import pypdfium2 as pdfium
    from PIL import Image

    doc = pdfium.PdfDocument(made("hip-pain", format, "en", "letter", 9.0).pdf)
    faces = [doc[i].render(scale=40 / 72).to_pil().convert("L") for i in range(len(doc))]
    doc.close()
    image = Image.new("L", (sum(f.width for f in faces), max(f.height for f in faces)), 255)
    x = 0
    for face in faces:
        image.paste(face, (x, 0))
        x += face.width
    assert_golden(image, f"brochure-{format}-en.png", regen_golden, format)


def test_check_reports_a_medicare_line_that_promises_too_much(run, tmp_path):
    bundled = (REPO / "content" / "clinic.yaml").read_text("utf-8")
    wrong = bundled.replace("Medicare Parte B paga la acupuntura solo para el dolor lumbar crónico: hasta 12 visitas en 90 días, y 8 más si va mejorando, pero no más de 20 al año.",
                            "Medicare paga su acupuntura.")
    assert wrong != bundled
    root = _override(tmp_path, "clinic.yaml", wrong)
    result = run("check", "--content", root)
    assert result.exit_code == 1
    assert f"{root / 'clinic.yaml'}:" in result.output and "payment[1].es: mentions Medicare" in result.output


def _lines_starting_with_closing_marks(pdf: bytes) -> list[str]:
    """Closing marks (。，、）…) with nothing before them on their line within their column: a kinsoku break."""
    from handouts.render.pdf.kinsoku import CANNOT_START

    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, 1):
            chars = [c for c in page.chars if c["text"].strip()]
            for c in chars:
                if c["text"] not in CANNOT_START:
                    continue
                before = [o for o in chars if o is not c and abs(o["top"] - c["top"]) < 1.5
                          and c["x0"] - 0.8 * c["size"] <= o["x1"] <= c["x0"] + 0.5]
                if not before:
                    found.append(f"page {number}: {c['text']!r} at x={c['x0']:.0f}, y={c['top']:.0f}")
    return found


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("condition", ["hip-pain", None])
def test_chinese_brochures_break_lines_by_kinsoku(format, condition):
    """No line of a Chinese brochure starts with a closing mark (the leaflet's line breaking, issue 22)."""
    assert _lines_starting_with_closing_marks(made(condition, format, "zh").pdf) == []


def _luminance(rgb) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = (channel(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def _contrast(a, b) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def _low_contrast_text(pdf: bytes) -> list[str]:
    """Characters drawn at under 4.5:1 against the filled shape under them: the smallest box or disc that holds the
    character's centre (the innermost, which is drawn last), else the white page."""
    found = set()
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, 1):
            boxes = [r for r in page.rects + page.curves if r.get("fill") and len(r.get("non_stroking_color") or ()) == 3]
            for c in page.chars:
                if not c["text"].strip() or len(c.get("non_stroking_color") or ()) != 3:
                    continue
                x, y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
                under = [r for r in boxes if r["x0"] <= x <= r["x1"] and r["top"] <= y <= r["bottom"]]
                ground = min(under, key=lambda r: r["width"] * r["height"])["non_stroking_color"] if under else (1, 1, 1)
                if _contrast(c["non_stroking_color"], ground) < 4.5:
                    found.add(f"page {number}: {c['text']!r} at y={c['top']:.0f}")
    return sorted(found)


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_text_on_a_coloured_ground_is_legible(format, lang):
    """Every character, the draft line on a cover among them, at 4.5:1 or more against its ground (issue 22)."""
    assert _low_contrast_text(made("hip-pain", format, lang).pdf) == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("condition", ["hip-pain", None])
def test_flyer_headline_reads_across_a_room(lang, condition):
    """The flyer's headline is set at 48 pt or more, for a notice board (issue 22), and it still fits on A4."""
    for page_size in ("letter", "a4"):
        with pdfplumber.open(io.BytesIO(made(condition, "flyer", lang, page_size).pdf)) as doc:
            sizes = [round(c["size"], 1) for c in doc.pages[0].chars if c["text"].strip()]
        assert max(sizes) >= 48, (page_size, max(sizes))


def _ink_near_the_edge(pdf: bytes, margin: float) -> list[str]:
    """Characters and filled shapes closer than `margin` points to the paper's edge."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, 1):
            w, h = float(page.width), float(page.height)
            shapes = [o for o in page.rects + page.curves if o.get("fill")]
            for kind, objects in (("text", [c for c in page.chars if c["text"].strip()]), ("fill", shapes)):
                for o in objects:
                    if min(o["x0"], o["top"], w - o["x1"], h - o["bottom"]) < margin - 0.01:
                        found.append(f"page {number} {kind} {o.get('text', '')!r} at {o['x0']:.1f},{o['top']:.1f}")
    return found


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_without_bleed_nothing_prints_in_an_office_printers_margin(format, lang):
    """No bleed means a desktop printer: no text and no colour within 0.25 in of the paper's edge (issue 22)."""
    for page_size in ("letter", "a4"):
        assert _ink_near_the_edge(made("hip-pain", format, lang, page_size).pdf, 0.25 * 72) == [], page_size
        assert _ink_near_the_edge(made(None, format, lang, page_size).pdf, 0.25 * 72) == [], page_size


def test_with_bleed_the_cover_colour_still_runs_into_the_bleed():
    pdf = made("hip-pain", "trifold", "en", "letter", 9.0).pdf
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        fills = [r for r in page.rects if r.get("fill") and r["x1"] >= float(page.width) - 0.01]
    assert fills and fills[0]["top"] <= 0.01  # the cover, to the page (bleed) edge at the right, top and bottom


# ---- balanced panels, reading order when folded, tear-off tabs (issue 22) ---------------------------


def _panel_ink(pdf: bytes, sheet: geo.Sheet) -> dict[str, tuple[float, str]]:
    """Each panel's empty fraction at its foot (of its safe zone's height) and its text, read from the PDF: the lowest
    character or drawing whose middle is on the panel (a cover's own background, half the panel or more, is not ink)."""
    out = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for index, page in enumerate(doc.pages):
            height, o = float(page.height), sheet.offset
            chars = [c for c in page.chars if c["text"].strip()]
            drawings = page.rects + page.curves + page.lines
            for panel in sheet.faces[index].panels:
                x0, y0, x1, y1 = sheet.safe(panel)

                def on(obj):
                    middle = (obj["x0"] + obj["x1"]) / 2 - o
                    return panel.x <= middle <= panel.x + panel.width

                mine = [c for c in chars if on(c)]
                ink = mine + [d for d in drawings if on(d) and d["width"] * d["height"] < panel.width * panel.height / 2]
                low = min((height - d["bottom"] - o for d in ink), default=y1)
                out[panel.name] = (max(0.0, (low - y0) / (y1 - y0)), "".join(c["text"] for c in mine))
    return out


# Not yet balanced: (format, lang, condition, page size or None for both), each a strict xfail. None now (issue 22):
# the bundled clinic's Chinese tri-fold, whose sections no move or spread could balance, ends its what-is panel with
# the leaf stretched (pictures: spot: stretch) -- see test_a_spot_stretches_only_on_a_panel_left_too_empty.
NOT_YET_BALANCED: set[tuple] = set()


@pytest.mark.parametrize("page_size", ["letter", "a4"])
@pytest.mark.parametrize("condition", ["hip-pain", None])
@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
def test_no_panel_but_the_last_is_more_than_a_fifth_empty_at_its_foot(request, format, lang, condition, page_size):
    """Balanced by rebalancing (type 9.5-12 pt, pictures, blocks moved in reading order), not by padding."""
    if {(format, lang, condition, None), (format, lang, condition, page_size)} & NOT_YET_BALANCED:
        request.applymarker(pytest.mark.xfail(strict=True, reason="a Chinese tri-fold panel still more than 20 % empty (see NOT_YET_BALANCED)"))
    sheet = geo.sheet(format, page_size)
    ink = _panel_ink(made(condition, format, lang, page_size).pdf, sheet)
    last = geo.READING_ORDER[format][-1]
    empty = {name: round(e, 2) for name, (e, _) in ink.items() if name != last and e > 0.2}
    assert empty == {}, f"panels more than 20 % empty at the foot: {empty}"
    with pdfplumber.open(io.BytesIO(made(condition, format, lang, page_size).pdf)) as doc:
        sizes = {round(c["size"], 1) for page in doc.pages for c in page.chars if c["text"].strip()}
    assert min(sizes) >= 9  # nothing set smaller than the floor to make room


def _drawing_box(pdf: bytes, sheet: geo.Sheet, face: int, name: str) -> tuple[float, float, float, float]:
    """The box (x0, top, x1, bottom) of the curves drawn on a panel: its illustration's lines."""
    panel = next(p for p in sheet.faces[face].panels if p.name == name)
    x0, _, x1, _ = sheet.safe(panel)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        curves = [c for c in doc.pages[face].curves if x0 <= (c["x0"] + c["x1"]) / 2 <= x1]
    assert curves, f"no drawing on {name}"
    return (min(c["x0"] for c in curves), min(c["top"] for c in curves), max(c["x1"] for c in curves), max(c["bottom"] for c in curves))


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_a_spot_stretches_only_on_a_panel_left_too_empty(page_size):
    """The Chinese clinic tri-fold's what-is panel (its text can move nowhere) ends in its leaf stretched: its shape
    kept, its lines no wider than the column, half the panel's height at most; the English one's leaf, on a panel
    balanced without it, keeps its usual size."""
    sheet = geo.sheet("trifold", page_size)
    x0, y0, x1, y1 = sheet.safe(next(p for p in sheet.faces[1].panels if p.name == "inside_left"))
    en = _drawing_box(made(None, "trifold", "en", page_size).pdf, sheet, 1, "inside_left")
    zh = _drawing_box(made(None, "trifold", "zh", page_size).pdf, sheet, 1, "inside_left")
    size = lambda b: (b[2] - b[0], b[3] - b[1])  # noqa: E731
    (ew, eh), (zw, zh_) = size(en), size(zh)
    assert zh_ > 1.3 * eh  # stretched
    assert abs(zh_ / zw - eh / ew) < 0.05 * (eh / ew)  # the same shape
    assert x0 <= zh[0] and zh[2] <= x1 and zw < (x1 - x0) * 0.85  # within its frame, inside the column
    assert zh_ <= 0.5 * (y1 - y0)
    assert abs((zh[0] + zh[2]) / 2 - (x0 + x1) / 2) < 2  # its lines centred on the column
    empty = _panel_ink(made(None, "trifold", "zh", page_size).pdf, sheet)["inside_left"][0]
    assert empty <= 0.2


def test_reading_order_covers_every_panel_once():
    for format in FORMATS:
        assert sorted(geo.READING_ORDER[format]) == sorted(geo.sheet(format).panel_names)
        assert set(geo.FIRST_OPENED[format]) <= set(geo.READING_ORDER[format][1:-1])


URGENT = {"en": "Get urgent care now", "es": "Llame ya al 911 o vaya a urgencias", "zh": "请立即就医"}  # the box's title
NOT_ADVICE = {"en": "General information, not medical advice.", "es": "Información general, no consejo médico.",
              "zh": "一般信息，并非医疗建议。"}
FIRST_VISIT = {"en": "Your first visit", "es": "Su primera visita", "zh": "第一次就诊"}


@pytest.mark.parametrize("condition", ["hip-pain", None])
@pytest.mark.parametrize("lang", LANGS)
def test_opening_the_cover_shows_what_acupuncture_may_do_and_a_first_visit_not_the_urgent_box(lang, condition):
    """Cover, then the panels the reader opens to: what acupuncture may do for them and what a first visit is like;
    the urgent-care box is on an inside or back panel (issue 22: it was the first thing seen on opening)."""
    from handouts.composition.brochure import compose_brochure
    from handouts.library.load import load_library
    from handouts.model import Heading

    for format in ("trifold", "bifold"):
        brochure = compose_brochure(load_library(), condition, format, lang)
        ink = _panel_ink(made(condition, format, lang).pdf, geo.sheet(format))
        opened = "".join(ink[name][1] for name in geo.FIRST_OPENED[format])
        first_heading = next(b for b in brochure.panel("inside_left").blocks if isinstance(b, Heading) and b.level == 2)
        assert "".join(first_heading.text.split()) in opened  # about the condition, or what acupuncture is
        assert FIRST_VISIT[lang].replace(" ", "") in opened, format
        assert URGENT[lang].replace(" ", "") not in opened, format
        later = [name for name in geo.READING_ORDER[format] if name not in geo.FIRST_OPENED[format] and name != "cover"]
        assert any(URGENT[lang].replace(" ", "") in ink[name][1] for name in later), format


@pytest.mark.parametrize("format", FORMATS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("condition", ["hip-pain", None])
def test_every_brochure_carries_the_urgent_care_box_and_the_disclaimer(format, lang, condition):
    """Never dropped for room, in any format: flyers and rack cards had no urgent box before issue 22."""
    ink = _panel_ink(made(condition, format, lang).pdf, geo.sheet(format))
    urgent = [name for name, (_, text) in ink.items() if URGENT[lang].replace(" ", "") in text]
    assert urgent and not set(urgent) & {"cover", "front"} - ({"front"} if format == "flyer" else set()), urgent
    assert any(NOT_ADVICE[lang].replace(" ", "") in text for _, text in ink.values())


@lru_cache(maxsize=None)
def tabbed(condition: str | None = "hip-pain", lang: str = "en", page_size: str = "letter", bleed: float = 0.0):
    options = BrochureOptions(format="flyer", page_size=page_size, bleed=bleed, tabs=True)
    return build_brochure(condition, options, lang=lang)


@pytest.mark.parametrize("page_size, bleed", [("letter", 0.0), ("a4", 3 * geo.MM), ("letter", 9.0)])
@pytest.mark.parametrize("lang", LANGS)
def test_flyer_tabs_repeat_the_phone_and_booking_address_inside_the_safe_zone(lang, page_size, bleed):
    made_ = tabbed("hip-pain", lang, page_size, bleed)
    sheet = geo.sheet("flyer", page_size, bleed)
    tabs = geo.tabs(sheet)
    assert len(tabs.boxes) >= 8
    assert _chars_outside_safe_zone(made_.pdf, sheet) == []
    assert not [f for f in made_.report.findings if f.level in ("fail", "warn")], "\n".join(made_.report.lines())
    o = sheet.offset
    with pdfplumber.open(io.BytesIO(made_.pdf)) as doc:
        page = doc.pages[0]
        height = float(page.height)
        for x0, y0, x1, y1 in tabs.boxes:  # each tab, read upwards: the phone, then the booking address
            chars = [c for c in page.chars if c["text"].strip() and x0 <= (c["x0"] + c["x1"]) / 2 - o <= x1
                     and y0 <= height - (c["top"] + c["bottom"]) / 2 - o <= y1]
            assert chars and not any(c["upright"] for c in chars)
            first = min(c["x0"] for c in chars)  # the first line is the leftmost (the letters' tops point left)
            lines = ["".join(c["text"] for c in sorted(group, key=lambda c: -c["top"]))  # read upwards
                     for group in ([c for c in chars if c["x0"] < first + 5], [c for c in chars if c["x0"] >= first + 5])]
            assert lines == ["(973)922-9659", "clifton-acupuncture.example/book"], lines
        body = [c for c in page.chars if c["text"].strip() and c["upright"]]
        assert min(height - c["bottom"] - o for c in body) > tabs.top  # the flyer's own text stops above the strip
        cuts = [ln for ln in page.lines + page.curves if ln.get("dash")]
        vertical = [ln for ln in cuts if abs(ln["x0"] - ln["x1"]) < 0.01]
        assert len(vertical) == len(tabs.boxes) - 1 and len(cuts) == len(tabs.boxes)
    if bleed == 0:
        assert _ink_near_the_edge(made_.pdf, 0.25 * 72) == []


def test_tabs_are_only_for_a_flyer_and_the_cli_makes_one(run, tmp_path):
    result = run("brochure", "hip-pain", "--format", "trifold", "--tabs", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 2 and "--tabs is for a flyer" in result.output
    assert not (tmp_path / "x.pdf").exists()
    out = tmp_path / "flyer.pdf"
    result = run("brochure", "--format", "flyer", "--tabs", "-o", out)
    assert result.exit_code == 0, result.output
    assert "preflight passed" in result.output
    with pdfplumber.open(out) as doc:
        turned = "".join(c["text"] for c in doc.pages[0].chars if not c["upright"] and c["text"].strip())
    assert turned.count("(973)922-9659") >= 8


def test_a_whole_section_moves_to_the_panel_before_when_that_balances_both():
    """A tri-fold whose first panel was given only its first section, the rest put at the top of the flap (after its
    draft line): whole sections move back, in reading order, to the foot of the first panel, which ends balanced."""
    from dataclasses import replace

    from handouts.composition.brochure import compose_brochure
    from handouts.library.load import load_library
    from handouts.model import BrochurePanel, Heading
    from handouts.render.pdf.brochure import render_brochure

    composed = compose_brochure(load_library(), "hip-pain", "trifold", "en")
    left, flap = composed.panel("inside_left"), composed.panel("flap")
    assert composed.draft_notice and flap.blocks[0].text == composed.draft_notice
    cut = next(i for i, b in enumerate(left.blocks) if isinstance(b, Heading) and b.text == "How acupuncture may help")
    short = BrochurePanel("inside_left", left.blocks[:cut], tuple(i for i in left.optional if i < cut), sources=left.sources)
    n = len(left.blocks) - cut
    longer = BrochurePanel("flap", flap.blocks[:1] + left.blocks[cut:] + flap.blocks[1:],
                           tuple(i - cut + 1 for i in left.optional if i >= cut) + tuple(i + n for i in flap.optional if i),
                           sources=flap.sources)
    moved = replace(composed, panels=tuple(short if p.name == "inside_left" else longer if p.name == "flap" else p
                                           for p in composed.panels))
    ink = _panel_ink(render_brochure(moved, BrochureOptions()).pdf, geo.sheet("trifold"))
    assert "Howacupuncturemayhelp" in ink["inside_left"][1] and "Howacupuncturemayhelp" not in ink["flap"][1]
    assert ink["inside_left"][0] <= 0.2
    assert ink["flap"][1].startswith("Draft:") and "Yourfirstvisit" in ink["flap"][1]


def test_sections_spread_over_the_run_keep_the_map_with_its_points_and_headings_with_their_text():
    """The Chinese hip-pain tri-fold (Letter) balances only by letting the safety section start at the map panel's
    foot and go on in the next column of the same face: the map keeps its numbered points, the heading its paragraph."""
    sheet = geo.sheet("trifold", "letter")
    ink = _panel_ink(made("hip-pain", "trifold", "zh", "letter").pdf, sheet)
    middle, right = ink["inside_middle"][1], ink["inside_right"][1]
    assert all(f"{n}." in middle for n in (1, 2, 3, 4)) and "ST36" in middle  # the legend stays under its map
    assert "针灸安全吗？" in middle and "由持证针灸师" in middle  # the heading with its first paragraph
    assert "请立即就医" in right and "针灸安全吗" not in right
    assert max(e for name, (e, _) in ink.items() if name != "back") <= 0.2


def _clinic_with_logo(tmp_path: Path, photos: bool) -> Path:
    from PIL import Image, ImageDraw

    logo = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((10, 10, 230, 230), fill=(200, 30, 60, 255))
    ImageDraw.Draw(logo).rectangle((300, 60, 590, 180), fill=(0, 0, 0, 255))
    logo.save(tmp_path / "logo.png")
    text = EXAMPLE_CLINIC.read_text("utf-8")
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text((text if photos else _without_photos(text)).replace("colour_cmyk:", "logo: logo.png\ncolour_cmyk:"), "utf-8")
    return _beside(clinic) if photos else clinic


@pytest.mark.parametrize("theme, photos", [("photo", True), ("illustration", True), ("type", True), ("illustration", False),
                                           ("type", False)])
def test_the_flyer_carries_the_clinics_logo_at_the_top_of_its_band(tmp_path, theme, photos):
    clinic = _clinic_with_logo(tmp_path, photos)
    for colour, bleed in (("rgb", 0.0), ("cmyk", 9.0)):
        made_ = build_brochure("hip-pain", BrochureOptions(format="flyer", theme=theme, colour=colour, bleed=bleed), clinic=clinic)
        assert not made_.report.failed, made_.report.lines()
        sheet = geo.sheet("flyer", "letter", bleed)
        (panel,) = sheet.faces[0].panels
        x0, y0, x1, y1 = sheet.safe(panel)
        with pdfplumber.open(io.BytesIO(made_.pdf)) as doc:
            page = doc.pages[0]
            logos = [i for i in page.images if tuple(i["srcsize"]) == (600, 240)]
            assert len(logos) == 1, [i["srcsize"] for i in page.images]
            (logo,) = logos
            assert logo["width"] / logo["height"] == pytest.approx(2.5, abs=0.02)  # drawn whole, not cropped
            top = page.height - logo["top"] - bleed
            assert x0 <= logo["x0"] - bleed and logo["x1"] - bleed <= x1 and top <= y1  # in the safe zone
            title = [c for c in page.chars if c["size"] >= 40]  # the headline, 48 pt
            assert title and logo["bottom"] <= min(c["top"] for c in title)  # above the headline
            others = [i for i in page.images if i is not logo]  # a photo or nothing: never over the logo
            assert all(i["top"] >= logo["bottom"] for i in others)
