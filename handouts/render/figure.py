"""Path data of the body-map figure: a neutral standing outline, front and back, in a 100 x 240 box.

Units run from the top-left corner of the figure box (x right, y down). Point coordinates in
content/points/*.yaml are fractions of this box: x / WIDTH, y / HEIGHT. The figure is symmetric;
the outline below is its right half (as seen), from the top of the head down to the crotch.
In the front view the patient's left side is on the viewer's right; in the back view, on the left.
"""

from __future__ import annotations

WIDTH = 100.0
HEIGHT = 240.0
CENTRE = WIDTH / 2

# Right half of the silhouette, smoothed through these points (Catmull-Rom) when drawn.
HALF_OUTLINE: tuple[tuple[float, float], ...] = (
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

# Thin inner lines that tell the views apart at a glance (open polylines, smoothed; mirrored pairs listed once).
DETAILS: dict[str, tuple[tuple[tuple[float, float], ...], ...]] = {
    "front": (
        ((52.5, 38.2), (57, 39.6), (62.5, 40.2)),  # collarbone
        ((53, 123.5), (58, 118), (63.5, 111)),  # groin crease
        ((56, 166), (58.3, 164.5), (60.6, 166)),  # kneecap
    ),
    "back": (
        ((50, 37), (50, 70), (50, 111)),  # spine
        ((53.5, 46), (59.5, 45), (62.5, 52), (58, 60)),  # shoulder blade
        ((50, 112), (50, 124)),  # buttock cleft
        ((51, 126.5), (58, 129.5), (66, 127.5)),  # buttock crease
        ((55.5, 167.5), (58.5, 166.5), (61.5, 167.5)),  # back of the knee
    ),
}
MIDLINE_TOLERANCE = 0.5  # a detail whose points all sit this close to the centre is drawn once


def outline() -> list[tuple[float, float]]:
    """The whole closed silhouette: the right half, then its mirror image back up the left side."""
    right = list(HALF_OUTLINE)
    left = [(WIDTH - x, y) for x, y in reversed(right[1:-1])]
    return right + left


def details(view: str) -> list[list[tuple[float, float]]]:
    """The detail lines of one view, each mirrored to the other side unless it is on the midline."""
    out: list[list[tuple[float, float]]] = []
    for line in DETAILS[view]:
        out.append(list(line))
        if not all(abs(x - CENTRE) <= MIDLINE_TOLERANCE for x, _ in line):
            out.append([(WIDTH - x, y) for x, y in line])
    return out


def smooth(points: list[tuple[float, float]], closed: bool) -> list[tuple[tuple[float, float], ...]]:
    """Cubic Bezier segments (c1, c2, end) through the points (Catmull-Rom, tension 1/6)."""
    n = len(points)
    segments = []
    last = n if closed else n - 1
    for i in range(last):
        p0 = points[(i - 1) % n] if closed or i > 0 else points[i]
        p1 = points[i]
        p2 = points[(i + 1) % n]
        p3 = points[(i + 2) % n] if closed or i + 2 < n else p2
        c1 = (p1[0] + (p2[0] - p0[0]) / 6, p1[1] + (p2[1] - p0[1]) / 6)
        c2 = (p2[0] - (p3[0] - p1[0]) / 6, p2[1] - (p3[1] - p1[1]) / 6)
        segments.append((c1, c2, p2))
    return segments
