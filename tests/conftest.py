"""Shared helpers: run the CLI in-process, read PDFs back."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from handouts.__main__ import load_cli

main = load_cli()

REPO = Path(__file__).resolve().parent.parent


def pytest_addoption(parser):
    parser.addoption("--regen-golden", action="store_true", help="rewrite the golden PNGs under tests/golden/ (then look at them)")


@pytest.fixture(autouse=True, scope="session")
def _library_cache_in_a_temp_folder(tmp_path_factory):
    """The validated library's disk cache (handouts/library/cache.py) goes to a folder of the test run, not ~/.cache;
    CLI runs in subprocesses inherit it."""
    import os

    before = os.environ.get("HANDOUTS_CACHE")
    os.environ["HANDOUTS_CACHE"] = str(tmp_path_factory.mktemp("library-cache"))
    yield
    if before is None:
        os.environ.pop("HANDOUTS_CACHE", None)
    else:
        os.environ["HANDOUTS_CACHE"] = before


@pytest.fixture
def regen_golden(request) -> bool:
    return request.config.getoption("--regen-golden")


@pytest.fixture
def run(monkeypatch):
    """Run `handouts ARGS...` in-process; returns click's Result (exit_code, output)."""
    monkeypatch.delenv("HANDOUTS_CONTENT", raising=False)

    def _run(*args: str, **env: str):
        return CliRunner().invoke(main, [str(a) for a in args], env=env or None, catch_exceptions=False)

    return _run


def pdf_text(data: bytes | Path) -> list[str]:
    """The extracted text of each page."""
    raw = data.read_bytes() if isinstance(data, Path) else data
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(raw)).pages]


def line_of(text: str, needle: str) -> int:
    """The 1-based number of the first line of text holding needle (where `check` should point)."""
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def errors(report) -> list[str]:
    """A check report's errors, as the messages a user reads."""
    return [str(f) for f in report.errors]


def warnings(report) -> list[str]:
    """A check report's warnings, as the messages a user reads."""
    return [str(f) for f in report.warnings]


def flat(text: str) -> str:
    """Text with runs of white space folded, for phrase searches across line breaks."""
    return " ".join(text.split())


@pytest.fixture
def leaflet(run, tmp_path):
    """Make a leaflet with the CLI; returns (path, [page texts])."""

    def _make(*args: str, name: str = "out.pdf"):
        out = tmp_path / name
        result = run("leaflet", *args, "-o", out)
        assert result.exit_code == 0, result.output
        return out, pdf_text(out)

    return _make


GOLDEN = Path(__file__).resolve().parent / "golden"


def assert_golden(image, name: str, regen: bool, what: str) -> None:
    """Compare a greyscale page image with tests/golden/NAME (mean grey-level difference under 2); with
    --regen-golden (or no reference yet) write it instead and skip, so that someone looks at it."""
    from PIL import Image, ImageChops, ImageStat

    golden = GOLDEN / name
    if regen or not golden.exists():
        GOLDEN.mkdir(exist_ok=True)
        image.save(golden)
        pytest.skip(f"wrote {golden}; look at it before committing")
    reference = Image.open(golden).convert("L")
    assert reference.size == image.size
    diff = ImageStat.Stat(ImageChops.difference(reference, image)).mean[0]
    assert diff < 2.0, f"{what} differs from {golden.name} by {diff:.2f} grey levels on average; look, then --regen-golden"


def tree(tmp_path: Path, files: dict[str, str]) -> Path:
    """A content tree under tmp_path: {relative path: text}."""
    for rel, text in files.items():
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return tmp_path


@pytest.fixture
def drawn(monkeypatch):
    """Each body map drawn while the test runs: (geometry, x, y of its box's bottom-left on the page, its height, page)."""
    from handouts.render.pdf import bodymap

    seen = []
    original = bodymap.BodyMapFlowable.draw

    def draw(self):
        a, b, c, d, e, f = self.canv._currentMatrix
        seen.append((self.geometry(), e, f, self.used_height(), self.canv.getPageNumber()))
        original(self)

    monkeypatch.setattr(bodymap.BodyMapFlowable, "draw", draw)
    return seen
