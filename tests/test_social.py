"""Social media images (issue 22): exact pixel sizes, the alt text is the words drawn, draft marking, claims, Chinese."""

from __future__ import annotations

import io
import shutil
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pytest
from PIL import Image

from handouts import load_library
from handouts.composition.social import alt_text, compose_social
from handouts.deliver.social import build_social
from handouts.design.tints import contrast
from handouts.render.pdf.kinsoku import CANNOT_END, CANNOT_START
from handouts.render.social import render_social

BUNDLED = Path(load_library().files["clinic.yaml"].root)
SIZES = {"square": (1080, 1080), "portrait": (1080, 1350), "story": (1080, 1920)}
LANGS = ["en", "es", "zh"]
YELLOW = (0xFF, 0xE5, 0x66)  # the draft band (design/styles/social.yaml draft_ground)


@lru_cache(maxsize=None)
def made(condition: str | None, size: str, lang: str):
    return build_social(condition, size, lang)


def _hex(rgb) -> str:
    return "#%02X%02X%02X" % tuple(rgb[:3])


def _lines(pdf: bytes) -> list[str]:
    """The page's lines: its characters grouped by baseline, in drawing order (not by their boxes' tops, which differ
    between faces of one line: Droid Sans Fallback's hanzi and Atkinson's Latin letters, 3.4 px apart at 44 px)."""
    lines: dict[float, str] = {}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for c in doc.pages[0].chars:
            baseline = round(c["matrix"][5], 1)
            lines[baseline] = lines.get(baseline, "") + c["text"]
    return list(lines.values())


