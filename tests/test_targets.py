"""Several targets: the format and its errors, the matrix against each target's status computed on
its own, per-target pages, the score over time against --as-of, and single-target campaigns as
before."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import replace_once, snapshot

from scorecard.cli import cli


def alone(project: Path, dest: Path, target: str, name: str) -> Path:
    """A copy of a campaign holding only one target's responses, with no targets list: its
    statuses are computed without any of the multi-target code paths."""
    import yaml

    dest.mkdir()
    demands = yaml.safe_load((project / "demands.yaml").read_text(encoding="utf-8"))
    primary = demands["campaign"]["target"]
    primary_id = next(t["id"] for t in demands["targets"] if t["name"] == primary)
    demands.pop("targets")
    demands["campaign"]["target"] = name
    responses = yaml.safe_load((project / "responses.yaml").read_text(encoding="utf-8"))
    mine = [r for r in responses["responses"] if r.pop("target", primary_id) == target]
    (dest / "demands.yaml").write_text(yaml.safe_dump(demands, allow_unicode=True), "utf-8")
    (dest / "responses.yaml").write_text(
        yaml.safe_dump({"responses": mine}, allow_unicode=True), "utf-8"
    )
    return dest


def status_json(runner, project: Path, as_of: str) -> dict:
    result = runner.invoke(cli, ["status", str(project), "--as-of", as_of, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def build(runner, project: Path, *args: str) -> Path:
    result = runner.invoke(cli, ["build", str(project), "--format", "html,json", *args])
    assert result.exit_code == 0, result.output
    return project / "output"


# --------------------------------------------------------------------------- format and errors


def test_single_target_campaign_is_as_before(runner, mini: Path) -> None:
    out = build(runner, mini, "--as-of", "2020-12-01")
    doc = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    assert [t["id"] for t in doc["targets"]] == ["examplecorp"]
    assert doc["targets"][0]["name"] == "ExampleCorp" and doc["targets"][0]["primary"]
    assert doc["targets"][0]["statuses"] == {d["id"]: d["status"] for d in doc["demands"]}
    assert doc["targets"][0]["score"]["percent"] == doc["score"]["percent"] == 12.5
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    assert 'id="matrix"' not in html  # a matrix of one column says nothing
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [
            "badge.svg",
            "evidence.html",
            "feed.xml",
            "scorecard.html",
            "scorecard.json",
            *(f"badge.D{i}.svg" for i in range(1, 5)),
        ]
    )  # a badge per demand (test_sharing.py)


def test_multi_target_validates(runner, multi: Path) -> None:
    result = runner.invoke(cli, ["validate", str(multi)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        (
            "responses.yaml",
            "    target: rival\n    date: 2020-07-01",
            "    target: rivl\n    date: 2020-07-01",
            (
                "responses.yaml:51:13: responses[4].target: 'rivl' is not a target in demands.yaml; did "
                "you mean 'rival'?"
            ),
        ),
        (
            "demands.yaml",
            "  - id: rival\n",
            "  - id: examplecorp\n",
            (
                "demands.yaml:12:9: targets[1].id: 'examplecorp' is already the id of another target "
                "(line 10); ids must be unique: rename one"
            ),
        ),
        (
            "demands.yaml",
            "  target: ExampleCorp\n",
            "  target: ExampleCrop\n",
            (
                "demands.yaml:4:11: campaign.target: 'ExampleCrop' is not the name of any target in "
                "'targets'; campaign.target names the primary target, so it must be one of the names "
                "listed; did you mean 'ExampleCorp'?"
            ),
        ),
        (
            "demands.yaml",
            "    name: RivalCorp\n",
            "    name: ExampleCorp\n",
            (
                "demands.yaml:13:11: targets[1].name: 'ExampleCorp' is already the name of another target "
                "(line 11); give each target its own name"
            ),
        ),
        (
            "demands.yaml",
            "  - id: rival\n",
            "  - id: Rival\n",
            (
                "responses.yaml:51:13: responses[4].target: 'rival' is not a target in demands.yaml; did "
                "you mean 'Rival'?"
            ),
        ),
        (
            "demands.yaml",
            "    name: RivalCorp\n",
            "    nme: RivalCorp\n",
            "demands.yaml:13:5: targets[1].nme: 'nme' is not a known key; did you mean 'name'?",
        ),
    ],
)
def test_target_errors(runner, multi: Path, file: str, old: str, new: str, message: str) -> None:
    replace_once(multi / file, old, new)
    before = snapshot(multi)
    result = runner.invoke(cli, ["build", str(multi)])
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    assert snapshot(multi) == before  # nothing written, no file touched


def test_target_without_a_targets_list(runner, mini: Path) -> None:
    replace_once(mini / "responses.yaml", "  - id: r1\n", "  - id: r1\n    target: rival\n")
    result = runner.invoke(cli, ["validate", str(mini)])
    assert result.exit_code == 1
    assert (
        "responses.yaml:3:13: responses[0].target: 'rival' is not a target: demands.yaml "
        "has no 'targets' list; add one (id and name of each target) or remove 'target'"
    ) in result.output


# --------------------------------------------------------------------------- the matrix


def matrix_cells(html: str) -> dict[tuple[str, str], str]:
    """(target, demand) -> status, read from the matrix's cells and their badge text."""
    section = html[html.index('id="matrix"') : html.index("</section>", html.index('id="matrix"'))]
    cells = {}
    for row in re.findall(
        r"<tr>\s*<th scope=\"row\"><span class=\"did\">(\w+)</span>(.*?)</tr>", section, re.S
    ):
        demand, rest = row
        for target, status, body in re.findall(
            r'<td data-target="([\w-]+)" data-status="([\w/-]+)">(.*?)</td>', rest, re.S
        ):
            cells[(target, demand)] = status
            assert f"{demand}: </span>" in body  # the cell says which demand, for screen readers
    return cells


