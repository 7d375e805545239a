"""The HTML leaflet without a browser: every block type has a handler, the page is self-contained, safe and small,
and --format / --title-name / batch work from the command line."""

from __future__ import annotations

import html
import json
import re
import sys
import typing
from pathlib import Path
from dataclasses import dataclass

import pytest

from conftest import REPO
from handouts import compose, load_library, make_visit
from handouts.model import HandoutBlock, HandoutSection, IconList, Paragraph
from handouts.render.html.page import HANDLERS, HtmlOptions, MissingHandler, render_html
from pagetext import PageText

LIBRARY = load_library()
FULL = {"condition": "hip-pain", "patient": "Jane Doe", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01",
        "start": "2026-12-03", "tracker": True, "note": "Drink some water today.", "flags": ["anticoagulants"]}


def page(**fields) -> str:
    return render_html(compose(LIBRARY, make_visit({**FULL, **fields}))).decode("utf-8")


def test_every_block_type_of_the_model_has_a_handler():
    assert set(typing.get_args(HandoutBlock)) == set(HANDLERS)


def test_a_block_type_without_a_handler_is_an_error_naming_it():
    @dataclass(frozen=True)
    class KeyPoints:
        items: tuple[str, ...]

    handout = compose(LIBRARY, make_visit(FULL))
    odd = HandoutSection(id="odd", title="Odd", blocks=(Paragraph("fine"), KeyPoints(("a",))))
    with pytest.raises(MissingHandler, match=r"no handler for block type KeyPoints.*HANDLERS"):
        render_html(type(handout)(**{**handout.__dict__, "sections": (*handout.sections, odd)}))


def test_kitchen_sink_every_block_type_is_drawn_with_its_words():
    handout = compose(LIBRARY, make_visit(FULL))
    kinds = {type(b) for s in handout.sections for b in s.blocks}
    assert kinds == set(HANDLERS), set(HANDLERS) - kinds  # the fullest visit uses every block type
    raw = render_html(handout, HtmlOptions(fit=False)).decode("utf-8")  # every block compose made, none fitted away
    inline = re.sub(r"</?(?:a|strong|em)\b[^>]*>", "", raw.split("</head>")[1])  # a link inside a sentence adds no space
    drawn = html.unescape(re.sub(r"<[^>]+>", " ", inline))  # text, SVG text included
    text = " ".join(drawn.split()) + " ".join(re.findall(r'aria-label="([^"]*)"', html.unescape(raw)))
    for section in handout.sections:
        for block in section.blocks:
            for word in _words(block):
                assert " ".join(word.split()) in text, (type(block).__name__, word)


def _text(raw: bytes) -> str:
    """The page's words on one line (tags out, entities decoded)."""
    body = re.sub(r"</?(?:a|strong|em)\b[^>]*>", "", raw.decode("utf-8").split("</head>")[1])
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def test_the_page_is_the_sheet_the_pdf_prints():
    """What the PDF leaves out to fit its two pages, the page leaves out too; unfitted or in large print, it is there."""
    from handouts.render.pdf.leaflet import fit_leaflet

    handout = compose(LIBRARY, make_visit(FULL))
    printed, _ = fit_leaflet(handout)
    kept = {w for s in printed.sections for b in s.blocks for w in _words(b)}
    gone = [w for s in handout.sections for b in s.blocks for w in _words(b) if w not in kept]
    assert gone  # the fullest sheet is over two pages: something optional goes
    fitted, full, large = (_text(render_html(handout, o)) for o in (HtmlOptions(), HtmlOptions(fit=False),
                                                                     HtmlOptions(large_print=True)))
    for word in gone:
        assert " ".join(word.split()) not in fitted, word
        assert " ".join(word.split()) in full and " ".join(word.split()) in large, word


