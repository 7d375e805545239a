"""Register the fonts in fonts/ once per process, and choose a font per word by glyph coverage."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable, Sequence

from ..errors import HandoutError
from ..library.paths import fonts_dir
from ..markup import escape


class GlyphError(HandoutError):
    """Text has characters that no bundled font can draw."""


SYNTHETIC_BOLD = "synthetic-bold "  # a font file entry "synthetic-bold X.ttf": the regular face of X.ttf, drawn emboldened


@lru_cache(maxsize=None)
def register(name: str, filename: str):
    """Register a TrueType font under a logical name (once); return it. A file entry "synthetic-bold X.ttf" registers
    the synthetic bold of X.ttf: the same glyphs in the same per-document subsets (one font object in the PDF for
    both), which the PDF text object draws filled and stroked (render mode 2: render/pdf/bolding.py)."""
    from reportlab.pdfbase import pdfmetrics

    bold = filename.startswith(SYNTHETIC_BOLD)
    face, state = _parsed(filename.removeprefix(SYNTHETIC_BOLD))
    font = _font_class()(name, face, state)
    if bold:
        _SYNTHETIC_BOLDS.add(name)
    pdfmetrics.registerFont(font)  # ReportLab gives every name of one face the font object registered first: all one
    return font


_SYNTHETIC_BOLDS: set[str] = set()  # names registered as a synthetic bold (in this process)


def synthetic_bold(name: str) -> bool:
    """Whether the registered font `name` is a synthetic bold (drawn filled and stroked)."""
    return name in _SYNTHETIC_BOLDS


@lru_cache(maxsize=None)
def _parsed(filename: str):
    """A font file's face and its per-document subset state, parsed once and shared by every name it is registered
    under (a regular face and its synthetic bold embed each glyph once)."""
    from reportlab.pdfbase.ttfonts import TTFont

    path = fonts_dir() / filename
    try:
        # asciiReadable=False: a subset holds only the glyphs a page uses, not all of ASCII as well (which
        # put ~100 unused glyphs of every fallback font in each PDF); text still extracts through ToUnicode.
        font = TTFont(filename, str(path), asciiReadable=False)
    except Exception as exc:  # a missing or damaged font file is an install problem worth naming
        raise HandoutError(f"font {filename}: cannot read {path} ({exc}); reinstall handouts or restore fonts/") from None
    font.face.makeSubset = _remembered(font.face.makeSubset)
    return font.face, font.state


@lru_cache(maxsize=None)
def _font_class():
    from reportlab.pdfbase.ttfonts import TTEncoding, TTFont

    class SharedFont(TTFont):
        """A TrueType font on a face parsed once (`_parsed`). All names of one file share its subsets in a document:
        whichever name a page uses first puts the font objects in the PDF, once, and the others use the same ones."""

        def __init__(self, name, face, state):
            self.fontName = name
            self.face = face
            self.state = state
            self.encoding = TTEncoding()
            self._asciiReadable = False
            self.shapable = False

    return SharedFont


SUBSETS_MEMO = 4  # font subsets a face remembers (least recently used out first; a CJK subset is tens of KB)


def _remembered(make_subset):
    """A face's makeSubset that gives the bytes it made before for the same subset (the same characters in the
    same order give the same bytes): most fonts of a day's sheets embed the same glyphs every time, and cutting
    them out of the font was about 1.5 ms of a warm leaflet."""
    from ..library.cache import LRU

    memo = LRU(SUBSETS_MEMO)

    def make(subset):
        key = tuple(subset)
        made = memo.hit(key)
        if made is None:
            made = memo.keep(key, make_subset(subset))
        return made

    return make


# Faces whose zero is slashed (Atkinson Hyperlegible Next: neither it nor the original family has a plain-zero
# alternate, and ReportLab applies no OpenType features): a chain that starts with one draws the digits of
# running text from its next face that has them (Noto Sans), so 0 is never read as a slashed Ø.
SLASHED_ZERO = frozenset({"AtkinsonHyperlegibleNext-Regular.ttf", "AtkinsonHyperlegibleNext-Bold.ttf"})
DIGITS = frozenset("0123456789")

RUNS_MEMO = 2048  # texts whose runs a chain remembers (a leaflet has a few hundred), least recently used out first


class FontChain:
    """An ordered list of fonts: the first that can draw a whole word draws it, a word's hanzi and CJK punctuation
    apart from its digits and Latin letters ("在4个穴位": 在, 4, 个穴位), so a CJK face draws only the CJK part."""

    def __init__(self, faces: Sequence[tuple[str, str]]):
        self.faces = tuple(faces)  # (logical name, file name)
        self.digits = self.faces[0][1] in SLASHED_ZERO and len(self.faces) > 1  # digits from the next face

    @property
    def primary(self) -> str:
        name, filename = self.faces[0]
        register(name, filename)
        return name

    def _covers(self, index: int, chars: Iterable[str]) -> bool:
        name, filename = self.faces[index]
        cmap = register(name, filename).face.charToGlyph
        return all(ord(c) in cmap for c in chars)

    def font_for(self, word: str) -> str:
        """The first font that has every character of `word` (fonts after the first load lazily)."""
        for i in range(len(self.faces)):
            if self._covers(i, word):
                return self.faces[i][0]
        missing = sorted({c for c in word if not any(self._covers(i, c) for i in range(len(self.faces)))})
        if not missing:  # no single font has the whole word, but each character has one
            return ""
        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in missing)
        raise GlyphError(f"the text {word!r} has characters that no bundled font can draw: {shown}; remove or replace them")

    def runs(self, text: str, remember: bool = True) -> list[tuple[str, str]]:
        """Split text into (font name, text) runs, whole words at a time (remembered per text: the shared
        blocks of every leaflet are the same strings; a bounded memo). remember=False: text about one visit
        (a patient's name), used but not kept."""
        memo = self.__dict__.get("_memo")
        if memo is None:
            from ..library.cache import LRU

            memo = self.__dict__["_memo"] = LRU(RUNS_MEMO)
        hit = memo.hit(text)
        if hit is None:
            hit = tuple(self._runs(text))
            if remember:
                memo.keep(text, hit)
        return list(hit)

    def _runs(self, text: str) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        for token in _tokens(text):
            if token.isspace():
                font = out[-1][0] if out else self.primary
                if not self._covers(self._index(font), token):
                    font = self.font_for(token)  # a space the last face lacks (Droid Sans Fallback has none)
                pieces = [(font, token)]
            else:
                pieces = []
                for part in _runs_of(token, is_cjk):  # hanzi apart from digits and Latin: "在4个穴位"
                    font = self.font_for(part)
                    pieces += [(font, part)] if font else [(self.font_for(c), c) for c in part]
                if self.digits:  # what the primary would draw of the digits, the next face draws
                    primary = self.faces[0][0]
                    pieces = [(self._digit_font(part) if font == primary and part[0] in DIGITS else font, part)
                              for font, piece in pieces for part in (_digit_parts(piece) if font == primary else [piece])]
            for font, piece in pieces:
                if out and out[-1][0] == font:
                    out[-1] = (font, out[-1][1] + piece)
                else:
                    out.append((font, piece))
        return out

    def _index(self, font: str) -> int:
        return next(i for i, (name, _) in enumerate(self.faces) if name == font)

    def _digit_font(self, digits: str) -> str:
        """The first face after the primary that has these digits (the primary's zero is slashed)."""
        return next((self.faces[i][0] for i in range(1, len(self.faces)) if self._covers(i, digits)), self.font_for(digits))

    def markup(self, text: str, remember: bool = True) -> str:
        """Escaped Paragraph markup with an explicit face on every run (remember: as for `runs`)."""
        return "".join(f'<font face="{font}">{escape(run)}</font>' for font, run in self.runs(text, remember))

    def missing(self, text: str) -> set[str]:
        """Characters of `text` that no font in the chain has."""
        return {c for c in set(text) if not c.isspace() and not any(self._covers(i, c) for i in range(len(self.faces)))}


def is_cjk(ch: str) -> bool:
    """A hanzi, kana or CJK punctuation mark (fullwidth forms too): the characters a chain sets apart from the digits,
    Latin and pinyin of the same word, so each script goes to its own face."""
    code = ord(ch)
    return (0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF or 0xFE30 <= code <= 0xFE4F
            or 0xFF00 <= code <= 0xFFEF or 0x20000 <= code <= 0x3FFFF)


def _runs_of(text: str, kind) -> list[str]:
    """Text cut where kind(character) changes: the runs of characters of one kind."""
    runs: list[str] = []
    for ch in text:
        if runs and kind(runs[-1][-1]) == kind(ch):
            runs[-1] += ch
        else:
            runs.append(ch)
    return runs


def _digit_parts(word: str) -> list[str]:
    """A word cut where digits start and end: "(973)" -> "(", "973", ")" (_runs_of with DIGITS, in C)."""
    return _DIGIT_RUNS.findall(word)


def _tokens(text: str) -> list[str]:
    """Words and the white space between them (_runs_of with str.isspace, in C: the pattern's \\s is str.isspace)."""
    return _SPACE_RUNS.findall(text)


_DIGIT_RUNS = re.compile(r"[0-9]+|[^0-9]+")
_SPACE_RUNS = re.compile(r"\s+|\S+")


@lru_cache(maxsize=None)
def chain_for(names: tuple[str, ...], files: tuple[tuple[str, str], ...]) -> FontChain:
    lookup = dict(files)
    return FontChain([(n, lookup[n]) for n in names])
