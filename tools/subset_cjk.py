"""Make fonts/DroidSansFallback-Common.ttf: Droid Sans Fallback cut to the characters most Chinese text uses.

    python tools/subset_cjk.py        (needs fontTools: pip install fonttools; not needed to run handouts)

Every sheet sets its hanzi in Droid Sans Fallback (a point's characters on every sheet; every Chinese word): the full
font (28,601 characters, 4 MB) takes much longer to parse than this cut (GB 2312 level 1, the 3,755 most used hanzi,
every character of the bundled content and code, Latin, punctuation and the CJK and full-width forms). The font
chains (handouts/design/styles/base.yaml) put the cut before the full font, so a word with a rarer character (a
patient's name, a clinic's own content) is set in the full font, then in Noto Sans SC for what Droid lacks: nothing
becomes undrawable. Run it again after adding much Chinese content (tests/test_fonts.py says when the bundled content
needs the full font). Apache-2.0 (fonts/Apache-2.0-DroidSansFallback.txt) allows modified versions; the font's own
names and description say it was changed, and how.
"""

from __future__ import annotations

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


def droid() -> None:
    """fonts/DroidSansFallback-Common.ttf: Droid Sans Fallback (256 units to the em) cut to the same characters, with
    every composite glyph decomposed. Every sheet sets its hanzi in it. Droid builds most hanzi from shared
    components; ReportLab embeds a component again in each 256-glyph subset that uses it, plus a composite record per
    character, so outlines of their own take fewer bytes in a PDF (the zh hip-pain sheet 82.7 KB -> 77.0 KB). Apache-2.0 (fonts/Apache-2.0-DroidSansFallback.txt) allows modified
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
    droid()
