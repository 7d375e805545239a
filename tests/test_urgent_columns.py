"""The urgent box's two columns (render/pdf/blocks.py, split_columns): the walk from the even split chooses what trying
every split chose, for every urgent box of the bundled content."""

from __future__ import annotations

import pytest

from handouts import compose, load_library, make_visit
from handouts.design.styles import load_style
from handouts.model import Callout
from handouts.render.pdf import blocks
from handouts.render.pdf.flowables import Builder
from handouts.render.pdf.leaflet import _frame


def every_split(heights, width: float) -> list[float]:
    """What the box chose before the walk: every split tried, the shortest taller column, the most even of those."""
    return min(([width * f, width * (1 - f)] for f in blocks.SPLITS),
               key=lambda ws: (round(max(heights(ws))), abs(ws[0] - ws[1])))


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
def test_the_walk_chooses_the_split_that_trying_every_split_chooses(lang, monkeypatch):
    searched = []
    walk = blocks.split_columns

    def recorded(heights, width):
        chosen = walk(heights, width)
        searched.append((chosen, every_split(heights, width)))
        return chosen

    monkeypatch.setattr(blocks, "split_columns", recorded)
    monkeypatch.setattr(blocks, "_SPLITS", blocks.LRU(1024))  # nothing remembered from other tests
    library = load_library()
    boxes = 0
    for condition in sorted(library.conditions):
        for flags in ("", "pregnant"):
            try:
                handout = compose(library, make_visit({"condition": condition, "lang": lang, "flags": flags}))
            except Exception:  # a sheet whose usual points are refused in pregnancy: not made
                continue
            for paper in ("letter", "a4"):
                style = load_style(handout.masthead.colour, paper, ("zh",) if lang == "zh" else ())
                builder = Builder(style, _frame(style)._width)
                for section in handout.sections:
                    for block in section.blocks:
                        if isinstance(block, Callout) and block.icons:
                            builder.block(block)
                            boxes += 1
    assert boxes >= 100 and len(searched) >= 30
    different = [(a, b) for a, b in searched if a != b]
    assert not different, different[:3]
    assert any(a[0] != a[1] for a, _ in searched)  # uneven splits were chosen too, not only the even one


def test_the_walk_tries_fewer_splits():
    tried = []

    def heights(ws):  # a left column of 30 lines of 12 pt at 100 pt wide, shorter as it widens; the right, two lines
        tried.append(ws)
        return [12 * round(30 * 100 / ws[0]), 24.0]

    chosen = blocks.split_columns(heights, 200.0)
    assert chosen == every_split(heights, 200.0) == [140.0, 60.00000000000001]
    tried.clear()
    blocks.split_columns(lambda ws: (tried.append(ws), [50.0, 50.0])[1], 200.0)
    assert len(tried) == 1  # even columns: the even split, tried once
