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
    PrintError,
    SafetyError,
    UnknownConditionError,
    UnknownPointError,
    VisitError,
    VisitErrors,
)

from .version import __version__

# The rest of the API loads on first use, so `handouts --help` does not pay for pydantic or ReportLab.
_LAZY = {
    "load_library": "library.load", "compose": "composition.leaflet", "Visit": "composition.visit", "make_visit": "composition.visit",
    "read_visit_file": "composition.visit", "condition_rows": "library.listing", "point_rows": "library.listing",
    "MissingMap": "review.check", "missing_map_points": "review.check", "PlanPhase": "library.plan",
    "parse_plan": "library.plan", "session_dates": "library.plan",
    "Leaflet": "deliver.leaflet", "Output": "deliver.leaflet", "format_for": "render.formats",
    "BatchOptions": "deliver.batch", "BatchResult": "deliver.batch", "RowFailure": "deliver.batch",
    "run_batch": "deliver.batch", "RecordLog": "deliver.record",
    "build_brochure": "deliver.brochure", "compose_brochure": "composition.brochure", "BrochureOptions": "render.pdf.brochure",
    "run_preflight": "deliver.preflight", "PreflightOptions": "deliver.preflight",
    "build_social": "deliver.social", "compose_social": "composition.social", "render_social": "render.social",
    "ClinicSetup": "deliver.setup", "init_clinic": "deliver.setup",
    "SignOff": "deliver.signoff", "signoff_for": "deliver.signoff", "approve": "deliver.signoff",
    "approve_signoff": "deliver.signoff", "build_review": "deliver.review", "ReviewOptions": "deliver.review",
    "print_pdf": "deliver.printing",
}


def __getattr__(name: str):
    if name in _LAZY:
        import importlib

        value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'handouts' has no attribute {name!r}")


def check_content(content=None, today=None):
    """Run every content check (see handouts.review.check); returns a Report, raises nothing for content problems."""
    from .review.check import check_content as run

    return run(content, today)


def render_pdf(handout, options=None) -> bytes:
    """Render a composed Handout to PDF bytes (imports ReportLab on first use)."""
    from .render import RenderOptions, render_leaflet

    return render_leaflet(handout, options or RenderOptions())


def render_handout(handout, options=None) -> bytes:
    """Render a composed Handout in options.format (RenderOptions): print PDF, HTML page or tagged PDF/UA bytes."""
    from .render.formats import render

    return render(handout, options)


def make_leaflet(fields: Mapping[str, Any], content: str | Path | None = None, clinic: str | Path | None = None,
                 where: str = "") -> bytes:
    """Load the content, build the visit from plain fields, compose and render: PDF bytes."""
    return build_leaflet(fields, content, clinic, where).pdf


def build_leaflet(fields: Mapping[str, Any], content: str | Path | None = None, clinic: str | Path | None = None,
                  where: str = "", output=None) -> Leaflet:
    """As make_leaflet, but also what the PDF was made from (visit, printed points, content hashes) for --record.

    `output` (an Output) picks the format: pdf (default), html or pdf-ua."""
    from .library.cache import library as cached_library  # read once per process while no content file changes
    from .deliver.leaflet import Output, make_handout
    from .composition.visit import make_visit

    library = cached_library(content, clinic)
    visit = make_visit(fields, where, library.clinic)
    return make_handout(library, visit, where, output or Output())


__all__ = [
    "BatchOptions",
    "BatchResult",
    "Leaflet",
    "Output",
    "format_for",
    "render_handout",
    "RecordLog",
    "RowFailure",
    "build_leaflet",
    "BrochureOptions",
    "ClinicSetup",
    "PreflightOptions",
    "build_brochure",
    "compose_brochure",
    "build_social",
    "compose_social",
    "render_social",
    "run_preflight",
    "run_batch",
    "SignOff",
    "ReviewOptions",
    "build_review",
    "approve",
    "approve_signoff",
    "signoff_for",
    "ContentError",
    "HandoutError",
    "MissingMap",
    "OutputError",
    "PlanPhase",
    "PrintError",
    "SafetyError",
    "UnknownConditionError",
    "UnknownPointError",
    "Visit",
    "VisitError",
    "VisitErrors",
    "check_content",
    "compose",
    "condition_rows",
    "init_clinic",
    "load_library",
    "make_leaflet",
    "make_visit",
    "missing_map_points",
    "parse_plan",
    "point_rows",
    "print_pdf",
    "read_visit_file",
    "render_pdf",
    "session_dates",
    "__version__",
]
