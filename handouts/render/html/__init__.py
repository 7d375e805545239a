"""The HTML painter: the leaflet as one accessible page (Jinja2 templates, inline SVG)."""
