"""Clinic settings: the clinic profile `handouts init` wrote, read and edited field by field, checked by its schema.

Only the fields below change; every other line of clinic.yaml (its comments, colour, logo, team...) stays as it
was. The edited text is read back and must give exactly the old profile with the new values, else nothing is
written; then it is validated as the command line validates it, written atomically, and read as content again.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from ..errors import HandoutError
from ..model import LANG_NAMES, LANGS

FIELDS = ("name", "phone", "address", "booking_url", "practitioners", "languages", "page_size")
LINES = ("address", "practitioners")  # one entry per line of a text box
MAX_CHARS = 300  # any one line
MAX_LINES = {"address": 6, "practitioners": 40}
PAGE_SIZES = (("letter", "US Letter"), ("a4", "A4"))


class SettingsError(HandoutError):
    """The clinic profile cannot be edited here (none yet, or written in a way the screen cannot change safely)."""


def profile_path(config) -> Path | None:
    """The clinic.yaml in effect: --clinic FILE, else the clinic's content folder's (None: bundled content only)."""
    if config.clinic is not None:
        return Path(config.clinic).resolve()
    folder = config.folder()
    return folder / "clinic.yaml" if folder is not None else None


def _yaml(text: str, where: Path) -> dict:
    import yaml

    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise SettingsError(f"{where}{line}: is not valid YAML ({getattr(exc, 'problem', exc)}); fix it in a text editor "
                            "(or run `handouts check`), then open this page again") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{where}: holds no clinic profile (name, phone, address...); run `handouts init` to write one")
    return data


def values_of(data: dict) -> dict[str, Any]:
    """The form's values from a profile's data."""
    def lines(value) -> str:
        return "\n".join(str(v) for v in value) if isinstance(value, (list, tuple)) else str(value or "")

    languages = data.get("languages") or list(LANGS)
    return {"name": str(data.get("name") or ""), "phone": str(data.get("phone") or ""),
            "address": lines(data.get("address")), "booking_url": str(data.get("booking_url") or ""),
            "practitioners": lines(data.get("practitioners")),
            "languages": [str(v) for v in languages] if isinstance(languages, (list, tuple)) else [str(languages)],
            "page_size": str(data.get("page_size") or "letter")}


def read_form(form) -> tuple[dict[str, Any], dict[str, str]]:
    """(the values as typed, problems found before the schema: sizes, unknown choices) from the posted form."""
    values: dict[str, Any] = {}
    errors: dict[str, str] = {}
    for name in FIELDS:
        if name == "languages":
            values[name] = [v for v in form.getlist("languages") if isinstance(v, str)]
            continue
        raw = form.get(name)
        values[name] = raw.replace("\r\n", "\n").strip() if isinstance(raw, str) else ""
        parts = values[name].split("\n") if name in LINES else [values[name]]
        if name not in LINES and "\n" in values[name]:
            errors[name] = "Give it on one line"
        elif any(len(p) > MAX_CHARS for p in parts):
            errors[name] = f"At most {MAX_CHARS} characters a line"
        elif name in LINES and len([p for p in parts if p.strip()]) > MAX_LINES[name]:
            errors[name] = f"At most {MAX_LINES[name]} lines"
        elif any(ord(c) < 32 and c != "\n" for c in values[name]):
            errors[name] = "Remove the control characters (tabs and the like)"
    wrong = [v for v in values["languages"] if v not in LANGS]
    if wrong:
        errors["languages"] = f"Tick languages from the list ({', '.join(repr(w) for w in wrong)} is not one)"
    if values["page_size"] not in dict(PAGE_SIZES):
        errors["page_size"] = f"Choose one from the list ({values['page_size']!r} is not one)"
    return values, errors


def changes_of(values: dict[str, Any]) -> dict[str, Any]:
    """The profile's keys as the form gives them (None: the key is left out of clinic.yaml)."""
    def lines(text: str) -> list[str]:
        return [line.strip() for line in text.split("\n") if line.strip()]

    return {"name": values["name"], "phone": values["phone"], "address": lines(values["address"]),
            "booking_url": values["booking_url"] or None, "practitioners": lines(values["practitioners"]),
            "languages": [code for code in LANGS if code in values["languages"]], "page_size": values["page_size"]}


def schema_errors(data: dict) -> dict[str, str]:
    """The clinic profile schema's complaints (the same as the command line's), by field."""
    from pydantic import ValidationError

    from ..library.schema import validate_record
    from ..model import Clinic

    try:
        validate_record(Clinic, data)
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            field = str(err["loc"][0]) if err["loc"] else "form"
            message = err["msg"].removeprefix("Value error, ")
            if field in ("address", "practitioners", "languages") and len(err["loc"]) > 1:
                message = f"line {int(err['loc'][1]) + 1}: {message}" if field != "languages" else message
            errors.setdefault(field if field in FIELDS else "form", message if field in FIELDS else f"{field}: {message}")
        return errors
    return {}


