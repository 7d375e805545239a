"""The package root is the public API: every exported name is what it says, whatever was imported first."""

from __future__ import annotations

import importlib
import pkgutil
import types

import handouts


def test_no_exported_name_is_hidden_by_a_submodule_of_the_same_name():
    # Importing a submodule sets it as an attribute of the package: a function named like its module
    # (compose in compose.py, once) would then be replaced by the module, depending on import order.
    for info in pkgutil.walk_packages(handouts.__path__, "handouts."):
        if info.name != "handouts.cli":  # the click app ships inside the package only in the wheel
            importlib.import_module(info.name)
    for name in handouts.__all__:
        assert not isinstance(getattr(handouts, name), types.ModuleType), name


def test_a_leaflet_holds_its_bytes_in_data_and_an_html_page_has_no_pdf():
    import pytest

    page = handouts.build_leaflet({"condition": "hip-pain", "date": "2026-12-01"}, output=handouts.Output("html"))
    assert page.data.startswith(b"<!DOCTYPE html>") or page.data.lstrip().lower().startswith(b"<!doctype html>")
    with pytest.raises(AttributeError, match="HTML page, not a PDF: read Leaflet.data"):
        page.pdf
    sheet = handouts.build_leaflet({"condition": "hip-pain", "date": "2026-12-01"})
    assert sheet.data.startswith(b"%PDF-") and sheet.pdf is sheet.data
