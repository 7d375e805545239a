"""Issue 25 (a new clinic's first hour): spreadsheet dates, reruns that find their sheets made, every problem of a row
at once, and the reason a sheet prints as a draft."""

from __future__ import annotations

import json
from pathlib import Path

import pypdfium2

from conftest import REPO, flat, pdf_text

BUNDLED_CLINIC = (REPO / "content" / "clinic.yaml").read_text("utf-8")


def clinic(tmp_path: Path, extra: str = "") -> Path:
    """The bundled clinic profile with some lines added, in a file of its own."""
    path = tmp_path / "clinic.yaml"
    path.write_text(BUNDLED_CLINIC + "\n" + extra + "\n", "utf-8")
    return path


def page_width(path: Path) -> float:
    pdf = pypdfium2.PdfDocument(str(path))
    try:
        return pdf[0].get_width()
    finally:
        pdf.close()


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


# ---- 1. dates as spreadsheets save them ----------------------------------------------------


def test_a_us_spreadsheet_s_dates_make_every_row(run, tmp_path):
    visits = tmp_path / "visits.csv"
    visits.write_text("Date,Patient,Condition,Plan,Start\n"
                      "12/8/2026,Jane Doe,hip-pain,,\n"
                      "12/08/26,Ana Ruiz,low-back-pain,,\n"
                      "46364,Wei Chen,insomnia,,\n"  # a date cell that the spreadsheet wrote as its number
                      "3/4/2026,Bob Jones,hip-pain,1/week x2,3/5/2026\n", "utf-8")
    out = tmp_path / "out"
    result = run("batch", visits, "--out-dir", out, "--jobs", "1", "--name", "{date}-{row}")
    assert result.exit_code == 0, result.output
    assert names(out) == ["2026-03-04-5.pdf", "2026-12-08-2.pdf", "2026-12-08-3.pdf", "2026-12-08-4.pdf"]
    text = flat(" ".join(pdf_text(out / "2026-03-04-5.pdf")))
    assert "March 5, 2026" in text or "Mar 5" in text, "the plan's start date read month first too"


def test_an_a4_clinic_reads_day_first_and_prints_on_a4(run, tmp_path):
    visits = tmp_path / "visits.csv"
    visits.write_text("date,condition\n3/4/2026,hip-pain\n08.12.2026,hip-pain\n", "utf-8")
    out = tmp_path / "out"
    result = run("batch", visits, "--out-dir", out, "--jobs", "1", "--name", "{date}",
                 "--clinic", clinic(tmp_path, "page_size: a4"))
    assert result.exit_code == 0, result.output
    assert names(out) == ["2026-04-03.pdf", "2026-12-08.pdf"]
    assert round(page_width(out / "2026-04-03.pdf")) == 595, "A4 paper, from the clinic profile"
    # date_order wins over the paper
    result = run("batch", visits, "--out-dir", tmp_path / "mdy", "--jobs", "1", "--name", "{date}",
                 "--clinic", clinic(tmp_path, "page_size: a4\ndate_order: mdy"))
    assert result.exit_code == 0, result.output
    assert names(tmp_path / "mdy") == ["2026-03-04.pdf", "2026-08-12.pdf"]


