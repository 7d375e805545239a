"""Brochure pictures and covers (issue 22): clinic photos vetted and cropped around their focus at 300 ppi or more,
our own line illustrations, the three cover themes, and preflight over every kind of brochure."""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

import pdfplumber
import pikepdf
import pytest

from handouts.deliver.brochure import build_brochure
from handouts.design import print_geometry as geo
from handouts.render.pdf.brochure import BrochureOptions
from handouts.render.pdf.pictures import PictureError, crop_box

REPO = Path(__file__).resolve().parent.parent
EXAMPLE = REPO / "examples" / "brochure-clinic"
FOCUS = "[0.29, 0.02, 0.61, 0.38]"  # the face in portrait.jpg (hair to chin)


@lru_cache(maxsize=None)
def made(condition=None, format="trifold", lang="en", bleed=0.0, colour="rgb", theme="", clinic: str | None = str(EXAMPLE / "clinic.yaml"),
         page_size="letter"):
    return build_brochure(condition, BrochureOptions(format=format, bleed=bleed, colour=colour, theme=theme, page_size=page_size),
                          lang=lang, clinic=clinic)


def _images(pdf: bytes) -> list[dict]:
    """Each image drawn: its page, box in points (pdfplumber), pixels and colour space (pikepdf), ppi across and down."""
    out = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc, pikepdf.open(io.BytesIO(pdf)) as pk:
        for index, page in enumerate(doc.pages):
            xobjects = {}
            for name, xobj in (pk.pages[index].Resources.get("/XObject") or {}).items():
                if str(xobj.get("/Subtype")) == "/Image":
                    xobjects[name.lstrip("/")] = xobj
            for image in page.images:
                xobj = xobjects[image["name"]]
                w, h = int(xobj.Width), int(xobj.Height)
                out.append({"page": index, "x0": image["x0"], "x1": image["x1"], "top": image["top"], "bottom": image["bottom"],
                            "pixels": (w, h), "space": str(xobj.get("/ColorSpace")),
                            "ppi": min(w / (image["width"] / 72), h / (image["height"] / 72))})
    return out


# ---- cropping around the focus ---------------------------------------------------------------------


@pytest.mark.parametrize("aspect", [0.3, 0.75, 1.0, 1.5, 3.0])
@pytest.mark.parametrize("focus", [(0.29, 0.02, 0.61, 0.38), (0.0, 0.0, 0.1, 0.1), (0.9, 0.85, 1.0, 1.0), (0.5, 0.5, 0.5, 0.5)])
def test_the_crop_keeps_the_focus_whole_and_has_the_frames_shape(aspect, focus):
    size = (1000, 800)
    try:
        x0, y0, x1, y1 = crop_box(size, aspect, focus)
    except PictureError:
        assert (focus[2] - focus[0]) * 1000 > min(1000, 800 / aspect) or (focus[3] - focus[1]) * 800 > min(800, 1000 * aspect)
        return
    assert 0 <= x0 < x1 <= 1000 and 0 <= y0 < y1 <= 800
    assert (y1 - y0) / (x1 - x0) == pytest.approx(aspect, rel=0.02)
    assert x0 <= focus[0] * 1000 + 0.5 and focus[2] * 1000 <= x1 + 0.5 and y0 <= focus[1] * 800 + 0.5 and focus[3] * 800 <= y1 + 0.5
    assert max(x1 - x0, (y1 - y0) / aspect) >= min(1000, 800 / aspect) - 1  # the largest window of that shape


def test_a_focus_larger_than_the_frame_can_show_is_refused():
    with pytest.raises(PictureError):
        crop_box((1000, 1000), 0.25, (0.1, 0.1, 0.9, 0.9))


# ---- photos: placed, sharp, converted ---------------------------------------------------------------


@pytest.mark.parametrize("format", ["trifold", "bifold", "rack-card", "flyer"])
def test_photos_print_at_300_ppi_or_more_inside_their_panels(format):
    made_ = made(None, format)
    images = _images(made_.pdf)
    assert images, "no photo drawn"
    sheet = geo.sheet(format)
    for image in images:
        assert image["ppi"] >= 300, image
        middle = (image["x0"] + image["x1"]) / 2
        panel = next(p for p in sheet.faces[image["page"]].panels if p.x <= middle <= p.x + p.width)
        sx0, sy0, sx1, sy1 = panel.safe
        assert sx0 - 0.01 <= image["x0"] and image["x1"] <= sx1 + 0.01, (panel.name, image)
    assert not made_.report.failed
    assert not [f for f in made_.report.findings if f.topic == "images" and f.level != "ok"], made_.report.lines()


