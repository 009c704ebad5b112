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


@pytest.mark.slow
def test_eval_script_measures_every_labelled_campaign_with_its_links_removed(tmp_path) -> None:
    out = subprocess.run(
        [
            sys.executable,
            str(ROOT / "scripts" / "eval_suggest.py"),
            str(ROOT),
            str(ROOT / "examples" / "google-walkout"),
            str(ROOT / "examples" / "qatar-workers"),
        ],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
    ).stdout
    lines = out.splitlines()
    assert [c.strip() for c in lines[0].strip("|").split("|")] == [
        "campaign",
        "role",
        "demands",
        "labelled responses",
        "P@1",
        "R@3",
        "group@1",
        "shown",
        "P@1 shown",
        "sure",
        "P@1 sure",
    ]
    rows = [[c.strip() for c in line.strip("|").split("|")] for line in lines[2:5]]
    project, _ = load_project(ROOT)
    labelled = sum(1 for r in project.responses if r.addresses)
    assert rows[0][0] == "#StopHateForProfit" and rows[0][3] == str(labelled)
    assert rows[1][0] == "Google Walkout for Real Change" and rows[1][6] == "-"  # no groups
    assert rows[2][0].startswith("Migrant workers")
    assert all(0 <= float(v) <= 1 for row in rows for v in row[4:] if v != "-")
    # --write replaces the text between its markers and keeps the rest
    out_md = tmp_path / "B.md"
    out_md.write_text("# B\n\n<!-- suggest:begin -->\nold\n<!-- suggest:end -->\nKept.\n")
    sys.path.insert(0, str(ROOT / "scripts"))
    import eval_suggest

    eval_suggest.write(out_md, "new\n")
    assert out_md.read_text() == "# B\n\n<!-- suggest:begin -->\nnew\n<!-- suggest:end -->\nKept.\n"


def test_the_evaluation_hides_the_links_it_scores() -> None:
    sys.path.insert(0, str(ROOT / "scripts"))
    import eval_suggest

    project, _ = load_project(ROOT)
    hidden = eval_suggest.without_links(project)
    assert any(r.addresses for r in project.responses)
    assert not any(r.addresses for r in hidden.responses)


def test_the_matcher_never_reads_links() -> None:
    project, _ = load_project(ROOT)
    stripped = project.model_copy(
        update={
            "responses_file": project.responses_file.model_copy(
                update={
                    "responses": [r.model_copy(update={"addresses": []}) for r in project.responses]
                }
            )
        }
    )
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
        {
            "id": "ar-1",
            "date": "2020-07-01",
            "kind": "statement",
            "summary": {"ar": ARABIC[demand]},
            "sources": [{"title": "مقال", "url": "https://example.org/a", "lang": "ar"}],
        },
        context={"lang": "en"},
    )
    project = project.model_copy(
        update={
            "responses_file": project.responses_file.model_copy(
                update={"responses": [*project.responses, response]}
            )
        }
    )
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
    assert re.fullmatch(
        rf"    1\. {best['demand']} .+  score {best['score']:.3f}"
        + (r" \(unsure\)" if best["unsure"] else "")
        + "  matched: "
        + re.escape(", ".join(best["matched"])),
        lines[2],
    )
    assert best["matched"] and lines[3] == f"       «{best['passage']}»"
    ranked = [x for x in lines[2:8] if " score " in x]
    scores = [float(x.split("score ")[1].split()[0]) for x in ranked]
    assert len(scores) == 3 and scores == sorted(scores, reverse=True)
    assert set(data["responses"]) == {
        "fb-2020-06-17-clegg-press-call",
        "fb-2020-07-07-sandberg-post",
        "fb-2020-07-07-post-meeting-statement",
    }
    assert data["demands"] == {}


