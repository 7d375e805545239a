"""The leaflet's variants page by page, read back from the PDF: how full each page is, what starts a page, Chinese lines."""

from __future__ import annotations

import io
import re

import pdfplumber
import pytest

from handouts import compose, load_library, make_visit
from handouts.design.styles import load_style
from handouts.render.pdf.leaflet import RenderOptions, fit_leaflet

LIBRARY = load_library()
PREGNANT_SIX = {"flags": ["pregnant"], "points": "GB30,GB29,BL40,ST36,LI4,SP6".split(","), "allow_caution": ["LI4", "SP6"]}
NOTE = ("Please walk for 20 minutes each day this week and use the warm pack after your walk. Bring your list of "
        "medicines to the next visit, and tell us if the pain in your hip wakes you at night. We will check your "
        "progress and change the plan if needed. Call us any time with any questions at all, day or night.")
EVERY_OPTION = {"flags": ["pregnant", "anticoagulants"], "practitioner": "Ana Ruiz, L.Ac.", "plan": "2/week x3, 1/week x4, monthly",
                "start": "2026-12-08", "tracker": True, "note": NOTE}
QUARTER = 0.25
ASKED_FOR = {"en": ("Suggested session dates", "Session tracker"), "es": ("Fechas sugeridas", "Registro de sesiones"), "zh": ("建议治疗日期", "治疗记录表")}


def render(condition: str = "hip-pain", lang: str = "en", page_size: str = "letter", large_print: bool = False, **fields) -> bytes:
    visit = make_visit({"condition": condition, "patient": "Jane Doe", "date": "2026-12-01", "lang": lang,
                        "page_size": page_size, **fields})
    return fit_leaflet(compose(LIBRARY, visit), RenderOptions(page_size=page_size, large_print=large_print))[1]


def pages(pdf: bytes, page_size: str = "letter", large_print: bool = False) -> list[dict]:
    """Per page: how full the frame is (from its lowest character above the footer), and its text lines."""
    style = load_style("#000000", page_size, ("large-print",) if large_print else ())
    top, foot = style.margins["top"], style.page[1] - style.margins["bottom"]
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            chars = [c for c in page.chars if c["bottom"] <= foot and c["text"].strip()]
            low = max((c["bottom"] for c in chars), default=top)
            lines = [line["text"].strip() for line in page.extract_text_lines(y_tolerance=5) if line["bottom"] <= foot]
            out.append({"fill": (low - top) / (foot - top), "lines": [t for t in lines if t]})
    return out


def asked_for(page: dict, lang: str) -> bool:
    """A page the user asked for (the suggested dates, the tracker): it may be as short as it needs."""
    return any(line.startswith(ASKED_FOR[lang]) for line in page["lines"][:3])


def thin_pages(pdf: bytes, lang: str, page_size: str = "letter", large_print: bool = False) -> list[tuple[int, float]]:
    return [(n, round(p["fill"], 2)) for n, p in enumerate(pages(pdf, page_size, large_print), start=1)
            if p["fill"] < QUARTER and not asked_for(p, lang)]


# ---- item 1: a sheet two pages cannot hold never ends on a near-empty page -----------------------------------------


@pytest.mark.parametrize("condition,lang,page_size", [("hip-pain", "en", "letter"), ("hip-pain", "es", "letter"),
                                                      ("hip-pain", "es", "a4"), ("chemotherapy-nausea", "en", "letter"),
                                                      ("chemotherapy-nausea", "es", "a4")])
def test_pregnant_six_points_two_cautioned_leave_no_page_under_a_quarter_full(condition, lang, page_size):
    """Before: cut to the bone and still over, page 3 held the booking code alone (89-94 % blank)."""
    pdf = render(condition, lang, page_size, **PREGNANT_SIX)
    assert not thin_pages(pdf, lang, page_size), pages(pdf, page_size)[-1]["lines"]


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
def test_every_option_leaves_no_page_under_a_quarter_full_but_those_asked_for(lang):
    pdf = render("hip-pain", lang, "a4", **EVERY_OPTION)
    assert not thin_pages(pdf, lang, "a4")


# ---- item 4: the same blocks in every language wherever they fit ----------------------------------------------------

SELF_CARE = {"en": "Between sessions", "es": "Entre sesiones", "zh": "两次治疗之间"}
SIX = {"points": "GB29,GB30,BL54,BL40,ST36,LIV3".split(",")}
FLAGS_NOTE = {"flags": ["pregnant", "anticoagulants"], "note": NOTE, "practitioner": "John Roe, L.Ac."}


