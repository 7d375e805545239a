"""The body map never misleads: every dot on its figure, at the spot the content gives, read back from the PDF."""

from __future__ import annotations

import math
from dataclasses import replace

import pdfplumber
import pytest

from handouts import compose, load_library, make_visit
from handouts.design.map_figures import FIGURES, VIEWS
from handouts.design.map_geometry import Sizes, choose_views, inside, layout, on_figure, to_svg
from handouts.model import BodyMap, MapView
from handouts.render.pdf import bodymap

SEED = "GB29,GB30,BL54,BL40,ST36,LR3"
LIBRARY = load_library()
CASES = [(cid, None) for cid in sorted(LIBRARY.conditions)] + [("hip-pain", SEED)]


def block_for(condition: str, points: str | None, lang: str = "en") -> BodyMap:
    visit = {"condition": condition, "lang": lang, **({"points": points} if points else {})}
    handout = compose(LIBRARY, make_visit(visit))
    return next(b for s in handout.sections for b in s.blocks if isinstance(b, BodyMap))


def map_errors(geometry, block: BodyMap) -> list[str]:
    """What is wrong with a laid-out map, checked against the content (not against the layout's own data)."""
    errors = []
    expected: dict[str, list[tuple[float, float]]] = {}
    for p in block.points:
        view = p.marks[0].view
        x, y = LIBRARY.points[p.code].body.map[view]
        spots = [(x, y)]
        if FIGURES[view].mirror and LIBRARY.points[p.code].body.bilateral and abs(x - 0.5) > 0.01:
            spots.append((1 - x, y))
        expected.setdefault(view, []).extend((p.number, p.code, sx, sy) for sx, sy in spots)
    for v in geometry.views:
        bx, by, bw, bh = v.figure_box
        want = sorted((n, code, round(bx + sx * bw, 2), round(by + sy * bh, 2)) for n, code, sx, sy in expected.pop(v.name, []))
        got = sorted((d.number, d.code, round(d.x, 2), round(d.y, 2)) for d in v.dots)
        if len(want) != len(got) or any(w[:2] != g[:2] or math.hypot(w[2] - g[2], w[3] - g[3]) > 0.02 for w, g in zip(want, got)):
            errors.append(f"{v.name}: dots {got} are not at their true spots {want}")
        for d in v.dots:
            if not any(inside(list(poly), (d.x, d.y)) for poly in v.outlines):
                errors.append(f"{v.name}: {d.code} dot at ({d.x:.1f}, {d.y:.1f}) is off the figure")
        if not v.dots:
            errors.append(f"{v.name}: an empty view is drawn")
        numbers = sorted(c.number for c in v.callouts)
        if numbers != sorted({d.number for d in v.dots}):
            errors.append(f"{v.name}: numbers {numbers} do not match its points")
    if expected:
        errors.append(f"views not drawn: {sorted(expected)}")
    discs = [c for v in geometry.views for c in v.callouts]
    polygons = [list(poly) for v in geometry.views for poly in v.outlines]
    for c in discs:
        if any(inside(poly, (c.x, c.y)) for poly in polygons):
            errors.append(f"disc {c.number} at ({c.x:.1f}, {c.y:.1f}) covers a figure")
    for i, a in enumerate(discs):
        for b in discs[i + 1:]:
            if math.hypot(a.x - b.x, a.y - b.y) < 2 * geometry.disc_radius:
                errors.append(f"discs {a.number} and {b.number} overlap")
    return errors


def render_map(block: BodyMap, width: float = 140, height: float = 184):
    from handouts.design.styles import load_style

    flowable = bodymap.BodyMapFlowable(block, load_style("#1F5C66"), width, height)
    return flowable, flowable.geometry()


# ---- content and geometry -------------------------------------------------------------------------------


def test_model_views_and_figure_views_are_the_same():
    assert set(MapView.__args__) == set(VIEWS)


