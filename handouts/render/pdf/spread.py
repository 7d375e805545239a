"""Brochure balancing across a run of text panels: whole sections spread again over the panels in reading order."""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from ...model import BrochurePanel, Callout, Heading, Paragraph

Room = Callable[[str, BrochurePanel], "float | None"]


def join(a: BrochurePanel, b: BrochurePanel) -> BrochurePanel:
    """b's blocks after a's, as one panel named as b (the caller renames it)."""
    n = len(a.blocks)
    return BrochurePanel(b.name, a.blocks + b.blocks, a.optional + tuple(i + n for i in b.optional), kind=b.kind,
                         sources=tuple(dict.fromkeys(a.sources + b.sources)), head=0,
                         together=a.together + tuple(tuple(i + n for i in g) for g in b.together))


def slice_(panel: BrochurePanel, start: int, end: int) -> BrochurePanel:
    """The panel's blocks[start:end], their optional marks and groups kept."""
    keep = lambda i: start <= i < end  # noqa: E731
    return BrochurePanel(panel.name, panel.blocks[start:end], tuple(i - start for i in panel.optional if keep(i)), kind=panel.kind,
                         sources=panel.sources, head=0,
                         together=tuple(g for g in (tuple(i - start for i in grp if keep(i)) for grp in panel.together) if g))


def spread(order: list[str], panels: dict[str, BrochurePanel], room: Room, keeps: Callable[[BrochurePanel], int],
           first: set[str], limit: float, reach: int = 4) -> dict[str, BrochurePanel]:
    """When a panel of a run of text panels (neighbours in reading order) would still end more than `limit` empty,
    the run's blocks are spread again over its panels: the cuts between panels move (at most `reach` places from
    where they were) to a heading, or between two paragraphs of prose, so that a section may go on in the next panel
    and pass on through several, as moving one section between two neighbours cannot do when both must end balanced
    at once. Never between a heading and its text, inside a group that goes together (a map and its numbered points),
    nor before a drawing (it ends the section above it). The most empty panel of the run is made as full as it can be
    (by `room`); every panel keeps its first `keeps` blocks (a draft line) and at least two more, the urgent-care box
    never lands on a panel in `first`, and a run whose most empty panel does not improve by 2 % is left as it was."""
    out = dict(panels)
    for run in _runs(order, panels):
        now = [room(n, panels[n]) for n in run]
        worst = max(1.0 if r is None else r for r in now)
        if worst <= limit:
            continue
        heads = [slice_(panels[n], 0, keeps(panels[n])) for n in run]
        bodies = [slice_(panels[n], keeps(panels[n]), len(panels[n].blocks)) for n in run]
        flat = bodies[0]
        for body in bodies[1:]:
            flat = join(flat, body)
        ends, at = [], 0
        for body in bodies[:-1]:
            at += len(body.blocks)
            ends.append(at)
        grouped = {i for g in flat.together for i in g}
        # body paragraphs only: a bold lead line (a question, "It is often tried for:") keeps what follows it
        prose = lambda i: type(flat.blocks[i]) is Paragraph and flat.blocks[i].style == "body" and i not in grouped  # noqa: E731
        cuts = sorted({i for i in range(1, len(flat.blocks)) if not isinstance(flat.blocks[i - 1], Heading)
                       and (isinstance(flat.blocks[i], Heading) or (prose(i - 1) and prose(i)))} | set(ends))
        near = [[c for c in cuts if abs(cuts.index(c) - cuts.index(e)) <= reach] for e in ends]
        best: list = [worst - 0.02, None]

        def panel(j: int, start: int, end: int) -> BrochurePanel:
            return replace(join(heads[j], slice_(flat, start, end)), name=run[j])

        def fits(j: int, start: int, end: int) -> float | None:
            if end - start < 2:
                return None
            if run[j] in first and any(isinstance(b, Callout) for b in flat.blocks[start:end]):
                return None
            return room(run[j], panel(j, start, end))

        def search(j: int, start: int, chosen: list[int], score: float) -> None:
            if j == len(run) - 1:
                r = fits(j, start, len(flat.blocks))
                if r is not None and max(score, r) < best[0]:
                    best[:] = [max(score, r), chosen]
                return
            for cut in near[j]:
                if cut <= start:
                    continue
                r = fits(j, start, cut)
                if r is None or max(score, r) >= best[0]:
                    continue
                search(j + 1, cut, chosen + [cut], max(score, r))

        search(0, 0, [], 0.0)
        if best[1] is not None:
            bounds = [0, *best[1], len(flat.blocks)]
            for j, name in enumerate(run):
                out[name] = panel(j, bounds[j], bounds[j + 1])
    return out


def _runs(order: list[str], panels: dict[str, BrochurePanel]) -> list[list[str]]:
    """The runs of two or more text panels (no headline) that follow each other in reading order."""
    runs, run = [], []
    for name in order:
        p = panels[name]
        if p.kind == "text" and not p.head:
            run.append(name)
            continue
        if len(run) > 1:
            runs.append(run)
        run = []
    if len(run) > 1:
        runs.append(run)
    return runs
