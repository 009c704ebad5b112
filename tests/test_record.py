"""The record: rulings apart from responses, claims apart from proof, dates that mean what they
say (issue: assessments.yaml, claimed, made, asked, campaign.reviewed, month dates, review)."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest
from conftest import snapshot

from scorecard.cli import cli
from scorecard.enums import Status
from scorecard.match import scorecard
from scorecard.model import Period
from scorecard.validate import load_project

ASSESSMENTS = """assessments:
  - id: a1
    date: 2020-07-10
    by: The coalition
    summary: Only one demand was even attempted.
    sources:
      - title: Statement
        url: https://example.org/statement
    rulings:
      - demand: D1
        status: partial
        reason: A hire, not at C-suite level.
      - demand: D2
        status: not-addressed
        reason: Nothing on audits.
"""


# The same rulings, D2's marked as a claim the assessor could not verify.
UNVERIFIED = ASSESSMENTS.replace(
    "        reason: Nothing on audits.\n",
    "        reason: Nothing on audits.\n        verified: false\n",
)


def _write(root: Path, name: str, text: str) -> None:
    (root / name).write_text(text, encoding="utf-8")


def _append(root: Path, name: str, text: str) -> None:
    with (root / name).open("a", encoding="utf-8") as fh:
        fh.write(text)


def _status(root: Path, day: str, demand: str, **kw) -> tuple[Status, object]:
    project, _ = load_project(root)
    card = scorecard(project, Period.parse(day), **kw)
    result = next(r for r in card.demands if r.demand.id == demand)
    return result.status, result.cause


def test_a_ruling_overrides_an_earlier_partial_and_is_the_cause(mini: Path) -> None:
    # r1 (2020-06-30) gave D2 a 'none'; r2 ... as in the fixture. D1 is partial from r2.
    _write(mini, "assessments.yaml", ASSESSMENTS.replace("status: partial", "status: refused"))
    status, cause = _status(mini, "2020-07-09", "D1")
    assert status is Status.partial and cause.kind == "response"
    status, cause = _status(mini, "2020-07-10", "D1")
    assert status is Status.refused
    assert (cause.kind, cause.id, cause.by, cause.date) == (
        "ruling",
        "a1",
        "The coalition",
        dt.date(2020, 7, 10),
    )


def test_a_ruling_shows_not_addressed_under_the_latest_rule(mini: Path) -> None:
    """A 'none' verdict never undoes a step; a ruling does."""
    _write(mini, "assessments.yaml", ASSESSMENTS.replace("demand: D2", "demand: D3"))
    assert _status(mini, "2020-07-09", "D3")[0] is Status.partial
    assert _status(mini, "2020-07-10", "D3")[0] is Status.not_addressed


def test_a_later_response_after_a_ruling(mini: Path) -> None:
    _write(mini, "assessments.yaml", ASSESSMENTS.replace("demand: D2", "demand: D3"))
    # r4 (2020-08-01) refuses D3: under 'latest' it replaces the ruling's not-addressed ...
    status, cause = _status(mini, "2020-08-01", "D3")
    assert status is Status.refused and (cause.kind, cause.id) == ("response", "r4")
    # ... under 'best' a later verdict replaces a ruling only when better: refused is not
    # better than not-addressed in the ranking, so the ruling stands.
    from scorecard.model import Rule

    status, cause = _status(mini, "2020-08-01", "D3", rule=Rule.best)
    assert status is Status.refused or (status, cause.kind) == (Status.not_addressed, "ruling")
    assert status is Status.refused  # refused ranks above not-addressed
    # a ruling on the same day as a response counts after it
    _write(
        mini,
        "assessments.yaml",
        ASSESSMENTS.replace("2020-07-10", "2020-08-01").replace("demand: D2", "demand: D3"),
    )
    status, cause = _status(mini, "2020-08-01", "D3")
    assert status is Status.not_addressed and cause.kind == "ruling"


def test_a_demand_before_its_made_date_is_not_counted(mini: Path) -> None:
    text = (mini / "demands.yaml").read_text(encoding="utf-8")
    (mini / "demands.yaml").write_text(
        text.replace(
            "    title: Independent audits\n",
            "    title: Independent audits\n    made: 2020-09-15\n",
        ),
        encoding="utf-8",
    )
    project, _ = load_project(mini)
    before = scorecard(project, dt.date(2020, 9, 14))
    d2 = next(r for r in before.demands if r.demand.id == "D2")
    assert d2.status is Status.not_yet_made and d2.cause.kind == "made"
    assert before.score.applicable == 2  # D2 not made yet, D4 n/a
    after = scorecard(project, dt.date(2020, 9, 15))
    d2 = next(r for r in after.demands if r.demand.id == "D2")
    # r1 (June) touched it before it was made: counted from its made date
    assert d2.status is Status.not_addressed and d2.history[0].date == dt.date(2020, 9, 15)
    assert after.score.applicable == 3


def test_a_not_asked_cell_and_a_target_compared_not_asked(runner, multi: Path) -> None:
    text = (multi / "demands.yaml").read_text(encoding="utf-8")
    (multi / "demands.yaml").write_text(
        text.replace(
            "    note: Answers the same demands.\n",
            "    note: Answers the same demands.\n    asked: {demands: []}\n",
        ).replace(
            "  - id: examplecorp\n    name: ExampleCorp\n",
            "  - id: examplecorp\n    name: ExampleCorp\n    asked: {date: 2020-06-01, "
            "demands: [D1, D2, D3]}\n",
        ),
        encoding="utf-8",
    )
    doc = json.loads(
        runner.invoke(
            cli, ["status", str(multi), "--as-of", "2020-12-01", "--format", "json"]
        ).stdout
    )
    main, rival = doc["targets"]
    assert main["statuses"]["D4"] == "not-asked" and not main["asked_nothing"]
    assert set(rival["statuses"].values()) == {"not-asked"} and rival["asked_nothing"]
    assert rival["score"]["applicable"] == 0
    result = runner.invoke(cli, ["build", str(multi), "--format", "html", "--as-of", "2020-12-01"])
    assert result.exit_code == 0, result.output
    page = (multi / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert "Compared, not asked: no score" in page
    assert 'data-target="rival" data-status="not-asked"' in page


@pytest.mark.parametrize(
    ("as_of", "expected"),
    [("2020-11-29", "partial"), ("2020-11-30", "met"), ("2020-11", "met"), ("2020-10", "partial")],
)
def test_a_month_date_counts_from_its_last_day(mini: Path, as_of: str, expected: str) -> None:
    _write(
        mini,
        "assessments.yaml",
        ASSESSMENTS.replace("2020-07-10", "2020-11").replace("status: partial", "status: met"),
    )
    assert _status(mini, as_of, "D1")[0].value == expected


def test_month_dates_are_kept_and_shown_at_their_precision(runner, mini: Path) -> None:
    said = "A date known only by its month or its year counts as the last day"
    result = runner.invoke(cli, ["build", str(mini), "--format", "html,pdf"])
    assert result.exit_code == 0, result.output
    assert said not in (mini / "output" / "scorecard.html").read_text(encoding="utf-8")
    _write(mini, "assessments.yaml", ASSESSMENTS.replace("2020-07-10", "2020-11"))
    text = (mini / "responses.yaml").read_text(encoding="utf-8")
    (mini / "responses.yaml").write_text(
        text.replace("date: 2020-08-01", "date: 2020-08"), encoding="utf-8"
    )
    result = runner.invoke(
        cli, ["build", str(mini), "--format", "html,json", "--as-of", "2020-12-31"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((mini / "output" / "scorecard.json").read_text(encoding="utf-8"))
    assert doc["assessments"][0]["date"] == "2020-11"
    assert next(r for r in doc["responses"] if r["id"] == "r4")["date"] == "2020-08"
    assert doc["latest_ruling"] == "2020-11" and doc["latest_response"] == "2020-08"
    page = (mini / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert '<time datetime="2020-11">November 2020</time>' in page
    # the methodology says how such a date counts and sorts, where the data has one
    assert said in page
    result = runner.invoke(cli, ["build", str(mini), "--format", "pdf", "--as-of", "2020-12-31"])
    assert result.exit_code == 0, result.output
    from pypdf import PdfReader

    text = " ".join(p.extract_text() for p in PdfReader(mini / "output" / "scorecard.pdf").pages)
    assert said in " ".join(text.split())


def test_the_default_as_of_is_the_review_date_then_the_latest_record(runner, mini: Path) -> None:
    doc = json.loads(runner.invoke(cli, ["status", str(mini), "--format", "json"]).stdout)
    assert doc["as_of"] == "2020-08-01"  # the latest response, not the day of the build
    _write(mini, "assessments.yaml", ASSESSMENTS.replace("2020-07-10", "2020-10-02"))
    doc = json.loads(runner.invoke(cli, ["status", str(mini), "--format", "json"]).stdout)
    assert doc["as_of"] == "2020-10-02"
    text = (mini / "demands.yaml").read_text(encoding="utf-8")
    (mini / "demands.yaml").write_text(
        text.replace("  launched: 2020-06-01\n", "  launched: 2020-06-01\n  reviewed: 2021-03\n"),
        encoding="utf-8",
    )
    doc = json.loads(runner.invoke(cli, ["status", str(mini), "--format", "json"]).stdout)
    assert (doc["as_of"], doc["reviewed"]) == ("2021-03-31", "2021-03")
    later = runner.invoke(cli, ["status", str(mini), "--as-of", "2022-01-01"])
    assert later.exit_code == 0
    assert (
        "warning: --as-of 2022-01-01 is after the record was last reviewed (2021-03, "
        "campaign.reviewed): the statuses after that date are unknown"
    ) in later.stderr


def test_claimed_is_shown_and_exported_never_counted(runner, mini: Path) -> None:
    text = (mini / "responses.yaml").read_text(encoding="utf-8")
    assert "verdict: refused" in text
    (mini / "responses.yaml").write_text(
        text.replace("verdict: refused", 'verdict: refused\n        claimed: "implemented"', 1),
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["build", str(mini), "--format", "html,json,csv,sqlite", "--as-of", "2020-12-01"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((mini / "output" / "scorecard.json").read_text(encoding="utf-8"))
    d3 = next(d for d in doc["demands"] if d["id"] == "D3")
    assert d3["status"] == "refused"  # the claim changes nothing
    assert [e["claimed"] for e in d3["evidence"]] == [None, "implemented"]
    page = (mini / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert "own description: “implemented” (not used for the status)" in page
    assert "D3: implemented" in (mini / "output" / "responses.csv").read_text(encoding="utf-8-sig")
    import sqlite3

    db = sqlite3.connect(mini / "output" / "scorecard.sqlite")
    assert db.execute("SELECT claimed FROM links WHERE response_id = 'r4'").fetchall() == [
        ("implemented",)
    ]


def test_rulings_are_exported(runner, mini: Path) -> None:
    import csv
    import sqlite3

    _write(mini, "assessments.yaml", UNVERIFIED)
    result = runner.invoke(cli, ["build", str(mini), "--format", "csv,sqlite,json"])
    assert result.exit_code == 0, result.output
    rows = list(
        csv.reader((mini / "output" / "rulings.csv").read_text(encoding="utf-8-sig").splitlines())
    )
    assert rows[0] == [
        "target",
        "assessment",
        "date",
        "by",
        "demand",
        "status",
        "reason",
        "verified",
        "reviewed_by",
        "sources",
    ]
    assert rows[1:] == [
        [
            "ExampleCorp",
            "a1",
            "2020-07-10",
            "The coalition",
            "D1",
            "partial",
            "A hire, not at C-suite level.",
            "",
            "",
            "https://example.org/statement",
        ],
        [
            "ExampleCorp",
            "a1",
            "2020-07-10",
            "The coalition",
            "D2",
            "not-addressed",
            "Nothing on audits.",
            "no",
            "",
            "https://example.org/statement",
        ],
    ]
    db = sqlite3.connect(mini / "output" / "scorecard.sqlite")
    assert db.execute(
        "SELECT demand_id, status, verified FROM rulings ORDER BY demand_id"
    ).fetchall() == [("D1", "partial", None), ("D2", "not-addressed", 0)]


def test_reviewed_only_leaves_unreviewed_verdicts_pending(runner, mini: Path) -> None:
    _write(mini, "assessments.yaml", ASSESSMENTS + "        reviewed_by: Editor B\n")
    project, _ = load_project(mini)
    card = scorecard(project, dt.date(2020, 12, 1), reviewed_only=True)
    by_id = {r.demand.id: r for r in card.demands}
    assert by_id["D2"].status is Status.not_addressed  # the reviewed ruling counts
    assert by_id["D1"].status is Status.no_response  # its verdicts and ruling wait for review
    assert all(e.pending for e in by_id["D1"].evidence)
    result = runner.invoke(
        cli, ["build", str(mini), "--format", "html", "--as-of", "2020-12-01", "--reviewed-only"]
    )
    assert result.exit_code == 0, result.output
    page = (mini / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert "Pending review: not counted until someone reviews this verdict." in page
    assert "Only reviewed verdicts and rulings count" in page


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            ASSESSMENTS.replace("demand: D2", "demand: D9"),
            (
                "assessments.yaml:13:17: assessments[0].rulings[1].demand: 'D9' is not a demand in "
                "demands.yaml; did you mean 'D4'?"
            ),
        ),
        (
            ASSESSMENTS.replace("status: partial", "status: not-asked"),
            "assessments.yaml:11:17: assessments[0].rulings[0].status: 'not-asked' comes from the data",
        ),
        (
            ASSESSMENTS.replace("    by: The coalition\n", ""),
            "assessments.yaml:2:5: assessments[0].by: 'by' is required here; add it",
        ),
        (
            ASSESSMENTS.replace("  - id: a1\n", "  - id: a1\n    verdict: full\n"),
            "assessments.yaml:3:5: assessments[0].verdict: 'verdict' is not a known key",
        ),
    ],
)
def test_assessments_errors_are_located(runner, mini: Path, text: str, message: str) -> None:
    _write(mini, "assessments.yaml", text)
    before = snapshot(mini)
    result = runner.invoke(cli, ["build", str(mini)])
    assert result.exit_code == 1
    assert message in result.output, result.output
    assert snapshot(mini) == before and not (mini / "output" / "scorecard.html").exists()


def test_an_assessment_without_sources_is_a_warning(runner, mini: Path) -> None:
    _write(
        mini,
        "assessments.yaml",
        ASSESSMENTS.replace(
            "    sources:\n      - title: Statement\n        url: https://example.org/statement\n",
            "",
        ),
    )
    assert runner.invoke(cli, ["validate", str(mini)]).exit_code == 0
    strict = runner.invoke(cli, ["validate", str(mini), "--strict"])
    assert strict.exit_code == 1 and "'a1' cites no source" in strict.output


def test_an_archived_copy_is_linked_beside_its_source(runner, mini: Path) -> None:
    text = (mini / "responses.yaml").read_text(encoding="utf-8")
    assert "url: https://example.org/letter" in text
    (mini / "responses.yaml").write_text(
        text.replace(
            "url: https://example.org/letter",
            "url: https://example.org/letter\n        archive: https://web.archive.org/web/2020/x",
            1,
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["build", str(mini), "--format", "html"])
    assert result.exit_code == 0, result.output
    page = (mini / "output" / "evidence.html").read_text(encoding="utf-8")
    assert (
        '<a class="archived" href="https://web.archive.org/web/2020/x" '
        'rel="nofollow noopener">archived copy</a>'
    ) in page


def test_a_source_article_is_copied_beside_the_page_and_linked(
    runner, mini: Path, tmp_path: Path
) -> None:
    """`seed: FILE` with sources/FILE in the campaign: the page links to its copy in the
    outputs. A link planted in sources/ is never followed: no file of the machine leaks."""
    secret = tmp_path / "secret.txt"
    secret.write_text("do not publish", encoding="utf-8")
    (mini / "sources").mkdir()
    (mini / "sources" / "article.txt").write_text("The article's text.", encoding="utf-8")
    (mini / "sources" / "planted.txt").symlink_to(secret)
    text = (mini / "responses.yaml").read_text(encoding="utf-8")
    (mini / "responses.yaml").write_text(
        text.replace(
            "url: https://example.org/letter",
            "url: https://example.org/letter\n      - title: The article\n"
            "        seed: article.txt\n      - title: Planted\n        seed: planted.txt",
            1,
        ),
        encoding="utf-8",
    )
    result = runner.invoke(cli, ["build", str(mini), "--format", "html,pdf"])
    assert result.exit_code == 0, result.output
    out = mini / "output"
    assert (out / "sources" / "article.txt").read_text(encoding="utf-8") == "The article's text."
    assert not (out / "sources" / "planted.txt").exists()
    page = (out / "evidence.html").read_text(encoding="utf-8")  # where the sources are
    # named in words (a file name such as 004_3c4bf9b6.txt tells a reader nothing); the
    # name in its title
    assert (
        '<a class="seed" href="sources/article.txt" title="article.txt">'
        "(saved text of the article)</a>"
    ) in page
    from pypdf import PdfReader

    pdf_text = "\n".join(p.extract_text() for p in PdfReader(out / "scorecard.pdf").pages)
    assert "(source article article.txt)" in " ".join(
        pdf_text.split()
    )  # the PDF has no link: the file's name
    assert 'href="sources/planted.txt"' not in page
    assert "do not publish" not in page


def test_an_assessment_that_rules_on_nothing_is_not_the_latest_ruling(runner, mini: Path) -> None:
    """An update of the assessor that names no demand sets no status: "Latest ruling" (page and
    JSON) keeps the date of the latest assessment that ruled on a demand."""
    update = """  - id: a2
    date: 2020-07-20
    by: The coalition
    summary: A progress update that grades no demand.
    sources:
      - title: Update
        url: https://example.org/update
    rulings: []
