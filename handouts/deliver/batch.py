"""`handouts batch`: read a visits file (CSV or YAML), make one handout per row, in parallel, each row on its own."""

from __future__ import annotations

import csv
import io
import os
import pickle
import re
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, ContextManager

from ..library import file_names, yamlio
from .. import tempfiles
from ..errors import (
    ContentError,
    HandoutError,
    OutputError,
    SafetyError,
    UnknownConditionError,
    UnknownPointError,
    VisitError,
    VisitErrors,
)
from .leaflet import Leaflet, Output, make_handout
from ..model import Library
from ..files import write_file
from .record import RecordLog
from ..composition.visit import FIELDS, Visit, make_visit

MAX_BYTES = 10_000_000
# Below this many handouts, the default is to make them in-process: a worker takes about 0.8 s to start
# and a handout about 0.12 s, so two workers only win from about a dozen handouts on (bench/batch.py).
MIN_PARALLEL = 12
# Other spellings of the column names that spreadsheets tend to have (after lower-casing, spaces to _).
ALIASES = {
    "patient_name": "patient",
    "practitioner_name": "practitioner",
    "acupuncturist": "practitioner",
    "visit_date": "date",
    "point": "points",
    "points_used": "points",
    "acupoints": "points",
    "treatment_plan": "plan",
    "start_date": "start",
    "plan_start": "start",
    "flag": "flags",
    "technique": "techniques",
    "language": "lang",
    "largeprint": "large_print",
    "page": "page_size",
    "paper": "page_size",
    "paper_size": "page_size",
    "pagesize": "page_size",
}


# ---- reading ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    """One visit from the file: plain values by field name, and where it came from."""

    where: str  # "visits.csv row 4" or "visits.yaml:12", the prefix of every message about it
    fields: dict[str, Any]
    problem: tuple[str, str] | None = None  # (field, message) found while reading, e.g. a stray cell


def column_name(raw: str) -> str | None:
    """The Visit field a header means ("Large Print", "large-print" -> large_print), or None."""
    key = re.sub(r"[\s\-]+", "_", raw.strip().lower()).strip("_")
    key = ALIASES.get(key, key)
    return key if key in FIELDS else None


def _columns_hint() -> str:
    return ", ".join(FIELDS)


def _letter(index: int) -> str:
    """Spreadsheet column letter for a 0-based index: 0 -> A, 26 -> AA."""
    out = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        out = chr(65 + rest) + out
    return out


def _read_text(path: Path, label: str) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise VisitError(f"{label}: cannot be read ({exc.strerror or exc}); check the file exists and is readable") from None
    if len(raw) > MAX_BYTES:
        raise VisitError(f"{label}: is {len(raw):,} bytes, more than the {MAX_BYTES:,} a visits file may have; split it")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise VisitError(f"{label}: line {line}: is not UTF-8 text; in your spreadsheet save as \"CSV UTF-8\"") from None


def read_csv(path: Path, label: str | None = None) -> list[Row]:
    """Rows of a CSV as spreadsheets export it (BOM or not, CRLF, quoted newlines, ',' ';' or tab).

    Row numbers count as the spreadsheet does: the header is row 1. Empty rows are skipped.
    A header that is not a visit field stops the whole file, before anything is made.
    """
    label = label or str(path)
    text = _read_text(path, label)
    first = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first.count) if first.strip() else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    records: list[list[str]] = []
    spans: list[tuple[int, int]] = []  # the physical lines (first, last) of each record
    try:
        for cells in reader:
            spans.append((spans[-1][1] + 1 if spans else 1, reader.line_num))
            records.append(cells)
    except csv.Error as exc:
        raise VisitError(f"{label}: line {reader.line_num}: {exc}; check the quotes on that line") from None
    if records:
        _check_quotes(text, records, spans, delimiter, label)

    header_at = next((i for i, cells in enumerate(records) if any(c.strip() for c in cells)), None)
    if header_at is None:
        raise VisitError(f"{label}: is empty; the first row names the columns ({_columns_hint()}), one visit per row after it")
    columns: list[str | None] = []
    seen: dict[str, str] = {}
    for i, raw in enumerate(records[header_at]):
        if not raw.strip():
            columns.append(None)
            continue
        name = column_name(raw)
        if name is None:
            raise VisitError(f"{label}: row {header_at + 1}: column {_letter(i)} {raw.strip()!r} is not a visit field; "
                             f"the columns are {_columns_hint()} (see README)")
        if name in seen:
            raise VisitError(f"{label}: row {header_at + 1}: columns {seen[name]} and {_letter(i)} both mean {name!r}; keep one")
        seen[name] = _letter(i)
        columns.append(name)
    if "condition" not in seen:
        raise VisitError(f"{label}: row {header_at + 1}: there is no condition column; add one (e.g. hip-pain in each row)")

    rows = []
    for number, cells in enumerate(records[header_at + 1:], start=header_at + 2):
        if not any(c.strip() for c in cells):
            continue
        where = f"{label} row {number}"
        data: dict[str, Any] = {}
        problem = None
        for i, cell in enumerate(cells):
            name = columns[i] if i < len(columns) else None
            if name is not None:
                data[name] = cell
            elif cell.strip() and problem is None:
                problem = (f"column {_letter(i)}", "has a value but no header; add the header or delete the value")
        rows.append(Row(where, data, problem))
    return rows


