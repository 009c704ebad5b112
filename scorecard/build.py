"""The library's front door: load, validate, match, render and write, in that order.

Nothing is written until every step has passed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import jinja2

from .errors import Problem, ScorecardError
from .match import Scorecard, scorecard
from .model import Project, Rule
from .render import Renderer, document, generated_on, to_json
from .validate import load_project
from .write import write_outputs

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
    return scorecard(project, as_of or default_as_of(), rule), warnings


def build(root: Path, out: Path | None = None, formats: tuple[str, ...] = FORMATS,
          as_of: dt.date | None = None, rule: Rule | None = None, strict: bool = False,
          templates: Path | None = None,
          progress: Callable[[str], None] = lambda step: None) -> BuildResult:
    """Build the outputs of a campaign folder into ``out`` (default: ROOT/output)."""
    out = out or root / "output"
    when = generated_on()
    progress("Checking the data")
    card, warnings = derive(root, as_of or default_as_of(when), rule, strict)
    doc = document(card, when)
    renderer = Renderer(templates)
    files: dict[str, bytes] = {}
    pdf_log: list[str] = []
    try:
        if "json" in formats:
            files["scorecard.json"] = to_json(doc).encode()
        if "html" in formats:
            progress("Rendering the page")
            files["scorecard.html"] = renderer.html(doc).encode()
        if "pdf" in formats:
            progress("Rendering the PDF")
            files["scorecard.pdf"] = renderer.pdf(doc)
            from .pdf import last_log

            pdf_log = list(last_log)
    except jinja2.TemplateError as exc:
        if templates is None:
            raise  # a bug in the default templates: keep the traceback
        where = f"{exc.filename}:{exc.lineno}: " if getattr(exc, "filename", None) else ""
        raise ScorecardError(f"{where}template error: {exc.message}; fix the template "
                             "(or remove it from --templates to use the default)") from exc
    progress("Writing")
    written = write_outputs(out, files)
    return BuildResult(written, card, warnings, pdf_log)
