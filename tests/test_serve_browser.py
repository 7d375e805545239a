"""`handouts serve` in a real browser: Debian's chromium through Playwright, axe-core on every screen.

Needs /usr/bin/chromium, Playwright for Python (never `playwright install`) and axe-core (npm ci in tests/js),
as tests/test_html_browser.py does; skips without them.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browsing import AXE, CHROMIUM, browser, page, server  # noqa: F401 (fixtures)
from conftest import pdf_text
from serving import REPO, clinic_folder, start

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]

pytest.importorskip("uvicorn", reason="the serve dependencies are not installed: pip install -e .")
pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install \".[test]\"")
pytestmark = [
    pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no browser at {CHROMIUM}: apt-get install chromium"),
    pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `npm ci` in tests/js"),
]
PATIENT = "Zebulon Quimby"


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});
        return result.violations.map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
    }""", WCAG)


def overflow(page) -> int:
    return page.evaluate("""() => {
        const root = document.documentElement, width = root.clientWidth;
        const out = [...document.body.querySelectorAll('*')].filter(e => !e.closest('.table-wrap'))
            .map(e => e.getBoundingClientRect().right - width);
        return Math.max(root.scrollWidth - width, ...out.map(Math.ceil));
    }""")


def preview_text(page) -> str:
    return page.frame_locator("#preview").locator("body").inner_text()


def leaflet_ready(page, server) -> None:
    page.goto(server.url + "/")
    page.wait_for_function("document.body.classList.contains('live')")


def _refused(page, server):
    leaflet_ready(page, server)
    page.fill("#add_points", "SP6")
    with page.expect_navigation():
        page.press("#add_points", "Enter")  # Enter in a field sends the form (Preview): SP6 comes back ticked
    page.wait_for_function("document.body.classList.contains('live')")
    page.check("#flag-pregnant")
    page.wait_for_selector("#allow-SP6", timeout=10_000)


def _fill_front_desk(page, server, tmp_path):
    day = tmp_path / "monday.csv"
    day.write_text("condition,patient,date\nhip-pain,Zebulon Quimby,2026-12-01\nknee,Yorick Dunmore,2026-12-01\n")
    page.goto(server.url + "/frontdesk")
    page.set_input_files("#visits", str(day))
    page.get_by_role("button", name="Check every row").click()
    page.wait_for_selector("table")


def _brochure_proof(page, server, tmp_path):
    page.goto(server.url + "/brochures")
    page.select_option("#condition", "hip-pain")
    page.get_by_role("button", name="Show the proof").click()
    page.wait_for_selector(".proof img")


def _changed_file(page, server, tmp_path):
    folder = server.folder / "our-clinic" / "conditions"
    target = folder / "migraine.yaml"
    if not target.exists():
        page.goto(server.url + "/content/file?path=conditions/migraine.yaml")
        page.fill("#by", "Ana Ruiz, LAc")
        page.get_by_role("button", name="Approve this file as it is now").click()
        page.wait_for_selector("[role=status]")
        folder.mkdir(exist_ok=True)
        text = (REPO / "content" / "conditions" / "migraine.yaml").read_text("utf-8")
        target.write_text(text.replace("Migraine", "Migraine headaches", 1), "utf-8")
    page.goto(server.url + "/content/file?path=conditions/migraine.yaml")
    page.wait_for_selector(".diff ins")


SCREENS = {
    "leaflet": lambda page, server, tmp: leaflet_ready(page, server),
    "leaflet-refused": lambda page, server, tmp: _refused(page, server),
    "front-desk": lambda page, server, tmp: page.goto(server.url + "/frontdesk"),
    "front-desk-results": _fill_front_desk,
    "brochures": lambda page, server, tmp: page.goto(server.url + "/brochures"),
    "brochure-proof": _brochure_proof,
    "content": lambda page, server, tmp: page.goto(server.url + "/content"),
    "content-file": lambda page, server, tmp: page.goto(server.url + "/content/file?path=conditions/hip-pain.yaml"),
    "content-file-changed": _changed_file,
    "not-found": lambda page, server, tmp: page.goto(server.url + "/nowhere"),
    "settings": lambda page, server, tmp: page.goto(server.url + "/settings"),
    "settings-refused": lambda page, server, tmp: _settings_refused(page, server),
}


def _settings_refused(page, server):
    page.goto(server.url + "/settings")
    page.fill("#name", "")
    page.uncheck("#lang-zh")
    page.uncheck("#lang-es")
    page.uncheck("#lang-en")
    page.get_by_role("button", name="Save the settings").click()
    page.wait_for_selector("#err-name")


