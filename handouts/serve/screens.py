"""Screens 2 to 4: the front desk's day file, brochures with their proof and preflight, content and sign-off."""

from __future__ import annotations

import base64
import io
import os
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from starlette.formparsers import MultiPartParser
from starlette.requests import Request
from starlette.responses import Response

from ..errors import HandoutError, VisitError
from ..model import LANG_NAMES, LANGS
from .config import MAX_ROWS, MAX_UPLOAD

VISIT_SUFFIXES = (".csv", ".tsv", ".txt", ".yaml", ".yml")


def _library(config):
    from ..library.cache import library

    return library(config.content, config.clinic)


# ---- front desk -------------------------------------------------------------------------------------------


class _InMemory(MultiPartParser):
    """Starlette's parser, keeping an upload (at most 2 MB, checked before) in memory: nothing of it on disk."""

    spool_max_size = MAX_UPLOAD + 1


@dataclass(frozen=True)
class RowResult:
    where: str
    made: str | None  # the file name in the zip
    field: str | None = None
    message: str = ""


def _private_folder() -> tempfile.TemporaryDirectory:
    """A folder only this user can read, in memory where the system has one (/dev/shm), removed after the response."""
    shm = Path("/dev/shm")
    where = str(shm) if shm.is_dir() and os.access(shm, os.W_OK) else None
    return tempfile.TemporaryDirectory(prefix="handouts-serve-", dir=where)


def run_day(config, name: str, data: bytes, fmt: str, record: bool) -> tuple[list[RowResult], dict[str, bytes]]:
    """The batch run on an upload: each row's result and the files made (name -> bytes). Nothing stays on disk."""
    from .. import BatchOptions, Output, run_batch
    from ..deliver.batch import read_visits

    suffix = Path(name).suffix.lower()
    if suffix not in VISIT_SUFFIXES:
        raise VisitError(f"{name}: give the day's visits as a .csv (spreadsheets: File > Save as > CSV UTF-8) or .yaml file")
    if len(data) > MAX_UPLOAD:
        raise VisitError(f"{name}: is {len(data):,} bytes, more than the {MAX_UPLOAD:,} the screen takes; split the day's file")
    stem = re.sub(r"[^\w.-]+", "-", Path(name).stem)[:60] or "visits"
    with _private_folder() as tmp:
        folder = Path(tmp)
        path = folder / f"{stem}{suffix}"
        path.write_bytes(data)
        prefix = str(folder) + os.sep

        def shown(text: str) -> str:
            return text.replace(prefix, "")

        try:
            rows = read_visits(path)
            if len(rows) > MAX_ROWS:
                raise VisitError(f"{path.name}: has {len(rows):,} visits, more than the {MAX_ROWS:,} the screen takes at once; "
                                 "split the day's file")
            options = BatchOptions(out_dir=folder / "out", record=config.record if record else None, content=config.content,
                                   clinic=config.clinic, output=Output(fmt))
            result = run_batch(path, options)
        except HandoutError as exc:
            raise type(exc)(shown(str(exc))) if type(exc) is VisitError else exc from None
        failed = {f.where: f for f in result.failures}
        written = iter(result.written)
        results, files = [], {}
        for row in rows:
            failure = failed.get(row.where)
            if failure is not None:
                results.append(RowResult(shown(row.where), None, failure.field, shown(failure.message)))
                continue
            made = next(written, None)
            if made is None:
                continue
            files[made.name] = made.read_bytes()
            results.append(RowResult(shown(row.where), made.name))
    return results, files


def _zip(files: dict[str, bytes], results: list[RowResult]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in files.items():
            archive.writestr(zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0)), data)
        problems = [f"{r.where}" + (f" ({r.field})" if r.field else "") + f": {r.message}" for r in results if r.made is None]
        if problems:
            archive.writestr(zipfile.ZipInfo("NOT-MADE.txt", date_time=(2020, 1, 1, 0, 0, 0)),
                             ("These rows made no sheet; fix them and upload them again:\n" + "\n".join(problems) + "\n").encode())
    return buffer.getvalue()


