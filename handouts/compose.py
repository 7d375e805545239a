"""Visit + Library -> Handout: pick the language, fill templates, choose points, apply safety rules."""

from __future__ import annotations

import difflib
from datetime import date
from typing import Any

from .errors import ContentError, UnknownConditionError, UnknownPointError
from .model import (
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
from .safety import Safety, apply_rules
from .plan import PlanPhase, parse_plan, phase_start_weeks, session_count, session_dates
from .text import fill
from .visit import Visit


class _Writer:
    """Resolves localized text for one handout, naming the file and field when a translation is missing."""

    def __init__(self, library: Library, lang: str, context: dict[str, Any]):
        self.library = library
        self.lang = lang
        self.context = context

    def __call__(self, texts: Texts | None, where: str) -> str:
        if not texts:
            raise ContentError([f"{where}: is empty; add the text"])
        text = texts.get(self.lang)  # type: ignore[call-overload]
        if text is None:
            name = LANG_NAMES[self.lang]
            raise ContentError([f"{where}: has no {name} text ({self.lang}:); add the translation, or print in another language with --lang"])
        return fill(text, self.context, where)

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
            raise ContentError([f"labels.yaml: date_format/months: no {LANG_NAMES[self.lang]} entry; add it"])
        return pattern.format(day=day.day, month=months[day.month - 1], month_number=day.month, year=day.year)

    def weekday_date(self, day: date) -> str:
        """`Tue, December 1, 2026` (the date alone when labels.yaml has no weekday names for the language)."""
        names = self.library.labels.weekdays.get(self.lang)  # type: ignore[call-overload]
        return f"{names[day.weekday()]} {self.date(day)}" if names else self.date(day)


def find_condition(library: Library, raw: str) -> tuple[str, Condition]:
    """The condition a typed id means (`Hip Pain`, `hip_pain` -> hip-pain), with its id."""
    key = raw.strip().lower().replace(" ", "-").replace("_", "-")
    if key in library.conditions:
        return key, library.conditions[key]
    close = difflib.get_close_matches(key, list(library.conditions), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]!r}? " if close else ""
    raise UnknownConditionError(f"unknown condition {raw!r}; {hint}run `handouts list conditions` to see them all")


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
    cid, condition = find_condition(library, visit.condition)
    cfile = library.where.get(f"conditions/{cid}", f"conditions/{cid}.yaml")
    clinic = library.clinic
    context = {"clinic": clinic.model_dump(), "practitioner": visit.practitioner}
    w = _Writer(library, visit.lang, context)

    title_text = w(condition.title, f"{cfile}: title")
    context["condition"] = title_text

    if visit.points is None:
        codes = tuple(cp.code for cp in condition.points if cp.default)
        points = resolve_points(library, codes, f"{cfile}: points")
        points_from = f"the usual points of {cid}"
    else:
        points = resolve_points(library, visit.points)
        points_from = "--points"
    safety = apply_rules(library, visit.flags, visit.allow_caution, points, points_from)

    phases = _phases(condition, cfile, visit)
    sections = [
        _for_whom(w, visit),
        _about(w, library, condition, cfile, title_text),
        _points_today(w, condition, cfile, points, safety),
        _expect(w, library, condition, cfile),
        _risks(w, library, condition, cfile, safety),
        _plan(w, condition, cfile, visit, phases),
        _closing(w, library, condition, cfile),
        _sessions_page(w, visit, phases),
    ]

    lines = [*clinic.address, f"{w.label('phone')}: {clinic.phone}"]
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
        footer_contact=f"{clinic.name} · {clinic.phone}",
        footer=footer_line,
        page_label=w.label("page", page="{page}", pages="{pages}"),
        author=clinic.name,
        subject=w(condition.summary, f"{cfile}: summary"),
        condition_id=cid,
        point_codes=tuple(p.code for p in points),
        keywords=("acupuncture", cid, *(p.code for p in points)),
    )


def _for_whom(w: _Writer, visit: Visit) -> HandoutSection:
    pairs = [(w.label("prepared_for"), visit.patient), (w.label("date"), w.date(visit.date))]
    if visit.practitioner:
        pairs.append((w.label("practitioner"), visit.practitioner))
    return HandoutSection(id="for-whom", title="", blocks=(FactsRow(tuple(pairs)),))


