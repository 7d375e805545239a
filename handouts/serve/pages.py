"""The screen's own pages: one autoescaping Jinja2 environment over handouts/serve/templates."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

TEMPLATES = Path(__file__).resolve().parent / "templates"
SCREENS = (("/", "Leaflet"), ("/frontdesk", "Front desk"), ("/brochures", "Brochures"), ("/content", "Content and sign-off"),
           ("/settings", "Clinic settings"))


@lru_cache(maxsize=1)
def environment():
    from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True, default_for_string=True),
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.globals["screens"] = SCREENS
    return env


def render(template: str, **values: Any) -> str:
    values.setdefault("csrf", "")
    values.setdefault("login", False)
    values.setdefault("path", "")
    return environment().get_template(template).render(**values)


def page(template: str, status: int = 200, **values: Any):
    from starlette.responses import HTMLResponse

    return HTMLResponse(render(template, **values), status_code=status)
