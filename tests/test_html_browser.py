"""The HTML leaflet in a real browser (Debian's chromium through Playwright) with axe-core's WCAG 2.1 A and AA rules.

Needs /usr/bin/chromium (apt-get install chromium), Playwright for Python (pip install ".[test]"; never
`playwright install`: the system browser is used) and axe-core (npm ci in tests/js). .ci/run installs all three.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import REPO
from handouts import compose, load_library, make_visit
from handouts.model import LANGS, BodyMap, Callout, Heading, KeyPoints, PointsTable
from handouts.render.html.page import HtmlOptions, printed_handout, render_html

CHROMIUM = Path(os.environ.get("HANDOUTS_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"
WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install \".[test]\"")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no browser at {CHROMIUM}: apt-get install chromium "
                                                      "(or set HANDOUTS_CHROMIUM to a Chromium binary)"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `npm ci` in tests/js"),
]

LIBRARY = load_library()
CONDITIONS = sorted(LIBRARY.conditions)
# The fullest sheet: a note, a caution flag (adds a headed "for you" part), suggested dates and the tracker.
VISIT = {"patient": "Ana Ruiz", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01", "start": "2026-12-03",
         "tracker": True, "note": "Drink some water today.", "flags": ["anticoagulants"]}


@lru_cache(maxsize=None)
def handout(cid: str, lang: str):
    return compose(LIBRARY, make_visit({**VISIT, "condition": cid, "lang": lang}))


def page_html(cid: str, lang: str, large: bool) -> str:
    return render_html(handout(cid, lang), HtmlOptions(large_print=large)).decode("utf-8")


@pytest.fixture(scope="module")
def page():
    """One browser and one tab for the whole file; each test loads its page into it."""
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM))
        # bypass_csp: the page's own CSP forbids every script, axe's included
        context = browser.new_context(bypass_csp=True, viewport={"width": 1024, "height": 800})
        tab = context.new_page()
        yield tab
        browser.close()


def load(page, html: str, width: int = 1024, scheme: str = "light") -> None:
    page.set_viewport_size({"width": width, "height": 800})
    page.emulate_media(color_scheme=scheme, media="screen")
    page.set_content(html)


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, help: v.help,
                                             nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""", WCAG)


def overflow(page) -> int:
    """How many CSS pixels the page is wider than the window (0: no sideways scrolling).

    Only a wide grid to fill in (the session tracker) may scroll, inside its own focusable region;
    anything else that sticks out of the window counts."""
    return page.evaluate("""() => {
        const root = document.documentElement, width = root.clientWidth;
        const out = [...document.body.querySelectorAll('*')].filter(e => !e.closest('.table-wrap.scroll'))
            .map(e => e.getBoundingClientRect().right - width);
        return Math.max(root.scrollWidth - width, ...out.map(Math.ceil));
    }""")


@pytest.mark.parametrize("large", [False, True], ids=["default", "large-print"])
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("cid", CONDITIONS)
def test_no_axe_violations_and_no_sideways_scroll(page, cid, lang, large):
    load(page, page_html(cid, lang, large))
    assert axe_violations(page) == []
    page.set_viewport_size({"width": 320, "height": 800})  # WCAG 1.4.10: reflow at 320 CSS pixels
    assert overflow(page) <= 0
    if not large:  # WCAG 1.4.4: the browser's text size setting at 200 %, in a 1280-px window
        page.set_viewport_size({"width": 1280, "height": 800})
        cdp = page.context.new_cdp_session(page)
        try:
            cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
            assert page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 32
            assert overflow(page) <= 0
        finally:
            cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
            cdp.detach()


@pytest.mark.parametrize("cid, lang", [("hip-pain", "en"), ("migraine", "es"), ("insomnia", "zh")])
def test_dark_mode_has_no_axe_violations(page, cid, lang):
    load(page, page_html(cid, lang, False), scheme="dark")
    assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") != "rgb(255, 255, 255)"
    assert axe_violations(page) == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_image_has_an_accessible_name(page, lang):
    load(page, page_html("knee-osteoarthritis", lang, False))
    drawings = page.locator("svg:not([aria-hidden='true']), img:not([alt=''])")  # pictograms are decorative
    count = drawings.count()
    assert count >= 2  # the body map and the booking code
    snapshot = page.locator("body").aria_snapshot()
    named = re.findall(r'\bimg "([^"]+)"', snapshot)
    assert len(named) == count, snapshot
    assert all(len(name) > 10 for name in named)
    # the map's description lists each point (number, code) and where it is marked
    described = page.locator("svg.bodymap").evaluate(
        "svg => document.getElementById(svg.getAttribute('aria-describedby')).innerText")
    table = next(b for s in handout("knee-osteoarthritis", lang).sections for b in s.blocks if isinstance(b, PointsTable))
    for row in table.rows:
        assert f"{row.number}. {row.code}" in described


