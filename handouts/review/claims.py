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


# The facts of NCD 30.3.3 a Medicare line must state, each as (what, pattern per language).
_N = r"(?<![\d.])%s(?![\d.])"
NCD_FACTS = (
    ("up to 12 visits in 90 days", {lang: re.compile(f"{_N % 12}.{{0,40}}?{_N % 90}|{_N % 90}.{{0,40}}?{_N % 12}", re.S) for lang in LANGS}),
    ("8 more if the patient is improving", {lang: re.compile(_N % 8) for lang in LANGS}),
    ("no more than 20 a year", {lang: re.compile(_N % 20) for lang in LANGS}),
    ("the patient's share of the cost (deductible, coinsurance)", {
        "en": re.compile(r"deductible|coinsurance|co-?pay|cost[- ]shar|share of the cost", re.I),
        "es": re.compile(r"deducible|coseguro|copago|parte del costo", re.I),
        "zh": re.compile(r"自付|共付|免赔|分摊")}),
)


def medicare_problem(text: str, lang: str) -> str | None:
    """Why a sentence about Medicare could mislead: it must say Medicare covers acupuncture only for chronic low back
    pain, and state the limits of CMS's national coverage decision (NCD 30.3.3): up to 12 visits in 90 days, 8 more
    if the patient is improving, at most 20 a year, with the patient's share of the cost."""
    if not MEDICARE[lang].search(text):
        return None
    if not (LOW_BACK[lang].search(text) and ONLY[lang].search(text)):
        return ("mentions Medicare without saying it covers acupuncture only for chronic low back pain; say so "
                "(e.g. \"Medicare Part B covers acupuncture only for chronic low back pain\") or remove Medicare")
    missing = [what for what, patterns in NCD_FACTS if not patterns[lang].search(text)]
    if missing:
        return (f"mentions Medicare but leaves out what its coverage decision (NCD 30.3.3) limits: {'; '.join(missing)}; "
                f"state them, or only say \"ask us whether Medicare covers your visits\"")
    return None


def medicare_findings(documents: Iterable[Document]) -> list[tuple[str, str]]:
    """(where, message) for every text in any content file that mentions Medicare misleadingly."""
    out = []
    for doc in documents:
        for path, texts in text_fields(doc.data):
            for lang, value in texts.items():
                if lang in LANGS and isinstance(value, str) and (problem := medicare_problem(value, lang)):
                    out.append((doc.at(path), f"{field_name(path)}.{lang}: {problem}"))
    return out


def market_findings(documents: Iterable[Document], library, lint: Lint) -> list[tuple[str, str]]:
    """Marketing follows the clinic's market (clinic.yaml `claims: us|uk`): under `uk` a brochure may name only the
    conditions on lint.yaml's `uk_claims` list (the UK advertising regulator's accepted claims); under both, a list of
    conditions (brochures/clinic.yaml `list_conditions: true`) needs each condition's own hedged evidence line."""

    docs = {d.label.replace("\\", "/"): d for d in documents}

    def find(rel: str):
        return next((d for label, d in docs.items() if label == rel or label.endswith("/" + rel)), None)

    out = []
    market = library.clinic.claims
    allowed = set(lint.uk_claims)
    clinic = find("clinic.yaml")
    if market == "uk":
        if not allowed:
            out.append((clinic.at(("claims",)) if clinic else "clinic.yaml",
                        "claims: uk, but lint.yaml has no `uk_claims` list; add the conditions UK advertising rules accept"))
        for label, doc in docs.items():
            m = re.search(r"brochures/conditions/([a-z0-9-]+)\.yaml$", label)
            if m and allowed and m.group(1) not in allowed:
                out.append((doc.at(("cover",)), f"cover: clinic.yaml says `claims: uk`, and UK advertising rules accept no "
                                                 f"claim for {m.group(1)} (lint.yaml uk_claims: {', '.join(sorted(allowed))}); "
                                                 f"remove this brochure, or use `claims: us` if the clinic is in the US"))
    text = find("brochures/clinic.yaml")
    if text is not None and isinstance(text.data, dict) and text.data.get("list_conditions"):
        hedges = phrase_pattern(list(lint.hedge_words.get("en", ())), "en")
        for cid, cond in sorted(library.conditions.items()):
            line = (cond.evidence_short or {}).get("en", "")
            if market == "uk" and cid not in allowed:
                out.append((text.at(("list_conditions",)), f"list_conditions: under `claims: uk` the brochure would name "
                                                            f"{cid}, which UK advertising rules do not accept a claim for; set it false"))
            elif not line or hedges is None or not hedges.search(line):
                out.append((text.at(("list_conditions",)), f"list_conditions: {cid} has no hedged `evidence_short` line to print "
                                                            f"beside its name; add one, or set list_conditions false"))
    return out


def testimonial_findings(documents: Iterable[Document], library, lint: Lint) -> list[tuple[str, str]]:
    """Testimonials (clinic.yaml) print with brochures/clinic.yaml's `words.results_vary` line; the FTC's Endorsement
    Guides (16 CFR 255.2(b), 2023) say "results vary" is not enough: in each language the line must say what patients
    generally achieve (one of lint.yaml's `typical_words`)."""
    if not library.clinic.testimonials:
        return []
    text = next((d for d in documents if d.label.replace("\\", "/").endswith("brochures/clinic.yaml")), None)
    words = text.data.get("words") if text is not None and isinstance(text.data, dict) else None
    line = words.get("results_vary") if isinstance(words, dict) else None
    where = text.at(("words", "results_vary") if isinstance(line, dict) else ("words",)) if text is not None else "brochures/clinic.yaml"
    fix = ("add a sentence saying what patients generally achieve (e.g. \"In studies of long-term pain, acupuncture helped "
           "on average a little more than fake needling, and it did not help everyone\"), or remove the testimonials "
           "from clinic.yaml")
    out = []
    for lang in LANGS:
        value = line.get(lang) if isinstance(line, dict) else None
        pattern = phrase_pattern(list(lint.typical_words.get(lang, ())), lang)
        if not isinstance(value, str) or not value.strip():
            out.append((where, f"words.results_vary.{lang}: clinic.yaml has testimonials, and no line prints with them "
                               f"in this language; {fix}"))
        elif pattern is not None and not pattern.search(value):
            out.append((where, f"words.results_vary.{lang}: clinic.yaml has testimonials, and this line does not say what "
                               f"patients generally achieve (\"results vary\" is not enough: FTC 16 CFR 255.2(b)); {fix}"))
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
