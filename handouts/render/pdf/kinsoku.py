"""Chinese line breaking (kinsoku): where a line of mixed CJK and Latin text may break.

ReportLab's own CJK mode breaks anywhere and only hangs one closing mark; here a line never starts
with closing punctuation, never ends with an opening bracket, and never breaks inside a Latin word,
a number, a number and its unit ("1/3处", "15分钟"), a two-character unit ("分钟"), a date ("2026年12月1日"), a
bold label ("原因：") or at a no-break space (telephone numbers, handouts.design.nobreak); and a paragraph never ends
with a line of one character ("乏。").
"""

from __future__ import annotations

from reportlab.platypus.paragraph import ParaLines, cjkU, makeCJKParaLine

from .paragraphs import Paragraph as _MemoParagraph

CANNOT_START = set("。，、；：）」』】》〉！？．，、…—～”’・·%％)]}!?,.;:")
CANNOT_END = set("（「『【《〈“‘([{")
NUMERALS = set("零一二两三四五六七八九十百千万几半")
DATE_UNITS = set("年月")
NBSP = "\u00a0"
UNITS = ("分钟", "小时", "毫升", "厘米", "公分", "公里", "公斤", "个月", "星期", "周岁")
UNIT_CHARS = frozenset("".join(UNITS))


def _cjk(ch: str) -> bool:
    return ord(ch) >= 0x2E80


def _word_char(ch: str) -> bool:
    """Part of a Latin word or a number (which never breaks inside)."""
    return not ch.isspace() and not _cjk(ch)


def break_allowed(text: str, k: int) -> bool:
    """Whether a line may break between text[k-1] and text[k]."""
    a, b = text[k - 1], text[k]
    if a == NBSP or b == NBSP:
        return False  # a no-break space holds a telephone number or a date together
    if b.isspace():
        return False  # break after the space, not before it
    if b in CANNOT_START or a in CANNOT_END:
        return False
    if _word_char(a) and _word_char(b):
        return False  # inside a Latin word or a number
    if (a.isdigit() or a in NUMERALS) and _cjk(b):
        return False  # a number stays with its unit: 15分钟, 1/3处, 3次, 几分钟, 两天
    if a in DATE_UNITS and b.isdigit() and k >= 2 and text[k - 2].isdigit():
        return False  # a date stays whole: 2026年12月1日
    if a in UNIT_CHARS and b in UNIT_CHARS:  # a break inside a unit has a unit's character on each side
        for unit in UNITS:
            i = text.rfind(unit, max(0, k - len(unit) + 1), k + len(unit) - 1)
            if i != -1 and i < k < i + len(unit):
                return False
    return True


LABEL_ENDS = ("：", ":")
LABEL_LONGEST = 8  # characters: a run this short ending in a colon is a label ("原因："), kept on one line


def _labels(units) -> set[int]:
    """The places inside a label (a short run of one frag ending in a colon, e.g. the bold "原因："): no break there."""
    inside: set[int] = set()
    start = 0
    n = len(units)
    while start < n:
        end = start + 1
        while end < n and units[end].frag is units[start].frag:
            end += 1
        run = "".join(str(u) for u in units[start:end]).strip()
        if 1 < len(run) <= LABEL_LONGEST and run.endswith(LABEL_ENDS):
            inside.update(range(start + 1, end))
        start = end
    return inside


def _lone(text: str) -> bool:
    """A last line of one character, with at most the punctuation after it ("乏。"): too short to stand alone."""
    body = [ch for ch in text.strip() if ch not in CANNOT_START]
    return len(body) <= 1 and bool(text.strip())


def kinsoku_split(frags, max_widths, calc_bounds, encoding="utf8") -> ParaLines:
    """ReportLab's cjkFragSplit with the line-break rules above; labels kept whole, and a paragraph's last line never
    one character alone (the line before gives it its last word)."""
    units = []
    for f in frags:
        text = f.text.decode(encoding) if isinstance(f.text, bytes) else f.text
        units.extend([cjkU(t, f, encoding) for t in text] if text else [cjkU(text, f, encoding)])
    text = "".join(str(u) or "\ufffc" for u in units)  # an image or empty frag holds one place
    glued = _labels(units)

    def allowed(k: int) -> bool:
        return k not in glued and break_allowed(text, k)

    spans: list[tuple[int, int, bool]] = []  # (start, end, ends in a hard break)
    start = 0
    n = len(units)
    while start < n:
        width = max_widths[min(len(spans), len(max_widths) - 1)]
        used = 0.0
        i = start
        breaker = None
        overflow = hard = False
        while i < n:
            unit = units[i]
            hard = hasattr(unit.frag, "lineBreak")
            if not hard and used + unit.width > width + 1e-6 and i > start:
                overflow = True
                break
            used += unit.width
            i += 1
            if hard:
                break
            if i < n and allowed(i):
                breaker = i
        end = breaker if overflow and breaker is not None and breaker > start else i  # back to the last allowed break
        spans.append((start, end, hard and end == i))
        start = end
        while start < n and str(units[start]).isspace():  # a new line does not start with a space
            start += 1
    if len(spans) >= 2 and not spans[-2][2] and _lone("".join(str(u) for u in units[spans[-1][0]:spans[-1][1]])):
        (s0, e0, _), (s1, e1, h1) = spans[-2], spans[-1]
        room = max_widths[min(len(spans) - 1, len(max_widths) - 1)]
        for k in range(e0 - 1, s0 + 1, -1):  # the latest break in the line before that leaves it more than a word
            if allowed(k) and sum(u.width for u in units[k:e1]) <= room + 1e-6:
                if k - s0 >= 2:
                    spans[-2:] = [(s0, k, False), (k, e1, h1)]
                break
    lines = []
    for number, (start, end, hard) in enumerate(spans):
        width = max_widths[min(number, len(max_widths) - 1)]
        line = units[start:end]
        used = sum(u.width for u in line)
        lines.append(makeCJKParaLine(line, width, used, width - used, hard, calc_bounds))
    return ParaLines(kind=1, lines=lines)


class Paragraph(_MemoParagraph):
    """A ReportLab Paragraph (parse and line breaks remembered: .paragraphs) that, in CJK wrap mode, breaks
    lines by the kinsoku rules."""

    def breakLinesCJK(self, maxWidths):
        if not self.frags:
            return super().breakLinesCJK(maxWidths)
        if hasattr(self, "blPara") and getattr(self, "_splitpara", 0):
            return self.blPara
        from reportlab.platypus.paragraph import _handleBulletWidth

        _handleBulletWidth(self.bulletText, self.style, maxWidths)
        auto = getattr(self, "autoLeading", getattr(self.style, "autoLeading", ""))
        return kinsoku_split(self.frags, maxWidths, auto not in ("", "off"))


class VisitParagraph(Paragraph):
    """A paragraph about one visit (the patient band: a name): laid out as any other, but its parse and lines are
    not kept in the memo, so a long batch does not fill it with names (nor keep them after their sheet)."""

    remember = False
