"""The bundled example: #StopHateForProfit's ten demands and Facebook's responses."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

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
    assert [g.id for g in project.demands_file.groups] == ["accountability", "decency",
                                                            "support"]
    groups = {d.id: d.group for d in project.demands}
    assert [groups[f"D{i}"] for i in range(1, 11)] == (
        ["accountability"] * 3 + ["decency"] * 5 + ["support"] * 2)
    assert len(project.responses) >= 20
    assert all(d.title.get("ar") for d in project.demands), "every title has an Arabic version"
    assert any(not r.addresses for r in project.responses), "a response that addresses nothing"


def test_every_response_is_dated_and_sourced() -> None:
    project, _ = load_project(ROOT)
    seeds = {"000_607052b6cfb3ac09.txt", "001_5c0f9864acba1488.txt", "002_de27ef7b41b05bf1.txt",
             "003_12683b82502ac759.txt", "004_3c4bf9b6cb304b78.txt"}
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


def test_july_7_checkpoint_only_the_civil_rights_demand_is_positive(runner) -> None:
    """What the organizers said after the July 7, 2020 meeting."""
    result = runner.invoke(cli, ["status", str(ROOT), "--as-of", "2020-07-07", "--format",
                                 "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    positive = [d["id"] for d in doc["demands"] if d["positive"]]
    assert positive == ["D1"]
    assert doc["demands"][0]["status"] == "partial"


def test_example_changes_over_time() -> None:
    project, _ = load_project(ROOT)
    before = scorecard(project, dt.date(2020, 6, 1))
    assert all(r.status is Status.no_response for r in before.demands)
    later = scorecard(project, dt.date(2021, 7, 1))
    assert sum(r.status in POSITIVE for r in later.demands) > 1


def test_example_builds_all_three(runner, example: Path) -> None:
    result = runner.invoke(cli, ["build", str(example)])
    assert result.exit_code == 0, result.output
    per_demand = {f"badge{t}.D{i}.svg" for t in ("", ".youtube", ".twitter")
                  for i in range(1, 11)}  # test_sharing.py
    assert sorted(p.name for p in (example / "output").iterdir()
                  if p.name not in per_demand) == [
        "badge.facebook.svg", "badge.svg", "badge.twitter.svg", "badge.youtube.svg", "feed.xml",
        "scorecard.html", "scorecard.json", "scorecard.pdf", "scorecard.twitter.html",
        "scorecard.twitter.pdf", "scorecard.youtube.html", "scorecard.youtube.pdf"]
