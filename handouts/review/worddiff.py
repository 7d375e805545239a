"""What changed in a content file since its approval: field by field, word by word (Chinese: character by character)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Iterator

# Chinese, Japanese and full-width characters are words of one character each; other text splits at white space.
_TOKENS = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]|[^\s\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]+|\s+")
CONTEXT = 8  # unchanged words kept on each side of a change in a long text


@dataclass(frozen=True)
class Change:
    """One field that changed: its place in the file and its words, each run marked kept (=), removed (-) or added (+)."""

    field: str
    runs: tuple[tuple[str, str], ...]

    @property
    def removed(self) -> str:
        return "".join(t for op, t in self.runs if op == "-")

    @property
    def added(self) -> str:
        return "".join(t for op, t in self.runs if op == "+")


def tokens(text: str) -> list[str]:
    return _TOKENS.findall(text)


def word_diff(old: str, new: str, context: int = CONTEXT) -> tuple[tuple[str, str], ...]:
    """Runs of (op, text) that turn `old` into `new`; long unchanged stretches are cut to `context` words each side."""
    a, b = tokens(old), tokens(new)
    runs: list[tuple[str, str]] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            runs.append(("=", "".join(a[i1:i2])))
            continue
        if op in ("delete", "replace"):
            runs.append(("-", "".join(a[i1:i2])))
        if op in ("insert", "replace"):
            runs.append(("+", "".join(b[j1:j2])))
    return tuple(_trim(_joined(runs), context))


def _joined(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Changes separated only by white space as one change: "disturbs sleep" -> "wakes you at night", not word
    against word."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(runs):
        if runs[i][0] == "=":
            out.append(runs[i])
            i += 1
            continue
        removed: list[str] = []
        added: list[str] = []
        ops = set()
        while i < len(runs) and (runs[i][0] != "=" or (runs[i][1].isspace() and i + 1 < len(runs) and runs[i + 1][0] != "=")):
            op, text = runs[i]
            ops.add(op)
            if op in "-=":
                removed.append(text)
            if op in "+=":
                added.append(text)
            i += 1
        parts = [(op, "".join(words)) for op, words in (("-", removed), ("+", added)) if op in ops]
        lead = min(len(t) - len(t.lstrip()) for _, t in parts)  # white space both sides share stays unmarked
        trail = min(len(t) - len(t.rstrip()) for _, t in parts)
        if lead:
            _keep(out, parts[0][1][:lead])
        out += [(op, t[lead:len(t) - trail]) for op, t in parts]
        if trail:
            _keep(out, parts[0][1][len(parts[0][1]) - trail:])
    merged: list[tuple[str, str]] = []
    for op, text in out:
        if not text:
            continue
        if op == "=" and merged and merged[-1][0] == "=":
            merged[-1] = ("=", merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def _keep(out: list[tuple[str, str]], text: str) -> None:
    """Unchanged text, joined to the unchanged run before it."""
    if out and out[-1][0] == "=":
        out[-1] = ("=", out[-1][1] + text)
    else:
        out.append(("=", text))


def _trim(runs: list[tuple[str, str]], context: int) -> list[tuple[str, str]]:
    out = []
    for k, (op, text) in enumerate(runs):
        if op == "=":
            words = tokens(text)
            n = 2 * context  # words and the spaces between them
            keep_head = k > 0  # after a change: its context
            keep_tail = k < len(runs) - 1  # before a change
            limit = 2 * n if keep_head and keep_tail else n
            if len(words) > limit + 4:
                head = "".join(words[:n]).rstrip() if keep_head else ""
                tail = "".join(words[-n:]).lstrip() if keep_tail else ""
                text = head + " … " + tail if head and tail else (head + " …" if head else "… " + tail)
        out.append((op, text))
    return out


def leaves(data: Any, path: str = "") -> Iterator[tuple[str, str]]:
    """(place, text) of every value in parsed YAML: places like `who_may_benefit[3].zh`."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield from leaves(value, f"{path}.{key}" if path else str(key))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from leaves(value, f"{path}[{i}]")
    elif data is not None:
        yield path or "(whole file)", data.isoformat() if isinstance(data, date) else str(data)


def changes(old_texts: list[str], new_texts: list[str], names: tuple[str, ...] = ()) -> tuple[Change, ...]:
    """Each field changed between two versions of a file (several texts: a protected section's versions, each in
    turn, named by `names`, the last name for any further ones). Fields are compared by their place in the YAML;
    a file that does not parse is compared as text."""
    out: list[Change] = []
    count = max(len(old_texts), len(new_texts))
    for n in range(count):
        old = old_texts[n] if n < len(old_texts) else ""
        new = new_texts[n] if n < len(new_texts) else ""
        prefix = (f"{names[min(n, len(names) - 1)] if names else f'version {n + 1}'}: ") if count > 1 else ""
        old_fields, new_fields = _fields(old), _fields(new)
        if old_fields is None or new_fields is None:
            if old != new:
                out.append(Change(f"{prefix}(the file as text)", word_diff(old, new)))
            continue
        for place in list(new_fields) + [p for p in old_fields if p not in new_fields]:
            before, after = old_fields.get(place), new_fields.get(place)
            if before == after:
                continue
            if before is None:
                runs: tuple[tuple[str, str], ...] = (("+", after),)
            elif after is None:
                runs = (("-", before),)
            else:
                runs = word_diff(before, after)
            out.append(Change(prefix + place, runs))
    return tuple(out)


def _fields(text: str) -> dict[str, str] | None:
    import yaml

    if not text:
        return {}
    try:
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        return None
    return dict(leaves(data)) if isinstance(data, (dict, list)) else None
