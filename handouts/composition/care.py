"""The blocks that help a patient act on the sheet (PEMAT-P): key points, next visit, checklist, icons."""

from __future__ import annotations

import re
from typing import Any

from ..model import Checklist, Condition, IconList, KeyPoints, Note, Rule
from ..library.plan import PlanPhase

def self_care(w: Any, condition: Condition, cfile: str) -> IconList:
    """The self-care list, each item with the pictogram its content names (`icon:`)."""
    return IconList(tuple((t.icon, w(t.text, f"{cfile}: self_care[{i}].text")) for i, t in enumerate(condition.self_care)))


_WORD = re.compile(r"\w+")


def in_sentence(title: str) -> str:
    """A condition's title inside a sentence: lower case, but acronyms stay as they are ("IVF", "TMJ")."""
    return _WORD.sub(lambda m: m.group() if len(m.group()) > 1 and m.group().isupper() else m.group().lower(), title)


def key_points(w: Any, condition_title: str, count: int, phrase: str = "") -> KeyPoints:
    """`phrase`: the condition's own words for "to help with ..." (its `in_sentence:`), else its title in a sentence."""
    clinic = w.library.clinic
    name = phrase or (in_sentence(condition_title) if w.lang != "zh" else condition_title)
    today = w.label("key_today_text_one" if count == 1 else "key_today_text", n=count, condition=name)
    lines = (
        (w.label("key_today"), today),
        (w.label("key_feel"), w.label("key_feel_text")),
        (w.label("key_call"), w.label("key_call_text", phone=clinic.phone, emergency=clinic.emergency_number)),
    )
    return KeyPoints(w.label("key_points"), lines, (w.label("next_visit"), w.label("next_time")), w.label("blank_to_fill"))


def note(w: Any, text: str, practitioner: str) -> Note:
    return Note(w.label("note_from_practitioner"), text, w.label("signed", name=practitioner) if practitioner else "")


CHECKLIST_MAX = 12  # boxes: the first weeks of a plan; the tracker page has room for more


def checklist(w: Any, phases: tuple[PlanPhase, ...], phase_label) -> Checklist | None:
    """One box per session of the first dated phases (up to CHECKLIST_MAX boxes), grouped by phase."""
    groups: list[tuple[str, int]] = []
    total = 0
    for phase in phases:
        if phase.length is None:
            break
        n = phase.sessions * phase.length
        if total + n > CHECKLIST_MAX:
            break
        groups.append((phase_label(phase), n))
        total += n
    return Checklist(w.label("checklist"), tuple(groups)) if groups else None


def rule_heading(w: Any, rule: Rule | None, fallback: str) -> str:
    """A flag's paragraph is headed by what it is about ("Because you take a blood thinner")."""
    if rule is not None and rule.heading:
        return w(rule.heading, f"rules.yaml: {rule.id}.heading")
    return fallback


# How each route is drawn in the urgent-care box: its pictogram, and its column (emergency services on the left,
# whom else to call, most urgent first, stacked on the right).
ROUTE_LOOK = {"emergency": ("emergency", 0), "doctor-now": ("phone", 1), "cancer-team": ("phone", 1),
              "midwife": ("phone", 1), "clinic-today": ("phone", 1)}


def routed_parts(w: Any, call: Any, signs: dict[str, dict], rules: list[Rule],
                 routes: tuple[str, ...] | None = None) -> tuple[list[tuple[str, tuple[str, ...]]], tuple[str, ...], tuple[int, ...]]:
    """The urgent-care box's parts: each when-to-call block under its heading, with every sign routed to it (the
    condition's, by file, then the flags'), blocks left with no sign left out. `routes` keeps only those routes.

    Returns (parts, icons, columns), one icon and column per part."""
    parts, icons, columns = [], [], []
    for i, block in enumerate(call.blocks):
        route = block.call
        if routes is not None and route not in routes:
            continue
        where = f"sections/when-to-call.yaml: blocks[{i}]"
        items = [w(block.text, where + ".text")] if block.text else []
        items += [w(t, f"{where}.items[{j}]") for j, t in enumerate(block.items)]
        if route is not None:
            for cfile, urgent in signs.items():
                items += [w(t, f"{cfile}: urgent.{route}[{j}]") for j, t in enumerate(urgent.get(route, ()))]
            items += [w(t, f"rules.yaml: {r.id}.urgent.{route}[{j}]") for r in rules for j, t in enumerate(r.urgent.get(route, ()))]
        if not items:
            continue
        icon, column = ROUTE_LOOK.get(route, ("phone", 1))
        parts.append((w(block.heading, where + ".heading") if block.heading else "", tuple(items)))
        icons.append(icon)
        columns.append(column)
    return parts, tuple(icons), tuple(columns)


def steps(block: Any, split: int = 0) -> list[IconList]:
    """A list of steps, numbered in order (drawn one column, so it never reads out of order).

    With `split`, the first `split` steps are a list of their own (the leaflet may leave them out to fit;
    the rest are then numbered from 1)."""
    items = tuple(("", item) for item in block.items)
    if 0 < split < len(items):
        return [IconList(items[:split], numbered=True), IconList(items[split:], numbered=True, continues=True)]
    return [IconList(items, numbered=True)]


def source_name(w: Any, work: Any, where: str) -> str:
    """A work's short name (sources.yaml `short:`) in the handout's language (proper names kept); the English one when
    not translated; its full reference when it has none."""
    short = work.short
    if isinstance(short, dict):
        return w(short, where) if w.lang in short else short.get("en") or work.cite()
    return work.cite()


def key_section(w: Any, condition_title: str, count: int, phrase: str = ""):
    from ..model import HandoutSection

    return HandoutSection(id="key-points", title="", blocks=(key_points(w, condition_title, count, phrase),))


_CODE = r"(?:EX-[A-Z]{2}\d{1,2}|(?:LU|LI|ST|SP|HT|SI|BL|KI|PC|TE|GB|LR|GV|CV)\d{1,2})"
_BRACKETED = re.compile(r"\s*[（(]" + _CODE + r"[）)]|[，,]\s*" + _CODE + r"(?=[）)])")
_BARE = re.compile(r"\b" + _CODE + r"\b")


def lay_words(w: Any, text: str, numbers: dict[str, int], library: Any) -> str:
    """No point codes inside a lay sentence: "(PC6)" after a name goes; a bare code becomes "point 2" (today's
    points, by their number on the map) or the point's pinyin name."""
    text = _BRACKETED.sub("", text)

    def name(match: re.Match) -> str:
        code = match.group(0)
        if code in numbers:
            return w.label("point_ref", n=numbers[code])
        point = library.points.get(code)
        return point.body.pinyin if point else code

    return _BARE.sub(name, text)


_PREGNANCY = {"en": "pregnan", "es": "embaraz", "zh": "孕"}


def without_pregnancy_sentence(lang: str, text: str) -> str:
    """The "why" of a point chosen on purpose in pregnancy, without its "not used in pregnancy" sentence
    (the note beside it says it once, plainly)."""
    word = _PREGNANCY.get(lang)
    if not word:
        return text
    parts = [p for p in re.split(r"(?<=。)" if lang == "zh" else r"(?<=\.)\s+", text) if p]
    kept = [p for p in parts if word not in p.lower()]
    return ("" if lang == "zh" else " ").join(kept) if kept else text