@pytest.mark.slow
def test_apply_yes_writes_links_above_the_min_score(runner, example: Path) -> None:
    before = snapshot(example)
    result = runner.invoke(cli, ["suggest", str(example), "--apply", "--yes"])
    assert result.exit_code == 2 and "--yes needs --apply and --min-score" in result.output
    result = runner.invoke(cli, ["suggest", str(example), "--apply"])
    assert result.exit_code == 2 and "without one, give --yes and --min-score" in result.output
    assert snapshot(example) == before
    listed = json.loads(
        runner.invoke(
            cli, ["suggest", str(example), "--format", "json", "--min-score", "0.12"]
        ).output
    )
    expected = [
        f"{r} -> {x['demand']}: linked, verdict none"
        for r, xs in listed["responses"].items()
        for x in xs
    ]
    assert expected, "the example should have suggestions above 0.12"
    result = runner.invoke(
        cli, ["suggest", str(example), "--apply", "--yes", "--min-score", "0.12"]
    )
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
        (mini / "responses.yaml")
        .read_text(encoding="utf-8")
        .replace(
            "summary: We invest billions in safety.",
            "summary: We will submit to independent audits.",
        ),
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["suggest", str(mini), "--apply", "--top", "1"], input="y\npromised\n"
    )
    assert result.exit_code == 0, result.output
    assert "Link r3 -> D2 (Independent audits)? [y/N]: y" in result.output
    assert "r3 -> D2: linked, verdict promised" in result.output


def test_demands_without_responses_get_likely_responses(runner, mini: Path) -> None:
    path = mini / "responses.yaml"
    path.write_text(
        path.read_text(encoding="utf-8")
        .replace("      - demand: D2\n        verdict: none\n", "")
        .replace(
            "summary: We invest billions in safety.",
            "summary: We will submit to independent audits of our safety work.",
        ),
        encoding="utf-8",
    )
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
    extra = [
        Response.model_validate(
            {
                "id": rid,
                "date": "2020-09-01",
                "kind": "statement",
                "summary": {"ar": text},
                "sources": [{"title": "مقال", "url": "https://example.org/a"}],
            },
            context={"lang": "en"},
        )
        for rid, text in (
            ("ar-audit", "وافقت الشركة على تدقيق مستقل"),
            ("ar-groups", "حذفت الشركة مجموعات الكراهية"),
        )
    ]
    project = project.model_copy(
        update={
            "responses_file": project.responses_file.model_copy(
                update={"responses": [*project.responses, *extra]}
            )
        }
    )
    found = suggest(project).for_responses
    assert found["ar-audit"][0].demand == "D2"
    assert found["ar-groups"][0].demand == "D3"
    assert "تدقيق" in found["ar-audit"][0].matched


# --------------------------------------------------------------------------- the signals,
# each on a small campaign written for it


def _campaign(
    tmp_path: Path,
    demands: list[dict],
    responses: list[dict],
    groups: list[dict] | None = None,
    launched: str = "2021-01-01",
):
    import yaml

    head = {
        "campaign": {"title": "Test", "target": "ExampleCorp", "launched": launched, "lang": "en"},
        "demands": demands,
    }
    if groups:
        head["groups"] = groups
    for r in responses:
        r.setdefault("kind", "statement")
        r.setdefault("sources", [{"title": "Source", "url": "https://example.org/s"}])
    (tmp_path / "demands.yaml").write_text(yaml.safe_dump(head, allow_unicode=True))
    (tmp_path / "responses.yaml").write_text(
        yaml.safe_dump({"responses": responses}, allow_unicode=True)
    )
    project, _ = load_project(tmp_path)
    return project


PLATFORM = [
    {
        "id": "D1",
        "title": "Publish a transparency report",
        "text": "Publish a quarterly transparency report on content removals.",
    },
    {
        "id": "D2",
        "title": "Hire a civil rights executive",
        "text": "Appoint a senior executive responsible for civil rights.",
    },
    {
        "id": "D3",
        "title": "Refund advertisers",
        "text": "Refund advertisers whose ads appeared next to hateful content.",
    },
    {
        "id": "D4",
        "title": "Human support for harassed users",
        "text": "Let victims of severe harassment speak to a live employee.",
    },
]


