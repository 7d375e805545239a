"""`python -m bench` runs end to end on a tiny input and prints its table (no timing is asserted here)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

from conftest import REPO


def test_the_benchmark_runs_on_a_tiny_input_and_prints_every_figure(tmp_path):
    table = tmp_path / "table.md"
    done = subprocess.run([sys.executable, "-m", "bench", "--tiny", "--langs", "en", "--batch", "2", "--out", str(table)],
                          cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    text = table.read_text("utf-8")
    assert text.strip() in done.stdout
    rows = {line.split(" | ")[0].lstrip("| "): line.split(" | ")[1:] for line in text.splitlines() if line.startswith("| ")}
    for figure in ("warm ms per leaflet (en)", "cold s: one process, one leaflet written", "bytes (en)",
                   "batch of 2, s (handouts --jobs 1; peers one process)", "peak RSS MiB, batch of 2 (handouts --jobs 2)",
                   "mixed day of 6, s (handouts --jobs 2; peers one process)",
                   "mixed day of 6, peak RSS MiB of the largest process (handouts --jobs 2)",
                   "mixed day of 6, peak RSS MiB of the process tree, summed (handouts --jobs 2)"):
        assert figure in rows, figure
        assert float(rows[figure][0].split()[0].replace(",", "")) > 0  # this project's figure is a number
        assert float(rows[figure][1].split()[0].replace(",", "")) > 0  # so is the platypus baseline's
    typst = importlib.util.find_spec("typst") is not None
    assert ("Typst" in text.splitlines()[2]) == typst  # the Typst column only when its binding is installed


def test_the_mixed_day_is_seeded_and_spans_every_condition_language_and_flag():
    sys.path.insert(0, str(REPO / "bench"))
    try:
        import mixed
    finally:
        sys.path.remove(str(REPO / "bench"))
    from handouts import load_library

    day = mixed.day_rows(200)
    assert day == mixed.day_rows(200)  # the same file every run
    assert day != mixed.day_rows(200, seed=24)
    assert {r["condition"] for r in day} == set(load_library().conditions)
    assert {r["lang"] for r in day} == {"en", "es", "zh"}
    every = {(c, lang) for c in load_library().conditions for lang in ("en", "es", "zh")}
    assert {(r["condition"], r["lang"]) for r in day[:len(every)]} == every  # the first rows: each condition in each language
    for column, value in (("flags", "pregnant"), ("large_print", "yes"), ("page_size", "a4"), ("tracker", "yes")):
        share = sum(r[column] == value for r in day) / len(day)
        assert 0.03 < share < 0.35, (column, share)
    pregnant = {r["condition"] for r in day if r["flags"] == "pregnant"}
    assert pregnant and all(mixed.pregnancy_ok(c) for c in pregnant)
    assert not mixed.pregnancy_ok("period-pain")  # its usual points include SP6: refused for a pregnant patient


def test_a_measured_command_s_peak_memory_is_its_own_not_the_benchmark_s():
    """bench/launch.py starts the measured commands from a small process: on Linux a command's kernel-kept peak
    (wait4's ru_maxrss) includes the peak of the process it was started from, so commands started from the benchmark
    itself (tens of MiB by the mixed day) all "peaked" at least that high."""
    import sys

    sys.path.insert(0, str(REPO / "bench"))
    import mixed

    ballast = bytearray(120 * 2**20)  # this process: well over any small command's own peak
    for i in range(0, len(ballast), 4096):
        ballast[i] = 1
    _, largest, _, waited = mixed.tree_peak([sys.executable, "-c", "pass"], every=0.01)
    assert waited < 40 and largest < 40
    grow = "b = bytearray(90 * 2**20)\nfor i in range(0, len(b), 4096): b[i] = 1\nimport time; time.sleep(0.3)"
    _, largest, tree, waited = mixed.tree_peak([sys.executable, "-c", grow], every=0.01)
    assert 90 < waited < 115 and 90 < largest < 115 and 90 < tree < 115
    del ballast
