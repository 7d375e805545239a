"""The take-home leaflet layout: one column, masthead on page 1, footer with page X of Y."""

from __future__ import annotations

import io
from dataclasses import dataclass, field, replace

from reportlab.lib.colors import HexColor
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Flowable, Frame, HRFlowable, PageBreak, PageTemplate
from reportlab.platypus.doctemplate import LayoutError

from ...version import __version__
from ...errors import HandoutError
from ...library.cache import LRU
from ...model import FactsRow, Handout, Heading
from ...design.styles import Style, load_style, sheet
from .flowables import Builder, measured_height
from .pagecount import counted_canvas
from .text import draw_runs, text_width, wrap_line


@dataclass(frozen=True)
class RenderOptions:
    """How to print a handout; shared by the CLI and the API."""

    page_size: str = "letter"
    large_print: bool = False
    format: str = "pdf"  # pdf | html | pdf-ua (handouts.render.formats.render picks the renderer)
    title_name: str = ""  # html and pdf-ua: the patient's name in the page title (only with --title-name)


def _numbered_canvas(handout: Handout, style: Style, discard=None):
    """The leaflet's canvas class: the footer (rule, page X of Y, contact, disclaimer) on every page (.pagecount)."""

    def footer(canvas, number: int, total: int) -> None:
        width, _ = style.page
        m = style.margins
        line_y = m["bottom"] - 14
        canvas.setStrokeColor(HexColor(style.colour("rule")))
        canvas.setLineWidth(0.6)
        canvas.line(m["left"], line_y, width - m["right"], line_y)
        leading = style.text("footer")["leading"]
        first = line_y - style.text("footer")["size"] - 2
        page = handout.page_label.format(page=number, pages=total)
        draw_runs(canvas, style, width - m["right"], first, page, "footer", align="right")
        contact_room = width - m["left"] - m["right"] - text_width(style, page, "footer") - 12
        y = first
        for line in wrap_line(style, handout.footer_contact, "footer", contact_room):
            draw_runs(canvas, style, m["left"], y, line, "footer")
            y -= leading
        for line in wrap_line(style, handout.footer, "footer", width - m["left"] - m["right"]):
            draw_runs(canvas, style, m["left"], y, line, "footer")
            y -= leading

    return counted_canvas(footer, discard)


def render_leaflet(handout: Handout, options: RenderOptions = RenderOptions()) -> bytes:
    """Lay out a Handout as a leaflet and return the PDF bytes (same input, same bytes).

    One pass, one type scale: a sheet fits by what compose puts on it, never by a second, smaller style.
    """
    return fit_leaflet(handout, options)[1]


def fit_leaflet(handout: Handout, options: RenderOptions = RenderOptions()) -> tuple[Handout, bytes]:
    """The handout as printed (optional blocks left out, lowest rank first, only while over the page budget) and its PDF.

    Patients of one day share most of their sheet: the same condition, points, flags and plan, a different name. The
    fit depends only on the heights of what is laid out, so once a sheet has been fitted, another sheet that differs
    only in the patient band (name, date, practitioner), and whose band is as tall, drops the same blocks: it is laid
    out once, at that rank, instead of once per rank tried. Same choice as a fresh fit, so the same bytes."""
    return _fitted(handout, options, pdf=True)


def printed_leaflet(handout: Handout, options: RenderOptions = RenderOptions()) -> Handout:
    """The handout as fit_leaflet prints it (the HTML page's words), without laying it out when the fit is remembered."""
    return _fitted(handout, options, pdf=False)[0]


def _fitted(handout: Handout, options: RenderOptions, pdf: bool) -> tuple[Handout, bytes]:
    """fit_leaflet; with pdf=False a remembered fit gives the handout as printed and b"" (no layout at all)."""
    layers = (("large-print",) if options.large_print else ()) + (("zh",) if handout.lang == "zh" else ())
    key = _fit_key(handout, options)
    if key is None:
        return _fit(handout, options, layers, write=pdf)[:2]
    band = _band_heights(handout, options, layers)
    key = (key, band)  # a blank band (the name not typed yet) and a filled one are two entries, not one overwriting the other
    hit = _FITS.hit(key)
    if hit is not None and hit[1] == band:
        printed = handout if hit[0] is None else without_optional(handout, hit[0])
        if not pdf:
            return printed, b""
        return printed, (_balanced(printed, options, layers) if options.large_print else _layout(printed, options, layers)[0])
    printed, data, rank = _fit(handout, options, layers, write=pdf)
    _FITS.keep(key, (rank, band))
    return printed, data


