"""Library -> Brochure: which reviewed text goes on which named panel of a tri-fold, bi-fold, rack card or flyer."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from . import care
from .leaflet import Writer, body_map, graded, resolve_points
from .offers import check_language, offered_condition
from ..errors import ContentError
from ..model import (
    BookingCode,
    Brochure,
    BrochurePanel,
    BrochureText,
    BulletList,
    Callout,
    Condition,
    Heading,
    Library,
    Masthead,
    Paragraph,
    Picture,
    ROUTES,
)
from ..design.styles import sheet

CLINIC_FILE = "clinic.yaml"
TEXT_FILE = "brochures/clinic.yaml"


class _BWriter(Writer):
    """The leaflet's writer plus the brochure's own words (brochures/clinic.yaml)."""

    def __init__(self, library: Library, lang: str, context: dict[str, Any]):
        super().__init__(library, lang, context)
        if library.brochure is None:
            raise ContentError([f"{TEXT_FILE}: missing; a brochure needs it (copy the bundled {TEXT_FILE} into your content folder)"])
        self.text: BrochureText = library.brochure
        self.where = library.files[TEXT_FILE].label if TEXT_FILE in library.files else TEXT_FILE

    def word(self, key: str, **values: Any) -> str:
        texts = self.text.words.get(key)
        if texts is None:
            raise ContentError([f"{self.where}: words.{key}: missing; add it (see the bundled {TEXT_FILE})"])
        text = self(texts, f"{self.where}: words.{key}")
        return text.format(**values) if values else text

    def field(self, name: str) -> str:
        return self(getattr(self.text, name), f"{self.where}: {name}")


THEMES = ("photo", "illustration", "type")  # the cover designs (brochure.yaml themes:)


def default_theme(library: Library) -> str:
    """The photo cover when the clinic has a photo of its own, else one of our illustrations."""
    photos = library.clinic.photos
    return "photo" if photos is not None and photos.clinic is not None else "illustration"


def compose_brochure(library: Library, condition: str | None, format: str, lang: str = "en", tabs: bool = False,
                     theme: str | None = None) -> Brochure:
    """The panels of one brochure: a condition brochure with `condition`, else the clinic brochure. `tabs`: a flyer
    with tear-off tabs at its foot, each with the clinic's phone and booking address. `theme`: the cover's design
    (photo, illustration or type; none: default_theme)."""
    clinic = library.clinic
    if tabs and format != "flyer":
        raise ContentError([f"tear-off tabs are for a flyer, not a {format}; use --format flyer --tabs"])
    theme = theme or default_theme(library)
    if theme not in THEMES:
        raise ContentError([f"--theme {theme}: not a cover design; choose one of {', '.join(THEMES)}"])
    if theme == "photo" and default_theme(library) != "photo":
        raise ContentError([f"clinic.yaml: photos.clinic: missing; the photo cover (--theme photo) shows the clinic's own "
                            f"photo: add `photos: {{clinic: {{file: room.jpg}}}}` beside clinic.yaml, or choose --theme "
                            f"illustration or type"])
    context: dict[str, Any] = {"clinic": clinic.plain(), "practitioner": ""}
    w = _BWriter(library, lang, context)
    pieces = _Pieces(w, library, theme)
    check_language(library, lang)
    if condition:
        cid, cond = offered_condition(library, condition)
        cfile = library.where.get(f"conditions/{cid}", f"conditions/{cid}.yaml")
        title_text = w(cond.title, f"{cfile}: title")
        context["condition"] = title_text
        title = w.word("acupuncture_for", condition=care.in_sentence(title_text) if lang in ("en", "es") else title_text)
        panels = pieces.condition_panels(format, cid, cond, cfile, title, title_text)
        subject = w(cond.summary, f"{cfile}: summary")
    else:
        cid = ""
        title = w.word("acupuncture_at", clinic=clinic.name)
        panels = pieces.clinic_panels(format, title)
        subject = w.field("tagline")
    draft, unapproved = _draft(w, library, cid, cond if condition else None)
    if draft:
        panels = [_with_first(p, Heading(draft, level=3)) if p.name in DRAFT_PANELS[format] else p for p in panels]  # bold, first
    lines = [*clinic.address, f"{w.label('phone')}: {clinic.phone}"] + ([clinic.website] if clinic.website else [])
    return Brochure(
        lang=lang, format=format, title=title,
        masthead=Masthead(name=clinic.name, lines=tuple(lines), colour=clinic.colour, logo=library.logo),
        panels=tuple(panels), author=clinic.name, subject=subject,
        colour_cmyk=tuple(clinic.colour_cmyk) if clinic.colour_cmyk else None,
        condition_id=cid, keywords=("acupuncture", "brochure", *([cid] if cid else [])),
        draft_notice=draft, unapproved=unapproved, tabs=_tab_lines(clinic) if tabs else (), theme=theme,
    )


def _tab_lines(clinic) -> tuple[str, ...]:
    """What each tear-off tab says: the phone, then where to book (the booking page, else the website), without https://."""
    where = clinic.booking_url or clinic.website or ""
    for scheme in ("https://", "http://"):
        where = where.removeprefix(scheme)
    return (clinic.phone, where.removesuffix("/")) if where else (clinic.phone,)


