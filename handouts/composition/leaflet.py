"""Visit + Library -> Handout: pick the language, fill templates, choose points, apply safety rules."""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any

from ..errors import ContentError, UnknownPointError
from ..model import (
    LANG_NAMES,
    BodyMap,
    BookingCode,
    BulletList,
    Calendar,
    CalendarWeek,
    Callout,
    Condition,
    FactsRow,
    Handout,
    HandoutSection,
    Heading,
    Library,
    MapMark,
    MapPoint,
    Masthead,
    Paragraph,
    Phase,
    Point,
    PointRow,
    PointsTable,
    Texts,
    Timeline,
    Tracker,
)
from . import care
from .safety import Safety, apply_rules
from ..library.plan import PlanPhase, parse_plan, phase_start_weeks, session_count, session_dates
from .literal import fill
from .visit import Visit


class Writer:
    """Resolves localized text for one handout, naming the file and field when a translation is missing."""

    def __init__(self, library: Library, lang: str, context: dict[str, Any]):
        self.library = library
        self.lang = lang
        self.context = context
        self.numbers: dict[str, int] | None = None  # today's points by number: codes in lay text become "point 2"

    def __call__(self, texts: Texts | None, where: str) -> str:
        if not texts:
            raise ContentError([f"{where}: is empty; add the text"])
        text = texts.get(self.lang)  # type: ignore[call-overload]
        if text is None:
            name = LANG_NAMES[self.lang]
            raise ContentError([f"{where}: has no {name} text ({self.lang}:); add the translation, or print in another language with --lang"])
        text = fill(text, self.context, where)
        return care.lay_words(self, text, self.numbers, self.library) if self.numbers is not None else text

    def label(self, key: str, **values: Any) -> str:
        where = f"labels.yaml: words.{key}"
        texts = self.library.labels.words.get(key)
        if texts is None:
            raise ContentError([f"{where}: missing; add it (see the bundled labels.yaml)"])
        text = self(texts, where)
        return text.format(**values) if values else text

    def date(self, day: date) -> str:
        labels = self.library.labels
        pattern = labels.date_format.get(self.lang)  # type: ignore[call-overload]
        months = labels.months.get(self.lang)  # type: ignore[call-overload]
        if pattern is None or months is None:
            raise ContentError([f"no date format or month names for {LANG_NAMES[self.lang]} (they come from Babel: library/dates.py)"])
        text = pattern.format(day=day.day, month=months[day.month - 1], month_number=day.month, year=day.year)
        return text.replace(" ", "\u00a0")  # a date never breaks across lines (no-break spaces, as in print and HTML)

    def weekday_date(self, day: date) -> str:
        """`Tue December 1, 2026` (Babel's short weekday name before the date)."""
        names = self.library.labels.weekdays.get(self.lang)  # type: ignore[call-overload]
        return f"{names[day.weekday()]} {self.date(day)}" if names else self.date(day)


def resolve_points(library: Library, raw_codes: tuple[str, ...], where: str = "--points") -> tuple[Point, ...]:
    """Standard points for typed codes or aliases; every unknown code is reported at once."""
    found: list[Point] = []
    unknown: list[str] = []
    for raw in raw_codes:
        point = library.find_point(raw)
        if point is None:
            unknown.append(raw)
        elif point not in found:
            found.append(point)
    if unknown:
        names = list(library.points) + list(library.aliases)
        parts = []
        for raw in unknown:
            close = difflib.get_close_matches(raw.upper().replace(" ", ""), names, n=1, cutoff=0.6)
            parts.append(f"{raw!r}" + (f" (did you mean {library.aliases.get(close[0], close[0])}?)" if close else ""))
        raise UnknownPointError(f"{where}: unknown point {', '.join(parts)}; use WHO codes such as GB30 or LR3 (run `handouts list points`)")
    return tuple(found)


