"""The leaflet screen's techniques (issue 21): tick boxes for techniques.yaml, named in the clinic's language, passed to
the same code as `--technique`, with a rule's refusal beside them and the same "chose it knowingly" tick as a point's
caution. Over plain HTTP against a real `handouts serve`; the browser half is in test_serve_browser.py's style below."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from browsing import AXE, CHROMIUM, browser, page, server  # noqa: F401 (fixtures)
from conftest import pdf_text
from serving import clinic_folder, start

pytest.importorskip("uvicorn", reason="the serve dependencies are not installed: pip install -e .")

PATIENT = "Zebulon Quimby"
VISIT = {"condition": "neck-pain", "points_for": "neck-pain", "points": ["GB20", "LI4"], "patient": PATIENT,
         "date": "2026-12-01", "lang": "en", "page_size": "letter"}
TECHNIQUES = ["cupping", "moxibustion", "electroacupuncture", "gua-sha", "ear-seeds"]


def test_the_form_has_a_tick_box_per_technique_and_none_among_the_patients_flags(server):
    client = server.client()
    page = client.get("/").text
    assert re.findall(r'name="techniques" value="([\w-]+)"', page) == TECHNIQUES
    for name, label in (("cupping", "Cupping"), ("ear-seeds", "Ear seeds"), ("gua-sha", "Gua sha")):
        assert re.search(rf'<label for="technique-{name}">{label}</label>', page), name
    flags = re.findall(r'name="flags" value="([\w-]+)"', page)
    assert "pregnant" in flags and not set(flags) & set(TECHNIQUES)


def test_the_techniques_are_named_in_the_clinics_language(tmp_path):
    folder = clinic_folder(tmp_path)
    clinic = folder / "clinic.yaml"
    text = clinic.read_text("utf-8")
    clinic.write_text(re.sub(r"(?m)^languages:.*$", "", text) + "\nlanguages: [es, en]\n", "utf-8")
    running = start(tmp_path, "--content", str(folder))
    try:
        page = running.client().get("/").text
    finally:
        assert running.stop() == 0
    assert '<label for="technique-cupping">Ventosas</label>' in page
    assert '<label for="technique-ear-seeds">Semillas en la oreja</label>' in page


def test_ticked_techniques_print_on_the_sheet_as_with_the_option(server):
    client = server.client()
    reply = client.post("/leaflet/file", {**VISIT, "csrf": client.token(), "techniques": ["cupping", "moxibustion"],
                                          "action": "pdf"})
    assert reply.status == 200 and reply.body.startswith(b"%PDF")
    text = " ".join(" ".join(pdf_text(reply.body)).split())
    assert "Today we put cups on your skin." in text and "Today we warmed a dried herb" in text
    plain = client.post("/leaflet/file", {**VISIT, "csrf": client.token(), "action": "pdf"})
    assert "cups on your skin" not in " ".join(" ".join(pdf_text(plain.body)).split())


def test_cupping_with_a_blood_thinner_is_refused_beside_the_techniques_until_chosen_knowingly(server):
    client = server.client()
    token = client.token()
    data = {**VISIT, "csrf": token, "techniques": ["cupping"], "flags": ["anticoagulants"]}
    refused = client.post("/", data)
    assert refused.status == 400
    assert any(e.startswith("Not printed: cupping raises marks") and "tick the box below" in e for e in refused.errors())
    techniques = refused.text.split("<legend>Techniques beside needles today</legend>", 1)[1].split("</fieldset>", 1)[0]
    assert 'id="err-techniques-text"' in techniques  # beside the field, not beside the points or flags
    assert re.search(r'<input type="checkbox" id="allow-cupping" name="allow_caution" value="cupping">\s*'
                     r'<label for="allow-cupping">I chose Cupping knowingly</label>', techniques)
    assert not client.post("/leaflet/file", {**data, "action": "pdf"}).body.startswith(b"%PDF")
    pdf = client.post("/leaflet/file", {**data, "allow_caution": "cupping", "action": "pdf"})
    assert pdf.status == 200 and pdf.body.startswith(b"%PDF")
    text = " ".join(" ".join(pdf_text(pdf.body)).split())
    assert "Your practitioner chose cupping knowing you take a blood thinner" in text
    # the preview says the same, and a knowing tick left over once the flag is untaken is simply dropped
    answer = client.post("/leaflet/preview", data).json()
    assert answer["preview"] is None and "cupping raises marks" in answer["errors"]["techniques"]
    assert 'value="cupping"' in answer["technique_cautions"] and answer["cautions"].strip() == ""
    calm = client.post("/leaflet/preview", {**VISIT, "csrf": token, "techniques": ["cupping"], "allow_caution": "cupping"}).json()
    assert calm["preview"] is not None and all(html == "" for html in calm["errors"].values())


def test_an_unknown_technique_is_named_beside_the_field(server):
    client = server.client()
    reply = client.post("/", {**VISIT, "csrf": client.token(), "techniques": ["cuping"]})
    assert reply.status == 400
    assert any("unknown technique 'cuping'" in e and "cupping" in e for e in reply.errors())
    assert 'id="err-techniques-text"' in reply.text


# ---- in the real browser -----------------------------------------------------------------------------------------

browser_only = pytest.mark.skipif(not CHROMIUM.exists(), reason=f"no browser at {CHROMIUM}: apt-get install chromium")


def _ready(page, server):
    page.goto(server.url + "/")
    page.wait_for_function("document.body.classList.contains('live')")


@browser_only
def test_cupping_by_keyboard_refused_then_chosen_knowingly_in_the_browser(page, server):
    _ready(page, server)
    page.focus("#flag-anticoagulants")
    page.keyboard.press("Space")
    for _ in range(12):  # Tab on from the flags reaches the techniques' tick boxes
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.id") == "technique-cupping":
            break
    assert page.evaluate("document.activeElement.id") == "technique-cupping"
    page.keyboard.press("Space")
    page.wait_for_function("document.getElementById('err-techniques').innerText.includes('cupping')", timeout=10_000)
    assert "blood thinner" in page.inner_text("#err-techniques")
    assert page.get_attribute("#preview", "srcdoc") == "" and page.locator("#cautions input").count() == 0
    page.get_by_label("I chose Cupping knowingly").focus()
    page.keyboard.press("Space")
    page.wait_for_function("document.getElementById('preview').srcdoc.includes('chose cupping knowing')", timeout=10_000)
    assert page.inner_text("#err-techniques") == ""
    with page.expect_download() as done:
        page.get_by_role("button", name="Download PDF").click()
    text = " ".join(" ".join(pdf_text(Path(done.value.path()))).split())
    assert "Today we put cups on your skin." in text and "chose cupping knowing you take a blood thinner" in text


@browser_only
@pytest.mark.skipif(not AXE.exists(), reason="axe-core is not installed: run `npm ci` in tests/js")
def test_the_refused_technique_screen_has_no_axe_violations(page, server):
    _ready(page, server)
    page.check("#flag-anticoagulants")
    page.check("#technique-cupping")
    page.wait_for_selector("#allow-cupping", timeout=10_000)
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate("""async () => {
        const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
        return r.violations.map(v => v.id); }""")
    assert violations == []
