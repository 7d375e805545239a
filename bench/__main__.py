"""Side-by-side benchmark: this project, a straightforward platypus build, and Typst, on the same handout.

    pip install ".[bench]"        # Typst's Python binding (optional: without it the Typst column is blank)
    python -m bench               # the full run (a few minutes on 2 cores)
    python -m bench --tiny        # a smoke run (seconds): every figure once, on a batch of 3

Every figure is measured interleaved, A B C A B C ..., so a busy machine slows all three alike:
warm ms per leaflet (en, es, zh; one long-running process per peer, rendering to memory, a new
patient name each time), cold
seconds (one process, one leaflet written), batch seconds (`handouts batch` with --jobs 1 and 2 vs
each peer's single-process loop), bytes, and peak RSS (each process's own, from wait4; every command is started by
bench/launch.py, a small process, since a command's kernel-kept peak includes that of the process it started from). Then the mixed
day (bench/mixed.py): a seeded visits file of --day rows over every condition, language and the common
flags, `handouts batch` with --jobs 1 and 2 against each peer setting the same exported handouts in one
process, with the peak RSS of the largest process and of the whole process tree (sampled from /proc);
--day-scale also runs bigger days with --jobs 2 and --jobs 1 for memory. Prints a markdown table (medians, min-max)
with the ratios to each peer; --out also writes it to a file.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
PEERS = ("handouts", "platypus", "typst")
TITLES = {"handouts": "handouts", "platypus": "straightforward platypus", "typst": "Typst (Python binding)"}


CACHE: dict[str, str] = {}  # HANDOUTS_CACHE for the runs: a folder of this benchmark (set in main)


def env(**extra: str) -> dict:
    # no PYTHONDONTWRITEBYTECODE: an installed package has its bytecode compiled, so runs should not compile sources
    base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return {**base, **CACHE, "PYTHONPATH": str(REPO) + os.pathsep + os.environ.get("PYTHONPATH", ""), **extra}


def timed(command: list[str], cwd: Path, **extra: str) -> tuple[float, float]:
    """Wall seconds and peak RSS (MiB) of one command, from wait4 (its own peak, and its waited children's), started by
    bench/launch.py (a small process: a command started from this one would count this one's peak as its own)."""
    import mixed

    took, _, _, rss = mixed.tree_peak(command, env=env(**extra), cwd=cwd, sample=False)
    return took, rss


class Worker:
    def __init__(self, peer: str, data: Path):
        self.proc = subprocess.Popen([sys.executable, str(HERE / "worker.py"), peer, str(data)], env=env(), text=True,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        if self.proc.stdout.readline().strip() != "ready":
            sys.exit(f"the {peer} worker did not start")

    def render(self, lang: str, n: int) -> tuple[float, int]:
        self.proc.stdin.write(f"{lang} {n}\n")
        self.proc.stdin.flush()
        line = self.proc.stdout.readline().split()
        if len(line) != 2:
            sys.exit("a benchmark worker stopped")
        return float(line[0]), int(line[1])

    def close(self) -> None:
        self.proc.stdin.close()
        self.proc.wait()


def export(data: Path, langs: list[str]) -> None:
    from export import handout_json

    for lang in langs:
        (data / f"hip-pain-{lang}.json").write_text(json.dumps(handout_json("hip-pain", lang), ensure_ascii=False), "utf-8")


def visits_csv(path: Path, rows: int) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.writer(handle)
        out.writerow(["date", "patient", "practitioner", "condition", "lang"])
        for i in range(rows):
            out.writerow(["2026-12-01", f"Patient {i:05d}", "John Roe, L.Ac.", "hip-pain", "en"])


def spread(values: list[float], fmt: str) -> str:
    if not values:
        return "—"
    med = statistics.median(values)
    if len(values) == 1:
        return format(med, fmt)
    return f"{format(med, fmt)} ({format(min(values), fmt)}–{format(max(values), fmt)})"


def ratio(a: list[float], b: list[float]) -> str:
    if not a or not b:
        return "—"
    return f"{statistics.median(a) / statistics.median(b):.2f}×"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--warm", type=int, help="warm renders per peer and language [20]")
    parser.add_argument("--cold", type=int, help="cold runs per peer [5]")
    parser.add_argument("--batch", type=int, help="leaflets in the batch [200]")
    parser.add_argument("--batch-runs", type=int, help="batch runs per peer [3]")
    parser.add_argument("--langs", default="en,es,zh", help="languages for the warm and size figures [en,es,zh]")
    parser.add_argument("--scale", default="", help="also batch these sizes with --jobs 1 for memory growth, e.g. 100,1000")
    parser.add_argument("--day", type=int, help="visits in the mixed day [200]; 0 leaves it out")
    parser.add_argument("--day-scale", default="", help="also run mixed days of these sizes with --jobs 2 and 1 for memory, e.g. 1000")
    parser.add_argument("--no-typst", action="store_true", help="leave Typst out even if it is installed")
    parser.add_argument("--tiny", action="store_true", help="smoke run: defaults --warm 1 --cold 1 --batch 3 --batch-runs 1")
    parser.add_argument("--out", type=Path, help="also write the markdown table here")
    args = parser.parse_args(argv)
    import mixed

    mixed.start_launcher()  # first, while this process is small (bench/launch.py says why)
    defaults = dict(warm=1, cold=1, batch=3, batch_runs=1, day=6) if args.tiny else dict(warm=20, cold=5, batch=200, batch_runs=3, day=200)
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    langs = [lang for lang in args.langs.split(",") if lang]
    peers = [p for p in PEERS if p != "typst" or (not args.no_typst and importlib.util.find_spec("typst"))]

    tmp = Path(tempfile.mkdtemp(prefix="handouts-bench-"))
    CACHE["HANDOUTS_CACHE"] = str(tmp / "cache")  # what a clinic's second and later runs find (the first run fills it)
    try:
        data = tmp / "data"
        data.mkdir()
        export(data, langs)
        warm: dict[tuple[str, str], list[float]] = {}
        size: dict[tuple[str, str], int] = {}
        workers = {p: Worker(p, data) for p in peers}
        try:
            for lang in langs:  # first render of each: fonts, caches (not counted)
                for p in peers:
                    _, size[p, lang] = workers[p].render(lang, 0)
            for n in range(1, args.warm + 1):  # a new patient each time
                for lang in langs:
                    for p in peers:
                        warm.setdefault((p, lang), []).append(workers[p].render(lang, n)[0])
        finally:
            for w in workers.values():
                w.close()

        cold: dict[str, list[float]] = {}
        cold_rss: dict[str, list[float]] = {}
        first: dict[str, list[float]] = {}  # handouts with an empty cache folder: a clinic's very first run
        commands = {
            "handouts": [sys.executable, "-m", "handouts", "leaflet", "hip-pain", "--patient", "Jane Doe", "--practitioner",
                         "John Roe, L.Ac.", "--date", "2026-12-01", "-o", str(tmp / "cold-a.pdf")],
            "platypus": [sys.executable, str(HERE / "baseline.py"), str(data / f"hip-pain-{langs[0]}.json"), "-o", str(tmp / "cold-b.pdf")],
            "typst": [sys.executable, str(HERE / "typst_peer.py"), str(data / f"hip-pain-{langs[0]}.json"), "-o", str(tmp / "cold-c.pdf")],
        }
        if langs[0] != "en":
            commands["handouts"][5:5] = ["--lang", langs[0]]
        timed(commands["handouts"], tmp)  # not counted: fills the cache folder, as any earlier run of the clinic has
        for k in range(args.cold):
            for p in peers:
                Path(commands[p][-1]).unlink(missing_ok=True)
                took, rss = timed(commands[p], tmp)
                cold.setdefault(p, []).append(took)
                cold_rss.setdefault(p, []).append(rss)
            Path(commands["handouts"][-1]).unlink(missing_ok=True)
            first.setdefault("handouts", []).append(timed(commands["handouts"], tmp, HANDOUTS_CACHE=str(tmp / f"empty-{k}"))[0])

        visits = tmp / "visits.csv"
        visits_csv(visits, args.batch)
        batch: dict[str, list[float]] = {}
        batch_rss: dict[str, list[float]] = {}
        runs = [("handouts --jobs 1", "handouts", 1), ("handouts --jobs 2", "handouts", 2)] + [(p, p, 0) for p in peers if p != "handouts"]
        for r in range(args.batch_runs):
            for name, p, jobs in runs:
                out = tmp / f"batch-{r}-{p}-{jobs}"
                if p == "handouts":
                    command = [sys.executable, "-m", "handouts", "batch", str(visits), "--out-dir", str(out), "--jobs", str(jobs)]
                else:
                    script = "baseline.py" if p == "platypus" else "typst_peer.py"
                    command = [sys.executable, str(HERE / script), str(data / "hip-pain-en.json") if (data / "hip-pain-en.json").exists()
                               else str(data / f"hip-pain-{langs[0]}.json"), "--batch", str(args.batch), "--out-dir", str(out)]
                took, rss = timed(command, tmp)
                batch.setdefault(name, []).append(took)
                batch_rss.setdefault(name, []).append(rss)
                shutil.rmtree(out, ignore_errors=True)

        day: dict[str, list[float]] = {}  # the mixed day: seconds, and peak RSS (largest process; tree's sum)
        day_rss: dict[str, list[float]] = {}
        day_tree: dict[str, list[float]] = {}
        day_scale: dict[tuple[int, int], tuple[float, float, float]] = {}  # (rows, jobs) -> (s, largest, tree)
        if args.day:
            import mixed

            tmp.chmod(0o700)  # the cache folder's parent: handouts uses a cache folder only if no one else can write it
            for n in [args.day] + [int(s) for s in args.day_scale.split(",") if s]:
                mixed.export_day(mixed.write_day(tmp / f"day-{n}.csv", n), tmp / f"day-{n}.jsonl") if n == args.day else \
                    mixed.write_day(tmp / f"day-{n}.csv", n)
            for r in range(args.batch_runs):
                for name, p, jobs in runs:
                    out = tmp / f"day-{r}-{p}-{jobs}"
                    if p == "handouts":
                        command = [sys.executable, "-m", "handouts", "batch", str(tmp / f"day-{args.day}.csv"), "--out-dir", str(out),
                                   "--jobs", str(jobs)]
                    else:
                        command = [sys.executable, str(HERE / ("baseline.py" if p == "platypus" else "typst_peer.py")), "--day",
                                   str(tmp / f"day-{args.day}.jsonl"), "--out-dir", str(out)]
                    took, largest, tree, waited = mixed.tree_peak(command, env=env(), cwd=tmp)
                    day.setdefault(name, []).append(took)
                    day_rss.setdefault(name, []).append(max(largest, waited))
                    day_tree.setdefault(name, []).append(tree)
                    shutil.rmtree(out, ignore_errors=True)
            for n in (int(s) for s in args.day_scale.split(",") if s):
                for jobs in (2, 1):  # the target (issue 23) is flat memory with either
                    took, largest, tree, waited = mixed.tree_peak([sys.executable, "-m", "handouts", "batch", str(tmp / f"day-{n}.csv"),
                                                                   "--out-dir", str(tmp / f"day-scale-{n}"), "--jobs", str(jobs)],
                                                                  env=env(), cwd=tmp)
                    day_scale[n, jobs] = (took, max(largest, waited), tree)
                    shutil.rmtree(tmp / f"day-scale-{n}", ignore_errors=True)

        scale_rss: dict[int, float] = {}
        for n in (int(s) for s in args.scale.split(",") if s):
            visits_csv(tmp / f"visits-{n}.csv", n)
            _, scale_rss[n] = timed([sys.executable, "-m", "handouts", "batch", str(tmp / f"visits-{n}.csv"), "--out-dir",
                                     str(tmp / f"scale-{n}"), "--jobs", "1"], tmp)
            shutil.rmtree(tmp / f"scale-{n}", ignore_errors=True)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)

    others = [p for p in peers if p != "handouts"]
    head = ["figure", *(TITLES[p] for p in peers), *(f"handouts ÷ {TITLES[p].split(' (')[0]}" for p in others)]
    rows: list[list[str]] = []

    def row(label: str, values: dict[str, list[float]], fmt: str, mine: str = "handouts", peer_keys: dict[str, str] | None = None):
        keys = peer_keys or {p: p for p in peers}
        cells = [spread(values.get(keys[p], []), fmt) if keys.get(p) else "—" for p in peers]
        rows.append([label, *cells, *(ratio(values.get(mine, []), values.get(keys[p], [])) for p in others)])

    for lang in langs:
        row(f"warm ms per leaflet ({lang})", {p: warm.get((p, lang), []) for p in peers}, ".1f")
    row("cold s: one process, one leaflet written", cold, ".2f")
    row("cold s, handouts' very first run (empty cache folder)", {**cold, "handouts": first.get("handouts", [])}, ".2f")
    for jobs in (1, 2):
        name = f"handouts --jobs {jobs}"
        row(f"batch of {args.batch}, s (handouts --jobs {jobs}; peers one process)", {**batch, "handouts": batch.get(name, [])}, ".2f")
    for lang in langs:
        row(f"bytes ({lang})", {p: [size[p, lang]] for p in peers if (p, lang) in size}, ",.0f")
    row("peak RSS MiB, cold leaflet", cold_rss, ".0f")
    for jobs in (1, 2):
        name = f"handouts --jobs {jobs}"
        row(f"peak RSS MiB, batch of {args.batch} (handouts --jobs {jobs})", {**batch_rss, "handouts": batch_rss.get(name, [])}, ".0f")
    for n, rss in scale_rss.items():
        rows.append([f"peak RSS MiB, handouts batch of {n} --jobs 1", f"{rss:.0f}", *(["—"] * (len(head) - 2))])
    if day:
        for jobs in (1, 2):
            name = f"handouts --jobs {jobs}"
            row(f"mixed day of {args.day}, s (handouts --jobs {jobs}; peers one process)", {**day, "handouts": day.get(name, [])}, ".2f")
        for jobs in (1, 2):
            name = f"handouts --jobs {jobs}"
            row(f"mixed day of {args.day}, peak RSS MiB of the largest process (handouts --jobs {jobs})",
                {**day_rss, "handouts": day_rss.get(name, [])}, ".0f")
            row(f"mixed day of {args.day}, peak RSS MiB of the process tree, summed (handouts --jobs {jobs})",
                {**day_tree, "handouts": day_tree.get(name, [])}, ".0f")
    for (n, jobs), (took, largest, tree) in day_scale.items():
        rows.append([f"mixed day of {n}, handouts --jobs {jobs}: s; peak RSS MiB largest process; tree summed",
                     f"{took:.1f}; {largest:.0f}; {tree:.0f}", *(["—"] * (len(head) - 2))])

    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    lines = [f"Medians (min–max); warm ×{args.warm}, cold ×{args.cold}, batch ×{args.batch_runs}; "
             f"{os.cpu_count()} CPUs, load {load:.1f}, Python {sys.version.split()[0]}.", "",
             "| " + " | ".join(head) + " |", "| " + " | ".join("---" for _ in head) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    text = "\n".join(lines)
    print(text)
    if args.out:
        args.out.write_text(text + "\n", "utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
