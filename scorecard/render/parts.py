"""A long report, in parts: its HTML cut between blocks, and the parts' PDFs joined into one.

WeasyPrint keeps the layout of every page of a document until it has written the PDF: the
report of 1,000 responses (358 pages) took 1.4 GB, and it writes the structure tree in time
that grows with pages x elements. A long report is therefore laid out in parts of about
PART_CHARS characters of HTML, cut between blocks (sections, demands, responses, rows, list
items), each part a document of its own with the same head; the parts are then joined into
one PDF (pikepdf): pages, links (named destinations), outline, structure tree (tags) and the
first part's catalog (PDF/A metadata, attached files). The running header and the "Page X
of Y" footer, which need the whole, are drawn last from a document of as many empty pages
with the report's @page rules, laid over each page as an artifact. Each cut starts a new
page, so a long report has a few more pages than in one piece.
"""

from __future__ import annotations

import hashlib
import io
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from html import unescape
from typing import Any
from urllib.parse import unquote

PART_CHARS = 150_000  # characters of HTML per part: ~20 pages, ~160 MB for its process

_TAG = re.compile(r"<!--.*?-->|<(/?)([a-zA-Z][\w:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*)>", re.S)
_VOID = frozenset(
    [
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    ]
)
_RAW = frozenset({"script", "style", "textarea", "title"})
_CUT_INSIDE = frozenset({"section", "div", "article", "main", "table", "tbody", "ol", "ul"})
_ID = re.compile(r"""\sid=("[^"]*"|'[^']*')""")
_HREF = re.compile(r"""\shref="#([^"]+)\"""")
ELSEWHERE = "scorecard-part:"  # a link to an anchor of another part (_elsewhere)
_MARGINS = " ".join(
    f"@{name} {{ content: none !important; }}"
    for name in [
        "top-left-corner",
        "top-left",
        "top-center",
        "top-right",
        "top-right-corner",
        "bottom-left-corner",
        "bottom-left",
        "bottom-center",
        "bottom-right",
        "bottom-right-corner",
        "left-top",
        "left-middle",
        "left-bottom",
        "right-top",
        "right-middle",
        "right-bottom",
    ]
)
# A part's own rules: no margin boxes (the overlay draws them), and columns filled in turn
# rather than balanced (WeasyPrint balances the last page of each part by laying it out again
# and again: 3 s for each part of the list of sources; only the list's very last page shows).
PART_CSS = (
    f"@page {{ {_MARGINS} }} @page :first {{ {_MARGINS} }} * {{ column-fill: auto !important; }}"
)


class _Unsplittable(Exception):
    """HTML this splitter does not understand: the report is laid out in one piece."""


@dataclass
class _Element:
    tag: str
    start: int  # offset of "<"
    open_end: int  # offset after the start tag's ">"
    end: int = -1  # offset after the end tag's ">"
    children: list[_Element] = field(default_factory=list)


@dataclass
class Part:
    """One part of a report: its HTML and the anchors (ids) it holds."""

    html: str
    ids: set[str]


def _tree(html: str, start: int, stop: int) -> _Element:
    """The elements between ``start`` and ``stop`` (the body's content), as a tree of offsets."""
    root = _Element("body", start, start, stop)
    stack = [root]
    pos = start
    while True:
        m = _TAG.search(html, pos, stop)
        if m is None:
            break
        pos = m.end()
        closing, name = m.group(1), (m.group(2) or "").lower()
        if not name:  # a comment
            continue
        if closing:
            if not any(e.tag == name for e in stack[1:]):
                raise _Unsplittable(f"</{name}> closes nothing")
            while stack[-1].tag != name:  # an element closed implicitly (<p>, <li>)
                stack.pop().end = m.start()
            element = stack.pop()
            element.end = m.end()
            continue
        element = _Element(name, m.start(), m.end())
        stack[-1].children.append(element)
        if name in _VOID or m.group(3).rstrip().endswith("/"):
            element.end = m.end()
        elif name in _RAW:
            close = html.find(f"</{name}", m.end(), stop)
            if close < 0:
                raise _Unsplittable(f"<{name}> not closed")
            element.end = html.index(">", close) + 1
            pos = element.end
        else:
            stack.append(element)
    if len(stack) != 1:
        raise _Unsplittable(f"<{stack[-1].tag}> not closed")
    return root


