"""Reading an HTML leaflet back for tests: text per block element, headings, and the squashing used to compare with a PDF."""

from __future__ import annotations

import re
import unicodedata
from html.parser import HTMLParser

BLOCKS = {"p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "th", "td", "caption", "dt", "dd", "figcaption", "title"}
SKIP = {"svg", "style", "script", "head"}
VOID = {"meta", "link", "img", "br", "hr", "input", "source", "wbr"}


class PageText(HTMLParser):
    """Each block element's text (nested inline text joins its block); <svg>, <head> and data-html-only parts left out."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.html_only: list[str] = []
        self._stack: list[tuple[str, bool, bool]] = []  # (tag, starts a block, skipped)
        self._open: list[list[str]] = []
        self._skip = 0
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        if tag in VOID:
            return
        names = dict(attrs)
        skipped = tag in SKIP or "data-html-only" in names
        block = tag in BLOCKS and not skipped and not self._skip
        self._stack.append((tag, block, skipped))
        self._skip += skipped
        if block:
            self._open.append([])

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self._stack:
            name, block, skipped = self._stack.pop()
            self._skip -= skipped
            if block:
                text = " ".join("".join(self._open.pop()).split())
                if text:
                    self.blocks.append(text)
                    if re.fullmatch(r"h[1-6]", name):
                        self.headings.append((int(name[1]), text))
            if name == tag:
                break

    def handle_data(self, data):
        if self._skip or not self._open:
            return
        self._open[-1].append(data)


def squash(text: str) -> str:
    """Text with every space and bullet taken out, NFC: line breaks in a PDF then cannot matter."""
    text = unicodedata.normalize("NFC", text)
    return "".join(ch for ch in text if not ch.isspace() and ch != "•")


SENTENCE_END = re.compile(r"(?<=[.!?;:。！？；：])")


def sentences(blocks: list[str]) -> list[str]:
    """The sentences of each block, squashed (a sentence never runs from one block into the next)."""
    out = []
    for block in blocks:
        for part in SENTENCE_END.split(block):
            part = squash(part)
            if part:
                out.append(part)
    return out


def only_marks(text: str) -> str:
    """What is left of text once digits, punctuation and symbols are taken out."""
    return "".join(ch for ch in text if not (ch.isdigit() or unicodedata.category(ch)[0] in "PSZ"))
