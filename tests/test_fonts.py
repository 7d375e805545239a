"""The cuts of Droid Sans Fallback (tools/subset_cjk.py) and Noto Sans (tools/subset_latin.py): fast to parse, never the
reason a character cannot be drawn or is set in another face."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from fontTools.ttLib import TTFont

from handouts.design.styles import sheet

REPO = Path(__file__).resolve().parent.parent
FONTS = REPO / "fonts"
RARE = "王犇鑫"  # 犇 and 鑫 are not in GB 2312 level 1: not in the cuts
LATER = "\u9fcd"  # in Noto Sans SC, not in Droid Sans Fallback (added to Unicode after it was made)


def cmap(name: str) -> dict[int, str]:
    return TTFont(FONTS / name).getBestCmap()


def test_the_cut_comes_before_the_full_font_in_every_chain():
    chains = sheet()["fonts"]["chains"]
    for weight, common, full in (("regular", "DroidSansFallback-Common", "DroidSansFallback"),
                                 ("bold", "DroidSansFallback-Common-Bold", "DroidSansFallback-Bold")):
        noto = "NotoSansSC-Bold" if weight == "bold" else "NotoSansSC"
        assert chains[weight].index(common) < chains[weight].index(full) < chains[weight].index(noto)
    assert chains["pinyin"].index("DroidSansFallback-Common") < chains["pinyin"].index("DroidSansFallback")


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
    names, text = _registered("en", RARE)
    assert RARE in text  # drawn, not refused and not replaced
    assert {"DroidSansFallback-Common", "DroidSansFallback"} <= names  # the name's word is set in the full font


def test_on_a_chinese_sheet_a_rarer_character_comes_from_the_full_droid_font_then_from_noto_sans_sc():
    """The zh chains: the Droid cut, the full Droid Sans Fallback (犇, 鑫: not in the cut), then Noto Sans SC for what
    Droid lacks (U+9FCD, a later addition to Unicode): every character of the name is drawn and read back."""
    names, text = _registered("zh", RARE)
    assert RARE in text
    assert {"DroidSansFallback-Common", "DroidSansFallback"} <= names and "NotoSansSC" not in names
    assert ord(LATER) not in cmap("DroidSansFallbackFull.ttf") and ord(LATER) in cmap("NotoSansSC-Regular.ttf")
    names, text = _registered("zh", f"王{LATER}")
    assert f"王{LATER}" in text
    assert {"DroidSansFallback-Common", "DroidSansFallback", "NotoSansSC"} <= names


def test_common_text_never_parses_the_full_chinese_font():
    for lang, patient in (("en", "Jane Doe"), ("zh", "李明")):
        names, text = _registered(lang, patient)
        assert patient in text
        assert "DroidSansFallback-Common" in names  # the points' characters, and every Chinese word
        assert not names & {"NotoSansSC", "NotoSansSC-Bold", "DroidSansFallback"}, (lang, names)


def test_every_sheet_sets_hanzi_in_droid_with_a_synthetic_bold():
    """One CJK face for every language (a batch worker making English and Chinese sheets parses one cut)."""
    base, zh = sheet()["fonts"], sheet("zh")["fonts"]
    assert base["chains"] == zh["chains"]
    assert zh["chains"]["regular"] == ["Atkinson", "NotoSans", "DroidSansFallback-Common", "NotoSans-Full", "DroidSansFallback",
                                       "NotoSansSC"]
    assert zh["chains"]["bold"][2:] == ["DroidSansFallback-Common-Bold", "NotoSans-Full-Bold", "DroidSansFallback-Bold",
                                        "NotoSansSC-Bold"]
    assert zh["files"]["DroidSansFallback-Common-Bold"] == "synthetic-bold " + zh["files"]["DroidSansFallback-Common"]
    assert zh["files"]["DroidSansFallback-Bold"] == "synthetic-bold " + zh["files"]["DroidSansFallback"]
    assert not any("Common" in name for name in base["files"] if name.startswith("NotoSansSC"))


def test_the_droid_cut_draws_the_full_fonts_glyphs_and_every_hanzi_of_the_bundled_content():
    """tools/subset_cjk.py: the same advance widths and outlines as Droid Sans Fallback (composites
    decomposed: the same contours, point for point), its own names, and every CJK character of the bundled content
    that Droid has (or a Chinese sheet would parse the 4 MB full font)."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    cut, full = TTFont(FONTS / "DroidSansFallback-Common.ttf"), TTFont(FONTS / "DroidSansFallbackFull.ttf")
    cut_map, full_map = cut.getBestCmap(), full.getBestCmap()
    assert (cut["head"].unitsPerEm, full["head"].unitsPerEm) == (256, 256)
    assert 4000 < len(cut_map) < len(full_map) / 4
    assert cut["name"].getDebugName(6) == "DroidSansFallbackCommon" != full["name"].getDebugName(6)
    cut_glyphs, full_glyphs = cut.getGlyphSet(), full.getGlyphSet()
    for code in list(cut_map)[::37] + [ord(c) for c in "髋，。：（）"]:
        a, b = cut_map[code], full_map[code]
        assert cut["hmtx"][a][0] == full["hmtx"][b][0], hex(code)
        assert not cut["glyf"][a].isComposite()
        pens = DecomposingRecordingPen(cut_glyphs), DecomposingRecordingPen(full_glyphs)
        cut_glyphs[a].draw(pens[0])
        full_glyphs[b].draw(pens[1])
        assert pens[0].value == pens[1].value, hex(code)
    missing = {c for p in (REPO / "content").rglob("*.yaml") for c in p.read_text("utf-8")
               if ord(c) > 0x2E7F and ord(c) in full_map and ord(c) not in cut_map}
    assert not missing, f"run tools/subset_cjk.py: the bundled content uses {sorted(missing)}"