# The first text panel of each face, where a draft says so before anything else is read.
DRAFT_PANELS = {"trifold": ("flap", "inside_left"), "bifold": ("back", "inside_left"), "rack-card": ("front", "back"),
                "flyer": ("front",)}


def _draft(w, library: Library, cid: str, cond: Condition | None) -> tuple[str, tuple[str, ...]]:
    """The draft line and the files behind it, as on a leaflet: every file the brochure's words come from must be
    approved as it is now; a clinic that sets require_approval gets no brochure until they are."""
    from ..library.approvals import UnapprovedError, brochure_files
    from .leaflet import APPROVAL_WORDS

    files = brochure_files(library, cid if cond is not None else None)
    status = library.approval
    unapproved = tuple(status.unapproved(files)) if status is not None else tuple(files)
    if not unapproved:
        return "", ()
    if library.clinic.require_approval:
        raise UnapprovedError(status, unapproved, library.clinic.name)
    texts = library.labels.words.get("draft_notice") or APPROVAL_WORDS["draft_notice"]
    return w(texts, "labels.yaml: words.draft_notice").format(clinic=library.clinic.name), unapproved


def _with_first(panel: BrochurePanel, block) -> BrochurePanel:
    """The panel with `block` first after its headline (never left out; the other blocks' indices move up one)."""
    at = panel.head
    moved = lambda i: i + 1 if i >= at else i  # noqa: E731
    return BrochurePanel(panel.name, (*panel.blocks[:at], block, *panel.blocks[at:]), tuple(map(moved, panel.optional)),
                         kind=panel.kind, sources=panel.sources, head=panel.head,
                         together=tuple(tuple(map(moved, g)) for g in panel.together))


def _headline(cover: Piece) -> tuple[Piece, Piece]:
    """A flyer's headline (the cover without the clinic's name and phone) and its picture, which goes under the
    headline (an inset; left out, the last first, when the flyer is full): the band holds words only."""
    head = [(b, o) for b, o in cover[:-2] if not isinstance(b, Picture)]
    pictures = [(Picture(b.kind, b.name, role="inset", data=b.data, focus=b.focus, where=b.where), True)
                for b, _ in cover[:-2] if isinstance(b, Picture)]
    return head, pictures


Piece = list[tuple[Any, bool | str]]  # (block, optional): False, True, or a group name (left out together)


def _panel(name: str, parts: Piece, kind: str, sources: tuple[str, ...], head: int = 0) -> BrochurePanel:
    groups: dict[str, list[int]] = {}
    for i, (_, opt) in enumerate(parts):
        if isinstance(opt, str):
            groups.setdefault(opt, []).append(i)
    return BrochurePanel(name, tuple(b for b, _ in parts), tuple(i for i, (_, opt) in enumerate(parts) if opt), kind=kind,
                         sources=sources, head=head, together=tuple(tuple(g) for g in groups.values()))


