"""What a clinic offers (issue 25, items 4 and 5): `languages:` and `offers:` in clinic.yaml narrow check,
approvals and listings to them, and a sheet or brochure outside them is refused with a message naming the setting."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import flat, pdf_text
from handouts import check_content, load_library

BUNDLED = Path(load_library().files["clinic.yaml"].root)

ENGLISH_ONLY = """\
name: Harbor Light Acupuncture
phone: (207) 555-0142
address: [12 Wharf Street, "Portland, ME 04101"]
colour: "#1F4E9A"
practitioners: [Mei Chen, L.Ac.]
team:
  - name: Mei Chen
    credentials: L.Ac.
    bio: {en: "Mei has treated pain and stress for ten years. She speaks English and Cantonese."}
hours:
  - en: "Monday to Friday, 9 to 6"
languages: [en]
offers: [hip-pain, low-back-pain, neck-pain]
"""


@pytest.fixture
def clinic(tmp_path) -> Path:
    folder = tmp_path / "harbor"
    folder.mkdir()
    (folder / "clinic.yaml").write_text(ENGLISH_ONLY, "utf-8")
    return folder


def _errors(folder: Path) -> list[str]:
    return [str(f) for f in check_content(folder).errors]


# ---- languages ------------------------------------------------------------------------------


def test_an_english_only_clinic_needs_no_spanish_or_chinese_bios_or_hours(clinic):
    assert _errors(clinic) == []


def test_without_the_setting_the_same_bios_and_hours_need_every_language(clinic):
    text = (clinic / "clinic.yaml").read_text("utf-8").replace("languages: [en]\n", "")
    (clinic / "clinic.yaml").write_text(text, "utf-8")
    errors = _errors(clinic)
    assert any("team[0].bio: no Spanish text" in e for e in errors), errors
    assert any("hours[0]: no Chinese (Simplified) text" in e for e in errors), errors


def test_a_sheet_in_a_language_the_clinic_does_not_offer_is_refused_naming_the_setting(run, clinic, tmp_path):
    out = tmp_path / "es.pdf"
    result = run("leaflet", "hip-pain", "--lang", "es", "--content", clinic, "-o", out)
    assert result.exit_code == 1
    assert "`languages:` in" in result.output and str(clinic / "clinic.yaml") in result.output
    assert "prints in English (en) only" in result.output and "Traceback" not in result.output
    assert not out.exists()
    assert run("leaflet", "hip-pain", "--content", clinic, "-o", tmp_path / "en.pdf").exit_code == 0


def test_a_brochure_in_a_language_the_clinic_does_not_offer_is_refused(run, clinic, tmp_path):
    result = run("brochure", "--lang", "zh", "--content", clinic, "-o", tmp_path / "zh.pdf")
    assert result.exit_code == 1
    assert "`languages:`" in result.output and "Chinese" in result.output
    assert not (tmp_path / "zh.pdf").exists()


def test_a_batch_row_in_a_language_not_offered_fails_alone(run, clinic, tmp_path):
    visits = tmp_path / "visits.csv"
    visits.write_text("patient,condition,date,lang\nAnn Lee,hip-pain,2026-12-08,en\nBo Diaz,hip-pain,2026-12-08,es\n", "utf-8")
    result = run("batch", visits, "--out-dir", tmp_path / "today", "--content", clinic)
    assert result.exit_code == 1
    assert "`languages:`" in result.output and "Bo Diaz" not in result.output  # the failing row, its patient unnamed
    assert len(list((tmp_path / "today").glob("*.pdf"))) == 1


def test_languages_must_be_known_codes_and_not_empty(clinic):
    path = clinic / "clinic.yaml"
    path.write_text(path.read_text("utf-8").replace("languages: [en]", "languages: [en, fr]"), "utf-8")
    assert any("languages[1]" in e and "en, es or zh" in e for e in _errors(clinic)), _errors(clinic)
    path.write_text(path.read_text("utf-8").replace("languages: [en, fr]", "languages: []"), "utf-8")
    assert any("languages" in e and "at least 1" in e for e in _errors(clinic)), _errors(clinic)


# ---- offers -----------------------------------------------------------------------------------


def test_list_conditions_shows_only_the_conditions_offered(run, clinic):
    result = run("list", "conditions", "--content", clinic)
    assert result.exit_code == 0
    ids = [line.split()[0] for line in result.output.splitlines()[1:]]
    assert ids == ["hip-pain", "low-back-pain", "neck-pain"]


def test_a_leaflet_for_a_condition_not_offered_is_refused_naming_the_setting(run, clinic, tmp_path):
    result = run("leaflet", "migraine", "--content", clinic, "-o", tmp_path / "m.pdf")
    assert result.exit_code == 1
    assert "migraine is not among the conditions Harbor Light Acupuncture offers" in flat(result.output)
    assert f"`offers:` in {clinic / 'clinic.yaml'}:13" in result.output
    assert "hip-pain, low-back-pain, neck-pain" in result.output
    assert not (tmp_path / "m.pdf").exists()


def test_a_condition_brochure_not_offered_is_refused(run, clinic, tmp_path):
    result = run("brochure", "sciatica", "--content", clinic, "-o", tmp_path / "s.pdf")
    assert result.exit_code == 1 and "`offers:`" in result.output


def test_the_clinic_brochure_lists_only_the_conditions_offered(run, clinic, tmp_path):
    # A list of conditions prints only when the brochure asks for it (each with its own evidence line, issue 20).
    bundled = Path(__file__).resolve().parent.parent / "content" / "brochures" / "clinic.yaml"
    (clinic / "brochures").mkdir(exist_ok=True)
    text = bundled.read_text("utf-8").replace("list_conditions: false", "list_conditions: true")
    (clinic / "brochures" / "clinic.yaml").write_text(text, "utf-8")
    out = tmp_path / "clinic.pdf"
    result = run("brochure", "--content", clinic, "-o", out)
    assert result.exit_code == 0, result.output
    text = flat(" ".join(pdf_text(out)))
    for title in ("Hip pain", "Low back pain", "Neck pain"):
        assert title in text
    for title in ("Migraine", "Sciatica", "Trouble sleeping", "Period pain"):
        assert title not in text


def test_never_approved_counts_only_the_files_of_conditions_offered(clinic):
    findings = [str(f) for f in check_content(clinic).warnings if "never approved" in f.message]
    assert len(findings) == 1, findings
    assert "conditions/hip-pain.yaml" in findings[0] and "conditions/migraine.yaml" not in findings[0]
    status = load_library(clinic).approval
    conditions = [f for f in status.never() if f.startswith(("conditions/", "brochures/conditions/"))]
    assert sorted(conditions) == ["brochures/conditions/hip-pain.yaml", "conditions/hip-pain.yaml",
                                  "conditions/low-back-pain.yaml", "conditions/neck-pain.yaml"]


def test_offers_must_name_conditions_the_content_has(clinic):
    path = clinic / "clinic.yaml"
    path.write_text(path.read_text("utf-8").replace("offers: [hip-pain,", "offers: [hip-pian,"), "utf-8")
    errors = _errors(clinic)
    assert any(":13: error: offers[0]: no condition 'hip-pian'" in e and "did you mean 'hip-pain'" in e for e in errors), errors


def test_without_offers_every_condition_is_offered(run, tmp_path):
    folder = tmp_path / "all"
    folder.mkdir()
    shutil.copy(BUNDLED / "clinic.yaml", folder / "clinic.yaml")
    result = run("list", "conditions", "--content", folder)
    assert len(result.output.splitlines()) - 1 == len(load_library().conditions)


def test_an_english_only_clinic_is_not_told_about_spanish_reading_levels_or_chinese_hedges(clinic):
    report = check_content(clinic)
    assert not [s for s in report.scores if s.lang != "en"]
    assert not [f for f in report.warnings if ".zh:" in f.message or ".es:" in f.message]
    everyone = check_content()
    assert [s for s in everyone.scores if s.lang == "es"]  # the bundled profile offers every language: they are checked


SPANISH_A4 = """\
name: Clínica Luz del Puerto
phone: +34 910 555 014
address: [Calle del Muelle 12, 28001 Madrid]
colour: "#1F4E9A"
page_size: a4
practitioners: [Mei Chen, L.Ac.]
team:
  - name: Mei Chen
    credentials: L.Ac.
    bio: {es: "Mei trata el dolor y el estrés desde hace diez años."}
hours:
  - es: "De lunes a viernes, de 9 a 18"
languages: [es]
offers: [hip-pain, low-back-pain, neck-pain]
"""


def test_a_spanish_only_a4_clinic_gets_spanish_a4_sheets_and_brochures_without_naming_either(run, tmp_path):
    import pdfplumber

    folder = tmp_path / "puerto"
    folder.mkdir()
    (folder / "clinic.yaml").write_text(SPANISH_A4, "utf-8")
    sheet, brochure = tmp_path / "hoja.pdf", tmp_path / "folleto.pdf"
    assert run("leaflet", "hip-pain", "--content", folder, "-o", sheet).exit_code == 0
    assert "Dolor de cadera" in flat(" ".join(pdf_text(sheet.read_bytes())))
    with pdfplumber.open(sheet) as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == (595, 842)  # A4
    result = run("brochure", "--format", "flyer", "--content", folder, "-o", brochure)
    assert result.exit_code == 0, result.output
    text = flat(" ".join(pdf_text(brochure.read_bytes())))
    assert "acupuntura" in text.lower() and "acupuncture" not in text.lower()
    with pdfplumber.open(brochure) as pdf:
        assert (round(pdf.pages[0].width), round(pdf.pages[0].height)) == (595, 842)
