"""`handouts check` and `handouts list`: each kind of problem caught with its file and line."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from handouts import check_content, load_library
from conftest import errors, line_of, tree

BUNDLED = Path(load_library().files["clinic.yaml"].root)
HIP = (BUNDLED / "conditions" / "hip-pain.yaml").read_text("utf-8")


def test_shipped_content_passes_its_own_check(run):
    result = run("check")
    assert result.exit_code == 0, result.output
    assert "0 errors" in result.output


def test_schema_error_with_file_and_line(tmp_path):
    text = HIP.replace("  - code: GB29\n", "  - cod: GB29\n")
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text}))
    assert any(f"hip-pain.yaml:{line_of(text, 'cod: GB29')}:" in e and "points[1].cod" in e for e in errors(report))


def test_unknown_point_reference(tmp_path):
    text = HIP.replace("code: GB29", "code: ST99")
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text}))
    assert any(f"hip-pain.yaml:{line_of(text, 'ST99')}:" in e and "unknown point 'ST99'" in e for e in errors(report))


def test_duplicate_ids(tmp_path):
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": HIP, "conditions/hip-pain.yml": HIP}))
    assert any("hip-pain.yml" in e and "duplicate" in e for e in errors(report))


def test_point_defined_twice_and_colliding_aliases(tmp_path):
    points = (
        "channel: {code: XT, name: {en: Test, es: Prueba, zh: 测试}}\n"
        "reviewed: {by: Test, on: 2026-11-01}\n"
        "sources: [who-2008]\n"
        "points:\n"
        "  GB30: {pinyin: Huántiào, hanzi: 环跳, english: Jumping Round}\n"
        "  XT1: {pinyin: Yī, hanzi: 一, english: One, aliases: [Yintang]}\n"
    )
    report = check_content(tree(tmp_path, {"points/XT.yaml": points}))
    found = errors(report)
    assert any("XT.yaml:5:" in e and "GB30 is defined twice" in e for e in found)
    assert any("XT.yaml:6:" in e and "alias 'Yintang'" in e for e in found)


def test_missing_translation(tmp_path):
    text = HIP.replace("  es: Dolor de cadera\n", "", 1)
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text}))
    assert any(f"hip-pain.yaml:{line_of(text, 'title:')}:" in e and "title: no Spanish text" in e for e in errors(report))


def test_character_no_font_can_draw(tmp_path):
    text = HIP.replace("  en: Hip pain\n", "  en: Hip pain \U0001F600\n", 1)
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text}))
    assert any("title.en: no font" in e and "U+1F600" in e for e in errors(report))


def test_risky_claims_in_each_language(tmp_path):
    text = (HIP.replace("Studies suggest acupuncture may ease", "Acupuncture will cure", 1)
               .replace("Los estudios sugieren", "Le garantiza que", 1)
               .replace("研究提示", "针灸可以根治，研究提示", 1))
    found = errors(check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text})))
    assert any("evidence.en: risky health claim 'cure'" in e for e in found)
    assert any("evidence.es: risky health claim 'garantiza'" in e for e in found)
    assert any("evidence.zh: risky health claim '根治'" in e for e in found)


def test_clinic_can_extend_the_claims_list(tmp_path):
    lint = (BUNDLED / "lint.yaml").read_text("utf-8").replace("miracle,", "miracle, detox,")
    text = HIP.replace("Keep moving gently", "Detox and keep moving gently", 1)
    found = errors(check_content(tree(tmp_path, {"lint.yaml": lint, "conditions/hip-pain.yaml": text})))
    assert any("risky health claim 'Detox'" in e for e in found)


def test_effect_claim_in_a_file_without_sources(tmp_path):
    section = (BUNDLED / "sections" / "what-to-expect.yaml").read_text("utf-8")
    start, end = section.index("sources:"), section.index("blocks:")
    section = section[:start] + section[end:]
    section = section.replace("You rest for about 15 to 30 minutes", "Resting relieves pain; you rest for about 15 to 30 minutes", 1)
    found = errors(check_content(tree(tmp_path, {"sections/what-to-expect.yaml": section})))
    assert any("what-to-expect.yaml:" in e and "claims an effect ('relieves')" in e for e in found)


def test_reading_level_too_high(tmp_path):
    hard = ("Osteoarthritic degeneration of the acetabulofemoral articulation precipitates considerable "
            "symptomatology, necessitating multidisciplinary therapeutic interventions incorporating "
            "physiotherapeutic rehabilitation.")
    text = HIP.replace("Hip pain can come from the joint, as in arthritis, or from the muscles, tendons and nerves", hard, 1)
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text}))
    failing = [s for s in report.scores if s.status == "fail" and s.lang == "en"]
    assert any(s.block == "overview" and s.where.endswith(f":{line_of(text, 'overview:')}") for s in failing)


def test_pinyin_and_codes_do_not_count_toward_reading_level():
    from handouts.review.check import _for_scoring

    assert _for_scoring("Needles at GB30 (Huántiào) and EX-HN3 go in {{ clinic.name }} gently.", None) == "Needles at and go in gently."
    assert _for_scoring("Está en la línea de Zúsānlǐ.", None, "es") == "Está en la línea de"


def test_review_older_than_24_months_warns(tmp_path):
    text = HIP.replace("on: 2026-11-27}", "on: 2023-01-15}", 1)
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text}), today=date(2026, 11, 27))
    assert any("hip-pain.yaml:" in str(w) and "last reviewed 2023-01-15" in str(w) for w in report.warnings)
    assert not any("last reviewed" in e for e in errors(report))


def test_check_cli_reports_and_exits_1(run, tmp_path):
    text = HIP.replace("code: GB29", "code: ST99")
    result = run("check", "--content", tree(tmp_path, {"conditions/hip-pain.yaml": text}))
    assert result.exit_code == 1
    assert "unknown point 'ST99'" in result.output and "error" in result.output


def test_list_conditions_in_chinese(run):
    result = run("list", "conditions", "--lang", "zh")
    assert result.exit_code == 0
    assert "hip-pain" in result.output and "髋部疼痛" in result.output and "GB30" in result.output
    assert len([l for l in result.output.splitlines() if l.strip()]) >= 13


def test_list_points_by_channel(run):
    result = run("list", "points", "--channel", "GB")
    lines = result.output.splitlines()
    assert result.exit_code == 0 and len(lines) == 45  # header + GB1..GB44
    assert any(l.startswith("GB30") and "Huántiào" in l and "环跳" in l for l in lines)
    assert run("list", "points", "--channel", "XX").exit_code == 1


def test_atlas_has_all_standard_points():
    library = load_library()
    counts = {}
    for point in library.points.values():
        counts[point.channel] = counts.get(point.channel, 0) + 1
    assert {k: v for k, v in counts.items() if k != "EX"} == {
        "LU": 11, "LI": 20, "ST": 45, "SP": 21, "HT": 9, "SI": 19, "BL": 67, "KI": 27,
        "PC": 9, "TE": 23, "GB": 44, "LR": 14, "GV": 28, "CV": 24}
    for code in ("LI4", "SP6", "BL60", "BL67", "GB21"):
        assert library.points[code].has_caution("pregnancy"), code
    for alias, code in (("LIV3", "LR3"), ("TW5", "TE5"), ("Ren17", "CV17"), ("Du20", "GV20"), ("Yintang", "EX-HN3")):
        assert library.find_point(alias).code == code


def test_condition_without_sources(tmp_path):
    start = HIP.index("sources:\n")
    end = HIP.index("overview:\n")
    text = HIP[:start] + "sources: []\n" + HIP[end:]
    found = errors(check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text})))
    assert any(f"hip-pain.yaml:{line_of(text, 'sources: []')}: error: sources: needs at least 1 entry" in e for e in found)


@pytest.mark.parametrize("template, words", [("{{ clinic.fax }}", "fax"), ("{{ clinic.__class__ }}", "__class__"),
                                             ("{% include '/etc/passwd' %}", "may not include")])
def test_check_refuses_bad_templates_with_file_and_line(tmp_path, template, words):
    section = (BUNDLED / "sections" / "what-to-expect.yaml").read_text("utf-8")
    text = section.replace("You rest for about 15 to 30 minutes", f"Rest {template} for 15 to 30 minutes", 1)
    found = errors(check_content(tree(tmp_path, {"sections/what-to-expect.yaml": text})))
    assert any("what-to-expect.yaml:" in e and words in e for e in found), found


def test_check_reports_a_used_point_without_body_map_position(run, tmp_path):
    import re

    source = (BUNDLED / "points" / "GB.yaml").read_text("utf-8")
    start = source.index("  GB30:\n")
    text = source[:start] + re.sub(r"    map: \{[^\n]*\}\n", "", source[start:], count=1)
    result = run("check", "--content", tree(tmp_path, {"points/GB.yaml": text}))
    assert result.exit_code == 1
    assert "GB.yaml:" in result.output and "GB30 (used by conditions/hip-pain.yaml" in result.output and "body-map position" in result.output


# ---- guards from the content review (issue 12) -----------------------------------------------


def test_shipped_content_cites_no_withdrawn_review():
    library = load_library()
    cited = [library.sources[c.id] for cond in library.conditions.values() for c in cond.sources]
    assert not any("CD002285" in w.cite() for w in cited), "Cochrane CD002285 (Ezzo 2006) was withdrawn in 2014"
    assert all(w.status not in ("withdrawn", "superseded") for w in cited)


def test_a_hedge_lost_in_translation_is_a_warning_naming_file_and_field(tmp_path):
    assert HIP.count("y puede que no ayude a todos.") == 1
    text = HIP.replace("y puede que no ayude a todos.", "y no ayuda a todos.")
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text}))
    hedges = [str(w) for w in report.warnings if "hedge" in w.message]
    assert any("hip-pain.yaml:" in w and "how_it_may_help[0].es" in w for w in hedges), hedges
    assert not any("how_it_may_help[0].zh" in w for w in hedges)
    assert not any("hip-pain" in str(w) and "hedge" in w.message for w in check_content().warnings)


def test_urgent_wording_outside_an_urgent_block_is_a_warning(tmp_path):
    text = HIP.replace("    - en: If you feel no change after 6 to 8 sessions, we will talk about whether to go on.",
                       "    - en: If you get a fever after a session, tell us.")
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text}))
    urgent = [str(w) for w in report.warnings if "urgent wording" in w.message]
    assert any("hip-pain.yaml:" in w and "plan.details[0].en" in w and "'fever'" in w for w in urgent), urgent
    # the same words inside `urgent:` are where they belong
    assert not any("urgent." in w for w in urgent)


def test_crisis_line_comes_from_the_clinic_profile(tmp_path, leaflet, run):
    from conftest import flat, pdf_text

    _, pages = leaflet("stress", "--lang", "en")
    assert "you can also call the crisis line, 988, day or night" in flat(" ".join(pages))
    clinic = (BUNDLED / "clinic.yaml").read_text("utf-8").replace('crisis_line: "988"', 'crisis_line: "116 123"')
    folder = tree(tmp_path / "uk", {"clinic.yaml": clinic})
    out = tmp_path / "uk.pdf"
    assert run("leaflet", "stress", "--content", folder, "-o", out).exit_code == 0
    text = flat(" ".join(pdf_text(out)))
    assert "116 123" in text and "988" not in text


# ---- the clinic's own files first, the bundled content's warnings folded (issue 25, item 6) ----------------------


def test_bundled_warnings_are_folded_into_one_line_and_shown_with_bundled(run):
    report = check_content()
    bundled = [w for w in report.warnings if w.bundled]
    assert bundled and all(not f.where.startswith("approvals.json") for f in bundled)
    result = run("check")
    assert result.exit_code == 0, result.output
    for finding in (f for f in report.findings if f.bundled):
        assert str(finding) not in result.output
    assert f"{len(bundled)} warnings about content shipped with handouts, not shown (`handouts check --bundled` lists them)" \
        in result.output
    assert f"0 errors, {len(report.warnings) - len(bundled)} warning" in result.output
    assert "approvals.json: warning:" in result.output, "approval is the clinic's to act on: never folded"

    shown = run("check", "--bundled")
    assert shown.exit_code == 0 and "not shown" not in shown.output
    for finding in (f for f in report.findings if f.bundled):
        assert str(finding) in shown.output
    assert f"0 errors, {len(report.warnings)} warnings." in shown.output


def test_the_clinic_s_own_files_come_first(run, tmp_path):
    text = HIP.replace("on: 2026-11-27}", "on: 2020-01-15}", 1)
    folder = tree(tmp_path, {"conditions/hip-pain.yaml": text})
    result = run("check", "--content", folder, "--bundled")
    assert result.exit_code == 0, result.output
    own = result.output.index("last reviewed 2020-01-15")
    assert own < result.output.index("Content shipped with handouts (to change a file, copy it into your content folder):")
    folded = run("check", "--content", folder)
    assert "last reviewed 2020-01-15" in folded.output and "about content shipped with handouts, not shown" in folded.output
    assert "Content shipped with handouts" not in folded.output
    scores = run("check", "--content", folder, "--scores")
    table = scores.output.split("Reading level", 1)[1]
    assert "hip-pain.yaml:" in table and "points/CV.yaml" not in table, "--scores lists the clinic's own blocks"
    assert "points/CV.yaml" in run("check", "--content", folder, "--scores", "--bundled").output


def test_errors_in_bundled_files_are_never_folded(run, tmp_path):
    lint = (BUNDLED / "lint.yaml").read_text("utf-8").replace("  en: [cure, cures,", "  en: [may help, cure, cures,", 1)
    assert "may help" in lint
    result = run("check", "--content", tree(tmp_path, {"lint.yaml": lint}))
    assert result.exit_code == 1
    assert "Content shipped with handouts" in result.output
    import re

    assert re.search(r"^labels\.yaml:\d+: error: words\.\w+\.en: risky health claim 'may help'", result.output, re.M)
