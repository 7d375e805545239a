"""The tagged PDF (--format pdf-ua, WeasyPrint): its structure tree, read back with pikepdf, and the same words as print."""

from __future__ import annotations

import io
from functools import lru_cache

import pytest

try:
    import weasyprint  # noqa: F401
except ImportError:
    pytest.skip('WeasyPrint is not installed: pip install ".[accessible]"', allow_module_level=True)
except OSError as exc:
    pytest.skip(f"WeasyPrint cannot load the system's Pango ({exc}): apt-get install libpango-1.0-0 libpangoft2-1.0-0",
                allow_module_level=True)
pikepdf = pytest.importorskip("pikepdf", reason='pikepdf is not installed: pip install ".[test]"')

from handouts import compose, load_library, make_visit, render_handout as render  # noqa: E402
from handouts.model import BookingCode, KeyPoints, PointsTable  # noqa: E402
from handouts.render import RenderOptions  # noqa: E402
from handouts.render.html.page import printed_handout  # noqa: E402

LIBRARY = load_library()
VISIT = {"condition": "knee-osteoarthritis", "patient": "Ana Ruiz", "practitioner": "John Roe, L.Ac.", "date": "2026-12-01"}


@lru_cache(maxsize=None)
def made(lang: str):
    handout = compose(LIBRARY, make_visit({**VISIT, "lang": lang}))
    return handout, render(handout, RenderOptions(format="pdf-ua"))


_OPEN: list = []  # the documents stay open while their dictionaries are read


def structure(pdf: bytes) -> list[tuple[int, str, dict]]:
    """The tag tree in reading order: (depth, tag, the element's dictionary)."""
    doc = pikepdf.open(io.BytesIO(pdf))
    _OPEN.append(doc)
    out: list[tuple[int, str, dict]] = []

    def walk(node, depth):
        if isinstance(node, pikepdf.Array):
            for kid in node:
                walk(kid, depth)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            out.append((depth, str(node.S), node))
            if "/K" in node:
                walk(node.K, depth + 1)

    walk(doc.Root.StructTreeRoot.K, 0)
    return out


@pytest.mark.parametrize("lang, tag", [("en", "en"), ("zh", "zh-Hans")])
def test_tagged_title_language_and_marked(lang, tag):
    handout, pdf = made(lang)
    doc = pikepdf.open(io.BytesIO(pdf))
    assert "/StructTreeRoot" in doc.Root
    assert doc.Root.MarkInfo.Marked is True
    assert str(doc.Root.Lang) == tag
    assert str(doc.docinfo.Title) == handout.title
    assert doc.Root.ViewerPreferences.DisplayDocTitle is True  # a reader shows the title, not the file name
    assert b"pdfuaid" in doc.Root.Metadata.read_bytes()  # claims PDF/UA-1 in its XMP
    fonts = [f for page in doc.pages for f in page.Resources.get("/Font", {}).values()]
    assert fonts and all("/FontFile2" in f.DescendantFonts[0].FontDescriptor for f in fonts if "/DescendantFonts" in f)
    names = " ".join(str(f.BaseFont) for f in fonts)
    assert "Atkinson-Hyperlegible-Next" in names  # the bundled fonts (by file URL), not whatever the system has
    if lang == "zh":
        assert "Droid-Sans-Fallback" in names


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_figures_have_alt_text_naming_each_point(lang):
    handout, pdf = made(lang)
    figures = [node for _, tag, node in structure(pdf) if tag == "/Figure"]
    assert len(figures) == 2  # the body map and the booking code
    alts = [str(f.get("/Alt", "")) for f in figures]
    assert all(alts)
    points = next(b for s in handout.sections for b in s.blocks if type(b).__name__ == "PointsTable")
    for row in points.rows:
        assert f"{row.number}. {row.code}" in alts[0]


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_headings_nest_in_order_and_the_table_has_headers(lang):
    handout, pdf = made(lang)
    tags = structure(pdf)
    levels = [int(tag[2]) for _, tag, _ in tags if tag in ("/H1", "/H2", "/H3", "/H4", "/H5", "/H6")]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
    printed = printed_handout(handout)  # the sheet as the print PDF fits it; the key points are a headed box
    assert levels.count(2) == (sum(1 for s in printed.sections if s.title)
                               + sum(1 for s in printed.sections for b in s.blocks if isinstance(b, KeyPoints)))
    names = [tag for _, tag, _ in tags]
    assert "/Table" in names and "/TH" in names and "/TD" in names and "/L" in names and "/LI" in names


