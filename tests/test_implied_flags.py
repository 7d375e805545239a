"""A sheet whose every patient has a flag (`flags: [pregnant]` on a pregnancy sheet) applies its rules without --flag;
and the sheets of issue 21 (branch conditions2) keep their research line (opened by the evidence grade) and
sources on two pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import pdf_text, tree

from handouts import Visit, check_content, compose, load_library

LIBRARY = load_library()
BUNDLED = Path(LIBRARY.files["clinic.yaml"].root)
PREGNANCY_SHEETS = sorted(cid for cid, c in LIBRARY.conditions.items() if "pregnant" in c.flags)
GRADE_WORDS = LIBRARY.labels.words  # grade_<level>: the words that open the research line


def test_the_pregnancy_sheet_implies_the_flag():
    assert "pregnancy-back-pelvic-pain" in PREGNANCY_SHEETS


def test_a_pregnancy_sheet_refuses_a_cautioned_point_without_the_flag(run, tmp_path):
    out = tmp_path / "x.pdf"
    result = run("leaflet", "pregnancy-back-pelvic-pain", "--points", "GB30,SP6", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "SP6 (Sānyīnjiāo) is traditionally not used in pregnancy" in result.output
    assert "--allow-caution SP6" in result.output
    assert "(flag: pregnant, implied by the pregnancy-back-pelvic-pain sheet;" in result.output, "nobody typed --flag pregnant"
    typed = run("leaflet", "pregnancy-back-pelvic-pain", "--flag", "pregnant", "--points", "GB30,SP6", "-o", out)
    assert typed.exit_code == 1 and "(flag: pregnant; rule pregnancy-points" in typed.output


def test_a_pregnancy_sheet_prints_the_pregnancy_note_and_the_midwife_sign_without_the_flag(run, tmp_path):
    plain, flagged = tmp_path / "plain.pdf", tmp_path / "flagged.pdf"
    assert run("leaflet", "pregnancy-back-pelvic-pain", "-o", plain).exit_code == 0
    assert run("leaflet", "pregnancy-back-pelvic-pain", "--flag", "pregnant", "-o", flagged).exit_code == 0
    text = " ".join(" ".join(pdf_text(plain)).split())
    assert "Because you are or may be pregnant" in text
    assert "bleeding, cramps, or fluid leaking from the vagina" in text  # the pregnancy rule's midwife sign
    assert plain.read_bytes() == flagged.read_bytes()  # --flag pregnant adds nothing the sheet did not imply


@pytest.mark.parametrize("cid", [*PREGNANCY_SHEETS, "nausea-surgery-pregnancy", "fertility-ivf"])
def test_a_pregnancy_sheets_usual_points_pass_the_pregnancy_rules_by_construction(cid):
    """The sheets for pregnancy, and those a patient may read while pregnant (morning sickness; after a transfer)."""
    handout = compose(LIBRARY, Visit(condition=cid, flags=("pregnant",)))  # SafetyError if a usual point were cautioned
    assert handout.sections
    rules = {r.id: r for r in LIBRARY.rules.rules}
    regions = {reg for rid in ("pregnancy-points", "pregnancy-upper-abdomen", "pregnancy-ear-points")
               for reg in rules[rid].refuse.regions}
    for cp in LIBRARY.conditions[cid].points:  # the optional ones too: a practitioner may add them
        body = LIBRARY.points[cp.code].body
        assert body.region not in regions, (cp.code, body.region)
        assert "pregnancy" not in {c.kind for c in body.cautions}, cp.code


def test_check_names_an_unknown_implied_flag_with_its_file_and_the_fix(tmp_path):
    text = (BUNDLED / "conditions" / "pregnancy-back-pelvic-pain.yaml").read_text("utf-8")
    text = text.replace("flags: [pregnant]", "flags: [pregnnt]")
    found = [str(f) for f in check_content(tree(tmp_path, {"conditions/pregnancy-back-pelvic-pain.yaml": text})).errors]
    assert any("conditions/pregnancy-back-pelvic-pain.yaml" in f and "unknown flag 'pregnnt'" in f and "pregnant" in f
               for f in found), found


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
@pytest.mark.parametrize("cid", ["nausea-surgery-pregnancy", "depression", "pregnancy-back-pelvic-pain",
                                 "aromatase-joint-pain", "fertility-ivf", "smoking-cessation"])
def test_new_sheets_keep_their_research_line_and_sources_on_two_pages(run, tmp_path, cid, lang):
    out = tmp_path / "x.pdf"
    assert run("leaflet", cid, "--lang", lang, "-o", out).exit_code == 0
    pages = pdf_text(out)
    assert len(pages) == 2
    text = "".join(pages) if lang == "zh" else " ".join(" ".join(pages).split())
    words = GRADE_WORDS[f"grade_{LIBRARY.conditions[cid].grade.level}"][lang]  # the grade opens the research line
    assert words.replace(" ", "") in text.replace(" ", "").replace("\n", "")
    short = LIBRARY.sources[LIBRARY.conditions[cid].sources[0].id].short  # the registry's short name, first source
    assert short[lang].replace(" ", "") in text.replace(" ", "").replace("\n", "")


@pytest.mark.parametrize("lang,words", [("en", "to help with fertility and IVF support"), ("es", "apoyo durante la fertilidad y la FIV")])
def test_key_points_keep_an_acronym_in_the_title_in_capitals(run, tmp_path, lang, words):
    out = tmp_path / "x.pdf"
    assert run("leaflet", "fertility-ivf", "--lang", lang, "-o", out).exit_code == 0
    assert words in " ".join(pdf_text(out)[0].split())


@pytest.mark.parametrize("lang,words", [("en", "to help with what brought you in."),
                                        ("es", "para ayudar con: lo que le trae a la consulta."),
                                        ("zh", "我们针对您这次来就诊的问题")])
def test_the_first_visit_sheet_says_what_the_needles_are_for_in_its_own_words(run, tmp_path, lang, words):
    """`in_sentence:` replaces the title after "to help with": not "to help with your first visit"."""
    out = tmp_path / f"first-{lang}.pdf"
    assert run("leaflet", "first-visit", "--lang", lang, "-o", out).exit_code == 0
    text = "".join(pdf_text(out)) if lang == "zh" else " ".join(" ".join(pdf_text(out)).split())
    assert words in text
    assert "your first visit." not in text and "su primera visita." not in text
    hip = tmp_path / "hip.pdf"
    assert run("leaflet", "hip-pain", "-o", hip).exit_code == 0
    assert "to help with hip pain." in " ".join(" ".join(pdf_text(hip)).split())
