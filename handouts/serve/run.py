"""Start the screen with uvicorn on one address; Ctrl-C stops it cleanly. What `handouts serve` calls."""

from __future__ import annotations

import logging
import os
import secrets
import threading
import webbrowser
from pathlib import Path

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


def worker_app():
    """The app in a worker process of `handouts serve --workers N` (ServeConfig from the environment), with the
    garbage collector set as `python -m handouts` sets it for every command (handouts/__main__.py)."""
    import gc

    from .app import create_app

    gc.set_threshold(10_000, 10, 10)
    return create_app()


def _environment(config: ServeConfig) -> None:
    """Hand the settings to the worker processes, which read them as a group of clinics' workers do (create_app)."""
    from .config import ENV_CLINIC, ENV_HOSTS, ENV_RECORD

    for name, path in (("HANDOUTS_CONTENT", config.content), (ENV_CLINIC, config.clinic), (ENV_RECORD, config.record)):
        if path is not None:
            os.environ[name] = str(Path(path).resolve())
        elif name != "HANDOUTS_CONTENT":  # unset HANDOUTS_CONTENT: the workers find it where this process did
            os.environ.pop(name, None)
    os.environ[ENV_HOSTS] = ",".join(config.hosts)
    os.environ[ENV_SECRET] = config.secret


def serve(config: ServeConfig, host: str, port: int, open_browser: bool, say=print, workers: int = 1) -> None:
    """Run until Ctrl-C. `say` prints the address (and how to stop). With workers > 1, uvicorn's supervisor starts
    that many processes on one listening socket (settings through the environment, as for a group of clinics);
    Ctrl-C stops them all, each finishing its open requests."""
    config = ServeConfig(content=config.content, clinic=config.clinic, record=config.record, hosts=config.hosts,
                         secret=config.secret or os.environ.get(ENV_SECRET) or secrets.token_hex(32))
    if workers > 1:
        _environment(config)
    server = make_server(config, host, port) if workers <= 1 else None
    address = f"http://{config.hosts[0]}/"
    say(f"The clinic's screen is at {address}  (press Ctrl-C to stop)")
    if len(config.hosts) > 1 and not is_loopback(host):
        say("It also answers at " + ", ".join(f"http://{h}/" for h in config.hosts[1:]))
    if open_browser:
        threading.Timer(0.5, lambda: webbrowser.open(address)).start()
    if server is not None:
        from .helper import Helper

        helper = server.config.app.state.helper = Helper(config.content, config.clinic).start()
        try:
            server.run()  # uvicorn handles Ctrl-C (SIGINT) and SIGTERM: finishes open requests, then returns
        finally:
            helper.stop()
        return
    import uvicorn

    uvicorn.run("handouts.serve.run:worker_app", factory=True, workers=workers, host=host, port=port, access_log=False,
                log_level="warning", server_header=False, date_header=False, proxy_headers=False, lifespan="off",
                timeout_graceful_shutdown=3)