def _stream(pdf: bytes) -> str:
    """The page's characters in the order they were drawn."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return "".join(c["text"] for c in doc.pages[0].chars)


def _squash(text: str) -> str:
    """Text without white space or bullets: what a text layer and the words have in common."""
    return "".join(ch for ch in text if not ch.isspace() and ch != "•")


# ---- sizes, words, legibility --------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_cli_writes_a_png_of_the_exact_size_and_its_alt_text_beside_it(run, tmp_path, size):
    out = tmp_path / "post.png"
    result = run("social", "hip-pain", "--size", size, "-o", out)
    assert result.exit_code == 0, result.output
    with Image.open(out) as image:
        assert image.format == "PNG" and image.size == SIZES[size]
    alt = (tmp_path / "post.png.txt").read_text("utf-8")
    assert alt.startswith("Draft: this text has not yet been approved by") and "Acupuncture for hip pain." in alt
    assert f"wrote {out} ({SIZES[size][0]}x{SIZES[size][1]})" in result.output
    assert "printed as a draft" in result.output and "handouts approve --brochure hip-pain" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["post.png", "post.png.txt"]  # no temp file left


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("condition", ["hip-pain", None])
@pytest.mark.parametrize("size", SIZES)
def test_the_alt_text_says_exactly_the_words_drawn(condition, size, lang):
    m = made(condition, size, lang)
    drawn = _squash(_stream(m.pdf))
    post = compose_social(load_library(), condition, lang)
    assert m.alt == alt_text(post, m.highlights)
    words = post.words(m.highlights)
    assert drawn == _squash("".join(words))  # every word drawn, in reading order, and nothing else
    said = m.alt
    for w in words:
        assert w in said
    if size == "story" or (size == "portrait" and lang != "es"):
        assert m.highlights == bool(post.highlights)  # the taller sizes have room for them


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("size", SIZES)
def test_every_word_is_40_px_or_more_and_the_page_is_1_pt_per_pixel(size, lang):
    m = made("hip-pain", size, lang)
    with pdfplumber.open(io.BytesIO(m.pdf)) as doc:
        page = doc.pages[0]
        assert (page.width, page.height) == SIZES[size]
        sizes = [round(c["size"], 6) for c in page.chars if not c["text"].isspace()]
    assert sizes and min(sizes) >= 40


def test_white_words_on_a_light_brand_colour_get_a_darker_ground(tmp_path):
    light = "#7FD1D8"  # white on it: 1.6:1
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text((BUNDLED / "clinic.yaml").read_text("utf-8").replace('colour: "#1D5C63"', f'colour: "{light}"'), "utf-8")
    assert light in clinic.read_text("utf-8")
    m = build_social("hip-pain", "square", "en", clinic=clinic)
    with Image.open(io.BytesIO(m.png)) as image:
        corner = _hex(image.convert("RGB").getpixel((1075, 1075)))  # the ground under the footer's words
    assert corner == m.ground != light
    assert contrast(corner, "#FFFFFF") >= 4.5
    with pdfplumber.open(io.BytesIO(m.pdf)) as doc:
        page = doc.pages[0]
        title = [c for c in page.chars if c["size"] >= 60]
    assert title and {tuple(c["non_stroking_color"]) for c in title} == {(1, 1, 1)}


def test_the_default_ground_is_the_clinics_colour():
    m = made("hip-pain", "square", "en")
    with Image.open(io.BytesIO(m.png)) as image:
        assert _hex(image.convert("RGB").getpixel((1075, 1075))) == "#1D5C63"


# ---- draft, approval, claims ---------------------------------------------------------------------


def _yellow_rows(png: bytes) -> int:
    with Image.open(io.BytesIO(png)) as image:
        rgb = image.convert("RGB")
        return sum(1 for y in range(rgb.height) if rgb.getpixel((5, y)) == YELLOW)


def test_unapproved_content_is_marked_draft_and_approved_content_is_not(run, tmp_path):
    folder = tmp_path / "our-clinic"
    shutil.copytree(BUNDLED, folder)
    out = tmp_path / "post.png"
    before = run("social", "hip-pain", "--size", "portrait", "--content", folder, "-o", out)
    assert before.exit_code == 0, before.output
    assert _yellow_rows(out.read_bytes()) > 100  # a band across the top, black on yellow
    assert "Draft:" in (tmp_path / "post.png.txt").read_text("utf-8")
    approved = run("approve", "--brochure", "hip-pain", "--by", "Ana Ruiz, LAc", "--yes", "--content", folder)
    assert approved.exit_code == 0, approved.output
    after = run("social", "hip-pain", "--size", "portrait", "--content", folder, "-o", out)
    assert after.exit_code == 0, after.output
    assert _yellow_rows(out.read_bytes()) == 0
    alt = (tmp_path / "post.png.txt").read_text("utf-8")
    assert "Draft" not in alt and alt.startswith("Clifton Physical Therapy & Acupuncture. Acupuncture for hip pain.")
    assert "printed as a draft" not in after.output
    # the clinic brochure's post is another set of files: still a draft
    clinic_post = run("social", "--size", "portrait", "--content", folder, "-o", out)
    assert clinic_post.exit_code == 0 and _yellow_rows(out.read_bytes()) > 100


def test_require_approval_refuses_an_unapproved_post(run, tmp_path):
    folder = tmp_path / "our-clinic"
    folder.mkdir()
    (folder / "clinic.yaml").write_text((BUNDLED / "clinic.yaml").read_text("utf-8") + "require_approval: true\n", "utf-8")
    out = tmp_path / "post.png"
    result = run("social", "hip-pain", "--size", "square", "--content", folder, "-o", out)
    assert result.exit_code == 1 and "require_approval: true" in result.output and "Traceback" not in result.output
    assert not out.exists() and not (tmp_path / "post.png.txt").exists()


def test_a_risky_claim_is_refused_naming_file_field_and_words(run, tmp_path):
    folder = tmp_path / "ours"
    path = folder / "brochures" / "conditions" / "hip-pain.yaml"
    path.parent.mkdir(parents=True)
    bundled = (BUNDLED / "brochures" / "conditions" / "hip-pain.yaml").read_text("utf-8")
    risky = bundled.replace("Acupuncture may ease the pain a little for some people,", "Acupuncture cures hip pain, guaranteed,")
    assert risky != bundled
    path.write_text(risky, "utf-8")
    out = tmp_path / "post.png"
    result = run("social", "hip-pain", "--size", "square", "--content", folder, "-o", out)
    assert result.exit_code == 1, result.output
    assert "the post would print text that promises too much" in result.output
    assert f"{path}:" in result.output and "cover.en" in result.output and "'cures'" in result.output
    assert "Traceback" not in result.output and not out.exists() and not (tmp_path / "post.png.txt").exists()


def test_the_clinics_uk_claims_rule_refuses_a_condition_uk_rules_do_not_accept(run, tmp_path):
    folder = tmp_path / "ours"
    folder.mkdir()
    (folder / "clinic.yaml").write_text((BUNDLED / "clinic.yaml").read_text("utf-8").replace("claims: us", "claims: uk"), "utf-8")
    assert "claims: uk" in (folder / "clinic.yaml").read_text("utf-8")
    result = run("social", "hip-pain", "--size", "square", "--content", folder, "-o", tmp_path / "post.png")
    assert result.exit_code == 1, result.output
    assert "claims: uk" in result.output and "hip-pain" in result.output and not (tmp_path / "post.png").exists()


# ---- Chinese, errors -----------------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_chinese_lines_break_by_kinsoku(size):
    m = made("hip-pain", size, "zh")
    lines = [line.strip() for line in _lines(m.pdf) if line.strip()]
    assert any("髋部" in line for line in lines)
    for line in lines:
        assert line[0] not in CANNOT_START, f"a line starts with {line[0]!r}: {line}"
        assert line[-1] not in CANNOT_END, f"a line ends with {line[-1]!r}: {line}"
    assert "在线预约就诊：" in m.alt and m.alt.rstrip().endswith("。")


def test_bad_size_unknown_condition_and_unwritable_output(run, tmp_path):
    bad = run("social", "hip-pain", "--size", "banner", "-o", tmp_path / "x.png")
    assert bad.exit_code == 2 and "'banner' is not one of 'square', 'portrait', 'story'" in bad.output
    unknown = run("social", "hip-painn", "--size", "square", "-o", tmp_path / "x.png")
    assert unknown.exit_code == 1 and "unknown condition 'hip-painn'" in unknown.output
    missing = run("social", "--size", "square", "-o", tmp_path / "no" / "x.png")
    assert missing.exit_code == 1 and "the folder" in missing.output and "does not exist" in missing.output
    for result in (bad, unknown, missing):
        assert "Traceback" not in result.output
    assert not list(tmp_path.iterdir())


def test_words_that_cannot_fit_at_40_px_fail_naming_the_file_and_a_taller_size(run, tmp_path):
    folder = tmp_path / "ours"
    path = folder / "brochures" / "conditions" / "hip-pain.yaml"
    path.parent.mkdir(parents=True)
    bundled = (BUNDLED / "brochures" / "conditions" / "hip-pain.yaml").read_text("utf-8")
    line = "Stiff, sore hips can make walking and sleep hard."
    long = bundled.replace(line, " ".join([line] * 6))
    path.write_text(long, "utf-8")
    result = run("social", "hip-pain", "--size", "square", "--content", folder, "-o", tmp_path / "x.png")
    assert result.exit_code == 1, result.output
    assert "cannot hold its words at 40 px" in result.output and "taller --size" in result.output
    assert "brochures/conditions/hip-pain.yaml" in result.output
    story = run("social", "hip-pain", "--size", "story", "--content", folder, "-o", tmp_path / "x.png")
    assert story.exit_code == 0, story.output


def test_a_logo_is_drawn_on_the_white_band(tmp_path):
    from PIL import ImageDraw

    logo = Image.new("RGBA", (600, 240), (0, 0, 0, 0))
    ImageDraw.Draw(logo).ellipse((10, 10, 230, 230), fill=(200, 30, 60, 255))
    logo.save(tmp_path / "logo.png")
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text((BUNDLED / "clinic.yaml").read_text("utf-8") + "logo: logo.png\n", "utf-8")
    m = build_social(None, "square", "en", clinic=clinic)
    with Image.open(io.BytesIO(m.png)) as image:
        rgb = image.convert("RGB")
        reds = [(x, y) for y in range(0, 540, 4) for x in range(0, 400, 4) if rgb.getpixel((x, y)) == (200, 30, 60)]
    assert len(reds) > 100  # the logo's red disc, near the top left


def test_the_picture_hook_draws_a_picture_above_the_title():
    """SocialPost.picture is where the brochure branch's photos and illustrations go: drawn when set."""
    from dataclasses import replace

    picture = io.BytesIO()
    Image.new("RGB", (800, 400), (10, 200, 30)).save(picture, "PNG")
    post = replace(compose_social(load_library(), "hip-pain", "en"), picture=picture.getvalue())
    image = render_social(post, "story")
    with Image.open(io.BytesIO(image.png)) as png:
        rgb = png.convert("RGB")
        greens = [y for y in range(0, 1920, 4) if rgb.getpixel((540, y)) == (10, 200, 30)]
    with pdfplumber.open(io.BytesIO(image.pdf)) as doc:
        page = doc.pages[0]
        title_top = min(c["top"] for c in page.chars if c["size"] >= 60)
    assert greens and max(greens) < title_top