def test_the_photo_cover_and_each_practitioner_with_a_photo():
    made_ = made(None, "trifold")
    images = _images(made_.pdf)
    sheet = geo.sheet("trifold")
    names = [next(p.name for p in sheet.faces[i["page"]].panels if p.x <= (i["x0"] + i["x1"]) / 2 <= p.x + p.width) for i in images]
    assert names.count("cover") == 1
    assert names.count("inside_middle") == 2  # Sam and Lee, on the team's panel
    cover = images[names.index("cover")]
    assert cover["x1"] - cover["x0"] > 72  # more than an inch across on the cover


@pytest.mark.parametrize("format, lang", [(f, lang) for f in ("trifold", "bifold") for lang in ("en", "es", "zh")])
def test_each_portrait_sits_beside_its_practitioners_name(format, lang):
    """A team member's photo is a small square (cropped around the face) to the left of their name and credential,
    the name's line level with the picture; a portrait left out for room leaves the name in place."""
    pdf = made(None, format, lang).pdf
    portraits = [i for i in _images(pdf) if i["x1"] - i["x0"] < 72]  # the cover photo is inches across
    assert portraits, "no portrait drawn"
    names = {"Sam Example": "Sam Example, L.Ac.", "Lee Example": "Lee Example, L.Ac., MSOM"}
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for image in portraits:
            assert image["x1"] - image["x0"] == pytest.approx(image["bottom"] - image["top"], abs=0.5)  # square
            assert image["x1"] - image["x0"] <= 58.5  # small
            assert image["ppi"] >= 300
            page = doc.pages[image["page"]]
            mid = lambda c: (c["top"] + c["bottom"]) / 2  # noqa: E731
            right = sorted((c for c in page.chars if c["text"].strip() and image["x1"] < c["x0"] < image["x1"] + 200
                            and image["top"] <= mid(c) <= image["bottom"]), key=lambda c: (round(c["top"]), c["x0"]))
            said = "".join(c["text"] for c in right)
            assert sum(said.count(n.replace(" ", "")) for n in names.values()) == 1, said  # one name, beside it
            assert 4 <= min(c["x0"] for c in right) - image["x1"] <= 12
            name_top = min(c["top"] for c in right)
            over = [c for c in page.chars if image["x0"] - 1 <= c["x0"] <= image["x1"] and image["top"] - 24 <= c["top"] < image["top"]
                    and c["fontname"].endswith("Bold") and c["top"] < name_top]
            assert not "".join(c["text"] for c in over).startswith(("Sam", "Lee"))  # no longer under the name
        text = " ".join(page.extract_text() for page in doc.pages)
    assert all(n in text for n in names.values())  # every name printed, with or without its photo


def test_cmyk_photos_are_cmyk():
    images = _images(made(None, "trifold", bleed=9.0, colour="cmyk").pdf)
    assert images and {i["space"] for i in images} == {"/DeviceCMYK"}
    assert {i["space"] for i in _images(made(None, "trifold", bleed=9.0).pdf)} == {"/DeviceRGB"}


def _clinic_with(tmp_path: Path, photos: str, picture: bytes | None = None) -> Path:
    text = (EXAMPLE / "clinic.yaml").read_text("utf-8")
    start, end = text.index("\nphotos:\n") + 1, text.index("\nteam:\n") + 1
    (tmp_path / "clinic.yaml").write_text(text[:start] + photos + text[end:], "utf-8")
    (tmp_path / "portrait.jpg").write_bytes((EXAMPLE / "portrait.jpg").read_bytes())
    if picture is not None:
        (tmp_path / "odd").write_bytes(picture)
    return tmp_path / "clinic.yaml"


def _small_png(size=(200, 200)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, "PNG")
    return out.getvalue()


@pytest.mark.parametrize("photos, picture, says", [
    ("photos:\n  clinic: {file: odd}\n", b"GIF89a not really", "photos.clinic.file: odd is not a usable PNG or JPEG"),
    ("photos:\n  clinic: {file: odd}\n", _small_png(), "only 200×200 pixels"),
    ("photos:\n  clinic: {file: odd}\n", _small_png((1500, 400)), "too wide for a brochure frame"),
    ("photos:\n  clinic: {file: missing.jpg}\n", None, "photos.clinic.file: cannot read"),
    ("photos:\n  clinic: {file: ../portrait.jpg}\n", None, "outside the folder of clinic.yaml"),
    ("photos:\n  clinic: {file: portrait.jpg, focus: [0.6, 0.1, 0.2, 0.3]}\n", None, "photos.clinic.focus"),
    ("photos:\n  team:\n    Sam Exampel: {file: portrait.jpg}\n    Lee Example: {file: portrait.jpg}\n", None,
     "'Sam Exampel' is not in team:"),
    ("photos:\n  team:\n    Lee Example: {file: portrait.jpg}\n", None, "no photo of 'Sam Example'"),
])
def test_a_photo_that_cannot_be_used_is_refused_naming_the_field(run, tmp_path, photos, picture, says):
    clinic = _clinic_with(tmp_path, photos, picture)
    out = tmp_path / "x.pdf"
    result = run("brochure", "--clinic", clinic, "-o", out)
    assert result.exit_code == 1, result.output
    assert says in result.output and str(clinic) in result.output
    assert "Traceback" not in result.output and not out.exists()


