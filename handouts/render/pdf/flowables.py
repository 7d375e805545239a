"""Handout blocks -> ReportLab flowables, shared by the leaflet and brochure layouts."""

from __future__ import annotations

import io
import math
from dataclasses import replace

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    CondPageBreak,
    Flowable,
    HRFlowable,
    KeepTogether,
    PageBreak,
    Spacer,
    Table,
    TableStyle,
)

from ...model import (
    BodyMap,
    BookingCode,
    BulletList,
    Calendar,
    Callout,
    FactsRow,
    Handout,
    HandoutSection,
    Heading,
    Paragraph,
    PointsTable,
    Timeline,
    Tracker,
)
from ...design.styles import Style
from .blocks import draw_block, map_and_table
from .beside import Beside
from .kinsoku import Paragraph as RLParagraph  # ReportLab's, memoised, with kinsoku line breaks
from .kinsoku import VisitParagraph
from .largeprint import map_and_grid
from .bodymap import BodyMapFlowable
from .plan import TimelineFlowable, qr_drawing
from .sentences import SentenceParagraph
from .text import text_width


def keep_headings(flowables: list[Flowable], width: float, first_lines: float = 30, whole_tail: bool = False) -> list[Flowable]:
    """Keep each run of keep-with-next flowables (headings, rules) with what follows it.

    ReportLab's own keepWithNext skips list flowables, which left headings orphaned at a page foot.
    A short follower moves with its heading as one piece; before a long one, the heading only asks
    for room for itself and `first_lines` points (a conditional page break), so no hole opens above it.
    `whole_tail`: the last heading moves with all of what follows it (the end of a sheet: a list's last
    items alone would make a near-empty last page).
    """
    out: list[Flowable] = []
    group: list[Flowable] = []
    last = max((i for i, f in enumerate(flowables) if getattr(f, "keepWithNext", False)), default=-1) if whole_tail else -1
    for n, flowable in enumerate(flowables):
        group.append(flowable)
        if getattr(flowable, "keepWithNext", False):
            continue
        if len(group) == 1:
            out.append(flowable)
        elif n > last >= 0:
            out.append(KeepTogether(group + flowables[n + 1:]))
            return out
        else:
            head = sum(measured_height(f, width) for f in group[:-1])
            if not _splits(group[-1]) or measured_height(group[-1], width) <= SHORT_FOLLOWER:
                out.append(KeepTogether(group))
            else:
                for f in group[:-1]:
                    f.keepWithNext = False  # handled here; ReportLab's own grouping would move the whole block
                first = getattr(group[-1], "first_height", None)  # what the follower can leave at a page foot
                out += [CondPageBreak(head + max(first_lines, first(width) if first else 0)), *group]
        group = []
    if group:
        out.append(KeepTogether(group))
    return out


GUTTER = 12  # points between two columns of a list
SHORT_FOLLOWER = 40  # points: a block this short moves with its heading as one piece


def _splits(flowable: Flowable) -> bool:
    """Whether a flowable can continue overleaf (else it must move with its heading as one piece)."""
    if isinstance(flowable, Table):
        return bool(getattr(flowable, "splitInRow", 0)) or len(flowable._cellvalues) > 1
    return isinstance(flowable, (RLParagraph, Beside, KeepTail))


def measured_height(flowable: Flowable, width: float) -> float:
    """A flowable's height with its space before and after, at this width (very tall if it cannot be measured)."""
    try:
        _, height = flowable.wrap(width, 100_000)
    except AttributeError:  # flowables that need a canvas to measure: treat as long
        return 100_000
    return height + flowable.getSpaceBefore() + flowable.getSpaceAfter()