def test_matrix_agrees_with_each_target_alone(runner, multi: Path, tmp_path: Path) -> None:
    out = build(runner, multi, "--as-of", "2020-12-01")
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    cells = matrix_cells(html)
    for target, name in (("examplecorp", "ExampleCorp"), ("rival", "RivalCorp")):
        own = status_json(runner, alone(multi, tmp_path / target, target, name), "2020-12-01")
        for d in own["demands"]:
            assert cells[(target, d["id"])] == d["status"], (target, d["id"])
    assert cells[("rival", "D1")] == "met" and cells[("rival", "D3")] == "refused"
    assert cells[("examplecorp", "D1")] == "partial"
    # The cells link to each target's evidence for the demand.
    assert 'href="scorecard.rival.html#D3"' in html and 'href="scorecard.html#D1"' in html


def test_per_target_pages_and_json(runner, multi: Path, tmp_path: Path) -> None:
    out = build(runner, multi, "--as-of", "2020-12-01")
    doc = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    # The top-level fields stay the primary target's.
    assert doc["campaign"]["target"] == "ExampleCorp"
    assert {r["id"] for r in doc["responses"]} == {"r1", "r2", "r3", "r4"}
    assert doc["score"]["summary"] == "0 of 3 met, 1 partly"
    rival = doc["targets"][1]
    assert rival["id"] == "rival" and rival["name"] == "RivalCorp" and not rival["primary"]
    assert rival["score"]["summary"] == "1 of 3 met" and rival["score"]["percent"] == 25.0
    assert rival["statuses"] == {"D1": "met", "D2": "no-response", "D3": "refused", "D4": "n/a"}
    assert rival["evidence"]["D3"] == ["q1", "q2"]
    assert rival["page"] == "scorecard.rival.html"
    page = (out / "scorecard.rival.html").read_text(encoding="utf-8")
    assert "Demands made of <strong>RivalCorp</strong>" in page
    assert 'id="r-q2-D3"' in page and 'id="r-r1-D3"' not in page
    assert "Targets compared" in page
    # Escaped like all text from YAML, on the target's evidence page.
    evidence = (out / "evidence.rival.html").read_text(encoding="utf-8")
    assert (
        'href="evidence.rival.html#r-q2"' in page and 'href="scorecard.rival.html#D3"' in evidence
    )
    assert (
        "=HYPERLINK(&#34;https://example.org&#34;)" in evidence
        or "=HYPERLINK(&quot;https://example.org&quot;)" in evidence
    )


def test_status_json_carries_the_targets(runner, multi: Path) -> None:
    doc = status_json(runner, multi, "2020-12-01")
    built = build(runner, multi, "--as-of", "2020-12-01")
    written = json.loads((built / "scorecard.json").read_text(encoding="utf-8"))
    assert written["provenance"].pop("build") and doc["provenance"].pop("build") is None
    assert written == doc
    assert [t["id"] for t in doc["targets"]] == ["examplecorp", "rival"]


# --------------------------------------------------------------------------- over time


