"""The screen's front desk, brochures and sign-off over plain HTTP, against a real server on 127.0.0.1."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from conftest import pdf_text
from serving import REPO, clinic_folder, start

pytest.importorskip("uvicorn", reason="the serve dependencies are not installed: pip install -e .")

DAY = ("condition,patient,practitioner,date,points,flags\n"
       "hip-pain,Zebulon Quimby,\"John Roe, L.Ac.\",2026-12-01,\"GB30,GB29\",\n"
       "hip-pain,Xanthe Pellow,,2026-12-01,SP6,pregnant\n"
       "knee,Yorick Dunmore,,2026-12-01,,\n").encode()
NAMES = ("Zebulon", "Quimby", "Xanthe", "Pellow", "Yorick", "Dunmore")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("serve-screens")
    running = start(tmp, "--content", str(clinic_folder(tmp)), "--record", str(tmp / "record.jsonl"))
    yield running
    assert running.stop() == 0
    log = running.log_text()
    assert "Traceback" not in log and not any(name in log for name in NAMES)


def test_front_desk_checks_each_row_and_names_the_row_and_field_at_fault(server):
    client = server.client()
    reply = client.upload("/frontdesk", {"csrf": client.token("/frontdesk"), "action": "check", "format": "pdf"},
                          {"visits": ("monday.csv", DAY)})
    assert reply.status == 422
    rows = re.findall(r'<th scope="row">(.*?)</th>\s*<td>(.*?)</td>', reply.text, re.S)
    assert [r[0] for r in rows] == ["monday.csv row 2", "monday.csv row 3", "monday.csv row 4"]
    assert "made" in rows[0][1] and "Zebulon-Quimby" in rows[0][1]
    assert "not made" in rows[1][1] and "(points)" in rows[1][1] and "pregnancy" in rows[1][1]
    assert "not made" in rows[2][1] and "(condition)" in rows[2][1] and "knee" in rows[2][1]
    assert "/dev/shm" not in reply.text and "/tmp" not in reply.text  # the private folder's path is never shown
    record = server.folder / "record.jsonl"
    assert not record.exists() or record.read_text() == ""  # a check hands nothing over


def test_front_desk_zip_has_the_sheets_and_the_rows_not_made(server):
    client = server.client()
    reply = client.upload("/frontdesk", {"csrf": client.token("/frontdesk"), "action": "zip", "format": "pdf"},
                          {"visits": ("monday.csv", DAY)})
    assert reply.status == 200 and reply.headers["content-type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(reply.body))
    pdfs = [n for n in archive.namelist() if n.endswith(".pdf")]
    assert pdfs == ["2026-12-01-Zebulon-Quimby-hip-pain.pdf"]
    assert "Zebulon Quimby" in " ".join(pdf_text(archive.read(pdfs[0])))
    problems = archive.read("NOT-MADE.txt").decode()
    assert "monday.csv row 3 (points)" in problems and "monday.csv row 4 (condition)" in problems
    assert len((server.folder / "record.jsonl").read_text().splitlines()) == 1  # the one sheet made is recorded


def test_front_desk_takes_yaml_too(server):
    client = server.client()
    day = b"- condition: hip-pain\n  patient: Zebulon Quimby\n  date: 2026-12-01\n"
    reply = client.upload("/frontdesk", {"csrf": client.token("/frontdesk"), "action": "check", "format": "html"},
                          {"visits": ("day.yaml", day)})
    assert reply.status == 200 and "2026-12-01-Zebulon-Quimby-hip-pain.html" in reply.text


@pytest.mark.parametrize("name, data, message", [
    ("day.xlsx", b"PK", "give the day's visits as a .csv"),
    ("day.csv", b"condition,shoe size\nhip-pain,9\n", "shoe size"),
    ("day.csv", b"condition\n" + b"hip-pain\n" * 1001, "more than the 1,000"),
])
def test_front_desk_refuses_a_file_it_cannot_use_with_a_message(server, name, data, message):
    client = server.client()
    reply = client.upload("/frontdesk", {"csrf": client.token("/frontdesk"), "action": "zip"}, {"visits": (name, data)})
    assert reply.status == 400 and any(message in e for e in reply.errors()), reply.errors()


def test_front_desk_refuses_an_upload_over_2_mb(server):
    client = server.client()
    data = b"condition,patient,note\n" + b"hip-pain,A B,xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n" * 50_000
    reply = client.upload("/frontdesk", {"csrf": client.token("/frontdesk"), "action": "zip"}, {"visits": ("big.csv", data)})
    assert reply.status == 413 and "split the" in reply.text


def test_front_desk_upload_without_token_is_refused(server):
    client = server.client()
    client.token("/frontdesk")
    assert client.upload("/frontdesk", {"action": "zip"}, {"visits": ("day.csv", DAY)}).status == 403


def test_brochure_proof_shows_both_faces_and_the_preflight_result(server):
    client = server.client()
    form = {"csrf": client.token("/brochures"), "format": "trifold", "condition": "hip-pain", "lang": "en",
            "page_size": "letter", "bleed": "0.125in", "marks": "crop,fold", "colour": "rgb"}
    proof = client.post("/brochures", {**form, "action": "proof"})
    assert proof.status == 200
    assert re.search(r'<img src="data:image/png;base64,[A-Za-z0-9+/=]{1000,}" alt="Proof of both faces', proof.text)
    assert "Preflight: <span class=\"ok\">passes</span>" in proof.text
    pdf = client.post("/brochures", {**form, "action": "pdf"})
    assert pdf.headers["content-type"] == "application/pdf" and "attachment" in pdf.headers["content-disposition"]
    assert "Hip" in " ".join(pdf_text(pdf.body))
    bad = client.post("/brochures", {**form, "bleed": "a lot", "action": "pdf"})
    assert bad.status == 400 and any("not a length" in e for e in bad.errors())
    odd = client.post("/brochures", {**form, "theme": "neon", "action": "pdf"})  # not one of --theme's names
    assert odd.status == 400 and any("'neon' is not one" in e for e in odd.errors())
    assert 'id="theme" name="theme" aria-describedby="theme-hint err-theme" aria-invalid="true"' in odd.text


def test_content_lists_files_and_shows_one_in_three_languages(server):
    client = server.client()
    listing = client.get("/content")
    assert "conditions/hip-pain.yaml" in listing.text and "never approved" in listing.text
    page = client.get("/content/file?path=conditions/hip-pain.yaml")
    assert page.status == 200
    assert re.search(r'<div lang="en">.*Hip pain</div><div lang="es">.*Dolor de cadera</div><div lang="zh-Hans">.*髋部疼痛</div>', page.text)
    assert "sources" in page.text
    assert client.get("/content/file?path=../../etc/passwd").status == 400


def test_approve_everything_the_sheet_uses_then_an_edit_turns_it_draft(server):
    client = server.client()
    visit = {"condition": "hip-pain", "points_for": "hip-pain", "points": ["GB30", "GB29", "BL40", "ST36"], "date": "2026-12-01"}
    before = client.post("/leaflet/preview", {**visit, "csrf": client.token()}).json()["preview"]
    assert "Draft: this text has not yet been approved" in before
    token = client.token("/content")
    reply = client.post("/content/approve", {"csrf": token, "kind": "sheet", "condition": "hip-pain", "by": "Ana Ruiz, LAc"})
    assert reply.status == 200 and "Approved 14 files as Ana Ruiz, LAc" in reply.text
    assert "conditions/hip-pain.yaml" in reply.text and "rules.yaml" in reply.text
    approved = client.post("/leaflet/preview", {**visit, "csrf": client.token()}).json()["preview"]
    assert "Draft" not in approved and "Reviewed" in approved
    folder = server.folder / "our-clinic" / "conditions"
    folder.mkdir()
    text = (REPO / "content" / "conditions" / "hip-pain.yaml").read_text("utf-8")
    (folder / "hip-pain.yaml").write_text(text.replace("Hip pain", "Hip pain and stiffness", 1), "utf-8")
    edited = client.post("/leaflet/preview", {**visit, "csrf": client.token()}).json()["preview"]
    assert "Draft: this text has not yet been approved" in edited
    assert "changed since Ana Ruiz, LAc approved it" in client.get("/content").text
    changed = client.get("/content/file?path=conditions/hip-pain.yaml").text
    assert "What changed since the approval" in changed
    assert re.search(r'<ins><span class="visually-hidden">\[added: </span> and stiffness<span', changed)
    (folder / "hip-pain.yaml").unlink()
    folder.rmdir()


@pytest.fixture(scope="module")
def own_server(tmp_path_factory):
    """A screen of its own: approving the clinic brochure approves every condition, which the tests above read as
    never approved."""
    tmp = tmp_path_factory.mktemp("serve-brochure-approval")
    running = start(tmp, "--content", str(clinic_folder(tmp)))
    yield running
    assert running.stop() == 0


def test_approve_everything_a_brochure_uses_in_one_action(own_server):
    server = own_server
    from handouts.library.approvals import brochure_files
    from handouts.library.cache import library

    client = server.client()
    listing = client.get("/content")
    assert '<option value="clinic">The clinic brochure</option>' in listing.text
    token = client.token("/content")
    reply = client.post("/content/approve", {"csrf": token, "kind": "brochure", "brochure": "clinic", "by": "Ana Ruiz, LAc"})
    wanted = brochure_files(library(server.folder / "our-clinic"), None)  # what `handouts approve --brochure clinic` approves
    assert len(wanted) > 10 and "brochures/clinic.yaml" in wanted
    assert reply.status == 200
    assert f"Approved {len(wanted)} files as Ana Ruiz, LAc on " in reply.text
    assert "everything the clinic brochure uses: " + ", ".join(wanted) in reply.text
    import json

    approvals = json.loads((server.folder / "our-clinic" / "approvals.json").read_text("utf-8"))["files"]
    assert set(wanted) <= set(approvals) and all(approvals[f]["by"] == "Ana Ruiz, LAc" for f in wanted)
    assert re.search(r'brochures/clinic\.yaml</a></td>\s*<td class="status-approved">approved by Ana Ruiz, LAc', reply.text)
    hip = client.post("/content/approve", {"csrf": token, "kind": "brochure", "brochure": "hip-pain", "by": "Ana Ruiz, LAc"})
    assert hip.status == 200 and "everything the hip-pain brochure uses" in hip.text
    assert "brochures/conditions/hip-pain.yaml" in hip.text and "conditions/migraine.yaml" not in hip.text.split("uses: ")[1].split("<")[0]
    unknown = client.post("/content/approve", {"csrf": token, "kind": "brochure", "brochure": "gout", "by": "Ana Ruiz, LAc"})
    assert unknown.status == 400 and any("name `clinic` for the clinic brochure, or a condition" in e for e in unknown.errors())


@pytest.mark.parametrize("how", ["no token", "wrong token", "foreign origin"])
def test_a_brochure_approval_from_another_site_is_refused(own_server, how):
    server = own_server
    import json

    client = server.client()
    token = client.token("/content")
    form = {"kind": "brochure", "brochure": "neck-pain", "by": "Mallory Evil, LAc"}
    if how != "no token":
        form["csrf"] = token if how == "foreign origin" else "0" * 40
    headers = {"Origin": "https://evil.example"} if how == "foreign origin" else {}
    reply = client.post("/content/approve", form, headers)
    assert reply.status == 403
    approvals = server.folder / "our-clinic" / "approvals.json"
    assert not approvals.exists() or "Mallory" not in json.dumps(json.loads(approvals.read_text("utf-8")))


def test_approve_needs_a_name_and_credential(server):
    client = server.client()
    reply = client.post("/content/approve", {"csrf": client.token("/content"), "kind": "file",
                                             "file": "sections/risks.yaml", "by": "Ana"})
    assert reply.status == 400 and any("name and credential" in e for e in reply.errors())


def test_every_form_that_posts_carries_a_csrf_token(server, tmp_path):
    client = server.client()
    pages = ["/", "/frontdesk", "/brochures", "/content", "/content/file?path=conditions/insomnia.yaml"]
    for path in pages:
        text = client.get(path).text
        forms = re.findall(r'<form method="post".*?</form>', text, re.S)
        assert forms, path
        for form in forms:
            assert re.search(r'<input type="hidden" name="csrf" value="[0-9a-f]{40}">', form), (path, form[:200])


PRINTING_STUB = '''
import sys, types
module = types.ModuleType("handouts.deliver.printing")
def print_pdf(data, printer, title):
    import pathlib
    pathlib.Path(__file__).with_name("printed.pdf").write_bytes(data)
    pathlib.Path(__file__).with_name("title.txt").write_text(title)
    return "cups-pdf-7"
module.print_pdf = print_pdf
sys.modules["handouts.deliver.printing"] = module
'''


def test_the_print_button_calls_print_pdf_when_printing_is_installed(tmp_path):
    """Printing (CUPS) is another module, handouts.deliver.printing.print_pdf(data, printer, title) -> job id: the
    screen shows its button only when the module imports, and sends the same PDF it would download."""
    stub = tmp_path / "stub"
    stub.mkdir()
    (stub / "sitecustomize.py").write_text(PRINTING_STUB)
    running = start(tmp_path, "--content", str(clinic_folder(tmp_path)), env={"PYTHONPATH": f"{stub}:{REPO}"})
    try:
        client = running.client()
        page = client.get("/")
        assert 'value="print">Send to the printer</button>' in page.text
        visit = {"condition": "hip-pain", "points_for": "hip-pain", "points": ["GB30"], "patient": "Zebulon Quimby",
                 "date": "2026-12-01", "csrf": client.token()}
        reply = client.post("/leaflet/file", {**visit, "action": "print"})
        assert reply.status == 200 and "job cups-pdf-7" in reply.text
        assert "Zebulon Quimby" in " ".join(pdf_text((stub / "printed.pdf").read_bytes()))
        assert "Zebulon" not in (stub / "title.txt").read_text()  # the job's title shows in the printer's queue
    finally:
        running.stop()


def test_without_printing_installed_there_is_no_print_button(server):
    import importlib.util

    if importlib.util.find_spec("handouts.deliver.printing") is not None:
        pytest.skip("handouts.deliver.printing is installed here")
    assert "Send to the printer" not in server.client().get("/").text


def test_two_processes_approving_at_once_lose_nothing(tmp_path):
    """Two screens (as two workers would) on one clinic folder, each approving files one by one at the same time."""
    import json
    import threading

    folder = clinic_folder(tmp_path)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    servers = [start(tmp_path / "a", "--content", str(folder)), start(tmp_path / "b", "--content", str(folder))]
    files = sorted(p.relative_to(REPO / "content").as_posix() for p in (REPO / "content").rglob("*.yaml")
                   if p.name not in ("clinic.yaml", "lint.yaml"))[:24]
    try:
        def approve(server, mine):
            client = server.client()
            token = client.token("/content")
            for rel in mine:
                reply = client.post("/content/approve", {"csrf": token, "kind": "file", "file": rel, "by": "Ana Ruiz, LAc"})
                assert reply.status == 200, reply.errors()

        threads = [threading.Thread(target=approve, args=(s, files[i::2])) for i, s in enumerate(servers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        for s in servers:
            s.stop()
    data = json.loads((folder / "approvals.json").read_text("utf-8"))
    assert sorted(data["files"]) == files
    assert sorted(h["file"] for h in data["history"]) == files


def test_word_diff_marks_words_and_shortens_what_did_not_change():
    from handouts.serve.screens import word_diff

    old = "one " * 50 + "Hip pain may ease. " + "two " * 50
    new = "one " * 50 + "Hip pain may often ease. " + "two " * 50
    pieces = word_diff(old, new)
    assert [k for k, _ in pieces] == ["skip", "same", "added", "same", "skip"]
    assert pieces[2] == ("added", "often ")
    assert sum(len(t) for _, t in pieces) < 150
    assert word_diff("same words", "same words") == [("same", "same words")]
    assert ("gone", "here") in word_diff("end here", "end there") and ("added", "there") in word_diff("end here", "end there")
