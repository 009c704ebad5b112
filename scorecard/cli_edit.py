"""Commands that change or compare campaigns: add-response, link, unlink, set-status, suggest,
diff, init, serve. Each is a few lines over the library (edit.py, suggest.py, diff.py, init.py,
serve.py); those are imported inside the commands so that ``scorecard --help`` stays fast."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from .cli import DateParam, project_arg

VERDICTS = ("full", "partial", "promised", "none", "refused")
STATUSES = ("met", "partial", "promised", "refused", "not-addressed", "no-response", "n/a")
KINDS = ("statement", "letter", "meeting", "policy", "enforcement", "hire", "report", "product",
         "other")
project_opt = click.option(
    "--project", "-C", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="The campaign folder (holding demands.yaml and responses.yaml).")


def interactive() -> bool:
    """Prompt only when a person is at a terminal; never when input is piped or scripted."""
    return sys.stdin.isatty()


def _link_spec(ctx: click.Context, param: click.Parameter, values: tuple[str, ...]) -> list:
    out = []
    for value in values:
        demand, _, rest = value.partition(":")
        verdict, _, reason = rest.partition(":")
        if not demand or verdict not in VERDICTS:
            raise click.BadParameter(f"'{value}' is not DEMAND:VERDICT[:REASON]; verdict is one "
                                     f"of {', '.join(VERDICTS)} (e.g. D1:partial:A first step)")
        out.append((demand.strip(), verdict, reason.strip() or None))
    return out


@click.command("add-response")
@project_arg
@click.option("--id", "ident", default=None, help="Response id. Default: DATE-words-of-summary.")
@click.option("--date", type=DateParam(), default=None, help="Date of the response (YYYY-MM-DD).")
@click.option("--kind", type=click.Choice(KINDS), default=None, help="What kind of response.")
@click.option("--speaker", default=None, help="Who spoke, or the channel (optional).")
@click.option("--summary", default=None, help="What was said or done (Markdown).")
@click.option("--source-title", default=None, help="Title of the source.")
@click.option("--source-url", default=None, help="http(s) address of the source.")
@click.option("--source-publisher", default=None, help="Who published the source (optional).")
@click.option("--source-date", type=DateParam(), default=None,
              help="Date of the source (optional).")
@click.option("--source-lang", default=None, help="Language code of the source (optional).")
@click.option("--quote", default=None, help="A short quote, words really said (optional).")
@click.option("--quote-by", default=None, help="Who said the quote.")
@click.option("--note", default=None, help="Anything uncertain about the response (optional).")
@click.option("--date-note", default=None, help="Why the date is uncertain (optional).")
@click.option("--link", "links", multiple=True, callback=_link_spec,
              help="DEMAND:VERDICT[:REASON], once per demand the response touches.")
def add_response(project: Path, ident, date, kind, speaker, summary, source_title, source_url,
                 source_publisher, source_date, source_lang, quote, quote_by, note, date_note,
                 links) -> None:
    """Append a response to responses.yaml (asks for missing fields on a terminal)."""
    from .edit import add_response as run

    fields = {"id": ident, "date": date, "kind": kind, "speaker": speaker, "summary": summary,
              "source_title": source_title, "source_url": source_url, "addresses": links,
              "source_publisher": source_publisher, "source_date": source_date,
              "source_lang": source_lang, "quote": quote, "quote_by": quote_by, "note": note,
              "date_note": date_note}
    if quote and not quote_by:
        raise click.UsageError("--quote needs --quote-by (who said it)")
    required = ("date", "kind", "summary", "source_title", "source_url")
    if interactive():
        prompts = {"date": ("Date (YYYY-MM-DD)", DateParam()),
                   "kind": ("Kind", click.Choice(KINDS)),
                   "speaker": ("Speaker (optional)", str), "summary": ("Summary", str),
                   "source_title": ("Source title", str), "source_url": ("Source URL", str)}
        for name, (text, kind_) in prompts.items():
            if fields[name] is None:
                fields[name] = click.prompt(text, type=kind_, default="" if name == "speaker"
                                            else None, show_default=False)
        while not links:
            answer = click.prompt("Link DEMAND:VERDICT[:REASON] (empty to finish)", default="",
                                  show_default=False)
            if not answer:
                break
            fields["addresses"] = [*fields["addresses"], *_link_spec(None, None, (answer,))]
    missing = [f"--{n.replace('_', '-')}" for n in required if not fields[n]]
    if missing:
        raise click.UsageError(f"missing {', '.join(missing)} (input is not a terminal, so "
                               "nothing is asked)")
    new_id = run(project, fields)
    click.echo(f"Added response {new_id} to {project / 'responses.yaml'}")


@click.command()
@click.argument("response")
@click.argument("demand")
@click.option("--verdict", type=click.Choice(VERDICTS), required=True, help="The verdict.")
@click.option("--reason", default=None, help="One line: why this verdict.")
@project_opt
def link(response: str, demand: str, verdict: str, reason: str | None, project: Path) -> None:
    """Link RESPONSE to DEMAND with a verdict (or change the verdict of an existing link)."""
    from .edit import link as run

    click.echo(run(project, response, demand, verdict, reason))


@click.command()
@click.argument("response")
@click.argument("demand")
@project_opt
def unlink(response: str, demand: str, project: Path) -> None:
    """Remove the link from RESPONSE to DEMAND."""
    from .edit import unlink as run

    click.echo(run(project, response, demand))


@click.command("set-status")
@click.argument("demand")
@click.argument("status", type=click.Choice(STATUSES), required=False)
@click.option("--reason", default=None, help="Why the status is set by hand (required).")
@click.option("--date", type=DateParam(), default=None,
              help="From when the status applies. Default: today.")
@click.option("--clear", is_flag=True, help="Remove the status set by hand.")
@project_opt
def set_status(demand: str, status: str | None, reason: str | None, date: dt.date | None,
               clear: bool, project: Path) -> None:
    """Set DEMAND's STATUS by hand (it replaces the derived one from --date on), or --clear."""
    from .edit import set_status as run

    if clear == (status is not None):
        raise click.UsageError("give a STATUS, or --clear (not both)")
    if status is not None and not reason:
        raise click.UsageError("--reason is required: say why the status is set by hand")
    click.echo(run(project, demand, None if clear else status, reason, date))


