"""Time `handouts batch` on a generated CSV with --jobs 1 and --jobs 2 (and more, if asked).

    python bench/batch.py [--rows 60] [--jobs 1,2] [--repeat 3]

Runs the real command in a fresh process each time (as the front desk would), into a new folder,
and prints wall-clock seconds per run and per handout; also checks every --jobs gives the same bytes.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
VISITS = [  # condition, points, lang
    ("hip-pain", "GB30,GB29,BL40,ST36", "en"),
    ("low-back-pain", "", "es"),
    ("insomnia", "HT7,Anmian,SP6", "zh"),
    ("knee-osteoarthritis", "ST35,EX-LE5,SP9,GB34", "en"),
    ("migraine", "", "en"),
    ("neck-pain", "", "es"),
]


def make_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "patient", "practitioner", "condition", "points", "lang"])
        for i in range(rows):
            condition, points, lang = VISITS[i % len(VISITS)]
            out.writerow(["2026-12-01", f"Patient {i:03d}", "John Roe, L.Ac.", condition, points, lang])


def cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def run(visits: Path, out: Path, jobs: int) -> tuple[float, float]:
    """Wall-clock and CPU seconds (the command and its workers) of one run."""
    env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cpu_start = cpu()
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "handouts", "batch", str(visits), "--out-dir", str(out), "--jobs", str(jobs)],
                          env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"--jobs {jobs} failed:\n{done.stderr}")
    return took, cpu() - cpu_start


def digest(folder: Path) -> str:
    h = hashlib.sha256()
    for pdf in sorted(folder.glob("*.pdf")):
        h.update(pdf.name.encode() + b"\0" + pdf.read_bytes())
    return h.hexdigest()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60)
    parser.add_argument("--jobs", default="1,2", help="comma-separated --jobs values to time")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"{args.rows} rows, {os.cpu_count()} CPUs, load average {load:.1f}, Python {sys.version.split()[0]}, "
          f"best and median of {args.repeat}")
    with tempfile.TemporaryDirectory() as tmp:
        visits = Path(tmp) / "visits.csv"
        make_csv(visits, args.rows)
        digests = {}
        for jobs in (int(j) for j in args.jobs.split(",")):
            times, cpus = [], []
            for r in range(args.repeat):
                out = Path(tmp) / f"out-{jobs}-{r}"
                took, used = run(visits, out, jobs)
                times.append(took)
                cpus.append(used)
                digests.setdefault(jobs, digest(out))
            best, median = min(times), statistics.median(times)
            print(f"--jobs {jobs}: wall best {best:5.2f} s, median {median:5.2f} s ({best / args.rows * 1000:4.0f} ms per handout); "
                  f"CPU median {statistics.median(cpus):5.2f} s")
        same = len(set(digests.values())) == 1
        print("same bytes for every --jobs:", "yes" if same else "NO")
        if not same:
            sys.exit(1)


if __name__ == "__main__":
    main()
