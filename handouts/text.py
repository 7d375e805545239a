"""The one sandboxed Jinja environment, and escaping of literal text for ReportLab markup."""

from __future__ import annotations

import unicodedata
from functools import lru_cache
from typing import Any, Mapping

from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

from .errors import ContentError


@lru_cache(maxsize=1)
def environment() -> ImmutableSandboxedEnvironment:
    """Content templates: sandboxed, immutable, no autoescape (output is plain text), strict."""
    return ImmutableSandboxedEnvironment(undefined=StrictUndefined, autoescape=False, keep_trailing_newline=False)


@lru_cache(maxsize=4096)
def _compile(source: str):
    return environment().from_string(source)


def fill(source: str, context: Mapping[str, Any], where: str) -> str:
    """Fill a content template's variables; `where` names the file and field for errors."""
    if "{" not in source:
        return source
    try:
        return _compile(source).render(**context)
    except SecurityError as exc:
        raise ContentError([f"{where}: the template reaches for something it may not ({exc}); use only the documented variables"]) from None
    except TemplateError as exc:
        lineno = getattr(exc, "lineno", None)
        at = f" (template line {lineno})" if lineno and lineno > 1 else ""
        raise ContentError([f"{where}: template error{at}: {exc.message or exc}; use only the documented variables, e.g. {{{{ clinic.phone }}}}"]) from None
    except Exception as exc:  # e.g. {% include %} (no loader: no file access) or {{ 1/0 }}: content, not a crash
        if "loader" in str(exc):
            raise ContentError([f"{where}: templates may not include or import other files; write the text here"]) from None
        raise ContentError([f"{where}: the template cannot be filled ({type(exc).__name__}: {exc}); use only plain text and the documented variables"]) from None


def escape(text: str) -> str:
    """Literal text for a ReportLab Paragraph: `&`, `<` and `>` become entities."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_KEEP = {"\n", "\t"}


def clean(text: str) -> str:
    """Normalise typed text: NFC, control and format characters removed, runs of spaces folded."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(ch if ch in _KEEP or unicodedata.category(ch) not in ("Cc", "Cf", "Cs", "Co") else "" for ch in text)
    return " ".join(text.split())
