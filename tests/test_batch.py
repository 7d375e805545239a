"""`handouts batch` and `--record`: spreadsheet CSVs, row-by-row failures, safe names, no overwrite, the audit record."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from conftest import REPO, flat, pdf_text
from handouts.library.file_names import safe_name, unique
from handouts.deliver.record import content_digest

HEADER = "Date,Patient,Practitioner,Condition,Points,Plan,Lang"


def write_csv(path: Path, *rows: str, bom: bool = False, newline: str = "\r\n") -> Path:
    text = newline.join((HEADER, *rows)) + newline
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def batch(run, visits: Path, out: Path, *args, code: int = 0):
    result = run("batch", visits, "--out-dir", out, "--jobs", "1", *args)
    assert result.exit_code == code, result.output
    assert "Traceback" not in result.output
    return result.output


def pdfs(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.suffix == ".pdf") if folder.exists() else []


def test_csv_as_a_spreadsheet_exports_it(run, tmp_path):
    """BOM, CRLF, a quoted field with a line break, header spellings, and the empty rows at the end."""
    visits = tmp_path / "visits.csv"
    visits.write_bytes(b"\xef\xbb\xbf" + (
        "Visit Date,PATIENT NAME,practitioner,Condition,Points Used,Treatment-Plan,Language\r\n"
        '2026-12-01,Jane Doe,"John Roe, L.Ac.",hip-pain,"GB30, GB29",\"2/week x4,\r\nthen weekly\",en\r\n'
        "2026-12-01,Ana Ruiz,,low-back-pain,,,es\r\n"
        ",,,,,,\r\n"
        ",,,,,,\r\n"
    ).encode("utf-8"))
    out = tmp_path / "today"
    message = batch(run, visits, out)
    assert "wrote 2 handouts" in message and "Making handouts" not in message, "no progress bar off a terminal"
    assert pdfs(out) == ["2026-12-01-Ana-Ruiz-low-back-pain.pdf", "2026-12-01-Jane-Doe-hip-pain.pdf"]
    text = flat(" ".join(pdf_text(out / "2026-12-01-Jane-Doe-hip-pain.pdf")))
    assert "2 sessions a week for 4 weeks" in text and "Jane Doe" in text and "GB29" in text


def test_a_bad_row_is_named_by_row_and_field_and_the_others_are_written(run, tmp_path):
    visits = write_csv(tmp_path / "visits.csv",
                       "2026-12-01,Jane Doe,,hip-pain,,,en",
                       "2026-12-01,Zebulon Quux,,hip-pain,\"GB30,XX9\",,en",
                       "2026-13-01,Ysolde Vantongeren,,hip-pain,,,en",
                       "2026-12-01,Wei Chen,,insomnia,,,klingon",
                       "2026-12-01,Ana Ruiz,,low-back-pain,,,es")
    out = tmp_path / "out"
    message = batch(run, visits, out, code=1)
    assert f"2 of 5 ready (wrote 2 handouts to {out}); 3 failed:" in message
    assert f"{visits} row 3 (points): unknown point 'XX9'" in message
    assert f"{visits} row 4 (date): '2026-13-01' is not a real date" in message
    assert f"{visits} row 5 (lang):" in message
    assert pdfs(out) == ["2026-12-01-Ana-Ruiz-low-back-pain.pdf", "2026-12-01-Jane-Doe-hip-pain.pdf"]
    for name in ("Zebulon", "Quux", "Ysolde", "Wei Chen", "Jane", "Ana"):
        assert name not in message, "patient names never appear in messages"
    assert not list(out.glob(".*.part")), "no temp file left behind"


def test_patient_data_stays_out_of_messages_even_when_the_name_is_the_problem(run, tmp_path):
    visits = write_csv(tmp_path / "visits.csv", "2026-12-01," + "Verylongname " * 12 + ",,hip-pain,,,en")
    message = batch(run, visits, tmp_path / "out", code=1)
    assert "row 2 (patient):" in message and "Verylongname" not in message


def test_redact_replaces_the_name_and_each_word_of_it():
    from handouts.deliver.batch import redact

    assert redact("the text 'Quux' has characters", "Zebulon Quux") == "the text '[patient]' has characters"
    assert redact("hip-pain GB30", "Ann") == "hip-pain GB30"
    # Any case (issue 14): a name wins over a word that only looks like it, e.g. a patient named Pain.
    assert redact("hip-pain GB30", "Pain") == "hip-[patient] GB30"


def test_unknown_column_stops_the_batch_before_anything_is_made(run, tmp_path):
    visits = tmp_path / "visits.csv"
    visits.write_text("condition,patient,diagnosis\nhip-pain,Jane Doe,x\n", "utf-8")
    out = tmp_path / "out"
    message = batch(run, visits, out, code=1)
    assert "column C 'diagnosis' is not a visit field" in message and "condition, patient" in message
    assert pdfs(out) == []


def test_a_patient_name_cannot_write_outside_the_folder(run, tmp_path):
    visits = write_csv(tmp_path / "visits.csv",
                       "2026-12-01,../../etc/x,,hip-pain,,,en",
                       "2026-12-01,/tmp/evil,,hip-pain,,,en",
                       "2026-12-01,..,,hip-pain,,,en")
    out = tmp_path / "deep" / "out"
    batch(run, visits, out, "--name", "{patient}")
    assert pdfs(out) == ["etc-x.pdf", "handout.pdf", "tmp-evil.pdf"]
    everything = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert everything == ["deep/out/etc-x.pdf", "deep/out/handout.pdf", "deep/out/tmp-evil.pdf", "visits.csv"]


@pytest.mark.parametrize("raw, name", [
    ("../../etc/x", "etc-x"),
    ("..", "handout"),
    ("", "handout"),
    ("a/b\\c:d*e?f", "a-b-c-d-e-f"),
    ("2026-12-01-María José-hip pain", "2026-12-01-María-José-hip-pain"),
    ("李小龙", "李小龙"),
    ("ｆｕｌｌ／ｗｉｄｔｈ", "full-width"),
    ("CON", "CON-handout"),
    ("  --x--  ", "x"),
    ("नमस्ते", "नमस्ते"),
])
def test_safe_name(raw, name):
    assert safe_name(raw) == name


def test_safe_name_is_short_enough_for_any_file_system():
    assert len(safe_name("a" * 500)) == 100
    assert len(safe_name("龙" * 500).encode("utf-8")) <= 200


def test_same_names_get_numbered_in_row_order():
    assert unique(["a", "b", "A", None, "a", "a-2"]) == ["a", "b", "A-2", None, "a-3", "a-2-2"]


def test_rows_with_the_same_name_get_suffixes(run, tmp_path):
    visits = write_csv(tmp_path / "visits.csv", *["2026-12-01,Jane Doe,,hip-pain,,,en"] * 3)
    out = tmp_path / "out"
    batch(run, visits, out)
    assert pdfs(out) == ["2026-12-01-Jane-Doe-hip-pain-2.pdf", "2026-12-01-Jane-Doe-hip-pain-3.pdf", "2026-12-01-Jane-Doe-hip-pain.pdf"]


def test_existing_files_are_kept_without_force_and_replaced_with_it(run, tmp_path):
    visits = write_csv(tmp_path / "visits.csv", "2026-12-01,Jane Doe,,hip-pain,,,en", "2026-12-01,Ana Ruiz,,low-back-pain,,,es")
    out = tmp_path / "out"
    out.mkdir()
    old = out / "2026-12-01-Jane-Doe-hip-pain.pdf"
    old.write_bytes(b"yesterday's sheet")
    message = batch(run, visits, out, code=1)
    assert "row 2 (output):" in message and "use --force to replace it" in message and "Jane" not in message
    assert old.read_bytes() == b"yesterday's sheet"
    assert (out / "2026-12-01-Ana-Ruiz-low-back-pain.pdf").exists()
    batch(run, visits, out, "--force")
    assert old.read_bytes().startswith(b"%PDF")


def test_name_pattern_errors_are_usage_errors(run, tmp_path):
    visits = write_csv(tmp_path / "visits.csv", "2026-12-01,Jane Doe,,hip-pain,,,en")
    for pattern in ("{nope}", "{patient", "{patient!r}", "{patient.__class__}", ""):
        result = run("batch", visits, "--out-dir", tmp_path / "out", "--name", pattern)
        assert result.exit_code == 2, (pattern, result.output)
        assert "--name" in result.output


def test_record_lines_are_json_with_the_facts_and_the_files_hash(run, tmp_path):
    visits = write_csv(tmp_path / "visits.csv",
                       "2026-12-01,Jane Doe,\"John Roe, L.Ac.\",hip-pain,\"gb30,Liv 3\",,en",
                       "2026-12-01,Ana Ruiz,,low-back-pain,,,es",
                       "2026-12-01,Bad Row,,hip-pain,XX9,,en")
    out, log = tmp_path / "out", tmp_path / "record.jsonl"
    batch(run, visits, out, "--record", log, code=1)
    lines = log.read_text("utf-8").splitlines()
    assert len(lines) == 2, "one line per handout written; none for the failed row"
    records = {r["patient"]: r for r in map(json.loads, lines)}
    jane = records["Jane Doe"]
    assert jane["date"] == "2026-12-01" and jane["practitioner"] == "John Roe, L.Ac." and jane["condition"] == "hip-pain"
    assert jane["lang"] == "en" and jane["points"] == ["GB30", "LR3"] and jane["flags"] == []
    assert jane["source"] == f"{visits} row 2" and jane["command"] == "batch"
    from handouts import __version__

    assert jane["handouts_version"] == __version__
    assert "conditions/hip-pain.yaml" in jane["content"]["files"]
    assert jane["content"]["sha256"] == content_digest(jane["content"]["files"])
    for record in records.values():
        path = Path(record["output"]["path"])
        assert path.parent == out.resolve()
        assert record["output"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert records["Ana Ruiz"]["points_from"] == "condition default" and records["Ana Ruiz"]["points"]
    assert log.stat().st_mode & 0o077 == 0, "the record holds patient data: owner only"

    batch(run, visits, out, "--record", log, "--force", code=1)
    again = log.read_text("utf-8").splitlines()
    assert again[:2] == lines and len(again) == 4, "append only"


def test_leaflet_takes_record_too(run, tmp_path):
    out, log = tmp_path / "jane.pdf", tmp_path / "record.jsonl"
    result = run("leaflet", "hip-pain", "--patient", "Jane Doe", "--date", "2026-12-01", "-o", out, "--record", log)
    assert result.exit_code == 0, result.output
    (record,) = map(json.loads, log.read_text("utf-8").splitlines())
    assert record["command"] == "leaflet" and record["patient"] == "Jane Doe" and record["condition"] == "hip-pain"
    assert record["output"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()


def test_record_that_cannot_be_written_stops_before_anything_is_made(run, tmp_path):
    visits = write_csv(tmp_path / "visits.csv", "2026-12-01,Jane Doe,,hip-pain,,,en")
    message = batch(run, visits, tmp_path / "out", "--record", tmp_path / "no" / "record.jsonl", code=1)
    assert "--record" in message and "folder exists" in message
    assert pdfs(tmp_path / "out") == []
    result = run("leaflet", "hip-pain", "-o", tmp_path / "x.pdf", "--record", tmp_path / "no" / "record.jsonl")
    assert result.exit_code == 1 and not (tmp_path / "x.pdf").exists()


def test_yaml_visits_file(run, tmp_path):
    visits = tmp_path / "visits.yaml"
    visits.write_text(
        "- condition: hip-pain\n"
        "  patient: Jane Doe\n"
        "  date: 2026-12-01\n"
        "  points: [GB30, GB29]\n"
        "- condition: hip-pain\n"
        "  patient: Zebulon Quux\n"
        "  date: 2026-12-01\n"
        "  points: [XX9]\n"
        "- condition: low-back-pain\n"
        "  Patient Name: Ana Ruiz\n"
        "  date: 2026-12-01\n"
        "  lang: es\n", "utf-8")
    out = tmp_path / "out"
    message = batch(run, visits, out, code=1)
    assert f"{visits}:5 (points): unknown point 'XX9'" in message and "Zebulon" not in message
    assert pdfs(out) == ["2026-12-01-Ana-Ruiz-low-back-pain.pdf", "2026-12-01-Jane-Doe-hip-pain.pdf"]


def test_yaml_unknown_field_names_the_line_and_stops(run, tmp_path):
    visits = tmp_path / "visits.yaml"
    visits.write_text("- condition: hip-pain\n  patient: Jane Doe\n- condition: hip-pain\n  diagnosis: x\n", "utf-8")
    message = batch(run, visits, tmp_path / "out", code=1)
    assert f"{visits}:4: 'diagnosis' is not a visit field" in message
    assert pdfs(tmp_path / "out") == []


def test_jobs_2_makes_the_same_bytes_as_jobs_1(run, tmp_path):
    visits = write_csv(tmp_path / "visits.csv",
                       "2026-12-01,Jane Doe,,hip-pain,,,en",
                       "2026-12-01,Ana Ruiz,,low-back-pain,,,es",
                       "2026-12-01,Wei Chen,,insomnia,,,zh",
                       "2026-12-01,Bad Row,,hip-pain,XX9,,en")
    one, two = tmp_path / "one", tmp_path / "two"
    m1 = batch(run, visits, one, code=1)
    result = run("batch", visits, "--out-dir", two, "--jobs", "2")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert m1.replace(str(one), "DIR") == result.output.replace(str(two), "DIR")
    assert pdfs(one) == pdfs(two) and len(pdfs(one)) == 3
    for name in pdfs(one):
        assert (one / name).read_bytes() == (two / name).read_bytes(), name


def test_each_kind_of_sheet_goes_to_one_worker_and_the_work_is_shared_evenly():
    """--jobs N: every row of a kind (condition, language, paper, size) goes to the worker that made that kind
    before, so its memos serve it; a new kind goes to the worker with the least work (a new kind counts as three
    rows); each worker keeps the file's order."""
    from handouts.composition.visit import make_visit
    from handouts.deliver.batch import NEW_KIND, _share, sheet_kind

    kinds = [("hip-pain", "en"), ("insomnia", "zh"), ("hip-pain", "es"), ("hip-pain", "en"), ("migraine", "en"),
             ("hip-pain", "en"), ("insomnia", "zh"), ("neck-pain", "es"), ("hip-pain", "en", "a4")]
    todo = [(i, f"row {i + 2}", make_visit({"condition": k[0], "lang": k[1], "page_size": k[2] if len(k) > 2 else "letter",
                                             "patient": f"P {i}"})) for i, k in enumerate(kinds)]
    shares = _share(todo, 2)
    assert sorted(i for share in shares for i, _, _ in share) == list(range(len(kinds)))
    owner = {}
    for k, share in enumerate(shares):
        assert [i for i, _, _ in share] == sorted(i for i, _, _ in share)
        for _, _, visit in share:
            assert owner.setdefault(sheet_kind(visit), k) == k, sheet_kind(visit)
    assert sheet_kind(todo[0][2]) != sheet_kind(todo[8][2])  # A4 is another kind
    work = [sum(NEW_KIND if n == [sheet_kind(v) for _, _, v in share].index(sheet_kind(v)) else 1
                for n, (_, _, v) in enumerate(share)) for share in shares]
    assert abs(work[0] - work[1]) <= NEW_KIND
    assert [len(s) for s in _share(todo[:1], 2)] == [1, 0]


