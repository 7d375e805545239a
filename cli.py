"""The `handouts` command line: parse, call the library, write files atomically, map errors to exit codes."""

from __future__ import annotations

import sys
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import click

from handouts import __version__
from handouts.errors import HandoutError

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}


class _Fail(click.ClickException):
    """A HandoutError shown as one clean message with exit status 1."""

    exit_code = 1

    def format_message(self) -> str:
        return self.message


def _report(exc: HandoutError) -> _Fail:
    return _Fail(str(exc))


def content_option(help_text: str):
    """--content DIR (or $HANDOUTS_CONTENT): a clinic's own content over the bundled content."""
    return click.option("--content", type=click.Path(path_type=Path), envvar="HANDOUTS_CONTENT", show_envvar=True,
                        help=help_text)


def format_options(command):
    """--format pdf|html|pdf-ua and --title-name, shared by leaflet and batch."""
    command = click.option("--title-name", is_flag=True,
                           help="html, pdf-ua: put the patient's name in the page title (off: titles show in tab bars and histories).")(command)
    return click.option("--format", "format_", type=click.Choice(["pdf", "html", "pdf-ua"]),
                        help="pdf to print; html, one page for a patient portal or e-mail; pdf-ua, a tagged PDF "
                             "(needs the accessible extra) [default: from the -o suffix, else pdf].")(command)


def print_option(command):
    """--print [PRINTER]: after writing, send the PDF(s) to a CUPS printer (alone: the default printer)."""
    return click.option("--print", "printer", is_flag=False, flag_value="", default=None, metavar="[PRINTER]",
                        help="Also send the PDF to this printer through CUPS (lp), after writing it; --print alone uses "
                             "the default printer (`lpstat -e` lists them). The print queue shows the condition, never "
                             "the patient's name. Put it after CONDITION, or write --print=PRINTER.")(command)


def _check_printer(printer: str | None, fmt: str) -> None:
    """Before anything is made: --print needs a PDF, and CUPS with that printer (exit 2, or 1 with the fix)."""
    if printer is None:
        return
    if fmt == "html":
        raise click.UsageError("--print sends a PDF to the printer; --format html makes a web page (use pdf or pdf-ua)",
                               click.get_current_context())
    from handouts.deliver.printing import check_printer

    try:
        check_printer(printer)
    except HandoutError as exc:
        raise _Fail(f"--print: {exc}") from None


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="handouts")
def main() -> None:
    """Print tailored acupuncture handouts from reviewed content.

    \b
    Example:
      handouts leaflet hip-pain --patient "Jane Doe" -o jane.pdf

    The validated content is kept in ~/.cache/handouts between runs (never a
    patient's name, note, date or flags); HANDOUTS_CACHE=DIR puts it elsewhere,
    HANDOUTS_CACHE=off turns it off.
    """


@main.command(context_settings=CONTEXT)
@click.argument("condition", required=False)
@click.option("--visit", "visit_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Take the visit's fields from a YAML file; options given here override it.")
@click.option("--patient", help="The patient's name, printed on the sheet (never logged).")
@click.option("--practitioner", help="Who treated the patient, e.g. \"John Roe, L.Ac.\".")
@click.option("--date", "date_", metavar="DATE", help="The visit date: 2026-12-08, or 12/8/2026 in the clinic's date order "
              "(date_order in clinic.yaml; US letter paper: month first, A4: day first) [default: today].")
@click.option("--points", metavar="CODE,CODE,...", help="Points used today, e.g. GB30,GB29,BL40 [default: the condition's usual points].")
@click.option("--plan", metavar="PLAN", help="Planned sessions, e.g. \"2/week x4, 1/week x4, monthly\" (N/week xW, N/month xM, weekly, "
              "monthly) [default: the condition's usual plan].")
@click.option("--start", metavar="DATE", help="First session of the plan (a date as for --date): adds a page of suggested "
              "session dates.")
@click.option("--tracker", is_flag=True, default=None, help="Add a session tracker page (date, tick, pain before/after, notes).")
@click.option("--large-print", is_flag=True, default=None, help="Large print: body text 18 pt, one column, for low-vision readers.")
@click.option("--flag", "flags", multiple=True, metavar="FLAG",
              help="Something about this patient that changes what is safe: pregnant, anticoagulants, bleeding-disorder, "
                   "pacemaker, electroacupuncture, needle-phobia, diabetes, immunocompromised (repeat for more).")
@click.option("--technique", "techniques", multiple=True, metavar="NAME,...",
              help="Techniques beside needles used today, each adding a short block to the sheet: cupping, moxibustion, "
                   "electroacupuncture, gua-sha, ear-seeds (comma-separated or repeated).")
@click.option("--allow-caution", "allow_caution", multiple=True, metavar="CODE",
              help="Print a point that a flag cautions, or a technique a flag refuses (cupping, gua-sha), because you "
                   "chose it knowingly (repeat for each).")
@click.option("--note", help="A short personal note to the patient, printed on the sheet.")
@click.option("--lang", type=click.Choice(["en", "es", "zh"]),
              help="Language of the sheet [default: the first of `languages` in clinic.yaml, else en].")
@click.option("--page-size", type=click.Choice(["letter", "a4"]), help="Paper size [default: page_size in clinic.yaml, else letter].")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this clinic profile (a clinic.yaml) instead of the content's.")
@content_option("A folder of your own content that overrides the bundled content file by file.")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Where to write the PDF (or page).")
@format_options
@click.option("--record", "record", type=click.Path(dir_okay=False, path_type=Path),
              help="Append what was handed to whom to this JSON Lines file (it holds patient data; keep it local).")
