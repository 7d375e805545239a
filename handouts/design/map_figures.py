"""Figure data for the body map: every view the map can draw, as plain point lists (no drawing library).

Each view has its own box (`width` x `height` units, x right, y down). Point coordinates in
content/points/*.yaml (`map: {front: [x, y], knee: [x, y]}`) are fractions of the box of the view they
name: x / width, y / height. All views share one drawing scale, so a unit is the same size everywhere;
insets are zoomed by drawing less of the body in a box of a similar size.

A shape is a list of sides. A closed shape (head, whole figure) has one side, smoothed as a closed curve.
A cut shape (a knee cut from the thigh and shin) has open sides whose ends are joined by straight cut
lines for the fill; only the sides are stroked. Details are thin open (or closed) lines inside.

Orientation: in `front` the patient's left is on the viewer's right; `side` shows the patient's right
side, facing right; `knee` is the right knee from the front (outer side on the left); `hand_palm` and
`hand_back` are the right hand, fingers up; `foot_outer` the right foot from outside (toes right),
`foot_inner` the right foot from inside (toes left); `head_back` (back of the head and neck) and `hip_back` (lower
back, hips and buttocks) are parts of `back` drawn larger (`_zoom`): a point's place on them is its place on `back`
moved the same way, so the two always agree. `ear` is the right ear from the side (face to the right), for ear points.
"""

from __future__ import annotations

from dataclasses import dataclass

Pt = tuple[float, float]


@dataclass(frozen=True)
class Side:
    points: tuple[Pt, ...]
    closed: bool = False


@dataclass(frozen=True)
class Shape:
    sides: tuple[Side, ...]


@dataclass(frozen=True)
class ViewFigure:
    name: str
    width: float
    height: float
    mirror: bool  # a bilateral point is marked on both sides of this view (x -> 1 - x)
    main: bool  # a whole-body view; the others are zoomed insets
    shapes: tuple[Shape, ...]
    details: tuple[Side, ...]


def _mirror_half(half: tuple[Pt, ...], width: float) -> tuple[Pt, ...]:
    """A symmetric closed outline from its right half (first and last points on the centre line)."""
    return tuple(half) + tuple((width - x, y) for x, y in reversed(half[1:-1]))


def _mirror_lines(lines: tuple[tuple[Pt, ...], ...], width: float, tolerance: float = 0.5) -> tuple[Side, ...]:
    out = []
    for line in lines:
        out.append(Side(tuple(line)))
        if not all(abs(x - width / 2) <= tolerance for x, _ in line):
            out.append(Side(tuple((width - x, y) for x, y in line)))
    return tuple(out)


def _flip(points: tuple[Pt, ...], width: float) -> tuple[Pt, ...]:
    return tuple((width - x, y) for x, y in points)


def _loop(cx: float, cy: float, rx: float, ry: float, n: int = 8) -> Side:
    import math
    return Side(tuple((round(cx + rx * math.cos(2 * math.pi * i / n), 2), round(cy + ry * math.sin(2 * math.pi * i / n), 2))
                      for i in range(n)), closed=True)


# ---- whole figure, front and back (100 x 240) ------------------------------------------

BODY_HALF: tuple[Pt, ...] = (
    (50, 3), (55.5, 4.3), (59.2, 8.5), (60.4, 15.5), (59.4, 22.5), (57, 28),  # head
    (55.2, 31), (55.6, 35.5),  # neck
    (61.5, 38.6), (69.5, 41.3), (74.3, 45.5),  # shoulder
    (76.3, 54), (77.3, 70), (78.8, 88), (81.2, 105), (83.6, 120),  # outer arm
    (86.2, 126), (87.8, 133), (87, 141), (84.6, 145.5), (81.6, 143.8), (80.2, 136.5), (79, 128.5),  # hand
    (76.9, 118), (74, 103), (71.6, 88), (70.2, 73), (68.6, 61),  # inner arm
    (67.1, 59.3),  # armpit
    (66.5, 66), (65, 80), (63.6, 94), (65.4, 105), (67.6, 115),  # side of the trunk, hip
    (68.2, 128), (66.9, 145), (64.6, 161), (63.6, 170), (64.4, 180), (63.4, 195), (60.6, 211), (59, 221),  # outer leg
    (61, 227.5), (63.2, 233), (62.4, 236.6), (56, 237.2), (53.2, 234.5), (53.4, 226),  # foot
    (53.4, 218), (52.8, 201), (53.6, 186), (53.1, 172), (52.6, 160), (52.2, 142), (50.9, 130), (50, 128.5),  # inner leg
)
_BODY = Shape((Side(_mirror_half(BODY_HALF, 100), closed=True),))