def _words(value, name: str = "") -> list[str]:
    """Every piece of text a block carries for the reader (not its style names, codes of views, pictogram names or numbers)."""
    if isinstance(value, IconList):  # (pictogram name, text): the name only picks the drawing
        return [w for _, text in value.items for w in _words(text)]
    if isinstance(value, str):
        return [value] if value.strip() and name not in ("style", "kind", "view", "per", "icons") else []
    if isinstance(value, (tuple, list)):
        return [w for v in value for w in _words(v, name)]
    if hasattr(value, "__dataclass_fields__"):
        return [w for f in value.__dataclass_fields__ for w in _words(getattr(value, f), f)]
    return []


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
def test_self_contained_no_script_no_other_address_and_small(lang):
    html = page(lang=lang)
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1)
    assert "default-src 'none'" in csp and "img-src data:" in csp and "script" not in csp
    assert "<script" not in html.lower() and "url(" not in html
    assert all(src.startswith("data:") for src in re.findall(r'\ssrc="([^"]*)"', html))
    assert not re.search(r'<link\b', html)
    if lang == "en":
        assert len(html.encode("utf-8")) < 150_000


def test_every_english_sheet_is_under_150_kb():
    for cid in LIBRARY.conditions:
        assert len(page(condition=cid).encode("utf-8")) < 150_000, cid


def test_semantics_lang_headings_links_table():
    html = page(lang="es")
    assert '<html lang="es"' in html
    assert re.search(r'<span lang="zh-Latn-pinyin">Huántiào</span> <span lang="zh-Hans">环跳</span>', html)
    headings = PageText(html).headings
    assert [level for level, _ in headings].count(1) == 1
    assert all(b <= a + 1 for (a, _), (b, _) in zip(headings, headings[1:]))
    assert 'href="tel:9739229659"' in html
    assert 'href="https://clifton-acupuncture.example/book"' in html
    assert re.search(r'<table class="points"[^>]*>\s*<caption', html) and 'scope="col"' in html and 'scope="row"' in html
    assert re.search(r'<section class="callout urgent" aria-labelledby="(h-urgent)">\s*<h3 id="\1">', html)
    assert re.search(r'<svg class="bodymap" role="img" aria-label="[^"]+" aria-describedby="map-points"', html)
    assert re.search(r'<svg class="qr" role="img" aria-label="[^"]+"', html)


def test_patient_name_in_the_title_only_when_asked():
    handout = compose(LIBRARY, make_visit(FULL))
    plain = render_html(handout).decode("utf-8")
    title = re.search(r"<title>(.*?)</title>", plain).group(1)
    assert "Jane" not in title and title == handout.title
    assert plain.count("Jane Doe") == 1  # on the sheet, beside "Prepared for"
    named = render_html(handout, HtmlOptions(title_name="Jane Doe")).decode("utf-8")
    assert "Jane Doe" in re.search(r"<title>(.*?)</title>", named).group(1)


def test_typed_text_is_literal_never_markup():
    html = page(patient='<img src=x onerror=alert(1)> & "Ann"', note="<b>bold</b> {{ clinic.phone }}")
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt; &amp; &#34;Ann&#34;" in html
    assert "&lt;b&gt;bold&lt;/b&gt; {{ clinic.phone }}" in html


def test_the_templates_ship_in_the_package():
    from handouts.render.html.page import TEMPLATES

    assert all((TEMPLATES / name).is_file() for name in ("leaflet.html.j2", "blocks.html.j2", "leaflet.css"))
    assert "handouts" in TEMPLATES.relative_to(Path(__file__).resolve().parents[1]).parts  # inside the package: hatchling's packages=["handouts"] takes it


# ---- command line ----------------------------------------------------------------------------


