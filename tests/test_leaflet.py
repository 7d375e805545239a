"""The take-home leaflet, end to end through the CLI."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from conftest import flat, pdf_text

JANE = ("hip-pain", "--patient", "Jane Doe", "--practitioner", "John Roe, L.Ac.", "--date", "2026-12-01")


def test_hip_pain_leaflet_has_every_part_in_order(leaflet):
    out, pages = leaflet(*JANE)
    text = flat(" ".join(pages))
    expected = [
        "Clifton Physical Therapy & Acupuncture", "Clifton, NJ", "(973) 922-9659", "clifton-acupuncture.example",  # 1. header
        "Jane Doe", "December 1, 2026", "John Roe, L.Ac.",  # 2. for whom
        "Key points", "Today:", "You may feel:", "Call us:", "Your next visit:",  # 3. the summary (issue 9: PEMAT-P)
        "Points used today",  # 4. what we did today, right under it
        "About Hip pain", "Hip pain can come", "may",  # 5. condition, hedged ("how acupuncture may help" is a long sheet's first cut)
        "What to expect", "Afterwards",  # 6. the steps after the session (the session's own steps are a long sheet's second cut)
        "Risks and side effects", "bruise", "lung injury",  # 7. (the screening paragraph is for brochures now)
        "When to call us, and when to get urgent care", "call 911", "chest pain", "Call 911 any time",
        "Your plan", "2 sessions a week for 4 weeks", "Tick each session",  # 8.
    ]
    position = 0
    for phrase in expected:
        found = text.find(phrase, position)
        assert found >= 0, f"{phrase!r} missing or out of order"
        position = found
    for forbidden in ("cure", "guarantee", "permanent"):
        assert forbidden not in text.lower().replace("not a cure", "")


def test_default_points_are_the_conditions_usual_points_only(leaflet):
    _, pages = leaflet(*JANE)
    text = " ".join(pages)
    for code, pinyin in [("GB30", "Huántiào"), ("GB29", "Jūliáo"), ("BL40", "Wěizhōng"), ("ST36", "Zúsānlǐ")]:
        assert code in text and pinyin in text
    assert "BL54" not in text and "LR3" not in text  # optional points stay off unless used


def test_points_option_prints_only_todays_points_and_accepts_aliases(leaflet):
    _, pages = leaflet("hip-pain", "--points", "gb-30, Liv 3", "--patient", "A B")
    text = " ".join(pages)
    assert "GB30" in text and "LR3" in text and "Tàichōng" in text
    assert "LIV3" not in text and "GB29" not in text and "ST36" not in text


def test_footer_on_every_page_with_page_x_of_y_phone_and_disclaimer(leaflet):
    _, pages = leaflet(*JANE)
    assert 1 <= len(pages) <= 2
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
        assert "(973) 922-9659" in page
        assert "not a diagnosis" in flat(page)


def test_page_size_letter_by_default_and_a4_on_request(leaflet):
    out, _ = leaflet(*JANE)
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (612, 792)
    out, pages = leaflet(*JANE, "--page-size", "a4", name="a4.pdf")
    box = PdfReader(out).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert len(pages) <= 2


def _fonts(reader: PdfReader) -> dict[str, bool]:
    """Every font used on any page -> whether its file is embedded."""
    found = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            desc = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            desc = desc.get_object() if desc else {}
            found[str(font["/BaseFont"])] = any(k in desc for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    return found


def test_every_font_is_embedded_and_subset(leaflet):
    out, _ = leaflet(*JANE)
    fonts = _fonts(PdfReader(out))
    assert fonts, "no fonts found"
    assert all(fonts.values()), fonts
    assert all("+" in name for name in fonts), "fonts should be subset (ABCDEF+Name)"
    assert not any("Helvetica" in name for name in fonts)
    assert any("Atkinson" in name for name in fonts)


def test_same_input_gives_the_same_bytes(leaflet):
    first, _ = leaflet(*JANE, name="a.pdf")
    second, _ = leaflet(*JANE, name="b.pdf")
    assert first.read_bytes() == second.read_bytes()


def test_metadata_title_author_subject_language(leaflet):
    out, _ = leaflet(*JANE)
    reader = PdfReader(out)
    meta = reader.metadata
    assert meta.title == "Your acupuncture care: Hip pain"
    assert meta.author == "Clifton Physical Therapy & Acupuncture"
    assert "hip" in meta.subject.lower()
    assert reader.trailer["/Root"].get("/Lang") == "en"


def test_patient_name_is_literal_text_not_markup(leaflet):
    _, pages = leaflet("hip-pain", "--patient", "Ann <b>Lee</b> & {{ 7*7 }}")
    assert "Ann <b>Lee</b> & {{ 7*7 }}" in flat(pages[0])


def test_no_patient_leaves_a_line_to_write_on(leaflet):
    _, pages = leaflet("hip-pain", "--date", "2026-12-01")
    assert "Prepared for: ____" in flat(pages[0])


def test_plan_option_is_printed(leaflet):
    _, pages = leaflet(*JANE, "--plan", "2/week x4, weekly")
    text = flat(" ".join(pages))
    assert "Your practitioner suggests: 2/week x4, weekly" in text
    assert "2 sessions a week for 4 weeks" in text and "1 session a week from then on" in text


def test_visit_file_gives_the_fields_and_options_override_it(leaflet, tmp_path):
    visit = tmp_path / "visit.yaml"
    visit.write_text("condition: hip-pain\npatient: Jane Doe\ndate: 2026-12-01\npoints: [GB30, BL40]\n", "utf-8")
    _, pages = leaflet("--visit", visit, "--patient", "Joan Roe")
    text = flat(" ".join(pages))
    assert "Joan Roe" in text and "Jane Doe" not in text
    assert "December 1, 2026" in text and "BL40" in text and "ST36" not in text


def test_default_date_is_today(leaflet):
    from datetime import date

    today = date.today()
    months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    _, pages = leaflet("hip-pain")
    assert f"{months[today.month - 1]} {today.day}, {today.year}" in flat(pages[0])


@pytest.mark.parametrize("command", [(), ("leaflet",)])
def test_help_has_an_example(run, command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.output and "handouts leaflet hip-pain" in result.output


def test_version(run):
    from handouts import __version__

    result = run("--version")
    assert result.exit_code == 0 and __version__ in result.output
