"""Caches (handouts/library/cache.py and the per-address QR code) change speed, never bytes; edited content is read again."""

from __future__ import annotations

import os
import pickle
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, flat, pdf_text
from handouts import build_leaflet
from handouts.library import cache

VISIT = {"condition": "hip-pain", "patient": "Jane Doe", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01"}


def fresh(tmp_path, lang: str) -> bytes:
    """The leaflet from a new process: no cache of any kind."""
    out = tmp_path / f"fresh-{lang}.pdf"
    subprocess.run([sys.executable, "-m", "handouts", "leaflet", "hip-pain", "--patient", "Jane Doe", "--practitioner",
                    "John Roe, L.Ac.", "--date", "2026-12-01", "--lang", lang, "-o", str(out)], check=True, cwd=REPO,
                   capture_output=True, env={**os.environ, "HANDOUTS_CACHE": "off"})
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


# ---- the library kept on disk between runs ------------------------------------------------------------------


def _cli(tmp_path, out: str, *args: str, cache_dir=None, content=None) -> subprocess.CompletedProcess:
    """`handouts leaflet hip-pain` in a fresh process; a first arg "-X" runs it with -X importtime (imports on stderr)."""
    python = [sys.executable, "-X", "importtime"] if args[:1] == ("-X",) else [sys.executable]
    args = args[1:] if args[:1] == ("-X",) else args
    env = {**os.environ, "HANDOUTS_CACHE": str(cache_dir) if cache_dir else "off"}
    if content is not None:
        env["HANDOUTS_CONTENT"] = str(content)
    else:
        env.pop("HANDOUTS_CONTENT", None)
    return subprocess.run([*python, "-m", "handouts", "leaflet", "hip-pain", "--patient", "Jane Doe", "--date",
                           "2026-12-01", *args, "-o", str(tmp_path / out)], cwd=REPO, capture_output=True, text=True, env=env)


def test_a_run_from_the_disk_cache_gives_the_bytes_of_a_run_without_it(tmp_path):
    folder = tmp_path / "cache"
    assert _cli(tmp_path, "off.pdf").returncode == 0
    assert not folder.exists()
    assert _cli(tmp_path, "first.pdf", cache_dir=folder).returncode == 0  # reads the YAML, keeps the library
    kept = list(folder.glob("library-*.pickle"))
    assert len(kept) == 1
    assert oct(kept[0].stat().st_mode & 0o777) == "0o600" and oct(folder.stat().st_mode & 0o777) == "0o700"
    stamp = kept[0].stat().st_mtime_ns
    assert _cli(tmp_path, "second.pdf", cache_dir=folder).returncode == 0  # reads the kept library
    assert kept[0].stat().st_mtime_ns == stamp  # read, not written again
    off = (tmp_path / "off.pdf").read_bytes()
    assert (tmp_path / "first.pdf").read_bytes() == off
    assert (tmp_path / "second.pdf").read_bytes() == off
    for path in folder.iterdir():  # clinic content only: no patient's name
        assert b"Jane Doe" not in path.read_bytes()


def test_an_edited_content_file_is_read_again_not_taken_from_the_disk_cache(tmp_path):
    folder, content = tmp_path / "cache", tmp_path / "content"
    (content / "conditions").mkdir(parents=True)
    path = content / "conditions" / "hip-pain.yaml"
    shutil.copy(REPO / "content" / "conditions" / "hip-pain.yaml", path)
    assert _cli(tmp_path, "a.pdf", cache_dir=folder, content=content).returncode == 0
    path.write_text(path.read_text("utf-8").replace("Hip pain", "Sore hip", 1), "utf-8")
    assert _cli(tmp_path, "b.pdf", cache_dir=folder, content=content).returncode == 0
    assert "Sore hip" not in flat(" ".join(pdf_text(tmp_path / "a.pdf")))
    assert "Sore hip" in flat(" ".join(pdf_text(tmp_path / "b.pdf")))
    assert len(list(folder.glob("library-*.pickle"))) == 2  # one per state of the tree


def test_a_damaged_or_foreign_cache_file_is_ignored_and_replaced(tmp_path):
    folder = tmp_path / "cache"
    assert _cli(tmp_path, "a.pdf", cache_dir=folder).returncode == 0
    (kept,) = folder.glob("library-*.pickle")
    kept.write_bytes(b"not a pickle")
    run = _cli(tmp_path, "b.pdf", cache_dir=folder)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()
    kept.write_bytes(pickle.dumps(("something else", None, None)))  # unpicklable as a library: not used
    assert _cli(tmp_path, "c.pdf", cache_dir=folder).returncode == 0
    assert (tmp_path / "c.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()


def test_an_unwritable_cache_folder_costs_nothing_but_speed(tmp_path):
    blocker = tmp_path / "file-not-folder"
    blocker.write_text("x")
    run = _cli(tmp_path, "a.pdf", cache_dir=blocker / "cache")
    assert run.returncode == 0 and run.stderr.startswith("wrote ") and "Traceback" not in run.stderr, run.stderr
    assert _cli(tmp_path, "b.pdf").returncode == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()


def test_templates_see_the_clinic_as_model_dump_gives_it():
    from handouts.library import schema

    validated = schema.Clinic.model_validate({
        "name": "A & B Clinic", "phone": "555-0100", "address": ["1 Main St", "Springfield"], "crisis_line": "988",
        "team": [{"name": "Ann Lee", "credentials": "L.Ac.", "bio": {"en": "Ann has practised for ten years."}}],
        "hours": [{"en": "Mon 9-5", "es": "lun 9-17"}], "colour_cmyk": [80, 20, 0, 30],
        "testimonials": [{"text": {"en": "Kind and careful."}, "by": "Maria, Clifton", "consent_on": "2026-01-05"}],
    })
    clinic = schema.to_record(validated)
    assert clinic.plain() == validated.model_dump()
    assert type(clinic.plain()["team"]) is type(validated.model_dump()["team"])
    assert clinic.plain()["team"][0] == {"name": "Ann Lee", "credentials": "L.Ac.", "bio": {"en": "Ann has practised for ten years."}}
    bundled = cache.library().clinic
    assert bundled.plain() == schema.Clinic.model_validate(bundled.plain()).model_dump()


# ---- a day's sheets share their fit ---------------------------------------------------------------------------


def _count_layouts(monkeypatch) -> list:
    from handouts.render.pdf import leaflet

    calls: list = []
    real = leaflet._laid_out  # every pass, whole or taken up where the sheet first changes
    monkeypatch.setattr(leaflet, "_laid_out", lambda *a, **k: calls.append(1) or real(*a, **k))
    return calls


def _fresh_in_process(fields: dict) -> bytes:
    cache.clear()
    return build_leaflet(fields).pdf


def test_a_second_patient_of_the_same_sheet_is_laid_out_once_with_the_bytes_of_a_fresh_fit(monkeypatch):
    cache.clear()
    calls = _count_layouts(monkeypatch)
    build_leaflet({**VISIT, "patient": "Ann Lee"})
    first = len(calls)
    assert first >= 2  # this sheet is fitted by leaving blocks out: more than one layout
    calls.clear()
    second = build_leaflet({**VISIT, "patient": "Bo Chen"}).pdf
    assert len(calls) == 1
    assert second == _fresh_in_process({**VISIT, "patient": "Bo Chen"})


def test_the_same_sheet_with_its_tracker_page_uses_the_remembered_fit_with_the_bytes_of_a_fresh_fit(monkeypatch):
    """The session tracker comes after the two pages' budget: it changes nothing the fit measures."""
    cache.clear()
    build_leaflet({**VISIT, "patient": "Ann Lee"})
    calls = _count_layouts(monkeypatch)
    tracked = build_leaflet({**VISIT, "patient": "Bo Chen", "tracker": True}).pdf
    assert len(calls) == 1
    assert tracked == _fresh_in_process({**VISIT, "patient": "Bo Chen", "tracker": True})


@pytest.mark.parametrize("name", ["Maria Guadalupe Fernández de la Concepción Rodríguez-Villanueva y Montes de Oca Santa Cruz",
                                  "李" * 40])
def test_a_patient_band_of_another_height_is_fitted_afresh(monkeypatch, name):
    cache.clear()
    build_leaflet({**VISIT, "patient": "Ann Lee"})
    calls = _count_layouts(monkeypatch)
    long = build_leaflet({**VISIT, "patient": name}).pdf
    assert len(calls) >= 2  # the band wraps: the remembered fit is not used
    assert long == _fresh_in_process({**VISIT, "patient": name})


def test_a_sheet_with_a_note_is_not_remembered(monkeypatch):
    from handouts.render.pdf import leaflet

    cache.clear()
    note = {**VISIT, "note": "Walk every day; ice the hip after."}
    build_leaflet({**note, "patient": "Ann Lee"})
    assert len(leaflet._FITS) == 0
    calls = _count_layouts(monkeypatch)
    build_leaflet({**note, "patient": "Bo Chen"})
    assert len(calls) >= 2
    build_leaflet({**VISIT, "patient": "Ann Lee"})
    assert len(leaflet._FITS) == 1 and "Ann Lee" not in repr(next(iter(leaflet._FITS)))


def test_the_map_choices_kept_on_disk_give_the_same_bytes_and_hold_no_text(tmp_path):
    """The map width beside the points table (layout-*) and the numbered discs' places (discs-*)."""
    folder = tmp_path / "cache"
    assert _cli(tmp_path, "a.pdf", cache_dir=folder).returncode == 0  # searches, keeps the choices
    (memo,) = folder.glob("layout-*.pickle")
    (discs,) = folder.glob("discs-*.pickle")
    kept = pickle.loads(memo.read_bytes())
    assert kept and all(len(k) == 64 and isinstance(v, tuple) for k, v in kept.items())  # digests and numbers only
    places = pickle.loads(discs.read_bytes())

    def numbers(value) -> bool:
        return isinstance(value, (int, float)) or isinstance(value, tuple) and all(numbers(v) for v in value)

    assert places and all(len(k) == 64 and numbers(v) for k, v in places.items())
    for word in (b"Jane", b"GB30", b"hip", b"Hip"):
        assert word not in memo.read_bytes() and word not in discs.read_bytes()
    assert _cli(tmp_path, "b.pdf", cache_dir=folder).returncode == 0  # takes the kept choices
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes() == (
        _cli(tmp_path, "c.pdf").returncode == 0 and (tmp_path / "c.pdf").read_bytes())
    memo.write_bytes(pickle.dumps({k: ("not", "numbers") for k in kept}))  # a damaged memo is not trusted
    discs.write_bytes(pickle.dumps({k: tuple(tuple((99, 1.0, 2.0, ((0, 0), (1, 1)), (5, 5)) for _ in v) for v in view)
                                    for k, view in places.items()}))  # discs for numbers the map does not have
    assert _cli(tmp_path, "d.pdf", cache_dir=folder).returncode == 0
    assert (tmp_path / "d.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()
    discs.write_bytes(pickle.dumps({k: [list(map(list, v)) for v in view] for k, view in places.items()}))  # lists
    done = _cli(tmp_path, "e.pdf", cache_dir=folder)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "e.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()


def test_a_cache_folder_others_may_write_to_is_not_read(tmp_path):
    """A pickle runs code when read: a cache folder that is not the user's alone is ignored, as if it were off."""
    from dataclasses import replace

    folder = tmp_path / "cache"
    assert _cli(tmp_path, "a.pdf", cache_dir=folder).returncode == 0
    (kept,) = folder.glob("library-*.pickle")
    library, logo, logo_stamp = pickle.loads(kept.read_bytes())
    planted = replace(library, clinic=library.clinic.replace(name="Planted Clinic"))
    kept.write_bytes(pickle.dumps((planted, logo, logo_stamp)))
    folder.chmod(0o777)
    assert _cli(tmp_path, "shared.pdf", cache_dir=folder).returncode == 0
    assert "Planted Clinic" not in flat(" ".join(pdf_text(tmp_path / "shared.pdf")))
    folder.chmod(0o700)  # the same file in a private folder is read: the check above is what kept it out
    assert _cli(tmp_path, "private.pdf", cache_dir=folder).returncode == 0
    assert "Planted Clinic" in flat(" ".join(pdf_text(tmp_path / "private.pdf")))


def test_a_brochure_reads_the_content_tree_once_when_nothing_is_cached(monkeypatch):
    from handouts.library import load as content

    monkeypatch.setenv("HANDOUTS_CACHE", "off")
    monkeypatch.delenv("HANDOUTS_CONTENT", raising=False)
    cache.clear()
    reads = []
    real = content.read_content
    monkeypatch.setattr(content, "read_content", lambda *a, **k: reads.append(1) or real(*a, **k))
    read = cache.content_read()
    assert read.library is cache.library() and read.documents and read.lint is not None
    assert len(reads) == 1  # the library and the parsed files from one reading of the tree


def test_records_are_what_validation_gives_read_only_and_equal_by_fields():
    """Content records (handouts/model.py) carry the schema model's fields, defaults included; cannot be changed
    in place; compare, hash and pickle by their fields."""
    import pickle

    from handouts.library import schema

    rule = schema.to_record(schema.Rule.model_validate({"id": "x", "when": ["a"], "note": {"en": "n"}}))
    assert type(rule).__module__ == "handouts.model" and type(rule).__name__ == "Rule"
    assert rule.when_any == () and rule.refuse is None and rule.urgent == {}
    assert rule.applies({"a", "b"}) and not rule.applies({"b"})
    with pytest.raises(AttributeError, match="read-only"):
        rule.id = "y"
    again = pickle.loads(pickle.dumps(rule))
    assert again == rule and type(again) is type(rule)
    assert rule.replace(id="y") != rule and rule.replace(id="y").id == "y" and rule.id == "x"
    with pytest.raises(TypeError):
        hash(rule)  # `note` is a dict, as with pydantic's frozen models
    review = schema.to_record(schema.Review.model_validate({"by": "A", "on": "2026-01-01"}))
    assert hash(review) == hash(pickle.loads(pickle.dumps(review)))


def test_a_run_with_the_library_on_disk_does_not_import_pydantic_or_jinja(tmp_path):
    """pydantic only validates what is read from the YAML; a run that takes the library from the cache folder
    has no use for it (its import is about a fifth of a cold start). Nor for Jinja: the hip-pain sheet's
    templates only print values (handouts/composition/literal.py)."""
    folder = tmp_path / "cache"
    first = _cli(tmp_path, "a.pdf", "-X", cache_dir=folder)
    assert first.returncode == 0, first.stderr
    assert "pydantic" in first.stderr  # the tree was read and validated
    again = _cli(tmp_path, "b.pdf", "-X", cache_dir=folder)
    assert again.returncode == 0, again.stderr
    assert "pydantic" not in again.stderr
    assert "jinja2" not in again.stderr
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "a.pdf").read_bytes()


def test_patient_names_are_not_kept_in_the_paragraph_or_font_memos():
    """The patient band's values are laid out afresh and never remembered: a long batch does not grow with
    names, and no name outlives its sheet in the process's memos."""
    from handouts.render.pdf import paragraphs
    from handouts.design.styles import load_style

    names = [f"Rememberme Zqx{i}" for i in range(5)]
    for name in names:
        build_leaflet({"condition": "hip-pain", "patient": name, "date": "2026-12-01"})
    memos = [paragraphs._PARSED, paragraphs._LINES]
    style = load_style("#1D5C63")
    memos += [chain.__dict__.get("_memo") or {} for chain in (style.chain(), style.chain("bold"))]
    text = repr([list(m.keys()) for m in memos])
    assert "Zqx" not in text
    assert paragraphs._PARSED and paragraphs._LINES  # the shared text is remembered


def test_every_schema_model_has_its_record_and_every_record_its_model():
    """Validation makes the record of the same name (schema.to_record): a model added to one module and not the
    other would fail at the first validation."""
    from pydantic import BaseModel

    from handouts import model
    from handouts.library import schema

    models = {n for n, v in vars(schema).items() if isinstance(v, type) and issubclass(v, BaseModel) and v.__module__ == schema.__name__}
    records = {n for n, v in vars(model).items() if isinstance(v, type) and issubclass(v, model.Record) and v is not model.Record}
    assert models - {"Frozen"} == records


def test_two_processes_writing_one_disk_memo_both_keep_their_entries(monkeypatch, tmp_path):
    """Two batch workers fill one layout memo file: each write merges what is on disk, so neither loses the other's
    entries (each used to write its own whole dict: about half of a cold run's searches were lost). In a batch the
    entries are written once a sheet (deferred), not once an entry."""
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    first, second = cache.DiskMemo("test-kind"), cache.DiskMemo("test-kind")  # two processes' views of one file
    assert first.get("a") is None and second.get("b") is None  # both read the (missing) file
    first.put("a", (1, 2))
    second.put("b", (3, 4))
    third = cache.DiskMemo("test-kind")
    assert (third.get("a"), third.get("b")) == ((1, 2), (3, 4))
    assert second.get("a") == (1, 2)  # a writer also sees what the other wrote
    monkeypatch.setattr(cache.DiskMemo, "deferred", True)
    first.put("c", (5,))
    assert cache.DiskMemo("test-kind").get("c") is None  # not written yet
    cache.DiskMemo.flush_all()
    assert cache.DiskMemo("test-kind").get("c") == (5,)
    files = sorted(p.name for p in (tmp_path / "cache").iterdir())
    assert len(files) == 2 and files[1] == files[0] + ".lock"
    assert oct((tmp_path / "cache" / files[0]).stat().st_mode & 0o777) == "0o600"


def test_a_second_batch_with_two_workers_searches_nothing_the_first_one_searched(monkeypatch, tmp_path):
    """After one run of a day with --jobs 2, a clinic's second run of it finds every layout decision on disk."""
    from handouts.deliver.batch import BatchOptions, run_batch

    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    visits = tmp_path / "visits.csv"
    rows = [f"2026-12-01,P {i},{c},{lang}" for i, (c, lang) in enumerate(
        [("hip-pain", "en"), ("neck-pain", "es"), ("insomnia", "zh"), ("migraine", "en"), ("sciatica", "es"), ("stress", "en")])]
    visits.write_text("date,patient,condition,lang\n" + "\n".join(rows) + "\n", "utf-8")

    def entries() -> dict:
        found = {}
        for path in sorted((tmp_path / "cache").glob("*.pickle")):
            kept = pickle.loads(path.read_bytes())
            if isinstance(kept, dict):  # a DiskMemo's file (digest -> decision)
                found[path.name] = set(kept)
        return found

    run_batch(visits, BatchOptions(out_dir=tmp_path / "one", jobs=2))
    after_first = entries()
    assert after_first and all(after_first.values())
    run_batch(visits, BatchOptions(out_dir=tmp_path / "two", jobs=2))
    assert entries() == after_first