@print_option
def leaflet(condition: str | None, visit_file: Path | None, out: Path, content: Path | None, clinic_file: Path | None,
            record: Path | None, format_: str | None, title_name: bool, printer: str | None, **options: Any) -> None:
    """Print a take-home leaflet for one patient.

    \b
    Examples:
      handouts leaflet hip-pain --patient "Jane Doe" --practitioner "John Roe, L.Ac." \\
          --date 2026-12-01 --points GB30,GB29,BL40,ST36 -o jane.pdf
      handouts leaflet period-pain --flag pregnant --points SP8,SP10,LR3 -o ann.pdf
      handouts leaflet neck-pain --technique cupping,ear-seeds -o jane.pdf
      handouts leaflet hip-pain --plan "2/week x4, 1/week x4, monthly" --start 2026-12-03 --tracker -o jane.pdf
      handouts leaflet --visit visit.yaml -o jane.pdf
      handouts leaflet hip-pain --patient "Jane Doe" -o jane.html    # a page for the patient portal or e-mail
      handouts leaflet hip-pain --patient "Jane Doe" -o jane.pdf --print            # and to the default printer
      handouts leaflet hip-pain --patient "Jane Doe" -o jane.pdf --print front-desk
    """
    from handouts import Output, RecordLog, build_leaflet, format_for, read_visit_file

    fmt = format_for(out, format_)
    if printer and condition is None and visit_file is None:  # `--print hip-pain -o x.pdf`: the condition became the printer
        raise click.UsageError(f"--print took {printer!r} as the printer's name, and no CONDITION is left; put --print after "
                               "the condition (handouts leaflet hip-pain -o x.pdf --print), or write --print=PRINTER",
                               click.get_current_context())
    _check_printer(printer, fmt)
    from handouts.files import write_file
    from handouts.deliver.record import entry

    fields: dict[str, Any] = {}
    try:
        log = RecordLog(record).check() if record else None  # a record we cannot write stops us before printing
        if visit_file is not None:
            fields.update(read_visit_file(visit_file))
        if condition:
            fields["condition"] = condition
        options["date"] = options.pop("date_")
        fields.update({k: (list(v) if isinstance(v, tuple) else v) for k, v in options.items() if v not in (None, ())})
        if not fields.get("condition"):
            raise click.UsageError("name a CONDITION (e.g. hip-pain) or give --visit FILE", click.get_current_context())
        made = build_leaflet(fields, content=content, clinic=clinic_file, where=str(visit_file) if visit_file and not condition else "",
                             output=Output(fmt, title_name))
        from handouts import tempfiles

        tempfiles.clean(out.parent if str(out.parent) else Path("."))  # temp files a killed run left there
        write_file(made.data, out, replace=True, label=f"-o {out}")
    except HandoutError as exc:
        from handouts.deliver.batch import redact  # the name may come back in any field's message: mask it

        raise _Fail(redact(str(exc), fields.get("patient") or options.get("patient"))) from None
    if log is not None:
        try:
            log.append(entry(made, out, source=str(visit_file) if visit_file else "command line", command="leaflet"))
        except HandoutError as exc:
            from handouts.deliver.batch import redact

            raise _Fail(redact(f"wrote {out}, but {exc}", made.visit.patient)) from None
    click.echo(f"wrote {out}", err=True)
    if made.unapproved:
        from handouts.deliver.batch import draft_note

        click.echo(draft_note(made.unapproved, _approve_hint(made.condition, content)), err=True)
    if printer is not None:
        from handouts.deliver.printing import print_pdf

        try:
            job = print_pdf(made.data, printer, f"handouts leaflet {made.condition}")
        except HandoutError as exc:
            raise _Fail(f"--print: {exc}; {out} was written and can be printed from any PDF viewer") from None
        click.echo(f"sent {out} to the printer: job {job}")


class _Answer(click.ParamType):
    """An answer to `handouts init` checked by one of handouts.deliver.setup's checks (asked again when wrong)."""

    def __init__(self, name: str, check):
        self.name, self.check = name, check

    def convert(self, value, param, ctx):
        from handouts.deliver.setup import SetupError

        if not isinstance(value, str):
            return value
        try:
            return self.check(value)
        except SetupError as exc:
            self.fail(str(exc), param, ctx)


def _offers(value: str) -> tuple[str, ...]:
    from handouts.deliver.setup import check_offers, condition_ids

    return check_offers(value, condition_ids())


def _logo_answer(value: str):
    from handouts.deliver.setup import read_logo

    if not value.strip():
        return False  # none: not asked again
    read_logo(Path(value.strip()))
    return Path(value.strip())


def _colour(value: str) -> str:
    from handouts.deliver.setup import check_colour

    return check_colour(value)


def _languages(value: str) -> tuple[str, ...]:
    from handouts.deliver.setup import check_languages

    return check_languages(value)


def _ask_lines(given: tuple[str, ...], question: str, required: bool) -> tuple[str, ...]:
    """Repeatable option values, else answers asked one per line until an empty one."""
    if given:
        return tuple(v.strip() for v in given if v.strip())
    click.echo(question + (" (one per line; an empty line ends)"), err=True)
    lines: list[str] = []
    while True:
        line = click.prompt(f"  line {len(lines) + 1}", default="", show_default=False, err=True).strip()
        if not line:
            if required and not lines:
                click.echo("  at least one line, please", err=True)
                continue
            return tuple(lines)
        lines.append(line)