def test_workers_started_before_the_rows_are_checked_are_stopped_when_fewer_or_none_are_needed(tmp_path):
    """--jobs 2 starts both workers while the rows are read and checked; when every row fails its check (nothing to
    make) or one row is left, the batch ends with no worker process left behind."""
    import multiprocessing

    from handouts.deliver.batch import BatchOptions, run_batch

    bad = write_csv(tmp_path / "bad.csv", *[f"2026-12-01,P {i},,hip-pain,XX9,,en" for i in range(14)])
    result = run_batch(bad, BatchOptions(out_dir=tmp_path / "bad", jobs=2))
    assert not result.written and len(result.failures) == 14
    assert multiprocessing.active_children() == []
    one = write_csv(tmp_path / "one.csv", "2026-12-01,Jane Doe,,hip-pain,,,en",
                    *[f"2026-12-01,P {i},,hip-pain,XX9,,en" for i in range(13)])
    result = run_batch(one, BatchOptions(out_dir=tmp_path / "one", jobs=2))
    assert len(result.written) == 1 and result.jobs == 1
    assert multiprocessing.active_children() == []


@pytest.mark.parametrize("kept, pools", [(3, 4), (5, 2)])
def test_a_worker_process_that_made_its_share_of_sheets_hands_over_to_a_fresh_one(tmp_path, monkeypatch, kept, pools):
    """Memory stays flat on a long day (issue 23): after SHEETS_PER_PROCESS sheets a worker's process hands its queue
    to a fresh process (the old one ends after its jobs), unless only LAST_ROWS_KEPT rows or fewer are left. Every
    row is made, with the bytes of one process, and no process is left behind."""
    import multiprocessing

    import handouts.deliver.batch as batch_module
    from handouts.deliver.batch import BatchOptions, run_batch

    started = []
    start = batch_module._start_pool

    def recorded(library_bytes):
        pool = start(library_bytes)
        started.append(pool)
        return pool

    monkeypatch.setattr(batch_module, "_start_pool", recorded)
    monkeypatch.setattr(batch_module, "SHEETS_PER_PROCESS", 4)
    monkeypatch.setattr(batch_module, "LAST_ROWS_KEPT", kept)
    rows = [f"2026-12-01,Patient {i},,{'hip-pain' if i % 2 else 'insomnia'},,,en" for i in range(16)]
    visits = write_csv(tmp_path / "visits.csv", *rows)
    result = run_batch(visits, BatchOptions(out_dir=tmp_path / "two", jobs=2))
    assert len(result.written) == 16 and not result.failures
    assert len(started) == pools  # two at the start; with kept=3 each worker hands over once (4 made, 4 left)
    assert multiprocessing.active_children() == []
    one = run_batch(write_csv(tmp_path / "some.csv", *rows[:3], *rows[-3:]), BatchOptions(out_dir=tmp_path / "one", jobs=1))
    for path in one.written:
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name