def test_score_history_is_the_as_of_score(runner, multi: Path, tmp_path: Path) -> None:
    doc = json.loads(
        (build(runner, multi, "--as-of", "2020-12-01") / "scorecard.json").read_text(
            encoding="utf-8"
        )
    )
    for target in doc["targets"]:
        history = target["score_history"]
        assert history[0]["date"] == "2020-06-01"  # the launch, before any response
        assert history[-1]["date"] == "2020-12-01"  # the as-of date
        assert history[-1]["percent"] == target["score"]["percent"]
        own = alone(multi, tmp_path / target["id"], target["id"], target["name"])
        for point in history:
            assert (
                status_json(runner, own, point["date"])["score"]["percent"] == point["percent"]
            ), (target["id"], point)
        # Between two points the score does not change: check every response's date too.
        days = {r["date"] for r in status_json(runner, own, "2020-12-01")["responses"]}
        for day in days | {"2020-09-01"}:
            step = [p for p in history if p["date"] <= day][-1]
            assert status_json(runner, own, day)["score"]["percent"] == step["percent"], day
    rival = [(p["date"], p["percent"]) for p in doc["targets"][1]["score_history"]]
    # D1 met (weight 1) out of D1, D2 (weight 2), D3 and D4 (n/a from 2020-09-01).
    # 2020-10-01 (D3 promised -> refused) changes neither the percent nor the summary.
    assert rival == [
        ("2020-06-01", 0.0),  # the launch; nothing changes on 2020-06-30 (not the rival's)
        ("2020-07-01", 20.0),
        ("2020-09-01", 25.0),
        ("2020-12-01", 25.0),
    ]


def test_changes_follow_the_history(runner, multi: Path) -> None:
    doc = json.loads(
        (build(runner, multi, "--as-of", "2020-12-01") / "scorecard.json").read_text(
            encoding="utf-8"
        )
    )
    rival = doc["targets"][1]["changes"]
    assert [(c["date"], c["demand"], c["from"], c["to"], c["responses"]) for c in rival] == [
        ("2020-07-01", "D1", "no-response", "met", ["q1"]),
        ("2020-07-01", "D3", "no-response", "promised", ["q1"]),
        ("2020-09-01", "D4", "no-response", "n/a", []),
        ("2020-10-01", "D3", "promised", "refused", ["q2"]),
    ]
    steps = sum(len(d["history"]) for d in doc["demands"])
    assert len(doc["targets"][0]["changes"]) == steps


def test_example_targets_have_sourced_responses(example: Path) -> None:
    import yaml

    demands = yaml.safe_load((example / "demands.yaml").read_text(encoding="utf-8"))
    assert [t["id"] for t in demands["targets"]] == ["facebook", "youtube", "twitter"]
    responses = yaml.safe_load((example / "responses.yaml").read_text(encoding="utf-8"))
    for target, prefix in (("youtube", "yt"), ("twitter", "tw")):
        mine = [r for r in responses["responses"] if r.get("target") == target]
        assert 5 <= len(mine) <= 15
        for r in mine:
            assert r["id"].startswith(f"{prefix}-{r['date']}-")  # ids say whose and when
            assert r["sources"] and all(s["url"].startswith("http") for s in r["sources"])
            assert r["addresses"] and all(a.get("reason") for a in r["addresses"])


def test_example_builds_everything(runner, example: Path) -> None:
    import sqlite3

    from defusedxml import ElementTree

    result = runner.invoke(
        cli, ["build", str(example), "--as-of", "2021-12-31", "--format", "html,json,csv,sqlite"]
    )
    assert result.exit_code == 0, result.output
    out = example / "output"
    demand_badges = {
        f"badge{t}.D{i}.svg" for t in ("", ".youtube", ".twitter") for i in range(1, 11)
    }  # a badge per demand (test_sharing.py)
    demand_badges |= {"datapackage.json", "metadata.json"}  # test_datapackage.py
    assert sorted(p.name for p in out.iterdir() if p.name not in demand_badges) == [
        "badge.facebook.svg",
        "badge.svg",
        "badge.twitter.svg",
        "badge.youtube.svg",
        "demands.csv",
        "evidence.html",
        "evidence.twitter.html",
        "evidence.youtube.html",
        "feed.xml",
        "responses.csv",
        "rulings.csv",
        "scorecard.html",
        "scorecard.json",
        "scorecard.sqlite",
        "scorecard.twitter.html",
        "scorecard.youtube.html",
        "sources",  # the copies of the source articles
        "targets.csv",
    ]
    doc = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    cells = matrix_cells((out / "scorecard.html").read_text(encoding="utf-8"))
    assert len(cells) == 30
    for t in doc["targets"]:
        assert {d: cells[(t["id"], d)] for d in t["statuses"]} == t["statuses"]
    youtube = doc["targets"][1]
    assert youtube["name"] == "YouTube" and youtube["responses"] == 7
    # YouTube was compared, not asked: every cell says so, with what its own responses did
    assert set(youtube["statuses"].values()) == {"not-asked"} and youtube["asked_nothing"]
    assert youtube["unasked_statuses"]["D4"] == "partial"
    assert youtube["unasked_statuses"]["D1"] == "no-response"
    feed = ElementTree.fromstring((out / "feed.xml").read_bytes())
    entries = feed.findall("{http://www.w3.org/2005/Atom}entry")
    assert len(entries) == sum(len(t["changes"]) for t in doc["targets"]) > 10
    # A target compared, not asked, gets no score anywhere: not "0 of 0 met", not "0%"
    page = (out / "scorecard.youtube.html").read_text(encoding="utf-8")
    finding = page[
        page.index('<section class="headline"') : page.index(
            "</section>", page.index('<section class="headline"')
        )
    ]
    assert '<span class="big">Not scored</span>' in finding
    assert "0 of 0" not in page and "Score 0%" not in finding
    assert "10 demands are left out of the score" in finding
    assert 'Demands made of <bdi dir="ltr">Facebook</bdi>' in page  # not "made of YouTube"
    badge = (out / "badge.youtube.svg").read_text(encoding="utf-8")
    assert ">not scored</text>" in badge and "0/0" not in badge and "(0%)" not in badge
    assert ">0 of 10 met, 5 partly</text>" in (out / "badge.svg").read_text(
        encoding="utf-8"
    )  # Facebook's
    # the page says how rulings set a status, and keys the colours of the timeline's bars
    main = (out / "scorecard.html").read_text(encoding="utf-8")
    assert "Each dated ruling of the assessor" in main
    start = main.index('<ul class="legend tl-key"')
    key = main[start : main.index("</ul>", start)]
    assert key.count("<li>") >= 4 and "Partly met" in key and "Refused" in key
    db = sqlite3.connect(out / "scorecard.sqlite")
    try:
        assert db.execute("SELECT count(*) FROM responses").fetchone() == (42,)
    finally:
        db.close()