def _block(key: str, value: Any, old: Any = None) -> list[str]:
    """The lines of one top-level key of clinic.yaml (JSON's double-quoted strings are valid YAML); a key left out
    becomes a comment with its old value, as `handouts init` writes a field that is off."""
    if value is None:
        return [f"# {key}: {json.dumps(old, ensure_ascii=False)}"] if isinstance(old, str) else []
    if isinstance(value, list) and key in LINES and value:
        return [f"{key}:", *(f"  - {json.dumps(v, ensure_ascii=False)}" for v in value)]
    return [f"{key}: {json.dumps(value, ensure_ascii=False)}"]


def edited(text: str, changes: dict[str, Any], old: dict | None = None) -> str:
    """clinic.yaml's text with these top-level keys replaced (added after their commented example, or at the end;
    turned into a comment for None); every other line as it was."""
    lines = text.split("\n")
    for key, value in changes.items():
        new = _block(key, value, (old or {}).get(key))
        start = next((i for i, line in enumerate(lines) if re.match(rf"{re.escape(key)}\s*:", line)), None)
        if start is not None:
            end = start + 1
            while end < len(lines) and lines[end][:1] in (" ", "\t", "-"):
                end += 1
            lines[start:end] = new
        elif value is not None:
            example = next((i for i, line in enumerate(lines) if re.match(rf"#\s*{re.escape(key)}\s*:", line)), None)
            if example is not None:
                lines[example + 1:example + 1] = new
            else:
                while lines and lines[-1] == "":
                    lines.pop()
                lines += [*new, ""]
    return "\n".join(lines)


def save(path: Path, values: dict[str, Any]) -> dict[str, str]:
    """Check and write the profile; the problems by field (nothing written), or {} when it was written."""
    from ..files import write_file

    old_text = path.read_text("utf-8")
    old = _yaml(old_text, path)
    changes = changes_of(values)
    wanted = {**old, **changes}
    wanted = {k: v for k, v in wanted.items() if v is not None}
    errors = schema_errors(wanted)
    if errors:
        return errors
    text = edited(old_text, changes, old)
    try:
        again = _yaml(text, path)
    except SettingsError:
        again = None
    if again != wanted:  # a layout the line editor does not know (a flow mapping, anchors...)
        raise SettingsError(f"{path}: is written in a way this page cannot change without touching other lines; "
                            "edit it in a text editor (every field is explained in the README), or make it again "
                            "with `handouts init --force`")
    if text == old_text:
        return {}
    write_file(text.encode("utf-8"), path, replace=True)
    return {}


def _library_problem(config) -> str | None:
    """Whether the content still reads with the new profile (the loader's own message, with file and line)."""
    from ..library.cache import library

    try:
        library(config.content, config.clinic)
    except HandoutError as exc:
        return str(exc)
    return None


async def screen(request: Request, screen) -> Response:
    """GET: the profile's fields; POST: check them, write clinic.yaml, show it again with what was saved."""
    config = screen.config
    path = profile_path(config)
    shown: dict[str, Any] = {"profile": path, "record": config.record, "errors": {}, "message": "",
                             "langs": [(k, LANG_NAMES[k]) for k in LANGS], "page_sizes": PAGE_SIZES, "values": None}
    if path is None or not path.is_file():
        return screen.page(request, "settings.html.j2", **shown)
    old_text = path.read_text("utf-8")
    if request.method == "GET":
        shown["values"] = values_of(_yaml(old_text, path))
        return screen.page(request, "settings.html.j2", **shown)
    form = await screen.form(request)
    values, errors = read_form(form)
    shown["values"] = values
    if not errors:
        errors = save(path, values)
    if errors:
        shown["errors"] = errors
        return screen.page(request, "settings.html.j2", status=400, **shown)
    problem = _library_problem(config)
    if problem is not None:  # the schema took it, the content does not (say, a practitioner's note names another)
        from ..files import write_file

        write_file(old_text.encode("utf-8"), path, replace=True)
        shown["errors"] = {"form": f"Not saved: {problem}"}
        return screen.page(request, "settings.html.j2", status=400, **shown)
    shown["message"] = f"Saved in {path}. Every sheet, brochure and screen uses it from now on."
    return screen.page(request, "settings.html.j2", **shown)
