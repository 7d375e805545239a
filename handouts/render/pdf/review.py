"""The clinician's review pack as a PDF to read on paper: en/es/zh side by side, changes marked, a line to sign."""

from __future__ import annotations

import io
import re

from reportlab.lib.colors import HexColor
from reportlab.platypus import BaseDocTemplate, CondPageBreak, Frame, PageBreak, PageTemplate, Spacer, Table, TableStyle

from ...version import __version__
from ...design.styles import Style, load_style
from ...review.pack import FileReview, Group, ReviewPack
from .pagecount import counted_canvas
from .kinsoku import Paragraph
from .text import draw_runs, text_width

REMOVED, ADDED = "#A4161A", "#1B5E20"  # struck-through red, underlined green: readable in black and white too
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
MARGIN = 40
NEVER = "never approved"  # a FileReview's state when the file has no approval at all


class _Text:
    """Paragraphs in the pack's few text styles, every word drawn by a font that has its glyphs."""

    def __init__(self, style: Style):
        self.style = style
        small = dict(fontSize=8.5, leading=10.5)
        self.styles = {
            "title": style.paragraph("title", fontSize=19, leading=23),
            # no keepWithNext: it would carry a long table whole onto the next page; a CondPageBreak goes before
            "h2": style.paragraph("h2", fontSize=14, leading=17, spaceBefore=10, spaceAfter=3),
            "h3": style.paragraph("h3", fontSize=11, leading=13.5, spaceBefore=6, spaceAfter=2),
            "rule": style.paragraph("body", fontSize=10, leading=13, spaceAfter=2, leftIndent=12, bulletIndent=2),
            "body": style.paragraph("body", fontSize=10, leading=13, spaceAfter=3),
            "cell": style.paragraph("body", fontSize=10, leading=12.6, spaceAfter=0),
            "cell_zh": style.paragraph("body", fontSize=10, leading=13.5, spaceAfter=0, wordWrap="CJK"),
            "label": style.paragraph("small", spaceBefore=0, spaceAfter=0, **small),
            "small": style.paragraph("small", spaceBefore=0, spaceAfter=2, **small),
            "head": style.paragraph("lead", fontSize=9, leading=11, spaceAfter=0),
            "group": style.paragraph("h3", fontSize=10.5, leading=13, spaceBefore=0, spaceAfter=0),
            "sign": style.paragraph("body", fontSize=11, leading=30, spaceAfter=0),
        }

    def markup(self, text: str, weight: str = "regular") -> str:
        return self.style.chain(weight).markup(text)

    def para(self, text: str, name: str = "body", weight: str = "", markup: str | None = None) -> Paragraph:
        weight = weight or ("bold" if name in ("title", "h2", "h3", "head", "group") else "regular")
        body = markup if markup is not None else self.markup(text, weight)
        style = self.styles[name]
        if name in ("body", "cell", "small") and _CJK.search(text):
            style = self.styles["cell_zh"] if name == "cell" else self.style.paragraph("body", **{
                k: getattr(style, k) for k in ("fontSize", "leading", "spaceAfter", "textColor")}, wordWrap="CJK")
        return Paragraph(body, style)

    def runs(self, runs, name: str = "cell") -> Paragraph:
        """A word diff: removed words struck through, added words underlined, each in its colour."""
        out = []
        for k, (op, text) in enumerate(runs):
            body = self.markup(text)
            if op == "+" and k and runs[k - 1][0] == "-" and not _CJK.match(text[:1]):
                out.append(" ")  # removed and added words apart
            if op == "-":
                body = f'<strike><font color="{REMOVED}">{body}</font></strike>'
            elif op == "+":
                body = f'<u><font color="{ADDED}">{self.markup(text, "bold")}</font></u>'
            out.append(body)
        return self.para("".join(t for _, t in runs), name, markup="".join(out))


def render_review(pack: ReviewPack, page_size: str = "letter") -> bytes:
    """The review pack as PDF bytes (same pack, same bytes)."""
    style = load_style(pack.colour, page_size)
    t = _Text(style)
    width, height = style.page
    frame = Frame(MARGIN, 52, width - 2 * MARGIN, height - MARGIN - 52, leftPadding=0, rightPadding=0, topPadding=0,
                  bottomPadding=0, id="body")
    buffer = io.BytesIO()
    doc = BaseDocTemplate(buffer, pagesize=(width, height), title=pack.title, author=pack.clinic,
                          subject=f"Everything {pack.covers} is built from, for the clinician to review and sign",
                          creator=f"handouts {__version__}", producer=f"handouts {__version__}", lang="en",
                          invariant=1, initialFontName=style.chain().primary, pageCompression=1)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    w = frame._width
    story = _cover(pack, t, w) + _changes(pack, t, w) + _rules(pack, t, w)
    for review in pack.files:
        story += _file(review, t, w)
    story += _signature(pack, t, w)
    doc.build(story, canvasmaker=_footer_canvas(pack, style))
    return buffer.getvalue()


