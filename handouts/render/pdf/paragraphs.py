"""ReportLab's Paragraph, with its parse and its line breaks remembered (same text, style, width: same lines).

Most of a leaflet's text is the same from patient to patient (the shared sections, the condition's
text, the table rows); parsing its markup and breaking it into lines was most of a warm render.
A drop-in subclass: given the same markup, style values and width, ReportLab's own code would compute
the same fragments and lines, so we keep the first result and hand out copies (the PDF bytes do not
change; tests/test_cache.py checks them against a fresh process).

Keys are values, not objects: the markup, every attribute of the style (repr), the bullet and the width.
The memos are bounded, least recently used out first (handouts.library.cache.LRU): text every leaflet shares
stays, a date ages out. The patient band (a name) is never kept (kinsoku.VisitParagraph): a batch of a thousand
names would fill the memo with one-off entries, some 6 KB each, before they aged out.

What is kept is kept light (issue 23: a mixed day's worker is measured in MiB): the parsed fragments as tuples of
their values, not as objects with a dict each (about a quarter of the memory; unpacking them costs what the copy
that every hit makes always cost); the cleaned text as the very string of the key when equal; and the words of a
plain paragraph's lines as one shared string per word (sys.intern, when the lines are first made).
"""

from __future__ import annotations

import sys

from reportlab.lib.abag import ABag
from reportlab.platypus import Paragraph as _Paragraph

from ...library.cache import LRU

MAX_ENTRIES = 2048  # a leaflet has a few hundred paragraphs; three languages and two layouts fit
_PARSED = LRU(MAX_ENTRIES)  # (markup, style, bullet) -> (text, style, frags, bullet, style was the input)
_LINES = LRU(MAX_ENTRIES)  # (parse key, width) -> (lines, height, widths)


_STYLE_KEYS = LRU(MAX_ENTRIES)  # id(style) -> (style, key): styles are shared and read-only (handouts.design.styles)


def _style_key(style) -> tuple:
    hit = _STYLE_KEYS.hit(id(style))
    if hit is not None and hit[0] is style:
        return hit[1]
    key = tuple(sorted((k, repr(v)) for k, v in style.__dict__.items() if k != "parent"))
    _STYLE_KEYS.keep(id(style), (style, key))
    return key


def clear() -> None:
    _STYLE_KEYS.clear()
    _PARSED.clear()
    _LINES.clear()


class Paragraph(_Paragraph):
    """reportlab.platypus.Paragraph whose markup parse and line breaks are shared between equal paragraphs."""

    _key: tuple | None = None
    remember = True  # False (VisitParagraph): text about one visit, parsed and broken afresh, never kept

    def _setup(self, text, style, bulletText, frags, cleaner):
        if not self.remember or frags is not None or not isinstance(text, str) or not isinstance(bulletText, (str, type(None))):
            self._key = None  # a split-off part (frags given) or unusual input: ReportLab's own path, no memo
            return super()._setup(text, style, bulletText, frags, cleaner)
        key = (text, _style_key(style), bulletText)
        hit = _PARSED.hit(key)
        if hit is None:
            super()._setup(text, style, bulletText, None, cleaner)
            _PARSED.keep(key, (text if self.text == text else self.text, self.style, _pack(self.frags),
                               _copy_bullet(self.bulletText), self.style is style))
        else:
            parsed_text, parsed_style, parsed_frags, bullet, same = hit
            self.text = parsed_text
            self.frags = _unpack(parsed_frags)
            self.style = style if same else parsed_style
            self.bulletText = _copy_bullet(bullet)
            self.debug = 0
        self._key = key

    def wrap(self, availWidth, availHeight):
        key = self._key
        if key is None or self.style is not key_style(self, key) or availWidth < 1:
            return super().wrap(availWidth, availHeight)
        memo_key = (key, availWidth)
        hit = _LINES.hit(memo_key)
        if hit is None:
            result = super().wrap(availWidth, availHeight)
            _share_words(self.blPara)
            _LINES.keep(memo_key, (self.blPara, self.height, self._wrapWidths))
            return result
        self.blPara, self.height, widths = hit
        self._wrapWidths = list(widths)
        self.width = availWidth
        return self.width, self.height


def key_style(paragraph: Paragraph, key: tuple):
    """The style the memo key was made from, if the paragraph still has it (else the memo is skipped)."""
    style = paragraph.style
    if getattr(paragraph, "_key_style_id", None) != id(style):
        if _style_key(style) != key[1]:
            return None  # the style was replaced after the paragraph was made (e.g. a list's last item)
        paragraph._key_style_id = id(style)  # (an attribute of the paragraph, not of the shared style)
    return style


_NAMES: dict[tuple, tuple] = {}  # a fragment's attribute names, one tuple for all fragments with the same names


def _pack(frags) -> tuple:
    """Copies of the fragments to keep: (class, names, values) where a fragment is a plain ABag (its clone() is a new
    object of the class with the same dict), else (None, None, the fragment's clone) as before."""
    packed = []
    for f in frags:
        cls = f.__class__
        if cls.__init__ is ABag.__init__ and cls.clone is ABag.clone:
            names = tuple(f.__dict__)
            packed.append((cls, _NAMES.setdefault(names, names), tuple(f.__dict__.values())))
        else:
            packed.append((None, None, f.clone()))
    return tuple(packed)


def _unpack(packed: tuple) -> list:
    """New fragments from kept ones: what `[f.clone() for f in frags]` gave (same class, same dict, same values)."""
    frags = []
    for cls, names, values in packed:
        if cls is None:
            frags.append(values.clone())
        else:
            f = cls.__new__(cls)
            f.__dict__.update(zip(names, values))
            frags.append(f)
    return frags


def _share_words(blpara) -> None:
    """A plain paragraph's lines are (space left, [words]): each word kept once for every line and paragraph it is in.
    Only equal strings are swapped (ReportLab reads the words, it never compares them by identity)."""
    if getattr(blpara, "kind", None) != 0:
        return
    intern = sys.intern
    for line in blpara.lines:
        if isinstance(line, tuple) and len(line) == 2 and isinstance(line[1], list):
            words = line[1]
            for i, word in enumerate(words):
                if type(word) is str:
                    words[i] = intern(word)


def _copy_bullet(bullet):
    return [f.clone() for f in bullet] if isinstance(bullet, list) else bullet