@pytest.mark.parametrize("lang", LANGS)
def test_heading_outline_matches_the_sections(page, lang):
    made = printed_handout(handout("hip-pain", lang))  # the page shows the sheet as the PDF fits it
    load(page, page_html("hip-pain", lang, False))
    headings = page.evaluate("() => [...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => [+h.tagName[1], h.innerText])")
    levels = [level for level, _ in headings]
    assert levels.count(1) == 1 and levels[0] == 1 and headings[0][1] == made.title
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), headings  # no skipped level
    expected_h2 = [s.title for s in made.sections if s.title]
    expected_h2 += [b.text for s in made.sections if not s.title for b in s.blocks if isinstance(b, Heading) and b.level == 2]
    expected_h2 += [b.title for s in made.sections for b in s.blocks if isinstance(b, KeyPoints)]  # a boxed region, headed
    assert sorted(text for level, text in headings if level == 2) == sorted(expected_h2)
    # every headed region is named by its own heading
    regions = page.evaluate("""() => [...document.querySelectorAll('section')].map(s =>
        [document.getElementById(s.getAttribute('aria-labelledby'))?.innerText ?? null,
         s.querySelector('h2,h3,h4')?.innerText ?? null])""")
    assert regions and all(name is not None and name == first for name, first in regions), regions
    urgent = page.get_by_role("region", name=next(b.title for s in made.sections for b in s.blocks if isinstance(b, Callout)))
    assert urgent.count() == 1 and urgent.get_by_role("listitem").count() >= 3
    assert page.locator("html").get_attribute("lang") == {"en": "en", "es": "es", "zh": "zh-Hans"}[lang]
    assert page.locator('[lang="zh-Latn-pinyin"]').count() >= 2


# Dark mode, print and large print (issue 23): contrast computed from the computed styles, as a reader sees it.
CONTRAST_JS = """(root) => {
    const lum = (c) => { const m = c.match(/[\\d.]+/g).map(Number).slice(0, 3).map(v => v / 255)
        .map(v => v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4); return 0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]; };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    const opaque = (c) => c && c !== 'transparent' && !/rgba\\(.*, 0\\)$/.test(c);
    const backdrop = (el) => { for (let e = el; e; e = e.parentElement) { const b = getComputedStyle(e).backgroundColor;
        if (opaque(b)) return b; } return 'rgb(255, 255, 255)'; };
    return {ratio, backdrop};
}"""


def text_contrasts(page, selector: str) -> list[tuple[float, str]]:
    """(contrast, text) of every element under `selector` that has its own visible text, on its backdrop."""
    return page.evaluate("""([sel, lib]) => {
        const {ratio, backdrop} = eval(lib)();
        const out = [];
        for (const el of document.querySelectorAll(sel)) {
            if (el.closest('.sr-only') || el.closest('svg')) continue;
            const own = [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
            if (!own || !el.getClientRects().length) continue;
            out.push([ratio(getComputedStyle(el).color, backdrop(el)), el.textContent.trim().slice(0, 40)]);
        }
        return out;
    }""", [selector, CONTRAST_JS])


