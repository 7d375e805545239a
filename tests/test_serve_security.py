"""The screen's locks on their own: session cookies, CSRF tokens, the login limit, the passphrase, loopback names."""

from __future__ import annotations

import pytest

from handouts.serve.config import ServeConfig, host_names
from handouts.serve.security import LoginLimit, PassphraseError, Signer, hash_passphrase, is_loopback, read_passphrase, write_passphrase


def test_a_session_cookie_is_signed_and_expires():
    signer = Signer(b"k" * 32)
    cookie = signer.new_session(logged_in=True, now=1000.0)
    sid, logged_in = signer.read(cookie, now=1001.0)
    assert logged_in and len(sid) == 24
    assert signer.read(cookie, now=1000.0 + 13 * 3600) is None  # 12 hours
    sid_part, expires, flag, mac = cookie.split(".")
    assert signer.read(f"{sid_part}.{int(expires) + 9999}.{flag}.{mac}", now=1001.0) is None  # expiry cannot be moved
    assert signer.read(cookie.replace(".1.", ".0."), now=1001.0) is None  # logged-in flag cannot be changed
    assert Signer(b"x" * 32).read(cookie, now=1001.0) is None  # another key (a new passphrase) ends it
    for junk in (None, "", "a.b", "a.b.c.d", "....."):
        assert signer.read(junk) is None


def test_a_csrf_token_belongs_to_one_session():
    signer = Signer(b"k" * 32)
    assert signer.csrf_ok("abc", signer.csrf("abc"))
    assert not signer.csrf_ok("abd", signer.csrf("abc"))
    assert not signer.csrf_ok("abc", None) and not signer.csrf_ok("abc", "")


def test_login_limit_counts_failures_per_address_in_a_window():
    limit = LoginLimit(tries=3, window=60)
    for t in (0, 1, 2):
        assert limit.wait("1.2.3.4", now=t) == 0
        limit.failed("1.2.3.4", now=t)
    assert 55 <= limit.wait("1.2.3.4", now=5) <= 56
    assert limit.wait("5.6.7.8", now=5) == 0
    assert limit.wait("1.2.3.4", now=61) == 0  # the first failure has left the window
    limit.succeeded("1.2.3.4")
    assert limit.wait("1.2.3.4", now=62) == 0


def test_passphrase_round_trip_and_a_damaged_file(tmp_path):
    write_passphrase(tmp_path, "green kettle river")
    stored = read_passphrase(tmp_path)
    assert stored.matches("green kettle river") and not stored.matches("green kettle rivers")
    assert (tmp_path / "serve-passphrase.json").stat().st_mode & 0o077 == 0
    assert hash_passphrase("green kettle river") != hash_passphrase("green kettle river")  # salted
    (tmp_path / "serve-passphrase.json").write_text("{not json")
    with pytest.raises(PassphraseError, match="--set-passphrase"):
        read_passphrase(tmp_path)
    assert read_passphrase(tmp_path / "none") is None


@pytest.mark.parametrize("host, loopback", [("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True),
                                             ("localhost", True), ("0.0.0.0", False), ("192.168.1.5", False),
                                             ("clinic.lan", False)])
def test_loopback_addresses(host, loopback):
    assert is_loopback(host) is loopback


def test_the_host_names_a_browser_sends():
    assert host_names("127.0.0.1", 8765) == ("127.0.0.1:8765", "localhost:8765")
    assert host_names("::1", 9000) == ("[::1]:9000", "localhost:9000", "127.0.0.1:9000")
    assert host_names("192.168.1.5", 8765) == ("192.168.1.5:8765",)
    assert ServeConfig(hosts=host_names("0.0.0.0", 1)).open_to_network
    assert not ServeConfig(hosts=host_names("127.0.0.1", 1)).open_to_network


def test_a_wildcard_address_answers_to_this_computers_names_and_extra_ones():
    import socket

    names = host_names("0.0.0.0", 8765, "handouts.clinic.lan, front.lan:443")
    assert f"{socket.gethostname().lower()}:8765" in names and "localhost:8765" in names
    assert names[-2:] == ("handouts.clinic.lan:8765", "front.lan:443")
    assert not names[0].startswith(("127.", "localhost"))
    assert ServeConfig(hosts=names).open_to_network


def _call(app, method="GET", path="/", headers=(("host", "127.0.0.1:8765"),), body=b""):
    """Drive an ASGI app once, in-process: (status, headers, body)."""
    import asyncio

    sent = []
    messages = [{"type": "http.request", "body": body, "more_body": False}]

    async def receive():
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": method, "path": path, "headers": [(k.encode(), v.encode()) for k, v in headers],
             "query_string": b"", "scheme": "http", "server": ("127.0.0.1", 8765), "client": ("127.0.0.1", 5000)}
    asyncio.run(app(scope, receive, send))
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], dict((k.decode(), v.decode()) for k, v in start["headers"]), body.decode()


def test_a_bug_becomes_a_clear_page_and_a_log_line_without_its_text(caplog):
    from handouts.serve.app import Guard

    async def broken(scope, receive, send):
        raise ValueError("Zebulon Quimby's note could not be read")

    status, headers, body = _call(Guard(broken, ServeConfig()))
    assert status == 500 and "internal error (ValueError)" in body and "Nothing was printed or saved" in body
    assert "Zebulon" not in body and "Traceback" not in body
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "ValueError" in caplog.text and "Zebulon" not in caplog.text


def test_the_guard_refuses_foreign_hosts_before_the_app_runs():
    from handouts.serve.app import Guard

    ran = []

    async def app(scope, receive, send):
        ran.append(scope)

    status, _, body = _call(Guard(app, ServeConfig()), headers=(("host", "attacker.example:8765"),))
    assert status == 403 and not ran and "does not answer to the address" in body
    status, _, _ = _call(Guard(app, ServeConfig()), method="POST", headers=(("host", "127.0.0.1:8765"),
                                                                                  ("origin", "http://localhost:9999")))
    assert status == 403 and not ran
