"""A target's document -> its PDF report, with WeasyPrint, fetching nothing but the tool's own
packaged assets.

Imported only when a PDF is asked for: WeasyPrint takes about a second to import.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import logging
import mimetypes
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from html import escape, unescape
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import weasyprint
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .. import i18n
from .html import Renderer, templates_dir

LOG = logging.getLogger("weasyprint")
PART_CHARS = 150_000  # characters of HTML per part: ~20 pages, ~160 MB for its process
MAX_WORKERS = 2  # processes laying out parts at once: each takes ~160 MB
VARIANT = "pdf/a-3u"  # archival, Unicode text; tagged too (pdf_tags), which 3a would force


def font_dirs() -> list[Path]:
    """Folders of the fonts that ship as Python dependencies."""
    import fontpkg_ibm_plex_sans_arabic
    import fontpkg_noto_sans

    return [
        Path(fontpkg_noto_sans.ROOT) / "files",
        Path(fontpkg_ibm_plex_sans_arabic.ROOT) / "files",
    ]


def font_faces() -> str:
    """@font-face rules for the packaged fonts, as CSS.

    Arabic: IBM Plex Sans Arabic (static fonts), with the "rlig" and "kern" features off. With
    them on, pdftotext returns lam-alef reversed (the ligature glyph maps to two letters, which
    it reorders) and splits some words; variable fonts (Noto Sans Arabic) extract garbled
    (WeasyPrint #2841) and Amiri's lam-kaf forms duplicate a letter. With these settings every
    Arabic word of the demand titles copies out intact (tests/test_i18n.py; the whole report:
    scripts/arabic_pdf_text.py), at the cost of lam-alef drawn as two joined letters instead of
    the ligature. A letter with a diacritic can still copy out wrong: WeasyPrint maps a glyph to
    the text of the first cluster it appears in.
    """
    import fontpkg_ibm_plex_sans_arabic
    import fontpkg_noto_sans

    noto = Path(fontpkg_noto_sans.ROOT) / "files"
    plex = Path(fontpkg_ibm_plex_sans_arabic.ROOT) / "files"
    faces = [
        ("Scorecard Sans", noto / "NotoSans[wdth,wght].ttf", "normal", "400"),
        ("Scorecard Sans", noto / "NotoSans[wdth,wght].ttf", "normal", "700"),
        ("Scorecard Sans", noto / "NotoSans-Italic[wdth,wght].ttf", "italic", "400"),
        ("Scorecard Arabic", plex / "IBMPlexSansArabic-Regular.ttf", "normal", "400"),
        ("Scorecard Arabic", plex / "IBMPlexSansArabic-Bold.ttf", "normal", "700"),
    ]
    arabic = 'font-feature-settings: "rlig" 0, "kern" 0; '
    return "\n".join(
        f'@font-face {{ font-family: "{family}"; src: url("{path.as_uri()}"); '
        f"font-style: {style}; font-weight: {weight}; {arabic if 'Arabic' in family else ''}}}"
        for family, path, style, weight in faces
        if path.exists()
    )


class AssetsOnlyFetcher(URLFetcher):
    """Serves files from the templates folder and the packaged fonts; refuses everything else
    (other local files, the network, data: URLs)."""

    def __init__(self, allowed: list[Path]) -> None:
        super().__init__(allowed_protocols=["file"], allow_redirects=False)
        self.allowed = [p.resolve() for p in allowed]
        self.refused: list[str] = []

    def fetch(self, url: str, headers: dict | None = None) -> URLFetcherResponse:
        parsed = urlparse(url)
        if parsed.scheme == "file" and parsed.netloc in ("", "localhost"):
            path = Path(unquote(parsed.path)).resolve()
            if any(path.is_relative_to(root) for root in self.allowed) and path.is_file():
                mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                if path.suffix in (".ttf", ".otf"):
                    mime = "font/ttf"
                return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})
        self.refused.append(url)
        raise ValueError(f"scorecard fetches only its own assets; refused {url[:200]}")


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def pdf(
    renderer: Renderer,
    doc: dict[str, Any],
    lang: str | None = None,
    attachments: dict[str, bytes] | None = None,
    html: str | None = None,
) -> tuple[bytes, list[str]]:
    """The PDF report of a document in a language, and WeasyPrint's warnings about it: PDF/A-3
    (archival), tagged (a structure tree a screen reader follows), with ``attachments``
    (scorecard.json, the CSV files) embedded and the provenance in its metadata. ``html``: the
    report's HTML, already made and checked against the budget (build.py); without it, it is
    made and checked here."""
    default = doc["campaign"].get("lang", "en")
    lang = lang or default
    if html is None:
        from ..budget import check_pdf

        html = renderer.report_html(doc, lang)
        check_pdf(html)  # before WeasyPrint sees it: refuse what would take it minutes
    return html_to_pdf(
        html,
        title=i18n.localized(doc["campaign"]["title"], lang, default)[0],
        author=", ".join(doc["campaign"].get("organizers", [])),
        lang=lang,
        when=doc["generated_on"],
        keywords=provenance_keywords(doc.get("provenance")),
        attachments=attachments,
    )


def provenance_keywords(origin: dict[str, Any] | None) -> list[str]:
    """The provenance as the PDF's keywords (the Info dictionary and XMP's pdf:Keywords, kept
    the same as PDF/A asks): the tool's version, each input's full SHA-256, the commit."""
    if not origin:
        return []
    words = [f"scorecard {origin['version']}"]
    words += [f"{i['file']} sha256:{i['sha256']}" for i in origin["inputs"]]
    git = origin.get("git")
    if git:
        words.append(f"git commit:{git['commit']}{' (modified)' if git['modified'] else ''}")
    return words


@dataclass
class _Info:
    """What the PDF says about itself."""

    title: str
    author: str
    lang: str
    when: str
    keywords: list[str]


def html_to_pdf(
    html: str,
    *,
    title: str,
    author: str,
    lang: str,
    when: str,
    keywords: list[str] | None = None,
    attachments: dict[str, bytes] | None = None,
    part_chars: int = PART_CHARS,
    workers: int | None = None,
) -> tuple[bytes, list[str]]:
    """Render the report as tagged PDF/A-3u; returns the PDF and WeasyPrint's warnings,
    collected as they come. Same inputs and clock, same bytes (attachments carry the clock's
    date, not the time of the build). A report of more than ``part_chars`` characters of HTML
    is laid out in parts, by ``workers`` processes (default: one per CPU, at most
    MAX_WORKERS), and joined (see "a long report, in parts" below)."""
    info = _Info(title, author, lang, when, keywords or [])
    parts = split_report(html, part_chars)
    if len(parts) == 1:
        rendered, log = _render_logged(html, info, attachments)
        return rendered.pdf, log
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    count = workers or min(MAX_WORKERS, len(os.sched_getaffinity(0)))
    # Fresh processes (spawn): a forked child would count the parent's memory as its own.
    with ProcessPoolExecutor(count, mp_context=multiprocessing.get_context("spawn")) as pool:
        jobs = [
            pool.submit(
                _render_logged,
                part.html,
                info,
                attachments if i == 0 else None,
                NO_MARGIN_BOXES,
            )
            for i, part in enumerate(parts)
        ]
        done = [job.result() for job in jobs]
        total = sum(r.pages for r, _ in done)
        overlay, log = pool.submit(
            _render_logged, _overlay_html(html, total), info, None, "", False
        ).result()
    data = _join([r for r, _ in done], [part.ids for part in parts], overlay.pdf)
    return data, [line for _, lines in done for line in lines] + log


def _render_logged(
    html: str,
    info: _Info,
    attachments: dict[str, bytes] | None,
    css: str = "",
    tags: bool = True,
) -> tuple[_Rendered, list[str]]:
    """_render(), with WeasyPrint's warnings collected as they come, and the document's clock
    as the time of the fonts it makes. Runs in this process or in a worker of html_to_pdf."""
    handler = _Collect()
    LOG.addHandler(handler)
    level = LOG.level
    # Collect warnings whatever the application's logging setup says (restored below).
    LOG.setLevel(min(level or logging.WARNING, logging.WARNING))
    # fontTools stamps each font it instantiates (the variable Noto Sans) with the time, or with
    # SOURCE_DATE_EPOCH when set: the document's clock, so that the bytes depend on the data
    # and the clock only, never on the moment of the build (scorecard verify relies on it).
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(dt.datetime.fromisoformat(info.when).timestamp()))
    try:
        rendered = _render(html, info, attachments, css, tags)
        return rendered, [f"{r.levelname}: {r.getMessage()}" for r in handler.records]
    finally:
        LOG.removeHandler(handler)
        LOG.setLevel(level)
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch
        gc.collect()  # the boxes of a part hold cycles: free them before the next part


def _render(
    html: str,
    info: _Info,
    attachments: dict[str, bytes] | None,
    css: str = "",
    tags: bool = True,
) -> _Rendered:
    """One document laid out and written by WeasyPrint: its PDF, pages and bookmarks."""
    fetcher = AssetsOnlyFetcher([templates_dir(), *font_dirs()])
    stamp = dt.datetime.fromisoformat(info.when)
    fonts = FontConfiguration()
    css = weasyprint.CSS(string=font_faces() + css, font_config=fonts, url_fetcher=fetcher)
    document = weasyprint.HTML(
        string=html, base_url=templates_dir().as_uri() + "/", url_fetcher=fetcher
    ).render(stylesheets=[css], font_config=fonts, optimize_images=True)
    document.metadata.title = info.title
    document.metadata.authors = [info.author] if info.author else []
    document.metadata.lang = info.lang
    document.metadata.created = info.when
    document.metadata.modified = info.when
    document.metadata.generator = "scorecard"
    document.metadata.keywords = info.keywords
    files = [
        weasyprint.Attachment(
            file_obj=io.BytesIO(data),
            name=name,
            created=stamp,
            modified=stamp,
            relationship="Data",
            url_fetcher=fetcher,
        )
        for name, data in (attachments or {}).items()
    ]
    bookmarks = [
        (n, level, label, x * 0.75, (page.height - y) * 0.75, state)
        for n, page in enumerate(document.pages)
        for level, label, (x, y), state in page.bookmarks
    ]
    data = document.write_pdf(pdf_variant=VARIANT, pdf_tags=tags, attachments=files)
    return _Rendered(data, len(document.pages), bookmarks)


# ------------------------------------------------------------------ a long report, in parts
#
# WeasyPrint keeps the layout of every page of a document until it has written the PDF: the
# report of 1,000 responses (358 pages) took 1.4 GB, and it writes the structure tree in time
# that grows with pages x elements. A long report is therefore laid out in parts of about
# PART_CHARS characters of HTML, cut between blocks (sections, demands, responses, rows, list
# items), each part a document of its own with the same head; the parts are then joined into
# one PDF (pikepdf): pages, links (named destinations), outline, structure tree (tags) and the
# first part's catalog (PDF/A metadata, attached files). The running header and the "Page X
# of Y" footer, which need the whole, are drawn last from a document of as many empty pages
# with the report's @page rules, laid over each page as an artifact. Each cut starts a new
# page, so a long report has a few more pages than in one piece.

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
NO_MARGIN_BOXES = f"@page {{ {_MARGINS} }} @page :first {{ {_MARGINS} }}"


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
    """One part of a report: its HTML and the anchors (ids) it holds, not counting the
    placeholders of the anchors its links point to in other parts."""

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


def split_report(html: str, size: int = PART_CHARS) -> list[Part]:
    """The report cut into parts of about ``size`` characters, between blocks; one part (the
    HTML as it is) when it is smaller or its shape is not one the cutter knows."""
    whole = [Part(html, set())]
    if len(html) <= size * 1.5:
        return whole
    body = re.search(r"<body\b[^>]*>", html)
    end = html.rfind("</body>")
    if body is None or end < body.end():
        return whole
    try:
        root = _tree(html, body.end(), end)
    except _Unsplittable:
        return whole
    units: list[tuple[tuple[_Element, ...], _Element]] = []
    _units(html, root, (), size, units)
    groups: list[list] = [[]]
    filled = 0
    for unit in units:
        weight = unit[1].end - unit[1].start
        if groups[-1] and filled + weight > size:
            groups.append([])
            filled = 0
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
        wanted = {unescape(h) for h in _HREF.findall(text)} - ids
        out.append(_placeholders(wanted))
        out.append(tail)
        parts.append(Part("".join(out), ids))
    return parts


def _reopen(html: str, element: _Element, first: _Element, again: bool) -> str:
    """The start tag of an ancestor of a part's first block: as it is in the part that opens
    it; in the next parts without its id (its anchor is where it starts), with a table's head
    (WeasyPrint repeats it on each page) and a list's numbering going on."""
    tag = html[element.start : element.open_end]
    if not again:
        return tag
    tag = _ID.sub("", tag)
    if element.tag == "ol" and "start=" not in tag:
        before = (
            element.children[: element.children.index(first)] if first in element.children else []
        )
        tag = tag[:-1] + f' start="{1 + sum(c.tag == "li" for c in before)}">'
    if element.tag == "table":
        tag += "".join(
            _ID.sub("", html[c.start : c.end])
            for c in element.children
            if c.tag in ("colgroup", "thead")
        )
    return tag


