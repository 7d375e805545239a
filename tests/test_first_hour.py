"""A new clinic's first hour, played from a fresh folder with the commands in the README's order (issue 25): set up,
sign off the hip-pain sheet, two patients' sheets, tomorrow's visits from a US spreadsheet with one bad row, the
rerun after fixing it, a brochure for the office printer and one for the print shop, and one patient's HTML page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import flat, pdf_text

README = (Path(__file__).resolve().parent.parent / "README.md").read_text("utf-8")
TEAM = ["--practitioner", "Mei Chen, L.Ac.", "--practitioner", "Sam Ortiz, L.Ac."]
HARBOR = ["--name", "Harbor Light Acupuncture", "--phone", "(207) 555-0142", "--address", "12 Wharf Street",
          "--address", "Portland, ME 04101", "--colour", "#1F4E9A", *TEAM, "--languages", "en",
          "--offers", "hip-pain,low-back-pain", "--booking-url", "https://harborlight.example/book",
          "--emergency-number", "911", "--crisis-line", "988"]
# As a US spreadsheet saves it: month first, no leading zeros; row 4 has a misspelt condition.
VISITS = """Date,Patient,Practitioner,Condition,Points
12/9/2026,Ada Park,"Mei Chen, L.Ac.",hip-pain,
12/9/2026,Ben Cole,"Mei Chen, L.Ac.",low-back-pain,
12/9/2026,Cara Diaz,"Sam Ortiz, L.Ac.",hip-pain,"GB30,GB29,BL40,ST36"
12/9/2026,Dan Egan,"Sam Ortiz, L.Ac.",hip-pian,
12/9/2026,Eve Fox,"Mei Chen, L.Ac.",low-back-pain,
"""


def text_of(path: Path) -> str:
    return flat(" ".join(pdf_text(path)))


def test_the_readme_walks_a_clinic_through_its_first_hour_in_this_order():
    guide = README[README.index("## Install"):README.index("## Commands")]  # the guide, after the two set-up lines
    commands = [line.strip() for block in re.findall(r"```sh\n(.*?)```", guide, flags=re.S) for line in block.splitlines()]
    steps = ["handouts init", "handouts approve --sheet", "handouts leaflet", "handouts batch", "handouts brochure",
             "--format html"]
    at = [next((i for i, line in enumerate(commands) if step in line), -1) for step in steps]
    assert -1 not in at, dict(zip(steps, at))
    assert at == sorted(at), dict(zip(steps, at))


def test_a_new_clinics_first_hour(run, tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.chdir(tmp_path)
    Image.new("RGB", (600, 200), "#1F4E9A").save("harbor-logo.png")

    # 1. Set up the clinic.
    made = run("init", "harbor", *HARBOR, "--logo", "harbor-logo.png")
    assert made.exit_code == 0, made.output
    assert "0 errors" in made.output

    # 2. The clinician signs off the hip-pain sheet, and the clinic brochure, in one step each.
    for what in (["--sheet", "hip-pain"], ["--brochure", "clinic"]):
        signed = run("approve", *what, "--by", "Mei Chen, L.Ac.", "--yes", "--content", "harbor")
        assert signed.exit_code == 0, signed.output

    # 3. Two patients' sheets, dated as the clinic writes dates.
    for patient, name in (("Ada Park", "ada.pdf"), ("Ben Cole", "ben.pdf")):
        sheet = run("leaflet", "hip-pain", "--patient", patient, "--practitioner", "Mei Chen, L.Ac.",
                    "--date", "12/8/2026", "--content", "harbor", "-o", name)
        assert sheet.exit_code == 0, sheet.output
        assert "printed as a draft" not in sheet.output
        text = text_of(tmp_path / name)
        assert patient in text and "Harbor Light Acupuncture" in text and "(207) 555-0142" in text
        assert "December 8, 2026" in text and "Clifton" not in text and "Draft" not in text
    # a sheet not yet signed says so on the command's own output
    unsigned = run("leaflet", "low-back-pain", "--date", "12/8/2026", "--content", "harbor", "-o", "lbp.pdf")
    assert unsigned.exit_code == 0 and "printed as a draft" in unsigned.output
    assert "handouts approve --sheet low-back-pain" in unsigned.output

    # 4. Tomorrow's visits from the spreadsheet: four sheets, and the bad row named with its fix.
    Path("visits.csv").write_text(VISITS, "utf-8")
    first = run("batch", "visits.csv", "--out-dir", "tomorrow", "--jobs", "1", "--content", "harbor")
    assert first.exit_code == 1
    assert re.search(r"row 5\b.*hip-pian.*did you mean 'hip-pain'", flat(first.output)), first.output
    assert "is not a date" not in first.output  # 12/9/2026 is read as the clinic writes it
    assert len(list(Path("tomorrow").glob("*.pdf"))) == 4

    # 5. Fixed and run again: the four finished sheets are already made, not failures.
    Path("visits.csv").write_text(VISITS.replace("hip-pian", "hip-pain"), "utf-8")
    again = run("batch", "visits.csv", "--out-dir", "tomorrow", "--jobs", "1", "--content", "harbor")
    assert again.exit_code == 0, again.output
    assert "5 of 5 ready" in again.output and "4 already made" in again.output and "0 failed" in again.output
    sheets = sorted(Path("tomorrow").glob("*.pdf"))
    assert len(sheets) == 5
    assert all("Harbor Light Acupuncture" in text_of(p) and "December 9, 2026" in text_of(p) for p in sheets)

    # 6. A brochure for the office printer and one for the print shop.
    office = run("brochure", "--format", "trifold", "--content", "harbor", "-o", "office.pdf")
    shop = run("brochure", "--format", "trifold", "--bleed", "0.125in", "--colour", "cmyk", "--content", "harbor",
               "-o", "shop.pdf")
    for result, name in ((office, "office.pdf"), (shop, "shop.pdf")):
        assert result.exit_code == 0, result.output
        assert "preflight passed" in result.output
        text = text_of(tmp_path / name)
        assert "Harbor Light Acupuncture" in text and "Clifton" not in text and "Draft" not in text
        assert "Insomnia" not in text and "Migraine" not in text  # nothing of what it does not offer

    # 7. One patient's page to e-mail.
    page = run("leaflet", "hip-pain", "--patient", "Ada Park", "--date", "12/8/2026", "--content", "harbor",
               "-o", "ada.html")
    assert page.exit_code == 0, page.output
    html = Path("ada.html").read_text("utf-8")
    assert 'lang="en"' in html and "Harbor Light Acupuncture" in html and "Ada Park" in html
    assert "Clifton" not in html


@pytest.mark.parametrize("order, typed, printed", [("mdy", "3/4/2026", "March 4, 2026"), ("dmy", "3/4/2026", "April 3, 2026")])
def test_the_clinics_date_order_decides_an_ambiguous_date(run, tmp_path, order, typed, printed):
    assert run("init", tmp_path / "c", *HARBOR, "--logo", "").exit_code == 0
    profile = tmp_path / "c" / "clinic.yaml"
    profile.write_text(profile.read_text("utf-8") + f"date_order: {order}\n", "utf-8")
    out = tmp_path / "x.pdf"
    assert run("leaflet", "hip-pain", "--date", typed, "--content", tmp_path / "c", "-o", out).exit_code == 0
    assert printed in text_of(out)