"""
    _write(mini, "assessments.yaml", ASSESSMENTS + update)
    result = runner.invoke(
        cli, ["build", str(mini), "--format", "html,json", "--as-of", "2020-12-31"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((mini / "output" / "scorecard.json").read_text(encoding="utf-8"))
    assert [a["id"] for a in doc["assessments"]] == ["a1", "a2"]
    assert doc["latest_ruling"] == "2020-07-10"
    page = (mini / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert 'Latest ruling: <time datetime="2020-07-10">July 10, 2020</time>.' in page


def test_the_finding_names_the_statuses_a_ruling_set(runner, mini: Path) -> None:
    """A reader weighing the finding learns which statuses the assessor set, not a response:
    on the page and on the report's cover (one macro), and the statuses table says so."""
    _write(mini, "assessments.yaml", ASSESSMENTS)
    result = runner.invoke(cli, ["build", str(mini), "--format", "html", "--as-of", "2020-07-31"])
    assert result.exit_code == 0, result.output
    page = (mini / "output" / "scorecard.html").read_text(encoding="utf-8")
    words = page[page.index('<p class="score-words">') :]
    words = words[: words.index("</p>")]
    # the table of the demands still counts a ruled demand's responses (the target answered)
    row = re.search(
        r'<tr data-status="[^"]*" data-group="[^"]*">\s*<th scope="row"><a href="#D1">.*?</tr>',
        page,
        re.S,
    )
    assert row and "ruling of The coalition" in row[0]
    assert re.search(r'<a class="more" href="#D1">\d+ responses?</a>', row[0]), row[0]
    # named: who ruled matters most when it is the campaign itself
    said = (  # each id isolated (a list keeps its order in Arabic) and never broken
        "2 statuses are set not by a response but by rulings of The coalition: "
        '<bdi class="id">D1</bdi>, <bdi class="id">D2</bdi>.'
    )
    assert said in words
    assert "the verdict in brackets sets a status, and so does a ruling of the assessor" in page
    from scorecard.document import documents
    from scorecard.render.html import Renderer
    from scorecard.validate import load_project

    docs = documents(load_project(mini)[0], dt.date(2020, 7, 31))
    report = Renderer().report_html(docs.primary, "en")
    assert said in report
    assert "Each dated ruling of the assessor, listed under Rulings" in report


def test_an_unverified_ruling_says_so_on_the_page_as_on_the_evidence_page(
    runner, mini: Path
) -> None:
    _write(mini, "assessments.yaml", UNVERIFIED)
    result = runner.invoke(cli, ["build", str(mini), "--format", "html", "--as-of", "2020-07-31"])
    assert result.exit_code == 0, result.output
    out = mini / "output"
    page = (out / "scorecard.html").read_text(encoding="utf-8")
    history = page[page.index('id="D2-history"') :]
    history = history[: history.index("</table>")]
    # whose claim: the target's, not the assessor's beside it
    assert '<span class="unverified">(ExampleCorp\'s claim not verified)</span>' in history
    d1 = page[page.index('id="D1-history"') :]
    assert "not verified" not in d1[: d1.index("</table>")]  # D1's ruling says nothing of it
    evidence = (out / "evidence.html").read_text(encoding="utf-8")
    assert evidence.count("(ExampleCorp's claim not verified)") == 1