def _cover(pack: ReviewPack, t: _Text, w: float) -> list:
    n = len(pack.files)
    out = [t.para(pack.title, "title"),
           t.para(f"{pack.clinic} · made on {pack.made_on.isoformat()} · the clinic's content folder: {pack.folder}", "small"),
           Spacer(1, 6),
           t.para(f"This pack holds everything {pack.covers} is built from: the text of its {n} content files as the "
                  f"patient reads it, in English, Spanish and Chinese side by side, with each file's sources and "
                  f"their status, and the safety rules in plain words. Changes since the last approval come first. "
                  f"Mark on the paper anything to fix. When all of it is right, sign on the last page, then run:"),
           t.para(pack.command, "body", weight="bold"),
           t.para("The approval pins each file at the SHA-256 printed here: a file edited later turns the sheets built "
                  "from it back into drafts until it is approved again.", "small"),
           CondPageBreak(120), t.para("The files", "h2")]
    rows = [[t.para("File and its SHA-256", "head"), t.para("Approval", "head")]]
    for f in pack.files:
        rows.append([[t.para(f.file, "cell", weight="bold"), t.para(f.sha256, "label")], t.para(f.state, "cell")])
    out.append(_table(rows, [w * 0.6, w * 0.4], t, header=1))
    return out


def _changes(pack: ReviewPack, t: _Text, w: float) -> list:
    out = [CondPageBreak(120), t.para("What changed since the last approval", "h2"),
           t.para("Struck through in red: words removed. Underlined in green: words added. Each change is shown with the "
                  "place in the file where it is (e.g. who_may_benefit[3].zh: the Chinese of the fourth item; items are counted "
                  "from 0, as `handouts check` counts them).", "small")]
    changed = [f for f in pack.files if not f.approved and f.state != NEVER]
    never = [f.file for f in pack.files if f.state == NEVER]
    if not changed and not never:
        out.append(t.para("Nothing: every file is approved as it is now."))
    for f in changed:
        out += [CondPageBreak(72), t.para(f.file, "h3"), t.para(f.change_note)]
        if f.changes:
            rows = [[t.para(c.field, "label"), t.runs(c.runs)] for c in f.changes]
            out.append(_table(rows, [w * 0.25, w * 0.75], t))
    if never:
        out.append(t.para("Never approved, so read all of their text below: " + ", ".join(never) + ".",
                          "body" if not changed else "small"))
    approved = [f.file for f in pack.files if f.approved]
    if approved:
        out.append(t.para("Approved and unchanged: " + ", ".join(approved) + ".", "small"))
    return out


def _rules(pack: ReviewPack, t: _Text, w: float) -> list:
    if not pack.rules and not pack.outcomes:
        return []
    out = [CondPageBreak(200), t.para("The safety rules in plain words", "h2"),
           t.para("From rules.yaml: what the practitioner's flags for a patient change on the sheet. Their words in "
                  "Spanish and Chinese are in the rules.yaml part of this pack.", "small")]
    for rid, sentences in pack.rules:
        out += [CondPageBreak(72), t.para(f"Rule {rid}", "h3")]
        out += [Paragraph(t.markup(s), t.styles["rule"], bulletText="•") for s in sentences]
    if pack.outcomes:
        out += [CondPageBreak(120), t.para("What the rules do to this sheet", "h3")]
        out.append(t.para(pack.points_note, "small"))
        rows = [[t.para("Patient flagged", "head"), t.para("The sheet with its usual points", "head")]]
        rows += [[t.para(flags, "cell", weight="bold"), t.para(outcome, "cell")] for flags, outcome in pack.outcomes]
        out.append(_table(rows, [w * 0.3, w * 0.7], t, header=1))
    return out


def _file(f: FileReview, t: _Text, w: float) -> list:
    out = [CondPageBreak(160), t.para(f.file, "h2"),
           t.para(f"SHA-256 {f.sha256}", "label"),
           t.para(f"Approval: {f.state}." + (f" Text last reviewed (from the file): {f.reviewed}." if f.reviewed else "")
                  + f" Read from: {f.read_from}.", "small")]
    for group in f.groups:
        out.append(_group(group, t, w))
    out += [CondPageBreak(72), t.para(f"Sources of {f.file}", "h3")]
    if not f.sources:
        out.append(t.para("None listed: this file makes no claim that needs one (`handouts check` holds effect "
                          "claims to their sources).", "small"))
    for i, s in enumerate(f.sources, start=1):
        out.append(t.para(f"{i}. {s.cite}" + (f" {s.url}" if s.url else "") + f" — status: {s.status}", "cell"))
        out.append(Spacer(1, 3))
    return out


