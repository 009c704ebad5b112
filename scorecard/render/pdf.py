"""A target's document -> its PDF report, with WeasyPrint, fetching nothing but the tool's own
packaged assets.

Imported only when a PDF is asked for. WeasyPrint itself (about half a second to import) is
imported where a document is laid out: a long report is laid out in parts by worker processes
and joined, so that memory stays bounded (parts.py), and its parent process, which only cuts
and joins, starts the workers without it.
"""

from __future__ import annotations

import datetime as dt
import gc
import io
import logging
import mimetypes
import os
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from .. import i18n
from . import authors
from .html import Renderer, templates_dir
from .parts import (
    PART_CHARS,
    PART_CSS,
    Rendered,
    join,
    long_enough,
    overlay_html,
    split_report,
)

LOG = logging.getLogger("weasyprint")
MAX_WORKERS = 2  # processes laying out parts at once: each takes ~160 MB
OVERLAY_PIECE = 40  # pages per worker from which the header and footer are laid out in pieces
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


@cache
def _fetcher_class() -> Any:
    """AssetsOnlyFetcher, made when first asked for: it subclasses WeasyPrint's fetcher."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class AssetsOnlyFetcher(URLFetcher):
        """Serves files from the templates folder and the packaged fonts; refuses everything
        else (other local files, the network, data: URLs)."""

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

    return AssetsOnlyFetcher


def assets_only_fetcher(allowed: list[Path]) -> Any:
    """WeasyPrint's URL fetcher serving only the files under ``allowed`` (AssetsOnlyFetcher)."""
    return _fetcher_class()(allowed)


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
        author=", ".join(authors(doc["campaign"])),
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
    part_chars: int | None = None,
    workers: int | None = None,
) -> tuple[bytes, list[str]]:
    """Render the report as tagged PDF/A-3u; returns the PDF and WeasyPrint's warnings,
    collected as they come. Same inputs and clock, same bytes (attachments carry the clock's
    date, not the time of the build). A report of more than ``part_chars`` (PART_CHARS)
    characters of HTML is laid out in parts by ``workers`` processes (default: one per CPU,
    at most MAX_WORKERS) and joined (see "a long report, in parts" below)."""
    info = _Info(title, author, lang, when, keywords or [])
    size = part_chars or PART_CHARS
    if not long_enough(html, size):
        rendered, warnings = _render_logged(html, info, attachments)
        return rendered.pdf, warnings
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    count = workers or max(1, min(MAX_WORKERS, cpus or 1))
    # Fresh processes (spawn): a forked child would count the parent's memory as its own.
    with ProcessPoolExecutor(
        count, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_start
    ) as pool:
        # The workers start (and import WeasyPrint) while this process cuts the report: a
        # worker is spawned for each job sent while none is idle.
        for _ in range(count):
            pool.submit(_ready)
        parts = split_report(html, size)
        if len(parts) == 1:  # a shape the cutter does not know: in one piece, in a worker
            rendered, warnings = pool.submit(_render_logged, html, info, attachments).result()
            return rendered.pdf, warnings
        jobs = deque(
            pool.submit(
                _render_logged,
                part.html,
                info,
                attachments if i == 0 else None,
                PART_CSS,
                identifier=False,
            )
            for i, part in enumerate(parts)
        )
        log: list[str] = []
        overlay: list[Future] = []

        def laid_out() -> Iterator[Rendered]:
            """The parts in order, as they are laid out; the overlay is sent to the workers
            as soon as the last part is done, in one piece per worker, to be laid out while
            the parts are joined. A part's job is let go once it is taken (its PDF is
            joined, not kept)."""
            pages = 0
            while jobs:
                rendered, lines = jobs.popleft().result()
                log.extend(lines)
                pages += rendered.pages
                if not overlay and all(j.done() for j in jobs):
                    total = pages + sum(j.result()[0].pages for j in jobs)
                    pieces = count if total >= OVERLAY_PIECE * count else 1
                    edges = [1 + total * i // pieces for i in range(pieces + 1)]
                    overlay.extend(
                        pool.submit(
                            _render_logged,
                            overlay_html(html, total, first, edges[i + 1] - 1),
                            info,
                            None,
                            "",
                            tags=False,
                            identifier=False,
                        )
                        for i, first in enumerate(edges[:-1])
                    )
                yield rendered

        def overlaid() -> list[bytes]:
            pdfs = []
            for piece in overlay:
                rendered, lines = piece.result()
                log.extend(lines)
                pdfs.append(rendered.pdf)
            return pdfs

        data = join(laid_out(), [part.ids for part in parts], overlaid)
    return data, log


def _worker_start() -> None:
    """A worker of html_to_pdf, as it starts: WeasyPrint imported, and the objects it and the
    tool made so far (modules, classes: ~70,000) left out of the collections that follow each
    part (_render_logged), which then walk the part's own objects only."""
    import weasyprint  # noqa: F401

    gc.collect()
    gc.freeze()


def _ready() -> None:
    """A job that does nothing: sent to start a worker (html_to_pdf)."""


def _render_logged(
    html: str,
    info: _Info,
    attachments: dict[str, bytes] | None,
    css: str = "",
    tags: bool = True,
    identifier: bool = True,
) -> tuple[Rendered, list[str]]:
    """_render(), with WeasyPrint's warnings collected as they come, and the document's clock
    as the time of the fonts it makes. Runs in this process or in a worker of html_to_pdf.

    Python's cyclic garbage collector is off meanwhile: the boxes live until the PDF is
    written, and its passes over them took a sixth of the time; the boxes (which hold cycles)
    are freed at the end, before a worker takes its next part."""
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
    collecting = gc.isenabled()
    gc.disable()
    try:
        rendered = _render(html, info, attachments, css, tags, identifier)
        return rendered, [f"{r.levelname}: {r.getMessage()}" for r in handler.records]
    finally:
        if collecting:
            gc.enable()
        gc.collect()
        LOG.removeHandler(handler)
        LOG.setLevel(level)
        if epoch is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = epoch


def _render(
    html: str,
    info: _Info,
    attachments: dict[str, bytes] | None,
    css: str = "",
    tags: bool = True,
    identifier: bool = True,
) -> Rendered:
    """One document laid out and written by WeasyPrint: its PDF, pages and bookmarks. Without
    ``identifier``, the PDF has no /ID (a part, which join() gives the joined PDF's): WeasyPrint
    makes it from a hash of every object, written and compressed a second time for it (about
    a seventh of the time it takes to write a part)."""
    import weasyprint
    from weasyprint.text.fonts import FontConfiguration

    fetcher = assets_only_fetcher([templates_dir(), *font_dirs()])
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
    data = document.write_pdf(
        pdf_variant=VARIANT,
        pdf_tags=tags,
        attachments=files,
        **({} if identifier else {"pdf_identifier": False}),
    )
    return Rendered(data, len(document.pages), bookmarks)
