"""Content guards for `handouts check` that keep review findings from coming back (issue 12):
hedges lost in translation, urgent wording outside an urgent block,
and files the clinic has not approved as they are now."""

from __future__ import annotations

import os
import re
from typing import Any, Callable

from ..model import LANG_NAMES

# Where urgent wording belongs: a condition's urgent signs and risks, the shared when-to-call and risks
# sections, and the safety rules (whose notes tell a patient what to do).
URGENT_FIELDS = ("urgent", "risks")
URGENT_FILES = ("sections/when-to-call.yaml", "sections/risks.yaml", "rules.yaml", "labels.yaml", "lint.yaml", "clinic.yaml")
_SENTENCE = {"zh": re.compile(r"(?<=[。！？；])"), "es": re.compile(r"(?<=[.!?;])\s+"), "en": re.compile(r"(?<=[.!?;])\s+")}

Add = Callable[[str, str, str], None]


def _rel(label: str) -> str:
    return label.replace(os.sep, "/")


def hedged(text: str, pattern: re.Pattern | None) -> bool:
    return bool(pattern and pattern.search(text))


def sentences(text: str, lang: str) -> list[str]:
    return [s for s in (p.strip() for p in _SENTENCE[lang].split(text)) if s]


def check_hedges(add: Add, where: str, name: str, texts: dict, patterns: dict[str, re.Pattern | None]) -> None:
    """Where the English hedges (may, some, traditionally…), the Spanish and Chinese must too.

    Sentences are compared one by one when the languages have as many sentences; otherwise the count of
    hedged sentences is compared. A warning names the field, the language and the English sentence."""
    en = texts.get("en")
    if not isinstance(en, str) or patterns.get("en") is None:
        return
    en_sentences = sentences(en, "en")
    en_hedged = [s for s in en_sentences if hedged(s, patterns["en"])]
    if not en_hedged:
        return
    for lang in ("es", "zh"):
        other = texts.get(lang)
        if not isinstance(other, str) or patterns.get(lang) is None:
            continue
        other_sentences = sentences(other, lang)
        if len(other_sentences) == len(en_sentences):
            for n, (a, b) in enumerate(zip(en_sentences, other_sentences), start=1):
                if hedged(a, patterns["en"]) and not hedged(b, patterns[lang]):
                    add("warning", where, f"{name}.{lang}: sentence {n} drops the hedge of the English ({a!r}); "
                                          f"keep it in {LANG_NAMES[lang]} (words such as those under hedge_words.{lang} in lint.yaml)")
                    break
        elif sum(hedged(s, patterns[lang]) for s in other_sentences) < len(en_hedged):
            add("warning", where, f"{name}.{lang}: the English hedges {len(en_hedged)} sentence(s) ({en_hedged[0]!r}…), "
                                  f"the {LANG_NAMES[lang]} fewer; keep every hedge (hedge_words.{lang} in lint.yaml)")


def urgent_allowed(label: str, path: tuple) -> bool:
    rel = _rel(label)
    if any(rel.endswith(f) for f in URGENT_FILES):
        return True
    return bool(path) and path[0] in URGENT_FIELDS


def check_urgent(add: Add, where: str, name: str, lang: str, text: str, pattern: re.Pattern | None) -> None:
    """Urgent wording (fever, 911, chest pain…) outside an urgent block: a warning; it belongs in `urgent:`."""
    if pattern is not None and (m := pattern.search(text)):
        add("warning", where, f"{name}.{lang}: urgent wording {m.group(0)!r} outside an urgent block; move the sign to the "
                              f"condition's `urgent:` list (printed in the boxed urgent-care list) or to `risks:`")


def check_approvals(add: Add, status: Any, require: bool) -> None:
    """Files never approved, or changed since their approval: a warning, an error if the clinic requires approval."""
    if status is None:
        return
    level = "error" if require else "warning"
    never, changed = status.never(), status.changed()
    where = str(status.folder / "approvals.json") if status.folder is not None else "approvals.json"
    if status.folder is None and never:
        add(level, "approvals.json", f"{len(never)} content files are not approved by a clinician (bundled content only); "
                                     f"give your clinic's content folder with --content and run `handouts approve`")
        return
    for rel in changed:
        old = status.approvals[rel]
        add(level, where, f"{rel}: changed since {old.by} approved it on {old.on}; review it again and run "
                          f"`handouts approve {rel} --by \"Name, credential\"`")
    if never:
        shown = ", ".join(never[:8]) + (f" and {len(never) - 8} more" if len(never) > 8 else "")
        add(level, where, f"{len(never)} content file(s) never approved: {shown}; sheets built from them say \"Draft\". "
                          f"Review them and run `handouts approve FILE... --by \"Name, credential\"`")


