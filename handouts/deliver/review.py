"""The clinician's review pack of a sheet, a brochure or all the content: PDF or HTML bytes (`handouts review`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from .signoff import SignOff, signoff_for


@dataclass(frozen=True)
class ReviewOptions:
    """What to review: kind "sheet" (name: a condition), "brochure" (name: clinic or a condition) or "all"; the
    output format (pdf or html) and the paper."""

    kind: str = "sheet"
    name: str = ""
    format: str = "pdf"
    page_size: str = "letter"


def approve_command(signoff: SignOff) -> str:
    """The `handouts approve` command that signs what the pack covers."""
    folder = f' --content "{signoff.folder.resolve()}"' if signoff.folder is not None else " --content DIR"
    if signoff.kind in ("sheet", "brochure"):
        return f'handouts approve --{signoff.kind} {signoff.name} --by "Name, credential"{folder}'
    return f'handouts approve FILE... --by "Name, credential"{folder} (or --sheet CONDITION, --brochure NAME)'


def build_review(options: ReviewOptions, content=None, clinic=None, today: date | None = None) -> bytes:
    """The review pack's bytes. UnknownConditionError for an unknown condition, ContentError for unreadable content."""
    from ..library.cache import library as cached_library
    from ..review.pack import build_pack

    signoff = signoff_for(options.kind, options.name, content, clinic)
    library = cached_library(content, clinic)
    pack = build_pack(library, signoff.roots, signoff.files, signoff.status, signoff.title, approve_command(signoff),
                      condition=signoff.name if signoff.kind == "sheet" else "", today=today)
    if options.format == "html":
        from ..render.html.review import render_review_html

        return render_review_html(pack)
    from ..render.pdf.review import render_review

    return render_review(pack, options.page_size)