class _Pieces:
    """Groups of blocks that panels are made of; each knows the files its text comes from."""

    def __init__(self, w: _BWriter, library: Library, theme: str = "illustration"):
        self.w = w
        self.library = library
        style = sheet("brochure")["brochure"]
        self.theme, self.spots = style["themes"][theme], style["spots"]
        self.clinic_file = library.files[CLINIC_FILE].label if CLINIC_FILE in library.files else CLINIC_FILE

    # ---- the two kinds of brochure, per format ---------------------------------------------------
    # A piece is a list of (block, optional) pairs; an optional block is left out, the last first, when a panel is full.

    def condition_panels(self, format: str, cid: str, cond: Condition, cfile: str, title: str, title_text: str) -> list[BrochurePanel]:
        face = "front" if format == "rack-card" else "cover"
        cover = self.cover(title, self.cover_line(cid, cond, cfile), highlights=format in ("rack-card", "flyer"), cid=cid)
        about = self.about(cond, cfile, title_text)
        points = self.points(cond, cfile)
        visit = self.first_visit(cond, cfile)
        risks = self.risks(cond, cfile)
        contact = self.contact()
        back = (self.clinic_file, self.w.where)
        safety = ("sections/risks.yaml", "sections/when-to-call.yaml")
        if format == "trifold":  # opening the cover shows inside_left and the flap: what it may do, a first visit
            return [_panel("cover", cover, "cover", back),
                    _panel("inside_left", about + [(b, "what") for b, _ in self.what_is()], "text",
                           (cfile, "sections/what-is-acupuncture.yaml")),
                    _panel("flap", visit, "text", (cfile, "sections/what-to-expect.yaml")),
                    _panel("inside_middle", points, "text", (cfile, "points/")),
                    _panel("inside_right", risks, "text", safety),
                    _panel("back", contact, "contact", back)]
        if format == "bifold":
            return [_panel("cover", cover, "cover", back),
                    _panel("inside_left", about + visit, "text", (cfile, "sections/what-to-expect.yaml")),
                    _panel("inside_right", points + risks, "text", (cfile, "sections/risks.yaml", "sections/when-to-call.yaml")),
                    _panel("back", contact, "contact", back)]
        if format == "rack-card":  # the first visit on the front, the urgent-care box on the back with the contact
            first = [(b, "visit") for b, _ in visit[:2]]  # left out together when a long cover needs the room
            return [_panel(face, cover[:-2] + first + cover[-2:], "cover", (*back, "sections/what-to-expect.yaml")),
                    _panel("back", self.urgent(cond, cfile) + contact, "contact", (*back, *safety))]
        # flyer: one panel, the cover's words on top, then the essentials, the urgent-care box and the contact
        head, picture = _headline(cover)  # the clinic's name and phone are under "Book a visit"
        return [_panel("front", head + about[1:2] + picture + [(b, "points") for b, _ in points] + self.urgent(cond, cfile)
                       + contact, "flyer", (cfile, *back, *safety), head=len(head))]

    def clinic_panels(self, format: str, title: str) -> list[BrochurePanel]:
        w = self.w
        cover = self.cover(title, w.field("tagline"), highlights=False)
        what = self.what_is()
        seen = self.we_often_see()
        visit = self.first_visit(None, "")
        team = self.team()
        risks = self.risks()
        contact = self.contact()
        back = (self.clinic_file, w.where)
        safety = ("sections/risks.yaml", "sections/when-to-call.yaml")
        if format == "trifold":  # opening the cover shows inside_left and the flap: what it may do, a first visit
            return [_panel("cover", cover, "cover", back),
                    _panel("inside_left", what + (seen if team else []), "text",
                           (w.where, "sections/what-is-acupuncture.yaml", *(("conditions/",) if team else ()))),
                    _panel("flap", visit + (self.faq() if team else self.visiting()), "text",
                           ("sections/what-to-expect.yaml", w.where, self.clinic_file)),
                    _panel("inside_middle", team or seen + self.faq(), "text",
                           (self.clinic_file,) if team else (w.where, "conditions/")),
                    _panel("inside_right", risks, "text", safety),
                    _panel("back", self.contact(visiting=bool(team)), "contact", back)]
        if format == "bifold":
            return [_panel("cover", cover, "cover", back),
                    _panel("inside_left", what + visit + self.faq(), "text",
                           (w.where, "sections/what-is-acupuncture.yaml", "sections/what-to-expect.yaml")),
                    _panel("inside_right", seen + team + risks, "text", (self.clinic_file, w.where, "conditions/", *safety)),
                    _panel("back", contact, "contact", back)]
        if format == "rack-card":
            first = [(b, "visit") for b, _ in visit[:2]]  # left out (after the intro) when a long cover needs the room
            at = next(i for i, (b, _) in enumerate(cover) if getattr(b, "style", "") == "cover_text") + 1  # after the line
            front = cover[:at] + first + [(Paragraph(w.field("intro"), style="cover_text"), True)] + cover[at:]
            return [_panel("front", front, "cover", (*back, "sections/what-to-expect.yaml")),
                    _panel("back", self.urgent() + contact, "contact", (*back, *safety))]
        head, picture = _headline(cover)
        return [_panel("front", head + what[1:2] + picture + [(b, "visit") for b, _ in visit[:2]] + [(b, "seen") for b, _ in seen]
                       + self.urgent() + contact,
                       "flyer", (*back, "sections/what-is-acupuncture.yaml", *safety), head=len(head))]

    # ---- pieces ------------------------------------------------------------------------------------

    def cover_line(self, cid: str, cond: Condition, cfile: str) -> str:
        own = self.library.brochure_conditions.get(cid)
        if own is not None:
            return self.w(own.cover, f"brochures/conditions/{cid}.yaml: cover")
        return self.w(cond.summary, f"{cfile}: summary")

    def cover(self, title: str, line: str, highlights: bool, cid: str = "") -> Piece:
        """The cover's blocks in the theme's order (brochure.yaml themes:), the clinic's name and phone last; the
        logo is the renderer's, at the top."""
        clinic = self.library.clinic
        parts: dict[str, Piece] = {"logo": [], "title": [(Paragraph(title, style="cover_title"), False)],
                                   "line": [(Paragraph(line, style="cover_text"), False)], "highlights": [],
                                   "picture": [(self.picture(self.theme["picture"]), False)],  # never text only
                                   "name": [(Paragraph(clinic.name, style="cover_name"), False)],
                                   "phone": [(Paragraph(self.w.word("call_us", phone=clinic.phone), style="cover_text"), False)]}
        own = self.library.brochure_conditions.get(cid) if cid else None
        if highlights and own is not None and own.highlights:
            where = f"brochures/conditions/{cid}.yaml: highlights"
            parts["highlights"] = [(BulletList(tuple(self.w(t, f"{where}[{i}]") for i, t in enumerate(own.highlights))), True)]
        return [part for name in self.theme["cover"] for part in parts[name]]

    def picture(self, spec: dict) -> Picture:
        """The theme's picture: the clinic's photo, or one of our illustrations."""
        if spec["kind"] == "photo":
            photo = self.library.clinic.photos.clinic
            return Picture("photo", photo.file, role=spec.get("role", "cover"), data=self.library.photos.get(photo.file, b""),
                           focus=tuple(photo.focus), where=f"{self.clinic_file}: photos.clinic")
        return Picture("illustration", spec["name"], role=spec.get("role", "cover"))

    def spot(self, piece: str) -> Piece:
        """The illustration that ends a section (brochure.yaml spots:), if it has one."""
        name = self.spots.get(piece)
        return [(Picture("illustration", name, role="spot"), False)] if name else []

    def about(self, cond: Condition, cfile: str, title_text: str) -> Piece:
        w = self.w
        out: Piece = [(Heading(w.label("about_condition", condition=title_text), level=2), False),
                      (Paragraph(w(cond.overview[0], f"{cfile}: overview[0]")), False)]
        if cond.how_it_may_help:  # what acupuncture may do for them: hedged, from the condition's sourced text
            out.append((Heading(w.label("how_it_may_help"), level=3), False))
            out += [(Paragraph(w(t, f"{cfile}: how_it_may_help[{i}]")), False) for i, t in enumerate(cond.how_it_may_help)]
        out += [(Paragraph(w(t, f"{cfile}: overview[{i}]")), True) for i, t in enumerate(cond.overview) if i]
        out.append((Paragraph(w.label("who_may_benefit"), style="lead"), True))
        out.append((BulletList(tuple(w(t, f"{cfile}: who_may_benefit[{i}]") for i, t in enumerate(cond.who_may_benefit))), True))
        # What research shows opens with how strong the evidence is (grade.level), in the leaflet's patient words.
        out.append((Paragraph(w.label("what_the_research_says") + " " + graded(w, cond, w(cond.evidence, f"{cfile}: evidence"))),
                    True))
        return out

    def points(self, cond: Condition, cfile: str) -> Piece:
        """The condition's usual points on the body map, each numbered line saying why it is used."""
        w = self.w
        codes = tuple(cp.code for cp in cond.points if cp.default)
        pts = resolve_points(self.library, codes, f"{cfile}: points")
        why = {cp.code: (i, cp.why) for i, cp in enumerate(cond.points)}
        drawn = body_map(w, pts)  # a brochure's map shows where needles often go, not where they went in today
        drawn = replace(drawn, caption=w.word("map_caption") if drawn.caption else "")
        out: Piece = [(Heading(w.word("points_we_use"), level=2), False), (drawn, False)]
        for n, p in enumerate(pts, start=1):
            i, texts = why[p.code]
            name = f"{p.body.pinyin} {p.body.hanzi}" if w.lang == "zh" else p.body.pinyin  # characters for Chinese readers
            out.append((Paragraph(f"{n}. {p.code} {name}: {w(texts, f'{cfile}: points[{i}].why')}"), False))
        return out

    def first_visit(self, cond: Condition | None, cfile: str) -> Piece:
        w = self.w
        section = self.library.sections["what-to-expect"]
        items: list[str] = []
        for i, block in enumerate(section.blocks):
            items += [w(t, f"sections/what-to-expect.yaml: blocks[{i}].items[{j}]") for j, t in enumerate(block.items)]
        out: Piece = [(Heading(w.word("first_visit"), level=2), False), (BulletList(tuple(items)), False)]
        if cond is not None:
            if cond.what_to_expect:
                out.append((BulletList(tuple(w(t, f"{cfile}: what_to_expect[{i}]") for i, t in enumerate(cond.what_to_expect))), True))
            out += [(Heading(w.word("sessions"), level=3), True), (Paragraph(w(cond.plan.summary, f"{cfile}: plan.summary")), True)]
            if cond.self_care:
                out += [(Heading(w.label("self_care"), level=3), True),
                        (BulletList(tuple(w(t.text, f"{cfile}: self_care[{i}].text") for i, t in enumerate(cond.self_care))), True)]
        return out + self.spot("first_visit")

    def risks(self, cond: Condition | None = None, cfile: str = "") -> Piece:
        """Risks in plain words and the urgent-care list (never left out)."""
        w = self.w
        section = self.library.sections["risks"]
        first = section.blocks[0]
        out: Piece = [(Heading(w.word("is_it_safe"), level=2), False)]
        if first.text:
            out.append((Paragraph(w(first.text, "sections/risks.yaml: blocks[0].text")), False))
        if cond is not None:  # the condition's own risks (a replaced hip...), as on the leaflet
            out += [(Paragraph(w(t, f"{cfile}: risks[{j}]")), False) for j, t in enumerate(cond.risks)]
        if first.items:
            out.append((BulletList(tuple(w(t, f"sections/risks.yaml: blocks[0].items[{j}]") for j, t in enumerate(first.items))), True))
        out += [(Paragraph(w(b.text, f"sections/risks.yaml: blocks[{i}].text")), True) for i, b in enumerate(section.blocks) if i and b.text]
        return out + self.urgent(cond, cfile)

    def urgent(self, cond: Condition | None = None, cfile: str = "") -> Piece:
        """The urgent-care box (never left out): on every brochure, an inside or back panel, never the first one opened.
        The signs that cannot wait for the clinic, each under whom to call (the condition's own join them, as on the
        leaflet); the first tier's heading is the box's title, the others stacked under it in one column."""
        w = self.w
        section = self.library.sections["when-to-call"]
        signs = {cfile: cond.urgent} if cond is not None else {}
        parts, _, _ = care.routed_parts(w, section, signs, [], routes=tuple(r for r in ROUTES if r != "clinic-today"))
        title = parts[0][0] if parts and parts[0][0] else w.word("get_help")
        parts = [("", parts[0][1])] + parts[1:] if parts else []
        return [(Callout(title=title, parts=tuple(parts), columns=(0,) * len(parts)), False)]

    def what_is(self) -> Piece:
        w = self.w
        section = self.library.sections["what-is-acupuncture"]
        paras = [Paragraph(w(b.text, f"sections/what-is-acupuncture.yaml: blocks[{i}].text")) for i, b in enumerate(section.blocks) if b.text]
        return [(Heading(w.word("what_is"), level=2), False), (paras[0], False), *((p, True) for p in paras[1:]),
                (Paragraph(w.field("intro")), True)] + self.spot("what_is")

    def faq(self) -> Piece:
        w = self.w
        if not w.text.faq:
            return []
        out: Piece = [(Heading(w.word("faq"), level=2), True)]
        for i, item in enumerate(w.text.faq):
            out.append((Paragraph(w(item.q, f"{w.where}: faq[{i}].q"), style="lead"), f"faq{i}"))
            out.append((Paragraph(w(item.a, f"{w.where}: faq[{i}].a")), f"faq{i}"))
        return out

    def we_often_see(self) -> Piece:
        """The conditions panel: the intro, and a list of conditions only when each carries its own hedged evidence
        line (a bare list reads as a claim for every condition on it; `handouts check` holds the list to the market)."""
        w = self.w
        out: Piece = [(Heading(w.word("we_often_see"), level=2), False), (Paragraph(w.field("conditions_intro")), False)]
        if self.library.brochure is not None and self.library.brochure.list_conditions:
            lines = []
            for cid, cond in sorted(self.library.conditions.items()):
                if not self.library.clinic.offered(cid):
                    continue  # the clinic names only what it treats (offers: in clinic.yaml)
                cfile = self.library.where.get(f"conditions/{cid}", f"conditions/{cid}.yaml")
                evidence = graded(w, cond, w(cond.evidence_short or cond.evidence, f"{cfile}: evidence_short"))
                lines.append(f"{w(cond.title, f'{cfile}: title')}: {evidence}")
            out.append((BulletList(tuple(lines)), False))
        return out + self.spot("we_often_see")

    def team(self) -> Piece:
        """Practitioners and testimonials; a testimonial never prints without "results vary"."""
        w, clinic = self.w, self.library.clinic
        out: Piece = []
        if clinic.team:
            out.append((Heading(w.word("team"), level=2), False))
            photos = clinic.photos.team if clinic.photos is not None else {}
            for i, member in enumerate(clinic.team):
                if member.name in photos:  # the practitioner's photo, cropped around the face (its focus)
                    photo = photos[member.name]
                    out.append((Picture("photo", photo.file, role="portrait", data=self.library.photos.get(photo.file, b""),
                                        focus=tuple(photo.focus), where=f"{self.clinic_file}: photos.team.{member.name}"), True))
                out.append((Paragraph(f"{member.name}, {member.credentials}", style="lead"), False))
                out.append((Paragraph(w(member.bio, f"{self.clinic_file}: team[{i}].bio")), False))
        if clinic.testimonials:
            out.append((Heading(w.word("what_patients_say"), level=2), False))
            for i, quote in enumerate(clinic.testimonials):
                text = w(quote.text, f"{self.clinic_file}: testimonials[{i}].text")
                out.append((Paragraph(f"“{text}” — {quote.by}"), False))
            out.append((Paragraph(w.word("results_vary"), style="lead"), False))
        return out

    def contact(self, visiting: bool = True) -> Piece:
        """Name, address, phone, booking code, the disclaimer; with `visiting`, the hours and payment too."""
        w, clinic = self.w, self.library.clinic
        out: Piece = [(Heading(w.word("contact"), level=2), False), (Paragraph(clinic.name, style="lead"), False),
                      (Paragraph(", ".join(clinic.address)), False),
                      (Paragraph(w.word("call_us", phone=clinic.phone), style="lead"), False)]
        if clinic.website:
            out.append((Paragraph(clinic.website), True))
        if clinic.booking_url:
            out.append((BookingCode(clinic.booking_url, w.label("scan_to_book"), w.label("book_online")), False))
        if visiting:
            out += self.visiting()
        out.append((Paragraph(w.word("not_advice"), style="small"), False))
        return out

    def visiting(self) -> Piece:
        """Hours and payment (optional: left out, the last first, when a panel is full)."""
        w, clinic = self.w, self.library.clinic
        out: Piece = [(Heading(w.word("hours"), level=3), True)]
        if clinic.hours:
            out.append((BulletList(tuple(w(t, f"{self.clinic_file}: hours[{i}]") for i, t in enumerate(clinic.hours))), True))
        else:
            out.append((Paragraph(w.word("call_for_hours")), True))
        if clinic.payment:
            out.append((Heading(w.word("payment"), level=3), True))
            out.append((BulletList(tuple(w(t, f"{self.clinic_file}: payment[{i}]") for i, t in enumerate(clinic.payment))), True))
        return out
