"""Patient-aware safety rules (content/rules.yaml) applied to a visit's points: refuse, or add text."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from ..errors import SafetyError, VisitError
from ..model import Library, Point, Refusal, normalise_code


@dataclass
class Safety:
    """What the rules add to a handout (texts are still Texts mappings, resolved by compose)."""

    risk_first: list[tuple[str, dict]] = field(default_factory=list)  # (rule id, texts)
    notes: list[tuple[str, dict]] = field(default_factory=list)
    point_notes: dict[str, tuple[str, dict]] = field(default_factory=dict)  # code -> (rule id, texts)


def _hits(refusal: Refusal, points: tuple[Point, ...]) -> list[Point]:
    wanted = {normalise_code(c) for c in refusal.points}
    return [p for p in points
            if (refusal.caution and p.has_caution(refusal.caution)) or bool(set(p.regions) & set(refusal.regions)) or p.code in wanted]


def _said(flag: str, implied: dict[str, str] | None) -> str:
    return f"{flag}, implied by {implied[flag]}" if implied and flag in implied else flag


def apply_rules(library: Library, flags: tuple[str, ...], allowed: tuple[str, ...], points: tuple[Point, ...],
                points_from: str, implied: dict[str, str] | None = None) -> Safety:
    """Check a visit against every rule; raise SafetyError (naming points, reason and the way out) or return the additions.

    `implied` says where a flag the user did not give comes from (pregnant: "the pregnancy-back-pelvic-pain sheet"), so
    that a refusal does not name a flag as if it had been typed."""
    rules = library.rules
    unknown = [f for f in flags if f not in rules.flags and f not in library.techniques]  # a technique is a flag too
    if unknown:
        close = difflib.get_close_matches(unknown[0], list(rules.flags), n=1)
        hint = f"did you mean {close[0]!r}? " if close else ""
        raise VisitError(f"--flag: unknown flag {unknown[0]!r}; {hint}the flags are {', '.join(rules.flags)}")
    codes = {p.code for p in points}
    allow = []
    overrides: list[str] = []  # flags (techniques) named in --allow-caution: a whole-visit refusal lifted knowingly
    for raw in allowed:
        if raw.strip().lower() in rules.flags or raw.strip().lower() in library.techniques:
            overrides.append(raw.strip().lower())
            continue
        point = library.find_point(raw)
        if point is None or point.code not in codes:
            raise VisitError(f"--allow-caution {raw}: not one of today's points ({', '.join(sorted(codes))}); name a point you used")
        allow.append(point.code)

    active = set(flags)
    safety = Safety()
    used_allowances: set[str] = set()
    used_overrides: set[str] = set()
    for rule in rules.rules:
        if not rule.applies(active):
            continue
        flag_text = " + ".join(_said(f, implied) for f in (rule.when or rule.when_any))
        refusal = rule.refuse
        if refusal is not None:
            reason = refusal.reason.get("en") or next(iter(refusal.reason.values()))
            if not refusal.targets_points and refusal.allow == "override":
                named = [f for f in rule.when if f in overrides]
                both = " + ".join(_said(f, implied) for f in [*rule.when, *[f for f in rule.when_any if f in active]])
                if not named:
                    raise SafetyError(f"not printed: {reason} (flags: {both}; rule {rule.id} in rules.yaml). Do not use "
                                      f"{rule.when[0]} for this patient, or, if you chose it knowingly, add --allow-caution {rule.when[0]}")
                used_overrides.update(named)
                safety.notes.append((rule.id, refusal.allowed_note))
            elif not refusal.targets_points:
                raise SafetyError(f"not printed: {reason} (flags: {flag_text}; rule {rule.id} in rules.yaml). Nothing overrides this rule")
            hits = _hits(refusal, points)
            if hits and refusal.allow == "never":
                listed = ", ".join(f"{p.code} ({p.body.pinyin})" for p in hits)
                raise SafetyError(f"not printed: {listed}: {reason} (flag: {flag_text}; rule {rule.id}). Nothing overrides this rule; choose other points")
            blocked = [p for p in hits if p.code not in allow]
            if blocked:
                listed = ", ".join(f"{p.code} ({p.body.pinyin})" for p in blocked)
                fix = " ".join(f"--allow-caution {p.code}" for p in blocked)
                raise SafetyError(
                    f"not printed: {listed} {'is' if len(blocked) == 1 else 'are'} {reason} (flag: {flag_text}; rule {rule.id} in rules.yaml), "
                    f"in {points_from}. Choose other points with --points, or, if you chose {'it' if len(blocked) == 1 else 'them'} knowingly, add {fix}")
            for point in hits:
                used_allowances.add(point.code)
                if refusal.allowed_note:
                    safety.point_notes[point.code] = (rule.id, refusal.allowed_note)
        if refusal is not None and refusal.allow == "override":
            continue  # its note is the allowed note, added above
        if rule.risk_first:
            safety.risk_first.append((rule.id, rule.risk_first))
        if rule.note:
            safety.notes.append((rule.id, rule.note))
    unused = [f for f in overrides if f not in used_overrides]
    if unused:
        raise VisitError(f"--allow-caution {unused[0]}: no rule refuses {unused[0]} for this patient; remove it")
    stray = [c for c in allow if c not in used_allowances]
    if stray:
        raise VisitError(f"--allow-caution {stray[0]}: no rule cautions this point for this patient; remove it")
    return safety