_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def _cuttable(html: str, element: _Element) -> bool:
    """Whether the report may be cut between the children of ``element``: a block that holds
    blocks only (no text between them)."""
    if element.tag not in _CUT_INSIDE or not element.children:
        return False
    edges = [element.open_end]
    for child in element.children:
        edges += [child.start, child.end]
    edges.append(element.end - len(element.tag) - 3)
    return all(not html[a:b].strip() for a, b in zip(edges[::2], edges[1::2], strict=True))


def _units(html: str, element: _Element, chain: tuple[_Element, ...], size: int, out: list) -> None:
    for child in element.children:
        if child.end - child.start > size and _cuttable(html, child):
            _units(html, child, (*chain, child), size, out)
        else:
            out.append((chain, child))


# A table's first rows that a part may not end with: they go to the next part with its caption.
FIRST_ROWS = 5


def _leads(chain: tuple[_Element, ...], element: _Element) -> bool:
    """Whether a unit that ends a part leads into the next: a heading, a table's caption or
    header, or one of a table's FIRST_ROWS rows."""
    if element.tag in _HEADINGS or element.tag in ("caption", "thead"):
        return True
    return (
        element.tag == "tr"
        and bool(chain)
        and chain[-1].tag == "tbody"
        and any(element is row for row in chain[-1].children[:FIRST_ROWS])
    )


def long_enough(html: str, size: int = PART_CHARS) -> bool:
    """Whether split_report() may cut the report into parts of ``size`` characters."""
    return len(html) > size * 1.5


def split_report(html: str, size: int = PART_CHARS) -> list[Part]:
    """The report cut into parts of about ``size`` characters, between blocks; one part (the
    HTML as it is) when it is not long_enough() or its shape is not one the cutter knows."""
    whole = [Part(html, set())]
    if not long_enough(html, size):
        return whole
    body = re.search(r"<body\b[^>]*>", html)
    end = html.rfind("</body>")
    if body is None or end < body.end():
        return whole
    try:
        root = _tree(html, body.end(), end)
    except _Unsplittable:
        return whole
    edges = [root.start, *(i for c in root.children for i in (c.start, c.end)), root.end]
    if any(html[a:b].strip() for a, b in zip(edges[::2], edges[1::2], strict=True)):
        return whole  # text right in the body, between blocks
    units: list[tuple[tuple[_Element, ...], _Element]] = []
    _units(html, root, (), size, units)
    groups: list[list] = [[]]
    filled = 0
    for unit in units:
        weight = unit[1].end - unit[1].start
        if groups[-1] and filled + weight > size:
            # A part starts a page: a heading that ended the last part goes with what it heads
            # (a group's title was left alone on a page, its first demand on the next), and so
            # does a table's start: its caption, header and first rows (the timeline's heading,
            # caption and one row sat at a page's foot, the other rows on the next).
            carried: list = []
            while len(groups[-1]) > 1 and _leads(*groups[-1][-1]):
                carried.insert(0, groups[-1].pop())
            groups.append(carried)
            filled = sum(u[1].end - u[1].start for u in carried)
        groups[-1].append(unit)
        filled += weight
    if len(groups) == 1:
        return whole
    head, tail = html[: body.end()], "</body></html>"
    opened: set[int] = set()
    parts = []
    for group in groups:
        out = [head]
        chain: tuple[_Element, ...] = ()
        for ancestors, element in group:
            same = 0
            while same < min(len(chain), len(ancestors)) and chain[same] is ancestors[same]:
                same += 1
            out += [f"</{e.tag}>" for e in reversed(chain[same:])]
            for e in ancestors[same:]:
                out.append(_reopen(html, e, element, id(e) in opened))
                opened.add(id(e))
            chain = ancestors
            out.append(html[element.start : element.end])
        out += [f"</{e.tag}>" for e in reversed(chain)]
        text = "".join(out[1:])
        ids = {unescape(m[1:-1]) for m in _ID.findall(text)}
        parts.append(Part(head + _elsewhere(text, ids) + tail, ids))
    return parts