def test_a_response_cannot_address_a_demand_made_after_it(tmp_path: Path) -> None:
    text = "The company will publish a quarterly transparency report on content removals."
    project = _campaign(
        tmp_path,
        PLATFORM,
        [
            {"id": "early", "date": "2020-12-01", "summary": text},
            {"id": "late", "date": "2021-02-01", "summary": text},
        ],
    )
    found = suggest(project).for_responses
    assert found["late"][0].demand == "D1"
    assert found["early"] == []  # dated before the campaign was launched: nothing suggested
    ranked = Matcher(project).rank_demands("early")
    assert all(s.score == 0 for s in ranked)
    assert ranked[0].signals == ("dated before the demand was made",)


def test_a_demand_made_date_is_used_when_the_format_gives_one(tmp_path: Path) -> None:
    import datetime as dt
    from types import SimpleNamespace

    from scorecard.suggest import made

    project = _campaign(tmp_path, PLATFORM, [])
    assert made(project.demands[0], project) == dt.date(2021, 1, 1)  # the launch
    later = SimpleNamespace(made=dt.date(2021, 6, 1))
    assert made(later, project) == dt.date(2021, 6, 1)


GROUPED = [
    {
        "id": "A1",
        "group": "moderation",
        "title": "Moderation appeals",
        "text": "Content moderation decisions can be appealed to a person.",
    },
    {
        "id": "A2",
        "group": "moderation",
        "title": "Moderation in every language",
        "text": "Content moderation covers every language spoken by users.",
    },
    {
        "id": "A3",
        "group": "moderation",
        "title": "Moderation statistics",
        "text": "Content moderation figures are published by country.",
    },
    {
        "id": "B1",
        "group": "ads",
        "title": "Political ads library",
        "text": "A library of political ads with who paid, including content moderation of ads.",
    },
    {
        "id": "B2",
        "group": "ads",
        "title": "Ads targeting limits",
        "text": "No ads targeted on sensitive data.",
    },
]
GROUPS = [{"id": "moderation", "title": "Content moderation"}, {"id": "ads", "title": "Ads"}]


def test_words_every_demand_of_a_group_shares_weigh_less_within_the_group(
    tmp_path: Path, monkeypatch
) -> None:
    import scorecard.suggest as sg

    response = {
        "id": "r",
        "date": "2021-03-01",
        "summary": "Content moderation, content moderation and more content moderation, "
        "now in every language.",
    }
    project = _campaign(tmp_path, GROUPED, [response], GROUPS)
    matcher = Matcher(project)
    assert {"moder", "content"} <= matcher.shared["moderation"]
    assert matcher.shared["ads"] >= {"ad"} and "moder" not in matcher.shared["ads"]  # B1 only
    row = matcher.vocab["moder"]
    monkeypatch.setattr(sg, "GROUP_SHARED", 1.0)
    plain = Matcher(project)
    col = matcher.column["A1"]
    assert matcher.weights[row, col] == pytest.approx(0.3 * plain.weights[row, col])
    b1 = matcher.column["B1"]
    assert matcher.weights[row, b1] == pytest.approx(plain.weights[row, b1])  # not shared in ads
    # the distinctive word decides within the group; the group's words still pick the group
    best = matcher.rank_demands("r")
    assert best[0].demand == "A2" and set(best[0].matched[:2]) == {"every", "language"}
    assert {s.demand for s in best[:3]} == {"A1", "A2", "A3"}