@main.command(context_settings=CONTEXT)
@click.argument("folder", default=".", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", help="The clinic's name, printed at the top of every sheet.")
@click.option("--address", multiple=True, metavar="LINE", help="An address line (repeat for each line).")
@click.option("--phone", help="The phone number patients call.")
@click.option("--booking-url", metavar="URL", help="The page where patients book (printed as a QR code); '' for none.")
@click.option("--emergency-number", metavar="NUMBER", help="The emergency number the urgent-care box gives [asked; default 911].")
@click.option("--crisis-line", metavar="NUMBER", help="The suicide and crisis line, e.g. 988 in the US; '' for none.")
@click.option("--colour", type=_Answer("colour", _colour), metavar="#RRGGBB", help="The brand colour, e.g. #1F4E9A.")
@click.option("--logo", type=_Answer("logo", _logo_answer), metavar="FILE",
              help="A PNG or JPEG logo, copied into FOLDER; '' for none.")
@click.option("--practitioner", "practitioners", multiple=True, metavar="NAME",
              help='Who treats patients, e.g. "Mei Chen, L.Ac." (repeat for each; '' for none).')
@click.option("--languages", type=_Answer("languages", _languages), metavar="en,es,zh",
              help="The languages you print in, comma-separated.")
@click.option("--offers", type=_Answer("offers", _offers), metavar="ID,ID,...|all",
              help="The conditions you treat (ids from `handouts list conditions`), or all.")
@click.option("--force", is_flag=True, help="Replace an existing FOLDER/clinic.yaml.")
def init(folder: Path, name: str | None, address: tuple[str, ...], phone: str | None, booking_url: str | None,
         emergency_number: str | None, crisis_line: str | None, colour: str | None, logo: Path | None,
         practitioners: tuple[str, ...], languages: tuple[str, ...] | None, offers: tuple[str, ...] | None, force: bool) -> None:
    """Set up your clinic: write FOLDER/clinic.yaml (commented) and an empty content folder, then check it.

    Asks for each setting not given as an option. Nothing is replaced without --force.

    \b
    Examples:
      handouts init our-clinic
      handouts init our-clinic --name "Harbor Light Acupuncture" --phone "(207) 555-0142" \\
          --address "12 Wharf Street" --address "Portland, ME 04101" --colour "#1F4E9A" --logo logo.png \\
          --practitioner "Mei Chen, L.Ac." --languages en --offers hip-pain,low-back-pain \\
          --booking-url https://harborlight.example/book --emergency-number 911 --crisis-line 988
    """
    from handouts import ClinicSetup, init_clinic
    from handouts.deliver.setup import SetupError

    if (folder / "clinic.yaml").exists() and not force:
        raise _Fail(f"{folder / 'clinic.yaml'} exists; use --force to replace it (your content files and approvals.json stay as they are)")

    def ask(value, question: str, default=None, kind=None):
        if value is not None:
            return value
        return click.prompt(question, default=default, type=kind, err=True, show_default=default not in (None, ""))

    name = ask(name, "Clinic name")
    address = _ask_lines(address, "Address", required=True)
    phone = ask(phone, "Phone")
    booking_url = ask(booking_url, "Booking page (web address; empty for none)", "")
    emergency_number = ask(emergency_number, "Emergency number", "911")
    crisis_line = ask(crisis_line, "Crisis line (e.g. 988 in the US; empty for none)", "")
    colour = ask(colour, "Brand colour (#RRGGBB)", "#1D5C63", _Answer("colour", _colour))
    logo = ask(logo, "Logo file (PNG or JPEG; empty for none)", "", _Answer("logo", _logo_answer)) or None
    practitioners = _ask_lines(practitioners, 'Practitioners, e.g. "Mei Chen, L.Ac."', required=False)
    languages = ask(languages, "Languages you print in (en, es, zh)", "en,es,zh", _Answer("languages", _languages))
    offers = ask(offers, "Conditions you treat (ids, comma-separated, or all)", "all", _Answer("offers", _offers))
    setup = ClinicSetup(name=name.strip(), phone=phone.strip(), address=address, booking_url=booking_url.strip(),
                        emergency_number=emergency_number.strip(), crisis_line=crisis_line.strip(), colour=colour,
                        logo=logo, practitioners=practitioners, languages=tuple(languages), offers=tuple(offers))
    try:
        result = init_clinic(folder, setup, force=force)
    except SetupError as exc:
        raise _Fail(f"handouts init: {exc}") from None
    except HandoutError as exc:
        raise _report(exc) from None
    for path in result.written:
        click.echo(f"wrote {path}", err=True)
    report = result.report
    own = str(folder)  # the clinic's own files first and in full; the bundled content's warnings as a count
    mine = [f for f in report.errors + report.warnings if f.level == "error" or f.where.startswith(own)]
    for finding in sorted(mine, key=lambda f: (f.level != "error", f.where)):
        click.echo(str(finding))
    errors, warnings = len(report.errors), len(report.warnings)
    others = warnings - sum(f.level == "warning" for f in mine)
    click.echo(f"\nhandouts check --content {folder}: {errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}"
               + (f" ({others} about the bundled content; run that command to see them)." if others else "."))
    if errors:
        raise SystemExit(1)
    first = offers[0] if offers else "hip-pain"
    click.echo(f"Next, print a test sheet (it says Draft until your clinician approves its text with `handouts approve`):\n"
               f"  handouts leaflet {first} --patient \"Test Patient\" --content {folder} -o test.pdf")


@main.command(context_settings=CONTEXT)
@content_option("Check this content folder on top of the bundled content.")
@click.option("--scores", is_flag=True, help="List the reading level of every block of your files (with --bundled, of "
              "the shipped content too), not only those above target.")
@click.option("--bundled", is_flag=True, help="Also list the warnings about the content shipped with handouts "
              "(folded into one line without it; errors are always listed).")
def check(content: Path | None, scores: bool, bundled: bool) -> None:
    """Validate, cross-reference and lint all content; exit 1 if anything is wrong.

    \b
    Reports, each with file and line: schema errors, unknown points, duplicate ids,
    colliding aliases, missing translations, characters no bundled font can draw,
    risky health claims, effect claims without sources, reading levels (English
    Flesch-Kincaid grade, Spanish Fernández-Huerta) and reviews older than 24 months.
    Your clinic's own files come first; warnings about the content shipped with
    handouts are counted in one line (--bundled lists them).

    \b
    Examples:
      handouts check
      handouts check --content ./our-clinic --scores
      handouts check --bundled
    """
    from handouts import check_content

    try:
        report = check_content(content)
    except HandoutError as exc:
        raise _report(exc) from None

    def folded(item: Any) -> bool:
        """A warning about a shipped file (a Finding, or a Score above target), unless --bundled; never an error."""
        warning = item.status == "warn" if hasattr(item, "status") else item.level == "warning"
        return item.bundled and warning and not bundled

    def order(f: Any) -> tuple:
        return (f.bundled, f.where.split(":")[0], _line(f.where), f.level)

    findings = sorted((f for f in report.findings if not folded(f)), key=order)
    for i, finding in enumerate(findings):
        if finding.bundled and (i == 0 or not findings[i - 1].bundled):
            click.echo(("\n" if i else "") + "Content shipped with handouts (to change a file, copy it into your content folder):")
        click.echo(str(finding))
    rows = [s for s in report.scores if (scores and (bundled or not s.bundled)) or (s.status != "ok" and not folded(s))]
    if rows:
        click.echo("\nReading level (English: Flesch-Kincaid grade, higher is harder; Spanish: Fernández-Huerta, lower is harder)")
        width = max(len(s.where) for s in rows)
        click.echo(f"  {'where':{width}}  {'block':28} lang  score  status")
        for s in sorted(rows, key=lambda s: (s.bundled, s.where.split(":")[0], _line(s.where), s.lang)):
            click.echo(f"  {s.where:{width}}  {s.block:28} {s.lang:4} {s.value:6.1f}  {s.status}")
    errors, warnings = len(report.errors), len(report.warnings)
    hidden = sum(1 for w in report.warnings if folded(w))
    if hidden:
        click.echo(f"\n{hidden} warning{'s' * (hidden != 1)} about content shipped with handouts, not shown "
                   "(`handouts check --bundled` lists them).")
    shown = warnings - hidden
    click.echo(f"\n{errors} error{'s' * (errors != 1)}, {shown} warning{'s' * (shown != 1)}"
               + (f" (and {hidden} about the shipped content)" if hidden else "") + ".")
    if errors:
        raise SystemExit(1)


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1)
@click.option("--sheet", metavar="CONDITION", help="Approve every file a sheet of this condition uses (asks first).")
@click.option("--brochure", metavar="NAME", help="Approve every file a brochure uses: clinic, or a condition (asks first).")
@click.option("--by", "by", required=True, metavar='"NAME, CREDENTIAL"',
              help='Who approved the text, with their credential, e.g. "Ana Ruiz, LAc".')