def _reopen(html: str, element: _Element, first: _Element, again: bool) -> str:
    """The start tag of an ancestor of a part's first block: as it is in the part that opens
    it; in the next parts without its id (its anchor is where it starts), with a table's head
    (WeasyPrint repeats it on each page) and a list's numbering going on."""
    tag = html[element.start : element.open_end]
    if not again:
        return tag
    tag = _ID.sub("", tag)
    if element.tag == "ol" and first in element.children:
        # The number the list goes on from (WeasyPrint ignores start= and value=): that of
        # the first item, or the items before it in the parts before.
        head = html[first.start : first.open_end]
        value = re.search(r'\svalue="(\d+)"', head)
        before = element.children[: element.children.index(first)]
        done = int(value[1]) - 1 if value else sum(c.tag == "li" for c in before)
        tag = tag[:-1] + f' style="counter-reset: list-item {done}">'
    if element.tag == "table":
        tag += "".join(
            _ID.sub("", html[c.start : c.end])
            for c in element.children
            if c.tag in ("colgroup", "thead")
        )
    return tag


def _elsewhere(text: str, ids: set[str]) -> str:
    """A part's HTML with each link to an anchor in another part made a link to ELSEWHERE and
    the anchor's name in hex (WeasyPrint drops a link to an anchor it does not have; an empty
    element for each such anchor cost a part of the register a tenth of its time): join()
    makes it a link to the anchor again."""

    def link(m: re.Match) -> str:
        name = unquote(unescape(m[1]))  # as WeasyPrint reads a link's anchor
        if name in ids:
            return m[0]
        return f' href="{ELSEWHERE}{name.encode().hex()}"'

    return _HREF.sub(link, text)


def overlay_html(html: str, pages: int, first: int = 1, last: int | None = None) -> str:
    """A document of empty pages with the report's head, whose margin boxes (the running
    header, "Page X of Y") are laid over pages ``first`` to ``last`` (default: ``pages``) of
    the joined parts, ``pages`` in all. The first <h1> comes along, hidden, for the header's
    string(); nothing else is drawn. From a ``first`` past the cover, the document begins with
    one more page, which stands for the cover in the report's :first rules (it has no header
    or footer) and which join() leaves out: so the overlay can be laid out in pieces at once."""
    last = pages if last is None else last
    body = re.search(r"<body\b[^>]*>", html)
    assert body is not None
    h1 = re.search(r"<h1\b.*?</h1>", html, re.S)
    title = _ID.sub("", h1.group(0)) if h1 else ""
    count = last - first + 1
    start = ""
    if first > 1:
        count += 1
        start = f"<style>@page :first {{ counter-reset: page {first - 1}; }}</style>"
    return (
        html[: body.end()].replace("counter(pages)", f'"{pages}"')
        + start
        + f'<div style="height: 0; overflow: hidden; visibility: hidden">{title}</div>'
        + '<div style="break-before: page"></div>' * (count - 1)
        + "</body></html>"
    )


@dataclass
class Rendered:
    pdf: bytes
    pages: int
    bookmarks: list[tuple[int, int, str, float, float, str]]  # page, level, label, x, y, state


