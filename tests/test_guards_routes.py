"""Issue 20's guards in `handouts check`: each planted mistake is reported with its file, line and field, and the
urgent-care box shows, sign by sign, whom to call (PDF and HTML)."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from handouts import check_content, load_library
from conftest import errors, flat, line_of, tree, warnings

BUNDLED = Path(load_library().files["clinic.yaml"].root)


def read(rel: str) -> str:
    return (BUNDLED / rel).read_text("utf-8")


HIP = read("conditions/hip-pain.yaml")
RULES = read("rules.yaml")
CLINIC = read("clinic.yaml")
LINT = read("lint.yaml")


def _cut(text: str, start: str, end: str) -> str:
    """text without the lines from the one starting with `start` up to (not including) the one starting with `end`."""
    i, j = text.index("\n" + start) + 1, text.index("\n" + end) + 1
    return text[:i] + text[j:]


# ---- every condition has urgent signs (at least two) and risks -------------------------------------------------


def test_a_condition_without_urgent_signs_or_risks_is_an_error_naming_the_file_and_field(tmp_path):
    text = _cut(_cut(HIP, "urgent:", "plan:"), "risks:", "plan:")
    found = errors(check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text})))
    assert any("hip-pain.yaml:" in e and "urgent" in e and "required" in e.lower() for e in found), found
    assert any("hip-pain.yaml:" in e and "risks" in e for e in found), found


def test_a_condition_with_one_urgent_sign_is_an_error(tmp_path):
    text = _cut(HIP, "  doctor-now:", "plan:")
    found = errors(check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text})))
    assert any("hip-pain.yaml:" in e and "urgent" in e and "at least two urgent signs" in e for e in found), found


def test_an_urgent_sign_under_an_unknown_route_is_an_error(tmp_path):
    text = HIP.replace("  doctor-now:\n", "  the-nurse:\n", 1)
    found = errors(check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text})))
    assert any(f"hip-pain.yaml:" in e and "urgent.the-nurse" in e for e in found), found


# ---- whom to call: the clinic is never the route for fever, infection, self-harm, chest or breathing, numbness --


@pytest.mark.parametrize("lang, sign", [
    ("en", {"en": "a fever after a session", "es": "algo raro", "zh": "不舒服"}),
    ("es", {"en": "something odd", "es": "fiebre después de una sesión", "zh": "不舒服"}),
    ("zh", {"en": "something odd", "es": "algo raro", "zh": "治疗后发烧"}),
    ("en", {"en": "a needle spot that turns red, hot or swollen", "es": "algo raro", "zh": "不舒服"}),
    ("es", {"en": "something odd", "es": "un punto de aguja que se pone rojo, caliente o hinchado", "zh": "不舒服"}),
    ("zh", {"en": "something odd", "es": "algo raro", "zh": "针眼红肿"}),
])
def test_a_fever_routed_to_the_clinic_is_an_error_in_each_language(tmp_path, lang, sign):
    planted = ("  clinic-today:\n"
               f"    - en: \"{sign['en']}\"\n      es: \"{sign['es']}\"\n      zh: \"{sign['zh']}\"\n")
    text = HIP.replace("plan:\n", planted + "plan:\n", 1)
    found = errors(check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text})))
    line = line_of(text, sign[lang])  # the line of the language that names the fever
    assert any(f"hip-pain.yaml:{line}:" in e and f"urgent.clinic-today[0].{lang}" in e and "cannot act on" in e
               for e in found), found


def test_a_rule_that_sends_a_fever_to_the_clinic_is_an_error(tmp_path):
    old = "Watch for redness, heat, pus or fever, and call us the same day if you see any."
    new = "Watch for redness, heat, pus or fever. If you see any, call your doctor or cancer team now, and tell us too."
    assert new in RULES
    text = RULES.replace(new, old)
    found = errors(check_content(tree(tmp_path, {"rules.yaml": text})))
    assert any(f"rules.yaml:{line_of(text, old)}:" in e and ".note.en" in e and ("'fever'" in e or "'pus'" in e) and "'call us'" in e
               for e in found), found
    assert not any("rules.yaml" in e and ".note." in e for e in errors(check_content()))


def test_a_sign_on_the_shared_clinic_tier_naming_numbness_is_an_error(tmp_path):
    # a clinic's own copy of when-to-call adds a block: its signs are held to the same rule
    shared = read("sections/when-to-call.yaml")
    added = ("  - call: clinic-today\n    heading: {en: \"Also call us:\", es: \"Llámenos también:\", zh: \"也请联系我们：\"}\n"
             "    items:\n      - {en: \"numbness in a hand\", es: \"una mano dormida\", zh: \"手麻\"}\n")
    text = shared + added
    found = errors(check_content(tree(tmp_path, {"sections/when-to-call.yaml": text})))
    assert any("when-to-call.yaml:" in e and "items[0].en" in e and "'numbness'" in e for e in found), found


# ---- sources: status, last checked, a guideline's lifetime: tests/test_registry.py (the registry of sources) -------


def test_the_acp_lifetime_is_in_lint_yaml_and_the_shipped_acp_guideline_is_marked_lapsed():
    library = load_library()
    acp = [library.sources[c.id] for c in library.conditions["low-back-pain"].sources
           if library.sources[c.id].body == "American College of Physicians"]
    assert acp and acp[0].status == "lapsed" and acp[0].status_on is not None and acp[0].checked is not None
    assert "American College of Physicians: 5" in LINT


# ---- a guideline against acupuncture is never left out of a summary of the evidence ------------------------------


def test_an_evidence_summary_that_leaves_out_a_guideline_against_acupuncture_is_an_error(tmp_path):
    short = HIP[HIP.index("evidence_short:"):]
    assert "A UK guideline does not recommend it." in short
    text = HIP.replace("needling, but there are few good studies of the hip itself. A UK guideline does not recommend it.",
                       "needling, but there are few good studies of the hip itself.")
    brochure = read("brochures/conditions/hip-pain.yaml").replace(", and the UK guideline (NICE NG226) recommends against it.", ".")
    assert brochure != read("brochures/conditions/hip-pain.yaml")
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text, "brochures/conditions/hip-pain.yaml": brochure}))
    found = errors(report)
    assert any(f"hip-pain.yaml:{line_of(text, 'evidence_short:')}:" in e and "evidence_short.en" in e
               and "NICE osteoarthritis guideline NG226" in e for e in found), found
    assert not any("evidence_short.es" in e or "evidence_short.zh" in e for e in found)
    assert any("brochures/conditions/hip-pain.yaml:" in e and "cover.en" in e for e in found), found


# ---- marketing follows the clinic's market ----------------------------------------------------------------------


def test_under_uk_claims_a_brochure_for_a_condition_off_the_uk_list_is_an_error(tmp_path):
    clinic = CLINIC.replace("claims: us", "claims: uk")
    found = errors(check_content(tree(tmp_path, {"clinic.yaml": clinic})))
    assert any("brochures/conditions/hip-pain.yaml:" in e and "claims: uk" in e and "hip-pain" in e for e in found), found
    assert not any("claims: uk" in e for e in errors(check_content()))  # the shipped clinic is in the US


def test_a_list_of_conditions_needs_each_ones_hedged_evidence_line(tmp_path):
    text = read("brochures/clinic.yaml").replace("list_conditions: false", "list_conditions: true")
    hip = HIP.replace('  en: "Studies suggest acupuncture may ease long-term pain a little more',
                      '  en: "Acupuncture eases long-term pain a little more')
    found = errors(check_content(tree(tmp_path, {"brochures/clinic.yaml": text, "conditions/hip-pain.yaml": hip})))
    assert any("brochures/clinic.yaml:" in e and "list_conditions" in e and "hip-pain" in e for e in found), found
    # under uk, every listed condition must be on the UK list
    clinic = CLINIC.replace("claims: us", "claims: uk")
    found = errors(check_content(tree(tmp_path, {"brochures/clinic.yaml": text, "clinic.yaml": clinic})))
    assert any("list_conditions" in e and "sciatica" in e and "UK advertising" in e for e in found), found


def test_the_clinic_brochure_names_no_bare_list_of_conditions(run, tmp_path):
    from conftest import pdf_text

    out = tmp_path / "clinic.pdf"
    result = run("brochure", "--format", "trifold", "-o", out)
    assert result.exit_code == 0, result.output
    text = flat(" ".join(pdf_text(out.read_bytes())))
    assert "Ask us about yours" in text
    assert "Plantar heel pain" not in text and "Period pain" not in text


# ---- Medicare: the facts of NCD 30.3.3, not only the words ---------------------------------------------------------


def test_a_medicare_line_that_overstates_coverage_is_an_error_naming_the_missing_facts(tmp_path):
    old = ('  - en: "Medicare Part B pays for acupuncture only for chronic low back pain, for up to 20 visits a year."\n'
           '    es: "Medicare Parte B paga la acupuntura solo para el dolor lumbar crónico: hasta 12 visitas en 90 días, y 8 más si '
           'va mejorando, pero no más de 20 al año. Usted paga su parte del costo (su deducible y su coseguro)."\n'
           '    zh: "联邦医疗保险（Medicare）B部分只支付慢性腰痛的针灸治疗：90天内最多12次，如果病情好转可再加8次，但每年不超过20次。您需要自付您那部分费用。"\n')
    text = CLINIC.replace("payment:\n", "payment:\n" + old, 1)
    found = errors(check_content(tree(tmp_path, {"clinic.yaml": text})))
    mine = [e for e in found if f"clinic.yaml:{line_of(text, 'for up to 20 visits a year')}:" in e]
    assert any("payment[0].en" in e and "12 visits in 90 days" in e and "8 more" in e and "share of the cost" in e
               for e in mine), found
    assert not any("payment[0].es" in e or "payment[0].zh" in e for e in found), found


# ---- the route reaches the patient: the urgent-care box, PDF and HTML ---------------------------------------------


def test_each_sign_prints_under_whom_to_call_in_the_pdf(leaflet):
    _, pages = leaflet("low-back-pain", "--flag", "immunocompromised", "--flag", "diabetes")
    text = flat(" ".join(pages))
    box = text[text.index("When to call us, and when to get urgent care"):text.index("Call 911 any time")]
    doctor = box.index("Call your doctor now (or 911) if you have:")
    clinic = box.index("Call us the same day")
    for sign in ("if your immune system is weak: redness, heat or pus", "if you have diabetes: a needle spot",
                 "back pain with a fever", "spreading redness, heat, pus or swelling at a needle spot, or a fever"):
        assert doctor < box.index(sign) < clinic, sign
    # the early sign of a pressed spinal nerve bundle before the late one, both after the emergency heading
    assert box.index("Get urgent care now") < box.index("new trouble peeing") < box.index("numbness between the legs")
    assert "call us the same day if you see any" not in text


def test_each_sign_is_inside_its_tier_in_the_html(run, tmp_path):
    out = tmp_path / "x.html"
    result = run("leaflet", "chemotherapy-nausea", "--flag", "immunocompromised", "-o", out)
    assert result.exit_code == 0, result.output
    html = out.read_text("utf-8")
    parts = re.findall(r'<div class="callout-part[^"]*">(.*?)</ul>\s*</div>', html, re.S)
    tiers = {re.sub(r"<[^>]+>", "", p).split(" if you have:")[0].strip()[:40]: p for p in parts}
    cancer = next(p for h, p in tiers.items() if "cancer team" in h)
    doctor = next(p for h, p in tiers.items() if h.startswith("Call your doctor now"))
    assert "a fever of 100.4°F (38°C) or more, or shivering" in cancer
    assert "if your immune system is weak" in doctor and "100.4" not in doctor
    assert html.count('class="callout-column"') == 2


# ---- testimonials: what patients generally achieve (FTC 16 CFR 255.2(b)) ------------------------------------------

TESTIMONIAL = ('testimonials:\n  - text: {en: "It helped my back.", es: "Me ayudó la espalda.", zh: "对我的背有帮助。"}\n'
               '    by: "Maria, Clifton"\n    consent_on: 2026-11-02\n')


def test_testimonials_with_only_results_vary_are_a_warning_naming_the_line_and_language(tmp_path):
    clinic = CLINIC.replace("hours: []\n", TESTIMONIAL + "hours: []\n", 1)
    assert clinic != CLINIC
    text = read("brochures/clinic.yaml")
    start = text.index("  results_vary:\n")
    end = text.index("  hours:", start)
    bare = ('  results_vary:\n    en: "These are one person\'s words. Results vary."\n'
            '    es: "Son las palabras de una persona. Los resultados varían. En promedio, la acupuntura ayudó un poco."\n'
            '    zh: "以上是个人的感受，效果因人而异。"\n')
    planted = text[:start] + bare + text[end:]
    found = warnings(check_content(tree(tmp_path, {"clinic.yaml": clinic, "brochures/clinic.yaml": planted})))
    hits = [w for w in found if "results_vary" in w]
    at = f"brochures/clinic.yaml:{line_of(planted, '  results_vary:')}:"
    assert any(at in w and "results_vary.en" in w and "generally achieve" in w for w in hits), found
    assert any(at in w and "results_vary.zh" in w for w in hits), hits
    assert not any("results_vary.es" in w for w in hits), hits  # the Spanish line says what patients achieve on average
    # the shipped line says it in every language: no warning with the same testimonial
    shipped = warnings(check_content(tree(tmp_path, {"clinic.yaml": clinic, "brochures/clinic.yaml": text})))
    assert not any("results_vary" in w for w in shipped), shipped


def test_testimonials_with_no_line_at_all_are_a_warning(tmp_path):
    clinic = CLINIC.replace("hours: []\n", TESTIMONIAL + "hours: []\n", 1)
    text = read("brochures/clinic.yaml")
    start = text.index("  results_vary:\n")
    planted = text[:start] + text[text.index("  hours:", start):]
    found = warnings(check_content(tree(tmp_path, {"clinic.yaml": clinic, "brochures/clinic.yaml": planted})))
    assert sum("results_vary" in w and "no line prints with them" in w for w in found) == 3, found


@pytest.mark.parametrize("condition", ["sciatica", "hip-pain"])  # sciatica has no brochure file, hip-pain has one
def test_under_uk_claims_a_condition_brochure_off_the_uk_list_is_refused_by_the_command(run, tmp_path, condition):
    folder = tree(tmp_path, {"clinic.yaml": CLINIC.replace("claims: us", "claims: uk")})
    out = tmp_path / "b.pdf"
    result = run("brochure", condition, "--format", "flyer", "--content", folder, "-o", out)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "claims: uk" in result.output and f"no claim for {condition}" in result.output and "low-back-pain" in result.output
    assert not out.exists()
    assert run("brochure", "low-back-pain", "--format", "flyer", "--content", folder, "-o", out).exit_code == 0