async def frontdesk(request: Request, screen) -> Response:
    from .leaflet import printing

    values = {"printing": printing() is not None, "results": None, "error": None, "name": "", "format": "pdf"}
    if request.method == "GET":
        return screen.page(request, "frontdesk.html.j2", **values)
    parser = _InMemory(request.headers, request.stream(), max_files=1, max_fields=10, max_part_size=10_000)
    try:
        form = await parser.parse()
    except Exception:  # not a form upload (a MultiPartException, or a bare POST)
        raise VisitError("send the day's file with the form on this page") from None
    screen.check_token(request, form.get("csrf"))
    upload = form.get("visits")
    action = form.get("action")
    fmt = form.get("format") if form.get("format") in ("pdf", "html") else "pdf"
    values["format"] = fmt
    if upload is None or isinstance(upload, str) or not upload.filename:
        return screen.page(request, "frontdesk.html.j2", status=400, **{**values, "error": "Choose the day's file first."})
    data = await upload.read()
    values["name"] = upload.filename
    if action == "print" and fmt != "pdf":
        return screen.page(request, "frontdesk.html.j2", status=400,
                           **{**values, "error": "The printer takes PDFs: choose “PDFs to print”, then send again."})
    from starlette.concurrency import run_in_threadpool

    try:  # in a thread: the batch's worker processes make the sheets while this process answers other screens
        results, files = await run_in_threadpool(run_day, screen.config, upload.filename, data, fmt,
                                                 record=action in ("zip", "print"))
    except HandoutError as exc:
        return screen.page(request, "frontdesk.html.j2", status=400, **{**values, "error": str(exc)})
    if action == "zip" and files:
        name = f"handouts-{date.today().isoformat()}.zip"
        return Response(await run_in_threadpool(_zip, files, results), media_type="application/zip",
                        headers={"content-disposition": f'attachment; filename="{name}"'})
    if action == "print" and files and printing() is not None:
        jobs = [printing()(data, None, f"handout {i + 1}") for i, data in enumerate(files.values())]
        values["printed"] = jobs
    ok = all(r.made for r in results)
    return screen.page(request, "frontdesk.html.j2", status=200 if ok else 422, **{**values, "results": results})


# ---- brochures --------------------------------------------------------------------------------------------


FORMATS = (("trifold", "Trifold (letter fold)"), ("bifold", "Bifold"), ("rack-card", "Rack card"), ("flyer", "Flyer"))


