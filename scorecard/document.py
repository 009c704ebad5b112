"""Several targets answering the same demands: which responses belong to whom, one scorecard per
target, the score of each over time, and the data the matrix, the charts and the feed show.

A campaign with no ``targets:`` list has one target, named by ``campaign.target``; every response
belongs to it and every output is as it always was. With a list, each response names its target
with ``target:`` (default: the one named by ``campaign.target``, the *primary* target, whose
scorecard is the main page and the top-level fields of scorecard.json).

Pure functions, like match.py: the status rule itself is never re-implemented here, every status
comes from :func:`scorecard.match.scorecard`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, replace
from typing import Any

from .errors import Problem
from .load import Loaded
from .match import Scorecard, score, scorecard
from .model import Project, ResponsesFile, Rule, Status


@dataclass(frozen=True)
class TargetInfo:
    id: str
    name: str
    primary: bool
    url: str | None = None
    note: dict[str, str] | None = None

    @property
    def page(self) -> str:
        """The file name of this target's page (without extension)."""
        return "scorecard" if self.primary else f"scorecard.{self.id}"


def slug(name: str) -> str:
    """An id made from a name: 'Facebook' -> 'facebook'."""
    return re.sub(r"[^A-Za-z0-9]+", "-", name).strip("-").lower()[:64].strip("-") or "target"


def targets_of(project: Project) -> list[TargetInfo]:
    """The targets, primary first, then in file order."""
    listed = project.demands_file.targets
    name = project.campaign.target
    if not listed:
        return [TargetInfo(slug(name), name, True)]
    found = [TargetInfo(t.id, t.name, t.name == name, t.url, t.note) for t in listed]
    return sorted(found, key=lambda t: not t.primary)


def primary(project: Project) -> TargetInfo:
    return targets_of(project)[0]


def target_of(response: Any, primary_id: str) -> str:
    return response.target or primary_id


def split(project: Project) -> dict[str, Project]:
    """One project per target (primary first), holding that target's responses only."""
    infos = targets_of(project)
    first = infos[0].id
    out = {}
    for info in infos:
        mine = [r for r in project.responses if target_of(r, first) == info.id]
        out[info.id] = project.model_copy(update={
            "responses_file": ResponsesFile.model_construct(responses=mine)})
    return out


def primary_project(project: Project) -> Project:
    return split(project)[primary(project).id]


def cards(project: Project, as_of: dt.date, rule: Rule | None = None) -> dict[str, Scorecard]:
    """Each target's scorecard as of a date, computed independently (primary first)."""
    return {tid: scorecard(sub, as_of, rule) for tid, sub in split(project).items()}


def score_history(project: Project, as_of: dt.date, rule: Rule | None = None,
                  start: dt.date | None = None) -> list[dict[str, Any]]:
    """The score after each change, from ``start`` (default: the first response) to ``as_of``.

    A demand's status as of any date is the last step of its history on or before that date
    (the history that scorecard() derives with the rule in force, the same one ``--as-of``
    uses), so the score at each date where some demand's status changes is ``match.score()``
    of those statuses: no status is derived here. Keeps the dates where the percent or the
    summary changed, the start and the as-of date."""
    card = scorecard(project, as_of, rule)
    steps = sorted((step.date, i, step.status) for i, result in enumerate(card.demands)
                   for step in result.history)
    if start is None:
        start = min([r.date for r in card.responses] + [d for d, _, _ in steps], default=as_of)
    current = [replace(result, status=Status.no_response) for result in card.demands]
    points: list[dict[str, Any]] = []
    k = 0
    for day in sorted({start, as_of} | {d for d, _, _ in steps if start <= d <= as_of}):
        while k < len(steps) and steps[k][0] <= day:
            _, i, status = steps[k]
            current[i] = replace(current[i], status=status)
            k += 1
        s = score(current, card.points)
        point = {"date": day.isoformat(), "percent": s.percent, "points": s.points,
                 "summary": s.summary, "met": s.counts.get(Status.met, 0)}
        same = points and (points[-1]["percent"], points[-1]["summary"]) == (
            point["percent"], point["summary"])
        if not same or day == as_of:  # keep the changes, and the as-of date
            points.append(point)
    return points


