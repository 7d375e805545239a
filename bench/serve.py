"""Time `handouts serve`: the leaflet preview (HTML) with 4 clients, the PDF, and the front desk's zip vs `handouts batch`.

    python bench/serve.py [--requests 200] [--clients 4] [--seconds 60] [--rows 200] [--only preview,pdf,frontdesk]
                          [--repo CHECKOUT] [--workers N]

Starts the screen on 127.0.0.1 (a free port) as a subprocess, warms it, then sends a bounded number of requests
for at most a bounded time per measurement, and prints a Markdown table with the machine's load (`uptime`'s one-minute
figure) before and after, and the server's CPU time per preview (from /proc: the screen's process, and all its
processes), which the machine's load does not inflate as much as it does the times. Targets (issue 24, on a 2-core machine): preview median <= 40 ms and p95 <= 120 ms with 4
clients; PDF median <= 60 ms; the front desk's zip of a 200-row CSV faster than `handouts batch` on the same file.

What it varies, as a clinician changing fields between patients: each client works through visits of five
previews (the condition picked with its usual points and no name yet; the name typed in two steps; one of the usual
points unticked, a different one from visit to visit; the other practitioner picked), so no two requests are the
same and about one preview in four or five is a sheet the server has not laid out before (the table says how many).
The conditions go round six (three languages); the PDFs take the same visits' last steps. The warm-up makes each
condition's usual sheet once (a server that has run for a while has), nothing more.

`--repo CHECKOUT` runs another checkout's code (say, a `git archive` of an older commit) with this script, to
compare versions in the same conditions; `--workers N` passes `--workers N` to `handouts serve`.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "tests"))
sys.path.insert(0, str(REPO / "bench"))

import serving  # noqa: E402

VISITS = [("hip-pain", "en"), ("low-back-pain", "es"), ("migraine", "en"), ("insomnia", "zh"),
          ("knee-osteoarthritis", "en"), ("neck-pain", "es")]
STEPS = 5  # previews per visit
PRACTITIONERS = ("John Roe, L.Ac.", "Ana Ruiz, LAc")


def usual_points() -> dict[str, list[str]]:
    """Each bench condition's usual (ticked by default) points, from the bundled content."""
    from handouts.library.cache import library

    lib = library()
    return {c: [cp.code for cp in lib.conditions[c].points if cp.default] for c, _ in VISITS}


