"""Techniques beside needles (issue 21): `--technique` adds a short block per technique, read back from the PDF in
en, es and zh, on a sheet that stays two pages; their urgent signs join the urgent-care box; their safety rules are data
in rules.yaml (cupping or gua sha with a blood thinner needs the practitioner's override, moxibustion with diabetes is
cautioned, electroacupuncture with a pacemaker is refused)."""

from __future__ import annotations

from pathlib import Path

import pytest

from handouts import load_library
from conftest import flat, pdf_text

LIBRARY = load_library()
TECHNIQUES = ("cupping", "moxibustion", "electroacupuncture", "gua-sha", "ear-seeds")
HEADING = {"en": "Also used today", "es": "También usamos hoy", "zh": "今天还使用了"}


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_every_technique_is_shipped_with_its_flag_and_sources():
    assert tuple(LIBRARY.techniques) == TECHNIQUES
    assert all(name in LIBRARY.rules.flags for name in TECHNIQUES)
    assert all(LIBRARY.sources[c.id].verified for c in LIBRARY.cites["techniques.yaml"])


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
@pytest.mark.parametrize("name", TECHNIQUES)
def test_each_technique_block_is_on_the_sheet_in_each_language_and_the_sheet_stays_two_pages(leaflet, name, lang):
    _, pages = leaflet("hip-pain", "--technique", name, "--lang", lang)
    assert len(pages) == 2
    text = squeeze(" ".join(pages))
    t = LIBRARY.techniques[name]
    for words in (HEADING[lang], t.name[lang], t.done[lang], t.feel[lang], t.aftercare[lang], t.risks[0][lang]):
        assert squeeze(words) in text, (name, lang, words)
    for route, signs in t.urgent.items():  # its urgent signs are in the urgent-care box, in this language
        assert all(squeeze(s[lang]) in text for s in signs), (name, lang, route)


def test_no_technique_no_block(leaflet):
    _, pages = leaflet("hip-pain")
    assert HEADING["en"] not in flat(" ".join(pages))


def test_two_techniques_each_get_a_block(leaflet):
    _, pages = leaflet("neck-pain", "--technique", "cupping,ear-seeds")
    text = flat(" ".join(pages))
    assert text.index("Cupping") < text.index("Ear seeds") and len(pages) == 2


@pytest.mark.parametrize("technique, flag", [("cupping", "anticoagulants"), ("cupping", "bleeding-disorder"),
                                              ("gua-sha", "anticoagulants")])
def test_cupping_or_gua_sha_with_a_blood_thinner_is_refused_without_the_override(run, tmp_path, technique, flag):
    out = tmp_path / "x.pdf"
    result = run("leaflet", "hip-pain", "--technique", technique, "--flag", flag, "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "not printed:" in result.output and f"rule {technique}-bleeding in rules.yaml" in result.output
    assert f"--allow-caution {technique}" in result.output and "Traceback" not in result.output


def test_cupping_with_a_blood_thinner_prints_with_the_override_and_says_so(run, tmp_path):
    out = tmp_path / "x.pdf"
    result = run("leaflet", "hip-pain", "--technique", "cupping", "--flag", "anticoagulants",
                 "--allow-caution", "cupping", "-o", out)
    assert result.exit_code == 0, result.output
    pages = pdf_text(out)
    text = flat(" ".join(pages))
    assert "Cupping with a blood thinner" in text
    assert "Your practitioner chose cupping knowing you take a blood thinner or bleed easily." in text
    assert "Today we put cups on your skin." in text and len(pages) == 2


def test_an_override_for_a_technique_not_refused_is_an_error(run, tmp_path):
    result = run("leaflet", "hip-pain", "--technique", "cupping", "--allow-caution", "cupping", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "--allow-caution cupping: no rule refuses cupping for this patient" in result.output


def test_electroacupuncture_with_a_pacemaker_is_refused_as_before(run, tmp_path):
    out = tmp_path / "x.pdf"
    result = run("leaflet", "hip-pain", "--technique", "electroacupuncture", "--flag", "pacemaker",
                 "--allow-caution", "electroacupuncture", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "rule pacemaker-electroacupuncture" in result.output and "Nothing overrides this rule" in result.output


def test_moxibustion_with_diabetes_is_cautioned_with_whom_to_call(leaflet):
    _, pages = leaflet("hip-pain", "--technique", "moxibustion", "--flag", "diabetes")
    text = flat(" ".join(pages))
    assert "Moxibustion with diabetes" in text and "may not feel heat well" in text
    assert "if you have diabetes: a blister or sore on a foot or leg where the warmth was" in text


def test_an_unknown_technique_names_the_closest(run, tmp_path):
    result = run("leaflet", "hip-pain", "--technique", "cuping", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert "--technique: unknown technique 'cuping'; did you mean 'cupping'?" in result.output


def test_the_batch_technique_column(run, tmp_path):
    visits = tmp_path / "visits.csv"
    visits.write_text("date,patient,condition,technique\n2026-12-01,Jane Doe,hip-pain,ear-seeds\n", "utf-8")
    out = tmp_path / "today"
    result = run("batch", visits, "--out-dir", out, "--jobs", "1")
    assert result.exit_code == 0, result.output
    (made,) = sorted(Path(out).glob("*.pdf"))
    assert "Today we put small seeds on sticky tape on points of your ear." in flat(" ".join(pdf_text(made)))
