"""A paragraph that may continue overleaf only between two sentences, never inside one."""

from __future__ import annotations

import re

from .kinsoku import Paragraph as RLParagraph

# A sentence ends at . ! ? (then closing quotes or brackets) before a space and a capital, an opening mark or a
# digit; or at a full-width 。！？ (then closing marks). "e.g. the", "Dr. Roe" and "1.5" do not end one.
_END = re.compile(r"[.!?][\"'”’)\]]*\s+(?=[A-ZÁÉÍÓÚÑÜ¿¡\"“(\d])|[。！？][”’」』）]*\s*")


def sentences(text: str) -> list[str]:
    """The sentences of a text, each with the space that followed it (joined, they give the text back)."""
    out, start = [], 0
    for match in _END.finditer(text):
        if match.end() < len(text):
            out.append(text[start:match.end()])
            start = match.end()
    out.append(text[start:])
    return [s for s in out if s]


class SentenceParagraph(RLParagraph):
    """A Paragraph block's text that a page foot splits only between sentences: the sentences that fit stay,
    the rest go on overleaf as a paragraph of their own (ReportLab's own split would break it after any line)."""

    def __init__(self, style, text: str, name: str, changes: dict | None = None):
        self.s, self.name, self.changes = style, name, dict(changes or {})
        self.parts = sentences(text)
        super().__init__(style.markup(text, name), style.paragraph(name, **self.changes))

    def _part(self, parts: list[str], **changes) -> "SentenceParagraph":
        return SentenceParagraph(self.s, "".join(parts).strip(), self.name, {**self.changes, **changes})

    def first_height(self, width: float) -> float:
        """The height of the first sentence alone: the least of this paragraph that a page foot can hold."""
        first = self._part(self.parts[:1]) if len(self.parts) > 1 else self
        return first.wrap(width, 100_000)[1] + first.getSpaceBefore()

    def split(self, availWidth, availHeight):
        fits = 0
        for k in range(1, len(self.parts)):
            if self._part(self.parts[:k], spaceAfter=0).wrap(availWidth, availHeight)[1] > availHeight:
                break
            fits = k
        if not fits:
            return []  # not even the first sentence: the whole paragraph moves on
        return [self._part(self.parts[:fits], spaceAfter=0), self._part(self.parts[fits:], spaceBefore=0)]