async def brochures(request: Request, screen) -> Response:
    from ..composition.brochure import THEMES
    from ..design.print_geometry import LengthError, parse_length
    from ..deliver.brochure import build_brochure
    from ..render.pdf.brochure import BrochureOptions

    library = _library(screen.config)
    conditions = sorted(((cid, c.title.get("en", cid)) for cid, c in library.conditions.items()), key=lambda x: x[1])
    values = {"format": "trifold", "condition": "", "lang": "en", "page_size": "letter", "bleed": "0", "marks": "none",
              "colour": "rgb", "theme": ""}  # theme "": as `brochure` without --theme (photo if the clinic has one)
    shown: dict[str, Any] = {"conditions": conditions, "formats": FORMATS, "themes": THEMES, "langs": [(k, LANG_NAMES[k]) for k in LANGS],
                             "errors": {}, "proof": None, "report": None}
    if request.method == "GET":
        return screen.page(request, "brochures.html.j2", values=values, **shown)
    form = await screen.form(request)
    for key in values:
        raw = form.get(key)
        if isinstance(raw, str):
            values[key] = raw.strip()
    choices = {"format": [f for f, _ in FORMATS], "lang": list(LANGS), "page_size": ["letter", "a4"],
               "marks": ["none", "crop", "crop,fold"], "colour": ["rgb", "cmyk"], "condition": ["", *library.conditions],
               "theme": ["", *THEMES]}
    for key, allowed in choices.items():
        if values[key] not in allowed:
            shown["errors"][key] = f"Choose one from the list ({values[key]!r} is not one)"
    try:
        bleed = parse_length(values["bleed"] or "0", "bleed")
    except LengthError as exc:
        shown["errors"]["bleed"] = str(exc).split(": ", 1)[1]
    if shown["errors"]:
        return screen.page(request, "brochures.html.j2", status=400, values=values, **shown)
    options = BrochureOptions(format=values["format"], page_size=values["page_size"], bleed=bleed, marks=values["marks"],
                              colour=values["colour"], theme=values["theme"])
    action = form.get("action")
    try:
        made = build_brochure(values["condition"] or None, options, lang=values["lang"], content=screen.config.content,
                              clinic=screen.config.clinic, proof=action != "pdf")
    except HandoutError as exc:
        shown["errors"]["form"] = str(exc)
        return screen.page(request, "brochures.html.j2", status=400, values=values, **shown)
    if action == "pdf":
        name = f"{values['condition'] or 'clinic'}-{values['format']}-{values['lang']}.pdf"
        return Response(made.pdf, media_type="application/pdf", headers={"content-disposition": f'attachment; filename="{name}"'})
    shown["proof"] = base64.b64encode(made.proof).decode("ascii") if made.proof else None
    shown["report"] = made.report
    return screen.page(request, "brochures.html.j2", values=values, **shown)


# ---- content and sign-off ---------------------------------------------------------------------------------


def _status(config):
    from ..library.approvals import approval_status
    from ..library.load import content_roots

    return approval_status(content_roots(config.content))


def _file_rows(status) -> list[dict[str, Any]]:
    rows = []
    from ..library.approvals import NOT_REVIEWED

    for rel in sorted(status.digests):
        if rel in NOT_REVIEWED:
            continue
        a = status.approvals.get(rel)
        if status.approved(rel):
            state, text = "approved", f"approved by {a.by} on {a.on}"
        elif a is not None:
            state, text = "changed", f"changed since {a.by} approved it on {a.on}"
        else:
            state, text = "never", "never approved"
        rows.append({"file": rel, "state": state, "text": text})
    return rows


async def content(request: Request, screen, message: str = "") -> Response:
    status = _status(screen.config)
    library = _library(screen.config)
    conditions = sorted(((cid, c.title.get("en", cid)) for cid, c in library.conditions.items()), key=lambda x: x[1])
    return screen.page(request, "content.html.j2", rows=_file_rows(status), folder=status.folder, conditions=conditions,
                       message=message)


def _walk(value: Any, key: str = "") -> list[dict[str, Any]]:
    """A content file as rows a reader can follow: a heading per key, the three languages side by side."""
    rows: list[dict[str, Any]] = []
    if isinstance(value, dict) and value and set(value) <= set(LANGS):
        rows.append({"kind": "texts", "key": key, "texts": [(lang, str(value.get(lang, ""))) for lang in LANGS]})
    elif isinstance(value, dict):
        if key:
            rows.append({"kind": "key", "key": key})
        for k, v in value.items():
            rows += _walk(v, f"{key} › {k}" if key else str(k))
    elif isinstance(value, list):
        for i, v in enumerate(value, 1):
            rows += _walk(v, f"{key} {i}")
    elif value is not None:
        rows.append({"kind": "value", "key": key, "value": str(value)})
    return rows


