"""The command line: each command parses its options, calls the library, prints a result.

Library modules are imported inside the commands so that ``scorecard --help`` starts fast.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from . import __version__

FORMAT_CHOICES = ("html", "pdf", "json", "csv", "sqlite")


class DateParam(click.ParamType):
    name = "DATE"

    def convert(self, value, param, ctx):
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(f"'{value}' is not a date; write it as YYYY-MM-DD, e.g. 2020-07-07",
                      param, ctx)


def _formats(ctx: click.Context, param: click.Parameter, value: str) -> tuple[str, ...]:
    chosen = tuple(dict.fromkeys(v.strip().lower() for v in value.split(",") if v.strip()))
    bad = [v for v in chosen if v not in FORMAT_CHOICES]
    if bad or not chosen:
        raise click.BadParameter(f"'{','.join(bad) or value}' is not a format; use a comma-"
                                 f"separated list of {', '.join(FORMAT_CHOICES)}")
    return chosen


def _langs(ctx: click.Context, param: click.Parameter,
           value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    from .i18n import available

    chosen = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    bad = [v for v in chosen if v not in available()]
    if bad or not chosen:
        raise click.BadParameter(f"'{','.join(bad) or value}' is not an interface language; use "
                                 f"a comma-separated list of {', '.join(available())}")
    return chosen


project_arg = click.argument(
    "project", required=False, default=".",
    type=click.Path(file_okay=False, path_type=Path))
as_of_opt = click.option(
    "--as-of", type=DateParam(), default=None,
    help="Show the scorecard as it stood on this date (YYYY-MM-DD). Default: today.")
rule_opt = click.option(
    "--rule", type=click.Choice(["latest", "best"]), default=None,
    help="How verdicts make a status: latest verdict wins, or best verdict ever. "
         "Default: scoring.rule in demands.yaml, else latest.")
strict_opt = click.option("--strict", is_flag=True, help="Treat warnings as errors.")


def _rule(name: str | None):
    from .model import Rule

    return Rule(name) if name else None


def _warn(warnings) -> None:
    for w in warnings:
        click.echo(str(w), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="scorecard")
def cli() -> None:
    """Accountability scorecards: which demands a powerful organization met, with dates and
    sources.

    A campaign folder holds demands.yaml and responses.yaml; see docs/format.md.
    """


@cli.command()
@project_arg
@click.option("--out", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder for the outputs. Default: PROJECT/output.")
@click.option("--format", "formats", default="html,pdf,json", callback=_formats,
              show_default=True, help="Comma-separated outputs to make: html (with badge.svg "
              "and feed.xml), pdf, json, csv, sqlite.")
@as_of_opt
@rule_opt
@strict_opt
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Folder of templates that override the defaults.")
@click.option("--lang", "langs", default=None, callback=_langs, metavar="LANGS",
              help="Languages of the page and PDF, comma-separated (en, ar, fr). Default: "
                   "campaign.lang in demands.yaml. Others are written as scorecard.LANG.html.")
@click.option("--since", type=DateParam(), default=None,
              help="Add a 'What changed' section: status changes since this date.")
def build(project: Path, out: Path | None, formats: tuple[str, ...], as_of: dt.date | None,
          rule: str | None, strict: bool, templates: Path | None,
          langs: tuple[str, ...] | None, since: dt.date | None) -> None:
    """Validate the data and write the scorecard (HTML page, PDF report, JSON data)."""
    from .build import build as run_build

    status = None
    if sys.stderr.isatty() and "pdf" in formats:
        from rich.console import Console

        status = Console(stderr=True).status("Building")
        status.start()
    try:
        result = run_build(project, out, formats, as_of, _rule(rule), strict, templates,
                           langs=langs, progress=(lambda step: status.update(step)) if status else
                           (lambda step: None), since=since)
    finally:
        if status:
            status.stop()
    _warn(result.warnings)
    for line in result.pdf_log:
        click.echo(f"PDF: {line}", err=True)
    card = result.card
    from .share import is_demand_badge

    ids = {d.id for d in card.project.demands}
    badges = [p for p in result.written if is_demand_badge(p.name, ids)]
    names = ", ".join(_shown(p) for p in result.written if p not in badges)
    if badges:
        names += f" and {len(badges)} badges of demands ({badges[0].name}...)"
    click.echo(f"{card.score.summary} ({card.score.percent:g}%) as of {card.as_of}, "
               f"rule: {card.rule.value}. Wrote {names}")


def _shown(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@cli.command()
@project_arg
@as_of_opt
@strict_opt
def validate(project: Path, as_of: dt.date | None, strict: bool) -> None:
    """Check demands.yaml and responses.yaml; write nothing."""
    from .build import load
    from .targets import targets_of

    data, warnings = load(project, strict)
    _warn(warnings)
    n = len(data.responses)
    k = len(targets_of(data))
    click.echo(f"OK: {len(data.demands)} demands, {n} response{'s' * (n != 1)}"
               f"{f' from {k} targets' if k > 1 else ''}"
               f"{f', {len(warnings)} warning' + 's' * (len(warnings) != 1) if warnings else ''}.")


@cli.command()
@project_arg
@as_of_opt
@rule_opt
@strict_opt
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: a table; json: the same document as "
              "scorecard.json.")
@click.option("--target", default=None, metavar="ID",
              help="Whose statuses to show, when demands.yaml lists several targets. Default: "
              "the one named by campaign.target.")
def status(project: Path, as_of: dt.date | None, rule: str | None, strict: bool,
           fmt: str, target: str | None) -> None:
    """Print each demand's status as of a date."""
    from .build import derive_targets
    from .match import RULE_DEFINITIONS, STATUS_DEFINITIONS
    from .render import STATUS_LABELS, to_json
    from .targets import targets_of

    def known(ids) -> str:
        if target is not None and target not in ids:
            raise click.BadParameter(f"'{target}' is not a target of this campaign; use one "
                                     f"of: {', '.join(ids)}", param_hint="'--target'")
        return target or next(iter(ids))

    if fmt == "json":
        from .build import documents

        docs, _ = documents(project, as_of, _rule(rule), strict)
        click.echo(to_json(docs[known(docs)]), nl=False)
        return
    cards, warnings = derive_targets(project, as_of, _rule(rule), strict)
    card = cards[known(cards)]
    _warn(warnings)
    lang = card.project.campaign.lang
    rows = []
    for result in card.demands:
        title = result.demand.title.get(lang) or next(iter(result.demand.title.values()))
        label = STATUS_LABELS[result.status] + (" (set by hand)" if result.manual else "")
        if result.overdue_days is not None:
            label += f", overdue {result.overdue_days} days"
        last = result.evidence[-1].response.date.isoformat() if result.evidence else "-"
        rows.append((result.demand.id, label, last, title))
    widths = [max(len(r[i]) for r in [("Demand", "Status", "Last response", "")] + rows)
              for i in range(3)]
    header = ("Demand", "Status", "Last response", "Title")
    for row in [header, *rows]:
        cells = [c.ljust(w) for c, w in zip(row[:3], widths, strict=True)]
        click.echo("  ".join([*cells, row[3]]))
    title = next(iter(card.project.campaign.title.values()))
    names = {t.id: t.name for t in targets_of(card.project)}
    if len(cards) > 1:
        title += f", {names[known(cards)]}"
    click.echo(f"\n{title}: {card.score.summary} ({card.score.percent:g}%) as of "
               f"{card.as_of}; rule: {card.rule.value} ({len(card.responses)} responses"
               f"{f', {card.later} later not counted' if card.later else ''}).")
    if len(cards) > 1:
        click.echo("Targets: " + "; ".join(f"{names[i]} ({i}) {c.score.summary} "
                                            f"({c.score.percent:g}%)" for i, c in cards.items()))
    click.echo(f"Rule: {RULE_DEFINITIONS[card.rule]}")
    shown = {r.status for r in card.demands}
    for s in (s for s in STATUS_LABELS if s in shown):
        click.echo(f"{STATUS_LABELS[s]}: {STATUS_DEFINITIONS[s]}")


@cli.command()
@click.argument("which", type=click.Choice(["demands", "responses"]), required=False)
def schema(which: str | None) -> None:
    """Print the JSON Schema of demands.yaml and responses.yaml (or of one of them).

    Point your editor at it to check the files while you type.
    """
    import json

    from .model import schemas

    found = schemas()
    out = found[which] if which else {f"{k}.yaml": v for k, v in found.items()}
    click.echo(json.dumps(out, indent=2, ensure_ascii=False))


def main() -> None:
    cli(prog_name="scorecard")


from . import cli_edit  # noqa: E402, F401  (adds the editing commands to `cli`)
