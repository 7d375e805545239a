"""Strip the TrueType hinting from fonts/NotoSans-{Regular,Bold}.ttf: python tools/unhint_noto.py (needs fontTools).

Hinting (the fpgm, prep and cvt tables and each glyph's instructions) steers outlines onto the pixel grid of a
screen at small sizes. A leaflet is printed, and PDF viewers draw PDF text with their own rasteriser; but ReportLab
copies those tables into every subset it embeds, about 2 KB per Noto Sans face in every PDF. Outlines, widths and
names are unchanged; the licence is the font's (fonts/OFL-NotoSans.txt), which allows modified versions (Noto Sans
is not a Reserved Font Name). Running it again changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    for weight in ("Regular", "Bold"):
        path = ROOT / "fonts" / f"NotoSans-{weight}.ttf"
        font = TTFont(path)
        before = path.stat().st_size
        options = subset.Options()
        options.glyph_names = True
        options.name_IDs = ["*"]
        options.name_languages = ["*"]
        options.notdef_outline = True
        options.layout_features = ["*"]
        options.hinting = False
        cut = subset.Subsetter(options)
        cut.populate(glyphs=font.getGlyphOrder())
        cut.subset(font)
        font.save(path)
        print(f"{path.relative_to(ROOT)}: {before:,} -> {path.stat().st_size:,} bytes")


if __name__ == "__main__":
    main()
