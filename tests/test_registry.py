"""The registry of sources (content/sources.yaml, issue 21): each planted mistake is reported by `handouts check` with
its file, line and the fix; the leaflet's source line, its evidence grade and the review pack read the registry."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from handouts import check_content, load_library
from handouts.errors import ContentError
from conftest import errors, flat, line_of, tree, warnings

BUNDLED = Path(load_library().files["clinic.yaml"].root)
REGISTRY = (BUNDLED / "sources.yaml").read_text("utf-8")
HIP = (BUNDLED / "conditions" / "hip-pain.yaml").read_text("utf-8")
LOW_BACK = (BUNDLED / "conditions" / "low-back-pain.yaml").read_text("utf-8")


def entry(sid: str) -> str:
    """The bundled registry's entry for one work, as text (for a clinic's own sources.yaml that changes it)."""
    return f"{sid}:" + REGISTRY.split(f"\n{sid}:")[1].split("\n\n")[0] + "\n"


def test_the_shipped_content_is_clean_and_every_citation_is_an_id_of_the_registry():
    report = check_content()
    assert not errors(report), errors(report)
    library = load_library()
    assert len(library.sources) >= 30
    for rel, cites in library.cites.items():
        assert cites and all(c.id in library.sources for c in cites), rel
    for cid, condition in library.conditions.items():
        assert condition.grade.level in ("strong", "moderate", "mixed", "weak", "none"), cid
        assert condition.grade.by in {c.id for c in condition.sources}, cid


def test_an_unknown_id_is_an_error_naming_the_file_line_and_a_close_id(tmp_path):
    text = HIP.replace("  - vickers-2018\n", "  - vickers-2019\n")
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text}))
    assert any(f"hip-pain.yaml:{line_of(text, 'vickers-2019')}:" in e and "unknown source 'vickers-2019'" in e
               and "did you mean 'vickers-2018'" in e and "sources.yaml" in e for e in errors(report)), errors(report)
    with pytest.raises(ContentError):  # and no sheet is printed from it
        load_library(tree(tmp_path, {}))


def test_an_unknown_grade_source_is_an_error(tmp_path):
    text = HIP.replace("by: cochrane-manheimer-2010", "by: nobody-2020")
    found = errors(check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text})))
    assert any(f"hip-pain.yaml:{line_of(text, 'nobody-2020')}:" in e and "grade.by: unknown source 'nobody-2020'" in e
               for e in found), found


@pytest.mark.parametrize("field, bad, says", [
    ("doi", "doi: 10.1016/j.jpain.2017.11.005", "doi: https://doi.org/10.1016/j.jpain.2017.11.005"),
    ("doi", "doi: 10.1016/j.jpain.2017.11.005", "doi: 10.10/jpain"),
    ("pmid", "pmid: 29198932", "pmid: PMID29198932"),
])
def test_a_malformed_doi_or_pmid_is_an_error_at_its_line(tmp_path, field, bad, says):
    assert bad in entry("vickers-2018")
    text = entry("vickers-2018").replace(bad, says)
    found = errors(check_content(tree(tmp_path, {"sources.yaml": text})))
    hint = "10.NNNN/suffix" if field == "doi" else "digits only"
    assert any(f"sources.yaml:{line_of(text, says)}:" in e and f"vickers-2018.{field}" in e and hint in e
               for e in found), found


def test_the_same_work_under_two_ids_is_an_error_whether_written_as_doi_or_address(tmp_path):
    twin = entry("vickers-2018").replace("vickers-2018:", "vickers-ipd-2018:").replace(
        "doi: 10.1016/j.jpain.2017.11.005", "url: https://doi.org/10.1016/J.JPAIN.2017.11.005")
    found = errors(check_content(tree(tmp_path, {"sources.yaml": twin})))
    assert any("sources.yaml:1:" in e and "vickers-ipd-2018: the same work as 'vickers-2018'" in e
               and "DOI 10.1016/j.jpain.2017.11.005" in e for e in found), found


def test_a_withdrawn_or_superseded_work_cited_is_an_error_at_the_citation(tmp_path):
    own = (entry("cochrane-manheimer-2010").replace("  type: systematic-review\n",
                                                    "  type: systematic-review\n  status: withdrawn\n  status_on: 2014-11-20\n")
           + entry("nice-ng226-2022").replace("  type: guideline\n", "  type: guideline\n  status: superseded\n"
                                                                    "  status_on: 2025-01-31\n"))
    found = errors(check_content(tree(tmp_path, {"sources.yaml": own})))
    assert any(f"hip-pain.yaml:{line_of(HIP, '- cochrane-manheimer-2010')}:" in e and "withdrawn on 2014-11-20" in e
               and "remove it" in e for e in found), found
    # `against: true` does not excuse it: a newer version of a guideline may say otherwise
    assert any(f"hip-pain.yaml:{line_of(HIP, 'nice-ng226-2022')}:" in e and "superseded on 2025-01-31" in e
               for e in found), found


def test_a_withdrawn_work_needs_the_date(tmp_path):
    own = entry("cochrane-manheimer-2010").replace("  type: systematic-review\n", "  type: systematic-review\n  status: withdrawn\n")
    found = errors(check_content(tree(tmp_path, {"sources.yaml": own})))
    assert any("sources.yaml:1:" in e and "status: withdrawn needs `status_on:`" in e for e in found), found


def test_a_lapsed_work_is_a_warning_and_a_guideline_past_its_lifetime_too(tmp_path):
    lapsed = entry("vickers-2018").replace("  type: systematic-review\n",
                                           "  type: systematic-review\n  status: lapsed\n  status_on: 2026-01-01\n")
    found = warnings(check_content(tree(tmp_path, {"sources.yaml": lapsed})))
    assert any(f"hip-pain.yaml:{line_of(HIP, '- vickers-2018')}:" in w and "'vickers-2018' has lapsed on 2026-01-01" in w
               for w in found), found
    old = "\n".join(line for line in entry("kolasinski-2020").splitlines() if not line.startswith("  checked:")) + "\n"
    old = old.replace("  type: guideline\n", "  type: guideline\n  body: American College of Physicians\n"
                                            "  published: 2019-12-06\n  checked: 2026-12-01\n")
    found = warnings(check_content(tree(tmp_path, {"sources.yaml": old}), today=date(2026, 12, 7)))
    assert any("sources.yaml:1:" in w and "5-year lifetime" in w and "2024-12-06" in w for w in found), found
    again = old.replace("  published: 2019-12-06\n", "  published: 2019-12-06\n  reaffirmed: 2025-06-01\n")
    assert not any("lifetime" in w for w in warnings(check_content(tree(tmp_path, {"sources.yaml": again}),
                                                                     today=date(2026, 12, 7))))


def test_too_few_sources_or_none_recent_is_an_error_unless_the_grade_is_weak(tmp_path):
    start = LOW_BACK.index("sources:\n")
    end = LOW_BACK.index("grade:")
    one = LOW_BACK[:start] + "sources:\n  - nice-ng59-2016\n" + LOW_BACK[end:]
    found = errors(check_content(tree(tmp_path, {"conditions/low-back-pain.yaml": one})))
    assert any(f"low-back-pain.yaml:{line_of(one, 'sources:')}:" in e and "sources: 1 work;" in e and "at least two" in e
               for e in found), found
    # two, but neither a current review or guideline from the last ten years (a trial, and a lapsed guideline)
    old = LOW_BACK[:start] + "sources:\n  - qaseem-2017\n  - tu-2024\n" + LOW_BACK[end:]
    old = old.replace("by: nice-ng59-2016", "by: tu-2024")
    assert any("low-back-pain.yaml:" in e and "none is a current systematic review or guideline from 2016 or later" in e
               for e in errors(check_content(tree(tmp_path, {"conditions/low-back-pain.yaml": old}))))
    # the same with the grade weak: the sheet says the evidence is thin, so nothing to add
    weak = one.replace("level: mixed", "level: weak")
    assert not any("low-back-pain.yaml:" in e and "sources" in e
                   for e in errors(check_content(tree(tmp_path, {"conditions/low-back-pain.yaml": weak}))))


def test_the_grade_names_a_work_the_sheet_cites_and_a_work_is_cited_once(tmp_path):
    text = HIP.replace("by: cochrane-manheimer-2010", "by: mcdonald-2017")
    found = errors(check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text})))
    assert any("hip-pain.yaml:" in e and "grade.by: 'mcdonald-2017'" in e and "is not under `sources:`" in e for e in found), found
    twice = HIP.replace("  - vickers-2018\n", "  - vickers-2018\n  - vickers-2018\n")
    found = errors(check_content(tree(tmp_path, {"conditions/hip-pain.yaml": twice})))
    assert any("hip-pain.yaml:" in e and "cites 'vickers-2018' twice" in e for e in found), found


def test_an_unverified_work_is_a_warning_and_a_verified_one_is_not(tmp_path):
    own = entry("vickers-2018").replace("  verified: true\n", "  verified: false\n")
    found = warnings(check_content(tree(tmp_path, {"sources.yaml": own})))
    assert any("sources.yaml:" in w and "vickers-2018: not confirmed against the original" in w for w in found), found
    own = own.replace("  verified: false\n", "  verified: true\n")
    found = warnings(check_content(tree(tmp_path, {"sources.yaml": own})))
    assert not any("vickers-2018: not confirmed" in w for w in found)


def test_the_old_inline_citation_is_refused_with_the_way_to_migrate(tmp_path):
    text = HIP.replace("  - vickers-2018\n", "  - cite: \"Vickers AJ, et al. Journal of Pain. 2018.\"\n")
    found = errors(check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text})))
    assert any("hip-pain.yaml:" in e and "cited by their id in sources.yaml" in e for e in found), found


def test_against_only_in_a_conditions_files(tmp_path):
    section = (BUNDLED / "sections" / "risks.yaml").read_text("utf-8").replace("  - white-2001\n",
                                                                              "  - {id: white-2001, against: true}\n")
    found = errors(check_content(tree(tmp_path, {"sections/risks.yaml": section})))
    assert any("risks.yaml:" in e and "`against: true`" in e for e in found), found


def test_the_leaflet_source_line_and_grade_come_from_the_registry(leaflet, tmp_path):
    own = entry("vickers-2018").replace('en: "Vickers et al., Journal of Pain 2018"', 'en: "Vickers and colleagues, 2018"')
    content = tree(tmp_path / "content", {"sources.yaml": own})
    text = flat(" ".join(leaflet("hip-pain", "--content", content)[1]))
    assert "Sources: ACR/Arthritis Foundation osteoarthritis guideline, 2019; NICE osteoarthritis guideline NG226, 2022; " \
           "Cochrane review, Manheimer 2010; Vickers and colleagues, 2018." in text
    assert "The evidence is weak: few or small studies. Studies suggest acupuncture may ease" in text


@pytest.mark.parametrize("lang, says", [
    ("en", "The evidence is moderate: some good studies. A research review found"),
    ("es", "La evidencia es moderada: algunos estudios buenos. Una revisión de estudios"),
    ("zh", "证据强度：中等（有一些高质量研究）。一项研究综述发现"),
])
def test_the_grade_opens_the_research_line_in_patient_words_in_each_language(leaflet, lang, says):
    pages = leaflet("migraine", "--lang", lang)[1]
    assert len(pages) == 2
    text = flat(" ".join(pages))
    assert (says.replace(" ", "") in text.replace(" ", "")) if lang == "zh" else (says in text), text
