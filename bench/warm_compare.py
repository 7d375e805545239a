"""Warm leaflet renders of one checkout, ms per leaflet, a new patient name each time (as between patients).

    python bench/warm_compare.py REPO [N]       e.g. a `git worktree add /tmp/old <commit>` beside this one

Run it once per checkout (each in its own process) to compare two versions on the same machine; it imports
`handouts` from REPO and prints the median and minimum per language, after one untimed render of each.
"""

from __future__ import annotations

import statistics
import sys
import time

repo = sys.argv[1]
n = int(sys.argv[2]) if len(sys.argv) > 2 else 15
sys.path.insert(0, repo)
import handouts  # noqa: E402

if not handouts.__file__.startswith(repo):
    sys.exit(f"imported handouts from {handouts.__file__}, not from {repo}")
out = {}
for lang in ("en", "es", "zh"):
    fields = {"condition": "hip-pain", "lang": lang, "patient": "Jane Doe", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01"}
    handouts.make_leaflet(fields)  # first render: fonts, caches
    took = []
    for i in range(n):
        fields["patient"] = f"Patient {i:03d}"
        start = time.perf_counter()
        handouts.make_leaflet(fields)
        took.append(1000 * (time.perf_counter() - start))
    out[lang] = (statistics.median(took), min(took))
print(repo, "  ".join(f"{lang}: median {m:.1f} ms, min {lo:.1f} ms" for lang, (m, lo) in out.items()))
