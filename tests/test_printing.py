"""--print: PDFs go to CUPS through `lp` (argument list, no patient name in the queue), with clear messages when they cannot.

Two kinds of test. Stand-in `lp` and `lpstat` programs on PATH (they log what they were given and answer as CUPS does)
check the arguments, the messages and the exit codes on any machine. A real CUPS with a cups-pdf queue (.ci/run sets it
up) checks that a printed leaflet arrives as a PDF with the patient's name in it; those tests skip, saying why, without
it, and fail instead when HANDOUTS_REQUIRE_CUPS is set (CI).
"""

from __future__ import annotations

import json
import os
import pwd
import shutil
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

import pytest

from conftest import REPO, flat, pdf_text
from handouts import HandoutError, PrintError, print_pdf

QUEUE = os.environ.get("HANDOUTS_TEST_PRINTER", "handouts-test")

# A stand-in for CUPS's lp and lpstat: answers as CUPS 2.4 does, for the printers in $FAKE_PRINTERS
# ("name" accepting, "name:rejecting" not), the default in $FAKE_DEFAULT, a stopped scheduler with $FAKE_DOWN=1
# and a refused job with $FAKE_LP_FAIL. Every call is logged to $FAKE_CUPS_LOG as JSON (argv, stdin size and hash).
FAKE = textwrap.dedent('''\
    #!{python}
    import hashlib, json, os, sys
    tool, args = os.path.basename(sys.argv[0]), sys.argv[1:]
    data = sys.stdin.buffer.read() if tool == "lp" else b""
    with open(os.environ["FAKE_CUPS_LOG"], "a") as log:
        log.write(json.dumps({{"tool": tool, "args": args, "size": len(data),
                               "sha": hashlib.sha256(data).hexdigest()}}) + "\\n")
    printers = dict((p.split(":") + ["accepting"])[:2] for p in os.environ.get("FAKE_PRINTERS", "").split())
    down = os.environ.get("FAKE_DOWN") == "1"
    if tool == "lpstat":
        if args == ["-r"]:
            print("scheduler is not running" if down else "scheduler is running")
        elif args == ["-e"]:
            print("\\n".join(sorted(printers)))
        elif args == ["-d"]:
            default = os.environ.get("FAKE_DEFAULT")
            print(f"system default destination: {{default}}" if default else "no system default destination")
        elif args[0] == "-a":
            if down or args[1] not in printers:
                sys.exit(print(f'lpstat: Invalid destination name in list "{{args[1]}}".', file=sys.stderr) or 1)
            state = "accepting requests" if printers[args[1]] == "accepting" else "not accepting requests"
            print(f"{{args[1]}} {{state}} since Mon Dec  7 16:01:04 2026" + ("" if "not" not in state else " -\\n\\tRejecting Jobs"))
        sys.exit(0)
    name = args[args.index("-d") + 1] if "-d" in args else os.environ.get("FAKE_DEFAULT")
    if os.environ.get("FAKE_LP_FAIL"):
        sys.exit(print("lp: Error - " + os.environ["FAKE_LP_FAIL"], file=sys.stderr) or 1)
    count = sum(1 for line in open(os.environ["FAKE_CUPS_LOG"]) if '"tool": "lp"' in line)
    print(f"request id is {{name}}-{{40 + count}} (0 file(s))")
''')


@pytest.fixture
def fake_cups(tmp_path):
    """A folder with stand-in lp and lpstat (and nothing else), the env to use it, and a reader of its call log."""
    bin_dir = tmp_path / "fake-cups-bin"
    bin_dir.mkdir()
    for tool in ("lp", "lpstat"):
        script = bin_dir / tool
        script.write_text(FAKE.format(python=sys.executable))
        script.chmod(0o755)
    log = tmp_path / "cups-calls.jsonl"
    log.touch()
    env = {"PATH": str(bin_dir), "FAKE_CUPS_LOG": str(log), "FAKE_PRINTERS": "office front-desk:rejecting"}

    def calls(tool: str | None = None) -> list[dict]:
        entries = [json.loads(line) for line in log.read_text().splitlines()]
        return [e for e in entries if tool is None or e["tool"] == tool]

    return env, calls


