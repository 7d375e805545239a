"""The ASGI app: `uvicorn --factory handouts.serve.app:create_app` (settings from the environment, see config.py).

Layers, outside in: a clean page for any failure (never a traceback, never a patient's name in a log line), the
Host/Origin check (DNS rebinding), security headers, a body size limit, then the screens. No state is kept
beyond caches (the content library, the login rate limit), so several workers can serve one clinic.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Route

from ..errors import HandoutError
from .config import MAX_FORM, MAX_UPLOAD, ServeConfig
from .pages import page, render
from .security import COOKIE, LoginLimit, Signer

log = logging.getLogger("handouts.serve")
STATIC = Path(__file__).resolve().parent / "static"
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "font-src 'self' data:; connect-src 'self'; form-action 'self'; frame-src 'self'; base-uri 'none'; "
       "frame-ancestors 'none'")
HEADERS = [(b"content-security-policy", CSP.encode()), (b"x-content-type-options", b"nosniff"),
           (b"x-frame-options", b"DENY"), (b"referrer-policy", b"same-origin"),
           (b"cache-control", b"no-store"), (b"cross-origin-opener-policy", b"same-origin")]


class Forbidden(Exception):
    """A request the screen refuses (foreign host or origin, missing or wrong CSRF token): 403."""


class TooLarge(Exception):
    """A request body over the limit: 413."""


# ---- middleware (plain ASGI) ------------------------------------------------------------------------------


def _error_page(status: int, title: str, message: str) -> Response:
    return HTMLResponse(render("error.html.j2", title=title, message=message), status_code=status)


class Guard:
    """Outermost: any failure becomes a clear page; the log gets the exception's type, never its text."""

    def __init__(self, app, config: ServeConfig):
        self.app, self.config = app, config
        self.hosts = set(config.hosts)
        self.origins = {f"{scheme}://{h}" for h in self.hosts for scheme in ("http", "https")}
        # a proxy's standard ports: the browser leaves them out of Host and Origin
        for h in list(self.hosts):
            name, _, port = h.rpartition(":")
            if port in ("80", "443"):
                self.hosts.add(name)
                self.origins |= {f"http://{name}", f"https://{name}"}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def tracked(message):
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                message = {**message, "headers": [*message.get("headers", []), *HEADERS]}
            await send(message)

        try:
            self.check(scope)
            await self.app(scope, _limited(receive, scope), tracked)
        except Forbidden as exc:
            if not started:
                await _error_page(403, "Refused", str(exc))(scope, receive, tracked)
        except TooLarge as exc:
            if not started:
                await _drain(receive)  # read the rest, so the browser sees this page rather than a broken connection
                await _error_page(413, "Too large", str(exc))(scope, receive, tracked)
        except Exception as exc:  # a bug: say so plainly; log the type only (the text may quote a patient)
            log.error("internal error %s on %s %s", type(exc).__name__, scope.get("method"), scope.get("path"))
            if not started:
                await _error_page(500, "Something went wrong", (
                    f"The screen hit an internal error ({type(exc).__name__}). Nothing was printed or saved. Go back and "
                    "try again; if it happens again, tell whoever looks after the computer what you were doing."))(
                    scope, receive, tracked)

    def check(self, scope) -> None:
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        host = headers.get("host", "").lower()
        if host not in self.hosts:
            raise Forbidden(f"This screen does not answer to the address {host or '(none)'!r}. Open it at "
                            f"http://{self.config.hosts[0]}/ (a page on another site cannot reach it).")
        if scope["method"] not in ("GET", "HEAD"):
            origin = headers.get("origin")
            if origin is not None and origin.lower() not in self.origins:
                raise Forbidden("Refused: this form was sent from another site. Use the clinic's screen itself.")
            if headers.get("sec-fetch-site") == "cross-site":
                raise Forbidden("Refused: this form was sent from another site. Use the clinic's screen itself.")


async def _drain(receive, most: int = 64_000_000) -> None:
    """Read and drop what is left of a request body (up to `most` bytes; past that the connection just closes)."""
    seen = 0
    while seen < most:
        message = await receive()
        if message["type"] != "http.request":
            return
        seen += len(message.get("body", b""))
        if not message.get("more_body", False):
            return


def _limited(receive, scope):
    """The request body, refused past the limit (a front-desk upload may be 2 MB; any other form far less)."""
    limit = MAX_UPLOAD + 64_000 if scope.get("path", "").startswith("/frontdesk") else MAX_FORM
    for key, value in scope.get("headers", []):
        if key.lower() == b"content-length" and value.isdigit() and int(value) > limit:
            raise TooLarge(_too_large(limit))
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge(_too_large(limit))
        return message

    return wrapped


def _too_large(limit: int) -> str:
    return (f"What was sent is over the {limit // 1_000_000 or 1} MB this screen takes. For the front desk, split the "
            "day's file into smaller files (at most 1,000 rows and 2 MB each).")


# ---- sessions ---------------------------------------------------------------------------------------------


