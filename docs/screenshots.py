"""Screenshots of the HTML leaflet for the README, taken with Debian's chromium: python docs/screenshots.py [OUT_DIR]."""

from __future__ import annotations

import sys
from pathlib import Path

from handouts import Output, build_leaflet

CHROMIUM = "/usr/bin/chromium"
VISIT = {"condition": "hip-pain", "patient": "Jane Doe", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01",
         "note": "Drink some water today."}
SHOTS = [  # (file, lang, window width, colour scheme, what: the window's top, or one section of the page)
    ("html-phone-en.png", "en", 375, "light", None),
    ("html-phone-en-points.png", "en", 375, "light", "#points"),
    ("html-phone-zh-dark.png", "zh", 375, "dark", None),
    ("html-phone-zh-dark-points.png", "zh", 375, "dark", "#points"),
    ("html-desktop-en.png", "en", 1100, "light", "#points"),
    ("html-desktop-es-dark.png", "es", 1100, "dark", None),
    ("html-phone-320-en-plan.png", "en", 320, "light", "#plan"),
]


def main(out_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM)
        for name, lang, width, scheme, what in SHOTS:
            page = browser.new_page(viewport={"width": width, "height": 812 if width < 500 else 900}, color_scheme=scheme)
            html = build_leaflet({**VISIT, "lang": lang}, output=Output("html")).data.decode("utf-8")
            page.set_content(html)
            shot = page.locator(what) if what else page
            shot.screenshot(path=str(out_dir / name))
            page.close()
        browser.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parent)
