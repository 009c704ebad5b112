"""Commands that look without writing: validate the data, print the statuses, say what
changed."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from ..enums import Rule
from . import options


@click.command()
@options.project()
@options.strict
def validate(project: Path, strict: bool) -> None:
    """Check demands.yaml and responses.yaml; write nothing."""
    from ..build import load

    data, warnings = load(project, strict)
    options.warn(warnings)
    n = len(data.responses)
    k = len(data.targets)
    click.echo(
        f"OK: {len(data.demands)} demands, {n} response{'s' * (n != 1)}"
        f"{f' from {k} targets' if k > 1 else ''}"
        f"{f', {len(warnings)} warning' + 's' * (len(warnings) != 1) if warnings else ''}."
    )


@click.command()
@options.project()
@options.as_of
@options.rule
@options.strict
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="text: a table; json: the same document as scorecard.json.",
)
@click.option(
    "--target",
    "target_id",
    default=None,
    metavar="ID",
    help="Whose statuses to show (a target's id), when demands.yaml lists several "
    "targets. Default: the one named by campaign.target.",
)
def status(
    project: Path,
    as_of: dt.date | None,
    rule: Rule | None,
    strict: bool,
    fmt: str,
    target_id: str | None,
) -> None:
    """Print each demand's status as of a date."""
    from ..build import load
    from ..document import documents
    from ..provenance import git_state

    data, warnings = load(project, strict)
    found = documents(data, as_of, rule, git=git_state(project, list(data.inputs)))
    docs = found.docs
    if target_id is not None and target_id not in docs:
        raise click.BadParameter(
            f"'{target_id}' is not a target of this campaign; use one of: {', '.join(docs)}",
            param_hint="'--target'",
        )
    doc = docs[target_id or next(iter(docs))]
    if fmt == "json":
        from ..render.data import to_json

        click.echo(to_json(doc), nl=False)
        return
    options.warn([*warnings, *(f"warning: {w}" for w in found.warnings)])
    from ..terminal import status_table

    click.echo(status_table(doc))


@click.command()
@options.project()
@click.argument("other", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option(
    "--since",
    type=options.DateParam(),
    default=None,
    help="Compare the campaign as it stood on this date with --as-of.",
)
@click.option(
    "--from", "rev_from", default=None, help="Compare the folder as it was in this git revision ..."
)
@click.option(
    "--to",
    "rev_to",
    default=None,
    help="... with this revision (default: the files as they are now).",
)
@options.as_of
@options.rule
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    show_default=True,
    help="text for people, json for programs, markdown for a pull request comment.",
)
def diff(
    project: Path,
    other: Path | None,
    since: dt.date | None,
    rev_from: str | None,
    rev_to: str | None,
    as_of: dt.date | None,
    rule: Rule | None,
    fmt: str,
) -> None:
    """What changed: each demand whose status changed, and the responses that changed it.

    Between two dates (--since), two git revisions (--from, --to) or two folders (PROJECT
    OTHER)."""
    import json

    from .. import diff as lib
    from ..build import load
    from ..document import documents, generated_on

    modes = [since is not None, rev_from is not None, other is not None]
    if sum(modes) != 1 or (rev_to and not rev_from):
        raise click.UsageError(
            "give one of: --since DATE, --from REV [--to REV], or two folders (PROJECT OTHER)"
        )
    when = generated_on()
    if since is not None:
        changes = documents(load(project)[0], as_of, rule, when, since=since).changes
        assert changes is not None  # asked for with since
        result = next(iter(changes.values()))
    elif other is not None:
        result = lib.between(
            documents(load(project)[0], as_of, rule, when).primary_card,
            documents(load(other)[0], as_of, rule, when).primary_card,
            str(project),
            str(other),
        )
    else:
        assert rev_from is not None  # the one mode left
        new = lib.load_revision(project, rev_to) if rev_to else load(project)[0]
        old = lib.load_revision(project, rev_from)
        result = lib.between(
            documents(old, as_of, rule, when).primary_card,
            documents(new, as_of, rule, when).primary_card,
            rev_from,
            rev_to or "the working folder",
        )
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    if fmt == "markdown":
        click.echo(lib.to_markdown(result), nl=False)
        return
    from ..terminal import diff_text

    click.echo(diff_text(result))
