"""The library's front door: the stages in order. Load and validate (load.py, validate.py), the
documents (document.py, which uses match.py), render (render/) and write (write.py).

Nothing is written until every step has passed.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import gc
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .document import Documents, documents
from .errors import Problem, ScorecardError
from .model import Project, Rule
from .render import output_name
from .validate import load_project
from .write import check_output, write_outputs

if TYPE_CHECKING:  # Jinja and the renderer are imported only when something is rendered
    from .render.html import Renderer

FORMATS = ("html", "pdf", "json", "csv", "sqlite")  # what build can make
DEFAULT_FORMATS = ("html", "pdf", "json")


@dataclass
class BuildResult:
    written: list[Path]
    documents: Documents
    warnings: list[Problem] = field(default_factory=list)
    pdf_log: list[str] = field(default_factory=list)


@contextlib.contextmanager
def cycle_collection(on: bool) -> Iterator[None]:
    """Python's cycle collector on or off for a while, then as it was. Off for a build: it
    allocates millions of objects (positions, the model, the documents, the page's pieces)
    that live until it ends, and the collector would walk them again and again for almost
    nothing to free (3 s of a 10 s build of 1,000 demands and 10,000 responses; the peak
    memory is the same). On for a PDF: WeasyPrint's layout does leave cycles behind."""
    enabled = gc.isenabled()
    if on:
        gc.enable()
    else:
        gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
        else:
            gc.disable()


@cycle_collection(on=False)
def load(root: Path, strict: bool = False) -> tuple[Project, list[Problem]]:
    """Load and validate, reading parsed YAML from the user's cache when the file is unchanged
    (see cache.py; SCORECARD_CACHE="" turns it off)."""
    from .cache import default_dir

    return load_project(root, cache_dir=default_dir(), strict=strict)


def render(
    docs: Documents,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    langs: tuple[str, ...] | None = None,
    renderer: Renderer | None = None,
    progress: Callable[[str], None] = lambda step: None,
    pdf_budget: int | None = None,
) -> tuple[dict[str, bytes], list[str]]:
    """Every output file of the documents, as ``{file name: bytes}``, and the PDF warnings.

    ``langs``: the languages of the pages and PDFs (default: the campaign's ``lang``); the
    default language gets scorecard.html, the others scorecard.LANG.html (and .pdf). A user's
    template error is a ScorecardError; one in the default templates keeps its traceback."""
    import jinja2

    from .render.html import Renderer

    renderer = renderer or Renderer()
    files: dict[str, bytes] = {}
    pdf_log: list[str] = []
    main = docs.primary
    default = main["campaign"]["lang"]
    langs = tuple(dict.fromkeys(langs or (default,)))
    switcher = list(langs) if len(langs) > 1 else None
    several = len(docs.docs) > 1 or len(langs) > 1
    try:
        reports: dict[tuple[str, str], str] = {}
        if "pdf" in formats:  # first: PDFs over their budget fail the build at once
            reports = report_htmls(renderer, docs, langs, pdf_budget)
        attached: dict[str, bytes] = {}
        if "json" in formats or "pdf" in formats:  # attached to every PDF, even without json
            from .render.data import json_bytes

            data = json_bytes(main)
            attached["scorecard.json"] = data
            if "json" in formats:
                files["scorecard.json"] = data
        if "csv" in formats:
            from .render.data import csv_files

            attached.update(csv_files(docs.docs))
        for doc in docs.docs.values():
            stem = page(doc).removesuffix(".html")
            for lang in langs:
                if "html" in formats:
                    name = output_name(stem, lang, default, "html")
                    progress(f"Rendering {name}")
                    files[name], evidence = renderer.html_pages(doc, lang, switcher)
                    files.update(evidence)  # evidence.html, and evidence_2.html... if large
                if "pdf" in formats:
                    from .render.pdf import pdf  # WeasyPrint: only when a PDF is asked for

                    name = output_name(stem, lang, default, "pdf")
                    progress(f"Rendering {name}")
                    html = reports[(doc["target_id"], lang)]
                    with cycle_collection(on=True):
                        files[name], log = pdf(renderer, doc, lang, attached, html)
                    pdf_log += [f"{line} ({name})" if several else line for line in log]
        if "html" in formats:
            from .render import feed
            from .render.share import demand_badges

            files.update(feed.badges(docs.docs, renderer, langs))
            files.update(feed.feed(docs.docs, renderer, langs))
            # a demand's badge must not take the name of a target's (badge.ID.svg)
            files.update(demand_badges(docs.docs, renderer, langs, taken=set(files)))
        if "html" in formats or "pdf" in formats:  # the source articles they link to
            files.update(
                {f"sources/{name}": data for name, data in docs.project.source_files.items()}
            )
        if "csv" in formats:
            from .render.datapackage import datapackage

            files.update({k: v for k, v in attached.items() if k.endswith(".csv")})
            files.update(datapackage(docs.docs))
        if "sqlite" in formats:
            from .render.data import sqlite_file
            from .render.datapackage import datasette_metadata

            files.update(sqlite_file(docs.docs))
            files.update(datasette_metadata(docs.docs))
    except jinja2.TemplateError as exc:
        if renderer.user_templates is None:
            raise  # a bug in the default templates: keep the traceback
        filename, line = getattr(exc, "filename", None), getattr(exc, "lineno", None)
        where = f"{filename}:{line}: " if filename else ""
        raise ScorecardError(
            f"{where}template error: {exc.message}; fix the template "
            "(or remove it from --templates to use the default)"
        ) from exc
    return files, pdf_log


def page(doc: dict) -> str:
    """The file name of a target's page: scorecard.html, or scorecard.TARGET.html."""
    return next(t["page"] for t in doc["targets"] if t["id"] == doc["target_id"])


def report_htmls(
    renderer: Renderer, docs: Documents, langs: tuple[str, ...], budget: int | None = None
) -> dict[tuple[str, str], str]:
    """The HTML of every PDF of a build (one per target and language), each within the budget
    of one report and all within the build's (budget.py), checked before the first PDF is
    made: {(target id, language): html}."""
    from .budget import MAX_PDF_WEIGHT, check_pdf_floor, check_pdfs, pdf_weight

    limit = budget or MAX_PDF_WEIGHT
    check_pdf_floor([d for d in docs.docs.values() for _ in langs], limit)
    out = {}
    for tid, doc in docs.docs.items():
        for lang in langs:
            out[(tid, lang)] = renderer.report_html(doc, lang)
    check_pdfs([pdf_weight(html) for html in out.values()], limit)  # all weighed: one advice
    return out


@cycle_collection(on=False)
def build(
    root: Path,
    out: Path | None = None,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    progress: Callable[[str], None] = lambda step: None,
    **options: Any,
) -> BuildResult:
    """Build the outputs of a campaign folder into ``out`` (default: ROOT/output): ``make()``
    with the same ``options`` (as_of, rule, strict, templates, langs, since, reviewed_only,
    when, pdf_budget), then the one atomic write."""
    check_output(root, out)  # before anything is built: no surprise about where it goes
    made = make(root, formats, progress=progress, **options)
    progress("Writing")
    from .render import is_later_evidence_page

    # an evidence page past the last, from a build of more responses: old data, removed
    written = write_outputs(out or root / "output", made.files, stale=is_later_evidence_page)
    return BuildResult(written, made.documents, made.warnings, made.pdf_log)


@dataclass
class Made:
    """A build's outputs in memory, before anything is written."""

    files: dict[str, bytes]
    documents: Documents
    warnings: list[Problem]
    pdf_log: list[str]


@cycle_collection(on=False)
def make(
    root: Path,
    formats: tuple[str, ...] = DEFAULT_FORMATS,
    as_of: dt.date | None = None,
    rule: Rule | None = None,
    strict: bool = False,
    templates: Path | None = None,
    langs: tuple[str, ...] | None = None,
    progress: Callable[[str], None] = lambda step: None,
    since: dt.date | None = None,
    reviewed_only: bool = False,
    when: dt.datetime | None = None,
    renderer: Renderer | None = None,
    pdf_budget: int | None = None,
) -> Made:
    """Every output of a campaign folder, as ``{file name: bytes}``, written nowhere (build
    writes them; verify compares them). ``reviewed_only``: verdicts and rulings nobody
    reviewed are shown as pending review and left out of the score; ``when``: the clock
    (default: now, or SOURCE_DATE_EPOCH); ``pdf_budget``: see budget.py. Each document records
    its provenance: the input files' SHA-256, the folder's git commit, the formats and
    languages. ``renderer``: one kept
    between builds (serve), else a new one over ``templates``."""
    from .provenance import git_state
    from .render.html import Renderer

    renderer = renderer or Renderer(templates)
    progress("Checking the data")
    project, warnings = load(root, strict)
    if renderer.user_templates is not None:  # a block the defaults no longer have is ignored
        from .render.html import templates_dir
        from .render.overrides import unused_blocks

        ignored = unused_blocks(renderer.env, renderer.user_templates, templates_dir())
        if strict and ignored:
            raise ScorecardError("the templates have warnings and --strict is on", ignored)
        warnings = [*warnings, *ignored]
    langs = tuple(dict.fromkeys(langs or (project.campaign.lang,)))
    asked = {
        "formats": [f for f in FORMATS if f in formats],
        "languages": list(langs),
        "since": since.isoformat() if since else None,
        "templates": "default" if renderer.user_templates is None else "custom",
    }
    docs = documents(
        project,
        as_of,
        rule,
        when,
        since=since,
        reviewed_only=reviewed_only,
        git=git_state(root, list(project.inputs)),
        build=asked,
    )
    files, pdf_log = render(docs, formats, langs, renderer, progress, pdf_budget)
    return Made(files, docs, warnings, pdf_log)
