"""The tagged PDF (--format pdf-ua, WeasyPrint): its structure tree, read back with pikepdf, and the same words as print."""

from __future__ import annotations

import io
from functools import lru_cache

import pytest

try:
    import weasyprint  # noqa: F401
except ImportError:
    pytest.skip('WeasyPrint is not installed: pip install ".[accessible]"', allow_module_level=True)
except OSError as exc:
    pytest.skip(f"WeasyPrint cannot load the system's Pango ({exc}): apt-get install libpango-1.0-0 libpangoft2-1.0-0",
                allow_module_level=True)
pikepdf = pytest.importorskip("pikepdf", reason='pikepdf is not installed: pip install ".[test]"')

from handouts import compose, load_library, make_visit, render_handout as render  # noqa: E402
from handouts.model import BookingCode, KeyPoints  # noqa: E402
from handouts.render import RenderOptions  # noqa: E402
from handouts.render.html.page import printed_handout  # noqa: E402

LIBRARY = load_library()
VISIT = {"condition": "knee-osteoarthritis", "patient": "Ana Ruiz", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01"}


@lru_cache(maxsize=None)
def made(lang: str):
    handout = compose(LIBRARY, make_visit({**VISIT, "lang": lang}))
    return handout, render(handout, RenderOptions(format="pdf-ua"))


_OPEN: list = []  # the documents stay open while their dictionaries are read


def structure(pdf: bytes) -> list[tuple[int, str, dict]]:
    """The tag tree in reading order: (depth, tag, the element's dictionary)."""
    doc = pikepdf.open(io.BytesIO(pdf))
    _OPEN.append(doc)
    out: list[tuple[int, str, dict]] = []

    def walk(node, depth):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid, depth)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            out.append((depth, str(node.S), node))
            if "/K" in node:
                walk(node.K, depth + 1)

    walk(doc.Root.StructTreeRoot.K, 0)
    return out


@pytest.mark.parametrize("lang, tag", [("en", "en"), ("zh", "zh-Hans")])
def test_tagged_title_language_and_marked(lang, tag):
    handout, pdf = made(lang)
    doc = pikepdf.open(io.BytesIO(pdf))
    assert "/StructTreeRoot" in doc.Root
    assert doc.Root.MarkInfo.Marked is True
    assert str(doc.Root.Lang) == tag
    assert str(doc.docinfo.Title) == handout.title
    assert doc.Root.ViewerPreferences.DisplayDocTitle is True  # a reader shows the title, not the file name
    assert b"pdfuaid" in doc.Root.Metadata.read_bytes()  # claims PDF/UA-1 in its XMP
    fonts = [f for page in doc.pages for f in page.Resources.get("/Font", {}).values()]
    assert fonts and all("/FontFile2" in f.DescendantFonts[0].FontDescriptor for f in fonts if "/DescendantFonts" in f)
    names = " ".join(str(f.BaseFont) for f in fonts)
    assert "Atkinson-Hyperlegible-Next" in names  # the bundled fonts (by file URL), not whatever the system has
    if lang == "zh":
        assert "Droid-Sans-Fallback" in names


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_have_alt_text_naming_each_point(lang):
    handout, pdf = made(lang)
    figures = [node for _, tag, node in structure(pdf) if tag == "/Figure"]
    assert len(figures) == 2  # the body map and the booking code
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert all(alts)
    points = next(b for s in handout.sections for b in s.blocks if type(b).__name__ == "PointsTable")
    for row in points.rows:
        assert f"{row.number}. {row.code}" in alts[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headings_nest_in_order_and_the_table_has_headers(lang):
    handout, pdf = made(lang)
    tags = structure(pdf)
    levels = [int(tag[2]) for _, tag, _ in tags if tag in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    printed = printed_handout(handout)  # the sheet as the print PDF fits it; the key points are a headed box
    assert levels.count(2) == (sum(1 for s in printed.sections if s.title)
                               + sum(1 for s in printed.sections for b in s.blocks if isinstance(b, KeyPoints)))
    names = [tag for _, tag, _ in tags]
    assert "/Table" in names and "/TH" in names and "/TD" in names and "/L" in names and "/LI" in names


def test_pdf_ua_has_the_words_of_the_print_pdf():
    from test_same_words import compare

    handout, pdf = made("en")
    html = render(handout, RenderOptions(format="html")).decode("utf-8")
    # The one difference by design: in the tagged PDF the booking code's caption is the link, named by what it
    # does ("Book a visit online"), where paper and the page say "Scan to book" (tests/test_html_screen.py).
    code = next(b for s in handout.sections for b in s.blocks if isinstance(b, BookingCode))
    html = html.replace(f'<p class="qr-caption">{code.caption}</p>', f'<p class="qr-caption">{code.link}</p>')
    missing, extra = compare(handout, pdf, html.encode("utf-8"))
    assert not missing, missing[:5]
    assert not extra, extra[:300]