def test_leaflet_date_and_start_take_the_clinic_s_order(run, tmp_path):
    out = tmp_path / "jane.pdf"
    result = run("leaflet", "hip-pain", "--date", "12/8/2026", "--plan", "1/week x2", "--start", "12/10/26", "-o", out)
    assert result.exit_code == 0, result.output
    text = flat(" ".join(pdf_text(out)))
    assert "December 8, 2026" in text and "December 10" in text
    result = run("leaflet", "hip-pain", "--date", "13/8/2026", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "--date: '13/8/2026' is not a real date" in result.output and "month/day/year" in result.output
    result = run("leaflet", "hip-pain", "--date", "8 Dec", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "write it as 2026-12-08, 12/8/2026" in result.output


def test_a_bad_date_order_in_the_profile_names_the_field(run, tmp_path):
    result = run("leaflet", "hip-pain", "--clinic", clinic(tmp_path, "date_order: ymd"), "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "clinic.yaml:" in result.output and "date_order: Input should be 'mdy' or 'dmy'" in result.output
    assert "language code" not in result.output, "a choice that is not a language gets no hint about languages"


def test_yaml_visits_take_date_numbers_and_the_clinic_s_order(run, tmp_path):
    visits = tmp_path / "visits.yaml"
    visits.write_text("- {condition: hip-pain, date: 46364}\n- {condition: hip-pain, date: 12/9/2026}\n", "utf-8")
    out = tmp_path / "out"
    result = run("batch", visits, "--out-dir", out, "--jobs", "1", "--name", "{date}")
    assert result.exit_code == 0, result.output
    assert names(out) == ["2026-12-08.pdf", "2026-12-09.pdf"]


# ---- 2. reruns: a sheet already made is done, not failed ----------------------------------

DAY = ["12/8/2026,Jane Doe,hip-pain,", "12/8/2026,Ana Ruiz,low-back-pain,", "12/8/2026,Wei Chen,insomnia,",
       "12/8/2026,Bob Jones,hip-pain,GB30", "12/8/2026,Kim Lee,hip-pain,"]


def day(tmp_path: Path, *rows: str) -> Path:
    visits = tmp_path / "visits.csv"
    visits.write_text("date,patient,condition,points\n" + "\n".join(rows) + "\n", "utf-8")
    return visits


def records(log: Path) -> list[dict]:
    return [json.loads(line) for line in log.read_text("utf-8").splitlines()]


def test_a_rerun_after_a_fix_counts_finished_sheets_as_already_made(run, tmp_path):
    out, log = tmp_path / "tomorrow", tmp_path / "record.jsonl"
    bad = DAY[:4] + ["13/8/2026,Kim Lee,hip-pian,GB30"]  # a date in the wrong order and a misspelt condition
    result = run("batch", day(tmp_path, *bad), "--out-dir", out, "--jobs", "1", "--record", log)
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert f"4 of 5 ready (wrote 4 handouts to {out}); 1 failed:" in result.output
    assert "row 6 (date): '13/8/2026' is not a real date" in result.output
    assert "row 6 (condition): unknown condition 'hip-pian'; did you mean 'hip-pain'?" in result.output, "both at once"
    assert "Kim" not in result.output
    assert len(records(log)) == 4

    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    result = run("batch", day(tmp_path, *DAY), "--out-dir", out, "--jobs", "1", "--record", log)
    assert result.exit_code == 0, result.output
    assert f"5 of 5 ready (wrote 1 handout to {out}, 4 already made); 0 failed" in result.stderr
    assert "--force" not in result.output
    assert {n: t for n, t in before.items()} == {p.name: p.stat().st_mtime_ns for p in out.iterdir() if p.name in before}, \
        "already made sheets are left as they are"
    lines = records(log)
    assert len(lines) == 5 and len({r["output"]["path"] for r in lines}) == 5, "no duplicate record lines"

    result = run("batch", day(tmp_path, *DAY), "--out-dir", out, "--jobs", "1", "--record", log)
    assert result.exit_code == 0 and f"5 of 5 ready (wrote 0 handouts to {out}, 5 already made); 0 failed" in result.output
    assert len(records(log)) == 5


def test_only_a_sheet_that_would_change_needs_force(run, tmp_path):
    out = tmp_path / "out"
    assert run("batch", day(tmp_path, *DAY[:2]), "--out-dir", out, "--jobs", "1").exit_code == 0
    changed = [DAY[0].replace(",hip-pain,", ",hip-pain,GB30"), DAY[1]]  # Jane's points changed since her sheet was made
    result = run("batch", day(tmp_path, *changed), "--out-dir", out, "--jobs", "1")
    assert result.exit_code == 1
    assert f"1 of 2 ready (wrote 0 handouts to {out}, 1 already made); 1 failed:" in result.output
    assert f"row 2 (output): its file exists in {out} and differs from what this row makes now; use --force" in result.output
    result = run("batch", day(tmp_path, *changed), "--out-dir", out, "--jobs", "1", "--force")
    assert result.exit_code == 0 and f"2 of 2 ready (wrote 2 handouts to {out}); 0 failed" in result.output


def test_jobs_2_finds_the_same_sheets_already_made(run, tmp_path):
    out = tmp_path / "out"
    assert run("batch", day(tmp_path, *DAY[:3]), "--out-dir", out, "--jobs", "1").exit_code == 0
    result = run("batch", day(tmp_path, *DAY[:3]), "--out-dir", out, "--jobs", "2")
    assert result.exit_code == 0 and "3 of 3 ready (wrote 0 handouts to" in result.output and "3 already made" in result.output


def test_every_problem_of_a_row_is_listed(run, tmp_path):
    visits = tmp_path / "visits.csv"
    visits.write_text("date,patient,condition,points,lang,tracker\n"
                      "2026-02-30,Jane Doe,hip-pian,\"GB30,XX9\",fr,maybe\n"
                      "2026-12-08,Ana Ruiz,knee-pian,\"GB30,XX9\",,\n", "utf-8")
    result = run("batch", visits, "--out-dir", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 1 and "0 of 2 ready" in result.output and "2 failed:" in result.output
    lines = [line.strip() for line in result.output.splitlines() if " row " in line]
    fields = [line.split(" (", 1)[1].split(")", 1)[0] for line in lines]
    assert fields == ["date", "lang", "tracker", "condition", "points", "condition", "points"], lines
    assert "Jane" not in result.output and "Ana" not in result.output


# ---- 5. a draft says so on the command's own output ---------------------------------------


def test_a_draft_sheet_says_why_on_stderr(run, tmp_path):
    result = run("leaflet", "hip-pain", "--patient", "Jane Doe", "-o", tmp_path / "jane.pdf")
    assert result.exit_code == 0
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("printed as a draft")]
    assert "content files not approved as they are now (conditions/hip-pain.yaml" in line
    assert "handouts approve --sheet hip-pain" in line and "Jane" not in line
    assert "with the other files such a sheet may use" in line, "approve --sheet names more files than the 12: say why"
    assert "printed as a draft" not in result.stdout
    assert '--by "Name, credential" --content DIR' in line, "approvals go to the clinic's folder: the hint says so"
    folder = tmp_path / "our-clinic"
    folder.mkdir()
    (folder / "clinic.yaml").write_text(BUNDLED_CLINIC, "utf-8")
    result = run("leaflet", "hip-pain", "--content", folder, "-o", tmp_path / "jane.pdf")
    assert f"--content {folder}" in result.stderr

    result = run("batch", day(tmp_path, *DAY), "--out-dir", tmp_path / "out", "--jobs", "1")
    assert result.exit_code == 0
    notes = [line for line in result.stderr.splitlines() if line.startswith("printed as a draft")]
    assert [n.split(":")[1].strip() for n in notes] == ["3 hip-pain sheets", "1 insomnia sheet", "1 low-back-pain sheet"]


def test_an_approved_sheet_prints_no_draft_note(run, tmp_path):
    from handouts import load_library
    from handouts.library.approvals import sheet_files

    library = load_library()
    folder = tmp_path / "our-clinic"
    folder.mkdir()
    (folder / "clinic.yaml").write_text(BUNDLED_CLINIC, "utf-8")
    files = sheet_files(library, "hip-pain", [cp.code for cp in library.conditions["hip-pain"].points])
    assert run("approve", *files, "--by", "Ana Ruiz, LAc", "--content", folder).exit_code == 0
    result = run("leaflet", "hip-pain", "--content", folder, "-o", tmp_path / "ok.pdf")
    assert result.exit_code == 0 and "Draft" not in " ".join(pdf_text(tmp_path / "ok.pdf"))
    assert "draft" not in result.output