_DATE = re.compile(r"\s*(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}([/.-])\d{1,2}\1(?:\d{4}|\d{2})|\d{5})\s*$")  # as visit.parse_date reads
_SLUG = re.compile(r"\s*[A-Za-z0-9]+(?:[-_ ][A-Za-z0-9]+)*\s*$")


def _check_quotes(text: str, records: list[list[str]], spans: list[tuple[int, int]], delimiter: str, label: str) -> None:
    """A stray quote must not swallow rows: refuse a quote never closed, or one whose cell runs over lines that look like rows.

    A quoted cell with line breaks (a note typed over several lines) is fine; a cell whose inner lines
    have a whole row's cells, with a date (or a condition id) in the right column, is a stray quote.
    """
    lines = io.StringIO(text, newline="").readlines()
    header = next((cells for cells in records if any(c.strip() for c in cells)), [])
    names = [column_name(c) if c.strip() else None for c in header]
    width = sum(1 for n in names if n)
    key, pattern = (names.index("date"), _DATE) if "date" in names else (names.index("condition"), _SLUG) if "condition" in names else (None, None)
    for first, last in spans:
        if first == last and last < len(lines):
            continue
        opened, inside, swallowed = first, False, []
        for number in range(first, last + 1):
            line = lines[number - 1]
            if inside:
                cells = next(csv.reader([line.rstrip("\r\n")], delimiter=delimiter), [])
                if len(cells) >= width and key is not None and key < len(cells) and pattern.match(cells[key]):
                    swallowed.append(number)
            before = inside
            inside = _ends_inside_quote(line, delimiter, inside)
            if inside and not before:
                opened = number
        if inside:
            raise VisitError(f"{label}: line {opened}: a quote (\") opens here and is never closed, so the rest of the file "
                             "would be read as one cell; remove the stray quote or add the closing one")
        if swallowed:
            rows = f"line {swallowed[0]}" if len(swallowed) == 1 else f"lines {swallowed[0]}-{swallowed[-1]}"
            raise VisitError(f"{label}: line {opened}: a quote (\") opens here and closes only on line {last}, so the visits on "
                             f"{rows} would be read as part of one cell; remove the stray quote or close it on line {opened}")


def _ends_inside_quote(line: str, delimiter: str, inside: bool) -> bool:
    """Whether a physical line ends inside a quoted cell, as csv reads it (a quote opens a cell only at its start)."""
    start, i = not inside, 0
    while i < len(line):
        ch = line[i]
        if inside:
            if ch == '"':
                if line[i + 1:i + 2] == '"':
                    i += 1  # a doubled quote is a literal one
                else:
                    inside = False
        elif ch == '"' and start:
            inside = True
        start = not inside and ch == delimiter
        i += 1
    return inside


