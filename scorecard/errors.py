"""The one path for user errors: every problem names its file, line, column, key path and fix."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import click

# Control and direction-override characters from the user's data are shown as escapes, so that
# a message cannot rewrite the terminal or display differently from what it says.
_UNSAFE = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def printable(text: str, limit: int = 1_000) -> str:
    """Text fit for a terminal: escaped, and cut in the middle (the fix is at the end) if a huge
    key or value made it long."""
    if len(text) > limit:
        half = limit // 2
        text = f"{text[:half]} [... {len(text) - 2 * half:,} characters ...] {text[-half:]}"
    return _UNSAFE.sub(lambda m: f"\\u{ord(m[0]):04x}", text)


def display(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the user's data, located as precisely as we can."""

    file: str
    line: int
    column: int
    path: str
    message: str
    severity: str = "error"  # "error" or "warning"
    # On the line that closes a capped listing: how many problems it stands for, not listed
    # (at least that many: reading may have stopped at the first one).
    more: int = field(default=0, compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        label = "" if self.severity == "error" else "warning: "
        key = f" {printable(self.path, 200)}:" if self.path else ""
        return f"{where}:{key} {label}{printable(self.message)}"


class ScorecardError(click.ClickException):
    """A user mistake: bad data, a bad option value, a file that cannot be read or written.

    Shown without a traceback, exit code 1.
    """

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None) -> None:
        super().__init__(message)
        self.problems = sorted(problems or [])

    def format_message(self) -> str:
        if not self.problems:
            return self.message
        lines = [str(p) for p in self.problems]
        errors = sum(p.more or p.severity == "error" for p in self.problems)
        warnings = len(self.problems) - sum(
            p.more > 0 or p.severity == "error" for p in self.problems
        )
        counts = []
        if errors:
            least = "at least " if any(p.more for p in self.problems) else ""
            counts.append(f"{least}{errors:,} error{'s' if errors != 1 else ''}")
        if warnings:
            counts.append(f"{warnings} warning{'s' if warnings != 1 else ''}")
        lines.append(f"{self.message}: {', '.join(counts)}; nothing was written.")
        return "\n".join(lines)

    def show(self, file=None) -> None:
        click.echo(self.format_message(), err=True, file=file)


class DataError(ScorecardError):
    """The campaign's YAML files have problems (all of them are listed)."""
