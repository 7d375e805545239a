"""safety.apply_rules on its own: each part of a rule (caution, region, named points, allow: never) refuses by itself.

The CLI tests in test_safety.py show the sheet; these pin down the rules, one condition at a time, so that a
deleted check or a flipped comparison in safety.py makes a test fail (see tests/mutation/).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO
from handouts.library.load import load_library
from handouts.errors import SafetyError, VisitError
from handouts.composition.safety import Safety, apply_rules


@pytest.fixture(scope="module")
def library():
    return load_library()


def points(library, *codes):
    return tuple(library.find_point(c) for c in codes)


def check(library, codes, flags=(), allowed=(), points_from="--points"):
    return apply_rules(library, tuple(flags), tuple(allowed), points(library, *codes), points_from)


# ---- the bundled pregnancy rule, one part at a time -----------------------------------------


def test_the_region_points_used_here_carry_no_pregnancy_caution_of_their_own(library):
    # Otherwise the region tests below would pass on the caution alone.
    for code in ("BL23", "BL25", "GB28", "SP13"):
        point = library.points[code]
        assert not point.has_caution("pregnancy"), code
        assert point.body.region in ("lumbosacral", "lower-abdomen"), code
    assert not library.points["GB30"].has_caution("pregnancy") and library.points["GB30"].body.region not in (
        "lumbosacral", "lower-abdomen")


@pytest.mark.parametrize("code, region", [("BL23", "lumbosacral"), ("BL25", "lumbosacral"), ("GB28", "lower-abdomen"),
                                          ("SP13", "lower-abdomen")])
def test_a_point_is_refused_in_pregnancy_by_its_region_alone(library, code, region):
    with pytest.raises(SafetyError) as err:
        check(library, ["GB30", code], flags=["pregnant"])
    name = library.points[code].body.pinyin
    assert str(err.value) == (
        f"not printed: {code} ({name}) is traditionally not used in pregnancy (flag: pregnant; rule pregnancy-points in "
        f"rules.yaml), in --points. Choose other points with --points, or, if you chose it knowingly, add --allow-caution {code}")


def test_a_point_is_refused_in_pregnancy_by_its_own_caution_alone(library):
    point = library.points["LI4"]
    assert point.has_caution("pregnancy") and point.body.region not in ("lumbosacral", "lower-abdomen")
    with pytest.raises(SafetyError, match=r"not printed: LI4 \("):
        check(library, ["GB30", "LI4"], flags=["pregnant"])


def test_several_refused_points_are_listed_in_order_with_one_fix_each(library):
    with pytest.raises(SafetyError) as err:
        check(library, ["BL23", "GB30", "BL25"], flags=["pregnant"], points_from="the usual points of low-back-pain")
    text = str(err.value)
    assert text.startswith("not printed: BL23 (Shènshū), BL25 (Dàchángshū) are traditionally not used in pregnancy")
    assert "in the usual points of low-back-pain." in text
    assert text.endswith("if you chose them knowingly, add --allow-caution BL23 --allow-caution BL25")


def test_only_the_points_not_allowed_are_still_refused(library):
    with pytest.raises(SafetyError) as err:
        check(library, ["BL23", "BL25"], flags=["pregnant"], allowed=["BL23"])
    assert "not printed: BL25 (Dàchángshū) is " in str(err.value) and "BL23" not in str(err.value)


def test_region_points_are_fine_without_the_flag(library):
    safety = check(library, ["BL23", "BL25", "LI4"])
    assert safety == Safety()


def test_allowed_region_points_get_the_note_beside_them_and_the_pregnancy_paragraph(library):
    safety = check(library, ["BL23", "BL25", "GB30"], flags=["pregnant"], allowed=["bl-23", "UB25"])
    rule = library.rules.rules[0]
    assert rule.id == "pregnancy-points"
    assert safety.point_notes == {"BL23": ("pregnancy-points", rule.refuse.allowed_note),
                                  "BL25": ("pregnancy-points", rule.refuse.allowed_note)}
    assert safety.notes == [("pregnancy-points", rule.note)]
    assert safety.risk_first == []


def test_pregnant_with_safe_points_prints_with_the_paragraph_only(library):
    safety = check(library, ["GB30", "GB34"], flags=["pregnant"])
    assert safety.point_notes == {} and [r for r, _ in safety.notes] == ["pregnancy-points"]


def test_risk_first_and_notes_come_in_rule_order(library):
    safety = check(library, ["GB30"], flags=["diabetes", "anticoagulants", "pacemaker"])
    assert [r for r, _ in safety.risk_first] == ["bleeding"]
    assert [r for r, _ in safety.notes] == ["pacemaker", "diabetes"]
    assert safety.risk_first[0][1]["en"].startswith("Because you take a blood thinner")
    assert check(library, ["GB30"], flags=["bleeding-disorder"]).risk_first[0][0] == "bleeding"


# ---- flags and --allow-caution --------------------------------------------------------------


def test_an_unknown_flag_is_named_with_the_closest_and_the_list(library):
    with pytest.raises(VisitError) as err:
        check(library, ["GB30"], flags=["diabetes", "pregnnt"])
    flags = ", ".join(library.rules.flags)
    assert str(err.value) == f"--flag: unknown flag 'pregnnt'; did you mean 'pregnant'? the flags are {flags}"


def test_an_unknown_flag_without_a_close_one_gets_just_the_list(library):
    with pytest.raises(VisitError) as err:
        check(library, ["GB30"], flags=["zzz"])
    assert str(err.value) == f"--flag: unknown flag 'zzz'; the flags are {', '.join(library.rules.flags)}"


def test_allow_caution_of_a_point_not_used_today(library):
    with pytest.raises(VisitError) as err:
        check(library, ["GB34", "GB30"], flags=["pregnant"], allowed=["SP6"])
    assert str(err.value) == "--allow-caution SP6: not one of today's points (GB30, GB34); name a point you used"
    with pytest.raises(VisitError, match="--allow-caution XX99: not one of today's points"):
        check(library, ["GB30"], flags=["pregnant"], allowed=["XX99"])


def test_allow_caution_that_no_rule_needs_is_refused(library):
    with pytest.raises(VisitError) as err:
        check(library, ["GB30", "BL23"], flags=["pregnant"], allowed=["BL23", "GB30"])
    assert str(err.value) == "--allow-caution GB30: no rule cautions this point for this patient; remove it"
    with pytest.raises(VisitError, match="--allow-caution BL23: no rule cautions"):
        check(library, ["BL23"], allowed=["BL23"])  # not pregnant: the rule does not apply


def test_a_whole_visit_refusal_ignores_allow_caution(library):
    with pytest.raises(SafetyError) as err:
        check(library, ["GB30"], flags=["pacemaker", "electroacupuncture"])
    assert str(err.value).startswith("not printed: electroacupuncture can disturb a pacemaker")
    assert str(err.value).endswith("(flags: pacemaker + electroacupuncture; rule pacemaker-electroacupuncture in rules.yaml). "
                                   "Nothing overrides this rule")
    assert check(library, ["GB30"], flags=["electroacupuncture"]).notes[0][0] == "electroacupuncture"


# ---- a clinic's own rules: allow: never with named points, regions, when_any -----------------


CLINIC_RULES = """
reviewed: {by: test clinic, on: 2026-11-27}
sources:
  - who-1999
