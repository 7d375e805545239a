"""A long-running render process for the warm figures: `python bench/worker.py PEER DATA_DIR`.

Reads "LANG N" per line on stdin, makes that leaflet in memory for patient "Patient N" (a new name
each time, as between patients: no peer can answer from a cache of the whole page), and answers one
line: milliseconds and bytes. PEER is handouts, platypus or typst; DATA_DIR holds hip-pain-<lang>.json
(bench/export.py) for the peers. The parent drives the three workers in turn (A B C A B C ...).
"""

from __future__ import annotations

import io
import json
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))


def maker(peer: str, data_dir: Path):
    if peer == "handouts":
        from export import VISIT

        from handouts import build_leaflet

        return lambda lang, patient: build_leaflet({**VISIT, "condition": "hip-pain", "lang": lang, "patient": patient}).pdf
    data = {}

    def load(lang):
        if lang not in data:
            data[lang] = json.loads((data_dir / f"hip-pain-{lang}.json").read_text("utf-8"))
        return data[lang]

    if peer == "platypus":
        import baseline

        baseline.register_fonts()

        def make(lang, patient):
            out = io.BytesIO()
            baseline.build(baseline.personalise(load(lang), patient), out)
            return out.getvalue()

        return make
    if peer == "typst":
        import typst_peer

        comp = typst_peer.compiler()
        return lambda lang, patient: typst_peer.build(comp, load(lang), patient)
    raise SystemExit(f"unknown peer {peer!r}")


def main() -> None:
    make = maker(sys.argv[1], Path(sys.argv[2]))
    print("ready", flush=True)
    for line in sys.stdin:
        if not line.strip():
            break
        lang, n = line.split()
        start = time.perf_counter()
        pdf = make(lang, f"Patient {int(n):05d}")
        took = (time.perf_counter() - start) * 1000
        print(f"{took:.3f} {len(pdf)}", flush=True)


if __name__ == "__main__":
    main()
