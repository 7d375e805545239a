"""The leaflet as one self-contained, accessible HTML page: Jinja2 templates (autoescaped), inline CSS and SVG."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable

from markupsafe import Markup, escape

from ...library.cache import LRU

from ...model import (
    BodyMap,
    BookingCode,
    BulletList,
    Calendar,
    Callout,
    Checklist,
    FactsRow,
    Handout,
    HandoutSection,
    Heading,
    IconList,
    KeyPoints,
    Note,
    Paragraph,
    PointsTable,
    Timeline,
    Tracker,
)

TEMPLATES = Path(__file__).resolve().parent / "templates"

# One table of block type -> template macro (templates/leaflet.html.j2). A block type with no entry here
# is an error naming it, never a silent gap in the page: add its macro when you add a block type.
HANDLERS: dict[type, str] = {
    Heading: "heading",
    Paragraph: "paragraph",
    BulletList: "bullet_list",
    PointsTable: "points_table",
    Callout: "callout",
    FactsRow: "facts_row",
    BodyMap: "body_map",
    Timeline: "timeline",
    Calendar: "calendar",
    Tracker: "tracker",
    BookingCode: "booking_code",
    KeyPoints: "key_points",
    Checklist: "checklist",
    Note: "note",
    IconList: "icon_list",
}

# The one piece of text only the page has: each checklist box's name for a screen reader ("Session 3 of 8"),
# since a drawn box says nothing by itself. Marked data-html-only, like the map's text alternative.
BOX_NAMES = {"en": "Session {n} of {total}", "es": "Sesión {n} de {total}", "zh": "第{n}次，共{total}次"}

LANG_TAGS = {"en": "en", "es": "es", "zh": "zh-Hans"}
LARGE_MAP_TEXT = 18  # large print's map numbers and view labels, in SVG units (1 pt: styles/large-print.yaml, marker)
PINYIN = "zh-Latn-pinyin"  # BCP 47 for Hanyu Pinyin
HANZI = "zh-Hans"


class MissingHandler(TypeError):
    """A block type the HTML renderer has no handler for (a programming error, not a user's)."""


@dataclass(frozen=True)
class HtmlOptions:
    """How to draw the page: large print, the patient's name in <title> (empty: not), the tagged-PDF variant."""

    large_print: bool = False
    title_name: str = ""
    for_pdf: bool = False  # WeasyPrint: bundled fonts by file URL, figures as <img alt> (tagged as Figure with Alt)
    page_size: str = "letter"  # the paper the PDF is fitted to (fit), and the tagged PDF's page
    font_dir: str = ""
    # The same sheet as the PDF: the optional blocks the PDF leaves out to fit its pages (render/leaflet.py,
    # fit_leaflet) are left out here too, so page and paper say the same words. False: every block compose made.
    fit: bool = True


@lru_cache(maxsize=1)
def environment():
    """The page templates: autoescaped, strict, no access beyond the package's templates folder.

    A plain Environment, not a sandbox: these templates are the package's own, never the clinic's. What a clinic
    writes (content YAML) is filled by composition/templates.py's sandbox before it gets here, and reaches these
    templates only as values, which autoescape prints as literal text. The templates are read once per process
    (auto_reload off: no stat of the folder per page)."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    return Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=StrictUndefined,
                       trim_blocks=True, lstrip_blocks=True, auto_reload=False)


# ASCII letters only around a number: in Chinese a number follows a character directly ("致电(973) 922-9659")
_PHONE = re.compile(r"(?<![A-Za-z0-9_/(])(\+?\(?\d[\d ().-]{5,}\d)(?![A-Za-z0-9_/])")
_WEB = re.compile(r"^(https?://)?([a-z0-9-]+\.)+[a-z]{2,}(/\S*)?$", re.I)


def linked(text: str) -> Markup:
    """Literal text, escaped, with telephone numbers (7 digits or more) as tel: links."""
    out, last = [], 0
    for m in _PHONE.finditer(text):
        digits = re.sub(r"[^\d+]", "", m.group(1))
        if len(digits.lstrip("+")) < 7:
            continue
        out += [escape(text[last:m.start()]), Markup('<a href="tel:{}">{}</a>').format(digits, m.group(1))]
        last = m.end()
    out.append(escape(text[last:]))
    return Markup("").join(out)


def line_html(text: str) -> Markup:
    """A masthead line: a web address becomes a link; phone numbers become tel: links."""
    if _WEB.match(text.strip()):
        href = text.strip() if text.strip().lower().startswith("http") else "https://" + text.strip()
        return Markup('<a href="{}">{}</a>').format(href, text)
    return linked(text)


class _Page:
    """One walk over a Handout: heading levels without gaps, ids, and the block -> macro dispatch."""

    def __init__(self, handout: Handout, options: HtmlOptions, macros: Any):
        self.handout, self.options, self.macros = handout, options, macros
        self.ids: dict[str, int] = {}
        self.level = 1  # the last heading level written (the h1 is the title)
        self.section_level = 1
        self.caption = ""  # the nearest heading above: a table's caption
        self.rows: dict[int, Any] = {}  # point number -> PointRow, for the body map's text alternative
        self.last_step = 0  # the last number of a numbered list drawn, for a list that continues it

    def new_id(self, stem: str) -> str:
        n = self.ids.get(stem, 0) + 1
        self.ids[stem] = n
        return stem if n == 1 else f"{stem}-{n}"

    def heading_level(self, wanted: int) -> int:
        """The level to write: as wanted, but never more than one below the last (no skipped levels)."""
        level = max(2, min(wanted, self.level + 1))
        self.level = level
        return level

    def section(self, section: HandoutSection) -> Markup:
        """The section's HTML; a section drawn before, with the walk in the same state, is not drawn again.

        What a section's HTML depends on is the section, the walk's state when it starts (ids given, the caption
        carried in, the last step number) and the page's options (but the name in <title>) and language: all of it
        is the key, and the walk's state after it is kept with it. The patient band (compose's "for-whom" section: name,
        date, practitioner, a note) is never remembered, so no patient's details are kept."""
        if section.id == BAND:
            return self._section(section)
        key = (section, self.handout.lang, replace(self.options, title_name=""), tuple(self.ids.items()), self.caption,
               self.last_step)
        try:
            hit = _SECTIONS.hit(key)
        except TypeError:  # a block that cannot be a key: drawn every time
            return self._section(section)
        if hit is not None:
            markup, self.ids, self.caption, self.section_level, self.last_step, self.level, self.rows = hit
            self.ids = dict(self.ids)
            return markup
        markup = self._section(section)
        _SECTIONS.keep(key, (markup, tuple(self.ids.items()), self.caption, self.section_level, self.last_step,
                             self.level, self.rows))
        return markup

    def _section(self, section: HandoutSection) -> Markup:
        self.rows = {r.number: r for b in section.blocks if isinstance(b, PointsTable) for r in b.rows}
        self.level = 1
        head_id = ""
        if section.title:
            head_id = self.new_id(f"h-{section.id}")
            self.section_level = self.heading_level(2)
            self.caption = section.title
        body = Markup("").join(self.block(b) for b in section.blocks)
        return self.macros.section(section, head_id, body)

    def block(self, block) -> Markup:
        name = HANDLERS.get(type(block))
        macro: Callable | None = getattr(self.macros, name, None) if name else None
        if macro is None:
            raise MissingHandler(_missing(block))
        if isinstance(block, Heading):
            self.caption = block.text
        return macro(block, self)

    # helpers the macros call back
    def heading(self, text: str, wanted: int, **attrs: str) -> Markup:
        level = self.heading_level(wanted)
        extra = Markup("").join(Markup(' {}="{}"').format(k, v) for k, v in attrs.items())
        return Markup("<h{0}{1}>{2}</h{0}>").format(level, extra, linked(text))

    def linked(self, text: str) -> Markup:
        return linked(text)

    def body_map_svg(self, block: BodyMap, described_by: str) -> Markup:
        from .svg import body_map_svg

        if self.options.for_pdf:  # WeasyPrint tags an <img> as a Figure with its alt text
            import base64

            large = self.options.large_print
            svg = str(body_map_svg(block, block.name, large_print=large)).replace(' role="img"', "", 1)
            for cls, paint in _SVG_PAINT.items():  # presentation attributes: WeasyPrint's SVG ignores a <style> here
                if large and cls in ("num", "view"):
                    paint = re.sub(r'font-size="[\d.]+"', f'font-size="{LARGE_MAP_TEXT}"', paint)
                svg = svg.replace(f'class="{cls}"', f'class="{cls}" {paint}')
            head_end = svg.index(">") + 1
            style = _SVG_STYLE + (f".num,.view{{font-size:{LARGE_MAP_TEXT}px}}" if large else "")
            svg = svg[:head_end] + f"<style>{style}</style>" + svg[head_end:]
            data = base64.b64encode(str(svg).encode("utf-8")).decode("ascii")
            return Markup('<img class="bodymap" src="data:image/svg+xml;base64,{}" alt="{}">').format(data, self.map_alt(block))
        return body_map_svg(block, block.name, described_by, large_print=self.options.large_print)

    def map_alt(self, block: BodyMap) -> str:
        items = []
        for p in block.points:
            row = self.rows.get(p.number)
            items.append(f"{p.number}. {p.code}" + (f" {row.pinyin}" if row else "") + f": {p.where}"
                         + (f". {row.location}" if row else ""))
        return f"{block.name}. " + " ".join(i.rstrip(".") + "." for i in items)

    def run_in(self, label: str, tag: str = "strong", cls: str = "") -> Markup:
        """A bold label before its text, as the PDF sets it: a space after it, none after a full-width colon."""
        attr = Markup(' class="{}"').format(cls) if cls else Markup("")
        gap = "" if label[-1:] >= "\u2e80" else " "
        return Markup("<{0}{1}>{2}</{0}>{3}").format(tag, attr, label, gap)

    def icon(self, name: str) -> Markup:
        """A decorative pictogram (the text beside it carries the meaning). Not in the tagged PDF: WeasyPrint
        would tag each inline SVG as a Figure, which PDF/UA then requires alternative text for."""
        from .svg_icons import icon_svg

        return Markup("") if self.options.for_pdf else icon_svg(name)

    def steps_start(self, block: IconList) -> int:
        """The first number of a numbered list: 1, or on from the numbered list just drawn (as the PDF counts)."""
        start = self.last_step + 1 if block.continues else 1
        self.last_step = start + len(block.items) - 1
        return start

    def box_groups(self, block: Checklist) -> list[tuple[str, list[str]]]:
        """Each group's label and its boxes named for a screen reader, counted across the groups: "Session 3 of 8"."""
        total = sum(count for _, count in block.groups)
        form = BOX_NAMES.get(self.handout.lang, BOX_NAMES["en"])
        groups, n = [], 0
        for label, count in block.groups:
            groups.append((label, [form.format(n=n + k + 1, total=total) for k in range(count)]))
            n += count
        return groups

    def qr_svg(self, block: BookingCode) -> Markup:
        from .svg import qr_svg

        name = f"{block.caption}: {block.url}"
        if self.options.for_pdf:
            import base64

            data = base64.b64encode(str(qr_svg(block.url, name)).encode("utf-8")).decode("ascii")
            return Markup('<img class="qr" src="data:image/svg+xml;base64,{}" alt="{}">').format(data, name)
        return qr_svg(block.url, name)