flags:
  pregnant: {en: Pregnant, es: Embarazada, zh: 怀孕}
  lymphoedema: {en: Lymphoedema of an arm, es: Linfedema de un brazo, zh: 上肢淋巴水肿}
  steroids: {en: Takes steroids, es: Toma esteroides, zh: 服用类固醇}
  frail: {en: Frail, es: Frágil, zh: 体弱}
  implant: {en: Leg implant, es: Implante en la pierna, zh: 腿部植入物}
rules:
  - id: arm-lymphoedema
    when: [lymphoedema]
    refuse:
      points: [LI4, li-11, PC6]
      allow: never
      reason: {en: not needled on an arm with lymphoedema, es: no se punciona en un brazo con linfedema, zh: 淋巴水肿的手臂不针刺}
  - id: steroid-back
    when_any: [steroids, frail]
    refuse:
      regions: [lumbosacral]
      reason: {es: no en la espalda baja, en: kept off the low back}
      allowed_note: {en: Chosen with care., es: Elegido con cuidado., zh: 谨慎选用。}
  - id: implant-es
    when: [implant]
    refuse:
      points: [ST36]
      allow: never
      reason: {es: no en la pierna del implante}
  - id: pregnancy-tone
    when: [pregnant, frail]
    note: {en: Rest after each session., es: Descanse después de cada sesión., zh: 每次治疗后休息。}
