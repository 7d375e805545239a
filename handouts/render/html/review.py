"""The clinician's review pack as one self-contained HTML page (templates/review.html.j2, autoescaped)."""

from __future__ import annotations

from ...review.pack import ReviewPack
from .page import environment


def render_review_html(pack: ReviewPack) -> bytes:
    """The review pack as UTF-8 HTML bytes."""
    return environment().get_template("review.html.j2").render(pack=pack).encode("utf-8")
