"""Screen 1, the leaflet: the form of one visit, its live preview (the HTML page), and the PDF or page to hand over."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..errors import HandoutError, SafetyError, VisitError
from ..model import LANG_NAMES, LANGS

TEXT_FIELDS = ("patient", "practitioner", "date", "condition", "plan", "start", "note", "add_points", "lang", "page_size")
LISTS = ("points", "flags", "techniques", "allow_caution")
TICKS = ("tracker", "large_print")
_ALLOW = re.compile(r"--allow-caution (\S+)")
_STRAY = re.compile(r"^--allow-caution (\S+): ")


def printing():
    """handouts.deliver.printing.print_pdf when that module is installed (CUPS printing), else None."""
    try:
        from ..deliver.printing import print_pdf  # type: ignore[import-not-found]
    except ImportError:
        return None
    return print_pdf


def _fold(text: str) -> str:
    """Lower case, no tone marks or spaces: `Sānyīnjiāo` and `san yin jiao` both give `sanyinjiao`."""
    plain = unicodedata.normalize("NFKD", text)
    return re.sub(r"[^a-z0-9]", "", "".join(c for c in plain if not unicodedata.combining(c)).lower())


_NAMES: list = []  # [(library, names)]: the last library's index (a cache; the library is read again on a change)


def _names(library) -> dict[str, str]:
    """Pinyin and English point names, folded, to their codes (codes and aliases: library.find_point)."""
    if _NAMES and _NAMES[0][0] is library:
        return _NAMES[0][1]
    names: dict[str, str] = {}
    for code, point in library.points.items():
        for name in (point.body.pinyin, point.body.english):
            names.setdefault(_fold(name), code)
    _NAMES[:] = [(library, names)]
    return names


def find_point(library, typed: str):
    point = library.find_point(typed)
    if point is None:
        code = _names(library).get(_fold(typed))
        point = library.points.get(code) if code else None
    return point


def find_condition_id(library, typed: str) -> str | None:
    """A condition typed as its id or its title in any language."""
    key = typed.strip().lower()
    if key.replace(" ", "-") in library.conditions:
        return key.replace(" ", "-")
    for cid, condition in library.conditions.items():
        if any(key == t.strip().lower() for t in condition.title.values()):
            return cid
    return None


def point_label(point) -> str:
    return f"{point.code} {point.body.pinyin} ({point.body.hanzi}), {point.body.english}"


@dataclass
class LeafletForm:
    """The form as typed, what it means, and what went wrong where."""

    values: dict[str, Any]
    condition: str | None = None  # the condition's id
    points: list[tuple[str, str, bool]] = field(default_factory=list)  # (code, label, ticked)
    errors: dict[str, str] = field(default_factory=dict)  # field -> message shown beside it
    cautions: list[tuple[str, bool]] = field(default_factory=list)  # (code, chosen knowingly) tick boxes
    technique_cautions: list[tuple[str, bool]] = field(default_factory=list)  # (technique, chosen knowingly) tick boxes
    made: Any = None  # the Leaflet, when it could be made

    @property
    def ok(self) -> bool:
        return not self.errors and self.made is not None


def blank(library) -> dict[str, Any]:
    first = "hip-pain" if "hip-pain" in library.conditions else sorted(library.conditions)[0]
    return {"patient": "", "practitioner": "", "date": date.today().isoformat(), "condition": first, "points_for": "",
            "points": [], "add_points": "", "flags": [], "techniques": [], "allow_caution": [], "plan": "", "start": "", "tracker": False,
            "note": "", "lang": "en", "large_print": False, "page_size": "letter"}


def read_form(form, library) -> dict[str, Any]:
    values = blank(library)
    for name in TEXT_FIELDS + ("points_for",):
        raw = form.get(name)
        values[name] = raw.strip() if isinstance(raw, str) and name != "note" else (raw if isinstance(raw, str) else values[name])
    for name in LISTS:
        values[name] = [v.strip() for v in form.getlist(name) if isinstance(v, str) and v.strip()]
    for name in TICKS:
        values[name] = form.get(name) in ("on", "1", "true")
    return values


def understand(values: dict[str, Any], library) -> LeafletForm:
    """Resolve the condition and the points, then check the visit; errors land beside their fields."""
    result = LeafletForm(values)
    cid = find_condition_id(library, values["condition"]) if values["condition"] else None
    if cid is None:
        typed = values["condition"]
        result.errors["condition"] = (f"{typed!r} is not a condition we have; pick one from the list" if typed
                                      else "Pick the patient's condition from the list")
        return result
    result.condition = cid
    usual = [cp.code for cp in library.conditions[cid].points]
    defaults = [cp.code for cp in library.conditions[cid].points if cp.default]
    if values["points_for"] != cid:  # a new condition (or the first view): its usual points
        ticked = defaults
        values["allow_caution"] = []
    else:
        ticked = []
        for raw in values["points"]:
            point = find_point(library, raw)
            if point is not None and point.code not in ticked:
                ticked.append(point.code)
    unknown = []
    for raw in re.split(r"[,;]", values["add_points"]):
        if not raw.strip():
            continue
        point = find_point(library, raw)
        if point is None:
            unknown.append(raw.strip())
        elif point.code not in ticked:
            ticked.append(point.code)
    if unknown:
        result.errors["add_points"] = (f"Not a point we know: {', '.join(unknown)}. Type a code (GB30), "
                                       "an alias (LIV3), its pinyin (Sanyinjiao) or English name, and pick from the list")
    else:
        values["add_points"] = ""
    values["points_for"] = cid
    values["points"] = ticked
    shown = list(dict.fromkeys(usual + ticked))
    result.points = [(code, point_label(library.points[code]), code in ticked) for code in shown if code in library.points]
    if not ticked:
        result.errors["points"] = "Tick at least one point used today"
    return result


def fields_of(values: dict[str, Any], cid: str) -> dict[str, Any]:
    fields = {"condition": cid, "points": values["points"], "flags": values["flags"], "techniques": values["techniques"],
              "allow_caution": [c for c in values["allow_caution"] if c in values["points"] or c in values["techniques"]],
              "tracker": values["tracker"], "large_print": values["large_print"]}
    if not fields["allow_caution"]:
        del fields["allow_caution"]
    for name in ("patient", "practitioner", "date", "plan", "start", "note", "lang", "page_size"):
        if values[name]:
            fields[name] = values[name]
    return fields


def make(result: LeafletForm, library, fmt: str) -> LeafletForm:
    """Build the leaflet in `fmt` (html, pdf) from an understood form, or say which field stops it.

    `library` is the one this request read (handouts.library.cache.library): the content is checked once per request."""
    from ..composition.visit import make_visit
    from ..deliver.leaflet import Output, make_handout

    if result.errors or result.condition is None:
        return result
    fields = fields_of(result.values, result.condition)
    for _ in range(len((fields.get("allow_caution") or ())) + 1):
        try:
            result.made = make_handout(library, make_visit(fields, "", library.clinic), "", Output(fmt))
            break
        except VisitError as exc:
            stray = _STRAY.match(str(exc))
            if stray and stray.group(1) in (fields.get("allow_caution") or ()):  # no longer cautioned (a flag was untaken)
                fields["allow_caution"] = [c for c in fields["allow_caution"] if c != stray.group(1)] or None
                continue
            _place(result, exc, fields)
            return result
        except HandoutError as exc:
            _place(result, exc, fields)
            return result
    result.values["allow_caution"] = list(fields.get("allow_caution") or ())
    result.cautions = [(c, True) for c in result.values["allow_caution"] if c not in result.values["techniques"]]
    result.technique_cautions = [(c, True) for c in result.values["allow_caution"] if c in result.values["techniques"]]
    return result


def _place(result: LeafletForm, exc: HandoutError, fields: dict[str, Any]) -> None:
    from ..deliver.batch import failure

    text = str(exc)
    blocked = _ALLOW.findall(text)
    techniques = fields.get("techniques") or ()
    allowed = fields.get("allow_caution") or ()
    if isinstance(exc, SafetyError) and blocked and all(b in techniques for b in blocked):
        # a technique a rule refuses for this patient (cupping with a blood thinner): beside the techniques, with the
        # same "I chose it knowingly" tick as a cautioned point
        reason = text.split(" (flag", 1)[0].removeprefix("not printed: ")
        result.errors["techniques"] = (f"Not printed: {reason}. Untick {' and '.join(blocked)}, or, if you chose "
                                       f"{'it' if len(blocked) == 1 else 'them'} knowingly, tick the box below.")
        result.technique_cautions = [(t, False) for t in blocked] + [(t, True) for t in allowed if t in techniques]
        result.cautions = [(c, True) for c in allowed if c not in techniques]
        return
    if isinstance(exc, SafetyError) and blocked:
        reason = text.split(" (flag", 1)[0].removeprefix("not printed: ")
        result.errors["points"] = (f"Not printed: {reason}. Untick {'it' if len(blocked) == 1 else 'them'}, or, if you "
                                   f"chose {'it' if len(blocked) == 1 else 'them'} knowingly, tick the box below.")
        result.cautions = [(code, False) for code in blocked] + [(c, True) for c in allowed if c not in techniques]
        result.technique_cautions = [(t, True) for t in allowed if t in techniques]
        return
    if isinstance(exc, SafetyError) and " (flags: " in text:  # a rule that refuses the whole sheet for these flags
        named = re.split(r"[ +]+", text.split(" (flags: ", 1)[1].split(";", 1)[0])
        result.errors["techniques" if set(named) & set(techniques) else "flags"] = text.split(" (flags", 1)[0].replace("not printed: ", "Not printed: ") + \
            ". Nothing overrides this; change the flags (or the treatment)."
        return
    row = failure("", exc, fields.get("patient"))
    name = row.field if row.field in ("patient", "practitioner", "date", "points", "plan", "start", "note", "lang",
                                      "page_size", "flags", "techniques", "condition") else "form"
    result.errors[name] = row.message


# ---- handlers -------------------------------------------------------------------------------------------------


def _library(config):
    from ..library.cache import library

    return library(config.content, config.clinic)


def choices(library, lang: str) -> dict[str, Any]:
    team = list(dict.fromkeys([*library.clinic.practitioners,
                               *(f"{m.name}, {m.credentials}" for m in library.clinic.team)]))
    conditions = sorted(((cid, c.title.get(lang) or c.title.get("en", cid)) for cid, c in library.conditions.items()),
                        key=lambda item: item[1].lower())
    points = [(p.code, f"{p.body.pinyin}, {p.body.english}") for p in library.points.values()]
    flags = [(name, texts.get(lang) or texts.get("en", name)) for name, texts in library.rules.flags.items()
             if name not in library.techniques]  # a technique has its own tick box, below
    return {"team": team, "conditions": conditions, "all_points": points, "flags": flags, "techniques": techniques(library),
            "langs": [(k, LANG_NAMES[k]) for k in LANGS], "printing": printing() is not None}


def techniques(library) -> dict[str, str]:
    """The techniques of techniques.yaml, each named in the clinic's language (its first in `languages:`)."""
    lang = (getattr(library.clinic, "languages", None) or ("en",))[0]
    return {name: t.name.get(lang) or t.name.get("en", name) for name, t in library.techniques.items()}


