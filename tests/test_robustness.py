"""Issue 14: nothing lost, nothing leaked. Full disks, kills, hostile files, and names in messages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO
from handouts.library import yamlio
from handouts.errors import ContentError

CONDITION = (REPO / "content" / "conditions" / "hip-pain.yaml").read_text(encoding="utf-8")


# ---- 6. YAML bombs -------------------------------------------------------------------------


def test_single_value_aliases_are_refused_naming_the_line():
    text = "note: &a " + "y" * 100 + "\npoints: [" + ", ".join(["*a"] * 30000) + "]\n"
    with pytest.raises(ContentError) as caught:
        yamlio.parse(text, "conditions/x.yaml")
    assert caught.value.problems == ["conditions/x.yaml:2: aliases (*name) are not allowed (write each value out in full); fix the YAML there"]


def test_an_aliased_key_is_refused():
    with pytest.raises(ContentError, match="aliases"):
        yamlio.parse("a: &x foo\n*x : bar\n", "x.yaml")


def test_an_anchor_without_alias_is_harmless():
    assert yamlio.parse("a: &x foo\nb: 1\n", "x.yaml").data == {"a": "foo", "b": 1}


@pytest.mark.parametrize("depth", [41, 500, 999, 5000])
@pytest.mark.parametrize("shape", ["flow", "block"])
def test_deep_nesting_is_a_clean_error_not_a_recursion_error(depth, shape):
    text = "a: " + "[" * depth + "]" * depth if shape == "flow" else "".join("  " * i + f"k{i}:\n" for i in range(depth))
    with pytest.raises(ContentError) as caught:
        yamlio.parse(text, "x.yaml")
    assert "nest" in caught.value.problems[0] and caught.value.problems[0].startswith("x.yaml:")


def test_reasonable_nesting_still_reads():
    text = "a: " + "[" * 30 + "1" + "]" * 30
    assert yamlio.parse(text, "x.yaml").data["a"] is not None


def test_an_oversized_content_file_is_refused(tmp_path):
    big = tmp_path / "big.yaml"
    big.write_text("a: " + "x" * (yamlio.MAX_BYTES + 1), encoding="utf-8")
    with pytest.raises(ContentError, match="more than the 2,000,000"):
        yamlio.read(big, "big.yaml")


def test_alias_bomb_in_a_clinic_condition_fails_check_fast(run, tmp_path):
    own = tmp_path / "own" / "conditions"
    own.mkdir(parents=True)
    (own / "bomb.yaml").write_text(CONDITION.replace("title:", "junk: &a " + "y" * 4000 + "\nxs: [" + ", ".join(["*a"] * 20000) + "]\ntitle:", 1),
                                   encoding="utf-8")
    result = run("check", "--content", tmp_path / "own")
    assert result.exit_code == 1
    assert "bomb.yaml" in result.output and "aliases (*name) are not allowed" in result.output
    assert "Traceback" not in result.output


# ---- 5. symlinked content files ------------------------------------------------------------


SECRET = "root:$6$secrethash:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n"


def test_a_link_out_of_the_content_folder_is_refused_and_never_quoted(run, tmp_path):
    secret = tmp_path / "shadow"
    secret.write_text(SECRET, encoding="utf-8")
    own = tmp_path / "own"
    (own / "conditions").mkdir(parents=True)
    (own / "conditions" / "x.yaml").symlink_to(secret)
    (own / "conditions" / "up.yaml").symlink_to(Path("..") / ".." / "shadow")
    (own / "conditions" / "gone.yaml").symlink_to(tmp_path / "nowhere")
    for args in (["check"], ["leaflet", "hip-pain", "-o", tmp_path / "a.pdf"]):
        result = run(*args, "--content", own)
        assert result.exit_code == 1, result.output
        assert "secrethash" not in result.output and "daemon" not in result.output
        assert "conditions/x.yaml: " in result.output and "outside the content folder" in result.output
        assert "conditions/up.yaml: " in result.output
        assert "conditions/gone.yaml: " in result.output and "broken" in result.output
    assert not (tmp_path / "a.pdf").exists()


def test_a_fifo_content_file_is_refused_not_read(run, tmp_path):
    own = tmp_path / "own"
    (own / "conditions").mkdir(parents=True)
    os.mkfifo(own / "conditions" / "f.yaml")  # reading it would block for ever
    result = run("check", "--content", own)
    assert result.exit_code == 1 and "f.yaml" in result.output and "not a regular file" in result.output


def test_a_link_inside_the_content_folder_is_fine(leaflet, tmp_path):
    own = tmp_path / "own"
    (own / "conditions").mkdir(parents=True)
    (own / "shared.yaml").write_text(CONDITION, encoding="utf-8")
    (own / "conditions" / "hips.yaml").symlink_to(Path("..") / "shared.yaml")
    _, pages = leaflet("hips", "--content", own)
    assert any("hip" in p.lower() for p in pages)


# ---- 3. a stray quote in a CSV -------------------------------------------------------------


def _batch(run, visits: Path, out: Path, *args):
    result = run("batch", visits, "--out-dir", out, "--jobs", "1", *args)
    assert "Traceback" not in result.output
    return result


def test_an_unclosed_quote_is_an_error_naming_its_line(run, tmp_path):
    visits = tmp_path / "q.csv"
    visits.write_text('date,patient,condition\n2026-12-01,"Ann Lee,hip-pain\n2026-12-01,Bo Wu,insomnia\n2026-12-01,Cy Ng,stress\n')
    result = _batch(run, visits, tmp_path / "q")
    assert result.exit_code == 1
    assert f"{visits}: line 2: a quote (\") opens here and is never closed" in result.output
    assert "Ann" not in result.output and "Bo Wu" not in result.output
    assert not (tmp_path / "q").exists()  # refused before anything was made


def test_an_unclosed_quote_on_the_last_line_is_an_error(run, tmp_path):
    visits = tmp_path / "q.csv"
    visits.write_text('date,patient,condition\n2026-12-01,Bo Wu,insomnia\n2026-12-01,"Ann Lee,hip-pain')
    result = _batch(run, visits, tmp_path / "q")
    assert result.exit_code == 1 and "line 3: a quote" in result.output


def test_a_quote_that_swallows_rows_before_closing_is_an_error(run, tmp_path):
    visits = tmp_path / "q.csv"
    visits.write_text('date,patient,condition\n2026-12-01,Di Fox,stress\n2026-12-01,"Ann Lee,hip-pain\n'
                      '2026-12-01,Bo Wu,insomnia\n2026-12-01,Cy Ng",stress\n2026-12-01,Ed,stress\n')
    result = _batch(run, visits, tmp_path / "q")
    assert result.exit_code == 1
    assert "line 3: a quote (\") opens here and closes only on line 5, so the visits on lines 4-5" in result.output


def test_a_multi_line_note_with_commas_is_still_one_cell(run, tmp_path):
    visits = tmp_path / "q.csv"
    visits.write_text('date,patient,condition,note\r\n2026-12-01,Ann Lee,hip-pain,"Rest, drink water, sleep.\r\n'
                      'Walk daily, gently, ""slowly"".\r\nSee you soon"\r\n2026-12-01,Bo Wu,insomnia,\r\n')
    result = _batch(run, visits, tmp_path / "q", "--name", "{row}")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "q").iterdir()) == ["2.pdf", "3.pdf"]  # spreadsheet rows, not lines


def test_a_literal_quote_inside_a_cell_is_not_a_stray_quote(run, tmp_path):
    visits = tmp_path / "q.csv"
    visits.write_text('date,patient,condition\n2026-12-01,Jane "JJ Doe,hip-pain')
    result = _batch(run, visits, tmp_path / "q", "--name", "{row}")
    assert result.exit_code == 0, result.output


# ---- 10. patient names in messages ---------------------------------------------------------


def test_a_name_in_any_column_and_case_is_masked_in_batch_messages(run, tmp_path):
    visits = tmp_path / "m.csv"
    visits.write_text("date,patient,condition,flags,points,plan\n"
                      "2026-12-01,Ann Lee,hip-pain,ann lee,,\n"
                      "2026-12-01,Bo Wu,hip-pain,,BO-WU,\n"
                      "2026-12-01,Cy Ng,hip-pain,,,cy ng x2\n")
    result = _batch(run, visits, tmp_path / "m", "--name", "{row}")
    assert result.exit_code == 1
    lowered = result.output.lower()
    for word in ("ann", "lee", "bo", "wu", "cy", "ng"):
        assert f"'{word}" not in lowered and f" {word}" not in lowered and f"-{word}" not in lowered, result.output
    assert "row 2 (flags): unknown flag '[patient]'" in result.output
    assert "row 3 (points): unknown point '[patient]-[patient]'" in result.output
    assert "row 4 (plan): \"[patient] x2\"" in result.output


def test_a_yaml_batch_masks_the_name_typed_into_the_flags(run, tmp_path):
    visits = tmp_path / "m.yaml"
    visits.write_text("- condition: hip-pain\n  patient: Dana Smith\n  flags: [DANA]\n")
    result = _batch(run, visits, tmp_path / "m")
    assert result.exit_code == 1 and "DANA" not in result.output and "[patient]" in result.output


def test_a_name_is_masked_in_leaflet_messages(run, tmp_path):
    result = run("leaflet", "hip-pain", "--patient", "Ann Lee", "--flag", "ANN LEE", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "ann" not in result.output.lower().split("'")[1]
    assert "unknown flag '[patient]'" in result.output
    visit = tmp_path / "v.yaml"
    visit.write_text("condition: hip-pain\npatient: Eve Park\npoints: [eve]\n")
    result = run("leaflet", "--visit", visit, "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "eve" not in result.output.lower() and "[patient]" in result.output


# ---- 11. the clinic profile's default file-name pattern ------------------------------------


CLINIC = (REPO / "content" / "clinic.yaml").read_text(encoding="utf-8")


def _clinic_with(tmp_path: Path, pattern: str) -> Path:
    clinic = tmp_path / "clinic.yaml"
    clinic.write_text(CLINIC.replace('batch_name: "{date}-{patient}-{condition}"', f'batch_name: "{pattern}"'), encoding="utf-8")
    assert f'batch_name: "{pattern}"' in clinic.read_text()
    return clinic


def _two_visits(tmp_path: Path) -> Path:
    visits = tmp_path / "v.csv"
    visits.write_text("date,patient,condition\n2026-12-01,Ann Lee,hip-pain\n2026-12-01,Bo Wu,insomnia\n")
    return visits


def test_the_clinic_profile_sets_the_batch_file_names(run, tmp_path):
    clinic = _clinic_with(tmp_path, "{date}-{row}-{condition}")
    result = _batch(run, _two_visits(tmp_path), tmp_path / "out", "--clinic", clinic)
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2026-12-01-2-hip-pain.pdf", "2026-12-01-3-insomnia.pdf"]


def test_the_clinic_profile_in_a_content_folder_sets_the_names_and_name_wins(run, tmp_path):
    (tmp_path / "own").mkdir()
    _clinic_with(tmp_path / "own", "{row}-{lang}")
    result = _batch(run, _two_visits(tmp_path), tmp_path / "a", "--content", tmp_path / "own")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "a").iterdir()) == ["2-en.pdf", "3-en.pdf"]
    result = _batch(run, _two_visits(tmp_path), tmp_path / "b", "--content", tmp_path / "own", "--name", "{condition}-{row}")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "b").iterdir()) == ["hip-pain-2.pdf", "insomnia-3.pdf"]


def test_the_shipped_default_is_unchanged(run, tmp_path):
    result = _batch(run, _two_visits(tmp_path), tmp_path / "out")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["2026-12-01-Ann-Lee-hip-pain.pdf", "2026-12-01-Bo-Wu-insomnia.pdf"]


def test_a_bad_batch_name_fails_check_naming_the_line(run, tmp_path):
    (tmp_path / "own").mkdir()
    clinic = _clinic_with(tmp_path / "own", "{date}-{nope}")
    line = next(i for i, text in enumerate(clinic.read_text().splitlines(), 1) if text.startswith("batch_name"))
    result = run("check", "--content", tmp_path / "own")
    assert result.exit_code == 1
    assert f"clinic.yaml:{line}: error: batch_name: {{nope}} is not a field; the fields are" in result.output
    result = _batch(run, _two_visits(tmp_path), tmp_path / "out", "--content", tmp_path / "own")
    assert result.exit_code == 1 and "batch_name: {nope} is not a field" in result.output


# ---- 9. a booking address longer than a QR code holds --------------------------------------


def test_the_limit_is_what_the_renderers_qr_code_holds():
    from reportlab.graphics.barcode.qr import QrCodeWidget

    from handouts.library.load import MAX_BOOKING_URL_BYTES
    from handouts.render.pdf.plan import qr_drawing

    url = "https://clinic.example/book?" + "a" * (MAX_BOOKING_URL_BYTES - 28)
    assert len(url.encode()) == MAX_BOOKING_URL_BYTES
    assert qr_drawing(url, 60).count > 170  # the largest versions (ReportLab stops at 2,213 bytes with level M)
    with pytest.raises(Exception, match="overflow"):
        QrCodeWidget(url + "a", barLevel="M").qr.make()


def test_a_too_long_booking_url_fails_check_and_the_leaflet_and_batch_cleanly(run, tmp_path):
    from handouts.library.load import MAX_BOOKING_URL_BYTES

    (tmp_path / "own").mkdir()
    clinic = tmp_path / "own" / "clinic.yaml"
    url = "https://clinic.example/book?" + "a" * 2200
    clinic.write_text(CLINIC.replace("booking_url: https://clifton-acupuncture.example/book", f"booking_url: {url}"), encoding="utf-8")
    line = next(i for i, text in enumerate(clinic.read_text().splitlines(), 1) if text.startswith("booking_url"))
    expected = f"clinic.yaml:{line}: "
    result = run("check", "--content", tmp_path / "own")
    assert result.exit_code == 1 and expected + "error: booking_url: is 2,228 bytes long" in result.output
    assert f"holds at most {MAX_BOOKING_URL_BYTES:,}" in result.output
    result = run("leaflet", "hip-pain", "--content", tmp_path / "own", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "booking_url: is 2,228 bytes long" in result.output and "Traceback" not in result.output
    result = _batch(run, _two_visits(tmp_path), tmp_path / "out", "--content", tmp_path / "own")
    assert result.exit_code == 1 and "booking_url" in result.output and "internal error" not in result.output


def test_a_booking_url_at_the_limit_prints(leaflet, tmp_path):
    from handouts.library.load import MAX_BOOKING_URL_BYTES

    (tmp_path / "own").mkdir()
    url = "https://clinic.example/book?" + "a" * (MAX_BOOKING_URL_BYTES - 28)
    (tmp_path / "own" / "clinic.yaml").write_text(
        CLINIC.replace("booking_url: https://clifton-acupuncture.example/book", f"booking_url: {url}"), encoding="utf-8")
    out, pages = leaflet("hip-pain", "--content", tmp_path / "own")
    assert out.stat().st_size > 0


# ---- 8. templates that would hang a leaflet ------------------------------------------------


HEAVY_TEMPLATES = [
    ('{{ "x" * 100000000 }}', "multiplies a text"),
    ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "range() of 100,000 items"),
    ("{% for i in range(1000) %}{% for j in range(1000) %}{% endfor %}{% endfor %}", "more than 100,000 steps"),
    ("{% for i in range(1000) %}{{ clinic.name }}{{ clinic.phone }}{{ clinic.name }}{% endfor %}", "more than 10,000"),
    ("{% for a in practitioner %}{% for b in practitioner %}{% for c in practitioner %}{% for d in practitioner %}"
     "{% endfor %}{% endfor %}{% endfor %}{% endfor %}", "longer than 2 seconds"),
    ("{% macro f(n) %}{% if n > 0 %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}", "too much work"),
    ('{{ ("x" * 1000) | replace("x", "y" * 1000) }}', "longer than 10,000"),
    ('{{ "%0999999999d" % 1 }}', "formats text with %"),
    ("{{ ((10 ** 60) ** 60) ** 60 }}", "huge power"),
    ('{{ "x" | center(1000000000) }}', "No filter named 'center'"),
    ("{{ lipsum(100000) }}", "'lipsum' is undefined"),
    ("{% set ns = namespace(t='x') %}{% for i in range(60) %}{% set ns.t = ns.t ~ ns.t %}{% endfor %}{{ ns.t }}",
     "'namespace' is undefined"),
]


@pytest.mark.parametrize("template, words", HEAVY_TEMPLATES)
def test_heavy_templates_are_refused_naming_file_and_field(template, words):
    from handouts.composition.templates import fill

    context = {"clinic": {"name": "Clinic", "phone": "555"}, "practitioner": "P" * 120, "condition": "Hip pain"}
    with pytest.raises(ContentError) as caught:
        fill(template, context, "conditions/x.yaml:7: overview.en")
    assert caught.value.problems[0].startswith("conditions/x.yaml:7: overview.en: ")
    assert words in caught.value.problems[0]


@pytest.mark.parametrize("template, expected", [
    ("Call {{ clinic.phone }}", "Call 555"),
    ("{% if clinic.phone %}Call {{ clinic.phone }}{% else %}Ask us{% endif %}", "Call 555"),
    ("{{ clinic.name | upper }}, {{ clinic.address | join(', ') }}", "CLINIC, A, B"),
    ("{% for line in clinic.address %}{{ line }};{% endfor %} {{ '-' * 10 }}", "A;B; ----------"),
])
def test_ordinary_templates_still_fill(template, expected):
    from handouts.composition.templates import fill

    assert fill(template, {"clinic": {"name": "Clinic", "phone": "555", "address": ["A", "B"]}}, "x") == expected


def test_check_refuses_a_template_whose_work_grows_with_the_practitioner_name(run, tmp_path):
    """Filled by check with the longest values a visit may bring, not a short sample."""
    own = tmp_path / "own" / "conditions"
    own.mkdir(parents=True)
    slow = ("{% for a in practitioner %}{% for b in practitioner %}{% for c in practitioner %}{% for d in practitioner %}"
            "{% endfor %}{% endfor %}{% endfor %}{% endfor %}")
    (own / "slow.yaml").write_text(CONDITION.replace("overview:\n  - en: >-\n      ", f"overview:\n  - en: >-\n      {slow} ", 1), encoding="utf-8")
    assert slow in (own / "slow.yaml").read_text()
    result = run("check", "--content", tmp_path / "own")
    assert result.exit_code == 1, result.output
    assert "slow.yaml:" in result.output and "overview[0].en: the template does too much work" in result.output


# ---- 1. the record file on a full disk -----------------------------------------------------


def _parse_record(path: Path) -> list[dict]:
    """Every line must be one JSON record; a glued or half line fails here."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


