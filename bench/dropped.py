"""Which optional blocks each default leaflet leaves out to fit its two pages (condition x language).

    python bench/dropped.py            # one line per sheet, then the total
"""

from __future__ import annotations

import sys

from handouts import compose, load_library, make_visit
from handouts.model import LANGS, Heading
from handouts.render.pdf.leaflet import RenderOptions, fit_leaflet


def _label(section, block) -> str:
    kind = type(block).__name__
    text = getattr(block, "text", "") or ""
    return f"{section.id}:{kind}" + (f"({text[:18]!r})" if text else "")


def dropped(condition: str, lang: str, library) -> list[str]:
    visit = make_visit({"condition": condition, "lang": lang, "patient": "Jane Doe", "date": "2026-12-01"})
    full = compose(library, visit)
    printed, _ = fit_leaflet(full, RenderOptions())
    kept = {s.id: list(s.blocks) for s in printed.sections}
    out = []
    for s in full.sections:
        left = list(kept.get(s.id, []))
        for block in s.blocks:
            if block in left:
                left.remove(block)
            elif not isinstance(block, Heading):
                out.append(_label(s, block))
    return out


def main() -> int:
    library = load_library()
    total = sheets = 0
    for condition in sorted(library.conditions):
        for lang in LANGS:
            gone = dropped(condition, lang, library)
            total += len(gone)
            sheets += bool(gone)
            print(f"{condition:24} {lang}  {len(gone)}  {', '.join(gone)}")
    print(f"TOTAL blocks dropped: {total} on {sheets} of {len(library.conditions) * len(LANGS)} sheets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
