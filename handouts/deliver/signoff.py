"""A clinician's sign-off: which files a sheet or brochure uses, and approving them (locked, atomic, text kept).

`handouts approve` and the clinic's screen (`handouts serve`) call these: `signoff_for` says what a sheet, a
brochure or a list of files covers and how each file stands now; `approve` records the approval in the clinic's
approvals.json under a file lock (two processes approving at once both keep their approvals), and keeps a copy of
each approved text in the folder's approved/ folder, so a later review pack can show what changed word by word.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Iterable, Mapping

from ..errors import UnknownConditionError, VisitError
from ..library.approvals import (
    APPROVALS_FILE,
    APPROVALS_VERSION,
    APPROVED_FOLDER,
    CLINIC_BROCHURE,
    NO_FOLDER,
    NOT_REVIEWED,
    Approval,
    ApprovalStatus,
    approval_status,
    brochure_files,
    clinic_folder,
    condition_sheet_files,
    content_path,
    digests,
    read_approvals,
    texts_digest,
    version_texts,
)
from ..files import FileExists, locked, write_file

LOCK_FILE = "approvals.lock"  # beside approvals.json: held while approvals.json is read, changed and written


@dataclass(frozen=True)
class SignOff:
    """What one sign-off covers: a sheet (`kind` "sheet", `name` its condition), a brochure ("brochure", "clinic" or
    a condition), every reviewed file ("all") or named files ("files"); its files and how each stands now."""

    kind: str
    name: str
    title: str  # in words, e.g. "the hip-pain sheet", for lists and headings
    files: tuple[str, ...]  # content-tree paths, sorted
    status: ApprovalStatus
    roots: tuple[Path, ...]  # the content trees read (bundled first, then the clinic's folder, if any)

    @property
    def folder(self) -> Path | None:
        return self.status.folder

    def state(self, rel: str) -> str:
        """How a file stands, in words: approved by whom and when, changed since, or never approved."""
        old = self.status.approvals.get(rel)
        if old is None:
            return "never approved"
        if self.status.approved(rel):
            return f"approved by {old.by} on {old.on}"
        return f"changed since {old.by} approved it on {old.on}"


def signoff_for(kind: str, name: str = "", content=None, clinic=None, files: Iterable[str] = ()) -> SignOff:
    """The files a sheet (kind "sheet", name a condition), a brochure ("brochure", name "clinic" or a condition),
    every reviewed file ("all") or the named files ("files") are built from, with their approval status.

    UnknownConditionError for an unknown condition; VisitError for a file that is not content; ContentError when the
    content cannot be read (a sheet's or brochure's files are known only from a readable library)."""
    from ..library.tree import content_roots

    roots = content_roots(content)
    status = approval_status(roots)
    if kind == "files":
        chosen, title = _named(files, roots, status), "the files named"
    elif kind == "all":
        chosen, title = [f for f in sorted(status.digests) if f not in NOT_REVIEWED], "every content file"
    elif kind in ("sheet", "brochure"):
        from ..composition.offers import find_condition
        from ..library.cache import library as cached_library

        library = cached_library(content, clinic)
        if kind == "brochure" and name.strip().lower() == CLINIC_BROCHURE:
            chosen, title, name = brochure_files(library, None), "the clinic brochure", CLINIC_BROCHURE
        else:
            try:
                cid, _ = find_condition(library, name)
            except UnknownConditionError as exc:
                if kind == "sheet":
                    raise
                raise UnknownConditionError(f"--brochure: name `clinic` for the clinic brochure, or a condition; {exc}") from None
            if kind == "sheet":
                chosen, title = condition_sheet_files(library, cid), f"the {cid} sheet"
            else:
                chosen, title = brochure_files(library, cid), f"the {cid} brochure"
            name = cid
    else:
        raise ValueError(f"unknown sign-off kind {kind!r}")
    return SignOff(kind=kind, name=name, title=title, files=tuple(sorted(chosen)), status=status, roots=tuple(roots))


def _named(files: Iterable[str], roots: list[Path], status: ApprovalStatus) -> list[str]:
    wanted: list[str] = []
    for raw in files:
        rel = content_path(raw, roots)
        if rel not in status.digests:
            where = status.folder if status.folder is not None else roots[0]
            raise VisitError(f"handouts approve: {raw}: not a content file of {where} or of the bundled content; "
                             f"name a file such as conditions/hip-pain.yaml (run `handouts check` to see the files)")
        if rel in NOT_REVIEWED:
            raise VisitError(f"handouts approve: {raw}: {rel} is settings, not patient text, and needs no approval")
        wanted.append(rel)
    if not wanted:
        raise VisitError("handouts approve: name at least one content file, e.g. conditions/hip-pain.yaml, "
                         "or a whole sheet with --sheet CONDITION")
    return list(dict.fromkeys(wanted))


def check_approver(by: str | None) -> str:
    """The approver as recorded ("Name, credential", spaces folded); VisitError when there is no credential."""
    by = " ".join((by or "").split())
    if not by or "," not in by:
        raise VisitError('--by: give the approver\'s name and credential, separated by a comma, e.g. --by "Ana Ruiz, LAc"')
    return by


def approve(files: Iterable[str], by: str, content=None, today: date | None = None,
            expected: Mapping[str, str] | None = None) -> list[Approval]:
    """Record that `by` approved these content files as they are now; returns the new approvals.

    `expected` (file -> SHA-256, e.g. from the SignOff the clinician was shown): refuse if a file changed since,
    so nobody approves text they have not seen. approvals.json is read, changed and written under a lock, and
    each approved text is kept in approved/SHA256.json beside it.

    VisitError (usage) for a missing folder, a missing credential or an unknown file; OutputError if a file cannot
    be written; ContentError if approvals.json is damaged."""
    from ..library.tree import content_roots

    by = check_approver(by)
    roots = content_roots(content)
    folder = clinic_folder(roots)
    if folder is None:
        raise VisitError(f"handouts approve: no clinic content folder; {NO_FOLDER}")
    now = digests(roots)
    wanted = _named(files, roots, ApprovalStatus(folder=folder, digests=now))
    moved = [rel for rel in wanted if expected is not None and rel in expected and expected[rel] != now[rel]]
    if moved:
        raise VisitError(f"handouts approve: {', '.join(moved)} changed while you were reviewing (the SHA-256 is not "
                         f"the one you were shown); nothing was approved: review the new text and approve again")
    day = (today or date.today()).isoformat()
    new = [Approval(file=rel, sha256=now[rel], by=by, on=day) for rel in wanted]
    for a in new:
        _keep_copy(folder, roots, a)
    path = folder / APPROVALS_FILE
    with locked(folder / LOCK_FILE, label=f"{folder / LOCK_FILE}"):
        current = read_approvals(folder)
        for a in new:
            current[a.file] = a
        stamp = datetime.now(timezone.utc).isoformat(timespec="seconds")
        history = _history(path) + [{"file": a.file, "sha256": a.sha256, "by": a.by, "on": a.on, "recorded_at": stamp}
                                    for a in new]
        data = {"approvals": APPROVALS_VERSION,
                "files": {rel: {"sha256": a.sha256, "by": a.by, "on": a.on} for rel, a in sorted(current.items())},
                "history": history}
        write_file((json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8"), path, replace=True)
    return new


def _keep_copy(folder: Path, roots: list[Path], approval: Approval) -> None:
    """approved/SHA256.json: the approved text (one entry per version the hash covers), written once per hash."""
    versions = version_texts(roots, approval.file)
    if texts_digest([text for _, text in versions]) != approval.sha256:
        return  # changed between hashing and reading: no copy rather than a wrong one (the review says so)
    out = folder / APPROVED_FOLDER
    try:
        out.mkdir(exist_ok=True)
    except OSError:
        pass  # write_file names the folder and the fix
    data = {"file": approval.file, "sha256": approval.sha256,
            "versions": [{"from": where, "text": text} for where, text in versions]}
    try:
        write_file((json.dumps(data, ensure_ascii=False, indent=1) + "\n").encode("utf-8"),
                   out / f"{approval.sha256}.json", label=f"{out / approval.sha256}.json")
    except FileExists:
        pass  # the same text, kept by an earlier approval


def _history(path: Path) -> list[dict]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return list(data.get("history", []))
    except (OSError, ValueError, AttributeError):
        return []


def approve_signoff(signoff: SignOff, by: str, content=None, today: date | None = None) -> list[Approval]:
    """Approve every file of a sign-off as the clinician was shown it (refused if one changed since)."""
    return approve(signoff.files, by, content, today, expected={f: signoff.status.digests[f] for f in signoff.files})


__all__ = ["SignOff", "approve", "approve_signoff", "check_approver", "signoff_for", "LOCK_FILE"]
