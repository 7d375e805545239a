"""The screen's locks: the clinic passphrase (scrypt), signed session cookies, CSRF tokens, login rate limits, hosts."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import HandoutError

PASSPHRASE_FILE = "serve-passphrase.json"
MIN_PASSPHRASE = 10
SCRYPT = {"n": 2**14, "r": 8, "p": 1}  # about 50 ms and 16 MB per try: slow for a guesser, quick for a login
SESSION_HOURS = 12
COOKIE = "handouts_session"


class PassphraseError(HandoutError):
    """The clinic passphrase is missing, too short, or its file cannot be read or written."""


def is_loopback(host: str) -> bool:
    """127.0.0.1, ::1, localhost: addresses only this computer can reach."""
    name = host.strip("[]").lower()
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


# ---- the passphrase -----------------------------------------------------------------------


def _scrypt(passphrase: str, salt: bytes, n: int, r: int, p: int) -> bytes:
    return hashlib.scrypt(passphrase.encode("utf-8"), salt=salt, n=n, r=r, p=p, maxmem=64 * 1024 * 1024, dklen=32)


def hash_passphrase(passphrase: str) -> dict:
    """The stored form of a passphrase: scrypt parameters, a random salt and the hash (never the passphrase)."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise PassphraseError(f"the passphrase is {len(passphrase)} characters long; use at least {MIN_PASSPHRASE} "
                              "(a few words you can remember, e.g. 'green kettle river lamp')")
    salt = secrets.token_bytes(16)
    digest = _scrypt(passphrase, salt, **SCRYPT)
    return {"scrypt": {**SCRYPT, "salt": salt.hex(), "hash": digest.hex()}}


@dataclass(frozen=True)
class Passphrase:
    """A stored passphrase: check a typed one against it; its hash also keys the session cookies."""

    n: int
    r: int
    p: int
    salt: bytes
    digest: bytes

    def matches(self, typed: str) -> bool:
        return hmac.compare_digest(_scrypt(typed, self.salt, self.n, self.r, self.p), self.digest)

    def signing_key(self) -> bytes:
        """Every worker derives the same key; a new passphrase ends every session."""
        return hmac.new(self.digest, b"handouts serve sessions", hashlib.sha256).digest()


def read_passphrase(folder: Path | None) -> Passphrase | None:
    """The clinic's stored passphrase, or None when none was set."""
    if folder is None:
        return None
    path = folder / PASSPHRASE_FILE
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))["scrypt"]
        return Passphrase(n=int(data["n"]), r=int(data["r"]), p=int(data["p"]), salt=bytes.fromhex(data["salt"]),
                          digest=bytes.fromhex(data["hash"]))
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PassphraseError(f"{path}: cannot be read ({type(exc).__name__}); delete it and set the passphrase again "
                              "with `handouts serve --set-passphrase`") from None


def write_passphrase(folder: Path, passphrase: str) -> Path:
    """Store the passphrase's scrypt hash in the clinic folder (atomically, readable by its owner only)."""
    from ..files import write_file

    path = folder / PASSPHRASE_FILE
    data = (json.dumps(hash_passphrase(passphrase), indent=2) + "\n").encode("utf-8")
    write_file(data, path, replace=True, label=str(path))
    path.chmod(0o600)
    return path


# ---- sessions and CSRF tokens -------------------------------------------------------------


class Signer:
    """Signed, stateless session cookies (any worker can check them) and the CSRF token bound to each session."""

    def __init__(self, key: bytes):
        self.key = key

    def _mac(self, text: str) -> str:
        return hmac.new(self.key, text.encode("ascii"), hashlib.sha256).hexdigest()[:40]

    def new_session(self, logged_in: bool, now: float | None = None) -> str:
        expires = int((time.time() if now is None else now) + SESSION_HOURS * 3600)
        body = f"{secrets.token_hex(12)}.{expires}.{int(logged_in)}"
        return f"{body}.{self._mac(body)}"

    def read(self, cookie: str | None, now: float | None = None) -> tuple[str, bool] | None:
        """(session id, logged in) for a valid, unexpired cookie; None otherwise."""
        if not cookie or cookie.count(".") != 3:
            return None
        body, mac = cookie.rsplit(".", 1)
        if not hmac.compare_digest(mac, self._mac(body)):
            return None
        sid, expires, logged = body.split(".")
        if not expires.isdigit() or int(expires) < (time.time() if now is None else now):
            return None
        return sid, logged == "1"

    def csrf(self, sid: str) -> str:
        return self._mac("csrf:" + sid)

    def csrf_ok(self, sid: str, token: str | None) -> bool:
        return bool(token) and hmac.compare_digest(str(token), self.csrf(sid))


# ---- login rate limit ----------------------------------------------------------------------


class LoginLimit:
    """At most `tries` failed logins per client address in `window` seconds (kept in memory only)."""

    def __init__(self, tries: int = 5, window: float = 300.0):
        self.tries, self.window = tries, window
        self._failed: dict[str, list[float]] = {}
        self._lock = threading.Lock()

    def wait(self, client: str, now: float | None = None) -> int:
        """Seconds until this client may try again (0: now)."""
        now = time.time() if now is None else now
        with self._lock:
            recent = [t for t in self._failed.get(client, []) if now - t < self.window]
            self._failed[client] = recent
            if len(recent) < self.tries:
                return 0
            return int(self.window - (now - recent[0])) + 1

    def failed(self, client: str, now: float | None = None) -> None:
        with self._lock:
            self._failed.setdefault(client, []).append(time.time() if now is None else now)
            if len(self._failed) > 10_000:  # a flood of addresses: forget the oldest, keep memory bounded
                self._failed.pop(next(iter(self._failed)))

    def succeeded(self, client: str) -> None:
        with self._lock:
            self._failed.pop(client, None)
