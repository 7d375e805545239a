"""The HTML page says what the PDF says: the sentences of the PDF's text layer and of the page are the same,
for every shipped condition in every language (composed once, rendered both ways)."""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

from handouts import compose, load_library, make_visit, render_pdf
from handouts.model import LANGS, BodyMap
from handouts.render.html.page import render_html

from pagetext import PageText, only_marks, sentences, squash

LIBRARY = load_library()
CASES = [(cid, lang) for cid in sorted(LIBRARY.conditions) for lang in LANGS]


def compare(handout, pdf: bytes, html: bytes) -> tuple[list[str], str]:
    """(page sentences missing from the PDF, PDF text the page does not have, page furniture aside)."""
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    lines = "\n" + "\n".join(squash(line) for page in pages for line in page.splitlines()) + "\n"
    left = lines
    said = sorted(set(sentences(PageText(html.decode("utf-8")).blocks)), key=len, reverse=True)
    missing = []
    for s in said:
        if s in lines.replace("\n", ""):
            found = [s] if s in left.replace("\n", "") else []
        else:  # a list item split where a two-column list breaks across pages: its two parts end and start lines
            found = next(([s[:k] + "\n", "\n" + s[k:]] for k in range(1, len(s))
                          if _find(lines, s[:k] + "\n") and _find(lines, "\n" + s[k:])), [])
            if not found:
                missing.append(s)
        for piece in found:
            left = _remove(left, piece)
    # What only paper has: "Page 1 of 2" and the body map's view labels (the page's SVG draws them too).
    furniture = [squash(handout.page_label.format(page=n, pages=len(pages))) for n in range(1, len(pages) + 1)]
    furniture += [squash(label) for s in handout.sections for b in s.blocks if isinstance(b, BodyMap) for _, label in b.views]
    left = left.replace("\n", "")
    for f in sorted(furniture, key=len, reverse=True):  # "Back of neck" before "Back"
        left = left.replace(f, "")
    return missing, only_marks(left)


def _pattern(piece: str) -> re.Pattern:
    """Piece as a pattern that may run across line breaks; a leading or trailing newline must be a line break."""
    body = "\n*".join(re.escape(ch) for ch in piece.strip("\n"))
    return re.compile(("\n" if piece.startswith("\n") else "") + body + ("\n" if piece.endswith("\n") else ""))


def _find(text: str, piece: str) -> bool:
    return _pattern(piece).search(text) is not None


def _remove(text: str, piece: str) -> str:
    """Every occurrence of piece taken out of text, wherever it runs across line breaks."""
    return _pattern(piece).sub("\n", text)


@pytest.mark.parametrize("cid, lang", CASES)
def test_pdf_and_page_have_the_same_sentences(cid, lang):
    visit = make_visit({"condition": cid, "lang": lang, "patient": "Ana Ruiz", "practitioner": "John Roe, L.Ac.",
                        "date": "2026-12-01", "start": "2026-12-03", "tracker": True, "note": "Drink water today."})
    handout = compose(LIBRARY, visit)
    missing, extra = compare(handout, render_pdf(handout), render_html(handout))
    assert not missing, f"on the page but not in the PDF: {missing[:5]}"
    assert not extra, f"in the PDF but not on the page: {extra[:300]!r}"


def test_the_comparison_catches_a_dropped_sentence():
    visit = make_visit({"condition": "hip-pain", "date": "2026-12-01"})
    handout = compose(LIBRARY, visit)
    html = render_html(handout).decode("utf-8")
    sentence = next(s for s in PageText(html).blocks if len(s) > 40)
    missing, extra = compare(handout, render_pdf(handout), html.replace(sentence, "").encode("utf-8"))
    assert not missing and extra  # the PDF has words the page lost
    missing, _ = compare(handout, render_pdf(handout), html.replace(sentence, sentence + " Guaranteed cure.").encode("utf-8"))
    assert any("Guaranteedcure." in m for m in missing)
