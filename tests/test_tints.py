"""Box tints follow the clinic's brand colour (issue 25, item 7): read back from the PDF, with text on them at 4.5:1."""

from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from handouts import load_library
from handouts.design.styles import Style, sheet
from handouts.design.tints import contrast, tint

BUNDLED_CLINIC = Path(load_library().files["clinic.yaml"].root) / "clinic.yaml"
TEAL = ("#EAF2F2", "#D3E4E4", "#9FB3B6")  # the example clinic's tints (tint, tint_strong, rule)


def _hex(colour) -> str | None:
    if colour is None:
        return None
    if isinstance(colour, (int, float)):
        colour = (colour,)
    if len(colour) == 1:
        colour = tuple(colour) * 3
    if len(colour) != 3:
        return None
    return "#" + "".join(f"{round(v * 255):02X}" for v in colour)


def colours_on_page(pdf: Path) -> tuple[set[str], list[tuple[str, str, str]]]:
    """The fill colours of the shapes, and (character, its colour, the fill of the smallest shape under it)."""
    fills: set[str] = set()
    pairs = []
    with pdfplumber.open(pdf) as doc:
        for page in doc.pages:
            shapes = [o for kind in ("rect", "curve") for o in page.objects.get(kind, []) if o.get("fill")]
            shapes = [(s, _hex(s["non_stroking_color"])) for s in shapes]
            fills |= {f for _, f in shapes if f}
            for ch in page.chars:
                if not ch["text"].strip():
                    continue
                x, y = (ch["x0"] + ch["x1"]) / 2, (ch["top"] + ch["bottom"]) / 2
                under = [(s["width"] * s["height"], f) for s, f in shapes
                         if f and s["x0"] <= x <= s["x1"] and s["top"] <= y <= s["bottom"] and s["width"] * s["height"] < 300_000]
                pairs.append((ch["text"], _hex(ch["non_stroking_color"]), min(under)[1] if under else "#FFFFFF"))
    return fills, pairs


def _clinic(tmp_path: Path, colour: str) -> Path:
    path = tmp_path / "clinic.yaml"
    path.write_text(BUNDLED_CLINIC.read_text("utf-8").replace('colour: "#1D5C63"', f'colour: "{colour}"'), "utf-8")
    return path


def _leaflet(run, tmp_path: Path, clinic: Path | None) -> Path:
    out = tmp_path / "sheet.pdf"
    extra = ["--clinic", clinic] if clinic else []
    result = run("leaflet", "hip-pain", "--patient", "Jane Doe", "--start", "2026-12-03", *extra, "-o", out)
    assert result.exit_code == 0, result.output
    return out


def test_the_example_clinic_keeps_its_teal_tints(run, tmp_path):
    fills, _ = colours_on_page(_leaflet(run, tmp_path, None))
    assert {"#EAF2F2", "#D3E4E4"} <= fills


@pytest.mark.parametrize("brand", ["#1F4E9A", "#2E7D32", "#6A1B9A"])
def test_a_brand_colour_gives_its_own_tints_with_text_on_them_at_4_5_to_1(run, tmp_path, brand):
    style = Style(data=sheet(), accent=brand, page_size="letter")
    tints = {style.colour("tint"), style.colour("tint_strong")}
    fills, pairs = colours_on_page(_leaflet(run, tmp_path, _clinic(tmp_path, brand)))
    assert not fills & set(TEAL), fills
    assert tints <= fills, (tints, fills)
    on_tints = [(c, fg, bg) for c, fg, bg in pairs if bg in tints]
    assert len(on_tints) > 50  # the key points box and the timeline have text on them
    low = {(fg, bg, round(contrast(fg, bg), 2)) for _, fg, bg in pairs if contrast(fg, bg) < 4.5}
    assert not low, low


def test_the_brochure_uses_the_brand_tints(run, tmp_path):
    out = tmp_path / "b.pdf"
    assert run("brochure", "hip-pain", "--clinic", _clinic(tmp_path, "#1F4E9A"), "-o", out).exit_code == 0
    fills, pairs = colours_on_page(out)
    assert not fills & set(TEAL)
    assert not [p for p in pairs if contrast(p[1], p[2]) < 4.5]


def test_the_html_page_sets_the_brand_tints_light_and_dark(run, tmp_path):
    out = tmp_path / "page.html"
    assert run("leaflet", "hip-pain", "--clinic", _clinic(tmp_path, "#1F4E9A"), "-o", out).exit_code == 0
    html = out.read_text("utf-8")
    style = Style(data=sheet(), accent="#1F4E9A", page_size="letter")
    assert f"--tint: {style.colour('tint')};" in html and f"--tint: {style.dark_tints()['tint']};" in html
    for teal in (*TEAL, "#1F2B2C", "#52676A"):
        assert teal not in html


@pytest.mark.parametrize("brand", ["#1D5C63", "#1F4E9A", "#2E7D32", "#B71C1C", "#444444", "#000000", "#0B3D2E", "#7A4F01"])
@pytest.mark.parametrize("layers", [(), ("large-print",), ("brochure",)])
def test_every_text_style_keeps_4_5_to_1_on_the_tints_of_a_brand_colour_that_has_it_on_white(brand, layers):
    style = Style(data=sheet(*layers), accent=brand, page_size="letter")
    assert contrast(brand, "#FFFFFF") >= 4.5
    for name, spec in style.data["text"].items():
        for bg in spec.get("backgrounds", ["page"]):
            ratio = contrast(style.colour(spec.get("colour", "text")), style.colour(bg))
            assert ratio >= 4.5, f"{name} on {bg}: {ratio:.2f}"
    assert contrast("#ECECEC", style.dark_tints()["tint"]) >= 4.5


def test_a_tint_turns_to_the_brand_hue_and_the_reference_gives_the_reviewed_tint_itself():
    assert tint("#EAF2F2", "#1D5C63", "#1D5C63") == "#EAF2F2"
    blue = tint("#EAF2F2", "#1F4E9A", "#1D5C63")
    r, g, b = (int(blue[i:i + 2], 16) for i in (1, 3, 5))
    assert b > g > r  # blue, not teal (teal has g == b)
    assert tint("#EAF2F2", "#444444", "#1D5C63") in ("#EEEEEE", "#EFEFEF")  # a grey brand: grey tints
    assert tint("#D3E4E4", "#1F4E9A", "#1D5C63", ("#FFFFFF",)) != tint("#D3E4E4", "#1F4E9A", "#1D5C63")  # moved for white text


def test_check_warns_of_a_brand_colour_too_light_for_text_and_suggests_a_darker_shade(tmp_path):
    from handouts import check_content

    folder = tmp_path / "light"
    folder.mkdir()
    _clinic(folder, "#4A90E2")
    warnings = [str(f) for f in check_content(folder).warnings if "colour:" in f.message]
    assert len(warnings) == 1 and "clinic.yaml:12: warning: colour: #4A90E2 has a contrast of 3.3:1" in warnings[0], warnings
    suggested = warnings[0].rsplit(" ", 1)[-1]
    assert contrast(suggested, "#FFFFFF") >= 4.5 and contrast(suggested, "#FFFFFF") < 4.7
    assert not [f for f in check_content().warnings if "colour:" in f.message]  # the example clinic's #1D5C63 is 7.6:1