def test_the_noto_cut_draws_the_full_faces_glyphs_and_sets_every_word_where_the_full_face_did():
    """tools/subset_latin.py: Noto Sans cut to Latin script and symbols, the same outlines and advances; every character
    of Noto Sans that the Droid cut also has (its Latin, punctuation, the content's characters) is in the Noto cut, so a
    word the chain gave the whole Noto Sans before is given the cut (the Droid cut, which now comes before the whole
    Noto Sans, never takes one), and pinyin's tone marks and a Vietnamese name's letters are in it."""
    from fontTools.pens.recordingPen import RecordingPen

    droid = set(cmap("DroidSansFallback-Common.ttf"))
    for weight in ("Regular", "Bold"):
        cut, full = TTFont(FONTS / f"NotoSans-{weight}-Common.ttf"), TTFont(FONTS / f"NotoSans-{weight}.ttf")
        cut_map, full_map = cut.getBestCmap(), full.getBestCmap()
        assert set(cut_map) <= set(full_map) and len(cut_map) < len(full_map) * 0.6
        assert not (droid & set(full_map)) - set(cut_map)
        assert {ord(c) for c in "0123456789ǎǐǒǔǖǘǚǜāōễđ–—’•"} <= set(cut_map)
        assert not {ord(c) for c in "Иванμπ"} & set(cut_map) and {ord(c) for c in "Иванμπ"} <= set(full_map)
        assert cut["name"].getDebugName(6) == f"NotoSansCommon-{weight}" != full["name"].getDebugName(6)
        cut_glyphs, full_glyphs = cut.getGlyphSet(), full.getGlyphSet()
        for code in list(cut_map)[::7]:
            a, b = cut_map[code], full_map[code]
            assert cut["hmtx"][a][0] == full["hmtx"][b][0], hex(code)
            pens = RecordingPen(), RecordingPen()
            cut_glyphs[a].draw(pens[0])
            full_glyphs[b].draw(pens[1])
            # the same contours; a composite's components may be renamed in the cut, so compare them drawn out
            assert _drawn(pens[0], cut_glyphs) == _drawn(pens[1], full_glyphs), hex(code)


def _drawn(pen, glyphs) -> list:
    from fontTools.pens.recordingPen import DecomposingRecordingPen

    out = DecomposingRecordingPen(glyphs)
    pen.replay(out)
    return out.value


def test_a_cyrillic_name_is_set_in_the_whole_noto_sans_which_only_then_is_parsed():
    names, text = _registered("en", "Jane Doe")
    assert "NotoSans" in names and not names & {"NotoSans-Full", "NotoSans-Full-Bold"}
    names, text = _registered("en", "Иван Петров")
    assert "Иван Петров" in text and "NotoSans-Full" in names


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
