"""Typed and literal text on its way to any page: cleaned of control characters, escaped for ReportLab markup."""

from __future__ import annotations

import unicodedata

MAX_TEXT = 10_000  # characters of output, and of any text or list a template makes (handouts/composition/templates.py)


def escape(text: str) -> str:
    """Literal text for a ReportLab Paragraph: `&`, `<` and `>` become entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_KEEP = {"\n", "\t"}


def clean(text: str) -> str:
    """Normalise typed text: NFC, control and format characters removed, runs of spaces folded."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co") else "" for ch in text)
    return " ".join(text.split())
