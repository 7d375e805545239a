"""Validated content models and the Handout document model; no I/O, no ReportLab, no YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

LANGS: tuple[str, ...] = ("en", "es", "zh")
LANG_NAMES = {"en": "English", "es": "Spanish", "zh": "Chinese (Simplified)"}
Lang = Literal["en", "es", "zh"]

Str = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Texts = dict[Lang, Str]
"""One piece of text in each language it has been written in."""


class Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Review(Frozen):
    """Who last reviewed a content file, and when."""

    by: Str
    on: date


class Source(Frozen):
    """A reference that backs what a content file says."""

    cite: Str
    short: Str | None = None  # e.g. "ACR guideline 2019", for the leaflet's source line
    url: Str | None = None


class Caution(Frozen):
    """Why a point needs care for some patients (e.g. kind 'pregnancy')."""

    kind: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
    note: Texts
    source: Str | None = None


class PointBody(Frozen):
    """A point as written in a channel file, under its code."""

    pinyin: Str
    hanzi: Str
    english: Str
    aliases: tuple[Str, ...] = ()
    location: Texts | None = None
    uses: Texts | None = None
    region: Str | None = None
    bilateral: bool = True
    cautions: tuple[Caution, ...] = ()
    map: dict[Literal["front", "back"], tuple[float, float]] = Field(default_factory=dict)

    @field_validator("map")
    @classmethod
    def _inside_figure(cls, value: dict) -> dict:
        for view, (x, y) in value.items():
            if not (0 <= x <= 1 and 0 <= y <= 1):
                raise ValueError(f"{view} coordinates must be between 0 and 1 (fractions of the figure's width and height)")
        return value


class Channel(Frozen):
    code: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Z-]*$")]
    name: Texts


class ChannelFile(Frozen):
    """A file under points/: one channel (or group of extra points) and its points."""

    channel: Channel
    reviewed: Review
    sources: tuple[Source, ...] = Field(min_length=1)
    points: dict[Str, PointBody] = Field(min_length=1)


@dataclass(frozen=True)
class Point:
    """A point with its standard code and the channel it belongs to."""

    code: str
    channel: str
    body: PointBody
    where: str  # file:line of its entry, for messages

    def has_caution(self, kind: str) -> bool:
        return any(c.kind == kind for c in self.body.cautions)


class Block(Frozen):
    """A piece of a shared section: optional heading, a paragraph and/or a list."""

    heading: Texts | None = None
    text: Texts | None = None
    items: tuple[Texts, ...] = ()
    leaflet: bool = True  # false: too long for the two-page leaflet; printed in brochures

    @model_validator(mode="after")
    def _has_content(self) -> "Block":
        if self.text is None and not self.items:
            raise ValueError("a block needs `text` or `items`")
        return self


class Section(Frozen):
    """A shared section under sections/ (what acupuncture is, risks, when to call…)."""

    title: Texts
    blocks: tuple[Block, ...] = Field(min_length=1)
    footer: Texts | None = None
    reviewed: Review
    sources: tuple[Source, ...] = ()


class ConditionPoint(Frozen):
    code: Str
    why: Texts
    default: bool = True


class Plan(Frozen):
    """The usual course of sessions for a condition."""

    summary: Texts
    details: tuple[Texts, ...] = ()
    schedule: Str | None = None  # machine-readable, in the --plan grammar (handouts/plan.py), e.g. "2/week x4, monthly"


class Condition(Frozen):
    """A file under conditions/: what a patient with this condition should read."""

    title: Texts
    summary: Texts
    overview: tuple[Texts, ...] = Field(min_length=1)
    who_may_benefit: tuple[Texts, ...] = Field(min_length=1)
    how_it_may_help: tuple[Texts, ...] = Field(min_length=1)
    evidence: Texts
    points: tuple[ConditionPoint, ...] = Field(min_length=1)
    what_to_expect: tuple[Texts, ...] = ()
    risks: tuple[Texts, ...] = ()
    urgent: tuple[Texts, ...] = ()  # signs that need urgent care: they join the boxed urgent-care list
    plan: Plan
    self_care: tuple[Texts, ...] = ()
    sources: tuple[Source, ...] = Field(min_length=1)
    reviewed: Review


HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


class Clinic(Frozen):
    """The clinic profile printed in the header and footer."""

    name: Str
    phone: Str
    address: tuple[Str, ...] = Field(min_length=1)
    website: Str | None = None
    booking_url: Str | None = None
    email: Str | None = None
    colour: Annotated[str, StringConstraints(pattern=HEX.pattern)] = "#1D5C63"
    emergency_number: Str = "911"
    practitioners: tuple[Str, ...] = ()
    logo: Str | None = None  # a PNG or JPEG file, relative to the folder of this clinic.yaml
    batch_name: Str | None = None  # the default --name pattern of `handouts batch` (--name wins)


class Labels(Frozen):
    """The leaflet's own words (headings, table headers, footer) and date formats."""

    words: dict[Str, Texts]
    months: dict[Lang, tuple[Str, ...]]
    date_format: dict[Lang, Str]
    weekdays: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)  # short names, Monday first
    reviewed: Review

    @field_validator("months", "weekdays")
    @classmethod
    def _complete(cls, value: dict, info) -> dict:
        wanted = {"months": (12, "month names"), "weekdays": (7, "weekday names (Monday first)")}[info.field_name]
        for lang, names in value.items():
            if len(names) != wanted[0]:
                raise ValueError(f"{lang} needs {wanted[0]} {wanted[1]}, has {len(names)}")
        return value


