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
                   "batch of 2, s (handouts --jobs 1; peers one process)", "peak RSS MiB, batch of 2 (handouts --jobs 2)"):
        assert figure in rows, figure
        assert float(rows[figure][0].split()[0].replace(",", "")) > 0  # this project's figure is a number
        assert float(rows[figure][1].split()[0].replace(",", "")) > 0  # so is the platypus baseline's
    typst = importlib.util.find_spec("typst") is not None
    assert ("Typst" in text.splitlines()[2]) == typst  # the Typst column only when its binding is installed
