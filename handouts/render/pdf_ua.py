"""The tagged PDF's structure tree mended before WeasyPrint writes it: one Table per table, scoped headers, languages.

WeasyPrint (--format pdf-ua) tags each page on its own: a table that runs onto the next page becomes a second
Table with its header row tagged again; an anonymous box inside a table becomes a Table nested in the Table;
header cells carry no /Scope, their /ID strings are in no /IDTree (so /Headers cannot be resolved); and a
`<span lang>` becomes a Span with no /Lang. `finisher` (WeasyPrint's documented hook, called with the laid-out
document and the PDF objects just before the file is written) mends these, using the boxes to know which
fragments are one table and which text is in which language.
"""

from __future__ import annotations

from typing import Any, Iterator

import pydyf

SCOPES = {"col": "/Column", "row": "/Row", "colgroup": "/Column", "rowgroup": "/Row"}
NEVER_NESTED = ("/Table", "/THead", "/TBody", "/TFoot", "/TR")
REPEATED_HEADER = pydyf.Dictionary({"Type": "/Pagination", "Subtype": "/Header"})  # an artifact: drawn, not read


class _Tree:
    """The PDF's struct elements by reference, with the helpers a mend needs."""

    def __init__(self, pdf: pydyf.PDF):
        self.pdf = pdf

    def get(self, ref) -> Any:
        return self.pdf.objects[int(bytes(ref).split()[0])]

    def kids(self, element) -> Iterator[Any]:
        """The struct elements among an element's /K (not MCIDs, not annotation references)."""
        for kid in element.get("K", ()):
            if isinstance(kid, (bytes, str)):
                obj = self.get(kid)
                if isinstance(obj, pydyf.Dictionary) and "S" in obj:
                    yield obj

    def walk(self, element) -> Iterator[Any]:
        yield element
        for kid in self.kids(element):
            yield from self.walk(kid)

    def parent(self, element) -> Any:
        return self.get(element["P"])

    def detach(self, element) -> None:
        """Take an element out of its parent, and the parent out of its own when it is left empty."""
        parent = self.parent(element)
        parent["K"] = pydyf.Array([k for k in parent["K"] if k != element.reference])
        if not parent["K"] and parent.get("S") not in ("/Document", None) and "P" in parent:
            self.detach(parent)

    def adopt(self, parent, element, at: int | None = None) -> None:
        element["P"] = parent.reference
        if at is None:
            parent["K"].append(element.reference)
        else:
            parent["K"].insert(at, element.reference)

    def mcids(self, element) -> Iterator[tuple[bytes, int]]:
        """(page reference, MCID) of every piece of content under an element."""
        for node in self.walk(element):
            for kid in node.get("K", ()):
                if isinstance(kid, int):
                    yield bytes(node["Pg"]), kid


def finisher(document, pdf: pydyf.PDF) -> None:
    """Mend the structure tree WeasyPrint built (see the module's docstring); a WeasyPrint `finisher`."""
    if "StructTreeRoot" not in pdf.catalog:
        return
    tree = _Tree(pdf)
    root = tree.get(pdf.catalog["StructTreeRoot"])
    top = tree.get(root["K"][0])
    _unnest_tables(tree, top)
    doc_lang = getattr(pdf.catalog.get("Lang"), "string", "")
    fragments = _table_fragments(document)
    for table_cells in fragments:
        _one_table(tree, pdf, table_cells)
    for table_cells in fragments:
        for cells in table_cells:
            for cell in cells:
                _scope_and_languages(tree, cell, doc_lang)
    _headers_and_ids(tree, root, top)