@pytest.fixture
def small_disk(tmp_path):
    """A 200 KB tmpfs (needs root and mount); skipped where the machine does not allow it."""
    disk = tmp_path / "disk"
    disk.mkdir()
    if shutil.which("mount") is None:
        pytest.skip("no mount command")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", str(disk)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield disk
    finally:
        subprocess.run(["umount", str(disk)], check=False)


def _fill(disk: Path) -> Path:
    """Fill the disk to the last byte with one file; returns it (delete it to free the space)."""
    filler = disk / "filler"
    for chunk, mode in ((4096, "wb"), (1, "ab")):  # whole pages, then the last partial page
        with open(filler, mode, buffering=0) as handle:
            try:
                while True:
                    handle.write(b"\0" * chunk)
            except OSError:
                pass
    return filler


def test_a_full_disk_never_leaves_a_half_line_in_the_record(run, tmp_path, small_disk):
    record = small_disk / "record.jsonl"
    args = ("leaflet", "hip-pain", "--patient", "Jane Doe", "--record", record)
    assert run(*args, "-o", tmp_path / "1.pdf").exit_code == 0
    first = record.read_bytes()
    filler = _fill(small_disk)
    for n in (2, 3):  # the record's last page has some room: the old code wrote part of the line there
        result = run(*args, "-o", tmp_path / f"{n}.pdf")
        assert result.exit_code == 1, result.output
        assert f"wrote {tmp_path / f'{n}.pdf'}, but --record {record}: could not be appended to" in result.output
        assert "nothing was added to it" in result.output and "Traceback" not in result.output
        assert record.read_bytes() == first
    filler.unlink()
    assert run(*args, "-o", tmp_path / "4.pdf").exit_code == 0
    lines = _parse_record(record)
    assert [Path(r["output"]["path"]).name for r in lines] == ["1.pdf", "4.pdf"]