@pytest.fixture
def use(monkeypatch):
    """Set environment variables for an API call (the CLI runner takes them as arguments)."""

    def _use(env: dict[str, str]) -> None:
        for key, value in env.items():
            monkeypatch.setenv(key, value)

    return _use


def _pdf(run, tmp_path) -> bytes:
    out = tmp_path / "sheet.pdf"
    assert run("leaflet", "hip-pain", "--patient", "Ann Lee", "--date", "2026-12-01", "-o", out).exit_code == 0
    return out.read_bytes()


# ---- the leaflet command, against stand-in CUPS tools -----------------------------------------------------------


def test_leaflet_print_sends_the_written_pdf_to_lp_as_arguments_with_no_name_in_the_title(run, tmp_path, fake_cups):
    env, calls = fake_cups
    out = tmp_path / "ann.pdf"
    result = run("leaflet", "hip-pain", "--patient", "Ann Lee", "-o", out, "--print", "office", **env)
    assert result.exit_code == 0, result.output
    assert "sent" in result.output and "job office-41" in result.output
    (lp,) = calls("lp")
    assert lp["args"] == ["-d", "office", "-t", "handouts leaflet hip-pain"]
    data = out.read_bytes()
    assert data.startswith(b"%PDF-") and lp["size"] == len(data)
    import hashlib

    assert lp["sha"] == hashlib.sha256(data).hexdigest()  # the very file written, on lp's standard input
    assert not any("Ann" in " ".join(c["args"]) or "Lee" in " ".join(c["args"]) for c in calls())


def test_print_alone_uses_the_default_printer(run, tmp_path, fake_cups):
    env, calls = fake_cups
    result = run("leaflet", "hip-pain", "-o", tmp_path / "a.pdf", "--print", **env, FAKE_DEFAULT="office")
    assert result.exit_code == 0, result.output
    assert "job office-41" in result.output
    assert calls("lp")[0]["args"][:2] == ["-d", "office"]


def test_no_default_printer_is_a_clear_message_and_nothing_is_made(run, tmp_path, fake_cups):
    env, calls = fake_cups
    out = tmp_path / "a.pdf"
    result = run("leaflet", "hip-pain", "--patient", "Ann Lee", "-o", out, "--print", **env)
    assert result.exit_code == 1
    assert "--print: no default printer is set" in result.output and "name the printer" in result.output
    assert "front-desk, office" in result.output and "lpoptions -d" in result.output
    assert not out.exists() and not calls("lp")


def test_unknown_printer_names_the_printers_and_nothing_is_made(run, tmp_path, fake_cups):
    env, calls = fake_cups
    out = tmp_path / "a.pdf"
    result = run("leaflet", "hip-pain", "--patient", "Ann Lee", "-o", out, "--print", "ofice", **env)
    assert result.exit_code == 1
    assert "there is no printer 'ofice'" in flat(result.output) and "the printers are front-desk, office" in result.output
    assert "Traceback" not in result.output and "Ann" not in result.output
    assert not out.exists() and not calls("lp")


def test_a_printer_that_rejects_jobs_is_said_before_anything_is_made(run, tmp_path, fake_cups):
    env, calls = fake_cups
    out = tmp_path / "a.pdf"
    result = run("leaflet", "hip-pain", "-o", out, "--print", "front-desk", **env)
    assert result.exit_code == 1
    assert "'front-desk' is not accepting jobs (Rejecting Jobs)" in result.output and "cupsaccept front-desk" in result.output
    assert not out.exists() and not calls("lp")


def test_a_stopped_scheduler_says_to_start_cups(run, tmp_path, fake_cups):
    env, calls = fake_cups
    result = run("leaflet", "hip-pain", "-o", tmp_path / "a.pdf", "--print", "office", **env, FAKE_DOWN="1")
    assert result.exit_code == 1
    assert "installed but not running" in result.output and "start cups" in result.output


