"""The library's front door: load, validate, match, render and write, in that order.

Nothing is written until every step has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from . import publish
from .errors import Problem, ScorecardError
from .match import Scorecard, scorecard
from .model import Project, Rule
from .render import Renderer, generated_on, output_name, to_json
from .targets import cards, primary_project, target_documents
from .validate import load_project
from .write import check_output, write_outputs

FORMATS = ("html", "pdf", "json")


@dataclass
class BuildResult:
    written: list[Path]
    card: Scorecard
    warnings: list[Problem] = field(default_factory=list)
    pdf_log: list[str] = field(default_factory=list)


def default_as_of(when: dt.datetime | None = None) -> dt.date:
    return (when or generated_on()).date()


def load(root: Path, strict: bool = False) -> tuple[Project, list[Problem]]:
    """Load and validate, reading parsed YAML from the user's cache when the file is unchanged
    (see cache.py; SCORECARD_CACHE="" turns it off)."""
    from .cache import default_dir

    return load_project(root, cache_dir=default_dir(), strict=strict)


def derive(root: Path, as_of: dt.date | None = None, rule: Rule | None = None,
           strict: bool = False) -> tuple[Scorecard, list[Problem]]:
    project, warnings = load(root, strict)
    # The main scorecard is the primary target's (the only one, unless demands.yaml lists targets).
    return scorecard(primary_project(project), as_of or default_as_of(), rule), warnings


def derive_targets(root: Path, as_of: dt.date | None = None, rule: Rule | None = None,
                   strict: bool = False) -> tuple[dict[str, Scorecard], list[Problem]]:
    """Each target's scorecard, primary first (one, unless demands.yaml lists targets)."""
    project, warnings = load(root, strict)
    return cards(project, as_of or default_as_of(), rule), warnings


def page(doc: dict) -> str:
    """The file name of a target's page: scorecard.html, or scorecard.TARGET.html."""
    return next(t["page"] for t in doc["targets"] if t["id"] == doc["target_id"])


def documents(root: Path, as_of: dt.date | None = None, rule: Rule | None = None,
              strict: bool = False) -> tuple[dict[str, dict], list[Problem]]:
    """One document per target, primary first (the primary's is scorecard.json)."""
    when = generated_on()
    project, warnings = load(root, strict)
    return target_documents(project, as_of or default_as_of(when), rule, when), warnings


def check_pdfs(renderer: Renderer, docs: dict[str, dict], langs: tuple[str, ...]) -> None:
    """All the PDFs of a build, one per target and language, within one budget, checked
    before the first is made (see budget.check_pdf)."""
    from .budget import check_pdf, check_pdf_floor

    check_pdf_floor([d for d in docs.values() for _ in langs])
    spent = [0]
    for d in docs.values():
        for lang in langs:
            check_pdf(renderer.report_html(d, lang), spent)


def build(root: Path, out: Path | None = None, formats: tuple[str, ...] = FORMATS,
          as_of: dt.date | None = None, rule: Rule | None = None, strict: bool = False,
          templates: Path | None = None, langs: tuple[str, ...] | None = None,
          progress: Callable[[str], None] = lambda step: None,
          since: dt.date | None = None) -> BuildResult:
    """Build the outputs of a campaign folder into ``out`` (default: ROOT/output).

    ``langs``: the languages of the page and the PDF (default: the campaign's ``lang``); the
    default language gets scorecard.html, the others scorecard.LANG.html (and .pdf).
    """
    check_output(root, out)  # before anything is built: no surprise about where it goes
    out = out or root / "output"
    when = generated_on()
    progress("Checking the data")
    project, warnings = load(root, strict)
    docs = target_documents(project, as_of or default_as_of(when), rule, when)
    doc = docs[next(iter(docs))]
    card = scorecard(primary_project(project), dt.date.fromisoformat(doc["as_of"]), rule)
    if since is not None:  # a "What changed" section in every output, per target
        from .diff import since as changes_since

        for tid, target_card in cards(project, card.as_of, rule).items():
            docs[tid]["changes"] = changes_since(target_card.project, since, target_card.as_of,
                                                 target_card.rule).to_dict()
    renderer = Renderer(templates)
    files: dict[str, bytes] = {}
    pdf_log: list[str] = []
    try:
        default = doc["campaign"]["lang"]
        langs = tuple(dict.fromkeys(langs or (default,)))
        switcher = list(langs) if len(langs) > 1 else None
        if "pdf" in formats:  # first: a PDF over its budget fails the build at once
            check_pdfs(renderer, docs, langs)
        if "json" in formats:
            files["scorecard.json"] = to_json(doc).encode()
        for d in docs.values():
            stem = page(d).removesuffix(".html")
            for lang in langs:
                if "html" in formats:
                    progress(f"Rendering {output_name(stem, lang, default, 'html')}")
                    files[output_name(stem, lang, default, "html")] = renderer.html(
                        d, lang, languages=switcher).encode()
                if "pdf" in formats:
                    name = output_name(stem, lang, default, "pdf")
                    progress(f"Rendering {name}")
                    files[name] = renderer.pdf(d, lang)
                    from .pdf import last_log

                    several = len(docs) > 1 or len(langs) > 1
                    pdf_log += [f"{line} ({name})" if several else line for line in last_log]
        if "html" in formats:
            files.update(publish.badges(docs, renderer))
            files.update(publish.feed(docs, renderer))
        if "csv" in formats:
            files.update(publish.csv_files(docs))
        if "sqlite" in formats:
            files.update(publish.sqlite_file(docs))
    except jinja2.TemplateError as exc:
        if templates is None:
            raise  # a bug in the default templates: keep the traceback
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "filename", None) else ""
        raise ScorecardError(f"{where}template error: {exc.message}; fix the template "
                             "(or remove it from --templates to use the default)") from exc
    progress("Writing")
    written = write_outputs(out, files)
    return BuildResult(written, card, warnings, pdf_log)
