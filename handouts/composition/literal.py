"""Content templates filled without Jinja when they only print a value, such as `{{ clinic.phone }}`; any other goes
to handouts/composition/templates.py's sandbox, which imports Jinja only when a template needs it."""

from __future__ import annotations

import re
from typing import Any, Mapping

from ..markup import MAX_TEXT

# `{{ name }}` or `{{ name.field.field }}`: a value printed, nothing else
_VALUE = re.compile(r"\{\{ *([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*) *\}\}")


def fill(source: str, context: Mapping[str, Any], where: str) -> str:
    """Fill a content template's variables; `where` names the file and field for errors (handouts/composition/templates.py)."""
    if "{" not in source:
        return source
    quick = _values_only(source, context)
    if quick is not None:
        return quick
    from .templates import fill as sandboxed

    return sandboxed(source, context, where)


def _values_only(source: str, context: Mapping[str, Any]) -> str | None:
    """The template filled as Jinja's sandbox fills it, when all it does is print text values found in `context`
    (names, then keys of plain dicts); None for anything else, which Jinja then fills or reports: a tag, a comment,
    a value with a filter or an expression, a brace touching a value, a missing name, a value that is not text, a
    field that is also a dict method, a trailing newline or a carriage return (which Jinja changes), an output over
    MAX_TEXT."""
    if source.endswith("\n") or "\r" in source:
        return None
    out: list[str] = []
    last = 0
    for match in _VALUE.finditer(source):
        literal = source[last:match.start()]
        if not _inert(literal):
            return None
        name, *fields = match.group(1).split(".")
        if name not in context:
            return None
        value = context[name]
        for field in fields:
            if type(value) is not dict or field not in value or hasattr(dict, field):
                return None  # Jinja looks up an attribute first: leave anything but a plain dict key to it
            value = value[field]
        if type(value) is not str:
            return None
        out += (literal, value)
        last = match.end()
    rest = source[last:]
    if not _inert(rest):
        return None
    out.append(rest)
    text = "".join(out)
    return text if len(text) <= MAX_TEXT else None


def _inert(literal: str) -> bool:
    """Whether Jinja prints this text between values as it is: no tag, value or comment starts in it (a lone brace,
    as in the labels' `{n}` for str.format, is text to Jinja), and no brace at either end, where it would touch a
    value's braces."""
    starts = any(start in literal for start in ("{{", "{%", "{#"))
    return not starts and not literal.endswith("{") and not literal.startswith("}")