FlagName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]


class Refusal(Frozen):
    """When a rule refuses to print: which points it is about (none listed: the whole visit)."""

    caution: FlagName | None = None  # points whose content carries this caution kind
    regions: tuple[Str, ...] = ()  # points in these body regions
    points: tuple[Str, ...] = ()  # these points by code
    allow: Literal["per-point", "never"] = "per-point"
    reason: Texts
    allowed_note: Texts | None = None

    @property
    def targets_points(self) -> bool:
        return bool(self.caution or self.regions or self.points)


class Rule(Frozen):
    """One safety rule: when these flags are set, refuse, or add text for the patient."""

    id: FlagName
    when: tuple[FlagName, ...] = ()  # all of these flags
    when_any: tuple[FlagName, ...] = ()  # any of these flags
    refuse: Refusal | None = None
    risk_first: Texts | None = None
    note: Texts | None = None

    @model_validator(mode="after")
    def _complete(self) -> "Rule":
        if not self.when and not self.when_any:
            raise ValueError("a rule needs `when` (all of these flags) or `when_any` (any of them)")
        if not (self.refuse or self.risk_first or self.note):
            raise ValueError("a rule needs at least one of `refuse`, `risk_first` or `note`")
        return self

    def applies(self, flags: set[str]) -> bool:
        return set(self.when) <= flags and (not self.when_any or bool(set(self.when_any) & flags))


class Rules(Frozen):
    """rules.yaml: the flags a visit may carry and what each changes."""

    reviewed: Review
    sources: tuple[Source, ...] = Field(min_length=1)
    flags: dict[FlagName, Texts] = Field(min_length=1)
    rules: tuple[Rule, ...] = ()


class ReadabilityLimit(Frozen):
    metric: Literal["flesch-kincaid", "fernandez-huerta"]
    warn_above: float | None = None
    fail_above: float | None = None
    warn_below: float | None = None
    fail_below: float | None = None


class Readability(Frozen):
    en: ReadabilityLimit | None = None
    es: ReadabilityLimit | None = None
    min_words: int = 12
    known_words: tuple[Str, ...] = ()


class Lint(Frozen):
    """lint.yaml: what `handouts check` holds the content to."""

    reviewed: Review | None = None
    review_months: int = Field(24, ge=1)
    readability: Readability = Readability()
    risky_claims: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)
    effect_words: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)


@dataclass(frozen=True)
class SourceFile:
    """One content file the library was read from, for audit records."""

    label: str
    root: str
    sha256: str


@dataclass(frozen=True)
class Library:
    """All validated content: the result of load, the input of compose."""

    clinic: Clinic
    conditions: Mapping[str, Condition]
    points: Mapping[str, Point]
    sections: Mapping[str, Section]
    labels: Labels
    rules: Rules
    aliases: Mapping[str, str]  # normalised alias -> standard code
    files: Mapping[str, SourceFile]
    where: Mapping[str, str] = field(default_factory=dict)  # "conditions/hip-pain" -> label
    logo: bytes | None = field(default=None, repr=False)  # the clinic logo's file, checked to be a usable image

    def find_point(self, raw: str) -> Point | None:
        key = normalise_code(raw)
        code = key if key in self.points else self.aliases.get(key)
        return self.points.get(code) if code else None


# ---- point codes ---------------------------------------------------------------

# Channel prefixes in common use, mapped to the WHO standard ones.
CHANNEL_ALIASES = {
    "LU": "LU", "LI": "LI", "ST": "ST", "SP": "SP", "HT": "HT", "HE": "HT", "SI": "SI",
    "BL": "BL", "UB": "BL", "KI": "KI", "KID": "KI", "K": "KI", "PC": "PC", "P": "PC",
    "TE": "TE", "TW": "TE", "SJ": "TE", "TH": "TE", "TB": "TE", "GB": "GB",
    "LR": "LR", "LIV": "LR", "LV": "LR", "GV": "GV", "DU": "GV", "DM": "GV",
    "CV": "CV", "REN": "CV", "RN": "CV",
}
_STANDARD = re.compile(r"^([A-Z]+)[\s._-]*0*(\d{1,3})$")
_EXTRA = re.compile(r"^EX[\s._-]*(HN|CA|B|UE|LE)[\s._-]*0*(\d{1,3})$")


