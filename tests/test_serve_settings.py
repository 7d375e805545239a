"""The screen's Clinic settings page over plain HTTP: the profile `handouts init` wrote, edited and checked as the
command line checks it, written atomically, refused from another site."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
import yaml

from serving import REPO, start

pytest.importorskip("uvicorn", reason="the serve dependencies are not installed: pip install -e .")

FORM = {"name": "Harbor Light Acupuncture & Herbs", "phone": "(207) 555-0199",
        "address": "12 Wharf Street\r\nSuite 2\r\nPortland, ME 04101", "booking_url": "https://harborlight.example/visit",
        "practitioners": "Mei Chen, L.Ac.\nAna Ruiz, LAc", "languages": ["en", "es"], "page_size": "a4"}


def init(folder):
    done = subprocess.run(
        [sys.executable, "-m", "handouts", "init", str(folder), "--name", "Harbor Light Acupuncture", "--phone",
         "(207) 555-0142", "--address", "12 Wharf Street", "--address", "Portland, ME 04101", "--colour", "#1F4E9A",
         "--logo", "", "--practitioner", "Mei Chen, L.Ac.", "--languages", "en", "--offers", "all", "--booking-url",
         "https://harborlight.example/book", "--emergency-number", "911", "--crisis-line", "988"],
        capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0, done.stderr
    return folder / "clinic.yaml"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-settings")
    init(tmp / "harbor")
    running = start(tmp, "--content", str(tmp / "harbor"))
    yield running
    assert running.stop() == 0
    assert "Traceback" not in running.log_text()


@pytest.fixture
def profile(server):
    """clinic.yaml as `handouts init` wrote it, again before each test."""
    path = server.folder / "harbor" / "clinic.yaml"
    init(server.folder / "fresh")
    path.write_bytes((server.folder / "fresh" / "clinic.yaml").read_bytes())
    yield path
    import shutil

    shutil.rmtree(server.folder / "fresh")


def field(page: str, name: str) -> str:
    found = re.search(rf'<(?:input|textarea) id="{name}"[^>]*?(?:value="([^"]*)"[^>]*>|>([^<]*)</textarea>)', page)
    import html

    return html.unescape(found.group(1) if found.group(1) is not None else found.group(2))


def test_the_page_shows_the_profile_and_links_from_every_screen(server, profile):
    client = server.client()
    page = client.get("/settings")
    assert page.status == 200 and "<h1>Clinic settings</h1>" in page.text
    assert field(page.text, "name") == "Harbor Light Acupuncture" and field(page.text, "phone") == "(207) 555-0142"
    assert field(page.text, "address") == "12 Wharf Street\nPortland, ME 04101"
    assert field(page.text, "booking_url") == "https://harborlight.example/book"
    assert field(page.text, "practitioners") == "Mei Chen, L.Ac."
    assert re.search(r'id="lang-en" name="languages" value="en" checked', page.text)
    assert not re.search(r'id="lang-es" name="languages" value="es" checked', page.text)
    assert '<option value="letter" selected>US Letter</option>' in page.text
    assert "No record is kept" in page.text
    assert '<a href="/settings" aria-current="page">Clinic settings</a>' in page.text
    assert '<a href="/settings">Clinic settings</a>' in client.get("/frontdesk").text


def test_saving_changes_those_fields_only_and_every_sheet_uses_them(server, profile):
    before = profile.read_text("utf-8")
    client = server.client()
    reply = client.post("/settings", {**FORM, "csrf": client.token("/settings")})
    assert reply.status == 200, reply.errors()
    assert f"Saved in {profile}" in reply.text
    after = profile.read_text("utf-8")
    data = yaml.safe_load(after)
    assert data["name"] == "Harbor Light Acupuncture & Herbs" and data["phone"] == "(207) 555-0199"
    assert data["address"] == ["12 Wharf Street", "Suite 2", "Portland, ME 04101"]
    assert data["booking_url"] == "https://harborlight.example/visit"
    assert data["practitioners"] == ["Mei Chen, L.Ac.", "Ana Ruiz, LAc"]
    assert data["languages"] == ["en", "es"] and data["page_size"] == "a4"
    assert data["colour"] == "#1F4E9A" and data["crisis_line"] == "988"  # the fields the page does not show, kept
    kept = [line for line in before.splitlines() if line.startswith("#")]
    assert [line for line in after.splitlines() if line.startswith("#") and line in kept] == kept  # every comment
    assert not list(profile.parent.glob("*.tmp*")) and not list(profile.parent.glob(".*clinic*"))
    # the leaflet screen and its preview use the new profile at once
    assert '<option value="Ana Ruiz, LAc">' in client.get("/").text
    visit = {"condition": "hip-pain", "points_for": "hip-pain", "points": ["GB30"], "date": "2026-12-01",
             "lang": "es", "csrf": client.token()}
    preview = client.post("/leaflet/preview", visit).json()["preview"]
    assert "Harbor Light Acupuncture &amp; Herbs" in preview and "(207) 555-0199" in preview
    # and the command line finds nothing wrong with the file
    done = subprocess.run([sys.executable, "-m", "handouts", "check", "--content", str(profile.parent)],
                          capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 0 and "\n0 errors" in done.stdout


def test_emptying_the_booking_page_turns_it_into_a_comment(server, profile):
    client = server.client()
    reply = client.post("/settings", {**FORM, "booking_url": "", "csrf": client.token("/settings")})
    assert reply.status == 200, reply.errors()
    text = profile.read_text("utf-8")
    assert "booking_url" not in yaml.safe_load(text)
    assert '# booking_url: "https://harborlight.example/book"' in text


@pytest.mark.parametrize("change, where, message", [
    ({"name": "   "}, "name", "String should have at least 1 character"),
    ({"address": "\n \n"}, "address", "Tuple should have at least 1 item after validation, not 0"),
    ({"languages": []}, "languages", "Tuple should have at least 1 item after validation, not 0"),
    ({"languages": ["en", "fr"]}, "languages", "Tick languages from the list ('fr' is not one)"),
    ({"page_size": "legal"}, "page_size", "Choose one from the list ('legal' is not one)"),
    ({"phone": "x" * 301}, "phone", "At most 300 characters a line"),
    ({"name": "Harbor\nLight"}, "name", "Give it on one line"),
])
def test_a_field_the_schema_refuses_is_named_beside_it_and_nothing_is_written(server, profile, change, where, message):
    before = profile.read_bytes()
    client = server.client()
    reply = client.post("/settings", {**FORM, **change, "csrf": client.token("/settings")})
    assert reply.status == 400
    assert f'<span class="error" id="err-{where}">{message}</span>' in reply.text.replace("&#39;", "'")
    assert re.search(rf'id="{where}"[^>]*aria-invalid="true"|<fieldset aria-describedby="[^"]*err-{where}"', reply.text)
    assert profile.read_bytes() == before


def test_the_same_message_as_the_command_line(server, profile):
    """The schema's words: what `handouts init` says for the same empty name."""
    client = server.client()
    reply = client.post("/settings", {**FORM, "name": "", "csrf": client.token("/settings")})
    done = subprocess.run([sys.executable, "-m", "handouts", "init", str(server.folder / "other"), "--name", "",
                           "--phone", "1", "--address", "a", "--colour", "#1F4E9A", "--logo", "", "--languages", "en",
                           "--offers", "all", "--booking-url", "", "--emergency-number", "911", "--crisis-line", ""],
                          capture_output=True, text=True, cwd=REPO, input="\n")
    assert done.returncode == 1 and "--name: String should have at least 1 character" in done.stderr
    assert "String should have at least 1 character" in reply.errors()


