"""Send PDFs to the clinic's printer through CUPS's `lp` (an argument list, never a shell), reporting the job id.

Messages say what is wrong and the fix without naming an option: the command line puts "--print: " before them,
the clinic's screen shows them beside its print button."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import PrintError

TIMEOUT = 60  # seconds for one lp or lpstat call; a scheduler that does not answer in that time is not working
# A CUPS queue name: printable, no space, tab, / \ ' " # or comma (lpadmin refuses those), at most 127 characters;
# never starting with "-" (lp and lpstat would read it as an option).
_NAME = re.compile(r"[^\s/\\'\"#,\x00-\x1f\x7f-][^\s/\\'\"#,\x00-\x1f\x7f]{0,126}")
_JOB = re.compile(r"request id is (\S+)")
_INSTALL = "install CUPS (Debian/Ubuntu: sudo apt-get install cups; macOS has it), add the clinic's printer and try again"


@dataclass(frozen=True)
class Printed:
    """One sheet sent to the printer: where it came from (a batch row, or the -o file) and the CUPS job id."""

    where: str
    job: str


def _tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise PrintError(f"cannot print: `{name}` was not found, so CUPS (the printing system) is not installed "
                         f"or not on PATH; {_INSTALL}")
    return path


def _run(args: Sequence[str], data: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """Run a CUPS client with messages in English (they are matched below), never through a shell."""
    env = {**os.environ, "LC_ALL": "C", "LANG": "C"}
    try:
        return subprocess.run(list(args), input=data if data is not None else b"", capture_output=True, env=env,
                              timeout=TIMEOUT, check=False)
    except subprocess.TimeoutExpired:
        raise PrintError(f"`{Path(args[0]).name}` did not answer within {TIMEOUT} s; check that the printing "
                         "system (CUPS) is running (lpstat -r) and try again") from None
    except OSError as exc:
        raise PrintError(f"`{args[0]}` could not be run ({exc.strerror or exc}); check the CUPS install") from None


def _said(result: subprocess.CompletedProcess[bytes]) -> str:
    """The first line a CUPS tool wrote to stderr (else stdout), without its "lp: " prefix."""
    text = (result.stderr or result.stdout or b"").decode("utf-8", "replace").strip()
    line = text.splitlines()[0] if text else f"exit status {result.returncode}"
    return re.sub(r"^(lp|lpstat)(: Error -|:)\s*", "", line)


def check_name(printer: str | None) -> str | None:
    """The printer name as given ("" or None: the default printer); PrintError if CUPS could not have such a queue."""
    if not printer:
        return None
    if not _NAME.fullmatch(printer):
        raise PrintError(f"{printer!r} is not a printer name: CUPS names have no spaces, quotes, slashes, "
                         "'#' or ',' and do not start with '-'; `lpstat -e` lists the printers")
    return printer


def _scheduler_down(lpstat: str) -> bool:
    said = _run([lpstat, "-r"])
    return b"is running" not in said.stdout


def _not_running() -> PrintError:
    return PrintError("the printing system (CUPS) is installed but not running; start it (sudo systemctl "
                      "start cups, or sudo service cups start) and try again")


def _known(lpstat: str) -> list[str]:
    return sorted(set(_run([lpstat, "-e"]).stdout.decode("utf-8", "replace").split()))


def check_printer(printer: str | None) -> str:
    """Check that CUPS is installed and running and that `printer` (None or "": the default) takes jobs.

    Returns the queue's name; raises PrintError naming what is wrong and the fix. Cheap (one or two lpstat calls),
    so callers check once before making anything.
    """
    name = check_name(printer)
    _tool("lp")
    lpstat = _tool("lpstat")
    if name is None:
        said = _run([lpstat, "-d"])
        found = re.search(rb"system default destination:\s*(\S+)", said.stdout)
        if found is None:
            if _scheduler_down(lpstat):
                raise _not_running()
            known = _known(lpstat)
            which = f"the printers are {', '.join(known)}" if known else "no printer is set up yet (add one first)"
            raise PrintError(f"no default printer is set; name the printer ({which}), or make one the default "
                             "with `lpoptions -d PRINTER`")
        name = found.group(1).decode("utf-8", "replace")
    said = _run([lpstat, "-a", name])
    if said.returncode != 0 or not said.stdout.strip():
        if _scheduler_down(lpstat):
            raise _not_running()
        known = _known(lpstat)
        which = f"the printers are {', '.join(known)}" if known else "no printer is set up yet"
        raise PrintError(f"there is no printer {name!r}; {which} (`lpstat -e` lists them); check the spelling")
    if b"not accepting" in said.stdout:
        lines = said.stdout.decode("utf-8", "replace").strip().splitlines()
        reason = lines[1].strip() if len(lines) > 1 and lines[1].strip() else "no reason given"
        raise PrintError(f"the printer {name!r} is not accepting jobs ({reason}); ask whoever looks after it, "
                         f"or run `cupsaccept {name}`")
    return name


def print_pdf(data: bytes, printer: str | None, title: str) -> str:
    """Send a PDF to `printer` (None or "": the default printer) with `lp`; returns the CUPS job id.

    `title` shows in the print queue, where anyone can see it: never put a patient's name in it
    (use e.g. "handouts leaflet hip-pain"). Raises PrintError when CUPS is missing or stopped, the printer
    is unknown or not accepting jobs, or lp refuses the job.
    """
    if not data.startswith(b"%PDF-"):
        raise PrintError("only a PDF can be sent to the printer; print the PDF (format pdf or pdf-ua), "
                         "not the web page")
    name = check_printer(printer)
    title = " ".join(re.sub(r"[\x00-\x1f\x7f]", " ", title).split())[:200] or "handouts"
    lp = _tool("lp")
    # The PDF goes on lp's standard input: no copy of a patient's sheet in a temp file.
    said = _run([lp, "-d", name, "-t", title], data)
    if said.returncode != 0:
        if _scheduler_down(_tool("lpstat")):
            raise _not_running()
        raise PrintError(f"the printer {name!r} refused the job: {_said(said)}; check it with `lpstat -p {name}`")
    found = _JOB.search(said.stdout.decode("utf-8", "replace"))
    if found is None:
        raise PrintError(f"lp sent the job to {name!r} but gave no job id ({_said(said)}); "
                         f"check the queue with `lpstat -o {name}`")
    return found.group(1)


def print_files(sheets: Iterable[tuple[str, str, Path]], printer: str | None) -> list[Printed]:
    """Print (where, title, path) sheets in order; on a failure, PrintError says which were sent and which were not."""
    sheets = list(sheets)
    done: list[Printed] = []
    for where, title, path in sheets:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise PrintError(_partial(done, len(sheets), f"{where}: its file cannot be read ({exc.strerror or exc})")) from None
        try:
            done.append(Printed(where, print_pdf(data, printer, title)))
        except PrintError as exc:
            raise PrintError(_partial(done, len(sheets), f"{where}: {exc}")) from None
    return done


def _partial(done: list[Printed], total: int, problem: str) -> str:
    sent = (f"sent {len(done)} of {total} sheets ({', '.join(p.job for p in done)}), then stopped"
            if done else f"sent none of the {total} sheets")
    return f"{sent}: {problem}; the files are written, print the rest from the folder"
