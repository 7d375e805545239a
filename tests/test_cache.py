"""Caches (handouts/cache.py and the per-address QR code) change speed, never bytes; edited content is read again."""

from __future__ import annotations

import shutil
import subprocess
import sys

from conftest import REPO, flat, pdf_text
from handouts import build_leaflet, cache

VISIT = {"condition": "hip-pain", "patient": "Jane Doe", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01"}


def fresh(tmp_path, lang: str) -> bytes:
    """The leaflet from a new process: no cache of any kind."""
    out = tmp_path / f"fresh-{lang}.pdf"
    subprocess.run([sys.executable, "-m", "handouts", "leaflet", "hip-pain", "--patient", "Jane Doe", "--practitioner",
                    "John Roe, L.Ac.", "--date", "2026-12-01", "--lang", lang, "-o", str(out)], check=True, cwd=REPO,
                   capture_output=True)
    return out.read_bytes()


def test_cached_renders_are_byte_identical_to_a_fresh_process(tmp_path):
    cache.clear()
    for lang in ("en", "zh", "es"):
        first = build_leaflet({**VISIT, "lang": lang}).pdf
        again = build_leaflet({**VISIT, "lang": lang}).pdf  # library, fonts, styles and QR code from the caches
        assert again == first
        assert first == fresh(tmp_path, lang)


def test_the_library_is_reused_while_no_content_file_changes(tmp_path, monkeypatch):
    monkeypatch.delenv("HANDOUTS_CONTENT", raising=False)
    content = tmp_path / "content"
    (content / "conditions").mkdir(parents=True)
    shutil.copy(REPO / "content" / "conditions" / "hip-pain.yaml", content / "conditions" / "hip-pain.yaml")
    first = cache.library(content)
    assert cache.library(content) is first  # nothing changed: the same Library
    assert cache.library() is not first  # another tree: another entry

    path = content / "conditions" / "hip-pain.yaml"
    text = path.read_text("utf-8")
    assert "Hip pain" in text
    path.write_text(text.replace("Hip pain", "Sore hip", 1), "utf-8")
    second = cache.library(content)
    assert second is not first  # an edited file is read again…
    pdf = build_leaflet(VISIT, content=content).pdf
    assert "Sore hip" in flat(" ".join(pdf_text(pdf)))  # …and the leaflet shows the edit

    (content / "conditions" / "hip-pain.yaml").unlink()  # a removed override: the bundled file wins again
    assert "Sore hip" not in flat(" ".join(pdf_text(build_leaflet(VISIT, content=content).pdf)))


def test_broken_content_is_never_cached(tmp_path):
    from handouts import ContentError

    content = tmp_path / "content"
    (content / "conditions").mkdir(parents=True)
    bad = content / "conditions" / "hip-pain.yaml"
    bad.write_text("id: [unclosed\n", "utf-8")
    for _ in range(2):
        try:
            cache.library(content)
        except ContentError as exc:
            assert "hip-pain.yaml" in str(exc)
        else:
            raise AssertionError("broken content loaded")


def test_a_batch_gives_each_patient_the_bytes_of_a_fresh_leaflet(run, tmp_path):
    """The second and later rows of a batch reuse everything the first laid out; their bytes must not show it."""
    visits = tmp_path / "visits.csv"
    visits.write_text("date,patient,practitioner,condition,lang\n"
                      "2026-12-01,Ann Lee,\"John Roe, L.Ac.\",hip-pain,zh\n"
                      "2026-12-01,Jane Doe,\"John Roe, L.Ac.\",hip-pain,zh\n", "utf-8")
    result = run("batch", visits, "--out-dir", tmp_path / "out", "--jobs", "1", "--name", "{row}")
    assert result.exit_code == 0, result.output
    made = sorted((tmp_path / "out").glob("*.pdf"))
    assert len(made) == 2
    assert made[1].read_bytes() == fresh(tmp_path, "zh")
