"""Content records (validated by handouts/library/schema.py) and the Handout document model; no I/O, no ReportLab, no YAML,
no pydantic."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Literal, Mapping

LANGS: tuple[str, ...] = ("en", "es", "zh")
LANG_NAMES = {"en": "English", "es": "Spanish", "zh": "Chinese (Simplified)"}
Lang = Literal["en", "es", "zh"]
Texts = dict[str, str]
"""One piece of text in each language it has been written in."""

# The pictograms a self-care item can name (`icon:` in a condition's self_care), with what each shows; every
# renderer draws each of them (handouts/render/pdf/icons.py; the HTML page paints the same drawings).
CARE_ICONS: dict[str, str] = {
    "move": "a walking figure: walking, exercise, stretching, staying active",
    "heat": "a wavy heat pack: warm packs, heat pads",
    "cold": "a snowflake: cold packs, ice",
    "sleep": "a moon: sleep and bedtimes",
    "water": "a glass of water: drinks",
    "food": "a plate: meals and eating",
    "breathe": "an airflow: slow breathing, relaxing",
    "screen": "a computer screen: screens and breaks from them",
    "diary": "a notepad: a diary or log to keep",
    "check": "a tick: anything else to do",
}
# Whom an urgent sign sends the patient to, most urgent first: emergency services, their doctor now, their cancer team,
# their midwife or obstetrician, the clinic the same day. sections/when-to-call.yaml has a block with the words for each.
ROUTES: tuple[str, ...] = ("emergency", "doctor-now", "cancer-team", "midwife", "clinic-today")

MapView = Literal["front", "back", "side", "head_front", "head_side", "head_back", "hand_palm", "hand_back", "hip_back",
                  "knee", "foot_inner", "foot_outer", "ear"]


# ---- content records -------------------------------------------------------------
#
# What the content files hold, once handouts/library/schema.py has validated them: each class here has the fields of the
# schema model of the same name (see there for what each field means) and its methods. Plain Python, so the
# library can be read back from the disk cache without importing pydantic.


class Record:
    """A validated content object: read-only fields as attributes; equal, hashed and pickled by its fields."""

    def __init__(self, **fields: Any):
        object.__setattr__(self, "__dict__", fields)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only; use .replace({name}=...)")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only")

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self.__dict__ == other.__dict__

    def __hash__(self) -> int:  # as pydantic's frozen models: by the field values (a dict field: not hashable)
        return hash((type(self).__name__, *self.__dict__.values()))

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.__dict__.items())})"

    def __reduce__(self):
        return (_record, (type(self), self.__dict__))

    def replace(self, **changes: Any):
        """A copy with some fields changed (not validated again, as pydantic's model_copy)."""
        return type(self)(**{**self.__dict__, **changes})

    def plain(self) -> dict[str, Any]:
        """The fields as plain values (nested records as dicts; what templates see as `clinic`), as the schema
        model's model_dump() gives them."""
        return {k: _plain(v) for k, v in self.__dict__.items()}


def _record(cls: type, fields: dict[str, Any]) -> Record:
    return cls(**fields)


def _plain(value: Any) -> Any:
    if isinstance(value, Record):
        return value.plain()
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_plain(v) for v in value)
    return value


class Review(Record): ...
class Work(Record):
    def cite(self) -> str:
        """The full reference, as a review pack prints it: authors. title. in."""
        parts = [self.authors, self.title, self.in_]
        return " ".join(p if p.endswith((".", "?", "!")) else p + "." for p in parts)

    def link(self) -> str:
        """Where to find it: the DOI's address, else the URL, else PubMed's page."""
        if self.doi:
            return f"https://doi.org/{self.doi}"
        return self.url or f"https://pubmed.ncbi.nlm.nih.gov/{self.pmid}/"


class Cite(Record): ...
class Grade(Record): ...
class Caution(Record): ...
class PointBody(Record): ...
class Channel(Record): ...
class ChannelFile(Record): ...
class Block(Record): ...
class Section(Record): ...
class ConditionPoint(Record): ...
class Plan(Record): ...
class CareItem(Record): ...
class Condition(Record): ...
class TeamMember(Record): ...
class Photo(Record): ...