@click.option("--yes", "-y", "yes", is_flag=True, help="With --sheet or --brochure: approve without asking.")
@content_option("The clinic's content folder: approvals.json is written there (required; never inside the package).")
def approve(files: tuple[str, ...], sheet: str | None, brochure: str | None, by: str, yes: bool, content: Path | None) -> None:
    """Record that a clinician approved content files as they are now (SHA-256 and date).

    \b
    FILE is a content file: a path, or a path inside the content tree such as
    conditions/hip-pain.yaml (bundled files can be approved too). --sheet
    CONDITION approves every file a sheet of that condition uses (the condition,
    the channel files of its points, the sections, rules.yaml, labels.yaml);
    --brochure NAME every file a brochure uses (clinic, or a condition). Both list
    the files and ask before approving, unless --yes. The approvals go to
    approvals.json in the clinic's content folder (with a copy of each approved
    text in its approved/ folder, for the word diff of `handouts review`), so they
    survive a reinstall. A file edited after its approval shows as changed in
    `handouts check`, and sheets built from it say "Draft" (or are refused when
    clinic.yaml sets `require_approval: true`) until it is approved again.

    \b
    Examples:
      handouts approve --sheet hip-pain --by "Ana Ruiz, LAc" --content ./our-clinic
      handouts approve --brochure clinic --by "Ana Ruiz, LAc" --yes
      handouts approve conditions/hip-pain.yaml --by "Ana Ruiz, LAc" --content ./our-clinic
    """
    from handouts.deliver.signoff import approve as record, approve_signoff, check_approver, signoff_for

    ctx = click.get_current_context()
    if sum(map(bool, (files, sheet, brochure))) != 1:
        raise click.UsageError("name the content files to approve, or give --sheet CONDITION or --brochure NAME "
                               "(one of the three)", ctx)
    try:
        if files:
            approvals = record(files, by, content)
        else:
            by = check_approver(by)
            signoff = signoff_for("sheet" if sheet else "brochure", sheet or brochure or "", content)
            if signoff.folder is None:
                from handouts.library.approvals import NO_FOLDER

                raise _Fail(f"handouts approve: no clinic content folder; {NO_FOLDER}")
            click.echo(f"{signoff.title} uses {len(signoff.files)} content files:")
            width = max(len(f) for f in signoff.files)
            for rel in signoff.files:
                click.echo(f"  {rel:{width}}  {signoff.status.digests[rel][:12]}  {signoff.state(rel)}")
            if not yes:
                try:
                    ok = click.confirm(f"Approve all {len(signoff.files)} as they are now, as {by}?", default=False, err=True)
                except click.Abort:
                    ok = False
                if not ok:
                    raise _Fail("nothing approved (add --yes to approve without being asked)")
            approvals = approve_signoff(signoff, by, content)
    except HandoutError as exc:
        raise _report(exc) from None
    for a in approvals:
        click.echo(f"approved {a.file} ({a.sha256[:12]}) by {a.by} on {a.on}")


