"""A visit: who the handout is for and what was done, from options, a visit file or a batch row."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any, Callable, Mapping

from ..library import yamlio
from ..errors import ContentError, VisitError, VisitErrors
from ..model import LANG_NAMES, LANGS, Clinic
from ..library.plan import parse_plan
from ..markup import clean

PAGE_SIZES = ("letter", "a4")
MAX_NAME = 120
MAX_PLAN = 300
MAX_NOTE = 1500


@dataclass(frozen=True)
class Visit:
    """Everything compose needs to know about one patient's handout."""

    condition: str
    patient: str = ""
    practitioner: str = ""
    date: date = field(default_factory=date.today)
    points: tuple[str, ...] | None = None  # None: the condition's usual points
    plan: str = ""  # empty: the condition's usual plan
    start: date | None = None
    flags: tuple[str, ...] = ()
    techniques: tuple[str, ...] = ()  # techniques beside needles used today (techniques.yaml): cupping, moxibustion, ...
    allow_caution: tuple[str, ...] = ()  # points the practitioner chose knowing a rule cautions them
    note: str = ""  # a personal note from the practitioner, printed on the sheet
    lang: str = "en"
    large_print: bool = False
    tracker: bool = False  # add the session tracker page
    page_size: str = "letter"


FIELDS = tuple(f.name for f in fields(Visit))


DATE_ORDERS = ("mdy", "dmy")
# Spreadsheet date numbers (Excel's 1900 system: day 1 is 1900-01-01, and 1900-02-29, which never was, is day 60):
# from day 61 on, day N is 1899-12-30 plus N days. Only numbers for 2000-01-01 to 2099-12-31 are taken as dates.
_SERIALS = (36526, 73050)
_EPOCH = date(1899, 12, 30)
# A time after the date, as spreadsheets write a date-and-time cell ("12/8/2026 9:30 AM", "2026-12-08T09:30:00"):
# the visit is the day, so the time is let go.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp]\.?[Mm]\.?)?)?"
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME)
_LOCAL = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})" + _TIME)
_SERIAL = re.compile(r"(\d+)(?:\.\d+)?")  # a date number; a fraction is the time of day


def date_order(clinic: Clinic | None = None) -> str:
    """How the clinic writes 3/4/2026: its profile's `date_order`, else from its paper (letter: mdy, a4: dmy)."""
    order = getattr(clinic, "date_order", None)
    if order in DATE_ORDERS:
        return order
    return "dmy" if getattr(clinic, "page_size", "letter") == "a4" else "mdy"


def _forms(order: str) -> str:
    local = "12/8/2026 or 12/08/26 (month first" if order == "mdy" else "8/12/2026 or 08.12.26 (day first"
    return (f"write it as 2026-12-08, {local}: the clinic's date order, `date_order` in clinic.yaml), "
            "or a spreadsheet date number such as 46364")


