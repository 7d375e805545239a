"""Validated content models and the Handout document model; no I/O, no ReportLab, no YAML."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Annotated, Any, Literal, Mapping

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

LANGS: tuple[str, ...] = ("en", "es", "zh")
LANG_NAMES = {"en": "English", "es": "Spanish", "zh": "Chinese (Simplified)"}
Lang = Literal["en", "es", "zh"]

Str = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Texts = dict[Lang, Str]
"""One piece of text in each language it has been written in."""


class Frozen(BaseModel):
    # defer_build: a model's validator is built when it first validates, not at import; a run that takes the
    # validated library from the disk cache (handouts/cache.py) never builds them
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    def plain(self) -> dict[str, Any]:
        """The fields as plain values (nested models as dicts; what templates see as `clinic`), as model_dump()
        gives them, without building the model's serializer."""
        return {k: _plain(v) for k, v in self.__dict__.items()}


def _plain(value: Any) -> Any:
    if isinstance(value, Frozen):
        return value.plain()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


class Review(Frozen):
    """Who last reviewed a content file, and when."""

    by: Str
    on: date


class Source(Frozen):
    """A reference that backs what a content file says."""

    cite: Str
    short: Str | Texts | None = None  # e.g. "ACR guideline 2019", for the leaflet's source line (per language, or one for all)
    url: Str | None = None
    withdrawn: date | None = None  # the publisher withdrew it on this date: citing it is an error in `handouts check`
    superseded: date | None = None  # a newer version replaced it on this date: cite the newer one


class Caution(Frozen):
    """Why a point needs care for some patients (e.g. kind 'pregnancy')."""

    kind: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]
    note: Texts
    source: Str | None = None


MapView = Literal["front", "back", "side", "head_front", "head_side", "hand_palm", "hand_back", "knee", "foot_inner",
                  "foot_outer"]


class PointBody(Frozen):
    """A point as written in a channel file, under its code."""

    pinyin: Str
    hanzi: Str
    english: Str
    aliases: tuple[Str, ...] = ()
    location: Texts | None = None
    uses: Texts | None = None
    region: Str | None = None
    regions: tuple[Str, ...] = ()  # further regions the point's location reaches (e.g. EX-B2 runs from T1 to L5)
    bilateral: bool = True
    cautions: tuple[Caution, ...] = ()
    # where the point is on each body-map view it can be shown on (see handouts/mapfigures.py)
    map: dict[MapView, tuple[float, float]] = Field(default_factory=dict)

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

    @property
    def regions(self) -> tuple[str, ...]:
        """Every body region the point touches: `region` first, then `regions`."""
        return tuple(dict.fromkeys(r for r in (self.body.region, *self.body.regions) if r))


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
    evidence_short: Texts | None = None  # the leaflet's one "What the research says" line (else `evidence`)


HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


class TeamMember(Frozen):
    """A practitioner as a brochure introduces them: name, credentials, a short bio."""

    name: Str
    credentials: Str  # e.g. "L.Ac., Dipl. Ac. (NCCAOM)"
    bio: Texts


class Testimonial(Frozen):
    """A patient's words, printed only with the date they agreed to it, and always with "results vary"."""

    text: Texts
    by: Str  # as the patient agreed to be named, e.g. "Maria, Clifton"
    consent_on: date  # the date of the patient's written consent to print it


Percent = Annotated[float, Field(ge=0, le=100)]


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
    crisis_line: Str | None = None  # suicide and crisis line, e.g. "988" in the US; {{ clinic.crisis_line }} in content
    require_approval: bool = False  # true: refuse to print from content its clinician has not approved (handouts approve)
    practitioners: tuple[Str, ...] = ()
    logo: Str | None = None  # a PNG or JPEG file, relative to the folder of this clinic.yaml
    # For brochures (handouts brochure); all optional.
    team: tuple[TeamMember, ...] = ()  # practitioners with credentials and a short bio
    hours: tuple[Texts, ...] = ()
    payment: tuple[Texts, ...] = ()  # payment and insurance lines (`check` holds Medicare lines to what it covers)
    testimonials: tuple[Testimonial, ...] = ()
    colour_cmyk: tuple[Percent, Percent, Percent, Percent] | None = None  # the brand colour in CMYK (percent) for --colour cmyk
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
    heading: Texts | None = None  # what the note is about, as its heading ("Because you take a blood thinner")
    urgent: tuple[Texts, ...] = ()  # warning signs for this patient: they join the urgent-care box

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
    readability: Readability = Field(default_factory=Readability)
    risky_claims: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)
    effect_words: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)
    hedge_words: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)  # an English hedge must survive in es and zh
    urgent_words: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)  # belong in an urgent block


class Question(Frozen):
    q: Texts
    a: Texts


class BrochureText(Frozen):
    """brochures/clinic.yaml: the words of brochures that are not in conditions or sections."""

    reviewed: Review
    sources: tuple[Source, ...] = ()
    tagline: Texts  # the clinic brochure's cover line
    intro: Texts  # a short paragraph under the clinic brochure's cover title
    conditions_intro: Texts  # before the list of conditions the clinic commonly sees
    faq: tuple[Question, ...] = ()  # questions people ask before a first visit
    words: dict[Str, Texts]  # headings and short labels