def join(
    parts: Iterable[Rendered], owned: list[set[str]], overlay: Callable[[], list[bytes]]
) -> bytes:
    """One PDF of the parts' PDFs, in order, written object by object so that only one part
    is parsed at a time (qpdf holds ~1.7 KB per object: the joined report of 10,000
    responses has more than a million). ``parts`` may come as they are laid out: each is
    written when it comes, and ``overlay`` is called for the overlay's PDFs after the last
    (so that the overlay can be laid out while the parts are joined): the pieces of
    overlay_html() in order, each after the first with its stand-in for the cover. Each
    part's objects keep their numbers, shifted past the objects before; what is joined is
    written anew: the first part's catalog (PDF/A metadata, output intent, attached files,
    language) with one page tree, one structure tree (each part's /Document becomes a /Part
    of it; the parent tree's keys shifted), each named destination from the part that holds
    its anchor, and the outline of all the bookmarks. The overlay's pages (header and footer)
    become form XObjects drawn over the pages, marked as artifacts."""
    import pikepdf

    out = _Writer()
    new = out.new
    pages_num, catalog_num, tree_num, document_num = new(), new(), new(), new()
    parent_num, begin_num, end_num = new(), new(), new()
    out.stream(begin_num, b"<< >>", b"q\n")
    out.stream(end_num, b"<< >>", b"\nQ\n/Artifact BMC q /ScorecardOverlay Do Q EMC\n")
    forms: list[int] = []  # the overlay's page of each page, as a form XObject
    page_nums: list[int] = []
    part_elements: list[int] = []
    parent_tree: list[tuple[bytes, bytes]] = []
    dests: dict[str, bytes] = {}
    catalog = b""
    info_num = None
    key_base = 0
    joined: list[Rendered] = []
    for k, (part, names) in enumerate(zip(parts, owned, strict=True)):
        joined.append(Rendered(b"", part.pages, part.bookmarks))  # not its PDF: joined
        with _open(part.pdf) as pdf:
            base = out.size  # this part's objects: numbers base + 1 to base + Size - 1
            out.size += int(pdf.trailer.Size)
            root = pdf.Root
            skip = {root.objgen, root.Pages.objgen, *_outline_objects(root)}
            if k:
                skip |= {o.objgen for o in (root.get("/Metadata"), pdf.trailer.get("/Info")) if o}
            else:
                catalog = _catalog(root, base)
                info = pdf.trailer.get("/Info")
                info_num = base + info.objgen[0] if info else None
            tree = root.get("/StructTreeRoot")
            document = None
            keys = 0
            if tree is not None:
                skip.add(tree.objgen)
                if tree.ParentTree.is_indirect:
                    skip.add(tree.ParentTree.objgen)
                document = tree.K[0] if isinstance(tree.K, pikepdf.Array) else tree.K
                part_elements.append(base + document.objgen[0])
                document.S = pikepdf.Name.Part
                del document["/P"]
                nums = list(tree.ParentTree.Nums)
                for i in range(0, len(nums), 2):
                    value = nums[i + 1]
                    text = _syntax(value)
                    parent_tree.append((b"%d" % (int(nums[i]) + key_base), _renumber(text, base)))
                    keys = max(keys, int(nums[i]) + 1)
            resources: dict[tuple, tuple[bytes, bytes]] = {}
            for page in pdf.pages:
                obj = page.obj
                number = base + obj.objgen[0]
                page_nums.append(number)
                contents = obj.Contents
                res = obj.Resources
                if res.objgen not in resources:
                    resources[res.objgen] = _resources(res, base)
                rest, xobjects = resources[res.objgen]
                for name in ("/Parent", "/Contents", "/Resources"):
                    del obj[name]
                if "/StructParents" in obj:
                    obj.StructParents = int(obj.StructParents) + key_base
                for annotation in obj.get("/Annots", []):
                    if "/StructParent" in annotation:
                        annotation.StructParent = int(annotation.StructParent) + key_base
                    _link_home(annotation)
                forms.append(new())
                extra = (
                    b"/Parent %d 0 R /Contents [%d 0 R %s %d 0 R] /Resources << %s /XObject << "
                    b"%s /ScorecardOverlay %d 0 R >> >>"
                    % (
                        pages_num,
                        begin_num,
                        _renumber(contents.unparse(), base),
                        end_num,
                        rest,
                        xobjects,
                        forms[-1],
                    )
                )
                out.obj(number, _renumber(obj.unparse(resolved=True), base)[:-2] + extra + b">>")
                skip.add(obj.objgen)
            for name, dest in _name_tree(root.get("/Names", {}).get("/Dests")):
                if name in names:
                    dests.setdefault(name, _renumber(dest.unparse(resolved=True), base))
            for obj in pdf.objects:
                if obj.objgen in skip or obj.objgen == (0, 0):
                    continue
                if document is not None and obj.objgen == document.objgen:
                    out.obj(
                        base + obj.objgen[0],
                        _renumber(obj.unparse(resolved=True), base)[:-2]
                        + b" /P %d 0 R >>" % document_num,
                    )
                else:
                    out.write(obj, base)
        key_base += keys
    laid = 0  # pages with their overlay
    for n, data in enumerate(overlay()):
        with _open(data) as pdf:
            base = out.size
            out.size += int(pdf.trailer.Size)
            root = pdf.Root
            skip = {root.objgen, root.Pages.objgen}
            skip |= {o.objgen for o in (root.get("/Metadata"), pdf.trailer.get("/Info")) if o}
            pages = list(pdf.pages)
            if n:  # the stand-in for the cover (overlay_html)
                lead = pages.pop(0).obj
                skip |= {lead.objgen, lead.Contents.objgen}
            if laid + len(pages) > len(forms):
                raise ValueError(f"overlays of more pages than the {len(forms)} pages")
            for page, form in zip(pages, forms[laid : laid + len(pages)], strict=True):
                obj = page.obj
                skip |= {obj.objgen, obj.Contents.objgen}
                box = _renumber(obj.MediaBox.unparse(resolved=True), base)
                res = _renumber(obj.Resources.unparse(), base)
                contents = obj.Contents
                raw = contents.read_raw_bytes()
                filters = (
                    b" /Filter %s" % contents.Filter.unparse() if "/Filter" in contents else b""
                )
                out.stream(
                    form,
                    b"<< /Type /XObject /Subtype /Form /BBox %s /Resources %s%s >>"
                    % (box, res, filters),
                    raw,
                )
            laid += len(pages)
            for obj in pdf.objects:
                if obj.objgen not in skip and obj.objgen != (0, 0):
                    out.write(obj, base)
    if laid != len(forms):
        raise ValueError(f"overlays of {laid} pages for {len(forms)} pages")
    out.obj(
        pages_num,
        b"<< /Type /Pages /Count %d /Kids [%s] >>"
        % (len(page_nums), b" ".join(b"%d 0 R" % n for n in page_nums)),
    )
    extra = b""
    if part_elements:
        out.obj(
            document_num,
            b"<< /Type /StructElem /S /Document /P %d 0 R /K [%s] >>"
            % (tree_num, b" ".join(b"%d 0 R" % n for n in part_elements)),
        )
        _number_or_name_tree(out, parent_num, b"/Nums", parent_tree)
        out.obj(
            tree_num,
            b"<< /Type /StructTreeRoot /K [%d 0 R] /ParentTree %d 0 R "
            b"/ParentTreeNextKey %d >>" % (document_num, parent_num, key_base),
        )
        extra += b" /StructTreeRoot %d 0 R" % tree_num
    if dests:
        dests_num = new()
        _number_or_name_tree(
            out,
            dests_num,
            b"/Names",
            [(pikepdf.String(name).unparse(), dests[name]) for name in sorted(dests)],
        )
        catalog = catalog.replace(b"/Names <<", b"/Names << /Dests %d 0 R" % dests_num, 1)
    outline = _outline(out, joined, page_nums)
    if outline:
        extra += b" /Outlines %d 0 R" % outline
    out.obj(catalog_num, catalog[:-2] + b" /Pages %d 0 R%s >>" % (pages_num, extra))
    return out.finish(catalog_num, info_num)


