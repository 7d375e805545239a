"""Screenshots of `handouts serve` for the README, taken with Debian's chromium: python docs/serve_screenshots.py [OUT_DIR].

Starts the screen on a free port with a throwaway clinic folder, fills each screen as a user would, and saves
docs/serve-*.png. No real patient: the names are made up.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))

from serving import clinic_folder, start  # noqa: E402

CHROMIUM = "/usr/bin/chromium"


def main(out_dir: Path) -> None:
    from playwright.sync_api import sync_playwright

    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = start(folder, "--content", str(clinic_folder(folder)))
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM)
                # bypass_csp: Playwright's waiting functions are evaluated strings, which the screen's CSP forbids
                context = browser.new_context(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
                page = context.new_page()
                page.goto(server.url + "/")
                page.wait_for_function("document.body.classList.contains('live')")
                page.fill("#patient", "Jane Doe")
                page.fill("#practitioner", "John Roe, L.Ac.")
                page.fill("#add_points", "SP6")
                with page.expect_navigation():
                    page.press("#add_points", "Enter")
                page.wait_for_function("document.body.classList.contains('live')")
                page.check("#flag-pregnant")
                page.wait_for_selector("#allow-SP6")
                page.wait_for_timeout(300)
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(out_dir / "serve-leaflet-refused.png"))
                page.check("#allow-SP6")
                page.fill("#note", "Drink some water today.")
                page.wait_for_function("document.getElementById('preview').srcdoc.includes('Drink some water')")
                page.wait_for_timeout(300)
                page.locator("#patient").focus()
                page.evaluate("window.scrollTo(0, 0)")
                page.screenshot(path=str(out_dir / "serve-leaflet.png"))

                day = folder / "monday.csv"
                day.write_text("condition,patient,date,points,flags\nhip-pain,Jane Doe,2026-12-01,\"GB30,GB29\",\n"
                               "migraine,Ann Lee,2026-12-01,,\nhip-pain,Bo Park,2026-12-01,SP6,pregnant\n"
                               "knee,Cy Dee,2026-12-01,,\n")
                page.goto(server.url + "/frontdesk")
                page.set_input_files("#visits", str(day))
                page.get_by_role("button", name="Check every row").click()
                page.wait_for_selector("table")
                page.screenshot(path=str(out_dir / "serve-front-desk.png"))

                page.goto(server.url + "/brochures")
                page.select_option("#condition", "hip-pain")
                page.fill("#bleed", "0.125in")
                page.get_by_role("button", name="Show the proof").click()
                page.wait_for_selector(".proof img")
                page.screenshot(path=str(out_dir / "serve-brochures.png"), full_page=True)

                page.goto(server.url + "/content/file?path=conditions/hip-pain.yaml")
                page.screenshot(path=str(out_dir / "serve-content-file.png"))
                page.goto(server.url + "/content")
                page.select_option("#sheet", "hip-pain")
                page.fill("#by", "Ana Ruiz, LAc")
                page.get_by_role("button", name="Approve everything this sheet uses").click()
                page.wait_for_selector("[role=status]")
                page.screenshot(path=str(out_dir / "serve-content.png"))
                page.select_option("#brochure", "clinic")
                page.fill("#brochure-by", "Ana Ruiz, LAc")
                page.get_by_role("button", name="Approve everything this brochure uses").click()
                page.wait_for_selector("[role=status]")
                page.screenshot(path=str(out_dir / "serve-content-brochure.png"))
                edited = folder / "our-clinic" / "conditions"
                edited.mkdir()
                text = (HERE.parent / "content" / "conditions" / "hip-pain.yaml").read_text("utf-8")
                (edited / "hip-pain.yaml").write_text(text.replace("Hip pain", "Hip pain and stiffness", 1), "utf-8")
                page.goto(server.url + "/content/file?path=conditions/hip-pain.yaml")
                page.screenshot(path=str(out_dir / "serve-content-changed.png"))

                page.goto(server.url + "/settings")
                page.fill("#practitioners", "John Roe, L.Ac.\nAna Ruiz, LAc\nMei Chen, L.Ac.")
                page.get_by_role("button", name="Save the settings").click()
                page.wait_for_selector("[role=status]")
                page.screenshot(path=str(out_dir / "serve-settings.png"), full_page=True)

                phone = browser.new_page(viewport={"width": 375, "height": 812})
                phone.goto(server.url + "/")
                phone.screenshot(path=str(out_dir / "serve-leaflet-phone.png"))
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else HERE)
