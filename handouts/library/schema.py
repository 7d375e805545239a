"""The content files' schema: pydantic models that validate what YAML gives (handouts/library/load.py's only use of them).

Validation turns each model into the record of the same name in handouts/model.py (`to_record`): plain Python
objects with the same fields and methods. The rest of the program, and the library kept on disk between runs
(handouts/library/cache.py), only ever sees records, so a run that takes the library from the cache never imports
pydantic (about 80 ms and 13 MB of a cold leaflet).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator, model_validator

from .. import model
from ..model import CARE_ICONS, LANGS, ROUTES, Lang, MapView

Str = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Texts = dict[Lang, Str]
"""One piece of text in each language it has been written in."""


class Frozen(BaseModel):
    # defer_build: a model's validator is built when it first validates, not at import
    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)


class Review(Frozen):
    """Who last reviewed a content file, and when."""

    by: Str
    on: date


Route = Literal[ROUTES]  # whom an urgent sign sends the patient to (handouts/model.py ROUTES)
FlagName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]*$")]


SourceId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9.-]*$")]  # a key of sources.yaml, e.g. vickers-2018
DOI = re.compile(r"^10\.\d{4,9}/\S+$")
WORK_TYPES = ("systematic-review", "guideline", "trial", "study", "review", "page", "book")  # study: observational, a survey
GRADES = ("strong", "moderate", "mixed", "weak", "none")


class Work(Frozen):
    """A cited work in sources.yaml (the registry of sources), once, under its id."""

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True, populate_by_name=True)

    authors: Str  # "Vickers AJ, Vertosick EA, Lewith G, et al." or the body that wrote it
    title: Str
    in_: Str = Field(alias="in")  # the journal with volume and pages, or the publisher / guideline body
    year: int = Field(ge=1900, le=2100)
    doi: Str | None = None  # 10.1016/j.jpain.2017.11.005, without https://doi.org/
    pmid: Str | None = None  # digits only
    url: Str | None = None  # a stable address, for a work with no DOI (or its page at the publisher)
    type: Literal[WORK_TYPES]
    status: Literal["current", "withdrawn", "superseded", "lapsed"] = "current"  # as found on `checked`
    status_on: date | None = None  # when it was withdrawn, superseded or lapsed (required unless current)
    checked: date | None = None  # the day someone read it against the original
    verified: bool = False  # true: authors, title, year and DOI confirmed at the publisher, PubMed or the guideline body
    short: Texts | None = None  # the leaflet's source line, e.g. {en: "Vickers et al., Journal of Pain 2018", ...}
    # A guideline: its publisher (a key of lint.yaml's guideline_lifetimes), when it came out, when it was last reaffirmed.
    body: Str | None = None
    published: date | None = None
    reaffirmed: date | None = None

    @field_validator("doi", "pmid", mode="before")
    @classmethod
    def _as_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value

    @field_validator("doi")
    @classmethod
    def _doi(cls, value: str | None) -> str | None:
        if value is not None and not DOI.match(value):
            raise ValueError(f"{value!r} is not a DOI; write it as 10.NNNN/suffix, without https://doi.org/ "
                             f"(e.g. 10.1016/j.jpain.2017.11.005)")
        return value

    @field_validator("pmid")
    @classmethod
    def _pmid(cls, value: str | None) -> str | None:
        if value is not None and not value.isdigit():
            raise ValueError(f"{value!r} is not a PubMed id; write the digits only (e.g. 29198932)")
        return value

    @model_validator(mode="after")
    def _complete(self) -> "Work":
        if not (self.doi or self.pmid or self.url):
            raise ValueError("a work needs `doi:`, `pmid:` or `url:` so a reader can find it")
        if self.status != "current" and self.status_on is None:
            raise ValueError(f"status: {self.status} needs `status_on:` (the date it was {self.status}); add it")
        return self


class Cite(Frozen):
    """A content file's citation of a work in sources.yaml: its id, or {id, against: true} for a work (a guideline)
    that recommends against acupuncture for this condition."""

    id: SourceId
    against: bool = False

    @model_validator(mode="before")
    @classmethod
    def _bare_id(cls, value: Any) -> Any:
        if isinstance(value, str):
            return {"id": value}
        if isinstance(value, dict) and "cite" in value:
            raise ValueError("sources are cited by their id in sources.yaml (e.g. `- vickers-2018`); move the "
                             "reference there and cite its id here")
        return value


class Grade(Frozen):
    """How strong the evidence for acupuncture is for a condition, and the work (an id in sources.yaml) that grades it."""

    level: Literal[GRADES]
    by: SourceId


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
    regions: tuple[Str, ...] = ()  # further regions the point's location reaches (e.g. EX-B2 runs from T1 to L5)
    bilateral: bool = True
    cautions: tuple[Caution, ...] = ()
    # where the point is on each body-map view it can be shown on (see handouts/design/map_figures.py)
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
    sources: tuple[Cite, ...] = Field(min_length=1)
    points: dict[Str, PointBody] = Field(min_length=1)


class Block(Frozen):
    """A piece of a shared section: optional heading, a paragraph and/or a list."""

    heading: Texts | None = None
    text: Texts | None = None
    items: tuple[Texts, ...] = ()
    leaflet: bool = True  # false: too long for the two-page leaflet; printed in brochures
    call: Route | None = None  # when-to-call.yaml: whom this block's signs (and every sign routed here) send the patient to

    @model_validator(mode="after")
    def _has_content(self) -> "Block":
        if self.text is None and not self.items and self.call is None:
            raise ValueError("a block needs `text` or `items`")
        return self


class Section(Frozen):
    """A shared section under sections/ (what acupuncture is, risks, when to call…)."""

    title: Texts
    blocks: tuple[Block, ...] = Field(min_length=1)
    footer: Texts | None = None
    reviewed: Review
    sources: tuple[Cite, ...] = ()


class ConditionPoint(Frozen):
    code: Str
    why: Texts
    default: bool = True


class Plan(Frozen):
    """The usual course of sessions for a condition."""

    summary: Texts
    details: tuple[Texts, ...] = ()
    schedule: Str | None = None  # machine-readable, in the --plan grammar (handouts/library/plan.py), e.g. "2/week x4, monthly"


class CareItem(Frozen):
    """A self-care tip for the patient and the pictogram printed beside it (a name from model.CARE_ICONS)."""

    icon: Str
    text: Texts

    @model_validator(mode="before")
    @classmethod
    def _names_its_icon(cls, value: Any) -> Any:
        if isinstance(value, dict) and value and "text" not in value and all(k in LANGS for k in value):
            raise ValueError("name the item's pictogram and put its languages under `text:`, as in `- icon: move` then "
                             f"`text:` with `en:`, `es:`, `zh:` under it; the pictograms are {_icons()}")
        return value

    @field_validator("icon")
    @classmethod
    def _known_icon(cls, value: str) -> str:
        if value not in CARE_ICONS:
            raise ValueError(f"{value!r} is not a pictogram; use one of {_icons()}")
        return value


def _icons() -> str:
    return "; ".join(f"{name} ({what})" for name, what in CARE_ICONS.items())


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
    risks: tuple[Texts, ...] = Field(min_length=1)
    # signs that need urgent care, by whom to call (emergency, doctor-now, ...): they join the boxed urgent-care list
    urgent: dict[Route, tuple[Texts, ...]]
    plan: Plan
    self_care: tuple[CareItem, ...] = ()  # each with the pictogram it names
    sources: tuple[Cite, ...] = Field(min_length=1)
    grade: Grade  # how strong the evidence is (said on the sheet in patient words)
    reviewed: Review
    evidence_short: Texts | None = None  # the leaflet's one "What the research says" line (else `evidence`)
    # the words after "to help with" in the key points, where the title does not read well there (a first visit)
    in_sentence: Texts | None = None
    # flags every patient of this sheet has (a sheet for pregnancy: [pregnant]); the rules apply as if given with --flag
    flags: tuple[FlagName, ...] = ()

    @field_validator("urgent")
    @classmethod
    def _two_signs(cls, value: dict) -> dict:
        if sum(len(signs) for signs in value.values()) < 2:
            raise ValueError("a condition needs at least two urgent signs, each under whom to call "
                             "(emergency, doctor-now, cancer-team, midwife, clinic-today)")
        return value


HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


class TeamMember(Frozen):
    """A practitioner as a brochure introduces them: name, credentials, a short bio."""

    name: Str
    credentials: Str  # e.g. "L.Ac., Dipl. Ac. (NCCAOM)"
    bio: Texts


Fraction = Annotated[float, Field(ge=0, le=1)]


class Photo(Frozen):
    """A photo for brochures: a PNG or JPEG beside clinic.yaml, and the part of it never cropped away."""

    file: Str  # relative to the folder of clinic.yaml
    # The part kept whole when the photo is cropped to its frame (a face): left, top, right, bottom, as fractions of
    # the photo's width and height from its top left corner. None given: its middle.
    focus: tuple[Fraction, Fraction, Fraction, Fraction] = (0.5, 0.5, 0.5, 0.5)

    @field_validator("focus")
    @classmethod
    def _ordered(cls, value: tuple) -> tuple:
        if value[0] > value[2] or value[1] > value[3]:
            raise ValueError("is [left, top, right, bottom]: left must not be right of right, nor top below bottom")
        return value


class Photos(Frozen):
    """Brochure photos: the clinic's (the cover of --theme photo) and one per team member, by the member's name."""

    clinic: Photo | None = None
    team: dict[Str, Photo] = Field(default_factory=dict)


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
    photos: Photos | None = None  # for brochures: the clinic's photo and one per team member (PNG or JPEG files)
    # For brochures (handouts brochure); all optional.
    team: tuple[TeamMember, ...] = ()  # practitioners with credentials and a short bio
    hours: tuple[Texts, ...] = ()
    payment: tuple[Texts, ...] = ()  # payment and insurance lines (`check` holds Medicare lines to what it covers)
    testimonials: tuple[Testimonial, ...] = ()
    colour_cmyk: tuple[Percent, Percent, Percent, Percent] | None = None  # the brand colour in CMYK (percent) for --colour cmyk
    batch_name: Str | None = None  # the default --name pattern of `handouts batch` (--name wins)
    page_size: Literal["letter", "a4"] = "letter"  # the paper of a sheet whose visit names none (--page-size wins)
    # How visits write 3/4/2026: mdy (March 4) or dmy (3 April); unset, from page_size (letter: mdy, a4: dmy).
    date_order: Literal["mdy", "dmy"] | None = None
    # The languages the clinic prints in: `check` asks for translations into these only, and a sheet or
    # brochure in another language is refused.
    languages: tuple[Lang, ...] = Field(("en", "es", "zh"), min_length=1)
    # The conditions the clinic treats (condition ids, e.g. hip-pain); none given: every condition in the content.
    # The clinic brochure, `handouts list conditions`, approvals and `check` cover only these.
    offers: tuple[Str, ...] | None = Field(None, min_length=1)

    @field_validator("languages", "offers")
    @classmethod
    def _once_each(cls, value: tuple | None) -> tuple | None:
        if value is not None and len(set(value)) != len(value):
            twice = sorted({v for v in value if value.count(v) > 1})
            raise ValueError(f"lists {', '.join(twice)} more than once; name each once")
        return value

    def offered(self, condition_id: str) -> bool:
        """Whether the clinic treats this condition (no `offers:` list: every condition)."""
        return self.offers is None or condition_id in self.offers
    claims: Literal["us", "uk"] = "us"  # the advertising rules its brochures follow (`handouts check`)


class Labels(Frozen):
    """The leaflet's own words (headings, table headers, footer); month and weekday names and the date format of each
    language come from Babel (CLDR, library/dates.py), not from the file."""

    words: dict[Str, Texts]
    reviewed: Review
    months: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)  # filled from Babel; see _calendar
    date_format: dict[Lang, Str] = Field(default_factory=dict)
    weekdays: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)  # short names, Monday first

    @model_validator(mode="before")
    @classmethod
    def _calendar(cls, data: Any) -> Any:
        """Babel's names and formats for every language, whatever the file says: a labels.yaml from before they came
        from Babel still reads (`handouts check` warns that its lists are no longer used)."""
        if not isinstance(data, dict):
            return data
        from .dates import calendar

        made = {lang: calendar(lang) for lang in LANGS}
        return {**data, "date_format": {lang: c[0] for lang, c in made.items()},
                "months": {lang: c[1] for lang, c in made.items()}, "weekdays": {lang: c[2] for lang, c in made.items()}}




class Refusal(Frozen):
    """When a rule refuses to print: which points it is about (none listed: the whole visit)."""

    caution: FlagName | None = None  # points whose content carries this caution kind
    regions: tuple[Str, ...] = ()  # points in these body regions
    points: tuple[Str, ...] = ()  # these points by code
    # per-point: --allow-caution CODE prints each point; never: nothing does; override (no points named): the whole visit
    # is refused unless --allow-caution names the rule's technique or flag (the practitioner chose it knowingly)
    allow: Literal["per-point", "never", "override"] = "per-point"
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
    urgent: dict[Route, tuple[Texts, ...]] = Field(default_factory=dict)  # warning signs for this patient, by whom to call

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
    sources: tuple[Cite, ...] = Field(min_length=1)
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
    # an urgent sign naming one of these (fever, infection, self-harm...) must not be routed to the clinic
    not_for_clinic: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)
    # words that send the patient to the clinic ("call us"): in a rule's note with a not_for_clinic word, an error
    clinic_call: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)
    against_words: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)  # how a summary says a guideline is against it
    # how the line printed with testimonials says what patients generally achieve (brochures/clinic.yaml words.results_vary)
    typical_words: dict[Lang, tuple[Str, ...]] = Field(default_factory=dict)
    guideline_lifetimes: dict[Str, int] = Field(default_factory=dict)  # a guideline body: years before its guidelines lapse
    uk_claims: tuple[Str, ...] = ()  # conditions (ids) a UK clinic may name in marketing (the list's source beside it)
    uk_claims_source: Str | None = None


TECHNIQUES = ("cupping", "moxibustion", "electroacupuncture", "gua-sha", "ear-seeds")


class EarPoint(Frozen):
    """An ear point a technique uses (ear seeds), which the body atlas does not have: its names and its place on the
    `ear` view of the body map (handouts/design/map_figures.py), as fractions of that view's box."""

    code: Str  # the standard auricular code, e.g. TF4 (China's GB/T 13734-2008, as the WFAS standard)
    name: Texts  # e.g. {en: Shen Men, es: Shen Men, zh: 神门}
    map: tuple[float, float]

    @field_validator("map")
    @classmethod
    def _on_the_ear(cls, value: tuple[float, float]) -> tuple[float, float]:
        x, y = value
        if not (0 <= x <= 1 and 0 <= y <= 1):
            raise ValueError(f"map: ({x}, {y}) is outside the ear view's box; give fractions of its width and height (0 to 1)")
        return value