"""


@pytest.fixture(scope="module")
def clinic_library(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clinic")
    (folder / "rules.yaml").write_text(CLINIC_RULES, "utf-8")
    return folder, load_library(folder)


def test_allow_never_with_named_points_refuses_allow_caution(clinic_library):
    _, library = clinic_library
    with pytest.raises(SafetyError) as err:
        check(library, ["GB30", "LI11", "LI4"], flags=["lymphoedema"], allowed=["LI4"])
    assert str(err.value) == ("not printed: LI11 (Qūchí), LI4 (Hégǔ): not needled on an arm with lymphoedema "
                              "(flag: lymphoedema; rule arm-lymphoedema). Nothing overrides this rule; choose other points")
    with pytest.raises(SafetyError, match="Nothing overrides this rule; choose other points"):
        check(library, ["PC6"], flags=["lymphoedema"])


def test_a_reason_written_only_in_spanish_is_still_given(clinic_library):
    _, library = clinic_library
    with pytest.raises(SafetyError) as err:
        check(library, ["GB30", "ST36"], flags=["implant"])
    assert str(err.value).startswith("not printed: ST36 (")
    assert "): no en la pierna del implante (flag: implant; rule implant-es). Nothing overrides this rule" in str(err.value)


def test_allow_never_points_are_fine_when_not_used_or_without_the_flag(clinic_library):
    _, library = clinic_library
    assert check(library, ["GB30", "ST36"], flags=["lymphoedema"]) == Safety()
    assert check(library, ["LI4", "LI11"]) == Safety()


def test_a_clinic_region_rule_refuses_by_region_under_any_of_its_flags(clinic_library):
    _, library = clinic_library
    for flag in ("steroids", "frail"):
        with pytest.raises(SafetyError) as err:
            check(library, ["GB30", "BL23"], flags=[flag])
        assert str(err.value).startswith("not printed: BL23 (Shènshū) is kept off the low back (flag: steroids + frail; "
                                         "rule steroid-back in rules.yaml)")
    safety = check(library, ["GB30", "BL23"], flags=["frail"], allowed=["BL23"])
    assert safety.point_notes == {"BL23": ("steroid-back", {"en": "Chosen with care.", "es": "Elegido con cuidado.", "zh": "谨慎选用。"})}


def test_a_rule_with_when_needs_all_its_flags(clinic_library):
    _, library = clinic_library
    assert check(library, ["GB30"], flags=["pregnant"]).notes == []
    assert [r for r, _ in check(library, ["GB30"], flags=["pregnant", "frail"]).notes] == ["pregnancy-tone"]


def test_cli_refuses_allow_caution_on_a_never_rule_and_writes_nothing(run, clinic_library, tmp_path):
    folder, _ = clinic_library
    out = tmp_path / "x.pdf"
    result = run("leaflet", "hip-pain", "--content", folder, "--flag", "lymphoedema", "--points", "GB30,LI4",
                 "--allow-caution", "LI4", "-o", out)
    assert result.exit_code == 1, result.output
    assert "LI4 (Hégǔ): not needled on an arm with lymphoedema" in result.output
    assert "Nothing overrides this rule" in result.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


# ---- the CLI, the case the issue names ------------------------------------------------------


def test_low_back_pain_for_a_pregnant_patient_with_bl23_bl25_is_not_printed(run, tmp_path):
    out = tmp_path / "x.pdf"
    result = run("leaflet", "low-back-pain", "--flag", "pregnant", "--points", "BL23,BL25", "-o", out)
    assert result.exit_code == 1, result.output
    assert "BL23 (Shènshū), BL25 (Dàchángshū) are traditionally not used in pregnancy" in result.output
    assert "--allow-caution BL23 --allow-caution BL25" in result.output
    assert not out.exists()


def test_batch_row_with_region_points_for_a_pregnant_patient_fails_alone(run, tmp_path):
    visits = tmp_path / "v.csv"
    visits.write_text("condition,points,flags\nlow-back-pain,\"BL23,BL25\",pregnant\nlow-back-pain,\"GB30\",pregnant\n", "utf-8")
    out = tmp_path / "out"
    result = run("batch", visits, "--out-dir", out, "--jobs", "1", "--name", "{row}")
    assert result.exit_code == 1, result.output
    assert "row 2 (points): not printed: BL23 (Shènshū), BL25 (Dàchángshū) are traditionally not used in pregnancy" in result.output
    assert sorted(p.name for p in out.iterdir()) == ["3.pdf"]
