"""`handouts init`: a new clinic's folder, a commented clinic.yaml and an empty content layout, then `check` on it."""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import HandoutError
from ..model import LANGS

FOLDERS = ("conditions", "sections", "points", "brochures/conditions")
README = """\
Your clinic's own content for `handouts` (made by `handouts init`).

clinic.yaml             your clinic's name, address, phone, colour, logo, languages and conditions (every field is explained in it)
conditions/             your own condition sheets: a file named like a bundled one (hip-pain.yaml) replaces it
sections/               your own shared sections (what-to-expect.yaml, ...): they replace the bundled ones
points/                 your own point files
brochures/conditions/   a condition brochure's own cover text
approvals.json          written by `handouts approve`: which text your clinician signed off (keep it with the folder)

Use the folder with --content (or set HANDOUTS_CONTENT to it), e.g.
  handouts check --content {folder}
  handouts leaflet hip-pain --patient "Jane Doe" --content {folder} -o jane.pdf
"""


class SetupError(HandoutError):
    """`handouts init` cannot use an answer (colour, logo, language, condition) or cannot write the folder."""


@dataclass(frozen=True)
class ClinicSetup:
    """A new clinic's answers, as `handouts init` asks them."""

    name: str
    phone: str
    address: tuple[str, ...]
    booking_url: str = ""
    website: str = ""
    emergency_number: str = "911"
    crisis_line: str = ""
    colour: str = "#1D5C63"
    logo: Path | None = None
    practitioners: tuple[str, ...] = ()
    languages: tuple[str, ...] = LANGS
    offers: tuple[str, ...] = ()  # none: every condition in the content


@dataclass(frozen=True)
class InitResult:
    folder: Path
    written: tuple[Path, ...]
    report: object  # review.check.Report of the new folder


HEX = re.compile(r"^#[0-9A-Fa-f]{6}$")


def check_colour(value: str) -> str:
    value = value.strip()
    if not value.startswith("#"):
        value = "#" + value
    if not HEX.match(value):
        raise SetupError(f"{value!r} is not a colour in the form #RRGGBB (six hexadecimal digits, e.g. #1F4E9A)")
    return value.upper()


def check_languages(value: str | tuple[str, ...]) -> tuple[str, ...]:
    codes = tuple(dict.fromkeys(c.strip().lower() for c in (value.replace(" ", ",").split(",") if isinstance(value, str) else value)
                                if c.strip()))
    wrong = [c for c in codes if c not in LANGS]
    if not codes or wrong:
        raise SetupError(f"{', '.join(wrong) or 'nothing'}: give one or more of {', '.join(LANGS)}, separated by commas (e.g. en or en,es)")
    return codes


def check_offers(value: str | tuple[str, ...], known: list[str]) -> tuple[str, ...]:
    """Condition ids (comma-separated), or `all` (none: every condition)."""
    items = value.replace(" ", ",").split(",") if isinstance(value, str) else list(value)
    ids = tuple(dict.fromkeys(i.strip().lower() for i in items if i.strip()))
    if ids in ((), ("all",)):
        return ()
    wrong = []
    for cid in ids:
        if cid not in known:
            close = difflib.get_close_matches(cid, known, n=1, cutoff=0.6)
            wrong.append(f"{cid!r}" + (f" (did you mean {close[0]!r}?)" if close else ""))
    if wrong:
        raise SetupError(f"no condition {', '.join(wrong)}; give ids as `handouts list conditions` shows them "
                         f"({', '.join(known)}), or all")
    return ids


def read_logo(path: Path) -> bytes:
    """The logo file's bytes, vetted as the content loader vets clinic.yaml's `logo:`."""
    from ..library.load import logo_problem

    try:
        data = Path(path).expanduser().read_bytes()
    except OSError as exc:
        raise SetupError(f"cannot read {path} ({exc.strerror or exc}); give the path of a PNG or JPEG file") from None
    problem = logo_problem(data, Path(path).name)
    if problem:
        raise SetupError(problem)
    return data


