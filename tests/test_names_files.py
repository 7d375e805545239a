"""names.py: --name patterns (a trailing .pdf, every error), and file names cut to the byte for any file system."""

from __future__ import annotations

import pytest

from handouts.library.file_names import DEFAULT_PATTERN, PatternError, check_pattern, fill, safe_name, unique

FIELDS = "{date}, {patient}, {condition}, {practitioner}, {lang}, {row}"


@pytest.mark.parametrize("pattern, want", [
    ("{date}-{patient}.pdf", "{date}-{patient}"),
    ("{date}-{patient}.PDF", "{date}-{patient}"),
    ("  {row}.Pdf  ", "{row}"),
    ("{row}.pdf.pdf", "{row}.pdf"),
    ("{row}-pdf", "{row}-pdf"),
    (DEFAULT_PATTERN, "{date}-{patient}-{condition}"),
    ("visit {{{row}}}", "visit {{{row}}}"),
])
def test_check_pattern(pattern, want):
    assert check_pattern(pattern) == want


@pytest.mark.parametrize("pattern, message", [
    ("", "--name: is empty; use fields such as {date}-{patient}-{condition}"),
    (".pdf", "--name: is empty; use fields such as {date}-{patient}-{condition}"),
    ("  .PDF ", "--name: is empty; use fields such as {date}-{patient}-{condition}"),
    ("{patient", "--name: expected '}' before end of string; write fields in braces, e.g. {date}-{patient}-{condition}, "
                 "and double a literal brace"),
    ("{nope}.pdf", f"--name: {{nope}} is not a field; the fields are {FIELDS}"),
    ("{}", f"--name: {{}} is not a field; the fields are {FIELDS}"),
    ("{patient.__class__}", f"--name: {{patient.__class__}} is not a field; the fields are {FIELDS}"),
    ("{{x}}-{nope}", f"--name: {{nope}} is not a field; the fields are {FIELDS}"),  # checked after literal braces too
    ("{row}{{-{date:%Y}", "--name: {date} takes no format or conversion; write just {date}"),
    ("{patient:>40}", "--name: {patient} takes no format or conversion; write just {patient}"),
    ("{row!r}", "--name: {row} takes no format or conversion; write just {row}"),
])
def test_bad_patterns_are_usage_errors_naming_the_fix(pattern, message):
    with pytest.raises(PatternError) as err:
        check_pattern(pattern)
    assert str(err.value) == message and err.value.exit_code == 2


def test_fill_uses_every_field_and_blanks_the_missing():
    values = {"date": "2026-12-01", "patient": "Jane Doe", "condition": "hip-pain", "practitioner": "Roe", "lang": "es", "row": "7"}
    assert fill("{row}_{lang}_{practitioner}_{condition}_{patient}_{date}", values) == "7-es-Roe-hip-pain-Jane-Doe-2026-12-01"
    assert fill("{patient}-{row}", {"row": "3"}) == "3"
    assert fill("{{x}}", {}) == "x"


def test_names_are_cut_at_exactly_200_bytes():
    exact = "中" * 66 + "ab"  # 198 + 2 bytes
    assert len(exact.encode("utf-8")) == 200
    assert safe_name(exact) == exact
    assert safe_name(exact + "c") == exact  # 201 bytes: one character goes
    assert safe_name("中" * 100) == "中" * 66  # 67 would be 201 bytes
    assert safe_name("é" * 100) == "é" * 100  # 200 bytes, 100 characters: both limits met exactly


def test_names_are_cut_at_100_characters():
    assert safe_name("a" * 100) == "a" * 100
    assert safe_name("a" * 101) == "a" * 100
    assert safe_name("a" * 99 + " b") == "a" * 99, "no dash left at the end of the cut"
    assert safe_name("中" * 65 + " -- ab") == "中" * 65 + "-ab"


@pytest.mark.parametrize("raw, name", [
    ("", "handout"), ("...", "handout"), ("../..", "handout"), ("-", "handout"),
    ("../../etc/passwd", "etc-passwd"), ("C:\\Users\\x", "C-Users-x"), ("a/b", "a-b"),
    ("  Jane  Doe  ", "Jane-Doe"), ("Xu X", "Xu-X"), ("-x-", "x"), ("Ana María", "Ana-María"), ("ｆｕｌｌ", "full"),
    ("नमस्ते", "नमस्ते"), ("a-\u0301b", "a-b"), ("\u0301a", "a"), ("a-b\u0301", "a-b\u0301"), ("x\u0301y", "x\u0301y"),
    ("CON", "CON-handout"), ("nul", "nul-handout"), ("com1", "com1-handout"), ("LPT9", "LPT9-handout"),
    ("aux.pdf", "aux-pdf"), ("com10", "com10"), ("prn-x", "prn-x"),
])
def test_safe_name(raw, name):
    assert safe_name(raw) == name


def test_unique_numbers_repeats_ignoring_case():
    assert unique(["a", "A", "a", None, "a-2", "b"]) == ["a", "A-2", "a-3", None, "a-2-2", "b"]
    assert unique([]) == [] and unique([None, None]) == [None, None]
