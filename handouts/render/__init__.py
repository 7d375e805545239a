"""Renderers: Handout -> PDF bytes, one module per layout."""

from .leaflet import RenderOptions, render_leaflet

__all__ = ["RenderOptions", "render_leaflet"]