@pytest.mark.parametrize("width", [320, 1280], ids=["320px", "desktop"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_every_screen_has_no_axe_violations_and_no_sideways_scroll(page, server, tmp_path, screen, width):
    page.set_viewport_size({"width": width, "height": 900})
    SCREENS[screen](page, server, tmp_path)
    assert axe_violations(page) == []
    assert overflow(page) <= 0


def test_the_preview_follows_the_form(page, server):
    leaflet_ready(page, server)
    assert "Hip pain" in preview_text(page)
    page.fill("#patient", PATIENT)
    page.fill("#note", "Drink some water today.")
    page.wait_for_function("document.getElementById('preview').srcdoc.includes('Drink some water today.')", timeout=10_000)
    assert PATIENT in preview_text(page)
    page.select_option("#lang", "es")
    page.wait_for_function("document.getElementById('preview').srcdoc.includes('Dolor de cadera')", timeout=10_000)
    page.fill("#condition", "migraine")
    with page.expect_navigation():
        page.dispatch_event("#condition", "change")  # picking from the list: the form comes back with its points
    page.wait_for_selector("input[name=points_for][value=migraine]", state="attached")
    assert page.locator("input[name=points]:checked").count() >= 2
    assert PATIENT in preview_text(page) and page.input_value("#lang") == "es"


def test_pregnant_and_sp6_is_refused_beside_the_points_until_chosen_knowingly(page, server):
    leaflet_ready(page, server)
    page.fill("#add_points", "sanyinjiao")
    with page.expect_navigation():
        page.dispatch_event("#add_points", "change")  # a point added: the form comes back with its tick box
    page.wait_for_selector("#point-SP6:checked")
    page.wait_for_function("document.body.classList.contains('live')")
    page.check("#flag-pregnant")
    page.wait_for_selector("#allow-SP6", timeout=10_000)
    assert "SP6" in page.inner_text("#err-points") and "pregnancy" in page.inner_text("#err-points")
    assert page.inner_text("#preview-status").startswith("No preview")
    assert page.get_attribute("#preview", "srcdoc") == ""  # the sheet from before the flag is no longer shown
    assert page.get_attribute("fieldset[aria-describedby=err-points]", "aria-describedby") == "err-points"
    page.get_by_label("I chose SP6 knowingly").check()
    page.wait_for_function("document.getElementById('preview').srcdoc.includes('chose it on purpose')", timeout=10_000)
    assert page.inner_text("#err-points") == ""
    with page.expect_download() as done:
        page.get_by_role("button", name="Download PDF").click()
    text = " ".join(pdf_text(Path(done.value.path())))
    assert "SP6" in text and "chose it on purpose" in " ".join(text.split())


def test_pacemaker_and_electroacupuncture_is_refused_without_an_override(page, server):
    leaflet_ready(page, server)
    page.check("#flag-pacemaker")
    page.check("#technique-electroacupuncture")  # a technique has its own tick box; its refusal shows beside it
    page.wait_for_function("document.getElementById('err-techniques').innerText.includes('pacemaker')", timeout=10_000)
    assert "Nothing overrides" in page.inner_text("#err-techniques") and page.locator("#cautions input").count() == 0
    assert page.locator("#technique-cautions input").count() == 0


def test_the_preview_button_works_without_javascript(browser, server):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(server.url + "/")
    page.fill("#patient", PATIENT)
    page.fill("#note", "Rest your hip tonight.")
    page.click("#preview-button")
    page.wait_for_load_state()
    assert "Rest your hip tonight." in page.frame_locator("#preview").locator("body").inner_text()
    context.close()


def test_the_leaflet_screen_by_keyboard_alone(page, server):
    leaflet_ready(page, server)
    selector = "#leaflet-form input:not([type=hidden]), #leaflet-form select, #leaflet-form textarea, #leaflet-form button"
    controls = page.evaluate("(s) => [...document.querySelectorAll(s)].map(e => e.id || (e.name + ':' + e.value))", selector)
    reached, outline = [], []
    for _ in range(len(controls) + 12):
        page.keyboard.press("Tab")
        active = page.evaluate("""() => { const e = document.activeElement;
            return [e.id || (e.name + ':' + e.value), getComputedStyle(e).outlineStyle]; }""")
        reached.append(active[0])
        if active[0] in controls:
            outline.append((active[0], active[1]))
    assert set(controls) <= set(reached), set(controls) - set(reached)
    assert all(style != "none" for _, style in outline), outline  # every control shows where the focus is
    assert reached.index("patient") < reached.index("condition") < reached.index("note")  # reading order
    # type a visit, tick a flag with Space, download with Enter: no mouse anywhere
    page.focus("#patient")
    page.keyboard.type(PATIENT)
    page.focus("#flag-diabetes")
    page.keyboard.press("Space")
    assert page.is_checked("#flag-diabetes")
    page.wait_for_function(f"document.getElementById('preview').srcdoc.includes('{PATIENT}')", timeout=10_000)
    page.focus("button[value=pdf]")
    with page.expect_download() as done:
        page.keyboard.press("Enter")
    assert PATIENT in " ".join(pdf_text(Path(done.value.path())))


def test_front_desk_shows_the_bad_row_in_the_browser(page, server, tmp_path):
    _fill_front_desk(page, server, tmp_path)
    rows = page.locator("tbody tr")
    assert rows.count() == 2
    assert "made" in rows.nth(0).inner_text() and "not made (condition)" in rows.nth(1).inner_text()
    assert "knee" in rows.nth(1).inner_text()


def test_the_login_page_has_no_axe_violations_and_logs_in(page, tmp_path):
    from handouts.serve.security import write_passphrase

    folder = clinic_folder(tmp_path)
    write_passphrase(folder, "green kettle river")
    running = start(tmp_path, "--content", str(folder))
    try:
        for width in (320, 1280):
            page.set_viewport_size({"width": width, "height": 900})
            page.goto(running.url + "/")
            assert page.url.endswith("/login")
            assert axe_violations(page) == [] and overflow(page) <= 0
        page.fill("#passphrase", "not the one at all")
        page.press("#passphrase", "Enter")
        page.wait_for_selector("#login-error")
        assert axe_violations(page) == []
        page.fill("#passphrase", "green kettle river")
        page.press("#passphrase", "Enter")
        page.wait_for_selector("#leaflet-form")
        assert page.get_by_role("button", name="Log out").is_visible()
    finally:
        running.stop()


def test_the_clinic_settings_by_keyboard_alone_then_every_sheet_uses_them(page, server):
    profile = server.folder / "our-clinic" / "clinic.yaml"
    before = profile.read_text("utf-8")
    try:
        page.goto(server.url + "/settings")
        fields = ["name", "phone", "address", "booking_url", "practitioners", "lang-en", "lang-es", "lang-zh", "page_size"]
        reached = []
        for _ in range(40):
            page.keyboard.press("Tab")
            reached.append(page.evaluate("() => document.activeElement.id || document.activeElement.textContent"))
            if reached[-1] == "save":
                break
        assert [r for r in reached if r in fields] == fields  # every field, in reading order, then the button
        page.focus("#name")
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        page.focus("#save")
        page.keyboard.press("Enter")  # an empty name: refused beside the field, by the schema's words
        page.wait_for_selector("#err-name")
        assert page.inner_text("#err-name").endswith("String should have at least 1 character")
        assert page.get_attribute("#name", "aria-invalid") == "true" and profile.read_text("utf-8") == before
        page.fill("#name", "Harbor Light Acupuncture")
        page.fill("#practitioners", "Mei Chen, L.Ac.\nAna Ruiz, LAc")
        page.focus("#save")
        page.keyboard.press("Enter")
        page.wait_for_selector("[role=status]")
        assert "Saved in" in page.inner_text("[role=status]")
        assert axe_violations(page) == []
        leaflet_ready(page, server)
        page.wait_for_function("document.getElementById('preview').srcdoc.includes('Harbor Light Acupuncture')",
                               timeout=10_000)
        assert "Harbor Light Acupuncture" in preview_text(page)
        assert page.locator("#team option[value='Mei Chen, L.Ac.']").count() == 1
    finally:
        profile.write_text(before, "utf-8")


def test_brochure_cover_theme_is_chosen_with_the_keyboard(page, server):
    """The Brochures screen offers --theme's covers under a label, reached with Tab from the language; the usual
    cover (as without --theme) is the first choice; the PDF made has the chosen cover (type: a 34 pt title)."""
    import pdfplumber

    page.goto(server.url + "/brochures")
    theme = page.get_by_label("Cover")
    assert theme.evaluate("e => e.id") == "theme"
    values = theme.locator("option").evaluate_all("os => os.map(o => o.value)")
    assert values == ["", "photo", "illustration", "type"] and theme.input_value() == ""
    page.focus("#lang")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "theme"
    sizes = {}
    for choice in ("type", "illustration"):
        page.goto(server.url + "/brochures")
        page.focus("#lang")
        page.keyboard.press("Tab")
        page.select_option("#theme", choice)
        with page.expect_download() as done:
            page.get_by_role("button", name="Download PDF").click()
        with pdfplumber.open(done.value.path()) as doc:
            sizes[choice] = max(round(c["size"]) for c in doc.pages[0].chars)
        assert page.locator("#theme").input_value() == choice
    assert sizes == {"type": 34, "illustration": 26}


def test_approve_everything_the_clinic_brochure_uses_in_the_browser(page, server):
    page.goto(server.url + "/content")
    page.select_option("#brochure", "clinic")
    page.fill("#brochure-by", "Ana Ruiz, LAc")
    page.get_by_role("button", name="Approve everything this brochure uses").click()
    page.wait_for_selector("[role=status]")
    status = page.inner_text("[role=status]")
    assert "everything the clinic brochure uses" in status and "brochures/clinic.yaml" in status
    row = page.locator("tr", has=page.locator("a", has_text="brochures/clinic.yaml"))
    assert row.locator("td.status-approved").inner_text().startswith("approved by Ana Ruiz, LAc")
    assert axe_violations(page) == []