def _unnest_tables(tree: _Tree, element) -> None:
    """A Table in a Table, a TR in a TR (an anonymous box WeasyPrint tagged by its element) gives its kids to the
    outer one; a table's Caption goes first."""
    for kid in list(tree.kids(element)):
        _unnest_tables(tree, kid)
    tag = element.get("S")
    if tag not in NEVER_NESTED:
        return
    out = pydyf.Array()
    for kid in element["K"]:
        obj = tree.get(kid) if isinstance(kid, (bytes, str)) else None
        if obj is not None and obj.get("S") == tag:
            for grandkid in obj["K"]:
                if isinstance(grandkid, (bytes, str)):
                    tree.get(grandkid)["P"] = element.reference
                out.append(grandkid)
        else:
            out.append(kid)
    captions = [k for k in out if isinstance(k, (bytes, str)) and tree.get(k).get("S") == "/Caption"]
    element["K"] = pydyf.Array(captions + [k for k in out if k not in captions])


def _table_fragments(document) -> list[list[list[Any]]]:
    """For each table of the document: its cell boxes, one list per page it is on (in page order)."""
    from weasyprint.formatting_structure import boxes

    tables: dict[int, list[list[Any]]] = {}
    order: list[int] = []

    def visit(box, table_key, page_cells):
        if isinstance(box, boxes.TableBox) and box.element is not None:
            table_key = id(box.element)
        if isinstance(box, boxes.TableCellBox) and getattr(box, "mark", None) is not None and table_key:
            page_cells.setdefault(table_key, []).append(box)
        if isinstance(box, boxes.ParentBox):
            for child in box.children:
                visit(child, table_key, page_cells)

    for page in document.pages:
        page_cells: dict[int, list[Any]] = {}
        visit(page._page_box, None, page_cells)
        for key, cells in page_cells.items():
            if key not in tables:
                tables[key] = []
                order.append(key)
            tables[key].append(cells)
    return [tables[key] for key in order]


def _table_of(tree: _Tree, cell_element) -> Any:
    node = cell_element
    while node.get("S") != "/Table":
        node = tree.parent(node)
    return node


def _one_table(tree: _Tree, pdf: pydyf.PDF, table_cells: list[list[Any]]) -> None:
    """The fragments of a table that runs over pages become the first fragment's Table: one THead (the repeated
    header rows are drawn, but marked as artifacts), one TBody holding every row."""
    if len(table_cells) < 2:
        return
    first = _table_of(tree, table_cells[0][0].mark)
    for cells in table_cells[1:]:
        fragment = _table_of(tree, cells[0].mark)
        if fragment is first:
            continue
        for group in list(tree.kids(fragment)):
            if group["S"] == "/THead" and any(k["S"] == "/THead" for k in tree.kids(first)):
                _as_artifact(tree, pdf, group)
                continue
            same = next((k for k in tree.kids(first) if k["S"] == group["S"]), None)
            if same is not None and group["S"] in ("/TBody", "/THead"):
                for row in list(tree.kids(group)):
                    tree.adopt(same, row)
            else:
                tree.adopt(first, group)
        fragment["K"] = pydyf.Array()
        tree.detach(fragment)


def _as_artifact(tree: _Tree, pdf: pydyf.PDF, element) -> None:
    """Mark the content under an element as a pagination artifact in its page's content, and drop the element."""
    by_page: dict[bytes, set[int]] = {}
    for page, mcid in tree.mcids(element):
        by_page.setdefault(page, set()).add(mcid)
    parent_tree = tree.get(tree.get(pdf.catalog["StructTreeRoot"])["ParentTree"])["Nums"]
    page_refs = list(pdf.page_references)
    for page_ref, mcids in by_page.items():
        page = tree.get(page_ref)
        for stream in _page_streams(tree, page):
            items = stream.stream
            for i, item in enumerate(items):
                if (isinstance(item, pydyf.Dictionary) and item.get("MCID") in mcids and i > 0
                        and i + 1 < len(items) and items[i + 1] == b"BDC"):
                    items[i - 1], items[i] = "/Artifact", REPEATED_HEADER
        index = page_refs.index(page_ref)
        slots = parent_tree[2 * index + 1]
        for mcid in mcids:
            if mcid < len(slots):
                slots[mcid] = b"null"
    element["K"] = pydyf.Array()
    tree.detach(element)


