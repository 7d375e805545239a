"""The clinician's review pack: everything a sheet or brochure is built from, as the patient reads it, to read and sign.

`build_pack` gathers, for each content file a sign-off covers: its text in en/es/zh side by side (templates filled
with the clinic's values), its sources and their status, its SHA-256 and approval, and what changed since that
approval (a word diff against the copy of the approved text kept in approved/); and the safety rules in plain
words. The PDF and HTML renderers (handouts/render/pdf/review.py, handouts/render/html/review.py) only draw it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping

from ..model import LANGS, Library
from .worddiff import Change, changes

# Keys whose values are not text a patient reads (codes, places on the figures, flags); `sources` and `reviewed`
# are shown apart, as the file's sources and last review.
NOT_TEXT = {"sources", "grade", "reviewed", "map", "region", "regions", "schedule", "default", "bilateral", "aliases", "url",
            "kind", "when", "when_any", "allow", "caution", "id", "code", "source", "consent_on"}


# A protected section's versions (handouts/library/load.py): the bundled blocks, then the ones a clinic adds.
VERSION_NAMES = ("bundled", "the clinic’s additions")


@dataclass(frozen=True)
class Row:
    """One piece of patient text: where it is in the file, and its words in each language ("" if missing)."""

    field: str
    texts: Mapping[str, str]
    note: str = ""  # e.g. the source a caution cites


@dataclass(frozen=True)
class Group:
    """The rows under one heading: a top-level field of the file, one point, one rule."""

    title: str
    rows: tuple[Row, ...] = ()
    note: str = ""  # a line under the heading (e.g. "on this sheet", or points with names only)


@dataclass(frozen=True)
class SourceLine:
    cite: str
    url: str
    status: str  # in words: current as recorded, withdrawn, superseded, with the date checked when known


@dataclass(frozen=True)
class FileReview:
    """One content file as the clinician reviews it."""

    file: str  # content-tree path, e.g. conditions/hip-pain.yaml
    read_from: str  # the file on disk (or files: a protected section's bundled file and the clinic's additions)
    sha256: str
    state: str  # "approved by ... on ...", "changed since ... approved it on ...", "never approved"
    approved: bool
    changes: tuple[Change, ...] | None  # None: no word diff to show (see change_note)
    change_note: str
    groups: tuple[Group, ...]
    sources: tuple[SourceLine, ...]
    reviewed: str  # the file's own `reviewed:` line (who last edited or reviewed its text)


@dataclass(frozen=True)
class ReviewPack:
    title: str  # "Review pack: the hip-pain sheet"
    covers: str  # "the hip-pain sheet"
    clinic: str
    colour: str
    made_on: date
    folder: str  # the clinic's content folder, or a line saying there is none
    command: str  # the approve command that signs exactly this
    files: tuple[FileReview, ...]
    rules: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (rule id, what it does: sentences in plain words)
    outcomes: tuple[tuple[str, str], ...] = ()  # (flags, what happens to this sheet's usual points)
    points_note: str = ""  # which points the outcomes are for


def build_pack(library: Library, roots: Iterable[Path], files: Iterable[str], status: Any, covers: str, command: str,
               condition: str = "", today: date | None = None) -> ReviewPack:
    """The review pack for these content files (a sign-off's), from a loaded library and its approval status.
    `condition`: the sheet's condition, whose usual points the safety rules are tried on."""
    from ..library.approvals import approved_copy, version_texts

    roots = list(roots)
    files = list(files)
    used = _points_used(library, condition)
    cited = {c.id for rel in files for c in _cites(library, rel)}
    reviews = []
    for rel in files:
        versions = version_texts(roots, rel)
        texts = [t for _, t in versions]
        old = status.approvals.get(rel)
        approved = status.approved(rel)
        if old is None:
            diff, note = None, "Never approved: read all of its text below."
        elif approved:
            diff, note = (), f"Unchanged since {old.by} approved it on {old.on}."
        else:
            before = approved_copy(status.folder, old.sha256)
            if before is None:
                diff, note = None, (f"Changed since {old.by} approved it on {old.on}; there is no copy of the approved "
                                    f"text (approved before copies were kept), so read all of it below.")
            else:
                diff = changes(before, texts, VERSION_NAMES)
                note = f"Changed since {old.by} approved it on {old.on}:" if diff else \
                    f"Changed since {old.by} approved it on {old.on}, in layout or white space only."
        data = _parse(texts)
        if rel == SOURCES:  # the registry: only the works the other files of this pack cite (their short names print)
            data = [{k: v for k, v in d.items() if k in cited} if isinstance(d, dict) else d for d in data]
        context = _context(library, rel)
        reviews.append(FileReview(
            file=rel, read_from=" + ".join(where for where, _ in versions), sha256=status.digests.get(rel, ""),
            state=_state(status, rel), approved=approved, changes=diff, change_note=note,
            groups=tuple(_groups(rel, data, context, used)), sources=tuple(_sources(library, rel)), reviewed=_reviewed(data)))
    _check_glyphs(reviews)
    rules: tuple[tuple[str, tuple[str, ...]], ...] = ()
    if "rules.yaml" in files:
        rules = tuple((r.id, rule_in_words(r, library.rules.flags)) for r in library.rules.rules)
    outcomes, points_note = _outcomes(library, condition) if condition else ((), "")
    folder = status.folder
    return ReviewPack(
        title=f"Review pack: {covers}", covers=covers, clinic=library.clinic.name, colour=library.clinic.colour,
        made_on=today or date.today(),
        folder=str(folder.resolve()) if folder is not None else "none (bundled content only: nothing can be approved until the "
                                                       "clinic has its own content folder)",
        command=command, files=tuple(reviews), rules=rules, outcomes=outcomes, points_note=points_note)


def _check_glyphs(reviews: list[FileReview]) -> None:
    """Every character of the text must print: ContentError naming each file and place with one no bundled font has."""
    from ..design.styles import undrawable
    from ..errors import ContentError

    problems = []
    for f in reviews:
        for group in f.groups:
            for row in group.rows:
                for lang, text in row.texts.items():
                    missing = undrawable(text)
                    if missing:
                        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(missing))
                        problems.append(f"{f.file}: {row.field}.{lang}: has characters that no bundled font can draw: "
                                        f"{shown}; remove or replace them")
    if problems:
        raise ContentError(problems)