def test_pdf_ua_has_the_words_of_the_print_pdf():
    from test_same_words import compare

    handout, pdf = made("en")
    html = render(handout, RenderOptions(format="html")).decode("utf-8")
    # The one difference by design: in the tagged PDF the booking code's caption is the link, named by what it
    # does ("Book a visit online"), where paper and the page say "Scan to book" (tests/test_html_screen.py).
    code = next(b for s in handout.sections for b in s.blocks if isinstance(b, BookingCode))
    html = html.replace(f'<p class="qr-caption">{code.caption}</p>', f'<p class="qr-caption">{code.link}</p>')
    missing, extra = compare(handout, pdf, html.encode("utf-8"))
    assert not missing, missing[:5]
    assert not extra, extra[:300]


# The points table: one Table (not one per page, none nested), scoped headers, references that resolve, pinyin and
# characters in their language; the same for a table that runs over three pages in large print.
TRACKER = {"start": "2026-12-03", "tracker": True}  # adds the suggested dates and the tracker: two more tables
MANY = "ST35,EX-LE4,SP9,GB34,ST36,SP6,LR3,GB39,BL40,KI3"  # ten points: the large-print table runs over pages


@lru_cache(maxsize=None)
def made_with(lang: str, large: bool = False, points: str = ""):
    visit = {**VISIT, "lang": lang, **({"points": points} if points else {})}
    handout = compose(LIBRARY, make_visit(visit))
    return handout, render(handout, RenderOptions(format="pdf-ua", large_print=large))


def page_of(doc, element) -> int:
    return next(i for i, page in enumerate(doc.pages) if page.objgen == element.Pg.objgen)


def kids(element) -> list:
    k = element.get("/K")
    items = list(k) if isinstance(k, pikepdf.Array) else [k] if k is not None else []
    return [x for x in items if isinstance(x, pikepdf.Dictionary) and "/S" in x]


def leaves(element) -> list[tuple[object, int]]:
    """(page element, MCID) of each piece of content under an element, in order."""
    out = []
    for x in (list(element.K) if isinstance(element.K, pikepdf.Array) else [element.K]):
        if isinstance(x, int):
            out.append((element.Pg, int(x)))
        elif isinstance(x, pikepdf.Dictionary) and "/S" in x:
            out += leaves(x)
    return out


def text_of(doc, element) -> str:
    """The text under a struct element, read back from the page by MCID (pdfplumber)."""
    import pdfplumber

    pieces = leaves(element)
    out = []
    with pdfplumber.open(io.BytesIO(bytes(_BYTES[id(doc)]))) as plumber:
        for pg, mcid in pieces:
            index = next(i for i, page in enumerate(doc.pages) if page.objgen == pg.objgen)
            out.append("".join(c["text"] for c in plumber.pages[index].chars if c.get("mcid") == mcid))
    return "".join(out)


_BYTES: dict[int, bytes] = {}


def opened(pdf: bytes):
    doc = pikepdf.open(io.BytesIO(pdf))
    _OPEN.append(doc)
    _BYTES[id(doc)] = pdf
    return doc


def walk(node, out=None) -> list:
    out = [] if out is None else out
    for kid in kids(node) if "/S" in node else []:
        out.append(kid)
        walk(kid, out)
    return out


def all_elements(doc) -> list:
    top = doc.Root.StructTreeRoot
    out = []
    for kid in (list(top.K) if isinstance(top.K, pikepdf.Array) else [top.K]):
        out.append(kid)
        walk(kid, out)
    return out


def check_one_points_table(handout, pdf):
    doc = opened(pdf)
    elements = all_elements(doc)
    rows = next(b for s in handout.sections for b in s.blocks if isinstance(b, PointsTable)).rows
    tables = [e for e in elements if str(e.S) == "/Table"]
    assert not [t for t in tables if any(str(k.S) == "/Table" for k in kids(t))], "a Table nested in a Table"
    codes = {row.code for row in rows}
    points = [t for t in tables if any(str(k.S) == "/TBody" for k in kids(t))
              and all(code in text_of(doc, t) for code in codes)]
    assert len(points) == 1, f"{len(points)} Tables hold the points"
    table = points[0]
    groups = [str(k.S) for k in kids(table)]
    assert groups.count("/THead") == 1 and groups.count("/TBody") == 1, groups
    head = next(k for k in kids(table) if str(k.S) == "/THead")
    body = next(k for k in kids(table) if str(k.S) == "/TBody")
    col_heads = [c for r in kids(head) for c in kids(r)]
    assert len(col_heads) == 3 and all(str(c.S) == "/TH" and c.A.Scope == "/Column" for c in col_heads)
    body_rows = kids(body)
    assert len(body_rows) == len(rows)
    ids = doc.Root.StructTreeRoot.IDTree.Names
    by_id = {str(ids[i]): ids[i + 1] for i in range(0, len(ids), 2)}
    assert list(by_id) == sorted(by_id)  # a name tree's keys in order
    for row, tr in zip(rows, body_rows):
        cells = kids(tr)
        assert [str(c.S) for c in cells] == ["/TH", "/TD", "/TD"]
        th = cells[0]
        assert th.A.Scope == "/Row"
        assert row.code in text_of(doc, th)
        for j, td in enumerate(cells[1:], start=1):
            targets = [by_id[str(h)] for h in td.A.Headers]  # each reference resolves ...
            assert targets[0].objgen == th.objgen and targets[1].objgen == col_heads[j].objgen  # ... to its own headers
        # pinyin and characters tagged with their language, their own text under each
        spans: dict[str, str] = {}
        for span in (s for s in walk(th) if "/Lang" in s):  # a name broken over two lines is two spans
            spans[str(span.Lang)] = spans.get(str(span.Lang), "") + text_of(doc, span)
        if handout.lang != "zh":
            assert spans.get("zh-Hans", "").replace(" ", "") == row.hanzi.replace(" ", "")
        assert spans.get("zh-Latn-pinyin", "").replace(" ", "") == row.pinyin.replace(" ", "")
    return doc, table, head, body_rows