def kept_self_care(condition: str, page_size: str, fields: dict) -> dict[str, bool]:
    return {lang: any(line.startswith(SELF_CARE[lang]) for p in pages(render(condition, lang, page_size, **fields), page_size)
                      for line in p["lines"]) for lang in ("en", "zh", "es")}


@pytest.mark.parametrize("condition,page_size,fields", [("knee-osteoarthritis", "a4", EVERY_OPTION), ("neck-pain", "a4", FLAGS_NOTE)])
def test_spanish_keeps_the_self_care_list_where_english_and_chinese_keep_it(condition, page_size, fields):
    """Before: these Spanish A4 sheets dropped it, the key points' phone line ending with "911." alone on a line."""
    kept = kept_self_care(condition, page_size, fields)
    assert kept["en"] and kept["zh"], kept  # the case is one where both keep it
    assert kept["es"], "the Spanish sheet drops the self-care list"


@pytest.mark.parametrize("condition,page_size,fields", [("neck-pain", "a4", EVERY_OPTION), ("plantar-heel-pain", "letter", SIX),
                                                        ("sciatica", "letter", SIX)])
def test_spanish_keeps_the_self_care_list_on_these_too(condition, page_size, fields):
    """Before: these Spanish sheets ran 33-65 pt past two pages with every other optional block left out (a number disc
    on a line of its own made each short points row four lines tall; the Spanish point texts ran a line longer)."""
    kept = kept_self_care(condition, page_size, fields)
    assert kept["en"] and kept["zh"], kept
    assert kept["es"], "the Spanish sheet drops the self-care list"


# ---- item 5: Chinese labels whole, no one-character last line --------------------------------------------------------

LONE = re.compile(r"[\u4e00-\u9fff][。！？；，、）」”]*")


def _runs(line: dict) -> list[list[dict]]:
    """A text line's runs of characters, split where a column gap opens (a table's cells share a line)."""
    runs, cur = [], []
    for c in (c for c in line["chars"] if c["text"].strip()):
        if cur and c["x0"] - cur[-1]["x1"] > 6:
            runs.append(cur)
            cur = []
        cur.append(c)
    return runs + ([cur] if cur else [])


def chinese_faults(pdf: bytes) -> tuple[list[str], list[str]]:
    """Bold labels broken across two lines ("原/因："), and runs of one character alone on a line ("乏。")."""
    def bold(c):
        return "Bold" in c["fontname"]

    def hanzi(c):
        return "\u4e00" <= c["text"] <= "\u9fff"

    split, lone = [], []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            lines = page.extract_text_lines(return_chars=True, y_tolerance=3)
            for a, b in zip(lines, lines[1:]):
                for end in _runs(a):
                    under = [r for r in _runs(b) if r[0]["x0"] < end[-1]["x1"] and r[-1]["x1"] > end[0]["x0"]]
                    if not under:
                        continue
                    tail = next((k for k in range(len(end)) if not bold(end[-1 - k])), len(end))
                    lead = next((k for k in range(len(under[0])) if not bold(under[0][k])), len(under[0]))
                    if (0 < tail <= 5 and tail < len(end) and 0 < lead <= 5 and under[0][lead - 1]["text"] in "：:"
                            and hanzi(end[-1]) and hanzi(under[0][0])):
                        split.append("".join(c["text"] for c in end[-tail:]) + "/" + "".join(c["text"] for c in under[0][:lead]))
            for line in lines:
                for run in _runs(line):
                    text = "".join(c["text"] for c in run)
                    if len(text) >= 2 and LONE.fullmatch(text):
                        lone.append(text)
    return split, lone


@pytest.mark.parametrize("condition,page_size,large_print", [("hip-pain", "a4", False), ("plantar-heel-pain", "letter", False),
                                                             ("neck-pain", "a4", False), ("tension-headache", "a4", True),
                                                             ("stress", "letter", True)])
def test_chinese_labels_stay_whole_and_no_paragraph_ends_with_one_character(condition, page_size, large_print):
    """Before: "原因：" broke after 原 on these sheets, and paragraphs ended with a line like "乏。" or "们。"."""
    split, lone = chinese_faults(render(condition, "zh", page_size, large_print=large_print))
    assert not split, split
    assert not lone, lone


# ---- item 3: the sources line stays with the research line it backs ---------------------------------------------------

SOURCES = {"en": ("Sources:", "Current as of"), "es": ("Fuentes:", "Vigente al"), "zh": ("参考资料：", "内容更新于")}