@pytest.mark.parametrize("rule", ["latest", "best"])
def test_score_history_equals_scorecard_at_every_date(example: Path, rule: str) -> None:
    """The history-based score over time against scorecard() run as of each date (the slow,
    obvious way), for both targets of the example and both rules."""
    import datetime as dt

    from scorecard.build import load
    from scorecard.document import score_history
    from scorecard.match import scorecard
    from scorecard.model import Rule
    from scorecard.vocabulary import score_summary

    project, _ = load(example)
    as_of = dt.date(2021, 12, 31)
    for target in project.targets:
        sub = project.for_target(target.id)
        history = score_history(scorecard(sub, as_of, Rule(rule)), dt.date(2020, 6, 1))
        days = sorted({r.date for r in sub.responses} | {dt.date(2020, 6, 1), as_of})
        for day in days:
            step = [p for p in history if p["date"] <= day.isoformat()][-1]
            direct = scorecard(sub, day, Rule(rule)).score
            summary = score_summary(
                {s.value: n for s, n in direct.counts.items()}, direct.applicable
            )
            assert (step["percent"], step["summary"]) == (direct.percent, summary), day


def test_status_per_target(runner, multi: Path) -> None:
    result = runner.invoke(
        cli, ["status", str(multi), "--as-of", "2020-12-01", "--target", "rival"]
    )
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].split()[:3] == ["D1", "Met", "2020-07-01"]
    assert lines[3].split()[:2] == ["D3", "Refused"]
    assert "Mini campaign, RivalCorp: 1 of 3 met (25%) as of 2020-12-01" in result.stdout
    assert (
        "Targets: ExampleCorp (examplecorp) 0 of 3 met, 1 partly (12.5%); RivalCorp "
        "(rival) 1 of 3 met (25%)"
    ) in result.stdout
    doc = json.loads(
        runner.invoke(
            cli,
            [
                "status",
                str(multi),
                "--as-of",
                "2020-12-01",
                "--target",
                "rival",
                "--format",
                "json",
            ],
        ).stdout
    )
    assert doc["target_id"] == "rival" and doc["campaign"]["target"] == "RivalCorp"
    assert {d["id"]: d["status"] for d in doc["demands"]} == doc["targets"][1]["statuses"]
    bad = runner.invoke(cli, ["status", str(multi), "--target", "rivl"])
    assert bad.exit_code == 2
    assert "'rivl' is not a target of this campaign; use one of: examplecorp, rival" in bad.output


def test_a_target_id_that_is_a_language_code_is_refused(runner, example: Path) -> None:
    """Target 'ar' would write its English page as scorecard.ar.html, the Arabic page's name:
    one would silently replace the other."""
    for name in ("demands.yaml", "responses.yaml"):
        path = example / name
        text = path.read_text(encoding="utf-8")
        path.write_text(
            text.replace("  - id: youtube\n", "  - id: ar\n").replace(
                "target: youtube", "target: ar"
            ),
            encoding="utf-8",
        )
    out = example / "built"
    result = runner.invoke(cli, ["build", str(example), "--format", "html", "--out", str(out)])
    assert result.exit_code == 1
    assert "targets[1].id: 'ar' is also a language code" in result.output
    assert "give it another id, e.g. 'ar-org'" in result.output and not out.exists()
