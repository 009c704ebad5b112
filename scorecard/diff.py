"""What changed: the demands whose status moved, from what to what, and the responses that moved
them. Between two dates of one campaign, two folders, or two git revisions of a folder."""

from __future__ import annotations

import datetime as dt
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import DataError, ScorecardError
from .load import parse_bytes
from .match import DemandResult, Scorecard
from .model import Project
from .validate import ASSESSMENTS, DEMANDS, RESPONSES, validate


@dataclass(frozen=True)
class Cause:
    response: str
    date: dt.date
    verdict: str
    removed: bool = False  # the link (or the response) is gone in the newer version


@dataclass(frozen=True)
class Change:
    demand: str
    title: dict[str, str]
    before: str | None  # None: the demand did not exist before
    after: str | None  # None: the demand was removed
    causes: tuple[Cause, ...]
    set_by_hand: bool = False
    ruling: str | None = None  # the assessment whose ruling set the new status


@dataclass(frozen=True)
class Diff:
    before: str  # what was compared: a date, a folder or a revision
    after: str
    as_of: dt.date
    changes: tuple[Change, ...]

    def to_dict(self) -> dict[str, Any]:
        return {
            "before": self.before,
            "after": self.after,
            "as_of": self.as_of.isoformat(),
            "changes": [
                {
                    "demand": c.demand,
                    "title": c.title,
                    "from": c.before,
                    "to": c.after,
                    "set_by_hand": c.set_by_hand,
                    "ruling": c.ruling,
                    "responses": [
                        {
                            "id": x.response,
                            "date": x.date.isoformat(),
                            "verdict": x.verdict,
                            **({"removed": True} if x.removed else {}),
                        }
                        for x in c.causes
                    ],
                }
                for c in self.changes
            ],
        }


def _links(result: DemandResult) -> dict[str, tuple[dt.date, str]]:
    return {e.response.id: (e.response.date, e.link.verdict.value) for e in result.evidence}


def compare(
    old: Scorecard, new: Scorecard, before: str, after: str, start: dt.date | None = None
) -> Diff:
    """Demands whose status differs between two scorecards. The causes are the links the new
    one has that the old one has not (new responses, or changed verdicts); of those, the ones
    that moved the status in the demand's history (after ``start``), when there are any."""
    olds = {r.demand.id: r for r in old.demands}
    changes = []
    for result in new.demands:
        prior = olds.pop(result.demand.id, None)
        was = prior.status.value if prior else None
        if was == result.status.value:
            continue
        seen = _links(prior) if prior else {}
        causes = tuple(
            Cause(rid, date, verdict)
            for rid, (date, verdict) in _links(result).items()
            if seen.get(rid) != (date, verdict)
        )
        moved = {
            rid
            for step in result.history
            if start is None or step.date > start
            for rid in step.responses
        }
        causes = tuple(c for c in causes if c.response in moved) or causes
        now = _links(result)
        causes += tuple(
            Cause(rid, date, verdict, removed=True)
            for rid, (date, verdict) in seen.items()
            if rid not in now and date <= new.as_of
        )
        manual = result.manual is not None and (prior is None or prior.manual != result.manual)
        ruled = (
            result.cause.id
            if result.cause
            and result.cause.kind == "ruling"
            and (prior is None or prior.cause != result.cause)
            else None
        )
        if ruled:  # the ruling, not the responses, set the new status
            causes = tuple(c for c in causes if c.removed)
        changes.append(
            Change(
                result.demand.id,
                result.demand.title,
                was,
                result.status.value,
                causes,
                manual,
                ruled,
            )
        )
    for prior in olds.values():
        changes.append(Change(prior.demand.id, prior.demand.title, prior.status.value, None, ()))
    return Diff(before, after, new.as_of, tuple(changes))


def between(old: Scorecard, new: Scorecard, before: str, after: str) -> Diff:
    """What changed from one version of a campaign to another: their scorecards (from their
    documents) as of the same date."""
    return compare(old, new, before, after)


def load_revision(root: Path, rev: str) -> Project:
    """The campaign folder as it was in a git revision."""
    files = []
    for name in (DEMANDS, RESPONSES, ASSESSMENTS):
        try:
            done = subprocess.run(
                ["git", "-C", str(root), "show", f"{rev}:./{name}"],
                capture_output=True,
                check=False,
                timeout=60,
            )
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise ScorecardError(
                f"cannot run git to read revision '{rev}' ({exc}); is git installed?"
            ) from exc
        if done.returncode != 0 and name == ASSESSMENTS and files:
            break  # the optional file was not there in that revision
        if done.returncode != 0:
            why = done.stderr.decode(errors="replace").strip().splitlines()
            raise ScorecardError(
                f"cannot read {name} at revision '{rev}': "
                f"{why[-1] if why else 'git failed'}; give a commit, branch or "
                "tag of the repository holding the campaign folder"
            )
        files.append(parse_bytes(done.stdout, f"{rev}:{name}"))
    project, problems = validate(
        files[0], files[1], root=root, assessments=files[2] if len(files) > 2 else None
    )
    if project is None:
        raise DataError(
            f"the campaign data at revision '{rev}' is not valid",
            [p for p in problems if p.severity == "error"],
        )
    return project


# --------------------------------------------------------------------------- Markdown


def _md(text: str) -> str:
    """User text safe inside a Markdown table cell (GitHub Flavored): no markup, no HTML, no
    line break, no @mention or #reference that would notify someone."""
    text = " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = text.replace("@", "@\u2060").replace("#", "#\u2060")  # a word joiner after them
    return "".join("\\" + ch if ch in "\\`*_[]|~!" else ch for ch in text)


def _code(text: str) -> str:
    """A code span (shown as it is, never a mention): no backtick, and a table's | escaped."""
    return "`" + " ".join(str(text).split()).replace("`", "'").replace("|", "\\|") + "`"


def to_markdown(result: Diff, heading: str = "Statuses that change") -> str:
    """The diff as GitHub Flavored Markdown (a pull request comment): one table row per demand
    whose status changes, from -> to, with the responses that changed it."""
    from .enums import Status
    from .vocabulary import STATUS_LABELS

    def label(status: str | None) -> str:
        return "(none)" if status is None else STATUS_LABELS[Status(status)]

    n = len(result.changes)
    lines = [
        f"### {heading}",
        "",
        f"From {_code(result.before)} to {_code(result.after)}, statuses as of "
        f"{result.as_of.isoformat()}: "
        + (
            f"**{n} demand{'s' * (n != 1)}** change{'s' * (n == 1)} status."
            if n
            else "no demand changes status."
        ),
        "",
    ]
    if not n:
        return "\n".join(lines)
    lines += ["| Demand | From | To | Responses |", "| --- | --- | --- | --- |"]
    for c in result.changes:
        title = next(iter(c.title.values()), "")
        to = (
            label(c.after)
            + (" (set by hand)" if c.set_by_hand else "")
            + (f" (ruling {_code(c.ruling)})" if c.ruling else "")
        )
        causes = (
            "<br>".join(
                f"{x.date.isoformat()} {_code(x.response)} ({x.verdict}"
                f"{', link removed' if x.removed else ''})"
                for x in c.causes
            )
            or "–"
        )
        lines.append(
            f"| **{_md(c.demand)}** {_md(title)} | {label(c.before)} | **{to}** | {causes} |"
        )
    return "\n".join(lines) + "\n"
