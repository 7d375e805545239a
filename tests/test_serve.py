"""`handouts serve` over plain HTTP: a real server on 127.0.0.1; what it refuses, what it makes, what it keeps."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from conftest import main, pdf_text
from serving import REPO, clinic_folder, start

pytest.importorskip("uvicorn", reason="the serve dependencies are not installed: pip install -e .")

PATIENT = "Zebulon Quimby"  # a name no content file has, so finding it anywhere means it leaked
VISIT = {"condition": "hip-pain", "points_for": "hip-pain", "points": ["GB30", "GB29", "BL40", "ST36"], "patient": PATIENT,
         "practitioner": "John Roe, L.Ac.", "date": "2026-12-01", "lang": "en", "page_size": "letter"}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve")
    folder = clinic_folder(tmp)
    running = start(tmp, "--content", str(folder), "--record", str(tmp / "record.jsonl"))
    yield running
    helpers = _children(running.process.pid, pids=True) if sys.platform.startswith("linux") else []
    assert running.stop() == 0  # Ctrl-C stops it cleanly, and its preview helper with it
    import os
    import time

    deadline = time.monotonic() + 10
    while [p for p in helpers if os.path.exists(f"/proc/{p}")] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [p for p in helpers if os.path.exists(f"/proc/{p}")], "a helper process outlived the screen"
    assert "Traceback" not in running.log_text()
    assert PATIENT.split()[0] not in running.log_text() and PATIENT.split()[1] not in running.log_text()


def test_first_page_is_the_leaflet_form_with_safe_headers_and_cookie(server):
    client = server.client()
    page = client.get("/")
    assert page.status == 200
    assert "<h1>Leaflet for today's patient</h1>" in page.text
    csp = page.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp and "script-src 'self'" in csp and "default-src 'none'" in csp
    assert page.headers["x-content-type-options"] == "nosniff"
    cookie = page.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=strict" in cookie
    assert re.search(r'<option value="John Roe, L.Ac.">', page.text)  # the clinic's team to choose from
    # the condition's usual points ticked, its optional ones offered
    assert 'value="GB30" checked' in page.text and 'value="BL54">' in page.text
    assert "http://" not in re.sub(r'http://127\.0\.0\.1:\d+', "", page.text.split('srcdoc=')[0])  # no third-party assets
    for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
        assert client.get(asset).status == 200


@pytest.mark.parametrize("token", [None, "forged-token"])
def test_a_post_without_the_right_csrf_token_is_refused(server, token):
    client = server.client()
    client.token()
    data = {**VISIT, "action": "pdf", **({"csrf": token} if token else {})}
    reply = client.post("/leaflet/file", data)
    assert reply.status == 403
    assert "security token" in reply.text and not reply.body.startswith(b"%PDF")


def test_a_token_from_another_session_is_refused(server):
    theirs = server.client().token()
    mine = server.client()
    mine.token()
    assert mine.post("/leaflet/file", {**VISIT, "action": "pdf", "csrf": theirs}).status == 403


def test_a_post_from_another_origin_is_refused_even_with_a_token(server):
    client = server.client()
    token = client.token()
    for headers in ({"Origin": "http://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}):
        reply = client.post("/leaflet/file", {**VISIT, "action": "pdf", "csrf": token}, headers)
        assert reply.status == 403, headers
        assert "another site" in reply.text
    own = client.post("/leaflet/file", {**VISIT, "action": "pdf", "csrf": token}, {"Origin": server.url})
    assert own.status == 200 and own.body.startswith(b"%PDF")


@pytest.mark.parametrize("host", ["evil.example", f"evil.example:80", "127.0.0.1:1"])
def test_a_foreign_host_header_is_refused(server, host):
    reply = server.client().get("/", headers={"Host": host})  # a DNS-rebinding page sends its own name
    assert reply.status == 403
    assert "does not answer to the address" in reply.text


def test_pregnant_and_sp6_shows_the_caution_and_the_knowing_override(server):
    client = server.client()
    token = client.token()
    data = {**VISIT, "csrf": token, "points": ["GB30", "SP6"], "flags": ["pregnant"]}
    refused = client.post("/", data)
    assert refused.status == 400
    assert any("SP6" in e and "not used in pregnancy" in e for e in refused.errors())
    assert re.search(r'<input type="checkbox" id="allow-SP6" name="allow_caution" value="SP6">\s*'
                     r'<label for="allow-SP6">I chose SP6 knowingly</label>', refused.text)
    pdf = client.post("/leaflet/file", {**data, "allow_caution": "SP6", "action": "pdf"})
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.headers["content-disposition"].startswith("attachment;")
    text = " ".join(pdf_text(pdf.body))
    assert PATIENT in text and "SP6" in text and "chose it on purpose" in " ".join(text.split())


def test_pacemaker_and_electroacupuncture_is_refused_beside_the_flags_with_no_override(server):
    client = server.client()
    reply = client.post("/", {**VISIT, "csrf": client.token(), "flags": ["pacemaker", "electroacupuncture"]})
    assert reply.status == 400
    assert any("electroacupuncture can disturb a pacemaker" in e and "Nothing overrides" in e for e in reply.errors())
    assert 'id="err-flags"' in reply.text and "knowingly" not in reply.text
    assert not client.post("/leaflet/file", {**VISIT, "csrf": client.token(), "flags": ["pacemaker", "electroacupuncture"],
                                            "action": "pdf"}).body.startswith(b"%PDF")


def test_points_are_added_by_code_alias_pinyin_or_english_name_and_unknown_ones_named(server):
    client = server.client()
    token = client.token()
    added = client.post("/", {**VISIT, "csrf": token, "add_points": "Liv 3, zusanli, Three Yin Intersection"})
    assert added.status == 200
    assert set(re.findall(r'name="points" value="([\w-]+)" checked', added.text)) == {"GB30", "GB29", "BL40", "ST36", "LR3", "SP6"}
    unknown = client.post("/", {**VISIT, "csrf": token, "add_points": "GB99"})
    assert unknown.status == 400 and any("Not a point we know: GB99" in e for e in unknown.errors())


def test_a_name_no_font_can_draw_is_named_beside_the_field(server):
    client = server.client()
    reply = client.post("/", {**VISIT, "csrf": client.token(), "patient": "Zebulon \U0001F600"})
    assert reply.status == 400
    assert any("no bundled font can draw" in e and "U+1F600" in e for e in reply.errors())


def test_the_live_preview_answers_with_the_sheet_and_the_messages(server):
    client = server.client()
    token = client.token()
    answer = client.post("/leaflet/preview", {**VISIT, "csrf": token, "note": "Drink some water today."}).json()
    assert answer["preview"].startswith("<!doctype html>") and "Drink some water today." in answer["preview"]
    assert all(html == "" for html in answer["errors"].values())
    refused = client.post("/leaflet/preview", {**VISIT, "csrf": token, "points": ["SP6"], "flags": ["pregnant"]}).json()
    assert refused["preview"] is None and "pregnancy" in refused["errors"]["points"]
    assert 'value="SP6"' in refused["cautions"]
    assert client.post("/leaflet/preview", {**VISIT}).status == 403


def _children(pid: int, pids: bool = False) -> list:
    """The command lines (or ids) of a process's live child processes (Linux /proc)."""
    from pathlib import Path

    out = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        for child in (task / "children").read_text().split():
            try:
                out.append(child if pids else Path(f"/proc/{child}/cmdline").read_bytes().replace(b"\0", b" ").decode())
            except OSError:
                pass
    return out


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the process tree from /proc")
def test_a_new_sheets_preview_from_the_helper_process_is_the_page_this_process_makes(server):
    """A sheet outside the usual ones (a point unticked, a flag) is previewed by the helper process (serve/helper.py);
    the page is the same bytes the screen's own process makes for the file (Download page), for each sheet."""
    assert any("multiprocessing" in line for line in _children(server.process.pid)), "no helper process"
    client = server.client()
    token = client.token()
    for form in ({**VISIT, "points": ["GB30", "BL40", "ST36"]}, {**VISIT, "flags": ["anticoagulants"]},
                 {**VISIT, "points": ["GB30", "GB29", "ST36"], "lang": "zh", "patient": "Al Woo"}):
        for _ in range(2):  # new to the helper, then remembered there
            preview = client.post("/leaflet/preview", {**form, "csrf": token}).json()["preview"]
            page = client.post("/leaflet/file", {**form, "csrf": token, "action": "html"}).text
            assert preview == page and form["patient"] in preview