def _link_home(annotation: Any) -> None:
    """A link of a part to ELSEWHERE made the link to its anchor (a named destination) that
    WeasyPrint makes in one piece."""
    import pikepdf

    action = annotation.get("/A")
    if action is None or action.get("/S") != pikepdf.Name.URI:
        return
    uri = bytes(action.URI)
    if not uri.startswith(ELSEWHERE.encode()):
        return
    # Encoded as the joined PDF's names of destinations are (from a str).
    name = pikepdf.String(bytes.fromhex(uri[len(ELSEWHERE) :].decode()).decode())
    del annotation["/A"]
    annotation.Dest = name
    if "/Contents" in annotation:
        annotation.Contents = name


def _open(data: bytes) -> Any:
    """A PDF made by WeasyPrint, opened with pikepdf (whose objects are typed loosely)."""
    import pikepdf

    return pikepdf.open(io.BytesIO(data))


TREE_LEAF = 1_024  # entries in one leaf of the joined PDF's parent tree and destinations
_REFERENCE = re.compile(rb"\((?:[^()\\]|\\.)*\)|(\d+) (\d+) R\b", re.S)


def _number_or_name_tree(
    out: _Writer, number: int, kind: bytes, entries: list[tuple[bytes, bytes]]
) -> None:
    """A number tree (``kind`` /Nums) or name tree (/Names) of sorted (key, value) entries as
    object ``number``: its leaves hold at most TREE_LEAF entries each (pypdf, for one, refuses an
    array of more than 100,000 elements: a flat parent tree of 3,600 pages had 240,000)."""
    size = TREE_LEAF
    if len(entries) <= size:
        out.obj(number, b"<< %s [%s] >>" % (kind, b" ".join(b"%s %s" % e for e in entries)))
        return
    kids = []
    for i in range(0, len(entries), size):
        leaf = entries[i : i + size]
        kids.append(out.new())
        out.obj(
            kids[-1],
            b"<< /Limits [%s %s] %s [%s] >>"
            % (leaf[0][0], leaf[-1][0], kind, b" ".join(b"%s %s" % e for e in leaf)),
        )
    out.obj(number, b"<< /Kids [%s] >>" % b" ".join(b"%d 0 R" % n for n in kids))


