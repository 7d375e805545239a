"""The screen's browser tests' shared pieces: Debian's chromium (or HANDOUTS_CHROMIUM) driven by Playwright, never
`playwright install`, and axe-core from tests/js. Test modules import the fixtures by name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from serving import REPO

CHROMIUM = Path(os.environ.get("HANDOUTS_CHROMIUM", "/usr/bin/chromium"))
AXE = REPO / "tests" / "js" / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install \".[test]\"")
    with sync_api.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM))
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    # bypass_csp only so that axe's script can be added; the screen's own scripts need no exception
    context = browser.new_context(bypass_csp=True, viewport={"width": 1280, "height": 900}, accept_downloads=True)
    tab = context.new_page()
    yield tab
    context.close()
