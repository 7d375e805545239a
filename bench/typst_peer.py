"""The benchmark's Typst peer: bench/handout.typ through Typst's Python binding (PyPI `typst`).

    python bench/typst_peer.py handout.json -o out.pdf [--repeat N] [--batch N --out-dir DIR]
    python bench/typst_peer.py --day day.jsonl --out-dir DIR     # the mixed day (bench/mixed.py --export)

Same interface as bench/baseline.py. One compiler is kept for the process (Typst caches fonts and
layout between compiles, as its CLI's watch mode does); each leaflet is one compile.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONTS = HERE.parent / "fonts"


def compiler():
    import typst

    return typst.Compiler(str(HERE / "handout.typ"), root=str(HERE), font_paths=[str(FONTS)], ignore_system_fonts=True)


_TEXT: dict[int, str] = {}


def build(comp, data: dict, patient: str | None = None, **extra: str) -> bytes:
    """One compile. The handout goes in unchanged and the patient's name as an input of its own, so
    Typst's memoised layout can reuse everything the name does not touch (Typst at its best)."""
    text = _TEXT.get(id(data))
    if text is None:
        text = _TEXT[id(data)] = json.dumps(data, ensure_ascii=False)
    inputs = {"data": text, **({"patient": patient} if patient is not None else {}), **extra}
    return comp.compile(sys_inputs=inputs, format="pdf", pdf_tags=False)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("handout", type=Path, nargs="?")
    parser.add_argument("-o", "--output", type=Path)
    parser.add_argument("--repeat", type=int, default=0)
    parser.add_argument("--batch", type=int, default=0)
    parser.add_argument("--out-dir", type=Path)
    parser.add_argument("--day", type=Path, help="a mixed day's handouts, one JSON line each (bench/mixed.py --export)")
    args = parser.parse_args()
    comp = compiler()
    if args.day:
        args.out_dir.mkdir(parents=True, exist_ok=True)
        with args.day.open(encoding="utf-8") as lines:  # one visit at a time, as a front desk's loop would
            for i, line in enumerate(lines):
                visit = json.loads(line)
                pdf = build(comp, visit["data"], visit["patient"], paper=visit["paper"], scale=str(visit["scale"]))
                (args.out_dir / f"{i:05d}.pdf").write_bytes(pdf)
                _TEXT.clear()  # each visit's handout is its own
        return
    data = json.loads(args.handout.read_text("utf-8"))
    if args.output:
        args.output.write_bytes(build(comp, data))
    for _ in range(args.repeat):
        start = time.perf_counter()
        build(comp, data)
        print(f"{(time.perf_counter() - start) * 1000:.3f}")
    if args.batch:
        args.out_dir.mkdir(parents=True, exist_ok=True)
        for i in range(args.batch):
            (args.out_dir / f"{i:05d}.pdf").write_bytes(build(comp, data, f"Patient {i:05d}"))


if __name__ == "__main__":
    main()