FRONT = ViewFigure("front", 100, 240, True, True, (_BODY,), _mirror_lines((
    ((52.5, 38.2), (57, 39.6), (62.5, 40.2)),  # collarbone
    ((50, 97.2), (50, 98.8)),  # navel: level with the narrowest waist, a little above the tops of the hip bones
    ((53, 123.5), (58, 118), (63.5, 111)),  # groin crease
    ((56, 166), (58.3, 164.5), (60.6, 166)),  # kneecap
    ((52.5, 18.5), (54.5, 18)),  # eye
    ((47.8, 24.3), (50, 24.9), (52.2, 24.3)),  # mouth
), 100))

BACK = ViewFigure("back", 100, 240, True, True, (_BODY,), _mirror_lines((
    ((50, 37), (50, 70), (50, 111)),  # spine
    ((53.5, 46), (59.5, 45), (62.5, 52), (58, 60)),  # shoulder blade
    ((50, 112), (50, 124)),  # buttock cleft
    ((51, 126.5), (58, 129.5), (66, 127.5)),  # buttock crease
    ((55.5, 167.5), (58.5, 166.5), (61.5, 167.5)),  # back of the knee
), 100))

# ---- whole figure from the side (60 x 240), facing right: the patient's right side ----------------

SIDE = ViewFigure("side", 60, 240, False, True, (Shape((Side((
    (28, 3), (36, 5), (40, 10), (41.5, 15), (41.2, 17.5), (43.5, 20.5), (41.3, 22.5), (41.6, 24.5), (40.6, 27),
    (37.5, 28.8), (33.5, 30), (33.6, 35), (36.5, 38.5), (39.5, 46), (40.6, 56), (39.2, 67), (39.6, 80), (40.2, 92),
    (38.6, 104), (36.4, 114), (36.8, 126), (36.2, 146), (34.4, 161), (35, 170), (33.4, 182), (32.2, 200), (31.2, 216),
    (33, 225), (39.5, 231), (44, 234.5), (43, 237.4), (27, 237.6), (23.6, 235), (24.6, 226), (25.4, 215), (24.2, 196),
    (23, 181), (24.6, 168), (23.6, 151), (22.4, 133), (18.4, 123), (17.4, 111), (19.8, 100), (21, 88), (19.4, 70),
    (17.8, 55), (19, 43), (21.6, 36), (22, 30.5), (19, 26), (16.6, 18), (18, 9.5), (22, 4.6),
), closed=True),)),), (
    Side(((26.6, 13.5), (29.2, 13.2), (30.2, 16.8), (29, 20.6), (27, 20.2), (26.6, 17)), closed=True),  # ear
    Side(((37, 15.8), (38.6, 15.4), (39.8, 15.8))),  # eye
    Side(((22, 38.5), (27.5, 36.8), (33, 38.5))),  # top of the shoulder
    Side(((24, 40), (26, 52), (27.2, 66), (27.8, 80))),  # back of the arm, at rest
    Side(((33.5, 41), (33.6, 56), (33, 70), (32.2, 80))),  # front of the arm
    Side(((27.8, 80), (30, 82.5), (32.2, 80))),  # elbow
    Side(((34.5, 164.5), (35.6, 169.5), (34.2, 175))),  # kneecap
    _loop(27.6, 223, 2.2, 2.6),  # outer ankle bone
))

# ---- head, front (80 x 90) and side (80 x 90) ------------------------------------------------------

