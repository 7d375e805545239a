"""Caches for what does not change between patients, each keyed by what it depends on.

A long-running process (the API, a preview, a batch worker) makes many leaflets from the same content;
the cached values are the same values a fresh process would compute, so the PDFs are byte-identical
(tests/test_cache.py checks it). What is kept about visits stays in the process's memory and is bounded: the
paragraph memo holds recent text (dates, a practitioner; never the patient band's values, render/kinsoku.py
VisitParagraph) until it ages out, and the fit memo holds composed sheets with the patient band's values (name, date,
practitioner) taken out (never one with a practitioner's note). On disk (see below) go the validated library
and the parsed content files (clinic content), the map-width choices and the numbered discs' places (SHA-256 digests
of the map and points table drawn, which are content plus the set of points used, mapped to numbers): never a name, a
note, a date or a flag.

- the content library per (content folder, clinic file), checked against every file's stamp on each use
  (see `library`); editing, adding or removing a content file reads the tree again;
- fonts are registered once per process (handouts.design.fonts.register), styles once per overlay list
  (handouts.design.styles.sheet), the QR code once per address (handouts.design.qr.qr_widget), paragraph
  parses and line breaks per (markup, style, width) (handouts.render.pdf.paragraphs);
- the body map's height search, disc places and drawing per map (handouts.render.pdf.blocks, handouts.render.pdf.bodymap),
  the urgent-care box's column split per box, and which optional blocks a sheet leaves out per
  sheet-without-its-patient-band (handouts.render.pdf.leaflet.fit_leaflet).

`clear()` empties them all (tests, and anyone who wants a fresh start).
"""

from __future__ import annotations

import os
import threading
from collections import OrderedDict
from contextlib import contextmanager
from functools import lru_cache
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
    """Every file under the content roots, and the extra files (clinic profile, logo, photos), with their stamps.

    The same tuples as _stamp gives, made from path strings (the screen stamps the tree on every request: pathlib
    took three quarters of the time)."""
    out: list[tuple] = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs.sort()
            for name in sorted(files):
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except OSError:
                    out.append((path, None))
                    continue
                out.append((path, st.st_mtime_ns, st.st_ctime_ns, st.st_size, st.st_ino))
    out += [_stamp(p) for p in extra]
    return tuple(out)


def library(content: str | os.PathLike | None = None, clinic: str | os.PathLike | None = None,
            load: Callable[..., Any] | None = None):
    """The validated Library for a content tree, read once and reused while no file under it changes.

    Errors are never cached: broken content raises (ContentError) on every call, as load_library does.
    """
    return _library(content, clinic, load)[0]


def _key(content, clinic) -> tuple[list[Path], Path | None, tuple]:
    """(content roots, clinic profile, cache key) of a content tree."""
    from .tree import content_roots

    roots = content_roots(content)  # also resolves $HANDOUTS_CONTENT, so a changed variable is a new key
    clinic_path = Path(clinic).resolve() if clinic is not None else None
    return roots, clinic_path, (tuple(str(r.resolve()) for r in roots), str(clinic_path) if clinic_path else None)


def _library(content, clinic, load=None):
    """(the Library, the ContentRead if the tree was read just now with the real loader, else None)."""
    from .load import load_library

    load = load or load_library
    roots, clinic_path, key = _key(content, clinic)
    with _LOCK:
        hit = _LIBRARIES.get(key)
    if hit is not None:
        stamp, value, extra = hit
        if _tree_stamp(roots, extra) == stamp:
            return value, None
    extra = (clinic_path,) if clinic_path else ()
    stamp = _tree_stamp(roots, extra)
    read = None
    real = load is load_library  # only the real loader's result is kept on disk
    found = _disk_load("library", key, stamp) if real else None
    if found is not None:
        value, images = found
    else:
        if real:  # read once for both: the library, and the parsed files a brochure's claim check reads
            read = _read_content(content, clinic)
            value = read.library
        else:
            value = load(content, clinic=clinic)
        images = _image_paths(value, roots, clinic_path)
        if read is not None:
            _disk_keep("library", key, stamp, value, images)
            _disk_keep("documents", key, stamp, (read.documents, read.lint), images)
    extra = (*extra, *images)
    stamp = stamp + tuple(_stamp(p) for p in images)
    with _LOCK:
        if len(_LIBRARIES) >= MAX_LIBRARIES and key not in _LIBRARIES:
            _LIBRARIES.pop(next(iter(_LIBRARIES)))
        _LIBRARIES[key] = (stamp, value, extra)
    return value, read