@click.command()
@project_arg
@click.option("--top", type=click.IntRange(1, 20), default=3, show_default=True,
              help="Suggestions shown for each response or demand.")
@click.option("--min-score", type=click.FloatRange(0, 1), default=None,
              help="Leave out suggestions below this score (0 to 1; never any below 0.20).")
@click.option("--apply", "apply_", is_flag=True,
              help="Write the links you accept (asks for each on a terminal).")
@click.option("--yes", is_flag=True,
              help="With --apply: accept every suggestion at or above --min-score, no questions.")
@click.option("--verdict", type=click.Choice(VERDICTS), default="none", show_default=True,
              help="The verdict of links written with --yes (check each one afterwards).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
def suggest(project: Path, top: int, min_score: float | None, apply_: bool, yes: bool,
            verdict: str, fmt: str) -> None:
    """Suggest links for responses without links and demands without responses."""
    import json

    from .build import load
    from .edit import link as write_link
    from .suggest import candidates, reason
    from .suggest import suggest as run

    if yes and (not apply_ or min_score is None):
        raise click.UsageError("--yes needs --apply and --min-score (the lowest score to accept)")
    if apply_ and not yes and not interactive():
        raise click.UsageError("--apply asks about each link on a terminal; without one, give "
                               "--yes and --min-score")
    project_data, _ = load(project)
    found = run(project_data, top, min_score or 0.0)
    titles = {d.id: next(iter(d.title.values())) for d in project_data.demands}
    if fmt == "json":
        click.echo(json.dumps({
            "responses": {r: [_as_dict(s) for s in ss] for r, ss in found.for_responses.items()},
            "demands": {d: [_as_dict(s) for s in ss] for d, ss in found.for_demands.items()},
        }, ensure_ascii=False, indent=2))
    else:
        _print_suggestions(found, titles)
    if not apply_:
        return
    for s in candidates(found):
        chosen = verdict
        if not yes:
            if not click.confirm(f"Link {s.response} -> {s.demand} ({titles[s.demand]})?"):
                continue
            chosen = click.prompt("Verdict", type=click.Choice(VERDICTS), default="none")
        click.echo(write_link(project, s.response, s.demand, chosen, reason(s)))


def _as_dict(s) -> dict:
    return {"response": s.response, "demand": s.demand, "score": s.score,
            "unsure": s.unsure, "matched": list(s.matched), "signals": list(s.signals),
            "passage": s.passage}


def _why(s) -> str:
    """Score, whether it is unsure, and what matched: the words, then the other signals."""
    unsure = " (unsure)" if s.unsure else ""
    signals = f"; {', '.join(s.signals)}" if s.signals else ""
    return f"score {s.score:.3f}{unsure}  matched: {', '.join(s.matched)}{signals}"


def _print_suggestions(found, titles: dict[str, str]) -> None:
    from .suggest import FLOOR

    if not found.for_responses and not found.for_demands:
        click.echo("Every response has a link and every demand a response: nothing to suggest.")
    if found.for_responses:
        click.echo("Responses without links, and the demands they may be about:")
    for response, ss in found.for_responses.items():
        click.echo(f"  {response}")
        for i, s in enumerate(ss, 1):
            click.echo(f"    {i}. {s.demand} {titles[s.demand]}  {_why(s)}")
            click.echo(f"       «{s.passage}»")
        if not ss:
            click.echo(f"    (no likely demand: none scores {FLOOR:.2f} or more)")
    if found.for_demands:
        click.echo("Demands without responses, and the responses that may be about them:")
    for demand, ss in found.for_demands.items():
        click.echo(f"  {demand} {titles[demand]}")
        for i, s in enumerate(ss, 1):
            click.echo(f"    {i}. {s.response}  {_why(s)}")
            click.echo(f"       «{s.passage}»")
        if not ss:
            click.echo(f"    (no likely response: none scores {FLOOR:.2f} or more)")


@click.command()
@project_arg
@click.argument("other", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--since", type=DateParam(), default=None,
              help="Compare the campaign as it stood on this date with --as-of.")
@click.option("--from", "rev_from", default=None,
              help="Compare the folder as it was in this git revision ...")
@click.option("--to", "rev_to", default=None,
              help="... with this revision (default: the files as they are now).")
@click.option("--as-of", type=DateParam(), default=None,
              help="The date statuses are taken at (YYYY-MM-DD). Default: today.")
@click.option("--rule", type=click.Choice(["latest", "best"]), default=None,
              help="How verdicts make a status (default: the campaign's).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text for people, json for programs.")
def diff(project: Path, other: Path | None, since: dt.date | None, rev_from: str | None,
         rev_to: str | None, as_of: dt.date | None, rule: str | None, fmt: str) -> None:
    """What changed: each demand whose status changed, and the responses that changed it.

    Between two dates (--since), two git revisions (--from, --to) or two folders (PROJECT
    OTHER)."""
    import json

    from . import diff as lib
    from .build import default_as_of, load
    from .model import Rule

    modes = [since is not None, rev_from is not None, other is not None]
    if sum(modes) != 1 or (rev_to and not rev_from):
        raise click.UsageError("give one of: --since DATE, --from REV [--to REV], or two "
                               "folders (PROJECT OTHER)")
    as_of = as_of or default_as_of()
    rule_ = Rule(rule) if rule else None
    if since is not None:
        result = lib.since(load(project)[0], since, as_of, rule_)
    elif other is not None:
        result = lib.between(load(project)[0], load(other)[0], as_of, str(project), str(other),
                             rule_)
    else:
        new = lib.load_revision(project, rev_to) if rev_to else load(project)[0]
        result = lib.between(lib.load_revision(project, rev_from), new, as_of, rev_from,
                             rev_to or "the working folder", rule_)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(), ensure_ascii=False, indent=2))
        return
    click.echo(format_diff(result))


