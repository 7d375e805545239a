"""A visit: who the handout is for and what was done, from options, a visit file or a batch row."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any, Callable, Mapping

from ..library import yamlio
from ..errors import ContentError, VisitError
from ..model import LANG_NAMES, LANGS
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
    allow_caution: tuple[str, ...] = ()  # points the practitioner chose knowing a rule cautions them
    note: str = ""  # a personal note from the practitioner, printed on the sheet
    lang: str = "en"
    large_print: bool = False
    tracker: bool = False  # add the session tracker page
    page_size: str = "letter"


FIELDS = tuple(f.name for f in fields(Visit))


def parse_date(value: Any, where: str) -> date:
    if isinstance(value, date):
        return value
    text = str(value).strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        raise VisitError(f"{where}: {text!r} is not a date in the form YYYY-MM-DD (e.g. 2026-12-01)")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise VisitError(f"{where}: {text!r} is not a real date (check the month and day); use YYYY-MM-DD") from None


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


def _codes(value: Any, where: str) -> tuple[str, ...] | None:
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
    items = value if isinstance(value, list) else re.split(r"[,;]", str(value))
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


def make_visit(data: Mapping[str, Any], where: str = "") -> Visit:
    """Build a Visit from plain values (strings from a CSV, typed values from YAML or options).

    `where` prefixes each message, e.g. "visits.csv row 3" or "visit.yaml"; field names follow.
    """

    def at(name: str) -> str:
        label = f"--{name.replace('_', '-')}" if not where else f"{where}: {name}"
        return label

    unknown = sorted(set(data) - set(FIELDS))
    if unknown:
        raise VisitError(f"{where or 'visit'}: unknown field {unknown[0]!r}; the fields are {', '.join(FIELDS)}")
    condition = _text(data.get("condition"), at("condition"), 80)
    if not condition:
        raise VisitError(f"{at('condition')}: missing; name the condition, e.g. hip-pain (see `handouts list conditions`)")
    lang = _text(data.get("lang"), at("lang"), 5).lower() or "en"
    if lang not in LANGS:
        choices = ", ".join(f"{k} ({v})" for k, v in LANG_NAMES.items())
        raise VisitError(f"{at('lang')}: {lang!r} is not a language we print; choose {choices}")
    page_size = _text(data.get("page_size"), at("page_size"), 10).lower() or "letter"
    if page_size not in PAGE_SIZES:
        raise VisitError(f"{at('page_size')}: {page_size!r} is not a page size we print; choose letter or a4")
    raw_date = data.get("date")
    start = data.get("start")
    plan = _text(data.get("plan"), at("plan"), MAX_PLAN)
    if plan:
        parse_plan(plan, at("plan"))  # fail early, naming the option or field
    return Visit(
        condition=condition.lower(),
        patient=_text(data.get("patient"), at("patient"), MAX_NAME),
        practitioner=_text(data.get("practitioner"), at("practitioner"), MAX_NAME),
        date=parse_date(raw_date, at("date")) if raw_date not in (None, "") else date.today(),
        points=_codes(data.get("points"), at("points")),
        plan=plan,
        start=parse_date(start, at("start")) if start not in (None, "") else None,
        flags=_flags(data.get("flags"), at("flags")),
        allow_caution=_codes(data.get("allow_caution"), at("allow_caution")) or (),
        note=_text(data.get("note"), at("note"), MAX_NOTE),
        lang=lang,
        large_print=_bool(data.get("large_print"), at("large_print")),
        tracker=_bool(data.get("tracker"), at("tracker")),
        page_size=page_size,
    )


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
