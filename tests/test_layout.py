"""One layout that fits, read back from the PDF: one type scale, two pages, nothing split out of order, kinsoku."""

from __future__ import annotations

import io

import pdfplumber
import pytest

from conftest import flat
from handouts import compose, load_library, make_visit
from handouts.model import LANGS
from handouts.render.pdf.kinsoku import CANNOT_END, CANNOT_START, break_allowed
from handouts.render.pdf.leaflet import RenderOptions, fit_leaflet
from handouts.design.styles import sheet

LIBRARY = load_library()
SIX = "GB29,GB30,BL54,BL40,ST36,LIV3"
NOTE = ("Please walk for 20 minutes each day this week and use the warm pack after your walk. Bring your list of "
        "medicines to the next visit, and tell us if the pain in your hip wakes you at night. We will check your "
        "progress and change the plan if needed. Call us any time with any questions at all, day or night.")


def _render(**fields):
    visit = make_visit({"condition": "hip-pain", "patient": "Jane Doe", "date": "2026-12-01", **fields})
    handout = compose(LIBRARY, visit)
    options = RenderOptions(large_print=bool(fields.get("large_print")))
    printed, pdf = fit_leaflet(handout, options)
    return printed, pdf


def _lines(pdf: bytes) -> list[list[dict]]:
    """Per page, the text lines above the footer: dicts with text, size (largest), top."""
    pages = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            foot = page.height - sheet()["page"]["margins"]["bottom"]
            lines = []
            for line in page.extract_text_lines(return_chars=True, y_tolerance=5):  # CJK and Latin faces differ in ascent
                chars = [c for c in line["chars"] if c["text"].strip()]
                if line["bottom"] <= foot and chars:
                    lines.append({"text": line["text"].strip(), "size": max(round(c["size"], 1) for c in chars),
                                  "top": line["top"], "x0": line["x0"]})
            pages.append(lines)
    return pages


@pytest.mark.parametrize("lang", LANGS)
def test_six_points_fit_on_one_sheet(lang):
    printed, pdf = _render(lang=lang, points=SIX.split(","))
    text = flat(" ".join(l["text"] for page in _lines(pdf) for l in page))
    assert len(_lines(pdf)) == 2
    for code in ("GB29", "GB30", "BL54", "BL40", "ST36", "LR3"):
        assert code in text


@pytest.mark.parametrize("lang", LANGS)
def test_two_flags_and_a_long_note_fit_on_one_sheet(lang):
    assert len(NOTE) >= 300
    _, pdf = _render(lang=lang, flags=["pregnant", "anticoagulants"], note=NOTE, practitioner="John Roe, L.Ac.")
    assert len(_lines(pdf)) == 2


def test_key_points_box_on_page_one_with_its_four_parts():
    _, pdf = _render(practitioner="John Roe, L.Ac.")
    first = flat(" ".join(l["text"] for l in _lines(pdf)[0]))
    for part in ("Key points", "Today:", "You may feel:", "Call us:", "Your next visit:", "Time:"):
        assert part in first, part
    assert first.index("Key points") < first.index("Points used today")


def test_note_is_on_page_one_under_the_patient_band_and_signed():
    _, pdf = _render(note="Walk every day.", practitioner="John Roe, L.Ac.")
    first = flat(" ".join(l["text"] for l in _lines(pdf)[0]))
    assert first.index("Prepared for") < first.index("A note from your practitioner: Walk every day.") < first.index("Key points")
    assert "Walk every day. — John Roe, L.Ac." in first


def test_urgent_box_has_the_catch_all_line_and_the_flags_warning_signs():
    _, pdf = _render(flags=["pregnant"])
    text = flat(" ".join(l["text"] for page in _lines(pdf) for l in page))
    box = text[text.index("When to call us"):text.index("Your plan")]
    assert "Call 911 any time you think you need emergency care." in box
    midwife = box[box.index("Call your midwife or obstetrician now"):]  # the flag's signs, under whom to call
    assert "bleeding, cramps, or fluid leaking from the vagina" in midwife


