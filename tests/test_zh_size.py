"""A Chinese sheet's bytes (issue 23): its own cut of Noto Sans SC (256 units to the em), embedded, its text readable."""

from __future__ import annotations

import io

import pdfplumber
import pikepdf
import pytest

from handouts import build_leaflet

SAMPLE = ["hip-pain", "sciatica", "insomnia", "nausea-surgery-pregnancy"]  # hip-pain, the largest, a small one
NOW = 125_000  # bytes: what this cut gives (the zh hip-pain sheet 122.7 KB, sciatica 124.1 KB; 144.6 KB before it)
TARGET = 80_000  # issue 23's target, not met (docs/DEVELOPMENT.md, "Where the Chinese sheet's bytes go")


def made(condition: str) -> bytes:
    return build_leaflet({"condition": condition, "lang": "zh", "patient": "李明", "date": "2026-12-01"}).pdf


@pytest.fixture(scope="module")
def sheets() -> dict[str, bytes]:
    return {c: made(c) for c in SAMPLE}


def fonts(pdf: bytes) -> dict[str, pikepdf.Dictionary]:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        found = {}
        for page in doc.pages:
            for font in page.Resources.Font.values():
                descriptor = font.FontDescriptor
                found[str(font.BaseFont)] = {"embedded": "/FontFile2" in descriptor, "unicode": "/ToUnicode" in font,
                                             "bytes": len(descriptor.FontFile2.read_raw_bytes())}
        return found


@pytest.mark.parametrize("condition", SAMPLE)
def test_a_chinese_sheet_stays_under_its_measured_size(sheets, condition):
    assert len(sheets[condition]) <= NOW, (condition, len(sheets[condition]))


@pytest.mark.xfail(strict=True, reason="issue 23, open: 80 KB needs a lighter CJK face or no real bold (docs/DEVELOPMENT.md)")
def test_the_chinese_hip_pain_sheet_is_at_most_80_kb(sheets):
    assert len(sheets["hip-pain"]) <= TARGET


@pytest.mark.parametrize("condition", SAMPLE)
def test_every_font_is_embedded_with_its_text_map_and_the_hanzi_come_from_the_256_unit_cut(sheets, condition):
    found = fonts(sheets[condition])
    assert all(f["embedded"] and f["unicode"] for f in found.values()), found
    cjk = {name.split("+")[1] for name in found if "SC" in name}
    assert cjk == {"NotoSansSCCommon256-Regular", "NotoSansSCCommon256-Bold"}, cjk


def test_the_hanzi_are_read_back_and_keep_their_full_em_advance(sheets):
    """The text layer gives the characters (ToUnicode), and each hanzi advances one em, as with the 1000-unit cut: the
    grid changes the outlines' bytes, not the layout."""
    with pdfplumber.open(io.BytesIO(sheets["hip-pain"])) as doc:
        chars = [c for page in doc.pages for c in page.chars]
        text = "".join(c["text"] for c in chars)
    for words in ("李明", "髋部疼痛", "今天使用的穴位", "环跳"):
        assert words in text, words
    hanzi = [c for c in chars if "\u4e00" <= c["text"] <= "\u9fff"]
    assert len(hanzi) > 1000
    assert all(abs((c["x1"] - c["x0"]) - c["size"]) < 0.01 for c in hanzi)
    bold = {c["fontname"].split("+")[1] for c in hanzi}
    assert bold == {"NotoSansSCCommon256-Regular", "NotoSansSCCommon256-Bold"}  # bold still its own face


def test_a_chinese_visit_is_checked_against_the_chinese_chains_and_still_refuses_what_none_draws():
    """The typed text of a zh visit is checked against the zh layer's chains (the fonts it is drawn with): a Thai
    letter in the name is refused, naming the field and the character, as on an English sheet."""
    from handouts import HandoutError

    for lang in ("zh", "en"):
        with pytest.raises(HandoutError, match=r"^--patient: has characters no bundled font can draw: 'ก' \(U\+0E01\)"):
            build_leaflet({"condition": "hip-pain", "lang": lang, "patient": "李ก", "date": "2026-12-01"})
