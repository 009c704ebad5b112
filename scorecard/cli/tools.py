"""Tools for the people who keep a campaign's data: link suggestions, and the JSON Schemas for
their editor."""

from __future__ import annotations

from pathlib import Path

import click

from ..enums import Verdict
from . import options


@click.command()
@options.project()
@click.option(
    "--top",
    type=click.IntRange(1, 20),
    default=3,
    show_default=True,
    help="Suggestions shown for each response or demand.",
)
@click.option(
    "--min-score",
    type=click.FloatRange(0, 1),
    default=None,
    help="Leave out suggestions below this score (0 to 1; never any below 0.20).",
)
@click.option(
    "--apply",
    "apply_",
    is_flag=True,
    help="Write the links you accept (asks for each on a terminal).",
)
@click.option(
    "--yes",
    is_flag=True,
    help="With --apply: accept every suggestion at or above --min-score, no questions.",
)
@click.option(
    "--verdict",
    type=options.EnumChoice(Verdict),
    default="none",
    show_default=True,
    help="The verdict of links written with --yes (check each one afterwards).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text for people, json for programs.",
)
def suggest(
    project: Path,
    top: int,
    min_score: float | None,
    apply_: bool,
    yes: bool,
    verdict: Verdict,
    fmt: str,
) -> None:
    """Suggest links for responses without links and demands without responses."""
    import json

    from ..build import load
    from ..edit.campaign import link as write_link
    from ..suggest import candidates, reason
    from ..suggest import suggest as run

    if yes and (not apply_ or min_score is None):
        raise click.UsageError("--yes needs --apply and --min-score (the lowest score to accept)")
    if apply_ and not yes and not options.interactive():
        raise click.UsageError(
            "--apply asks about each link on a terminal; without one, give --yes and --min-score"
        )
    data, _ = load(project)
    found = run(data, top, min_score or 0.0)
    titles = {d.id: next(iter(d.title.values())) for d in data.demands}
    if fmt == "json":
        click.echo(json.dumps(found.to_dict(), ensure_ascii=False, indent=2))
    else:
        from ..terminal import suggestions_text

        click.echo(suggestions_text(found, titles))
    if not apply_:
        return
    for s in candidates(found):
        chosen = verdict
        if not yes:
            if not click.confirm(f"Link {s.response} -> {s.demand} ({titles[s.demand]})?"):
                continue
            chosen = click.prompt("Verdict", type=options.EnumChoice(Verdict), default="none")
        click.echo(write_link(project, s.response, s.demand, chosen, reason(s)))


@click.command()
@click.argument(
    "which", type=click.Choice(["demands", "responses", "assessments", "output"]), required=False
)
def schema(which: str | None) -> None:
    """Print the JSON Schema of demands.yaml, responses.yaml and assessments.yaml (or of one
    of them), or of scorecard.json ("output").

    Point your editor at it to check the files while you type.
    """
    import json

    from ..model import schemas

    if which == "output":
        from ..document import output_schema

        click.echo(json.dumps(output_schema(), indent=2, ensure_ascii=False))
        return
    found = schemas()
    out = found[which] if which else {f"{k}.yaml": v for k, v in found.items()}
    click.echo(json.dumps(out, indent=2, ensure_ascii=False))


@click.command("check-sources")
@options.project()
@click.option(
    "--record",
    is_flag=True,
    help="Write each source's sha256 and the date checked into the YAML (only the "
    "sources that answered; a changed source gets its new hash).",
)
@click.option(
    "--archive",
    "archive_",
    is_flag=True,
    help="Ask the Internet Archive to save each source that answered and has no "
    "'archive' address, and write the snapshot's address into the YAML. The "
    "endpoint's base address: SCORECARD_ARCHIVE_URL, default https://web.archive.org.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table; json: for programs.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when a source is gone.")
@click.option(
    "--timeout",
    type=click.FloatRange(0.1, 600),
    default=10.0,
    show_default=True,
    help="Seconds to wait for a server (the whole page gets three times this).",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 32),
    default=4,
    show_default=True,
    help="How many addresses are fetched at once.",
)
def check_sources(
    project: Path,
    record: bool,
    archive_: bool,
    fmt: str,
    strict: bool,
    timeout: float,
    concurrency: int,
) -> None:
    """Fetch every source URL and say if it is live, redirected, gone or changed (its content
    differs from the sha256 recorded on the source). Needs the network; the build never does."""
    import json

    from ..sources import check_sources as run
    from ..terminal import sources_table

    report = run(project, concurrency, timeout, write=record, archive_missing=archive_)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(sources_table(report))
    if strict and any(c.state == "gone" for c in report.checks):
        raise SystemExit(1)