def test_the_page_opens_inline_and_downloads_as_html_and_the_record_is_written(server):
    client = server.client()
    token = client.token()
    opened = client.post("/leaflet/file", {**VISIT, "csrf": token, "action": "open"})
    assert opened.headers["content-disposition"].startswith("inline;") and opened.body.startswith(b"%PDF")
    page = client.post("/leaflet/file", {**VISIT, "csrf": token, "action": "html"})
    assert page.headers["content-type"].startswith("text/html") and PATIENT in page.text
    lines = [json.loads(line) for line in (server.folder / "record.jsonl").read_text("utf-8").splitlines()]
    assert lines[-1]["patient"] == PATIENT and lines[-1]["command"] == "serve" and lines[-1]["output"]["format"] == "html"
    assert lines[-2]["output"]["format"] == "pdf"


def test_nothing_but_the_record_is_left_on_disk(server):
    left = sorted(p.name for p in server.folder.rglob("*") if p.is_file() and "library-cache" not in str(p))
    assert left == ["clinic.yaml", "record.jsonl", "server.log"]


def test_an_oversized_form_is_refused_with_a_message(server):
    client = server.client()
    reply = client.post("/", {**VISIT, "csrf": client.token(), "note": "x" * 200_000})
    assert reply.status == 413 and "over the" in reply.text