def _about(w: _Writer, library: Library, condition: Condition, cfile: str, title: str) -> HandoutSection:
    blocks: list[Any] = [Paragraph(w(t, f"{cfile}: overview[{i}]")) for i, t in enumerate(condition.overview)]
    blocks.append(Paragraph(w.label("who_may_benefit"), style="lead"))
    blocks.append(BulletList(tuple(w(t, f"{cfile}: who_may_benefit[{i}]") for i, t in enumerate(condition.who_may_benefit))))
    blocks.append(Heading(w.label("how_it_may_help"), level=3))
    what_is = library.sections["what-is-acupuncture"]
    for i, block in enumerate(what_is.blocks):
        if block.text and block.leaflet:
            blocks.append(Paragraph(w(block.text, f"sections/what-is-acupuncture.yaml: blocks[{i}].text")))
    blocks += [Paragraph(w(t, f"{cfile}: how_it_may_help[{i}]")) for i, t in enumerate(condition.how_it_may_help)]
    blocks.append(Paragraph(w.label("what_the_research_says") + " " + w(condition.evidence, f"{cfile}: evidence")))
    return HandoutSection(id="about", title=w.label("about_condition", condition=title), blocks=tuple(blocks))


def _points_today(w: _Writer, condition: Condition, cfile: str, points: tuple[Point, ...], safety: Safety) -> HandoutSection:
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
        rows.append(PointRow(number=n, code=point.code, pinyin=body.pinyin, hanzi=body.hanzi,
                             location=w(body.location, f"{point.where}: {point.code}.location"), why=why, note=note))
    headers = (w.label("col_code"), w.label("col_where"), w.label("col_why"))
    figure = body_map(w, points)
    # The map shows where the needles went, on both sides; the sentence that says so is for a sheet without it.
    intro = () if figure.points else (Paragraph(w.label("points_intro")),)
    return HandoutSection(id="points", title=w.label("points_today"), blocks=(*intro, figure, PointsTable(headers, tuple(rows))))


def body_map(w: _Writer, points: tuple[Point, ...]) -> BodyMap:
    """Today's points as numbered marks; a bilateral point off the midline is marked on both sides."""
    marked = []
    for n, point in enumerate(points, start=1):
        marks = []
        for view, (x, y) in sorted(point.body.map.items()):
            marks.append(MapMark(view, x, y))
            if point.body.bilateral and abs(x - 0.5) > 0.01:
                marks.append(MapMark(view, round(1 - x, 4), y))
        if marks:  # a point without coordinates is left off the map (`handouts check` reports it)
            views = [w.label(view) for view in sorted({m.view for m in marks}, key=("front", "back").index)]
            sides = [w.label("map_both_sides")] if len({m.x for m in marks}) > len(views) else []
            marked.append(MapPoint(n, point.code, tuple(marks), point.body.bilateral, ", ".join(views + sides)))
    return BodyMap(views=(("front", w.label("front")), ("back", w.label("back"))), points=tuple(marked),
                   name=w.label("map_name"))


def _section_blocks(w: _Writer, library: Library, sid: str, extra_items: list[str] | None = None) -> list[Any]:
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


def _expect(w: _Writer, library: Library, condition: Condition, cfile: str) -> HandoutSection:
    extra = [w(t, f"{cfile}: what_to_expect[{i}]") for i, t in enumerate(condition.what_to_expect)]
    return HandoutSection(id="expect", title=w(library.sections["what-to-expect"].title, "sections/what-to-expect.yaml: title"),
                          blocks=tuple(_section_blocks(w, library, "what-to-expect", extra)))


