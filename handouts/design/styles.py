"""Layered style sheets (styles/*.yaml) resolved into fonts, colours and paragraph styles."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from .fonts import FontChain, chain_for, register
from .tints import tint
from .nobreak import keep_whole

_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml's parser when PyYAML has it: the style sheet is large


_SHEETS = Path(__file__).resolve().parent / "styles"  # the YAML style sheets ship beside this module


def merge(base: dict, over: dict) -> dict:
    """`over` laid on `base`: mappings merged key by key, anything else replaced (neither is changed)."""
    out = copy.deepcopy(base)
    for key, value in over.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


@lru_cache(maxsize=None)
def _sheet(name: str) -> dict:
    return yaml.load((_SHEETS / f"{name}.yaml").read_text("utf-8"), Loader=_LOADER) or {}


@lru_cache(maxsize=None)
def sheet(*layers: str) -> dict:
    """base.yaml with each named overlay merged on top, in order."""
    data = _sheet("base")
    for layer in layers:
        data = merge(data, _sheet(layer))
    return data


_PARAGRAPH_STYLES: dict[tuple, tuple[dict, Any]] = {}  # see Style.paragraph
_TEXT_ON: dict[tuple, tuple[dict, tuple[str, ...]]] = {}  # see Style.text_on
_CHAINS: dict[tuple, tuple[dict, Any]] = {}  # see Style.chain


@dataclass(frozen=True)
class Style:
    """A resolved style sheet for one document: page, fonts, colours, text styles."""

    data: dict
    accent: str
    page_size: str

    @property
    def page(self) -> tuple[float, float]:
        w, h = self.data["page"]["sizes"][self.page_size]
        return float(w), float(h)

    @property
    def margins(self) -> dict[str, float]:
        return self.data["page"]["margins"]

    def chain(self, weight: str = "regular") -> FontChain:
        key = (id(self.data), weight)  # asked for every text drawn: the sheet's chains are looked up once
        hit = _CHAINS.get(key)
        if hit is None or hit[0] is not self.data:
            if len(_CHAINS) >= 1024:
                _CHAINS.clear()
            fonts = self.data["fonts"]
            hit = _CHAINS[key] = (self.data, chain_for(tuple(fonts["chains"][weight]), tuple(sorted(fonts["files"].items()))))
        return hit[1]

    def colour(self, name: str) -> str:
        if name == "accent":
            return self.accent
        value = self.data["colours"][name]
        derived = self.data.get("brand_tints") or {}
        if name in derived.get("colours", ()):
            return tint(value, self.accent, derived["reference"], self.text_on(name))
        return value

    def text_on(self, background: str) -> tuple[str, ...]:
        """The colours of the text styles drawn on a background colour (their `backgrounds`), e.g. on the tint."""
        key = (id(self.data), self.accent, background)
        hit = _TEXT_ON.get(key)
        if hit is None or hit[0] is not self.data:
            colours = {self.colour(spec.get("colour", "text")) for spec in self.data["text"].values()
                       if background in spec.get("backgrounds", ())}
            if len(_TEXT_ON) >= 1024:
                _TEXT_ON.clear()
            hit = _TEXT_ON[key] = (self.data, tuple(sorted(colours)))
        return hit[1]

    def dark_tints(self) -> dict[str, str]:
        """The HTML page's dark-mode tints for this brand colour: {name: #RRGGBB}, behind light text."""
        derived = self.data.get("brand_tints") or {}
        dark = dict(derived.get("dark") or {})
        text = tuple(dark.pop("text", ()))
        return {name: tint(value, self.accent, derived["reference"], text if name == "tint" else ())
                for name, value in dark.items()}

    def text(self, name: str) -> dict[str, Any]:
        return self.data["text"][name]

    def paragraph(self, name: str, **changes: Any):
        """A ReportLab ParagraphStyle for a named text style (one shared object per sheet, accent, name and
        changes: made once per process; treat it as read-only, make another with `changes` instead)."""
        key = (id(self.data), self.accent, name, repr(sorted(changes.items())))
        hit = _PARAGRAPH_STYLES.get(key)
        if hit is None or hit[0] is not self.data:
            if len(_PARAGRAPH_STYLES) >= 1024:
                _PARAGRAPH_STYLES.clear()
            hit = _PARAGRAPH_STYLES[key] = (self.data, self._paragraph(name, **changes))
        return hit[1]

    def _paragraph(self, name: str, **changes: Any):
        from reportlab.lib.colors import HexColor
        from reportlab.lib.styles import ParagraphStyle

        spec = self.text(name)
        chain = self.chain(spec.get("weight", "regular"))
        values = dict(
            fontName=chain.primary,
            bulletFontName=self.chain().primary,
            fontSize=spec["size"],
            leading=spec["leading"],
            textColor=HexColor(self.colour(spec.get("colour", "text"))),
            spaceBefore=spec.get("space_before", 0),
            spaceAfter=spec.get("space_after", 0),
            wordWrap="CJK" if self.data.get("wrap") == "cjk" else None,  # render/kinsoku.py breaks CJK lines
        )
        return ParagraphStyle(name, **{**values, **changes})

    def markup(self, text: str, name: str, remember: bool = True) -> str:
        """Escaped markup for literal text in the weight of a named text style (remember=False: text about one
        visit, not kept in the font chain's memo). Telephone numbers are kept on one line (nobreak.keep_whole)."""
        return self.chain(self.text(name).get("weight", "regular")).markup(keep_whole(text), remember)


def load_style(accent: str, page_size: str = "letter", layers: tuple[str, ...] = ()) -> Style:
    style = Style(data=sheet(*layers), accent=accent, page_size=page_size)
    register(*next(iter(style.chain().faces)))
    return style


def undrawable(text: str, layers: tuple[str, ...] = ()) -> set[str]:
    """Characters of `text` that neither the regular nor the bold font chain of the style can draw (the base style, or
    these layers on it: a Chinese sheet asks its own chains, so it parses only the fonts it draws with)."""
    fonts = sheet(*layers)["fonts"]
    # Beyond U+FFFF (emoji, enclosed ideographs such as U+1F210): even where a fallback font has the glyph, ReportLab
    # writes its text layer entry as an odd-length hex string, so the character would print but could not be read,
    # copied or spoken from the PDF. Such a character is refused as one no font can draw.
    missing: set[str] = {c for c in text if ord(c) > 0xFFFF}
    for names in fonts["chains"].values():
        missing |= chain_for(tuple(names), tuple(sorted(fonts["files"].items()))).missing(text)
    return missing
