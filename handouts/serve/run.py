"""Start the screen with uvicorn on one address; Ctrl-C stops it cleanly. What `handouts serve` calls."""

from __future__ import annotations

import logging
import os
import secrets
import threading
import webbrowser

from .config import ENV_SECRET, ServeConfig
from .security import is_loopback


class _NoNames(logging.Filter):
    """Uvicorn's own lines carry no patient data, but keep only the ones about starting and stopping."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or "Uvicorn running" not in record.getMessage()


def make_server(config: ServeConfig, host: str, port: int):
    """A uvicorn Server for the app on host:port, with the access log off (URLs and forms may hold patient data)."""
    import uvicorn

    from .app import create_app

    app = create_app(config)
    settings = uvicorn.Config(app, host=host, port=port, access_log=False, log_level="warning", server_header=False,
                              date_header=False, proxy_headers=False, lifespan="off", timeout_graceful_shutdown=3)
    return uvicorn.Server(settings)


def serve(config: ServeConfig, host: str, port: int, open_browser: bool, say=print) -> None:
    """Run until Ctrl-C. `say` prints the address (and how to stop)."""
    config = ServeConfig(content=config.content, clinic=config.clinic, record=config.record, hosts=config.hosts,
                         secret=config.secret or os.environ.get(ENV_SECRET) or secrets.token_hex(32))
    server = make_server(config, host, port)
    address = f"http://{config.hosts[0]}/"
    say(f"The clinic's screen is at {address}  (press Ctrl-C to stop)")
    if len(config.hosts) > 1 and not is_loopback(host):
        say("It also answers at " + ", ".join(f"http://{h}/" for h in config.hosts[1:]))
    if open_browser:
        threading.Timer(0.5, lambda: webbrowser.open(address)).start()
    server.run()  # uvicorn handles Ctrl-C (SIGINT) and SIGTERM: finishes open requests, then returns
