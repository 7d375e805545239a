"""Month and weekday names and date formats come from Babel (CLDR), not from labels.yaml (house note)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import flat
from handouts import load_library
from handouts.library.dates import calendar

BUNDLED = Path(load_library().files["clinic.yaml"].root)

# What labels.yaml kept by hand until Babel gave them: Babel's words must be these, so no printed date changed.
HAND_KEPT = {
    "en": ("{month} {day}, {year}",
           ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"),
           ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")),
    "es": ("{day} de {month} de {year}",
           ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"),
           ("lun", "mar", "mié", "jue", "vie", "sáb", "dom")),
    "zh": ("{year}年{month_number}月{day}日",
           ("一月", "二月", "三月", "四月", "五月", "六月", "七月", "八月", "九月", "十月", "十一月", "十二月"),
           ("周一", "周二", "周三", "周四", "周五", "周六", "周日")),
}


@pytest.mark.parametrize("lang", HAND_KEPT)
def test_babel_gives_the_words_labels_yaml_kept_by_hand(lang):
    assert calendar(lang) == HAND_KEPT[lang]
    labels = load_library().labels
    assert (labels.date_format[lang], labels.months[lang], labels.weekdays[lang]) == HAND_KEPT[lang]


def test_labels_yaml_no_longer_keeps_month_or_weekday_names():
    text = (BUNDLED / "labels.yaml").read_text("utf-8")
    for key in ("months:", "weekdays:", "date_format:"):
        assert f"\n{key}" not in text
    assert "diciembre" not in text and "周二" not in text


@pytest.mark.parametrize("lang, visit_date, start", [
    ("en", "December 1, 2026", "Wed December 2, 2026"),
    ("es", "1 de diciembre de 2026", "mié 2 de diciembre de 2026"),
    ("zh", "2026年12月1日", "周三 2026年12月2日"),
])
def test_the_leaflet_prints_dates_in_each_language(leaflet, lang, visit_date, start):
    _, pages = leaflet("stress", "--patient", "Jane Doe", "--date", "2026-12-01", "--start", "2026-12-02", "--lang", lang)
    text = flat(" ".join(pages)).replace("\u00a0", " ")
    assert visit_date in text
    assert start in text


def test_an_old_labels_yaml_with_its_own_lists_still_reads_and_check_says_to_remove_them(run, tmp_path):
    folder = tmp_path / "our-clinic"
    folder.mkdir()
    (folder / "clinic.yaml").write_text((BUNDLED / "clinic.yaml").read_text("utf-8"), "utf-8")
    old = (BUNDLED / "labels.yaml").read_text("utf-8").replace(
        "words:\n", "date_format:\n  en: \"{day} {month} {year}\"\nmonths:\n  en: [Jan, Feb, Mar, Apr, May, Jun, Jul, Aug, Sep, Oct, "
                    "Nov, Dec]\nwords:\n", 1)
    (folder / "labels.yaml").write_text(old, "utf-8")
    checked = run("check", "--content", folder)
    assert checked.exit_code == 0, checked.output  # no "no Spanish text" error for lists that are not read
    assert "months: no Spanish" not in checked.output
    assert "labels.yaml:4: warning: date_format: no longer read" in checked.output
    assert "labels.yaml:6: warning: months: no longer read" in checked.output and "remove `months:`" in checked.output
    out = tmp_path / "x.pdf"
    made = run("leaflet", "hip-pain", "--patient", "Jane Doe", "--date", "2026-12-01", "--content", folder, "-o", out)
    assert made.exit_code == 0, made.output
    from conftest import pdf_text

    text = flat(" ".join(pdf_text(out))).replace("\u00a0", " ")
    assert "December 1, 2026" in text and "1 Dec 2026" not in text