def format_diff(result) -> str:
    from .render import STATUS_LABELS

    def label(status: str | None) -> str:
        return "(none)" if status is None else STATUS_LABELS[next(
            s for s in STATUS_LABELS if s.value == status)]

    lines = [(f"What changed from {result.before} to {result.after} (statuses as of "
              f"{result.as_of}):")]
    for c in result.changes:
        title = next(iter(c.title.values()))
        hand = " (set by hand)" if c.set_by_hand else ""
        lines.append(f"  {c.demand} {title}: {label(c.before)} -> {label(c.after)}{hand}")
        for cause in c.causes:
            gone = ", link removed" if cause.removed else ""
            lines.append(f"      {cause.date} {cause.response} ({cause.verdict}{gone})")
    if not result.changes:
        lines.append("  no demand changed status.")
    return "\n".join(lines)


@click.command()
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default="Our campaign", show_default=True, help="The campaign's name.")
@click.option("--target", default="The target", show_default=True,
              help="Who is being held to account.")
def init(folder: Path, title: str, target: str) -> None:
    """Start a new campaign in FOLDER: commented demands.yaml and responses.yaml, their JSON
    Schemas for the editor, a README and a .gitignore."""
    from .init import init as run

    written = run(folder, title, target)
    click.echo(f"Wrote {', '.join(p.name for p in written)} in {folder}. Next: edit "
               f"{folder / 'demands.yaml'}, then 'scorecard validate {folder}'.")


@click.command()
@project_arg
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port on 127.0.0.1 (0: any free port).")
@click.option("--templates", type=click.Path(exists=True, file_okay=False, path_type=Path),
              default=None, help="Folder of templates that override the defaults.")
def serve(project: Path, port: int, templates: Path | None) -> None:
    """Live preview: rebuild the page when demands.yaml or responses.yaml is saved, serve
    PROJECT/output on 127.0.0.1 and reload the browser."""
    import threading

    from .serve import Preview, server

    preview = Preview(project, templates=templates, report=lambda m: click.echo(m, err=True))
    preview.rebuild()
    httpd = server(preview, port)
    stop = threading.Event()
    threading.Thread(target=preview.watch, args=(stop,), daemon=True).start()
    click.echo(f"Serving {preview.out} on http://127.0.0.1:{httpd.server_address[1]}/ "
               "(Ctrl+C to stop)")
    try:
        httpd.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        httpd.server_close()


COMMANDS = [add_response, link, unlink, set_status, suggest, diff, init, serve]


def register(group: click.Group) -> None:
    for command in COMMANDS:
        group.add_command(command)


from .cli import cli as _cli  # noqa: E402

register(_cli)
