"""Stage 3, match: pure functions from the validated project to each demand's status as of a
date, its history, what set it, and the score. No I/O, no printing.

The events of a demand, oldest first: the verdicts of the target's responses and the rulings of
the assessor (assessments.yaml); on one day, the responses count first and the rulings after
them (the assessor rules on what the day brought). A ruling sets the status from its date on,
under either rule, until a later ruling or a later response verdict: under the ``latest`` rule
a later verdict other than 'none' replaces it, under ``best`` a later verdict replaces it only
when better. A status set by hand on the demand (``status:``) replaces everything from its date
on. Before the demand was made (its ``made`` date, or the date it was put to the target) its
status is ``not-yet-made``; a demand the target was not asked is ``not-asked``; both, like
``n/a``, are left out of the score and its denominator.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import NamedTuple, Protocol

from .enums import EXCLUDED
from .model import (
    VERDICT_STATUS,
    Assessment,
    Demand,
    Link,
    ManualStatus,
    Project,
    Response,
    Rule,
    Ruling,
    Status,
    Target,
    Verdict,
)

# Best first; the "best" rule picks the verdict that comes first here.
VERDICT_RANK = {
    Verdict.full: 0,
    Verdict.partial: 1,
    Verdict.promised: 2,
    Verdict.refused: 3,
    Verdict.none: 4,
}
STATUS_RANK = {
    Status.met: 0,
    Status.partial: 1,
    Status.promised: 2,
    Status.refused: 3,
    Status.not_addressed: 4,
    Status.no_response: 5,
    Status.na: 6,
}
POSITIVE = frozenset({Status.met, Status.partial, Status.promised})


@dataclass(frozen=True)
class Step:
    """One change in a demand's status."""

    date: dt.date
    status: Status
    responses: tuple[str, ...] = ()
    manual: bool = False
    ruling: str | None = None  # the assessment whose ruling made this change


@dataclass(frozen=True)
class Evidence:
    response: Response
    link: Link
    pending: bool = False  # not reviewed, and only reviewed verdicts count


@dataclass(frozen=True)
class Judgement:
    """A ruling on this demand, with the assessment it belongs to."""

    assessment: Assessment
    ruling: Ruling
    pending: bool = False  # not reviewed, and only reviewed rulings count


@dataclass(frozen=True)
class Cause:
    """What set a demand's current status: a ruling, a response, a status set by hand, or the
    dates (``made``: not made yet; ``asked``: not asked of this target)."""

    kind: str  # "ruling", "response", "set-by-hand", "made", "asked"
    date: dt.date | None = None
    id: str | None = None  # the assessment or response
    by: str | None = None  # the assessor, or the response's speaker


@dataclass(frozen=True)
class DemandResult:
    demand: Demand
    status: Status
    manual: ManualStatus | None
    history: tuple[Step, ...]
    evidence: tuple[Evidence, ...]
    due: dt.date | None
    overdue_days: int | None
    rulings: tuple[Judgement, ...] = ()
    cause: Cause | None = None
    counted_from: dt.date | None = None  # made (or asked of the target) on this date
    asked: bool = True
    # Not asked: the status its own responses would give, for comparison only (never counted).
    unasked: Status | None = None

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
    assessments: tuple[Assessment, ...] = ()  # dated on or before as_of, oldest first
    reviewed_only: bool = False


def derive(verdicts: list[Verdict], rule: Rule, base: Status | None = None) -> Status:
    """The status that a demand's verdicts (oldest first) give under a rule, after a ruling
    that set ``base`` (None: no ruling)."""
    substantive = [v for v in verdicts if v is not Verdict.none]
    if base is not None:
        if not substantive:
            return base
        if rule is Rule.latest:
            return VERDICT_STATUS[substantive[-1]]
        found = [base, *(VERDICT_STATUS[v] for v in substantive)]
        return min(found, key=lambda s: STATUS_RANK.get(s, len(STATUS_RANK)))
    if not verdicts:
        return Status.no_response
    if not substantive:
        return Status.not_addressed
    if rule is Rule.latest:
        return VERDICT_STATUS[substantive[-1]]
    return VERDICT_STATUS[min(substantive, key=VERDICT_RANK.__getitem__)]


