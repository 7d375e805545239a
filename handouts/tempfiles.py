"""Temp files of the atomic writer: named so that a later run can tell a dead run's leftovers and remove them.

A run killed (SIGKILL, power cut) between writing a temp file and renaming it leaves a hidden
`.handout.<pid>.<random>.part` beside the output, holding a whole patient PDF. The next run that writes
into that folder removes such files whose process is gone, and any older than an hour.
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

SUFFIX = ".part"
_PART = re.compile(r"^\.handout\.(?:(\d+)\.)?[^/]*\.part$")  # also the older `.handout.<random>.part`, without a pid
MIN_AGE = 60.0  # seconds: a live write takes milliseconds; younger files may be another run's, in flight
MAX_AGE = 3600.0  # seconds: older than this, gone whoever made it (a pid may be reused)


def prefix() -> str:
    """The start of this process's temp file names."""
    return f".handout.{os.getpid()}."


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OSError):
        return True  # someone else's live process
    return True


def clean(folder: Path, now: float | None = None) -> int:
    """Remove leftover temp files in `folder` (not recursive); returns how many were removed. Never raises."""
    now = time.time() if now is None else now
    removed = 0
    try:
        names = os.listdir(folder)
    except OSError:
        return 0
    for name in names:
        match = _PART.match(name)
        if not match:
            continue
        path = Path(folder) / name
        try:
            info = path.lstat()
        except OSError:
            continue
        age = now - info.st_mtime
        pid = int(match.group(1)) if match.group(1) else None
        stale = age > MAX_AGE or (age > MIN_AGE and (pid is None or not _alive(pid)))
        if stale:
            try:
                path.unlink()
                removed += 1
            except OSError:
                pass
    return removed
