"""How fast is `handouts brochure`? Target: the tri-fold with bleed under a second.

Run:  python bench/brochure.py [--runs 5]
Prints the median wall and CPU time of the whole command (a fresh process each run) and an
in-process breakdown: read and check the content, compose, render, preflight. On a shared,
loaded machine compare CPU seconds, not wall seconds.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

COMMAND = ["hip-pain", "--format", "trifold", "--bleed", "0.125in"]


def whole(runs: int) -> None:
    walls, cpus = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "handouts", "brochure", *COMMAND, "-o", str(Path(tmp) / "hip.pdf")],
                           check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    print(f"handouts brochure {' '.join(COMMAND)}: median {statistics.median(walls):.2f} s wall, "
          f"{statistics.median(cpus):.2f} s CPU over {runs} runs")


def parts() -> None:
    from handouts.composition.brochure import compose_brochure
    from handouts.library.load import read_content
    from handouts.deliver.preflight import PreflightOptions, run_preflight as preflight
    from handouts.render.pdf.brochure import BrochureOptions, render_brochure

    options = BrochureOptions(bleed=9.0)
    t0 = time.perf_counter()
    library = read_content().library
    t1 = time.perf_counter()
    brochure = compose_brochure(library, "hip-pain", "trifold", "en")
    t2 = time.perf_counter()
    pdf = render_brochure(brochure, options).pdf
    t3 = time.perf_counter()
    preflight(pdf, PreflightOptions("trifold", 9.0))
    t4 = time.perf_counter()
    print(f"in process: content {t1 - t0:.2f} s, compose {t2 - t1:.2f} s, render {t3 - t2:.2f} s, preflight {t4 - t3:.2f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    whole(args.runs)
    parts()
