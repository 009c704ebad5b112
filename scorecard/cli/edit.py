"""Commands that edit a campaign: start one, add a response, link it to a demand, set a status by
hand. Each is a few lines over the library (edit/, init.py), imported inside the commands so
that ``scorecard --help`` stays fast."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import click

from ..enums import DERIVED_ONLY, Kind, Status, Verdict
from . import options
from .options import DateParam

VERDICTS = [v.value for v in Verdict]


def _link_spec(
    ctx: click.Context | None, param: click.Parameter | None, values: tuple[str, ...]
) -> list:
    out = []
    for value in values:
        demand, _, rest = value.partition(":")
        verdict, _, reason = rest.partition(":")
        if not demand or verdict not in VERDICTS:
            raise click.BadParameter(
                f"'{value}' is not DEMAND:VERDICT[:REASON]; verdict is one "
                f"of {', '.join(VERDICTS)} (e.g. D1:partial:A first step)"
            )
        out.append((demand.strip(), verdict, reason.strip() or None))
    return out


@click.command("add-response")
@options.project()
@click.option("--id", "ident", default=None, help="Response id. Default: DATE-words-of-summary.")
@click.option("--date", type=DateParam(), default=None, help="Date of the response (YYYY-MM-DD).")
@click.option("--kind", type=options.EnumChoice(Kind), default=None, help="What kind of response.")
@click.option("--speaker", default=None, help="Who spoke, or the channel (optional).")
@click.option(
    "--title",
    default=None,
    help="A few words naming the response (optional; give one when another response has "
    "the same kind and speaker).",
)
@click.option("--summary", default=None, help="What was said or done (Markdown).")
@click.option("--source-title", default=None, help="Title of the source.")
@click.option("--source-url", default=None, help="http(s) address of the source.")
@click.option("--source-publisher", default=None, help="Who published the source (optional).")
@click.option(
    "--source-date", type=DateParam(), default=None, help="Date of the source (optional)."
)
@click.option("--source-lang", default=None, help="Language code of the source (optional).")
@click.option("--quote", default=None, help="A short quote, words really said (optional).")
@click.option("--quote-by", default=None, help="Who said the quote.")
@click.option("--note", default=None, help="Anything uncertain about the response (optional).")
@click.option("--date-note", default=None, help="Why the date is uncertain (optional).")
@click.option(
    "--link",
    "links",
    multiple=True,
    callback=_link_spec,
    help="DEMAND:VERDICT[:REASON], once per demand the response touches.",
)
def add_response(
    project: Path,
    ident,
    date,
    kind,
    speaker,
    title,
    summary,
    source_title,
    source_url,
    source_publisher,
    source_date,
    source_lang,
    quote,
    quote_by,
    note,
    date_note,
    links,
) -> None:
    """Append a response to responses.yaml (asks for missing fields on a terminal)."""
    from ..edit.campaign import add_response as run

    fields = {
        "id": ident,
        "date": date,
        "kind": kind,
        "speaker": speaker,
        "title": title,
        "summary": summary,
        "source_title": source_title,
        "source_url": source_url,
        "addresses": links,
        "source_publisher": source_publisher,
        "source_date": source_date,
        "source_lang": source_lang,
        "quote": quote,
        "quote_by": quote_by,
        "note": note,
        "date_note": date_note,
    }
    if quote and not quote_by:
        raise click.UsageError("--quote needs --quote-by (who said it)")
    required = ("date", "kind", "summary", "source_title", "source_url")
    if options.interactive():
        prompts: dict[str, tuple[str, Any]] = {
            "date": ("Date (YYYY-MM-DD)", DateParam()),
            "kind": ("Kind", options.EnumChoice(Kind)),
            "speaker": ("Speaker (optional)", str),
            "summary": ("Summary", str),
            "source_title": ("Source title", str),
            "source_url": ("Source URL", str),
        }
        for name, (text, kind_) in prompts.items():
            if fields[name] is None:
                fields[name] = click.prompt(
                    text, type=kind_, default="" if name == "speaker" else None, show_default=False
                )
        while not links:
            answer = click.prompt(
                "Link DEMAND:VERDICT[:REASON] (empty to finish)", default="", show_default=False
            )
            if not answer:
                break
            fields["addresses"] = [*fields["addresses"], *_link_spec(None, None, (answer,))]
    missing = [f"--{n.replace('_', '-')}" for n in required if not fields[n]]
    if missing:
        raise click.UsageError(
            f"missing {', '.join(missing)} (input is not a terminal, so nothing is asked)"
        )
    new_id = run(project, fields)
    click.echo(f"Added response {new_id} to {project / 'responses.yaml'}")


@click.command()
@click.argument("response")
@click.argument("demand")
@click.option("--verdict", type=options.EnumChoice(Verdict), required=True, help="The verdict.")
@click.option("--reason", default=None, help="One line: why this verdict.")
@options.project(positional=False)
def link(response: str, demand: str, verdict: str, reason: str | None, project: Path) -> None:
    """Link RESPONSE to DEMAND with a verdict (or change the verdict of an existing link)."""
    from ..edit.campaign import link as run

    click.echo(run(project, response, demand, verdict, reason))


@click.command()
@click.argument("response")
@click.argument("demand")
@options.project(positional=False)
def unlink(response: str, demand: str, project: Path) -> None:
    """Remove the link from RESPONSE to DEMAND."""
    from ..edit.campaign import unlink as run

    click.echo(run(project, response, demand))


@click.command("set-status")
@click.argument("demand")
@click.argument("status", type=options.EnumChoice(Status, DERIVED_ONLY), required=False)
@click.option("--reason", default=None, help="Why: the ruling's reason (required).")
@click.option(
    "--date",
    type=DateParam(),
    default=None,
    help="From when the status applies (YYYY-MM-DD, or YYYY-MM). Default: today.",
)
@click.option("--by", default=None, help="Who rules. Default: the campaign's organizers.")
@click.option(
    "--target",
    "target_id",
    default=None,
    metavar="ID",
    help="The target ruled on (its id), when demands.yaml lists several.",
)
@click.option(
    "--clear", is_flag=True, help="Remove a status written on the demand itself (the older form)."
)
@options.project(positional=False)
def set_status(
    demand: str,
    status: Status | None,
    reason: str | None,
    date: dt.date | None,
    by: str | None,
    target_id: str | None,
    clear: bool,
    project: Path,
) -> None:
    """Rule on DEMAND's STATUS from --date on: a dated ruling appended to assessments.yaml
    (made if missing), so the history of statuses is kept; or --clear."""
    from ..edit.campaign import set_status as run

    if clear == (status is not None):
        raise click.UsageError("give a STATUS, or --clear (not both)")
    if status is not None and not reason:
        raise click.UsageError("--reason is required: say why")
    click.echo(run(project, demand, None if clear else status, reason, date, by, target_id))


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Our campaign", show_default=True, help="The campaign's name.")
@click.option(
    "--target-name",
    default="The target",
    show_default=True,
    help="The name of who is being held to account (campaign.target).",
)
@click.option(
    "--ci",
    type=click.Choice(["github"]),
    default=None,
    help="Also write a GitHub Actions workflow (.github/workflows/scorecard.yml at "
    "the repository's root): check and comment pull requests, publish to GitHub "
    "Pages. On an existing campaign folder, only the workflow is written.",
)
@click.option(
    "--package",
    default=None,
    metavar="REQUIREMENT",
    help="With --ci: how the workflow installs scorecard with pip, e.g. "
    "git+https://github.com/OWNER/scorecard@v0.1.0 (else it asks for it when it runs).",
)
def init(folder: Path, title: str, target_name: str, ci: str | None, package: str | None) -> None:
    """Start a new campaign in FOLDER: commented demands.yaml and responses.yaml, their JSON
    Schemas for the editor, a README and a .gitignore (and with --ci, a CI workflow)."""
    from ..init import init as run

    if ci:
        from ..ci import check_package

        check_package(package)  # before anything is written
    existing = folder.is_dir() and any(folder.iterdir())
    if not (ci and existing):
        written = run(folder, title, target_name)
        click.echo(
            f"Wrote {', '.join(p.name for p in written)} in {folder}. Next: edit "
            f"{folder / 'demands.yaml'}, then 'scorecard validate {folder}'."
        )
    if ci:
        from ..ci import add_ci

        click.echo(
            f"Wrote {add_ci(folder, ci, package)}: on a pull request it checks the data "
            "and comments the statuses that would change; on the default branch it "
            "publishes to GitHub Pages (Settings > Pages > Source: GitHub Actions)."
        )
        if not package:
            click.echo("Set SCORECARD_PACKAGE in it: how pip installs scorecard.")
