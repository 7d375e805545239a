"""Telephone numbers, dates and point codes never break across lines (issue 23: "(973) / 922-9659" in the urgent box).

Read back from the PDFs with pdfplumber: each character's baseline, so a number that runs onto the next line
is seen wherever it is on the page.
"""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from handouts import build_leaflet, load_library
from handouts.design.nobreak import NBSP, keep_whole, phones
from handouts.model import LANGS
from handouts.render.pdf.kinsoku import break_allowed

LIBRARY = load_library()
CONDITIONS = sorted(LIBRARY.conditions)
PHONE = LIBRARY.clinic.phone
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
CODES = "|".join(sorted({re.match(r"[A-Z]+(?:-[A-Z]+)?", code).group() for code in LIBRARY.points}, key=len, reverse=True))
# What must stay on one line, spelled without white space (white space is not drawn as characters we compare).
WHOLE = {
    "phone": re.escape(re.sub(r"\s", "", PHONE)),
    "date (en)": rf"(?:{MONTHS})\d{{1,2}},\d{{4}}",
    "date (es)": r"\d{1,2}de[a-z]+de\d{4}",
    "date (zh)": r"\d{4}年\d{1,2}月\d{1,2}日",
    "point code": rf"(?<![A-Za-z])(?:{CODES})\d+(?!\d)",
}


def broken(pdf: bytes) -> list[str]:
    """Each telephone number, date or point code whose characters sit on more than one baseline: page, kind, text."""
    found = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for number, page in enumerate(doc.pages, 1):
            chars = [c for c in page.chars if not c["text"].isspace()]  # in drawing order: line after line
            text = "".join(c["text"] for c in chars)
            assert len(text) == len(chars)
            for kind, pattern in WHOLE.items():
                for m in re.finditer(pattern, text):
                    baselines = {round(c["matrix"][5], 1) for c in chars[m.start():m.end()]}
                    if len(baselines) > 1:
                        found.append(f"page {number}: {kind} {m.group()!r} on {len(baselines)} lines")
    return found


@pytest.mark.parametrize("condition", CONDITIONS)
def test_no_phone_date_or_point_code_breaks_on_any_default_leaflet(condition):
    """Every default sheet (the condition's usual points), every language; September: the longest month name."""
    bad = {}
    for lang in LANGS:
        made = build_leaflet({"condition": condition, "lang": lang, "patient": "Jane Doe", "date": "2026-09-30"})
        problems = broken(made.pdf)
        if problems:
            bad[lang] = problems
    assert not bad, bad


@pytest.mark.parametrize("lang", LANGS)
def test_session_dates_and_the_tracker_keep_each_date_whole(lang):
    made = build_leaflet({"condition": "hip-pain", "lang": lang, "patient": "Jane Doe", "date": "2026-09-30",
                          "start": "2026-09-30", "tracker": True, "large_print": True})
    assert not broken(made.pdf)


def test_the_checker_sees_a_broken_number():
    """The check above is not blind: in a column as wide as "...at (973)", a plain space lets the number break;
    Style.markup (no-break spaces) keeps it whole."""
    from handouts.design.styles import load_style

    style = load_style("#225555")
    before = "Call us the same day at "
    plain = style.chain().markup  # the font runs without keep_whole
    width = next(w for w in range(60, 400) if _lines_of(style, plain(before + PHONE.split()[0]), w) == 1
                 and _lines_of(style, plain(before + PHONE), w) == 2)
    text = before + PHONE + " if you have:"
    assert broken(_in_width(style, plain(text), width))
    assert not broken(_in_width(style, style.markup(text, "body"), width))


def _lines_of(style, markup: str, width: float) -> int:
    from handouts.render.pdf.kinsoku import Paragraph

    p = Paragraph(markup, style.paragraph("body"))
    p.wrap(width, 1000)
    return len(p.blPara.lines)


def _in_width(style, markup: str, width: float) -> bytes:
    from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

    from handouts.render.pdf.kinsoku import Paragraph

    out = io.BytesIO()
    doc = BaseDocTemplate(out, pagesize=(width + 72, 300), initialFontName=style.chain().primary)
    doc.addPageTemplates([PageTemplate("p", [Frame(36, 36, width, 228, 0, 0, 0, 0)])])
    doc.build([Paragraph(markup, style.paragraph("body"))])
    return out.getvalue()


@pytest.mark.parametrize("text, whole", [
    ("Call us the same day at (973) 922-9659 if you have:", "(973)\u00a0922-9659"),
    ("Llámenos al +1 973 922 9659 hoy", "+1\u00a0973\u00a0922\u00a09659"),
    ("请当天致电 (973) 922-9659 联系我们：", "(973)\u00a0922-9659"),
    ("0161 496 0000", "0161\u00a0496\u00a00000"),
])
def test_keep_whole_joins_the_parts_of_a_telephone_number(text, whole):
    assert whole in keep_whole(text)
    assert keep_whole(text).replace(NBSP, " ") == text


@pytest.mark.parametrize("text", ["Call 911 any time.", "2 sessions a week for 4 weeks", "Weeks 1–4, then 5 to 8",
                                  "pain 0 to 10", "in 2019 and 2020 (12 studies)", "GB30 and ST36"])
def test_keep_whole_leaves_other_numbers_alone(text):
    assert keep_whole(text) == text and not phones(text)


def test_dates_are_composed_with_no_break_spaces():
    from handouts import compose, make_visit

    for lang, date in (("en", "September\u00a030,\u00a02026"), ("es", "30\u00a0de\u00a0septiembre\u00a0de\u00a02026")):
        handout = compose(LIBRARY, make_visit({"condition": "hip-pain", "lang": lang, "date": "2026-09-30"}))
        assert repr(date)[1:-1] in repr(handout), lang  # (repr shows a no-break space as \xa0)


@pytest.mark.parametrize("text, k", [("请于2026年12月1日来", k) for k in range(3, 12)]
                         + [("致电(973)\u00a0922-9659", k) for k in (8, 9)])
def test_kinsoku_never_breaks_a_date_or_at_a_no_break_space(text, k):
    assert not break_allowed(text, k), (text[:k], text[k:])