def orphaned_sources(pdf: bytes, lang: str, page_size: str = "letter", large_print: bool = False) -> list[int]:
    """The pages (2 on) that open with the sources line or its last words, cut off from the research line above."""
    return [n for n, p in enumerate(pages(pdf, page_size, large_print), start=1)
            if n > 1 and p["lines"] and p["lines"][0].startswith(SOURCES[lang])]


@pytest.mark.parametrize("lang,page_size,large_print,fields", [("zh", "letter", False, PREGNANT_SIX), ("en", "letter", True, {})])
def test_the_sources_line_never_opens_a_page(lang, page_size, large_print, fields):
    """Before: "参考资料：…" opened page 2 of the pregnant Chinese sheet; "Current as of …" opened page 4 in large print."""
    pdf = render("hip-pain", lang, page_size, large_print=large_print, **fields)
    assert not orphaned_sources(pdf, lang, page_size, large_print)


# ---- item 2: large print ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("condition,lang,fields", [("hip-pain", "es", {}), ("insomnia", "es", {}), ("hip-pain", "es", EVERY_OPTION)])
def test_large_print_has_no_near_empty_page_at_the_end_of_the_sheet_or_before_the_sessions_pages(condition, lang, fields):
    """Before: the self-care list alone on a last page 22 % full; with dates and tracker, the same page mid-document."""
    pdf = render(condition, lang, "letter", large_print=True, **fields)
    assert not thin_pages(pdf, lang, "letter", True)


DATE = re.compile(r"^(January|February|March|April|May|June|July|August|September|October|November|December) \d+, \d{4}")


def test_large_print_tracker_starts_on_a_page_with_room_for_its_rows():
    """Before: the tracker's heading, header and two rows at the foot of the dates page, the rest overleaf."""
    pdf = render("hip-pain", "en", "letter", large_print=True, **EVERY_OPTION)
    found = [p for p in pages(pdf, "letter", True) if "Session tracker" in p["lines"]]
    assert len(found) == 1
    lines = found[0]["lines"]
    rows = [line for line in lines[lines.index("Session tracker"):] if DATE.match(line)]
    assert len(rows) >= 8, rows  # every row of this tracker (10), or at least TRACKER_FIRST_ROWS


URGENT = {"en": ("When to call us", "Call 911 any time"), "es": ("Cuándo llamarnos", "Llame al 911 siempre"),
          "zh": ("何时联系我们", "任何时候您觉得需要急救")}


def urgent_box_pages(pdf: bytes, lang: str, page_size: str, large_print: bool = True) -> tuple[int, int]:
    """The pages of the urgent box's title and of its closing line."""
    found = pages(pdf, page_size, large_print)
    title, closing = URGENT[lang]
    first = next(n for n, p in enumerate(found) if any(line.startswith(title) for line in p["lines"]))
    last = next(n for n, p in enumerate(found) if any(line.startswith(closing) for line in p["lines"]))
    return first, last


def test_large_print_urgent_box_moves_whole_when_the_page_it_leaves_stays_mostly_full():
    """Before: the box split at a page foot even where moving it whole left the page above three quarters full."""
    pdf = render("hip-pain", "zh", "a4", large_print=True, points="GB29,GB30,BL54,BL40,ST36,LIV3".split(","))
    first, last = urgent_box_pages(pdf, "zh", "a4")
    assert first == last
    assert pages(pdf, "a4", True)[first - 1]["fill"] >= 0.6


# ---- large print over every condition and language: the urgent box whole, no near-empty page, the tracker's rows ------

TRACKED = {"practitioner": "Ana Ruiz, L.Ac.", "plan": "2/week x3, 1/week x4, monthly", "start": "2026-12-08", "tracker": True,
           "note": NOTE}
HALF = 0.4  # a page of the main flow before its last holds more than two fifths of a page (read from its lowest character)
TRACKER_TITLE = {"en": "Session tracker", "es": "Registro de sesiones", "zh": "治疗记录表"}
TRACKER_DATE = {"en": re.compile(r"^(January|February|March|April|May|June|July|August|September|October|November|December) \d+, \d{4}"),
                "es": re.compile(r"^\d+ de [a-z]+ de \d{4}"), "zh": re.compile(r"^\d{4}年")}


def headings(condition: str, lang: str, page_size: str, fields: dict) -> set[str]:
    """The sheet's section titles and headings, as printed."""
    from handouts.model import Heading

    visit = make_visit({"condition": condition, "patient": "Jane Doe", "date": "2026-12-01", "lang": lang, "page_size": page_size, **fields})
    handout = compose(LIBRARY, visit)
    return {s.title for s in handout.sections if s.title} | {b.text for s in handout.sections for b in s.blocks if isinstance(b, Heading)}