def _state(status: Any, rel: str) -> str:
    old = status.approvals.get(rel)
    if old is None:
        return "never approved"
    return f"approved by {old.by} on {old.on}" if status.approved(rel) else f"changed since {old.by} approved it on {old.on}"


def _parse(texts: list[str]) -> list[Any]:
    import yaml

    out = []
    for text in texts:
        try:
            out.append(yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)))
        except yaml.YAMLError:
            out.append(None)
    return out


def _context(library: Library, rel: str) -> dict[str, dict[str, Any]]:
    """Per language, the values content templates are filled with, as a sheet fills them."""
    clinic = library.clinic.plain()
    out = {}
    for lang in LANGS:
        context: dict[str, Any] = {"clinic": clinic, "practitioner": "(practitioner)"}
        if rel.startswith("conditions/"):
            cond = library.conditions.get(rel.removeprefix("conditions/").removesuffix(".yaml"))
            context["condition"] = cond.title.get(lang, "") if cond is not None else "(condition)"
        else:
            context["condition"] = "(condition)"
        out[lang] = context
    return out


def _filled(text: str, context: dict[str, Any], where: str) -> str:
    from ..composition.literal import fill
    from ..errors import HandoutError

    try:
        return fill(text, context, where)
    except HandoutError:
        return text  # `handouts check` reports a template that cannot be filled; the pack shows it as written


def is_texts(node: Any) -> bool:
    """A piece of text in some languages: a mapping of en/es/zh to text (or to a list of words, as months)."""
    return (isinstance(node, dict) and bool(node) and set(node) <= set(LANGS)
            and all(isinstance(v, (str, list)) for v in node.values()))


