"""The pictures: body map, plan timeline, calendar, tracker, booking QR code, large print, contrast."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pdfplumber
import pytest

from conftest import REPO, assert_golden, flat, pdf_text
from handouts import VisitError, load_library, missing_map_points, parse_plan, session_dates
from handouts.library.plan import PlanPhase, session_count

JANE = ("hip-pain", "--patient", "Jane Doe", "--date", "2026-12-01")


# ---- the plan grammar ---------------------------------------------------------------


def test_plan_grammar_phases():
    assert parse_plan("2/week x4, 1/week x4, monthly") == (
        PlanPhase(2, "week", 4), PlanPhase(1, "week", 4), PlanPhase(1, "month", None))
    assert parse_plan("weekly x6 then 2/month x3") == (PlanPhase(1, "week", 6), PlanPhase(2, "month", 3))
    assert parse_plan(" 3 / Week × 2 ") == (PlanPhase(3, "week", 2),)


@pytest.mark.parametrize("text, words", [
    ("2/wek x4", '--plan: "2/wek x4": unknown unit "wek"; write N/week xW, N/month xM, weekly, monthly'),
    ("2/week x4, fortnightly", '"fortnightly": unknown word "fortnightly"'),
    ("monthly, 2/week x4", '"monthly": only the last phase can be open-ended'),
    ("9/week x2", '9 sessions a week is not possible'),
    ("2/week xfour", '"xfour" is not a number of weeks'),
    ("2/week x4,,monthly", "an empty phase"),
    ("", "is empty"),
])
def test_plan_grammar_errors_quote_the_bad_part(text, words):
    with pytest.raises(VisitError) as info:
        parse_plan(text)
    assert words in str(info.value)


def test_session_dates_follow_the_plan_on_weekdays():
    phases = parse_plan("2/week x4, 1/week x4, monthly")
    dates = session_dates(phases, date(2026, 12, 3))
    assert len(dates) == session_count(phases) == 12
    assert all(d.weekday() < 5 for d in dates) and dates == sorted(set(dates))
    assert len(session_dates(parse_plan("3/week x2"), date(2026, 12, 5))) == 6  # starts on a Saturday, no clashes


def test_bad_plan_on_the_command_line_is_a_clear_error(run, tmp_path):
    result = run("leaflet", *JANE, "--plan", "2/wek x4", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert '--plan: "2/wek x4": unknown unit "wek"' in result.output


def test_every_condition_has_a_schedule_that_parses():
    library = load_library()
    for cid, condition in library.conditions.items():
        assert condition.plan.schedule, cid
        assert parse_plan(condition.plan.schedule)


# ---- body map -------------------------------------------------------------------------


def test_every_point_a_condition_uses_has_map_coordinates():
    assert missing_map_points(load_library()) == []


def test_a_used_point_without_coordinates_is_reported_with_file_and_line(tmp_path):
    bundled = Path(load_library().files["points/GB.yaml"].root) / "points" / "GB.yaml"
    (tmp_path / "points").mkdir()
    text = re.sub(r"\n    map: \{back: \[0\.375, 0\.485\][^}]*\}", "", bundled.read_text("utf-8"))
    (tmp_path / "points" / "GB.yaml").write_text(text, "utf-8")
    missing = missing_map_points(load_library(tmp_path))
    users = {cid for cid, c in load_library().conditions.items() if any(p.code == "GB30" for p in c.points)}
    assert {"hip-pain", "sciatica"} <= users
    assert {(m.code, m.condition) for m in missing} == {("GB30", cid) for cid in users}
    line = next(i for i, l in enumerate(text.splitlines(), 1) if l.startswith("  GB30:"))
    assert f"GB.yaml:{line}: GB30 (used by conditions/hip-pain.yaml) has no body-map position" in missing[0].message


def test_bilateral_points_are_marked_on_both_sides_and_midline_points_once():
    from handouts import compose, make_visit
    from handouts.model import BodyMap

    handout = compose(load_library(), make_visit({"condition": "hip-pain", "points": "GB30,GB29,BL40,ST36,GV20"}))
    figure = next(b for s in handout.sections for b in s.blocks if isinstance(b, BodyMap))
    marks = {p.code: p.marks for p in figure.points}
    assert [m.view for m in marks["GB30"]] == ["back", "back"] and marks["GB30"][0].x == pytest.approx(1 - marks["GB30"][1].x)
    assert [m.view for m in marks["ST36"]] == ["front", "front"]
    # a side view and a head inset show one side only: GB29 (side of the hip) and GV20 (top of the head) once each
    assert [m.view for m in marks["GB29"]] == ["side"]
    assert len(marks["GV20"]) == 1 and marks["GV20"][0].view == "head_front" and marks["GV20"][0].x == 0.5
    assert [v for v, _ in figure.views] == ["front", "back", "side", "head_front"]
    assert [p.number for p in figure.points] == [1, 2, 3, 4, 5]


def test_legend_has_number_code_pinyin_and_location_of_each_point(leaflet):
    _, pages = leaflet(*JANE)
    text = flat(" ".join(pages))
    library = load_library()
    for n, code in enumerate(["GB30", "GB29", "BL40", "ST36"], start=1):
        body = library.points[code].body
        assert f"{n} {code}" in text and body.pinyin in text  # the number in its disc (as on the map), then the code
        assert flat(body.location["en"]) in text
    assert "Front" in text and "Back" in text and "Side" in text  # GB29 is on the side of the hip


# ---- page budget --------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
def test_default_leaflet_with_map_and_timeline_fits_one_sheet(leaflet, lang):
    _, pages = leaflet(*JANE, "--lang", lang)
    assert len(pages) <= 2
    assert "Where it is" in pages[0] or lang != "en"


def test_a4_keeps_the_drawings_and_the_budget(leaflet):
    _, pages = leaflet(*JANE, "--page-size", "a4")
    assert len(pages) <= 2 and "Weeks 1–4" in flat(" ".join(pages))


# ---- timeline, calendar, tracker -----------------------------------------------------------------


def test_timeline_shows_the_conditions_usual_plan(leaflet):
    _, pages = leaflet(*JANE)
    text = flat(" ".join(pages))
    for phrase in ["Weeks 1–4", "2 sessions a week for 4 weeks", "Weeks 5–8", "1 session a week for 4 weeks",
                   "From week 9", "1 session a month from then on, as needed"]:
        assert phrase in text


def test_start_date_adds_a_page_with_one_date_per_planned_session(leaflet):
    _, pages = leaflet(*JANE, "--plan", "2/week x4, 1/week x4, monthly", "--start", "2026-12-03")
    assert len(pages) == 3 and "Suggested session dates" in pages[2]
    dated = re.findall(r"(?:Mon|Tue|Wed|Thu|Fri) \w+ \d{1,2}, \d{4}", flat(pages[2]).split("Dates", 1)[1])
    assert len(dated) == 12
    assert "After that: 1 session a month from then on, as needed." in flat(pages[2])
    assert "Page 3 of 3" in pages[2]


def test_calendar_in_spanish_and_chinese_uses_their_dates(leaflet):
    _, pages = leaflet(*JANE, "--plan", "1/week x2", "--start", "2026-12-03", "--lang", "es", name="es.pdf")
    assert "jue 3 de diciembre de 2026" in flat(pages[-1]) and "Semana 2" in flat(pages[-1])
    _, pages = leaflet(*JANE, "--plan", "1/week x2", "--start", "2026-12-03", "--lang", "zh", name="zh.pdf")
    assert "2026年12月10日" in flat(pages[-1])


def test_tracker_has_a_row_per_session_with_columns_to_fill(leaflet):
    _, pages = leaflet(*JANE, "--tracker", "--start", "2026-12-03", "--plan", "2/week x4")
    page = flat(pages[-1])
    for head in ("Session tracker", "Date", "Done", "Pain before", "Pain after", "Notes"):
        assert head in page
    assert page.count("2026") + page.count("2027") >= 8
    _, pages = leaflet(*JANE, "--tracker", name="blank.pdf")
    assert len(pages) == 3 and "Session tracker" in pages[2] and "Suggested session dates" not in pages[2]


def test_visit_file_takes_start_tracker_and_large_print(leaflet, tmp_path):
    visit = tmp_path / "visit.yaml"
    visit.write_text("condition: hip-pain\nstart: 2026-12-03\ntracker: true\nplan: 1/week x3\n", "utf-8")
    _, pages = leaflet("--visit", visit)
    assert "Suggested session dates" in pages[-1] and "Session tracker" in pages[-1]


# ---- QR code ---------------------------------------------------------------------------------


def _page_image(pdf: Path, index: int = 0, dpi: int = 100):
    import pypdfium2

    doc = pypdfium2.PdfDocument(str(pdf))
    try:
        return doc[index].render(scale=dpi / 72).to_pil()
    finally:
        doc.close()


def test_qr_code_decodes_to_the_booking_url_and_is_big_enough(leaflet):
    zxingcpp = pytest.importorskip("zxingcpp")
    from handouts.render.pdf.plan import QUIET_MODULES, qr_drawing
    from handouts.design.styles import sheet

    out, pages = leaflet(*JANE)
    url = load_library().clinic.booking_url
    found = [r.text for i in range(len(pages)) for r in zxingcpp.read_barcodes(_page_image(out, i, 150))]
    assert found == [url]
    assert "Scan to book" in flat(" ".join(pages))
    for layers in ((), ("large-print",)):  # one type scale: no "tight" style any more (issue 9)
        size = sheet(*layers)["layout"]["qr"]["size"]
        assert size >= 72 * 2 / 2.54, "the symbol is at least 2 cm wide"
        code = qr_drawing(url, size)
        assert code.widget.barBorder == QUIET_MODULES == 4
        assert code.module * code.count == pytest.approx(size)


# ---- large print ------------------------------------------------------------------------------


def test_large_print_body_text_is_18pt_or_more_and_the_content_is_the_same(leaflet):
    out, pages = leaflet(*JANE, "--large-print")
    normal_out, normal = leaflet(*JANE, name="normal.pdf")
    with pdfplumber.open(out) as doc:
        for page in doc.pages:
            footer_top = page.height - 92
            sizes = [round(ch["size"], 1) for ch in page.chars if ch["text"].strip() and ch["top"] < footer_top]
            assert min(sizes) >= 18, min(sizes)
            assert min(round(ch["size"], 1) for ch in page.chars) >= 16  # the footer
            assert not any("Italic" in ch["fontname"] for ch in page.chars)
    words = lambda ps: set(flat(" ".join(ps)).split()) - {"Page", "of"} - set("0123456789")
    assert words(normal) - words(pages) <= {w for w in words(normal) if re.fullmatch(r"\d+", w)}


def test_default_leaflet_body_text_is_12pt_or_more(leaflet):
    from handouts.design.styles import sheet

    text = sheet()["text"]
    small = ("small", "footer", "marker", "masthead_line", "point_meta")  # not body text (point_meta: codes, pinyin, characters)
    allowed = {float(text[n]["size"]) for n in small}
    assert all(spec["size"] >= 12 for name, spec in text.items() if name not in small)
    out, _ = leaflet(*JANE)
    with pdfplumber.open(out) as doc:
        sizes = {round(ch["size"], 1) for page in doc.pages for ch in page.chars if ch["text"].strip()}
    assert {s for s in sizes if s < 12} <= allowed


# ---- contrast --------------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        c = c / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    hi, lo = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@pytest.mark.parametrize("layers", [(), ("large-print",)])
def test_every_text_colour_has_contrast_4_5_against_its_backgrounds(layers):
    from handouts.design.styles import Style, sheet

    accent = load_library().clinic.colour
    style = Style(data=sheet(*layers), accent=accent, page_size="letter")
    problems = []
    for name, spec in style.data["text"].items():
        fg = style.colour(spec.get("colour", "text"))
        for bg in spec.get("backgrounds", ["page"]):
            ratio = contrast(fg, style.colour(bg))
            if ratio < 4.5:
                problems.append(f"{name}: {fg} on {bg} {style.colour(bg)}: {ratio:.2f}")
    # the table's "why" text is drawn in the muted colour on the table rows
    for bg in ("page", "tint"):
        assert contrast(style.colour("muted"), style.colour(bg)) >= 4.5
    assert not problems, problems


# ---- golden image ---------------------------------------------------------------------------------


def test_page_one_matches_the_reviewed_golden_image(leaflet, regen_golden):
    out, _ = leaflet(*JANE, "--practitioner", "John Roe, L.Ac.")
    image = _page_image(out, 0, 60).convert("L")
    assert_golden(image, "hip-pain-en-page1.png", regen_golden, "page 1")
