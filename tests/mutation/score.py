"""The mutation score per module from mutmut's results in mutants/, less the equivalent mutants listed beside this file.

    python tests/mutation/score.py [module ...]     (default: the eight modules; run tests/mutation/run.sh first)

Prints a Markdown table (mutants, caught, equivalent, survived, not run, score = caught / (mutants - equivalent)),
then every surviving mutant that is not listed as equivalent. Exit status 1 if a listed equivalent mutant no longer
exists (the code changed: check the list) or was caught (it was not equivalent after all).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODULES = ("composition/safety", "files", "library/file_names", "library/plan", "composition/visit",
           "composition/templates", "composition/literal", "markup")  # paths under handouts/, without .py
CAUGHT = {1, 3, 36, 24, -24, 152, 255, 37}  # killed, pytest internal error, timeouts, type check: the bug was noticed
SURVIVED = {0}


def equivalent() -> dict[str, str]:
    """Mutant name -> why it cannot change behaviour, from equivalent.txt (`name  reason`, # comments)."""
    out = {}
    for line in (Path(__file__).parent / "equivalent.txt").read_text("utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            name, _, reason = line.partition(" ")
            out[name] = reason.strip()
    return out


def main(modules: list[str]) -> int:
    known = equivalent()
    problems = []
    print("| module | mutants | caught | equivalent | survived | not run | score |")
    print("| --- | --- | --- | --- | --- | --- | --- |")
    survivors = []
    for module in modules:
        meta = ROOT / "mutants" / "handouts" / f"{module}.py.meta"
        if not meta.exists():
            print(f"| {module}.py | (not run) | | | | | |")
            continue
        codes = json.loads(meta.read_text("utf-8"))["exit_code_by_key"]
        eq = [n for n in codes if n in known]
        caught = [n for n, c in codes.items() if c in CAUGHT and n not in known]
        problems += [f"{n}: listed as equivalent but caught; remove it from equivalent.txt" for n, c in codes.items()
                     if n in known and c in CAUGHT]
        lived = [n for n, c in codes.items() if c not in CAUGHT and c is not None and n not in known]
        unrun = [n for n, c in codes.items() if c is None and n not in known]
        survivors += lived
        scored = len(codes) - len(eq)
        score = f"{100 * len(caught) / scored:.1f} %" if scored else "-"
        print(f"| {module}.py | {len(codes)} | {len(caught)} | {len(eq)} | {len(lived)} | {len(unrun)} | {score} |")
        problems += [f"{n}: listed as equivalent but no longer exists; check the list" for n in known
                     if n.startswith(f"handouts.{module.replace('/', '.')}.") and n not in codes]
    if survivors:
        print("\nSurvivors (mutmut show NAME):")
        for name in survivors:
            print(f"  {name}")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or list(MODULES)))
