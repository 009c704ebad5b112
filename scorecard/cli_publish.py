"""Commands about publishing and proving: check-sources. Each parses its options, calls the
library (sources.py) and prints; registered through cli_edit.COMMANDS."""

from __future__ import annotations

from pathlib import Path

import click

from .cli import project_arg

MARKS = {"live": "live", "redirected": "redirected", "changed": "CHANGED", "gone": "GONE"}


@click.command("check-sources")
@project_arg
@click.option("--record", is_flag=True,
              help="Write each source's sha256 and the date checked into the YAML (only the "
              "sources that answered; a changed source gets its new hash).")
@click.option("--archive", "archive_", is_flag=True,
              help="Ask the Internet Archive to save each source that answered and has no "
              "'archive' address, and write the snapshot's address into the YAML. The "
              "endpoint's base address: SCORECARD_ARCHIVE_URL, default https://web.archive.org.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="text: a table; json: for programs.")
@click.option("--strict", is_flag=True, help="Exit 1 when a source is gone.")
@click.option("--timeout", type=click.FloatRange(0.1, 600), default=10.0, show_default=True,
              help="Seconds to wait for a server (the whole page gets three times this).")
@click.option("--concurrency", type=click.IntRange(1, 32), default=4, show_default=True,
              help="How many addresses are fetched at once.")
def check_sources(project: Path, record: bool, archive_: bool, fmt: str, strict: bool,
                  timeout: float, concurrency: int) -> None:
    """Fetch every source URL and say if it is live, redirected, gone or changed (its content
    differs from the sha256 recorded on the source). Needs the network; the build never does."""
    import json

    from .sources import check_sources as run

    report = run(project, concurrency, timeout, write=record, archive_missing=archive_)
    if fmt == "json":
        click.echo(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        click.echo(format_table(report))
    if strict and any(c.state == "gone" for c in report.checks):
        raise SystemExit(1)


def format_table(report) -> str:
    from .errors import printable

    rows = [("State", "Address", "Cited by", "Detail")]
    for c in report.checks:
        cited = c.citations[0].where + (f" (+{len(c.citations) - 1})" if len(c.citations) > 1
                                        else "")
        detail = c.reason + (f"; archived: {c.archive}" if c.archive else "")
        rows.append((MARKS[c.state], printable(c.url, 120), printable(cited, 80),
                     printable(detail, 200)))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    lines = ["  ".join([*(cell.ljust(w) for cell, w in zip(r[:3], widths, strict=True)), r[3]])
             .rstrip() for r in rows]
    counts = ", ".join(f"{n} {state}" for state, n in report.counts().items())
    lines.append(f"\n{len(report.checks)} addresses checked: {counts}"
                 f"{f'; {report.skipped} sources without a url' if report.skipped else ''}.")
    lines += [f"archive: {e}" for e in report.archive_errors]
    if report.written:
        lines.append("Wrote " + ", ".join(str(p) for p in report.written))
    return "\n".join(lines)