CONTEXT_WORDS = 12  # words of unchanged text kept on each side of a change


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """(kind, text) pieces from `old` to `new`, word by word: same, gone, added; long unchanged runs shortened."""
    import difflib

    a, b = re.findall(r"\s+|[^\s]+", old), re.findall(r"\s+|[^\s]+", new)
    keep = 2 * CONTEXT_WORDS  # tokens: a word and the space after it
    codes = difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes()
    pieces: list[tuple[str, str]] = []
    for n, (op, i1, i2, j1, j2) in enumerate(codes):
        if op != "equal":
            if i2 > i1:
                pieces.append(("gone", "".join(a[i1:i2])))
            if j2 > j1:
                pieces.append(("added", "".join(b[j1:j2])))
            continue
        run = a[i1:i2]
        first, last = n == 0, n == len(codes) - 1
        if len(codes) == 1:
            pieces.append(("same", "".join(run)))  # nothing changed
        elif first and len(run) > keep:
            pieces += [("skip", "… "), ("same", "".join(run[-keep:]))]
        elif last and len(run) > keep:
            pieces += [("same", "".join(run[:keep])), ("skip", " …")]
        elif not first and not last and len(run) > 2 * keep:
            pieces += [("same", "".join(run[:keep])), ("skip", " … "), ("same", "".join(run[-keep:]))]
        else:
            pieces.append(("same", "".join(run)))
    return [p for p in pieces if p[1]]


def _changes(status, rel: str, now: Path) -> list[tuple[str, str]] | None:
    """What changed in `rel` since its approval, if the approved text was kept (None: approved before copies were
    kept). The copies are the ones every approval keeps, on this screen or with `handouts approve`."""
    from ..library.approvals import approved_copy

    old = status.approvals.get(rel)
    if old is None or status.folder is None:
        return None
    kept = approved_copy(status.folder, old.sha256)
    if kept is None:
        return None
    return word_diff(kept[-1], now.read_text("utf-8", "replace"))


async def content_file(request: Request, screen) -> Response:
    from ..library import yamlio

    rel = request.query_params.get("path", "")
    library = _library(screen.config)
    status = _status(screen.config)
    source = library.files.get(rel)
    if source is None or rel not in status.digests:
        raise VisitError(f"{rel!r} is not one of the content files; pick one from the list on the Content screen")
    doc = yamlio.read(Path(source.root) / rel, rel)
    row = next((r for r in _file_rows(status) if r["file"] == rel), None)
    changes = _changes(status, rel, Path(source.root) / rel) if row and row["state"] == "changed" else None
    return screen.page(request, "content_file.html.j2", file=rel, rows=_walk(doc.data), approval=row, changes=changes,
                       langs=[(k, LANG_NAMES[k]) for k in LANGS], folder=status.folder)


async def approve(request: Request, screen) -> Response:
    from ..deliver.signoff import approve as record

    form = await screen.form(request)
    by = form.get("by") if isinstance(form.get("by"), str) else ""
    kind = form.get("kind")
    what = ""
    if kind == "file":
        files = [str(form.get("file") or "")]
    elif kind == "brochure":  # as `handouts approve --brochure NAME`: clinic, or a condition
        from ..deliver.signoff import signoff_for

        signoff = signoff_for("brochure", str(form.get("brochure") or ""), screen.config.content, screen.config.clinic)
        files, what = list(signoff.files), f", everything {signoff.title} uses"
    elif kind == "sheet":  # as `handouts approve --sheet CONDITION`: the same files
        from ..deliver.signoff import signoff_for

        library = _library(screen.config)
        cid = str(form.get("condition") or "")
        if cid not in library.conditions:
            raise VisitError(f"{cid!r} is not a condition; pick one from the list")
        files = list(signoff_for("sheet", cid, screen.config.content, screen.config.clinic).files)
    else:
        raise VisitError("choose a file, a sheet or a brochure to approve")
    from starlette.concurrency import run_in_threadpool

    def signed() -> list:  # under approvals.json's lock (deliver/signoff.py), in a thread: other requests go on
        return record(files, by, screen.config.content)

    done = await run_in_threadpool(signed)
    text = (f"Approved {len(done)} file{'s' * (len(done) != 1)} as {done[0].by} on {done[0].on}{what}: "
            f"{', '.join(a.file for a in done)}")
    return await content(request, screen, message=text)
