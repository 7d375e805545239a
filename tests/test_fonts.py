"""The cut of Noto Sans SC (tools/subset_cjk.py): fast to parse, never the reason a character cannot be drawn."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

from handouts.design.styles import sheet

REPO = Path(__file__).resolve().parent.parent
FONTS = REPO / "fonts"
RARE = "王犇鑫"  # 犇 and 鑫 are not in GB 2312 level 1: not in the cut


def cmap(name: str) -> dict[int, str]:
    return TTFont(FONTS / name).getBestCmap()


def test_the_cut_comes_before_the_full_font_in_every_chain():
    chains = sheet()["fonts"]["chains"]
    for weight, common, full in (("regular", "NotoSansSC-Common", "NotoSansSC"), ("bold", "NotoSansSC-Common-Bold", "NotoSansSC-Bold")):
        assert chains[weight].index(common) < chains[weight].index(full)
    assert chains["pinyin"].index("NotoSansSC-Common") < chains["pinyin"].index("NotoSansSC")


def test_the_cut_has_the_full_fonts_glyph_widths_and_every_character_of_the_bundled_content():
    for weight in ("Regular", "Bold"):
        cut, full = TTFont(FONTS / f"NotoSansSC-Common-{weight}.ttf"), TTFont(FONTS / f"NotoSansSC-{weight}.ttf")
        cut_map, full_map = cut.getBestCmap(), full.getBestCmap()
        assert 4000 < len(cut_map) < len(full_map) / 4
        for code in list(cut_map)[::97]:  # the same advance width as the full font, character by character
            assert cut["hmtx"][cut_map[code]][0] == full["hmtx"][full_map[code]][0], hex(code)
        assert cut["name"].getDebugName(6) == f"NotoSansSCCommon-{weight}" != full["name"].getDebugName(6)
    cut_map = cmap("NotoSansSC-Common-Regular.ttf")
    missing = {c for p in (REPO / "content").rglob("*.yaml") for c in p.read_text("utf-8")
               if ord(c) > 0x2E7F and ord(c) not in cut_map}
    assert not missing, f"run tools/subset_cjk.py: the bundled content uses {sorted(missing)}"


def _registered(lang: str, patient: str) -> tuple[set[str], str]:
    """The fonts a fresh process registers (parses) to make this sheet, and the sheet's text."""
    code = ("import io, json, sys, pdfplumber\n"
            "from reportlab.pdfbase import pdfmetrics\n"
            "from handouts import build_leaflet\n"
            f"pdf = build_leaflet({{'condition': 'hip-pain', 'lang': {lang!r}, 'patient': {patient!r}, 'date': '2026-12-01'}}).pdf\n"
            "doc = pdfplumber.open(io.BytesIO(pdf))\n"
            "print(json.dumps([pdfmetrics.getRegisteredFontNames(), ''.join(c['text'] for p in doc.pages for c in p.chars)]))\n")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, check=True)
    names, text = json.loads(done.stdout)
    return set(names), text


def test_a_rarer_character_brings_in_the_full_font_and_is_drawn():
    names, text = _registered("zh", RARE)
    assert RARE in text  # drawn, not refused and not replaced
    assert {"NotoSansSC-Common256", "NotoSansSC"} <= names  # the name's word is set in the full font


def test_common_text_never_parses_the_full_chinese_font():
    for lang, patient, cut in (("en", "Jane Doe", "NotoSansSC-Common"), ("zh", "李明", "NotoSansSC-Common256")):
        names, text = _registered(lang, patient)
        assert patient in text
        assert cut in names
        assert not names & {"NotoSansSC", "NotoSansSC-Bold"}, (lang, names)
    # a Chinese sheet parses its own cut only (the name is checked against its chains, not the base style's)
    assert not names & {"NotoSansSC-Common", "NotoSansSC-Common-Bold"}, names


def test_chinese_sheets_use_the_cut_on_a_256_unit_grid_the_others_the_1000_unit_cut():
    base, zh = sheet()["fonts"], sheet("zh")["fonts"]
    for weight, cut in (("regular", "NotoSansSC-Common"), ("bold", "NotoSansSC-Common-Bold")):
        assert cut in base["chains"][weight] and f"{cut}".replace("Common", "Common256") not in base["chains"][weight]
        assert zh["chains"][weight] == [n.replace("Common", "Common256") for n in base["chains"][weight]]
    assert zh["chains"]["pinyin"] == [n.replace("Common", "Common256") for n in base["chains"]["pinyin"]]


def test_the_256_unit_cut_is_the_cut_within_half_a_grid_unit():
    """tools/subset_cjk.py --grid: the same characters, glyphs, advance widths (in ems) and contours as the cut,
    every point rounded to the nearer 1/256 em; its own names."""
    for weight in ("Regular", "Bold"):
        cut, coarse = TTFont(FONTS / f"NotoSansSC-Common-{weight}.ttf"), TTFont(FONTS / f"NotoSansSC-Common256-{weight}.ttf")
        assert (cut["head"].unitsPerEm, coarse["head"].unitsPerEm) == (1000, 256)
        assert coarse.getBestCmap() == cut.getBestCmap()
        assert coarse["name"].getDebugName(6) == f"NotoSansSCCommon256-{weight}"
        cmap = cut.getBestCmap()
        hanzi = [cmap[c] for c in cmap if 0x4E00 <= c <= 0x9FFF]
        assert len(hanzi) > 3700
        for name in hanzi[::41] + [cmap[ord(c)] for c in "，。：（）"]:
            assert coarse["hmtx"][name][0] * 1000 == cut["hmtx"][name][0] * 256, name  # 1 em = 1 em: the same layout
            fine, rough = cut["glyf"][name], coarse["glyf"][name]
            assert fine.numberOfContours == rough.numberOfContours and list(fine.endPtsOfContours) == list(rough.endPtsOfContours)
            assert max(abs(a * 256 / 1000 - b) for p, q in zip(fine.coordinates, rough.coordinates)
                       for a, b in zip(p, q)) <= 0.5, name


def test_a_remembered_font_subset_is_the_subset_the_font_makes():
    """register() gives each face a makeSubset that remembers: the same characters in the same order give the bytes
    ReportLab's own cut gives, and another order or set is cut afresh."""
    from reportlab.pdfbase.ttfonts import TTFontFace

    from handouts.design.fonts import register
    from handouts.library.paths import fonts_dir

    face = register("NotoSans", "NotoSans-Regular.ttf").face
    fresh = TTFontFace(str(fonts_dir() / "NotoSans-Regular.ttf"))
    for subset in ([72, 105, 112], [112, 105, 72], [72, 105, 112, 48, 49], [72, 105, 112]):
        assert face.makeSubset(subset) == fresh.makeSubset(subset)
    assert face.makeSubset([72, 105, 112]) is face.makeSubset([72, 105, 112])  # the second time, remembered