def ordered_responses(project: Project) -> list[Response]:
    """Responses oldest first; the same date keeps file order."""
    return sorted(project.responses, key=lambda r: r.date)


def evidence_by_demand(
    responses: list[Response], reviewed_only: bool = False
) -> dict[str, list[Evidence]]:
    found: dict[str, list[Evidence]] = defaultdict(list)
    for response in responses:
        for link in response.addresses:
            pending = reviewed_only and not link.reviewed_by
            found[link.demand].append(Evidence(response, link, pending))
    return found


def rulings_by_demand(
    assessments: list[Assessment], reviewed_only: bool = False
) -> dict[str, list[Judgement]]:
    found: dict[str, list[Judgement]] = defaultdict(list)
    for assessment in sorted(assessments, key=lambda a: a.date):
        for ruling in assessment.rulings:
            pending = reviewed_only and not ruling.reviewed_by
            found[ruling.demand].append(Judgement(assessment, ruling, pending))
    return found


def demand_result(
    demand: Demand,
    evidence: list[Evidence],
    as_of: dt.date,
    rule: Rule,
    campaign_due: dt.date | None = None,
    rulings: list[Judgement] | None = None,
    counted_from: dt.date | None = None,
    asked: bool = True,
) -> DemandResult:
    evidence = [e for e in evidence if e.response.date <= as_of]
    judgements = [j for j in rulings or [] if j.assessment.date <= as_of]
    due = demand.due or campaign_due
    if not asked:
        own = demand_result(demand, evidence, as_of, rule, campaign_due, rulings, counted_from)
        return DemandResult(
            demand,
            Status.not_asked,
            None,
            (),
            tuple(evidence),
            due,
            None,
            tuple(judgements),
            Cause("asked"),
            counted_from,
            False,
            own.status,
        )
    if counted_from is not None and as_of < counted_from:
        return DemandResult(
            demand,
            Status.not_yet_made,
            None,
            (),
            tuple(evidence),
            due,
            None,
            tuple(judgements),
            Cause("made", counted_from),
            counted_from,
            True,
        )
    manual = demand.status if demand.status and demand.status.date <= as_of else None

    # The events that count, oldest first; on one day, responses before rulings. An event from
    # before the demand counted (made, or put to this target) takes effect on that date.
    def day_of(date: dt.date) -> dt.date:
        return max(date, counted_from) if counted_from else date

    events: list[tuple[dt.date, int, int, Evidence | Judgement]] = [
        (day_of(e.response.date), 0, i, e) for i, e in enumerate(evidence) if not e.pending
    ]
    events += [
        (day_of(j.assessment.date), 1, i, j) for i, j in enumerate(judgements) if not j.pending
    ]
    events.sort(key=lambda event: event[:3])
    history: list[Step] = []
    verdicts: list[Verdict] = []
    base: Status | None = None
    status = Status.no_response
    cause: Cause | None = None
    i = 0
    while i < len(events):
        day = events[i][0]
        if manual and day >= manual.date:
            break
        ids: list[str] = []
        ruled: str | None = None
        while i < len(events) and events[i][0] == day:
            event = events[i][3]
            before = status
            if isinstance(event, Judgement):
                base, verdicts = event.ruling.status, []
                ruled = event.assessment.id
                status = base
                cause = Cause("ruling", day, event.assessment.id, event.assessment.by)
            else:
                verdict = event.link.verdict
                verdicts.append(verdict)
                ids.append(event.response.id)
                status = derive(verdicts, rule, base)
                sets = (
                    verdict is not Verdict.none and (rule is Rule.latest or status != before)
                ) or cause is None
                if sets:
                    cause = Cause("response", day, event.response.id, event.response.speaker)
            i += 1
        if not history or history[-1].status is not status:
            history.append(Step(day, status, tuple(ids), ruling=ruled))
    if manual:
        history.append(Step(manual.date, manual.value, (), manual=True))
        status = manual.value
        cause = Cause("set-by-hand", manual.date)
    overdue = (
        (as_of - due).days
        if due and as_of > due and status not in (Status.met, Status.na)
        else None
    )
    return DemandResult(
        demand,
        status,
        manual,
        tuple(history),
        tuple(evidence),
        due,
        overdue,
        tuple(judgements),
        cause,
        counted_from,
        asked,
    )


