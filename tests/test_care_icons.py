"""Each self-care item names its pictogram in the content (`icon:`), and `check` knows the pictograms' names.

Issue 23: "Stay active: short walks beat bed rest" got the moon (sleep) icon, chosen from the words "bed rest".
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import tree
from handouts import check_content, compose, load_library, make_visit
from handouts.model import CARE_ICONS, LANGS, IconList

BUNDLED = Path(__file__).resolve().parent.parent / "content"
LIBRARY = load_library()
LOW_BACK = (BUNDLED / "conditions" / "low-back-pain.yaml").read_text("utf-8")
STAY_ACTIVE = {"en": "Stay active", "es": "Manténgase activo", "zh": "保持活动"}


def _self_care(condition: str, lang: str) -> tuple[tuple[str, str], ...]:
    handout = compose(LIBRARY, make_visit({"condition": condition, "lang": lang}))
    lists = [b for s in handout.sections for b in s.blocks if isinstance(b, IconList) and not b.numbered]
    assert len(lists) == 1, condition
    return lists[0].items


@pytest.mark.parametrize("condition", ["low-back-pain", "sciatica"])
@pytest.mark.parametrize("lang", LANGS)
def test_stay_active_gets_the_walking_figure_not_the_moon(condition, lang):
    (icon,) = [icon for icon, text in _self_care(condition, lang) if text.startswith(STAY_ACTIVE[lang])]
    assert icon == "move"


def test_every_item_prints_the_icon_its_content_names_in_every_language():
    for cid, condition in LIBRARY.conditions.items():
        named = [item.icon for item in condition.self_care]
        assert named and all(icon in CARE_ICONS for icon in named), cid
        for lang in LANGS:
            assert [icon for icon, _ in _self_care(cid, lang)] == named, (cid, lang)


@pytest.mark.parametrize("lang", LANGS)
def test_the_html_page_paints_the_named_icon(lang):
    from handouts import Output, build_leaflet
    from handouts.render.html.svg_icons import icon_svg

    page = build_leaflet({"condition": "low-back-pain", "lang": lang}, output=Output("html")).data.decode("utf-8")
    items = re.findall(r'<li>(<svg.*?</svg>)<span>(.*?)</span></li>', page, re.S)
    (svg,) = [svg for svg, text in items if text.startswith(STAY_ACTIVE[lang])]
    assert svg == str(icon_svg("move")) and svg != str(icon_svg("sleep"))


def test_every_renderer_draws_every_care_icon():
    from handouts.render.html.svg_icons import icon_svg
    from handouts.render.pdf.icons import ICONS

    assert set(CARE_ICONS) <= set(ICONS)
    for name in CARE_ICONS:
        assert re.search(r"<(path|circle|rect|line|polyline|polygon|ellipse)\b", str(icon_svg(name))), name


def _line(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)


def test_check_names_an_unknown_icon_with_its_file_line_and_the_icons(tmp_path):
    text = LOW_BACK.replace("  - icon: move\n    text:\n      en: \"Stay active", "  - icon: moon\n    text:\n      en: \"Stay active", 1)
    assert text != LOW_BACK
    report = check_content(tree(tmp_path, {"conditions/low-back-pain.yaml": text}))
    found = [str(e) for e in report.errors if "pictogram" in e.message]
    assert len(found) == 1, [str(e) for e in report.errors]
    assert f"low-back-pain.yaml:{_line(text, 'icon: moon')}:" in found[0] and "self_care[0].icon" in found[0]
    assert "'moon' is not a pictogram" in found[0] and all(name in found[0] for name in CARE_ICONS)


def test_check_says_how_to_name_the_icon_of_an_item_without_one(tmp_path):
    old = LOW_BACK.replace("  - icon: move\n    text:\n      en: \"Stay active", "  - en: \"Stay active", 1)
    old = old.replace('      es: "Manténgase activo', '    es: "Manténgase activo', 1).replace('      zh: "保持活动', '    zh: "保持活动', 1)
    report = check_content(tree(tmp_path, {"conditions/low-back-pain.yaml": old}))
    found = [str(e) for e in report.errors if "pictogram" in e.message]
    assert len(found) == 1, [str(e) for e in report.errors]
    assert f"low-back-pain.yaml:{_line(old, 'Stay active')}:" in found[0] and "self_care[0]" in found[0]
    assert "- icon: move" in found[0] and "text:" in found[0]


def test_the_shipped_content_checks_clean():
    assert not check_content().errors
