"""A long-running render process for the warm figures: `python bench/worker.py PEER DATA_DIR`.

Reads a language code per line on stdin, makes that leaflet in memory, and answers one line:
milliseconds and bytes. PEER is handouts, platypus or typst; DATA_DIR holds hip-pain-<lang>.json
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

        return lambda lang: build_leaflet({**VISIT, "condition": "hip-pain", "lang": lang}).pdf
    data = {}

    def load(lang):
        if lang not in data:
            data[lang] = json.loads((data_dir / f"hip-pain-{lang}.json").read_text("utf-8"))
        return data[lang]

    if peer == "platypus":
        import baseline

        baseline.register_fonts()

        def make(lang):
            out = io.BytesIO()
            baseline.build(load(lang), out)
            return out.getvalue()

        return make
    if peer == "typst":
        import typst_peer

        comp = typst_peer.compiler()
        return lambda lang: typst_peer.build(comp, load(lang))
    raise SystemExit(f"unknown peer {peer!r}")


def main() -> None:
    make = maker(sys.argv[1], Path(sys.argv[2]))
    print("ready", flush=True)
    for line in sys.stdin:
        lang = line.strip()
        if not lang:
            break
        start = time.perf_counter()
        pdf = make(lang)
        took = (time.perf_counter() - start) * 1000
        print(f"{took:.3f} {len(pdf)}", flush=True)


if __name__ == "__main__":
    main()
