"""Loading content: line numbers, YAML traps, aliases, overrides, protected sections."""

from __future__ import annotations

import pytest

from handouts import ContentError, load_library
from handouts.model import normalise_code
from handouts.library.yamlio import parse


@pytest.mark.parametrize("raw, code", [("LIV3", "LR3"), ("Liv 3", "LR3"), ("lr-3", "LR3"), ("TW5", "TE5"), ("SJ 5", "TE5"),
                                       ("Du20", "GV20"), ("Ren17", "CV17"), ("UB40", "BL40"), ("gb30", "GB30"), ("ex-hn 3", "EX-HN3"), ("ST036", "ST36")])
def test_aliases_normalise_to_who_codes(raw, code):
    assert normalise_code(raw) == code


def test_library_resolves_name_aliases():
    library = load_library()
    assert library.find_point("Yintang").code == "EX-HN3"
    assert library.find_point("liv 3").body.pinyin == "Tàichōng"


def test_yaml_keeps_meaning_of_values_yaml_1_1_would_retype():
    doc = parse("a: NO\nb: 00123\nc: 2024-02-30\nd: yes\ne: true\n", "t.yaml")
    assert doc.data == {"a": "NO", "b": "00123", "c": "2024-02-30", "d": "yes", "e": True}


@pytest.mark.parametrize("text, words", [
    ("a: !!python/object:os.system x\n", "not allowed"),
    ("a: &x [1]\nb: *x\n", "aliases"),
    ("a: 1\na: 2\n", "appears twice"),
    ("a: [1\n", "fix the YAML"),
])
def test_unsafe_or_broken_yaml_is_refused_with_the_line(text, words):
    with pytest.raises(ContentError) as info:
        parse(text, "t.yaml")
    assert words in str(info.value) and "t.yaml:" in str(info.value)


def test_alias_bomb_is_refused_quickly():
    bomb = 'a: &a ["lol","lol"]\n' + "".join(f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(20))
    with pytest.raises(ContentError, match="aliases"):
        parse(bomb, "bomb.yaml")


def test_override_replaces_one_file_and_keeps_the_rest(tmp_path):
    (tmp_path / "clinic.yaml").write_text("name: Harbor Acupuncture\nphone: 555-0100\naddress: [1 Pier Rd, Harbor Town]\n", "utf-8")
    library = load_library(tmp_path)
    assert library.clinic.name == "Harbor Acupuncture"
    assert "hip-pain" in library.conditions and "GB30" in library.points
    assert library.files["clinic.yaml"].label.endswith("clinic.yaml") and library.files["clinic.yaml"].root == str(tmp_path)


def test_override_cannot_remove_the_when_to_call_block(tmp_path):
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "when-to-call.yaml").write_text(
        "title: {en: Call us}\nreviewed: {by: Us, on: 2026-01-01}\nblocks:\n  - text: {en: Call our night line 555-0199.}\n", "utf-8")
    library = load_library(tmp_path)
    section = library.sections["when-to-call"]
    texts = [b.text["en"] for b in section.blocks if b.text] + [i["en"] for b in section.blocks for i in b.items]
    assert any("chest pain" in t for t in texts), "the bundled urgent-care items stay"
    assert any("555-0199" in t for t in texts), "the clinic's own block is added"


def test_unknown_point_in_a_condition_is_reported_with_line(tmp_path):
    (tmp_path / "conditions").mkdir()
    bundled = (load_library().files["conditions/hip-pain.yaml"])
    from pathlib import Path

    text = (Path(bundled.root) / "conditions" / "hip-pain.yaml").read_text("utf-8").replace("code: GB29", "code: ST99", 1)
    (tmp_path / "conditions" / "hip-pain.yaml").write_text(text, "utf-8")
    with pytest.raises(ContentError) as info:
        load_library(tmp_path)
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "ST99" in l)
    assert f"hip-pain.yaml:{line}: points[1].code: unknown point 'ST99'" in str(info.value)


def test_template_with_unknown_variable_names_file_and_field(tmp_path):
    from handouts import compose, make_visit

    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "what-to-expect.yaml").write_text(
        "title: {en: What to expect}\nreviewed: {by: Us, on: 2026-01-01}\nblocks:\n  - text: {en: 'Ask {{ clinic.fax }}'}\n", "utf-8")
    with pytest.raises(ContentError) as info:
        compose(load_library(tmp_path), make_visit({"condition": "hip-pain"}))
    assert "what-to-expect.yaml: blocks[0].text" in str(info.value) and "fax" in str(info.value)


def test_template_cannot_reach_python_internals(tmp_path):
    from handouts import compose, make_visit

    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "what-to-expect.yaml").write_text(
        "title: {en: What to expect}\nreviewed: {by: Us, on: 2026-01-01}\nblocks:\n"
        "  - text: {en: \"{{ clinic.__class__.__mro__ }}\"}\n", "utf-8")
    with pytest.raises(ContentError) as info:
        compose(load_library(tmp_path), make_visit({"condition": "hip-pain"}))
    assert "what-to-expect.yaml: blocks[0].text" in str(info.value)
