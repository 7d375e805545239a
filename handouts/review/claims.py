"""Marketing-copy checks: risky claims in what a brochure prints, and Medicare lines held to what Medicare covers."""

from __future__ import annotations

import re
from typing import Iterable

from ..model import LANGS, Lint
from ..library.yamlio import Document
from .words import field_name, phrase_pattern, text_fields

# Medicare Part B covers acupuncture only for chronic low back pain (CMS national coverage decision
# CAG-00452N, 21 January 2020: up to 12 visits in 90 days, 8 more if improving, at most 20 a year).
MEDICARE = {
    "en": re.compile(r"\bmedicare\b", re.I),
    "es": re.compile(r"\bmedicare\b", re.I),
    "zh": re.compile(r"medicare|联邦医疗保险|聯邦醫療保險", re.I),
}
LOW_BACK = {
    "en": re.compile(r"chronic low(er)? back pain", re.I),
    "es": re.compile(r"dolor lumbar cr[oó]nico|lumbalgia cr[oó]nica", re.I),
    "zh": re.compile(r"慢性腰痛|慢性下背痛"),
}
ONLY = {"en": re.compile(r"\bonly\b", re.I), "es": re.compile(r"\b(solo|sólo|únicamente)\b", re.I), "zh": re.compile(r"只|仅")}


def medicare_problem(text: str, lang: str) -> str | None:
    """Why a sentence about Medicare could mislead (None when it says "only ... chronic low back pain")."""
    if not MEDICARE[lang].search(text):
        return None
    if LOW_BACK[lang].search(text) and ONLY[lang].search(text):
        return None
    return ("mentions Medicare without saying it covers acupuncture only for chronic low back pain; say so "
            "(e.g. \"Medicare Part B covers acupuncture only for chronic low back pain\") or remove Medicare")


def medicare_findings(documents: Iterable[Document]) -> list[tuple[str, str]]:
    """(where, message) for every text in any content file that mentions Medicare misleadingly."""
    out = []
    for doc in documents:
        for path, texts in text_fields(doc.data):
            for lang, value in texts.items():
                if lang in LANGS and isinstance(value, str) and (problem := medicare_problem(value, lang)):
                    out.append((doc.at(path), f"{field_name(path)}.{lang}: {problem}"))
    return out


def claim_findings(documents: Iterable[Document], lint: Lint | None, labels: set[str]) -> list[str]:
    """`file:line: field.lang: 'word'` for every risky claim (lint.yaml's list) in the files named by `labels`."""
    if lint is None:  # a tree without lint.yaml: the schema's defaults
        from ..library.schema import defaults

        lint = defaults(Lint)
    rules = lint
    patterns = {lang: phrase_pattern(list(rules.risky_claims.get(lang, ())), lang) for lang in LANGS}
    out = []
    for doc in documents:
        if doc.label not in labels:
            continue
        for path, texts in text_fields(doc.data):
            for lang, value in texts.items():
                if lang not in LANGS or not patterns[lang]:
                    continue
                for text in value if isinstance(value, list) else [value]:
                    if isinstance(text, str):
                        found = sorted({m.group(0) for m in patterns[lang].finditer(text)})
                        if found:
                            out.append(f"{doc.at(path)}: {field_name(path)}.{lang}: {', '.join(repr(f) for f in found)}")
    return out