_SECTIONS = LRU(512)  # a section's HTML and the walk's state after it, by the section and the state before it
BAND = "for-whom"  # compose's section of the patient band (and the note): drawn for every page, never remembered


# The figure's colours inside an <img> (the tagged PDF), where the page's CSS cannot reach.
_SVG_STYLE = (".fig{fill:#F2F2F0;stroke:#4D4D4D;stroke-width:1.2}.fig-detail{fill:none;stroke:#8A8A8A;stroke-width:.8;"
              "stroke-linecap:round}.dot{fill:#B3261E;stroke:#fff;stroke-width:1}.leader{stroke:#B3261E;stroke-width:.8}"
              ".spot{fill:#B3261E}.num{fill:#fff;font-size:8.5px;font-weight:bold;text-anchor:middle}"
              ".view{fill:#404040;font-size:12px;font-weight:bold;text-anchor:middle}"
              'text{font-family:"Atkinson Hyperlegible Next","Noto Sans","Droid Sans Fallback",sans-serif}')


_SVG_PAINT = {"fig": 'fill="#F2F2F0"', "fig-line": 'fill="none" stroke="#4D4D4D" stroke-width="1.2" stroke-linejoin="round"',
              "fig-detail": 'fill="none" stroke="#8A8A8A" stroke-width=".8" stroke-linecap="round"',
              "dot": 'fill="#B3261E" stroke="#fff" stroke-width="1"', "leader": 'stroke="#B3261E" stroke-width=".8"',
              "spot": 'fill="#B3261E"', "num": 'fill="#fff" font-size="8.5" font-weight="bold" text-anchor="middle"',
              "view": 'fill="#404040" font-size="12" font-weight="bold" text-anchor="middle"'}


