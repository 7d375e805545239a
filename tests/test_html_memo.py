"""The HTML page's memos (render/html/page.py, svg.py): a page made from them is the page made afresh, for any
patient; the patient band is drawn every time and no name is kept."""

from __future__ import annotations

import pytest

from handouts import Output, build_leaflet
from handouts.library import cache
from handouts.render.html import page, svg

SHEETS = [{"condition": "hip-pain"}, {"condition": "insomnia", "lang": "zh"},
          {"condition": "low-back-pain", "lang": "es", "points": ["BL23", "BL40", "GB30"]},
          {"condition": "stress", "large_print": True, "tracker": True, "start": "2026-12-02"},
          {"condition": "sciatica", "page_size": "a4", "flags": ["anticoagulants"]}]
NAMES = ["Zebulon Quimby", "Ofelia Xanthopoulou"]  # in no content file


def _page(fields: dict, name: str) -> str:
    return build_leaflet({**fields, "patient": name, "practitioner": "John Roe, L.Ac.", "date": "2026-12-01"},
                         output=Output("html")).data.decode("utf-8")


@pytest.mark.parametrize("fields", SHEETS, ids=lambda f: f["condition"])
def test_a_page_from_the_memos_is_the_page_made_afresh_for_each_patient(fields):
    cache.clear()
    first = _page(fields, NAMES[0])
    assert len(page._SECTIONS) > 0 and len(svg._SVGS) == 1  # remembered: every section but the band, and the map
    second = _page(fields, NAMES[1])  # the sections and the map from the memos
    cache.clear()
    assert len(page._SECTIONS) == 0 and len(svg._SVGS) == 0
    assert _page(fields, NAMES[1]) == second  # made afresh: the same bytes
    assert NAMES[1] in second and NAMES[0] not in second and NAMES[0] in first
    assert first.replace(NAMES[0], NAMES[1]) == second  # the only difference is the name


def test_no_patient_name_or_note_is_kept_in_the_page_memos():
    cache.clear()
    for fields in SHEETS:
        _page({**fields, "note": "Walk daily, Zebulon."}, NAMES[0])
        _page(fields, NAMES[1])
    kept = repr(list(page._SECTIONS.items())) + repr(list(svg._SVGS.items()))
    for word in (*NAMES[0].split(), *NAMES[1].split()):
        assert word not in kept


def test_the_page_map_s_discs_come_from_the_disk_memo_as_searched(monkeypatch, tmp_path):
    """A restarted screen draws a map it has drawn before from the discs kept on disk: the same SVG as the search's."""
    monkeypatch.setenv("HANDOUTS_CACHE", str(tmp_path / "cache"))
    cache.clear()
    searched = _page(SHEETS[0], NAMES[0])
    assert svg._DISCS._load()  # the discs' places, on disk
    cache.clear()  # as a new process: nothing in memory; the file is read again
    from handouts.design import map_geometry

    monkeypatch.setattr(map_geometry, "_callouts", lambda *a, **k: pytest.fail("the discs were searched again"))
    map_geometry._layout.cache_clear()
    assert _page(SHEETS[0], NAMES[0]) == searched