# ---- covers: three designs, each with the clinic's colour, none text only ------------------------------


def _cover(pdf: bytes, format: str = "trifold") -> dict:
    """What the cover panel holds, read from the PDF: its characters' largest size, its images, its drawn curves."""
    sheet = geo.sheet(format)
    index = next(i for i, face in enumerate(sheet.faces) if any(p.name in ("cover", "front") for p in face.panels))
    panel = next(p for p in sheet.faces[index].panels if p.name in ("cover", "front"))
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        page = doc.pages[index]
        on = lambda o: panel.x <= (o["x0"] + o["x1"]) / 2 <= panel.x + panel.width  # noqa: E731
        chars = [c for c in page.chars if c["text"].strip() and on(c)]
        curves = [c for c in page.curves if on(c) and c["width"] * c["height"] < panel.width * panel.height / 2]
        fills = {tuple(r["non_stroking_color"]) for r in page.rects if r.get("fill") and on(r) and r["width"] > panel.width / 2}
        return {"size": max(c["size"] for c in chars), "images": [i for i in page.images if on(i)], "curves": curves, "fills": fills}


@pytest.mark.parametrize("format", ["trifold", "bifold", "rack-card"])
def test_three_cover_designs_each_with_a_picture_and_the_clinics_colour(format):
    brand = (0x7A / 255, 0x3E / 255, 0x65 / 255)  # the example clinic's #7A3E65
    photo, drawing, typed = (_cover(made(None, format, theme=t).pdf, format) for t in ("photo", "illustration", "type"))
    for cover in (photo, drawing, typed):
        assert any(all(abs(a - b) < 0.01 for a, b in zip(f, brand)) for f in cover["fills"]), cover["fills"]
    assert photo["images"] and not drawing["images"] and not typed["images"]
    assert len(drawing["curves"]) >= 3 and len(typed["curves"]) >= 3  # a drawing, or the leaf mark: never text only
    assert typed["size"] >= 34 > photo["size"]  # the typographic cover's title is the largest


def test_a_clinic_without_photos_gets_an_illustrated_cover_and_photo_is_refused(run, tmp_path):
    cover = _cover(made("hip-pain", "trifold", clinic=None).pdf)
    assert not cover["images"] and len(cover["curves"]) >= 3
    result = run("brochure", "--theme", "photo", "-o", tmp_path / "x.pdf")
    assert result.exit_code == 1 and "photos.clinic: missing" in result.output and "--theme" in result.output


# ---- preflight: every format, language, bleed, colour mode, with and without photos ---------------------


@pytest.mark.parametrize("colour", ["rgb", "cmyk"])
@pytest.mark.parametrize("bleed", [0.0, 9.0])
@pytest.mark.parametrize("clinic", ["photos", "none"])
@pytest.mark.parametrize("lang", ["en", "es", "zh"])
@pytest.mark.parametrize("format", ["trifold", "bifold", "rack-card", "flyer"])
def test_every_kind_of_brochure_passes_preflight(format, lang, clinic, bleed, colour):
    made_ = made(None if clinic == "photos" else "hip-pain", format, lang, bleed, colour,
                 clinic=str(EXAMPLE / "clinic.yaml") if clinic == "photos" else None)
    assert not made_.report.failed, "\n".join(made_.report.lines())
    assert not [f for f in made_.report.findings if f.level == "warn"], "\n".join(made_.report.lines())


def test_a_changed_photo_is_read_again_not_taken_from_the_cache(run, tmp_path):
    """Photos live beside clinic.yaml, outside the content tree's stamp: each is stamped with the cached library."""
    clinic = _clinic_with(tmp_path, "photos:\n  clinic: {file: odd}\n", (EXAMPLE / "portrait.jpg").read_bytes())
    assert run("brochure", "--clinic", clinic, "-o", tmp_path / "a.pdf").exit_code == 0
    (tmp_path / "odd").write_bytes(_small_png())
    result = run("brochure", "--clinic", clinic, "-o", tmp_path / "b.pdf")
    assert result.exit_code == 1 and "only 200×200 pixels" in result.output


@pytest.mark.parametrize("theme", ["photo", "illustration", "type"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_cover_design_is_legible_and_keeps_off_an_office_printers_margin(theme, lang):
    """Text on the brand colour at 4.5:1 or more; with no bleed nothing within 0.25 in of the paper's edge (issue 22)."""
    from test_brochure import _ink_near_the_edge, _low_contrast_text

    for format in ("trifold", "rack-card", "flyer"):
        pdf = made(None, format, lang, theme=theme).pdf
        assert _low_contrast_text(pdf) == [], (format, theme)
        assert _ink_near_the_edge(pdf, 0.25 * 72) == [], (format, theme)
