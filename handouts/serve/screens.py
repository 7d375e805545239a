"""Screens 2 to 4: the front desk's day file, brochures with their proof and preflight, content and sign-off."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response


async def frontdesk(request: Request, screen) -> Response:
    return screen.page(request, "message.html.j2", title="Front desk", message="Coming soon.")


async def brochures(request: Request, screen) -> Response:
    return screen.page(request, "message.html.j2", title="Brochures", message="Coming soon.")


async def content(request: Request, screen) -> Response:
    return screen.page(request, "message.html.j2", title="Content", message="Coming soon.")


async def content_file(request: Request, screen) -> Response:
    return screen.page(request, "message.html.j2", title="Content", message="Coming soon.")


async def approve(request: Request, screen) -> Response:
    return screen.page(request, "message.html.j2", title="Content", message="Coming soon.")