_HEAD_HALF: tuple[Pt, ...] = (
    (40, 4), (50, 5.6), (57.5, 11), (62, 20), (63.5, 31), (63, 42), (61.5, 52), (58.5, 61), (54.5, 68.5), (50, 74),
    (51.5, 82), (53, 90), (40, 90),
)
HEAD_FRONT = ViewFigure("head_front", 80, 90, True, False, (
    Shape((Side(_mirror_half(_HEAD_HALF, 80), closed=True),)),
    Shape((Side(((63, 35), (66.5, 33.8), (68.2, 38.5), (67.2, 45.5), (64.2, 50.5), (62.4, 48)), closed=True),)),
    Shape((Side(_flip(((63, 35), (66.5, 33.8), (68.2, 38.5), (67.2, 45.5), (64.2, 50.5), (62.4, 48)), 80), closed=True),)),
), _mirror_lines((
    ((43, 37.4), (48, 35.8), (53, 35.6), (57.5, 37)),  # eyebrow
    ((44, 43.2), (47.5, 41.4), (51, 41.2), (54.5, 43)),  # upper eyelid
    ((44, 43.2), (47.5, 44.6), (51, 44.6), (54.5, 43)),  # lower eyelid
    ((41.5, 45), (42.2, 53), (43.6, 57.2), (41.2, 58.6)),  # side of the nose
    ((40, 65.5), (44.5, 65), (48, 66)),  # mouth
    ((36, 70.5), (40, 71.2), (44, 70.5)),  # lower lip
    ((24, 22), (32, 17.5), (40, 16.5), (48, 17.5), (56, 22)),  # hairline
), 80) + (_loop(47.8, 43, 1.5, 1.5, 6), _loop(32.2, 43, 1.5, 1.5, 6)))

HEAD_SIDE = ViewFigure("head_side", 80, 90, False, False, (
    Shape((Side(((38, 4), (50, 5.8), (58, 12), (62, 22), (63.6, 30.5), (62.2, 35), (63.6, 38.5), (68, 46.5), (63.8, 49.2),
                 (64.8, 52), (63.2, 54.6), (64.2, 57.4), (62.6, 63), (56.5, 67.8), (50.5, 72), (50.6, 81), (52, 90)),),
                Side(((27, 90), (26.6, 80), (25, 70), (20, 62), (15.4, 48), (15.6, 32), (20.4, 17.5), (28, 8), (38, 4))))),
), (
    Side(((41, 36), (45, 35.4), (47.2, 40), (46.2, 46.5), (43, 51.5), (40, 50.2), (40.8, 44)), closed=True),  # ear
    Side(((42.4, 40.5), (44.4, 40.2), (44.6, 44), (43, 47))),  # inside the ear
    Side(((54.5, 32.6), (58, 31), (62, 31.6))),  # eyebrow
    Side(((56.5, 37.6), (59, 36.4), (61.6, 37.4))),  # eye
    Side(((57.4, 38), (59.4, 38.8), (61.2, 38))),
    Side(((60.5, 53.8), (63.4, 54.4))),  # mouth
    Side(((40, 52.5), (43, 61), (50, 66))),  # jaw
    Side(((54, 17), (46, 23), (40, 31), (38.5, 37))),  # hairline, in front of the ear
))

# ---- right hand, palm and back (60 x 110), fingers up ----------------------------------------------

_PALM: tuple[Pt, ...] = (
    (16, 110), (17.4, 86), (18.6, 72.5), (15, 61), (12.6, 49), (11.6, 39), (11.4, 30), (12.8, 24.2), (16, 23.6),
    (17.8, 28.5), (18.4, 37.5), (18.6, 22.5), (20.6, 14.2), (24, 13.6), (26.2, 20.4), (26.6, 36.4), (27, 17),
    (29, 9), (32.6, 8.6), (34.6, 15), (34.8, 36.6), (35.6, 20.4), (37.6, 13.2), (41.2, 13.6), (42.8, 21.2),
    (42.2, 41), (45.4, 45.4), (51, 39.6), (55, 37.8), (56.8, 41.2), (53.4, 50), (48.2, 59.6), (43.2, 67.4),
    (42, 73), (43, 86), (44, 110),
)
HAND_PALM = ViewFigure("hand_palm", 60, 110, False, False, (Shape((Side(_PALM),)),), (
    Side(((19, 71.2), (30, 72.8), (41.6, 71.2))),  # wrist crease
    Side(((13.6, 50), (24, 47.5), (33, 45), (40.5, 41.6))),  # palm crease
    Side(((41.6, 46), (37.2, 55), (34.6, 66.4))),  # crease around the thumb
    Side(((27.8, 75), (28.2, 92), (28.6, 106))),  # tendons of the forearm
    Side(((32.4, 75), (32.6, 92), (32.8, 106))),
))

