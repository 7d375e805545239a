"""A safety line is never left out to fit two pages: on the cancer sheets, "We keep needles away from any port, line, or
swollen arm or leg" sat under What to expect, which the leaflet drops first on Letter (English and Chinese lost it);
under `risks:` it prints on every sheet."""

from __future__ import annotations

import pytest

from conftest import flat, pdf_text

PORT_LINE = {"en": "We keep needles away from any port, line, or swollen arm or leg.",
             "es": "No ponemos agujas cerca de un puerto o catéter, ni en un brazo o pierna hinchados.",
             "zh": "我们不会在输液港、导管附近或肿胀的手臂、腿上下针。"}


@pytest.mark.parametrize("condition", ["cancer-fatigue", "chemotherapy-nausea"])
@pytest.mark.parametrize("lang", ["en", "es", "zh"])
@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_the_port_line_prints_on_every_cancer_sheet(run, tmp_path, condition, lang, page_size):
    out = tmp_path / "sheet.pdf"
    assert run("leaflet", condition, "--lang", lang, "--page-size", page_size, "-o", out).exit_code == 0
    pages = pdf_text(out)
    assert len(pages) == 2
    text = "".join("".join(p.split()) for p in pages) if lang == "zh" else flat(" ".join(pages))
    assert (PORT_LINE[lang].replace(" ", "") if lang == "zh" else PORT_LINE[lang]) in text
