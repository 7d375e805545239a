"""How fast is `handouts leaflet`? A clinician has under a minute between patients.

Run:  python bench/leaflet.py [--runs 10]
Prints the median wall time of the whole command (a fresh process each run, as a clinician
runs it) and an in-process breakdown: load the content, compose, render.
Target: the whole command under 2 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "jane.pdf"
        command = [sys.executable, "-m", "handouts", "leaflet", "hip-pain", "--patient", "Jane Doe",
                   "--practitioner", "John Roe, L.Ac.", "--date", "2026-12-01", "-o", str(out)]
        walls = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            walls.append(time.perf_counter() - start)
        help_start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "handouts", "--help"], check=True, capture_output=True)
        help_time = time.perf_counter() - help_start

    from handouts import compose, load_library, make_visit, render_pdf

    t0 = time.perf_counter()
    library = load_library()
    t1 = time.perf_counter()
    handout = compose(library, make_visit({"condition": "hip-pain", "patient": "Jane Doe", "date": "2026-12-01"}))
    t2 = time.perf_counter()
    render_pdf(handout)
    t3 = time.perf_counter()
    render_pdf(handout)
    t4 = time.perf_counter()

    print(f"handouts leaflet, whole command: median {statistics.median(walls):.2f} s, max {max(walls):.2f} s over {args.runs} runs")
    print(f"handouts --help: {help_time:.2f} s")
    print(f"in process: load {t1 - t0:.3f} s, compose {t2 - t1:.3f} s, first render {t3 - t2:.3f} s, second render {t4 - t3:.3f} s")


if __name__ == "__main__":
    main()