HAND_BACK = ViewFigure("hand_back", 60, 110, False, False, (Shape((Side(_flip(_PALM, 60)),)),), (
    Side(((18.6, 71.2), (30, 70.2), (41.4, 71.2))),  # wrist
    _loop(19.6, 40.6, 2.2, 1.6, 6), _loop(27.2, 36.6, 2.2, 1.6, 6), _loop(34.2, 36.8, 2.2, 1.6, 6), _loop(41.4, 40.2, 2, 1.5, 6),  # knuckles
    Side(((21, 44), (23, 55), (27, 66))),  # tendons on the back of the hand
    Side(((34.5, 41), (33.6, 54), (32, 66))),
    Side(((17.6, 44), (15.8, 48), (12.5, 49.6))),  # web between thumb and index finger
))

# ---- right knee from the front (60 x 100): outer side on the left -------------------------------------

KNEE = ViewFigure("knee", 60, 100, False, False, (Shape((
    Side(((8, 0), (9.4, 20), (11, 38), (11.6, 48), (12.8, 58), (12.2, 68), (13.2, 82), (16, 100))),
    Side(((44, 100), (45.4, 82), (46.6, 70), (47.6, 60), (50, 48), (50.6, 30), (51.2, 14), (52, 0))),
)),), (
    _loop(30.5, 42, 8, 9.6, 10),  # kneecap
    Side(((26.6, 52.4), (27, 58), (27.8, 63))),  # tendon under the kneecap
    Side(((34.4, 52.4), (34, 58), (33.2, 63))),
    _loop(15.2, 60.4, 2.2, 2.6, 8),  # head of the fibula (outer bony knob)
    Side(((30.5, 66), (31, 84), (31.6, 100))),  # shin bone
))

# ---- right foot and ankle, from outside (toes right) and inside (toes left), 100 x 70 ----------------------

_FOOT_OUT: tuple[Pt, ...] = (
    (44, 0), (43, 24), (44.2, 37), (51, 43), (62, 46.5), (74, 49.6), (85, 52.6), (92.6, 55.6), (95.2, 60), (93, 64),
    (82, 65.6), (56, 65), (32, 66.2), (20, 65.4), (15.2, 60.2), (15, 51.6), (18.6, 40), (21.6, 25), (21, 0),
)
FOOT_OUTER = ViewFigure("foot_outer", 100, 70, False, False, (Shape((Side(_FOOT_OUT),)),), (
    _loop(29, 37.5, 3.6, 4, 8),  # outer ankle bone
    Side(((24, 10), (23.2, 26), (21, 40))),  # heel cord
    Side(((88, 54.2), (89, 58.5), (88.6, 62.4))),  # little toe
    Side(((56, 62.4), (60, 59.8), (64.6, 62))),  # base of the fifth foot bone
))

_FOOT_IN = tuple((100 - x, y) for x, y in _FOOT_OUT)
_FOOT_IN = tuple((x, 61.6) if (x, y) == (44, 65) else (x, y) for x, y in _FOOT_IN)  # the arch
FOOT_INNER = ViewFigure("foot_inner", 100, 70, False, False, (Shape((Side(_FOOT_IN),)),), (
    _loop(70, 36, 3.8, 4, 8),  # inner ankle bone
    Side(((76, 10), (76.8, 26), (79, 40))),  # heel cord
    Side(((12.5, 55.6), (11.4, 60), (12, 63.6))),  # big toe
    Side(((20, 48), (23, 50.2))),  # big-toe joint crease
))