def test_points_table_header_repeats_when_the_table_crosses_a_page():
    _, pdf = _render(lang="es", points=[*SIX.split(","), "GB34", "BL23", "SP6"], note=NOTE)
    pages = _lines(pdf)
    header = "Dónde está · Por qué se usa"
    with_rows = [i for i, lines in enumerate(pages) if any("Dónde:" in l["text"] for l in lines)]
    assert len(with_rows) == 2, "this sheet's table crosses a page (the test needs one that does)"
    for i in with_rows:
        assert any(header in l["text"] for l in pages[i]), f"no header on page {i + 1}"


def test_points_table_number_disc_is_the_map_marker_colour():
    _, pdf = _render()
    marker = sheet()["colours"]["marker"].lstrip("#")
    rgb = tuple(int(marker[i:i + 2], 16) / 255 for i in (0, 2, 4))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[0]
        words = page.extract_words()
        head = next(w for w in words if w["text"] == "Where:")
        discs = [c for c in page.curves if c.get("non_stroking_color") and
                 all(abs(a - b) < 0.01 for a, b in zip(c["non_stroking_color"], rgb)) and c["x1"] < head["x0"] and c["x0"] > 150]
    assert len(discs) >= 4, "a disc beside each of the 4 rows, in the map's marker colour"


def _check_order(lines: list[str], steps: list[str]) -> None:
    text = flat(" ".join(lines))
    positions = [text.find(flat(s)) for s in steps]
    assert all(p >= 0 for p in positions), [s for s, p in zip(steps, positions) if p < 0]
    assert positions == sorted(positions)


@pytest.mark.parametrize("condition", ["hip-pain", "low-back-pain", "migraine"])
def test_what_to_expect_steps_read_in_order(condition):
    """One numbered column: a step is never split into two columns that break across the page."""
    steps = [t["en"] for b in LIBRARY.sections["what-to-expect"].blocks for t in b.items]
    visit = make_visit({"condition": condition, "date": "2026-12-01"})
    _, pdf = fit_leaflet(compose(LIBRARY, visit), RenderOptions())
    lines = [l["text"] for p in _lines(pdf) for l in p]
    shown = [s for s in steps if flat(s) in flat(" ".join(lines))]
    assert shown, "some steps are printed"
    _check_order(lines, shown)


def _headings_sizes() -> set[float]:
    text = sheet()["text"]
    return {float(text["h2"]["size"]), float(text["h3"]["size"])}


@pytest.mark.parametrize("fields", [{}, {"lang": "es"}, {"lang": "zh"}, {"points": SIX.split(",")},
                                    {"lang": "es", "flags": ["diabetes", "needle-phobia"], "note": NOTE},
                                    {"large_print": True}, {"large_print": True, "lang": "zh"}])
def test_no_heading_is_the_last_line_of_a_page(fields):
    _, pdf = _render(**fields)
    layers = ("large-print",) if fields.get("large_print") else ()
    text = sheet(*layers)["text"]
    heads = {float(text["h2"]["size"]), float(text["h3"]["size"]), float(text["callout_title"]["size"])}
    pages = _lines(pdf)
    for n, lines in enumerate(pages[:-1], start=1):
        assert lines[-1]["size"] not in heads, f"page {n} ends with the heading {lines[-1]['text']!r}"


@pytest.mark.parametrize("large_print", [False, True])
def test_qr_caption_is_on_the_page_of_its_code(large_print):
    _, pdf = _render(large_print=large_print)
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            modules = [r for r in page.rects if r.get("non_stroking_color") in ((0,), (0, 0, 0), [0], [0, 0, 0], 0)]
            if "Scan to book" in (page.extract_text() or ""):
                assert len(modules) > 50, f"the caption is on page {page.page_number}, its code is not"


