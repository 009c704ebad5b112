"""Stage 4, document: the scorecard documents of a campaign, computed once.

``documents()`` is the one product of the pipeline: for one as-of date, rule and clock, each
target's scorecard (match.py) and its document, the plain data of scorecard.json. Every output
(render/), ``status``, ``diff`` and ``serve`` consume it; none of them derives a status again.

A campaign with no ``targets:`` list has one target, named by ``campaign.target``. With a list,
each response names its target with ``target:`` (default: the primary target, the one named by
``campaign.target``, whose document is scorecard.json and whose page is scorecard.html).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

from . import __version__
from .diff import Diff, compare
from .errors import ScorecardError
from .match import POSITIVE, Cause, RunningScore, Score, Scorecard, Standing, scorecard
from .model import Project, Rule, Status, Target, Verdict
from .vocabulary import (
    RULE_DEFINITIONS,
    STATUS_DEFINITIONS,
    STATUS_LABELS,
    VERDICT_DEFINITIONS,
    score_summary,
)

FORMAT = "scorecard/2"  # scorecard/2: rulings, causes, claims, made and asked, review


def generated_on() -> dt.datetime:
    """The clock: now, or SOURCE_DATE_EPOCH when set, so that builds can be reproduced."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.UTC)
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class Documents:
    """Every target's scorecard and document for one as-of date, rule and clock."""

    project: Project
    as_of: dt.date
    rule: Rule
    generated_on: dt.datetime
    cards: dict[str, Scorecard]  # target id -> its scorecard, primary first
    docs: dict[str, dict[str, Any]]  # target id -> its document (scorecard.json's shape)
    changes: dict[str, Diff] | None = None  # target id -> what changed since a date
    warnings: tuple[str, ...] = ()  # about the request: an as-of date past the last review

    @property
    def primary(self) -> dict[str, Any]:
        """The primary target's document: scorecard.json."""
        return next(iter(self.docs.values()))

    @property
    def primary_card(self) -> Scorecard:
        """The primary target's scorecard."""
        return next(iter(self.cards.values()))


def default_as_of(project: Project, when: dt.datetime) -> dt.date:
    """The date the record was last reviewed (``campaign.reviewed``), else the date of its
    latest response or ruling, else the day of the clock: never "today" for old data."""
    if project.campaign.reviewed:
        return project.campaign.reviewed
    dates = [r.date for r in project.responses] + [a.date for a in project.assessments]
    return max(dates, default=when.date())


def documents(
    project: Project,
    as_of: dt.date | None = None,
    rule: Rule | None = None,
    when: dt.datetime | None = None,
    since: dt.date | None = None,
    reviewed_only: bool = False,
    git: dict[str, Any] | None = None,
    build: dict[str, Any] | None = None,
) -> Documents:
    """Each target's scorecard and document, each computed once (primary first).

    ``as_of`` defaults to ``default_as_of``; ``rule`` to the campaign's; ``when`` is the clock
    (default: now); ``since`` adds, per target, what changed between that date and ``as_of``;
    ``reviewed_only`` leaves out the verdicts and rulings nobody reviewed. ``git`` (the commit
    of the campaign folder, provenance.git_state) and ``build`` (the formats and languages
    asked for) go into every document's ``provenance`` as they are."""
    when = when or generated_on()
    as_of = as_of or default_as_of(project, when)
    as_of = dt.date(as_of.year, as_of.month, as_of.day)  # a day (a month counts as its last)
    rule = rule or project.demands_file.scoring.rule
    reviewed = project.campaign.reviewed
    warnings: tuple[str, ...] = ()
    if reviewed and as_of > reviewed:
        warnings = (
            (
                f"--as-of {as_of.isoformat()} is after the record was last reviewed "
                f"({reviewed.isoformat()}, campaign.reviewed): the statuses after that "
                "date are unknown, the outputs show them as they stood then"
            ),
        )
    if since is not None and since > as_of:
        raise ScorecardError(
            f"--since {since} is after the date compared to ({as_of}); give an earlier date"
        )
    targets = project.targets
    subs = {t.id: project.for_target(t.id) for t in targets}
    cards = {t.id: scorecard(subs[t.id], as_of, rule, t, reviewed_only) for t in targets}
    start = _first_day(project, as_of)
    listed = [_target_entry(project, t, cards[t.id], start) for t in targets]
    origin = provenance(project, git, build)
    docs = {}
    for t in targets:
        doc = document(cards[t.id], when)
        doc["provenance"] = origin
        doc["campaign"] = {**doc["campaign"], "target": t.name}
        doc["targets"] = listed
        doc["target_id"] = t.id  # whose scorecard this document is
        docs[t.id] = doc
    changes = None
    if since is not None:
        changes = {
            t.id: compare(
                scorecard(subs[t.id], since, rule, t, reviewed_only),
                cards[t.id],
                since.isoformat(),
                as_of.isoformat(),
                since,
            )
            for t in targets
        }
        for tid, diff in changes.items():
            docs[tid]["changes"] = diff.to_dict()
    return Documents(project, as_of, rule, when, cards, docs, changes, warnings)


