"""literal.py: templates that only print a value are filled without Jinja, exactly as the sandbox fills them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from handouts.composition import literal, templates as text
from handouts.errors import ContentError

CONTEXT = {
    "clinic": {"phone": "555-0100", "name": "A & B <Care>", "items": "not the method", "crisis_line": None,
               "address": ("1 Main St",), "n": 3},
    "a": {"b": {"c": "deep"}},
    "practitioner": "Dr Roe",
    "n": 3,
    "none": None,
    "empty": "",
}
PIECES = ["{{ clinic.phone }}", "{{clinic.name}}", "{{ clinic.items }}", "{{ clinic.crisis_line }}", "{{ clinic.address }}",
          "{{ clinic.n }}", "{{ clinic.missing }}", "{{ a.b.c }}", "{{  a.b  }}", "{{ practitioner }}", "{{ n }}", "{{ none }}",
          "{{ empty }}", "{{ missing }}", "{{ range }}", "{{ clinic.phone|upper }}", "{{- practitioner -}}", "{% if n %}",
          "{% endif %}", "{# note #}", "{{", "}}", "{", "}", "{{ }}", "{{ 1 }}", " ", "call ", "x", "\n", "\r\n", "\r", "%",
          "。", "&", "<b>", "{n}", "{condition}", "{{{ n }}}", "{ {", "} }", "#", "{#"]


def outcome(fill, source: str):
    try:
        return "ok", fill(source, CONTEXT, "f.yaml: text.en")
    except ContentError as exc:
        return "error", exc.problems


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=8))
def test_any_template_fills_as_the_sandbox_fills_it(pieces):
    source = "".join(pieces)
    assert outcome(literal.fill, source) == outcome(text.fill, source)


@pytest.mark.parametrize("source, want", [
    ("Call {{ clinic.phone }} now.", "Call 555-0100 now."),
    ("{{clinic.name}} and {{ practitioner }}", "A & B <Care> and Dr Roe"),
    ("{{ a.b.c }}", "deep"),
    ("We used {n} points at {{ clinic.name }} for {condition}.", "We used {n} points at A & B <Care> for {condition}."),
])
def test_values_are_filled_without_the_sandbox(source, want, monkeypatch):
    assert literal._values_only(source, CONTEXT) == want
    monkeypatch.setattr(text, "fill", None)  # not called
    assert literal.fill(source, CONTEXT, "x") == want


@pytest.mark.parametrize("source", [
    "{{ clinic.items }}",  # Jinja finds dict.items (the method) before the key
    "{{ clinic.crisis_line }}",  # None: Jinja prints "None"
    "{{ n }}",  # a number
    "{{ missing }}", "{{ clinic.missing }}",  # Jinja reports them
    "{{ clinic.phone }}\n",  # Jinja drops a trailing newline
    "a\r\n{{ clinic.phone }}",  # and turns \r\n into \n
    "{% if n %}{{ clinic.phone }}{% endif %}", "{{ clinic.phone|upper }}", "{{- practitioner }}", "x } {{ n }}",
    "{{{ practitioner }}}", "a{{{ practitioner }}", "{{ practitioner }}}", "{# note #}{{ practitioner }}",
])
def test_anything_else_is_left_to_the_sandbox(source):
    assert literal._values_only(source, CONTEXT) is None


def test_an_output_over_the_limit_is_left_to_the_sandbox_which_refuses_it():
    big = {"v": "x" * 6000, "w": "y" * 4000}
    assert literal._values_only("{{ v }}", big) == "x" * 6000
    assert literal._values_only("{{ v }}{{ w }}", big) == "x" * 6000 + "y" * 4000  # exactly the limit: filled here
    assert literal._values_only("{{ v }}{{ v }}", big) is None
    with pytest.raises(ContentError, match="10,000"):
        literal.fill("{{ v }}{{ v }}", big, "f.yaml: text")