def parse_date(value: Any, where: str, order: str = "mdy") -> date:
    """A date as a clinic's spreadsheet or a person writes it: ISO (2026-12-08), the clinic's own order with `/`, `.`
    or `-` (`order` mdy: 12/8/2026, dmy: 8/12/2026; leading zeros optional; a 2-digit year is 20YY), or a spreadsheet
    date number (a YAML number, or a cell of digits only); a time after it is let go. The order is the clinic's, never
    guessed from the value."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise VisitError(f"{where}: {value!r} is not a date; {_forms(order)}")
    text = str(value).strip()
    if m := _SERIAL.fullmatch(text):
        serial = int(m.group(1))
        if not _SERIALS[0] <= serial <= _SERIALS[1]:
            raise VisitError(f"{where}: {text!r} is not a date (as a spreadsheet date number it falls outside "
                             f"2000-2099); {_forms(order)}")
        return _EPOCH + timedelta(days=serial)
    if m := _ISO.fullmatch(text):
        year, month, day = (int(g) for g in m.groups())
    elif m := _LOCAL.fullmatch(text):
        first, _, second, year_text = m.groups()
        month, day = (int(first), int(second)) if order == "mdy" else (int(second), int(first))
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    else:
        raise VisitError(f"{where}: {text!r} is not a date; {_forms(order)}")
    try:
        return date(year, month, day)
    except ValueError:
        if _ISO.fullmatch(text):
            raise VisitError(f"{where}: {text!r} is not a real date (check the month and day)") from None
        raise VisitError(f"{where}: {text!r} is not a real date read as {'month/day' if order == 'mdy' else 'day/month'}"
                         "/year, the clinic's date order (`date_order` in clinic.yaml); check the month and day") from None


_RTL = ("R", "AL")


def _text(value: Any, where: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            value = str(value)
        else:
            raise VisitError(f"{where}: must be text, found {type(value).__name__}")
    text = clean(value)
    rtl = [c for c in text if unicodedata.bidirectional(c) in _RTL]
    if rtl:
        raise VisitError(f"{where}: right-to-left text ({rtl[0]!r}, e.g. Arabic or Hebrew) cannot be printed yet; "
                         "write it in Latin letters")
    if len(text) > limit:
        raise VisitError(f"{where}: is {len(text)} characters long; the limit is {limit}. Shorten it")
    return text


def point_codes(value: Any, where: str) -> tuple[str, ...] | None:
    """The codes typed in a points cell or list, as typed (not yet looked up), each once; None when empty."""
    if value is None or value == "":
        return None
    items = value if isinstance(value, list) else str(value).split(",")
    codes = []
    for item in items:
        if not isinstance(item, (str, int)):
            raise VisitError(f"{where}: each point must be a code such as GB30, found {type(item).__name__}")
        code = clean(str(item))
        if code and code not in codes:
            codes.append(code)
    if not codes:
        raise VisitError(f"{where}: no point codes given; list codes separated by commas, e.g. GB30,GB29,BL40")
    if len(codes) > 40:
        raise VisitError(f"{where}: {len(codes)} points is more than the 40 a handout can list; give the points used today")
    return tuple(codes)


def _flags(value: Any, where: str) -> tuple[str, ...]:
    if value is None or value == "":
        return ()
    items = [part for v in (value if isinstance(value, list) else [value]) for part in re.split(r"[,;]", str(v))]
    out = []
    for item in items:
        flag = clean(str(item)).lower()
        if flag and flag not in out:
            out.append(flag)
    return tuple(out)


def _bool(value: Any, where: str) -> bool:
    if isinstance(value, bool) or value is None:
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "yes", "y", "1", "x"):
        return True
    if text in ("false", "no", "n", "0", ""):
        return False
    raise VisitError(f"{where}: {value!r} is not yes or no; write true or false")


def make_visit(data: Mapping[str, Any], where: str = "", clinic: Clinic | None = None) -> Visit:
    """Build a Visit from plain values (strings from a CSV, typed values from YAML or options).

    `where` prefixes each message, e.g. "visits.csv row 3" or "visit.yaml"; field names follow. `clinic` (the clinic
    profile) gives the paper when the visit names none, and the order of dates such as 3/4/2026 (see date_order).
    Every field is checked: one problem raises VisitError, several raise VisitErrors listing each.
    """

    def at(name: str) -> str:
        label = f"--{name.replace('_', '-')}" if not where else f"{where}: {name}"
        return label

    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise VisitError(f"{where or 'visit'}: unknown field {unknown[0]!r}; the fields are {', '.join(FIELDS)}")
    problems: list[VisitError] = []

    def field_(read: Callable[[], Any], default: Any = None) -> Any:
        try:
            return read()
        except VisitError as exc:
            problems.append(exc)
            return default

    def condition_() -> str:
        condition = _text(data.get("condition"), at("condition"), 80)
        if not condition:
            raise VisitError(f"{at('condition')}: missing; name the condition, e.g. hip-pain (see `handouts list conditions`)")
        return condition.lower()

    def lang_() -> str:
        lang = _text(data.get("lang"), at("lang"), 5).lower() or default_lang
        if lang not in LANGS:
            choices = ", ".join(f"{k} ({v})" for k, v in LANG_NAMES.items())
            raise VisitError(f"{at('lang')}: {lang!r} is not a language we print; choose {choices}")
        return lang

    def page_size_() -> str:
        page_size = _text(data.get("page_size"), at("page_size"), 10).lower() or getattr(clinic, "page_size", "letter")
        if page_size not in PAGE_SIZES:
            raise VisitError(f"{at('page_size')}: {page_size!r} is not a page size we print; choose letter or a4")
        return page_size

    def plan_() -> str:
        plan = _text(data.get("plan"), at("plan"), MAX_PLAN)
        if plan:
            parse_plan(plan, at("plan"))  # fail early, naming the option or field
        return plan

    order = date_order(clinic)
    default_lang = (getattr(clinic, "languages", None) or ("en",))[0]  # a clinic that prints in es only gets es
    raw_date, start = data.get("date"), data.get("start")
    values = dict(
        condition=field_(condition_, ""),
        patient=field_(lambda: _text(data.get("patient"), at("patient"), MAX_NAME), ""),
        practitioner=field_(lambda: _text(data.get("practitioner"), at("practitioner"), MAX_NAME), ""),
        date=field_(lambda: parse_date(raw_date, at("date"), order) if raw_date not in (None, "") else date.today()),
        points=field_(lambda: point_codes(data.get("points"), at("points"))),
        plan=field_(plan_, ""),
        start=field_(lambda: parse_date(start, at("start"), order) if start not in (None, "") else None),
        flags=field_(lambda: _flags(data.get("flags"), at("flags")), ()),
        techniques=field_(lambda: _flags(data.get("techniques"), at("techniques")), ()),
        allow_caution=field_(lambda: point_codes(data.get("allow_caution"), at("allow_caution")) or (), ()),
        note=field_(lambda: _text(data.get("note"), at("note"), MAX_NOTE), ""),
        lang=field_(lang_, default_lang),
        large_print=field_(lambda: _bool(data.get("large_print"), at("large_print")), False),
        tracker=field_(lambda: _bool(data.get("tracker"), at("tracker")), False),
        page_size=field_(page_size_, "letter"),
    )
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise VisitErrors(problems)
    return Visit(**values)


TYPED_FIELDS = ("patient", "practitioner", "plan", "note")


def check_drawable(visit: Visit, missing: Callable[[str], set[str]], where: str = "") -> None:
    """Refuse typed text that no bundled font can draw (ReportLab would silently drop it)."""
    for name in TYPED_FIELDS:
        bad = missing(getattr(visit, name))
        if bad:
            shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(bad))
            label = f"{where}: {name}" if where else f"--{name}"
            raise VisitError(f"{label}: has characters no bundled font can draw: {shown}; remove or replace them")


def read_visit_file(path: str | Path) -> dict[str, Any]:
    """The fields of a visit YAML file, as plain values (validated later by make_visit)."""
    path = Path(path)
    try:
        doc = yamlio.read(path, str(path))
    except ContentError as exc:
        raise VisitError(exc.problems[0]) from None
    if not isinstance(doc.data, dict):
        raise VisitError(f"{path}: a visit file is a mapping of fields (condition: hip-pain, patient: ...), one per line")
    data = {str(k).replace("-", "_"): v for k, v in doc.data.items()}
    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        key = unknown[0]
        line = doc.line((key,) if key in doc.data else (key.replace("_", "-"),))
        raise VisitError(f"{path}:{line}: unknown field {key!r}; the fields are {', '.join(FIELDS)}")
    return data