def test_a_job_lp_refuses_exits_1_with_its_reason_and_the_file_stays(run, tmp_path, fake_cups):
    env, _ = fake_cups
    out = tmp_path / "a.pdf"
    result = run("leaflet", "hip-pain", "--patient", "Ann Lee", "-o", out, "--print", "office", **env,
                 FAKE_LP_FAIL="Unable to send data to printer.")
    assert result.exit_code == 1
    assert "refused the job: Unable to send data to printer." in result.output
    assert f"{out} was written" in result.output and "Traceback" not in result.output
    assert out.read_bytes().startswith(b"%PDF-")


def test_print_with_an_html_page_is_a_usage_error(run, tmp_path, fake_cups):
    env, calls = fake_cups
    result = run("leaflet", "hip-pain", "-o", tmp_path / "a.html", "--print", "office", **env)
    assert result.exit_code == 2
    assert "--print sends a PDF" in result.output and "--format html" in result.output
    assert not calls()


def test_no_lp_on_path_says_cups_is_not_installed(tmp_path):
    """In a real process whose PATH has no CUPS tools at all."""
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    out = tmp_path / "a.pdf"
    env = {**os.environ, "PATH": str(empty), "PYTHONPATH": str(REPO)}
    env.pop("HANDOUTS_CONTENT", None)
    done = subprocess.run([sys.executable, "-m", "handouts", "leaflet", "hip-pain", "--patient", "Ann Lee", "-o", str(out),
                           "--print", "office"], capture_output=True, text=True, env=env, cwd=tmp_path, timeout=120)
    assert done.returncode == 1, done.stderr
    assert "`lp` was not found" in done.stderr and "CUPS" in done.stderr and "apt-get install cups" in done.stderr
    assert "Traceback" not in done.stderr and "Ann" not in done.stderr + done.stdout
    assert not out.exists()


# ---- batch ---------------------------------------------------------------------------------------------------------


def test_batch_prints_each_made_sheet_in_row_order_and_still_reports_bad_rows(run, tmp_path, fake_cups):
    env, calls = fake_cups
    visits = tmp_path / "visits.csv"
    visits.write_text("condition,patient,lang\nhip-pain,Ann Lee,en\nknee-hurts,Bo Ma,en\ninsomnia,Cy Wu,zh\n"
                      "neck-pain,Di Fox,es\n", "utf-8")
    result = run("batch", visits, "--out-dir", tmp_path / "today", "--jobs", "1", "--print", "office", **env)
    assert result.exit_code == 1  # row 3 failed; the others were written and printed
    assert "row 3 (condition)" in result.output
    titles = [c["args"][3] for c in calls("lp")]
    assert titles == ["handouts leaflet hip-pain (row 2)", "handouts leaflet insomnia (row 4)",
                      "handouts leaflet neck-pain (row 5)"]
    lines = [line for line in result.output.splitlines() if line.startswith("sent")]
    assert lines == [f"sent {visits} row 2 to the printer: job office-41", f"sent {visits} row 4 to the printer: job office-42",
                     f"sent {visits} row 5 to the printer: job office-43"]
    written = sorted((tmp_path / "today").iterdir())
    assert len(written) == 3 and sorted(c["size"] for c in calls("lp")) == sorted(p.stat().st_size for p in written)
    assert not any(word in " ".join(c["args"]) for c in calls() for word in ("Ann", "Cy", "Wu", "Fox"))


def test_batch_with_an_unknown_printer_makes_nothing(run, tmp_path, fake_cups):
    env, calls = fake_cups
    visits = tmp_path / "visits.csv"
    visits.write_text("condition,patient\nhip-pain,Ann Lee\n", "utf-8")
    result = run("batch", visits, "--out-dir", tmp_path / "today", "--print", "nowhere", **env)
    assert result.exit_code == 1
    assert "there is no printer 'nowhere'" in result.output
    assert not (tmp_path / "today").exists() and not calls("lp")


def test_batch_stops_printing_at_a_refused_job_and_says_what_was_sent(run, tmp_path, fake_cups):
    env, calls = fake_cups
    visits = tmp_path / "visits.csv"
    visits.write_text("condition\nhip-pain\nneck-pain\n", "utf-8")
    result = run("batch", visits, "--out-dir", tmp_path / "today", "--print", "office", **env, FAKE_LP_FAIL="out of paper")
    assert result.exit_code == 1
    assert "wrote 2 handouts" in result.output
    assert (f"--print: sent none of the 2 sheets: {visits} row 2: the printer 'office' refused the job: out of paper"
            in flat(result.output))
    assert len(calls("lp")) == 1 and len(list((tmp_path / "today").iterdir())) == 2  # the files stay


