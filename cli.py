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
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="The visit date [default: today].")
@click.option("--points", metavar="CODE,CODE,...", help="Points used today, e.g. GB30,GB29,BL40 [default: the condition's usual points].")
@click.option("--plan", metavar="PLAN", help="Planned sessions, e.g. \"2/week x4, 1/week x4, monthly\" (N/week xW, N/month xM, weekly, "
              "monthly) [default: the condition's usual plan].")
@click.option("--start", metavar="YYYY-MM-DD", help="First session of the plan: adds a page of suggested session dates.")
@click.option("--tracker", is_flag=True, default=None, help="Add a session tracker page (date, tick, pain before/after, notes).")
@click.option("--large-print", is_flag=True, default=None, help="Large print: body text 18 pt, one column, for low-vision readers.")
@click.option("--flag", "flags", multiple=True, metavar="FLAG",
              help="Something about this patient that changes what is safe: pregnant, anticoagulants, bleeding-disorder, "
                   "pacemaker, electroacupuncture, needle-phobia, diabetes, immunocompromised (repeat for more).")
@click.option("--allow-caution", "allow_caution", multiple=True, metavar="CODE",
              help="Print a point that a flag cautions, because you chose it knowingly (repeat per point).")
@click.option("--note", help="A short personal note to the patient, printed on the sheet.")
@click.option("--lang", type=click.Choice(["en", "es", "zh"]), help="Language of the sheet [default: en].")
@click.option("--page-size", type=click.Choice(["letter", "a4"]), help="Paper size [default: letter].")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this clinic profile (a clinic.yaml) instead of the content's.")
@content_option("A folder of your own content that overrides the bundled content file by file.")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Where to write the PDF (or page).")
@format_options
@click.option("--record", "record", type=click.Path(dir_okay=False, path_type=Path),
              help="Append what was handed to whom to this JSON Lines file (it holds patient data; keep it local).")
def leaflet(condition: str | None, visit_file: Path | None, out: Path, content: Path | None, clinic_file: Path | None,
            record: Path | None, format_: str | None, title_name: bool, **options: Any) -> None:
    """Print a take-home leaflet for one patient.

    \b
    Examples:
      handouts leaflet hip-pain --patient "Jane Doe" --practitioner "John Roe, L.Ac." \\
          --date 2026-12-01 --points GB30,GB29,BL40,ST36 -o jane.pdf
      handouts leaflet period-pain --flag pregnant --points SP8,SP10,LR3 -o ann.pdf
      handouts leaflet hip-pain --plan "2/week x4, 1/week x4, monthly" --start 2026-12-03 --tracker -o jane.pdf
      handouts leaflet --visit visit.yaml -o jane.pdf
      handouts leaflet hip-pain --patient "Jane Doe" -o jane.html    # a page for the patient portal or e-mail
    """
    from handouts import Output, RecordLog, build_leaflet, format_for, read_visit_file
    from handouts.deliver.files import write_file
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
                             output=Output(format_for(out, format_), title_name))
        from handouts.deliver import tempfiles

        tempfiles.clean(out.parent if str(out.parent) else Path("."))  # temp files a killed run left there
        write_file(made.pdf, out, replace=True, label=f"-o {out}")
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


@main.command(context_settings=CONTEXT)
@content_option("Check this content folder on top of the bundled content.")
@click.option("--scores", is_flag=True, help="List the reading level of every block, not only those above target.")
def check(content: Path | None, scores: bool) -> None:
    """Validate, cross-reference and lint all content; exit 1 if anything is wrong.

    \b
    Reports, each with file and line: schema errors, unknown points, duplicate ids,
    colliding aliases, missing translations, characters no bundled font can draw,
    risky health claims, effect claims without sources, reading levels (English
    Flesch-Kincaid grade, Spanish Fernández-Huerta) and reviews older than 24 months.

    \b
    Examples:
      handouts check
      handouts check --content ./our-clinic --scores
    """
    from handouts import check_content

    try:
        report = check_content(content)
    except HandoutError as exc:
        raise _report(exc) from None
    for finding in sorted(report.findings, key=lambda f: (f.where.split(":")[0], _line(f.where), f.level)):
        click.echo(str(finding))
    rows = [s for s in report.scores if scores or s.status != "ok"]
    if rows:
        click.echo("\nReading level (English: Flesch-Kincaid grade, higher is harder; Spanish: Fernández-Huerta, lower is harder)")
        width = max(len(s.where) for s in rows)
        click.echo(f"  {'where':{width}}  {'block':28} lang  score  status")
        for s in sorted(rows, key=lambda s: (s.where.split(":")[0], _line(s.where), s.lang)):
            click.echo(f"  {s.where:{width}}  {s.block:28} {s.lang:4} {s.value:6.1f}  {s.status}")
    errors, warnings = len(report.errors), len(report.warnings)
    click.echo(f"\n{errors} error{'s' * (errors != 1)}, {warnings} warning{'s' * (warnings != 1)}.")
    if errors:
        raise SystemExit(1)


@main.command(context_settings=CONTEXT)
@click.argument("files", nargs=-1, required=True)
@click.option("--by", "by", required=True, metavar='"NAME, CREDENTIAL"',
              help='Who approved the text, with their credential, e.g. "Ana Ruiz, LAc".')
