"""Load the content tree (bundled, then overrides file by file) into a validated Library."""

from __future__ import annotations

import hashlib
import io
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

from . import yamlio
from ..errors import ContentError, VisitError
from ..model import (
    BrochureCondition,
    BrochureText,
    ChannelFile,
    Clinic,
    Condition,
    Labels,
    Lint,
    Rules,
    Library,
    Point,
    Section,
    Cite,
    SourceFile,
    TechniquesFile,
    Work,
    normalise_code,
)
from .plan import parse_plan
from .tree import CONTENT_ENV, PROTECTED_SECTIONS, Entry, content_roots, entries  # noqa: F401 (CONTENT_ENV: read by tests)

REQUIRED_SECTIONS = ("what-is-acupuncture", "what-to-expect", "risks", *PROTECTED_SECTIONS)


def _label(entry: Entry) -> str:
    return entry.rel if entry.bundled else str(entry.path)


def _fmt_loc(loc: Iterable[Any]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def validate(model: type, doc: yamlio.Document, problems: list[str], **extra: Any) -> Any:
    """Validate a document against a record's schema (handouts/library/schema.py); the record, or None after adding one
    problem per error, with its line."""
    from pydantic import ValidationError  # only a run that reads the tree pays for pydantic

    from .schema import validate_record

    if not isinstance(doc.data, dict):
        problems.append(f"{doc.at()}: the file must be a mapping of fields (name: value), found {type(doc.data).__name__}")
        return None
    try:
        return validate_record(model, {**doc.data, **extra})
    except ValidationError as exc:
        for err in exc.errors():
            loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal["))))
            field = _fmt_loc(loc)
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "missing":
                msg = "is required but missing; add it"
            elif err["type"] == "extra_forbidden":
                msg = "is not a known field; check its spelling or remove it"
            elif err["type"] == "too_short":
                msg = f"needs at least {err.get('ctx', {}).get('min_length', 1)} entr{'y' if err.get('ctx', {}).get('min_length', 1) == 1 else 'ies'}; add them"
            elif err["type"] in ("dict_type", "model_type"):
                found = type(err.get("input")).__name__.replace("NoneType", "nothing")
                msg = f"must be a mapping of fields or languages (e.g. `en: ...` on its own line), found {found}"
            elif err["type"] in ("tuple_type", "list_type"):
                found = type(err.get("input")).__name__.replace("NoneType", "nothing")
                msg = f"must be a list (lines starting with `- `), found {found}"
            elif err["type"] == "literal_error" and "map" in loc:
                msg = f"{msg}: the body-map views are drawn in handouts/design/map_figures.py"
            elif err["type"] == "literal_error" and loc and loc[-1] not in ("front", "back") and \
                    "'en'" in str(err.get("ctx", {}).get("expected", "")):  # a language key, not another choice
                msg = f"{msg} (a language code must be en, es or zh)"
            problems.append(f"{doc.at(loc)}: {field}: {msg}")
        return None


class _Loader:
    def __init__(self, roots: list[Path]):
        self.roots = roots
        self.problems: list[str] = []
        self.files: dict[str, SourceFile] = {}
        self.documents: list[yamlio.Document] = []
        self.invalid_works: set[str] = set()  # ids in sources.yaml whose entries have problems (reported once)
        self.entries = entries(roots, self.problems)
        for rel, versions in self.entries.items():
            for a, b in zip(versions, versions[1:]):
                if a.root == b.root:
                    self.problems.append(f"{_label(b)}: duplicate of {_label(a)} (same id, .yml and .yaml); keep one")

    def read(self, entry: Entry) -> yamlio.Document | None:
        label = _label(entry)
        try:
            doc = yamlio.read(entry.path, label)
        except ContentError as exc:
            self.problems.extend(exc.problems)
            return None
        self.documents.append(doc)
        self.files[entry.rel] = SourceFile(label=label, root=str(entry.root), sha256=hashlib.sha256(entry.path.read_bytes()).hexdigest())
        return doc

    def winner(self, rel: str) -> Entry | None:
        versions = self.entries.get(rel)
        return versions[-1] if versions else None

    def one(self, rel: str, model: type, required: bool = True) -> Any:
        entry = self.winner(rel)
        if entry is None:
            if required:
                self.problems.append(f"{rel}: missing; every content tree needs it (see the bundled {rel})")
            return None
        doc = self.read(entry)
        return validate(model, doc, self.problems) if doc else None

    def folder(self, name: str) -> list[str]:
        return sorted(rel for rel in self.entries if rel.startswith(name + "/") and rel.count("/") == 1)


def _protected(loader: _Loader, rel: str) -> Section | None:
    """A protected section: the bundled blocks first, then any blocks an override adds."""
    versions = loader.entries.get(rel, [])
    merged: Section | None = None
    for entry in versions:
        doc = loader.read(entry)
        section = validate(Section, doc, loader.problems) if doc else None
        if section is None:
            continue
        if merged is None:
            merged = section
        else:
            merged = section.replace(blocks=merged.blocks + tuple(b for b in section.blocks if b not in merged.blocks),
                                     footer=merged.footer)
    if not versions:
        loader.problems.append(f"{rel}: missing; every handout prints it")
    return merged


@dataclass(frozen=True)
class ContentRead:
    """What reading a content tree gave: the Library (None if there were problems), the problems, the parsed files."""

    library: Library | None
    problems: list[str]
    documents: list[yamlio.Document]
    lint: Lint | None = None
    clinic: Clinic | None = None  # the clinic profile, when it validated (even if other files have problems)


def load_library(content: str | os.PathLike | None = None, clinic: str | os.PathLike | None = None) -> Library:
    """Read the bundled content plus an override tree into a Library; report every problem at once.

    `clinic` names a clinic profile file that replaces the content's clinic.yaml.
    """
    result = read_content(content, clinic)
    if result.problems:
        raise ContentError(result.problems)
    assert result.library is not None
    return result.library


def read_content(content: str | os.PathLike | None = None, clinic: str | os.PathLike | None = None) -> ContentRead:
    """Read and validate every content file, collecting problems instead of raising (for `check`)."""
    loader = _Loader(content_roots(content))
    problems = loader.problems

    if clinic is not None:
        path = Path(clinic)
        loader.entries["clinic.yaml"] = [Entry("clinic.yaml", path, path.parent, False)]
    clinic = loader.one("clinic.yaml", Clinic)
    labels = loader.one("labels.yaml", Labels)
    rules = loader.one("rules.yaml", Rules)
    logo = _logo(clinic, loader) if clinic is not None and clinic.logo else None
    photos = _photos(clinic, loader) if clinic is not None and clinic.photos is not None else {}
    if clinic is not None and clinic.batch_name is not None:
        _check_batch_name(clinic.batch_name, loader)
    if clinic is not None and clinic.booking_url and len(clinic.booking_url.encode("utf-8")) > MAX_BOOKING_URL_BYTES:
        loader.problems.append(f"{_clinic_at(loader, 'booking_url')}: booking_url: is {len(clinic.booking_url.encode('utf-8')):,} bytes "
                               f"long; the booking QR code (error correction M, at its largest size) holds at most "
                               f"{MAX_BOOKING_URL_BYTES:,}; give a shorter address, e.g. the booking page itself")

    registry = _registry(loader)
    sections: dict[str, Section] = {}
    for rel in loader.folder("sections"):
        sid = Path(rel).stem
        section = _protected(loader, rel) if sid in PROTECTED_SECTIONS else loader.one(rel, Section)
        if section is not None:
            sections[sid] = section
    for sid in REQUIRED_SECTIONS:
        if f"sections/{sid}.yaml" not in loader.entries:
            problems.append(f"sections/{sid}.yaml: missing; every handout prints this section")

    points: dict[str, Point] = {}
    aliases: dict[str, str] = {}
    alias_where: dict[str, str] = {}
    for rel in loader.folder("points"):
        entry = loader.winner(rel)
        doc = loader.read(entry) if entry else None
        channel_file = validate(ChannelFile, doc, problems) if doc else None
        if channel_file is None:
            continue
        for raw_code, body in channel_file.points.items():
            code = normalise_code(raw_code)
            where = doc.at(("points", raw_code))
            if code != raw_code:
                problems.append(f"{where}: point code {raw_code!r} is not in standard form; write it as {code}")
            if code in points:
                problems.append(f"{where}: point {code} is defined twice (also at {points[code].where}); keep one")
                continue
            points[code] = Point(code=code, channel=channel_file.channel.code, body=body, where=where)
            for alias in body.aliases:
                key = normalise_code(alias)
                if key in alias_where and aliases[key] != code:
                    problems.append(f"{where}: alias {alias!r} of {code} is already an alias of {aliases[key]} ({alias_where[key]}); remove one")
                aliases[key] = code
                alias_where[key] = where
    for key, code in aliases.items():
        if key in points and key != code:
            problems.append(f"{alias_where[key]}: alias {key!r} of {code} is itself the code of another point; remove the alias")

    conditions: dict[str, Condition] = {}
    where: dict[str, str] = {}
    for rel in loader.folder("conditions"):
        cid = Path(rel).stem
        entry = loader.winner(rel)
        doc = loader.read(entry) if entry else None
        condition = validate(Condition, doc, problems) if doc else None
        if condition is None:
            continue
        where[f"conditions/{cid}"] = doc.label
        for i, cp in enumerate(condition.points):
            key = normalise_code(cp.code)
            if key not in points and key not in aliases:
                problems.append(f"{doc.at(('points', i, 'code'))}: points[{i}].code: unknown point {cp.code!r}; add it under points/ or fix the code")
        if condition.plan.schedule:
            try:
                parse_plan(condition.plan.schedule, "plan.schedule")
            except VisitError as exc:
                problems.append(f"{doc.at(('plan', 'schedule'))}: {exc}")
        conditions[cid] = _canonical_points(condition, points, aliases)
    # Techniques beside needles (--technique): each name is also a flag the safety rules may name.
    techniques_file = loader.one("techniques.yaml", TechniquesFile, required=False)
    techniques = dict(techniques_file.techniques) if techniques_file is not None else {}
    if rules is not None:
        rules_doc = next((d for d in loader.documents if d.label == loader.files["rules.yaml"].label), None)
        _check_rules(rules, rules_doc, points, aliases, problems, tuple(techniques))
        for cid, condition in conditions.items():
            for flag in condition.flags:
                if flag not in rules.flags:
                    problems.append(f"{where[f'conditions/{cid}']}: flags: unknown flag {flag!r}; use one that rules.yaml "
                                    f"declares ({', '.join(rules.flags)}) or remove it")
    if clinic is not None:
        _check_offers(clinic, conditions, loader, where)
    brochure, brochure_conditions = _brochures(loader, conditions)
    cites = _check_cites(loader, registry)
    if not conditions and not problems:
        problems.append("conditions/: no condition files; add at least one (see the bundled conditions/hip-pain.yaml)")

    from .approvals import approval_status

    approval = None
    try:
        not_offered = [cid for cid in conditions if clinic is not None and not clinic.offered(cid)]
        approval = approval_status(loader.roots, left_out={f for cid in not_offered
                                                           for f in (f"conditions/{cid}.yaml", f"brochures/conditions/{cid}.yaml")})
    except ContentError as exc:
        problems.extend(exc.problems)
    library = None if problems else Library(clinic=clinic, conditions=conditions, points=points, sections=sections, labels=labels, rules=rules,
                                            aliases=aliases, files=dict(sorted(loader.files.items())), where=where, logo=logo, photos=photos, approval=approval,
                                            brochure=brochure, brochure_conditions=brochure_conditions, sources=registry, cites=cites, techniques=techniques)
    lint = loader.one("lint.yaml", Lint, required=False)
    return ContentRead(library=library, problems=problems, documents=loader.documents, lint=lint, clinic=clinic)


SOURCES = "sources.yaml"


def _registry(loader: _Loader) -> dict[str, Work]:
    """sources.yaml, the registry of cited works: the bundled one, then a clinic's own, work by work (a clinic's
    entry under an id replaces the bundled one; its new ids add to them)."""
    from pydantic import ValidationError

    from .schema import Work as WorkModel, to_record

    works: dict[str, Work] = {}
    versions = loader.entries.get(SOURCES, [])
    if not versions:
        loader.problems.append(f"{SOURCES}: missing; every content tree needs the registry of sources (see the bundled {SOURCES})")
    for entry in versions:
        doc = loader.read(entry)
        if doc is None:
            continue
        if not isinstance(doc.data, dict):
            loader.problems.append(f"{doc.at()}: the file must be a mapping of source ids to works (`vickers-2018:` then its "
                                   f"fields), found {type(doc.data).__name__}")
            continue
        for sid, data in doc.data.items():
            if not isinstance(sid, str) or not _SOURCE_ID.match(sid):
                loader.problems.append(f"{doc.at((sid,))}: {sid!r} is not a source id; write it in lower case as "
                                       f"firstauthor-year or body-code-year (e.g. vickers-2018, nice-ng226-2022)")
                continue
            if not isinstance(data, dict):
                loader.problems.append(f"{doc.at((sid,))}: {sid}: must be a mapping of fields (authors, title, in, year, "
                                       f"doi, type, ...), found {type(data).__name__}")
                continue
            try:
                works[sid] = to_record(WorkModel.model_validate(data))
            except ValidationError as exc:
                loader.invalid_works.add(sid)
                for err in exc.errors():
                    loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal["))))
                    msg = err["msg"].removeprefix("Value error, ")
                    if err["type"] == "missing":
                        msg = "is required but missing; add it"
                    elif err["type"] == "extra_forbidden":
                        msg = "is not a known field; check its spelling or remove it"
                    loader.problems.append(f"{doc.at((sid, *loc))}: {sid}{'.' if loc else ''}{_fmt_loc(loc) if loc else ''}: {msg}")
    return works


_SOURCE_ID = re.compile(r"^[a-z0-9][a-z0-9.-]*$")  # as schema.SourceId


def _check_cites(loader: _Loader, registry: dict[str, Work]) -> dict[str, tuple[Cite, ...]]:
    """Every `sources:` entry and every condition's `grade.by` names a work in sources.yaml; each file's citations by
    its path in the tree."""
    import difflib

    registries = {_label(e) for e in loader.entries.get(SOURCES, [])}
    rel_of = {f.label: rel for rel, f in loader.files.items()}
    out: dict[str, tuple[Cite, ...]] = {}
    for doc in list(loader.documents):
        if not isinstance(doc.data, dict) or doc.label in registries:
            continue
        cites = doc.data.get("sources")
        if isinstance(cites, list) and doc.label in rel_of:
            out[rel_of[doc.label]] = tuple(
                Cite(id=c, against=False) if isinstance(c, str) else Cite(id=str(c.get("id")), against=c.get("against") is True)
                for c in cites if isinstance(c, str) or (isinstance(c, dict) and isinstance(c.get("id"), str)))
        places = [(("sources", i), c.get("id") if isinstance(c, dict) else c) for i, c in enumerate(cites)] if isinstance(cites, list) else []
        grade = doc.data.get("grade")
        if isinstance(grade, dict) and "by" in grade:
            places.append((("grade", "by"), grade["by"]))
        for path, sid in places:
            if not isinstance(sid, str) or sid in registry or sid in loader.invalid_works:
                continue  # not a string, or a work with problems of its own: reported already
            close = difflib.get_close_matches(sid, list(registry), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            name = "grade.by" if path[0] == "grade" else f"sources[{path[1]}]"
            loader.problems.append(f"{doc.at(path)}: {name}: unknown source {sid!r}; {hint}add the work to {SOURCES} "
                                   f"under that id (authors, title, in, year, doi, type, checked, verified) or fix the id")
    return out


def _brochures(loader: _Loader, conditions: dict[str, Condition]) -> tuple[BrochureText | None, dict[str, BrochureCondition]]:
    """brochures/clinic.yaml and brochures/conditions/ID.yaml (each ID a known condition)."""
    brochure = loader.one("brochures/clinic.yaml", BrochureText, required=False)
    out: dict[str, BrochureCondition] = {}
    for rel in sorted(r for r in loader.entries if r.startswith("brochures/conditions/") and r.count("/") == 2):
        cid = Path(rel).stem
        item = loader.one(rel, BrochureCondition)
        if item is None:
            continue
        if cid not in conditions:
            loader.problems.append(f"{_label(loader.winner(rel))}: no condition {cid!r} under conditions/; name the file after a condition id")
        out[cid] = item
    return brochure, out


# The renderer's QR code (ReportLab, error correction level M, byte mode) holds at most this many bytes
# at its largest version (40); tests/test_robustness.py checks the number against ReportLab.
MAX_BOOKING_URL_BYTES = 2213


def _clinic_at(loader: _Loader, key: str) -> str:
    """`clinic.yaml:LINE` of a clinic field, for messages."""
    entry = loader.winner("clinic.yaml")
    doc = next((d for d in loader.documents if entry and d.label == _label(entry)), None)
    return doc.at((key,)) if doc else "clinic.yaml"


def _check_offers(clinic: Clinic, conditions: dict[str, Condition], loader: _Loader, where: dict[str, str]) -> None:
    """clinic.yaml's `offers:` names conditions the content has; where the setting is, for refusals' messages."""
    for key in ("offers", "languages"):
        where[f"clinic.yaml:{key}"] = _clinic_at(loader, key)
    for i, cid in enumerate(clinic.offers or ()):
        if cid not in conditions:
            import difflib

            close = difflib.get_close_matches(cid, list(conditions), n=1, cutoff=0.6)
            hint = f"did you mean {close[0]!r}? " if close else ""
            loader.problems.append(f"{_clinic_at(loader, 'offers')}: offers[{i}]: no condition {cid!r} under conditions/; {hint}"
                                   f"write condition ids as `handouts list conditions` shows them")


def _check_batch_name(pattern: str, loader: _Loader) -> None:
    """clinic.yaml's batch_name is a --name pattern: the same fields and rules."""
    from .file_names import PatternError, check_pattern

    try:
        check_pattern(pattern)
    except PatternError as exc:
        loader.problems.append(f"{_clinic_at(loader, 'batch_name')}: batch_name: {str(exc).removeprefix('--name: ')}")


MAX_LOGO_BYTES = 5_000_000


def _logo(clinic: Clinic, loader: _Loader) -> bytes | None:
    """Read and vet the clinic logo: a PNG or JPEG of sensible size and shape, or a problem naming the field."""
    entry = loader.winner("clinic.yaml")
    doc = next((d for d in loader.documents if entry and d.label == _label(entry)), None)
    where = doc.at(("logo",)) if doc else "clinic.yaml"
    folder = (entry.path.parent if entry else Path(".")).resolve()
    path = (folder / clinic.logo).resolve()
    if not path.is_relative_to(folder):
        loader.problems.append(f"{where}: logo: {clinic.logo!r} is outside the folder of clinic.yaml; put the logo file beside clinic.yaml")
        return None
    try:
        data = path.read_bytes()
    except OSError as exc:
        loader.problems.append(f"{where}: logo: cannot read {path} ({exc.strerror or exc}); fix the path (relative to clinic.yaml) or remove `logo:`")
        return None
    problem = logo_problem(data, path.name)
    if problem is None:
        return data
    loader.problems.append(f"{where}: logo: {problem}")
    return None


MAX_PHOTO_BYTES = 20_000_000
MIN_PHOTO_SIDE = 300  # pixels: 1 in at 300 ppi, the least a brochure frame is printed at


def _photos(clinic: Clinic, loader: _Loader) -> dict[str, bytes]:
    """Read and vet the brochure photos: usable PNG or JPEG files beside clinic.yaml, one per team member by name."""
    entry = loader.winner("clinic.yaml")
    doc = next((d for d in loader.documents if entry and d.label == _label(entry)), None)
    folder = (entry.path.parent if entry else Path(".")).resolve()
    names = [m.name for m in clinic.team]
    out: dict[str, bytes] = {}
    found = ([(("photos", "clinic"), "photos.clinic", clinic.photos.clinic)] if clinic.photos.clinic is not None else [])
    found += [(("photos", "team", name), f"photos.team.{name}", photo) for name, photo in clinic.photos.team.items()]
    for name in clinic.photos.team:
        if name not in names:
            where = doc.at(("photos", "team", name)) if doc else "clinic.yaml"
            known = ", ".join(repr(n) for n in names) or "none: add them under team:"
            loader.problems.append(f"{where}: photos.team: {name!r} is not in team: (members: {known}); spell the name as team: does")
    if clinic.photos.team:
        for name in names:
            if name not in clinic.photos.team:
                where = doc.at(("photos", "team")) if doc else "clinic.yaml"
                loader.problems.append(f"{where}: photos.team: no photo of {name!r}; add one (each team member has a photo, "
                                       f"or none has)")
    for keys, field_name, photo in found:
        where = doc.at(keys) if doc else "clinic.yaml"
        path = (folder / photo.file).resolve()
        if not path.is_relative_to(folder):
            loader.problems.append(f"{where}: {field_name}.file: {photo.file!r} is outside the folder of clinic.yaml; put the photo beside clinic.yaml")
            continue
        try:
            data = path.read_bytes()
        except OSError as exc:
            loader.problems.append(f"{where}: {field_name}.file: cannot read {path} ({exc.strerror or exc}); fix the path "
                                   f"(relative to clinic.yaml) or remove the photo")
            continue
        problem = photo_problem(data, path.name)
        if problem is not None:
            loader.problems.append(f"{where}: {field_name}.file: {problem}")
            continue
        out[photo.file] = data
    return out


def photo_problem(data: bytes, name: str) -> str | None:
    """Why a photo file cannot be used (size, kind, shape), with the fix; None when it is a usable PNG or JPEG."""
    if len(data) > MAX_PHOTO_BYTES:
        return f"{name} is {len(data):,} bytes; use a photo under 20 MB (a JPEG of 3000 pixels across is plenty)"
    opened = _opened(data, 50_000_000)
    if isinstance(opened, str):
        return f"{name} is not a usable PNG or JPEG image ({opened}); save the photo as JPEG"
    kind, width, height = opened
    if kind not in ("PNG", "JPEG"):
        return f"{name} is a {kind} image; save the photo as JPEG or PNG"
    if min(width, height) < MIN_PHOTO_SIDE:
        return (f"{name} is only {width}×{height} pixels, too few to print sharp (300 ppi); use one at least "
                f"{MIN_PHOTO_SIDE} pixels on its short side, the camera's original rather than a web copy")
    if max(width, height) > 3 * min(width, height):
        return f"{name} is {width}×{height} pixels, too {'tall' if height > width else 'wide'} for a brochure frame; crop it to at most 3 to 1"
    return None


def _opened(data: bytes, max_pixels: int) -> tuple[str, int, int] | str:
    """(format, width, height) of an image file Pillow can read and verify, else why not (for the caller's message)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind, (width, height) = image.format, image.size
            if width * height > max_pixels:
                raise ValueError("too many pixels")
            image.verify()
    except (UnidentifiedImageError, ValueError, OSError, Image.DecompressionBombError) as exc:
        return str(exc)
    return kind, width, height


def logo_problem(data: bytes, name: str) -> str | None:
    """Why a logo file cannot be used (size, kind, shape), with the fix; None when it is a usable PNG or JPEG."""
    if len(data) > MAX_LOGO_BYTES:
        return f"{name} is {len(data):,} bytes; use a logo under 5 MB"
    opened = _opened(data, 25_000_000)
    if isinstance(opened, str):
        return f"{name} is not a usable PNG or JPEG image ({opened}); export the logo as PNG"
    kind, width, height = opened
    if kind not in ("PNG", "JPEG"):
        return f"{name} is a {kind} image; use PNG or JPEG"
    if min(width, height) < 16:
        return f"{name} is only {width}×{height} pixels; use one at least 300 pixels wide"
    if height > width * 3 or width > height * 12:
        return f"{name} is {width}×{height} pixels, too {'tall' if height > width else 'wide'} to fit the header; crop it closer to the mark"
    return None


def _check_rules(rules: Rules, doc: yamlio.Document | None, points: dict[str, Point], aliases: dict[str, str], problems: list[str],
                 techniques: tuple[str, ...] = ()) -> None:
    """Rules may only name flags that rules.yaml declares (or techniques of techniques.yaml) and points the library has."""
    for i, rule in enumerate(rules.rules):
        label = doc.at(("rules", i)) if doc else "rules.yaml"
        for flag in (*rule.when, *rule.when_any):
            if flag not in rules.flags and flag not in techniques:
                problems.append(f"{label}: rules[{i}] ({rule.id}): unknown flag {flag!r}; declare it under `flags:` or fix the name ({', '.join(rules.flags)})")
        for code in rule.refuse.points if rule.refuse else ():
            key = normalise_code(code)
            if key not in points and key not in aliases:
                problems.append(f"{label}: rules[{i}] ({rule.id}): unknown point {code!r}; fix the code")
        if rule.refuse and rule.refuse.allow == "override" and (rule.refuse.targets_points or rule.refuse.allowed_note is None):
            problems.append(f"{label}: rules[{i}] ({rule.id}): `allow: override` refuses the whole visit: it names no points "
                            f"(caution, regions, points) and needs `allowed_note:` (what the sheet says when it is allowed)")
        if rule.refuse and rule.refuse.allow == "per-point" and rule.refuse.targets_points and rule.refuse.allowed_note is None:
            problems.append(f"{label}: rules[{i}] ({rule.id}): a per-point refusal needs `allowed_note:` (what the leaflet says beside an allowed point)")


def _canonical_points(condition: Condition, points: dict[str, Point], aliases: dict[str, str]) -> Condition:
    """Write a condition's point codes in standard form (content may use aliases such as LIV3)."""
    fixed = []
    for cp in condition.points:
        key = normalise_code(cp.code)
        code = key if key in points else aliases.get(key, key)
        fixed.append(cp if cp.code == code else cp.replace(code=code))
    return condition.replace(points=tuple(fixed))
