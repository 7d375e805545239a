"""One visit through compose and render: the PDF and what it was made from (for the record)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from .compose import compose
from .model import Library
from .visit import Visit


@dataclass(frozen=True)
class Leaflet:
    """A rendered leaflet with the facts an audit record needs: printed points and content versions."""

    visit: Visit
    condition: str  # the condition's id, e.g. hip-pain
    points: tuple[str, ...]  # the WHO codes printed, in order
    content: Mapping[str, str]  # content file (e.g. conditions/hip-pain.yaml) -> sha256
    pdf: bytes
    unapproved: tuple[str, ...] = ()  # content files not approved by the clinic as they are now


def make_handout(library: Library, visit: Visit, where: str = "") -> Leaflet:
    """Check the typed text can be drawn, compose and render one visit (imports ReportLab on first use).

    `where` prefixes messages about the visit's fields, as for make_visit.
    """
    from .fonts import undrawable
    from .render import RenderOptions, render_leaflet
    from .visit import check_drawable

    check_drawable(visit, undrawable, where)
    handout = compose(library, visit)
    pdf = render_leaflet(handout, RenderOptions(page_size=visit.page_size, large_print=visit.large_print))
    files = {rel: f.sha256 for rel, f in library.files.items()}
    return Leaflet(visit=visit, condition=handout.condition_id, points=handout.point_codes, content=files, pdf=pdf,
                   unapproved=handout.unapproved)