def changes(card: Scorecard, target: TargetInfo) -> list[dict[str, Any]]:
    """Every change of a demand's status for one target, oldest first: the feed's entries."""
    out = []
    for result in card.demands:
        before = Status.no_response
        for step in result.history:
            out.append({"target": target.id, "target_name": target.name,
                        "demand": result.demand.id, "title": result.demand.title,
                        "date": step.date.isoformat(), "from": before.value,
                        "to": step.status.value, "responses": list(step.responses),
                        "set_by_hand": step.manual})
            before = step.status
    return sorted(out, key=lambda c: (c["date"], c["target"], c["demand"]))


def targets_document(project: Project, as_of: dt.date, rule: Rule | None = None
                     ) -> list[dict[str, Any]]:
    """The top-level ``targets`` list of scorecard.json."""
    subs = split(project)
    firsts = [r.date for r in project.responses if r.date <= as_of]
    firsts += [d.status.date for d in project.demands if d.status and d.status.date <= as_of]
    start = min(firsts, default=as_of)  # the first response (or status set by hand)
    out = []
    for info in targets_of(project):
        sub = subs[info.id]
        card = scorecard(sub, as_of, rule)
        s = card.score
        out.append({
            "id": info.id,
            "name": info.name,
            "primary": info.primary,
            "url": info.url,
            "note": info.note,
            "page": f"{info.page}.html",
            "responses": len(card.responses),
            "score": {"summary": s.summary, "percent": s.percent, "points": s.points,
                      "max_points": s.max_points, "applicable": s.applicable,
                      "counts": {k.value: n for k, n in s.counts.items()}},
            "statuses": {r.demand.id: r.status.value for r in card.demands},
            "evidence": {r.demand.id: [e.response.id for e in r.evidence] for r in card.demands},
            "score_history": score_history(sub, as_of, rule, start),
            "changes": changes(card, info),
        })
    return out


# --------------------------------------------------------------------------- validation


def check(demands: Loaded, responses: Loaded) -> list[Problem]:
    """The targets list and each response's ``target``, located at file:line:col."""
    from .validate import _did_you_mean, _items, unique

    problems: list[Problem] = []
    data = demands.data if isinstance(demands.data, dict) else {}
    listed = _items(data, "targets")
    ids = unique(demands, "targets", "target", problems)
    names = unique(demands, "targets", "target", problems, field="name")
    campaign = data.get("campaign")
    main = campaign.get("target") if isinstance(campaign, dict) else None
    if listed and isinstance(main, str) and names and main not in names:
        problems.append(demands.problem(
            ("campaign", "target"), f"'{main}' is not the name of any target in 'targets'; "
            "campaign.target names the primary target, so it must be one of the names listed"
            f"{_did_you_mean(main, names)}"))
    for i, item in _items(responses.data, "responses"):
        ref = item.get("target")
        if not isinstance(ref, str) or ref in ids:
            continue
        path = ("responses", i, "target")
        if not listed:
            problems.append(responses.problem(path, f"'{ref}' is not a target: demands.yaml has "
                                              "no 'targets' list; add one (id and name of each "
                                              "target) or remove 'target'"))
        else:
            problems.append(responses.problem(path, f"'{ref}' is not a target in demands.yaml"
                                              f"{_did_you_mean(ref, ids)}"))
    return problems


def target_documents(project: Project, as_of: dt.date, rule: Rule | None, when: dt.datetime
                     ) -> dict[str, dict[str, Any]]:
    """One document (scorecard.json's shape) per target, primary first. Each carries the
    ``targets`` list; the primary's is scorecard.json."""
    from .render import document

    listed = targets_document(project, as_of, rule)
    docs = {}
    for info, sub in zip(targets_of(project), split(project).values(), strict=True):
        doc = document(scorecard(sub, as_of, rule), when)
        doc["campaign"] = {**doc["campaign"], "target": info.name}
        doc["targets"] = listed
        doc["target_id"] = info.id  # whose scorecard this document is
        docs[info.id] = doc
    return docs
