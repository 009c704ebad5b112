"""scorecard suggest: ranked links with the words that matched, across languages, measured."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, snapshot

from scorecard.cli import cli
from scorecard.cli import options as cli_options
from scorecard.model import Response
from scorecard.suggest import Matcher, evaluate, precision_recall, suggest, tokens
from scorecard.validate import load_project


def test_precision_recall_computation() -> None:
    gold = {"a": {"D1"}, "b": {"D2", "D3"}, "c": {"D4"}, "d": set()}
    ranked = {"a": ["D1", "D2", "D3"], "b": ["D1", "D3", "D4"], "c": ["D9", "D8", "D7", "D4"]}
    result = precision_recall(ranked, gold)
    assert result.responses == 3  # 'd' has no links: not labelled
    assert result.precision_at_1 == round(1 / 3, 3)  # only 'a' is right first
    assert result.recall_at_3 == round((1 + 0.5 + 0) / 3, 3)  # D4 of 'c' is fourth
    assert precision_recall({}, {}).responses == 0


def test_suggestions_find_the_hidden_links_of_the_example() -> None:
    project, _ = load_project(ROOT)
    result = evaluate(project)
    assert result.responses == sum(1 for r in project.responses if r.addresses)
    assert result.precision_at_1 >= 0.8
    assert result.recall_at_3 >= result.precision_at_1 - 0.2


def test_eval_script_runs_on_both_labelled_campaigns() -> None:
    out = subprocess.run([sys.executable, str(ROOT / "scripts" / "eval_suggest.py")],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    lines = out.splitlines()
    assert lines[0].split() == ["campaign", "labelled", "P@1", "R@3"]
    project, _ = load_project(ROOT)
    labelled = sum(1 for r in project.responses if r.addresses)
    assert lines[1].startswith("#StopHateForProfit") and lines[1].split()[1] == str(labelled)
    assert lines[2].startswith("Google Walkout for Real Change")


def test_the_matcher_never_reads_links() -> None:
    project, _ = load_project(ROOT)
    stripped = project.model_copy(update={"responses_file": project.responses_file.model_copy(
        update={"responses": [r.model_copy(update={"addresses": []})
                              for r in project.responses]})})
    a, b = Matcher(project), Matcher(stripped)
    for r in project.responses[:5]:
        assert a.rank_demands(r.id) == b.rank_demands(r.id)


ARABIC = {
    "D1": "عيّنت فيسبوك نائبا للرئيس للحقوق المدنية",
    "D4": "حظرت فيسبوك مجموعات الميليشيات وحذفت صفحات نظريات المؤامرة",
    "D6": "توقفت فيسبوك عن التوصية بالمجموعات السياسية للمستخدمين",
    "D3": "عرضت فيسبوك على المعلنين تدقيقا مستقلا لسلامة العلامات التجارية",
}


@pytest.mark.parametrize("demand", list(ARABIC))
def test_an_arabic_summary_finds_the_english_demand(demand: str) -> None:
    project, _ = load_project(ROOT)
    response = Response.model_validate(
        {"id": "ar-1", "date": "2020-07-01", "kind": "statement", "summary": {"ar": ARABIC[demand]},
         "sources": [{"title": "مقال", "url": "https://example.org/a", "lang": "ar"}]},
        context={"lang": "en"})
    project = project.model_copy(update={"responses_file": project.responses_file.model_copy(
        update={"responses": [*project.responses, response]})})
    found = suggest(project).for_responses["ar-1"]
    assert found[0].demand == demand
    assert len(found) == 1 or found[0].score > found[1].score
    assert all("\u0600" <= ch <= "\u06ff" or ch == " " for ch in "".join(found[0].matched))


def test_tokens_stem_each_language() -> None:
    assert [w for _, w in tokens("عيّنتْ فيسبوكُ", "en")] == ["عينت"]  # marks dropped, one word
    assert [s for s, _ in tokens("Recommending groups", "en")] == ["recommend", "group"]
    assert [w for _, w in tokens("the groups of الحقوق", "en")] == ["groups", "الحقوق"]


def test_suggest_command_lists_ranked_links_with_matched_words(runner, example: Path) -> None:
    result = runner.invoke(cli, ["suggest", str(example)])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    data = json.loads(runner.invoke(cli, ["suggest", str(example), "--format", "json"]).output)
    assert lines[0] == "Responses without links, and the demands they may be about:"
    assert lines[1] == "  fb-2020-06-17-clegg-press-call"
    best = data["responses"]["fb-2020-06-17-clegg-press-call"][0]
    assert re.fullmatch(rf"    1\. {best['demand']} .+  score {best['score']:.3f}  matched: "
                        + re.escape(", ".join(best["matched"])), lines[2])
    assert best["matched"] and lines[3] == f"       «{best['passage']}»"
    ranked = [x for x in lines[2:8] if " score " in x]
    scores = [float(x.split("score ")[1].split()[0]) for x in ranked]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True)
    assert set(data["responses"]) == {"fb-2020-06-17-clegg-press-call",
                                      "fb-2020-07-07-sandberg-post",
                                      "fb-2020-07-07-post-meeting-statement",
                                      "fb-2021-05-05-oversight-board-trump-decision"}
    assert data["demands"] == {}


def test_apply_yes_writes_links_above_the_min_score(runner, example: Path) -> None:
    before = snapshot(example)
    result = runner.invoke(cli, ["suggest", str(example), "--apply", "--yes"])
    assert result.exit_code == 2 and "--yes needs --apply and --min-score" in result.output
    result = runner.invoke(cli, ["suggest", str(example), "--apply"])
    assert result.exit_code == 2 and "without one, give --yes and --min-score" in result.output
    assert snapshot(example) == before
    listed = json.loads(runner.invoke(cli, ["suggest", str(example), "--format", "json",
                                            "--min-score", "0.12"]).output)
    expected = [f"{r} -> {x['demand']}: linked, verdict none"
                for r, xs in listed["responses"].items() for x in xs]
    assert expected, "the example should have suggestions above 0.12"
    result = runner.invoke(cli, ["suggest", str(example), "--apply", "--yes", "--min-score",
                                 "0.12"])
    assert result.exit_code == 0, result.output
    applied = [x for x in result.output.splitlines() if "linked, verdict none" in x]
    assert applied == expected
    first = next(xs[0] for xs in listed["responses"].values() if xs)
    text = (example / "responses.yaml").read_text(encoding="utf-8")
    assert f"Suggested by scorecard suggest (score {first['score']:.3f}" in text
    assert runner.invoke(cli, ["validate", str(example)]).exit_code == 0


def test_apply_asks_on_a_terminal(runner, mini: Path, monkeypatch) -> None:
    monkeypatch.setattr(cli_options, "interactive", lambda: True)
    (mini / "responses.yaml").write_text(
        (mini / "responses.yaml").read_text(encoding="utf-8").replace(
            "summary: We invest billions in safety.",
            "summary: We will submit to independent audits."), encoding="utf-8")
    result = runner.invoke(cli, ["suggest", str(mini), "--apply", "--top", "1"],
                           input="y\npromised\n")
    assert result.exit_code == 0, result.output
    assert "Link r3 -> D2 (Independent audits)? [y/N]: y" in result.output
    assert "r3 -> D2: linked, verdict promised" in result.output


def test_demands_without_responses_get_likely_responses(runner, mini: Path) -> None:
    path = mini / "responses.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "      - demand: D2\n        verdict: none\n", "").replace(
        "summary: We invest billions in safety.",
        "summary: We will submit to independent audits of our safety work."), encoding="utf-8")
    result = runner.invoke(cli, ["suggest", str(mini), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    best = data["demands"]["D2"][0]
    assert (best["response"], best["demand"]) == ("r3", "D2")
    assert best["passage"] == "We will submit to independent audits of our safety work."
    assert "audits" in best["matched"] and "independent" in best["matched"]


def test_the_concept_list_bridges_languages_when_the_demand_is_english_only(mini: Path) -> None:
    # D2 "Independent audits" and D3 "Remove hate groups" have no Arabic text at all
    project, _ = load_project(mini)
    extra = [Response.model_validate(
        {"id": rid, "date": "2020-09-01", "kind": "statement", "summary": {"ar": text},
         "sources": [{"title": "مقال", "url": "https://example.org/a"}]}, context={"lang": "en"})
        for rid, text in (("ar-audit", "وافقت الشركة على تدقيق مستقل"),
                          ("ar-groups", "حذفت الشركة مجموعات الكراهية"))]
    project = project.model_copy(update={"responses_file": project.responses_file.model_copy(
        update={"responses": [*project.responses, *extra]})})
    found = suggest(project).for_responses
    assert found["ar-audit"][0].demand == "D2"
    assert found["ar-groups"][0].demand == "D3"
    assert "تدقيق" in found["ar-audit"][0].matched
