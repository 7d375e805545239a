"""Time `handouts serve`: the leaflet preview (HTML) with 4 clients, the PDF, and the front desk's zip vs `handouts batch`.

    python bench/serve.py [--requests 200] [--clients 4] [--seconds 60] [--rows 200]

Starts the screen on 127.0.0.1 (a free port) as a subprocess, warms it, then sends a bounded number of requests
for at most a bounded time per measurement; each request is a different patient. Prints a Markdown table.
Targets (issue 24, on a 2-core machine): preview median <= 40 ms and p95 <= 120 ms with 4 clients; PDF median
<= 60 ms; the front desk's zip of a 200-row CSV faster than `handouts batch` on the same file.
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

from serving import clinic_folder, start  # noqa: E402

VISITS = [("hip-pain", ["GB30", "GB29", "BL40", "ST36"], "en"), ("low-back-pain", None, "es"), ("migraine", None, "en"),
          ("insomnia", None, "zh"), ("knee-osteoarthritis", None, "en"), ("neck-pain", None, "es")]


def visit(i: int) -> dict:
    condition, points, lang = VISITS[i % len(VISITS)]
    data = {"condition": condition, "patient": f"Patient {i:04d}", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01",
            "lang": lang, "page_size": "letter"}
    if points:
        data.update(points=points, points_for=condition)
    return data


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--rows", type=int, default=200)
    args = parser.parse_args()
    from batch import make_csv

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        server = start(folder, "--content", str(clinic_folder(folder)))
        try:
            local = threading.local()

            def client():
                if not hasattr(local, "client"):
                    local.client = server.client()
                    local.token = local.client.token()
                return local.client, local.token

            def preview(i: int) -> None:
                c, token = client()
                reply = c.post("/leaflet/preview", {**visit(i), "csrf": token})
                assert reply.status == 200 and reply.json()["preview"], reply.text[:300]

            def pdf(i: int) -> None:
                c, token = client()
                reply = c.post("/leaflet/file", {**visit(i), "csrf": token, "action": "pdf"})
                assert reply.status == 200 and reply.body.startswith(b"%PDF"), reply.text[:300]

            for i in range(12):  # warm: every condition and language once, both formats
                preview(10_000 + i)
                pdf(10_000 + i)
            previews = timed(args.requests, args.clients, args.seconds, preview)
            pdfs = timed(max(20, args.requests // 4), 1, args.seconds, pdf)

            visits = folder / "day.csv"
            make_csv(visits, args.rows)
            data = visits.read_bytes()
            c, token = client()
            start_ = time.perf_counter()
            reply = c.upload("/frontdesk", {"csrf": token, "action": "zip", "format": "pdf"}, {"visits": ("day.csv", data)})
            zip_seconds = time.perf_counter() - start_
            assert reply.status == 200 and reply.headers["content-type"] == "application/zip", reply.text[:300]
        finally:
            server.stop()
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        start_ = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "handouts", "batch", str(visits), "--out-dir", str(folder / "out")],
                              env=env, capture_output=True, text=True)
        batch_seconds = time.perf_counter() - start_
        assert done.returncode == 0, done.stderr

    print(f"| measure ({os.cpu_count()} cores) | requests | median | p95 | target |")
    print("| --- | --- | --- | --- | --- |")
    print(f"| leaflet preview (HTML), {args.clients} clients | {len(previews)} | {statistics.median(previews):.0f} ms | "
          f"{p95(previews):.0f} ms | median <= 40 ms, p95 <= 120 ms |")
    print(f"| leaflet PDF, 1 client | {len(pdfs)} | {statistics.median(pdfs):.0f} ms | {p95(pdfs):.0f} ms | median <= 60 ms |")
    print(f"| front desk: {args.rows}-row CSV to a zip | 1 | {zip_seconds:.1f} s | | less than `handouts batch`: "
          f"{batch_seconds:.1f} s |")


if __name__ == "__main__":
    main()
