"""A batch process's memory (issue 23): what it imports and what it keeps. RSS figures are in bench/ and
docs/DEVELOPMENT.md (they depend on the machine); these tests check the causes, in real processes."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import pickle
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO

HARBOR = ["--name", "Harbor Light Acupuncture", "--phone", "(207) 555-0142", "--address", "12 Wharf Street",
          "--colour", "#1f4e9a", "--practitioner", "Mei Chen, L.Ac.", "--languages", "en", "--offers", "hip-pain",
          "--booking-url", "https://harborlight.example/book", "--emergency-number", "911", "--crisis-line", "988"]

# Runs in a fresh interpreter: optionally lightened, then one leaflet (with the clinic given, its logo); prints what
# the process loaded, and writes the PDF.
SHEET = r"""
import json, sys
lean = sys.argv[1] == "lean"
if lean:
    from handouts.deliver.lean import lighten
    changed = lighten()
else:
    changed = []
from handouts import make_leaflet
clinic = sys.argv[3] or None
data = make_leaflet({"condition": "hip-pain", "patient": "Jane Doe", "lang": sys.argv[4]}, content=clinic)
open(sys.argv[2], "wb").write(data)
import hashlib
pil = sys.modules.get("PIL.Image")
print(json.dumps({"changed": changed, "openssl": sys.modules.get("_hashlib") is not None,
                  "pillow": type(pil).__name__ if pil is not None else None,
                  "md5": hashlib.md5(b"handouts", usedforsecurity=False).hexdigest()}))
"""


def _sheet(tmp_path: Path, mode: str, clinic: Path | None = None, lang: str = "en") -> tuple[dict, bytes]:
    out = tmp_path / f"{mode}-{lang}-{'logo' if clinic else 'plain'}.pdf"
    done = subprocess.run([sys.executable, "-c", SHEET, mode, str(out), str(clinic or ""), lang], cwd=REPO,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1]), out.read_bytes()


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_lightened_process_makes_the_same_bytes_without_openssl_or_pillow(tmp_path, lang):
    from handouts.deliver.lean import builtin_hashes

    lean, lean_pdf = _sheet(tmp_path, "lean", lang=lang)
    plain, plain_pdf = _sheet(tmp_path, "plain", lang=lang)
    assert lean_pdf == plain_pdf and lean_pdf.startswith(b"%PDF")
    assert lean["md5"] == plain["md5"] == hashlib.md5(b"handouts").hexdigest()  # built-in md5, the same digest
    # what the lightening is for: both loaded by imports in a plain process (OpenSSL's hashes where Python has them)
    assert plain["openssl"] == (importlib.util.find_spec("_hashlib") is not None) and plain["pillow"] == "module"
    assert lean["pillow"] == "_LazyModule"  # imported by ReportLab, never executed: no logo
    if builtin_hashes():
        assert lean["changed"] == ["_hashlib", "PIL.Image"] and not lean["openssl"]


def test_a_lightened_process_loads_pillow_for_a_clinic_logo(run, tmp_path):
    from PIL import Image

    logo = tmp_path / "harbor-logo.png"
    Image.new("RGB", (600, 200), "#1F4E9A").save(logo)
    folder = tmp_path / "harbor"
    assert run("init", folder, *HARBOR, "--logo", logo).exit_code == 0
    lean, lean_pdf = _sheet(tmp_path, "lean", folder)
    plain, plain_pdf = _sheet(tmp_path, "plain", folder)
    assert lean["pillow"] == "module"  # loaded when the logo was read
    assert lean_pdf == plain_pdf and b"/Subtype /Image" in lean_pdf


WORKER = r"""
import json, pickle, sys
from handouts.deliver.lean import start_worker
start_worker(open(sys.argv[1], "rb").read())  # as the pool's initializer: the parent's pickled library
from handouts.deliver import batch
from handouts.composition.visit import make_visit
made = batch._work("row 2", make_visit({"condition": "hip-pain", "patient": "Jane Doe"}))
pil = sys.modules.get("PIL.Image")
print(json.dumps({"openssl": sys.modules.get("_hashlib") is not None, "pillow": type(pil).__name__,
                  "pdf": made.data[:5].decode()}))
"""


def test_a_batch_worker_starts_lightened_before_it_unpickles_the_library(tmp_path):
    """start_worker is what the pool runs first in each worker (`handouts batch --jobs 2`)."""
    from handouts.deliver.lean import builtin_hashes
    from handouts.library import cache

    library = tmp_path / "library.pickle"
    library.write_bytes(pickle.dumps(cache.library(), pickle.HIGHEST_PROTOCOL))
    done = subprocess.run([sys.executable, "-c", WORKER, str(library)], cwd=REPO, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["pdf"] == "%PDF-" and seen["pillow"] == "_LazyModule"
    assert seen["openssl"] is not builtin_hashes()


MEMOS = r"""
import json, sys
from handouts import make_leaflet
from handouts.render.pdf import paragraphs as P
from reportlab.lib.abag import ABag
P._PARSED.size = P._LINES.size = 300  # small, so that a few sheets go round them
for lang in ("zh", "es", "en"):  # English last: its plain paragraphs are in the memos at the end
    for condition in ("hip-pain", "low-back-pain", "insomnia"):
        for large in ("", "yes"):
            make_leaflet({"condition": condition, "lang": lang, "large_print": large, "patient": "Jane Doe"})
kept_frags = [v for entry in P._PARSED.values() for v in entry[2]]
words = [w for blpara, _, _ in P._LINES.values() if getattr(blpara, "kind", None) == 0 for _, ws in blpara.lines for w in ws]
print(json.dumps({
    "parsed": len(P._PARSED), "lines": len(P._LINES), "names": len(P._NAMES),
    "objects": sum(isinstance(v, ABag) for frag in kept_frags for v in frag),
    "packed": sum(frag[0] is not None for frag in kept_frags), "frags": len(kept_frags),
    "words": len(words), "shared": sum(sys.intern(w) is w for w in words),
    "jane": any("Jane" in str(k[0]) for k in P._PARSED),
}))
"""


def test_the_paragraph_memos_stay_bounded_and_keep_light_values():
    """18 sheets (3 conditions, 3 languages, large print or not) through memos of 300: they stay at 300, the kept
    fragments are tuples of values (not ReportLab objects with a dict each), and a plain paragraph's words are
    shared strings; never the patient's name."""
    done = subprocess.run([sys.executable, "-c", MEMOS], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["parsed"] == 300 and seen["lines"] == 300  # full, and no more
    assert seen["frags"] > 300 and seen["packed"] == seen["frags"] and seen["objects"] == 0
    assert seen["words"] > 1000 and seen["shared"] == seen["words"]
    assert 0 < seen["names"] <= 16  # one tuple of attribute names for every fragment shape
    assert not seen["jane"]
