"""text.py: the template environment (sandboxed, strict, no autoescape), its messages, escaping and cleaning typed text."""

from __future__ import annotations

import shutil

import pytest

from conftest import REPO, flat, pdf_text
from handouts.errors import ContentError
from handouts.text import clean, environment, escape, fill


def problems(source: str, **context) -> list[str]:
    with pytest.raises(ContentError) as err:
        fill(source, context, "f.yaml: text")
    return err.value.problems


def test_templates_fill_without_escaping():
    assert environment().autoescape is False
    assert fill("At {{ clinic.name }}: {{ n }}", {"clinic": {"name": "A & B <Care>"}, "n": 3}, "x") == "At A & B <Care>: 3"


def test_text_without_a_brace_is_returned_as_it_is():
    assert fill("50% & <b> %} }}\n", {}, "x") == "50% & <b> %} }}\n"  # Jinja would drop the trailing newline


def test_a_trailing_newline_is_not_kept():
    assert fill("{{ a }}\n", {"a": "x"}, "x") == "x"


def test_undefined_variables_are_errors_not_blanks():
    assert problems("Call {{ clinic.fax }}", clinic={"phone": "1"}) == [
        "f.yaml: text: template error: 'dict object' has no attribute 'fax'; use only the documented variables, "
        "e.g. {{ clinic.phone }}"]
    assert problems("{{ nope }}") == ["f.yaml: text: template error: 'nope' is undefined; use only the documented variables, "
                                      "e.g. {{ clinic.phone }}"]


def test_a_syntax_error_names_the_template_line_after_the_first():
    assert problems("one\n{{ a") == ["f.yaml: text: template error (template line 2): unexpected end of template, expected "
                                     "'end of print statement'.; use only the documented variables, e.g. {{ clinic.phone }}"]
    assert problems("{{ a")[0].startswith("f.yaml: text: template error: unexpected end of template")


def test_the_sandbox_refuses_reaching_out():
    assert problems("{{ ''.__class__.__mro__ }}") == [
        "f.yaml: text: the template reaches for something it may not (access to attribute '__class__' of 'str' object "
        "is unsafe.); use only the documented variables"]
    assert problems("{{ items.append(1) }}", items=[1])[0].startswith("f.yaml: text: the template reaches for something")
    assert problems("{% include 'x.yaml' %}") == ["f.yaml: text: templates may not include or import other files; write the text here"]
    assert problems("{{ 1/0 }}") == ["f.yaml: text: the template cannot be filled (ZeroDivisionError: division by zero); "
                                     "use only plain text and the documented variables"]


def test_escape_for_reportlab_markup():
    assert escape("A & B <i>x</i> &amp;") == "A &amp; B &lt;i&gt;x&lt;/i&gt; &amp;amp;"


@pytest.mark.parametrize("raw, want", [
    ("  Jane \t  Doe \n ", "Jane Doe"),
    ("a\tb", "a b"),
    ("a\nb", "a b"),
    ("Jo\u200bse\u00ad", "Jose"),  # format characters
    ("a\x00b\x1bc\x7f", "abc"),  # control characters
    ("a\ue000b", "ab"),  # private use
    ("a\ud800b", "ab"),  # a lone surrogate (cannot be encoded, let alone drawn)
    ("e\u0301", "\u00e9"),  # NFC
    ("a\u00a0b\u3000c", "a b c"),
])
def test_clean(raw, want):
    assert clean(raw) == want


def test_a_clinic_named_a_and_b_prints_a_and_b_through_a_template(run, tmp_path):
    content = tmp_path / "content"
    (content / "sections").mkdir(parents=True)
    clinic = (REPO / "content" / "clinic.yaml").read_text("utf-8")
    clinic = clinic.replace("name: Clifton Physical Therapy & Acupuncture", "name: A & B <Care> Acupuncture")
    assert "A & B <Care>" in clinic
    (content / "clinic.yaml").write_text(clinic, "utf-8")
    section = (REPO / "content" / "sections" / "what-to-expect.yaml").read_text("utf-8")
    first = "First, we ask about your health and medicines, and check how you move."
    assert first in section
    section = section.replace(first, "At {{ clinic.name }}, we ask about your health and medicines first.", 1)
    (content / "sections" / "what-to-expect.yaml").write_text(section, "utf-8")
    out = tmp_path / "x.pdf"
    # large print keeps every block (a two-page sheet may leave the in-session steps out to fit)
    result = run("leaflet", "hip-pain", "--large-print", "--content", content, "-o", out)
    assert result.exit_code == 0, result.output
    text = flat(" ".join(pdf_text(out)))
    assert "At A & B <Care> Acupuncture, we ask about your health" in text
    assert "&amp;" not in text and "&lt;" not in text