def compose(library: Library, visit: Visit) -> Handout:
    """Build the Handout for a visit."""
    from .offers import check_language, offered_condition

    check_language(library, visit.lang)
    cid, condition = offered_condition(library, visit.condition)
    cfile = library.where.get(f"conditions/{cid}", f"conditions/{cid}.yaml")
    clinic = library.clinic
    context = {"clinic": clinic.plain(), "practitioner": visit.practitioner}
    w = Writer(library, visit.lang, context)

    title_text = w(condition.title, f"{cfile}: title")
    context["condition"] = title_text

    if visit.points is None:
        codes = tuple(cp.code for cp in condition.points if cp.default)
        points = resolve_points(library, codes, f"{cfile}: points")
        points_from = f"the usual points of {cid}"
    else:
        points = resolve_points(library, visit.points)
        points_from = "--points"
    # A flag that names a technique (electroacupuncture, or cupping ticked on the screen) is that technique too.
    techniques = _known_techniques(library, tuple(dict.fromkeys(
        (*visit.techniques, *(f for f in visit.flags if f in library.techniques)))))
    # each technique is also a flag for the safety rules; a pregnancy sheet implies `pregnant` (the condition's `flags:`)
    flags = tuple(dict.fromkeys((*visit.flags, *condition.flags, *techniques)))
    implied = {f: f"the {cid} sheet" for f in condition.flags if f not in visit.flags}  # said so in a refusal
    safety = apply_rules(library, flags, visit.allow_caution, points, points_from, implied)
    w.numbers = {p.code: i for i, p in enumerate(points, start=1)}

    phases = _phases(condition, cfile, visit)
    sections = [
        _for_whom(w, visit),
        care.key_section(w, title_text, len(points),
                         w(condition.in_sentence, f"{cfile}: in_sentence") if condition.in_sentence else ""),
        _points_today(w, condition, cfile, points, safety),  # what we did today, right under the key points
        _techniques(w, library, techniques),  # and what else we did: cupping, moxibustion...
        _about(w, library, condition, cfile, title_text),
        _expect(w, library, condition, cfile),
        _risks(w, library, condition, cfile, safety, techniques),
        _plan(w, condition, cfile, visit, phases),
        _closing(w, library, condition, cfile),
        _sessions_page(w, visit, phases),
    ]

    draft, reviewed, unapproved = _approval(w, library, cid, tuple(p.code for p in points), techniques)
    lines = [*clinic.address, f"{w.label('phone')}{'：' if visit.lang == 'zh' else ': '}{clinic.phone}"]
    if clinic.website:
        lines.append(clinic.website)
    disclaimer = library.sections["disclaimer"]
    footer_line = w(disclaimer.footer, "sections/disclaimer.yaml: footer") if disclaimer.footer else ""
    return Handout(
        lang=visit.lang,
        title=w.label("document_title", condition=title_text),
        subtitle=w(condition.summary, f"{cfile}: summary"),
        masthead=Masthead(name=clinic.name, lines=tuple(lines), colour=clinic.colour, logo=library.logo),
        sections=tuple(s for s in sections if s is not None),
        footer_contact=f"{clinic.name} · {clinic.phone}" + (f" · {reviewed}" if reviewed else ""),
        footer=footer_line,
        page_label=w.label("page", page="{page}", pages="{pages}"),
        author=clinic.name,
        subject=w(condition.summary, f"{cfile}: summary"),
        condition_id=cid,
        point_codes=tuple(p.code for p in points),
        keywords=("acupuncture", cid, *(p.code for p in points)),
        draft_notice=draft,
        reviewed_notice=reviewed,
        unapproved=unapproved,
    )


APPROVAL_WORDS = {
    "draft_notice": {"en": "Draft: this text has not yet been approved by {clinic}",
                     "es": "Borrador: {clinic} aún no ha aprobado este texto",
                     "zh": "草稿：本文尚未经{clinic}审核批准"},
    "reviewed_on": {"en": "Reviewed {date}", "es": "Revisado el {date}", "zh": "审核日期：{date}"},
}