@pytest.mark.parametrize("points", [None, SIX])
@pytest.mark.parametrize("lang", LANGS)
def test_large_print_has_no_near_empty_last_page_and_the_map_shares_a_page_with_its_table(lang, points):
    _, pdf = _render(lang=lang, large_print=True, **({"points": points.split(",")} if points else {}))
    pages = _lines(pdf)
    frame = 792 - 30 - 92
    last = pages[-1]
    assert len(last) > 3 and last[-1]["top"] - last[0]["top"] > 0.12 * frame, "the last page holds more than a few lines"
    front = {"en": "Front", "es": "Delante", "zh": "正面"}[lang]
    where = {"en": "Where:", "es": "Dónde:", "zh": "位置："}[lang]
    map_page = next(i for i, p in enumerate(pages) if any(front in l["text"] for l in p))
    assert any(where in l["text"] for l in pages[map_page]), "the map and the first rows of its table on one page"


# ---- Chinese line breaking -------------------------------------------------------------------


@pytest.mark.parametrize("text,k", [("外1/3处。", 5), ("外1/3处。", 4), ("休息15分钟。", 4), ("休息15分钟。", 5), ("休息15分钟。", 3),
                                    ("（见下图）", 1), ("疼痛。然后", 2), ("GB30穴", 2), ("坐几分钟", 2)])
def test_kinsoku_forbids_these_breaks(text, k):
    assert not break_allowed(text, k), (text[:k], text[k:])


@pytest.mark.parametrize("text,k", [("疼痛。然后", 3), ("每天坚持温和活动", 2), ("John 针", 5)])
def test_kinsoku_allows_these_breaks(text, k):
    assert break_allowed(text, k)


@pytest.mark.parametrize("fields", [{"condition": "hip-pain"}, {"condition": "hip-pain", "points": SIX.split(",")},
                                    {"condition": "chemotherapy-nausea"}, {"condition": "insomnia", "large_print": True},
                                    {"condition": "period-pain", "flags": ["diabetes", "needle-phobia"], "note": "每天散步20分钟，热敷15分钟。"}])
def test_no_chinese_line_starts_with_closing_punctuation_or_ends_with_an_opening_one(fields):
    fields = {"lang": "zh", **fields}
    visit = make_visit({"patient": "张伟", "date": "2026-12-01", **fields})
    _, pdf = fit_leaflet(compose(LIBRARY, visit), RenderOptions(large_print=bool(fields.get("large_print"))))
    bad = []
    for lines in _lines(pdf):
        for line in lines:
            text = line["text"]
            if text[0] in CANNOT_START and text[0] not in ".,;:!?)%·" or text[-1] in CANNOT_END:
                bad.append(text)
            if text.startswith(("分钟", "钟", "处")) or text.endswith(("1/", "15")):
                bad.append(text)
    assert not bad, bad


def test_chinese_headings_are_bold():
    _, pdf = _render(lang="zh")
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        fonts = {c["fontname"].split("+")[-1] for c in doc.pages[0].chars if c["text"] in "今天使用的穴位"
                 and round(c["size"], 1) == sheet()["text"]["h2"]["size"]}
    assert fonts == {"DroidSansFallbackCommon"}  # its synthetic bold: drawn stroked (tests/test_zh_size.py)


@pytest.mark.parametrize("lang", LANGS)
def test_large_print_with_flags_and_a_note_has_no_half_empty_page_before_the_last(lang):
    """The key points box leaves too little room for the 300 pt map on page 2: the grid's first rows fill the page,
    and the map goes on at the top of the next page with the rest of the rows (before, page 2 held the box alone).
    In English the tick boxes now end a page between two phases: before, they moved on whole with the self-care
    list and left the page of the plan 57 % full."""
    _, pdf = _render(lang=lang, large_print=True, flags=["pregnant", "anticoagulants"], note=NOTE, practitioner="John Roe, L.Ac.")
    pages = _lines(pdf)
    top, frame = 30, 792 - 30 - 92
    filled = [round((lines[-1]["top"] - top) / frame, 2) for lines in pages]
    assert all(f >= 0.6 for f in filled[:-1]), filled
    front = {"en": "Front", "es": "Delante", "zh": "正面"}[lang]
    where = {"en": "Where:", "es": "Dónde:", "zh": "位置："}[lang]
    map_page = next(i for i, p in enumerate(pages) if any(front in l["text"] for l in p))
    assert any(where in l["text"] for l in pages[map_page]), "rows of the grid on the map's page"