def read_yaml(path: Path, label: str | None = None) -> list[Row]:
    """Visits from a YAML list of mappings with the same fields as the CSV columns; places are `file:line`."""
    label = label or str(path)
    try:
        doc = yamlio.read(path, label)
    except ContentError as exc:
        raise VisitError(exc.problems[0]) from None
    if doc.data is None:
        raise VisitError(f"{label}: is empty; list one visit per entry (- condition: hip-pain ...)")
    if not isinstance(doc.data, list):
        raise VisitError(f"{doc.at()}: a visits file is a list, one entry per visit (- condition: hip-pain, then its fields)")
    rows = []
    for i, item in enumerate(doc.data):
        where = doc.at((i,))
        if item is None or item == {}:
            continue
        if not isinstance(item, dict):
            raise VisitError(f"{where}: each visit is a mapping of fields (condition: hip-pain, patient: ...), found {type(item).__name__}")
        data: dict[str, Any] = {}
        for key, value in item.items():
            name = column_name(str(key))
            if name is None or name in data:
                what = "is not a visit field" if name is None else f"repeats {name!r}"
                raise VisitError(f"{doc.at((i, key))}: {str(key)!r} {what}; the fields are {_columns_hint()}")
            data[name] = value
        rows.append(Row(where, data))
    return rows


def read_visits(path: Path) -> list[Row]:
    """The rows of a .csv (also .tsv, .txt) or .yaml visits file."""
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        return read_yaml(path)
    if suffix in (".csv", ".tsv", ".txt"):
        return read_csv(path)
    raise VisitError(f"{path}: give a .csv or .yaml visits file (spreadsheets: File > Save as > CSV UTF-8)")


# ---- one row's result ---------------------------------------------------------------------


@dataclass(frozen=True)
class RowFailure:
    """Why one row made no handout: its place, the field at fault (if one is), and the fix."""

    where: str
    field: str | None
    message: str

    def __str__(self) -> str:
        return f"{self.where} ({self.field}): {self.message}" if self.field else f"{self.where}: {self.message}"


_FIELD_PREFIX = re.compile(r"([a-z][a-z_]*): ")
_OPTION = re.compile(r"--([a-z][a-z-]*)")
_OPTION_FIELDS = {"flag": "flags", "technique": "techniques"}  # command-line options whose field name differs


def _option_field(option: str) -> str | None:
    name = _OPTION_FIELDS.get(option, option.replace("-", "_"))
    return name if name in FIELDS else None


def redact(text: str, patient: Any) -> str:
    """`text` with the patient's name and each word of it replaced, in any case: names never reach a message.

    The name may turn up anywhere (typed into the flags or points column, quoted back by any field's error).
    """
    if isinstance(patient, (int, float)) and not isinstance(patient, bool):
        patient = str(patient)
    if not isinstance(patient, str) or not patient.strip():
        return text
    from ..markup import clean

    words = {patient.strip(), *patient.split(), clean(patient), *clean(patient).split()}
    for word in sorted((w for w in words if len(w) >= 2), key=len, reverse=True):
        text = re.sub(r"(?<!\w)" + re.escape(word) + r"(?!\w)", "[patient]", text, flags=re.IGNORECASE)
    return text


def failure(where: str, exc: HandoutError, patient: Any) -> RowFailure:
    """A row's failure from the error a field or the content raised: the field split out, options named as columns."""
    text = str(exc)
    if text.startswith(where + ": "):
        text = text[len(where) + 2:]
    name = None
    option = _OPTION.match(text)
    prefix = _FIELD_PREFIX.match(text)
    if option and _option_field(option.group(1)):  # a message written for the command line, e.g. "--flag: ..."
        name = _option_field(option.group(1))
        text = text[option.end():].lstrip(": ")
    elif prefix and prefix.group(1) in FIELDS:
        name = prefix.group(1)
        text = text[prefix.end():]
    elif isinstance(exc, UnknownConditionError):
        name = "condition"
    elif isinstance(exc, (UnknownPointError, SafetyError)):
        name = "points"
    text = _OPTION.sub(lambda m: f"`{_option_field(m.group(1))}`" if _option_field(m.group(1)) else m.group(0), text)
    return RowFailure(where, name, redact(text, patient))


def failures_of(where: str, exc: HandoutError, patient: Any) -> list[RowFailure]:
    """A row's failures from an error that may hold several (VisitErrors: one per field), in field order."""
    return [failure(where, e, patient) for e in (exc.errors if isinstance(exc, VisitErrors) else (exc,))]