# ---- zoomed parts of the back: the back of the head and neck, and the hips and buttocks ------------------------
#
# Where points crowd on the whole back (the base of the skull, the low back and buttock), these insets draw that part
# of `back` larger. Figure units here are back-figure units moved by (x0, y0) and multiplied by the zoom, so a place
# on `back` (bx, by) is ((bx - x0) * zoom, (by - y0) * zoom) here (content gives both; tests check they agree).

NECK_ZOOM = dict(x0=20.0, y0=0.0, zoom=2.4, width=60.0, height=58.0)
HIP_ZOOM = dict(x0=28.0, y0=72.0, zoom=2.4, width=44.0, height=64.0)


def _zoom(points, x0: float, y0: float, zoom: float, **_) -> tuple[Pt, ...]:
    return tuple((round((x - x0) * zoom, 2), round((y - y0) * zoom, 2)) for x, y in points)


def _zoom_lines(lines, spec) -> tuple[Side, ...]:
    return tuple(Side(_zoom(side.points, **spec), side.closed) for side in _mirror_lines(lines, 100))


_NECK_HALF = BODY_HALF[:12]  # the head, the neck and the shoulder, down to the upper arm
_NECK_OUTLINE = ((23.45, 57),) + tuple((100 - x, y) for x, y in reversed(_NECK_HALF[1:])) + _NECK_HALF + ((76.55, 57),)
_EAR = ((60.2, 13.5), (61.8, 14.2), (62.4, 17.5), (61.6, 21), (60, 22))

HEAD_BACK = ViewFigure("head_back", NECK_ZOOM["width"] * NECK_ZOOM["zoom"], NECK_ZOOM["height"] * NECK_ZOOM["zoom"],
                       True, False, (
    Shape((Side(_zoom(_NECK_OUTLINE, **NECK_ZOOM)),)),
    Shape((Side(_zoom(_EAR, **NECK_ZOOM), closed=True),)),
    Shape((Side(_zoom(_flip(_EAR, 100), **NECK_ZOOM), closed=True),)),
), _zoom_lines((
    ((41.8, 23.6), (45.5, 25), (50, 25.5)),  # base of the skull
    ((50, 31), (50, 44), (50, 57)),  # spine
    ((46.2, 28), (45, 33), (43, 37.5)),  # edge of the big neck muscle
    ((53.5, 46), (59.5, 45), (62.5, 52), (61.5, 57)),  # top of the shoulder blade
), NECK_ZOOM))

_HIP_LEFT = ((34.29, 74), (35, 80), (36.4, 94), (34.6, 105), (32.4, 115), (31.8, 128), (32.26, 134))
_HIP_INNER = ((48.67, 134), (49.1, 130), (50, 128.5), (50.9, 130), (51.33, 134))

HIP_BACK = ViewFigure("hip_back", HIP_ZOOM["width"] * HIP_ZOOM["zoom"], HIP_ZOOM["height"] * HIP_ZOOM["zoom"],
                      True, False, (Shape((
    Side(_zoom(_HIP_LEFT, **HIP_ZOOM)),
    Side(_zoom(_HIP_INNER, **HIP_ZOOM)),
    Side(_zoom(tuple(reversed(_flip(_HIP_LEFT, 100))), **HIP_ZOOM)),
)),), _zoom_lines((
    ((50, 74.5), (50, 92), (50, 103)),  # spine
    ((50, 121.5), (50, 124.5)),  # buttock cleft
    ((51, 126.5), (58, 129.5), (66, 127.5)),  # buttock crease
    ((36.8, 96.5), (41, 99), (45, 101.5)),  # top of the hip bone
), HIP_ZOOM) + (
    Side(_zoom(((50, 103), (54.5, 104), (53.2, 112), (50, 121), (46.8, 112), (45.5, 104)), **HIP_ZOOM), closed=True),  # sacrum
))