def _approval(w: Writer, library: Library, cid: str, codes: tuple[str, ...],
              techniques: tuple[str, ...] = ()) -> tuple[str, str, tuple[str, ...]]:
    """(draft line, "Reviewed <date>", unapproved files) for this sheet; refuses if the clinic requires approval."""
    from ..library.approvals import UnapprovedError, sheet_files

    status = library.approval
    files = sheet_files(library, cid, codes) + (["techniques.yaml"] if techniques and "techniques.yaml" in library.files else [])
    unapproved = tuple(status.unapproved(files)) if status is not None else tuple(files)
    clinic = library.clinic
    if unapproved and clinic.require_approval:
        raise UnapprovedError(status, unapproved, clinic.name)

    def word(key: str, **values: Any) -> str:  # a clinic's labels.yaml may predate these words
        texts = library.labels.words.get(key) or APPROVAL_WORDS[key]
        return w(texts, f"labels.yaml: words.{key}").format(**values)

    if unapproved:
        return word("draft_notice", clinic=clinic.name), "", unapproved
    day = status.last_date(files) if status is not None else None
    return "", (word("reviewed_on", date=w.date(day)) if day else ""), ()


def _for_whom(w: Writer, visit: Visit) -> HandoutSection:
    pairs = [(w.label("prepared_for"), visit.patient), (w.label("date"), w.date(visit.date))]
    if visit.practitioner:
        pairs.append((w.label("practitioner"), visit.practitioner))
    note = (care.note(w, visit.note, visit.practitioner),) if visit.note else ()  # under the patient band, signed
    return HandoutSection(id="for-whom", title="", blocks=(FactsRow(tuple(pairs), w.label("blank_to_fill")), *note))


def _about(w: Writer, library: Library, condition: Condition, cfile: str, title: str) -> HandoutSection:
    blocks: list[Any] = [Paragraph(w(t, f"{cfile}: overview[{i}]")) for i, t in enumerate(condition.overview)]
    # who_may_benefit is for someone deciding to try acupuncture (brochures); this patient already has.
    first = len(blocks)
    blocks.append(Heading(w.label("how_it_may_help"), level=3))
    what_is = library.sections["what-is-acupuncture"]
    for i, block in enumerate(what_is.blocks):
        if block.text and block.leaflet:
            blocks.append(Paragraph(w(block.text, f"sections/what-is-acupuncture.yaml: blocks[{i}].text")))
    blocks += [Paragraph(w(t, f"{cfile}: how_it_may_help[{i}]")) for i, t in enumerate(condition.how_it_may_help)]
    optional = tuple((i, 1) for i in range(first, len(blocks)))  # the first to go when a sheet runs long
    evidence = (w(condition.evidence_short, f"{cfile}: evidence_short") if condition.evidence_short
                else w(condition.evidence, f"{cfile}: evidence"))
    optional += tuple((i, 4) for i in range(len(condition.overview)))  # the overview after less actionable text: this patient knows the condition
    zh = w.lang == "zh"  # full-width punctuation after and between Chinese words
    blocks.append(Paragraph(graded(w, condition, evidence)))
    # The sources back the research line, in small print, in the reader's language where translated, with the review date.
    sources = ("；" if zh else "; ").join(care.source_name(w, library.sources[c.id], f"sources.yaml: {c.id}.short")
                                         for c in condition.sources)
    current = w.label("current_as_of", date=w.date(condition.reviewed.on))
    colon, stop = ("：", "。") if zh else (": ", ". ")
    blocks.append(Paragraph(f"{w.label('sources')}{colon}{sources}{stop}{current}", style="small"))
    optional += ((len(blocks) - 2, 7), (len(blocks) - 1, 7))  # the last cut, for the longest sheets (flags, a note, Spanish)
    return HandoutSection(id="about", title=w.label("about_condition", condition=title), blocks=tuple(blocks), optional=optional)


def graded(w: Writer, condition: Condition, evidence: str) -> str:
    """What the research says, opening with how strong the evidence is (grade.level) in patient words (leaflet and brochure)."""
    return w.label(f"grade_{condition.grade.level}") + ("" if w.lang == "zh" else " ") + evidence


