"""Library -> SocialPost: a brochure's cover words (the rack card's front) for a social media image, and its alt text."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..model import BulletList, Heading, Library, Paragraph, Picture
from .brochure import compose_brochure
from .leaflet import Writer

# The brochure whose front a post takes: the rack card's front is a cover made to be read on its own (title, cover
# line, highlights, the clinic's name and phone), drafted and approved as the brochure is.
SOURCE_FORMAT = "rack-card"
FULL_STOP = {"en": ".", "es": ".", "zh": "。"}
COLON = {"zh": "："}  # else ": "
ENDS = tuple(".!?:;。！？：；…")


@dataclass(frozen=True)
class SocialPost:
    """A language-resolved social media post: the words in reading order, by role, and the clinic's look."""

    lang: str
    title: str
    lines: tuple[str, ...]  # the cover line (and, for the clinic, its intro)
    highlights: tuple[str, ...]  # short bullet lines; left out first when a size has no room
    clinic: str
    call: str  # "Call us: (973) 922-9659"
    booking: str  # "Book a visit online: clinic.example/book" ("" when the clinic has no booking address or website)
    not_advice: str
    colour: str
    logo: bytes | None = field(default=None, repr=False)
    draft: str = ""  # the brochure's draft line while its files are not approved
    unapproved: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()  # the content files its words come from, for "does not fit" messages
    # Hook for the brochure branch's photos and line illustrations: a picture (PNG or JPEG bytes) that
    # render/social.py draws above the title when set. compose_social leaves it empty for now.
    picture: bytes | None = field(default=None, repr=False)

    def words(self, highlights: bool = True) -> tuple[str, ...]:
        """Every text drawn, in reading order (without the highlights when a size leaves them out)."""
        return (*((self.draft,) if self.draft else ()), self.clinic, self.title, *self.lines,
                *(self.highlights if highlights else ()), self.call, *((self.booking,) if self.booking else ()), self.not_advice)


def compose_social(library: Library, condition: str | None, lang: str = "en") -> SocialPost:
    """The post of a condition's brochure with `condition`, else of the clinic brochure: the same words, the same draft
    rule (UnapprovedError under require_approval), the same language and offers checks as `handouts brochure`."""
    brochure = compose_brochure(library, condition, SOURCE_FORMAT, lang)
    front = brochure.panel("front")
    clinic = library.clinic
    w = Writer(library, lang, {"clinic": clinic.plain(), "practitioner": ""})
    title, lines, highlights = "", [], []
    call = ""
    aside = False  # inside a section the front carries under its own heading (e.g. "Your first visit"): not for a post
    for block in front.blocks:
        if isinstance(block, Picture):  # the cover's photo or drawing: not (yet) the post's (SocialPost.picture)
            continue
        if isinstance(block, Heading):  # the draft line, first on the front; any other heading opens a section
            aside = aside or block.text != brochure.draft_notice
            continue
        if isinstance(block, Paragraph) and block.style == "cover_name":
            aside = False  # the clinic's name and phone close the front
            continue  # the clinic's name: drawn beside the logo
        if aside:
            continue
        if isinstance(block, BulletList):
            highlights += block.items
        elif isinstance(block, Paragraph) and block.style == "cover_title":
            title = block.text
        elif isinstance(block, Paragraph):
            lines.append(block.text)
        else:
            raise TypeError(f"a social post has no place for a {type(block).__name__} of the {SOURCE_FORMAT} front")
    call = lines.pop()  # the front ends with "Call us: PHONE" (composition/brochure.py _Pieces.cover)
    address = clinic.booking_url or clinic.website
    booking = f"{w.label('book_online')}{COLON.get(lang, ': ')}{_bare(address)}" if address else ""
    return SocialPost(
        lang=lang, title=title, lines=tuple(lines), highlights=tuple(highlights), clinic=clinic.name, call=call,
        booking=booking, not_advice=_not_advice(library, w), colour=clinic.colour, logo=library.logo,
        draft=brochure.draft_notice, unapproved=brochure.unapproved, sources=_sources(library, brochure.condition_id),
    )


def alt_text(post: SocialPost, highlights: bool = True) -> str:
    """The image's words as sentences, in its language: what a screen reader says instead of the picture."""
    stop = FULL_STOP.get(post.lang, ".")
    sentences = [w if w.rstrip().endswith(ENDS) else w.rstrip() + stop for w in post.words(highlights)]
    return ("" if post.lang == "zh" else " ").join(sentences) + "\n"


def _sources(library: Library, cid: str) -> tuple[str, ...]:
    """The files the post's cover words come from (as the clinic's folder names them), for "does not fit" messages."""
    from .brochure import CLINIC_FILE, TEXT_FILE

    rels = [f"brochures/conditions/{cid}.yaml" if cid in library.brochure_conditions else f"conditions/{cid}.yaml"] if cid else []
    rels += [TEXT_FILE, CLINIC_FILE]
    return tuple(library.files[r].label if r in library.files else r for r in rels)


def _bare(address: str) -> str:
    """A web address as people type it: no scheme, no trailing slash."""
    for scheme in ("https://", "http://"):
        address = address.removeprefix(scheme)
    return address.rstrip("/")


def _not_advice(library: Library, w: Writer) -> str:
    from .brochure import TEXT_FILE

    texts = library.brochure.words.get("not_advice") if library.brochure is not None else None
    return w(texts, f"{TEXT_FILE}: words.not_advice")
