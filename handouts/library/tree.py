"""The content tree: the bundled folder, then the clinic's own, and every YAML file in them by relative path."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path

from ..errors import ContentError
from .paths import bundled_content

CONTENT_ENV = "HANDOUTS_CONTENT"
# Sections every handout prints. An override may add blocks to them, never remove any.
PROTECTED_SECTIONS = ("when-to-call", "disclaimer")


@dataclass(frozen=True)
class Entry:
    rel: str  # e.g. conditions/hip-pain.yaml
    path: Path
    root: Path
    bundled: bool


def content_roots(override: str | os.PathLike | None = None) -> list[Path]:
    """The bundled tree, then the override (argument, else $HANDOUTS_CONTENT), if any."""
    roots = [bundled_content()]
    chosen = override if override not in (None, "") else os.environ.get(CONTENT_ENV) or None
    if chosen is not None:
        root = Path(chosen).expanduser()
        if not root.is_dir():
            source = "--content" if override not in (None, "") else f"${CONTENT_ENV}"
            raise ContentError([f"{source}: {root} is not a folder; give the folder that holds your clinic.yaml, conditions/, points/ or sections/"])
        if root.resolve() != roots[0].resolve():
            roots.append(root)
    return roots


def entries(roots: list[Path], problems: list[str] | None = None) -> dict[str, list[Entry]]:
    """Every YAML file under each root, by relative path, bundled first.

    A content file is a regular file inside its folder: a link that leads outside the folder (say to
    /etc/shadow) or to something that is not a regular file is a problem, never read.
    """
    found: dict[str, list[Entry]] = {}
    for i, root in enumerate(roots):
        real_root = root.resolve()
        for path in sorted(root.rglob("*")):
            if path.suffix in (".yaml", ".yml") and not path.is_dir():
                problem = _not_ours(path, real_root)
                if problem:
                    if problems is not None:
                        problems.append(f"{path}: {problem}")
                    continue
                rel = path.relative_to(root).as_posix()
                if rel.endswith(".yml"):
                    rel = rel[:-4] + ".yaml"
                found.setdefault(rel, []).append(Entry(rel, path, root, i == 0))
    return found


def _not_ours(path: Path, real_root: Path) -> str | None:
    """Why a content file may not be read (a link out of the folder, not a regular file), or None."""
    try:
        real = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return "is a broken or looping link; replace it with the file itself"
    if not real.is_relative_to(real_root):
        return "is a link to a file outside the content folder; copy the file into the folder instead"
    if not stat.S_ISREG(real.stat().st_mode):
        return "is not a regular file; replace it with a YAML file"
    return None
