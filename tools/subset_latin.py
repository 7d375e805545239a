"""Make fonts/NotoSans-{Regular,Bold}-Common.ttf: Noto Sans cut to Latin script, punctuation and the symbols a sheet
uses.

    python tools/subset_latin.py        (needs fontTools: pip install fonttools; not needed to run handouts)

Every sheet draws with Noto Sans: the digits of running text (Atkinson's zero is slashed), every pinyin name, the
letters Atkinson lacks (ǎ, ǐ, ǒ, ǔ, ǖ, a Vietnamese name's ễ). The whole face (2,840 characters: Latin, Greek,
Cyrillic and more) takes 1.6 MB of memory per weight in every batch worker once parsed; this cut (Latin in all its
blocks, combining marks, punctuation, number forms, arrows, the maths and shapes a sheet uses, and every character of
the bundled content and code) about a third of that. The font chains (handouts/design/styles/base.yaml) put the full
face after the cut and after the Droid cut, so a word the cut cannot set (a Greek or Cyrillic name) is set in the
full Noto Sans, as before, and a character both cuts have is in the Noto cut whenever Noto Sans has it (the cut
includes every character of the Droid cut's ranges and of the content): every word goes to the face it went to
before. Outlines, advance widths and the (already removed, tools/unhint_noto.py) hinting are untouched; only
characters are left out. The licence is the font's (fonts/OFL-NotoSans.txt), which allows modified versions (Noto
Sans is not a Reserved Font Name); the font's own names and description say it was changed, and how.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

from subset_cjk import RANGES as CJK_CUT_RANGES, characters as cjk_cut_characters  # noqa: E402

RANGES = [
    (0x20, 0x7E), (0xA0, 0x24F),  # Basic Latin, Latin-1, Latin Extended-A and -B (pinyin's ǎ ǐ ǒ ǔ ǖ ǘ ǚ ǜ)
    (0x250, 0x36F),  # IPA, spacing modifier letters, combining diacritical marks
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x218F),  # punctuation, super- and subscripts, currency, letterlike symbols, number forms
    (0x2190, 0x22FF),  # arrows, mathematical operators (those Noto Sans has: −, ∞)
    (0x2460, 0x25FF),  # enclosed alphanumerics, box drawing, blocks, geometric shapes
    (0x2C60, 0x2C7F), (0xA720, 0xA7FF), (0xFB00, 0xFB06),  # Latin Extended-C and -D, Latin ligatures
]


def characters() -> set[str]:
    """The cut's characters: RANGES, and every character the Droid cut has (its ranges, the content, the code)."""
    chars = {chr(c) for a, b in RANGES for c in range(a, b + 1)}
    chars |= {chr(c) for a, b in CJK_CUT_RANGES for c in range(a, b + 1)}
    return chars | cjk_cut_characters()


def noto(weight: str) -> Path:
    source = ROOT / "fonts" / f"NotoSans-{weight}.ttf"
    font = TTFont(source, recalcTimestamp=False)
    cmap = font.getBestCmap()
    options = subset.Options()
    options.glyph_names = True
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.hinting = False
    options.drop_tables += ["GSUB", "GPOS", "GDEF", "STAT", "gasp"]  # ReportLab applies no OpenType layout
    cut = subset.Subsetter(options)
    cut.populate(unicodes=sorted(ord(c) for c in characters() if ord(c) in cmap))
    cut.subset(font)
    family = f"Noto Sans Common{'' if weight == 'Regular' else ' Bold'}"
    for record in font["name"].names:
        if record.nameID in (1, 4, 16):
            record.string = "Noto Sans Common" if record.nameID != 4 else family
        elif record.nameID in (3, 6):
            record.string = f"NotoSansCommon-{weight}"
    font["name"].setName("Noto Sans, modified for handouts (tools/subset_latin.py): cut to Latin script, punctuation and "
                         "symbols; hinting and layout tables removed", 10, 3, 1, 0x409)
    out = ROOT / "fonts" / f"NotoSans-{weight}-Common.ttf"
    font.save(out)
    print(f"{out.relative_to(ROOT)}: {len(font.getBestCmap()):,} characters, {out.stat().st_size:,} bytes")
    return out


if __name__ == "__main__":
    for weight in ("Regular", "Bold"):
        noto(weight)
