"""Guards of issue 20 for `handouts check`: every urgent sign goes to someone who can act on it, and a guideline
that recommends against acupuncture is never left out of a condition's evidence summary."""

from __future__ import annotations

import os
import re
from typing import Any, Callable, Iterator

from ..model import LANGS, ROUTES

Add = Callable[[str, str, str], None]
CLINIC = "clinic-today"
# Where a condition's evidence is summarised for a patient or in marketing (file, field).
SUMMARIES = (("conditions/{cid}.yaml", "evidence"), ("conditions/{cid}.yaml", "evidence_short"),
             ("brochures/conditions/{cid}.yaml", "cover"))
_SENTENCE = re.compile(r"(?<=[.!?;。！？；])\s*")


def _rel(label: str) -> str:
    return label.replace(os.sep, "/")


def words(lint: Any, name: str) -> dict[str, re.Pattern | None]:
    """lint.yaml's word list `name` as one pattern per language (whole words in en/es; anywhere in zh)."""
    out: dict[str, re.Pattern | None] = {}
    for lang in LANGS:
        listed = sorted((str(w) for w in getattr(lint, name, {}).get(lang, ())), key=len, reverse=True)
        if not listed:
            out[lang] = None
            continue
        body = "|".join(re.escape(w) for w in listed)
        out[lang] = re.compile(body) if lang == "zh" else re.compile(r"(?<!\w)(?:" + body + r")(?!\w)", re.I)
    return out


def _routed(doc) -> Iterator[tuple[tuple, str, dict]]:
    """(path, route, texts) for every urgent sign a document routes: a condition's `urgent:`, each rule's `urgent:`,
    and the items of each when-to-call block under its `call:`."""
    data, rel = doc.data, _rel(doc.label)
    if not isinstance(data, dict):
        return
    if "conditions/" in rel and not rel.startswith("brochures/") and "/brochures/" not in rel:
        yield from _by_route(("urgent",), data.get("urgent"))
    elif rel.endswith("rules.yaml"):
        for i, rule in enumerate(data.get("rules") or ()):
            if isinstance(rule, dict):
                yield from _by_route(("rules", i, "urgent"), rule.get("urgent"))
    elif rel.endswith("sections/when-to-call.yaml"):
        for i, block in enumerate(data.get("blocks") or ()):
            if isinstance(block, dict) and block.get("call") in ROUTES:
                for j, item in enumerate(block.get("items") or ()):
                    if isinstance(item, dict):
                        yield ("blocks", i, "items", j), block["call"], item


def _by_route(path: tuple, urgent: Any) -> Iterator[tuple[tuple, str, dict]]:
    if not isinstance(urgent, dict):
        return
    for route, signs in urgent.items():
        for j, sign in enumerate(signs if isinstance(signs, list) else ()):
            if isinstance(sign, dict):
                yield path + (route, j), route, sign


def _name(path: tuple) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def check_routes(add: Add, documents: list, lint: Any) -> None:
    """A sign naming fever, infection, self-harm, chest pain or breathing, numbness or weakness (lint.yaml
    `not_for_clinic`) routed to the clinic is an error; so is a rule's note or first paragraph that sends such a
    sign to the clinic (`clinic_call` in the same sentence); so is a route with no when-to-call block to print it."""
    serious = words(lint, "not_for_clinic")
    clinic_call = words(lint, "clinic_call")
    blocks = {b.get("call") for d in documents if _rel(d.label).endswith("sections/when-to-call.yaml") and isinstance(d.data, dict)
              for b in (d.data.get("blocks") or ()) if isinstance(b, dict)}
    for doc in documents:
        for path, route, sign in _routed(doc):
            where, name = doc.at(path), _name(path)
            if route not in blocks and any(_rel(d.label).endswith("sections/when-to-call.yaml") for d in documents):
                add("error", where, f"{name}: no block of sections/when-to-call.yaml has `call: {route}`, so this sign "
                                    f"would not print; add one with the words of whom to call")
            if route != CLINIC:
                continue
            for lang, text in sign.items():
                pattern = serious.get(lang)
                if isinstance(text, str) and pattern is not None and (m := pattern.search(text)):
                    add("error", doc.at(path + (lang,)), f"{name}.{lang}: {m.group(0)!r} is a sign the clinic cannot act on the same day; "
                                        f"route it to emergency, doctor-now, cancer-team or midwife (not {CLINIC})")
                    break
        if _rel(doc.label).endswith("rules.yaml") and isinstance(doc.data, dict):
            for i, rule in enumerate(doc.data.get("rules") or ()):
                for key in ("note", "risk_first"):
                    texts = rule.get(key) if isinstance(rule, dict) else None
                    if isinstance(texts, dict):
                        _check_advice(add, doc, ("rules", i, key), f"rules[{i}].{key}", texts, serious, clinic_call)


def _check_advice(add: Add, doc, path: tuple, name: str, texts: dict, serious: dict, clinic_call: dict) -> None:
    for lang, text in texts.items():
        where = doc.at(path + (lang,))
        if not isinstance(text, str) or serious.get(lang) is None or clinic_call.get(lang) is None:
            continue
        for sentence in _SENTENCE.split(text):
            bad, call = serious[lang].search(sentence), clinic_call[lang].search(sentence)
            if bad and call:
                add("error", where, f"{name}.{lang}: sends {bad.group(0)!r} to the clinic ({call.group(0)!r}); a patient with "
                                    f"it needs their doctor, cancer team or midwife now: say so, and add the sign to the "
                                    f"rule's `urgent:` under whom to call")
                break


def check_against(add: Add, documents: list, lint: Any) -> None:
    """A work a condition's files cite with `against: true` (it recommends against acupuncture for that condition)
    must be mentioned in every summary of that condition's evidence (`evidence`, `evidence_short`, the brochure's
    `cover`), in every language: each needs one of lint.yaml's `against_words`."""
    from .registry import is_registry, works

    mention = words(lint, "against_words")
    by_rel = {_rel(d.label).split("content/")[-1]: d for d in documents}
    registry = works(documents)
    against: dict[str, list[str]] = {}
    for doc in documents:
        rel = _rel(doc.label)
        sources = doc.data.get("sources") if isinstance(doc.data, dict) and not is_registry(doc) else None
        if "conditions/" not in rel:
            continue
        cid = rel.rsplit("/", 1)[-1].removesuffix(".yaml").removesuffix(".yml")
        for source in sources if isinstance(sources, list) else ():
            if isinstance(source, dict) and source.get("against") is True and isinstance(source.get("id"), str):
                short = registry.get(source["id"], (None, {}))[1].get("short")
                name = (short.get("en") if isinstance(short, dict) else None) or source["id"]
                against.setdefault(cid, []).append(str(name))
    for cid, names in sorted(against.items()):
        for pattern, field in SUMMARIES:
            rel = pattern.format(cid=cid)
            doc = next((d for r, d in by_rel.items() if r == rel or r.endswith("/" + rel)), None)
            texts = doc.data.get(field) if doc is not None and isinstance(doc.data, dict) else None
            if not isinstance(texts, dict):
                continue
            for lang, text in texts.items():
                pat = mention.get(lang)
                if isinstance(text, str) and pat is not None and not pat.search(text):
                    add("error", doc.at((field,)), f"{field}.{lang}: summarises the evidence for {cid} but leaves out that "
                                                   f"{names[0]} recommends against acupuncture for it; say so (e.g. \"a UK "
                                                   f"guideline does not recommend it\", words under against_words.{lang} in lint.yaml)")
