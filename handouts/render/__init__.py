"""Renderers: Handout -> PDF bytes, one module per layout."""

from reportlab import rl_config

# Binary Flate streams, not ASCII85 text on top: every stream (fonts, pages) a fifth smaller, and no
# pure-Python encoding pass. Read by ReportLab when it writes a PDF, so set once for the process.
rl_config.useA85 = 0

from .pdf.leaflet import RenderOptions, render_leaflet  # noqa: E402

__all__ = ["RenderOptions", "render_leaflet"]
