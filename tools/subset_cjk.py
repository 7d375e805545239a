"""Make fonts/NotoSansSC-Common-{Regular,Bold}.ttf: Noto Sans SC cut to the characters most Chinese text uses.

    python tools/subset_cjk.py [--droid]        (needs fontTools: pip install fonttools; not needed to run handouts)

The full Noto Sans SC (30,898 glyphs, 10 MB) takes about five times as long to parse as this cut (4,500 glyphs:
GB 2312 level 1, the 3,755 most used hanzi, every character of the bundled content and code, Latin, punctuation
and the CJK and full-width forms), and every leaflet parses it: the point names print their characters. The font
chains (handouts/design/styles/base.yaml) put the cut before the full font, so a word with a rarer character (a patient's
name, a clinic's own content) is set in the full font: nothing becomes undrawable. Glyphs and advance widths are the full font's (the
names say Common, so one PDF never holds two fonts of one name); hinting and the layout tables (which ReportLab does not use) are left out. Run it again after
adding much Chinese content (tests/test_fonts.py says when the bundled content needs the full font).

The licence is the full font's (fonts/OFL-NotoSansSC.txt): the OFL allows modified versions under the same
licence, and the name (Noto Sans SC) is not a Reserved Font Name.

It also writes fonts/DroidSansFallback-Common.ttf, the Chinese sheets' face for hanzi (`droid` below; Apache-2.0).
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
RANGES = [(0x20, 0x7E), (0xA0, 0x17F), (0x2000, 0x206F), (0x2460, 0x24FF), (0x3000, 0x303F), (0xFF00, 0xFFEF)]


def characters() -> set[str]:
    chars: set[str] = set()
    for hi in range(0xB0, 0xD8):  # GB 2312 level 1
        for lo in range(0xA1, 0xFF):
            try:
                chars.add(bytes([hi, lo]).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    for a, b in RANGES:
        chars |= {chr(c) for c in range(a, b + 1)}
    for pattern in ("content/**/*.yaml", "handouts/**/*.yaml", "handouts/**/*.py"):
        for path in ROOT.glob(pattern):
            chars |= set(path.read_text("utf-8"))
    return chars


def _rename(font: TTFont, weight: str) -> None:
    """Its own names: a PDF holding both the cut and the full font must not see two fonts of one name (a reader may
    take one for the other and draw or extract the wrong characters)."""
    family, postscript = "Noto Sans SC Common", f"NotoSansSCCommon-{weight}"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = family
        elif record.nameID == 4:
            record.string = f"{family} {weight}"
        elif record.nameID in (3, 6):
            record.string = postscript


def main() -> None:
    chars = characters()
    for weight in ("Regular", "Bold"):
        font = TTFont(ROOT / "fonts" / f"NotoSansSC-{weight}.ttf")
        cmap = font.getBestCmap()
        options = subset.Options()
        options.name_IDs = ["*"]
        options.notdef_outline = True
        options.hinting = False
        options.drop_tables += ["BASE", "STAT", "vhea", "vmtx", "GSUB", "GPOS", "GDEF"]
        cut = subset.Subsetter(options)
        cut.populate(unicodes=sorted(ord(c) for c in chars if ord(c) in cmap))
        cut.subset(font)
        _rename(font, weight)
        out = ROOT / "fonts" / f"NotoSansSC-Common-{weight}.ttf"
        font.save(out)
        print(f"{out.relative_to(ROOT)}: {len(font.getBestCmap()):,} characters, {out.stat().st_size:,} bytes")


def droid() -> None:
    """fonts/DroidSansFallback-Common.ttf: Droid Sans Fallback (256 units to the em) cut to the same characters, with
    every composite glyph decomposed (`python tools/subset_cjk.py --droid` makes only this). Chinese sheets set their
    hanzi in it. Droid builds most hanzi from shared components; ReportLab embeds a component again in each 256-glyph
    subset that uses it, plus a composite record per character, so outlines of their own take fewer bytes in a PDF (the
    zh hip-pain sheet 82.7 KB -> 77.0 KB). Apache-2.0 (fonts/Apache-2.0-DroidSansFallback.txt) allows modified
    versions; the font's own names and description say it was changed, and how."""
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    font = TTFont(ROOT / "fonts" / "DroidSansFallbackFull.ttf", recalcTimestamp=False)
    cmap = font.getBestCmap()
    cut = subset.Subsetter(_droid_options())
    cut.populate(unicodes=sorted(ord(c) for c in characters() if ord(c) in cmap))
    cut.subset(font)
    glyphs, glyf = font.getGlyphSet(), font["glyf"]
    for name in font.getGlyphOrder():
        if glyf[name].isComposite():
            recorded, pen = DecomposingRecordingPen(glyphs), TTGlyphPen(None)
            glyphs[name].draw(recorded)
            recorded.replay(pen)
            glyf[name] = pen.glyph()
    unused = subset.Subsetter(_droid_options())  # the components no character uses any more
    unused.populate(unicodes=sorted(font.getBestCmap()))
    unused.subset(font)
    family, postscript = "Droid Sans Fallback Common", "DroidSansFallbackCommon"
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = family
        elif record.nameID in (3, 6):
            record.string = postscript
    font["name"].setName("Droid Sans Fallback, modified for handouts (tools/subset_cjk.py): cut to the common hanzi, "
                         "composite glyphs decomposed, hinting and layout tables removed", 10, 3, 1, 0x409)
    out = ROOT / "fonts" / "DroidSansFallback-Common.ttf"
    font.save(out)
    print(f"{out.relative_to(ROOT)}: {len(font.getBestCmap()):,} characters, {out.stat().st_size:,} bytes")


def _droid_options() -> subset.Options:
    options = subset.Options()
    options.name_IDs = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["BASE", "STAT", "vhea", "vmtx", "GSUB", "GPOS", "GDEF", "gasp"]
    return options


if __name__ == "__main__":
    if sys.argv[1:] == ["--droid"]:
        droid()
    else:
        main()
        droid()