def normalise_code(raw: str) -> str:
    """`liv 3`, `Liv3`, `lr-3` -> `LR3`; `ex-hn 3` -> `EX-HN3`; other text upper-cased without spaces."""
    text = raw.strip().upper()
    if m := _EXTRA.match(text):
        return f"EX-{m[1]}{int(m[2])}"
    if (m := _STANDARD.match(text)) and m[1] in CHANNEL_ALIASES:
        return f"{CHANNEL_ALIASES[m[1]]}{int(m[2])}"
    return re.sub(r"[\s._-]+", "", text)


# ---- the Handout document model (output of compose, input of render) -----------------


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = "body"  # body | lead | small


@dataclass(frozen=True)
class BulletList:
    items: tuple[str, ...]


@dataclass(frozen=True)
class PointRow:
    number: int
    code: str
    pinyin: str
    hanzi: str
    location: str
    why: str
    note: str = ""


@dataclass(frozen=True)
class PointsTable:
    headers: tuple[str, str, str]  # point, where it is, why it is used
    rows: tuple[PointRow, ...]


@dataclass(frozen=True)
class Callout:
    """A boxed block that must stand out (when to call / seek urgent care)."""

    title: str
    parts: tuple[tuple[str, tuple[str, ...]], ...]  # (subheading, items)
    kind: str = "urgent"


@dataclass(frozen=True)
class FactsRow:
    """Label/value pairs on one line: who the sheet is for, when, by whom."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MapMark:
    """Where one numbered dot goes: a view and fractions of the figure box (x from the left, y from the top)."""

    view: str  # front | back
    x: float
    y: float


@dataclass(frozen=True)
class MapPoint:
    number: int  # the same number as the point's row in the points table
    code: str
    marks: tuple[MapMark, ...]  # both sides already placed for a bilateral point
    bilateral: bool = True


@dataclass(frozen=True)
class BodyMap:
    """Front and back views of a figure with today's points as numbered dots."""

    views: tuple[tuple[str, str], ...]  # (view, label), e.g. ("front", "Front")
    points: tuple[MapPoint, ...]


@dataclass(frozen=True)
class Phase:
    """A stretch of the plan, e.g. 2 sessions a week for 4 weeks (weeks None: open-ended)."""

    sessions: int
    per: str  # week | month
    length: int | None  # how many weeks or months; None: from then on
    label: str  # e.g. "2 sessions a week for 4 weeks"
    when: str  # e.g. "Weeks 1-4"


@dataclass(frozen=True)
class Timeline:
    phases: tuple[Phase, ...]


@dataclass(frozen=True)
class CalendarWeek:
    label: str  # e.g. "Week 1"
    dates: tuple[str, ...]  # formatted dates in the handout's language


@dataclass(frozen=True)
class Calendar:
    headers: tuple[str, str]  # week, suggested dates
    weeks: tuple[CalendarWeek, ...]
    after: str = ""  # what follows the dated weeks (an open-ended phase), or empty


@dataclass(frozen=True)
class Tracker:
    """A table the patient fills in: one row per session, dated when the plan has a start date."""

    headers: tuple[str, ...]  # date, done, pain before, pain after, notes
    rows: tuple[str, ...]  # the date printed in each row ("" for a blank line)


@dataclass(frozen=True)
class BookingCode:
    """A QR code to the clinic's booking page, with a short caption."""

    url: str
    caption: str


HandoutBlock = (Heading | Paragraph | BulletList | PointsTable | Callout | FactsRow | BodyMap | Timeline | Calendar
                | Tracker | BookingCode)


@dataclass(frozen=True)
class HandoutSection:
    id: str
    title: str
    blocks: tuple[HandoutBlock, ...]
    keep_together: bool = False
    new_page: bool = False  # starts a page of its own (the calendar and tracker page)


@dataclass(frozen=True)
class Masthead:
    name: str
    lines: tuple[str, ...]  # address, phone, web
    colour: str
    logo: bytes | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Handout:
    """A language-resolved, safety-checked document ready for any renderer."""

    lang: str
    title: str
    subtitle: str
    masthead: Masthead
    sections: tuple[HandoutSection, ...]
    footer_contact: str  # clinic name and phone, beside "page X of Y"
    footer: str  # the one-line disclaimer
    page_label: str  # e.g. "Page {page} of {pages}"
    author: str
    subject: str
    condition_id: str = ""  # what compose chose, for audit records: the condition…
    point_codes: tuple[str, ...] = ()  # …and the WHO codes printed, in order
    keywords: tuple[str, ...] = ()