@main.command(context_settings=CONTEXT)
@click.argument("condition", required=False)
@click.option("--brochure", metavar="NAME", help="Review a brochure instead: clinic, or a condition.")
@click.option("--all", "all_", is_flag=True, help="Review every content file (a long pack).")
@click.option("--format", "format_", type=click.Choice(["pdf", "html"]),
              help="pdf to print and sign; html to read on screen [default: from the -o suffix, else pdf].")
@click.option("--page-size", type=click.Choice(["letter", "a4"]), default="letter", show_default=True, help="Paper size of the PDF.")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this clinic profile (a clinic.yaml) instead of the content's.")
@content_option("The clinic's content folder (its approvals.json says what is approved and what changed).")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Where to write the pack (.pdf or .html).")
def review(condition: str | None, brochure: str | None, all_: bool, format_: str | None, page_size: str,
           clinic_file: Path | None, content: Path | None, out: Path) -> None:
    """Make the pack a clinician reads and signs: everything a sheet or brochure is built from.

    \b
    For each content file the sheet (or brochure) uses: its text as the patient
    reads it, in English, Spanish and Chinese side by side; its sources and their
    status; its SHA-256 and approval; and what changed since that approval, word
    by word (from the copy `handouts approve` keeps; approvals made before copies
    were kept say so). Then the safety rules in plain words, what they do to this
    sheet's usual points, and a line to sign. Sign it, then run the `handouts
    approve` command printed on it.

    \b
    Examples:
      handouts review hip-pain --content ./our-clinic -o hip-review.pdf
      handouts review --brochure clinic -o brochure-review.pdf
      handouts review hip-pain -o hip-review.html
      handouts review --all --page-size a4 -o everything.pdf
    """
    from handouts.files import write_file
    from handouts.deliver.review import ReviewOptions, build_review
    from handouts.render.formats import format_for

    if sum((bool(condition), bool(brochure), all_)) != 1:
        raise click.UsageError("name a CONDITION, or give --brochure NAME or --all (one of the three)",
                               click.get_current_context())
    kind = "sheet" if condition else "brochure" if brochure else "all"
    options = ReviewOptions(kind=kind, name=condition or brochure or "", format=format_for(out, format_), page_size=page_size)
    try:
        data = build_review(options, content=content, clinic=clinic_file)
        write_file(data, out, replace=True, label=f"-o {out}")
    except HandoutError as exc:
        raise _report(exc) from None
    click.echo(f"wrote {out}", err=True)


def _line(where: str) -> int:
    tail = where.rsplit(":", 1)[-1]
    return int(tail) if tail.isdigit() else 0


@main.group(name="list", context_settings=CONTEXT)
def list_() -> None:
    """List what the content offers: conditions or points.

    \b
    Examples:
      handouts list conditions --lang es
      handouts list points --channel GB
    """


@list_.command(name="conditions", context_settings=CONTEXT)
@click.option("--lang", type=click.Choice(["en", "es", "zh"]), default="en", show_default=True, help="Language of the titles.")
@content_option("Include this content folder on top of the bundled content.")
def list_conditions(lang: str, content: Path | None) -> None:
    """List the conditions: id, title and usual points.

    \b
    Example:
      handouts list conditions --lang zh
    """
    from handouts import condition_rows

    try:
        rows = condition_rows(content, lang)
    except HandoutError as exc:
        raise _report(exc) from None
    _table(["id", "title", "usual points (optional in brackets)"], rows)


@list_.command(name="points", context_settings=CONTEXT)
@click.option("--channel", help="Only this channel, e.g. GB, LR, EX.")
@click.option("--lang", type=click.Choice(["en", "es", "zh"]), default="en", show_default=True, help="Language of the locations.")
@click.option("--used", is_flag=True, help="Only points that a condition uses.")
@content_option("Include this content folder on top of the bundled content.")
def list_points(channel: str | None, lang: str, used: bool, content: Path | None) -> None:
    """List points: code, pinyin, characters, English name and where it is.

    \b
    Examples:
      handouts list points --channel GB
      handouts list points --used --lang es
    """
    from handouts import point_rows

    try:
        rows = point_rows(content, lang, channel=channel, used_only=used)
    except HandoutError as exc:
        raise _report(exc) from None
    _table(["code", "pinyin", "characters", "name", "where"], rows)


def _table(headers: list[str], rows: list[tuple[str, ...]]) -> None:
    """Print rows as aligned columns (East Asian characters count as two columns)."""
    import unicodedata

    def width(text: str) -> int:
        return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)

    widths = [max([width(h)] + [width(r[i]) for r in rows]) for i, h in enumerate(headers[:-1])]
    for row in [tuple(headers), *rows]:
        cells = [cell + " " * (w - width(cell)) for cell, w in zip(row, widths)]
        click.echo("  ".join([*cells, row[-1]]).rstrip())


