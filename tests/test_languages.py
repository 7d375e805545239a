"""Every shipped condition renders in every language on one sheet, and no character goes missing on the way."""

from __future__ import annotations

import io
import unicodedata
from collections import Counter

import pytest
from pypdf import PdfReader

import pdfplumber

from handouts import compose, load_library, make_visit
from handouts.render.pdf.leaflet import RenderOptions, fit_leaflet
from handouts.design.styles import sheet
from handouts.model import LANGS, BulletList, Callout, FactsRow, Heading, Paragraph, PointsTable

LIBRARY = load_library()


def _strings(handout):
    yield from (handout.title, handout.subtitle, handout.masthead.name, *handout.masthead.lines, handout.footer, handout.footer_contact)
    for section in handout.sections:
        yield section.title
        for block in section.blocks:
            if isinstance(block, (Heading, Paragraph)):
                yield block.text
            elif isinstance(block, BulletList):
                yield from block.items
            elif isinstance(block, PointsTable):
                yield from block.headers
                for row in block.rows:
                    yield from (row.code, row.pinyin, row.hanzi, row.location, row.why)
            elif isinstance(block, Callout):
                yield block.title
                for head, items in block.parts:
                    yield head
                    yield from items
            elif isinstance(block, FactsRow):
                for label, value in block.pairs:
                    yield from (label, value)


def _chars(text: str) -> Counter:
    text = unicodedata.normalize("NFC", text)
    return Counter(c for c in text if not c.isspace())


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("condition", sorted(LIBRARY.conditions))
def test_condition_renders_with_every_character(condition, lang):
    visit = make_visit({"condition": condition, "lang": lang, "patient": "Zoë Núñez 张伟", "date": "2026-12-01"})
    handout, pdf = fit_leaflet(compose(LIBRARY, visit), RenderOptions())  # the handout as printed (optional blocks may go)
    pages = [p.extract_text() or "" for p in PdfReader(io.BytesIO(pdf)).pages]
    text = "\n".join(pages)
    squashed = "".join(text.split())

    title = LIBRARY.conditions[condition].title[lang]
    assert "".join(title.split()) in squashed
    for cp in LIBRARY.conditions[condition].points:
        if cp.default:
            point = LIBRARY.points[cp.code]
            assert point.code in text and point.body.pinyin in text and point.body.hanzi in text

    wanted = Counter()
    for string in _strings(handout):
        wanted += _chars(string)
    got = _chars(text)
    short = {c: (n, got[c]) for c, n in wanted.items() if got[c] < n}
    assert not short, f"characters missing from the PDF text (wanted, found): {short}"
    assert len(pages) <= 2, "the leaflet must stay on one sheet (two pages) with the body map and plan"
    # one type scale on every default sheet (no "tight" fallback): the title and the section headings in their sizes
    text_styles = sheet()["text"]
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        sizes = {round(c["size"], 1) for c in doc.pages[0].chars if c["text"] in title and c["top"] < 160}
        h2 = {round(c["size"], 1) for page in doc.pages for c in page.chars if c["fontname"].endswith("Bold") and c["size"] > 14}
    assert max(sizes) == text_styles["title"]["size"]
    assert h2 <= {text_styles["title"]["size"], text_styles["h2"]["size"], text_styles["masthead_name"]["size"]}


@pytest.mark.parametrize("condition", ["hip-pain", "insomnia", "neck-pain"])
def test_the_chinese_sources_line_has_full_width_punctuation(condition):
    handout = compose(load_library(), make_visit({"condition": condition, "lang": "zh", "patient": "李明", "date": "2026-12-01"}))
    (line,) = [b.text for s in handout.sections for b in s.blocks
               if isinstance(b, Paragraph) and b.text.startswith("参考资料")]
    assert line.startswith("参考资料：") and "。内容更新于" in line
    assert "; " not in line and ". 内容" not in line
    if len(load_library().conditions[condition].sources) > 1:
        assert "；" in line