# Point locations a patient can find on themselves (issue 9): no cun (a body-proportional unit only a
# practitioner measures), and no anatomy names a patient cannot find unless they follow the lay words in
# brackets ("the small bony knob there (the top of the fibula)"). Chinese entries match anywhere.
_CUN = {"en": re.compile(r"\b(?:B-)?cun\b", re.I), "es": re.compile(r"\b(?:B-)?cun\b", re.I), "zh": re.compile(r"寸")}
LOCATION_WORDS = {
    "en": ("lumbar", "vertebra", "vertebrae", "sacrum", "sacral", "patella", "patellar", "tibia", "tibial", "fibula",
           "fibular", "malleolus", "malleoli", "trochanter", "spinous process", "metatarsal", "metacarpal", "iliac",
           "symphysis", "condyle", "epicondyle", "acromion", "deltoid", "radial", "ulnar", "calcaneus", "humerus",
           "occipital", "mastoid", "phalanx", "popliteal", "styloid"),
    "es": ("lumbar", "vértebra", "vértebras", "vertebral", "sacro", "tibia", "peroné", "maléolo", "trocánter",
           "apófisis", "metatarsiano", "metacarpiano", "ilíaca", "sínfisis", "cóndilo", "epicóndilo", "acromion",
           "deltoides", "radial", "cubital", "calcáneo", "húmero", "occipital", "mastoides", "falange", "poplíteo",
           "estiloides"),
    "zh": ("椎", "棘突", "骶", "髌", "胫骨", "腓骨", "踝尖", "跖骨", "掌骨", "肩峰", "肱骨", "髂", "耻骨联合", "结节",
           "尺侧", "桡侧", "尺骨", "桡骨", "目外眦", "颞", "三角肌", "股内侧肌", "股外侧肌", "股直肌", "赤白肉际", "髁",
           "肩胛冈", "跟骨", "腘", "枕骨", "乳突", "前正中线", "后正中线"),
}
_BRACKETS = re.compile(r"\([^()]*\)|（[^（）]*）")
_POINT_CODE = re.compile(r"(?<![\w-])(?:EX-[A-Z]{1,2}\d{1,2}|(?:LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|LIV|GV|CV)\d{1,2})(?![\w])")
# Prose a patient reads where nothing turns a code into lay words. (A point's `uses` and a condition's `why`
# may name another point: the leaflet prints it as "point 2", or by its name.)
LAY_FIELDS = ("location", "overview", "who_may_benefit", "how_it_may_help", "evidence", "evidence_short",
              "self_care", "risks", "urgent", "summary", "details")


def _words_pattern(words: tuple[str, ...], lang: str) -> re.Pattern:
    parts = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(parts) if lang == "zh" else re.compile(r"(?<!\w)(?:" + parts + r")(?!\w)", re.I)


_LOCATION_PATTERNS = {lang: _words_pattern(words, lang) for lang, words in LOCATION_WORDS.items()}


def is_location(label: str, path: tuple) -> bool:
    return "points/" in _rel(label) and bool(path) and path[-1] == "location"


def check_location(add: Add, where: str, name: str, lang: str, text: str) -> None:
    """A point's location in lay words: cun is an error; an anatomy name outside brackets a warning."""
    if lang in _CUN and (m := _CUN[lang].search(text)):
        add("error", where, f"{name}.{lang}: {m.group(0)!r} is a practitioner's measure a patient cannot take; say it in "
                            f"finger-widths (1.5 cun: two finger-widths; 2: three; 3: four; 1: a thumb-width)")
        return
    pattern = _LOCATION_PATTERNS.get(lang)
    if pattern is not None and (m := pattern.search(_BRACKETS.sub(" ", text))):
        add("warning", where, f"{name}.{lang}: {m.group(0)!r} is an anatomy name a patient may not find; say where it "
                              f"is in lay words (\"the bump on the outside of the ankle\"), with the name in brackets if needed")


def is_lay_prose(label: str, path: tuple) -> bool:
    rel = _rel(label)
    if not any(part in rel for part in ("points/", "conditions/", "sections/")):
        return False
    return any(isinstance(p, str) and p in LAY_FIELDS for p in path) or ("sections/" in rel and bool(path) and path[-1] == "text")


def check_codes(add: Add, where: str, name: str, lang: str, text: str) -> None:
    """No point code (PC6, GB20) inside a sentence a patient reads: a warning; say where the point is, or its name."""
    if m := _POINT_CODE.search(text):
        add("warning", where, f"{name}.{lang}: the point code {m.group(0)!r} inside a sentence a patient reads; say where "
                              f"the point is in lay words (\"the point on the inner wrist\") instead")
