"""Ear seeds (issue 21): the ear points, which the body atlas has not, drawn on an ear of their own, read back from the
PDF (dots at their places in techniques.yaml, never closer than a dot's width and 1 pt, each numbered disc beside its
own dot), listed by number under it, and in the HTML page with a text alternative."""

from __future__ import annotations

import math
import re

import pdfplumber
import pytest

from handouts import load_library
from handouts.design.map_geometry import inside, on_figure

LIBRARY = load_library()
EAR = LIBRARY.techniques["ear-seeds"].points
NAMES = {"en": ["Shen Men", "Sympathetic", "Kidney", "Liver", "Lung"], "es": ["Shen Men", "Simpático", "Riñón", "Hígado", "Pulmón"],
         "zh": ["神门", "交感", "肾", "肝", "肺"]}


def test_the_ear_points_are_the_nada_five_each_on_the_drawn_ear():
    assert [p.code for p in EAR] == ["TF4", "AH6a", "CO10", "CO12", "CO14"]
    for lang, names in NAMES.items():
        assert [p.name[lang] for p in EAR] == names
    assert all(on_figure("ear", *p.map) for p in EAR)


def _filled_circles(page) -> list[tuple[float, float, float]]:
    """The filled circles of a page: (centre x, centre y from the page foot, width)."""
    return [((c["x0"] + c["x1"]) / 2, page.height - (c["top"] + c["bottom"]) / 2, c["x1"] - c["x0"])
            for c in page.curves if c["fill"]]


def _saved(ears: list, pdf):
    """Of the ears drawn while the sheet was fitted (last first), the one the saved PDF shows."""
    for geometry, ox, oy, h, page_number in reversed(ears):
        if page_number > len(pdf.pages):
            continue
        (view,) = geometry.views
        circles = [(x, y) for x, y, w in _filled_circles(pdf.pages[page_number - 1])
                   if abs(w - 2 * geometry.dot_radius) < 0.05]
        spots = [(ox + x, oy + h - y) for x, y in (view.to_map(*p.map) for p in EAR)]
        if all(any(math.hypot(s[0] - c[0], s[1] - c[1]) < 0.05 for c in circles) for s in spots):
            return geometry, ox, oy, h, page_number
    raise AssertionError(f"none of the {len(ears)} ears drawn is the one in the saved PDF")


def _segment_distance(p, a, b) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy or 1)))
    return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)


# sheets where the ear fits the two pages (on a sheet that runs long it is left out with the subtitle: see below)
@pytest.mark.parametrize("args", [("migraine",), ("hip-pain", "--page-size", "a4"), ("hip-pain", "--lang", "zh"),
                                  ("hip-pain", "--lang", "zh", "--page-size", "a4"), ("hip-pain", "--lang", "es", "--page-size", "a4"),
                                  ("migraine", "--lang", "zh"),
                                  # large print: the ear on a page of its own run (page 3 or 4), its dots 7.8 pt and discs 26 pt
                                  ("migraine", "--large-print"), ("hip-pain", "--large-print", "--lang", "es"),
                                  ("insomnia", "--large-print", "--lang", "zh", "--page-size", "a4")])
