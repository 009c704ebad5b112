"""Stage 3, match: pure functions from the validated project to each demand's status as of a
date, its history, and the score. No I/O, no printing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from .model import (
    VERDICT_STATUS,
    Demand,
    Link,
    ManualStatus,
    Project,
    Response,
    Rule,
    Status,
    Verdict,
)

# Best first; the "best" rule picks the verdict that comes first here.
VERDICT_RANK = {Verdict.full: 0, Verdict.partial: 1, Verdict.promised: 2, Verdict.refused: 3,
                Verdict.none: 4}
POSITIVE = frozenset({Status.met, Status.partial, Status.promised})

@dataclass(frozen=True)
class Step:
    """One change in a demand's status."""

    date: dt.date
    status: Status
    responses: tuple[str, ...] = ()
    manual: bool = False


@dataclass(frozen=True)
class Evidence:
    response: Response
    link: Link


@dataclass(frozen=True)
class DemandResult:
    demand: Demand
    status: Status
    manual: ManualStatus | None
    history: tuple[Step, ...]
    evidence: tuple[Evidence, ...]
    due: dt.date | None
    overdue_days: int | None

    @property
    def positive(self) -> bool:
        return self.status in POSITIVE


@dataclass(frozen=True)
class Score:
    counts: dict[Status, int]
    applicable: int
    points: float
    max_points: float

    @property
    def percent(self) -> float:
        return round(100 * self.points / self.max_points, 1) if self.max_points else 0.0


@dataclass(frozen=True)
class Scorecard:
    project: Project
    as_of: dt.date
    rule: Rule
    demands: tuple[DemandResult, ...]
    responses: tuple[Response, ...]  # dated on or before as_of, oldest first
    unlinked: tuple[Response, ...]  # of those, the ones that address no demand
    later: int  # responses dated after as_of, left out
    score: Score
    points: dict[Status, float] = field(default_factory=dict)


def derive(verdicts: list[Verdict], rule: Rule) -> Status:
    """The status that a demand's verdicts (oldest first) give under a rule."""
    if not verdicts:
        return Status.no_response
    substantive = [v for v in verdicts if v is not Verdict.none]
    if not substantive:
        return Status.not_addressed
    if rule is Rule.latest:
        return VERDICT_STATUS[substantive[-1]]
    return VERDICT_STATUS[min(substantive, key=VERDICT_RANK.__getitem__)]


def ordered_responses(project: Project) -> list[Response]:
    """Responses oldest first; the same date keeps file order."""
    return sorted(project.responses, key=lambda r: r.date)


def evidence_by_demand(responses: list[Response]) -> dict[str, list[Evidence]]:
    found: dict[str, list[Evidence]] = defaultdict(list)
    for response in responses:
        for link in response.addresses:
            found[link.demand].append(Evidence(response, link))
    return found


def demand_result(demand: Demand, evidence: list[Evidence], as_of: dt.date, rule: Rule,
                  campaign_due: dt.date | None = None) -> DemandResult:
    evidence = [e for e in evidence if e.response.date <= as_of]
    manual = demand.status if demand.status and demand.status.date <= as_of else None
    history: list[Step] = []
    verdicts: list[Verdict] = []
    i = 0
    while i < len(evidence):
        day = evidence[i].response.date
        if manual and day >= manual.date:
            break
        ids = []
        while i < len(evidence) and evidence[i].response.date == day:
            verdicts.append(evidence[i].link.verdict)
            ids.append(evidence[i].response.id)
            i += 1
        status = derive(verdicts, rule)
        if not history or history[-1].status is not status:
            history.append(Step(day, status, tuple(ids)))
    if manual:
        history.append(Step(manual.date, manual.value, (), manual=True))
        status = manual.value
    else:
        status = derive(verdicts, rule)
    due = demand.due or campaign_due
    overdue = (as_of - due).days if due and as_of > due and status not in (
        Status.met, Status.na) else None
    return DemandResult(demand, status, manual, tuple(history), tuple(evidence), due, overdue)


def score(results: list[DemandResult], points: dict[Status, float]) -> Score:
    counts: dict[Status, int] = {s: 0 for s in Status}
    total = maximum = 0.0
    applicable = 0
    for result in results:
        counts[result.status] += 1
        if result.status is Status.na:
            continue
        applicable += 1
        weight = result.demand.weight
        total += weight * points.get(result.status, 0.0)
        maximum += weight
    return Score(counts, applicable, round(total, 6), round(maximum, 6))


def scorecard(project: Project, as_of: dt.date, rule: Rule | None = None) -> Scorecard:
    """Everything the outputs show, as of a date."""
    scoring = project.demands_file.scoring
    rule = rule or scoring.rule
    points: dict[Status, float] = {s: scoring.points_for(s) for s in Status
                                   if s is not Status.na}
    responses = ordered_responses(project)
    shown = [r for r in responses if r.date <= as_of]
    by_demand = evidence_by_demand(shown)
    results = [demand_result(d, by_demand.get(d.id, []), as_of, rule, project.campaign.due)
               for d in project.demands]
    return Scorecard(
        project=project,
        as_of=as_of,
        rule=rule,
        demands=tuple(results),
        responses=tuple(shown),
        unlinked=tuple(r for r in shown if not r.addresses),
        later=len(responses) - len(shown),
        score=score(results, points),
        points=points,
    )