class Builder:
    """Turns the blocks of a Handout into flowables for one frame width."""

    def __init__(self, style: Style, width: float):
        self.s = style
        self.width = width
        self.one_column = bool(style.data["layout"].get("one_column"))

    def para(self, text: str, name: str, **changes) -> RLParagraph:
        return RLParagraph(self.s.markup(text, name), self.s.paragraph(name, **changes))

    def table_style(self, commands: list) -> TableStyle:
        """A TableStyle whose default cell font is ours (ReportLab's default would pull in Helvetica)."""
        return TableStyle([("FONTNAME", (0, 0), (-1, -1), self.s.chain().primary), *commands])

    # ---- page furniture ----------------------------------------------------------

    def masthead(self, handout: Handout) -> Flowable:
        m = handout.masthead
        left: list[Flowable] = [self.para(m.name, "masthead_name")]
        right = [self.para(line, "masthead_line", alignment=2) for line in m.lines]
        pad = self.s.data["layout"]["padding"] + 2
        if m.logo:
            mark = self.logo(m.logo)
            room = self.width * 0.66 - 2 * pad
            left = [Table([[mark, left]], colWidths=[mark.drawWidth + 10, room - mark.drawWidth - 10],
                          style=self.table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))]
        if self.one_column:  # large print: the contact lines under the name, left-aligned
            right = [self.para(line, "masthead_line") for line in m.lines]
            table = Table([[left], [right]], colWidths=[self.width])
        else:
            table = Table([[left, right]], colWidths=[self.width * 0.66, self.width * 0.34])
        table.setStyle(self.table_style([
            ("BACKGROUND", (0, 0), (-1, -1), HexColor(m.colour)),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]))
        return table

    def logo(self, data: bytes) -> Flowable:
        """The clinic logo scaled to fit the masthead box, keeping its shape."""
        from reportlab.lib.utils import ImageReader
        from reportlab.platypus import Image

        box_w, box_h = self.s.data["layout"]["logo_box"]
        width, height = ImageReader(io.BytesIO(data)).getSize()
        scale = min(box_w / width, box_h / height)
        return Image(io.BytesIO(data), width=width * scale, height=height * scale)

    def title(self, handout: Handout) -> list[Flowable]:
        return [Spacer(1, 6), self.para(handout.title, "title"), *([self.para(handout.subtitle, "subtitle")] if handout.subtitle else [])]

    # ---- sections and blocks -------------------------------------------------------

    def section(self, section: HandoutSection, last: bool = False) -> list[Flowable]:
        """A section's flowables; `last` (the end of a large-print sheet): its last heading keeps all that follows."""
        out: list[Flowable] = [PageBreak()] if section.new_page else []
        if section.title:
            heading = self.para(section.title, "h2")
            heading.keepWithNext = True
            rule = HRFlowable(width="100%", thickness=1.2, color=HexColor(self.s.colour("accent")), spaceBefore=1, spaceAfter=3)
            rule.keepWithNext = True
            out += [heading, rule]
        blocks = list(section.blocks)
        previous = None
        while blocks:
            block = blocks.pop(0)
            if isinstance(block, BodyMap) and blocks and isinstance(blocks[0], PointsTable):
                head = []  # the heading rides with the drawing, so the pair can split at a page foot
                while out and getattr(out[-1], "keepWithNext", False):
                    head.insert(0, out.pop())
                table = blocks.pop(0)
                use = blocks.pop(0) if blocks and isinstance(blocks[0], Paragraph) and blocks[0].style == "map_use" else None
                out += (map_and_grid if self.one_column else map_and_table)(self, block, table, use, head)
            elif isinstance(block, BodyMap) and block.views and all(v == "ear" for v, _ in block.views):
                # a technique's ear points (ear seeds): a small ear with the technique's text beside it, up to the next heading
                upto = next((i for i, b in enumerate(blocks) if not isinstance(b, Paragraph)), len(blocks))
                out.append(self.ear_beside(block, blocks[:upto]))
                blocks = blocks[upto:]
            elif (isinstance(block, BulletList) and len(blocks) >= 2 and isinstance(blocks[0], Heading) and isinstance(blocks[1], BulletList)
                  and not self.one_column and (pair := self.side_by_side(block, blocks[0], blocks[1])) is not None):
                del blocks[:2]
                out.append(pair)
            elif isinstance(block, BookingCode) and not self.one_column:
                # beside the code: what follows, up to the next heading (one piece that never splits, so kept short)
                upto = next((i for i, b in enumerate(blocks) if isinstance(b, Heading)), len(blocks))
                rest = [f for b in blocks[:upto] for f in self.block(b, self.width - self.qr_width())]
                code = sum(measured_height(f, self.qr_width()) for f in self.booking_code(block))
                if upto + 2 <= len(blocks) and sum(measured_height(f, self.width - self.qr_width()) for f in rest) < code - 6:
                    # room under the text, beside the code: the next short headed block fills it (no gap above the heading)
                    more = [f for b in blocks[upto:upto + 2] for f in self.block(b, self.width - self.qr_width())]
                    if sum(measured_height(f, self.width - self.qr_width()) for f in rest + more) <= code + 4 * self.s.text("body")["leading"]:
                        rest, upto = rest + more, upto + 2
                blocks = blocks[upto:]
                out.append(self.beside_code(block, rest))
            elif (isinstance(block, Paragraph) and block.style == "small" and isinstance(previous, Paragraph)
                  and previous.style != "small" and out and isinstance(out[-1], (RLParagraph, SentenceParagraph))):
                out[-1] = KeepTail(out[-1], self.block(block)[0])  # the sources line stays with what it backs
            else:
                out += self.block(block)
                if isinstance(block, Paragraph) and blocks and isinstance(blocks[0], (Tracker, Calendar)):
                    out[-1].keepWithNext = True  # the intro stays with the grid it explains (its heading too)
            previous = block
        return [KeepTogether(out)] if section.keep_together else keep_headings(out, self.width, 2.2 * self.s.text("body")["leading"],
                                                                               whole_tail=last and self.one_column)

    def block(self, block, width: float | None = None) -> list[Flowable]:
        if width is not None and width != self.width:
            return Builder(self.s, width).block(block)
        drawn = draw_block(self, block)  # the leaflet's action blocks (render/blocks.py)
        if drawn is not None:
            return drawn
        if isinstance(block, BookingCode):
            return self.booking_code(block)
        if isinstance(block, Heading):
            p = self.para(block.text, "h3" if block.level >= 3 else "h2")
            p.keepWithNext = True
            return [p]
        if isinstance(block, Paragraph):
            if self.s.data["layout"].get("paragraph_breaks") == "sentences":  # overleaf only between sentences
                return [SentenceParagraph(self.s, block.text, block.style)]
            return [self.para(block.text, block.style)]
        if isinstance(block, BulletList):
            return self.bullets(block.items, "body")
        if isinstance(block, PointsTable):
            return [self.points_table(block)]
        if isinstance(block, Callout):
            return [self.callout(block)]
        if isinstance(block, FactsRow):
            return [self.facts(block)]
        if isinstance(block, BodyMap):
            return [self.body_map(block)]
        if isinstance(block, Timeline):
            return [TimelineFlowable(block, self.s, self.width)]
        if isinstance(block, Calendar):
            return self.calendar(block)
        if isinstance(block, Tracker):
            return [self.tracker(block)]
        raise TypeError(f"no flowable for {type(block).__name__}")

    def bullets(self, items, name: str, width: float | None = None) -> list[Flowable]:
        """Bulleted paragraphs; short items go in two columns to save paper."""
        width = width or self.width
        indent = self.s.data["layout"]["bullet_indent"]
        column = width / 2 - indent - GUTTER
        half = min(range(1, len(items)), key=lambda k: max(self._lines(items[:k], name, column), self._lines(items[k:], name, column)),
                   default=1)  # the split that balances the two columns' lines
        paired = max(self._lines(items[:half], name, column), self._lines(items[half:], name, column))
        if len(items) >= 4 and not self.one_column and paired < self._lines(items, name, width - indent):
            cols = [self._items(items[:half], name), self._items(items[half:], name)]
            table = Table([cols], colWidths=[width / 2, width / 2])  # moves whole: two columns never break apart
            table.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                             ("RIGHTPADDING", (0, 0), (0, 0), GUTTER), ("RIGHTPADDING", (1, 0), (1, 0), 0),
                                             ("TOPPADDING", (0, 0), (-1, -1), 0),
                                             ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
            return [table]
        return self._items(items, name)

    def _items(self, items, name: str) -> list[Flowable]:
        spec = self.s.text(name)
        indent = self.s.data["layout"]["bullet_indent"]
        style = self.s.paragraph(name, leftIndent=indent, bulletIndent=1, spaceAfter=2,
                                 bulletColor=HexColor(self.s.colour("accent")), bulletFontSize=spec["size"])
        out = [RLParagraph(self.s.markup(item, name), style, bulletText="•") for item in items]
        if out:
            out[-1].style = self.s.paragraph(name, leftIndent=indent, bulletIndent=1, spaceAfter=spec.get("space_after", 2),
                                             bulletColor=HexColor(self.s.colour("accent")), bulletFontSize=spec["size"])
        return out

    def _lines(self, items, name: str, width: float) -> int:
        """About how many lines the items take at a given width (for choosing one or two columns)."""
        return sum(max(1, math.ceil(self._text_width(item, name) * 1.08 / width)) for item in items)

    def _text_width(self, text: str, name: str, remember: bool = True) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        size = self.s.text(name)["size"]
        return sum(stringWidth(run, font, size) for font, run in self.s.chain().runs(text, remember))

    def facts(self, block: FactsRow) -> Flowable:
        cells, natural = [], []
        pad = self.s.data["layout"]["padding"]
        for n, (label, value) in enumerate(block.pairs):
            label = label + ("：" if label[-1:] >= "\u2e80" else ": ")  # full-width after a Chinese label
            keep = n > 0  # the first value is the patient's name (compose): used, never remembered
            text = self.s.markup(label, "lead") + (self.s.markup(value, "facts", remember=keep) if value else "_" * 22)
            cells.append((RLParagraph if keep else VisitParagraph)(text, self.s.paragraph("facts")))
            natural.append(self._text_width(label, "lead") + (self._text_width(value, "facts", remember=keep) if value else 140)
                           + 2 * pad + 6)
        # Each column as wide as its text when they all fit on one line; else shares in proportion.
        spare = self.width - sum(natural)
        widths = [w + spare / len(natural) for w in natural] if spare >= 0 else [self.width * w / sum(natural) for w in natural]
        table = Table([cells], colWidths=widths)
        table.setStyle(self.table_style([
            ("BACKGROUND", (0, 0), (-1, -1), HexColor(self.s.colour("tint"))),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("LEFTPADDING", (0, 0), (-1, -1), pad + 2),
        ]))
        return table

    def points_table(self, block: PointsTable, width: float | None = None, fractions: list[float] | None = None,
                     header: bool = True, stripe: int = 0) -> Flowable:
        """The points, one row each; with two column fractions, where and why share the second column.
        `header=False` continues a table above it; `stripe` keeps its row shading in step."""
        width = width or self.width
        fractions = fractions or self.s.data["layout"]["table_columns"]
        merged = len(fractions) == 2
        heads = [block.headers[0], f"{block.headers[1]} · {block.headers[2]}"] if merged else list(block.headers)
        rows: list[list] = [[self.para(h, "table_head") for h in heads]] if header else []
        for row in block.rows:
            point = RLParagraph(
                self.s.markup(f"{row.number}. {row.code}", "lead") + "<br/>" + self.s.markup(f"{row.pinyin} {row.hanzi}", "table"),
                self.s.paragraph("table"),
            )
            why = self.s.markup(row.why, "table_why" if merged else "table")
            if merged:
                why = _colour(why, self.s.colour(self.s.text("table_why")["colour"]))
            if row.note:
                why += "<br/>" + self.s.markup(row.note, "lead")
            if merged:
                text = self.s.markup(row.location, "table") + " " + why
                rows.append([point, RLParagraph(text, self.s.paragraph("table"))])
            else:
                rows.append([point, self.para(row.location, "table"), RLParagraph(why, self.s.paragraph("table"))])
        # splitInRow: a long row may continue overleaf rather than leave a hole at the page foot
        table = Table(rows, colWidths=[width * f for f in fractions], repeatRows=1 if header else 0, splitInRow=1)
        pad = self.s.data["layout"]["padding"]
        shades = [HexColor("#FFFFFF"), HexColor(self.s.colour("tint"))]
        first = 1 if header else 0
        table.setStyle(self.table_style([
            *([("BACKGROUND", (0, 0), (-1, 0), HexColor(self.s.colour("accent")))] if header else []),
            ("ROWBACKGROUNDS", (0, first), (-1, -1), shades[stripe % 2:] + shades[:stripe % 2]),
            ("LINEBELOW", (0, first), (-1, -1), 0.5, HexColor(self.s.colour("rule"))),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), pad - 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad - 1),
            ("LEFTPADDING", (0, 0), (-1, -1), pad - 1),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad - 1),
        ]))
        return table

    def callout(self, block: Callout) -> Flowable:
        """The boxed when-to-call block: its parts side by side, so the box stays short and whole."""
        pad = self.s.data["layout"]["padding"] + 3
        if block.columns and len(set(block.columns)) == 1:  # every part in one column: the tiers stacked
            inner_width = self.width - 2 * pad
            flowables: list[Flowable] = []
            for n, (head, items) in enumerate(block.parts):
                flowables += ([Spacer(1, 3)] if n else []) + ([self.para(head, "lead")] if head else []) + self.bullets(items, "body", inner_width - 8)
            table = Table([[[self.para(block.title, "callout_title", spaceAfter=4), *flowables]]], colWidths=[self.width])
            table.setStyle(self.table_style([
                ("BOX", (0, 0), (-1, -1), 2, HexColor(self.s.colour("urgent"))),
                ("BACKGROUND", (0, 0), (-1, -1), HexColor(self.s.colour("urgent_tint"))),
                ("LEFTPADDING", (0, 0), (-1, -1), pad), ("RIGHTPADDING", (0, 0), (-1, -1), pad),
                ("TOPPADDING", (0, 0), (-1, -1), pad), ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ]))
            return KeepTogether([Spacer(1, 6), table])
        columns = 1 if self.one_column else max(1, len(block.parts))
        inner_width = self.width - 2 * pad

        def cell(head: str, items: tuple[str, ...], col: float) -> list[Flowable]:
            return ([self.para(head, "lead")] if head else []) + self.bullets(items, "body", col - 8)

        def height(flowables: list[Flowable], col: float) -> float:
            return sum(f.wrap(col - 8, 10_000)[1] + f.getSpaceAfter() for f in flowables)

        if columns == 2:  # side by side: the split (35-65 %) that makes the taller part shortest keeps the box short
            best = min((max(height(cell(*block.parts[0], inner_width * s), inner_width * s),
                            height(cell(*block.parts[1], inner_width * (1 - s)), inner_width * (1 - s))), s)
                       for s in (0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.65))[1]
            widths = [inner_width * best, inner_width * (1 - best)]
        else:
            widths = [inner_width / columns] * columns
        cells = [cell(head, items, col) for (head, items), col in zip(block.parts, widths if columns > 1 else [inner_width] * len(block.parts))]
        grid = [cells] if columns > 1 else [[c] for c in cells]
        inner = Table(grid, colWidths=widths if columns > 1 else [inner_width])
        inner.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("RIGHTPADDING", (0, 0), (-1, -1), 8), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                         ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        table = Table([[[self.para(block.title, "callout_title", spaceAfter=4), inner]]], colWidths=[self.width])
        table.setStyle(self.table_style([
            ("BOX", (0, 0), (-1, -1), 2, HexColor(self.s.colour("urgent"))),
            ("BACKGROUND", (0, 0), (-1, -1), HexColor(self.s.colour("urgent_tint"))),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
            ("RIGHTPADDING", (0, 0), (-1, -1), pad),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
        ]))
        return KeepTogether([Spacer(1, 6), table])

    # ---- drawings ------------------------------------------------------------------

    def body_map(self, block: BodyMap) -> Flowable:
        spec = self.s.data["layout"]["body_map"]
        width = min(self.width, spec["width"])
        return BodyMapFlowable(block, self.s, width, spec["height"] * width / spec["width"])

    def ear_beside(self, block: BodyMap, text: list) -> Flowable:
        """The ear figure (layout `ear_map:` size) on the left, the paragraphs beside it; one piece that moves whole."""
        spec = self.s.data["layout"]["ear_map"]
        drawing = BodyMapFlowable(block, self.s, spec["width"], spec["height"])
        gap = self.s.data["layout"]["body_map"]["gap"] + 4
        right = self.width - spec["width"] - gap
        paras = [f for b in text for f in self.block(b, right)]
        table = Table([[drawing, paras]], colWidths=[spec["width"] + gap, right])
        table.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                         ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return table

    def map_beside_table(self, block: BodyMap, points: PointsTable, head: list[Flowable]) -> list[Flowable]:
        """The body map on the left with the points table (its legend, same numbers) beside it while the
        drawing lasts; the rows after that run the full width, like text around a picture."""
        spec = self.s.data["layout"]["body_map"]
        gap = spec["gap"] + 4
        drawing = BodyMapFlowable(block, self.s, spec["width"], spec["height"])
        _, drawing_height = drawing.wrap(spec["width"], 10_000)
        narrow = self.width - spec["width"] - gap
        fractions = spec["table_columns"]
        rows = points.rows
        beside = len(rows)
        for n in range(1, len(rows) + 1):
            _, height = self.points_table(replace(points, rows=rows[:n]), narrow, fractions).wrap(narrow, 10_000)
            if height >= drawing_height - 12:
                beside = n
                break
        out: list[Flowable] = [Beside(drawing, self.points_table(replace(points, rows=rows[:beside]), narrow, fractions),
                                       spec["width"] + gap, head)]
        if rows[beside:]:
            first = narrow * fractions[0] / self.width
            out.append(self.points_table(replace(points, rows=rows[beside:]), self.width, [first, 1 - first],
                                         header=False, stripe=beside))
        return out

    def side_by_side(self, left: BulletList, heading: Heading, right: BulletList) -> Flowable | None:
        """A list and a headed list in two columns, when that is clearly shorter than one after the other."""
        gap = 16
        half = (self.width - gap) / 2
        indent = self.s.data["layout"]["bullet_indent"]
        stacked = self._lines(left.items, "body", self.width - indent) + 1 + self._lines(right.items, "body", self.width - indent)
        paired = max(self._lines(left.items, "body", half - indent), 1 + self._lines(right.items, "body", half - indent))
        if paired > stacked - 2:
            return None
        narrow = Builder(self.s, half)
        cells = [narrow.bullets(left.items, "body"), narrow.block(heading) + narrow.bullets(right.items, "body")]
        table = Table([cells], colWidths=[half + gap, half])
        table.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                         ("RIGHTPADDING", (0, 0), (0, 0), gap), ("RIGHTPADDING", (1, 0), (1, 0), 0),
                                         ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))
        return table

    def qr_width(self) -> float:
        size = self.s.data["layout"]["qr"]["size"]
        return qr_drawing("x", size).width + 12

    def booking_code(self, block: BookingCode) -> list[Flowable]:
        """The QR code with its caption above, on white (its quiet zone is part of the drawing)."""
        code = qr_drawing(block.url, self.s.data["layout"]["qr"]["size"])
        if self.one_column:  # caption and code together at the left, as the rest of a one-column page
            return [KeepTogether([self.para(block.caption, "qr_caption"), code])]
        return [self.para(block.caption, "qr_caption", alignment=1), code]

    def beside_code(self, block: BookingCode, rest: list[Flowable]) -> Flowable:
        """The flowables that follow in the section on the left, the booking code on the right."""
        side = self.qr_width()
        code = Table([[self.booking_code(block)]], colWidths=[side])
        code.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("ALIGN", (0, 0), (-1, -1), "RIGHT"), *_NO_PADDING]))
        return _CodeBeside(self, rest, code, side)

    def _grid(self, rows: list[list], widths: list[float], height: float | None = None) -> Table:
        pad = self.s.data["layout"]["padding"]
        table = Table(rows, colWidths=widths, rowHeights=[None] + [height] * (len(rows) - 1) if height else None, repeatRows=1)
        table.setStyle(self.table_style([
            ("BACKGROUND", (0, 0), (-1, 0), HexColor(self.s.colour("accent"))),
            ("GRID", (0, 0), (-1, -1), 0.6, HexColor(self.s.colour("figure_line"))),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 0), (-1, -1), pad - 2),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad - 1),
            ("LEFTPADDING", (0, 0), (-1, -1), pad),
        ]))
        return table

    def calendar(self, block: Calendar) -> list[Flowable]:
        rows: list[list] = [[self.para(h, "table_head") for h in block.headers]]
        for week in block.weeks:
            rows.append([self.para(week.label, "lead"), self.para("   ·   ".join(week.dates), "table")])
        first = self.width * (0.22 if self.one_column else 0.16)
        grid = self._grid(rows, [first, self.width - first])
        grid.first_height = _first_rows(grid, 3)  # its header never alone with a week at a page foot
        out: list[Flowable] = [grid]
        if block.after:
            out.append(self.para(block.after, "body", spaceBefore=4))
        return out

    def tracker(self, block: Tracker) -> Flowable:
        """Date, a box to tick, pain before and after (0-10), notes: one row per session."""
        fractions = (0.3, 0.1, 0.15, 0.15, 0.3) if not self.one_column else (0.34, 0.12, 0.18, 0.18, 0.18)
        rows: list[list] = [[self.para(h, "table_head") for h in block.headers]]
        size = self.s.text("body")["size"]
        for date in block.rows:
            rows.append([self.para(date, "table"), _TickBox(size), "", "", ""])
        # A date is never wrapped nor cut (it has no-break spaces), nor a header word: the columns give way.
        pad = self.s.data["layout"]["padding"] + 6 + 1  # left padding (_grid), ReportLab's right padding, a point spare
        cjk = self.s.data.get("wrap") == "cjk"
        need = [0.0 if cjk else max(text_width(self.s, w, "table_head") for w in h.split() or [""]) + pad for h in block.headers]
        need[0] = max([need[0], *(text_width(self.s, d, "table") + pad for d in block.rows if d)])
        table = self._grid(rows, fit_columns([self.width * f for f in fractions], need), height=size * 2.1)
        table.first_height = _first_rows(table, TRACKER_FIRST_ROWS)  # whole, or never a row or two at a page foot
        return table