def _q(value: str) -> str:
    """A YAML scalar: JSON's double-quoted string is valid YAML."""
    return json.dumps(value, ensure_ascii=False)


def _list(values) -> str:
    return "[" + ", ".join(_q(v) for v in values) + "]"


def clinic_yaml(setup: ClinicSetup, logo_name: str | None) -> str:
    """The commented clinic.yaml for these answers: every field with a line saying what it is for."""
    s = setup
    lines = [
        "# Your clinic's profile for `handouts` (written by `handouts init`; edit it freely, then run `handouts check`).",
        "# Every field is explained in the comment above it; a field starting with # is off until you remove the #.",
        "",
        "# The clinic's name, printed at the top of every sheet and brochure.",
        f"name: {_q(s.name)}",
        "# The phone number patients call, printed on every sheet and in the 'when to call' box.",
        f"phone: {_q(s.phone)}",
        "# The address, one line per entry.",
        "address:",
        *(f"  - {_q(line)}" for line in s.address),
        "# Your web site (printed in the header), without https://.",
        f"website: {_q(s.website)}" if s.website else "# website: harborlight.example",
        "# The page where patients book a visit: the sheets print it as a QR code. Keep it short (under about 100 characters).",
        f"booking_url: {_q(s.booking_url)}" if s.booking_url else "# booking_url: https://harborlight.example/book",
        "# The e-mail address patients may write to.",
        "# email: front-desk@harborlight.example",
        "# The brand colour (#RRGGBB): header, headings and the tints of the boxes. It needs 4.5:1 contrast with white",
        "# (`handouts check` warns and suggests a darker shade if not).",
        f"colour: {_q(s.colour)}",
        "# The brand colour in CMYK percent, for print-shop brochures (--colour cmyk); leave it off to convert it.",
        "# colour_cmyk: [80, 49, 0, 40]",
        "# The logo: a PNG or JPEG beside this file (at least 300 pixels wide), shown in the header.",
        f"logo: {_q(logo_name)}" if logo_name else "# logo: logo.png",
        "# The emergency number the urgent-care box tells patients to call.",
        f"emergency_number: {_q(s.emergency_number)}",
        "# The suicide and crisis line where the clinic is (988 in the US); leave it off if there is none.",
        f"crisis_line: {_q(s.crisis_line)}" if s.crisis_line else "# crisis_line: \"988\"",
        "# Who treats patients here, as they sign a sheet (e.g. \"Mei Chen, L.Ac.\").",
        f"practitioners: {_list(s.practitioners)}",
        "# The languages you print in (en, es, zh): `check` asks for translations into these only, and a sheet",
        "# in another language is refused.",
        f"languages: {_list(s.languages)}",
        "# The conditions you treat (ids from `handouts list conditions`): the clinic brochure, the condition list,",
        "# approvals and `check` cover only these, and a sheet for another condition is refused. Leave it off for all.",
        f"offers: {_list(s.offers)}" if s.offers else "# offers: [hip-pain, low-back-pain, neck-pain]",
        "# true: refuse to print text your clinician has not approved (`handouts approve`); false: print it marked Draft.",
        "require_approval: false",
        "# The file names `handouts batch` gives (fields {date} {patient} {condition} {practitioner} {lang} {row}).",
        "# This one puts the patient's name in the file name; for a shared folder use \"{date}-{row}-{condition}\".",
        "batch_name: \"{date}-{patient}-{condition}\"",
        "# The advertising rules your brochures follow: us (FTC) or uk (the UK's CAP code, which accepts claims for a",
        "# few conditions only; `handouts check` holds brochures to it).",
        "# claims: us",
        "# The paper of a sheet whose visit names none (letter or a4); --page-size on the command line wins.",
        "# page_size: letter",
        "# How your spreadsheets write 3/4/2026: mdy (March 4) or dmy (3 April). Left off: month first on letter paper,",
        "# day first on A4.",
        "# date_order: mdy",
        "",
        "# For brochures (`handouts brochure`); each is optional. Text a patient reads is written once per language",
        "# in `languages:` above.",
        "# Opening hours, one line each:",
        "# hours:",
        "#   - en: \"Monday to Friday, 9 am to 6 pm\"",
        "# Payment and insurance lines (`check` holds Medicare lines to what Medicare covers):",
        "# payment:",
        "#   - en: \"Call us about prices and your insurance before your first visit.\"",
        "# The team panel: practitioners with credentials and a short bio:",
        "# team:",
        "#   - name: Mei Chen",
        "#     credentials: L.Ac.",
        "#     bio: {en: \"Mei has treated pain and stress for ten years.\"}",
        "# Brochure photos, PNG or JPEG beside this file: the clinic's (the cover of `brochure --theme photo`) and one per",
        "# team member (each member or none); focus: the part never cropped away (a face), [left, top, right, bottom]",
        "# as fractions of the photo:",
        "# photos:",
        "#   clinic: {file: room.jpg}",
        "#   team:",
        "#     Mei Chen: {file: mei.jpg, focus: [0.3, 0.05, 0.65, 0.4]}",
        "# A patient's words, printed only with the date of their written consent (and always with \"results vary\"):",
        "# testimonials:",
        "#   - text: {en: \"I sleep better now.\"}",
        "#     by: \"Maria, Portland\"",
        "#     consent_on: 2026-11-02",
        "",
    ]
    return "\n".join(lines)