def _walk(node: Any, path: str) -> Iterator[tuple[str, dict, dict]]:
    """(place, texts, the mapping holding them) of every piece of patient text under node."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in NOT_TEXT:
                continue
            place = f"{path}.{key}" if path else str(key)
            if is_texts(value):
                yield place, value, node
            else:
                yield from _walk(value, place)
    elif isinstance(node, list):
        for i, value in enumerate(node):
            tag = value.get("code") or value.get("id") if isinstance(value, dict) else None
            place = f"{path}[{i}]" + (f" {tag}" if tag else "")  # counted from 0, as `handouts check` names places
            if is_texts(value):
                yield place, value, {}
            else:
                yield from _walk(value, place)


def _row(place: str, texts: dict, holder: dict, context: dict, where: str) -> Row:
    out = {}
    for lang in LANGS:
        value = texts.get(lang, "")
        value = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
        out[lang] = " ".join(_filled(value, context[lang], f"{where}: {place}.{lang}").split())
    note = f"source: {holder['source']}" if isinstance(holder.get("source"), str) else ""
    return Row(field=place, texts=out, note=note)


def _groups(rel: str, data: list[Any], context: dict, used: set[str]) -> list[Group]:
    groups: list[Group] = []
    for n, doc in enumerate(data):
        prefix = f"{VERSION_NAMES[min(n, 1)]}: " if len(data) > 1 else ""
        if not isinstance(doc, dict):
            groups.append(Group(prefix + "(the file could not be read; run `handouts check`)"))
            continue
        if rel.startswith("points/") and isinstance(doc.get("points"), dict):
            groups += _point_groups(rel, doc, context, used)
            continue
        for key, value in doc.items():
            if key in NOT_TEXT:
                continue
            title = prefix + key.replace("_", " ")
            if is_texts(value):
                groups.append(Group(title, (_row(key, value, doc, context, rel),)))
                continue
            if isinstance(value, list) and (key == "blocks" or all(isinstance(v, dict) and "id" in v for v in value)):
                for i, item in enumerate(value, start=1):  # a section's blocks, the rules: one heading each
                    tag = item.get("id") if isinstance(item, dict) else None
                    place = f"{key}[{i - 1}]"
                    rows = tuple(_row(p, t, h, context, rel) for p, t, h in _walk(item, place))
                    if rows:  # "block 1 (blocks[0])": counted from 1 for people, from 0 as the places below
                        name = f"{prefix}{key.removesuffix('s')} {tag}" if tag else f"{prefix}{key.removesuffix('s')} {i} ({place})"
                        groups.append(Group(name, rows))
                continue
            rows = tuple(_row(place, texts, holder, context, rel) for place, texts, holder in _walk(value, key))
            if rows:
                groups.append(Group(title, rows))
    return groups


def _point_groups(rel: str, doc: dict, context: dict, used: set[str]) -> list[Group]:
    """A channel file: its name, then each point with patient text (this sheet's first), then the points that have
    only their names (code, pinyin, characters, English), as a sheet's points table prints them."""
    out = []
    channel = doc.get("channel")
    if isinstance(channel, dict) and is_texts(channel.get("name")):
        out.append(Group("channel", (_row("channel.name", channel["name"], channel, context, rel),)))
    with_text: dict[tuple, list] = {}  # (not on this sheet, words) -> [rows, names...]: the same words, once
    names_only = []
    for code, body in doc["points"].items():
        if not isinstance(body, dict):
            continue
        name = f"{code} {body.get('pinyin', '')} {body.get('hanzi', '')} ({body.get('english', '')})"
        rows = tuple(_row(place, texts, holder, context, rel) for place, texts, holder in _walk(body, ""))
        if rows:
            words = tuple((r.field, tuple(sorted(r.texts.items())), r.note) for r in rows)
            key = (code not in used, code if code in used else "", words)  # this sheet's points each on their own
            with_text.setdefault(key, [rows]).append(name)
        else:
            names_only.append(name + (" (on this sheet)" if code in used else ""))
    for (other, _, _), (rows, *names) in sorted(with_text.items(), key=lambda kv: kv[0][0]):  # stable: file order
        title = "; ".join(names) if len(names) < 4 else f"{len(names)} points with the same words: " + "; ".join(names)
        out.append(Group(title, rows, "" if other else "on this sheet"))
    if names_only:
        out.append(Group("points with names only", (), "; ".join(names_only)))
    return out


SOURCES = "sources.yaml"


def _cites(library: Library, rel: str) -> tuple:
    """The citations (handouts.model.Cite) of a content file."""
    return tuple(library.cites.get(rel, ()))


def _sources(library: Library, rel: str) -> Iterator[SourceLine]:
    for cite in _cites(library, rel):
        work = library.sources.get(cite.id)
        if work is None:
            continue
        against = " (cited as recommending against acupuncture for this condition)" if cite.against else ""
        yield SourceLine(cite=f"[{cite.id}] {work.cite()}{against}", url=work.link(), status=source_status(work))


def source_status(work: Any) -> str:
    """A work's status in words, from its registry entry (status, status_on, checked, verified)."""
    checked = f"; last checked {work.checked}" if work.checked else ""
    verified = "; confirmed against the original" if work.verified else "; NOT confirmed against the original"
    if work.status == "withdrawn":
        return f"WITHDRAWN on {work.status_on}: the text must not rely on it{checked}{verified}"
    if work.status == "superseded":
        return f"SUPERSEDED on {work.status_on}: cite the newer version{checked}{verified}"
    if work.status != "current":
        return f"{work.status.upper()} since {work.status_on}{checked}{verified}"
    return f"current{checked}{verified}"


def _reviewed(data: list[Any]) -> str:
    for doc in data:
        r = doc.get("reviewed") if isinstance(doc, dict) else None
        if isinstance(r, dict) and r.get("by"):
            on = r.get("on", r.get(True))  # YAML 1.1 reads a bare `on` key as true
            return f"{r.get('by')}, {on}" if on else str(r.get("by"))
    return ""


def _points_used(library: Library, condition: str) -> set[str]:
    cond = library.conditions.get(condition) if condition else None
    return {cp.code for cp in cond.points} if cond is not None else set()


# ---- the safety rules in plain words ------------------------------------------------------------------------


def _flag(flags: Mapping[str, Any], name: str) -> str:
    texts = flags.get(name) or {}
    return f"{name} (“{texts.get('en', name)}”)"


def who(rule: Any, flags: Mapping[str, Any]) -> str:
    """`a patient flagged pregnant (“Pregnant or may be pregnant”)`, with `and` / `or` for several flags."""
    parts = []
    if rule.when:
        parts.append(" and ".join(_flag(flags, f) for f in rule.when))
    if rule.when_any:
        parts.append(" or ".join(_flag(flags, f) for f in rule.when_any))
    return "a patient flagged " + ", and ".join(parts)


def rule_in_words(rule: Any, flags: Mapping[str, Any]) -> tuple[str, ...]:
    """What one rule of rules.yaml does, in plain English, e.g. "The sheet of a patient flagged pregnant (…) is
    refused when one of its points …": one sentence per thing it does."""
    patient = who(rule, flags)
    out: list[str] = []
    sheet = lambda: f"the sheet of {patient}" if not out else "their sheet"  # noqa: E731  (named in full once)
    refuse = rule.refuse
    if refuse is not None:
        reason = refuse.reason.get("en", "")
        targets = []
        if refuse.caution:
            targets.append(f"has a “{refuse.caution}” caution in its points file")
        if refuse.regions:
            targets.append("lies in the body region " + " or ".join(refuse.regions))
        if refuse.points:
            targets.append("is " + " or ".join(refuse.points))
        if targets:
            out.append(f"{_cap(sheet())} is refused when one of its points {', or '.join(targets)}: {reason}.")
            if refuse.allow == "never":
                out.append("Nothing overrides this; the practitioner must choose other points.")
            else:
                out.append("The practitioner may print it anyway by naming that point with --allow-caution, having "
                           "chosen it knowingly.")
                if refuse.allowed_note and "en" in refuse.allowed_note:
                    out.append(f"The sheet then says beside the point: “{refuse.allowed_note['en']}”")
        elif refuse.allow == "override":
            token = rule.when[0] if rule.when else "FLAG"
            out.append(f"{_cap(sheet())} is refused: {reason}. The practitioner may print it anyway with --allow-caution "
                       f"{token}, having chosen it knowingly.")
            if refuse.allowed_note and "en" in refuse.allowed_note:
                out.append(f"The sheet then says: “{refuse.allowed_note['en']}”")
        else:
            out.append(f"{_cap(sheet())} is always refused: {reason}. Nothing overrides this.")
    if rule.risk_first:
        out.append(f"The risks part of {sheet()} opens with: “{rule.risk_first.get('en', '')}”")
    if rule.note:
        heading = f" under the heading “{rule.heading['en']}”" if rule.heading and "en" in rule.heading else ""
        out.append(f"{_cap(sheet())} adds{heading}: “{rule.note.get('en', '')}”")
    for route, signs in rule.urgent.items():
        for sign in signs:
            out.append(f"The urgent-care box of {sheet()} adds, under {ROUTE_WORDS.get(route, route)}: “{sign.get('en', '')}”")
    return tuple(out)


# Whom each route of an urgent sign sends the patient to (model.ROUTES), as the pack says it.
ROUTE_WORDS = {"emergency": "call emergency services", "doctor-now": "call your doctor now",
               "cancer-team": "call your cancer team", "midwife": "call your midwife or obstetrician",
               "clinic-today": "call the clinic the same day"}


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _outcomes(library: Library, condition: str) -> tuple[tuple[tuple[str, str], ...], str]:
    """What the safety rules do to a sheet of this condition with its usual points, for each flag (and each
    combination a rule names): printed with the notes it adds, or refused with the message the practitioner sees."""
    from ..composition.leaflet import resolve_points
    from ..composition.safety import apply_rules
    from ..errors import HandoutError

    cond = library.conditions.get(condition)
    if cond is None:
        return (), ""
    try:
        points = resolve_points(library, tuple(cp.code for cp in cond.points if cp.default))
    except HandoutError:
        return (), ""
    sets = [(f,) for f in library.rules.flags]
    sets += [tuple(r.when) for r in library.rules.rules if len(r.when) > 1 and tuple(r.when) not in sets]
    out = []
    for flags in sets:
        try:
            flags = (*cond.flags, *(f for f in flags if f not in cond.flags))  # the flags the sheet implies are always on
            safety = apply_rules(library, flags, (), points, f"the usual points of {condition}")
        except HandoutError as exc:
            out.append((" + ".join(flags), f"refused: {str(exc).removeprefix('not printed: ')}"))
            continue
        added = [rid for rid, _ in safety.risk_first + safety.notes]
        out.append((" + ".join(flags), "printed" + (f", with the text of rule {', '.join(added)}" if added else ", unchanged")))
    note = "The usual points of this sheet: " + ", ".join(f"{p.code} ({p.body.pinyin})" for p in points) + "."
    return tuple(out), note
