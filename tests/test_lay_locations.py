"""Point locations a patient can find on themselves, and no point codes in lay prose (issue 9)."""

from __future__ import annotations

from pathlib import Path

from handouts import check_content, load_library
from conftest import line_of, tree

BUNDLED = Path(load_library().files["clinic.yaml"].root)
ST = (BUNDLED / "points" / "ST.yaml").read_text("utf-8")
HIP = (BUNDLED / "conditions" / "hip-pain.yaml").read_text("utf-8")
ST36_ZH = '      zh: "在小腿前面，膝盖骨下方四横指，离小腿正前方的骨头往外一横指。"'
ST36_ES = '      es: "En la parte delantera de la pierna, cuatro dedos bajo la rótula y un dedo hacia fuera de la espinilla."'


def test_cun_in_a_location_is_an_error_naming_file_line_and_field(tmp_path):
    assert ST.count(ST36_ZH) == 1 and ST.count(ST36_ES) == 1
    text = ST.replace(ST36_ZH, '      zh: "在小腿前外侧，犊鼻下3寸，胫骨前缘外一横指。"')
    text = text.replace(ST36_ES, '      es: "En la pierna, 3 cun por debajo de la rodilla."')
    report = check_content(tree(tmp_path, {"points/ST.yaml": text}))
    found = [str(e) for e in report.errors if "finger-widths" in e.message]
    assert any(f"ST.yaml:" in e and "points.ST36.location.zh" in e and "'寸'" in e for e in found), found
    assert any("points.ST36.location.es" in e and "'cun'" in e for e in found), found
    assert not any("location.en" in e for e in found)


def test_an_anatomy_name_outside_brackets_is_a_warning_inside_brackets_not(tmp_path):
    text = ST.replace(ST36_ZH, '      zh: "在小腿前外侧，胫骨前缘外一横指，膝盖骨下方四横指。"')
    report = check_content(tree(tmp_path, {"points/ST.yaml": text}))
    found = [str(w) for w in report.warnings if "anatomy name" in w.message]
    assert any("points.ST36.location.zh" in w and "'胫骨'" in w for w in found), found
    glossed = ST.replace(ST36_ZH, '      zh: "在小腿前面，膝盖骨下方四横指，离小腿正前方的骨头（胫骨）往外一横指。"')
    report = check_content(tree(tmp_path, {"points/ST.yaml": glossed}))
    assert not [str(w) for w in report.warnings if "anatomy name" in w.message]


def test_a_point_code_in_lay_prose_is_a_warning_but_not_in_why(tmp_path):
    needle = "      en: Keep moving gently every day. Walk, bike or swim."
    assert HIP.count(needle) == 1
    text = HIP.replace(needle, "      en: Press LI4 and keep moving gently every day.")
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": text}))
    found = [str(w) for w in report.warnings if "point code" in w.message]
    # (the place is the item's `text:` mapping, the line above its `en:`)
    assert any(f"hip-pain.yaml:{line_of(text, 'Press LI4') - 1}:" in w and "self_care[0].text.en" in w and "'LI4'" in w
               for w in found), found
    # a point's `why` may name another point: the leaflet prints it as "point 2" or by its name
    assert HIP.count("      en: Traditionally used for leg pain and tiredness.") == 1
    why = HIP.replace("      en: Traditionally used for leg pain and tiredness.",
                      "      en: Traditionally used with GB30 for leg pain and tiredness.")
    report = check_content(tree(tmp_path, {"conditions/hip-pain.yaml": why}))
    assert not [str(w) for w in report.warnings if "point code" in w.message]


def test_shipped_locations_are_in_lay_words():
    library = load_library()
    for code, point in library.points.items():
        location = point.body.location
        if location is None:
            continue
        assert "寸" not in location["zh"], (code, location["zh"])
        assert "cun" not in location["en"].lower().split() and "cun" not in location["es"].lower().split(), code
    found = [str(w) for w in check_content().warnings if "anatomy name" in w.message or "point code" in w.message]
    assert not found, found