def _fit(handout: Handout, options: RenderOptions, layers: tuple[str, ...],
         write: bool = True) -> tuple[Handout, bytes, int | None]:
    """The fit itself: (the handout as printed, its PDF, the rank of optional blocks left out or None); with
    write=False every pass is laid out and none written (the PDF is b""): the HTML page needs only the choice.

    The first pass measures how far past the two pages the sheet runs and the room left at the foot of them;
    each next pass leaves out, in one step, the ranks that are clearly needed (a layout pass is a whole build).
    A pass that runs over while another is still to come is a trial: its PDF is not written."""
    if options.large_print:  # large print has no page budget: it prints everything
        return handout, _balanced(handout, options, layers) if write else b"", None
    trial = bool(handout.subtitle) or any(s.optional for s in handout.sections)
    seen = (handout.condition_id, handout.lang, options.page_size)  # no patient in it
    ran_over = _RAN_OVER.hit(seen)
    if ran_over is None:  # a condition not seen yet in this language and paper: as most sheets of them went so far
        overs, fits = _LANG_RAN_OVER.get(seen[1:], (0, 0))
        ran_over = overs >= fits  # none seen: likely over (most English and Spanish sheets run over; most Chinese fit)
    pdf, over, gaps, base = _pass(handout, options, layers, trial, write, likely_over=ran_over)
    _RAN_OVER.keep(seen, over > 0)
    if len(_LANG_RAN_OVER) < 64 or seen[1:] in _LANG_RAN_OVER:
        overs, fits = _LANG_RAN_OVER.get(seen[1:], (0, 0))
        _LANG_RAN_OVER[seen[1:]] = (overs + (over > 0), fits + (over <= 0))
    if over <= 0:
        return handout, pdf, None
    heights = _optional_heights(handout, options, layers)
    leading = sheet(*layers)["text"]["body"]["leading"]
    ranks = sorted(heights)
    printed, chosen, done = handout, None, 0
    whole = _last_page_fill(over, handout, options, layers) >= LAST_PAGE_LEAST  # printed whole if cutting cannot fit
    while over > 0 and done < len(ranks):
        # Leaving out clearly less than the overflow less the room left at the foot of the first pages cannot
        # fit: skip the passes that would. The heights are estimates (a block beside the code, a heading that
        # moves), so "clearly" is ESTIMATE_MARGIN lines: the next rank tried is never past the first that fits.
        saved = 0.0
        for done in range(done, len(ranks)):
            saved += heights[ranks[done]]
            if saved >= over - gaps - ESTIMATE_MARGIN * leading:
                break
        done += 1
        chosen = ranks[done - 1]
        printed = without_optional(handout, chosen)
        pdf, over, gaps, _ = _pass(printed, options, layers, done < len(ranks) or whole, write,
                                   likely_over=saved < over - gaps, resume=(handout, base))
    if over > 0 and whole:
        # Two pages cannot hold it even without every optional block (a pregnant patient's six points, two of them
        # cautioned, in Spanish): cut, it would still run onto a near-empty third page (the booking code alone).
        # Printed whole, the third page holds at least a quarter of a page, and the patient keeps the whole text.
        return handout, _layout(handout, options, layers, write=write)[0], None
    return printed, pdf, chosen


LAST_PAGE_LEAST = 0.25  # of the frame's height: a page of the main flow holds at least this much
_RAN_OVER = LRU(256)  # (condition, language, paper) -> whether its sheet's first pass last ran past the pages
_LANG_RAN_OVER: dict[tuple[str, str], tuple[int, int]] = {}  # (language, paper) -> first passes that ran over, that fitted


def _pass(handout: Handout, options: RenderOptions, layers: tuple[str, ...], trial: bool, write: bool,
          likely_over: bool, resume: tuple[Handout, "_Laid"] | None = None) -> tuple[bytes, float, float, "_Laid"]:
    """_layout for one pass of the fit, and where its flow went. A trial pass that will likely run over (and so is
    thrown away) is first only placed, not drawn (drawing is about half a pass); if it fits after all, it is laid out
    again and drawn, as its PDF is the one printed. A guess that is wrong costs time, never a byte: the drawn pass is
    the same pass. A pass that is only placed takes up the flow where it first differs from `resume` (an earlier pass
    of the same sheet with more blocks: the pages before are the same), so it places only the rest."""
    if not write or (trial and (likely_over or _resume_at(handout, resume) is not None)):
        # (taken up from an earlier pass, placing is a few milliseconds: cheaper than a drawn pass thrown away)
        _, laid = _laid_out(handout, options, layers, trial=trial, write=False, resume=resume)
        if laid.over > 0 or not write:
            return b"", laid.over, laid.gaps, laid
    pdf, laid = _laid_out(handout, options, layers, trial=trial, write=write)
    return pdf, laid.over, laid.gaps, laid


