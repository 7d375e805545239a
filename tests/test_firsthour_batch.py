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
    assert "date_order" in result.output and "mdy" in result.output and "dmy" in result.output


def test_yaml_visits_take_date_numbers_and_the_clinic_s_order(run, tmp_path):
    visits = tmp_path / "visits.yaml"
    visits.write_text("- {condition: hip-pain, date: 46364}\n- {condition: hip-pain, date: 12/9/2026}\n", "utf-8")
    out = tmp_path / "out"
    result = run("batch", visits, "--out-dir", out, "--jobs", "1", "--name", "{date}")
    assert result.exit_code == 0, result.output
    assert names(out) == ["2026-12-08.pdf", "2026-12-09.pdf"]