def content_problems(library: Library, fields: dict[str, Any], where: str, known: set[str | None]) -> list[RowFailure]:
    """What the content says about a row's condition and points (unknown, misspelt), unless `known` already names
    that field: so a row with a bad date and a misspelt condition reports both at once."""
    from ..composition.leaflet import resolve_points
    from ..composition.offers import find_condition
    from ..composition.visit import point_codes

    patient = fields.get("patient")
    out = []
    condition = fields.get("condition")
    if "condition" not in known and isinstance(condition, str) and condition.strip():
        try:
            find_condition(library, condition)
        except HandoutError as exc:
            out.append(failure(where, exc, patient))
    if "points" not in known:
        try:
            codes = point_codes(fields.get("points"), f"{where}: points")
            if codes:
                resolve_points(library, codes, f"{where}: points")
        except HandoutError as exc:
            out.append(failure(where, exc, patient))
    return out


def attempt(library: Library, where: str, visit: Visit, output: Output = Output()) -> Leaflet | RowFailure:
    """Compose and render one visit; any error becomes that row's failure, never an exception."""
    from ..library.cache import DiskMemo

    try:
        return make_handout(library, visit, where, output)
    except HandoutError as exc:
        return failure(where, exc, visit.patient)
    except Exception as exc:  # a bug, not bad input: say so, without its text (it may quote the patient)
        return RowFailure(where, None, f"internal error ({type(exc).__name__}) while making this handout; "
                                       "please report it with the row's condition, points and language")
    finally:
        DiskMemo.flush_all()  # the layout decisions this sheet searched, written once a sheet (DiskMemo.deferred)


# ---- running ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BatchOptions:
    """How to run a batch; shared by the CLI and the API."""

    out_dir: Path
    pattern: str | None = None  # None: the clinic profile's batch_name, else file_names.DEFAULT_PATTERN
    jobs: int | None = None  # None: one per CPU
    force: bool = False
    record: Path | None = None
    content: Path | None = None
    clinic: Path | None = None
    output: Output = Output()  # the format of every file (and its suffix), and --title-name


@dataclass(frozen=True)
class BatchResult:
    """What a batch did: files written and files already made (in row order), rows that failed (each problem of a
    row in its own RowFailure, in row order), and the sheets that printed as drafts."""

    source: str
    rows: int
    written: tuple[Path, ...]
    failures: tuple[RowFailure, ...]
    out_dir: Path
    jobs: int = 1
    recorded: tuple[Path, ...] = ()  # already made files that no record line had (a killed run), recorded by this run
    already: tuple[Path, ...] = ()  # files that exist with the very bytes their row makes: done, left as they are
    drafts: tuple[tuple[str, int, tuple[str, ...]], ...] = ()  # (condition, sheets, files not approved) of draft sheets
    sheets: tuple[tuple[str, str, Path], ...] = ()  # (row, print-queue title without the patient, file) of each written

    @property
    def ok(self) -> bool:
        return not self.failures

    @property
    def failed_rows(self) -> int:
        return len({f.where for f in self.failures})

    def summary(self) -> str:
        """"5 of 5 ready (wrote 1 handout to DIR, 4 already made); 0 failed", then one line per problem of a failed row."""
        ready = len(self.written) + len(self.already)
        parts = [f"wrote {len(self.written)} handout{'s' if len(self.written) != 1 else ''} to {self.out_dir}"]
        if self.already:
            parts.append(f"{len(self.already)} already made")
        head = f"{ready} of {self.rows} ready ({', '.join(parts)}); {self.failed_rows} failed"
        if self.recorded:
            n = len(self.recorded)
            head += (f"; recorded {n} handout{'s' if n != 1 else ''} that an earlier run wrote but did not record "
                     "(the file{} the same bytes this run would write)".format(" has" if n == 1 else "s have"))
        if self.ok:
            return head
        return "\n".join([head + ":", *(f"  {f}" for f in self.failures)])


def draft_note(files: tuple[str, ...], approve: str, sheets: str = "") -> str:
    """Why a sheet printed as a draft, for the command's own output (stderr): "printed as a draft: 10 content files
    not approved as they are now (a, b, c, ...); have your clinician approve them, with the other files such a sheet
    may use: APPROVE". `sheets` says which sheets, e.g. "3 hip-pain sheets". (`approve --sheet` also lists the files
    of the condition's optional points and of techniques, so it names more files than this sheet's.)"""
    n = len(files)
    shown = ", ".join(files[:3]) + (", ..." if n > 3 else "")
    what = f"{sheets}: " if sheets else ""
    return (f"printed as a draft: {what}{n} content file{'s' if n != 1 else ''} not approved as "
            f"{'they are' if n != 1 else 'it is'} now ({shown}); have your clinician approve them, with the other files such a sheet may use: {approve}")