def _placeholders(names: set[str]) -> str:
    """Empty anchors for the links of a part that lead into other parts (WeasyPrint drops a
    link to an anchor it does not have); the joined PDF takes each anchor from its own part."""
    if not names:
        return ""
    inner = "".join(f'<div id="{escape(n)}"></div>' for n in sorted(names))
    return f'<div style="position: absolute; width: 0; height: 0; overflow: hidden">{inner}</div>'


def _overlay_html(html: str, pages: int) -> str:
    """A document of ``pages`` empty pages with the report's head, whose margin boxes (the
    running header, "Page X of Y") are laid over the pages of the joined parts. The first
    <h1> comes along, hidden, for the header's string(); nothing else is drawn."""
    body = re.search(r"<body\b[^>]*>", html)
    assert body is not None
    h1 = re.search(r"<h1\b.*?</h1>", html, re.S)
    title = _ID.sub("", h1.group(0)) if h1 else ""
    return (
        html[: body.end()]
        + f'<div style="height: 0; overflow: hidden; visibility: hidden">{title}</div>'
        + '<div style="break-before: page"></div>' * (pages - 1)
        + "</body></html>"
    )


@dataclass
class _Rendered:
    pdf: bytes
    pages: int
    bookmarks: list[tuple[int, int, str, float, float, str]]  # page, level, label, x, y, state


