"""Status derivation: rules, dates, hand-set statuses and the score."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import FIXTURES

from scorecard.match import RunningScore, derive, score, scorecard
from scorecard.model import Rule, Status, Verdict
from scorecard.validate import load_project

V = Verdict


@pytest.mark.parametrize(
    ("verdicts", "latest", "best"),
    [
        ([], Status.no_response, Status.no_response),
        ([V.none], Status.not_addressed, Status.not_addressed),
        ([V.none, V.none], Status.not_addressed, Status.not_addressed),
        ([V.partial], Status.partial, Status.partial),
        ([V.partial, V.refused], Status.refused, Status.partial),
        ([V.refused, V.partial], Status.partial, Status.partial),
        ([V.promised, V.full, V.refused], Status.refused, Status.met),
        ([V.partial, V.none], Status.partial, Status.partial),  # 'none' does not undo a step
        ([V.none, V.promised], Status.promised, Status.promised),
        ([V.refused, V.none], Status.refused, Status.refused),
    ],
)
def test_rules(verdicts, latest, best) -> None:
    assert derive(verdicts, Rule.latest) is latest
    assert derive(verdicts, Rule.best) is best


@pytest.fixture
def project():
    return load_project(FIXTURES / "mini")[0]


def statuses(card) -> dict[str, Status]:
    return {r.demand.id: r.status for r in card.demands}


def test_as_of_before_the_campaign_counts_no_demand(project) -> None:
    """Before campaign.launched (every demand's default `made` date) nothing was asked yet."""
    card = scorecard(project, dt.date(2020, 1, 1))
    assert set(statuses(card).values()) == {Status.not_yet_made}
    assert card.responses == () and card.later == 4
    assert card.score.points == 0 and card.score.applicable == 0
    assert all(r.history == () for r in card.demands)


def test_as_of_before_any_response(project) -> None:
    card = scorecard(project, dt.date(2020, 6, 29))
    assert set(statuses(card).values()) == {Status.no_response}
    assert card.responses == () and card.later == 4
    assert card.score.points == 0 and card.score.counts[Status.met] == 0
    assert card.score.applicable == 4
    assert all(r.history == () for r in card.demands)


def test_as_of_is_inclusive(project) -> None:
    assert statuses(scorecard(project, dt.date(2020, 7, 6)))["D1"] is Status.no_response
    assert statuses(scorecard(project, dt.date(2020, 7, 7)))["D1"] is Status.partial


def test_latest_refusal_overrides_and_best_keeps_the_step(project) -> None:
    latest = scorecard(project, dt.date(2020, 12, 1), Rule.latest)
    best = scorecard(project, dt.date(2020, 12, 1), Rule.best)
    assert statuses(latest)["D3"] is Status.refused
    assert statuses(best)["D3"] is Status.partial
    d3 = latest.demands[2]
    assert [(s.date.isoformat(), s.status, s.responses) for s in d3.history] == [
        ("2020-06-30", Status.partial, ("r1",)),
        ("2020-08-01", Status.refused, ("r4",)),
    ]


def test_rule_from_file_is_the_default(mini: Path) -> None:
    text = (mini / "demands.yaml").read_text(encoding="utf-8")
    (mini / "demands.yaml").write_text(text + "scoring:\n  rule: best\n", encoding="utf-8")
    card = scorecard(load_project(mini)[0], dt.date(2020, 12, 1))
    assert card.rule is Rule.best and statuses(card)["D3"] is Status.partial


def test_status_set_by_hand_applies_from_its_date(project) -> None:
    before = scorecard(project, dt.date(2020, 8, 31))
    after = scorecard(project, dt.date(2020, 9, 1))
    assert statuses(before)["D4"] is Status.no_response and before.demands[3].manual is None
    d4 = after.demands[3]
    assert d4.status is Status.na and d4.manual is not None
    assert d4.history[-1].manual and d4.history[-1].status is Status.na


def test_score_is_weighted_and_excludes_na(project) -> None:
    card = scorecard(project, dt.date(2020, 12, 1))
    # D1 partial (0.5 x 1), D2 not addressed (0 x 2), D3 refused (0 x 1), D4 n/a: excluded
    assert card.score.applicable == 3
    assert card.score.points == 0.5 and card.score.max_points == 4
    assert card.score.percent == 12.5
    assert (
        card.score.counts[Status.met],
        card.score.counts[Status.partial],
        card.score.applicable,
    ) == (0, 1, 3)


def test_points_are_configurable(mini: Path) -> None:
    text = (mini / "demands.yaml").read_text(encoding="utf-8")
    (mini / "demands.yaml").write_text(
        text + "scoring:\n  points:\n    partial: 0.25\n    refused: 0\n", encoding="utf-8"
    )
    card = scorecard(load_project(mini)[0], dt.date(2020, 12, 1))
    assert card.score.points == 0.25


def test_unlinked_responses_are_kept_and_counted(project) -> None:
    card = scorecard(project, dt.date(2020, 12, 1))
    assert [r.id for r in card.unlinked] == ["r3"]
    assert len(card.responses) == 4


def test_overdue(mini: Path) -> None:
    text = (mini / "demands.yaml").read_text(encoding="utf-8")
    (mini / "demands.yaml").write_text(
        text.replace("  lang: en\n", "  lang: en\n  due: 2020-10-01\n"), encoding="utf-8"
    )
    card = scorecard(load_project(mini)[0], dt.date(2020, 10, 11))
    overdue = {r.demand.id: r.overdue_days for r in card.demands}
    assert overdue == {"D1": 10, "D2": 10, "D3": 10, "D4": None}  # n/a is never overdue


@pytest.mark.parametrize("weights", [(1.0, 2.0, 0.5), (1.0, 0.1, 1 / 3, 2.7)])
def test_a_running_score_is_the_score_to_the_last_bit(project, weights) -> None:
    """Exact sums kept up to date (dyadic weights), or score() each time (any other)."""
    import random
    from dataclasses import replace

    card = scorecard(project, dt.date(2021, 6, 1))
    rng = random.Random(7)
    results = [
        replace(r, demand=r.demand.model_copy(update={"weight": rng.choice(weights)}))
        for r in card.demands * 5
    ]
    running = RunningScore(results, card.points)
    for _ in range(300):
        i = rng.randrange(len(results))
        results[i] = replace(results[i], status=rng.choice(list(Status)))
        running.update(i, results[i])
        assert running.score() == score(results, card.points)