def _last_page_fill(over: float, handout: Handout, options: RenderOptions, layers: tuple[str, ...]) -> float:
    """How full the last page of the main flow is, from how far it runs past MAX_PAGES (over > 0)."""
    frame = _frame(load_style(handout.masthead.colour, options.page_size, layers))._height
    return (over % frame) / frame if over % frame else 1.0


_FITS = LRU(128)  # (the sheet without its patient band's values, the band's heights) -> (rank left out, the heights)
BAND = "for-whom"  # compose's section holding the patient band (name, date, practitioner) and the note


def _fit_key(handout: Handout, options: RenderOptions):
    """The sheet with the patient band's values (name, date, practitioner) left out, or None (not remembered: a
    sheet with a practitioner's note, which is about this patient, or one that cannot be a key). The band's
    heights are checked beside the key (_band_heights), so a band that wraps differently is fitted afresh."""
    sections = []
    after = False  # past the main flow: the sessions page and what follows it change neither the overflow nor the
    # room at the page feet, so the same sheet with or without its tracker page is fitted the same (only blocks
    # that may be left out there stay in the key)
    for s in handout.sections:
        after = after or s.new_page
        if after and not s.optional:
            continue
        if s.id == BAND:
            if any(not isinstance(b, FactsRow) for b in s.blocks):
                return None  # a note: nothing about a patient is kept beyond their own sheet
            s = replace(s, blocks=tuple(replace(b, pairs=tuple((label, "") for label, _ in b.pairs)) for b in s.blocks))
        sections.append(s)
    key = (replace(handout, sections=tuple(sections)), options.page_size, options.large_print)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def _band_heights(handout: Handout, options: RenderOptions, layers: tuple[str, ...]) -> tuple[float, ...]:
    """The heights of the patient band's blocks on the page, as the layout wraps them."""
    style = load_style(handout.masthead.colour, options.page_size, layers)
    width = style.page[0] - style.margins["left"] - style.margins["right"]
    builder = Builder(style, width)
    out = []
    for s in handout.sections:
        if s.id == BAND:
            for f in builder.section(s):
                w, h = f.wrap(width, 100_000)
                out.append((round(w, 6), round(h, 6), f.getSpaceBefore(), f.getSpaceAfter()))
    return tuple(out)


ESTIMATE_MARGIN = 4  # body lines
SUBTITLE_RANK = 8  # the one-line summary under the title: after every optional block but the self-care list


def without_optional(handout: Handout, rank: int) -> Handout:
    """The handout without its optional blocks of this rank or lower (and without its subtitle from SUBTITLE_RANK)."""
    sections = []
    for s in handout.sections:
        gone = {i for i, r in s.optional if r <= rank}
        if gone:
            s = replace(s, blocks=tuple(b for i, b in enumerate(s.blocks) if i not in gone), optional=())
            if not any(not isinstance(b, Heading) for b in s.blocks):
                continue  # nothing left but headings: the section goes
        sections.append(s)
    return replace(handout, sections=tuple(sections), subtitle="" if rank >= SUBTITLE_RANK else handout.subtitle)


def _optional_heights(handout: Handout, options: RenderOptions, layers: tuple[str, ...]) -> dict[int, float]:
    """About how many points the sheet gets back per rank left out (each block at the frame width; a section
    left with nothing but its heading takes the heading along)."""
    style = load_style(handout.masthead.colour, options.page_size, layers)
    builder = Builder(style, _frame(style)._width)
    heights: dict[int, float] = {}
    for s in handout.sections:
        for i, r in s.optional:
            heights[r] = heights.get(r, 0.0) + sum(measured_height(f, builder.width) for f in builder.block(s.blocks[i]))
        if s.optional and s.title and len({i for i, _ in s.optional} | {i for i, b in enumerate(s.blocks) if isinstance(b, Heading)}) == len(s.blocks):
            last = max(r for _, r in s.optional)
            head = [g for f in builder.section(replace(s, blocks=(), optional=())) for g in getattr(f, "_content", [f])]
            heights[last] += sum(measured_height(f, builder.width) for f in head)
    if handout.subtitle:
        heights[SUBTITLE_RANK] = heights.get(SUBTITLE_RANK, 0.0) + measured_height(builder.title(handout)[-1], builder.width)
    return heights