def test_a_batch_on_a_full_disk_says_which_rows_were_not_recorded(run, tmp_path, small_disk):
    record = small_disk / "record.jsonl"
    record.write_text("")
    filler = _fill(small_disk)
    result = _batch(run, _two_visits(tmp_path), tmp_path / "out", "--record", record, "--name", "{row}")
    assert result.exit_code == 1
    assert "row 2 (record): the handout was written but not recorded" in result.output
    assert "row 3 (record): the handout was written but not recorded" in result.output
    assert record.read_bytes() == b""
    filler.unlink()


class _ShortWrites:
    """os.write that stores only part of a record line, then fails with ENOSPC: a disk filling up mid-line."""

    def __init__(self, real, fail_with_error: bool):
        self.real, self.fail_with_error = real, fail_with_error

    def __call__(self, fd, data):
        if len(data) < 200:
            return self.real(fd, data)
        if self.fail_with_error:
            self.real(fd, data[: len(data) // 2])  # what the kernel kept before it ran out
            raise OSError(28, "No space left on device")
        return self.real(fd, data[: len(data) // 2])


@pytest.mark.parametrize("fail_with_error", [False, True])
def test_a_short_or_failed_record_write_is_cut_back_and_the_run_fails(run, tmp_path, monkeypatch, fail_with_error):
    import handouts.deliver.record

    record = tmp_path / "record.jsonl"
    args = ("leaflet", "hip-pain", "--patient", "Jane Doe", "--record", record)
    assert run(*args, "-o", tmp_path / "1.pdf").exit_code == 0
    before = record.read_bytes()
    with monkeypatch.context() as patch:
        patch.setattr(handouts.deliver.record.os, "write", _ShortWrites(os.write, fail_with_error))
        result = run(*args, "-o", tmp_path / "2.pdf")
    assert result.exit_code == 1 and "could not be appended to" in result.output
    assert record.read_bytes() == before
    assert run(*args, "-o", tmp_path / "3.pdf").exit_code == 0
    assert [Path(r["output"]["path"]).name for r in _parse_record(record)] == ["1.pdf", "3.pdf"]


def test_a_half_line_left_by_a_crash_is_ended_before_the_next_line(run, tmp_path):
    record = tmp_path / "record.jsonl"
    record.write_bytes(b'{"record":1,"patient":"Jane')  # the machine lost power mid-write
    assert run("leaflet", "hip-pain", "--record", record, "-o", tmp_path / "1.pdf").exit_code == 0
    lines = record.read_text("utf-8").splitlines()
    assert lines[0] == '{"record":1,"patient":"Jane'
    assert json.loads(lines[1])["output"]["path"].endswith("1.pdf")


# ---- 2. a sheet written but never recorded -------------------------------------------------


class _Killed(BaseException):
    """Stands for SIGKILL between writing a PDF and appending its record line."""


def test_a_sheet_written_but_never_recorded_is_recorded_by_the_rerun(run, tmp_path, monkeypatch):
    from handouts import BatchOptions, run_batch
    from handouts.deliver.record import RecordLog

    visits, out, record = _two_visits(tmp_path), tmp_path / "out", tmp_path / "record.jsonl"
    real = RecordLog.append
    calls = []

    def killed_on_second(self, line):
        calls.append(line)
        if len(calls) == 2:
            raise _Killed()
        real(self, line)

    with monkeypatch.context() as patch:
        patch.setattr(RecordLog, "append", killed_on_second)
        with pytest.raises(_Killed):
            run_batch(visits, BatchOptions(out_dir=out, jobs=1, record=record, pattern="{row}"))
    assert sorted(p.name for p in out.iterdir()) == ["2.pdf", "3.pdf"]
    assert [Path(r["output"]["path"]).name for r in _parse_record(record)] == ["2.pdf"]

    result = _batch(run, visits, out, "--record", record, "--name", "{row}")
    assert result.exit_code == 0, result.output  # both files are what their rows make: already made, not failed
    assert "2 of 2 ready (wrote 0 handouts to" in result.output and "2 already made); 0 failed" in result.output
    assert "row 2" not in result.output and "row 3" not in result.output
    assert "recorded 1 handout that an earlier run wrote but did not record" in result.output
    lines = _parse_record(record)
    assert [Path(r["output"]["path"]).name for r in lines] == ["2.pdf", "3.pdf"]
    assert lines[1]["output"]["sha256"] == __import__("hashlib").sha256((out / "3.pdf").read_bytes()).hexdigest()
    assert lines[1]["source"].endswith("row 3")

    result = _batch(run, visits, out, "--record", record, "--name", "{row}")  # nothing left to recover
    assert "recorded" not in result.output and len(_parse_record(record)) == 2


def test_an_existing_file_that_differs_is_not_recorded(run, tmp_path):
    visits, out, record = _two_visits(tmp_path), tmp_path / "out", tmp_path / "record.jsonl"
    out.mkdir()
    (out / "2.pdf").write_bytes(b"%PDF-1.4 someone else's file")
    result = _batch(run, visits, out, "--record", record, "--name", "{row}")
    assert result.exit_code == 1 and "row 2 (output): its file exists" in result.output
    assert [Path(r["output"]["path"]).name for r in _parse_record(record)] == ["3.pdf"]
    assert (out / "2.pdf").read_bytes() == b"%PDF-1.4 someone else's file"


# ---- 7. hidden .part files left by a kill --------------------------------------------------

KILL_DURING_WRITE = """
import os, signal, sys
from pathlib import Path
import handouts.files as output

real = os.fsync
def fsync_then_die(fd):
    real(fd)
    os.kill(os.getpid(), signal.SIGKILL)  # the worst moment: the temp file is complete, not yet renamed
output.os.fsync = fsync_then_die
output.write_file(b"%PDF-1.4 Jane Doe's handout", Path(sys.argv[1]))
"""


def _killed_write(folder: Path) -> Path:
    done = subprocess.run([os.sys.executable, "-c", KILL_DURING_WRITE, str(folder / "jane.pdf")], capture_output=True)
    assert done.returncode == -9, done.stderr
    parts = [p for p in folder.iterdir() if p.name.endswith(".part")]
    assert len(parts) == 1 and parts[0].name.startswith(".handout.") and b"Jane Doe" in parts[0].read_bytes()
    assert not (folder / "jane.pdf").exists()
    return parts[0]


def _age(path: Path, seconds: float) -> None:
    then = path.stat().st_mtime - seconds
    os.utime(path, (then, then))


def test_a_batch_removes_the_part_file_a_killed_run_left(run, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    part = _killed_write(out)
    _age(part, 120)
    result = _batch(run, _two_visits(tmp_path), out, "--name", "{row}")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["2.pdf", "3.pdf"]


def test_a_leaflet_removes_the_part_file_a_killed_run_left(run, tmp_path):
    part = _killed_write(tmp_path)
    _age(part, 120)
    assert run("leaflet", "hip-pain", "-o", tmp_path / "x.pdf").exit_code == 0
    assert not part.exists() and (tmp_path / "x.pdf").exists()


def test_a_fresh_part_file_of_a_live_run_is_left_alone(tmp_path):
    from handouts import tempfiles

    mine = tmp_path / f"{tempfiles.prefix()}abc{tempfiles.SUFFIX}"
    mine.write_bytes(b"in flight")
    _age(mine, 600)  # older than a minute, younger than an hour, and our own process is alive
    other = tmp_path / "notes.part"  # not ours
    other.write_bytes(b"x")
    _age(other, 7200)
    assert tempfiles.clean(tmp_path) == 0
    assert mine.exists() and other.exists()


def test_old_style_and_very_old_part_files_are_removed(tmp_path):
    from handouts import tempfiles

    fresh_dead = _killed_write(tmp_path)  # a dead pid, but just now: perhaps another host's live write
    old_style = tmp_path / ".handout.k3j_x9q2.part"
    old_style.write_bytes(b"x")
    _age(old_style, 120)
    ancient = tmp_path / f"{tempfiles.prefix()}zzz{tempfiles.SUFFIX}"
    ancient.write_bytes(b"x")
    _age(ancient, 4000)
    assert tempfiles.clean(tmp_path) == 2
    assert not old_style.exists() and not ancient.exists() and fresh_dead.exists()


# ---- 4. nothing accumulates per handout with --jobs ----------------------------------------


def test_the_parent_keeps_no_handout_once_it_is_delivered():
    """With worker processes, each PDF is freed once taken (futures used to keep every one: 62 KB a handout)."""
    import gc
    import weakref

    from handouts.deliver.batch import _results
    from handouts.library.load import load_library
    from handouts.deliver.leaflet import Leaflet
    from handouts.composition.visit import make_visit

    library = load_library()
    todo = [(i, f"row {i}", make_visit({"condition": "hip-pain", "patient": f"P {i}"})) for i in range(14)]
    results = _results(library, todo, 2)
    refs = []
    for n, (i, made) in enumerate(results):
        assert isinstance(made, Leaflet), made
        refs.append(weakref.ref(made))
        del made
        if n == 12:
            break  # the generator (and its pool) is still running
    gc.collect()
    alive = sum(ref() is not None for ref in refs[:-1])  # the last one is still in the generator's hands
    results.close()
    assert alive == 0, f"{alive} of {len(refs) - 1} delivered handouts are still held by the parent"


def test_a_worker_that_dies_fails_only_the_rows_in_its_hands_and_the_other_worker_makes_the_rest():
    """--jobs 2: a worker killed outright (out of memory, say) takes the rows it held with it, each reported with
    the reason; its queue goes to the worker still running, so every other row is made."""
    import multiprocessing
    import signal

    from handouts.composition.visit import make_visit
    from handouts.deliver.batch import PER_WORKER, RowFailure, _results
    from handouts.deliver.leaflet import Leaflet
    from handouts.library.load import load_library

    library = load_library()
    kinds = ["hip-pain", "insomnia", "neck-pain", "migraine"]
    todo = [(i, f"row {i + 2}", make_visit({"condition": kinds[i % 4], "patient": f"P {i}"})) for i in range(16)]
    made, failed = [], []
    results = _results(library, todo, 2)
    for n, (i, got) in enumerate(results):
        (made if isinstance(got, Leaflet) else failed).append((i, got))
        if n == 0:
            workers = multiprocessing.active_children()
            assert len(workers) >= 2
            os.kill(workers[0].pid, signal.SIGKILL)
    assert sorted(i for i, _ in made + failed) == list(range(16))
    assert 1 <= len(failed) <= PER_WORKER + 1
    assert all(isinstance(f, RowFailure) and "a worker process stopped unexpectedly" in f.message for _, f in failed)
    assert len(made) >= 16 - PER_WORKER - 1


def test_a_booking_url_too_dense_to_scan_is_a_check_warning(run, tmp_path):
    (tmp_path / "own").mkdir()
    url = "https://clinic.example/book?" + "a" * 400
    (tmp_path / "own" / "clinic.yaml").write_text(
        CLINIC.replace("booking_url: https://clifton-acupuncture.example/book", f"booking_url: {url}"), encoding="utf-8")
    result = run("check", "--content", tmp_path / "own")
    assert "warning: booking_url: its 428 bytes make a QR code of" in result.output
    assert "phones may not read it" in result.output
    shipped = run("check")
    assert "booking_url" not in shipped.output
