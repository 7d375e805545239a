"""Write a file atomically: a temp file beside it, fsync, then rename (or link, to never replace); lock a shared file."""

from __future__ import annotations

import errno
import os
import secrets
from contextlib import contextmanager
from pathlib import Path

from . import tempfiles
from .errors import OutputError


class FileExists(OutputError):
    """The output file is already there and replacing it was not asked for."""


def _temp_file(folder: Path) -> tuple[int, str]:
    """A new hidden temp file in `folder`, open for writing. Made with mode 0o666 so that the umask alone sets its
    permissions, as for any file the user makes, without changing the process umask (which threads share)."""
    tmp = os.path.join(folder, f"{tempfiles.prefix()}{secrets.token_hex(8)}{tempfiles.SUFFIX}")  # see tempfiles.clean
    return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666), tmp


def write_file(data: bytes, out: Path, replace: bool = False, label: str = "") -> None:
    """Write `data` to `out` in one step: readers see the old file or the whole new one, never half.

    Without `replace` an existing file is left alone (FileExists), even one created meanwhile.
    `label` names the output in messages (default: the path).
    """
    label = label or str(out)
    folder = out.parent
    if folder.exists() and not folder.is_dir():
        raise OutputError(f"{label}: {folder} is a file, not a folder; choose another path")
    if not folder.is_dir():
        raise OutputError(f"{label}: the folder {folder} does not exist; create it or choose another path")
    if out.is_dir():
        raise OutputError(f"{label}: is a folder; give a file name such as {out / 'handout.pdf'}")
    try:
        fd, tmp = _temp_file(folder)
    except OSError as exc:
        raise OutputError(f"{label}: cannot write in {folder} ({exc.strerror}); choose a folder you can write to") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        if replace:
            os.replace(tmp, out)
        else:
            _link_new(tmp, out, label)
    except OSError as exc:
        raise OutputError(f"{label}: could not be written ({exc.strerror}); check the folder and free space") from None
    finally:
        Path(tmp).unlink(missing_ok=True)


def _link_new(tmp: str, out: Path, label: str) -> None:
    """Give the temp file its final name only if that name is free (a hard link fails if it exists)."""
    try:
        os.link(tmp, out)
    except FileExistsError:
        raise FileExists(f"{label}: exists; use --force to replace it") from None
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK, errno.ENOSYS):
            raise
        # No hard links here (some network or FAT drives): claim the name (O_EXCL fails if anything has it,
        # even a file made a moment ago), then rename the whole file over our own empty claim.
        try:
            os.close(os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:
            raise FileExists(f"{label}: exists; use --force to replace it") from None
        try:
            os.replace(tmp, out)
        except OSError:
            os.unlink(out)  # our empty claim, so that no empty PDF is left behind
            raise


@contextmanager
def locked(path: Path, label: str = ""):
    """Hold an exclusive lock on `path` (a lock file, made if missing) for the block: another process that asks for
    the same lock waits, so a read-change-write of a shared file (approvals.json) loses nobody's change."""
    label = label or str(path)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o666)
    except OSError as exc:
        raise OutputError(f"{label}: cannot be opened to lock it ({exc.strerror}); check the folder's permissions") from None
    try:
        _lock(fd)
        yield
    finally:
        os.close(fd)  # closing the file releases the lock


def _lock(fd: int) -> None:
    try:
        import fcntl
    except ImportError:  # Windows: lock the first byte, retrying while another process holds it
        import msvcrt
        import time

        while True:
            try:
                msvcrt.locking(fd, msvcrt.LK_LOCK, 1)
                return
            except OSError:
                time.sleep(0.05)
    fcntl.flock(fd, fcntl.LOCK_EX)