def test_the_ear_read_back_from_the_pdf_has_its_dots_apart_and_each_disc_beside_its_own_dot(leaflet, drawn, args):
    path, pages = leaflet(*args, "--technique", "ear-seeds")
    lang = args[args.index("--lang") + 1] if "--lang" in args else "en"
    if "--large-print" not in args:
        assert len(pages) == 2
    ears = [d for d in drawn if [v.name for v in d[0].views] == ["ear"]]
    assert ears, "no ear drawn"
    with pdfplumber.open(path) as pdf:
        # The fit may lay the sheet out more than once, and the PDF saved is not always the last laid out (large
        # print's balancing keeps an earlier layout when a trial break does not even the pages): the ear read is
        # the drawing whose five dots the saved PDF holds, at their places and of their size.
        geometry, ox, oy, h, page_number = _saved(ears, pdf)
        (view,) = geometry.views
        want = [(ox + x, oy + h - y) for x, y in (view.to_map(*p.map) for p in EAR)]
        page = pdf.pages[page_number - 1]
        in_map = lambda x, y: ox - 0.5 <= x <= ox + geometry.width + 0.5 and oy - 0.5 <= y <= oy + h + 0.5  # noqa: E731
        circles = _filled_circles(page)
        dots = [(x, y) for x, y, w in circles if abs(w - 2 * geometry.dot_radius) < 0.05 and in_map(x, y)]
        discs = [(x, y) for x, y, w in circles if abs(w - 2 * geometry.disc_radius) < 0.05 and in_map(x, y)]
        chars = [c for c in page.chars if in_map((c["x0"] + c["x1"]) / 2, page.height - (c["top"] + c["bottom"]) / 2)]
        text = " ".join("".join(p.extract_text() or "" for p in pdf.pages).split())
    # every dot at its own place (techniques.yaml `map:`), read back from the page
    assert len(dots) == len(EAR) == 5
    for n, spot in enumerate(want, start=1):
        assert min(math.hypot(spot[0] - d[0], spot[1] - d[1]) for d in dots) < 0.05, f"dot {n} is not at its place"
    # no two dots closer than a dot's diameter and 1 pt
    closest = min(math.hypot(a[0] - b[0], a[1] - b[1]) for i, a in enumerate(dots) for b in dots[i + 1:])
    assert closest >= 2 * geometry.dot_radius + 1 - 0.01, f"two dots {closest:.2f} pt apart"
    # each numbered disc: printed where the geometry put it, off the ear, its number read at it, joined by its leader to its
    # own dot (the NADA points crowd the middle of the ear: a disc outside it may be nearer a neighbour's dot, so on the
    # ear it is the leader, which passes no other dot, that says whose number it is)
    assert len(discs) == 5
    outline = [list(poly) for poly in view.outlines]
    callouts = {c.number: c for c in view.callouts}
    assert sorted(callouts) == [1, 2, 3, 4, 5]
    for x, y in discs:
        number = "".join(c["text"] for c in chars if c["text"].isdigit()
                         and abs((c["x0"] + c["x1"]) / 2 - x) < geometry.disc_radius
                         and abs(page.height - (c["top"] + c["bottom"]) / 2 - y) < geometry.disc_radius)
        assert number.isdigit() and 1 <= int(number) <= 5, (x, y, number)
        callout = callouts[int(number)]
        assert math.hypot(ox + callout.x - x, oy + h - callout.y - y) < 0.05, f"disc {number} is not where the geometry put it"
        own = want[int(number) - 1]
        (ax, ay), (bx, by) = callout.leader
        ends = [(ox + ax, oy + h - ay), (ox + bx, oy + h - by)]
        assert min(math.hypot(e[0] - own[0], e[1] - own[1]) for e in ends) <= geometry.dot_radius + 1, \
            f"disc {number}'s leader does not reach its own dot"
        assert math.hypot(own[0] - x, own[1] - y) <= 9 * geometry.disc_radius, f"disc {number} is far from its dot"
        others = [s for s in want if s != own]
        assert all(_segment_distance(s, (x, y), own) > 2 * geometry.dot_radius for s in others), number
        mx, my = x - ox, oy + h - y  # back in the map's own box (y down)
        assert not any(inside(poly, (mx, my)) for poly in outline), f"disc {number} covers the ear"
    # the list the numbers refer to, and the view's label
    squashed = text.replace(" ", "")
    for n, name in enumerate(NAMES[lang], start=1):
        assert f"{n}\u00a0{name}".replace(" ", "") in squashed or f"{n}{name}".replace(" ", "") in squashed, name
    label = {"en": "Right ear", "es": "Oreja derecha", "zh": "右耳"}[lang]
    assert label.replace(" ", "") in squashed


def test_no_ear_without_ear_seeds_and_none_on_a_sheet_with_other_techniques(leaflet, drawn):
    leaflet("hip-pain", "--technique", "cupping")
    assert drawn and all("ear" not in [v.name for v in d[0].views] for d in drawn)


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
def test_a_sheet_too_long_for_the_ear_leaves_out_the_figure_and_its_list_together(leaflet, lang):
    # the chemotherapy sheet runs long: the ear goes with its list (rank 8, with the subtitle), and two pages hold
    _, pages = leaflet("chemotherapy-nausea", "--lang", lang, "--technique", "ear-seeds")
    text = " ".join(" ".join(pages).split())
    label = {"en": "Right ear", "es": "Oreja derecha", "zh": "右耳"}[lang]
    legend = {"en": "Ear points we often use", "es": "Puntos de la oreja que solemos", "zh": "我们常用的耳豆穴位"}[lang]
    assert (label.replace(" ", "") in text.replace(" ", "")) == (legend.replace(" ", "") in text.replace(" ", ""))
    assert len(pages) == 2


@pytest.mark.parametrize("lang, paper", [("en", "a4"), ("es", "a4"), ("zh", "letter")])
def test_the_html_page_draws_the_ear_with_a_text_alternative(run, tmp_path, lang, paper):
    out = tmp_path / "ear.html"
    result = run("leaflet", "hip-pain", "--lang", lang, "--page-size", paper, "--technique", "ear-seeds", "--format", "html",
                 "-o", out)
    assert result.exit_code == 0, result.output
    page = out.read_text("utf-8")
    name = LIBRARY.labels.words["ear_map_name"][lang]
    svg = re.search(r'<svg class="bodymap" role="img" aria-label="' + re.escape(name) + r'" aria-describedby="([^"]+)"', page)
    assert svg, "no ear drawn on the page"
    described = re.search(rf'id="{svg.group(1)}"[^>]*>\s*<ul>(.*?)</ul>', page, re.S)
    assert described
    items = [" ".join(re.sub(r"<[^>]+>", "", i).split()) for i in re.findall(r"<li>(.*?)</li>", described.group(1), re.S)]
    view = {"en": "Right ear", "es": "Oreja derecha", "zh": "右耳"}[lang]
    assert items == [f"{n}. {p.code}: {p.name[lang]}, {view}." for n, p in enumerate(EAR, start=1)]
    ear_svg = page[svg.start():page.index("</svg>", svg.start())]
    assert ear_svg.count('class="spot"') == 5 and ear_svg.count('class="dot"') == 5