# ---- the API the web screen calls ------------------------------------------------------------------------------------


def test_print_pdf_returns_the_job_id(run, tmp_path, fake_cups, use):
    env, calls = fake_cups
    data = _pdf(run, tmp_path)
    use(env)
    assert print_pdf(data, "office", "handouts leaflet hip-pain") == "office-41"
    assert calls("lp")[0]["args"] == ["-d", "office", "-t", "handouts leaflet hip-pain"]


@pytest.mark.parametrize("name", ["-x", "front desk", "a/b", "x#1", "q'"])
def test_print_pdf_refuses_a_name_no_cups_queue_can_have_before_running_anything(run, tmp_path, fake_cups, use, name):
    env, calls = fake_cups
    data = _pdf(run, tmp_path)
    use(env)
    with pytest.raises(PrintError, match="is not a printer name"):
        print_pdf(data, name, "handouts leaflet hip-pain")
    assert not calls()


def test_print_pdf_sends_only_pdfs(fake_cups, use):
    env, calls = fake_cups
    use(env)
    with pytest.raises(PrintError, match="only a PDF"):
        print_pdf(b"<!doctype html><title>x</title>", "office", "handouts leaflet hip-pain")
    assert not calls()


def test_print_pdf_keeps_control_characters_out_of_the_title(run, tmp_path, fake_cups, use):
    env, calls = fake_cups
    data = _pdf(run, tmp_path)
    use(env)
    print_pdf(data, "office", "handouts\nleaflet\x1b[2J hip-pain")
    assert calls("lp")[0]["args"][3] == "handouts leaflet [2J hip-pain"


def test_print_pdf_without_lp_raises_a_handout_error(run, tmp_path, monkeypatch):
    data = _pdf(run, tmp_path)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(HandoutError, match="CUPS"):
        print_pdf(data, None, "handouts leaflet hip-pain")


# ---- a real CUPS with a cups-pdf queue ---------------------------------------------------------------------------------


def _need_cups() -> None:
    """Skip (or, with HANDOUTS_REQUIRE_CUPS set, fail) unless CUPS is running with the test queue."""
    problem = None
    if shutil.which("lp") is None or shutil.which("lpstat") is None:
        problem = "CUPS is not installed (lp, lpstat); .ci/run installs cups and printer-driver-cups-pdf"
    elif b"is running" not in subprocess.run(["lpstat", "-r"], capture_output=True, env={**os.environ, "LC_ALL": "C"}).stdout:
        problem = "the CUPS scheduler is not running (start cupsd or `service cups start`)"
    elif subprocess.run(["lpstat", "-a", QUEUE], capture_output=True).returncode != 0:
        problem = f"CUPS has no {QUEUE!r} queue; add it as .ci/run does (lpadmin -p {QUEUE} -E -v cups-pdf:/ ...)"
    if problem:
        if os.environ.get("HANDOUTS_REQUIRE_CUPS"):
            pytest.fail(problem)
        pytest.skip(problem)


def _cups_pdf_folders() -> list[Path]:
    """Where cups-pdf writes this user's jobs: `Out` of /etc/cups/cups-pdf.conf (default /var/spool/cups-pdf/${USER}),
    and its folder for anonymous jobs."""
    user = pwd.getpwuid(os.getuid())
    out, anon = "/var/spool/cups-pdf/${USER}", "/var/spool/cups-pdf/ANONYMOUS"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text("utf-8", "replace").splitlines():
            key, _, value = line.strip().partition(" ")
            if key == "Out" and value.strip():
                out = value.strip()
            elif key == "AnonDirName" and value.strip():
                anon = value.strip()
    out = out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name)
    return [Path(out), Path(anon)]