def test_a_long_field_is_refused_at_the_command_lines_limit(server):
    client = server.client()
    reply = client.post("/", {**VISIT, "csrf": client.token(), "note": "word " * 400})
    assert reply.status == 400 and any("the limit is 1500" in e for e in reply.errors())


def test_unknown_pages_and_methods_are_clear_pages(server):
    client = server.client()
    assert client.get("/nowhere").status == 404 and "There is no such page" in client.get("/nowhere").text
    assert client.request("DELETE", "/").status == 405


# ---- starting ---------------------------------------------------------------------------------------------


def test_a_non_loopback_address_without_a_passphrase_is_refused(tmp_path):
    folder = clinic_folder(tmp_path)
    done = subprocess.run([sys.executable, "-m", "handouts", "serve", "--no-browser", "--host", "0.0.0.0", "--content",
                           str(folder)], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                          env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"})
    assert done.returncode == 1
    assert "without a passphrase" in done.stderr and "--set-passphrase" in done.stderr and "Traceback" not in done.stderr


def test_set_passphrase_stores_a_salted_scrypt_hash_never_the_passphrase(tmp_path):
    folder = clinic_folder(tmp_path)
    result = CliRunner().invoke(main, ["serve", "--set-passphrase", "--content", str(folder)],
                                input="green kettle river\ngreen kettle river\n")
    assert result.exit_code == 0, result.output
    stored = (folder / "serve-passphrase.json").read_text("utf-8")
    assert "green" not in stored and "kettle" not in stored
    data = json.loads(stored)["scrypt"]
    assert len(bytes.fromhex(data["salt"])) == 16 and len(bytes.fromhex(data["hash"])) == 32 and data["n"] >= 2**14
    short = CliRunner().invoke(main, ["serve", "--set-passphrase", "--content", str(folder)], input="short\nshort\n")
    assert short.exit_code == 1 and "at least 10" in short.output


def test_set_passphrase_needs_the_clinic_folder(monkeypatch):
    monkeypatch.delenv("HANDOUTS_CONTENT", raising=False)
    result = CliRunner().invoke(main, ["serve", "--set-passphrase"], input="green kettle river\ngreen kettle river\n")
    assert result.exit_code == 1 and "--content DIR" in result.output


def test_with_a_passphrase_the_screen_asks_for_it_and_limits_wrong_tries(tmp_path):
    from handouts.serve.security import write_passphrase

    folder = clinic_folder(tmp_path)
    write_passphrase(folder, "green kettle river")
    running = start(tmp_path, "--content", str(folder))
    try:
        client = running.client()
        first = client.get("/")
        assert first.status == 303 and first.headers["location"] == "/login"
        token = client.token("/login")
        assert client.post("/", {**VISIT, "csrf": token}).status == 403  # not logged in
        for _ in range(5):
            assert client.post("/login", {"csrf": token, "passphrase": "wrong guess here"}).status == 401
        limited = client.post("/login", {"csrf": token, "passphrase": "green kettle river"})
        assert limited.status == 429 and "Too many wrong passphrases" in limited.text
        other = running.client()  # the limit is per address: the same machine stays locked out
        assert other.post("/login", {"csrf": other.token("/login"), "passphrase": "green kettle river"}).status == 429
    finally:
        running.stop()
    running = start(tmp_path, "--content", str(folder))
    try:
        client = running.client()
        token = client.token("/login")
        assert client.post("/login", {"csrf": token, "passphrase": "green kettle river"}).status == 303
        assert client.get("/").status == 200
        assert "green" not in running.log_text()
    finally:
        running.stop()


# ---- under another server, several workers ----------------------------------------------------------------


def test_the_app_runs_under_uvicorn_with_two_workers_sharing_sessions(tmp_path):
    """The factory reads its settings from the environment; a form from one worker is accepted by the other."""
    import os
    import socket
    import time

    from serving import Client, free_port

    folder = clinic_folder(tmp_path)
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "HANDOUTS_CONTENT": str(folder),
           "HANDOUTS_SERVE_HOSTS": f"127.0.0.1:{port}", "HANDOUTS_SERVE_SECRET": "a shared random string for the test"}
    log = (tmp_path / "uvicorn.log").open("wb")
    process = subprocess.Popen([sys.executable, "-m", "uvicorn", "--factory", "handouts.serve.app:create_app", "--workers", "2",
                                "--host", "127.0.0.1", "--port", str(port), "--no-access-log"],
                               cwd=tmp_path, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                time.sleep(0.2)
        client = Client(f"http://127.0.0.1:{port}")
        token = client.token()
        replies = [client.post("/leaflet/preview", {**VISIT, "csrf": token}) for _ in range(8)]
        assert [r.status for r in replies] == [200] * 8
        assert all(PATIENT in r.json()["preview"] for r in replies)
    finally:
        process.send_signal(2)
        process.wait(timeout=30)
        log.close()
    text = (tmp_path / "uvicorn.log").read_text()
    assert PATIENT.split()[0] not in text and "Traceback" not in text


def test_the_factory_refuses_a_network_address_without_a_passphrase(tmp_path, monkeypatch):
    from handouts.serve.app import create_app
    from handouts.serve.security import PassphraseError

    monkeypatch.setenv("HANDOUTS_CONTENT", str(clinic_folder(tmp_path)))
    monkeypatch.setenv("HANDOUTS_SERVE_HOSTS", "handouts.clinic.lan:443")
    with pytest.raises(PassphraseError, match="without a passphrase"):
        create_app()
    monkeypatch.setenv("HANDOUTS_SERVE_HOSTS", "127.0.0.1:8765")
    assert create_app() is not None


def test_bench_serve_runs_on_a_tiny_input_and_prints_its_table():
    """bench/serve.py end to end with a few requests (no timing is asserted here)."""
    done = subprocess.run([sys.executable, "bench/serve.py", "--requests", "4", "--clients", "2", "--rows", "3",
                           "--seconds", "60"], cwd=REPO, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    rows = [line for line in done.stdout.splitlines() if line.startswith("| ")]
    assert len(rows) == 5 and re.match(r"\| leaflet preview \(HTML\), 2 clients \(\d+ sheets? not seen before\) \| 4 \|", rows[2])
    assert "3-row CSV to a zip" in rows[4] and "load" in rows[0]


def test_the_other_commands_never_import_the_web_stack(tmp_path):
    code = ("import sys\nfrom handouts.__main__ import load_cli\nfrom click.testing import CliRunner\n"
            f"r = CliRunner().invoke(load_cli(), ['leaflet', 'hip-pain', '-o', {str(tmp_path / 'x.pdf')!r}])\n"
            "assert r.exit_code == 0, r.output\n"
            "print(sorted(m for m in sys.modules if m.split('.')[0] in ('starlette', 'uvicorn', 'multipart', 'python_multipart')"
            " or m.startswith('handouts.serve')))")
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_the_helper_takes_new_sheets_while_free_and_each_sheet_stays_where_it_was_fitted():
    """serve/helper.py's routing (no process started): usual sheets here; a new one to the helper when it is free,
    here when it is busy; later previews of a sheet where it went first; no helper, everything here."""
    from handouts.serve.helper import Helper

    helper = Helper(None, None)
    assert not helper.wants(("a",), usual=False)  # not started: this process makes everything
    helper.pool = object()  # as if started
    assert not helper.wants(("usual",), usual=True)
    assert helper.wants(("a",), usual=False)  # new, the helper free: there
    helper.busy = 1
    assert helper.wants(("a",), usual=False)  # it stays there
    assert not helper.wants(("b",), usual=False)  # new while the helper is busy: here
    helper.busy = 0
    assert not helper.wants(("b",), usual=False)  # and it stays here
    assert helper.wants(("c",), usual=False)
