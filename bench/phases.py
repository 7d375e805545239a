"""Where a cold `handouts leaflet` spends its CPU: imports, library, fonts, compose, layouts.

    python bench/phases.py [CONDITION [LANG]]

One fresh process: the CPU time (time.process_time) of the imports, then of a first and a second leaflet, with
the time inside a few functions added up (a function's callees count in its own line). Unset
PYTHONDONTWRITEBYTECODE first if your shell sets it, or every run compiles the sources.
"""

from __future__ import annotations

import importlib
import sys
import time

CPU = time.process_time
start = CPU()
import handouts.deliver.leaflet  # noqa: E402,F401
import handouts.render.pdf.leaflet  # noqa: E402,F401

imported = CPU()
spent: dict[str, float] = {}
WATCH = [("handouts.library.cache", "library"), ("handouts.design.fonts", "register"), ("handouts.deliver.leaflet", "compose"),
         ("handouts.render.pdf.leaflet", "_layout"), ("handouts.render.pdf.blocks", "_widest_shortest"),
         ("handouts.render.pdf.bodymap", "BodyMapFlowable.draw")]


def watch(module: str, name: str) -> None:
    owner = importlib.import_module(module)
    *path, attr = name.split(".")
    for part in path:
        owner = getattr(owner, part)
    real, depth = getattr(owner, attr), [0]

    def timed(*args, **kwargs):
        if depth[0]:
            return real(*args, **kwargs)
        depth[0] += 1
        began = CPU()
        try:
            return real(*args, **kwargs)
        finally:
            depth[0] -= 1
            spent[name] = spent.get(name, 0.0) + CPU() - began

    setattr(owner, attr, timed)


for module, name in WATCH:
    watch(module, name)
fields = {"condition": sys.argv[1] if len(sys.argv) > 1 else "hip-pain", "lang": sys.argv[2] if len(sys.argv) > 2 else "en",
          "patient": "Jane Doe", "date": "2026-12-01"}
print(f"imports {1000 * (imported - start):.0f} ms")
for label, patient in (("first leaflet", "Jane Doe"), ("second leaflet (another name)", "Ann Lee")):
    spent.clear()
    began = CPU()
    handouts.build_leaflet({**fields, "patient": patient})
    print(f"{label}: {1000 * (CPU() - began):.0f} ms")
    for name, seconds in spent.items():
        print(f"  {name:24s} {1000 * seconds:6.0f} ms")