def provenance(
    project: Project, git: dict[str, Any] | None = None, build: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Where a document came from: the tool's version, the SHA-256 of each input file (of the
    bytes the loader parsed), the git commit of the campaign folder (or None) and how the build
    was asked for (formats, languages; None outside a build)."""
    return {
        "version": __version__,
        "inputs": [{"file": name, "sha256": digest} for name, digest in project.inputs.items()],
        "git": git,
        "build": build,
    }


def page_stem(target: Target, primary: bool) -> str:
    """The file name of a target's page without extension: scorecard, or scorecard.ID."""
    return "scorecard" if primary else f"scorecard.{target.id}"


def _first_day(project: Project, as_of: dt.date) -> dt.date:
    """Where charts start: the campaign's launch, or the first response, ruling or status set
    by hand on or before ``as_of`` when one is earlier (a reader sees the score at launch)."""
    launched = project.campaign.launched
    firsts = [launched] if launched and launched <= as_of else []
    firsts += [r.date for r in project.responses if r.date <= as_of]
    firsts += [d.status.date for d in project.demands if d.status and d.status.date <= as_of]
    firsts += [a.date for a in project.assessments if a.date <= as_of]
    return min(firsts, default=as_of)


def _target_entry(
    project: Project, target: Target, card: Scorecard, start: dt.date
) -> dict[str, Any]:
    """One item of the top-level ``targets`` list of every document."""
    s = card.score
    return {
        "id": target.id,
        "name": target.name,
        "primary": project.is_primary(target),
        "url": target.url,
        "note": target.note,
        "asked": _dump(target.asked) if target.asked else None,
        "asked_nothing": bool(target.asked and target.asked.demands == []),
        "page": f"{page_stem(target, project.is_primary(target))}.html",
        "responses": len(card.responses),
        "score": _score(s),
        "statuses": {r.demand.id: r.status.value for r in card.demands},
        "unasked_statuses": {r.demand.id: r.unasked.value for r in card.demands if r.unasked},
        "evidence": {r.demand.id: [e.response.id for e in r.evidence] for r in card.demands},
        "score_history": score_history(card, start),
        "changes": status_changes(card, target),
    }


def _score(s: Score, positive: bool = False) -> dict[str, Any]:
    """A score as data; with ``positive``, how many demands are met, partly met or promised."""
    out: dict[str, Any] = {
        "summary": score_summary(_counts(s.counts), s.applicable),
        "percent": s.percent,
        "points": s.points,
        "max_points": s.max_points,
        "applicable": s.applicable,
    }
    if positive:
        out["positive"] = sum(s.counts[st] for st in POSITIVE)
    out["counts"] = _counts(s.counts)
    return out


def _counts(counts: dict[Status, int]) -> dict[str, int]:
    return {s.value: n for s, n in counts.items()}