MAX_PAGES = 2


def _frame(style: Style, kind: type[Frame] = Frame, **extra) -> Frame:
    width, height = style.page
    m = style.margins
    return kind(m["left"], m["bottom"], width - m["left"] - m["right"], height - m["top"] - m["bottom"],
                leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body", **extra)


class _Placing(Frame):
    """A frame that places flowables without drawing them: a pass whose PDF is never written (write=False) needs
    only where they go, which wrap and split decide (no flowable of the leaflet changes the layout when drawn);
    _End still records where the flow ended."""

    def _add(self, flowable, canv, trySplit=0):
        if not isinstance(flowable, _End):
            flowable.drawOn = _not_drawn  # a fresh flowable of this pass only (flowables are made per pass)
        return super()._add(flowable, canv, trySplit)

    add = _add


def _not_drawn(*args, **kwargs) -> None:
    pass


class _End(Flowable):
    """Takes no room; remembers where the main flow ended (page, height from the page foot)."""

    _ZEROSIZE = True

    def __init__(self):
        super().__init__()
        self.page, self.y = 0, 0.0

    def wrap(self, avail_width, avail_height):
        return 0, 0

    def drawOn(self, canvas, x, y, _sW=0):
        self.page, self.y = canvas.getPageNumber(), y

    def draw(self):
        pass


class _Doc(BaseDocTemplate):
    """Remembers the room left at the foot of each page."""

    def afterPage(self):
        self.gaps.append(self.frame._y - self.frame._y1p)


def _balanced(handout: Handout, options: RenderOptions, layers: tuple[str, ...]) -> bytes:
    """Large print: no nearly empty page in the main flow. Where a page before its last holds less than half a page
    (the urgent box, which never splits, or the map moved on whole), the flow breaks earlier on the page before, where
    that evens the two pages best; where the last page would hold less than a quarter (a list's last items,
    the self-care list alone; before the sessions page it is a near-empty page mid-document), the last piece that
    starts on the page before goes on to it instead. Each break is kept only if it does what it is for."""
    breaks: frozenset = frozenset()
    pdf, laid = _laid_out(handout, options, layers)
    left: set[int] = set()  # thin pages no break could better
    for _ in range(laid.end_page):  # at most one break per page
        thin = next((k for k in range(2, laid.end_page) if laid.fills[k - 1] < MID_LEAST and k not in left), None)  # 1-based
        if thin is None:
            break
        found = _break_before(handout, options, layers, breaks, laid, thin)
        if found is None:
            left.add(thin)
            continue
        breaks, pdf, laid = found
    if laid.end_fill >= BALANCED_LAST or laid.end_page < 2:
        return pdf
    before = laid.fills[laid.end_page - 2]  # how full the page before the last is
    for mark in reversed(laid.marks):
        if mark.page != laid.end_page - 1 or mark.index == 0 or mark.index in breaks or not mark.breakable:
            continue
        at = mark.fill
        if at < BALANCED_LEAST:
            break  # moving more would leave the page before half empty
        if laid.end_fill + before - at >= BALANCED_LAST:
            moved, again = _laid_out(handout, options, layers, breaks | {mark.index})
            if again.end_page == laid.end_page and again.end_fill >= BALANCED_LAST:
                return moved
            break
    return pdf


def _break_before(handout: Handout, options: RenderOptions, layers: tuple[str, ...], breaks: frozenset, laid, thin: int):
    """A break on the page before `thin` (1-based) that evens the two pages: the first tried (best estimate first) that
    leaves both at least MID_LEAST full, else the one with the fuller of the two smaller fills; the page before never
    under MID_FLOOR, no more pages than before. (breaks, pdf, laid), or None if none does better."""
    before, now = laid.fills[thin - 2], laid.fills[thin - 1]
    candidates = []
    for mark in laid.marks:
        if mark.page != thin - 1 or mark.index == 0 or mark.index in breaks or not mark.breakable or mark.fill < MID_FLOOR:
            continue
        moved = now + before - mark.fill  # about how full `thin` gets
        candidates.append((min(mark.fill, moved), mark.index))
    best = None
    for guess, index in sorted(candidates, reverse=True)[:MID_TRIES]:
        if guess <= now:
            break
        pdf, again = _laid_out(handout, options, layers, breaks | {index})
        if again.end_page > laid.end_page:
            continue
        got = min(again.fills[thin - 2], again.fills[thin - 1])
        if got >= MID_LEAST:
            return breaks | {index}, pdf, again  # both at least half full: no need to try more (each try is a build)
        if got > min(before, now) and (best is None or got > best[0]):
            best = (got, breaks | {index}, pdf, again)
    return best[1:] if best else None


MID_LEAST = 0.5  # of the frame: a page of the main flow before its last that holds less is evened with the page before
MID_FLOOR = 0.35  # and the page before keeps at least this much
MID_TRIES = 3  # layouts tried per thin page (each is a whole build)
BALANCED_LEAST = 0.5  # of the frame: a page the balancing breaks early still holds at least this much
BALANCED_LAST = 0.3  # and the last page then holds this much (a little over a quarter: the flow's end is not its last line)


def _leads(piece: Flowable) -> bool:
    """A piece that goes with the next one (a heading, its rule, a conditional page break before them, an intro)."""
    if isinstance(piece, (CondPageBreak, HRFlowable)) or getattr(piece, "keepWithNext", False):
        return True
    return getattr(getattr(piece, "style", None), "name", "") in ("h2", "h3")


class _Mark(Flowable):
    """Takes no room and changes nothing in the frame (a frame action): remembers where the flow was (page, fill, and
    the frame's state there, from which a later pass can take up the flow: _laid_out's `resume`)."""

    def __init__(self, index: int, frame_top: float, frame_height: float):
        super().__init__()
        self.index, self.top, self.frame_height = index, frame_top, frame_height
        self.page, self.fill = 0, 0.0
        self.state: tuple | None = None  # the frame's (y, at its top, the space after the flowable before)
        self.breakable = True  # False right after a heading (_laid_out)

    def frameAction(self, frame):
        self.page = self.canv.getPageNumber()
        self.fill = (self.top - frame._y) / self.frame_height
        if not (frame._leftExtraIndent or frame._rightExtraIndent or getattr(frame, "_frameBGs", None)):
            self.state = (frame._y, frame._atTop, frame._prevASpace)


@dataclass
class _Laid:
    marks: list
    fills: list  # per page of the main flow, how full (from the room left at its foot)
    end_page: int
    end_fill: float
    firsts: dict = field(default_factory=dict)  # section index -> the index of its first piece's mark
    gaps_each: list = field(default_factory=list)  # per page, the room left at its foot
    over: float = 0.0
    gaps: float = 0.0


def _layout(handout: Handout, options: RenderOptions, layers: tuple[str, ...], trial: bool = False,
            write: bool = True) -> tuple[bytes, float, float]:
    """The PDF; how many points of the main flow run past MAX_PAGES (zero: it fits); the room left at the
    foot of those pages. A trial that runs past MAX_PAGES gives b"" for the PDF (it is laid out, not written), and
    so does every pass with write=False."""
    pdf, laid = _laid_out(handout, options, layers, trial=trial, write=write)
    return pdf, laid.over, laid.gaps


def _resume_at(handout: Handout, resume: tuple[Handout, _Laid] | None) -> tuple[int, _Mark] | None:
    """Where a pass of `handout` that is only placed can take up the flow of an earlier pass (`resume`: that pass's
    handout and _Laid): (the first section that differs, the earlier pass's mark at its first piece), or None (lay
    out the whole sheet). The sections before are the same objects, so their pieces and places are the same."""
    if resume is None:
        return None
    before, laid = resume
    if (handout.subtitle, handout.title, handout.draft_notice) != (before.subtitle, before.title, before.draft_notice):
        return None
    d = 0
    while d < min(len(handout.sections), len(before.sections)) and handout.sections[d] is before.sections[d]:
        d += 1
    index = laid.firsts.get(d)
    if index is None or d == 0:
        return None
    main = [s for s in handout.sections if not s.new_page and s.blocks]
    main_before = [s for s in before.sections if not s.new_page and s.blocks]
    if main and (main[-1] is not (main_before[-1] if main_before else None)) and handout.sections.index(main[-1]) < d:
        return None  # a section before the change becomes the last of the flow: its pieces change
    mark = laid.marks[index]
    if not mark.breakable or mark.state is None or mark.page < 1:
        return None
    return d, mark


class _Resumed(_Placing):
    """A placing frame whose first page starts where an earlier pass's flow was (y, at top, space after)."""

    def __init__(self, *args, state: tuple, **kwargs):
        super().__init__(*args, **kwargs)
        self.__dict__["_resume"] = state

    def _reset(self):
        super()._reset()
        state = self.__dict__.get("_resume")
        if state is not None:
            self._y, self._atTop, self._prevASpace = state
            self.__dict__["_resume"] = None


def _laid_out(handout: Handout, options: RenderOptions, layers: tuple[str, ...], breaks: frozenset = frozenset(),
              trial: bool = False, write: bool = True, resume: tuple[Handout, _Laid] | None = None):
    """The PDF and where its flow went (_Laid, with over and gaps as _layout gives them); `breaks`: the marks
    (pieces of the main flow, counted from the first after the title) that start a new page. A pass that is not
    written (write=False) stops at the end of the main flow (the sessions page after it changes neither), and with
    `resume` places only what comes after the first section that differs from that earlier pass (_resume_at)."""
    style = load_style(handout.masthead.colour, options.page_size, layers)
    width, height = style.page
    m = style.margins
    at = _resume_at(handout, resume) if not write and not breaks else None
    frame = _frame(style, _Resumed, state=at[1].state) if at is not None else _frame(style, Frame if write else _Placing)
    buffer = io.BytesIO()
    doc = _Doc(
        buffer,
        pagesize=(width, height),
        leftMargin=m["left"], rightMargin=m["right"], topMargin=m["top"], bottomMargin=m["bottom"],
        title=handout.title, author=handout.author, subject=handout.subject,
        keywords=", ".join(handout.keywords), creator=f"handouts {__version__}", producer=f"handouts {__version__}",
        lang=handout.lang, invariant=1, initialFontName=style.chain().primary, pageCompression=1,
    )
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    doc.gaps = []
    builder = Builder(style, frame._width)
    if at is None:
        story = [builder.masthead(handout), *builder.title(handout)]
        if handout.draft_notice:  # unapproved text says so at the top, where it cannot be missed
            story.append(builder.para(handout.draft_notice, "lead"))
        first, page0 = 0, 0
    else:
        story = []
        first, page0 = at[0], at[1].page - 1  # the pages before the mark's are the earlier pass's
    end = _End()
    main = [s for s in handout.sections if not s.new_page and s.blocks]
    marks: list[_Mark] = []
    firsts: dict[int, int] = {}
    previous = None
    top = height - m["top"]
    index = at[1].index if at is not None else 0
    for n, section in enumerate(handout.sections[first:], start=first):
        if section.new_page and end not in story:  # the sessions page comes on top of the budget
            story.append(end)
            if not write:
                break
        pieces = builder.section(section, last=bool(main) and section is main[-1])
        if end in story:
            story += pieces
            continue
        firsts[n] = index
        for piece in pieces:
            mark = _Mark(index, top, frame._height)
            mark.breakable = not (marks and _leads(previous))  # never a break between a heading and what it heads
            index += 1
            marks.append(mark)
            previous = piece
            story += [PageBreak(), mark, piece] if mark.index in breaks else [mark, piece]
    if end not in story:
        story.append(end)
    discard = (lambda: True) if not write else (lambda: end.page > MAX_PAGES) if trial else None
    canvasmaker = _numbered_canvas(handout, style, discard)
    try:
        doc.build(story, canvasmaker=canvasmaker)
    except LayoutError as exc:
        raise HandoutError(f"the handout could not be laid out: {exc}; shorten the longest text (e.g. --plan or a note)") from None
    end_page = end.page + page0
    for mark in marks if page0 else ():  # a taken-up pass counted its pages from the first it placed
        mark.page += page0
    gaps_each = (resume[1].gaps_each[:page0] if at is not None else []) + list(doc.gaps)
    over = (end_page - MAX_PAGES - 1) * frame._height + (top - end.y) if end_page > MAX_PAGES else 0.0
    laid = _Laid(marks, [1 - g / frame._height for g in gaps_each], end_page, (top - end.y) / frame._height,
                 firsts, gaps_each, over, sum(gaps_each[:MAX_PAGES]))
    return buffer.getvalue(), laid