def fit_columns(widths: list[float], need: list[float]) -> list[float]:
    """The column widths, widened where a column needs more, the width taken from columns with room, in proportion
    to their room; the total stays the same (if all needs cannot be met, each gets its need scaled down)."""
    short = sum(max(0.0, n - w) for w, n in zip(widths, need))
    if short <= 0:
        return list(widths)
    room = [max(0.0, w - n) for w, n in zip(widths, need)]
    if sum(room) < short:
        return [n * sum(widths) / sum(need) for n in need]
    return [n if n > w else w - short * r / sum(room) for w, n, r in zip(widths, need, room)]


TRACKER_FIRST_ROWS = 8  # the tracker starts on a page with room for its header and this many rows (most trackers: all)


def _first_rows(table: Table, rows: int):
    """What a grid needs at a page foot: its header and its first `rows` rows (all of them, when fewer)."""
    def height(width: float) -> float:
        table.wrap(width, 100_000)
        return sum(table._rowHeights[:rows + 1])
    return height


def _colour(markup: str, colour: str) -> str:
    return f'<font color="{colour}">{markup}</font>'


class KeepTail(Flowable):
    """A paragraph and the small print under it (the sources of the research line): at a page foot the paragraph
    splits as usual, and the small print goes on with its last lines, never alone at the top of the next page."""

    def __init__(self, lead: Flowable, tail: Flowable):
        super().__init__()
        self.lead, self.tail = lead, tail

    def getSpaceBefore(self):
        return self.lead.getSpaceBefore()

    def getSpaceAfter(self):
        return self.tail.getSpaceAfter()

    def wrap(self, avail_width, avail_height):
        _, self._lh = self.lead.wrap(avail_width, avail_height)
        _, self._th = self.tail.wrap(avail_width, avail_height)
        self._gap = self.lead.getSpaceAfter() + self.tail.getSpaceBefore()
        self.width, self.height = avail_width, self._lh + self._gap + self._th
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        # at least the paragraph's last line goes on with the small print
        parts = self.lead.split(avail_width, min(avail_height, self._lh - 1))
        if len(parts) < 2:
            return []
        return [parts[0], KeepTail(parts[1], self.tail)]

    def draw(self):
        self.lead.drawOn(self.canv, 0, self.height - self._lh)
        self.tail.drawOn(self.canv, 0, 0)