class _Progress:
    def update(self, n: int) -> None:
        pass


ProgressFactory = Callable[[int], ContextManager[Any]]


def default_jobs() -> int:
    """The CPUs this process may use."""
    if hasattr(os, "process_cpu_count"):
        return os.process_cpu_count() or 1
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0)) or 1
    return os.cpu_count() or 1


def run_batch(visits_file: str | os.PathLike, options: BatchOptions, progress: ProgressFactory | None = None) -> BatchResult:
    """Make a handout for every row of a visits file into options.out_dir; one bad row never stops the others.

    File-level problems (unreadable file, unknown column, broken content, --record not writable) raise
    before anything is made. `progress(total)` gives a context manager whose `update(1)` is called per row.
    """
    from ..library import cache  # the library is read once, here (from the disk cache while no file changed), and handed to every worker

    deferred, cache.DiskMemo.deferred = cache.DiskMemo.deferred, True  # layout memos written once a sheet (attempt)
    try:
        return _run_batch(visits_file, options, progress)
    finally:
        cache.DiskMemo.deferred = deferred


def _run_batch(visits_file: str | os.PathLike, options: BatchOptions, progress: ProgressFactory | None) -> BatchResult:
    from ..library import cache

    path = Path(visits_file)
    if options.pattern is not None:
        file_names.check_pattern(options.pattern)
    if options.output.format != "pdf":  # only another format may need an extra; importing the check loads the
        from ..render.formats import require  # renderer, which a batch with workers never uses in this process

        require(options.output.format)
    rows = read_visits(path)
    if not rows:
        raise VisitError(f"{path}: has no visits; add one row per visit under the header")
    library = cache.library(options.content, clinic=options.clinic)
    pattern = file_names.check_pattern(options.pattern or library.clinic.batch_name or file_names.DEFAULT_PATTERN)
    log = RecordLog(options.record).check() if options.record else None  # fail now, before anything is made
    out_dir = _prepare_dir(options.out_dir)
    tempfiles.clean(out_dir)  # temp files a killed run left, each holding a patient's PDF
    # the workers start (imports, fonts) while the rows are read and checked; fewer may be used if rows fail
    starting = _jobs(options, len(rows))
    pools = start_pools(library, starting) if starting > 1 else None

    try:  # the rows are checked while the workers start; a problem that stops the batch stops them too
        failures: dict[int, list[RowFailure]] = {}
        visits: dict[int, Visit] = {}
        for i, row in enumerate(rows):  # every problem of a row at once: its cells, its fields, its condition and points
            patient = row.fields.get("patient")
            problems = [RowFailure(row.where, *row.problem)] if row.problem else []
            try:
                visit = make_visit(row.fields, row.where, library.clinic)
            except HandoutError as exc:
                problems += failures_of(row.where, exc, patient)
            else:
                if not problems:
                    visits[i] = visit
            problems += content_problems(library, row.fields, row.where, {f.field for f in problems})
            if problems:
                visits.pop(i, None)
                failures[i] = problems

        targets = _plan_names(rows, visits, library, pattern, out_dir, _suffix(options.output.format))
        todo: list[tuple[int, str, Visit]] = []
        existing: set[int] = set()  # made again and compared: the same bytes are "already made", others need --force
        for i, visit in visits.items():
            if not options.force and os.path.lexists(targets[i]):
                existing.add(i)
            todo.append((i, rows[i].where, visit))
        recorded_hashes = log.hashes() if log is not None and existing else set()
    except BaseException:
        _shut_down(pools or [])
        raise

    jobs = _jobs(options, len(todo))
    written: dict[int, Path] = {}
    already: dict[int, Path] = {}
    titles: dict[int, str] = {}
    recovered: dict[int, Path] = {}
    drafts: dict[str, tuple[int, set[str]]] = {}
    with (progress or (lambda n: nullcontext(_Progress())))(len(todo)) as bar:
        for i, made in _results(library, todo, jobs, options.output, pools):
            if isinstance(made, RowFailure):
                failures[i] = [made]
            elif i in existing:
                outcome = _compare(made, targets[i], rows[i].where, out_dir, log, recorded_hashes)
                if isinstance(outcome, RowFailure):
                    failures[i] = [outcome]
                else:
                    already[i] = targets[i]
                    if outcome == "recorded":
                        recovered[i] = targets[i]
            else:
                problem = _deliver(made, targets[i], rows[i].where, options.force, log)
                if problem is None:
                    written[i] = targets[i]
                    titles[i] = queue_title(made.condition, rows[i].where)
                else:
                    failures[i] = [problem]
            if not isinstance(made, RowFailure) and made.unapproved and (i in written or i in already):
                sheets, files = drafts.get(made.condition, (0, set()))
                drafts[made.condition] = (sheets + 1, files | set(made.unapproved))
            bar.update(1)
    return BatchResult(source=str(path), rows=len(rows), written=tuple(written[i] for i in sorted(written)),
                       failures=tuple(f for i in sorted(failures) for f in failures[i]), out_dir=out_dir, jobs=jobs,
                       recorded=tuple(recovered[i] for i in sorted(recovered)),
                       already=tuple(already[i] for i in sorted(already)),
                       drafts=tuple((c, n, tuple(sorted(files))) for c, (n, files) in sorted(drafts.items())),
                       sheets=tuple((rows[i].where, titles[i], written[i]) for i in sorted(written)))