def _points_today(w: Writer, condition: Condition, cfile: str, points: tuple[Point, ...], safety: Safety) -> HandoutSection:
    why_by_code = {cp.code: (i, cp.why) for i, cp in enumerate(condition.points)}
    rows = []
    for n, point in enumerate(points, start=1):
        body = point.body
        if body.location is None:
            raise ContentError([f"{point.where}: point {point.code} has no plain-language location; add `location:` before using it on a handout"])
        if point.code in why_by_code:
            i, texts = why_by_code[point.code]
            why = w(texts, f"{cfile}: points[{i}].why")
        elif body.uses:
            why = w(body.uses, f"{point.where}: {point.code}.uses")
        else:
            why = w.label("chosen_by_practitioner")
        note = ""
        if point.code in safety.point_notes:
            rule_id, texts = safety.point_notes[point.code]
            note = w(texts, f"rules.yaml: {rule_id}.refuse.allowed_note")
            if rule_id == "pregnancy-points":  # said once, in the note: not also "not used in pregnancy" in the why
                why = care.without_pregnancy_sentence(w.lang, why)

        rows.append(PointRow(number=n, code=point.code, pinyin=body.pinyin, hanzi=body.hanzi,
                             location=w(body.location, f"{point.where}: {point.code}.location"), why=why, note=note))
    headers = (w.label("col_code"), w.label("col_where"), w.label("col_why"))
    figure = body_map(w, points)
    # The map shows where the needles went, on both sides; the sentence that says so is for a sheet without it.
    intro = () if figure.points else (Paragraph(w.label("points_intro")),)
    use = Paragraph(w.label("map_use"), style="map_use")  # how to use the map: printed under it
    return HandoutSection(id="points", title=w.label("points_today"), blocks=(*intro, figure, PointsTable(headers, tuple(rows), (w.label("where_label"), w.label("why_label"))), use))


def body_map(w: Writer, points: tuple[Point, ...]) -> BodyMap:
    """Today's points as numbered marks on the views chosen for them (see handouts/design/map_geometry.py);
    a bilateral point off the midline of a symmetric view (front, back, face) is marked on both sides."""
    from ..design.map_figures import FIGURES
    from ..design.map_geometry import choose_views, view_order

    chosen = choose_views((point.code, point.body.map) for point in points)
    marked = []
    for n, point in enumerate(points, start=1):
        view = chosen.get(point.code)
        if view is None:  # a point without coordinates is left off the map (`handouts check` reports it)
            continue
        x, y = point.body.map[view]  # type: ignore[index]
        marks = [MapMark(view, x, y)]
        if FIGURES[view].mirror and point.body.bilateral and abs(x - 0.5) > 0.01:
            marks.append(MapMark(view, round(1 - x, 4), y))
        where = _view_label(w, view) + (f", {w.label('map_both_sides')}" if len(marks) > 1 else "")
        marked.append(MapPoint(n, point.code, tuple(marks), point.body.bilateral, where))
    views = tuple((v, _view_label(w, v)) for v in view_order(chosen.values()))
    return BodyMap(views=views, points=tuple(marked), caption=w.label("map_caption") if marked else "",
                   name=w.label("map_name"))


def _view_label(w: Writer, view: str) -> str:
    return w.label(view if view in ("front", "back") else f"map_{view}")


def _section_blocks(w: Writer, library: Library, sid: str, extra_items: list[str] | None = None) -> list[Any]:
    """A shared section's blocks; `extra_items` (condition-specific) join its first list."""
    section = library.sections[sid]
    out: list[Any] = []
    pending = list(extra_items or [])
    for i, block in enumerate(section.blocks):
        where = f"sections/{sid}.yaml: blocks[{i}]"
        if not block.leaflet:
            continue
        if block.heading:
            out.append(Heading(w(block.heading, where + ".heading"), level=3))
        if block.text:
            out.append(Paragraph(w(block.text, where + ".text")))
        if block.items:
            items = [w(t, f"{where}.items[{j}]") for j, t in enumerate(block.items)]
            out.append(BulletList(tuple(items + pending)))
            pending = []
    if pending:
        out.append(BulletList(tuple(pending)))
    return out


