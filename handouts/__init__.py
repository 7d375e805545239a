"""handouts: print-ready acupuncture handouts from reviewed content.

The package root is the public API: the CLI and the tests use only what is exported here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping

from .errors import (
    ContentError,
    HandoutError,
    OutputError,
    SafetyError,
    UnknownConditionError,
    UnknownPointError,
    VisitError,
)
from .content import load_library
from .compose import compose
from .visit import Visit, make_visit, read_visit_file
from .listing import condition_rows, point_rows


def check_content(content=None, today=None):
    """Run every content check (see handouts.checks); returns a Report, raises nothing for content problems."""
    from .checks import check_content as run

    return run(content, today)

__version__ = "0.1.0"


def render_pdf(handout, options=None) -> bytes:
    """Render a composed Handout to PDF bytes (imports ReportLab on first use)."""
    from .render import RenderOptions, render_leaflet

    return render_leaflet(handout, options or RenderOptions())


def make_leaflet(fields: Mapping[str, Any], content: str | Path | None = None, clinic: str | Path | None = None,
                 where: str = "") -> bytes:
    """Load the content, build the visit from plain fields, compose and render: PDF bytes."""
    from .render import RenderOptions

    from .fonts import undrawable
    from .visit import check_drawable

    library = load_library(content, clinic=clinic)
    visit = make_visit(fields, where)
    check_drawable(visit, undrawable, where)
    handout = compose(library, visit)
    return render_pdf(handout, RenderOptions(page_size=visit.page_size, large_print=visit.large_print))


__all__ = [
    "ContentError",
    "HandoutError",
    "OutputError",
    "SafetyError",
    "UnknownConditionError",
    "UnknownPointError",
    "Visit",
    "VisitError",
    "check_content",
    "compose",
    "condition_rows",
    "load_library",
    "make_leaflet",
    "make_visit",
    "point_rows",
    "read_visit_file",
    "render_pdf",
    "__version__",
]