def test_every_map_coordinate_in_content_is_on_its_figure():
    off = [(code, view) for code, p in LIBRARY.points.items() for view, (x, y) in p.body.map.items() if not on_figure(view, x, y)]
    assert off == []


@pytest.mark.parametrize("condition, points", CASES)
def test_every_dot_is_on_the_figure_at_its_true_spot(condition, points):
    block = block_for(condition, points)
    _, geometry = render_map(block)
    assert block.points and geometry.views
    assert map_errors(geometry, block) == []


@pytest.mark.parametrize("size", [(140, 184), (128, 170), (280, 360), (220, 150)])
def test_true_spots_hold_at_every_size(size):
    block = block_for("hip-pain", SEED)
    _, geometry = render_map(block, *size)
    assert map_errors(geometry, block) == []


@pytest.mark.parametrize("condition, points", CASES)
@pytest.mark.parametrize("size", [(140, 184), (230, 300), (260, 150)])
def test_the_height_asked_while_fitting_is_the_height_drawn(condition, points, size):
    """A page asks the map's height (without placing the discs) for many widths; it must be the drawn map's."""
    flowable = bodymap.BodyMapFlowable(block_for(condition, points), render_map(block_for(condition, points))[0].s, *size)
    asked = flowable.used_height()
    assert asked == min(size[1], flowable.geometry().height + flowable.caption_height())
    assert flowable.geometry().views


def test_a_moved_dot_is_caught():
    block = block_for("hip-pain", SEED)
    _, geometry = render_map(block)
    view = next(v for v in geometry.views if v.name == "back")
    moved = replace(view, dots=(replace(view.dots[0], x=view.dots[0].x + 2.5),) + view.dots[1:])
    broken = replace(geometry, views=tuple(moved if v is view else v for v in geometry.views))
    errors = map_errors(broken, block)
    assert errors and "not at their true spots" in errors[0]
    off = replace(view, dots=(replace(view.dots[0], x=view.figure_box[0] + 1),) + view.dots[1:])  # and off the body
    assert any("off the figure" in e for e in map_errors(replace(geometry, views=(off,)), block))


def test_crowded_points_get_an_inset_and_sparse_ones_whole_views():
    views = set(choose_views((code, LIBRARY.points[code].body.map) for code in ["ST35", "EX-LE4", "SP9", "GB34"]))
    assert set(choose_views((code, LIBRARY.points[code].body.map) for code in ["ST35", "EX-LE4", "SP9", "GB34"]).values()) == {"knee"}
    assert views == {"ST35", "EX-LE4", "SP9", "GB34"}
    hip = choose_views((code, LIBRARY.points[code].body.map) for code in SEED.split(","))
    assert hip == {"GB29": "side", "GB30": "hip_back", "BL54": "hip_back", "BL40": "back", "ST36": "front", "LR3": "front"}
    neck = choose_views((code, LIBRARY.points[code].body.map) for code in ["GB20", "BL10", "SI3", "GB39"])
    assert neck["GB20"] == neck["BL10"] == "head_back"
    alone = choose_views((code, LIBRARY.points[code].body.map) for code in ["GB30", "BL40"])  # one buttock point: no inset
    assert alone == {"GB30": "back", "BL40": "back"}
    pair = choose_views((code, LIBRARY.points[code].body.map) for code in ["EX-B2", "BL40"])  # its two sides would merge
    assert pair == {"EX-B2": "hip_back", "BL40": "back"}
    heel = choose_views((code, LIBRARY.points[code].body.map) for code in ["KI3", "KI6", "BL57", "BL62"])
    assert heel["KI3"] == heel["KI6"] == "foot_inner" and heel["BL57"] == "back"
    head = choose_views((code, LIBRARY.points[code].body.map) for code in ["EX-HN3", "GV20"])
    assert set(head.values()) == {"head_front"}


