"""Where the bundled content and fonts are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent


def _data_dir(name: str) -> Path:
    # In a wheel the folders ship inside the package; in a checkout they sit beside it.
    inside = _HERE / name
    return inside if inside.is_dir() else _HERE.parent / name


def bundled_content() -> Path:
    return _data_dir("content")


def fonts_dir() -> Path:
    return _data_dir("fonts")