async def screen(request: Request, screen) -> Response:
    library = _library(screen.config)
    if request.method == "GET":
        result = make(understand(blank(library), library), library, "html")
    else:
        form = await screen.form(request)
        result = make(understand(read_form(form, library), library), library, "html")
    status = 200 if request.method == "GET" or result.ok else 400
    return screen.page(request, "leaflet.html.j2", status=status, form=result, **choices(library, result.values["lang"]))


async def preview(request: Request, screen) -> Response:
    """The live preview (JavaScript): the sheet's HTML page and the message beside each field, as JSON."""
    library = _library(screen.config)
    form = await screen.form(request)
    values = read_form(form, library)
    sent = {k: list(v) if isinstance(v, list) else v for k, v in values.items()}  # understand changes its form
    result = understand(values, library)
    helper = getattr(request.app.state, "helper", None)
    made = None
    if helper is not None and result.condition is not None and not result.errors:
        if helper.wants(sheet_key(result), usual_sheet(result, library)):
            made = await helper.preview(sent)  # a new fit: on the helper's core (serve/helper.py)
    if made is None:
        result = make(result, library, "html")
        made = (result.made.data.decode("utf-8") if result.made is not None else None, result.errors, result.cautions,
                result.values.get("points_for", ""), result.technique_cautions)
    page, errors, cautions, points_for, technique_cautions = made
    from .pages import environment

    macros = environment().get_template("leaflet_parts.html.j2").module
    return JSONResponse({
        "preview": page,
        "errors": {name: str(macros.error(name, errors.get(name))) for name in ERROR_FIELDS},
        "cautions": str(macros.cautions(cautions)),
        "technique_cautions": str(macros.cautions(technique_cautions, techniques(library))),
        "points_for": points_for,
    })


