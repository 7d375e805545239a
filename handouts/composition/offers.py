"""Which condition a typed id means, and what the clinic offers (clinic.yaml `offers:` and `languages:`): a sheet
outside it is refused, naming the setting."""

from __future__ import annotations

import difflib

from ..errors import UnknownConditionError, VisitError
from ..model import LANG_NAMES, Condition, Library


def find_condition(library: Library, raw: str) -> tuple[str, Condition]:
    """The condition a typed id means (`Hip Pain`, `hip_pain` -> hip-pain), with its id."""
    key = raw.strip().lower().replace(" ", "-").replace("_", "-")
    if key in library.conditions:
        return key, library.conditions[key]
    close = difflib.get_close_matches(key, list(library.conditions), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UnknownConditionError(f"unknown condition {raw!r}; {hint}run `handouts list conditions` to see them all")


def _setting(library: Library, key: str) -> str:
    """`languages:` (or `offers:`) with the clinic profile's file and line, for messages."""
    return f"`{key}:` in {library.where.get(f'clinic.yaml:{key}', 'clinic.yaml')}"


def offered_condition(library: Library, raw: str) -> tuple[str, Condition]:
    """The condition a typed id means (as find_condition), refused when the clinic does not offer it.

    Refused, not warned about: the clinic's approvals and `check` leave out a condition it does not offer,
    so its text has not been put before the clinic's clinician."""
    cid, condition = find_condition(library, raw)
    clinic = library.clinic
    if not clinic.offered(cid):
        raise VisitError(f"{cid} is not among the conditions {clinic.name} offers ({_setting(library, 'offers')} lists "
                         f"{', '.join(clinic.offers)}); add {cid} there to print sheets and brochures for it")
    return cid, condition


def check_language(library: Library, lang: str) -> None:
    """Refuse a language the clinic does not print in (clinic.yaml `languages:`)."""
    offered = library.clinic.languages
    if lang not in offered:
        names = ", ".join(f"{LANG_NAMES[code]} ({code})" for code in offered)
        raise VisitError(f"language {lang} ({LANG_NAMES.get(lang, lang)}): {library.clinic.name} prints in {names} only "
                         f"({_setting(library, 'languages')}); choose one of those with --lang, or add {lang} to "
                         f"`languages:` once its text is translated and approved")
