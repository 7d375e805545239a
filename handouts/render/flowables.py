"""Handout blocks -> ReportLab flowables, shared by the leaflet and brochure layouts."""

from __future__ import annotations

import io
import math

from reportlab.lib.colors import HexColor
from reportlab.platypus import (
    Flowable,
    HRFlowable,
    KeepTogether,
    Paragraph as RLParagraph,
    Spacer,
    Table,
    TableStyle,
)

from ..model import BulletList, Callout, FactsRow, Handout, HandoutSection, Heading, Paragraph, PointsTable
from ..styles import Style


def keep_headings(flowables: list[Flowable]) -> list[Flowable]:
    """Bind each run of keep-with-next flowables (headings, rules) to the flowable after it.

    ReportLab's own keepWithNext skips list flowables, which left headings orphaned at a page foot.
    """
    out: list[Flowable] = []
    group: list[Flowable] = []
    for flowable in flowables:
        group.append(flowable)
        if not getattr(flowable, "keepWithNext", False):
            out.append(KeepTogether(group) if len(group) > 1 else flowable)
            group = []
    if group:
        out.append(KeepTogether(group))
    return out


class Builder:
    """Turns the blocks of a Handout into flowables for one frame width."""

    def __init__(self, style: Style, width: float):
        self.s = style
        self.width = width

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
        pad = self.s.data["layout"]["padding"] + 4
        if m.logo:
            mark = self.logo(m.logo)
            room = self.width * 0.66 - 2 * pad
            left = [Table([[mark, left]], colWidths=[mark.drawWidth + 10, room - mark.drawWidth - 10],
                          style=self.table_style([("VALIGN", (0, 0), (-1, -1), "MIDDLE"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                                  ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                                                  ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]))]
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
        return [Spacer(1, 12), self.para(handout.title, "title"), self.para(handout.subtitle, "subtitle")]

    # ---- sections and blocks -------------------------------------------------------

    def section(self, section: HandoutSection) -> list[Flowable]:
        out: list[Flowable] = []
        if section.title:
            heading = self.para(section.title, "h2")
            heading.keepWithNext = True
            rule = HRFlowable(width="100%", thickness=1.2, color=HexColor(self.s.colour("accent")), spaceBefore=1, spaceAfter=5)
            rule.keepWithNext = True
            out += [heading, rule]
        for block in section.blocks:
            out += self.block(block)
        return [KeepTogether(out)] if section.keep_together else keep_headings(out)

    def block(self, block) -> list[Flowable]:
        if isinstance(block, Heading):
            p = self.para(block.text, "h3" if block.level >= 3 else "h2")
            p.keepWithNext = True
            return [p]
        if isinstance(block, Paragraph):
            return [self.para(block.text, block.style)]
        if isinstance(block, BulletList):
            return self.bullets(block.items, "body")
        if isinstance(block, PointsTable):
            return [self.points_table(block)]
        if isinstance(block, Callout):
            return [self.callout(block)]
        if isinstance(block, FactsRow):
            return [self.facts(block)]
        raise TypeError(f"no flowable for {type(block).__name__}")

    def bullets(self, items, name: str, width: float | None = None) -> list[Flowable]:
        """Bulleted paragraphs; short items go in two columns to save paper."""
        width = width or self.width
        indent = self.s.data["layout"]["bullet_indent"]
        half = (len(items) + 1) // 2
        if len(items) >= 4 and self._lines(items[:half], name, width / 2 - indent - 8) <= self._lines(items, name, width - indent) - 1:
            cols = [self._items(items[:half], name), self._items(items[half:], name)]
            table = Table([cols], colWidths=[width / 2, width / 2])
            table.setStyle(self.table_style([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                                             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
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

    def _text_width(self, text: str, name: str) -> float:
        from reportlab.pdfbase.pdfmetrics import stringWidth

        size = self.s.text(name)["size"]
        return sum(stringWidth(run, font, size) for font, run in self.s.chain().runs(text))

    def facts(self, block: FactsRow) -> Flowable:
        cells = []
        for label, value in block.pairs:
            text = self.s.markup(label + ": ", "lead") + (self.s.markup(value, "facts") if value else "_" * 22)
            cells.append(RLParagraph(text, self.s.paragraph("facts")))
        widths = [self.width * f for f in ((0.34, 0.3, 0.36) if len(cells) == 3 else (0.6, 0.4))]
        table = Table([cells], colWidths=widths)
        pad = self.s.data["layout"]["padding"]
        table.setStyle(self.table_style([
            ("BACKGROUND", (0, 0), (-1, -1), HexColor(self.s.colour("tint"))),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("TOPPADDING", (0, 0), (-1, -1), pad),
            ("BOTTOMPADDING", (0, 0), (-1, -1), pad),
            ("LEFTPADDING", (0, 0), (-1, -1), pad + 2),
        ]))
        return table

    def points_table(self, block: PointsTable) -> Flowable:
        head = [self.para(h, "table_head") for h in block.headers]
        rows = [head]
        for row in block.rows:
            point = RLParagraph(
                self.s.markup(f"{row.number}. {row.code}", "lead") + "<br/>" + self.s.markup(f"{row.pinyin} {row.hanzi}", "table"),
                self.s.paragraph("table"),
            )
            why = self.s.markup(row.why, "table")
            if row.note:
                why += "<br/>" + self.s.markup(row.note, "lead")
            rows.append([point, self.para(row.location, "table"), RLParagraph(why, self.s.paragraph("table"))])
        fractions = self.s.data["layout"]["table_columns"]
        table = Table(rows, colWidths=[self.width * f for f in fractions], repeatRows=1)
        pad = self.s.data["layout"]["padding"]
        table.setStyle(self.table_style([
            ("BACKGROUND", (0, 0), (-1, 0), HexColor(self.s.colour("accent"))),
            ("ROWBACKGROUNDS", (0, 1), (-1, -1), [HexColor("#FFFFFF"), HexColor(self.s.colour("tint"))]),
            ("LINEBELOW", (0, 1), (-1, -1), 0.5, HexColor(self.s.colour("rule"))),
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
        col = (self.width - 2 * pad) / max(1, len(block.parts))
        cells = []
        for head, items in block.parts:
            cell: list[Flowable] = [self.para(head, "lead")] if head else []
            cells.append(cell + self.bullets(items, "body", col - 8))
        inner = Table([cells], colWidths=[col] * len(cells))
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
