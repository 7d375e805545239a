"""What one served screen works on: the content, clinic profile and record, the addresses it answers to, the login."""

from __future__ import annotations

import os
import re
import secrets
from dataclasses import dataclass
from pathlib import Path

from .security import Passphrase, PassphraseError, is_loopback, read_passphrase

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8765
# The environment a worker reads (uvicorn --factory handouts.serve.app:create_app); `handouts serve` sets them too.
ENV_CLINIC, ENV_RECORD, ENV_HOSTS, ENV_SECRET = "HANDOUTS_CLINIC", "HANDOUTS_RECORD", "HANDOUTS_SERVE_HOSTS", "HANDOUTS_SERVE_SECRET"
MAX_UPLOAD = 2_000_000  # bytes of a front-desk upload
MAX_ROWS = 1000  # visits in one upload
MAX_FORM = 100_000  # bytes of any other form (the longest field, the note, is 1,500 characters)


@dataclass(frozen=True)
class ServeConfig:
    content: Path | None = None
    clinic: Path | None = None
    record: Path | None = None
    hosts: tuple[str, ...] = (f"{DEFAULT_HOST}:{DEFAULT_PORT}", f"localhost:{DEFAULT_PORT}")  # Host headers answered
    secret: str = ""  # keys the session cookies when no passphrase is set (all workers must share it)

    @classmethod
    def from_env(cls) -> "ServeConfig":
        env = os.environ
        hosts = tuple(h.strip().lower() for h in env.get(ENV_HOSTS, "").split(",") if h.strip())
        return cls(content=Path(env["HANDOUTS_CONTENT"]) if env.get("HANDOUTS_CONTENT") else None,
                   clinic=Path(env[ENV_CLINIC]) if env.get(ENV_CLINIC) else None,
                   record=Path(env[ENV_RECORD]) if env.get(ENV_RECORD) else None,
                   hosts=hosts or cls.hosts, secret=env.get(ENV_SECRET, ""))

    @property
    def open_to_network(self) -> bool:
        """True when any address it answers to is not this computer's own (then a passphrase is required)."""
        return any(not is_loopback(h.rsplit(":", 1)[0]) for h in self.hosts)

    def folder(self) -> Path | None:
        """The clinic's own folder: the --clinic file's folder, else the --content folder (None: bundled content only)."""
        if self.clinic is not None:
            return self.clinic.resolve().parent
        from ..library.approvals import clinic_folder
        from ..library.load import content_roots

        return clinic_folder(content_roots(self.content))

    def passphrase(self) -> Passphrase | None:
        """The stored passphrase; PassphraseError when the screen is open to the network without one."""
        stored = read_passphrase(self.folder())
        if stored is None and self.open_to_network:
            raise PassphraseError(
                "handouts serve --host: the screen would be open to other computers without a passphrase; set one first "
                "with `handouts serve --set-passphrase --content YOUR-CLINIC-FOLDER` (it is stored as a scrypt hash in "
                "that folder), or leave out --host to serve this computer only")
        return stored

    def signing_key(self, stored: Passphrase | None) -> bytes:
        if stored is not None:
            return stored.signing_key()
        return (self.secret or secrets.token_hex(32)).encode("ascii")


def host_names(host: str, port: int, extra: str = "") -> tuple[str, ...]:
    """The Host header values a browser sends for this address (loopback: also localhost and 127.0.0.1).

    A wildcard address (0.0.0.0, ::) answers to this computer's name and addresses; `extra` adds other names a
    browser may use (comma-separated, e.g. a name in the clinic's network), with or without a port."""
    def bracket(name: str) -> str:
        return f"[{name}]" if ":" in name and not name.startswith("[") else name

    names = [f"{bracket(host).lower()}:{port}"]
    if host in ("0.0.0.0", "::", ""):
        import socket

        own = {socket.gethostname(), socket.getfqdn()}
        for name in list(own):
            try:
                own |= set(socket.gethostbyname_ex(name)[2])
            except OSError:
                pass
        ordered = sorted((n for n in own if n), key=lambda n: (is_loopback(n), n))  # the network's names first
        names = [f"{bracket(n).lower()}:{port}" for n in ordered] + [f"localhost:{port}", f"127.0.0.1:{port}"]
    elif is_loopback(host):
        names += [f"localhost:{port}", f"127.0.0.1:{port}"]
    for item in (e.strip().lower() for e in extra.split(",")):
        if item:
            names.append(item if re.search(r":\d+$", item) else f"{bracket(item)}:{port}")
    return tuple(dict.fromkeys(names))
