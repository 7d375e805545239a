"""No slashed zeros in running text: the body face's 0 is slashed, so digits come from Noto Sans (read from the PDF)."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from handouts import compose, load_library, make_visit
from handouts.design.fonts import SLASHED_ZERO
from handouts.render.pdf.leaflet import RenderOptions, fit_leaflet
from handouts.design.styles import load_style

LIBRARY = load_library()


def _zeros(pdf: bytes) -> list[str]:
    """The font of every 0 drawn, on every page."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [c["fontname"].split("+")[-1] for page in doc.pages for c in page.chars if c["text"] == "0"]


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
@pytest.mark.parametrize("large_print", [False, True])
def test_no_zero_is_drawn_in_a_face_with_a_slashed_zero(lang, large_print):
    visit = make_visit({"condition": "hip-pain", "patient": "Jane Doe", "date": "2026-12-01", "lang": lang,
                        "practitioner": "John Roe, L.Ac.", "note": "Walk 20 minutes, 10 times. Call (973) 922-9650."})
    _, pdf = fit_leaflet(compose(LIBRARY, visit), RenderOptions(large_print=large_print))
    fonts = _zeros(pdf)
    assert len(fonts) >= 8, "the date, the note and the phone numbers have zeros"
    assert not [f for f in fonts if "Atkinson" in f], sorted(set(fonts))


def test_the_digits_of_a_word_drawn_in_atkinson_come_from_the_next_face():
    style = load_style("#1F5F6B")
    for weight, digits_face in (("regular", "NotoSans"), ("bold", "NotoSans-Bold")):
        chain = style.chain(weight)
        assert chain.faces[0][1] in SLASHED_ZERO
        runs = chain.runs("Call (973) 922-9650 by 2026.")
        assert "".join(text for _, text in runs) == "Call (973) 922-9650 by 2026."
        assert [text.strip() for font, text in runs if font == digits_face] == ["973", "922", "9650", "2026"]
        assert all(not any(c.isdigit() for c in text) for font, text in runs if font == chain.faces[0][0])


def test_the_digits_of_a_chinese_word_come_from_the_latin_face_with_a_plain_zero():
    """A chain splits a word by script: the hanzi from the CJK face, the digits as in running Latin text (Noto Sans,
    not Atkinson's slashed zero), in English and on a Chinese sheet alike."""
    for layers in ((), ("zh",)):
        chain = load_style("#1F5F6B", layers=layers).chain()
        cjk = chain.font_for("休息")
        assert chain.runs("休息10分钟") == [(cjk, "休息"), ("NotoSans", "10"), (cjk, "分钟")]