class _TickBox(Flowable):
    """An empty square to tick."""

    def __init__(self, size: float):
        super().__init__()
        self.size = size

    def wrap(self, avail_width, avail_height):
        return self.size, self.size

    def draw(self):
        self.canv.setLineWidth(1)
        self.canv.rect(0, 0, self.size, self.size, stroke=1, fill=0)


_NO_PADDING = [("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
               ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]


class _CodeBeside(Flowable):
    """Flowables with the booking code to their right; at a page foot the flowables the code does not need go on
    overleaf (never after a heading), the code stays with the first of them."""

    def __init__(self, b: "Builder", rest: list[Flowable], code: Flowable, side: float):
        super().__init__()
        self.b, self.rest, self.code, self.side = b, list(rest), code, side
        self.column = self._column(self.rest)

    def _column(self, flowables: list[Flowable]) -> Table:
        table = Table([[f] for f in flowables] or [[""]], colWidths=[self.b.width - self.side])
        table.setStyle(self.b.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), *_NO_PADDING]))
        return table

    def wrap(self, avail_width, avail_height):
        _, self._th = self.column.wrap(avail_width - self.side, avail_height)
        _, self._ch = self.code.wrap(self.side, avail_height)
        self.width, self.height = avail_width, max(self._th, self._ch)
        return self.width, self.height

    def split(self, avail_width, avail_height):
        self.wrap(avail_width, avail_height)
        if self.height <= avail_height or self._ch > avail_height:
            return []
        used, n = 0.0, 0
        for h in self.column._rowHeights:
            if used + h > avail_height:
                break
            used, n = used + h, n + 1
        while n and getattr(self.rest[n - 1], "keepWithNext", False):
            n -= 1  # a heading goes over with what it heads
        if n == 0:
            return []
        return [_CodeBeside(self.b, self.rest[:n], self.code, self.side), self._column(self.rest[n:])]

    def draw(self):
        self.column.drawOn(self.canv, 0, self.height - self._th)
        self.code.drawOn(self.canv, self.width - self.side, self.height - self._ch)