@pytest.mark.parametrize("lang", ["en", "es", "zh"])
def test_the_points_table_is_one_table_with_scoped_headers_and_languages(lang):
    handout, pdf = made(lang)
    check_one_points_table(handout, pdf)


def test_a_table_over_pages_is_one_table_its_header_read_once():
    handout, pdf = made_with("en", True, MANY)
    doc, table, head, body_rows = check_one_points_table(handout, pdf)
    pages = {page_of(doc, tr) for tr in body_rows}
    assert len(pages) >= 2  # the case this test is for: the table runs onto another page
    assert page_of(doc, head) == page_of(doc, body_rows[0])  # the header row never alone at a page foot
    # the header row is drawn again on each page the table continues on, as an artifact (read once)
    header_words = ["Point", "Where it is"]
    for index in sorted(pages)[1:]:
        import pdfplumber

        with pdfplumber.open(io.BytesIO(pdf)) as plumber:
            page = plumber.pages[index]
            top = min(c["top"] for c in page.chars if c.get("mcid") is not None)
            drawn = "".join(c["text"] for c in page.chars if c["top"] <= top + 40)
        assert all(w in drawn for w in header_words), drawn[:80]
        artifacts = [ops for ops, op in pikepdf.parse_content_stream(doc.pages[index])
                     if op == pikepdf.Operator("BDC") and str(ops[0]) == "/Artifact"]
        assert len(artifacts) >= 3
    # every piece of marked content on every page still has its element (the parent tree)
    nums = doc.Root.StructTreeRoot.ParentTree.Nums
    slots = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    for index, page in enumerate(doc.pages):
        for ops, op in pikepdf.parse_content_stream(page):
            if op == pikepdf.Operator("BDC") and str(ops[0]) != "/Artifact" and "/MCID" in ops[1]:
                assert isinstance(slots[index][int(ops[1].MCID)], pikepdf.Dictionary)


SHEETS = [(cid, False, {}) for cid in sorted(LIBRARY.conditions)] + [("knee-osteoarthritis", True, TRACKER)]


@pytest.mark.parametrize("cid, large, extra", SHEETS, ids=[f"{c}{'-large-tracker' if l else ''}" for c, l, _ in SHEETS])
def test_no_header_row_alone_at_a_page_foot(cid, large, extra):
    handout = compose(LIBRARY, make_visit({**VISIT, "condition": cid, **extra}))
    doc = opened(render(handout, RenderOptions(format="pdf-ua", large_print=large)))
    heads = 0
    for table in (e for e in all_elements(doc) if str(e.S) == "/Table"):
        groups = {str(k.S): k for k in kids(table)}
        if "/THead" in groups:
            heads += 1
            assert "/TBody" in groups and page_of(doc, groups["/THead"]) == page_of(doc, kids(groups["/TBody"])[0]), cid
    assert heads >= 1


pdfua = None
try:
    import pdfua  # noqa: F811
except ImportError:
    pass


@pytest.mark.skipif(pdfua is None, reason='the PDF/UA checker is not installed: pip install ".[test]"')
@pytest.mark.parametrize("lang, large, points", [("en", False, ""), ("zh", False, ""), ("es", True, MANY)],
                         ids=["en", "zh", "es-large-many"])
def test_a_pdf_ua_checker_finds_nothing(tmp_path, lang, large, points):
    """A second opinion: the PyPI package pdfua (a subset of the PDF/UA-1 rules: tables, headings, figures, language)."""
    _, pdf = made_with(lang, large, points)
    path = tmp_path / "sheet.pdf"
    path.write_bytes(pdf)
    report = pdfua.validate(str(path))
    ran = {o.rule_id for o in report.outcomes if not o.skipped}
    assert "UA-15-003" in ran  # the table rule (headers with scope or references) did run
    found = [(f.rule_id, f.message) for f in report.findings if f.severity.name != "SKIP"]
    assert found == []