def test_known_spots_are_on_the_right_body_part():
    def where(code: str, view: str):
        f = FIGURES[view]
        x, y = LIBRARY.points[code].body.map[view]
        return x * f.width, y * f.height

    assert where("KI3", "foot_inner")[0] > 70  # behind the inner ankle bone (toes point left)
    assert "back" not in LIBRARY.points["KI3"].body.map and "front" not in LIBRARY.points["EX-HN3"].body.map
    assert where("GV20", "head_side")[1] < 10  # top of the head
    x, y = where("BL23", "back")
    assert abs(x - 50) < 6 and 85 < y < 95  # beside the spine at the waist, not on the elbows (x about 22 or 78)
    assert where("GB34", "knee")[0] < 20 and where("EX-LE4", "knee")[0] > 30  # outer side is on the left in the knee view
    assert "side" in LIBRARY.points["GB29"].body.map


def test_zoomed_back_insets_agree_with_the_back_view():
    """A place on `head_back` or `hip_back` is the point's place on `back`, moved and zoomed as the figure is."""
    from handouts.design.map_figures import HIP_ZOOM, NECK_ZOOM

    checked = 0
    for code, point in LIBRARY.points.items():
        for view, z in (("head_back", NECK_ZOOM), ("hip_back", HIP_ZOOM)):
            if view in point.body.map:
                bx, by = point.body.map["back"]
                x, y = point.body.map[view]
                f = FIGURES[view]
                assert abs((bx * 100 - z["x0"]) * z["zoom"] - x * f.width) < 0.3, (code, view)
                assert abs((by * 240 - z["y0"]) * z["zoom"] - y * f.height) < 0.3, (code, view)
                checked += 1
    assert checked >= 10


def _closest(spots: list[tuple[float, float]]) -> float:
    return min((math.hypot(a[0] - b[0], a[1] - b[1]) for i, a in enumerate(spots) for b in spots[i + 1:]), default=1e9)


def _flowable(block: BodyMap, layers: tuple[str, ...], width: float, height: float):
    from handouts.design.styles import load_style

    return bodymap.BodyMapFlowable(block, load_style("#1F5C66", "letter", layers), width, height)


LEAFLET_WIDTHS = range(140, int((612 - 68) * 0.42) + 1, 10)  # render/pdf/blocks.py: _widest_shortest's candidates


@pytest.mark.parametrize("condition, points", CASES)
def test_no_two_dots_closer_than_a_dot_and_1pt_at_every_size_the_renderers_use(condition, points):
    """Dots measured in the laid-out maps (the leaflet's candidate widths it may pick, large print, the brochures'
    boxes, the HTML page's SVG): centres at least a dot's diameter and 1 pt apart, so no two dots merge."""
    import re
    from handouts.render.html.svg import body_map_svg

    block = block_for(condition, points)
    problems = []

    def check(name, flowable):
        g = flowable.geometry()
        closest = _closest([(d.x, d.y) for v in g.views for d in v.dots])
        if closest < 2 * g.dot_radius + 1 - 1e-6:
            problems.append(f"{name}: dots {closest:.2f} pt apart (dot radius {g.dot_radius})")
        return closest >= 2 * g.dot_radius + 1 - 1e-6

    # the leaflet picks the map's width among these, only from those where the dots stand apart (if any)
    usable = []
    for width in LEAFLET_WIDTHS:
        f = _flowable(block, (), width, 184 * width / 140)
        if f.dots_apart():
            usable.append(width)
            check(f"leaflet {width} pt", f)
        else:  # and says so only when it is so
            assert _closest([(d.x, d.y) for v in f.geometry().views for d in v.dots]) < 2 * f.geometry().dot_radius + 1
    assert usable, "no width the leaflet may use keeps the dots apart"
    for width in (520, 595 - 80):  # large print: the style's width, or the A4 text width where that is less
        check(f"large print {width} pt", _flowable(block, ("large-print",), width, 340 * width / 520))
    if points is None:  # a brochure shows a condition's usual points
        check("brochure", _flowable(block, ("brochure",), 196, 240))
        check("brochure, small panel", _flowable(block, ("brochure",), 180, 220))
    svg = str(body_map_svg(block, "map"))
    spots = [(float(x), float(y)) for x, y, _ in re.findall(r'class="spot" cx="([\d.]+)" cy="([\d.]+)" r="([\d.]+)"', svg)]
    radius = float(re.search(r'class="spot" cx="[\d.]+" cy="[\d.]+" r="([\d.]+)"', svg).group(1))
    if _closest(spots) < 2 * radius + 1 - 0.1:  # the SVG's numbers are rounded to 0.1
        problems.append(f"html: dots {_closest(spots):.2f} apart")
    assert problems == []