class Technique(Frozen):
    """A technique beside needles (techniques.yaml): what was done, what the patient may see or feel, aftercare,
    its own risks, and urgent signs by whom to call (they join the urgent-care box)."""

    name: Texts
    done: Texts
    feel: Texts
    aftercare: Texts
    risks: tuple[Texts, ...] = Field(min_length=1)
    urgent: dict[Route, tuple[Texts, ...]] = Field(default_factory=dict)
    points: tuple[EarPoint, ...] = ()  # points used beside the body atlas's (ear seeds: ear points), drawn on the ear view


class TechniquesFile(Frozen):
    """techniques.yaml: the techniques `--technique` may name, each a flag in rules.yaml for its safety rules."""

    reviewed: Review
    sources: tuple[Cite, ...] = Field(min_length=1)
    techniques: dict[Literal[TECHNIQUES], Technique] = Field(min_length=1)


class Question(Frozen):
    q: Texts
    a: Texts


class BrochureText(Frozen):
    """brochures/clinic.yaml: the words of brochures that are not in conditions or sections."""

    reviewed: Review
    sources: tuple[Cite, ...] = ()
    tagline: Texts  # the clinic brochure's cover line
    intro: Texts  # a short paragraph under the clinic brochure's cover title
    conditions_intro: Texts  # on the panel about the conditions the clinic commonly sees
    # true: list the conditions under it, each with its own hedged evidence line (`handouts check` holds the list to the
    # clinic's market, clinic.yaml `claims:`); false: name none (a bare list reads as a claim for every condition)
    list_conditions: bool = False
    faq: tuple[Question, ...] = ()  # questions people ask before a first visit
    words: dict[Str, Texts]  # headings and short labels


class BrochureCondition(Frozen):
    """brochures/conditions/ID.yaml: a condition brochure's own panel text (else the condition's summary)."""

    reviewed: Review
    sources: tuple[Cite, ...] = ()
    cover: Texts  # the cover line under "Acupuncture for ..."
    highlights: tuple[Texts, ...] = ()  # two or three short lines for the flyer and rack card


def to_record(value: Any) -> Any:
    """A validated model as the record of the same name (handouts/model.py), nested models, tuples and dicts too."""
    if isinstance(value, BaseModel):
        return getattr(model, type(value).__name__)(**{k: to_record(v) for k, v in value.__dict__.items()})
    if type(value) is tuple:
        return tuple(to_record(v) for v in value)
    if type(value) is dict:
        return {k: to_record(v) for k, v in value.items()}
    if type(value) is list:
        return [to_record(v) for v in value]
    return value


def defaults(record: type) -> Any:
    """A record with every field at its schema default (e.g. Lint when a tree has no lint.yaml)."""
    return to_record(globals()[record.__name__]())


def validate_record(record: type, data: dict) -> Any:
    """Validate data against the schema of a record class; the record, or pydantic's ValidationError."""
    return to_record(globals()[record.__name__].model_validate(data))
