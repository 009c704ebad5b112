"""The bundled example: #StopHateForProfit's ten demands and Facebook's responses."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from conftest import ROOT

from scorecard.cli import cli
from scorecard.match import POSITIVE, scorecard
from scorecard.model import Status
from scorecard.validate import load_project


def test_example_is_valid_and_strict_clean(runner) -> None:
    result = runner.invoke(cli, ["validate", str(ROOT)])
    assert result.exit_code == 0, result.output
    project, _ = load_project(ROOT)
    assert [d.id for d in project.demands] == [f"D{i}" for i in range(1, 11)]
    assert [g.id for g in project.demands_file.groups] == ["accountability", "decency", "support"]
    groups = {d.id: d.group for d in project.demands}
    assert [groups[f"D{i}"] for i in range(1, 11)] == (
        ["accountability"] * 3 + ["decency"] * 5 + ["support"] * 2
    )
    assert len(project.responses) >= 20
    assert all(d.title.get("ar") for d in project.demands), "every title has an Arabic version"
    assert any(not r.addresses for r in project.responses), "a response that addresses nothing"


def test_every_response_is_dated_and_sourced() -> None:
    project, _ = load_project(ROOT)
    seeds = {
        "000_607052b6cfb3ac09.txt",
        "001_5c0f9864acba1488.txt",
        "002_de27ef7b41b05bf1.txt",
        "003_12683b82502ac759.txt",
        "004_3c4bf9b6cb304b78.txt",
    }
    cited = set()
    for response in project.responses:
        assert dt.date(2020, 6, 1) <= response.date <= dt.date(2021, 12, 31), response.id
        assert response.sources
        for source in response.sources:
            assert source.url or source.seed
            if source.seed:
                assert source.seed in seeds, f"{response.id}: unknown seed {source.seed}"
                cited.add(source.seed)
    assert cited == seeds, f"seed articles never cited: {seeds - cited}"


def _status(runner, *args: str) -> dict:
    result = runner.invoke(cli, ["status", str(ROOT), "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_july_7_checkpoint_only_the_civil_rights_demand_is_positive(runner) -> None:
    """What the organizers said after the July 7, 2020 meeting: their ruling, not Facebook's
    meeting, sets D1 to partial, and the other nine are not positive."""
    doc = _status(runner, "--as-of", "2020-07-07")
    statuses = {d["id"]: d["status"] for d in doc["demands"]}
    positive = [d["id"] for d in doc["demands"] if d["positive"]]
    assert positive == ["D1"]
    assert statuses["D1"] == "partial"
    assert doc["demands"][0]["cause"]["kind"] == "ruling"
    assert doc["demands"][0]["cause"]["id"] == "shfp-2020-07-07-post-meeting-statement"
    for demand in doc["demands"][1:]:
        assert demand["status"] not in ("met", "partial", "promised"), demand["id"]
    # the coalition's own words on D5 and D10, the rest not addressed
    assert statuses["D5"] == statuses["D10"] == "refused"
    assert {statuses[f"D{i}"] for i in (2, 3, 4, 6, 7, 8, 9)} == {"not-addressed"}


def test_the_meeting_carries_no_verdict_of_the_coalition() -> None:
    project, _ = load_project(ROOT)
    meeting = next(r for r in project.responses if r.id == "fb-2020-07-07-meeting-with-organizers")
    assert [link.demand for link in meeting.addresses] == [f"D{i}" for i in range(1, 11)]
    assert {link.verdict.value for link in meeting.addresses} == {"none"}
    # the note sends the reader to the coalition's ruling of the same day, which exists
    assert "recorded as the coalition's ruling of the same day" in meeting.note["en"]
    ruling = next(
        a for a in project.assessments if a.id == "shfp-2020-07-07-post-meeting-statement"
    )
    assert str(ruling.date) == str(meeting.date)


def test_rulings_and_causes_later(runner) -> None:
    end_2020 = {d["id"]: d for d in _status(runner, "--as-of", "2020-12-31")["demands"]}
    assert end_2020["D1"]["status"] == "partial"
    assert end_2020["D1"]["cause"] == {
        "kind": "ruling",
        "date": "2020-08-14",
        "id": "shfp-2020-08-report-card",
        "by": "Stop Hate for Profit coalition",
    }
    assert end_2020["D2"]["status"] == "promised"
    assert end_2020["D2"]["cause"]["id"] == "fb-2020-08-11-enforcement-report-audit"
    assert end_2020["D10"]["status"] == "refused"
    assert end_2020["D10"]["cause"]["kind"] == "ruling"
    # the default as-of is campaign.reviewed
    doc = _status(runner)
    assert doc["as_of"] == doc["reviewed"] == "2021-09-30"
    reviewed = {d["id"]: d for d in doc["demands"]}
    assert reviewed["D1"]["cause"]["id"] == "fb-2021-01-11-roy-austin-vp-civil-rights"
    assert [d for d in reviewed if reviewed[d]["positive"]] == [
        "D1",
        "D2",
        "D4",
        "D5",
        "D6",
        "D7",
        "D8",
    ]


def test_assessments_asked_reviewed_and_claims() -> None:
    project, _ = load_project(ROOT)
    assert project.campaign.reviewed == dt.date(2021, 9, 30)
    assert [a.id for a in project.assessments] == [
        "shfp-2020-06-29-update-to-advertisers",
        "shfp-2020-07-07-post-meeting-statement",
        "shfp-2020-07-30-ad-pause-statement",
        "shfp-2020-08-report-card",
        "shfp-2021-06-one-year-update",
    ]
    assert sum(len(a.rulings) for a in project.assessments) == 17
    assert all(a.sources and a.note and a.target == "facebook" for a in project.assessments)
    assert project.assessments[-1].date.isoformat() == "2021-06"  # a month-only date
    targets = {t.id: t for t in project.targets}
    assert targets["facebook"].asked.date == dt.date(2020, 6, 17)
    assert targets["facebook"].asked.demands == [f"D{i}" for i in range(1, 11)]
    for other in ("youtube", "twitter"):
        assert targets[other].asked.demands == []
        assert "Compared, not asked" in targets[other].note["en"]
    audit = next(r for r in project.responses if r.id == "fb-2020-08-11-enforcement-report-audit")
    assert [link.claimed for link in audit.addresses if link.demand == "D2"] == [
        "we will undergo an independent, third-party audit, starting in 2021"
    ]


def test_every_source_has_a_real_headline() -> None:
    """No made-up titles, no editors' glosses inside titles, no titles cut by a ' #'."""
    project, _ = load_project(ROOT)
    sources = [*project.campaign.sources]
    sources += [s for d in project.demands for s in d.sources]
    sources += [s for r in project.responses for s in r.sources]
    sources += [s for a in project.assessments for s in a.sources]
    for source in sources:
        title = source.title
        assert "not recorded" not in title, title
        assert not title.endswith(
            ("(Reuters)", "(AP)", "(AFP)", "(repost)", "reposted)", "(lists the 10 asks)")
        ), title
        assert not title.endswith((" and", " to")), f"cut short by a ' #': {title}"
    hosts = " ".join(s.url or "" for s in sources)
    for gone in (
        "nydailynews.com",
        "upnewsinfo.com",
        "onenewspage.com",
        "10-things-need-know-today",
        "washingtonpost.com",
    ):
        assert gone not in hosts, gone
    assert "reuters.com/article/global-race-usa-wisconsin-facebook" in hosts