def test_a_batch_stopped_while_its_rows_are_checked_stops_the_workers_it_started(tmp_path, monkeypatch):
    import multiprocessing

    import handouts.deliver.batch as batch_module
    from handouts.errors import HandoutError

    def stop(*args, **kwargs):
        raise HandoutError("stopped for the test")

    monkeypatch.setattr(batch_module, "_plan_names", stop)
    visits = write_csv(tmp_path / "v.csv", *[f"2026-12-01,P {i},,hip-pain,,,en" for i in range(14)])
    with pytest.raises(HandoutError, match="stopped for the test"):
        batch_module.run_batch(visits, batch_module.BatchOptions(out_dir=tmp_path / "out", jobs=2))
    assert multiprocessing.active_children() == []


def test_shipped_example_makes_every_row(run, tmp_path):
    batch(run, REPO / "examples" / "visits.csv", tmp_path / "out")
    assert len(pdfs(tmp_path / "out")) == len(REPO.joinpath("examples", "visits.csv").read_text("utf-8").strip().splitlines()) - 1


def test_batch_help_and_readme(run):
    result = run("batch", "--help")
    assert result.exit_code == 0 and "handouts batch visits.csv --out-dir" in result.output
    readme = (REPO / "README.md").read_text("utf-8")
    assert "### `handouts batch`" in readme and "{date}-{patient}-{condition}" in readme and "--record" in readme


def test_safety_rules_apply_per_row_and_knowing_choices_are_recorded(run, tmp_path):
    visits = tmp_path / "visits.csv"
    visits.write_text("condition,patient,points,flags,allow caution,note\n"
                      "period-pain,Ann Smith,\"SP8,SP6\",pregnant,,\n"
                      "period-pain,Ann Smith,\"SP8,SP6\",pregnant,SP6,Rest well\n"
                      "hip-pain,Bob Jones,,bogus-flag,,\n", "utf-8")
    log = tmp_path / "record.jsonl"
    message = batch(run, visits, tmp_path / "out", "--record", log, code=1)
    assert f"{visits} row 2 (points): not printed: SP6" in message and "add `allow_caution` SP6" in message
    assert f"{visits} row 4 (flags): unknown flag 'bogus-flag'" in message
    assert "Ann" not in message and "Bob" not in message
    (record,) = map(json.loads, log.read_text("utf-8").splitlines())
    assert record["flags"] == ["pregnant"] and record["allow_caution"] == ["SP6"] and record["note"] == "Rest well"