def _jobs(options: BatchOptions, rows: int) -> int:
    """How many worker processes for this many rows to make (1: in this process)."""
    if options.jobs is None and rows < MIN_PARALLEL:
        return 1  # starting a worker (imports, fonts) costs more than a few handouts take
    return max(1, min(options.jobs or default_jobs(), rows))


def queue_title(condition: str, where: str) -> str:
    """A sheet's title in the print queue, which anyone can see: the condition and row number, never the patient."""
    row, line = re.search(r" row (\d+)$", where), re.search(r":(\d+)$", where)
    return f"handouts leaflet {condition}" + (f" (row {row.group(1)})" if row else f" (line {line.group(1)})" if line else "")


def _prepare_dir(out_dir: Path) -> Path:
    if out_dir.exists() and not out_dir.is_dir():
        raise OutputError(f"--out-dir {out_dir}: is a file; give a folder for the handouts")
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"--out-dir {out_dir}: cannot be created ({exc.strerror}); choose a folder you can write to") from None
    return out_dir


def _suffix(fmt: str) -> str:
    from ..render.formats import SUFFIXES

    return SUFFIXES[fmt]


def _plan_names(rows: list[Row], visits: dict[int, Visit], library: Library, pattern: str, out_dir: Path,
                suffix: str = ".pdf") -> dict[int, Path]:
    """Each valid row's output path, in row order, unique, always directly inside out_dir."""
    from ..composition.offers import find_condition

    stems: list[str | None] = [None] * len(rows)
    for i, visit in visits.items():
        try:
            cid, _ = find_condition(library, visit.condition)
        except UnknownConditionError:
            cid = visit.condition
        number = re.search(r"(\d+)$", rows[i].where)
        stems[i] = file_names.fill(pattern, {
            "date": visit.date.isoformat(), "patient": visit.patient, "condition": cid,
            "practitioner": visit.practitioner, "lang": visit.lang, "row": number.group(1) if number else str(i + 1),
        })
    targets = {}
    for i, stem in enumerate(file_names.unique(stems)):
        if stem is not None:
            target = out_dir / f"{stem}{suffix}"
            assert target.parent == out_dir and os.sep not in stem and (os.altsep or os.sep) not in stem
            targets[i] = target
    return targets




def _deliver(made: Leaflet, target: Path, where: str, force: bool, log: RecordLog | None) -> RowFailure | None:
    """Write the PDF, then its record line; a problem is that row's failure."""
    from ..files import FileExists
    from .record import entry

    try:
        write_file(made.data, target, replace=force, label="its file")
    except FileExists:
        return RowFailure(where, "output", "its file appeared in the folder meanwhile; use --force to replace it")
    except OutputError as exc:
        return RowFailure(where, "output", str(exc))
    if log is not None:
        try:
            log.append(entry(made, target, source=where, command="batch"))
        except OutputError as exc:
            return RowFailure(where, "record", f"the handout was written but not recorded: {exc}")
    return None