# ---- the library on disk ----------------------------------------------------------------------------
#
# Reading and validating the YAML tree is most of a cold start. The validated Library is kept as a pickle in
# the user's cache folder, under a name made from everything it depends on: each content file's path and stamp
# (mtime, ctime, size, inode), the clinic profile, logo and photos, and this package's own files and versions. Any
# change to any of them is a different name, so a stale library is never read; a damaged or unreadable file is
# ignored and replaced. It holds clinic content only, never a patient's data. HANDOUTS_CACHE names another
# folder, or `off` turns it off.

DISK_KEEP = 8  # files of each kind kept in the cache folder (one per content tree and version in use)


def disk_folder() -> Path | None:
    """Where the library is kept between runs (None: off)."""
    setting = os.environ.get("HANDOUTS_CACHE", "").strip()
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    if setting:
        return Path(setting).expanduser()
    base = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(base) if base else Path.home() / ".cache") / "handouts"


def _trusted(folder: Path) -> bool:
    """Whether the cache folder is this user's alone: a pickle runs code when read, so a folder someone else owns
    or may write to is neither read nor written (as if the cache were off)."""
    try:
        info = folder.stat()
    except OSError:
        return True  # not there yet: it is made 0700 by the first write
    if not hasattr(os, "getuid"):
        return True
    return info.st_uid == os.getuid() and not info.st_mode & 0o022


@lru_cache(maxsize=1)
def _code_stamp() -> tuple:
    """This package's files and versions: the pickled objects are made of our own classes (handouts/model.py).
    Read once per process (the library and each DiskMemo asked for it): a running process runs the code it
    loaded, whatever happens to the files later."""
    import platform

    from ..version import __version__

    package = Path(__file__).resolve().parent.parent  # the whole package, not only handouts/library/
    files = [_stamp(p) for p in sorted(package.rglob("*")) if p.suffix in (".py", ".yaml", ".yml")]
    files += _babel_stamp()  # the library holds Babel's month and weekday names (library/dates.py): another Babel, another file
    return (__version__, platform.python_version(), tuple(files))  # records are our own classes: no pydantic version


def _babel_stamp() -> list[tuple]:
    """The stamp of Babel's installed package (found, not imported: importing it costs a cold run some 25 ms)."""
    from importlib.util import find_spec

    spec = find_spec("babel")
    return [_stamp(Path(spec.origin))] if spec is not None and spec.origin else []


def _disk_name(kind: str, key: tuple, stamp: tuple) -> str | None:
    import hashlib

    folder = disk_folder()
    if folder is None or not _trusted(folder):
        return None
    digest = hashlib.sha256(repr((key, stamp, _code_stamp())).encode("utf-8", "surrogatepass")).hexdigest()
    return str(folder / f"{kind}-{digest[:40]}.pickle")


def _disk_load(kind: str, key: tuple, stamp: tuple):
    """(value, image files: logo and photos) from the cache folder, or None. Never raises."""
    import pickle

    try:
        name = _disk_name(kind, key, stamp)
        if name is None:
            return None
        with open(name, "rb") as f:
            value, images, stamps = pickle.load(f)
        from ..model import Library

        if kind == "library" and not isinstance(value, Library):
            return None
        if tuple(_stamp(p) for p in images) != stamps:  # the logo or a photo (outside the tree's stamp) changed
            return None
        return value, images
    except Exception:  # missing, damaged, from another version: read the tree instead
        return None


