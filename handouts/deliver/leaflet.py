"""One visit through compose and render: the PDF and what it was made from (for the record)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from ..composition.leaflet import compose
from ..model import Library
from ..composition.visit import Visit


@dataclass(frozen=True)
class Output:
    """The file to make for each visit: pdf (print), html (portal, e-mail) or pdf-ua (tagged PDF); name in <title>?"""

    format: str = "pdf"
    title_name: bool = False  # html, pdf-ua: the patient's name in the page title (off: titles show in tab bars)


@dataclass(frozen=True)
class Leaflet:
    """A rendered leaflet with the facts an audit record needs: printed points and content versions."""

    visit: Visit
    condition: str  # the condition's id, e.g. hip-pain
    points: tuple[str, ...]  # the WHO codes printed, in order
    content: Mapping[str, str]  # content file (e.g. conditions/hip-pain.yaml) -> sha256
    data: bytes  # the rendered file's bytes: a PDF, or the HTML page with --format html
    format: str = "pdf"
    unapproved: tuple[str, ...] = ()  # content files not approved by the clinic as they are now

    @property
    def pdf(self) -> bytes:
        """The PDF's bytes (pdf and pdf-ua); an HTML leaflet has none: read `data`."""
        if self.format == "html":
            raise AttributeError("this leaflet is an HTML page, not a PDF: read Leaflet.data")
        return self.data


def make_handout(library: Library, visit: Visit, where: str = "", output: Output = Output()) -> Leaflet:
    """Check the typed text can be drawn, compose and render one visit (imports ReportLab on first use).

    `where` prefixes messages about the visit's fields, as for make_visit; `output` says in which format.
    """
    from ..design.styles import undrawable
    from ..render.formats import render
    from ..render import RenderOptions
    from ..composition.visit import check_drawable

    layers = ("zh",) if visit.lang == "zh" else ()  # the style the sheet draws with (zh: its own line breaking)
    check_drawable(visit, lambda text: undrawable(text, layers), where)
    handout = compose(library, visit)
    title_name = visit.patient if output.title_name else ""
    data = render(handout, RenderOptions(page_size=visit.page_size, large_print=visit.large_print, format=output.format,
                                         title_name=title_name))
    files = {rel: f.sha256 for rel, f in library.files.items()}
    return Leaflet(visit=visit, condition=handout.condition_id, points=handout.point_codes, content=files, data=data,
                   format=output.format, unapproved=handout.unapproved)