def init_clinic(folder: Path, setup: ClinicSetup, force: bool = False) -> InitResult:
    """Write FOLDER/clinic.yaml (commented), the logo, README.txt and the empty content folders; then check it.

    Nothing is written when an answer cannot be used or clinic.yaml exists (without `force`)."""
    from ..files import write_file
    from ..library.schema import validate_record
    from ..model import Clinic

    folder = Path(folder).expanduser()
    target = folder / "clinic.yaml"
    if target.exists() and not force:
        raise SetupError(f"{target} exists; use --force to replace it (your content files and approvals.json stay as they are)")
    if folder.exists() and not folder.is_dir():
        raise SetupError(f"{folder} is a file, not a folder; give a new or existing folder")
    logo_data, logo_name = None, None
    if setup.logo is not None:
        logo_data = read_logo(setup.logo)
        suffix = Path(setup.logo).suffix.lower() if Path(setup.logo).suffix.lower() in (".png", ".jpg", ".jpeg") else ".png"
        logo_name = "logo" + suffix
    text = clinic_yaml(setup, logo_name)
    import yaml
    from pydantic import ValidationError

    try:
        validate_record(Clinic, yaml.safe_load(text))
    except ValidationError as exc:
        err = exc.errors()[0]
        option = "--" + str(err["loc"][0]).replace("_", "-") if err["loc"] else "clinic.yaml"
        raise SetupError(f"{option}: {err['msg'].removeprefix('Value error, ')}; give it again") from None
    written = []
    try:
        for sub in FOLDERS:
            (folder / sub).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SetupError(f"cannot make {folder} ({exc.strerror or exc}); choose a folder you can write to") from None
    if logo_data is not None:
        write_file(logo_data, folder / logo_name, replace=True)
        written.append(folder / logo_name)
    if not (folder / "README.txt").exists():
        write_file(README.format(folder=folder).encode("utf-8"), folder / "README.txt")
        written.append(folder / "README.txt")
    write_file(text.encode("utf-8"), target, replace=force)  # last: a folder without clinic.yaml was not finished
    written.append(target)
    from ..review.check import check_content

    return InitResult(folder, tuple(written), check_content(folder))


def condition_ids() -> list[str]:
    """The conditions the bundled content offers, for the `offers` question."""
    from ..library.cache import library

    return sorted(library(None, None).conditions)