def _disk_keep(kind: str, key: tuple, stamp: tuple, value: Any, images: tuple[Path, ...]) -> None:
    """Keep the value for the next run (atomically, private to the user). Never raises: a cache is optional."""
    try:
        name = _disk_name(kind, key, stamp)
        if name is None:
            return
        _write_private(Path(name), (value, images, tuple(_stamp(p) for p in images)))
        kept = sorted(Path(name).parent.glob(f"{kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
        for old in kept[DISK_KEEP:]:
            old.unlink(missing_ok=True)
    except Exception:
        return


class DiskMemo:
    """Small layout decisions (a few numbers each) kept between runs in one file of the cache folder, for what
    depends only on content, styles, fonts, code and at most the set of points used (never a name, note, date or
    flag): keys are SHA-256 digests of the inputs, so the file holds no text. The file's name carries the package's and the fonts' stamps: another version, another file.
    A damaged file is ignored. A write merges what is on disk (another process's entries) with this process's new
    ones, under a lock where the OS has one: two batch workers writing one file both keep theirs (each writing its
    whole dict lost about half of a cold run's entries, so a clinic's second, third and fourth runs each still searched).
    In a batch (`deferred`), new entries are written after each sheet (`flush_all`), not after each entry."""

    MAX = 4096  # entries kept (oldest out first)
    deferred = False  # True: put() keeps new entries for flush_all (the batch: once a sheet), else writes at once
    _all: list["DiskMemo"] = []

    def __init__(self, kind: str, keep: int = MAX):
        self.kind = kind
        self.keep = keep
        self._entries: dict[str, Any] | None = None
        self._new: dict[str, Any] = {}  # entries put and not yet written
        self._path: Path | None = None
        DiskMemo._all.append(self)

    def _load(self) -> dict[str, Any]:
        if self._entries is None:
            self._entries = {}
            folder = disk_folder()
            if folder is not None and _trusted(folder):
                import hashlib

                from .paths import fonts_dir

                fonts = tuple(_stamp(p) for p in sorted(fonts_dir().glob("*.ttf")))
                digest = hashlib.sha256(repr((_code_stamp(), fonts)).encode("utf-8", "surrogatepass")).hexdigest()
                self._path = folder / f"{self.kind}-{digest[:40]}.pickle"
                self._entries = self._read()
        return self._entries

    def _read(self) -> dict[str, Any]:
        import pickle

        try:
            with open(self._path, "rb") as f:  # type: ignore[arg-type]
                entries = pickle.load(f)
            if isinstance(entries, dict):
                return entries
        except Exception:
            pass
        return {}

    @staticmethod
    def digest(key: Any) -> str:
        import hashlib

        return hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).hexdigest()

    def get(self, key: Any) -> Any:
        return self._load().get(self.digest(key))

    def put(self, key: Any, value: Any) -> None:
        entries = self._load()
        digest = self.digest(key)
        entries[digest] = value
        if self._path is not None:
            self._new[digest] = value
            if not DiskMemo.deferred:
                self.flush()

    def flush(self) -> None:
        """Write the new entries: merged into the file as it is now (newest last, oldest out first)."""
        if not self._new or self._path is None:
            return
        new, self._new = self._new, {}
        try:
            self._path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with _locked(self._path.with_name(self._path.name + ".lock")):
                entries = self._read()
                for digest, value in new.items():
                    entries.pop(digest, None)
                    entries[digest] = value
                while len(entries) > self.keep:
                    entries.pop(next(iter(entries)))
                _write_private(self._path, entries)
            self._entries = entries
        except OSError:
            return
        try:  # files of older versions go
            kept = sorted(self._path.parent.glob(f"{self.kind}-*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
            for old in kept[DISK_KEEP:]:
                old.unlink(missing_ok=True)
                old.with_name(old.name + ".lock").unlink(missing_ok=True)
        except OSError:
            pass

    @classmethod
    def flush_all(cls) -> None:
        for memo in cls._all:
            memo.flush()

    def clear(self) -> None:
        self._entries = None
        self._new = {}


@contextmanager
def _locked(path: Path):
    """An exclusive lock on `path` (made 0600) while the block runs, where the OS has fcntl; else no lock."""
    try:
        import fcntl
    except ImportError:  # Windows: the last writer's merge wins
        yield
        return
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # (closing releases the lock)


def _write_private(path: Path, value: Any) -> None:
    """Pickle `value` to `path` atomically, readable by this user only. Never raises: a cache is optional."""
    import pickle
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(prefix=".handouts.", suffix=".tmp", dir=path.parent)  # mode 0600
        try:
            with os.fdopen(fd, "wb") as f:
                pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            os.unlink(tmp)
            raise
    except Exception:
        return


def _read_content(content, clinic):
    from .load import read_content
    from ..errors import ContentError

    read = read_content(content, clinic)
    if read.problems:
        raise ContentError(read.problems)
    return read


def content_read(content: str | os.PathLike | None = None, clinic: str | os.PathLike | None = None):
    """The library with the parsed files (with their lines) and lint.yaml, as content.read_content gives them when the
    tree has no problems (else ContentError): from the disk cache while no file changed, the tree read once if not."""
    from .load import ContentRead

    value, read = _library(content, clinic)
    if read is None:
        roots, clinic_path, key = _key(content, clinic)
        found = _disk_load("documents", key, _tree_stamp(roots, (clinic_path,) if clinic_path else ()))
        if found is not None and isinstance(found[0], tuple) and len(found[0]) == 2:
            (documents, lint), _ = found
            return ContentRead(library=value, problems=[], documents=documents, lint=lint, clinic=value.clinic)
        read = _read_content(content, clinic)
    return ContentRead(library=value, problems=[], documents=read.documents, lint=read.lint, clinic=value.clinic)


def _image_paths(value: Any, roots: list[Path], clinic_path: Path | None) -> tuple[Path, ...]:
    """The clinic logo's and photos' files (they may live outside the content tree, beside a --clinic profile)."""
    clinic = getattr(value, "clinic", None)
    photos = getattr(clinic, "photos", None)
    names = [getattr(clinic, "logo", None)] + ([p.file for p in photos.all()] if photos is not None else [])
    names = [n for n in names if n]
    if not names:
        return ()
    folder = clinic_path.parent if clinic_path is not None else None
    for root in reversed(roots):  # the winning clinic.yaml is the last root's that has one
        if folder is None and ((root / "clinic.yaml").is_file() or (root / "clinic.yml").is_file()):
            folder = root
    return tuple((folder / n).resolve() for n in names) if folder is not None else ()


def clear() -> None:
    """Forget every cached value (the next leaflet is made as in a fresh process)."""
    with _LOCK:
        _LIBRARIES.clear()
    import sys

    paragraphs = sys.modules.get("handouts.render.pdf.paragraphs")
    if paragraphs is not None:
        paragraphs.clear()
    qr = sys.modules.get("handouts.design.qr")
    if qr is not None:
        qr.qr_widget.cache_clear()
    svg = sys.modules.get("handouts.render.html.svg")
    if svg is not None:
        svg.qr_svg.cache_clear()
    for module, names in (("handouts.render.pdf.leaflet", ("_FITS", "_RAN_OVER", "_LANG_RAN_OVER")), ("handouts.render.pdf.bodymap", ("_ART", "_CAPTIONS", "_DISCS")),
                          ("handouts.render.pdf.blocks", ("_CHOSEN", "_ON_DISK", "_SPLITS")),
                          ("handouts.render.html.page", ("_SECTIONS",)), ("handouts.render.html.svg", ("_SVGS", "_DISCS"))):
        loaded = sys.modules.get(module)
        for name in names:
            memo = getattr(loaded, name, None)
            if memo is not None:
                memo.clear()