def visit(i: int, usual: dict[str, list[str]], step: int | None = None) -> dict:
    """The form of request i: visit i // STEPS, its step i % STEPS (see the module's docstring)."""
    number, step = i // STEPS, (i % STEPS if step is None else step)
    condition, lang = VISITS[number % len(VISITS)]
    name = f"Patient {number:04d}"
    data = {"condition": condition, "patient": ("", name[:9], name, name, name)[step], "date": "2026-12-01",
            "practitioner": PRACTITIONERS[step == 4], "lang": lang, "page_size": "letter"}
    if step >= 1:  # the form as the screen sent it back: its points ticked, for this condition
        points = list(usual[condition])
        if step >= 3 and len(points) > 1:
            points.pop((number // len(VISITS)) % len(points))
        data.update(points=points, points_for=condition)
    return data


def sheet_of(data: dict, usual: dict[str, list[str]]) -> tuple:
    """What the server's fit memo tells sheets apart by (everything but the patient's name)."""
    return (data["condition"], tuple(data.get("points") or usual[data["condition"]]), data["practitioner"])


def timed(requests: int, clients: int, seconds: float, send) -> list[float]:
    """Milliseconds of each request, `clients` at a time, until `requests` are done or `seconds` have passed."""
    times: list[float] = []
    lock = threading.Lock()
    counter = iter(range(requests))
    deadline = time.monotonic() + seconds

    def worker() -> None:
        while time.monotonic() < deadline:
            with lock:
                i = next(counter, None)
            if i is None:
                return
            start_ = time.perf_counter()
            send(i)
            took = (time.perf_counter() - start_) * 1000
            with lock:
                times.append(took)

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 20 else max(values)


def cpu_ms(pid: int) -> tuple[float, float]:
    """(CPU ms of the process `pid`, CPU ms of it and its live child processes), user + system, from /proc."""
    tick = os.sysconf("SC_CLK_TCK")

    def own(p: int) -> float:
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) * 1000 / tick

    def children(p: int) -> list[int]:
        out = []
        for task in Path(f"/proc/{p}/task").glob("*"):
            try:
                out += [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                pass
        return out

    seen, todo, total = set(), [pid], 0.0
    while todo:
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += own(p)
        todo += children(p)
    return own(pid), total


def load() -> str:
    return f"{os.getloadavg()[0]:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rows", type=int, default=200)
    parser.add_argument("--only", default="preview,pdf,frontdesk", help="which measures, comma-separated")
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose code runs the server and the batch")
    parser.add_argument("--workers", type=int, default=None, help="handouts serve --workers N (the default: the command's)")
    args = parser.parse_args()
    only = set(args.only.split(","))
    from batch import make_csv

    code = args.repo.resolve()
    serving.REPO = code  # the server (and the batch below) run this checkout's code
    usual = usual_points()
    rows: list[str] = []
    before = load()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        clinic = serving.clinic_folder(folder)
        extra = ("--workers", str(args.workers)) if args.workers else ()
        server = serving.start(folder, "--content", str(clinic), *extra)
        try:
            local = threading.local()

            def client():
                if not hasattr(local, "client"):
                    local.client = server.client()
                    local.token = local.client.token()
                return local.client, local.token

            def preview(i: int, step: int | None = None) -> None:
                c, token = client()
                reply = c.post("/leaflet/preview", {**visit(i, usual, step), "csrf": token})
                assert reply.status == 200 and reply.json()["preview"], reply.text[:300]

            def pdf(i: int) -> None:
                c, token = client()
                reply = c.post("/leaflet/file", {**visit(i, usual, 2 + i % 2), "csrf": token, "action": "pdf"})
                assert reply.status == 200 and reply.body.startswith(b"%PDF"), reply.text[:300]

            for n in range(len(VISITS)):  # warm: each condition's usual sheet, as a page and as a PDF
                preview(1_000_000 + n * STEPS, 0)
                c, token = client()
                assert c.post("/leaflet/file", {**visit(1_000_000 + n * STEPS, usual, 0), "csrf": token,
                                                "action": "pdf"}).status == 200
            seen = {sheet_of(visit(1_000_000 + n * STEPS, usual, 0), usual) for n in range(len(VISITS))}
            if "preview" in only:
                start_load = load()
                cpu_before = cpu_ms(server.process.pid)
                previews = timed(args.requests, args.clients, args.seconds, preview)
                cpu_after = cpu_ms(server.process.pid)
                new = {sheet_of(visit(i, usual), usual) for i in range(len(previews))} - seen
                seen |= new
                rows.append(f"| leaflet preview (HTML), {args.clients} clients ({len(new)} sheets not seen before) | "
                            f"{len(previews)} | {statistics.median(previews):.0f} ms | {p95(previews):.0f} ms | "
                            f"{start_load}-{load()} | median <= 40 ms, p95 <= 120 ms |")
                n = max(1, len(previews))
                cpu_note = (f"server CPU per preview: {(cpu_after[0] - cpu_before[0]) / n:.1f} ms in the screen's process, "
                            f"{(cpu_after[1] - cpu_before[1]) / n:.1f} ms in all its processes (a helper, workers)")
            if "pdf" in only:
                start_load = load()
                count = max(20, args.requests // 4)
                pdfs = timed(count, 1, args.seconds, pdf)
                rows.append(f"| leaflet PDF, 1 client | {len(pdfs)} | {statistics.median(pdfs):.0f} ms | {p95(pdfs):.0f} ms | "
                            f"{start_load}-{load()} | median <= 60 ms |")
            if "frontdesk" in only:
                visits = folder / "day.csv"
                make_csv(visits, args.rows)
                data = visits.read_bytes()
                c, token = client()
                start_load = load()
                start_ = time.perf_counter()
                reply = c.upload("/frontdesk", {"csrf": token, "action": "zip", "format": "pdf"},
                                 {"visits": ("day.csv", data)})
                zip_seconds = time.perf_counter() - start_
                assert reply.status == 200 and reply.headers["content-type"] == "application/zip", reply.text[:300]
        finally:
            server.stop()
        if "frontdesk" in only:
            env = {**os.environ, "PYTHONPATH": str(code)}
            start_ = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "handouts", "batch", str(visits), "--out-dir", str(folder / "out"),
                                   "--content", str(clinic)], env=env, capture_output=True, text=True)
            batch_seconds = time.perf_counter() - start_
            assert done.returncode == 0, done.stderr
            rows.append(f"| front desk: {args.rows}-row CSV to a zip | 1 | {zip_seconds:.1f} s | | {start_load}-{load()} | "
                        f"less than `handouts batch`: {batch_seconds:.1f} s |")

    print(f"{code.name}: load {before} at the start, {load()} at the end; {os.cpu_count()} cores")
    print(f"| measure ({os.cpu_count()} cores) | requests | median | p95 | load | target |")
    print("| --- | --- | --- | --- | --- | --- |")
    print("\n".join(rows))
    if "preview" in only:
        print(cpu_note)


if __name__ == "__main__":
    main()
