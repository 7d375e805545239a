"""A second process for the previews that need a new fit, so they run on another core while this one answers the rest.

A preview of a sheet the screen has fitted before costs a few milliseconds; one it has not (a point unticked, a flag,
a note) costs several layout passes. In one process those passes hold up every other preview behind them. So the
screen (`handouts serve`, one process) starts one helper process and sends it the previews of new sheets outside the
usual ones (a condition's usual points, no flag and no note, in any language) while it is idle, and every preview of
a sheet it sent there before, which the helper has then fitted: each process keeps its own fits, and each sheet stays
with the process that fitted it. The helper makes exactly what this process would (the same `make` on the same form and content: the page is
the same bytes); if it cannot be started or stops, this process makes the previews itself.

What is sent is the form, through a pipe to the helper only; nothing is logged or written. The sheets it is
remembered which process has are keys without the patient's name, date, practitioner or note.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from ..library.cache import LRU

log = logging.getLogger("handouts.serve")


def _start_helper(content, clinic) -> None:
    """In the helper, once: imports, fonts and the content library, before the first preview arrives."""
    import gc
    import signal

    from ..library.cache import library

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the screen stops the helper itself
    gc.set_threshold(10_000, 10, 10)  # as `python -m handouts` sets it for every command (handouts/__main__.py)
    library(content, clinic)


def _preview(content, clinic, values: dict[str, Any]) -> tuple[str | None, dict[str, str], list, str, list]:
    """In the helper: the preview of one form, as this screen's leaflet handler makes it (leaflet.make)."""
    from ..library.cache import library as read_library
    from .leaflet import make, understand

    library = read_library(content, clinic)
    result = make(understand(values, library), library, "html")
    page = result.made.data.decode("utf-8") if result.made is not None else None
    return (page, dict(result.errors), list(result.cautions), result.values.get("points_for", ""),
            list(result.technique_cautions))


class Helper:
    """The helper process and which sheets it has (see the module's docstring)."""

    def __init__(self, content, clinic):
        self.content, self.clinic = content, clinic
        self.pool = None
        self.theirs = LRU(1024)  # sheets sent to the helper: they stay there
        self.ours = LRU(1024)  # new sheets this process made while the helper was busy: they stay here
        self.busy = 0  # previews sent to the helper and not yet answered

    def start(self) -> "Helper":
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        try:
            self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_start_helper, initargs=(self.content, self.clinic))
            self.pool.submit(int)  # starts the process now, not at the first preview
        except (OSError, RuntimeError) as exc:
            log.warning("the preview helper did not start (%s); previews are made in this process", type(exc).__name__)
            self.pool = None
        return self

    def stop(self) -> None:
        if self.pool is not None:
            self.pool.shutdown(wait=True, cancel_futures=True)
            self.pool = None

    def wants(self, key: tuple | None, usual: bool) -> bool:
        """Whether the helper makes this sheet's preview: one sent there before, or a new one outside the usual sheets
        while the helper is idle (while it is busy, this process takes it, and keeps it: the two cores share the
        new sheets when several come at once)."""
        if self.pool is None or key is None:
            return False
        if self.theirs.hit(key) is not None:
            return True
        if usual or self.ours.hit(key) is not None:
            return False
        if self.busy:
            self.ours.keep(key, True)
            return False
        self.theirs.keep(key, True)
        return True

    async def preview(self, values: dict[str, Any]):
        """(page or None, errors, cautions, points_for, technique cautions) from the helper; None if it has stopped (then make it here)."""
        from concurrent.futures.process import BrokenProcessPool

        pool = self.pool
        if pool is None:
            return None
        self.busy += 1
        try:
            return await asyncio.wrap_future(pool.submit(_preview, self.content, self.clinic, values))
        except BrokenProcessPool as exc:
            log.warning("the preview helper stopped (%s); previews are made in this process", type(exc).__name__)
            self.theirs.clear()
            if self.pool is pool:
                self.stop()
            return None
        finally:
            self.busy -= 1
