"""The booking QR code as data: the encoded symbol and its module grid, which the PDF and SVG painters only paint."""

from __future__ import annotations

from functools import lru_cache

QUIET_MODULES = 4  # the quiet zone the QR standard asks for, in modules


@lru_cache(maxsize=64)
def qr_widget(url: str):
    """The encoded QR code for an address, made once per process (encoding is most of a code's cost; drawing only reads it)."""
    from reportlab.graphics.barcode.qr import QrCodeWidget  # ReportLab's encoder (level M), not its drawing

    widget = QrCodeWidget(url, barLevel="M", barBorder=QUIET_MODULES)
    widget.qr.make()
    return widget


def module_count(url: str) -> int:
    """Modules across the symbol, without the quiet zone: how dense the code prints at a given size."""
    return qr_widget(url).qr.getModuleCount()


def qr_modules(url: str) -> list[list[bool]]:
    """The QR module grid (True: dark) for a URL, the same symbol the PDF draws."""
    return [[bool(v) for v in row] for row in qr_widget(url).qr.modules]