def main_flow(found: list[dict], lang: str) -> list[dict]:
    """The pages before the first page the user asked for (the dates, the tracker)."""
    asked = next((n for n, p in enumerate(found) if asked_for(p, lang)), len(found))
    return found[:asked]


def smallest_size(pdf: bytes) -> float:
    """The smallest text size on any page, footer and map numbers included (pt, as pdfplumber reads it)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return min(round(c["size"], 1) for page in doc.pages for c in page.chars if c["text"].strip())


@pytest.mark.parametrize("condition", sorted(LIBRARY.conditions))
def test_large_print_box_whole_no_near_empty_page_and_the_tracker_with_its_rows(condition):
    """Every condition in every language, plain and with a plan, dates and tracker (page size rotating):
    no text under 16 pt (the box set closer keeps its size), the urgent box on one page (before: split between two signs on most English and Spanish sheets), no page of the
    main flow before its last under about half full (before: the page the box or the tick boxes left), no page
    ending with a heading (the breaks that even two pages never fall after one), and the tracker starting on a page
    with room for its rows (never one row at a page foot). Before: the urgent box of nausea-surgery-pregnancy and
    pregnancy-back-pelvic-pain was taller than a Letter page in English (680 and 714 pt against 670) and split; and
    the English dates page ("Suggested session dates") was taken for a page of the main flow, so the main flow's
    own last page (31-34 % full on first-visit and tennis-elbow) looked like a thin page in the middle."""
    from handouts.render.pdf.flowables import TRACKER_FIRST_ROWS

    k = sorted(LIBRARY.conditions).index(condition)
    for n, lang in enumerate(LANGS):
        for m, fields in enumerate(({}, TRACKED)):
            page_size = ("letter", "a4")[(k + n + m) % 2]
            pdf = render(condition, lang, page_size, large_print=True, **fields)
            found = pages(pdf, page_size, True)
            assert smallest_size(pdf) >= 16, (lang, page_size, fields and "tracked", smallest_size(pdf))
            first, last = urgent_box_pages(pdf, lang, page_size)
            assert first == last, (lang, page_size, fields and "tracked", "the urgent box split")
            fills = [round(p["fill"], 2) for p in main_flow(found, lang)]
            assert all(f >= HALF for f in fills[:-1]), (lang, page_size, fields and "tracked", fills)
            heads = headings(condition, lang, page_size, fields)
            ends = [p["lines"][-1] for p in found[:-1] if p["lines"]]
            assert not heads & set(ends), (lang, page_size, "a page ends with a heading", heads & set(ends))
            if fields:
                at = [p for p in found if TRACKER_TITLE[lang] in p["lines"]]
                assert len(at) == 1, (lang, page_size)
                lines = at[0]["lines"]
                rows = [line for line in lines[lines.index(TRACKER_TITLE[lang]):] if TRACKER_DATE[lang].match(line)]
                assert len(rows) >= TRACKER_FIRST_ROWS, (lang, page_size, rows)


def test_tennis_elbow_large_print_with_the_tracker_on_letter_has_no_thin_page():
    """The case the rotation above tested tennis-elbow on before the conditions it counts grew. Before: its main flow's
    last page (about a third full) was read as a page in the middle, the English dates page ("Suggested session dates")
    being taken for part of the main flow."""
    pdf = render("tennis-elbow", "en", "letter", large_print=True, **TRACKED)
    fills = [round(p["fill"], 2) for p in main_flow(pages(pdf, "letter", True), "en")]
    assert all(f >= HALF for f in fills[:-1]), fills


# ---- a sweep: every condition, each in a rotation of language, page size and variant -----------------------------------

VARIANTS = {"default": {}, "large print": {"large_print": True}, "pregnant, six points": PREGNANT_SIX}
LANGS = ("en", "es", "zh")


@pytest.mark.parametrize("condition", sorted(LIBRARY.conditions))
def test_sweep_no_thin_page_and_no_orphaned_sources(condition):
    """Each condition in three variants; language and page size rotate so that every pair comes up across conditions."""
    k = sorted(LIBRARY.conditions).index(condition)
    for n, (variant, fields) in enumerate(VARIANTS.items()):
        lang, page_size = LANGS[(k + n) % 3], ("letter", "a4")[(k + n // 2) % 2]
        large = bool(fields.get("large_print"))
        pdf = render(condition, lang, page_size, **fields)
        assert not thin_pages(pdf, lang, page_size, large), (variant, lang, page_size)
        assert not orphaned_sources(pdf, lang, page_size, large), (variant, lang, page_size)
        if lang == "zh":
            assert chinese_faults(pdf) == ([], []), (variant, page_size)
