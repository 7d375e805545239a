"""Clinician sign-off: `handouts approve` pins who approved which content file at which SHA-256.

The approvals live in the clinic's own content folder (approvals.json beside its clinic.yaml), never
inside the installed package, so a reinstall or upgrade keeps them, and an edit of one character to an
approved file (or a new bundled version of it) shows as "changed since approval". Reading them is here;
recording one (a locked, atomic write, with a copy of the approved text) is handouts/deliver/signoff.py.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Iterable

from ..errors import ContentError, HandoutError
from .tree import PROTECTED_SECTIONS, content_roots, entries

APPROVALS_FILE = "approvals.json"
APPROVALS_VERSION = 1
# Files that are not patient text: the clinic's own profile and the lint settings.
NOT_REVIEWED = ("clinic.yaml", "lint.yaml")


@dataclass(frozen=True)
class Approval:
    file: str  # relative to the content tree, e.g. conditions/hip-pain.yaml
    sha256: str
    by: str  # "Name, credential"
    on: str  # ISO date of the approval


@dataclass(frozen=True)
class ApprovalStatus:
    """Which content files are approved as they are now, for one content tree."""

    folder: Path | None  # the clinic content folder holding approvals.json (None: bundled content only)
    digests: dict[str, str]  # file -> sha256 now
    approvals: dict[str, Approval] = field(default_factory=dict)
    left_out: frozenset[str] = frozenset()  # files of conditions the clinic does not offer (clinic.yaml `offers:`): not asked for

    def approved(self, rel: str) -> bool:
        a = self.approvals.get(rel)
        return a is not None and a.sha256 == self.digests.get(rel)

    def never(self, files: Iterable[str] | None = None) -> list[str]:
        return [f for f in self._files(files) if f not in self.approvals]

    def changed(self, files: Iterable[str] | None = None) -> list[str]:
        return [f for f in self._files(files) if f in self.approvals and not self.approved(f)]

    def unapproved(self, files: Iterable[str] | None = None) -> list[str]:
        return [f for f in self._files(files) if not self.approved(f)]

    def _files(self, files: Iterable[str] | None) -> list[str]:
        chosen = self.digests if files is None else [f for f in files if f in self.digests]
        return sorted(f for f in chosen if f not in NOT_REVIEWED and f not in self.left_out)

    def last_date(self, files: Iterable[str]) -> date | None:
        """The latest approval date among these files (None if any is not approved as it is now)."""
        files = [f for f in files if f in self.digests and f not in NOT_REVIEWED]
        if not files or any(not self.approved(f) for f in files):
            return None
        return max(date.fromisoformat(self.approvals[f].on) for f in files)


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def digests(roots: list[Path]) -> dict[str, str]:
    """SHA-256 of every content file as a handout reads it: the winning version, or, for the protected
    sections (bundled blocks plus a clinic's added blocks), a hash over every version."""

    out = {}
    for rel, versions in entries(roots).items():
        if rel == APPROVALS_FILE:
            continue
        if rel in {f"sections/{s}.yaml" for s in PROTECTED_SECTIONS} and len(versions) > 1:
            out[rel] = hashlib.sha256("".join(_sha(v.path) for v in versions).encode()).hexdigest()
        else:
            out[rel] = _sha(versions[-1].path)
    return out


def clinic_folder(roots: list[Path]) -> Path | None:
    """The clinic's own content folder (the override root), if one is in use."""
    return roots[-1] if len(roots) > 1 else None


def read_approvals(folder: Path | None) -> dict[str, Approval]:
    if folder is None:
        return {}
    path = folder / APPROVALS_FILE
    if not path.exists():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return {rel: Approval(file=rel, sha256=str(a["sha256"]), by=str(a["by"]), on=str(date.fromisoformat(str(a["on"]))))
                for rel, a in data["files"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise ContentError([f"{path}: cannot be read as an approvals file ({type(exc).__name__}: {exc}); "
                            f"restore it from a backup, or delete it and approve the files again with `handouts approve`"]) from None


def approval_status(roots: list[Path], left_out: Iterable[str] = ()) -> ApprovalStatus:
    """`left_out`: files not asked for (the conditions a clinic does not offer)."""
    folder = clinic_folder(roots)
    return ApprovalStatus(folder=folder, digests=digests(roots), approvals=read_approvals(folder), left_out=frozenset(left_out))


NO_FOLDER = ("approvals are kept in the clinic's own content folder (the folder with its clinic.yaml), never inside "
             "the installed package, so that they survive a reinstall; give that folder with --content DIR or set "
             "HANDOUTS_CONTENT (start one with a copy of the bundled clinic.yaml)")

# The text of each approved file is kept beside approvals.json, one file per SHA-256, so that a later review can
# show what changed since the approval word by word (handouts/deliver/signoff.py writes them).
APPROVED_FOLDER = "approved"


def content_path(raw: str, roots: list[Path]) -> str:
    """A typed file (a path, or a path relative to the content tree) as its content-tree path."""
    path = Path(raw).expanduser()
    if path.is_file():
        resolved = path.resolve()
        for root in reversed(roots):
            if resolved.is_relative_to(root.resolve()):
                rel = resolved.relative_to(root.resolve()).as_posix()
                return rel[:-4] + ".yaml" if rel.endswith(".yml") else rel
    rel = Path(raw).as_posix().lstrip("./")
    return rel[:-4] + ".yaml" if rel.endswith(".yml") else rel


def version_texts(roots: list[Path], rel: str) -> list[tuple[str, str]]:
    """(where, text) of every version of a content file its SHA-256 covers (see `digests`): the winning file, or for a
    protected section the bundled file and the clinic's additions, in that order."""

    versions = entries(roots).get(rel, [])
    if not (rel in {f"sections/{s}.yaml" for s in PROTECTED_SECTIONS} and len(versions) > 1):
        versions = versions[-1:]
    return [(v.rel if v.bundled else str(v.path), v.path.read_bytes().decode("utf-8", "replace")) for v in versions]


def texts_digest(texts: list[str]) -> str:
    """The SHA-256 that `digests` gives for a file made of these versions' texts."""
    if len(texts) == 1:
        return hashlib.sha256(texts[0].encode("utf-8")).hexdigest()
    return hashlib.sha256("".join(hashlib.sha256(t.encode("utf-8")).hexdigest() for t in texts).encode()).hexdigest()


def approved_copy(folder: Path | None, sha256: str) -> list[str] | None:
    """The text of a file as it was approved at this SHA-256 (one text per version), or None: no copy kept (an
    approval made before copies were kept, or a copy that is missing or does not match its hash)."""
    if folder is None or not sha256 or not all(c in "0123456789abcdef" for c in sha256):
        return None
    path = folder / APPROVED_FOLDER / f"{sha256}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        texts = [str(v["text"]) for v in data["versions"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return texts if texts and texts_digest(texts) == sha256 else None


def sheet_files(library, condition_id: str, point_codes: Iterable[str]) -> list[str]:
    """The content files a sheet is built from: its condition, the channel files of its points, the sections,
    the rules, the labels and the registry of sources (whose short names print)."""
    files = {"rules.yaml", "labels.yaml", "sources.yaml"} | ({f"conditions/{condition_id}.yaml"} if condition_id else set())
    files |= {rel for rel in library.files if rel.startswith("sections/")}
    for code in point_codes:
        point = library.points.get(code)
        if point is not None:
            label = point.where.rsplit(":", 1)[0]
            files |= {rel for rel, f in library.files.items() if f.label == label}
    return sorted(files)


def condition_sheet_files(library, condition_id: str) -> list[str]:
    """Every file a sheet of this condition reads with the points its file names (usual and optional): what
    `handouts approve --sheet` approves, so that a sheet with any of those points is no longer a draft."""
    condition = library.conditions[condition_id]
    return sheet_files(library, condition_id, [cp.code for cp in condition.points])


CLINIC_BROCHURE = "clinic"  # `--brochure clinic`: the clinic brochure; any other name is a condition's brochure


def brochure_files(library, condition_id: str | None) -> list[str]:
    """The content files a brochure's words come from: a condition brochure (its sheet's files with the usual points,
    and its brochures/conditions file), or with None the clinic brochure (the sections, rules, labels and every
    condition it names). brochures/clinic.yaml holds both kinds' headings."""
    if condition_id:
        condition = library.conditions[condition_id]
        files = set(sheet_files(library, condition_id, [cp.code for cp in condition.points if cp.default]))
        files.add(f"brochures/conditions/{condition_id}.yaml")
    else:
        files = set(sheet_files(library, "", []))
        files |= {rel for rel in library.files if rel.startswith("conditions/")
                  and library.clinic.offered(rel.removeprefix("conditions/").removesuffix(".yaml"))}  # those it names
    return sorted((files | {"brochures/clinic.yaml"}) & set(library.files))


class UnapprovedError(HandoutError):
    """The clinic requires approval (require_approval: true) and a file of this sheet is not approved as it is."""

    def __init__(self, status: ApprovalStatus | None, files: Iterable[str], clinic: str):
        parts = []
        for rel in files:
            old = status.approvals.get(rel) if status is not None else None
            parts.append(f"{rel} (changed since {old.by} approved it on {old.on})" if old else f"{rel} (never approved)")
        folder = status.folder if status is not None and status.folder is not None else "DIR"
        super().__init__(
            f"not printed: {clinic}'s clinic.yaml sets `require_approval: true`, and this sheet uses text that is not "
            f"approved as it is now: {', '.join(parts)}. Have your clinician review them, then run "
            f"`handouts approve FILE... --by \"Name, credential\" --content {folder}` (or `--sheet CONDITION`)")
