"""Rows for `handouts list`: conditions and points in the chosen language."""

from __future__ import annotations

import os

from .load import load_library
from ..errors import VisitError
from ..model import LANG_NAMES


def condition_rows(content: str | os.PathLike | None, lang: str) -> list[tuple[str, str, str]]:
    library = load_library(content)
    rows = []
    for cid, condition in sorted(library.conditions.items()):
        if not library.clinic.offered(cid):  # clinic.yaml `offers:` leaves it out
            continue
        points = " ".join(cp.code if cp.default else f"[{cp.code}]" for cp in condition.points)
        title = condition.title.get(lang) or f"(no {LANG_NAMES[lang]} title) {condition.title.get('en', '')}"
        rows.append((cid, title, points))
    return rows


def point_rows(content: str | os.PathLike | None, lang: str, channel: str | None = None,
               used_only: bool = False) -> list[tuple[str, str, str, str, str]]:
    library = load_library(content)
    used = {cp.code for c in library.conditions.values() for cp in c.points}
    wanted = channel.strip().upper() if channel else None
    channels = {p.channel for p in library.points.values()}
    if wanted and wanted not in channels:
        raise VisitError(f"--channel: no channel {channel!r}; choose one of {', '.join(sorted(channels))}")
    rows = []
    for point in sorted(library.points.values(), key=_order):
        if (wanted and point.channel != wanted) or (used_only and point.code not in used):
            continue
        body = point.body
        where = (body.location or {}).get(lang, "") if body.location else ""
        rows.append((point.code, body.pinyin, body.hanzi, body.english, where))
    return rows


_CHANNELS = ["LU", "LI", "ST", "SP", "HT", "SI", "BL", "KI", "PC", "TE", "GB", "LR", "GV", "CV", "EX"]


def _order(point) -> tuple:
    """Channel order of the meridian clock, then point number."""
    digits = "".join(c for c in point.code if c.isdigit())
    rank = _CHANNELS.index(point.channel) if point.channel in _CHANNELS else len(_CHANNELS)
    return rank, point.code.rstrip("0123456789"), int(digits or 0)
