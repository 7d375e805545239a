"""Resident memory of the `handouts batch` parent process over a long run (workers not counted).

    python bench/memory.py [--rows 400] [--jobs 2]

Runs the real command in a fresh process on a generated CSV and samples the parent's VmRSS
(Linux /proc) every 0.2 s; prints the RSS after start-up, at the end, and the peak, in MB.
Nothing may accumulate per handout: the end should be close to the early value.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from batch import REPO, make_csv  # noqa: E402


def rss_mb(pid: int) -> float | None:
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=400)
    parser.add_argument("--jobs", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        visits = Path(tmp) / "visits.csv"
        make_csv(visits, args.rows)
        env = {**os.environ, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", "")}
        proc = subprocess.Popen([sys.executable, "-m", "handouts", "batch", str(visits), "--out-dir", str(Path(tmp) / "out"),
                                 "--jobs", str(args.jobs), "--name", "{row}"], env=env, stderr=subprocess.PIPE, text=True)
        samples: list[tuple[float, float]] = []
        start = time.monotonic()
        while proc.poll() is None:
            value = rss_mb(proc.pid)
            if value is not None:
                samples.append((time.monotonic() - start, value))
            time.sleep(0.2)
        err = proc.stderr.read() if proc.stderr else ""
        if proc.returncode != 0:
            sys.exit(f"batch failed:\n{err}")
        written = len(list((Path(tmp) / "out").glob("*.pdf")))
    took = samples[-1][0] if samples else 0.0
    # "early": the first sample after a tenth of the run (start-up and the first handouts done)
    early = next((v for t, v in samples if t >= took / 10), samples[0][1])
    print(f"{written} handouts, --jobs {args.jobs}, {took:.0f} s: parent RSS early {early:.0f} MB, "
          f"end {samples[-1][1]:.0f} MB, peak {max(v for _, v in samples):.0f} MB")


if __name__ == "__main__":
    main()