def _syntax(value: Any) -> bytes:
    """A value of a dictionary or array as PDF syntax (an indirect object as a reference)."""
    import pikepdf

    if isinstance(value, pikepdf.Object):
        return value.unparse() if value.is_indirect else value.unparse(resolved=True)
    return pikepdf.Array([value]).unparse()[1:-1]  # a number or boolean pikepdf made Python


def _renumber(text: bytes, base: int) -> bytes:
    """PDF syntax with its references (``12 0 R``) shifted by ``base``, strings left alone."""
    if not base:
        return text
    return _REFERENCE.sub(lambda m: b"%d 0 R" % (int(m[1]) + base) if m[1] else m[0], text)


def _catalog(root: Any, base: int) -> bytes:
    """The first part's catalog, without what the joined PDF makes anew (its /Names without
    /Dests, kept for the attached files)."""
    entries = []
    for key, value in root.items():
        if key in ("/Type", "/Pages", "/StructTreeRoot", "/Outlines", "/Names"):
            continue
        text = _syntax(value)
        entries.append(key.encode() + b" " + _renumber(text, base))
    names = root.get("/Names")
    inner = b""
    if names is not None:
        inner = b" ".join(
            key.encode() + b" " + _renumber(_syntax(value), base)
            for key, value in names.items()
            if key != "/Dests"
        )
    return b"<< /Type /Catalog /Names << " + inner + b" >> " + b" ".join(entries) + b" >>"


def _resources(res: Any, base: int) -> tuple[bytes, bytes]:
    """A page's resources as PDF syntax, all but /XObject, and the entries of its /XObject."""
    rest, xobjects = [], []
    for key, value in res.items():
        if key == "/XObject":
            for name, xobject in value.items():
                xobjects.append(name.encode() + b" " + _renumber(_syntax(xobject), base))
            continue
        text = _syntax(value)
        rest.append(key.encode() + b" " + _renumber(text, base))
    return b" ".join(rest), b" ".join(xobjects)


def _outline_objects(root: Any) -> Iterator[tuple[int, int]]:
    """The objects of a part's outline (the joined PDF has its own)."""
    outlines = root.get("/Outlines")
    if outlines is None:
        return
    yield outlines.objgen
    todo = [outlines.get("/First")]
    while todo:
        item = todo.pop()
        while item is not None:
            yield item.objgen
            todo.append(item.get("/First"))
            item = item.get("/Next")


def _outline(out: _Writer, parts: list[Rendered], page_nums: list[int]) -> int | None:
    """The outline of the joined PDF from every part's bookmarks (a bookmark of level 2 at the
    start of a part goes under the last of level 1 before it, as in one piece): the number
    of its root, or None without bookmarks."""
    import pikepdf

    root: dict[str, Any] = {"children": [], "open": True}
    stack: list[tuple[int, dict]] = []
    offset = 0
    for part in parts:
        for page, level, label, x, y, state in part.bookmarks:
            item = {
                "label": label,
                "dest": (page_nums[offset + page], x, y),
                "children": [],
                "open": state != "closed",
                "num": out.new(),
            }
            while stack and stack[-1][0] >= level:
                stack.pop()
            (stack[-1][1] if stack else root)["children"].append(item)
            stack.append((level, item))
        offset += part.pages
    if not root["children"]:
        return None
    root["num"] = out.new()

    def visible(item: dict) -> int:
        return sum(1 + (visible(c) if c["open"] else 0) for c in item["children"])

    def write(item: dict, parent: int | None) -> None:
        kids = item["children"]
        fields = []
        if parent is None:
            fields.append(b"/Type /Outlines")
        else:
            page, x, y = item["dest"]
            fields.append(b"/Title " + pikepdf.String(item["label"]).unparse())
            fields.append(
                b"/Parent %d 0 R /Dest [%d 0 R /XYZ %s %s 0]"
                % (parent, page, _number(x), _number(y))
            )
        if kids:
            count = visible(item)
            fields.append(
                b"/First %d 0 R /Last %d 0 R /Count %d"
                % (kids[0]["num"], kids[-1]["num"], count if item["open"] else -count)
            )
        for i, kid in enumerate(kids):
            links = b""
            if i:
                links += b" /Prev %d 0 R" % kids[i - 1]["num"]
            if i + 1 < len(kids):
                links += b" /Next %d 0 R" % kids[i + 1]["num"]
            kid["links"] = links
            write(kid, item["num"])
        out.obj(item["num"], b"<< " + b" ".join(fields) + item.get("links", b"") + b" >>")

    write(root, None)
    return root["num"]


