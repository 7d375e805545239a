"""Read YAML safely and remember the line of every key and list item."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..errors import ContentError

KeyPath = tuple[Any, ...]


class _Loader(yaml.SafeLoader if not yaml.__with_libyaml__ else yaml.CSafeLoader):  # type: ignore[misc]
    """SafeLoader with YAML 1.2-like scalars: only true/false are booleans, dates stay text."""


# YAML 1.1 turns `NO`, `yes`, `on` into booleans and `2024-02-30` into a date (or a crash).
# Keep only the literal true/false as booleans, and leave dates as text that the
# models validate with a clear message.
_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")]
    for first, resolvers in _Loader.yaml_implicit_resolvers.copy().items()
}
_Loader.add_implicit_resolver("tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
# Leading-zero numbers such as 00123 (a record number, a zip code) stay text.
_INT_LEADING_ZERO = re.compile(r"^[-+]?0[0-9_]+$")

MAX_BYTES = 2_000_000
_NO_ALIASES = "aliases (*name) are not allowed (write each value out in full)"
MAX_DEPTH = 40  # levels of nesting; content needs about 6, and deeper trees only exhaust the stack


@dataclass(frozen=True)
class Document:
    """One YAML file's data and the line of each key path inside it."""

    path: Path
    label: str  # what error messages call the file, e.g. conditions/hip-pain.yaml
    data: Any
    lines: dict[KeyPath, int] = field(repr=False)

    def line(self, where: KeyPath) -> int:
        """The line of `where`, or of its nearest parent that has one."""
        where = tuple(where)
        while where:
            if where in self.lines:
                return self.lines[where]
            where = where[:-1]
        return self.lines.get((), 1)

    def at(self, where: KeyPath = ()) -> str:
        """`label:line` for a key path, for error messages."""
        return f"{self.label}:{self.line(where)}"


def _walk(node: yaml.Node, where: KeyPath, lines: dict[KeyPath, int], seen: set[int],
          make: yaml.constructor.SafeConstructor) -> Any:
    """Build plain Python values from a composed node, recording lines."""
    lines.setdefault(where, node.start_mark.line + 1)
    # A composed tree shares one node object wherever an alias points at it, a single value included
    # (thousands of `*a` pointing at one long text are a bomb for everything that reads the result).
    if id(node) in seen:
        # An aliased list item carries its anchor's line: name the list's line instead.
        line = lines.get(where[:-1], lines[where]) if where and isinstance(where[-1], int) else lines[where]
        here = yaml.error.Mark("", 0, line - 1, 0, None, None)
        raise yaml.composer.ComposerError(None, None, _NO_ALIASES, here)
    seen.add(id(node))
    if len(where) > MAX_DEPTH:
        raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep; content needs only a few levels",
                                          node.start_mark)
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in _COLLECTION_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"the tag {node.tag!r} is not allowed in content files", node.start_mark)
    if isinstance(node, yaml.MappingNode):
        out: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise yaml.constructor.ConstructorError(None, None, "merge keys (<<) are not allowed", key_node.start_mark)
            if not isinstance(key_node, yaml.ScalarNode):
                raise yaml.constructor.ConstructorError(None, None, "a key must be plain text", key_node.start_mark)
            if id(key_node) in seen:
                raise yaml.composer.ComposerError(None, None, _NO_ALIASES, key_node.start_mark)
            seen.add(id(key_node))
            key = _scalar(key_node, make)
            if key in out:
                raise yaml.constructor.ConstructorError(None, None, f"the key {key!r} appears twice", key_node.start_mark)
            lines[where + (key,)] = key_node.start_mark.line + 1
            out[key] = _walk(value_node, where + (key,), lines, seen, make)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_walk(item, where + (i,), lines, seen, make) for i, item in enumerate(node.value)]
    return _scalar(node, make)


_COLLECTION_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}
_SCALAR_TAGS = {f"tag:yaml.org,2002:{t}" for t in ("str", "int", "float", "bool", "null")}


def _scalar(node: yaml.ScalarNode, make: yaml.constructor.SafeConstructor) -> Any:
    if node.tag not in _SCALAR_TAGS:
        raise yaml.constructor.ConstructorError(None, None, f"the tag {node.tag!r} is not allowed in content files", node.start_mark)
    if node.tag == "tag:yaml.org,2002:int" and _INT_LEADING_ZERO.match(node.value):
        return node.value
    return make.construct_object(node)


def parse(text: str, label: str, path: Path | None = None) -> Document:
    """Parse YAML text into a Document, or raise ContentError naming `label` and the line."""
    try:
        node = yaml.compose(text, Loader=_Loader)
        lines: dict[KeyPath, int] = {}
        data = _walk(node, (), lines, set(), yaml.constructor.SafeConstructor()) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "not valid YAML"
        raise ContentError([f"{label}:{line}: {what}; fix the YAML there"]) from None
    except RecursionError:  # the parser itself recurses per level: a tree hundreds of levels deep
        raise ContentError([f"{label}: nested too deeply (more than {MAX_DEPTH} levels); content needs only a few levels"]) from None
    except yaml.YAMLError as exc:
        raise ContentError([f"{label}: not valid YAML ({exc}); fix the YAML"]) from None
    return Document(path=path or Path(label), label=label, data=data, lines=lines)


def read(path: Path, label: str) -> Document:
    """Read and parse a YAML file; unreadable, oversized or non-UTF-8 files are ContentErrors."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ContentError([f"{label}: cannot be read ({exc.strerror or exc}); check the file exists and is readable"]) from None
    if len(raw) > MAX_BYTES:
        raise ContentError([f"{label}: is {len(raw):,} bytes, more than the {MAX_BYTES:,} a content file may have; split or shorten it"])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise ContentError([f"{label}:{line}: is not UTF-8 text; save the file as UTF-8"]) from None
    return parse(text, label, path)