def _check_name(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from handouts.library.file_names import PatternError, check_pattern

    if value is None:
        return None  # the clinic profile's batch_name, else the built-in default
    try:
        return check_pattern(value)
    except PatternError as exc:
        raise click.BadParameter(str(exc).removeprefix("--name: "), ctx, param) from None


def _progress(total: int):
    """click's progress bar on a terminal; nothing at all otherwise (logs stay clean)."""
    if total and sys.stderr.isatty():
        return click.progressbar(length=total, label="Making handouts", file=sys.stderr, show_pos=True)
    return nullcontext(_NoBar())


class _NoBar:
    def update(self, n: int) -> None:
        pass


@main.command(context_settings=CONTEXT)
@click.argument("visits", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out-dir", required=True, type=click.Path(file_okay=False, path_type=Path),
              help="Folder for the PDFs (created if missing).")
@click.option("--name", "pattern", callback=_check_name,
              help="File name pattern; fields {date} {patient} {condition} {practitioner} {lang} {row}. "
                   "Made file-name safe; .pdf (.html with --format html) is added. [default: batch_name in clinic.yaml, else "
                   "{date}-{patient}-{condition}]")
@click.option("-j", "--jobs", type=click.IntRange(min=1), metavar="N",
              help="Make N handouts at once in separate processes [default: one per CPU].")
@click.option("--force", is_flag=True, help="Replace files that already exist in --out-dir (without it, a file that is "
              "what its row makes counts as already made, and one that differs is that row's error).")
@click.option("--record", type=click.Path(dir_okay=False, path_type=Path),
              help="Append what was handed to whom to this JSON Lines file (it holds patient data; keep it local).")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this clinic profile (a clinic.yaml) instead of the content's.")
@content_option("A folder of your own content that overrides the bundled content file by file.")
@format_options
@print_option
def batch(visits: Path, out_dir: Path, pattern: str | None, jobs: int | None, force: bool, record: Path | None,
          clinic_file: Path | None, content: Path | None, format_: str | None, title_name: bool, printer: str | None) -> None:
    """Make a handout for every visit in a CSV or YAML file; a bad row never stops the others.

    \b
    Examples:
      handouts batch visits.csv --out-dir today/
      handouts batch visits.yaml --out-dir today/ --jobs 4 --record handouts-record.jsonl
      handouts batch visits.csv --out-dir portal/ --format html
      handouts batch visits.csv --out-dir today/ --print front-desk   # each sheet written, then printed in row order
    """
    from handouts.deliver.lean import lighten

    lighten()  # before the batch's imports: with --jobs 1 this process makes every sheet (deliver/lean.py)
    from handouts import BatchOptions, Output, run_batch

    _check_printer(printer, format_ or "pdf")
    options = BatchOptions(out_dir=out_dir, pattern=pattern, jobs=jobs, force=force, record=record,
                           content=content, clinic=clinic_file, output=Output(format_ or "pdf", title_name))
    try:
        result = run_batch(visits, options, progress=_progress)
    except HandoutError as exc:
        raise _report(exc) from None
    from handouts.deliver.batch import draft_note

    for condition, sheets, files in result.drafts:
        click.echo(draft_note(files, _approve_hint(condition, content), f"{sheets} {condition} sheet{'s' * (sheets != 1)}"), err=True)
    printed = None
    if printer is not None:
        from handouts.deliver.printing import print_files

        try:
            for sheet in print_files(result.sheets, printer):
                click.echo(f"sent {sheet.where} to the printer: job {sheet.job}")
        except HandoutError as exc:
            printed = f"--print: {exc}"
    if not result.ok:
        raise _Fail(result.summary() + (f"\n{printed}" if printed else ""))
    if printed:
        raise _Fail(f"{result.summary()}\n{printed}")
    click.echo(result.summary(), err=True)


def _approve_hint(condition: str, content: Path | None) -> str:
    """The command that signs every file of a sheet at once."""
    folder = f"--content {content}" if content is not None else "--content DIR"
    return f'handouts approve --sheet {condition} --by "Name, credential" {folder}'


def _length(ctx: click.Context, param: click.Parameter, value: str | None) -> float | None:
    from handouts.design.print_geometry import LengthError, parse_length

    if value is None:
        return None
    try:
        return parse_length(value, param.opts[0])
    except LengthError as exc:
        raise click.BadParameter(str(exc).split(": ", 1)[1], ctx, param) from None


FORMATS = ["trifold", "bifold", "rack-card", "flyer"]


@main.command(context_settings=CONTEXT)
@click.argument("condition", required=False)
@click.option("--format", "format_", type=click.Choice(FORMATS), default="trifold", show_default=True,
              help="trifold: letter-fold, two landscape pages (outside, inside); bifold: folded in half, four panels; "
                   "rack-card: 4 x 9 in (99 x 210 mm on A4), two sides; flyer: one portrait page.")
@click.option("--page-size", type=click.Choice(["letter", "a4"]),
              help="Paper size [default: page_size in clinic.yaml, else letter].")
@click.option("--lang", type=click.Choice(["en", "es", "zh"]),
              help="Language of the brochure [default: the first of `languages` in clinic.yaml, else en].")
@click.option("--bleed", default="0", show_default=True, callback=_length, metavar="LENGTH",
              help="Bleed around the trim: 0 for office printing; print shops want 0.125in (US) or 3mm (A4).")
@click.option("--marks", type=click.Choice(["none", "crop", "crop,fold"]), default="none", show_default=True,
              help="Crop (and fold) marks in a slug outside the bleed; many print shops want none.")
@click.option("--colour", type=click.Choice(["rgb", "cmyk"]), default="rgb", show_default=True,
              help="cmyk: every colour DeviceCMYK, text 100% K (no PDF/X claim).")
@click.option("--tabs", is_flag=True,
              help="flyer only: tear-off tabs along the foot, each with the clinic's phone and booking address, "
                   "with dashed cut lines (a notice-board flyer).")
@click.option("--theme", type=click.Choice(["photo", "illustration", "type"]), default=None,
              help="The cover: photo (the clinic's photo over a title band; needs photos: clinic: in clinic.yaml), "
                   "illustration (one of our line drawings) or type (a large title). Default: photo if the clinic has "
                   "one, else illustration.")
@click.option("--proof", type=click.Path(dir_okay=False, path_type=Path), metavar="PROOF.png",
              help="Also write a PNG of both faces side by side with trim, fold and safe lines drawn.")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this clinic profile (a clinic.yaml) instead of the content's.")
@content_option("A folder of your own content that overrides the bundled content file by file.")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Where to write the PDF.")
def brochure(condition: str | None, format_: str, page_size: str, lang: str, bleed: float, marks: str, colour: str,
             tabs: bool, theme: str | None, proof: Path | None, clinic_file: Path | None, content: Path | None, out: Path) -> None:
    """Make a folded brochure, rack card or flyer for the waiting room or a print shop, then preflight it.

    \b
    Without CONDITION: the clinic brochure (what acupuncture is, conditions, first
    visit, team, payment, hours, booking). With it: a brochure on that condition.

    \b
    Examples:
      handouts brochure hip-pain --format trifold --bleed 0.125in -o hip-brochure.pdf
      handouts brochure --format rack-card --page-size a4 --bleed 3mm --marks crop,fold --colour cmyk -o rack.pdf
      handouts brochure hip-pain --lang es --proof hip-proof.png -o hip-es.pdf
      handouts brochure --format flyer --tabs -o notice-board.pdf
      handouts brochure --theme type --clinic my-clinic/clinic.yaml -o clinic.pdf
    """
    from handouts.deliver.brochure import build_brochure
    from handouts.files import write_file
    from handouts.render.pdf.brochure import BrochureOptions

    if tabs and format_ != "flyer":
        raise click.UsageError(f"--tabs is for a flyer (tear-off tabs at its foot), not a {format_}; add --format flyer")
    options = BrochureOptions(format=format_, page_size=page_size or "", bleed=bleed or 0.0, marks=marks, colour=colour, tabs=tabs,
                              theme=theme or "")
    try:
        made = build_brochure(condition, options, lang=lang, content=content, clinic=clinic_file, proof=proof is not None)
        write_file(made.pdf, out, replace=True, label=f"-o {out}")
        if proof is not None and made.proof is not None:
            write_file(made.proof, proof, replace=True, label=f"--proof {proof}")
    except HandoutError as exc:
        raise _report(exc) from None
    for line in made.report.lines():
        click.echo(line, err=True)
    click.echo(f"wrote {out}" + (f" and {proof}" if proof else ""), err=True)
    if made.report.failed:
        raise SystemExit(1)


SOCIAL_SIZES = ["square", "portrait", "story"]


@main.command(context_settings=CONTEXT)
@click.argument("condition", required=False)
@click.option("--size", type=click.Choice(SOCIAL_SIZES), required=True,
              help="square: 1080 x 1080 px (a feed post); portrait: 1080 x 1350 px (a taller feed post); "
                   "story: 1080 x 1920 px (a story or reel cover).")
@click.option("--lang", type=click.Choice(["en", "es", "zh"]),
              help="Language of the image [default: the first of `languages` in clinic.yaml, else en].")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this clinic profile (a clinic.yaml) instead of the content's.")
@content_option("A folder of your own content that overrides the bundled content file by file.")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path),
              help="Where to write the PNG; its alt text goes beside it, in OUT.txt.")