def _arrived(folders: list[Path], since: float, needle: str, timeout: float = 90) -> tuple[Path, list[str]]:
    """The PDF written to cups-pdf's folders since `since` whose text has `needle`, waiting for CUPS to finish the job.

    (By time, not by name: cups-pdf names a file by the job's title and replaces an older one of that name.)"""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for folder in folders:
            for path in sorted(folder.glob("*.pdf")) if folder.is_dir() else []:
                try:
                    if path.stat().st_mtime < since:
                        continue
                except OSError:
                    continue
                try:
                    pages = pdf_text(path)
                except Exception:  # still being written
                    continue
                if needle in flat(" ".join(pages)):
                    return path, pages
        time.sleep(0.5)
    raise AssertionError(f"no PDF with {needle!r} arrived in {', '.join(map(str, folders))} within {timeout:.0f} s "
                         f"(see /var/log/cups/error_log and cups-pdf_log)")


def test_a_printed_leaflet_arrives_as_a_pdf_with_the_patients_name(run, tmp_path):
    _need_cups()
    folders = _cups_pdf_folders()
    since = time.time() - 2
    patient = f"Ann Printtest {uuid.uuid4().hex[:6]}"  # a name no earlier job printed
    out = tmp_path / "ann.pdf"
    result = run("leaflet", "hip-pain", "--patient", patient, "--date", "2026-12-01", "-o", out, "--print", QUEUE)
    assert result.exit_code == 0, result.output
    assert f"job {QUEUE}-" in result.output
    path, pages = _arrived(folders, since, patient)
    assert len(pages) == len(pdf_text(out))
    assert "Hip pain" in flat(" ".join(pages)) or "hip" in flat(" ".join(pages)).lower()
    assert patient.split()[0] not in path.name and patient.split()[-1] not in path.name  # the queue title has no name
    path.unlink()


def test_a_batch_arrives_in_row_order(run, tmp_path):
    _need_cups()
    folders = _cups_pdf_folders()
    since = time.time() - 2
    tag = uuid.uuid4().hex[:6]
    visits = tmp_path / "visits.csv"
    visits.write_text(f"condition,patient\nhip-pain,Bea Rowone {tag}\nneck-pain,Cal Rowtwo {tag}\n", "utf-8")
    result = run("batch", visits, "--out-dir", tmp_path / "today", "--print", QUEUE)
    assert result.exit_code == 0, result.output
    jobs = [line.rsplit("job ", 1)[1] for line in result.output.splitlines() if line.startswith("sent")]
    assert len(jobs) == 2 and int(jobs[0].rsplit("-", 1)[1]) < int(jobs[1].rsplit("-", 1)[1])
    first, _ = _arrived(folders, since, f"Bea Rowone {tag}")
    second, _ = _arrived(folders, since, f"Cal Rowtwo {tag}")
    first.unlink()
    second.unlink()


def test_a_real_unknown_printer_is_refused_with_the_queues_named(run, tmp_path):
    _need_cups()
    out = tmp_path / "a.pdf"
    result = run("leaflet", "hip-pain", "-o", out, "--print", f"no-such-printer-{uuid.uuid4().hex[:4]}")
    assert result.exit_code == 1
    assert "there is no printer 'no-such-printer-" in result.output and QUEUE in result.output
    assert not out.exists()


def test_print_pdf_messages_name_no_command_line_option(run, tmp_path, fake_cups, use):
    """The clinic's screen shows them beside its button: no "--print:" there (the command line adds it)."""
    env, _ = fake_cups
    data = _pdf(run, tmp_path)
    use(env)
    with pytest.raises(PrintError) as caught:
        print_pdf(data, "ofice", "handouts leaflet hip-pain")
    assert str(caught.value).startswith("there is no printer 'ofice'") and "--" not in str(caught.value)


def test_print_before_the_condition_says_how_to_write_it(run, tmp_path, fake_cups):
    env, calls = fake_cups
    result = run("leaflet", "--print", "hip-pain", "-o", tmp_path / "a.pdf", **env)
    assert result.exit_code == 2
    assert "--print took 'hip-pain' as the printer's name" in result.output and "--print=PRINTER" in result.output
    assert not calls() and not (tmp_path / "a.pdf").exists()
