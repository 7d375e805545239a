"""Caches for what does not change between patients, each keyed by what it depends on.

A long-running process (the API, a preview, a batch worker) makes many leaflets from the same content;
the cached values are the same values a fresh process would compute, so the PDFs are byte-identical
(tests/test_cache.py checks it). Nothing here holds a patient's data: the keys are content folders,
file stamps, web addresses and style names, never a visit.

- the content library per (content folder, clinic file), checked against every file's stamp on each use
  (see `library`); editing, adding or removing a content file reads the tree again;
- fonts are registered once per process (handouts.fonts.register), styles once per overlay list
  (handouts.styles.sheet), the QR code once per address (handouts.render.plan.qr_widget), paragraph
  parses and line breaks per (markup, style, width) (handouts.render.paragraphs).

`clear()` empties them all (tests, and anyone who wants a fresh start).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable


class LRU(OrderedDict):
    """A bounded memo that forgets the least recently used entry first: text shared by every leaflet is used
    again each time and stays; a name or a date used once ages out, so a long batch does not grow."""

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def hit(self, key):
        value = self.get(key)
        if value is not None:
            try:
                self.move_to_end(key)
            except KeyError:  # another thread dropped it meanwhile: the value is still good
                pass
        return value

    def keep(self, key, value):
        self[key] = value
        if len(self) > self.size:
            self.popitem(last=False)
        return value

_LOCK = threading.Lock()
_LIBRARIES: dict[tuple, tuple[tuple, Any]] = {}
MAX_LIBRARIES = 8  # content trees kept at once (a process rarely uses more than one or two)


def _stamp(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return (str(path), None)
    return (str(path), st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino)


def _tree_stamp(roots: list[Path], extra: tuple[Path, ...]) -> tuple:
    """Every file under the content roots, and the extra files (clinic profile, logo), with their stamps."""
    out: list[tuple] = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                out.append(_stamp(Path(folder) / name))
    out += [_stamp(p) for p in extra]
    return tuple(out)


def library(content: str | os.PathLike | None = None, clinic: str | os.PathLike | None = None,
            load: Callable[..., Any] | None = None):
    """The validated Library for a content tree, read once and reused while no file under it changes.

    Errors are never cached: broken content raises (ContentError) on every call, as load_library does.
    """
    from .content import content_roots, load_library

    load = load or load_library
    roots = content_roots(content)  # also resolves $HANDOUTS_CONTENT, so a changed variable is a new key
    clinic_path = Path(clinic).resolve() if clinic is not None else None
    key = (tuple(str(r.resolve()) for r in roots), str(clinic_path) if clinic_path else None)
    with _LOCK:
        hit = _LIBRARIES.get(key)
    if hit is not None:
        stamp, value, extra = hit
        if _tree_stamp(roots, extra) == stamp:
            return value
    extra = (clinic_path,) if clinic_path else ()
    stamp = _tree_stamp(roots, extra)
    value = load(content, clinic=clinic)
    logo = _logo_path(value, roots, clinic_path)
    if logo is not None:
        extra = (*extra, logo)
        stamp = stamp + (_stamp(logo),)
    with _LOCK:
        if len(_LIBRARIES) >= MAX_LIBRARIES and key not in _LIBRARIES:
            _LIBRARIES.pop(next(iter(_LIBRARIES)))
        _LIBRARIES[key] = (stamp, value, extra)
    return value


def _logo_path(value: Any, roots: list[Path], clinic_path: Path | None) -> Path | None:
    """The clinic logo's file (it may live outside the content tree, beside a --clinic profile)."""
    logo = getattr(getattr(value, "clinic", None), "logo", None)
    if not logo:
        return None
    if clinic_path is not None:
        return (clinic_path.parent / logo).resolve()
    for root in reversed(roots):  # the winning clinic.yaml is the last root's that has one
        if (root / "clinic.yaml").is_file() or (root / "clinic.yml").is_file():
            return (root / logo).resolve()
    return None


def clear() -> None:
    """Forget every cached value (the next leaflet is made as in a fresh process)."""
    with _LOCK:
        _LIBRARIES.clear()
    import sys

    paragraphs = sys.modules.get("handouts.render.paragraphs")
    if paragraphs is not None:
        paragraphs.clear()
    plan = sys.modules.get("handouts.render.plan")
    if plan is not None and hasattr(plan, "qr_widget"):
        plan.qr_widget.cache_clear()