def render_html(handout: Handout, options: HtmlOptions = HtmlOptions()) -> bytes:
    """The page as UTF-8 bytes: one file, no script, no request to any other address (see the CSP in the head).

    With options.fit (the default) the page shows the handout as the PDF prints it (see printed_handout)."""
    for section in handout.sections:  # before anything is laid out: a block type with no macro is named first
        for block in section.blocks:
            if type(block) not in HANDLERS:
                raise MissingHandler(_missing(block))
    if options.fit:
        handout = printed_handout(handout, options.page_size, options.large_print)
    env = environment()
    template = env.get_template("leaflet.html.j2")
    macros = env.get_template("blocks.html.j2").module
    page = _Page(handout, options, macros)
    sections = [page.section(s) for s in handout.sections]
    title = handout.title + (f" – {options.title_name}" if options.title_name else "")
    html = template.render(handout=handout, options=options, sections=sections, title=title,
                           lang=LANG_TAGS.get(handout.lang, handout.lang), accent=handout.masthead.colour,
                           tints=_tints(handout.masthead.colour),
                           line_html=line_html, linked=linked, logo=_logo, fonts=_font_faces(options) if options.for_pdf else "")
    return html.encode("utf-8")


@lru_cache(maxsize=8)
def _tints(accent: str) -> dict[str, dict[str, str]]:
    """The page's tints of the brand colour, as the PDF's (design/tints.py): light, and dark for dark mode."""
    from ...design.styles import Style, sheet

    style = Style(data=sheet(), accent=accent, page_size="letter")
    return {"light": {"tint": style.colour("tint"), "rule": style.colour("rule")}, "dark": style.dark_tints()}


