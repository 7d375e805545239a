"""The screen's browser tests' shared pieces: Debian's chromium (or HANDOUTS_CHROMIUM) driven by Playwright, never
`playwright install`, axe-core from tests/js, and the screen itself. Test modules import the fixtures by name."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from serving import REPO, clinic_folder, start

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


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The screen on 127.0.0.1 with a clinic folder of its own, for one test module; at the end it stops cleanly and
    its log holds no traceback and no patient's name (the tests' patient is Zebulon Quimby)."""
    tmp = tmp_path_factory.mktemp("serve")
    running = start(tmp, "--content", str(clinic_folder(tmp)))
    yield running
    assert running.stop() == 0
    assert "Zebulon" not in running.log_text() and "Traceback" not in running.log_text()