@pytest.mark.parametrize("lang", LANGS)
def test_large_print_urgent_box_moves_on_whole_and_the_page_it_leaves_is_filled_from_the_one_before(lang):
    """Six points in large print put the urgent box at a page foot: it moves on whole, and the flow breaks earlier on
    the page before so that the page the box leaves is not left near empty (before, the box split between two signs)."""
    _, pdf = _render(lang=lang, large_print=True, points=SIX.split(","))
    pages = _lines(pdf)
    top, frame = 30, 792 - 30 - 92
    filled = [round((lines[-1]["top"] - top) / frame, 2) for lines in pages]
    assert all(f >= 0.45 for f in filled[:-1]), filled
    title, closing = {"en": ("When to call us", "Call 911 any time"), "es": ("Cuándo llamarnos", "Llame al 911 siempre"),
                      "zh": ("何时联系我们", "任何时候您觉得需要急救")}[lang]
    first = next(n for n, p in enumerate(pages) if any(l["text"].startswith(title) for l in p))
    assert any(l["text"].startswith(closing) for l in pages[first]), "the whole box on one page"


def _saves(monkeypatch) -> list:
    """Count the PDFs written (ReportLab's Canvas.save: font subsets, compression, the file)."""
    from reportlab.pdfgen.canvas import Canvas

    saves, real = [], Canvas.save
    monkeypatch.setattr(Canvas, "save", lambda self: saves.append(1) or real(self))
    return saves


def _passes(monkeypatch) -> list:
    """(trial, drawn, ran over) of each layout pass of a fit."""
    import handouts.render.pdf.leaflet as leaflet

    layouts = []
    real = leaflet._laid_out

    def counted(handout, options, layers, breaks=frozenset(), trial=False, write=True, resume=None):
        made = real(handout, options, layers, breaks, trial, write, resume)
        layouts.append((trial, write, made[1].over > 0))
        return made

    monkeypatch.setattr(leaflet, "_laid_out", counted)
    return layouts


def test_trial_layouts_that_run_over_are_not_written(monkeypatch):
    """The English hip-pain sheet takes three layouts to fit; only the last is written as a PDF, and the trials
    that run over are only placed, not drawn."""
    import handouts.render.pdf.leaflet as leaflet

    monkeypatch.setattr(leaflet, "_FITS", leaflet.LRU(8))  # no sheet fitted before (the memo would skip the trials)
    monkeypatch.setattr(leaflet, "_RAN_OVER", leaflet.LRU(8))
    layouts = _passes(monkeypatch)
    saves = _saves(monkeypatch)
    visit = make_visit({"condition": "hip-pain", "patient": "Trial Writer", "date": "2026-12-01", "practitioner": "John Roe, L.Ac."})
    printed, pdf = fit_leaflet(compose(LIBRARY, visit), RenderOptions())
    assert len(layouts) >= 3 and all(trial and not drawn and over for trial, drawn, over in layouts[:-2])
    assert layouts[-1][1] and not layouts[-1][2]  # the last pass is drawn and fits
    assert len(saves) == 1 and pdf.startswith(b"%PDF") and "Trial Writer" in flat(_text(pdf))


@pytest.mark.parametrize("condition,flags", [("hip-pain", ""), ("low-back-pain", "anticoagulants,diabetes"),
                                             ("insomnia", ""), ("stress", "")])