class Screen:
    """What every handler needs: the settings, the cookie signer and the login state of this request."""

    def __init__(self, config: ServeConfig):
        self.config = config
        self.stored = config.passphrase()  # refuses an open-to-the-network screen without one
        self.signer = Signer(config.signing_key(self.stored))
        self.limit = LoginLimit()

    @property
    def login_required(self) -> bool:
        return self.stored is not None

    def session(self, request: Request) -> tuple[str, bool, str | None]:
        """(session id, logged in, a new cookie to set or None)."""
        found = self.signer.read(request.cookies.get(COOKIE))
        if found is not None:
            return found[0], found[1], None
        cookie = self.signer.new_session(logged_in=False)
        sid, _ = self.signer.read(cookie)  # type: ignore[misc]
        return sid, False, cookie

    async def form(self, request: Request) -> Any:
        """The posted form, after its CSRF token was checked (Forbidden otherwise)."""
        form = await request.form(max_files=0, max_fields=200, max_part_size=MAX_FORM)
        self.check_token(request, form.get("csrf"))
        return form

    def check_token(self, request: Request, token: Any) -> None:
        found = self.signer.read(request.cookies.get(COOKIE))
        if found is None or not self.signer.csrf_ok(found[0], token if isinstance(token, str) else None):
            raise Forbidden("Refused: the form's security token is missing or out of date (this happens when a form "
                            "comes from another site, or after the screen restarted). Reload the page and try again.")

    def page(self, request: Request, template: str, status: int = 200, **values: Any) -> Response:
        sid, logged_in, cookie = self.session(request)
        response = page(template, status=status, csrf=self.signer.csrf(sid), login=self.login_required,
                        path=request.url.path, **values)
        if cookie:
            set_cookie(response, cookie)
        return response


def set_cookie(response: Response, value: str) -> None:
    response.set_cookie(COOKIE, value, httponly=True, samesite="strict", path="/")


def requires_login(handler):
    """Send a visitor who has not logged in (when the clinic set a passphrase) to the login page."""

    async def wrapped(request: Request) -> Response:
        screen: Screen = request.app.state.screen
        if screen.login_required:
            _, logged_in, _ = screen.session(request)
            if not logged_in:
                if request.method != "GET":
                    raise Forbidden("Refused: log in first (your session may have ended). Reload the page.")
                return RedirectResponse("/login", status_code=303)
        try:
            return await handler(request, screen)
        except HandoutError as exc:
            return screen.page(request, "error.html.j2", status=400, title="That did not work", message=str(exc))

    wrapped.__name__ = handler.__name__
    return wrapped


# ---- login --------------------------------------------------------------------------------------------------


async def login(request: Request) -> Response:
    screen: Screen = request.app.state.screen
    if not screen.login_required:
        return RedirectResponse("/", status_code=303)
    if request.method == "GET":
        return screen.page(request, "login.html.j2")
    form = await screen.form(request)
    client = request.client.host if request.client else "?"
    wait = screen.limit.wait(client)
    if wait:
        return screen.page(request, "login.html.j2", status=429,
                           error=f"Too many wrong passphrases. Wait {wait // 60 + 1} minutes, then try again.")
    typed = form.get("passphrase")
    if not isinstance(typed, str) or not screen.stored or not screen.stored.matches(typed):
        screen.limit.failed(client)
        return screen.page(request, "login.html.j2", status=401, error="That passphrase is not the clinic's. Try again.")
    screen.limit.succeeded(client)
    response = RedirectResponse("/", status_code=303)
    set_cookie(response, screen.signer.new_session(logged_in=True))
    return response


async def logout(request: Request) -> Response:
    screen: Screen = request.app.state.screen
    await screen.form(request)
    response = RedirectResponse("/login" if screen.login_required else "/", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


async def static(request: Request) -> Response:
    name = request.path_params["name"]
    path = STATIC / name
    if "/" in name or path.suffix not in STATIC_TYPES or not path.is_file():
        return PlainTextResponse("not found", status_code=404)
    return Response(path.read_bytes(), media_type=STATIC_TYPES[path.suffix])


async def http_error(request: Request, exc: Exception) -> Response:
    """Starlette's own refusals (a form it cannot parse, say) as a page like every other."""
    status = getattr(exc, "status_code", 400)
    return _error_page(status, "That did not work", "The screen could not read what was sent. Reload the page and try again.")


async def not_found(request: Request, exc: Exception) -> Response:
    return _error_page(404, "Not found", "There is no such page here. Use the links at the top of the screen.")


async def not_allowed(request: Request, exc: Exception) -> Response:
    return _error_page(405, "Not allowed", "This page cannot be used that way. Use the links at the top of the screen.")


def create_app(config: ServeConfig | None = None) -> Starlette:
    """The screen as an ASGI app; without `config`, its settings come from the environment (ServeConfig.from_env)."""
    from . import leaflet, screens, settings

    config = config or ServeConfig.from_env()
    routes = [
        Route("/", requires_login(leaflet.screen), methods=["GET", "POST"]),
        Route("/leaflet/preview", requires_login(leaflet.preview), methods=["POST"]),
        Route("/leaflet/file", requires_login(leaflet.file), methods=["POST"]),
        Route("/frontdesk", requires_login(screens.frontdesk), methods=["GET", "POST"]),
        Route("/brochures", requires_login(screens.brochures), methods=["GET", "POST"]),
        Route("/content", requires_login(screens.content), methods=["GET"]),
        Route("/content/file", requires_login(screens.content_file), methods=["GET"]),
        Route("/content/approve", requires_login(screens.approve), methods=["POST"]),
        Route("/settings", requires_login(settings.screen), methods=["GET", "POST"]),
        Route("/login", login, methods=["GET", "POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/static/{name}", static, methods=["GET"]),
    ]
    from starlette.exceptions import HTTPException

    app = Starlette(routes=routes, exception_handlers={404: not_found, 405: not_allowed, HTTPException: http_error})
    app.state.screen = Screen(config)
    app.state.helper = None  # `handouts serve` with one process sets a preview helper (serve/helper.py)
    app.add_middleware(Guard, config=config)
    return app
