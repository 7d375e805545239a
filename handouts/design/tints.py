"""Tints of the clinic's brand colour: the style sheet's tints, turned to the brand's hue, with text on them kept readable."""

from __future__ import annotations

import colorsys
from functools import lru_cache

MIN_CONTRAST = 4.5  # WCAG 2 AA for body text


def _rgb(hex_colour: str) -> tuple[float, float, float]:
    return tuple(int(hex_colour[i:i + 2], 16) / 255 for i in (1, 3, 5))  # type: ignore[return-value]


def _hex(rgb: tuple[float, float, float]) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02X}" for c in rgb)


def luminance(hex_colour: str) -> float:
    """Relative luminance (WCAG 2)."""
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in _rgb(hex_colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """The WCAG 2 contrast ratio of two colours, 1 to 21."""
    hi, lo = sorted((luminance(a), luminance(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


@lru_cache(maxsize=256)
def tint(reviewed: str, brand: str, reference: str, foregrounds: tuple[str, ...] = ()) -> str:
    """The tint `reviewed` (chosen for the brand colour `reference`) for another brand colour.

    Its hue turns by as much as the brand's differs from the reference's, its saturation follows the brand's
    when the brand is greyer than the reference, and its lightness is kept, then moved away from the text
    colours drawn on it (`foregrounds`) until each has a contrast of at least 4.5:1 where it can. The
    reference brand colour gives back `reviewed` itself."""
    brand, reference, reviewed = brand.upper(), reference.upper(), reviewed.upper()
    if brand == reference:
        out = reviewed
    else:
        bh, _, bs = colorsys.rgb_to_hls(*_rgb(brand))
        rh, _, rs = colorsys.rgb_to_hls(*_rgb(reference))
        th, tl, ts = colorsys.rgb_to_hls(*_rgb(reviewed))
        scale = min(1.0, bs / rs) if rs else 1.0
        out = _hex(colorsys.hls_to_rgb((th + bh - rh) % 1.0, tl, ts * scale))
    return _readable(out, foregrounds)


def _readable(colour: str, foregrounds: tuple[str, ...]) -> str:
    """`colour`, lighter (or darker, behind light text) in small steps until every foreground reaches 4.5:1, as far
    as white (or black) allows."""
    if not foregrounds or all(contrast(colour, fg) >= MIN_CONTRAST for fg in foregrounds):
        return colour
    lighter = all(luminance(colour) >= luminance(fg) for fg in foregrounds)
    h, l, s = colorsys.rgb_to_hls(*_rgb(colour))
    best = colour
    while 0.0 < l < 1.0:
        l = min(1.0, l + 0.005) if lighter else max(0.0, l - 0.005)
        best = _hex(colorsys.hls_to_rgb(h, l, s))
        if all(contrast(best, fg) >= MIN_CONTRAST for fg in foregrounds):
            break
    return best


def darker(colour: str) -> str:
    """The colour darkened (same hue and saturation) until it has 4.5:1 with white: a brand colour to suggest."""
    h, l, s = colorsys.rgb_to_hls(*_rgb(colour))
    out = colour.upper()
    while contrast(out, "#FFFFFF") < MIN_CONTRAST and l > 0:
        l = max(0.0, l - 0.005)
        out = _hex(colorsys.hls_to_rgb(h, l, s))
    return out
