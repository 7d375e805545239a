"""Content -> checked, composed social media image and its alt text: the one function `handouts social` calls."""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class MadeSocial:
    png: bytes
    alt: str  # the words drawn, as sentences in the image's language (post.png.txt)
    pdf: bytes  # the same drawing as a PDF (its text layer is the words drawn)
    size: tuple[int, int]
    draft: str  # the draft line drawn on the image ("" when every file is approved)
    unapproved: tuple[str, ...]
    ground: str
    highlights: bool


def build_social(condition: str | None, size: str, lang: str | None = None, content: str | os.PathLike | None = None,
                 clinic: str | os.PathLike | None = None) -> MadeSocial:
    """Read the content, refuse risky claims (and claims the clinic's market does not allow), compose the brochure's
    cover words, draw them at `size` and write the alt text from the same words."""
    from ..composition.social import alt_text, compose_social
    from ..library.cache import content_read
    from ..render.social import render_social
    from .brochure import refuse_claims

    result = content_read(content, clinic)
    library = result.library
    assert library is not None
    lang = lang or library.clinic.languages[0]  # no language given: the clinic's first
    refuse_claims(result, condition, lang, market=True, what="the post")
    post = compose_social(library, condition, lang)
    image = render_social(post, size)
    return MadeSocial(image.png, alt_text(post, image.highlights), image.pdf, image.size, post.draft, post.unapproved,
                      image.ground, image.highlights)
