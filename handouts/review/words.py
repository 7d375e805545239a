"""The text of content files as the checks read it: every localized mapping with its key path, and word lists as patterns."""

from __future__ import annotations

import re
from typing import Any, Iterator

from ..model import LANGS


def text_fields(data: Any, path: tuple = ()) -> Iterator[tuple[tuple, dict]]:
    """Every localized mapping ({en: ..., es: ...}) in a document, with its key path."""
    if isinstance(data, dict):
        if data and all(k in LANGS for k in data):
            yield path, data
            return
        for key, value in data.items():
            yield from text_fields(value, path + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from text_fields(value, path + (i,))


def field_name(path: tuple) -> str:
    """A key path as a reader finds it in the file: `who_may_benefit[3].zh`."""
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def phrase_pattern(phrases: list[str], lang: str) -> re.Pattern | None:
    """One pattern for any of these words or phrases, whole words only (Chinese has no word boundaries)."""
    if not phrases:
        return None
    parts = [re.escape(str(p)) for p in sorted(phrases, key=len, reverse=True)]
    if lang == "zh":
        return re.compile("|".join(parts))
    return re.compile(r"(?<![\w%])(?:" + "|".join(parts) + r")(?![\w%])", re.I)
