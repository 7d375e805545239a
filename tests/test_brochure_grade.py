"""Brochures print a condition's evidence grade (issue 21) in the leaflet's patient words (labels.yaml grade_*),
where they say what research shows: the condition brochure's research line and the clinic brochure's list of conditions."""

from __future__ import annotations

import io
from pathlib import Path

import pdfplumber
import pytest

from conftest import pdf_text
from handouts import load_library
from handouts.deliver.brochure import build_brochure
from handouts.design import print_geometry as geo
from handouts.render.pdf.brochure import BrochureOptions
from pagetext import squash

LIBRARY = load_library()


def grade_words(cid: str, lang: str) -> str:
    level = LIBRARY.conditions[cid].grade.level
    return LIBRARY.labels.words[f"grade_{level}"][lang]


def panel_texts(pdf: bytes, sheet: geo.Sheet) -> list[str]:
    """Each panel's text, read from its own part of the page, squashed (no spaces or line breaks)."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for index, page in enumerate(doc.pages):
            for panel in sheet.faces[index].panels:
                x0 = sheet.offset + panel.x
                out.append(squash(page.crop((x0, 0, x0 + panel.width, float(page.height))).extract_text() or ""))
    return out


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
@pytest.mark.parametrize("condition", ["hip-pain", "migraine", "neck-pain"])  # weak, moderate; with and without a brochure file
def test_the_research_line_opens_with_the_conditions_grade(condition, lang):
    options = BrochureOptions(format="trifold", page_size="letter")
    made = build_brochure(condition, options, lang=lang)
    research = squash(LIBRARY.labels.words["what_the_research_says"][lang])
    grade = squash(grade_words(condition, lang))
    panels = panel_texts(made.pdf, geo.sheet("trifold", "letter"))
    line = [p for p in panels if research in p]
    assert len(line) == 1, f"{condition} {lang}: the research line is on no panel, or on several"
    after = line[0][line[0].index(research) + len(research):]
    assert after.startswith(grade), (condition, lang, after[:80])
    # the grade says what the leaflet says: one level, never another's words
    others = [squash(grade_words_for(level, lang)) for level in ("strong", "moderate", "mixed", "weak", "none")
              if level != LIBRARY.conditions[condition].grade.level]
    assert not any(o in "".join(panels) for o in others)


def grade_words_for(level: str, lang: str) -> str:
    return LIBRARY.labels.words[f"grade_{level}"][lang]


def test_the_clinic_brochures_list_of_conditions_grades_each_one(run, tmp_path):
    bundled = Path(__file__).resolve().parent.parent / "content" / "brochures" / "clinic.yaml"
    folder = tmp_path / "clinic"
    (folder / "brochures").mkdir(parents=True)
    (folder / "clinic.yaml").write_text((bundled.parent.parent / "clinic.yaml").read_text("utf-8")
                                        + "\noffers: [hip-pain, migraine]\n", "utf-8")
    (folder / "brochures" / "clinic.yaml").write_text(
        bundled.read_text("utf-8").replace("list_conditions: false", "list_conditions: true"), "utf-8")
    out = tmp_path / "clinic.pdf"
    result = run("brochure", "--content", folder, "-o", out)
    assert result.exit_code == 0, result.output
    text = squash(" ".join(pdf_text(out)))
    for cid in ("hip-pain", "migraine"):
        title = squash(LIBRARY.conditions[cid].title["en"])
        assert title + ":" + squash(grade_words(cid, "en")) in text, cid