def _join(parts: list[_Rendered], owned: list[set[str]], overlay: bytes) -> bytes:
    """One PDF of the parts' PDFs, in order: the first part's catalog (PDF/A metadata, output
    intent, attached files, language), every part's pages and structure elements, each named
    destination from the part that holds its anchor, the outline of all the bookmarks, and the
    overlay's pages (header and footer) drawn on them as artifacts."""
    import pikepdf
    from pikepdf import Array, Dictionary

    out = pikepdf.open(io.BytesIO(parts[0].pdf))
    sources = [out] + [pikepdf.open(io.BytesIO(p.pdf)) for p in parts[1:]]
    tagged = "/StructTreeRoot" in out.Root
    document = out.Root.StructTreeRoot.K[0] if tagged else None
    page_elements: list[Any] = []  # the ParentTree's entry of each page, in order
    annotations: list[tuple[Any, Any]] = []  # (annotation, its structure element)
    dests: dict[str, Any] = {}
    for n, (src, names) in enumerate(zip(sources, owned, strict=True)):
        first = len(out.pages) if n else 0
        if n:
            out.pages.extend(src.pages)
        copy = (lambda o: o) if n == 0 else (lambda o: _copy(out, o))
        if tagged:
            tree = src.Root.StructTreeRoot
            nums = list(tree.ParentTree.Nums)
            keys = dict(zip(nums[::2], nums[1::2], strict=True))
            count = len(src.pages)
            page_elements += [copy(keys[i]) if i in keys else Array() for i in range(count)]
            if n:
                for kid in tree.K[0].K:
                    element = copy(kid)
                    element.P = document
                    document.K.append(element)
            for page in out.pages[first:]:
                for annotation in page.obj.get("/Annots", []):
                    key = annotation.get("/StructParent")
                    if key is not None and int(key) in keys:
                        annotations.append((annotation, copy(keys[int(key)])))
        for name, dest in _name_tree(src.Root.get("/Names", {}).get("/Dests")):
            if name in names:
                dests.setdefault(name, copy(dest))
    if tagged:
        total = len(out.pages)
        pairs: list[Any] = []
        for i, (page, entry) in enumerate(zip(out.pages, page_elements, strict=True)):
            page.obj.StructParents = i
            pairs += [i, out.make_indirect(entry) if isinstance(entry, Array) else entry]
        for j, (annotation, element) in enumerate(annotations, start=total):
            annotation.StructParent = j
            pairs += [j, element]
        out.Root.StructTreeRoot.ParentTree = out.make_indirect(Dictionary(Nums=Array(pairs)))
        out.Root.StructTreeRoot.ParentTreeNextKey = total + len(annotations)
    if dests:
        names_array: list[Any] = []
        for name in sorted(dests):
            names_array += [pikepdf.String(name), dests[name]]
        out.Root.Names.Dests = out.make_indirect(Dictionary(Names=Array(names_array)))
    _outline(out, parts)
    _lay_over(out, pikepdf.open(io.BytesIO(overlay)))
    buffer = io.BytesIO()
    out.save(
        buffer,
        deterministic_id=True,
        fix_metadata_version=False,
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
    )
    return buffer.getvalue()