def test_leaflet_html_by_suffix_and_by_option(run, tmp_path):
    result = run("leaflet", "hip-pain", "--patient", "Jane Doe", "-o", tmp_path / "jane.html")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "jane.html").read_text(encoding="utf-8").startswith("<!doctype html>")
    result = run("leaflet", "hip-pain", "--format", "html", "--title-name", "--patient", "Jane Doe", "-o", tmp_path / "page")
    assert result.exit_code == 0, result.output
    assert "<title>Your acupuncture care: Hip pain – Jane Doe</title>" in (tmp_path / "page").read_text(encoding="utf-8")
    result = run("leaflet", "hip-pain", "--format", "pdf", "-o", tmp_path / "x.html")
    assert result.exit_code == 0 and (tmp_path / "x.html").read_bytes().startswith(b"%PDF")


def test_batch_html_names_files_html_and_records_them(run, tmp_path):
    visits = tmp_path / "visits.csv"
    visits.write_text("condition,patient,date,lang\nhip-pain,Ann Lee,2026-12-01,en\nmigraine,Bo Chen,2026-12-01,zh\n",
                      encoding="utf-8")
    record = tmp_path / "record.jsonl"
    result = run("batch", visits, "--out-dir", tmp_path / "out", "--format", "html", "--jobs", "1", "--record", record)
    assert result.exit_code == 0, result.output
    files = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert files == ["2026-12-01-Ann-Lee-hip-pain.html", "2026-12-01-Bo-Chen-migraine.html"]
    assert '<html lang="zh-Hans"' in (tmp_path / "out" / files[1]).read_text(encoding="utf-8")
    lines = [json.loads(line) for line in record.read_text(encoding="utf-8").splitlines()]
    assert [line["output"]["format"] for line in lines] == ["html", "html"]


def test_pdf_ua_without_weasyprint_says_how_to_install(tmp_path):
    import subprocess

    code = ("import sys; sys.modules['weasyprint'] = None\n"
            "from handouts.__main__ import load_cli\n"
            "load_cli()(['leaflet', 'hip-pain', '--format', 'pdf-ua', '-o', sys.argv[1]])")
    done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "x.pdf")], capture_output=True, text=True, cwd=REPO)
    assert done.returncode == 1, done.stderr
    assert 'pip install "handouts[accessible]"' in done.stderr and "Traceback" not in done.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_checklist_boxes_are_named_and_counted_across_phases():
    handout = compose(LIBRARY, make_visit(FULL))
    checklist = next(b for s in handout.sections for b in s.blocks if type(b).__name__ == "Checklist")
    raw = render_html(handout, HtmlOptions(fit=False)).decode("utf-8")
    total = sum(count for _, count in checklist.groups)
    names = re.findall(r'<span class="box"><span class="sr-only" data-html-only>([^<]*)</span></span>', raw)
    assert names == [f"Session {n} of {total}" for n in range(1, total + 1)]
    assert "<input" not in raw and "<form" not in raw


def test_pictograms_are_the_pdf_drawings_as_decorative_svg():
    from handouts.render.pdf.icons import ICONS
    from handouts.render.html.svg_icons import icon_svg

    for name in ICONS:
        svg = str(icon_svg(name))
        assert svg.startswith("<svg") and 'aria-hidden="true"' in svg and re.search(r"<(path|circle|rect|line) ", svg), name
    assert str(icon_svg("emergency")).count("var(--icon-knock") == 2  # the white mark in the triangle: rect and dot
    raw = page()
    assert 'class="icon icon-emergency"' in raw and 'class="icon icon-phone"' in raw  # the urgent box's tiers
    with pytest.raises(ValueError, match="no pictogram called 'nope'"):
        icon_svg("nope")


def test_a_sheet_without_its_subtitle_has_no_empty_subtitle_element():
    from dataclasses import replace

    handout = compose(load_library(), make_visit({"condition": "hip-pain", "patient": "Jane Doe", "date": "2026-12-01"}))
    assert handout.subtitle and 'class="subtitle"' in render_html(handout).decode()
    page = render_html(replace(handout, subtitle="")).decode()
    assert 'class="subtitle"' not in page
