"""Commands that publish: build the outputs, preview them live, or verify published ones."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from ..enums import Rule
from ..errors import display
from . import options


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    from ..build import FORMATS

    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [v for v in chosen if v not in FORMATS]
    if bad or not chosen:
        raise click.BadParameter(
            f"'{','.join(bad) or value}' is not a format; use a comma-"
            f"separated list of {', '.join(FORMATS)}"
        )
    return chosen


@click.command()
@options.project()
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder for the outputs. Default: PROJECT/output.",
)
@click.option(
    "--format",
    "formats",
    default="html,pdf,json",
    callback=_formats,
    show_default=True,
    help="Comma-separated outputs to make: html (with badge.svg "
    "and feed.xml), pdf, json, csv, sqlite.",
)
@options.as_of
@options.rule
@options.strict
@options.templates
@options.langs
@click.option(
    "--since",
    type=options.DateParam(),
    default=None,
    help="Add a 'What changed' section: status changes since this date.",
)
@click.option(
    "--pdf-budget",
    type=click.IntRange(1_000, 10_000_000),
    default=None,
    metavar="WEIGHT",
    help="The largest PDF report to lay out, as a weight (elements and text; default "
    "125,000, about 1,000 responses; all the reports of a build together: 4 times that). "
    "Raise it for a large campaign whose data you trust; the message of a refused PDF says "
    "how much it needs.",
)
@click.option(
    "--reviewed-only",
    is_flag=True,
    help="Count only verdicts and rulings with a reviewed_by; show the others as pending review.",
)
def build(
    project: Path,
    out: Path | None,
    formats: tuple[str, ...],
    as_of: dt.date | None,
    rule: Rule | None,
    strict: bool,
    templates: Path | None,
    langs: tuple[str, ...] | None,
    since: dt.date | None,
    pdf_budget: int | None,
    reviewed_only: bool,
) -> None:
    """Validate the data and write the scorecard (HTML page, PDF report, JSON data)."""
    import gc

    from ..build import build as run

    # The cycle collector stays off until the end of the command, then the objects of the
    # build are left out of its work (freeze): a collection after the build walks millions of
    # them for a second (see build.cycle_collection), and the process ends right after.
    gc.disable()
    try:
        status = None
        if sys.stderr.isatty() and "pdf" in formats:
            from rich.console import Console

            status = Console(stderr=True).status("Building")
            status.start()
        try:
            result = run(
                project,
                out,
                formats,
                as_of=as_of,
                rule=rule,
                strict=strict,
                templates=templates,
                langs=langs,
                progress=status.update if status else (lambda step: None),
                since=since,
                reviewed_only=reviewed_only,
                pdf_budget=pdf_budget,
            )
        finally:
            if status:
                status.stop()
        options.warn(result.warnings, limit=20)  # the data's: all of them by validate
        options.warn([f"warning: {w}" for w in result.documents.warnings])
        for line in result.pdf_log:
            click.echo(f"PDF: {line}", err=True)
        doc = result.documents.primary
        from ..render import is_later_evidence_page
        from ..render.share import is_demand_badge

        ids = {d["id"] for d in doc["demands"]}
        badges = [p for p in result.written if is_demand_badge(p.name, ids)]
        pages = [p for p in result.written if is_later_evidence_page(p.name)]
        shown = set(badges) | set(pages)  # a set: 500,000 comparisons of paths at 1,000 badges
        names = ", ".join(display(p) for p in result.written if p not in shown)
        if pages:
            names += f", {len(pages):,} more evidence pages ({pages[0].name}...)"
        if badges:
            names += f" and {len(badges):,} badges of demands ({badges[0].name}...)"
        click.echo(
            f"{doc['score']['summary']} ({doc['score']['percent']:g}%) as of {doc['as_of']}, "
            f"rule: {doc['rule']['id']}. Wrote {names}"
        )
    finally:
        gc.freeze()
        gc.enable()


@click.command()
@options.project()
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@options.templates
@options.langs
def serve(project: Path, port: int, templates: Path | None, langs: tuple[str, ...] | None) -> None:
    """Live preview: rebuild every output but the PDF when a campaign file is saved, serve them
    on 127.0.0.1 and reload the browser. Writes nothing in PROJECT: the outputs live in a
    private temporary folder while the preview runs."""
    import signal
    import threading

    from ..serve import Preview, server

    preview = Preview(
        project, templates=templates, langs=langs, report=lambda m: click.echo(m, err=True)
    )
    preview.rebuild()
    httpd = server(preview, port)
    stop = threading.Event()
    threading.Thread(target=preview.watch, args=(stop,), daemon=True).start()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # remove the outputs' folder on exit
    click.echo(
        f"Serving a preview of {project} on http://127.0.0.1:{httpd.server_address[1]}/ "
        "(Ctrl+C to stop)"
    )
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        httpd.server_close()
        preview.close()


@click.command()
@click.argument("published", metavar="OUTPUT_DIR", type=click.Path(exists=True, path_type=Path))
@options.project()
@options.templates
@click.option(
    "--pdf-text",
    is_flag=True,
    help="Accept a PDF whose bytes differ when its text and attachments are the same "
    "(made by another version of the PDF renderer).",
)
def verify(published: Path, project: Path, templates: Path | None, pdf_text: bool) -> None:
    """Check that published outputs are exactly what PROJECT's data gives.

    Rebuilds in memory with the as-of date, rule, clock, formats and languages recorded in
    OUTPUT_DIR/scorecard.json (or in the scorecard.json attached to a published PDF; OUTPUT_DIR
    may be one published file), then compares file by file. Exit 0: every file is the same;
    1: some file is missing, extra or different."""
    from ..terminal import verify_text
    from ..verify import verify as run

    result = run(published, project, templates, pdf_text)
    click.echo(verify_text(result))
    if not result.ok:
        sys.exit(1)
