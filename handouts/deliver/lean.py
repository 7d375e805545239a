"""A batch process made lighter before it imports anything heavy: two modules it loads but rarely or never needs.

A batch's memory is per process (issue 23: a front desk's mixed day, at most 60 MiB for the largest), and about
8 MiB of a worker was two libraries loaded by imports, not by use (`python bench/mixed.py`, docs/DEVELOPMENT.md):

- OpenSSL's hashes (`_hashlib`, 3.5 MiB resident): ReportLab hashes each PDF's ID with md5, the library cache names
  its files by sha256, and `secrets` (temporary file names) imports `hmac`. CPython has its own md5, sha1, sha2,
  sha3 and blake2, which `hashlib` and `hmac` use when `_hashlib` cannot be imported; the digests are the same
  bytes. Only when every one of them is built into this Python (a distribution may leave some out and rely on
  OpenSSL) and nothing has imported hashlib yet.
- Pillow (`PIL.Image`, 2-4 MiB): `reportlab.lib.utils` imports it at start, but a leaflet needs it only for a
  clinic's logo. It is loaded on first use instead (`importlib.util.LazyLoader`), for the logo's sheet.

Called first by a batch's worker process (`start_worker`, before the content library is unpickled) and by the
`batch` command before it imports the batch (`--jobs 1` makes every sheet in that process). Never for a long-lived
process (the screen) or the library's users: it changes how the process imports for the rest of its life.
"""

from __future__ import annotations

import importlib.util
import os
import pickle
import sys
from typing import Any

# CPython's own hash modules, one of which hashlib imports for each of its always-present names.
_BUILTIN_HASHES = ("_md5", "_sha1", "_blake2", "_sha3") + (("_sha2",) if sys.version_info >= (3, 12) else ("_sha256", "_sha512"))


def lighten() -> list[str]:
    """Make this process load neither OpenSSL's hashes nor Pillow until used; what was changed, by module name."""
    changed = []
    if "hashlib" not in sys.modules and "_hashlib" not in sys.modules and builtin_hashes():
        sys.modules["_hashlib"] = None  # type: ignore[assignment]  # import _hashlib raises: hashlib uses the built-ins
        changed.append("_hashlib")
    if "PIL.Image" not in sys.modules and not any(isinstance(f, _LazyPillow) for f in sys.meta_path):
        sys.meta_path.insert(0, _LazyPillow())
        changed.append("PIL.Image")
    return changed


def builtin_hashes() -> bool:
    """Whether every hash module hashlib falls back to is built into this Python."""
    return all(importlib.util.find_spec(name) is not None for name in _BUILTIN_HASHES)


class _LazyPillow:
    """A finder for PIL.Image only: the real module, executed when an attribute of it is first read."""

    def find_spec(self, name: str, path: Any = None, target: Any = None):
        if name != "PIL.Image":
            return None
        sys.meta_path.remove(self)  # once: the module is in sys.modules from now on
        spec = importlib.util.find_spec(name)
        if spec is None or spec.loader is None or not hasattr(spec.loader, "exec_module"):
            return spec
        spec.loader = importlib.util.LazyLoader(spec.loader)
        return spec


# ---- the batch's worker process ---------------------------------------------------------------------------


LIBRARY: Any = None  # the content library a worker was started with (handouts.model.Library)


def start_worker(library: bytes) -> None:
    """Worker start: lighten the process, then keep the parent's library (read once, pickled by the parent, so
    that unpickling it, which imports the model and the content modules, comes after `lighten`)."""
    import gc
    import signal
    import threading

    global LIBRARY
    lighten()
    LIBRARY = pickle.loads(library)
    from ..library.cache import DiskMemo

    DiskMemo.deferred = True  # layout memos written once a sheet (batch.attempt), merged with the other workers'
    gc.set_threshold(10_000, 10, 10)  # as the command's own process (handouts/__main__.py)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle; no worker tracebacks
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()
    import atexit

    # Last of the exit functions (they run last registered first): once multiprocessing's own and the streams' are
    # done, end without freeing the worker's objects one by one (0.1-0.2 s a worker, which the batch waits for).
    atexit.register(_end_now)


def _end_now() -> None:
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except Exception:  # a closed stream: nothing left to say
            pass
    os._exit(0)


def _exit_with_parent(parent: int) -> None:
    """A parent killed outright (SIGKILL, SIGTERM) cannot stop its pool; the workers notice and go."""
    import time

    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)