def _page_streams(tree: _Tree, page) -> Iterator[Any]:
    """A page's content stream and the form XObjects it draws, by name (marked content may sit in either)."""
    xobjects = tree.get(page["Resources"]).get("XObject", {})
    seen: set[int] = set()

    def streams(stream):
        if id(stream) in seen:
            return
        seen.add(id(stream))
        yield stream
        for item in stream.stream:
            if isinstance(item, bytes) and item.endswith(b" Do"):
                ref = xobjects.get(item[1:-3].decode("latin-1"))
                if ref is not None:
                    yield from streams(tree.get(ref))

    yield from streams(tree.get(page["Contents"]))


def _scope_and_languages(tree: _Tree, cell, doc_lang: str) -> None:
    """A header cell's /Scope (from its scope attribute; a header row's cells are columns' headers), and /Lang on
    the Span of every text in another language (`<span lang>`), found by walking the cell's boxes and its struct
    elements side by side: each text box is one leaf element, in the same order."""
    element = cell.mark
    if cell.element_tag == "th":
        scope = cell.element.get("scope") or ("col" if tree.parent(tree.parent(element))["S"] == "/THead" else "row")
        element["A"]["Scope"] = SCOPES.get(scope, "/Column")
    texts = list(_text_owners(cell))
    leaves = [node for node in tree.walk(element) if node.get("S") != "/Link" and node.get("K")
              and all(isinstance(k, int) for k in node["K"])]
    if len(texts) != len(leaves):  # not the shape expected: leave the languages as they are rather than guess
        return
    for owner, leaf in zip(texts, leaves):
        lang = owner.element.get("lang") if owner.element is not None and owner is not cell else None
        if lang and lang != doc_lang and "P" in leaf:
            tree.parent(leaf)["Lang"] = pydyf.String(lang)


def _text_owners(box, owner=None) -> Iterator[Any]:
    """For each text box under a box, in order: the nearest box around it that is not a line (whose element's
    struct element holds the text's own)."""
    from weasyprint.formatting_structure import boxes

    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.TextBox):
            yield owner if owner is not None else box
        elif isinstance(child, boxes.LineBox):
            yield from _text_owners(child, box if owner is None else owner)
        elif isinstance(child, boxes.ParentBox):
            yield from _text_owners(child, None)


def _headers_and_ids(tree: _Tree, root, top) -> None:
    """Each data cell's /Headers: its row's header cell and its column's, by the IDs of the (merged) table; every
    ID in the structure tree root's /IDTree, so the references resolve."""
    for table in [e for e in tree.walk(top) if e.get("S") == "/Table"]:
        columns: dict[int, Any] = {}
        groups = list(tree.kids(table))
        for group in groups:
            if group["S"] != "/THead":
                continue
            for row in tree.kids(group):
                for j, cell in enumerate(c for c in tree.kids(row) if c["S"] in ("/TH", "/TD")):
                    if cell["S"] == "/TH" and "ID" in cell:
                        columns[j] = cell["ID"]
        for group in groups:
            if group["S"] == "/THead":
                continue
            for row in tree.kids(group):
                cells = [c for c in tree.kids(row) if c["S"] in ("/TH", "/TD")]
                row_head = next((c["ID"] for c in cells if c["S"] == "/TH" and "ID" in c
                                 and c.get("A", {}).get("Scope") == "/Row"), None)
                for j, cell in enumerate(cells):
                    if cell["S"] == "/TD":
                        heads = [h for h in (row_head, columns.get(j)) if h is not None]
                        cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Headers"] = pydyf.Array(heads)
    ids = sorted(((bytes(e["ID"].data), e) for e in tree.walk(top) if "ID" in e), key=lambda p: p[0])
    if ids:
        names = pydyf.Array()
        for _, element in ids:
            names += [element["ID"], element.reference]
        root["IDTree"] = pydyf.Dictionary({"Names": names})
