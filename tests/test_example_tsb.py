"""The second bundled example: a sample of the Transportation Safety Board of Canada's air
safety recommendations, Transport Canada's responses and the TSB's own dated ratings."""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from scorecard.cli import cli
from scorecard.match import scorecard
from scorecard.model import Status
from scorecard.validate import load_project

TSB = ROOT / "examples" / "tsb-aviation"


def _results(as_of: dt.date, target: str = "transport-canada") -> dict:
    project, _ = load_project(TSB)
    chosen = next(t for t in project.targets if t.id == target)
    card = scorecard(project.for_target(target), as_of, target=chosen)
    return {r.demand.id: r for r in card.demands}


def test_tsb_example_is_valid_and_shaped_as_documented(runner) -> None:
    result = runner.invoke(cli, ["validate", str(TSB)])
    assert result.exit_code == 0, result.output
    project, _ = load_project(TSB)
    assert len(project.demands) >= 40
    assert [t.id for t in project.targets] == ["transport-canada", "nav-canada"]
    launched = project.campaign.launched
    assert launched is not None and launched.isoformat() == "2010-03"  # a month-only date
    assert project.campaign.reviewed == dt.date(2024, 6, 20)
    made_after = [d.id for d in project.demands if d.made and d.made > launched]
    assert len(made_after) >= 30 and "A24-01" in made_after
    assert any(a.date.isoformat() in ("2017-08", "2024-02") for a in project.assessments)
    assert any(link.claimed for r in project.responses for link in r.addresses)
    for response in project.responses:
        assert response.sources, response.id
    for assessment in project.assessments:
        assert assessment.sources, assessment.id
        assert assessment.target in ("transport-canada", "nav-canada")


def test_tsb_statuses_follow_the_boards_rulings() -> None:
    now = _results(dt.date(2024, 6, 20))
    a93 = now["A93-20"]
    assert a93.status is Status.met
    assert (a93.cause.kind, a93.cause.id) == ("ruling", "tsb-2017-08-a93-20")
    assert now["A13-03"].status is Status.refused
    assert now["A13-03"].cause.id == "tsb-2014-03-13-a12o0071-responses"
    assert now["A11-05"].status is Status.not_addressed
    assert now["A11-05"].cause.id == "tsb-2024-02-a11-05"
    assert now["A16-01"].status is Status.met
    assert now["A16-01"].cause.id == "tsb-2020-12-a16-01"
    # asked of NAV CANADA only
    assert now["A21-01"].status is Status.not_asked
    nav = _results(dt.date(2024, 6, 20), "nav-canada")["A21-01"]
    assert nav.status is Status.met
    assert nav.cause.id == "tsb-2024-06-20-annual-review"


def test_tsb_a_month_date_on_both_sides_of_the_as_of_date() -> None:
    """A13-02: Satisfactory Intent in March 2014; the regulations of 6 March 2019 meet it;
    the TSB's rating of "March 2019" counts from the last day of that month."""
    assert _results(dt.date(2014, 3, 13))["A13-02"].status is Status.promised
    before = _results(dt.date(2019, 3, 30))["A13-02"]
    assert before.status is Status.met
    assert (before.cause.kind, before.cause.id) == (
        "response",
        "tc-2019-03-06-seaplane-regulations",
    )
    after = _results(dt.date(2019, 3, 31))["A13-02"]
    assert (after.cause.kind, after.cause.id) == ("ruling", "tsb-2019-03-a13-02")


def test_tsb_a_recommendation_is_not_counted_before_it_was_made() -> None:
    assert _results(dt.date(2024, 2, 14))["A24-01"].status is Status.not_yet_made
    assert _results(dt.date(2024, 2, 15))["A24-01"].status is Status.no_response
    assert _results(dt.date(2012, 1, 1))["A16-01"].status is Status.not_yet_made


@pytest.mark.slow
def test_tsb_example_builds(runner, tmp_path: Path) -> None:
    copy = tmp_path / "tsb"
    shutil.copytree(TSB, copy, ignore=shutil.ignore_patterns("output"))
    result = runner.invoke(cli, ["build", str(copy), "--format", "html,pdf,json"])
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (copy / "output").iterdir())
    for name in (
        "scorecard.html",
        "scorecard.pdf",
        "scorecard.json",
        "scorecard.nav-canada.html",
        "scorecard.nav-canada.pdf",
    ):
        assert name in names
    doc = json.loads((copy / "output" / "scorecard.json").read_text(encoding="utf-8"))
    assert doc["as_of"] == doc["reviewed"] == "2024-06-20"
    statuses = {d["id"]: d["status"] for d in doc["demands"]}
    assert statuses["A93-20"] == "met" and statuses["A21-01"] == "not-asked"
    # recommendations made over 30 years: the score chart says why its line can fall (a
    # campaign whose demands all count from one day has no such note: test_render)
    note = "a demand made later lowers the score until it is met or partly met"
    page = (copy / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert note in page
    # the finding's bar draws the 39 demands scored, the one not asked only named after it
    desc = page[page.index('<desc id="chart-desc">') :]
    desc = desc[: desc.index("</desc>")]
    assert desc.endswith("; Left out of the score: Not asked: 1")
    assert "Not asked" not in desc.split("Left out")[0]