def test_example_changes_over_time() -> None:
    project, _ = load_project(ROOT)
    before = scorecard(project, dt.date(2020, 6, 1))
    assert all(r.status is Status.not_yet_made for r in before.demands)  # launched June 17
    first = scorecard(project, dt.date(2020, 6, 17))
    assert all(r.status is Status.no_response for r in first.demands)
    later = scorecard(project, dt.date(2021, 7, 1))
    assert sum(r.status in POSITIVE for r in later.demands) > 1


@pytest.mark.slow
def test_example_builds_all_three(runner, example: Path) -> None:
    result = runner.invoke(cli, ["build", str(example)])
    assert result.exit_code == 0, result.output
    per_demand = {
        f"badge{t}.D{i}.svg" for t in ("", ".youtube", ".twitter") for i in range(1, 11)
    }  # test_sharing.py
    assert sorted(p.name for p in (example / "output").iterdir() if p.name not in per_demand) == [
        "badge.facebook.svg",
        "badge.svg",
        "badge.twitter.svg",
        "badge.youtube.svg",
        "evidence.html",
        "evidence.twitter.html",
        "evidence.youtube.html",
        "feed.xml",
        "scorecard.html",
        "scorecard.json",
        "scorecard.pdf",
        "scorecard.twitter.html",
        "scorecard.twitter.pdf",
        "scorecard.youtube.html",
        "scorecard.youtube.pdf",
        "sources",  # the copies of the source articles, linked as archived copies
    ]