@pytest.mark.parametrize("guess", [True, False])
def test_a_wrong_guess_about_a_trial_costs_a_pass_never_a_byte(monkeypatch, condition, flags, guess):
    """Whether a sheet's first pass is guessed to run over (placed, not drawn) or to fit (drawn), and whatever the
    later passes guess, the PDF is the one a fit that draws every pass makes."""
    import handouts.render.pdf.leaflet as leaflet

    visit = make_visit({"condition": condition, "patient": "Guess Who", "date": "2026-12-01", "flags": flags})
    handout = compose(LIBRARY, visit)
    for opts in (RenderOptions(), RenderOptions(page_size="a4")):
        monkeypatch.setattr(leaflet, "_FITS", leaflet.LRU(8))
        monkeypatch.setattr(leaflet, "_RAN_OVER", leaflet.LRU(8))
        leaflet._RAN_OVER.keep((handout.condition_id, handout.lang, opts.page_size), not guess)
        guessed = leaflet.fit_leaflet(handout, opts)
        monkeypatch.setattr(leaflet, "_FITS", leaflet.LRU(8))
        monkeypatch.setattr(leaflet, "_pass", _every_pass_whole)  # every pass drawn in full, as before guessing
        drawn = leaflet.fit_leaflet(handout, opts)
        monkeypatch.undo()
        assert guessed == drawn


def _every_pass_whole(h, o, layers, trial, write, likely_over, resume=None):
    import handouts.render.pdf.leaflet as leaflet

    pdf, laid = leaflet._laid_out(h, o, layers, trial=trial, write=write)
    return pdf, laid.over, laid.gaps, laid


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
@pytest.mark.parametrize("paper", ["letter", "a4"])
def test_a_trial_taken_up_where_the_sheet_first_changes_measures_what_a_whole_pass_does(lang, paper):
    """A trial pass that places only what follows the first section it changes (the pages before are the earlier
    pass's) finds the same overflow and room at the page feet as placing the whole sheet, for every rank."""
    import handouts.render.pdf.leaflet as leaflet

    opts = RenderOptions(page_size=paper)
    layers = ("zh",) if lang == "zh" else ()
    resumed = 0
    for condition, flags in (("hip-pain", ""), ("low-back-pain", "anticoagulants"), ("insomnia", ""), ("migraine", "pregnant")):
        handout = compose(LIBRARY, make_visit({"condition": condition, "patient": "Ann Lee", "lang": lang, "flags": flags}))
        _, base = leaflet._laid_out(handout, opts, layers, trial=True, write=False)
        ranks = sorted({r for s in handout.sections for _, r in s.optional})
        for rank in ranks:
            printed = leaflet.without_optional(handout, rank)
            _, whole = leaflet._laid_out(printed, opts, layers, trial=True, write=False)
            _, taken_up = leaflet._laid_out(printed, opts, layers, trial=True, write=False, resume=(handout, base))
            resumed += leaflet._resume_at(printed, (handout, base)) is not None
            assert (taken_up.over, taken_up.gaps, taken_up.end_page) == pytest.approx((whole.over, whole.gaps, whole.end_page)), (condition, rank)
            assert taken_up.end_fill == pytest.approx(whole.end_fill)
            placed = {mark.index: (mark.page, round(mark.fill, 6)) for mark in whole.marks}
            assert all(placed[mark.index] == (mark.page, round(mark.fill, 6)) for mark in taken_up.marks)
    assert resumed >= 8  # the test is about passes that were taken up, not ones that fell back to the whole sheet


def test_a_sheet_that_runs_over_with_nothing_left_to_leave_out_is_still_written(monkeypatch):
    """Every optional block left out and still past two pages (both flags, a long note): the sheet is printed whole
    (cut, its third page would be near empty), on three pages, and written once."""
    saves = _saves(monkeypatch)
    visit = make_visit({"condition": "low-back-pain", "patient": "Jane Doe", "date": "2026-12-01",
                        "flags": "pregnant,anticoagulants", "allow_caution": "BL23,BL25,EX-B2",
                        "note": "Rest well and walk daily. " * 12})
    handout = compose(LIBRARY, visit)
    printed, pdf = fit_leaflet(handout, RenderOptions())
    assert printed == handout  # nothing left out
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages) == 3
    assert len(saves) == 1


def _text(pdf: bytes) -> str:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return " ".join(page.extract_text() or "" for page in doc.pages)
