"""Clinician sign-off (issue 12): `handouts approve` pins files by SHA-256 in the clinic's content folder;
edited text is reported and printed as a draft; `require_approval` refuses; approvals survive a reinstall."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from conftest import flat, pdf_text
from handouts import check_content, load_library

BUNDLED = Path(load_library().files["clinic.yaml"].root)
DRAFT = "Draft: this text has not yet been approved by Clifton Physical Therapy & Acupuncture"


def sheet_files() -> list[str]:
    """Every content file a hip-pain sheet may read (points files included), relative to the tree."""
    files = ["conditions/hip-pain.yaml", "rules.yaml", "labels.yaml", "sources.yaml"]
    files += sorted(p.relative_to(BUNDLED).as_posix() for p in (BUNDLED / "sections").glob("*.yaml"))
    files += sorted(p.relative_to(BUNDLED).as_posix() for p in (BUNDLED / "points").glob("*.yaml"))
    return files


@pytest.fixture
def clinic(tmp_path) -> Path:
    """A clinic content folder: its own clinic.yaml and its own copy of the hip-pain sheet."""
    folder = tmp_path / "our-clinic"
    (folder / "conditions").mkdir(parents=True)
    shutil.copy(BUNDLED / "clinic.yaml", folder / "clinic.yaml")
    shutil.copy(BUNDLED / "conditions" / "hip-pain.yaml", folder / "conditions" / "hip-pain.yaml")
    return folder


def approve_all(run, folder: Path):
    result = run("approve", *sheet_files(), "--by", "Ana Ruiz, LAc", "--content", folder)
    assert result.exit_code == 0, result.output
    return result


def test_approve_records_who_what_hash_and_date_in_the_clinic_folder(run, clinic):
    result = approve_all(run, clinic)
    assert "approved conditions/hip-pain.yaml" in result.output
    data = json.loads((clinic / "approvals.json").read_text("utf-8"))
    entry = data["files"]["conditions/hip-pain.yaml"]
    import hashlib

    assert entry["sha256"] == hashlib.sha256((clinic / "conditions" / "hip-pain.yaml").read_bytes()).hexdigest()
    assert entry["by"] == "Ana Ruiz, LAc" and entry["on"] == date.today().isoformat()
    assert not (BUNDLED / "approvals.json").exists()


def test_an_approved_file_edited_by_one_character_is_reported_and_the_sheet_says_draft(run, clinic, tmp_path):
    approve_all(run, clinic)
    out, record = tmp_path / "ok.pdf", tmp_path / "record.jsonl"
    assert run("leaflet", "hip-pain", "--patient", "Jane Doe", "--content", clinic, "--record", record, "-o", out).exit_code == 0
    text = flat(" ".join(pdf_text(out)))
    assert "Draft" not in text and "Reviewed" in text
    first = json.loads(record.read_text("utf-8").splitlines()[0])
    assert first["approved"] is True and first["unapproved"] == []

    path = clinic / "conditions" / "hip-pain.yaml"
    path.write_text(path.read_text("utf-8").replace("Hip pain that disturbs sleep", "Hip pain that disturbs sleeq"), "utf-8")
    report = check_content(clinic)
    changed = [str(w) for w in report.warnings if "changed since" in w.message]
    assert any("conditions/hip-pain.yaml: changed since Ana Ruiz, LAc approved it on" in w for w in changed), changed
    assert not report.errors

    out2 = tmp_path / "draft.pdf"
    assert run("leaflet", "hip-pain", "--patient", "Jane Doe", "--content", clinic, "--record", record, "-o", out2).exit_code == 0
    pages = pdf_text(out2)
    assert DRAFT in flat(pages[0]) and "Reviewed" not in flat(" ".join(pages))
    second = json.loads(record.read_text("utf-8").splitlines()[1])
    assert second["approved"] is False and second["unapproved"] == ["conditions/hip-pain.yaml"]


def test_bundled_content_alone_is_a_draft_and_check_says_so(run, tmp_path):
    out = tmp_path / "x.pdf"
    assert run("leaflet", "hip-pain", "-o", out).exit_code == 0
    assert DRAFT in flat(pdf_text(out)[0])
    assert any("not approved by a clinician" in w.message for w in check_content().warnings)


def test_approval_survives_a_reinstall_and_notices_an_upgraded_file(run, clinic, tmp_path, monkeypatch):
    approve_all(run, clinic)
    reinstalled = tmp_path / "site-packages" / "handouts" / "content"
    shutil.copytree(BUNDLED, reinstalled)  # the same package, installed afresh somewhere else
    monkeypatch.setattr("handouts.library.tree.bundled_content", lambda: reinstalled)
    out = tmp_path / "again.pdf"
    assert run("leaflet", "hip-pain", "--content", clinic, "-o", out).exit_code == 0
    assert "Draft" not in flat(" ".join(pdf_text(out)))
    # an upgrade that changes a bundled text the clinic approved shows as changed
    risks = reinstalled / "sections" / "risks.yaml"
    risks.write_text(risks.read_text("utf-8") + "\n", "utf-8")
    assert any("sections/risks.yaml: changed since" in str(w) for w in check_content(clinic).warnings)


def test_require_approval_refuses_cleanly_naming_the_files(run, clinic, tmp_path):
    profile = clinic / "clinic.yaml"
    profile.write_text(profile.read_text("utf-8") + "require_approval: true\n", "utf-8")
    out = tmp_path / "x.pdf"
    result = run("leaflet", "hip-pain", "--content", clinic, "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "require_approval: true" in result.output and "conditions/hip-pain.yaml (never approved)" in result.output
    assert "Traceback" not in result.output and "handouts approve" in result.output
    checked = run("check", "--content", clinic)
    assert checked.exit_code == 1 and "never approved" in checked.output
    approve_all(run, clinic)
    assert run("leaflet", "hip-pain", "--content", clinic, "-o", out).exit_code == 0


def test_approve_needs_a_clinic_folder_a_known_file_and_a_credential(run, clinic):
    result = run("approve", "conditions/hip-pain.yaml", "--by", "Ana Ruiz, LAc")
    assert result.exit_code == 1 and "never inside the installed package" in result.output and "--content" in result.output
    result = run("approve", "conditions/hip-pian.yaml", "--by", "Ana Ruiz, LAc", "--content", clinic)
    assert result.exit_code == 1 and "conditions/hip-pian.yaml: not a content file" in result.output
    result = run("approve", "conditions/hip-pain.yaml", "--by", "Ana Ruiz", "--content", clinic)
    assert result.exit_code == 1 and "credential" in result.output
    assert not (clinic / "approvals.json").exists()


BROCHURE_FILES = ["brochures/clinic.yaml", "brochures/conditions/hip-pain.yaml"]


@pytest.mark.parametrize("fmt, faces", [("trifold", 2), ("flyer", 1)])
def test_a_brochure_from_unapproved_text_says_draft_on_each_face_until_approved(run, clinic, tmp_path, fmt, faces):
    out = tmp_path / "b.pdf"
    assert run("brochure", "hip-pain", "--format", fmt, "--content", clinic, "-o", out).exit_code == 0
    pages = [flat(t) for t in pdf_text(out)]
    assert len(pages) == faces and all(DRAFT in page for page in pages)
    approve_all(run, clinic)
    assert run("approve", *BROCHURE_FILES, "--by", "Ana Ruiz, LAc", "--content", clinic).exit_code == 0
    assert run("brochure", "hip-pain", "--format", fmt, "--content", clinic, "-o", out).exit_code == 0
    assert not any("Draft" in page for page in (flat(t) for t in pdf_text(out)))
    (clinic / "conditions" / "hip-pain.yaml").write_text(
        (clinic / "conditions" / "hip-pain.yaml").read_text("utf-8") + "\n", "utf-8")  # edited after approval
    assert run("brochure", "hip-pain", "--format", fmt, "--content", clinic, "-o", out).exit_code == 0
    assert all(DRAFT in flat(t) for t in pdf_text(out))


def test_require_approval_refuses_a_brochure_naming_its_files(run, clinic, tmp_path):
    profile = clinic / "clinic.yaml"
    profile.write_text(profile.read_text("utf-8") + "require_approval: true\n", "utf-8")
    out = tmp_path / "b.pdf"
    approve_all(run, clinic)  # the leaflet's files, not the brochure's own
    result = run("brochure", "hip-pain", "--content", clinic, "-o", out)
    assert result.exit_code == 1 and not out.exists() and "Traceback" not in result.output
    assert "brochures/conditions/hip-pain.yaml (never approved)" in result.output
    assert run("approve", *BROCHURE_FILES, "--by", "Ana Ruiz, LAc", "--content", clinic).exit_code == 0
    assert run("brochure", "hip-pain", "--content", clinic, "-o", out).exit_code == 0
