"""Issue 23, the screen: the booking link is named by what it does, the next visit's blanks are announced as blanks
to fill in, and the page prints in light colours even from a browser in dark mode.

The markup is checked in every language without a browser; what a screen reader hears (the accessibility tree) and
what prints (computed colours under print media in dark mode) in Debian's chromium through Playwright, skipped without it.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from handouts import compose, load_library, make_visit
from handouts.model import LANGS
from handouts.render.html.page import HtmlOptions, render_html

LIBRARY = load_library()
WORDS = LIBRARY.labels.words
CHROMIUM = Path(os.environ.get("HANDOUTS_CHROMIUM", "/usr/bin/chromium"))


def page_html(lang: str, patient: str = "Ana Ruiz", large: bool = False, for_pdf: bool = False) -> str:
    visit = make_visit({"condition": "hip-pain", "lang": lang, "patient": patient, "date": "2026-12-01",
                        "flags": ["anticoagulants"]})
    return render_html(compose(LIBRARY, visit), HtmlOptions(large_print=large, for_pdf=for_pdf)).decode("utf-8")


# ---- the markup, every language ------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_the_booking_link_says_what_it_does(lang):
    html = page_html(lang)
    links = re.findall(r'<a href="(https://clifton-acupuncture\.example/book)"[^>]*>(.*?)</a>', html)
    assert [text for _, text in links] == [WORDS["book_online"][lang]]
    assert WORDS["book_online"][lang] != WORDS["scan_to_book"][lang]
    assert not re.search(r"<a [^>]*>\s*" + re.escape(WORDS["scan_to_book"][lang]), html)  # no link named "Scan to book"
    assert WORDS["scan_to_book"][lang] in html  # the code's caption, as on paper


@pytest.mark.parametrize("lang", LANGS)
def test_the_next_visit_blanks_are_named_as_blanks_to_fill_in(lang):
    html = page_html(lang)
    part = html[html.index('class="next-visit"'):]
    part = part[:part.index("</p>")]
    blank = WORDS["blank_to_fill"][lang]
    assert part.count(f'<span class="sr-only" data-html-only>{blank}</span>') == 2, part


def test_a_patient_line_left_blank_is_named_too():
    html = page_html("en", patient="")
    facts = html[html.index('<dl class="facts">'):html.index("</dl>")]
    assert f'<span class="sr-only" data-html-only>{WORDS["blank_to_fill"]["en"]}</span>' in facts


def test_the_tagged_pdf_variant_has_no_screen_only_words_and_its_caption_is_the_link():
    """As the checklist's box names: the tagged PDF is made from the page without them (WeasyPrint would print them);
    there the code's caption is the booking link, named by what it does."""
    html = page_html("en", for_pdf=True)
    assert WORDS["blank_to_fill"]["en"] not in html and "data-html-only" not in html
    links = re.findall(r'<a href="(https://clifton-acupuncture\.example/book)"[^>]*>(.*?)</a>', html)
    assert [text for _, text in links] == [WORDS["book_online"]["en"]]


def test_the_tagged_pdf_links_to_booking_by_what_it_does():
    pytest.importorskip("weasyprint", reason="--format pdf-ua needs the accessible extra")
    import io

    import pikepdf
    from handouts import Output, build_leaflet

    data = build_leaflet({"condition": "hip-pain", "patient": "Ana Ruiz", "date": "2026-12-01"}, output=Output("pdf-ua")).pdf
    with pikepdf.open(io.BytesIO(data)) as pdf:
        uris = [str(a.A.URI) for page in pdf.pages for a in page.get("/Annots", []) if "/A" in a and "/URI" in a.A]
    assert "https://clifton-acupuncture.example/book" in uris
    from conftest import flat, pdf_text

    assert WORDS["book_online"]["en"] in flat(" ".join(pdf_text(data)))


def test_every_colour_dark_mode_changes_is_set_again_for_print():
    css = (Path(__file__).resolve().parent.parent / "handouts" / "render" / "html" / "templates" / "leaflet.css").read_text()
    dark, printed = set(), set()
    for query, body in _media_blocks(css):
        names = set(re.findall(r"(--[\w-]+)\s*:", body))
        if "prefers-color-scheme: dark" in query:
            dark |= names
        if query.strip() == "print":
            printed |= names
    assert dark and dark <= printed, f"set in dark mode but not for print: {sorted(dark - printed)}"


def _media_blocks(css: str):
    for m in re.finditer(r"@media\s*([^{]+)\{", css):
        depth, i = 1, m.end()
        while depth:
            depth += {"{": 1, "}": -1}.get(css[i], 0)
            i += 1
        yield m.group(1), css[m.end():i - 1]


# ---- in a real browser ----------------------------------------------------------------------------------------------

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install \".[test]\"")
browser_only = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no browser at {CHROMIUM}: apt-get install chromium")


@pytest.fixture(scope="module")
def tab():
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        yield browser.new_context(viewport={"width": 1024, "height": 800}).new_page()
        browser.close()


@browser_only
@pytest.mark.parametrize("lang", LANGS)
def test_a_screen_reader_hears_the_link_by_what_it_does_and_the_blanks(tab, lang):
    tab.emulate_media(media="screen", color_scheme="light")
    tab.set_content(page_html(lang))
    assert tab.get_by_role("link", name=WORDS["book_online"][lang], exact=True).count() == 1
    assert tab.get_by_role("link", name=re.compile(re.escape(WORDS["scan_to_book"][lang]))).count() == 0
    heard = tab.locator(".next-visit").aria_snapshot()
    assert heard.count(WORDS["blank_to_fill"][lang]) == 2, heard
    assert tab.locator(".next-visit .blank").first.bounding_box()["width"] > 40  # still a line to write on


# Text and its background as printed: every element with its own text, the first opaque background behind it.
_PRINTED_COLOURS = """() => {
    const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
    const lum = ([r, g, b]) => { const f = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
                                 return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b); };
    const behind = e => { for (; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
                                                            if (c.length === 3 || c[3] > 0.5) return c.slice(0, 3); }
                          return [255, 255, 255]; };
    const out = [];
    for (const e of document.body.querySelectorAll('*')) {
        const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
        const style = getComputedStyle(e);
        if (!own || style.display === 'none' || style.visibility === 'hidden' || e.closest('.sr-only')) continue;
        const fg = lum(rgb(style.color)), bg = lum(behind(e));
        out.push({text: e.textContent.trim().slice(0, 40), color: style.color, background: behind(e).join(','),
                  ratio: (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)});
    }
    return out;
}"""


@browser_only
@pytest.mark.parametrize("large", [False, True], ids=["default", "large-print"])
@pytest.mark.parametrize("lang", LANGS)
def test_printing_from_dark_mode_prints_as_from_light_mode(tab, lang, large):
    """Every text's colour and background in print are the same whatever the screen's colour scheme, and readable."""
    html = page_html(lang, large=large)
    printed = {}
    for scheme in ("light", "dark"):
        tab.emulate_media(media="print", color_scheme=scheme)
        tab.set_content(html)
        assert tab.evaluate(f"() => matchMedia('(prefers-color-scheme: {scheme})').matches && matchMedia('print').matches")
        printed[scheme] = tab.evaluate(_PRINTED_COLOURS)
    assert len(printed["light"]) > 50
    changed = [(a, b) for a, b in zip(printed["light"], printed["dark"]) if a != b]
    assert not changed, f"printed differently from dark mode: {changed[:4]}"
    low = [f for f in printed["dark"] if f["ratio"] < 4.5]
    assert not low, f"under 4.5:1 in print: {low[:5]}"
