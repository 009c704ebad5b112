"""The page and the data: golden HTML, escaping of untrusted text, self-contained output."""

from __future__ import annotations

import json
import re
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import GOLDEN

from scorecard.cli import cli
from scorecard.render.markdown import markdown


def build(runner, project: Path, *args: str) -> Path:
    result = runner.invoke(cli, ["build", str(project), "--format", "html,json", *args])
    assert result.exit_code == 0, result.output
    return project / "output"


def test_golden_html(runner, mini: Path, update_golden: bool) -> None:
    out = build(runner, mini, "--as-of", "2020-12-01")
    for page, name in (("scorecard.html", "mini.html"), ("evidence.html", "mini-evidence.html")):
        html = (out / page).read_text(encoding="utf-8")
        golden = GOLDEN / name
        if update_golden:
            golden.write_text(html, encoding="utf-8")
        assert html == golden.read_text(encoding="utf-8"), (
            f"{page} changed; if on purpose, run pytest --update-golden and review the diff"
        )


class Collect(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append((tag, dict(attrs)))


def parse(html: str) -> list[tuple[str, dict]]:
    parser = Collect()
    parser.feed(html)
    return parser.tags


def test_page_structure(runner, mini: Path) -> None:
    out = build(runner, mini, "--as-of", "2020-12-01")
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    evidence = (out / "evidence.html").read_text(encoding="utf-8")
    tags = parse(html)
    ids = {a.get("id") for _, a in tags}
    assert {"D1", "D2", "D3", "D4", "methodology", "evidence"} <= ids
    evidence_ids = {a.get("id") for _, a in parse(evidence)}
    assert {"register", "unlinked", "r-r1", "r-r2"} <= evidence_ids
    # every link between the two pages lands on an element of the other
    for source, target, target_ids in (
        (html, "evidence.html", evidence_ids),
        (evidence, "scorecard.html", ids),
    ):
        links = re.findall(rf'href="{re.escape(target)}#([^"]+)"', source)
        assert links and set(links) <= target_ids, set(links) - target_ids
    assert tags[0] == ("html", {"lang": "en", "dir": "ltr"})
    # self-contained: no external stylesheet, script, image or font
    for tag, attrs in tags + parse(evidence):
        assert tag not in ("link", "img", "iframe", "object", "embed"), (tag, attrs)
        assert not (tag == "script" and "src" in attrs)
    assert "url(" not in html + evidence and "@import" not in html + evidence
    assert "As of <time" in html and 'Generated on <time datetime="2023-11-14T22:13:20Z">' in html
    assert "Rule in force: latest." in html
    assert "(set by hand)" in html and "Withdrawn by the campaign." in html
    assert html.count('class="demand"') == 4
    # the filter starts hidden, so without JavaScript every demand is simply shown
    assert re.search(r'<form class="filters" id="filters" hidden', html)
    # every status definition is in the methodology
    text = unescape(html)
    for definition in ("verdict 'full'", "only 'none' verdicts", "No response in this record"):
        assert definition in text
    # every demand counts from the same day: no note on a later demand lowering the score
    # (test_example_tsb: recommendations made over 30 years have it)
    assert "a demand made later lowers the score" not in text


def test_untrusted_text_is_escaped(runner, mini: Path) -> None:
    responses = mini / "responses.yaml"
    text = (
        responses.read_text(encoding="utf-8")
        .replace(
            "summary: We will not remove more groups.",
            "summary: |\n      <script>alert(1)</script> <iframe src=x></iframe> <b onclick=x>hi</b>\n"
            "      [click](javascript:alert(1)) [file](file:///etc/passwd) ![img](http://127.0.0.1/x)"
            "\n      [ok](https://example.org/ok) <style>body{}</style>",
        )
        .replace("speaker: CEO", 'speaker: "<img src=x onerror=alert(1)>"')
    )
    responses.write_text(text, encoding="utf-8")
    out = build(runner, mini)
    html = "".join(
        (out / p).read_text(encoding="utf-8") for p in ("scorecard.html", "evidence.html")
    )
    assert "<script>alert" not in html and "<iframe" not in html and "<b onclick" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert 'href="javascript:' not in html and 'href="file:' not in html
    assert 'href="http://127.0.0.1' not in html
    assert '<a rel="nofollow noopener" href="https://example.org/ok">ok</a>' in html
    assert html.count("<script>") == 1  # only the page's own filter script
    assert "<style>body" not in html


def test_markdown_is_safe() -> None:
    assert (
        str(markdown("**bold** <em>x</em>"))
        == "<p><strong>bold</strong> &lt;em&gt;x&lt;/em&gt;</p>\n"
    )
    assert "href" not in markdown("[a](javascript:alert(1))")
    assert "href" not in markdown("[a](data:text/html,x)")
    assert str(markdown("![a <b>](https://example.org/a.png)")) == "<p>a &lt;b&gt;</p>\n"
    assert 'href="mailto:a@example.org"' in markdown("[a](mailto:a@example.org)")


def test_json_document(runner, mini: Path) -> None:
    doc = json.loads(
        (build(runner, mini, "--as-of", "2020-12-01") / "scorecard.json").read_text(
            encoding="utf-8"
        )
    )
    assert doc["format"] == "scorecard/2"
    assert set(doc) == {
        "format",
        "generator",
        "generated_on",
        "as_of",
        "rule",
        "campaign",
        "provenance",
        "statuses",
        "verdicts",
        "score",
        "groups",
        "demands",
        "responses",
        "unlinked_responses",
        "later_responses",
        "targets",
        "target_id",
        "reviewed",
        "latest_response",
        "latest_ruling",
        "reviewed_only",
        "assessments",
        "source_files",
    }
    assert (doc["as_of"], doc["reviewed"], doc["latest_response"]) == (
        "2020-12-01",
        None,
        "2020-08-01",
    )
    assert doc["score"] == {
        "summary": "0 of 3 met, 1 partly",
        "percent": 12.5,
        "points": 0.5,
        "max_points": 4.0,
        "applicable": 3,
        "positive": 1,
        "counts": {
            "met": 0,
            "partial": 1,
            "promised": 0,
            "refused": 1,
            "not-addressed": 1,
            "no-response": 0,
            "n/a": 1,
            "not-yet-made": 0,
            "not-asked": 0,
        },
    }
    d3 = doc["demands"][2]
    assert d3["status"] == "refused" and d3["responses"] == ["r1", "r4"]
    assert d3["history"] == [
        {
            "date": "2020-06-30",
            "status": "partial",
            "responses": ["r1"],
            "set_by_hand": False,
            "ruling": None,
        },
        {
            "date": "2020-08-01",
            "status": "refused",
            "responses": ["r4"],
            "set_by_hand": False,
            "ruling": None,
        },
    ]
    assert d3["cause"] == {
        "kind": "response",
        "date": "2020-08-01",
        "id": "r4",
        "by": d3["cause"]["by"],
    }
    assert d3["counted_from"] == "2020-06-01" and d3["asked"] is True
    d4 = doc["demands"][3]
    assert d4["status_set_by_hand"] == {
        "value": "n/a",
        "reason": {"en": "Withdrawn by the campaign."},
        "date": "2020-09-01",
    }
    assert doc["unlinked_responses"] == ["r3"]
    assert [s["id"] for s in doc["statuses"]] == [
        "met",
        "partial",
        "promised",
        "refused",
        "not-addressed",
        "no-response",
        "n/a",
        "not-yet-made",
        "not-asked",
    ]
    assert all(s["definition"] for s in doc["statuses"])


def test_reproducible(runner, mini: Path, tmp_path: Path) -> None:
    build(runner, mini, "--out", str(tmp_path / "a"))
    build(runner, mini, "--out", str(tmp_path / "b"))
    for name in ("scorecard.html", "scorecard.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()


def test_user_templates_override_and_extend(runner, mini: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "scorecard.html.j2").write_text(
        '{% extends "default/scorecard.html.j2" %}', encoding="utf-8"
    )
    (templates / "style.css").write_text("body { color: rebeccapurple; }", encoding="utf-8")
    html = (build(runner, mini, "--templates", str(templates)) / "scorecard.html").read_text(
        encoding="utf-8"
    )
    assert "body { color: rebeccapurple; }" in html and 'id="D1"' in html


def test_broken_user_template_is_a_user_error(runner, mini: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "scorecard.html.j2").write_text("{% if %}", encoding="utf-8")
    result = runner.invoke(
        cli, ["build", str(mini), "--format", "html", "--templates", str(templates)]
    )
    assert result.exit_code == 1
    assert "template error" in result.output and "Traceback" not in result.output
    assert not (mini / "output").exists()


@pytest.mark.parametrize("as_of", ["2019-01-01", "2020-07-07", "2030-01-01"])
def test_any_date_renders(runner, mini: Path, as_of: str) -> None:
    out = build(runner, mini, "--as-of", as_of)
    assert f'Status as of <time datetime="{as_of}">' in (out / "scorecard.html").read_text(
        encoding="utf-8"
    )


def test_a_user_template_can_override_one_block_and_keep_the_rest(
    runner, mini: Path, tmp_path: Path
) -> None:
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "scorecard.html.j2").write_text(
        '{% extends "default/scorecard.html.j2" %}\n'
        '{% block methodology %}<section id="methodology"><h2>How we judged</h2>'
        "<p>{{ rule.id }}</p></section>\n{% endblock %}\n",
        encoding="utf-8",
    )
    result = runner.invoke(
        cli, ["build", str(mini), "--format", "html", "--templates", str(templates)]
    )
    assert result.exit_code == 0, result.output
    page = (mini / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert '<section id="methodology"><h2>How we judged</h2><p>latest</p></section>' in page
    assert "Statuses and the points each earns" not in page  # the default block is replaced
    default = runner.invoke(
        cli, ["build", str(mini), "--format", "html", "--out", str(tmp_path / "default")]
    )
    assert default.exit_code == 0, default.output
    plain = (tmp_path / "default" / "scorecard.html").read_text(encoding="utf-8")
    start, end = plain.index('<section class="methodology"'), plain.index("</main>")
    assert page == plain[:start] + page[start : page.index("</main>")] + plain[end:]


def test_a_block_the_default_does_not_have_is_a_located_warning(
    runner, mini: Path, tmp_path: Path
) -> None:
    """Jinja ignores such a block without a word; the build names its line and where it lives."""
    templates = tmp_path / "mine"
    templates.mkdir()
    (templates / "scorecard.html.j2").write_text(
        '{% extends "default/scorecard.html.j2" %}\n'
        "{% block methodology %}<p>ours</p>{% endblock %}\n"
        "{% block register %}<p>moved to the evidence page</p>{% endblock %}\n",
        encoding="utf-8",
    )
    args = ["build", str(mini), "--format", "html", "--templates", str(templates)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert (
        "scorecard.html.j2:3:1: warning: block 'register' is not in default/scorecard.html.j2, "
        "so it is ignored; it is a block of evidence.html.j2, report.html.j2: move it into "
        "evidence.html.j2 in this folder"
    ) in result.output
    assert "methodology" not in result.output  # a block the default has is no warning
    responses = mini / "responses.yaml"  # data without warnings: only the template's count
    responses.write_text(
        responses.read_text(encoding="utf-8").replace(
            "    addresses: []\n", "    addresses:\n      - demand: D2\n        verdict: none\n"
        ),
        encoding="utf-8",
    )
    strict = runner.invoke(cli, [*args, "--strict", "--out", str(tmp_path / "strict")])
    assert strict.exit_code == 1 and "the templates have warnings" in strict.output
    assert not (tmp_path / "strict").exists()


def test_the_latest_beside_a_status_is_never_a_none_that_changed_nothing() -> None:
    from scorecard.render.html import latest_event

    def said(verdict: str, date: str) -> dict:
        return {"kind": "evidence", "evidence": {"verdict": verdict, "date": date}}

    refused, none_after = said("refused", "2021-01-01"), said("none", "2022-03-26")
    ruling = {"kind": "ruling", "ruling": {"status": "partial", "date": "2021-06-01"}}
    # "Refused" beside "March 26, 2022, None" would read as a contradiction
    assert latest_event({}, [refused, none_after]) is refused
    assert latest_event({}, [refused, ruling, none_after]) is ruling
    # only 'none' verdicts: the latest of them (the status is "not addressed")
    first_none = said("none", "2020-07-07")
    assert latest_event({}, [first_none, none_after]) is none_after
    assert latest_event({}, []) is None


@pytest.mark.parametrize(
    ("corrections", "shown"),
    [
        ("fix@example.org", '<a href="mailto:fix@example.org" rel="nofollow noopener" dir="ltr">'),
        ("https://example.org/fix", '<a href="https://example.org/fix" rel="nofollow noopener"'),
        ("javascript:alert(1)", "To report an error: javascript:alert(1)."),  # text, no link
    ],
)
def test_the_publisher_answers_for_the_scorecard(
    runner, mini: Path, corrections: str, shown: str
) -> None:
    """campaign.publisher is named on the page, the evidence page and the report's cover, and
    as the author of the PDF and the feed (not the organizers); campaign.corrections says how
    to report an error, linked only when it is a web or e-mail address."""
    from xml.etree import ElementTree

    from pypdf import PdfReader

    demands = mini / "demands.yaml"
    text = demands.read_text(encoding="utf-8").replace(
        "  organizers: [Group A, Group B]\n",
        "  organizers: [Group A, Group B]\n  publisher: The Newsroom <b>\n"
        f"  corrections: '{corrections}'\n",
    )
    demands.write_text(text, encoding="utf-8")
    out = build(runner, mini, "--format", "html,pdf")
    for name in ("scorecard.html", "evidence.html"):
        page = (out / name).read_text(encoding="utf-8")
        assert "Published by The Newsroom &lt;b&gt;." in page, name
        assert shown in page, name
        assert 'href="javascript:' not in page
    pdf = PdfReader(out / "scorecard.pdf")
    assert pdf.metadata.author == "The Newsroom <b>"
    cover = " ".join(pdf.pages[0].extract_text().split())
    assert "Published by The Newsroom <b>." in cover and "To report an error:" in cover
    feed = ElementTree.fromstring((out / "feed.xml").read_bytes())
    names = [e.text for e in feed.iter("{http://www.w3.org/2005/Atom}name")]
    assert names == ["The Newsroom <b>"]