@pytest.mark.parametrize("cid, lang", [("hip-pain", "en"), ("migraine", "es"), ("insomnia", "zh")])
def test_printing_in_dark_mode_prints_light(page, cid, lang):
    load(page, page_html(cid, lang, False), scheme="dark")
    page.emulate_media(media="print", color_scheme="dark")
    assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")
    assert page.evaluate("() => getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)"
    urgent = text_contrasts(page, ".callout *")
    assert urgent and min(r for r, _ in urgent) >= 4.5, sorted(urgent)[:3]
    everything = text_contrasts(page, "body *")
    assert min(r for r, _ in everything) >= 4.5, sorted(everything)[:3]


@pytest.mark.parametrize("large", [False, True], ids=["default", "large-print"])
def test_dark_mode_point_numbers_have_contrast(page, large):
    load(page, page_html("hip-pain", "en", large), scheme="dark")
    ratios = page.evaluate("""(lib) => {
        const {ratio} = eval(lib)();
        const table = [...document.querySelectorAll('.points .disc')].map(d => {
            const s = getComputedStyle(d); return ratio(s.color, s.backgroundColor); });
        const map = [...document.querySelectorAll('.bodymap .num')].map(n => {
            const disc = n.previousElementSibling;  // the disc the number is drawn on
            return ratio(getComputedStyle(n).fill, getComputedStyle(disc).fill); });
        return {table, map};
    }""", CONTRAST_JS)
    assert ratios["table"] and min(ratios["table"]) >= 4.5, ratios
    assert ratios["map"] and min(ratios["map"]) >= 4.5, ratios


@pytest.mark.parametrize("lang", LANGS)
def test_the_map_is_described_once_and_numbered_once(page, lang):
    load(page, page_html("hip-pain", lang, False))
    table = next(b for s in handout("hip-pain", lang).sections for b in s.blocks if isinstance(b, PointsTable))
    cdp = page.context.new_cdp_session(page)
    try:
        nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        cdp.detach()
    shown = [n for n in nodes if not n.get("ignored")]
    name = next(b.name for s in handout("hip-pain", lang).sections for b in s.blocks if isinstance(b, BodyMap))
    image = next(n for n in shown if n.get("role", {}).get("value") == "image" and n.get("name", {}).get("value") == name)
    description = image.get("description", {}).get("value", "")
    for row in table.rows:
        assert description.count(f"{row.number}. {row.code}") == 1, description
    assert not re.search(r"\b(\d+)\. \1\. ", description)  # not "1. 1. GB30"
    # and the words are not read a second time as a list in the page
    said = " ".join(str(n.get("name", {}).get("value", "")) for n in shown if n.get("role", {}).get("value") != "image")
    assert f"1. {table.rows[0].code}" not in said


def number_size(page) -> float:
    """The smallest map number as drawn, in CSS px (its font size times the map's scale on the page)."""
    return page.evaluate("""() => Math.min(...[...document.querySelectorAll('.bodymap .num')].map(n =>
        parseFloat(getComputedStyle(n).fontSize) * n.getScreenCTM().a))""")


def test_large_print_map_numbers_are_large_print_size(page):
    load(page, page_html("hip-pain", "en", True))
    text = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")  # large print's body text
    assert text >= 22
    assert number_size(page) >= text  # on the screen: as large as the text around them
    page.set_viewport_size({"width": 725, "height": 1000})  # a Letter page's width inside the print margins
    page.emulate_media(media="print")
    assert number_size(page) >= 16 * 96 / 72  # on paper: at least 16 pt, as every large-print PDF text


def smallest_texts(page) -> list[tuple[float, str]]:
    """The five smallest texts a reader sees, in CSS px as drawn (an SVG text times its scale on the page), with their
    words; text hidden from the eye (display none, the screen-reader-only copies) does not count."""
    return page.evaluate("""() => {
        const out = [];
        const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const e = node.parentElement;
            if (!node.textContent.trim() || e.closest('.sr-only, title, desc, style, script')) continue;
            if (!e.getClientRects().length) continue;
            const scale = e instanceof SVGElement && e.getScreenCTM() ? e.getScreenCTM().a : 1;
            out.push([parseFloat(getComputedStyle(e).fontSize) * scale, node.textContent.trim().slice(0, 40)]);
        }
        return out.sort((a, b) => a[0] - b[0]).slice(0, 5);
    }""")


@pytest.mark.parametrize("cid, lang", [("hip-pain", "en"), ("chemotherapy-nausea", "es"), ("insomnia", "zh")])
def test_large_print_has_no_text_under_16_pt_on_paper_or_screen(page, cid, lang):
    """Before: the notes, map caption, point names and footer were 0.8-0.92 em of the body (about 13-14.5 pt on paper)."""
    load(page, page_html(cid, lang, True))
    assert round(smallest_texts(page)[0][0] * 72 / 96, 2) >= 16, smallest_texts(page)  # CSS px to pt
    page.set_viewport_size({"width": 725, "height": 1000})  # a Letter page's width inside the print margins
    page.emulate_media(media="print")
    assert round(smallest_texts(page)[0][0] * 72 / 96, 2) >= 16, smallest_texts(page)


@pytest.mark.parametrize("cid, lang", [("hip-pain", "en"), ("hip-pain", "es"), ("hip-pain", "zh"), ("insomnia", "zh"),
                                       ("sciatica", "es"), ("migraine", "es"), ("plantar-heel-pain", "es")])
def test_the_browser_print_is_close_to_the_leaflet(page, cid, lang):
    """The page printed on Letter from the browser: two pages, as the leaflet (before: three for English and Spanish,
    with this machine's DejaVu Sans, wider than the page's own font), with the fullest sheet (note, flag, dates and
    tracker) at most four. Migraine, plantar-heel-pain and pregnancy-back-pelvic-pain in Spanish were three (a line to
    four lines over) until the print's leading went from 1.15 to 1.12 and the space around lists, headings and boxes
    closed a little; all 96 sheet-languages are two pages now (plantar-heel-pain es is the fullest page 2)."""
    from pypdf import PdfReader
    import io

    plain = compose(LIBRARY, make_visit({"patient": "Ana Ruiz", "date": "2026-12-01", "condition": cid, "lang": lang}))
    for made, most in ((plain, 2), (handout(cid, lang), 4)):
        page.emulate_media(media="print")
        page.set_content(render_html(made, HtmlOptions()).decode("utf-8"))
        pages = len(PdfReader(io.BytesIO(page.pdf(format="Letter", print_background=True))).pages)
        assert pages <= most, (made.title, pages)