class Photos(Record):
    def all(self) -> list:
        """Every photo: the clinic's first, then the team's."""
        return ([self.clinic] if self.clinic is not None else []) + list(self.team.values())


class Testimonial(Record): ...
class Clinic(Record):
    def offered(self, condition_id: str) -> bool:
        """Whether the clinic treats this condition (no `offers:` list: every condition)."""
        return self.offers is None or condition_id in self.offers
class Labels(Record): ...


class Refusal(Record):
    @property
    def targets_points(self) -> bool:
        return bool(self.caution or self.regions or self.points)


class Rule(Record):
    def applies(self, flags: set[str]) -> bool:
        return set(self.when) <= flags and (not self.when_any or bool(set(self.when_any) & flags))


class Rules(Record): ...
class ReadabilityLimit(Record): ...
class Readability(Record): ...
class Lint(Record): ...
class Technique(Record): ...
class EarPoint(Record): ...
class TechniquesFile(Record): ...
class Question(Record): ...
class BrochureText(Record): ...
class BrochureCondition(Record): ...

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
    photos: Mapping[str, bytes] = field(default_factory=dict, repr=False)  # clinic.yaml's photos by file, checked too
    approval: Any = field(default=None, repr=False)  # handouts.library.approvals.ApprovalStatus: which files the clinic approved
    brochure: "BrochureText | None" = None  # brochures/clinic.yaml
    brochure_conditions: Mapping[str, "BrochureCondition"] = field(default_factory=dict)  # brochures/conditions/*.yaml
    sources: Mapping[str, "Work"] = field(default_factory=dict)  # sources.yaml: every cited work by its id
    cites: Mapping[str, tuple["Cite", ...]] = field(default_factory=dict)  # "conditions/hip-pain.yaml" -> its `sources:`
    techniques: Mapping[str, "Technique"] = field(default_factory=dict)  # techniques.yaml: cupping, moxibustion, ...

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
    columns: tuple[int, ...] = ()  # the column of each part (parts of one column stacked); none: a column per part


@dataclass(frozen=True)
class FactsRow:
    """Label/value pairs on one line: who the sheet is for, when, by whom."""

    pairs: tuple[tuple[str, str], ...]  # the first is the patient (never remembered by the renderers' memos)
    blank: str = ""  # what a screen reader says for a value left blank to write on ("blank, to fill in")


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
    link: str = ""  # the screen's link to the page, named by what it does ("Book a visit online"); paper has none


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
    tabs: tuple[str, ...] = ()  # a flyer with tear-off tabs: the lines on each tab (phone, booking address)
    theme: str = "illustration"  # the cover's design (handouts/design/styles/brochure.yaml themes:)

    def panel(self, name: str) -> BrochurePanel:
        for panel in self.panels:
            if panel.name == name:
                return panel
        raise KeyError(name)


@dataclass(frozen=True)
class Picture:
    """A brochure's picture (brochures only, not a leaflet block): a clinic photo, or one of our line illustrations."""

    kind: str  # photo | illustration
    name: str  # the photo's file as clinic.yaml names it, or the illustration's (handouts/design/illustrations.py)
    role: str = "spot"  # its frame, from the brochure style's `pictures:` (cover, portrait, spot)
    data: bytes = field(default=b"", repr=False)  # a photo's file
    focus: tuple[float, float, float, float] = (0.5, 0.5, 0.5, 0.5)  # a photo's part never cropped (fractions)
    where: str = ""  # the field it comes from, for messages


# ---- blocks of the patient-action layout (PEMAT-P): key points, next visit, checklist, note, icons ----


@dataclass(frozen=True)
class KeyPoints:
    """The boxed summary on page 1: (bold label, text) lines, then a line to write the next visit on."""

    title: str
    lines: tuple[tuple[str, str], ...]
    next_visit: tuple[str, str]  # "Your next visit:", "Time:"
    blank: str = ""  # what a screen reader says for each line to write on ("blank, to fill in")


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