def sheet_key(result: LeafletForm) -> tuple:
    """What tells one sheet's fit from another's, as far as the form says: everything but the patient band (name,
    date, practitioner) and the note's words (a sheet with a note is fitted every time; the key says only that it has one)."""
    v = result.values
    return (result.condition, tuple(v["points"]), tuple(sorted(v["flags"])), tuple(sorted(v["techniques"])),
            tuple(sorted(v["allow_caution"])), v["lang"], v["large_print"], v["page_size"], v["plan"], v["start"],
            v["tracker"], bool(v["note"]))


def usual_sheet(result: LeafletForm, library) -> bool:
    """A condition's usual sheet: its usual points, no flag, technique, plan, start date, tracker or note (any language,
    paper)."""
    v = result.values
    usual = [cp.code for cp in library.conditions[result.condition].points if cp.default]
    return (v["points"] == usual and not v["flags"] and not v["techniques"] and not v["note"] and not v["plan"]
            and not v["start"] and not v["tracker"])


ERROR_FIELDS = ("patient", "practitioner", "date", "condition", "points", "add_points", "flags", "techniques", "plan", "start", "note",
                "lang", "page_size", "form")


async def file(request: Request, screen) -> Response:
    """The PDF (to open or download), the HTML page, or the PDF sent to the printer."""
    library = _library(screen.config)
    form = await screen.form(request)
    action = form.get("action")
    if action not in ("open", "pdf", "html", "print"):
        raise VisitError("choose Open PDF, Download PDF, Download page or Print")
    fmt = "html" if action == "html" else "pdf"
    result = make(understand(read_form(form, library), library), library, fmt)
    if not result.ok:
        return screen.page(request, "leaflet.html.j2", status=400, form=result, **choices(library, result.values["lang"]))
    made = result.made
    name = f"{made.visit.date.isoformat()}-{made.condition}-{made.visit.lang}.{'html' if fmt == 'html' else 'pdf'}"
    if screen.config.record is not None:
        _record(screen.config.record, made, name, action)
    if action == "print":
        print_pdf = printing()
        if print_pdf is None:
            raise VisitError("printing is not set up on this computer (CUPS); download the PDF and print it from the viewer")
        job = print_pdf(made.data, None, f"{made.condition} leaflet")
        return screen.page(request, "message.html.j2", title="Sent to the printer",
                           message=f"The leaflet went to the printer (job {job}). Go back to make the next one.")
    kind = "text/html; charset=utf-8" if fmt == "html" else "application/pdf"
    disposition = "inline" if action == "open" else "attachment"
    return Response(made.data, media_type=kind, headers={"content-disposition": f'{disposition}; filename="{name}"'})


def _record(path: Path, made, name: str, action: str) -> None:
    from ..deliver.record import RecordLog, entry

    line = entry(made, Path(name), source="screen", command="serve")
    line["output"]["path"] = f"(from the screen: {'printed' if action == 'print' else name})"
    RecordLog(path).append(line)