@content_option("The clinic's content folder: approvals.json is written there (required; never inside the package).")
def approve(files: tuple[str, ...], by: str, content: Path | None) -> None:
    """Record that a clinician approved content files as they are now (SHA-256 and date).

    \b
    FILE is a content file: a path, or a path inside the content tree such as
    conditions/hip-pain.yaml (bundled files can be approved too). The approvals
    go to approvals.json in the clinic's content folder, so they survive a
    reinstall. A file edited after its approval shows as changed in `handouts
    check`, and sheets built from it say "Draft" (or are refused when clinic.yaml
    sets `require_approval: true`) until it is approved again.

    \b
    Examples:
      handouts approve conditions/hip-pain.yaml --by "Ana Ruiz, LAc" --content ./our-clinic
      handouts approve sections/*.yaml rules.yaml labels.yaml --by "Ana Ruiz, LAc"
    """
    from handouts.library.approvals import approve as record

    try:
        approvals = record(files, by, content)
    except HandoutError as exc:
        raise _report(exc) from None
    for a in approvals:
        click.echo(f"approved {a.file} ({a.sha256[:12]}) by {a.by} on {a.on}")


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
@click.option("--force", is_flag=True, help="Replace PDFs that already exist in --out-dir.")
@click.option("--record", type=click.Path(dir_okay=False, path_type=Path),
              help="Append what was handed to whom to this JSON Lines file (it holds patient data; keep it local).")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this clinic profile (a clinic.yaml) instead of the content's.")
@content_option("A folder of your own content that overrides the bundled content file by file.")
@format_options
def batch(visits: Path, out_dir: Path, pattern: str | None, jobs: int | None, force: bool, record: Path | None,
          clinic_file: Path | None, content: Path | None, format_: str | None, title_name: bool) -> None:
    """Make a handout for every visit in a CSV or YAML file; a bad row never stops the others.

    \b
    Examples:
      handouts batch visits.csv --out-dir today/
      handouts batch visits.yaml --out-dir today/ --jobs 4 --record handouts-record.jsonl
      handouts batch visits.csv --out-dir portal/ --format html
    """
    from handouts import BatchOptions, Output, run_batch

    options = BatchOptions(out_dir=out_dir, pattern=pattern, jobs=jobs, force=force, record=record,
                           content=content, clinic=clinic_file, output=Output(format_ or "pdf", title_name))
    try:
        result = run_batch(visits, options, progress=_progress)
    except HandoutError as exc:
        raise _report(exc) from None
    if not result.ok:
        raise _Fail(result.summary())
    click.echo(result.summary(), err=True)


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
@click.option("--page-size", type=click.Choice(["letter", "a4"]), default="letter", show_default=True, help="Paper size.")
@click.option("--lang", type=click.Choice(["en", "es", "zh"]), default="en", show_default=True, help="Language of the brochure.")
@click.option("--bleed", default="0", show_default=True, callback=_length, metavar="LENGTH",
              help="Bleed around the trim: 0 for office printing; print shops want 0.125in (US) or 3mm (A4).")
@click.option("--marks", type=click.Choice(["none", "crop", "crop,fold"]), default="none", show_default=True,
              help="Crop (and fold) marks in a slug outside the bleed; many print shops want none.")
@click.option("--colour", type=click.Choice(["rgb", "cmyk"]), default="rgb", show_default=True,
              help="cmyk: every colour DeviceCMYK, text 100% K (no PDF/X claim).")
@click.option("--proof", type=click.Path(dir_okay=False, path_type=Path), metavar="PROOF.png",
              help="Also write a PNG of both faces side by side with trim, fold and safe lines drawn.")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this clinic profile (a clinic.yaml) instead of the content's.")
@content_option("A folder of your own content that overrides the bundled content file by file.")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Where to write the PDF.")
def brochure(condition: str | None, format_: str, page_size: str, lang: str, bleed: float, marks: str, colour: str,
             proof: Path | None, clinic_file: Path | None, content: Path | None, out: Path) -> None:
    """Make a folded brochure, rack card or flyer for the waiting room or a print shop, then preflight it.

    \b
    Without CONDITION: the clinic brochure (what acupuncture is, conditions, first
    visit, team, payment, hours, booking). With it: a brochure on that condition.

    \b
    Examples:
      handouts brochure hip-pain --format trifold --bleed 0.125in -o hip-brochure.pdf
      handouts brochure --format rack-card --page-size a4 --bleed 3mm --marks crop,fold --colour cmyk -o rack.pdf
      handouts brochure hip-pain --lang es --proof hip-proof.png -o hip-es.pdf
    """
    from handouts.deliver.brochure import build_brochure
    from handouts.deliver.files import write_file
    from handouts.render.pdf.brochure import BrochureOptions

    options = BrochureOptions(format=format_, page_size=page_size, bleed=bleed or 0.0, marks=marks, colour=colour)
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
def serve(port: int, host: str, no_browser: bool, set_passphrase: bool, clinic_file: Path | None, content: Path | None,
          record: Path | None) -> None:
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
        run(config, host, port, open_browser=not no_browser, say=lambda line: click.echo(line, err=True))
    except HandoutError as exc:
        raise _report(exc) from None
    except KeyboardInterrupt:  # uvicorn stops cleanly on Ctrl-C, then raises it again for the caller: we are done
        pass
    click.echo("stopped", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
