"""`handouts serve --workers N` starts N worker processes with one command (default: one process, and its preview helper);
Ctrl-C stops them all."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from serving import clinic_folder, start

pytest.importorskip("uvicorn", reason="the serve dependencies are not installed: pip install -e .")


def descendants(pid: int) -> set[int]:
    """Every process under `pid` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def running_(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def workers(pid: int) -> set[int]:
    return {p for p in descendants(pid) if "spawn_main" in Path(f"/proc/{p}/cmdline").read_text(errors="replace")}


pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="counts processes through Linux's /proc")


# one process: one spawned process under it, the preview helper (serve/helper.py); N workers: N, and no helper
@pytest.mark.parametrize("asked, expected", [(None, 1), ("1", 1), ("2", 2), ("3", 3)])
def test_the_screen_answers_from_its_workers_and_ctrl_c_stops_every_one(tmp_path, asked, expected):
    folder = clinic_folder(tmp_path)
    running = start(tmp_path, "--content", str(folder), *(("--workers", asked) if asked else ()))
    try:
        client = running.client()
        deadline = time.monotonic() + 60
        while len(workers(running.process.pid)) < expected and time.monotonic() < deadline:
            time.sleep(0.2)
        seen = workers(running.process.pid)
        assert len(seen) == expected
        token = client.token()  # a session cookie signed by one worker is good in every other (the shared secret)
        for _ in range(6):
            reply = client.post("/leaflet/preview", {"condition": "hip-pain", "patient": "Zebulon Quimby",
                                                     "date": "2026-12-01", "csrf": token})
            assert reply.status == 200 and "Zebulon Quimby" in reply.json()["preview"]
        everything = descendants(running.process.pid)
    finally:
        code = running.stop()
    assert code == 0
    deadline = time.monotonic() + 10  # multiprocessing's resource tracker ends once the last worker has
    while [p for p in everything if running_(p)] and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not [(p, Path(f"/proc/{p}/cmdline").read_text(errors="replace")) for p in everything if running_(p)]
    log = running.log_text()
    assert "Traceback" not in log and "Zebulon" not in log
    assert log.strip().splitlines()[-1] == "stopped"


def test_with_a_passphrase_the_one_process_counts_every_wrong_try(tmp_path):
    """The five-tries limit lives in a process's memory; by default one process serves the screen."""
    from handouts.serve.security import write_passphrase

    folder = clinic_folder(tmp_path)
    write_passphrase(folder, "green kettle river")
    running = start(tmp_path, "--content", str(folder))
    try:
        client = running.client()
        token = client.token("/login")
        time.sleep(2)
        assert len(workers(running.process.pid)) <= 1  # at most the preview helper, which answers no request
        for _ in range(5):
            assert client.post("/login", {"csrf": token, "passphrase": "wrong guess here"}).status == 401
        assert client.post("/login", {"csrf": token, "passphrase": "green kettle river"}).status == 429
    finally:
        assert running.stop() == 0
