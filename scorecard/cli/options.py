"""The options that several commands share, declared once. Allowed values come from the model's
enums, so the command line, the JSON Schema and the messages always agree."""

from __future__ import annotations

import datetime as dt
import functools
import sys
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Any

import click

from ..enums import Rule


class DateParam(click.ParamType):
    """A day (YYYY-MM-DD), or a month (YYYY-MM) or a year (YYYY), which count as their last
    day: ``--as-of 2021-11`` is the status on November 30, 2021."""

    name = "DATE"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date):
            return value
        from ..model import Period

        try:
            return Period.parse(value)
        except ValueError:
            self.fail(
                f"'{value}' is not a date; write it as YYYY-MM-DD (e.g. 2020-07-07), or "
                "YYYY-MM or YYYY for a whole month or year",
                param,
                ctx,
            )


class EnumChoice(click.Choice):
    """A choice among an enum's values (as written in the YAML files); gives the member."""

    def __init__(self, enum: type[Enum], leave_out: frozenset = frozenset()) -> None:
        self.enum = enum
        super().__init__([m.value for m in enum if m not in leave_out])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, self.enum):
            return value
        return self.enum(super().convert(value, param, ctx))


def project(positional: bool = True) -> Callable[[Callable], Callable]:
    """The campaign folder, taken the same way by every command: ``-C DIR`` (``--project``),
    like git and make. Commands with no other argument also take it as their argument
    (``scorecard build DIR``). Default: the current folder."""

    def decorate(command: Callable) -> Callable:
        @functools.wraps(command)
        def run(
            *args: Any, project: Path | None = None, project_arg: Path | None = None, **kwargs: Any
        ) -> Any:
            if project is not None and project_arg is not None and project != project_arg:
                raise click.UsageError("give the campaign folder once: as PROJECT or with -C")
            return command(*args, project=project or project_arg or Path("."), **kwargs)

        run = click.option(
            "-C",
            "--project",
            "project",
            default=None,
            metavar="DIR",
            type=click.Path(file_okay=False, path_type=Path),
            help="The campaign folder (holding demands.yaml and responses.yaml). "
            "Default: the current folder.",
        )(run)
        if positional:
            run = click.argument(
                "project_arg",
                metavar="[PROJECT]",
                required=False,
                type=click.Path(file_okay=False, path_type=Path),
            )(run)
        return run

    return decorate


as_of = click.option(
    "--as-of",
    type=DateParam(),
    default=None,
    help="Show the scorecard as it stood on this date (YYYY-MM-DD; a month YYYY-MM counts as "
    "its last day). Default: campaign.reviewed, else the date of the latest response or "
    "ruling.",
)
rule = click.option(
    "--rule",
    type=EnumChoice(Rule),
    default=None,
    help="How verdicts make a status: latest verdict wins, or best verdict ever. "
    "Default: scoring.rule in demands.yaml, else latest.",
)
strict = click.option("--strict", is_flag=True, help="Treat warnings as errors.")
templates = click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=None,
    help="Folder of templates that override the defaults, whole or one block at a time.",
)


def _langs(ctx: click.Context, param: click.Parameter, value: str | None) -> tuple[str, ...] | None:
    if value is None:
        return None
    from ..i18n import available

    chosen = tuple(dict.fromkeys(v.strip() for v in value.split(",") if v.strip()))
    bad = [v for v in chosen if v not in available()]
    if bad or not chosen:
        raise click.BadParameter(
            f"'{','.join(bad) or value}' is not an interface language; use "
            f"a comma-separated list of {', '.join(available())}"
        )
    return chosen


langs = click.option(
    "--lang",
    "langs",
    default=None,
    callback=_langs,
    metavar="LANGS",
    help="Languages of the page and PDF, comma-separated (en, ar, fr). Default: campaign.lang "
    "in demands.yaml. Others are written as scorecard.LANG.html.",
)


def interactive() -> bool:
    """Prompt only when a person is at a terminal; never when input is piped or scripted."""
    return sys.stdin.isatty()


def warn(warnings: list, limit: int | None = None) -> None:
    """The data's warnings, one located line each, on stderr; past ``limit``, a line that
    counts the rest (a build's summary stays in sight; `scorecard validate` lists them all)."""
    shown = warnings if limit is None or len(warnings) <= limit else warnings[:limit]
    for w in shown:
        click.echo(str(w), err=True)
    if len(shown) < len(warnings):
        rest = len(warnings) - len(shown)
        click.echo(f"... and {rest:,} more warnings: `scorecard validate` lists them all", err=True)