class Scored(Protocol):
    """What a score reads of a demand's result: a DemandResult, or a Standing."""

    @property
    def demand(self) -> Demand: ...

    @property
    def status(self) -> Status: ...


class Standing(NamedTuple):
    """A demand and its status at some date: a score history's step, without making a whole
    DemandResult for each of its ~10,000 changes."""

    demand: Demand
    status: Status


def score(results: Sequence[Scored], points: dict[Status, float]) -> Score:
    counts: dict[Status, int] = {s: 0 for s in Status}
    total = maximum = 0.0
    applicable = 0
    for result in results:
        counts[result.status] += 1
        if result.status in EXCLUDED:
            continue
        applicable += 1
        weight = result.demand.weight
        total += weight * points.get(result.status, 0.0)
        maximum += weight
    return Score(counts, applicable, round(total, 6), round(maximum, 6))


class RunningScore:
    """``score()`` of a list of results while they change one at a time, without adding up
    every demand again for each change (a score history of 1,000 demands over 1,000 dates
    was a million additions). Sums are kept only when every one is exact in floating point
    (weights and their points multiples of 1/1024, totals under 2**40), where any order of
    additions gives score()'s figures to the last bit; otherwise score() runs each time."""

    def __init__(self, results: Sequence[Scored], points: dict[Status, float]) -> None:
        self.results, self.points = list(results), points
        weights = [r.demand.weight for r in self.results]
        values = [*weights, *(w * p for w in set(weights) for p in points.values())]
        self.exact = all(float(v * 1024).is_integer() for v in values) and (
            sum(abs(w) for w in weights) * max([1.0, *map(abs, points.values())]) < 2**40
        )
        self.counts: dict[Status, int] = {s: 0 for s in Status}
        self.applicable = 0
        self.total = self.maximum = 0.0
        for result in self.results:
            self._add(result, 1)

    def _add(self, result: Scored, sign: int) -> None:
        self.counts[result.status] += sign
        if result.status in EXCLUDED:
            return
        self.applicable += sign
        weight = result.demand.weight
        self.total += sign * weight * self.points.get(result.status, 0.0)
        self.maximum += sign * weight

    def update(self, i: int, result: Scored) -> None:
        """The i-th result is now ``result``."""
        self._add(self.results[i], -1)
        self._add(result, 1)
        self.results[i] = result

    def score(self) -> Score:
        if not self.exact:
            return score(self.results, self.points)
        total, maximum = self.total + 0.0, self.maximum + 0.0  # -0.0 is 0.0, as in score()
        return Score(dict(self.counts), self.applicable, round(total, 6), round(maximum, 6))


def counted_from(demand: Demand, project: Project, target: Target | None) -> dt.date | None:
    """The date from which a demand counts for a target: when it was made (default: the
    campaign's launch), or later, when it was put to the target."""
    made = demand.made or project.campaign.launched
    asked = target.asked.date if target and target.asked else None
    dates = [d for d in (made, asked) if d is not None]
    return max(dates) if dates else None


def scorecard(
    project: Project,
    as_of: dt.date,
    rule: Rule | None = None,
    target: Target | None = None,
    reviewed_only: bool = False,
) -> Scorecard:
    """Everything the outputs show, as of a date, for one target (default: the primary; the
    project holds that target's responses and assessments, see ``Project.for_target``).
    ``reviewed_only``: verdicts and rulings nobody reviewed are pending and do not count."""
    scoring = project.demands_file.scoring
    rule = rule or scoring.rule
    target = target or project.targets[0]
    points: dict[Status, float] = {s: scoring.points_for(s) for s in Status if s not in EXCLUDED}
    responses = ordered_responses(project)
    shown = [r for r in responses if r.date <= as_of]
    by_demand = evidence_by_demand(shown, reviewed_only)
    judged = rulings_by_demand(project.assessments, reviewed_only)
    results = [
        demand_result(
            d,
            by_demand.get(d.id, []),
            as_of,
            rule,
            project.campaign.due,
            judged.get(d.id, []),
            counted_from(d, project, target),
            target.was_asked(d.id),
        )
        for d in project.demands
    ]
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
        assessments=tuple(
            sorted((a for a in project.assessments if a.date <= as_of), key=lambda a: a.date)
        ),
        reviewed_only=reviewed_only,
    )
