"""The clinician's review pack (issue 20): `handouts review` prints everything a sheet or brochure is built from,
en/es/zh side by side, with sources, hashes, approvals, the safety rules in plain words and a word diff of what
changed since the approval."""

from __future__ import annotations

import hashlib
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import flat, pdf_text
from handouts import load_library

BUNDLED = Path(load_library().files["clinic.yaml"].root)
HIP = "conditions/hip-pain.yaml"


@pytest.fixture
def clinic(tmp_path) -> Path:
    folder = tmp_path / "our-clinic"
    (folder / "conditions").mkdir(parents=True)
    shutil.copy(BUNDLED / "clinic.yaml", folder / "clinic.yaml")
    shutil.copy(BUNDLED / HIP, folder / HIP)
    return folder


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def edit(path: Path, *pairs: tuple[str, str]) -> None:
    text = path.read_text("utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    path.write_text(text, "utf-8")


def between(text: str, start: str, end: str) -> str:
    return text[text.index(start):text.index(end, text.index(start))]


PLANTED = (("Hip pain that disturbs sleep", "Hip pain that wakes you at night"), ("影响睡眠的髋部疼痛", "夜间痛醒的髋部疼痛"))


def test_the_pack_names_every_file_with_its_hash_and_approval_and_shows_a_planted_change(run, clinic, tmp_path):
    assert run("approve", "--sheet", "hip-pain", "--by", "Ana Ruiz, LAc", "--content", clinic, "--yes").exit_code == 0
    edit(clinic / HIP, *PLANTED)
    out = tmp_path / "review.pdf"
    result = run("review", "hip-pain", "--content", clinic, "-o", out)
    assert result.exit_code == 0, result.output
    text = flat(" ".join(pdf_text(out)))
    assert "Review pack: the hip-pain sheet" in text
    for rel in ("conditions/hip-pain.yaml", "points/GB.yaml", "points/BL.yaml", "rules.yaml", "labels.yaml",
                "sections/when-to-call.yaml"):
        assert rel in text
    assert sha(clinic / HIP) in text and sha(BUNDLED / "rules.yaml") in text  # full SHA-256s, as approve pins them
    assert f"approved by Ana Ruiz, LAc on {date.today().isoformat()}" in text
    assert f"changed since Ana Ruiz, LAc approved it on {date.today().isoformat()}" in text

    changes = between(text, "What changed since the last approval", "The safety rules in plain words")
    assert "conditions/hip-pain.yaml" in changes and "who_may_benefit[3].en" in changes and "who_may_benefit[3].zh" in changes
    assert "disturbs sleep" in changes and "wakes you at night" in changes  # removed and added words
    assert "影响睡眠" in changes and "夜间痛醒" in changes
    assert "disturbs sleep" not in text.replace(changes, "")  # the old words are only in the diff
    assert "points/GB.yaml" not in changes.split("Approved and unchanged")[0]  # unchanged files have no diff

    # the text as the patient reads it, three languages, and the sign-off line with the command to record it
    assert "Hip pain" in text and "Dolor de cadera" in text and "髋部疼痛" in text
    assert "GB30 Huántiào 环跳" in text and "on this sheet" in text
    assert "Name and credential:" in text and "Signature:" in text
    assert f'handouts approve --sheet hip-pain --by "Name, credential" --content "{clinic}"' in text


def test_the_pack_says_when_there_is_no_copy_of_the_approved_text(run, clinic, tmp_path):
    assert run("approve", "--sheet", "hip-pain", "--by", "Ana Ruiz, LAc", "--content", clinic, "--yes").exit_code == 0
    shutil.rmtree(clinic / "approved")  # as an approval made before copies were kept
    edit(clinic / HIP, *PLANTED)
    out = tmp_path / "review.pdf"
    assert run("review", "hip-pain", "--content", clinic, "-o", out).exit_code == 0
    changes = between(flat(" ".join(pdf_text(out))), "What changed since the last approval", "The safety rules in plain words")
    assert "there is no copy of the approved text" in changes and "disturbs sleep" not in changes


def test_sources_carry_their_status_and_the_safety_rules_are_in_plain_words(run, clinic, tmp_path):
    registry = (BUNDLED / "sources.yaml").read_text("utf-8")
    (clinic / "sources.yaml").write_text("nice-ng226-2022:" + registry.split("\nnice-ng226-2022:")[1].split("\n\n")[0]
                                         .replace("  type: guideline\n", "  type: guideline\n  status: superseded\n"
                                                  "  status_on: 2026-01-15\n") + "\n", "utf-8")
    out = tmp_path / "review.pdf"
    assert run("review", "hip-pain", "--content", clinic, "-o", out).exit_code == 0
    text = flat(" ".join(pdf_text(out)))
    assert "Never approved, so read all of their text below: conditions/hip-pain.yaml, labels.yaml" in text
    sources = between(text, "Sources of conditions/hip-pain.yaml", "labels.yaml")
    assert "Osteoarthritis in over 16s" in sources and "SUPERSEDED on 2026-01-15" in sources
    assert "[vickers-2018] Vickers AJ, Vertosick EA, Lewith G, et al. Acupuncture for chronic pain" in sources
    assert "https://doi.org/10.1016/j.jpain.2017.11.005" in sources and "current" in sources
    rules = between(text, "The safety rules in plain words", "conditions/hip-pain.yaml")
    assert "The sheet of a patient flagged pregnant (“Pregnant or may be pregnant”) is refused when one of its points" in rules
    assert "Nothing overrides this" in rules
    outcomes = rules[rules.index("What the rules do to this sheet"):]
    assert "GB30 (Huántiào)" in outcomes
    assert "pacemaker + electroacupuncture refused: electroacupuncture can disturb a pacemaker" in outcomes


def test_the_html_pack_has_the_same_parts_escaped_with_languages_marked(run, clinic, tmp_path):
    assert run("approve", "--sheet", "hip-pain", "--by", "Ana Ruiz, LAc", "--content", clinic, "--yes").exit_code == 0
    edit(clinic / HIP, ("Hip pain that disturbs sleep", "Hip pain <at night> & more"))
    out = tmp_path / "review.html"
    result = run("review", "hip-pain", "--content", clinic, "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<title>Review pack: the hip-pain sheet" in page
    assert "Hip pain <del>that disturbs sleep</del> <ins>&lt;at night&gt; &amp; more</ins>" in page
    assert "<at night>" not in page
    assert sha(clinic / HIP) in page and 'lang="zh-Hans">髋部疼痛</td>' in page and 'lang="es">Dolor de cadera</td>' in page
    assert "The safety rules in plain words" in page and "Name and credential:" in page


def test_a_brochure_pack_covers_the_brochure_files(run, clinic, tmp_path):
    out = tmp_path / "brochure.pdf"
    assert run("review", "--brochure", "hip-pain", "--content", clinic, "-o", out).exit_code == 0
    text = flat(" ".join(pdf_text(out)))
    assert "Review pack: the hip-pain brochure" in text and "brochures/conditions/hip-pain.yaml" in text
    assert "brochures/clinic.yaml" in text and "handouts approve --brochure hip-pain" in text
    assert "What the rules do to this sheet" not in text  # a brochure prints for no one patient


def test_review_errors_are_clear(run, clinic, tmp_path):
    out = tmp_path / "r.pdf"
    unknown = run("review", "hip-pian", "--content", clinic, "-o", out)
    assert unknown.exit_code == 1 and "unknown condition 'hip-pian'; did you mean 'hip-pain'?" in unknown.output
    unknown_brochure = run("review", "--brochure", "nope", "-o", out)
    assert unknown_brochure.exit_code == 1 and "--brochure: name `clinic` for the clinic brochure, or a condition; unknown condition 'nope'" in unknown_brochure.output
    assert run("review", "-o", out).exit_code == 2
    both = run("review", "hip-pain", "--all", "-o", out)
    assert both.exit_code == 2 and "one of the three" in both.output
    no_folder = run("review", "hip-pain", "--content", tmp_path / "missing", "-o", out)
    assert no_folder.exit_code == 1 and "missing is not a folder" in no_folder.output
    no_out_dir = run("review", "hip-pain", "-o", tmp_path / "nowhere" / "r.pdf")
    assert no_out_dir.exit_code == 1 and "does not exist" in no_out_dir.output
    for result in (unknown, unknown_brochure, both, no_folder, no_out_dir):
        assert "Traceback" not in result.output
    assert not out.exists()


def test_without_a_clinic_folder_the_pack_says_nothing_can_be_approved_yet(run, tmp_path):
    out = tmp_path / "r.pdf"
    assert run("review", "hip-pain", "-o", out).exit_code == 0
    text = flat(" ".join(pdf_text(out)))
    assert "none (bundled content only" in text and "never approved" in text and "--content DIR" in text


def test_same_content_same_day_same_bytes(clinic):
    from handouts.deliver.review import ReviewOptions, build_review

    day = date(2026, 12, 7)
    assert build_review(ReviewOptions("sheet", "hip-pain"), clinic, today=day) == \
        build_review(ReviewOptions("sheet", "hip-pain"), clinic, today=day)


def test_word_diff_keeps_changes_together_and_trims_long_unchanged_text():
    from handouts.review.worddiff import changes, word_diff

    assert word_diff("Hip pain that disturbs sleep", "Hip pain that wakes you at night") == (
        ("=", "Hip pain that "), ("-", "disturbs sleep"), ("+", "wakes you at night"))
    assert word_diff("影响睡眠的髋部疼痛", "夜间痛醒的髋部疼痛") == (("-", "影响睡眠"), ("+", "夜间痛醒"), ("=", "的髋部疼痛"))
    long = " ".join(f"w{i}" for i in range(100))
    runs = word_diff(long, long.replace("w50", "changed"))
    assert runs[0][1].startswith("… ") and "w41" not in runs[0][1] and "w42" in runs[0][1]
    assert runs[1:3] == (("-", "w50"), ("+", "changed")) and runs[3][1].endswith(" …")
    found = changes(["a: one\nb: [x, y]\n"], ["a: one two\nb: [x]\nc: new\n"])
    assert [(c.field, c.removed, c.added) for c in found] == [("a", "", "two"), ("c", "", "new"), ("b[1]", "y", "")]


ADDED_BLOCK = """title:
  en: When to call us, and when to get urgent care
  es: Cuándo llamarnos y cuándo buscar atención de urgencia
  zh: "何时联系我们，何时需要紧急就医"
reviewed: {by: Our clinic, on: 2026-12-01}
blocks:
  - heading: {en: "Our own line", es: "Nuestra línea", zh: "我们的专线"}
    text: {en: "Call our nurse line any day.", es: "Llame a nuestra enfermera cualquier día.", zh: "每天都可以拨打护士专线。"}
"""


def test_a_clinic_addition_to_a_protected_section_is_shown_and_diffed_as_the_clinics(run, clinic, tmp_path):
    (clinic / "sections").mkdir()
    added = clinic / "sections" / "when-to-call.yaml"
    added.write_text(ADDED_BLOCK, "utf-8")
    assert run("approve", "--sheet", "hip-pain", "--by", "Ana Ruiz, LAc", "--content", clinic, "--yes").exit_code == 0
    edit(added, ("any day", "on weekdays"))
    out = tmp_path / "review.pdf"
    assert run("review", "hip-pain", "--content", clinic, "-o", out).exit_code == 0
    text = flat(" ".join(pdf_text(out)))
    changes = between(text, "What changed since the last approval", "The safety rules in plain words")
    assert "the clinic’s additions: blocks[0].text.en" in changes and "any day" in changes and "on weekdays" in changes
    assert "bundled: block 1" in text and "the clinic’s additions: block 1" in text and "Call our nurse line on weekdays." in text


def test_a_character_no_bundled_font_draws_stops_the_pack_with_its_name(run, clinic, tmp_path):
    edit(clinic / HIP, ("Hip pain that disturbs sleep", "Hip pain that disturbs sleep \U0001F6CC"))
    out = tmp_path / "r.pdf"
    result = run("review", "hip-pain", "--content", clinic, "-o", out)
    assert result.exit_code == 1 and "no bundled font can draw" in result.output
    assert "conditions/hip-pain.yaml: who_may_benefit[3].en: has characters" in result.output and "U+1F6CC" in result.output
    assert "Traceback" not in result.output and not out.exists()


def test_review_all_covers_every_reviewed_file_and_no_settings(run, tmp_path):
    out = tmp_path / "all.html"
    assert run("review", "--all", "-o", out).exit_code == 0
    page = out.read_text("utf-8")
    for rel in ("points/HT.yaml", "conditions/insomnia.yaml", "brochures/clinic.yaml", "sections/risks.yaml"):
        assert f"<strong>{rel}</strong>" in page
    assert "<strong>clinic.yaml</strong>" not in page and "<strong>lint.yaml</strong>" not in page
    assert "Review pack: every content file" in page and "handouts approve FILE..." in page
