"""Every condition with every technique, in en/es/zh on Letter and A4: each default sheet must be two pages.

    python tools/technique_sweep.py      (prints the count and any sheet that is not two pages or fails)
"""

import io
import sys

from pypdf import PdfReader

from handouts import build_leaflet, load_library
from handouts.errors import SafetyError


def main() -> int:
    library = load_library()
    made, bad = 0, []
    for cid in sorted(library.conditions):
        for technique in sorted(library.techniques):
            for lang in ("en", "es", "zh"):
                for size in ("letter", "a4"):
                    fields = {"condition": cid, "techniques": [technique], "lang": lang, "page_size": size}
                    try:
                        leaflet = build_leaflet(fields)
                    except SafetyError:
                        continue  # a rule refuses this technique for this sheet (a pregnancy sheet and moxibustion, say)
                    except Exception as exc:  # noqa: BLE001 (a sweep reports, it does not stop)
                        bad.append((cid, technique, lang, size, f"{type(exc).__name__}: {exc}"[:160]))
                        continue
                    made += 1
                    pages = len(PdfReader(io.BytesIO(leaflet.data)).pages)
                    if pages != 2:
                        bad.append((cid, technique, lang, size, f"{pages} pages"))
    print(f"{made} sheets; {len(bad)} not two pages or failed")
    for row in bad:
        print(*row)
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
