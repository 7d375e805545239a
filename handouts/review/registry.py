"""`handouts check` on the registry of sources (content/sources.yaml) and on what cites it (issue 21): works
confirmed against the original, none twice, none withdrawn cited for a claim, guidelines still current, and every
condition backed by enough recent evidence for what its grade says."""

from __future__ import annotations

import os
import re
from datetime import date
from typing import Any, Callable, Iterator

Add = Callable[[str, str, str], None]
SOURCES = "sources.yaml"
RECENT_YEARS = 10  # a systematic review or guideline from the last ten years backs a condition
STRONG_TYPES = ("systematic-review", "guideline")
THIN_GRADES = ("weak", "none")  # grades that need no recent review or guideline (the sheet says the evidence is thin)
# Where a work can be found again, normalised: a DOI's address and the DOI itself are the same work.
_DOI_URL = re.compile(r"^https?://(?:dx\.)?doi\.org/", re.I)
_PUBMED_URL = re.compile(r"^https?://(?:www\.)?(?:pubmed\.ncbi\.nlm\.nih\.gov|ncbi\.nlm\.nih\.gov/pubmed)/(\d+)/?$", re.I)


def _rel(label: str) -> str:
    return label.replace(os.sep, "/")


def is_registry(doc) -> bool:
    return _rel(doc.label).split("/")[-1] == SOURCES and isinstance(doc.data, dict) and "sources" not in doc.data


def works(documents: list) -> dict[str, tuple[Any, dict]]:
    """Every work of the registry (bundled, then a clinic's own, work by work): id -> (its document, its fields)."""
    out: dict[str, tuple[Any, dict]] = {}
    for doc in documents:
        if is_registry(doc):
            for sid, fields in doc.data.items():
                if isinstance(sid, str) and isinstance(fields, dict):
                    out[sid] = (doc, fields)
    return out


def _keys(fields: dict) -> Iterator[tuple[str, str]]:
    """The ways a work is found (doi, pmid, url), normalised so that the same work written two ways matches."""
    doi, pmid, url = (str(fields[k]).strip() if fields.get(k) not in (None, "") else "" for k in ("doi", "pmid", "url"))
    if doi:
        yield "DOI", doi.lower()
    if pmid:
        yield "PMID", pmid
    if url:
        if _DOI_URL.match(url):
            yield "DOI", _DOI_URL.sub("", url).lower()
        elif m := _PUBMED_URL.match(url):
            yield "PMID", m.group(1)
        else:
            yield "url", url.rstrip("/").lower().removeprefix("https://").removeprefix("http://").removeprefix("www.")


def check_registry(add: Add, documents: list, today: date, lifetimes: dict[str, int]) -> None:
    """Each work once (no DOI, PMID or address under two ids), confirmed against the original (`verified: false` is a
    warning), and a guideline past its body's lifetime (lint.yaml `guideline_lifetimes`) looked up again."""
    seen: dict[tuple[str, str], str] = {}
    for sid, (doc, fields) in works(documents).items():
        where = doc.at((sid,))
        for kind, key in _keys(fields):
            other = seen.setdefault((kind, key), sid)
            if other != sid:
                add("error", where, f"{sid}: the same work as {other!r} (same {kind} {key}); keep one id and cite it "
                                    f"everywhere (replace {sid!r} with {other!r} in the files that cite it)")
        if fields.get("verified") is not True:
            add("warning", doc.at((sid, "verified")) if "verified" in fields else where,
                f"{sid}: not confirmed against the original; look it up at the publisher, PubMed or the guideline body, "
                f"check authors, title, year and DOI, then set `verified: true` and `checked:` to that day")
        status = fields.get("status", "current")
        body, published = fields.get("body"), _day(fields.get("published"))
        years = lifetimes.get(str(body)) if body else None
        if status == "current" and years and published is not None:
            since = _day(fields.get("reaffirmed")) or published
            due = _add_years(since, years)
            if due < today:
                add("warning", where, f"{sid}: past {body}'s {years}-year lifetime for a guideline ({due.isoformat()}) "
                                      f"with no reaffirmation; look it up: set `reaffirmed:`, cite its replacement, or "
                                      f"mark it `status: lapsed` with `status_on:`")
        if body and fields.get("checked") in (None, ""):
            add("warning", where, f"{sid}: a guideline with no `checked:` date; look up whether it is still current "
                                  f"and record the day you did")