def test_svg_has_a_circle_at_every_dot():
    import re

    _, geometry = render_map(block_for("knee-osteoarthritis", None))
    svg = to_svg(geometry)
    circles = sorted((float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)" r="1', svg))
    dots = sorted((d.x, d.y) for v in geometry.views for d in v.dots)
    assert len(circles) == len(dots) and all(math.hypot(a - c, b - d) < 0.01 for (a, b), (c, d) in zip(circles, dots))
    assert svg.startswith("<svg") and svg.count('class="view"') == len(geometry.views)


# ---- read back from the PDF -----------------------------------------------------------------------------


@pytest.mark.parametrize("args", [("hip-pain", "--points", SEED), ("knee-osteoarthritis",), ("plantar-heel-pain", "--lang", "zh"),
                                  ("insomnia", "--points", "HT7,Anmian,EX-HN3,GV20,KI6"), ("hip-pain", "--large-print")])
def test_dots_read_back_from_the_pdf_are_where_the_geometry_puts_them(leaflet, drawn, args):
    path, _ = leaflet(*args)
    assert drawn  # the leaflet may lay a page out more than once while fitting it; the last drawing is the one saved
    geometry, ox, oy, h, _ = drawn[-1]
    with pdfplumber.open(path) as pdf:
        page = next(p for p in pdf.pages if p.curves)
        # markers are the filled circles (figure outlines and details are stroked only)
        circles = [((c["x0"] + c["x1"]) / 2, page.height - (c["top"] + c["bottom"]) / 2, c["x1"] - c["x0"])
                   for c in page.curves if c["fill"]]
    dots = sorted((x, y) for x, y, w in circles if abs(w - 2 * geometry.dot_radius) < 0.05)
    in_map = lambda x, y: ox - 0.5 <= x <= ox + geometry.width + 0.5 and oy - 0.5 <= y <= oy + h + 0.5  # noqa: E731
    # the points table draws the same numbered discs beside the map: count the map's own
    discs = [(x, y) for x, y, w in circles if abs(w - 2 * geometry.disc_radius) < 0.05 and in_map(x, y)]
    want = sorted((ox + d.x, oy + h - d.y) for v in geometry.views for d in v.dots)
    assert len(dots) == len(want) and all(math.hypot(a - c, b - d) < 0.05 for (a, b), (c, d) in zip(dots, want)), (dots, want)
    assert len(discs) == sum(len(v.callouts) for v in geometry.views) == len({d.number for v in geometry.views for d in v.dots})


def test_caption_says_what_the_dots_mean(leaflet):
    from conftest import flat

    _, pages = leaflet("hip-pain")
    assert "Where needles went in today; numbers match the list; dots show both sides." in flat(pages[0])
    _, pages = leaflet("hip-pain", "--lang", "zh", name="zh.pdf")
    assert "编号与列表一致" in "".join(pages[0].split())


@pytest.mark.parametrize("width", [40, 60, 75, 90, 110, 140, 200])
def test_caption_lines_never_start_with_closing_punctuation(width):
    text = LIBRARY.labels.words["map_caption"]["zh"]
    lines = bodymap.wrap_caption(text, width, lambda t: 9.0 * len(t))
    assert "".join(lines) == text
    assert not any(line[0] in bodymap.NO_LINE_START for line in lines)
    assert all(9.0 * len(line) <= width or len(line) == 1 for line in lines)


def test_check_reports_a_map_place_off_its_figure_with_file_and_line(run, tmp_path):
    import re
    from pathlib import Path

    bundled = Path(LIBRARY.files["points/KI.yaml"].root) / "points" / "KI.yaml"
    (tmp_path / "points").mkdir()
    text = bundled.read_text("utf-8")
    moved = re.sub(r"map: \{foot_inner: \[0\.760, 0\.543\]\}", "map: {foot_inner: [0.200, 0.100]}", text)  # in the air above the toes
    assert moved != text
    (tmp_path / "points" / "KI.yaml").write_text(moved, "utf-8")
    result = run("check", "--content", tmp_path)
    line = next(i for i, l in enumerate(moved.splitlines(), 1) if l.startswith("  KI3:"))
    assert result.exit_code == 1
    assert f"points/KI.yaml:{line}: error: KI3 map.foot_inner [0.2, 0.1] is outside the figure on that view" in result.output


def test_an_unknown_map_view_is_named_with_the_views_there_are(run, tmp_path):
    from pathlib import Path

    bundled = Path(LIBRARY.files["points/KI.yaml"].root) / "points" / "KI.yaml"
    (tmp_path / "points").mkdir()
    text = bundled.read_text("utf-8").replace("map: {foot_inner: [0.760, 0.543]}", "map: {ankle: [0.760, 0.543]}")
    (tmp_path / "points" / "KI.yaml").write_text(text, "utf-8")
    result = run("check", "--content", tmp_path)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "KI3.map.ankle" in result.output and "'foot_outer' or 'ear': the body-map views are drawn in" in result.output


@pytest.mark.parametrize("condition, points", [("hip-pain", SEED), ("low-back-pain", None), ("tension-headache", None)])
def test_remembered_disc_places_give_the_searched_map_and_wrong_ones_are_not_used(condition, points):
    """layout(discs=...) with the places a search found is the same map; places that do not belong to the map's
    dots (another point set, a damaged memo) are searched again."""
    from handouts.design.map_geometry import _layout, disc_places

    block = block_for(condition, points)
    marks = [(p.number, p.code, m.view, m.x, m.y) for p in block.points for m in p.marks]
    views = dict(block.views)
    widths = {v: 30.0 + i for i, v in enumerate(views)}
    searched = layout(marks, views, 230, 300, measure=lambda t: widths.get(t, 25.0))
    places = disc_places(searched)
    assert places and all(places)
    _layout.cache_clear()  # not the same geometry object from the in-process cache
    assert layout(marks, views, 230, 300, measure=lambda t: widths.get(t, 25.0), discs=places) == searched
    renumbered = tuple(tuple((n + 1, *rest) for n, *rest in view) for view in places)
    moved_dot = tuple(tuple((n, x, y, leader, (dot[0] + 1, dot[1])) for n, x, y, leader, dot in view) for view in places)
    for wrong in (renumbered, moved_dot, places[:-1] if len(places) > 1 else (), ("junk",), 7):
        _layout.cache_clear()
        again = layout(marks, views, 230, 300, measure=lambda t: widths.get(t, 25.0), discs=wrong)
        assert again == searched and map_errors(again, block) == []


# ---- landmarks: a dot is drawn where its text says, measured from the landmarks the figures draw -------------------


NUMBERS = {"half a": 0.5, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
WIDTHS = {"finger": 0.75, "thumb": 1.0}  # in cun (WHO 2008): four finger-widths are 3 cun, a thumb-width 1 cun


def landmark_findings() -> tuple[list[str], set[tuple[str, str, str]]]:
    """(what is wrong, what was checked) for every point whose English location places it above or below a landmark
    (N finger- or thumb-widths from it, or halfway between two), on every view that draws the landmark."""
    import re

    from handouts.design.map_figures import LANDMARKS

    wrong, checked = [], set()
    for code, point in sorted(LIBRARY.points.items()):
        text = point.body.location.get("en", "") if point.body.location else ""
        for view, (x, y) in point.body.map.items():
            marks = LANDMARKS.get(view, {})
            py = y * FIGURES[view].height
            for n, unit, where, name in re.findall(r"(half a|one|two|three|four|five) (finger|thumb)-widths? "
                                                   r"(above|below) the ([a-z ]+?)[.,]", text):
                mark = marks.get(name)
                if mark is None:
                    continue
                want = NUMBERS[n] * WIDTHS[unit] * mark.cun  # figure units
                got = (py - mark.y) * (mark.up if where == "above" else -mark.up)
                checked.add((code, view, name))
                if not 0.75 * want <= got <= 1.3 * want:
                    wrong.append(f"{code} on {view}: {n} {unit}-widths {where} the {name} is {want:.1f} units; "
                                 f"drawn {got:.1f} {where}")
            for a, b in re.findall(r"halfway between the ([a-z ]+?) and the ([a-z ]+?)[.,]", text):
                if a in marks and b in marks:
                    middle = (marks[a].y + marks[b].y) / 2
                    checked.add((code, view, f"{a} / {b}"))
                    if abs(py - middle) > 0.15 * abs(marks[a].y - marks[b].y):
                        wrong.append(f"{code} on {view}: halfway between the {a} and the {b} is y={middle:.1f}; drawn {py:.1f}")
    return wrong, checked


def test_points_are_drawn_where_their_text_places_them_from_a_landmark():
    wrong, checked = landmark_findings()
    assert wrong == []
    # the ones the body map was found wrong on (issue 23), and a landmark of each kind, are among those checked
    assert {("CV12", "front", "navel / lower tip of the breastbone"), ("CV4", "front", "navel"),
            ("SP6", "front", "inner ankle bone"), ("SP6", "foot_inner", "inner ankle bone"),
            ("GB39", "side", "outer ankle bone"), ("ST36", "front", "kneecap"), ("PC6", "hand_palm", "wrist crease")} <= checked


def test_the_navel_is_drawn_below_the_upper_belly_and_above_the_lower_belly():
    from handouts.design.map_figures import FRONT, LANDMARKS

    navel = [d for d in FRONT.details if all(abs(x - 50) < 0.01 for x, _ in d.points) and len(d.points) == 2
             and 80 < d.points[0][1] < 110]
    assert len(navel) == 1 and abs(sum(y for _, y in navel[0].points) / 2 - LANDMARKS["front"]["navel"].y) < 0.5
    y = {code: LIBRARY.points[code].body.map["front"][1] * FRONT.height for code in ("CV12", "CV4")}
    assert y["CV12"] < LANDMARKS["front"]["navel"].y < y["CV4"]  # upper belly above it, lower belly below it


# ---- large print: a map at least 280 pt tall, each numbered disc beside its own dot, read back from the PDF ----------


@pytest.mark.parametrize("args", [("hip-pain", "--points", SEED), ("hip-pain", "--points", SEED, "--lang", "es"),
                                  ("hip-pain", "--points", SEED, "--lang", "zh"), ("hip-pain",), ("neck-pain",),
                                  ("sciatica", "--lang", "es"), ("stress",)])
def test_large_print_map_is_tall_and_every_disc_is_beside_its_own_dot(leaflet, drawn, args):
    path, _ = leaflet(*args, "--large-print")
    geometry, ox, oy, h, _ = drawn[-1]
    spots = [(ox + d.x, oy + h - d.y, d.number) for v in geometry.views for d in v.dots]

    def owner_of(dot) -> int:  # the point whose dot (by the geometry, checked against the content above) this is
        return min(spots, key=lambda s: math.hypot(s[0] - dot[0], s[1] - dot[1]))[2]

    def segment_distance(p, a, b) -> float:
        dx, dy = b[0] - a[0], b[1] - a[1]
        t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / (dx * dx + dy * dy or 1)))
        return math.hypot(p[0] - a[0] - t * dx, p[1] - a[1] - t * dy)

    with pdfplumber.open(path) as pdf:
        page = next(p for p in pdf.pages
                    if any(abs(c["x1"] - c["x0"] - 2 * geometry.dot_radius) < 0.05 and c["fill"] for c in p.curves))
        in_map = lambda x, y: ox - 0.5 <= x <= ox + geometry.width + 0.5 and oy - 0.5 <= y <= oy + h + 0.5  # noqa: E731
        circles = [((c["x0"] + c["x1"]) / 2, page.height - (c["top"] + c["bottom"]) / 2, c["x1"] - c["x0"])
                   for c in page.curves if c["fill"]]
        dots = [(x, y) for x, y, w in circles if abs(w - 2 * geometry.dot_radius) < 0.05 and in_map(x, y)]
        discs = [(x, y) for x, y, w in circles if abs(w - 2 * geometry.disc_radius) < 0.05 and in_map(x, y)]
        chars = [c for c in page.chars if in_map((c["x0"] + c["x1"]) / 2, page.height - (c["top"] + c["bottom"]) / 2)]
        # the map's height: from the top of its highest drawing to the foot of its view labels
        labels = "".join(v.label for v in geometry.views)
        foot = max(page.height - c["bottom"] for c in chars if c["text"] in labels and c["size"] > 12)
        top = max(page.height - c["top"] for c in page.curves if in_map((c["x0"] + c["x1"]) / 2, page.height - c["top"]))
        assert top - foot >= 280, f"the map is {top - foot:.0f} pt tall"
    assert len(discs) == len({n for *_, n in spots}) and dots
    for x, y in discs:
        number = "".join(c["text"] for c in chars if c["text"].isdigit() and abs((c["x0"] + c["x1"]) / 2 - x) < geometry.disc_radius
                         and abs(page.height - (c["top"] + c["bottom"]) / 2 - y) < geometry.disc_radius)
        nearest = min(dots, key=lambda d: math.hypot(d[0] - x, d[1] - y))
        owner = owner_of(nearest)
        assert str(owner) == number, f"disc {number} at ({x:.0f}, {y:.0f}) is nearest the dot of point {owner}"
        far = math.hypot(nearest[0] - x, nearest[1] - y)
        # near it (a point between two others on an inset has its number under the inset) ...
        assert far <= 9 * geometry.disc_radius, f"disc {number} is {far:.0f} pt from its dot"
        # ... and the way from the disc to its dot passes no other point's dot
        others = [d for d in dots if owner_of(d) != owner]
        assert all(segment_distance(d, (x, y), nearest) > 2 * geometry.dot_radius for d in others), number


def test_a_laid_out_map_keeps_its_paths_but_not_its_flattened_outlines():
    """A remembered map holds only what its painters draw: the flattened outlines (for the disc search and the
    inside tests) are worked out when asked, from the fills, not kept (they were most of a mixed day's memory)."""
    from dataclasses import fields

    from handouts.design.map_geometry import ViewGeometry, flatten

    assert "outlines" not in {f.name for f in fields(ViewGeometry)}
    block = block_for("hip-pain", SEED)
    marks = [(p.number, p.code, m.view, m.x, m.y) for p in block.points for m in p.marks]
    geometry = layout(marks, dict(block.views), 140, 190)
    for view in geometry.views:
        assert view.outlines == tuple(tuple(poly) for f in view.fills for poly in flatten(f))
        assert view.outlines and "outlines" not in vars(view)
