"""The --record audit trail: one JSON line per handout written, appended, never rewritten."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Mapping

from ..errors import OutputError
from .leaflet import Leaflet

RECORD_VERSION = 1


def content_digest(files: Mapping[str, str]) -> str:
    """SHA-256 of a `sha256sum`-style listing ("<sha256>  <file>\\n", sorted by file) of the content files."""
    listing = "".join(f"{sha}  {rel}\n" for rel, sha in sorted(files.items()))
    return hashlib.sha256(listing.encode("utf-8")).hexdigest()


def entry(leaflet: Leaflet, out: Path, source: str, command: str) -> dict[str, Any]:
    """The record of one handout written to `out`: who, what, from which content, and the file's hash."""
    from ..version import __version__

    visit = leaflet.visit
    return {
        "record": RECORD_VERSION,
        "written_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "handouts_version": __version__,
        "command": command,
        "source": source,
        "date": visit.date.isoformat(),
        "practitioner": visit.practitioner,
        "patient": visit.patient,
        "condition": leaflet.condition,
        "lang": visit.lang,
        "points": list(leaflet.points),
        "points_from": "condition default" if visit.points is None else "visit",
        "plan": visit.plan,
        "start": visit.start.isoformat() if visit.start else None,
        "flags": list(visit.flags),
        "allow_caution": list(visit.allow_caution),
        "note": visit.note,
        "large_print": visit.large_print,
        "page_size": visit.page_size,
        "approved": not leaflet.unapproved,
        "unapproved": list(leaflet.unapproved),
        "content": {"sha256": content_digest(leaflet.content), "files": dict(sorted(leaflet.content.items()))},
        "output": {"path": os.path.abspath(out), "format": leaflet.format, "sha256": hashlib.sha256(leaflet.data).hexdigest(), "bytes": len(leaflet.data)},
    }


class RecordLog:
    """An append-only JSON Lines file: each line goes down in one write on an O_APPEND descriptor, then fsync."""

    def __init__(self, path: str | os.PathLike):
        self.path = Path(path)

    def _open(self) -> int:
        if self.path.is_dir():
            raise OutputError(f"--record {self.path}: is a folder; give a file name such as {self.path / 'handouts-record.jsonl'}")
        try:
            # 0o600: the record holds patient names; only its owner should read it.
            return os.open(self.path, os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        except OSError as exc:
            raise OutputError(f"--record {self.path}: cannot be opened for appending ({exc.strerror}); "
                              "check that its folder exists and that you can write there") from None

    def check(self) -> "RecordLog":
        """Make sure the file can be appended to (creating it if need be), before anything is printed."""
        os.close(self._open())
        return self

    def append(self, record: Mapping[str, Any]) -> None:
        """Add one line, whole or not at all; OutputError if it could not be written.

        The line goes down in one write under an exclusive lock. A short or failed write (a full disk) is
        cut back to the file's previous size, so no half line stays for the next line to be glued onto;
        a half line left by a crash of the machine is ended first, so the new line stands on its own.
        """
        line = (json.dumps(record, ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n").encode("utf-8")
        fd = self._open()
        size = None
        try:
            _lock(fd)
            size = os.fstat(fd).st_size
            if size and os.pread(fd, 1, size - 1) != b"\n":
                line = b"\n" + line
            written = os.write(fd, line)
            if written != len(line):
                raise OSError(errno.ENOSPC, f"only {written} of {len(line)} bytes could be written")
            os.fsync(fd)
        except OSError as exc:
            if size is not None:
                _truncate(fd, size)
            raise OutputError(f"--record {self.path}: could not be appended to ({exc.strerror}); nothing was added to it. "
                              "Free some space (or fix the folder) and run again") from None
        finally:
            os.close(fd)

    def hashes(self) -> set[str]:
        """The output.sha256 of every line that parses (a missing file has none)."""
        found: set[str] = set()
        try:
            with open(self.path, "rb") as handle:
                for raw in handle:
                    try:
                        found.add(json.loads(raw)["output"]["sha256"])
                    except (ValueError, KeyError, TypeError):
                        continue
        except OSError:
            pass
        return found


def _lock(fd: int) -> None:
    """An exclusive lock for the append, where the system has one (two batches may share a record)."""
    try:
        import fcntl

        fcntl.flock(fd, fcntl.LOCK_EX)
    except (ImportError, OSError):
        pass


def _truncate(fd: int, size: int) -> None:
    """Cut a failed append back to where it started; fsync so the cut survives too."""
    try:
        if os.fstat(fd).st_size > size:
            os.ftruncate(fd, size)
            os.fsync(fd)
    except OSError:
        pass
