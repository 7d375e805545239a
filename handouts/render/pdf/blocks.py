"""Leaflet blocks that help a patient act: key points, note, checklist, icon lists, the points grid, the urgent box."""

from __future__ import annotations

from reportlab.lib.colors import HexColor
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Spacer, Table

from ...library.cache import LRU, DiskMemo
from ...model import BodyMap, Callout, Checklist, IconList, KeyPoints, Note, Paragraph, PointsTable
from .icons import Icon
from .kinsoku import Paragraph as RLParagraph
from .text import text_width

_FLAT = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
         ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]


def draw_block(b, block) -> list[Flowable] | None:
    """Flowables for the blocks this module draws (None: not one of them). `b` is a flowables.Builder."""
    handler = _HANDLERS.get(type(block))
    return handler(b, block) if handler else None


def _run_in(b, label: str, text: str, name: str = "body") -> str:
    """Markup: a bold label, then the text, on one line (no space after a full-width colon)."""
    label = label.replace(" ", "\u00a0")  # a label never breaks across lines ("Por qué:")
    return b.s.markup(label if label[-1:] >= "\u2e80" else label + " ", "lead") + b.s.markup(text, name)


class Disc(Flowable):
    """A point's number in the same filled disc as on the body map."""

    def __init__(self, b, number: int):
        super().__init__()
        self.s, self.number = b.s, number
        self.r = b.s.data["layout"]["body_map"]["dot"]
        self.width = self.height = 2 * self.r

    def wrap(self, avail_width, avail_height):
        return self.width, self.height

    def draw(self):
        from .text import draw_runs

        c = self.canv
        c.setFillColor(HexColor(self.s.colour("marker")))
        c.circle(self.r, self.r, self.r, stroke=0, fill=1)
        size = self.s.text("marker")["size"]
        draw_runs(c, self.s, self.r, self.r - size * 0.35, str(self.number), "marker", align="centre")


DISC_GAP = 3  # points between a row's number disc and its point code


class _DiscCode(Flowable):
    """A points row's number disc and, after it on the same line, the point's code (centred on the disc)."""

    def __init__(self, b, number: int, code: Flowable):
        super().__init__()
        self.disc, self.code = Disc(b, number), code

    def wrap(self, avail_width, avail_height):
        d = self.disc.width
        _, self._ch = self.code.wrap(max(avail_width - d - DISC_GAP, 1), avail_height)
        self.width, self.height = avail_width, max(d, self._ch)
        return self.width, self.height

    def draw(self):
        d = self.disc.width
        self.disc.drawOn(self.canv, 0, (self.height - d) / 2)
        self.code.drawOn(self.canv, d + DISC_GAP, (self.height - self._ch) / 2)


