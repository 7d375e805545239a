"""The benchmark's mixed day: a seeded visits file over every condition, language and the common flags.

    python bench/mixed.py day.csv [--rows 200] [--seed 23] [--export day.jsonl]

A front desk's day is not one sheet 200 times: each row draws a condition, a language (en, es, zh), and
now and then a pregnant patient, large print, A4 paper or the session tracker, from a seeded generator
(the same file every run). Pregnant is drawn only for conditions whose usual points are not refused in
pregnancy (as a practitioner would choose other points; which ones is worked out here, not listed).
--export writes each row's composed handout (bench/export.py) as one JSON line, with the paper and the
text scale, for the peers' --day mode (bench/baseline.py, bench/typst_peer.py): they set the same words.

`tree_peak(command)` runs a command (started by bench/launch.py, a small process, so that the kernel's peak of the
command is its own) and samples every process of its tree (the command and every process started under it) from
/proc: the largest single process's own high-water mark (VmHWM) and the peak of their summed RSS.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))

LANGS = ("en", "es", "zh")
FIELDS = ["date", "patient", "practitioner", "condition", "lang", "flags", "large_print", "page_size", "tracker"]
# how often each common option comes up in a day (a share of rows, drawn independently)
SHARES = {"pregnant": 0.10, "large_print": 0.15, "a4": 0.20, "tracker": 0.15}
FIRST = ("Ana", "Wei", "María", "John", "Li Na", "Grace", "José", "Mei", "Olivia", "Chen", "Sofía", "David")
LAST = ("García", "Zhang", "Smith", "Nguyen", "Rodríguez", "Wang", "O'Brien", "Liu", "Johnson", "Hernández")


def conditions() -> list[str]:
    from handouts import load_library

    return sorted(load_library().conditions)


def pregnancy_ok(condition: str) -> bool:
    """Whether the condition's usual points may be printed for a pregnant patient (no safety refusal)."""
    from handouts import HandoutError, compose, load_library, make_visit

    try:
        compose(load_library(), make_visit({"condition": condition, "flags": "pregnant"}))
    except HandoutError:
        return False
    return True


def day_rows(rows: int, seed: int = 23) -> list[dict[str, str]]:
    """The day's visits, the same for the same rows and seed: every condition and language comes up."""
    rng = random.Random(seed)
    names = conditions()
    pregnant_ok = {c: pregnancy_ok(c) for c in names}
    out = []
    for i in range(rows):
        # the first rows go round every condition and language, then the draw is free
        condition = names[i % len(names)] if i < len(names) * 3 else rng.choice(names)
        lang = LANGS[(i // len(names)) % 3] if i < len(names) * 3 else rng.choice(LANGS)
        flags = "pregnant" if pregnant_ok[condition] and rng.random() < SHARES["pregnant"] else ""
        out.append({
            "date": "2026-12-01",
            "patient": f"{rng.choice(FIRST)} {rng.choice(LAST)} {i:04d}",
            "practitioner": "John Roe, L.Ac.",
            "condition": condition,
            "lang": lang,
            "flags": flags,
            "large_print": "yes" if rng.random() < SHARES["large_print"] else "",
            "page_size": "a4" if rng.random() < SHARES["a4"] else "",
            "tracker": "yes" if rng.random() < SHARES["tracker"] else "",
        })
    return out


def write_day(path: Path, rows: int, seed: int = 23) -> list[dict[str, str]]:
    day = day_rows(rows, seed)
    with path.open("w", newline="", encoding="utf-8") as handle:
        out = csv.DictWriter(handle, fieldnames=FIELDS)
        out.writeheader()
        out.writerows(day)
    return day


def export_day(day: list[dict[str, str]], path: Path) -> None:
    """Each visit's composed handout, one JSON line: {"patient", "paper", "scale", "data"} (before any timing)."""
    from export import handout_json

    with path.open("w", encoding="utf-8") as handle:
        for row in day:
            visit = {k: v for k, v in row.items() if v}
            data = handout_json(visit=visit)
            line = {"patient": row["patient"], "paper": "a4" if row["page_size"] == "a4" else "us-letter",
                    "scale": 16 / 12 if row["large_print"] else 1.0, "data": data}
            handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def _children() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(b")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry))
    return kids


def _rss_kib(pid: int) -> tuple[int, int]:
    """(VmRSS, VmHWM) of a process in KiB; (0, 0) once it is gone."""
    rss = hwm = 0
    try:
        with open(f"/proc/{pid}/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmRSS:"):
                    rss = int(line.split()[1])
                elif line.startswith(b"VmHWM:"):
                    hwm = int(line.split()[1])
    except OSError:
        pass
    return rss, hwm


_LAUNCHER: subprocess.Popen | None = None


def start_launcher() -> None:
    """Start bench/launch.py now, while this process is small: the commands are started from it (see there why)."""
    global _LAUNCHER
    if _LAUNCHER is None:
        _LAUNCHER = subprocess.Popen([sys.executable, str(HERE / "launch.py")], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, text=True)


def tree_peak(command: list[str], env: dict | None = None, cwd: Path | None = None,
              every: float = 0.05, sample: bool = True) -> tuple[float, float, float, float]:
    """Run a command to its end; (wall seconds, peak RSS MiB of its largest process (each process's own high-water
    mark, VmHWM, sampled every `every` s), peak MiB of the tree's sum (of VmRSS, sampled), the command's peak from
    wait4 (kernel-kept, it and the children it waited for)); sample=False: no sampling (0 for both sampled figures),
    for timings that /proc's reading should not disturb."""
    import threading

    start_launcher()
    assert _LAUNCHER is not None and _LAUNCHER.stdin is not None and _LAUNCHER.stdout is not None
    _LAUNCHER.stdin.write(json.dumps({"command": [str(c) for c in command], "cwd": str(cwd or Path.cwd()),
                                      "env": dict(env if env is not None else os.environ)}) + "\n")
    _LAUNCHER.stdin.flush()
    pid = json.loads(_LAUNCHER.stdout.readline())["pid"]
    peaks: dict[int, int] = {}
    total = 0
    done = threading.Event()

    def sample_tree() -> None:
        nonlocal total
        while not done.is_set():
            kids = _children()
            tree, todo = [], [pid]
            while todo:
                p = todo.pop()
                tree.append(p)
                todo += kids.get(p, [])
            now = 0
            for p in tree:
                rss, hwm = _rss_kib(p)
                now += rss
                peaks[p] = max(peaks.get(p, 0), hwm)
            total = max(total, now)
            done.wait(every)

    sampler = threading.Thread(target=sample_tree, daemon=True)
    if sample:
        sampler.start()
    result = json.loads(_LAUNCHER.stdout.readline())
    done.set()
    if sample:
        sampler.join()
    if result["code"] != 0:
        sys.exit(f"benchmark command failed ({result['code']}): {' '.join(map(str, command))}\n{result['err']}")
    return result["took"], max(peaks.values(), default=0) / 1024, total / 1024, result["maxrss"] / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("csv", type=Path)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--seed", type=int, default=23)
    parser.add_argument("--export", type=Path, help="also write each visit's handout as JSON lines, for the peers")
    args = parser.parse_args()
    day = write_day(args.csv, args.rows, args.seed)
    if args.export:
        export_day(day, args.export)


if __name__ == "__main__":
    main()