def _risks(w: _Writer, library: Library, condition: Condition, cfile: str, safety: Safety) -> HandoutSection:
    extra = [w(t, f"{cfile}: risks[{i}]") for i, t in enumerate(condition.risks)]
    first = [Paragraph(w(texts, f"rules.yaml: {rule_id}.risk_first"), style="lead") for rule_id, texts in safety.risk_first]
    blocks = first + _section_blocks(w, library, "risks", extra)
    if safety.notes:
        blocks.append(Heading(w.label("for_you"), level=3))
        blocks += [Paragraph(w(texts, f"rules.yaml: {rule_id}.note")) for rule_id, texts in safety.notes]
    call = library.sections["when-to-call"]
    parts = []
    for i, block in enumerate(call.blocks):
        where = f"sections/when-to-call.yaml: blocks[{i}]"
        head = w(block.heading, where + ".heading") if block.heading else ""
        items = [w(block.text, where + ".text")] if block.text else []
        items += [w(t, f"{where}.items[{j}]") for j, t in enumerate(block.items)]
        if i == 0:  # the first block is the urgent-care list: the condition's own urgent signs join it
            items += [w(t, f"{cfile}: urgent[{j}]") for j, t in enumerate(condition.urgent)]
        parts.append((head, tuple(items)))
    blocks.append(Callout(title=w(call.title, "sections/when-to-call.yaml: title"), parts=tuple(parts)))
    return HandoutSection(id="risks", title=w(library.sections["risks"].title, "sections/risks.yaml: title"), blocks=tuple(blocks))


def _phases(condition: Condition, cfile: str, visit: Visit) -> tuple[PlanPhase, ...]:
    """The visit's plan, else the condition's usual schedule, else none."""
    if visit.plan:
        return parse_plan(visit.plan, "--plan")
    if condition.plan.schedule:
        return parse_plan(condition.plan.schedule, f"{cfile}: plan.schedule")
    return ()


def phase_text(w: _Writer, phase: PlanPhase) -> str:
    """`2 sessions a week for 4 weeks`, in the handout's language."""
    one = "_one" if phase.sessions == 1 else ""
    what = w.label(f"phase_{phase.per}{one}", n=phase.sessions)
    if phase.length is None:
        return w.label("phase", what=what, length=w.label("from_then_on"))
    unit = "weeks" if phase.per == "week" else "months"
    length = w.label(f"for_{unit}_one" if phase.length == 1 else f"for_{unit}", n=phase.length)
    return w.label("phase", what=what, length=length)


def timeline(w: _Writer, phases: tuple[PlanPhase, ...]) -> Timeline:
    starts = phase_start_weeks(phases)
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


def _plan(w: _Writer, condition: Condition, cfile: str, visit: Visit, phases: tuple[PlanPhase, ...]) -> HandoutSection:
    blocks: list[Any] = []
    if phases:
        blocks.append(timeline(w, phases))
    if visit.note:
        blocks.append(Paragraph(f"{w.label('note_from_practitioner')} {visit.note}", style="lead"))
    if visit.plan:
        blocks.append(Paragraph(f"{w.label('plan_from_practitioner')} {visit.plan}", style="lead"))
    if w.library.clinic.booking_url:  # beside what follows: the next booking is the plan's next step
        blocks.append(BookingCode(w.library.clinic.booking_url, w.label("scan_to_book")))
    if not phases:  # the timeline says what the summary says, in a picture with words
        blocks.append(Paragraph(w(condition.plan.summary, f"{cfile}: plan.summary")))
    blocks += [Paragraph(w(t, f"{cfile}: plan.details[{i}]")) for i, t in enumerate(condition.plan.details)]
    if condition.self_care:
        blocks.append(Heading(w.label("self_care"), level=3))
        blocks.append(BulletList(tuple(w(t, f"{cfile}: self_care[{i}]") for i, t in enumerate(condition.self_care))))
    # The sources close the plan in small print, beside the booking code rather than on a line of their own.
    sources = "; ".join(s.short or s.cite for s in condition.sources)
    blocks.append(Paragraph(f"{w.label('sources')}: {sources}", style="small"))
    return HandoutSection(id="plan", title=w.label("your_plan"), blocks=tuple(blocks))


def _closing(w: _Writer, library: Library, condition: Condition, cfile: str) -> HandoutSection | None:
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


def _sessions_page(w: _Writer, visit: Visit, phases: tuple[PlanPhase, ...]) -> HandoutSection | None:
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
