"""`python -m handouts` and the `handouts` console script."""

from __future__ import annotations

import sys


def load_cli():
    """The click app: shipped inside the wheel as handouts/cli.py, at the top level in a checkout."""
    try:
        from handouts.cli import main as cli
    except ModuleNotFoundError as exc:
        if exc.name != "handouts.cli":
            raise
        from cli import main as cli
    return cli


def main() -> None:
    import gc

    # A command makes a few hundred thousand objects that live until it ends (modules, the content library, fonts,
    # the page's flowables): with Python's default of a collection every 700 new objects, the cyclic collector
    # went over them about 200 times, some 20-30 ms of a cold leaflet. Every 10,000 still collects cycles.
    gc.set_threshold(10_000, 10, 10)
    try:
        load_cli()()
    except SystemExit as done:  # click ends every command this way, with its exit status
        _exit(done)
        raise


def _exit(done: SystemExit) -> None:
    """End the process once the command is done, without tearing down the interpreter object by object.

    A cold leaflet leaves some hundred thousand objects (ReportLab, fonts, the content library) that Python would
    free one at a time on the way out: about 60 ms of a cold leaflet, spent after the file is written.
    Everything that must happen at exit still does: the atexit functions (logging, multiprocessing, temporary
    folders), then stdout and stderr flushed. Output files are already complete (written to a temporary file,
    then renamed). Returns, so the exit is the normal one, when another thread is still running or a stream
    cannot be flushed (e.g. a closed pipe: Python reports it as it always does)."""
    import threading

    if threading.active_count() > 1:
        return
    code = done.code
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:  # sys.exit("message"): Python prints it and exits 1
        print(code, file=sys.stderr)
        status = 1
    import atexit
    import os

    atexit._run_exitfuncs()
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except Exception:
        if not isinstance(code, int) and code is not None:
            done.code = 1  # already printed
        return
    os._exit(status & 0xFF)  # what the system keeps of any exit status


if __name__ == "__main__":
    main()
