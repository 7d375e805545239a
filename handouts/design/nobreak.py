"""Text that must never break across lines: telephone numbers keep their spaces as no-break spaces."""

from __future__ import annotations

import re

NBSP = "\u00a0"  # ReportLab breaks Latin lines only at breaking white space, and kinsoku never beside this one
# A telephone number: digits with spaces, brackets, dots or hyphens between, 7 digits or more (checked below);
# ASCII letters only around it, since in Chinese a number follows a character directly ("致电(973) 922-9659").
PHONE = re.compile(r"(?<![A-Za-z0-9_/(])(\+?\(?\d[\d ().-]{5,}\d)(?![A-Za-z0-9_/])")


_RUN = re.compile(r"\d[\d ().-]{5,}\d")  # what PHONE needs at least: a cheap first look


def phones(text: str) -> list[tuple[int, int]]:
    """Where the telephone numbers (7 digits or more) are in `text`: (start, end) of each."""
    return [m.span(1) for m in PHONE.finditer(text) if sum(c.isdigit() for c in m.group(1)) >= 7]


def keep_whole(text: str) -> str:
    """`text` with the spaces inside each telephone number made no-break spaces, so the number stays on one line."""
    if " " not in text or not _RUN.search(text):  # asked of every text drawn: most have no run of digits
        return text
    spans = phones(text)
    if not spans:
        return text
    out, last = [], 0
    for start, end in spans:
        out += [text[last:start], text[start:end].replace(" ", NBSP)]
        last = end
    out.append(text[last:])
    return "".join(out)