@pytest.mark.parametrize("how", ["no token", "wrong token", "foreign origin", "cross-site fetch"])
def test_a_cross_site_post_is_refused_and_nothing_is_written(server, profile, how):
    before = profile.read_bytes()
    client = server.client()
    token = client.token("/settings")
    form = {**FORM, "name": "Mallory's Clinic"}
    headers = {}
    if how == "wrong token":
        form["csrf"] = "0" * 40
    elif how == "foreign origin":
        form["csrf"], headers = token, {"Origin": "https://evil.example"}
    elif how == "cross-site fetch":
        form["csrf"], headers = token, {"Sec-Fetch-Site": "cross-site"}
    reply = client.post("/settings", form, headers)
    assert reply.status == 403
    assert profile.read_bytes() == before


def test_a_profile_the_page_cannot_edit_line_by_line_is_left_alone(server, profile):
    profile.write_text('{name: "Flow Clinic", phone: "555-0100", address: ["1 Main St"]}\n', "utf-8")
    before = profile.read_bytes()
    client = server.client()
    page = client.get("/settings")
    assert field(page.text, "name") == "Flow Clinic"
    reply = client.post("/settings", {**FORM, "csrf": client.token("/settings")})
    assert reply.status == 400 and any("edit it in a text editor" in e for e in reply.errors())
    assert profile.read_bytes() == before


def test_without_a_clinic_folder_the_page_says_how_to_get_one(tmp_path):
    running = start(tmp_path)
    try:
        page = running.client().get("/settings")
        assert page.status == 200 and "<form method=\"post\" action=\"/settings\"" not in page.text
        assert "handouts serve --content YOUR-CLINIC-FOLDER" in page.text
    finally:
        assert running.stop() == 0


def test_edited_keeps_every_other_line():
    from handouts.serve.settings import edited

    text = "# top\nname: \"A\"\naddress:\n- one\n- two\n# booking_url: https://x.example\ncolour: \"#123456\"\n"
    out = edited(text, {"name": "B", "address": ["three"], "booking_url": "https://y.example", "page_size": "a4"})
    assert out == ('# top\nname: "B"\naddress:\n  - "three"\n# booking_url: https://x.example\n'
                   'booking_url: "https://y.example"\ncolour: "#123456"\npage_size: "a4"\n')
    assert edited(out, {"booking_url": None}, {"booking_url": "https://y.example"}).count("booking_url:") == 2
