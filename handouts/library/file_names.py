"""Output file names for a batch: a pattern filled from the visit, made safe for any file system."""

from __future__ import annotations

import string
import unicodedata

from ..errors import HandoutError

DEFAULT_PATTERN = "{date}-{patient}-{condition}"
NAME_FIELDS = ("date", "patient", "condition", "practitioner", "lang", "row")
MAX_CHARS = 100
MAX_BYTES = 200  # UTF-8; most file systems allow 255 per name, and we add a suffix and .pdf
FALLBACK = "handout"
# Names Windows reserves whatever the extension (CON.pdf cannot be created there).
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(10)), *(f"lpt{i}" for i in range(10))}


class PatternError(HandoutError):
    """A --name pattern that cannot be used."""

    exit_code = 2


def check_pattern(pattern: str) -> str:
    """The pattern without a trailing .pdf, or PatternError naming the problem and the fields."""
    fields = ", ".join("{" + f + "}" for f in NAME_FIELDS)
    text = pattern.strip()
    if text.lower().endswith(".pdf"):
        text = text[:-4]
    if not text:
        raise PatternError(f"--name: is empty; use fields such as {DEFAULT_PATTERN}")
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise PatternError(f"--name: {exc}; write fields in braces, e.g. {DEFAULT_PATTERN}, and double a literal brace") from None
    for _, field, spec, conversion in parts:
        if field is None:
            continue
        if field not in NAME_FIELDS:
            shown = "{" + field + "}" if field else "{}"
            raise PatternError(f"--name: {shown} is not a field; the fields are {fields}")
        if spec or conversion:
            raise PatternError(f"--name: {{{field}}} takes no format or conversion; write just {{{field}}}")
    return text


def fill(pattern: str, values: dict[str, str]) -> str:
    """The pattern (already checked) filled with the values, then made safe."""
    return safe_name(pattern.format_map({f: values.get(f, "") for f in NAME_FIELDS}))


def safe_name(text: str) -> str:
    """A file name stem: letters (any script), digits and marks kept, every other run of characters one '-'.

    Never empty, never '.' or '..', never a path separator, at most MAX_CHARS characters and MAX_BYTES bytes.
    """
    out: list[str] = []
    for ch in unicodedata.normalize("NFKC", text):
        kind = unicodedata.category(ch)[0]
        if kind in "LN" or (kind == "M" and out and out[-1] != "-"):
            out.append(ch)
        elif out and out[-1] != "-":
            out.append("-")
    name = "".join(out).strip("-")
    name = name[:MAX_CHARS]
    while len(name.encode("utf-8")) > MAX_BYTES:
        name = name[:-1]
    name = name.rstrip("-")
    if not name:
        return FALLBACK
    if name.lower() in _RESERVED:
        name += "-" + FALLBACK
    return name


def unique(names: list[str | None]) -> list[str | None]:
    """Deduplicate in order: the second 'x' becomes 'x-2', the third 'x-3' (ignoring case); None stays None."""
    taken: set[str] = set()
    out: list[str | None] = []
    for name in names:
        if name is None:
            out.append(None)
            continue
        candidate, n = name, 1
        while candidate.casefold() in taken:
            n += 1
            candidate = f"{name}-{n}"
        taken.add(candidate.casefold())
        out.append(candidate)
    return out
