"""Every bad input a user can cause: a clear message naming the place and fix, exit 1 or 2, no traceback, no file."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import REPO

GOOD = ("hip-pain", "--patient", "Jane Doe", "--date", "2026-12-01")


def fails(run, tmp_path, *args, code=1, **env):
    out = tmp_path / "out.pdf"
    result = run("leaflet", *args, "-o", out, **env)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    assert not out.exists(), "a failed run must not leave an output file"
    assert not list(tmp_path.glob("*.part")), "no temp file left behind"
    return result.output


def test_unknown_condition_suggests_the_close_one(run, tmp_path):
    message = fails(run, tmp_path, "hip-pan")
    assert "unknown condition 'hip-pan'" in message and "did you mean 'hip-pain'" in message
    assert "handouts list conditions" in message


def test_unknown_point_is_named(run, tmp_path):
    message = fails(run, tmp_path, *GOOD, "--points", "GB30,XX99")
    assert "--points" in message and "'XX99'" in message and "WHO codes" in message


@pytest.mark.parametrize("bad, why", [("2026-13-01", "not a real date"), ("13/12/2026", "read as month/day/year"), ("12.2026.01", "write it as 2026-12-08"), ("2026-02-30", "not a real date")])
def test_invalid_date(run, tmp_path, bad, why):
    message = fails(run, tmp_path, "hip-pain", "--date", bad)
    assert "--date" in message and repr(bad) in message and why in message


def test_malformed_yaml_in_an_override_tree_names_file_and_line(run, tmp_path):
    tree = tmp_path / "clinic-content"
    (tree / "conditions").mkdir(parents=True)
    (tree / "conditions" / "hip-pain.yaml").write_text("title:\n  en: Hip pain\nsummary: [unclosed\n", "utf-8")
    message = fails(run, tmp_path, *GOOD, "--content", tree)
    assert f"{tree / 'conditions' / 'hip-pain.yaml'}:" in message
    assert ":4:" in message or ":3:" in message


def test_environment_variable_names_the_override_tree(run, tmp_path):
    tree = tmp_path / "env-content"
    tree.mkdir()
    (tree / "clinic.yaml").write_text("name: [\n", "utf-8")
    message = fails(run, tmp_path, *GOOD, HANDOUTS_CONTENT=str(tree))
    assert "clinic.yaml:" in message


def test_missing_field_and_wrong_type_are_named_with_line(run, tmp_path):
    tree = tmp_path / "c"
    tree.mkdir()
    (tree / "clinic.yaml").write_text("name: Our Clinic\naddress: Main St\ncolour: blue\n", "utf-8")
    message = fails(run, tmp_path, *GOOD, "--content", tree)
    assert "clinic.yaml:1: phone: is required but missing" in message
    assert "clinic.yaml:2: address: must be a list" in message
    assert "clinic.yaml:3: colour:" in message


def test_output_in_a_missing_folder(run, tmp_path):
    result = run("leaflet", *GOOD, "-o", tmp_path / "nope" / "x.pdf")
    assert result.exit_code == 1
    assert "does not exist" in result.output and "nope" in result.output


def test_output_that_is_a_folder(run, tmp_path):
    result = run("leaflet", *GOOD, "-o", tmp_path)
    assert result.exit_code == 1 and "is a folder" in result.output


def test_existing_output_survives_a_failed_run_and_is_replaced_by_a_good_one(run, tmp_path):
    out = tmp_path / "jane.pdf"
    out.write_bytes(b"old sheet")
    result = run("leaflet", "hip-pan", "-o", out)
    assert result.exit_code == 1 and out.read_bytes() == b"old sheet"
    result = run("leaflet", *GOOD, "-o", out)
    assert result.exit_code == 0 and out.read_bytes().startswith(b"%PDF")
    assert [p.name for p in tmp_path.iterdir()] == ["jane.pdf"]


def test_usage_errors_exit_2(run, tmp_path):
    assert fails(run, tmp_path, "hip-pain", "--lang", "fr", code=2)
    assert "CONDITION" in fails(run, tmp_path, code=2)


def test_visit_file_errors_name_the_file_and_line(run, tmp_path):
    visit = tmp_path / "visit.yaml"
    visit.write_text("condition: hip-pain\npatinet: Jane\n", "utf-8")
    message = fails(run, tmp_path, "--visit", visit)
    assert f"{visit}:2: unknown field 'patinet'" in message
    visit.write_text("condition: hip-pain\ndate: 2026-02-30\n", "utf-8")
    message = fails(run, tmp_path, "--visit", visit)
    assert "date" in message and "not a real date" in message
    message = fails(run, tmp_path, "--visit", tmp_path / "missing.yaml")
    assert "missing.yaml" in message and "cannot be read" in message


# ---- the end of a command: no teardown, but everything that must happen at exit does -------------------------

_EXIT = """
import atexit, sys, threading, time
import handouts.__main__ as m
atexit.register(lambda: print("atexit ran", flush=True))
print("buffered", end="")  # not flushed yet: the exit must flush it
if sys.argv[1] == "thread":
    threading.Thread(target=time.sleep, args=(0.3,)).start()
m._exit(SystemExit(int(sys.argv[2]) if sys.argv[2].isdigit() else sys.argv[2]))
print(" returned")  # only when another thread runs: then the normal exit
raise SystemExit(4)
"""


@pytest.mark.parametrize("how, code, status, out", [
    ("plain", "0", 0, "bufferedatexit ran\n"),
    ("plain", "3", 3, "bufferedatexit ran\n"),
    ("plain", "text", 1, "bufferedatexit ran\n"),
    ("thread", "3", 4, "buffered returned\natexit ran\n"),
])
def test_a_finished_command_runs_atexit_flushes_and_keeps_its_status(how, code, status, out):
    done = subprocess.run([sys.executable, "-c", _EXIT, how, code], capture_output=True, text=True, cwd=REPO)
    assert (done.returncode, done.stdout) == (status, out)
    assert done.stderr == ("text\n" if code == "text" else "")
