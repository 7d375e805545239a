"""The session-plan grammar (`--plan "2/week x4, 1/week x4, monthly"`) and the session dates it gives.

A plan is phases separated by commas, `then` or `, then`. Each phase is one of:

    N/week xW     N sessions a week for W weeks    (e.g. 2/week x4)
    N/month xM    N sessions a month for M months  (e.g. 1/month x3)
    weekly        the same as 1/week               (add xW to end it: weekly x6)
    monthly       the same as 1/month              (add xM to end it: monthly x3)

A phase without `xW` / `xM` is open-ended ("from then on"); only the last phase may be.
Pure functions: no I/O, no ReportLab.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from ..errors import VisitError

HELP = "write N/week xW, N/month xM, weekly, monthly"
EXAMPLE = "2/week x4, 1/week x4, monthly"
MAX_PER = {"week": 7, "month": 8}
MAX_LENGTH = {"week": 52, "month": 24}
UNITS = {"week": "week", "weeks": "week", "wk": "week", "w": "week", "month": "month", "months": "month", "mo": "month", "m": "month"}
WORDS = {"weekly": (1, "week"), "monthly": (1, "month")}

_PHASE = re.compile(r"^(?:(?P<word>[a-z]+)|(?P<n>\d+)\s*/\s*(?P<unit>[a-z]*))\s*(?:[x×]\s*(?P<len>\S*))?$")


@dataclass(frozen=True)
class PlanPhase:
    """N sessions per week or month, for `length` weeks or months (None: open-ended)."""

    sessions: int
    per: str  # "week" | "month"
    length: int | None


def parse_plan(text: str, where: str = "--plan") -> tuple[PlanPhase, ...]:
    """Phases of a plan written in the grammar above; a VisitError names `where` and quotes the bad part."""
    raw = text.strip()
    if not raw:
        raise VisitError(f"{where}: is empty; {HELP} (e.g. \"{EXAMPLE}\")")
    parts = [p.strip() for p in re.split(r"\s*(?:[,;]\s*(?:then\b)?|\bthen\b)\s*", raw, flags=re.IGNORECASE)]
    phases: list[PlanPhase] = []
    for i, part in enumerate(parts):
        if not part:
            raise VisitError(f"{where}: \"{raw}\": an empty phase (two commas in a row?); {HELP}")
        phase = _phase(part, where)
        if phases and phases[-1].length is None:
            raise VisitError(f"{where}: \"{parts[i - 1]}\": only the last phase can be open-ended; "
                             f"give it a length (e.g. \"{parts[i - 1]} x4\")")
        phases.append(phase)
    return tuple(phases)


def _phase(part: str, where: str) -> PlanPhase:
    m = _PHASE.match(part.lower())
    if not m:
        raise VisitError(f"{where}: \"{part}\": not a phase; {HELP}")
    if m["word"]:
        if m["word"] not in WORDS:
            raise VisitError(f"{where}: \"{part}\": unknown word \"{m['word']}\"; {HELP}")
        sessions, per = WORDS[m["word"]]
    else:
        per = UNITS.get(m["unit"])
        if per is None:
            unit = m["unit"] or "(none)"
            raise VisitError(f"{where}: \"{part}\": unknown unit \"{unit}\"; {HELP}")
        sessions = int(m["n"])
        if not 1 <= sessions <= MAX_PER[per]:
            raise VisitError(f"{where}: \"{part}\": {sessions} sessions a {per} is not possible; use 1 to {MAX_PER[per]}")
    length = None
    if m["len"] is not None:
        if not m["len"].isdigit():
            raise VisitError(f"{where}: \"{part}\": \"x{m['len']}\" is not a number of {per}s; write e.g. x4")
        length = int(m["len"])
        if not 1 <= length <= MAX_LENGTH[per]:
            raise VisitError(f"{where}: \"{part}\": {length} {per}s is out of range; use 1 to {MAX_LENGTH[per]}")
    return PlanPhase(sessions, per, length)


def add_months(day: date, months: int) -> date:
    """The same day of the month `months` later (the month's last day when it is shorter)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def phase_start_weeks(phases: tuple[PlanPhase, ...], start: date | None = None) -> list[int]:
    """The week (1-based) in which each phase starts, counting months as their weeks from `start` (the first
    session's date, so the timeline's "from week N" agrees with the dates the sessions are planned on); without a
    start, from a fixed one (month lengths vary, so a monthly phase's week may then differ by one)."""
    out, days = [], 0
    first = start
    begin = start or date(2001, 1, 1)
    for phase in phases:
        out.append(days // 7 + 1)
        if phase.length is not None:
            end = begin + timedelta(days=7 * phase.length) if phase.per == "week" else add_months(begin, phase.length)
            days += (end - begin).days
            begin = end
    if first is not None:  # a phase's week is that of its first planned session (moved off a weekend, say)
        dates, k = session_dates(phases, first), 0
        for i, phase in enumerate(phases):
            if phase.length is None or k >= len(dates):
                break
            out[i] = (dates[k] - first).days // 7 + 1
            k += phase.sessions * phase.length
    return out


def session_dates(phases: tuple[PlanPhase, ...], start: date) -> list[date]:
    """Suggested dates for every session of the phases that have an end, spread evenly in each week or month."""
    dates: list[date] = []
    begin = start
    for phase in phases:
        if phase.length is None:
            break
        for k in range(phase.length):
            if phase.per == "week":
                first, span = begin + timedelta(days=7 * k), 7
            else:
                first = add_months(begin, k)
                span = (add_months(begin, k + 1) - first).days
            for i in range(phase.sessions):
                day = _weekday(first + timedelta(days=(i * span) // phase.sessions))
                if dates and day <= dates[-1]:  # never two sessions on one day
                    day = _weekday(dates[-1] + timedelta(days=1))
                dates.append(day)
        begin = begin + timedelta(days=7 * phase.length) if phase.per == "week" else add_months(begin, phase.length)
    return dates


def _weekday(day: date) -> date:
    """A Saturday or Sunday moves to the Monday after (most clinics are closed at weekends)."""
    return day + timedelta(days=7 - day.weekday()) if day.weekday() >= 5 else day


def session_count(phases: tuple[PlanPhase, ...]) -> int:
    """How many sessions the phases with an end add up to."""
    return sum(p.sessions * p.length for p in phases if p.length is not None)