def score_history(card: Scorecard, start: dt.date | None = None) -> list[dict[str, Any]]:
    """The score after each change, from ``start`` (default: the first response) to the card's
    as-of date.

    A demand's status as of any date is the last step of its history on or before that date
    (the history the card was derived with, under the rule in force), so the score at each date
    where some demand's status changes is ``match.score()`` of those statuses (kept up to date
    by ``match.RunningScore``): no status is derived here. Keeps the dates where the percent or
    the summary changed, the start and the as-of date."""
    as_of = card.as_of
    # Each demand starts not asked, not yet made (until it counts), or with no response.
    steps: list[tuple[dt.date, int, int, Status]] = []
    current: list[Standing] = []
    for i, result in enumerate(card.demands):
        first = Status.no_response
        if not result.asked:
            first = Status.not_asked
        elif result.counted_from is not None:
            first = Status.not_yet_made
            steps.append((result.counted_from, i, 0, Status.no_response))
        current.append(Standing(result.demand, first))
        steps += [(step.date, i, k, step.status) for k, step in enumerate(result.history, 1)]
    steps.sort(key=lambda step: step[:3])
    if start is None:
        start = min([r.date for r in card.responses] + [d for d, _, _, _ in steps], default=as_of)
    points: list[dict[str, Any]] = []
    k = 0
    running = RunningScore(current, card.points)
    for day in sorted({start, as_of} | {d for d, _, _, _ in steps if start <= d <= as_of}):
        while k < len(steps) and steps[k][0] <= day:
            _, i, _, status = steps[k]
            current[i] = Standing(current[i].demand, status)
            running.update(i, current[i])
            k += 1
        s = running.score()
        point = {
            "date": day.isoformat(),
            "percent": s.percent,
            "points": s.points,
            "summary": score_summary(_counts(s.counts), s.applicable),
            "met": s.counts.get(Status.met, 0),
            "partial": s.counts.get(Status.partial, 0),
            "applicable": s.applicable,
        }
        same = points and (points[-1]["percent"], points[-1]["summary"]) == (
            point["percent"],
            point["summary"],
        )
        if not same or day == as_of:  # keep the changes, and the as-of date
            points.append(point)
    return points


def status_changes(card: Scorecard, target: Target) -> list[dict[str, Any]]:
    """Every change of a demand's status for one target, oldest first: the feed's entries."""
    out = []
    for result in card.demands:
        before = Status.no_response
        for step in result.history:
            out.append(
                {
                    "target": target.id,
                    "target_name": target.name,
                    "demand": result.demand.id,
                    "title": result.demand.title,
                    "date": step.date.isoformat(),
                    "from": before.value,
                    "to": step.status.value,
                    "responses": list(step.responses),
                    "set_by_hand": step.manual,
                }
            )
            before = step.status
    return sorted(out, key=lambda c: (c["date"], c["target"], c["demand"]))