def test_ids_numbers_and_quoted_titles_named_in_a_response_weigh_heavily(tmp_path: Path) -> None:
    project = _campaign(
        tmp_path,
        PLATFORM,
        [
            {"id": "by-id", "date": "2021-03-01", "summary": "Progress on D3 was made."},
            {
                "id": "by-number",
                "date": "2021-03-01",
                "summary": "We have now implemented recommendation 4 in full.",
            },
            {
                "id": "by-title",
                "date": "2021-03-01",
                "summary": "We will not “hire a civil rights executive” this year, said the company.",
            },
            {"id": "arabic", "date": "2021-03-01", "summary": {"ar": "نفذنا التوصية 2 بالكامل"}},
            {
                "id": "unrelated-number",
                "date": "2021-03-01",
                "summary": "It reported 4 quarters of growth under Law No 4 of 2020.",
            },
        ],
    )
    found = suggest(project).for_responses
    assert found["by-id"][0].demand == "D3" and "names D3" in found["by-id"][0].signals
    assert found["by-id"][0].passage == "Progress on D3 was made."  # no word in common
    assert found["by-number"][0].demand == "D4"
    assert found["by-number"][0].signals == ("names recommendation 4",)
    assert not found["by-number"][0].unsure
    assert found["by-title"][0].demand == "D2"
    assert "quotes its title" in found["by-title"][0].signals
    assert found["arabic"][0].demand == "D2"
    assert all(not s.signals for s in Matcher(project).rank_demands("unrelated-number"))


def test_arabic_and_french_responses_match_english_demands(tmp_path: Path) -> None:
    project = _campaign(
        tmp_path,
        PLATFORM,
        [
            {
                "id": "fr",
                "date": "2021-03-01",
                "summary": {"fr": "La société a publié son premier rapport de transparence."},
            },
            {
                "id": "ar",
                "date": "2021-03-01",
                "summary": {"ar": "عينت الشركة نائبا للرئيس للحقوق المدنية"},
            },
            {
                "id": "fr-ads",
                "date": "2021-03-01",
                "summary": {"fr": "Les annonceurs recevront un remboursement."},
            },
        ],
    )
    found = suggest(project).for_responses
    assert found["fr"][0].demand == "D1" and "rapport" in found["fr"][0].matched
    assert found["ar"][0].demand == "D2"
    assert found["fr-ads"][0].demand == "D3"


def test_nothing_is_suggested_below_the_floor_and_close_calls_say_unsure(tmp_path: Path) -> None:
    from scorecard.suggest import FLOOR, SURE

    project = _campaign(
        tmp_path,
        PLATFORM,
        [
            {"id": "nothing", "date": "2021-03-01", "summary": "The weather was sunny in Paris."},
            {
                "id": "both",
                "date": "2021-03-01",
                "summary": "It will refund advertisers and publish a transparency report.",
            },
            {
                "id": "clear",
                "date": "2021-03-01",
                "summary": "Victims of harassment can now speak to a live employee: human support "
                "for harassed users, as demanded in D4.",
            },
        ],
    )
    found = suggest(project).for_responses
    assert found["nothing"] == []
    both = found["both"]
    assert {s.demand for s in both[:2]} == {"D1", "D3"} and all(s.unsure for s in both[:2])
    clear = found["clear"][0]
    assert clear.demand == "D4" and clear.score >= SURE and not clear.unsure
    assert all(s.score >= FLOOR for ss in found.values() for s in ss)
    assert all(0 <= s.score < 1 for ss in found.values() for s in ss)


def test_suggestions_explain_themselves(tmp_path: Path, runner) -> None:
    project = _campaign(
        tmp_path,
        PLATFORM,
        [
            {
                "id": "r",
                "date": "2021-03-01",
                "summary": "Victims of harassment can now reach a live employee. As promised in D4.",
            }
        ],
    )
    best = suggest(project).for_responses["r"][0]
    assert best.demand == "D4"
    assert "harassment" in best.matched  # the response's words as written
    assert "live employee" in best.matched and "employee" not in best.matched  # said once
    assert best.signals == ("names D4",)
    assert best.passage == "Victims of harassment can now reach a live employee."
    result = runner.invoke(cli, ["suggest", str(tmp_path)])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.splitlines() if x.startswith("    1. D4"))
    assert "matched: " in line and line.endswith("; names D4")
    data = json.loads(runner.invoke(cli, ["suggest", str(tmp_path), "--format", "json"]).output)
    first = data["responses"]["r"][0]
    assert first["signals"] == ["names D4"] and first["unsure"] is False
