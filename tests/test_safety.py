"""Patient-aware cautions: refuse what is unsafe, say what the practitioner chose, add text for the patient."""

from __future__ import annotations

import pytest

from conftest import flat

from handouts import load_library


def test_pregnant_with_cautioned_points_is_refused_listing_points_and_fix(run, tmp_path):
    out = tmp_path / "x.pdf"
    result = run("leaflet", "hip-pain", "--flag", "pregnant", "--points", "GB30,GB21,SP6", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "GB21 (Jiānjǐng), SP6 (Sānyīnjiāo)" in result.output
    assert "traditionally not used in pregnancy" in result.output
    assert "--allow-caution GB21 --allow-caution SP6" in result.output


def test_pregnant_and_the_conditions_usual_points_are_checked_too(run, tmp_path):
    result = run("leaflet", "period-pain", "--flag", "pregnant", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "SP6" in result.output and "usual points of period-pain" in result.output


def test_lower_abdomen_region_is_cautioned_by_region(run, tmp_path):
    result = run("leaflet", "period-pain", "--flag", "pregnant", "--points", "CV4,SP8", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "CV4" in result.output


def test_allowed_caution_is_printed_beside_the_point(leaflet):
    _, pages = leaflet("hip-pain", "--flag", "pregnant", "--points", "GB30,GB21", "--allow-caution", "gb-21")
    text = flat(" ".join(pages))
    # said once, plainly (issue 9): the note beside the point, and a paragraph headed by the flag that does not contradict it
    assert "your practitioner chose it on purpose, with your pregnancy in mind. Ask us why." in text
    assert "Because you are or may be pregnant" in text and "unless your practitioner chose one on purpose" in text
    assert "We avoid points" not in text and "Not used in pregnancy" not in text
    assert "Call your midwife or obstetrician now (or 911) if you have: • bleeding, cramps" in text  # the flag's signs, in the box


def test_allow_caution_must_name_a_cautioned_point_of_today(run, tmp_path):
    result = run("leaflet", "hip-pain", "--flag", "pregnant", "--points", "GB30", "--allow-caution", "SP6", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "not one of today's points" in result.output
    result = run("leaflet", "hip-pain", "--points", "GB30", "--allow-caution", "GB30", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "no rule cautions this point" in result.output


def test_pacemaker_with_electroacupuncture_is_refused_without_override(run, tmp_path):
    result = run("leaflet", "hip-pain", "--flag", "pacemaker", "--flag", "electroacupuncture", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1
    assert "pacemaker" in result.output and "Nothing overrides this rule" in result.output


@pytest.mark.parametrize("flag", ["anticoagulants", "bleeding-disorder"])
def test_bleeding_risk_comes_first_in_the_risks_section(leaflet, flag):
    _, pages = leaflet("hip-pain", "--flag", flag)
    text = flat(" ".join(pages))
    risks = text.index("Risks and side effects")
    bleeding = text.index("press on it firmly for 5 minutes")
    general = text.index("A small bruise")  # the shared risks list ("usually safe" before it may be cut to fit)
    assert risks < bleeding < general
    assert "deep spots (hip, buttock)" in text[bleeding - 200:bleeding]  # issue 20: deep points need care


@pytest.mark.parametrize("flag, words", [
    ("pacemaker", "we do not use electroacupuncture"),
    ("needle-phobia", "ask us to stop at any time"),
    ("diabetes", "heal more slowly"),
    ("immunocompromised", "infection at a needle spot is more likely"),
])
def test_other_flags_add_their_paragraph(leaflet, flag, words):
    _, pages = leaflet("hip-pain", "--flag", flag)
    text = flat(" ".join(pages))
    heading = next(r.heading["en"] for r in load_library().rules.rules if r.id == flag)  # a heading that names the flag
    assert heading.startswith("Because ") and heading in text and words in text and "For you" not in text


def test_the_electroacupuncture_flag_prints_its_technique_block(leaflet):
    # issue 21: the flag names a technique of techniques.yaml, whose block (what was done, what you may feel,
    # aftercare, risks) replaced the flag's paragraph
    _, pages = leaflet("hip-pain", "--flag", "electroacupuncture")
    text = flat(" ".join(pages))
    assert "Also used today" in text and "a mild electric current between some of the needles" in text
    assert "Because we used electroacupuncture today" not in text and len(pages) == 2


def test_flags_in_a_visit_file_and_in_spanish(leaflet, tmp_path):
    visit = tmp_path / "v.yaml"
    visit.write_text("condition: hip-pain\nlang: es\nflags: [diabetes, anticoagulants]\n", "utf-8")
    _, pages = leaflet("--visit", visit)
    text = flat(" ".join(pages))
    assert "Porque tiene diabetes" in text and "Porque toma un anticoagulante" in text
    assert "apriételo fuerte 5 minutos" in text  # the blood-thinner paragraph, in its shorter Spanish (issue 23)


def test_unknown_flag_suggests(run, tmp_path):
    result = run("leaflet", "hip-pain", "--flag", "pregnat", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "did you mean 'pregnant'" in result.output


def test_check_validates_rules(tmp_path):
    from pathlib import Path

    from handouts import check_content, load_library

    bundled = Path(load_library().files["rules.yaml"].root) / "rules.yaml"
    text = bundled.read_text("utf-8").replace("when: [diabetes]", "when: [diabetic]").replace("  - id: pregnancy-points\n", "  - id: pregnancy-points\n    when_any: []\n")
    text = text.replace("      regions: [lower-abdomen, lumbosacral]\n", "      regions: [lower-abdomen, lumbosacral]\n      points: [ZZ9]\n")
    (tmp_path / "rules.yaml").write_text(text, "utf-8")
    found = [str(e) for e in check_content(tmp_path).errors]
    assert any("rules.yaml:" in e and "unknown flag 'diabetic'" in e for e in found)
    assert any("rules.yaml:" in e and "unknown point 'ZZ9'" in e for e in found)


def test_condition_urgent_signs_are_inside_the_urgent_care_box(leaflet):
    _, pages = leaflet("low-back-pain", "--date", "2026-12-01")
    text = flat(" ".join(pages))
    box = text.index("When to call us, and when to get urgent care")
    emergency = text.index("Get urgent care now")
    early = text.index("new trouble peeing")  # the early signs of a pressed spinal nerve bundle, not only the late ones
    late = text.index("numbness between the legs or around the bottom")
    doctor = text.index("Call your doctor now")
    fever = text.index("back pain with a fever")
    end = text.index("Call 911 any time")
    side_effects = text.index("A small bruise")
    assert side_effects < box < emergency < early < late < doctor < fever < end, "each sign under whom to call, in the box"


# ---- regions (issue 12) ----------------------------------------------------------------------


def test_a_point_spanning_regions_is_caught_by_every_region_it_lists(run, tmp_path):
    # EX-B2 (Jiaji, T1-L5) is filed under upper-back but also reaches the lumbosacral region,
    # which the pregnancy rule refuses, as it refuses BL23 at the same level.
    result = run("leaflet", "low-back-pain", "--flag", "pregnant", "--points", "EX-B2", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "EX-B2" in result.output and "--allow-caution EX-B2" in result.output
    result = run("leaflet", "low-back-pain", "--points", "EX-B2", "-o", tmp_path / "y.pdf")
    assert result.exit_code == 0, result.output


def test_every_listed_region_of_every_point_meets_the_rules():
    """Whatever regions a point lists, a rule naming any one of them catches the point."""
    from handouts import load_library
    from handouts.composition.safety import apply_rules

    library = load_library()
    region_rules = [r for r in library.rules.rules if r.refuse and r.refuse.regions and r.when]
    assert region_rules, "rules.yaml has no region rule to test"
    spanning = [p for p in library.points.values() if len(p.regions) > 1]
    assert any(p.code == "EX-B2" for p in spanning)
    for point in spanning:
        for rule in region_rules:
            if set(point.regions) & set(rule.refuse.regions):
                with pytest.raises(Exception) as caught:
                    apply_rules(library, tuple(rule.when), (), (point,), "test")
                assert point.code in str(caught.value)


def test_pregnancy_refuses_upper_abdomen_points_such_as_cv12(run, tmp_path, leaflet):
    # WHO 1999: upper abdomen avoided after the third month; the tool cannot know the month, so it asks.
    out = tmp_path / "x.pdf"
    result = run("leaflet", "chemotherapy-nausea", "--flag", "pregnant", "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "CV12" in result.output and "after the third month of pregnancy" in result.output
    assert "--allow-caution CV12" in result.output
    _, pages = leaflet("chemotherapy-nausea", "--flag", "pregnant", "--allow-caution", "CV12", name="ok.pdf")
    text = flat(" ".join(pages))
    assert "your practitioner chose it on purpose, with the stage of your pregnancy in mind" in text
    # bleeding, cramps or leaking fluid: the midwife or obstetrician now (their tier of the urgent-care box)
    midwife = text[text.index("Call your midwife or obstetrician now (or 911) if you have"):text.index("Call 911 any time")]
    assert "bleeding, cramps, or fluid leaking from the vagina" in midwife


def test_blood_thinner_sheet_sends_a_fast_growing_tense_swelling_to_urgent_care(leaflet):
    _, pages = leaflet("hip-pain", "--flag", "anticoagulants")
    text = flat(" ".join(pages))
    urgent = text[text.index("Get urgent care now"):text.index("Call us the same day")]  # the urgent tier, not the same-day one
    assert "a swelling at a needle spot that grows fast or feels tight" in urgent
