"""Whole-sheet sign-off (issue 24): `handouts approve --sheet/--brochure` approves every file a sheet or brochure
uses, after listing them; approvals.json is written under a lock, so two processes approving at once lose nothing."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import flat, pdf_text
from handouts import load_library

BUNDLED = Path(load_library().files["clinic.yaml"].root)
DRAFT = "Draft: this text has not yet been approved by"
HIP_FILES = ["conditions/hip-pain.yaml", "labels.yaml", "points/BL.yaml", "points/GB.yaml", "points/LR.yaml",
             "points/ST.yaml", "rules.yaml", "sections/disclaimer.yaml", "sections/risks.yaml",
             "sections/what-is-acupuncture.yaml", "sections/what-to-expect.yaml", "sections/when-to-call.yaml",
             "sources.yaml", "techniques.yaml"]  # the registry (the source line) and techniques (a flag may name one)


@pytest.fixture
def clinic(tmp_path) -> Path:
    folder = tmp_path / "our-clinic"
    folder.mkdir()
    shutil.copy(BUNDLED / "clinic.yaml", folder / "clinic.yaml")
    return folder


def approved(folder: Path) -> dict:
    return json.loads((folder / "approvals.json").read_text("utf-8"))["files"]


def test_approve_sheet_lists_every_file_of_the_sheet_and_then_the_sheet_is_no_longer_a_draft(run, clinic, tmp_path):
    out = tmp_path / "before.pdf"
    assert run("leaflet", "hip-pain", "--content", clinic, "-o", out).exit_code == 0
    assert DRAFT in flat(pdf_text(out)[0])

    result = run("approve", "--sheet", "hip-pain", "--by", "Ana Ruiz, LAc", "--content", clinic, "--yes")
    assert result.exit_code == 0, result.output
    assert "the hip-pain sheet uses 14 content files:" in result.output
    listed = [line.split()[0] for line in result.output.splitlines() if line.startswith("  ")]
    assert listed == HIP_FILES  # the condition, the channel files of all its points, sections, rules, labels
    assert sorted(approved(clinic)) == HIP_FILES
    assert all(a["by"] == "Ana Ruiz, LAc" for a in approved(clinic).values())

    for points in ([], ["--points", "GB30,BL54,LR3"]):  # the usual points, and the optional ones too
        out = tmp_path / "after.pdf"
        assert run("leaflet", "hip-pain", *points, "--content", clinic, "-o", out).exit_code == 0
        text = flat(" ".join(pdf_text(out)))
        assert "Draft" not in text and "Reviewed" in text
    # a sheet of another condition still is a draft: its condition file was not approved
    assert run("leaflet", "neck-pain", "--content", clinic, "-o", out).exit_code == 0
    assert DRAFT in flat(pdf_text(out)[0])


def test_approve_sheet_asks_first_and_no_approves_nothing(run, clinic):
    from click.testing import CliRunner

    from conftest import main

    said_no = CliRunner().invoke(main, ["approve", "--sheet", "hip-pain", "--by", "Ana Ruiz, LAc", "--content", str(clinic)],
                                 input="n\n")
    assert said_no.exit_code == 1 and "Approve all 14 as they are now, as Ana Ruiz, LAc?" in said_no.output
    assert "nothing approved" in said_no.output and not (clinic / "approvals.json").exists()
    no_answer = CliRunner().invoke(main, ["approve", "--sheet", "hip-pain", "--by", "Ana Ruiz, LAc", "--content", str(clinic)])
    assert no_answer.exit_code == 1 and "nothing approved" in no_answer.output and "Traceback" not in no_answer.output
    said_yes = CliRunner().invoke(main, ["approve", "--sheet", "hip-pain", "--by", "Ana Ruiz, LAc", "--content", str(clinic)],
                                  input="y\n")
    assert said_yes.exit_code == 0 and "approved conditions/hip-pain.yaml" in said_yes.output
    assert len(approved(clinic)) == 14


def test_approve_brochure_covers_the_brochure_files_and_clears_its_draft_line(run, clinic, tmp_path):
    out = tmp_path / "b.pdf"
    result = run("approve", "--brochure", "clinic", "--by", "Ana Ruiz, LAc", "--content", clinic, "--yes")
    assert result.exit_code == 0, result.output
    files = approved(clinic)
    assert "brochures/clinic.yaml" in files and "conditions/insomnia.yaml" in files and "rules.yaml" in files
    assert not any(f.startswith("points/") for f in files)  # the clinic brochure names no points
    assert run("brochure", "--format", "flyer", "--content", clinic, "-o", out).exit_code == 0
    assert "Draft" not in flat(" ".join(pdf_text(out)))

    assert run("approve", "--brochure", "hip-pain", "--by", "Ana Ruiz, LAc", "--content", clinic, "-y").exit_code == 0
    assert "brochures/conditions/hip-pain.yaml" in approved(clinic)
    assert run("brochure", "hip-pain", "--format", "flyer", "--content", clinic, "-o", out).exit_code == 0
    assert "Draft" not in flat(" ".join(pdf_text(out)))


def test_approve_sheet_errors_are_clear(run, clinic):
    unknown = run("approve", "--sheet", "hip-pian", "--by", "Ana Ruiz, LAc", "--content", clinic, "--yes")
    assert unknown.exit_code == 1 and "unknown condition 'hip-pian'" in unknown.output and "hip-pain" in unknown.output
    no_by = run("approve", "--sheet", "hip-pain", "--content", clinic, "--yes")
    assert no_by.exit_code == 2 and "Missing option '--by'" in no_by.output
    no_credential = run("approve", "--sheet", "hip-pain", "--by", "Ana Ruiz", "--content", clinic, "--yes")
    assert no_credential.exit_code == 1 and "credential" in no_credential.output
    no_folder = run("approve", "--sheet", "hip-pain", "--by", "Ana Ruiz, LAc", "--yes")
    assert no_folder.exit_code == 1 and "never inside the installed package" in no_folder.output
    assert "--content" in no_folder.output
    both = run("approve", "rules.yaml", "--sheet", "hip-pain", "--by", "Ana Ruiz, LAc", "--content", clinic)
    assert both.exit_code == 2 and "one of the three" in both.output
    neither = run("approve", "--by", "Ana Ruiz, LAc", "--content", clinic)
    assert neither.exit_code == 2
    for result in (unknown, no_by, no_credential, no_folder, both, neither):
        assert "Traceback" not in result.output
    assert not (clinic / "approvals.json").exists()


def test_a_file_changed_after_it_was_listed_is_not_approved(clinic):
    from handouts.deliver.signoff import approve_signoff, signoff_for
    from handouts.errors import VisitError

    signoff = signoff_for("sheet", "hip-pain", clinic)
    (clinic / "conditions").mkdir()
    text = (BUNDLED / "conditions" / "hip-pain.yaml").read_text("utf-8")
    (clinic / "conditions" / "hip-pain.yaml").write_text(text.replace("Hip pain that disturbs sleep", "Hip pain at night"), "utf-8")
    with pytest.raises(VisitError, match="conditions/hip-pain.yaml changed while you were reviewing"):
        approve_signoff(signoff, "Ana Ruiz, LAc", clinic)
    assert not (clinic / "approvals.json").exists()


def test_approving_keeps_a_copy_of_each_approved_text_by_its_hash(run, clinic):
    from handouts.library.approvals import approved_copy

    assert run("approve", "rules.yaml", "--by", "Ana Ruiz, LAc", "--content", clinic).exit_code == 0
    sha = approved(clinic)["rules.yaml"]["sha256"]
    assert approved_copy(clinic, sha) == [(BUNDLED / "rules.yaml").read_text("utf-8")]
    copy = clinic / "approved" / f"{sha}.json"
    data = json.loads(copy.read_text("utf-8"))
    data["versions"][0]["text"] += "tampered"
    copy.write_text(json.dumps(data), "utf-8")
    assert approved_copy(clinic, sha) is None  # a copy that does not match its hash is not used


CHILD = textwrap.dedent("""
    import sys
    import time
    from pathlib import Path
    from handouts.deliver.signoff import approve

    folder, who, files = Path(sys.argv[1]), sys.argv[2], sys.argv[3:]
    ready = folder / "go"
    while not ready.exists():  # start together
        time.sleep(0.005)
    for rel in files:  # one read-change-write of approvals.json per file: many chances to lose one
        approve([rel], who, folder)
""")


def test_two_processes_approving_at_once_lose_nothing(clinic):
    conditions = sorted(p.relative_to(BUNDLED).as_posix() for p in (BUNDLED / "conditions").glob("*.yaml"))
    points = sorted(p.relative_to(BUNDLED).as_posix() for p in (BUNDLED / "points").glob("*.yaml"))
    script = clinic.parent / "child.py"
    script.write_text(CHILD, "utf-8")
    children = [subprocess.Popen([sys.executable, str(script), str(clinic), who, *files])
                for who, files in (("Ana Ruiz, LAc", conditions), ("Bo Chen, LAc", points))]
    (clinic / "go").touch()
    assert [c.wait(timeout=120) for c in children] == [0, 0]
    files = approved(clinic)
    assert sorted(files) == sorted(conditions + points)
    assert {files[f]["by"] for f in conditions} == {"Ana Ruiz, LAc"} and {files[f]["by"] for f in points} == {"Bo Chen, LAc"}
    history = json.loads((clinic / "approvals.json").read_text("utf-8"))["history"]
    assert len(history) == len(conditions) + len(points)
