"""The `handouts` command line: parse, call the library, write files atomically, map errors to exit codes."""

from __future__ import annotations

import os
import sys
import tempfile
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


def write_atomically(data: bytes, out: Path) -> None:
    """Write bytes next to `out` in a temp file, then rename over it: never a half-written file."""
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise _Fail(f"-o {out}: the folder {folder} does not exist; create it or choose another path")
    if out.is_dir():
        raise _Fail(f"-o {out}: is a folder; give a file name such as {out / 'handout.pdf'}")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".part", dir=folder)
    except OSError as exc:
        raise _Fail(f"-o {out}: cannot write in {folder} ({exc.strerror}); choose a folder you can write to") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise _Fail(f"-o {out}: could not be written ({exc.strerror}); check the path and free space") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@click.group(context_settings=CONTEXT)
@click.version_option(__version__, "--version", prog_name="handouts")
def main() -> None:
    """Print tailored acupuncture handouts from reviewed content.

    \b
    Example:
      handouts leaflet hip-pain --patient "Jane Doe" -o jane.pdf
    """


@main.command(context_settings=CONTEXT)
@click.argument("condition", required=False)
@click.option("--visit", "visit_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Take the visit's fields from a YAML file; options given here override it.")
@click.option("--patient", help="The patient's name, printed on the sheet (never logged).")
@click.option("--practitioner", help="Who treated the patient, e.g. \"John Roe, L.Ac.\".")
@click.option("--date", "date_", metavar="YYYY-MM-DD", help="The visit date [default: today].")
@click.option("--points", metavar="CODE,CODE,...", help="Points used today, e.g. GB30,GB29,BL40 [default: the condition's usual points].")
@click.option("--plan", help="The planned sessions in words [default: the condition's usual plan].")
@click.option("--lang", type=click.Choice(["en", "es", "zh"]), help="Language of the sheet [default: en].")
@click.option("--page-size", type=click.Choice(["letter", "a4"]), help="Paper size [default: letter].")
@click.option("--clinic", "clinic_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Use this clinic profile (a clinic.yaml) instead of the content's.")
@click.option("--content", type=click.Path(path_type=Path), envvar="HANDOUTS_CONTENT", show_envvar=True,
              help="A folder of your own content that overrides the bundled content file by file.")
@click.option("-o", "--output", "out", required=True, type=click.Path(path_type=Path), help="Where to write the PDF.")
def leaflet(condition: str | None, visit_file: Path | None, out: Path, content: Path | None, clinic_file: Path | None, **options: Any) -> None:
    """Print a take-home leaflet for one patient.

    \b
    Examples:
      handouts leaflet hip-pain --patient "Jane Doe" --practitioner "John Roe, L.Ac." \\
          --date 2026-12-01 --points GB30,GB29,BL40,ST36 -o jane.pdf
      handouts leaflet --visit visit.yaml -o jane.pdf
    """
    from handouts import make_leaflet, read_visit_file

    fields: dict[str, Any] = {}
    try:
        if visit_file is not None:
            fields.update(read_visit_file(visit_file))
        if condition:
            fields["condition"] = condition
        options["date"] = options.pop("date_")
        fields.update({k: v for k, v in options.items() if v is not None})
        if not fields.get("condition"):
            raise click.UsageError("name a CONDITION (e.g. hip-pain) or give --visit FILE", click.get_current_context())
        pdf = make_leaflet(fields, content=content, clinic=clinic_file, where=str(visit_file) if visit_file and not condition else "")
    except HandoutError as exc:
        raise _report(exc) from None
    write_atomically(pdf, out)
    click.echo(f"wrote {out}", err=True)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