def _dump(value: Any) -> Any:
    """Model values as JSON-ready data (enums as their value, dates as ISO text)."""
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")  # pydantic-core does the same, ~5x faster
    if isinstance(value, dict):
        return {getattr(k, "value", k): _dump(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_dump(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return getattr(value, "value", value)


def _cause(cause: Cause | None) -> dict[str, Any] | None:
    """What set a status, as data: its kind, date, and the ruling or response."""
    if cause is None:
        return None
    return {
        "kind": cause.kind,
        "date": cause.date.isoformat() if cause.date else None,
        "id": cause.id,
        "by": cause.by,
    }


def document(card: Scorecard, when: dt.datetime) -> dict[str, Any]:
    """One target's scorecard as plain data: scorecard.json, and the templates' context."""
    project = card.project
    demands = []
    for result in card.demands:
        d = result.demand
        entry = _dump(d)
        entry.pop("status", None)
        entry.update(
            {
                "weight": d.weight,
                "status": result.status.value,
                "positive": result.positive,
                "status_set_by_hand": _dump(result.manual) if result.manual else None,
                "counted_from": result.counted_from.isoformat() if result.counted_from else None,
                "asked": result.asked,
                "unasked_status": result.unasked.value if result.unasked else None,
                "cause": _cause(result.cause),
                "history": [
                    {
                        "date": s.date.isoformat(),
                        "status": s.status.value,
                        "responses": list(s.responses),
                        "set_by_hand": s.manual,
                        "ruling": s.ruling,
                    }
                    for s in result.history
                ],
                "responses": [e.response.id for e in result.evidence],
                "evidence": [
                    {
                        "response": e.response.id,
                        "date": e.response.date.isoformat(),
                        "verdict": e.link.verdict.value,
                        "reason": e.link.reason,
                        "claimed": e.link.claimed,
                        "reviewed_by": e.link.reviewed_by,
                        "pending": e.pending,
                    }
                    for e in result.evidence
                ],
                "rulings": [
                    {
                        "assessment": j.assessment.id,
                        "date": j.assessment.date.isoformat(),
                        "by": j.assessment.by,
                        "status": j.ruling.status.value,
                        "reason": j.ruling.reason,
                        "verified": j.ruling.verified,
                        "reviewed_by": j.ruling.reviewed_by,
                        "pending": j.pending,
                    }
                    for j in result.rulings
                ],
                "due": result.due.isoformat() if result.due else None,
                "overdue_days": result.overdue_days,
            }
        )
        demands.append(entry)
    responses = [project.response_data[r.id] for r in card.responses]
    s = card.score
    groups = [
        {**_dump(g), "demands": [d.id for d in project.demands if d.group == g.id]}
        for g in project.demands_file.groups
    ]
    return {
        "format": FORMAT,
        "generator": f"scorecard {__version__}",
        "generated_on": when.isoformat().replace("+00:00", "Z"),
        "as_of": card.as_of.isoformat(),
        "reviewed": project.campaign.reviewed.isoformat() if project.campaign.reviewed else None,
        "latest_response": card.responses[-1].date.isoformat() if card.responses else None,
        # The latest ruling counted: an assessment that rules on no demand (an update, say) sets
        # no status, so it is not "the latest ruling".
        "latest_ruling": next(
            (a.date.isoformat() for a in reversed(card.assessments) if a.rulings), None
        ),
        "reviewed_only": card.reviewed_only,
        "rule": {"id": card.rule.value, "definition": RULE_DEFINITIONS[card.rule]},
        "campaign": _dump(project.campaign),
        "statuses": [
            {
                "id": st.value,
                "label": STATUS_LABELS[st],
                "definition": STATUS_DEFINITIONS[st],
                "points": card.points.get(st),
            }
            for st in Status
        ],
        "verdicts": [{"id": v.value, "definition": VERDICT_DEFINITIONS[v]} for v in Verdict],
        "score": _score(s, positive=True),
        "groups": groups,
        "demands": demands,
        "responses": responses,
        "assessments": [_dump(a) for a in card.assessments],
        # the source articles copied next to the outputs (sources/FILE), by file name
        "source_files": sorted(project.source_files),
        "unlinked_responses": [r.id for r in card.unlinked],
        "later_responses": card.later,
    }


def output_schema() -> dict[str, Any]:
    """The JSON Schema of scorecard.json (``scorecard schema output``): the fields other tools
    may rely on, by format version. Other keys may be added within a format version."""
    date = {"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}
    day = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    text = {"type": "object", "additionalProperties": {"type": "string"}}
    maybe = {"anyOf": [date, {"type": "null"}]}
    status = {"enum": [s.value for s in Status]}
    cause = {
        "anyOf": [
            {"type": "null"},
            {
                "type": "object",
                "required": ["kind", "date", "id", "by"],
                "properties": {
                    "kind": {"enum": ["ruling", "response", "set-by-hand", "made", "asked"]},
                    "date": maybe,
                    "id": {"type": ["string", "null"]},
                    "by": {"type": ["string", "null"]},
                },
            },
        ]
    }
    counts = {
        "type": "object",
        "required": [s.value for s in Status],
        "additionalProperties": {"type": "integer", "minimum": 0},
    }
    score_ = {
        "type": "object",
        "required": ["summary", "percent", "points", "max_points", "applicable", "counts"],
        "properties": {
            "summary": {"type": "string"},
            "percent": {
                "type": "number",
                "description": "points / max_points as a percentage; 0 when applicable is 0: "
                "nothing is scored (the summary says 'Not scored'), which is no score of 0%",
            },
            "points": {"type": "number"},
            "max_points": {"type": "number"},
            "applicable": {
                "type": "integer",
                "description": "how many demands the score counts (not those not applicable, "
                "not yet made or not asked)",
            },
            "positive": {
                "type": "integer",
                "description": "the top-level score only: how many demands are met, partly "
                "met or promised; not a score (promised earns no points)",
            },
            "counts": counts,
        },
    }
    demand = {
        "type": "object",
        "required": [
            "id",
            "title",
            "text",
            "status",
            "cause",
            "history",
            "evidence",
            "rulings",
            "counted_from",
            "asked",
        ],
        "properties": {
            "id": {"type": "string"},
            "title": text,
            "text": text,
            "status": status,
            "made": maybe,
            "counted_from": maybe,
            "asked": {"type": "boolean"},
            "cause": cause,
            "history": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["date", "status", "responses", "ruling"],
                    "properties": {
                        "date": date,
                        "status": status,
                        "responses": {"type": "array", "items": {"type": "string"}},
                        "ruling": {"type": ["string", "null"]},
                        "set_by_hand": {"type": "boolean"},
                    },
                },
            },
            "evidence": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "response",
                        "date",
                        "verdict",
                        "claimed",
                        "reviewed_by",
                        "pending",
                    ],
                    "properties": {
                        "response": {"type": "string"},
                        "date": date,
                        "verdict": {"enum": [v.value for v in Verdict]},
                        "claimed": {"type": ["string", "null"]},
                        "reviewed_by": {"type": ["string", "null"]},
                        "pending": {"type": "boolean"},
                    },
                },
            },
            "rulings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "assessment",
                        "date",
                        "by",
                        "status",
                        "reason",
                        "verified",
                        "reviewed_by",
                        "pending",
                    ],
                    "properties": {
                        "assessment": {"type": "string"},
                        "date": date,
                        "by": {"type": "string"},
                        "status": status,
                        "reason": text,
                        "verified": {"type": ["boolean", "null"]},
                        "reviewed_by": {"type": ["string", "null"]},
                        "pending": {"type": "boolean"},
                    },
                },
            },
        },
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "scorecard.json",
        "type": "object",
        "required": [
            "format",
            "as_of",
            "reviewed",
            "latest_response",
            "latest_ruling",
            "rule",
            "campaign",
            "score",
            "demands",
            "responses",
            "assessments",
            "targets",
        ],
        "properties": {
            "format": {"const": FORMAT.split()[0]},
            "generator": {"type": "string"},
            "generated_on": {"type": "string"},
            "as_of": day,
            "reviewed": maybe,
            "latest_response": maybe,
            "latest_ruling": maybe,
            "reviewed_only": {"type": "boolean"},
            "rule": {
                "type": "object",
                "required": ["id"],
                "properties": {"id": {"enum": [r.value for r in Rule]}},
            },
            "campaign": {"type": "object", "required": ["title", "target"]},
            "score": score_,
            "demands": {"type": "array", "items": demand},
            "responses": {
                "type": "array",
                "items": {"type": "object", "required": ["id", "date", "sources"]},
            },
            "assessments": {
                "type": "array",
                "items": {"type": "object", "required": ["id", "date", "by", "rulings"]},
            },
            "provenance": {
                "type": "object",
                "required": ["version", "inputs", "git"],
                "properties": {
                    "version": {"type": "string"},
                    "inputs": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["file", "sha256"],
                            "properties": {
                                "file": {"type": "string"},
                                "sha256": {"type": "string", "pattern": "^[0-9a-f]{64}$"},
                            },
                        },
                    },
                    "git": {
                        "anyOf": [
                            {"type": "null"},
                            {
                                "type": "object",
                                "required": ["commit", "modified"],
                                "properties": {
                                    "commit": {"type": "string"},
                                    "path": {"type": "string"},
                                    "modified": {"type": "boolean"},
                                },
                            },
                        ]
                    },
                    "build": {"type": ["object", "null"]},
                },
            },
            "targets": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": [
                        "id",
                        "name",
                        "primary",
                        "score",
                        "statuses",
                        "asked",
                        "asked_nothing",
                    ],
                    "properties": {
                        "statuses": {"type": "object", "additionalProperties": status},
                        "score": score_,
                    },
                },
            },
        },
    }