def _number(value: float) -> bytes:
    return (b"%.4f" % value).rstrip(b"0").rstrip(b".")


class _Writer:
    """A PDF written object by object: streams as they come, other objects packed 100 to a
    compressed object stream, a cross-reference stream at the end."""

    def __init__(self) -> None:
        self.buffer = io.BytesIO()
        self.buffer.write(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
        self.size = 1  # object numbers in use (0 is the head of the free list)
        self.xref: dict[int, tuple[int, int, int]] = {}
        self.pending: list[tuple[int, bytes]] = []

    def new(self) -> int:
        self.size += 1
        return self.size - 1

    def write(self, obj: Any, base: int) -> None:
        """An object of a part, its number and references shifted by ``base``."""
        import pikepdf

        number = base + obj.objgen[0]
        if isinstance(obj, pikepdf.Stream):
            if obj.get("/Type") in (pikepdf.Name.ObjStm, pikepdf.Name.XRef):
                return
            raw = obj.read_raw_bytes()
            entries = b" ".join(
                key.encode() + b" " + _renumber(_syntax(value), base)
                for key, value in obj.stream_dict.items()
                if key != "/Length"
            )
            self.stream(number, b"<< " + entries + b" >>", raw)
        else:
            self.obj(number, _renumber(obj.unparse(resolved=True), base))

    def obj(self, number: int, text: bytes) -> None:
        self.pending.append((number, text))
        if len(self.pending) >= 100:
            self._flush()

    def stream(self, number: int, dictionary: bytes, raw: bytes) -> None:
        self.xref[number] = (1, self.buffer.tell(), 0)
        self.buffer.write(
            b"%d 0 obj\n%s /Length %d >>\nstream\n" % (number, dictionary[:-2].rstrip(), len(raw))
        )
        self.buffer.write(raw)
        self.buffer.write(b"\nendstream\nendobj\n")

    def _flush(self) -> None:
        if not self.pending:
            return
        number = self.new()
        offsets, body = [], io.BytesIO()
        for i, (n, text) in enumerate(self.pending):
            offsets.append(b"%d %d" % (n, body.tell()))
            body.write(text + b"\n")
            self.xref[n] = (2, number, i)
        head = b" ".join(offsets) + b"\n"
        data = zlib.compress(head + body.getvalue())
        self.stream(
            number,
            b"<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode >>"
            % (len(self.pending), len(head)),
            data,
        )
        self.pending = []

    def finish(self, root: int, info: int | None) -> bytes:
        self._flush()
        number = self.new()
        start = self.buffer.tell()
        self.xref[number] = (1, start, 0)
        rows = bytearray()
        for n in range(self.size):
            kind, a, b = self.xref.get(n, (0, 0, 65535 if n == 0 else 0))
            rows += bytes([kind]) + a.to_bytes(4, "big") + b.to_bytes(2, "big")
        digest = hashlib.md5(self.buffer.getvalue()).hexdigest().encode()
        data = zlib.compress(bytes(rows))
        self.buffer.write(
            b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R%s /ID [<%s> <%s>] "
            b"/Filter /FlateDecode /Length %d >>\nstream\n"
            % (
                number,
                self.size,
                root,
                b" /Info %d 0 R" % info if info else b"",
                digest,
                digest,
                len(data),
            )
        )
        self.buffer.write(data)
        self.buffer.write(b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % start)
        return self.buffer.getvalue()


def _name_tree(node: Any) -> Iterator[tuple[str, Any]]:
    """The (name, value) pairs of a PDF name tree."""
    if node is None:
        return
    names = node.get("/Names")
    if names is not None:
        for i in range(0, len(names), 2):
            yield str(names[i]), names[i + 1]
    for kid in node.get("/Kids", []):
        yield from _name_tree(kid)
