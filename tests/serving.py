"""A real `handouts serve` on 127.0.0.1 for the tests: started as a subprocess on a free port, its log captured."""

from __future__ import annotations

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Reply:
    status: int
    headers: dict
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", "replace")

    def json(self):
        return json.loads(self.body)

    def errors(self) -> list[str]:
        """The messages shown beside fields (and on error pages), unescaped."""
        import html

        return [html.unescape(m) for m in re.findall(r'class="error"[^>]*>([^<]*)', self.text)]


@dataclass
class Server:
    """One running screen; `client()` gives a browser-like client with its own cookies."""

    process: subprocess.Popen
    port: int
    log: Path
    folder: Path
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def client(self) -> "Client":
        return Client(self.url)

    def log_text(self) -> str:
        return self.log.read_text("utf-8", "replace")

    def stop(self) -> int:
        self.process.send_signal(2)  # Ctrl-C
        try:
            return self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            return self.process.wait()


def start(folder: Path, *args: str, env: dict | None = None) -> Server:
    """`handouts serve --no-browser --port FREE ARGS` with `folder` as its working folder; waits until it answers."""
    port = free_port()
    log = folder / "server.log"
    handle = log.open("wb")
    process = subprocess.Popen([sys.executable, "-m", "handouts", "serve", "--no-browser", "--port", str(port), *args],
                               cwd=folder, stdout=handle, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                               env={**os.environ, "PYTHONPATH": str(REPO), **(env or {})})
    server = Server(process, port, log, folder)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server stopped: {log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the server did not start in 60 s")


class Client:
    """Cookies kept, redirects not followed, any status returned (never raised)."""

    def __init__(self, base: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *a, **k):
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect)

    def request(self, method: str, path: str, body: bytes | None = None, headers: dict | None = None) -> Reply:
        req = urllib.request.Request(self.base + path, data=body, headers=headers or {}, method=method)
        try:
            with self.opener.open(req, timeout=120) as r:
                return Reply(r.status, {k.lower(): v for k, v in r.headers.items()}, r.read())
        except urllib.error.HTTPError as e:
            return Reply(e.code, {k.lower(): v for k, v in e.headers.items()}, e.read())

    def get(self, path: str, headers: dict | None = None) -> Reply:
        return self.request("GET", path, headers=headers)

    def token(self, path: str = "/") -> str:
        """The CSRF token of a page's form (a GET sets the session cookie it is bound to)."""
        page = self.get(path)
        return re.search(r'name="csrf" value="([^"]+)"', page.text).group(1)

    def post(self, path: str, data: dict, headers: dict | None = None) -> Reply:
        body = urllib.parse.urlencode(data, doseq=True).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded", **(headers or {})})

    def upload(self, path: str, data: dict, files: dict[str, tuple[str, bytes]], headers: dict | None = None) -> Reply:
        boundary = "----handouts-test-boundary"
        parts = []
        for name, value in data.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
        for name, (filename, content) in files.items():
            parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                         f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        body = b"".join(parts) + f"--{boundary}--\r\n".encode()
        return self.request("POST", path, body, {"Content-Type": f"multipart/form-data; boundary={boundary}", **(headers or {})})


def clinic_folder(tmp: Path) -> Path:
    """A clinic's own content folder: a copy of the bundled clinic.yaml with two practitioners."""
    folder = tmp / "our-clinic"
    folder.mkdir()
    text = (REPO / "content" / "clinic.yaml").read_text("utf-8").replace(
        "practitioners: []", 'practitioners: ["John Roe, L.Ac.", "Ana Ruiz, LAc"]')
    (folder / "clinic.yaml").write_text(text, "utf-8")
    return folder