# ---- right ear from the side (60 x 90): the face is to the right, the back of the head to the left ------------
# Drawn by us, after the auricle's parts as standard charts name them (helix, antihelix and its two crura, the
# triangular fossa between them, the cymba and cavum of the concha above and below the helix crus, tragus,
# antitragus, lobe). Ear points (techniques.yaml `points:`) are fractions of this box, like the body's.

_EAR_OUT: tuple[Pt, ...] = (
    (33, 2), (22, 4), (12, 11), (6, 23), (6, 37), (9, 49), (14, 59), (17, 68), (18, 77), (23, 85), (31, 88.5),
    (38, 85), (41, 77), (42, 70),  # lobe, up to the notch between the antitragus and the tragus
    (46, 66), (51, 61), (53, 52), (50, 44),  # the tragus
    (47, 38), (48, 27), (46, 15), (41, 6),  # the front of the helix, up to its top
)
EAR = ViewFigure("ear", 60, 90, False, False, (Shape((Side(_EAR_OUT, closed=True),)),), (
    Side(((45, 37), (43.5, 24), (40, 13), (32, 8.5), (21, 10), (13.5, 18), (10.5, 31), (12, 45), (16.5, 57), (21.5, 65))),  # helix rim
    Side(((28, 66), (23.5, 56), (20.5, 44), (20.5, 34), (23.5, 28.5))),  # antihelix
    Side(((23.5, 28.5), (23, 20), (25.5, 13))),  # its upper crus
    Side(((23.5, 28.5), (31, 26.5), (41.5, 26))),  # its lower crus (the triangular fossa is between the two)
    Side(((46, 37.5), (40, 37), (33.5, 39))),  # the helix crus, between the cymba (above) and the cavum (below)
    Side(((28, 66), (33, 62.5), (38.5, 64.5), (41, 69))),  # the antitragus
    _loop(45.5, 49, 2.2, 3, 8),  # the opening of the ear canal, behind the tragus
))


# ---- landmarks --------------------------------------------------------------------------------------------------
#
# Where the body parts that point locations are measured from are drawn (figure units), and the body inch (B-cun,
# WHO 2008) there in figure units, from the proportional measures: navel to the top of the pubic bone 5 cun, the lower
# tip of the breastbone to the navel 8 cun, below the knee (the inner hollow, SP9) to the inner ankle bone 13 cun,
# the knee crease to the outer ankle bone 16 cun, the wrist crease to the elbow crease 12 cun. Four finger-widths are
# 3 cun, a thumb-width 1 cun. `up` is the direction of "above" in the view: -1 where the head is up (y down), +1 on
# the hand views (fingers up: "above the wrist crease" is towards the elbow, down the page).


@dataclass(frozen=True)
class Landmark:
    y: float
    cun: float
    up: int = -1


LANDMARKS: dict[str, dict[str, Landmark]] = {
    "front": {
        "navel": Landmark(98, 4.2), "lower tip of the breastbone": Landmark(68, 3.75), "pubic bone": Landmark(119, 4.2),
        "kneecap": Landmark(168, 3.46), "inner top corner of the kneecap": Landmark(161.5, 3.46),
        "outer top corner of the kneecap": Landmark(161.5, 3.46), "hollow under the knee": Landmark(176, 3.46),
        "inner ankle bone": Landmark(222, 3.46),
    },
    "side": {"outer ankle bone": Landmark(223, 3.44)},
    "foot_inner": {"inner ankle bone": Landmark(36, 9.0)},
    "foot_outer": {"outer ankle bone": Landmark(37.5, 9.0)},
    "hand_palm": {"wrist crease": Landmark(72, 7.0, up=1)},
    "hand_back": {"wrist crease": Landmark(70.5, 7.0, up=1)},
}

FIGURES: dict[str, ViewFigure] = {f.name: f for f in (FRONT, BACK, SIDE, HEAD_FRONT, HEAD_SIDE, HEAD_BACK, HAND_PALM,
                                                      HAND_BACK, HIP_BACK, KNEE, FOOT_INNER, FOOT_OUTER, EAR)}
VIEWS: tuple[str, ...] = tuple(FIGURES)