def _copy(out: Any, obj: Any) -> Any:
    """``obj`` of another PDF, copied into ``out`` (its indirect objects once each)."""
    import pikepdf

    if getattr(obj, "is_indirect", False):
        return out.copy_foreign(obj)
    if isinstance(obj, pikepdf.Array):
        return pikepdf.Array([_copy(out, o) for o in obj])
    if isinstance(obj, pikepdf.Dictionary):
        return pikepdf.Dictionary({k: _copy(out, v) for k, v in obj.items()})
    return obj


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


def _outline(out: Any, parts: list[_Rendered]) -> None:
    """The outline of the joined PDF from every part's bookmarks (a bookmark of level 2 at the
    start of a part goes under the last of level 1 before it, as in one piece)."""
    import pikepdf

    with out.open_outline() as outline:
        outline.root.clear()
        stack: list[tuple[int, Any]] = []
        offset = 0
        for part in parts:
            for page, level, label, x, y, state in part.bookmarks:
                item = pikepdf.OutlineItem(
                    label, offset + page, pikepdf.PageLocation.XYZ, left=x, top=y, zoom=0
                )
                item.is_closed = state == "closed"
                while stack and stack[-1][0] >= level:
                    stack.pop()
                (stack[-1][1].children if stack else outline.root).append(item)
                stack.append((level, item))
            offset += part.pages


def _lay_over(out: Any, overlay: Any) -> None:
    """Draw each page of ``overlay`` over the same page of ``out``, marked as an artifact (a
    running header or footer is no part of the structure tree)."""
    from pikepdf import Name, Stream

    if len(overlay.pages) != len(out.pages):
        raise RuntimeError(
            f"{len(overlay.pages)} pages of header and footer, {len(out.pages)} pages"
        )
    for page, over in zip(out.pages, overlay.pages, strict=True):
        form = out.copy_foreign(over.as_form_xobject())
        name = page.add_resource(form, Name.XObject, prefix="Fm")
        page.contents_add(Stream(out, b"q\n"), prepend=True)
        page.contents_add(Stream(out, b"\nQ\n/Artifact BMC q " + bytes(name) + b" Do Q EMC\n"))