def social(condition: str | None, size: str, lang: str, clinic_file: Path | None, content: Path | None, out: Path) -> None:
    """Make a social media image (PNG) from a brochure's cover, with its alt text beside it.

    \b
    The same words as the brochure (the clinic brochure without CONDITION), the
    same claims checks, and "Draft" across the top until your clinician has
    approved them. The alt text (OUT.txt) says the image's words in its language:
    paste it into the post's description for people who cannot see the image.

    \b
    Examples:
      handouts social hip-pain --size square -o hip-post.png
      handouts social --size story --lang es -o clinic-story-es.png
      handouts social hip-pain --size portrait --content our-clinic -o hip-portrait.png
    """
    from handouts.deliver.social import build_social
    from handouts.files import write_file

    alt = out.with_name(out.name + ".txt")
    try:
        made = build_social(condition, size, lang=lang, content=content, clinic=clinic_file)
        write_file(made.png, out, replace=True, label=f"-o {out}")
        write_file(made.alt.encode("utf-8"), alt, replace=True, label=f"the alt text {alt}")
    except HandoutError as exc:
        raise _report(exc) from None
    if made.unapproved:
        from handouts.deliver.batch import draft_note

        hint = f'handouts approve --brochure {condition or "clinic"} --by "Name, credential" ' + \
            (f"--content {content}" if content is not None else "--content DIR")
        click.echo(draft_note(made.unapproved, hint), err=True)
    click.echo(f"wrote {out} ({made.size[0]}x{made.size[1]}) and its alt text {alt}", err=True)