def _compare(made: Leaflet, target: Path, where: str, out_dir: Path, log: RecordLog | None,
             hashes: set[str]) -> str | RowFailure:
    """A file already at the row's name: "same" if it holds exactly what this row makes (and, with --record, a record
    line has it), "recorded" if it does and no line had it (a killed run: recorded now, never twice); else the row's
    failure, as only a file that would change needs --force."""
    import hashlib

    from .record import entry

    try:
        fd = os.open(target, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))
        with os.fdopen(fd, "rb") as handle:
            same = handle.read(len(made.data) + 1) == made.data
    except OSError:
        same = False
    if not same:
        return RowFailure(where, "output", f"its file exists in {out_dir} and differs from what this row makes now; "
                                           "use --force to replace it")
    digest = hashlib.sha256(made.data).hexdigest()
    if log is None or digest in hashes:
        return "same"
    try:
        log.append(entry(made, target, source=where, command="batch"))
    except OutputError as exc:
        return RowFailure(where, "record", f"its file was written by an earlier run but could not be recorded: {exc}")
    hashes.add(digest)
    return "recorded"


def start_pools(library: Library, jobs: int) -> list[ProcessPoolExecutor]:
    """One single-process pool per worker, each worker already starting (its imports and fonts: _warm) while the
    caller reads the rest of the visits file; hand them to _results, which shuts them down.

    One pool per worker, so that a sheet goes to the worker that made its kind before (_share): each worker's memos
    (the fit, the map, the urgent box's columns, paragraphs) then serve its own kinds only, as one process's do,
    instead of every worker laying out every kind of a mixed day afresh. spawn: no forked copies of the parent's
    threads or locks, and the same on every OS. The worker starts in a light module and unpickles the library itself,
    after making its imports lighter (deliver/lean.py)."""
    library_bytes = pickle.dumps(library, pickle.HIGHEST_PROTOCOL)
    return [_start_pool(library_bytes) for _ in range(jobs)]


def _start_pool(library_bytes: bytes) -> ProcessPoolExecutor:
    """A single-process pool whose worker is starting: its first job (_warm) starts the process."""
    import multiprocessing

    from .lean import start_worker

    pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"), initializer=start_worker,
                               initargs=(library_bytes,))
    pool.submit(_warm)
    pool.library_bytes = library_bytes  # type: ignore[attr-defined]  # for the process that takes over (_results)
    return pool


def _warm() -> None:
    """A worker's first job: what its first sheet would load anyway (the renderer's modules, the base fonts)."""
    from ..design.fonts import register
    from ..design.styles import sheet
    from ..render.formats import render  # noqa: F401
    from ..composition.leaflet import compose  # noqa: F401

    fonts = sheet()["fonts"]
    for chain in ("regular", "bold"):
        for name in fonts["chains"][chain][:3]:  # Atkinson, Noto Sans, the hanzi cut: what every sheet draws with
            register(name, fonts["files"][name])