def _missing(block) -> str:
    return (f"the HTML renderer has no handler for block type {type(block).__name__}; add it to HANDLERS in "
            f"handouts/render/html/page.py and a macro to templates/blocks.html.j2")


def printed_handout(handout: Handout, page_size: str = "letter", large_print: bool = False) -> Handout:
    """The handout as the PDF prints it: without the optional blocks the two-page leaflet leaves out to fit.

    Which blocks fit is a question only the PDF layout can answer, so this asks it (render/pdf/leaflet.py,
    printed_leaflet: fit_leaflet's choice, remembered per sheet without its patient band, so a sheet fitted
    before is not laid out again) and keeps the answer, not the PDF. Large print prints everything; a handout
    with nothing optional and no subtitle (which the PDF's fit may also leave out) is as is."""
    if large_print or not (handout.subtitle or any(s.optional for s in handout.sections)):
        return handout
    from ..pdf.leaflet import RenderOptions, printed_leaflet

    return printed_leaflet(handout, RenderOptions(page_size=page_size, large_print=large_print))


def _logo(data: bytes) -> Markup:
    """The clinic logo as a data: image; decorative (alt=""), since the clinic's name stands beside it."""
    import base64

    kind = "png" if data.startswith(b"\x89PNG") else "jpeg"
    return Markup('<img src="data:image/{};base64,{}" alt="">').format(kind, base64.b64encode(data).decode("ascii"))


def _font_faces(options: HtmlOptions) -> Markup:
    """@font-face rules for WeasyPrint: the bundled fonts by file URL (the tagged PDF embeds them)."""
    from ...library.paths import fonts_dir

    folder = Path(options.font_dir) if options.font_dir else fonts_dir()
    faces = [("Atkinson Hyperlegible Next", "AtkinsonHyperlegibleNext-Regular.ttf", "normal"),
             ("Atkinson Hyperlegible Next", "AtkinsonHyperlegibleNext-Bold.ttf", "bold"),
             ("Noto Sans", "NotoSans-Regular.ttf", "normal"), ("Noto Sans", "NotoSans-Bold.ttf", "bold"),
             ("Droid Sans Fallback", "DroidSansFallbackFull.ttf", "normal"),
             ("Droid Sans Fallback", "DroidSansFallbackFull.ttf", "bold")]
    rules = [f'@font-face{{font-family:"{family}";src:url("{(folder / file).as_uri()}");font-weight:{weight}}}'
             for family, file, weight in faces if (folder / file).exists()]
    return Markup("".join(rules))
