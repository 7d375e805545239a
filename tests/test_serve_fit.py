"""The screen's preview is fast because the page reuses the PDF's fit: the same words as the PDF, laid out once per sheet."""

from __future__ import annotations

import pytest

from handouts import Output, build_leaflet
from handouts.library import cache
from handouts.render.pdf import leaflet

VISIT = {"condition": "hip-pain", "patient": "Jane Doe", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01"}
# sheets the two-page leaflet cuts (optional blocks left out), and a Chinese one it prints whole
CUT = [VISIT, {**VISIT, "condition": "low-back-pain", "lang": "es"}, {**VISIT, "condition": "sciatica", "tracker": True},
       {**VISIT, "condition": "insomnia", "lang": "zh"}]


def _layouts(monkeypatch) -> list:
    calls: list = []
    real = leaflet._laid_out
    monkeypatch.setattr(leaflet, "_laid_out", lambda *a, **k: calls.append(k.get("write", True)) or real(*a, **k))
    return calls


def _page(fields: dict) -> str:
    return build_leaflet(fields, output=Output("html")).data.decode("utf-8")


@pytest.mark.parametrize("fields", CUT, ids=lambda f: f"{f['condition']}-{f.get('lang', 'en')}")
def test_the_page_fitted_without_drawing_leaves_out_what_the_pdf_leaves_out(fields, monkeypatch):
    cache.clear()
    calls = _layouts(monkeypatch)
    page = _page(fields)  # fitted with nothing drawn or written
    assert calls and not any(calls)
    cache.clear()
    build_leaflet(fields)  # the PDF's own fit, drawn
    assert _page(fields) == page  # now from the PDF's remembered choice
    cache.clear()
    from handouts.composition.leaflet import compose
    from handouts.composition.visit import make_visit

    library = cache.library()
    handout = compose(library, make_visit(fields, "", library.clinic))
    printed, pdf = leaflet.fit_leaflet(handout)
    cache.clear()
    assert leaflet.printed_leaflet(handout) == printed and pdf.startswith(b"%PDF")
    assert (printed != handout) == (fields.get("lang") != "zh")  # a real choice: cut, or printed whole


def test_a_remembered_fit_makes_the_page_with_no_layout_for_any_patient_band(monkeypatch):
    cache.clear()
    blank = {**VISIT, "patient": ""}
    _page(blank)  # the condition picked, no name yet
    _page(VISIT)  # the name typed: another band, remembered beside the blank one
    calls = _layouts(monkeypatch)
    for fields in (blank, {**VISIT, "patient": "Bo Chen"}, blank, {**VISIT, "practitioner": "Ana Ruiz, LAc"},
                   {**VISIT, "date": "2026-12-02", "patient": "Al Woo"}):
        _page(fields)
    assert calls == []
    assert not any("Jane Doe" in repr(key) or "Bo Chen" in repr(key) for key in leaflet._FITS)


def test_a_pdf_after_the_page_has_the_bytes_of_a_fresh_fit():
    cache.clear()
    _page({**VISIT, "patient": "Ann Lee"})
    made = build_leaflet({**VISIT, "patient": "Bo Chen", "practitioner": "Ana Ruiz, LAc"}).pdf
    cache.clear()
    assert made == build_leaflet({**VISIT, "patient": "Bo Chen", "practitioner": "Ana Ruiz, LAc"}).pdf