def _results(library: Library, todo: list[tuple[int, str, Visit]], jobs: int, output: Output = Output(),
             pools: list[ProcessPoolExecutor] | None = None):
    """(row index, Leaflet or RowFailure) for each job, as each finishes; jobs > 1 uses worker processes (`pools`:
    start_pools's, started early; else started here). Every pool given is shut down at the end, used or not."""
    if jobs <= 1:
        try:
            for i, where, visit in todo:
                yield i, attempt(library, where, visit, output)
        finally:
            _shut_down(pools or [])  # started, not needed: each ends once its first job (_warm) is done
        return
    from collections import deque
    from concurrent.futures.process import BrokenProcessPool

    pools = pools or start_pools(library, jobs)
    spares, pools = pools[jobs:], pools[:jobs]  # started for rows that failed their checks: shut down at the end
    queues = [deque(rows) for rows in _share(todo, jobs)]
    # A few jobs in flight per worker, and each future dropped once its result is taken: a future keeps its
    # result (the whole PDF), so holding them all made the parent grow by every handout of the batch.
    in_flight = [0] * jobs
    made = [0] * jobs  # sheets given to each worker's current process
    retired: list[ProcessPoolExecutor] = []  # pools whose process made SHEETS_PER_PROCESS: ending after their last jobs
    running: dict[Any, tuple[int, str, int, ProcessPoolExecutor]] = {}
    broken_pools: set[int] = set()
    broken = RowFailure("", None, "a worker process stopped unexpectedly (out of memory?); try --jobs 1")
    lost: list[tuple[int, str]] = []  # rows that no worker can take: every pool broke

    def submit_more() -> None:
        for k in range(jobs):
            while k not in broken_pools and in_flight[k] < PER_WORKER:
                # its own rows first; then, idle, it takes from the end of the longest other queue (rows of other
                # kinds no worker has started: the day ends with both workers busy)
                queue = queues[k] if queues[k] else max(queues, key=len)
                if not queue:
                    break
                if made[k] >= SHEETS_PER_PROCESS and len(queues[k]) >= LAST_ROWS_KEPT:
                    # a fresh process takes over; the old one ends after its jobs (not for the day's last few rows:
                    # starting a process and its memos afresh would cost more than they take)
                    retired.append(pools[k])
                    pools[k].shutdown(wait=False)
                    pools[k], made[k] = _start_pool(pools[k].library_bytes), 0
                i, where, visit = queue.popleft() if queue is queues[k] else queue.pop()
                try:
                    future = pools[k].submit(_work, where, visit, output)
                except BrokenProcessPool:
                    broken_pools.add(k)
                    queues[k].appendleft((i, where, visit))  # for a worker still running
                    break
                running[future] = (i, where, k, pools[k])
                in_flight[k] += 1
                made[k] += 1
        if len(broken_pools) == jobs:
            for queue in queues:
                while queue:
                    i, where, _ = queue.popleft()
                    lost.append((i, where))

    try:
        submit_more()
        while running or lost:
            done, _ = wait(running, return_when=FIRST_COMPLETED) if running else (set(), set())
            while done:
                future = done.pop()
                i, where, k, pool = running.pop(future)
                in_flight[k] -= 1
                try:
                    result = future.result()
                except BrokenProcessPool:
                    if pool is pools[k]:  # (a retired process that broke fails only the rows it had)
                        broken_pools.add(k)
                    result = RowFailure(where, None, broken.message)
                del future
                yield i, result
                del result
            while lost:
                i, where = lost.pop(0)
                yield i, RowFailure(where, None, broken.message)
            submit_more()
    finally:
        _shut_down(pools + spares + retired)


def _shut_down(pools: list[ProcessPoolExecutor]) -> None:
    """Stop every pool, all at once, each after its worker's job in hand (a few handouts' time at most)."""
    import threading

    stoppers = [threading.Thread(target=pool.shutdown, kwargs={"wait": True, "cancel_futures": True}) for pool in pools]
    for stopper in stoppers:
        stopper.start()
    for stopper in stoppers:
        stopper.join()


PER_WORKER = 4  # jobs in flight per worker process
# A worker process makes about this many sheets, then a fresh process takes its place (same kinds, same queue; the old
# one ends after the jobs it has). Its memos fill over its first hundred sheets, and the allocator keeps what the day's
# heaviest sheets took: a worker grew from 58.5 MiB at 100 sheets to 62 at 150 (67 at 500 before the Noto Sans cut;
# issue 23: at most 60 MiB, flat from 200 to 1,000 visits). A fresh process costs about 0.4 s of CPU and starts with
# empty memos, so a worker's last LAST_ROWS_KEPT rows or fewer stay with it: a day of 200 visits (about 100 rows a
# worker with --jobs 2) runs in the two processes it started with.
SHEETS_PER_PROCESS = 90
LAST_ROWS_KEPT = 25
NEW_KIND = 3  # a sheet of a kind its worker has not made costs about three of one it has (the fit's trial passes)


def sheet_kind(visit: Visit) -> tuple:
    """What a worker's memos are mostly keyed by: the condition's text in one language, on one paper, in one size."""
    return visit.condition, visit.lang, visit.page_size, visit.large_print


def _share(todo: list[tuple[int, str, Visit]], jobs: int) -> list[list[tuple[int, str, Visit]]]:
    """The rows of each worker, in file order: every row of a kind to one worker, each new kind to the worker with
    the least work so far (a new kind counted as NEW_KIND rows)."""
    shares: list[list[tuple[int, str, Visit]]] = [[] for _ in range(jobs)]
    work = [0] * jobs
    owner: dict[tuple, int] = {}
    for row in todo:
        kind = sheet_kind(row[2])
        k = owner.get(kind)
        if k is None:
            k = owner[kind] = min(range(jobs), key=work.__getitem__)
            work[k] += NEW_KIND
        else:
            work[k] += 1
        shares[k].append(row)
    return shares


def _work(where: str, visit: Visit, output: Output = Output()) -> Leaflet | RowFailure:
    from . import lean

    assert lean.LIBRARY is not None
    return attempt(lean.LIBRARY, where, visit, output)