def check_citations(add: Add, documents: list, today: date) -> None:
    """What each content file cites: no work twice, nothing withdrawn or superseded (error, `against: true` or not:
    a newer version may say otherwise), nothing lapsed
    without a word (warning); `against: true` only in a condition's files; and each condition backed by at least two
    works, one of them a systematic review or guideline from the last ten years, unless its grade is weak or none,
    with the work behind its grade among them."""
    registry = works(documents)
    for doc in documents:
        data = doc.data
        if not isinstance(data, dict) or is_registry(doc) or not isinstance(data.get("sources"), list):
            continue
        rel = _rel(doc.label)
        condition_file = "conditions/" in rel
        cited: dict[str, int] = {}
        for i, cite in enumerate(data["sources"]):
            sid, against = (cite, False) if isinstance(cite, str) else \
                (cite.get("id"), cite.get("against") is True) if isinstance(cite, dict) else (None, False)
            if not isinstance(sid, str):
                continue  # the schema check reports it
            where = doc.at(("sources", i))
            if sid in cited:
                add("error", where, f"sources[{i}]: cites {sid!r} twice (also sources[{cited[sid]}]); remove one")
            cited.setdefault(sid, i)
            if against and not condition_file:
                add("error", where, f"sources[{i}]: `against: true` says a work recommends against acupuncture for "
                                    f"this file's condition; only a condition's files (conditions/, brochures/conditions/) "
                                    f"can say it; cite {sid!r} by its id alone")
            fields = registry.get(sid, (None, {}))[1]
            status = fields.get("status", "current")
            on = f" on {fields['status_on']}" if fields.get("status_on") else ""
            if status in ("withdrawn", "superseded"):
                fix = ("the publisher withdrew it; remove it and base the text on a current source" if status == "withdrawn"
                       else "a newer version replaced it; cite the current version and check the text against it")
                add("error", where, f"sources[{i}]: cites {sid!r}, {status}{on} ({SOURCES}): {fix}")
            elif status == "lapsed":
                add("warning", where, f"sources[{i}]: {sid!r} has lapsed{on} (its publisher no longer stands by it); say "
                                      f"its year where the text relies on it, and cite a current source when there is one")
        if rel.split("/")[-2:-1] == ["conditions"] and "brochures/" not in rel:
            _check_condition(add, doc, cited, registry, today)


def _check_condition(add: Add, doc, cited: dict[str, int], registry: dict, today: date) -> None:
    grade = doc.data.get("grade")
    level = grade.get("level") if isinstance(grade, dict) else None
    by = grade.get("by") if isinstance(grade, dict) else None
    where = doc.at(("sources",))
    if isinstance(by, str) and by in registry and by not in cited:
        add("error", doc.at(("grade", "by")), f"grade.by: {by!r} grades this condition's evidence but is not under "
                                              f"`sources:`; add it there, so the sheet's source line names it")
    if level in THIN_GRADES:
        return
    if len(cited) < 2:
        add("error", where, f"sources: {len(cited)} work{'s' if len(cited) != 1 else ''}; a condition graded "
                            f"{level or '(no grade)'} needs at least two, one of them a systematic review or guideline "
                            f"from the last {RECENT_YEARS} years; add sources, or grade the evidence weak or none")
        return
    since = today.year - RECENT_YEARS
    recent = [sid for sid in cited if sid in registry and registry[sid][1].get("type") in STRONG_TYPES
              and isinstance(registry[sid][1].get("year"), int) and registry[sid][1]["year"] >= since
              and registry[sid][1].get("status", "current") == "current"]
    if not recent:
        add("error", where, f"sources: none is a current systematic review or guideline from {since} or later; a "
                            f"condition graded {level} needs one: cite it, or grade the evidence weak or none")


def _day(value: Any) -> date | None:
    try:
        return date.fromisoformat(str(value)) if value not in (None, "") else None
    except ValueError:
        return None  # the schema check reports a bad date


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)
