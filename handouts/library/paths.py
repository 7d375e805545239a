"""Where the bundled content and fonts are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent  # handouts/, this module is in handouts/library/


def _data_dir(name: str) -> Path:
    # In a wheel the folders ship inside the package; in a checkout they sit beside it.
    inside = _PACKAGE / name
    return inside if inside.is_dir() else _PACKAGE.parent / name


def bundled_content() -> Path:
    return _data_dir("content")


def fonts_dir() -> Path:
    return _data_dir("fonts")