def _expect(w: Writer, library: Library, condition: Condition, cfile: str) -> HandoutSection:
    extra = [w(t, f"{cfile}: what_to_expect[{i}]") for i, t in enumerate(condition.what_to_expect)]
    # Steps in the order they happen: one numbered column, never two columns that could break apart.
    # The steps of the session itself (before "afterwards") go early on a long sheet (the patient just had one); the steps after it late.
    blocks: list[Any] = []
    optional: list[tuple[int, int]] = []
    for b in _section_blocks(w, library, "what-to-expect", extra):
        if isinstance(b, BulletList):
            lists = care.steps(b, split=SESSION_STEPS if not optional else 0)
            if len(lists) == 2:
                optional.append((len(blocks), 2))  # the steps of the session the patient just had: the second cut
            optional.append((len(blocks) + len(lists) - 1, 5))  # the steps after it, what the patient acts on: late
            blocks += lists
        else:
            blocks.append(b)
    return HandoutSection(id="expect", title=w(library.sections["what-to-expect"].title, "sections/what-to-expect.yaml: title"),
                          blocks=tuple(blocks), optional=tuple(optional))


SESSION_STEPS = 3  # what-to-expect's first steps: during the session (we ask, needles go in, you rest)


def _known_techniques(library: Library, names: tuple[str, ...]) -> tuple[str, ...]:
    """The visit's techniques, each one techniques.yaml has; VisitError naming the unknown one and the choices."""
    from ..errors import VisitError

    for name in names:
        if name not in library.techniques:
            close = difflib.get_close_matches(name, list(library.techniques), n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise VisitError(f"--technique: unknown technique {name!r}; {hint}the techniques are "
                             f"{', '.join(library.techniques) or 'none (no techniques.yaml)'}")
    return names


def _techniques(w: Writer, library: Library, names: tuple[str, ...]) -> HandoutSection | None:
    """One short block per technique used today: what was done and what you may see or feel, aftercare, its risks."""
    if not names:
        return None
    zh = w.lang == "zh"
    blocks: list[Any] = []
    optional: tuple[tuple[int, int], ...] = ()
    for name in names:
        t = library.techniques[name]
        where = f"techniques.yaml: techniques.{name}"
        risks = ("；" if zh else "; ").join(w(r, f"{where}.risks[{i}]") for i, r in enumerate(t.risks))
        blocks += [Heading(w(t.name, f"{where}.name"), level=3), Paragraph(w(t.done, f"{where}.done") + ("" if zh else " ") + w(t.feel, f"{where}.feel")),
                   Paragraph(w(t.aftercare, f"{where}.aftercare") + ("" if zh else " ") + w.label("technique_risks")
                             + ("" if zh else " ") + risks + ("。" if zh else "."))]
        if t.points:  # points the body atlas has not (ear seeds: ear points): their own figure, numbered as listed
            blocks += [ear_map(w, t.points, where), ear_legend(w, t.points, where)]
            # on a sheet that runs long, the figure and its list go with the subtitle (rank 8), after the research line
            optional += ((len(blocks) - 2, 8), (len(blocks) - 1, 8))
    return HandoutSection(id="techniques", title=w.label("techniques_today"), blocks=tuple(blocks), optional=optional)


def ear_map(w: Writer, points, where: str) -> BodyMap:
    """A technique's ear points on the ear view of the body map, as numbered dots (numbered as ear_legend lists them)."""
    view = w.label("map_ear")
    marked = tuple(MapPoint(n, p.code, (MapMark("ear", p.map[0], p.map[1]),), bilateral=False,
                            where=f"{w(p.name, f'{where}.points[{n - 1}].name')}, {view}")
                   for n, p in enumerate(points, start=1))
    return BodyMap(views=(("ear", view),), points=marked, name=w.label("ear_map_name"))


def ear_legend(w: Writer, points, where: str) -> Paragraph:
    """What the ear figure's numbers are: "Ear points: 1 Shen Men, 2 Sympathetic, ..."."""
    sep, stop = ("；", "。") if w.lang == "zh" else (", ", ".")
    names = (f"{n}\u00a0{w(p.name, f'{where}.points[{n - 1}].name')}" for n, p in enumerate(points, start=1))  # never split
    return Paragraph(w.label("ear_points") + ("" if w.lang == "zh" else " ") + sep.join(names) + stop)


def _risks(w: Writer, library: Library, condition: Condition, cfile: str, safety: Safety,
           techniques: tuple[str, ...] = ()) -> HandoutSection:
    extra = [w(t, f"{cfile}: risks[{i}]") for i, t in enumerate(condition.risks)]
    rules = {r.id: r for r in library.rules.rules}
    first: list[Any] = []
    for rule_id, texts in safety.risk_first:  # each flag's paragraph under a heading that names it
        first += [Heading(care.rule_heading(w, rules.get(rule_id), w.label("for_you")), level=3),
                  Paragraph(w(texts, f"rules.yaml: {rule_id}.risk_first"))]
    shared = _section_blocks(w, library, "risks", extra)
    optional = tuple((len(first), 6) for b in shared[:1] if isinstance(b, Paragraph))  # "usually safe" frames the risks list: the sixth cut
    blocks = first + shared
    for rule_id, texts in safety.notes:
        blocks += [Heading(care.rule_heading(w, rules.get(rule_id), w.label("for_you")), level=3),
                   Paragraph(w(texts, f"rules.yaml: {rule_id}.note"))]
    applied = [rules[i] for i in dict.fromkeys([i for i, _ in safety.risk_first] + [i for i, _ in safety.notes]) if i in rules]
    call = library.sections["when-to-call"]
    signs = {cfile: condition.urgent}
    signs.update({f"techniques.yaml: techniques.{n}": library.techniques[n].urgent for n in techniques})
    parts, icons, columns = care.routed_parts(w, call, signs, applied)
    blocks.append(Callout(title=w(call.title, "sections/when-to-call.yaml: title"), parts=tuple(parts), icons=icons,
                          closing=w.label("urgent_any", emergency=w.library.clinic.emergency_number), columns=columns))
    return HandoutSection(id="risks", title=w(library.sections["risks"].title, "sections/risks.yaml: title"), blocks=tuple(blocks),
                          optional=optional)


def _phases(condition: Condition, cfile: str, visit: Visit) -> tuple[PlanPhase, ...]:
    """The visit's plan, else the condition's usual schedule, else none."""
    if visit.plan:
        return parse_plan(visit.plan, "--plan")
    if condition.plan.schedule:
        return parse_plan(condition.plan.schedule, f"{cfile}: plan.schedule")
    return ()


def phase_text(w: Writer, phase: PlanPhase) -> str:
    """`2 sessions a week for 4 weeks`, in the handout's language."""
    one = "_one" if phase.sessions == 1 else ""
    what = w.label(f"phase_{phase.per}{one}", n=phase.sessions)
    if phase.length is None:
        return w.label("phase", what=what, length=w.label("from_then_on"))
    unit = "weeks" if phase.per == "week" else "months"
    length = w.label(f"for_{unit}_one" if phase.length == 1 else f"for_{unit}", n=phase.length)
    return w.label("phase", what=what, length=length)


def timeline(w: Writer, phases: tuple[PlanPhase, ...], start: date | None = None) -> Timeline:
    starts = phase_start_weeks(phases, start)  # counted from the first session, as the planned dates are
    out = []
    for i, phase in enumerate(phases):
        a = starts[i]
        if phase.per == "week" and phase.length is not None:
            b = a + phase.length - 1
            when = w.label("week_n", a=a) if a == b else w.label("weeks_range", a=a, b=b)
        else:
            when = w.label("from_week", a=a)
        out.append(Phase(phase.sessions, phase.per, phase.length, phase_text(w, phase), when))
    return Timeline(tuple(out))


def _plan(w: Writer, condition: Condition, cfile: str, visit: Visit, phases: tuple[PlanPhase, ...]) -> HandoutSection:
    blocks: list[Any] = []
    ticks = None
    if phases:
        line = timeline(w, phases, visit.start)
        blocks.append(line)
        ticks = care.checklist(w, phases, {p: ph.when for p, ph in zip(phases, line.phases)}.get)
    if w.library.clinic.booking_url:  # beside what follows: the next booking is the plan's next step
        blocks.append(BookingCode(w.library.clinic.booking_url, w.label("scan_to_book"), w.label("book_online")))
    if phases:  # how to use the timeline, and a box to tick per session
        url = w.library.clinic.booking_url
        use = (w.label("timeline_use", phone=w.library.clinic.phone, address=url.split("://", 1)[-1]) if url
               else w.label("timeline_use_phone", phone=w.library.clinic.phone))
        blocks.append(Paragraph(use, style="lead"))
        if ticks:
            blocks.append(ticks)
    if visit.plan:
        blocks.append(Paragraph(f"{w.label('plan_from_practitioner')} {visit.plan}", style="lead"))
    if not phases:  # the timeline says what the summary says, in a picture with words
        blocks.append(Paragraph(w(condition.plan.summary, f"{cfile}: plan.summary")))
    optional = tuple((len(blocks) + i, 3) for i in range(len(condition.plan.details)))  # a long sheet's third cut
    blocks += [Paragraph(w(t, f"{cfile}: plan.details[{i}]")) for i, t in enumerate(condition.plan.details)]
    if condition.self_care:  # the very last cut (after the subtitle, render/leaflet.py): the note is this visit's advice
        optional += ((len(blocks), 9), (len(blocks) + 1, 9))
        blocks.append(Heading(w.label("self_care"), level=3))
        blocks.append(care.self_care(w, condition, cfile))
    return HandoutSection(id="plan", title=w.label("your_plan"), blocks=tuple(blocks), optional=optional)


def _closing(w: Writer, library: Library, condition: Condition, cfile: str) -> HandoutSection | None:
    """The disclaimer blocks meant for the leaflet, in small print at the end (the footer has its short form)."""
    disclaimer = library.sections["disclaimer"]
    blocks: list[Any] = []
    for i, block in enumerate(disclaimer.blocks):
        where = f"sections/disclaimer.yaml: blocks[{i}]"
        if not block.leaflet:
            continue
        texts = ([w(block.heading, where + ".heading")] if block.heading else []) + ([w(block.text, where + ".text")] if block.text else [])
        texts += [w(t, f"{where}.items[{j}]") for j, t in enumerate(block.items)]
        blocks.append(Paragraph(" ".join(texts), style="small"))
    return HandoutSection(id="disclaimer", title="", blocks=tuple(blocks)) if blocks else None


TRACKER_ROWS = (8, 16)  # fewest and most rows the tracker prints


def _sessions_page(w: Writer, visit: Visit, phases: tuple[PlanPhase, ...]) -> HandoutSection | None:
    """The extra page: suggested dates (with --start) and the session tracker (with --tracker)."""
    if visit.start is None and not visit.tracker:
        return None
    blocks: list[Any] = []
    dates = session_dates(phases, visit.start) if visit.start else []
    if visit.start is not None:
        blocks.append(Heading(w.label("calendar"), level=2))
        blocks.append(Paragraph(w.label("calendar_intro", start=w.weekday_date(visit.start), phone=w.library.clinic.phone)))
        weeks: dict[int, list[str]] = {}
        for day in dates:
            weeks.setdefault((day - visit.start).days // 7 + 1, []).append(w.weekday_date(day))
        open_ended = [p for p in phases if p.length is None]
        after = w.label("calendar_after", phase=phase_text(w, open_ended[0])) if open_ended else ""
        blocks.append(Calendar(headers=(w.label("col_week"), w.label("col_dates")),
                               weeks=tuple(CalendarWeek(w.label("week_n", a=k), tuple(v)) for k, v in sorted(weeks.items())),
                               after=after))
    if visit.tracker:
        low, high = TRACKER_ROWS
        count = min(high, max(low, session_count(phases)))
        rows = [w.date(d) for d in dates[:count]]
        rows += [""] * (count - len(rows))
        blocks.append(Heading(w.label("tracker"), level=2))
        blocks.append(Paragraph(w.label("tracker_intro")))
        headers = tuple(w.label(k) for k in ("col_session_date", "col_done", "col_pain_before", "col_pain_after", "col_notes"))
        blocks.append(Tracker(headers=headers, rows=tuple(rows)))
    return HandoutSection(id="sessions", title="", blocks=tuple(blocks), new_page=True)