class BrochureCondition(Frozen):
    """brochures/conditions/ID.yaml: a condition brochure's own panel text (else the condition's summary)."""

    reviewed: Review
    sources: tuple[Source, ...] = ()
    cover: Texts  # the cover line under "Acupuncture for ..."
    highlights: tuple[Texts, ...] = ()  # two or three short lines for the flyer and rack card


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
    approval: Any = field(default=None, repr=False)  # handouts.approval.ApprovalStatus: which files the clinic approved
    brochure: "BrochureText | None" = None  # brochures/clinic.yaml
    brochure_conditions: Mapping[str, "BrochureCondition"] = field(default_factory=dict)  # brochures/conditions/*.yaml

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
    run_in: tuple[str, ...] = ()  # "Where:", "Why:": the bold labels inside each row


@dataclass(frozen=True)
class Callout:
    """A boxed block that must stand out (when to call / seek urgent care)."""

    title: str
    parts: tuple[tuple[str, tuple[str, ...]], ...]  # (subheading, items)
    kind: str = "urgent"
    icons: tuple[str, ...] = ()  # one pictogram per part (render/icons.py), or none
    closing: str = ""  # a line across the foot of the box (call 911 any time…)


@dataclass(frozen=True)
class FactsRow:
    """Label/value pairs on one line: who the sheet is for, when, by whom."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class MapMark:
    """Where one numbered dot goes: a view and fractions of the figure box (x from the left, y from the top)."""

    view: str  # a MapView: front, back, side, head_front, ..., foot_outer
    x: float
    y: float


@dataclass(frozen=True)
class MapPoint:
    number: int  # the same number as the point's row in the points table
    code: str
    marks: tuple[MapMark, ...]  # both sides already placed for a bilateral point
    bilateral: bool = True
    where: str = ""  # the marks in words, for a reader who cannot see the map, e.g. "Back, both sides"


@dataclass(frozen=True)
class BodyMap:
    """The views of a figure that today's points are on, with the points as numbered dots."""

    views: tuple[tuple[str, str], ...]  # (view, label), e.g. ("front", "Front"); only views with a point on them
    points: tuple[MapPoint, ...]
    caption: str = ""  # what the dots and numbers mean
    name: str = ""  # what the drawing is, for a reader who cannot see it (the HTML page's text alternative)


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
    optional: tuple[tuple[int, int], ...] = ()  # (block index, rank): what a leaflet may leave out to fit, lowest rank first


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
    draft_notice: str = ""  # "Draft: this text has not yet been approved by <clinic>" (empty when approved)
    reviewed_notice: str = ""  # "Reviewed <date>" from the clinic's approvals (empty when not approved)
    unapproved: tuple[str, ...] = ()  # content files of this sheet not approved as they are now (for --record)


# ---- the Brochure document model (output of compose_brochure, input of the brochure renderer) -------------


@dataclass(frozen=True)
class BrochurePanel:
    """One panel's blocks in reading order; the `optional` ones may be left out (the last first) when it is full."""

    name: str  # cover, back, flap, inside_left, inside_middle, inside_right (bi-fold, rack card, flyer: their own)
    blocks: tuple[HandoutBlock, ...]
    optional: tuple[int, ...] = ()  # indices into blocks
    kind: str = "text"  # cover (title on the brand colour) | text | contact
    sources: tuple[str, ...] = ()  # content files its text comes from, for "does not fit" messages
    together: tuple[tuple[int, ...], ...] = ()  # optional blocks that are left out only together (a map and its legend)
    head: int = 0  # a flyer: its first `head` blocks are the headline, in white on a band of the brand colour


@dataclass(frozen=True)
class Brochure:
    """A language-resolved brochure: named panels that a renderer places on the sheet."""

    lang: str
    format: str  # trifold | bifold | rack-card | flyer
    title: str
    masthead: Masthead
    panels: tuple[BrochurePanel, ...]
    author: str
    subject: str
    colour_cmyk: tuple[float, float, float, float] | None = None
    condition_id: str = ""
    keywords: tuple[str, ...] = ()
    draft_notice: str = ""  # printed at the top of a text panel on each face while its content is not approved
    unapproved: tuple[str, ...] = ()  # the content files behind that notice

    def panel(self, name: str) -> BrochurePanel:
        for panel in self.panels:
            if panel.name == name:
                return panel
        raise KeyError(name)


# ---- blocks of the patient-action layout (PEMAT-P): key points, next visit, checklist, note, icons ----


@dataclass(frozen=True)
class KeyPoints:
    """The boxed summary on page 1: (bold label, text) lines, then a line to write the next visit on."""

    title: str
    lines: tuple[tuple[str, str], ...]
    next_visit: tuple[str, str]  # "Your next visit:", "Time:"


@dataclass(frozen=True)
class Checklist:
    """Boxes to tick, one per planned session of a phase: (label, how many boxes)."""

    title: str
    groups: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Note:
    """The practitioner's own words for this patient, signed."""

    heading: str
    text: str
    signature: str = ""


@dataclass(frozen=True)
class IconList:
    """A list whose items each have a small drawn pictogram (icons: the names in render/icons.py)."""

    items: tuple[tuple[str, str], ...]  # (icon, text)
    numbered: bool = False  # steps in order: numbered, never split into columns
    continues: bool = False  # numbered on from the numbered list drawn just before it (if that one was printed)


# Every block type a Handout may carry, the action blocks above included (renderers dispatch on this list).
HandoutBlock = HandoutBlock | KeyPoints | Checklist | Note | IconList