@main.command(context_settings=CONTEXT)
@click.argument("pdf", type=click.Path(dir_okay=False, path_type=Path), metavar="FILE.pdf")
@click.option("--format", "format_", type=click.Choice(FORMATS),
              help="Hold the file to this format's trim size, pages and safe zone [default: recognised by trim size].")
@click.option("--bleed", callback=_length, metavar="LENGTH", help="The bleed the file must have, e.g. 0.125in or 3mm [default: any].")
@click.option("--colour", type=click.Choice(["rgb", "cmyk"]), default="rgb", show_default=True,
              help="cmyk: fail on any RGB colour or image.")
def preflight(pdf: Path, format_: str | None, bleed: float | None, colour: str) -> None:
    """Check a PDF as a print shop would; one line per finding, exit 1 on a failure.

    \b
    Checks page boxes and bleed, embedded fonts, colour spaces, image resolution
    at printed size (warn under 300 ppi, fail under 150), text size, and for our
    formats that text keeps 0.125in inside the trim and off the folds.

    \b
    Examples:
      handouts preflight hip-brochure.pdf --format trifold --bleed 0.125in
      handouts preflight canva-export.pdf --colour cmyk
    """
    from handouts.deliver.preflight import PreflightOptions, read_pdf, run_preflight as run

    try:
        report = run(read_pdf(pdf), PreflightOptions(format_, bleed, colour), label=str(pdf))
    except HandoutError as exc:
        raise _report(exc) from None
    for line in report.lines():
        click.echo(line)
    if report.failed:
        raise SystemExit(1)


@main.command(context_settings=CONTEXT)
@click.option("--port", type=click.IntRange(1, 65535), default=8765, show_default=True, help="The port to listen on.")
@click.option("--host", metavar="ADDR", default="127.0.0.1", show_default=True,
              help="The address to listen on. Anything but this computer's own (127.0.0.1, ::1) needs a passphrase "
                   "set first with --set-passphrase.")
@click.option("--no-browser", is_flag=True, help="Do not open the screen in the default browser.")
@click.option("--set-passphrase", is_flag=True,
              help="Set the clinic's passphrase (asked twice, stored as a scrypt hash in the clinic's folder), then stop.")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this clinic profile (a clinic.yaml) instead of the content's.")
@content_option("The clinic's content folder: its own content, approvals.json and the passphrase live there.")
@click.option("--record", type=click.Path(dir_okay=False, path_type=Path),
              help="Append what was handed to whom to this JSON Lines file (it holds patient data; keep it local).")
@click.option("--workers", type=click.IntRange(1, 16), metavar="N",
              help="Processes answering the screen (default 1, which hands the previews of sheets it has not "
                   "fitted before to one helper process, on another core). More may help several people at once on an "
                   "otherwise idle computer with as many cores; each process remembers its own sheets' layouts and "
                   "counts the five wrong passphrase tries on its own.")
def serve(port: int, host: str, no_browser: bool, set_passphrase: bool, clinic_file: Path | None, content: Path | None,
          record: Path | None, workers: int | None) -> None:
    """Open the clinic's screen in a browser: leaflets, the front desk's day, brochures, sign-off.

    \b
    It listens on this computer only (http://127.0.0.1:8765/) until you press
    Ctrl-C. It keeps no patient data: no name in any log line, no sheet left on
    disk, except the record you ask for with --record.

    \b
    Examples:
      handouts serve
      handouts serve --content ./our-clinic --record handouts-record.jsonl
      handouts serve --set-passphrase --content ./our-clinic
      handouts serve --host 0.0.0.0 --content ./our-clinic --no-browser   # other computers too (passphrase)
    """
    import socket

    from handouts.serve.config import ServeConfig, host_names
    from handouts.serve.security import PassphraseError, write_passphrase

    import os

    from handouts.serve.config import ENV_HOSTS

    config = ServeConfig(content=content, clinic=clinic_file, record=record,
                         hosts=host_names(host, port, os.environ.get(ENV_HOSTS, "")))
    try:
        if set_passphrase:
            folder = config.folder()
            if folder is None:
                raise PassphraseError("--set-passphrase: the passphrase is kept in the clinic's own content folder, "
                                      "not inside the installed package; give it with --content DIR (or HANDOUTS_CONTENT)")
            typed = click.prompt("The clinic's passphrase (at least 10 characters)", hide_input=True,
                                 confirmation_prompt="The same passphrase again")
            path = write_passphrase(folder, typed)
            click.echo(f"saved the passphrase's hash in {path}", err=True)
            return
        if record is not None:
            from handouts import RecordLog

            RecordLog(record).check()
        config.passphrase()  # refuses --host without a passphrase
        from handouts.library.cache import library

        library(content, clinic_file)  # broken content stops us here, with its file and line, not on the first page
    except HandoutError as exc:
        raise _report(exc) from None
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a just-stopped screen's port is free
            probe.bind((host, port))
    except OSError as exc:
        raise _Fail(f"--port {port}: cannot listen on {host}:{port} ({exc.strerror}); is the screen already running? "
                    f"Open it, stop the other one, or choose another port with --port") from None
    from handouts.serve.run import serve as run

    try:
        run(config, host, port, open_browser=not no_browser, say=lambda line: click.echo(line, err=True),
            workers=workers or 1)
    except HandoutError as exc:
        raise _report(exc) from None
    except KeyboardInterrupt:  # uvicorn stops cleanly on Ctrl-C, then raises it again for the caller: we are done
        pass
    click.echo("stopped", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