def _group(group: Group, t: _Text, w: float):
    col = w / 3
    tint = HexColor(t.style.colour("tint"))
    if not group.rows:
        rows = [[t.para(group.title, "group"), "", ""], [t.para(group.note, "cell"), "", ""]]
        return _table(rows, [col] * 3, t, header=1, extra=[("SPAN", (0, 0), (-1, 0)), ("SPAN", (0, 1), (-1, 1)),
                                                           ("BACKGROUND", (0, 0), (-1, 0), tint)])
    title = group.title + (f" — {group.note}" if group.note else "")
    rows = [[t.para(title, "group"), "", ""], [t.para(lang, "label") for lang in ("English", "Español", "中文")]]
    commands = [("SPAN", (0, 0), (-1, 0)), ("BACKGROUND", (0, 0), (-1, 0), tint), ("BOTTOMPADDING", (0, 0), (-1, 0), 2),
                ("TOPPADDING", (0, 1), (-1, 1), 1), ("BOTTOMPADDING", (0, 1), (-1, 1), 1),
                ("LINEBELOW", (0, 1), (-1, 1), 0.6, HexColor(t.style.colour("muted")))]
    one = len(group.rows) == 1 and group.title.replace(" ", "_").endswith(group.rows[0].field)
    for row in group.rows:
        r = len(rows)
        if not one or row.note:  # a group of one field: its heading names it
            rows.append([t.para(row.field + (f" · {row.note}" if row.note else ""), "label"), "", ""])
            commands += [("SPAN", (0, r), (-1, r)), ("NOSPLIT", (0, r), (-1, r + 1)),
                         ("BOTTOMPADDING", (0, r), (-1, r), 0), ("TOPPADDING", (0, r + 1), (-1, r + 1), 1)]
        commands.append(("LINEBELOW", (0, len(rows)), (-1, len(rows)), 0.3, HexColor(t.style.colour("rule"))))
        rows.append([t.para(row.texts.get(lang, "") or "(missing)", "cell_zh" if lang == "zh" else "cell")
                     for lang in ("en", "es", "zh")])
    return _table(rows, [col] * 3, t, header=2, extra=commands, lines=False)


def _table(rows: list, widths: list[float], t: _Text, header: int = 0, extra: list | None = None,
           lines: bool = True) -> Table:
    """A table of paragraphs; `header` rows repeat on each page it runs onto; `lines`: a hairline under every row."""
    commands = [("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 4),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6), ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3)]
    if lines:
        commands.append(("LINEBELOW", (0, 0), (-1, -1), 0.3, HexColor(t.style.colour("rule"))))
    if header:
        commands.append(("LINEBELOW", (0, header - 1), (-1, header - 1), 0.8, HexColor(t.style.colour("muted"))))
    commands += extra or []
    table = Table(rows, colWidths=widths, repeatRows=header, hAlign="LEFT", spaceBefore=4, spaceAfter=6)
    table.setStyle(TableStyle(commands))
    return table


def _signature(pack: ReviewPack, t: _Text, w: float) -> list:
    files = ", ".join(f"{f.file} ({f.sha256[:12]})" for f in pack.files)
    return [PageBreak(), t.para("Sign-off", "h2"),
            t.para(f"I have read the text of {pack.covers} in this pack, in English, Spanish and Chinese, with its "
                   f"sources and safety rules, and I approve it for {pack.clinic}'s patients as it is in these "
                   f"{len(pack.files)} files (SHA-256, first 12 characters): {files}."),
            Spacer(1, 8),
            t.para("Name and credential: ______________________________________________", "sign"),
            t.para("Signature: _______________________________  Date: __________________", "sign"),
            Spacer(1, 8),
            t.para("Then record the approval with this command. It lists each file with the first 12 characters of its "
                   "SHA-256: check that they match this page before you confirm (a file that differs was changed after "
                   "this pack was made: make a new pack and read the changes).", "small"),
            t.para(pack.command, "body", weight="bold")]


def _footer_canvas(pack: ReviewPack, style: Style):
    """The pack's canvas class: a rule, page X of Y and the pack's title on every page (.pagecount)."""

    def footer(canvas, number: int, total: int) -> None:
        width, _ = style.page
        canvas.setStrokeColor(HexColor(style.colour("rule")))
        canvas.setLineWidth(0.6)
        canvas.line(MARGIN, 40, width - MARGIN, 40)
        page = f"page {number} of {total}"
        draw_runs(canvas, style, width - MARGIN, 29, page, "footer", align="right")
        left = f"{pack.title} · {pack.clinic} · {pack.made_on.isoformat()}"
        while text_width(style, left, "footer") > width - 2 * MARGIN - text_width(style, page, "footer") - 12:
            left = left[:-2]
        draw_runs(canvas, style, MARGIN, 29, left, "footer")

    return counted_canvas(footer)
