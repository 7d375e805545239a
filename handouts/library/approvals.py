"""Clinician sign-off: `handouts approve` pins who approved which content file at which SHA-256.

The approvals live in the clinic's own content folder (approvals.json beside its clinic.yaml), never
inside the installed package, so a reinstall or upgrade keeps them, and an edit of one character to an
approved file (or a new bundled version of it) shows as "changed since approval".
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable

from ..errors import ContentError, HandoutError, VisitError
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


def approve(files: Iterable[str], by: str, content: str | os.PathLike | None, today: date | None = None) -> list[Approval]:
    """Record that `by` approved these content files as they are now; returns the new approvals.

    VisitError (usage) for a missing folder or an unknown file, OutputError if the file cannot be written.
    """
    from ..files import write_file

    by = " ".join((by or "").split())
    if not by or "," not in by:
        raise VisitError('--by: give the approver\'s name and credential, separated by a comma, e.g. --by "Ana Ruiz, LAc"')
    roots = content_roots(content)
    folder = clinic_folder(roots)
    if folder is None:
        raise VisitError(f"handouts approve: no clinic content folder; {NO_FOLDER}")
    now = digests(roots)
    wanted: list[str] = []
    for raw in files:
        rel = _relative(raw, roots)
        if rel not in now:
            raise VisitError(f"handouts approve: {raw}: not a content file of {folder} or of the bundled content; "
                             f"name a file such as conditions/hip-pain.yaml (run `handouts check` to see the files)")
        if rel in NOT_REVIEWED:
            raise VisitError(f"handouts approve: {raw}: {rel} is settings, not patient text, and needs no approval")
        wanted.append(rel)
    if not wanted:
        raise VisitError("handouts approve: name at least one content file, e.g. conditions/hip-pain.yaml")
    current = read_approvals(folder)
    day = (today or date.today()).isoformat()
    new = [Approval(file=rel, sha256=now[rel], by=by, on=day) for rel in dict.fromkeys(wanted)]
    for a in new:
        current[a.file] = a
    path = folder / APPROVALS_FILE
    history = _history(path)
    stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
    history += [{"file": a.file, "sha256": a.sha256, "by": a.by, "on": a.on, "recorded_at": stamp} for a in new]
    data = {"approvals": APPROVALS_VERSION,
            "files": {rel: {"sha256": a.sha256, "by": a.by, "on": a.on} for rel, a in sorted(current.items())},
            "history": history}
    write_file((json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), path, replace=True)
    return new


def _history(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return list(data.get("history", []))
    except (OSError, ValueError, AttributeError):
        return []


def _relative(raw: str, roots: list[Path]) -> str:
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


def sheet_files(library, condition_id: str, point_codes: Iterable[str]) -> list[str]:
    """The content files a sheet is built from: its condition, the channel files of its points, the sections,
    the rules and the labels."""
    files = {f"conditions/{condition_id}.yaml", "rules.yaml", "labels.yaml"}
    files |= {rel for rel in library.files if rel.startswith("sections/")}
    for code in point_codes:
        point = library.points.get(code)
        if point is not None:
            label = point.where.rsplit(":", 1)[0]
            files |= {rel for rel, f in library.files.items() if f.label == label}
    return sorted(files)


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
            f"`handouts approve FILE... --by \"Name, credential\" --content {folder}`")