def key_points(b, block: KeyPoints) -> list[Flowable]:
    style = b.s.paragraph("body", spaceAfter=2)
    rows: list[Flowable] = [b.para(block.title, "key_title", spaceAfter=1)]
    rows += [RLParagraph(_run_in(b, label, text), style) for label, text in block.lines]
    visit, time = block.next_visit
    blank = "_" * 18  # the same blank in large print, where it is wider anyway
    rows.append(RLParagraph(b.s.markup(visit + " ", "lead") + b.s.markup(blank + "    ", "body") + b.s.markup(time + " ", "lead")
                            + b.s.markup("_" * 10, "body"), b.s.paragraph("body", spaceBefore=2)))
    pad = b.s.data["layout"]["padding"] + 2
    table = Table([[rows]], colWidths=[b.width])
    table.setStyle(b.table_style([
        ("BACKGROUND", (0, 0), (-1, -1), HexColor(b.s.colour("tint"))),
        ("LINEBEFORE", (0, 0), (0, -1), 4, HexColor(b.s.colour("accent"))),
        ("LEFTPADDING", (0, 0), (-1, -1), pad + 4), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    return [Spacer(1, 2), table]


def note(b, block: Note) -> list[Flowable]:
    signed = ("\u2003" + b.s.markup(block.signature, "lead")) if block.signature else ""  # signed at the end of the note
    parts = [RLParagraph(_run_in(b, block.heading, block.text) + signed, b.s.paragraph("body", spaceAfter=1))]
    table = Table([[parts]], colWidths=[b.width])
    pad = b.s.data["layout"]["padding"]
    table.setStyle(b.table_style([("BOX", (0, 0), (-1, -1), 1, HexColor(b.s.colour("accent"))),
                                  ("LEFTPADDING", (0, 0), (-1, -1), pad + 2), ("RIGHTPADDING", (0, 0), (-1, -1), pad + 2),
                                  ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad)]))
    return [Spacer(1, 6), table]


class _Boxes(Flowable):
    """`count` empty squares to tick, in a row."""

    def __init__(self, count: int, size: float):
        super().__init__()
        self.count, self.size = count, size
        self.gap = size * 0.35

    def wrap(self, avail_width, avail_height):
        self.width = self.count * (self.size + self.gap)
        return self.width, self.size

    def draw(self):
        self.canv.setLineWidth(1)
        for i in range(self.count):
            self.canv.rect(i * (self.size + self.gap), 0, self.size, self.size, stroke=1, fill=0)


def checklist(b, block: Checklist) -> list[Flowable]:
    size = b.s.text("body")["size"]
    cells = []
    for label, count in block.groups:
        cells.append([b.para(label, "lead"), _Boxes(count, size)])
    rows = [[b.para(block.title, "lead")]] + ([[c for pair in cells for c in pair]] if not b.one_column else [])
    if b.one_column:
        # Large print: the title with the first phase's boxes, then one piece per further phase, so that a page can end
        # between two phases (as between two items of a list) instead of all of it moving on and leaving a hole.
        first = [[b.para(block.title, "lead")], [[cells[0][0], cells[0][1]]]] if cells else [[b.para(block.title, "lead")]]
        parts = [first] + [[[[c[0], c[1]]]] for c in cells[1:]]
        tables = []
        for rows in parts:
            table = Table(rows, colWidths=[b.width])
            table.setStyle(b.table_style([*_FLAT, ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
            tables.append(table)
        return tables
    widths = []
    for label, count in block.groups:
        widths += [text_width(b.s, label, "lead") + 5, count * size * 1.35 + 4]
    title = text_width(b.s, block.title, "lead") + 5
    if title + sum(widths) <= b.width:  # all on one line: the title, then each phase's boxes
        row = Table([[b.para(block.title, "lead"), *[c for pair in cells for c in pair]]], colWidths=[title, *widths], hAlign="LEFT")
        row.setStyle(b.table_style([*_FLAT, ("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
        return [row]
    if sum(widths) > b.width:  # one phase a line
        table = Table([[b.para(block.title, "lead")]] + [[[c[0], c[1]]] for c in cells], colWidths=[b.width], hAlign="LEFT")
        table.setStyle(b.table_style([*_FLAT, ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]))
        return [table]
    table = Table(rows[1:], colWidths=widths, hAlign="LEFT")
    table.setStyle(b.table_style([*_FLAT, ("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
    outer = Table([[rows[0][0]], [table]], colWidths=[b.width], hAlign="LEFT")  # the title stays with its boxes
    outer.setStyle(b.table_style([*_FLAT, ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
    return [outer]


def icon_list(b, block: IconList) -> list[Flowable]:
    """Numbered steps or pictogram items: one column, one row each, never split inside an item."""
    size = b.s.text("body")["size"]
    first = size * 2.0
    rows = []
    start = getattr(b, "last_step", 0) + 1 if block.continues else 1
    if block.numbered:
        b.last_step = start + len(block.items) - 1
    for i, (icon, text) in enumerate(block.items, start=start):
        mark = b.para(f"{i}.", "lead") if block.numbered else Icon(icon, size * 1.15, b.s.colour("accent"))
        rows.append([mark, b.para(text, "body", spaceAfter=0)])
    table = Table(rows, colWidths=[first, b.width - first])
    table.setStyle(b.table_style([*_FLAT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                                  ("TOPPADDING", (0, 0), (0, -1), 0 if block.numbered else 1)]))
    return [table]


def points_grid(b, block: PointsTable, width: float | None = None, rows: tuple | None = None, header: bool = True,
                stripe: int = 0) -> Table:
    """One grid on every row: the number disc beside the point's code, over its pinyin and characters (small, grey) | where, why.

    `rows` (default: all) with or without the header row; `stripe` continues the row shading of an earlier part."""
    width = width or b.width
    r = b.s.data["layout"]["body_map"]["dot"]
    pad = b.s.data["layout"]["padding"]
    longest = max((text_width(b.s, t, "point_meta") + (2 * r + DISC_GAP if t == row.code else 0)
                   for row in block.rows for t in (row.code, row.pinyin, row.hanzi)), default=0)
    point = max(longest * 1.05 + 2 * pad, 2 * r + 2 * pad)  # as wide as the longest name (the code after its disc): never broken
    head = [b.para(block.headers[0], "table_head"), b.para(f"{block.headers[1]} · {block.headers[2]}", "table_head")]
    out: list[list] = [head] if header else []
    for row in block.rows if rows is None else rows:
        out.append(_cells(b, block, row))
    shades = [HexColor("#FFFFFF"), HexColor(b.s.colour("tint"))][::-1 if stripe % 2 else 1]
    first = 1 if header else 0
    table = Table(out, colWidths=[point, width - point], repeatRows=first)  # a row never splits mid-sentence
    table.setStyle(b.table_style([
        *([("BACKGROUND", (0, 0), (-1, 0), HexColor(b.s.colour("accent")))] if header else []),
        ("ROWBACKGROUNDS", (0, first), (-1, -1), shades),
        ("LINEBELOW", (0, first), (-1, -1), 0.5, HexColor(b.s.colour("rule"))),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("TOPPADDING", (0, 0), (-1, -1), pad - 2), ("BOTTOMPADDING", (0, 0), (-1, -1), pad - 1),
        ("LEFTPADDING", (0, 0), (-1, -1), pad - 1), ("RIGHTPADDING", (0, 0), (-1, -1), pad - 1),
    ]))
    return table


def _cells(b, block: PointsTable, row) -> list:
    """A row's two cells: the number disc beside the point's code, over its pinyin and characters; where and why (and
    its note). The disc on the code's line, not above it: a row of two or three lines of text is no taller than its
    text (a disc on a line of its own made every short row four lines tall, and pushed Spanish sheets' last rows over)."""
    where, why = block.run_in or (f"{block.headers[1]}:", f"{block.headers[2]}:")
    meta = [_DiscCode(b, row.number, b.para(row.code, "point_meta")), b.para(row.pinyin, "point_meta"), b.para(row.hanzi, "point_meta")]
    sep = "" if why[-1:] >= "\u2e80" else " "  # no space between Chinese sentences
    text = [RLParagraph(_run_in(b, where, row.location, "table") + sep + _run_in(b, why, row.why, "table"), b.s.paragraph("table"))]
    if row.note:
        text.append(b.para(row.note, "lead"))
    return [meta, text]


class _Rest(Flowable):
    """The grid's rows under the map, full width without a header; the rows a page foot pushes overleaf get the header again."""

    def __init__(self, b, block: PointsTable, rows: tuple, stripe: int):
        super().__init__()
        self.b, self.block, self.rows, self.stripe = b, block, rows, stripe
        self.table = points_grid(b, block, rows=rows, header=False, stripe=stripe)
        self.spaceBefore = b.s.data["layout"]["padding"]  # clear of the map column's last line

    def wrap(self, avail_width, avail_height):
        self.width, self.height = self.table.wrap(avail_width, avail_height)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, 10_000)
        used, n = 0.0, 0
        for h in self.table._rowHeights:
            if used + h > avail_height:
                break
            used, n = used + h, n + 1
        if n == 0:  # not one row fits here: all of them overleaf, under the header
            return [Spacer(1, 0), points_grid(self.b, self.block, rows=self.rows, stripe=self.stripe)]
        return [_Rest(self.b, self.block, self.rows[:n], self.stripe),
                points_grid(self.b, self.block, rows=self.rows[n:], stripe=self.stripe + n)]

    def draw(self):
        self.table.drawOn(self.canv, 0, 0)


def _map_column(b, figure: BodyMap, use: Paragraph | None, width: float) -> tuple[Table, float]:
    """The map at this width (its height in proportion), how to use it under it; and the column's height."""
    from .bodymap import BodyMapFlowable

    spec = b.s.data["layout"]["body_map"]
    column: list[Flowable] = [BodyMapFlowable(figure, b.s, width, spec["height"] * width / spec["width"])]
    if use:
        column.append(b.para(use.text, "map_use", spaceBefore=6))
    left = Table([[f] for f in column], colWidths=[width])
    left.setStyle(b.table_style(_FLAT))
    return left, left.wrap(width, 10_000)[1]


def map_and_table(b, figure: BodyMap, table: PointsTable, use: Paragraph | None, head: list[Flowable]) -> list[Flowable]:
    """The map (with how to use it under it) beside the points grid, the rows after the map's foot running the full width.

    The map's width is the one (from the style's width up to about two fifths of the page) that makes the pair
    shortest: a larger map where the rows beside it need the height anyway, never a column of empty space."""
    from .beside import Beside

    spec = b.s.data["layout"]["body_map"]
    if b.one_column or not spec.get("beside_table"):
        drawing = b.body_map(figure)
        under = [b.para(use.text, "map_use", spaceBefore=4, spaceAfter=6)] if use else []
        grid = points_grid(b, table)
        # the map, its line and the grid's header and first two rows on one page (the rest follows, header repeated)
        grid.wrap(b.width, 10_000)
        need = sum(grid._rowHeights[:3]) + sum(f.wrap(b.width, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter()
                                              for f in [*head, drawing, *under])
        return [CondPageBreak(need), *head, drawing, *under, grid]
    gap = spec["gap"] + 4
    rows = table.rows
    # The search depends only on these values (not on the patient): remembered, it runs once per distinct
    # map and table, not once per fitting pass and per patient. Same inputs, same choice: same bytes.
    # Kept on disk too (cache.DiskMemo: digests of these values, never text; they are content and the set of points
    # used, nothing else of a visit), so a new process skips the search.
    key = ("dots apart", _style_digest(b.s.data), b.s.accent, b.s.page_size, b.width, figure, table, use)
    try:
        chosen = _CHOSEN.hit(key)
    except TypeError:  # an unhashable block: search every time
        key, chosen = None, None
    if chosen is None and key is not None:
        kept = _ON_DISK.get(key)
        if isinstance(kept, tuple) and len(kept) == 2 and all(isinstance(v, int) for v in kept):
            chosen = _CHOSEN.keep(key, kept)
    if chosen is None:
        chosen = _widest_shortest(b, figure, table, use, spec, gap)
        if key is not None:
            _CHOSEN.keep(key, chosen)
            _ON_DISK.put(key, chosen)
    width, n = chosen
    left, _ = _map_column(b, figure, use, width)
    narrow = b.width - width - gap
    out: list[Flowable] = [Beside(left, points_grid(b, table, narrow, rows=rows[:n]), width + gap, head)]
    if rows[n:]:
        out.append(_Rest(b, table, rows[n:], n))
    return out


_CHOSEN = LRU(256)  # (style, width, map, table, line) -> (map width, rows beside it)
_SPLITS = LRU(1024)  # (style, accent, width, icon size, urgent box) -> the widths of its two columns (two numbers: a day of every condition, language, paper and flag set keeps them all)
_ON_DISK = DiskMemo("layout")
_STYLES: dict[int, tuple[dict, str]] = {}  # id(style data) -> (the data, its digest): style sheets are shared, read-only


def _style_digest(data: dict) -> str:
    hit = _STYLES.get(id(data))
    if hit is None or hit[0] is not data:
        hit = _STYLES[id(data)] = (data, DiskMemo.digest(data))
    return hit[1]


def _widest_shortest(b, figure: BodyMap, table: PointsTable, use: Paragraph | None, spec: dict, gap: float) -> tuple[int, int]:
    """The map width and the number of rows beside it that make the pair shortest (then the larger map)."""
    rows = table.rows
    best = None
    step = 10
    full = points_grid(b, table, rows=rows, header=False)  # the rows at full width under the map: the same for every width
    full.wrap(b.width, 10_000)
    widths = range(int(spec["width"]), int(b.width * 0.42) + 1, step)
    # only widths at which every two dots of a view stand apart (a dot's width and 1 pt), where any is
    from .bodymap import BodyMapFlowable

    apart = [w for w in widths if BodyMapFlowable(figure, b.s, w, spec["height"] * w / spec["width"]).dots_apart()]
    for width in apart or widths:
        left, left_h = _map_column(b, figure, use, width)
        narrow = b.width - width - gap
        beside = points_grid(b, table, narrow)
        beside.wrap(narrow, 10_000)
        heights = beside._rowHeights
        for n in range(1, len(rows) + 1):  # the first n rows beside the map, the rest under it
            total = max(left_h, sum(heights[:n + 1])) + sum(full._rowHeights[n:])
            # shortest first; then a larger map; then more rows beside it
            key = (round(total / 6), -width, -n)
            if best is None or key < best[0]:
                best = (key, width, n)
    _, width, n = best
    return width, n


def column_groups(block: Callout) -> list[list[int]]:
    """The parts of each column of an urgent-care box, in order (block.columns; none given: one column per part)."""
    if not block.columns:
        return [[i] for i in range(len(block.parts))]
    return [[i for i, c in enumerate(block.columns) if c == col] for col in sorted(set(block.columns))]


SPLITS = (0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7)  # the left column's share of an urgent box's width, tried


def split_columns(heights, width: float) -> list[float]:
    """The two column widths (from SPLITS) whose taller column is shortest (rounded to the point), the most even of
    those: `heights([left, right])` gives both columns' heights. A column is no taller when wider, so the search walks
    from the even split toward the taller column until that column is no longer the taller (past it, only the other
    grows): two or three layouts instead of seven, the choice of trying all seven (tests/test_urgent_columns.py
    checks so over every urgent box of the bundled content)."""
    def tried(f: float) -> tuple[list[float], list[float]]:
        ws = [width * f, width * (1 - f)]
        return ws, heights(ws)

    middle = SPLITS.index(0.5)
    ws, (left, right) = tried(0.5)
    best = (round(max(left, right)), 0.0, ws)
    if left == right:
        return ws
    step = 1 if left > right else -1  # widen the taller column
    i = middle + step
    while 0 <= i < len(SPLITS):
        ws, (left, right) = tried(SPLITS[i])
        candidate = (round(max(left, right)), abs(ws[0] - ws[1]), ws)
        if candidate[:2] < best[:2]:
            best = candidate
        if (left <= right) if step > 0 else (right <= left):
            break  # the other column is now the taller: widening further only makes it taller
        i += step
    return best[2]


def callout(b, block: Callout) -> list[Flowable]:
    """The urgent-care box: each tier (whom to call) under its pictogram, the columns side by side."""
    if not block.icons:
        return None  # type: ignore[return-value]  # the plain box in flowables.py
    pad = b.s.data["layout"]["padding"] + 3
    groups = column_groups(block)
    columns = 1 if b.one_column else max(1, len(groups))
    inner_width = b.width - 2 * pad
    size = b.s.text("lead")["size"] * 1.6

    def cell(head: str, items, icon: str, col: float) -> list[Flowable]:
        colour = b.s.colour("urgent") if icon == "emergency" else b.s.colour("accent")
        top = Table([[Icon(icon, size, colour), b.para(head, "lead")]], colWidths=[size + 6, col - size - 14])
        top.setStyle(b.table_style([*_FLAT, ("VALIGN", (0, 0), (-1, -1), "TOP"), ("BOTTOMPADDING", (0, 0), (-1, -1), 2)]))
        return [top] + b._items(items, "body")  # one column: a list in a narrow cell reads in order

    def stacked(group: list[int], col: float) -> list[Flowable]:
        out: list[Flowable] = []
        for n, i in enumerate(group):
            out += ([Spacer(1, 3)] if n else []) + cell(*block.parts[i], block.icons[i], col)
        return out

    def height(flowables: list[Flowable], col: float) -> float:
        return sum(f.wrap(col - 8, 10_000)[1] + f.getSpaceBefore() + f.getSpaceAfter() for f in flowables)

    widths = [inner_width / columns] * columns
    if columns == 2:  # the split (40-70 %) that makes the taller column shortest: the two columns end near each other
        # Searched once per (box, style, width): the box is the clinic's and the flags' text, the same for every
        # patient, and the search builds and measures both columns seven times.
        key = (_style_digest(b.s.data), b.s.accent, inner_width, size, block)
        try:
            chosen = _SPLITS.hit(key)
        except TypeError:  # an unhashable block: search every time
            key, chosen = None, None
        if chosen is None:
            chosen = split_columns(lambda ws: [height(stacked(g, w), w) for g, w in zip(groups, ws)], inner_width)
            if key is not None:
                _SPLITS.keep(key, tuple(chosen))
        widths = list(chosen)
    if columns > 1:
        grid = [[stacked(g, w) for g, w in zip(groups, widths)]]
        cells = []
    else:
        cells = [cell(head, items, icon, inner_width) for (head, items), icon in zip(block.parts, block.icons)]
        grid = [[c] for c in cells]
    inner = Table(grid, colWidths=widths if columns > 1 else [inner_width])
    inner.setStyle(b.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                  ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 4)]))
    closing = [b.para(block.closing, "lead")] if block.closing else []
    if b.one_column:
        # Large print: a tier's heading with its first two signs, then one row per further sign. The box moves whole to
        # the next page when it does not fit where it is (the layout's balancing, render/pdf/leaflet.py, then fills the
        # page it leaves); only a box taller than a page continues overleaf, between two signs (never inside one,
        # never a heading alone at a page foot).
        rows, heads = [], []
        for n, cell in enumerate(cells):
            head, signs = cell[0], cell[1:]
            first = [b.para(block.title, "callout_title", spaceAfter=4)] if n == 0 else []
            heads.append(len(rows))
            rows.append([[*first, head, *signs[:2]]])
            rows += [[[sign]] for sign in signs[2:]]
        rows += [[closing]] if closing else []
        frame = b.s.page[1] - b.s.margins["top"] - b.s.margins["bottom"]

        def boxed(gap: float) -> Table:
            table = Table(rows, colWidths=[b.width])
            table.setStyle(b.table_style([
                ("BOX", (0, 0), (-1, -1), 2, HexColor(b.s.colour("urgent"))),
                ("BACKGROUND", (0, 0), (-1, -1), HexColor(b.s.colour("urgent_tint"))),
                ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),  # signs spaced as in one list
                *(("TOPPADDING", (0, i), (-1, i), 2 if i == 0 else gap) for i in heads),  # a tier's heading sets it apart
                ("BOTTOMPADDING", (0, -1), (-1, -1), 6),
            ]))
            return table

        table = boxed(6)
        if frame < table.wrap(b.width, 100_000)[1] + 6 <= frame * BOX_CLOSER_MOST:
            table = _closer(b, rows, boxed, frame - 6) or table
        return [_WholeUnlessHole(Spacer(1, 6), table, frame)]
    table = Table([[[b.para(block.title, "callout_title", spaceAfter=4), inner, *closing]]], colWidths=[b.width])
    table.setStyle(b.table_style([
        ("BOX", (0, 0), (-1, -1), 2, HexColor(b.s.colour("urgent"))),
        ("BACKGROUND", (0, 0), (-1, -1), HexColor(b.s.colour("urgent_tint"))),
        ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
        ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
    ]))
    return [KeepTogether([Spacer(1, 6), table])]


BOX_LEADING_LEAST = 1.2  # times the text size: the tightest line spacing a large-print urgent box is set at
BOX_CLOSER_MOST = 1.07  # of the frame: a box up to this tall is set closer to stay whole; a taller one (two flags' tiers)
# continues overleaf between two signs, as before (set closer and moved whole, it left two pages half empty)


def _closer(b, rows: list, boxed, most: float) -> Table | None:
    """A large-print urgent box taller than a page (a pregnancy's or a surgery's extra tier, in English on Letter),
    set with its lines closer, one point of leading at a time down to BOX_LEADING_LEAST times the text size (the size
    never changes), until it fits on one page; None where even that is too tall (it then continues overleaf)."""
    paragraphs = [f for row in rows for cell in row for f in cell if hasattr(f, "style") and hasattr(f, "frags")]
    paragraphs += [g for row in rows for cell in row for f in cell if isinstance(f, Table)
                   for line in f._cellvalues for c in line for g in (c if isinstance(c, list) else [c])
                   if hasattr(g, "style") and hasattr(g, "frags")]
    styles = {id(p): p.style for p in paragraphs}
    for less in range(1, 5):
        for p in paragraphs:
            style = styles[id(p)]
            p.style = style.clone(style.name, leading=max(style.leading - less, style.fontSize * BOX_LEADING_LEAST))
        table = boxed(6 - less)
        if table.wrap(b.width, 100_000)[1] <= most:
            return table
    for p in paragraphs:
        p.style = styles[id(p)]
    return None


HOLE_MOST = 0.35  # of the frame: a box taller than a page starts where more than this is left, else overleaf


class _WholeUnlessHole(Flowable):
    """A spacer and a table that move on whole when they do not fit: the urgent box never splits across pages. Only a
    box taller than a whole page (`most`: the frame's height) splits, between its rows, where more than HOLE_MOST of
    a page is left (else it starts at the next page's top)."""

    def __init__(self, spacer: Flowable, table: Table, most: float):
        super().__init__()
        self.spacer, self.table, self.most = spacer, table, most

    def wrap(self, avail_width, avail_height):
        _, self._sh = self.spacer.wrap(avail_width, avail_height)
        _, self._th = self.table.wrap(avail_width, avail_height)
        self.width, self.height = avail_width, self._sh + self._th
        return self.width, self.height

    def split(self, avail_width, avail_height):
        if self.height <= self.most or avail_height <= HOLE_MOST * self.most:
            return []  # all of it overleaf: it fits on a page (or this page has little room left)
        return [self.spacer, self.table]

    def draw(self):
        self.table.drawOn(self.canv, 0, 0)


_HANDLERS = {KeyPoints: key_points, Note: note, Checklist: checklist, IconList: icon_list, Callout: callout,
             PointsTable: lambda b, block: [points_grid(b, block)]}
