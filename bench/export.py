"""The benchmark's shared input: one composed handout as plain JSON, for the peers (platypus, Typst).

    python bench/export.py hip-pain en > hip-pain-en.json

The peers set the same words, table rows, map dots and QR modules as this project prints; only the
typesetting differs. The export is made once per benchmark run, before anything is timed.
"""

from __future__ import annotations

import dataclasses
import json
import sys
from typing import Any

VISIT = {"patient": "Jane Doe", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01"}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value):
        out = {"type": type(value).__name__}
        for f in dataclasses.fields(value):
            if f.name == "logo":
                continue
            out[f.name] = _plain(getattr(value, f.name))
        return out
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return None
    return value


_LIBRARY: list = []  # the content library, read once per process (a day's export composes hundreds of visits)


def handout_json(condition: str = "hip-pain", lang: str = "en", patient: str = "Jane Doe", visit: dict | None = None) -> dict:
    """The composed handout, the body-map outline and every QR code's modules, as JSON-ready data
    (`visit`: a whole visit's fields instead, as a row of a visits file has them)."""
    from reportlab.graphics.barcode.qr import QrCodeWidget

    from handouts import compose, load_library, make_visit
    from handouts.design.map_figures import FIGURES

    def qr_modules(url: str) -> list:  # the same encoding as the leaflet's (level M)
        widget = QrCodeWidget(url, barLevel="M")
        widget.qr.make()
        return widget.qr.modules

    fields = visit if visit is not None else {**VISIT, "patient": patient, "condition": condition, "lang": lang}
    if not _LIBRARY:
        _LIBRARY.append(load_library())
    handout = compose(_LIBRARY[0], make_visit(fields))
    data = _plain(handout)
    front = FIGURES["front"]  # the peers draw the whole front and back figures (straight segments), not the insets
    data["figure"] = {"width": front.width, "height": front.height,
                      "outline": [list(p) for p in front.shapes[0].sides[0].points],
                      "details": {view: [[list(p) for p in side.points] for side in FIGURES[view].details]
                                  for view in FIGURES}}
    for section in data["sections"]:
        for block in section["blocks"]:
            if block["type"] == "BookingCode":
                block["modules"] = ["".join("1" if v else "0" for v in row) for row in qr_modules(block["url"])]
                block["quiet"] = 4  # modules of quiet zone, as the QR standard asks
    return data


def main() -> None:
    condition = sys.argv[1] if len(sys.argv) > 1 else "hip-pain"
    lang = sys.argv[2] if len(sys.argv) > 2 else "en"
    json.dump(handout_json(condition, lang), sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main()
