"""Published data: CSV that spreadsheets open safely, the SQLite database, the badges, the Atom
feed, and the inline SVG charts; each parsed back and checked against scorecard.json."""

from __future__ import annotations

import csv
import io
import json
import re
import sqlite3
from pathlib import Path

import feedparser
import pytest
from defusedxml import ElementTree

from scorecard.cli import cli
from scorecard.i18n import Formats
from scorecard.render.data import safe_cell

ATOM = "{http://www.w3.org/2005/Atom}"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def out(runner, multi: Path) -> Path:  # noqa: F811
    result = runner.invoke(
        cli, ["build", str(multi), "--as-of", "2020-12-01", "--format", "html,json,csv,sqlite"]
    )
    assert result.exit_code == 0, result.output
    return multi / "output"


def document(out: Path) -> dict:
    return json.loads((out / "scorecard.json").read_text(encoding="utf-8"))


# --------------------------------------------------------------------------- CSV


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "UTF-8 BOM, so that spreadsheets read UTF-8"
    assert raw.endswith(b"\r\n")  # records end with CRLF (RFC 4180)
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))


def test_demands_csv(out: Path) -> None:
    rows = read_csv(out / "demands.csv")
    raw = (out / "demands.csv").read_bytes()
    assert raw.count(b"\r\n") == len(rows) and raw.count(b"\n") == len(rows)  # no bare LF
    doc = document(out)
    assert rows[0] == [
        "demand",
        "group",
        "title",
        "made",
        "ExampleCorp status",
        "ExampleCorp responses",
        "RivalCorp status",
        "RivalCorp responses",
    ]
    body = {r[0]: r for r in rows[1:]}
    assert list(body) == ["D1", "D2", "D3", "D4"]
    for t, (status_col, count_col) in zip(doc["targets"], ((4, 5), (6, 7)), strict=True):
        for demand, status in t["statuses"].items():
            assert body[demand][status_col] == status
            assert int(body[demand][count_col]) == len(t["evidence"][demand])
    assert body["D1"][2] == "Civil rights executive"
    assert read_csv(out / "targets.csv") == [
        [
            "target",
            "name",
            "primary",
            "score_percent",
            "points",
            "max_points",
            "summary",
            "responses",
        ],
        ["examplecorp", "ExampleCorp", "yes", "12.5", "0.5", "4.0", "0 of 3 met, 1 partly", "4"],
        ["rival", "RivalCorp", "no", "25.0", "1.0", "4.0", "1 of 3 met", "2"],
    ]


def test_responses_csv_is_safe_and_keeps_arabic(out: Path) -> None:
    rows = read_csv(out / "responses.csv")
    head, body = rows[0], rows[1:]
    assert head == [
        "target",
        "id",
        "date",
        "date_note",
        "kind",
        "speaker",
        "summary",
        "verdicts",
        "sources",
        "claimed",
        "reviewed_by",
        "title",  # added last: the columns before keep their places
    ]
    by_id = {r[1]: dict(zip(head, r, strict=True)) for r in body}
    assert set(by_id) == {"r1", "r2", "r3", "r4", "q1", "q2"}
    q1 = by_id["q1"]
    assert q1["target"] == "RivalCorp" and q1["verdicts"] == "D1: full; D3: promised"
    # A formula would run in a spreadsheet: the cell starts with a quote instead.
    assert q1["summary"].startswith("'=HYPERLINK(")
    assert "بالعربية: سياسة جديدة" in q1["summary"]
    assert by_id["q2"]["summary"] == "'@ We take it back."
    assert by_id["r1"]["sources"] == "https://example.org/post"
    for row in body:
        for cell in row:
            assert not cell.startswith(("=", "+", "-", "@")), cell


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("=1+1", "'=1+1"),
        ("+33 1", "'+33 1"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("a=1", "a=1"),
        ("", ""),
        (None, ""),
        (3, "3"),
        ("عربي", "عربي"),
    ],
)
def test_safe_cell(value, shown) -> None:
    assert safe_cell(value) == shown


# --------------------------------------------------------------------------- SQLite


def test_sqlite_holds_the_same_data(out: Path) -> None:
    doc = document(out)
    db = sqlite3.connect(out / "scorecard.sqlite")
    try:
        tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {
            "campaign",
            "demands",
            "targets",
            "responses",
            "links",
            "sources",
            "status_history",
            "target_status",
        } <= tables
        assert db.execute("SELECT title, target, as_of, rule FROM campaign").fetchall() == [
            ("Mini campaign", "ExampleCorp", "2020-12-01", "latest")
        ]
        assert db.execute(
            "SELECT id, name, is_primary, score_percent FROM targets ORDER BY is_primary DESC"
        ).fetchall() == [("examplecorp", "ExampleCorp", 1, 12.5), ("rival", "RivalCorp", 0, 25.0)]
        assert [r[0] for r in db.execute("SELECT id FROM demands ORDER BY id")] == [
            "D1",
            "D2",
            "D3",
            "D4",
        ]
        assert db.execute(
            "SELECT target_id, count(*) FROM responses GROUP BY target_id ORDER BY target_id"
        ).fetchall() == [("examplecorp", 4), ("rival", 2)]
        links = db.execute(
            "SELECT response_id, demand_id, verdict FROM links WHERE "
            "response_id LIKE 'q%' ORDER BY 1, 2"
        ).fetchall()
        assert links == [("q1", "D1", "full"), ("q1", "D3", "promised"), ("q2", "D3", "refused")]
        assert db.execute("SELECT count(*) FROM sources").fetchone() == (6,)
        assert db.execute("PRAGMA foreign_key_check").fetchall() == []  # every reference holds
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        for t in doc["targets"]:
            rows = db.execute(
                "SELECT demand_id, status FROM target_status WHERE target_id = ?", (t["id"],)
            ).fetchall()
            assert dict(rows) == t["statuses"]
            history = db.execute(
                "SELECT date, demand_id, from_status, to_status FROM "
                "status_history WHERE target_id = ? ORDER BY date, demand_id",
                (t["id"],),
            ).fetchall()
            assert history == [(c["date"], c["demand"], c["from"], c["to"]) for c in t["changes"]]
        # The Arabic text and the would-be formula are stored as they were written.
        summary = db.execute("SELECT summary FROM responses WHERE id = 'q1'").fetchone()[0]
        assert summary.startswith("=HYPERLINK(") and "سياسة جديدة" in summary
    finally:
        db.close()


# --------------------------------------------------------------------------- badges


def test_badges(out: Path) -> None:
    names = sorted(p.name for p in out.glob("badge*.svg") if ".D" not in p.name)  # not per demand
    assert names == ["badge.examplecorp.svg", "badge.rival.svg", "badge.svg"]
    assert (out / "badge.svg").read_bytes() == (out / "badge.examplecorp.svg").read_bytes()
    for name, value, who in (
        ("badge.svg", "0 of 3 met, 1 partly", "ExampleCorp"),
        ("badge.rival.svg", "1 of 3 met", "RivalCorp"),
    ):
        root = ElementTree.fromstring((out / name).read_bytes())
        assert root.tag == f"{SVG}svg"
        assert root.get("role") == "img"
        assert root.get("aria-label") == f"{who}: demands {value}"
        title = root.find(f"{SVG}title")
        assert title is not None and f"{value[0]} of 3 met" in title.text
        assert "as of December 1, 2020" in title.text
        texts = [t.text for t in root.iter(f"{SVG}text")]
        assert texts == ["demands", value]  # the numbers are text, not a picture of them
        assert int(root.get("width")) > 0 and root.get("height") == "20"


# --------------------------------------------------------------------------- the feed


def atom_checks(root) -> None:
    """The elements RFC 4287 requires (4.1.1, 4.1.2): feed id, title, updated, an author on
    the feed or on every entry; entry id, title, updated; ids are IRIs; dates RFC 3339."""
    assert root.tag == f"{ATOM}feed"
    date = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})$")
    for name in ("id", "title", "updated"):
        assert len(root.findall(f"{ATOM}{name}")) == 1, name
    assert date.match(root.findtext(f"{ATOM}updated"))
    feed_authors = root.findall(f"{ATOM}author")
    assert all(a.findtext(f"{ATOM}name") for a in feed_authors)
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated"):
            assert len(entry.findall(f"{ATOM}{name}")) == 1, name
        assert re.match(r"^[a-z][a-z0-9+.-]*:", entry.findtext(f"{ATOM}id"))
        assert date.match(entry.findtext(f"{ATOM}updated"))
        assert feed_authors or entry.findall(f"{ATOM}author")
        # No content element, so a summary and an alternate link are required (4.1.1.1, 4.1.2)
        assert entry.find(f"{ATOM}content") is not None or (
            entry.findtext(f"{ATOM}summary")
            and entry.find(f"{ATOM}link[@rel='alternate']") is not None
        )


def test_feed_is_atom_with_one_entry_per_change(out: Path) -> None:
    raw = (out / "feed.xml").read_bytes()
    root = ElementTree.fromstring(raw)
    atom_checks(root)
    doc = document(out)
    changes = [c for t in doc["targets"] for c in t["changes"]]
    entries = root.findall(f"{ATOM}entry")
    assert len(entries) == len(changes) == 9  # 5 for ExampleCorp, 4 for RivalCorp
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    newest = entries[0]
    assert newest.findtext(f"{ATOM}title") == (
        "RivalCorp, D3 Remove hate groups: Promised → Refused"
    )
    assert newest.findtext(f"{ATOM}updated") == "2020-10-01T00:00:00Z"
    assert newest.find(f"{ATOM}link").get("href") == "scorecard.rival.html#D3"
    assert "Statement: @ We take it back." in newest.findtext(f"{ATOM}summary")
    assert root.findtext(f"{ATOM}updated") == "2020-10-01T00:00:00Z"
    # A feed reader sees the same.
    parsed = feedparser.parse(raw)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    assert len(parsed.entries) == 9 and parsed.feed.title == "Mini campaign: status changes"


def test_feed_ids_are_stable(runner, multi: Path, monkeypatch) -> None:  # noqa: F811
    def ids() -> list[str]:
        result = runner.invoke(
            cli, ["build", str(multi), "--as-of", "2020-12-01", "--format", "html"]
        )
        assert result.exit_code == 0, result.output
        root = ElementTree.fromstring((multi / "output" / "feed.xml").read_bytes())
        return [e.findtext(f"{ATOM}id") for e in root.findall(f"{ATOM}entry")]

    first = ids()
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")  # another build day
    assert ids() == first
    # A new response that changes a status adds one entry and keeps every other id.
    with (multi / "responses.yaml").open("a", encoding="utf-8") as fh:
        fh.write("""  - id: q3
    target: rival
    date: 2020-11-01
    kind: policy
    summary: Audits after all.
    sources:
      - title: Rival audits
        url: https://example.org/rival-3
    addresses:
      - demand: D2
        verdict: partial
""")
    after = ids()
    assert len(after) == len(first) + 1 and set(first) < set(after)


def test_feed_holds_the_latest_changes_and_says_so(
    runner,
    multi: Path,
    out: Path,
    monkeypatch,  # noqa: F811
) -> None:
    """A feed holds the FEED_ENTRIES latest changes (a reader polls it again and again); its
    subtitle counts them and all the changes, in each language."""
    from scorecard.render import feed

    every = ElementTree.fromstring((out / "feed.xml").read_bytes()).findall(f"{ATOM}entry")
    monkeypatch.setattr(feed, "FEED_ENTRIES", 4)
    folder = multi / "cut"
    result = runner.invoke(
        cli,
        ["build", str(multi), "--out", str(folder), "--format", "html", "--lang", "en,fr,ar"],
    )
    assert result.exit_code == 0, result.output
    words = {"feed.xml": "The latest 4 of 9 changes", "feed.fr.xml": "Les 4 derniers des 9"}
    words["feed.ar.xml"] = "آخر 4 من أصل 9 تغييرات"
    for name, said in words.items():
        root = ElementTree.fromstring((folder / name).read_bytes())
        entries = root.findall(f"{ATOM}entry")
        assert len(every) == 9 and len(entries) == 4
        # the newest four: the same changes (entry ids are the same in every language)
        assert [e.findtext(f"{ATOM}id") for e in entries] == [
            e.findtext(f"{ATOM}id") for e in every[:4]
        ]
        assert said in "".join(root.findtext(f"{ATOM}subtitle").split("\u2068")).replace(
            "\u2069", ""
        )


# --------------------------------------------------------------------------- charts


def svgs(html: str, cls: str) -> list:
    found = re.findall(rf'<svg class="chart {cls}".*?</svg>', html, re.S)
    return [ElementTree.fromstring(s) for s in found]


def test_charts_are_accessible_svg(out: Path) -> None:
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    doc = document(out)
    (score,) = svgs(html, "score-time")
    assert score.get("role") == "img"
    labelled = score.get("aria-labelledby").split()
    assert [c.get("id") for c in score if c.tag in (f"{SVG}title", f"{SVG}desc")] == labelled
    desc = score.findtext(f"{SVG}desc")
    for t in doc["targets"]:
        assert f"{t['name']}: " in desc
        for p in t["score_history"]:  # the date and the percentage as the page writes them
            assert f"{Formats('en').date(p['date'])}: {p['percent']:g}%" in desc
    paths = score.findall(f"{SVG}path")
    assert len(paths) == len(doc["targets"])
    assert all(p.get("fill") == "none" and p.get("stroke") for p in paths)  # attributes, not CSS
    # The text equivalent: a table with one row per point.
    rows = sum(len(t["score_history"]) for t in doc["targets"])
    table = html[html.index("The score over time as a table") :]
    assert table[: table.index("</table>")].count('<tr><th scope="row">') == rows
    # Each demand over time: a table, one row per demand, its steps in words in the row.
    table = html[html.index('<table class="demand-time">') :]
    table = table[: table.index("</table>")]
    rows = table.split("<tr>")[2:]
    assert len(rows) == len(doc["demands"])
    d3 = next(r for r in rows if '<span class="did">D3</span>' in r)
    assert "June 30, 2020 Partly met, August 1, 2020 Refused" in d3
    assert table.count('<span class="dot"') == sum(len(d["evidence"]) for d in doc["demands"])


@pytest.mark.slow
def test_charts_reach_the_pdf(runner, multi: Path) -> None:  # noqa: F811
    from pypdf import PdfReader

    result = runner.invoke(cli, ["build", str(multi), "--as-of", "2020-12-01", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert "PDF:" not in result.output, "WeasyPrint logged warnings or errors"
    for name in ("scorecard.pdf", "scorecard.rival.pdf"):
        text = "\n".join(p.extract_text() for p in PdfReader(multi / "output" / name).pages)
        assert "Targets compared" in text and "Score over time" in text
        assert "Each demand over time" in text
        assert "RivalCorp" in text and "1 of 3 met" in text


def test_untrusted_text_stays_text_in_feed_and_badge(runner, multi: Path) -> None:  # noqa: F811
    hostile = "A & B <script>alert(1)</script> ]]> 'x'"
    text = (multi / "demands.yaml").read_text(encoding="utf-8")
    text = text.replace("  title: Mini campaign", f'  title: "{hostile}"', 1)
    text = text.replace("    title: Remove hate groups", f'    title: "{hostile}"', 1)
    (multi / "demands.yaml").write_text(text, encoding="utf-8")
    result = runner.invoke(
        cli, ["build", str(multi), "--as-of", "2020-12-01", "--format", "html,csv"]
    )
    assert result.exit_code == 0, result.output
    raw = hostile
    out = multi / "output"
    feed = ElementTree.fromstring((out / "feed.xml").read_bytes())
    assert feed.findtext(f"{ATOM}title") == f"{raw}: status changes"
    titles = [e.findtext(f"{ATOM}title") for e in feed.findall(f"{ATOM}entry")]
    assert f"RivalCorp, D3 {raw}: Promised → Refused" in titles
    assert b"<script>" not in (out / "feed.xml").read_bytes()
    badge = ElementTree.fromstring((out / "badge.svg").read_bytes())
    assert badge.findtext(f"{SVG}title").startswith(f"{raw}, ExampleCorp: ")
    assert b"<script>" not in (out / "badge.svg").read_bytes()
    rows = read_csv(out / "demands.csv")
    assert rows[3][2] == raw


def test_no_responses_at_all(runner, mini: Path) -> None:
    (mini / "responses.yaml").write_text("responses: []\n", encoding="utf-8")
    result = runner.invoke(
        cli, ["build", str(mini), "--as-of", "2020-12-01", "--format", "html,json,csv,sqlite"]
    )
    assert result.exit_code == 0, result.output
    out = mini / "output"
    feed = ElementTree.fromstring((out / "feed.xml").read_bytes())
    atom_checks(feed)
    # Only the status set by hand (D4, n/a from 2020-09-01) is a change.
    assert len(feed.findall(f"{ATOM}entry")) == 1
    doc = document(out)
    history = [p["date"] for p in doc["targets"][0]["score_history"]]
    assert history == ["2020-06-01", "2020-09-01", "2020-12-01"]  # from the launch
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    assert svgs(html, "score-time") and '<table class="demand-time">' in html


def test_json_is_the_document_as_json_dumps_writes_it() -> None:
    """scorecard.json by orjson: json.dumps's bytes (two-space indent, UTF-8, key order, a
    final newline); a float under 0.0001 in its shortest form; what orjson refuses (a lone
    surrogate, an integer past 64 bits) by json.dumps itself."""
    from scorecard.render.data import json_bytes, to_json

    doc = {
        "text": 'é ع \u2028 "q" \\ </script>',
        "numbers": [0, -3, 2.5, 100.0, 1e16, 0.1 + 0.2],
        "nested": {"empty": [], "none": None, "yes": True, "also": {}},
    }
    expected = json.dumps(doc, ensure_ascii=False, indent=2) + "\n"
    assert json_bytes(doc) == expected.encode() and to_json(doc) == expected
    tiny = {"weight": 1e-06, "points": 2.5e-05}
    assert json.loads(json_bytes(tiny)) == tiny
    for refused in ({"text": "\ud800"}, {"big": 10**30}):
        assert to_json(refused) == json.dumps(refused, ensure_ascii=False, indent=2) + "\n"


def test_a_response_title_names_it_wherever_it_is_listed(runner, mini: Path) -> None:
    """``title``: after the kind and speaker in the demand's history, the evidence page and the
    feed (the report's history and register name it by the same function); in its own column of responses.csv and the SQLite table; in the
    JSON. In another language, the title in that language, or the default's marked as such."""
    from conftest import replace_once

    replace_once(
        mini / "responses.yaml",
        "    speaker: ExampleCorp newsroom\n",
        "    speaker: ExampleCorp newsroom\n"
        "    title:\n      en: Groups <removed> & banned\n      fr: Groupes supprimés\n",
    )
    out = mini / "output"
    done = runner.invoke(
        cli, ["build", str(mini), "--format", "html,json,csv,sqlite", "--lang", "en,fr,ar"]
    )
    assert done.exit_code == 0, done.output
    named = "Enforcement, ExampleCorp newsroom: Groups &lt;removed&gt; &amp; banned"
    page = (out / "scorecard.html").read_text()
    history = page[page.index('id="r-r1-D3"') :].split("</tr>")[0]
    assert named in re.sub(r"<[^>]+>", "", history)
    evidence = (out / "evidence.html").read_text()
    assert f"· {named}</h3>" in re.sub(r"<(?!/?h3)[^>]+>", "", evidence)
    assert "Groupes supprimés" in (out / "scorecard.fr.html").read_text()
    arabic = (out / "scorecard.ar.html").read_text()  # no Arabic title: the English, marked
    assert re.search(r'lang="en"[^>]*>[^<]*Groups &lt;removed&gt; &amp; banned', arabic)
    feed = ElementTree.fromstring((out / "feed.xml").read_bytes())
    summaries = " ".join(e.findtext(f"{ATOM}summary") for e in feed.findall(f"{ATOM}entry"))
    assert "Enforcement, ExampleCorp newsroom: Groups <removed> & banned: Removed" in summaries
    rows = {r[1]: r for r in read_csv(out / "responses.csv")}
    assert rows["r1"][-1] == "Groups <removed> & banned" and rows["r2"][-1] == ""
    with sqlite3.connect(out / "scorecard.sqlite") as db:
        assert db.execute("SELECT title FROM responses WHERE id = 'r1'").fetchone() == (
            "Groups <removed> & banned",
        )
    data = json.loads((out / "scorecard.json").read_text())
    r1 = next(r for r in data["responses"] if r["id"] == "r1")
    assert r1["title"] == {"en": "Groups <removed> & banned", "fr": "Groupes supprimés"}


def test_feed_dates_are_rfc_3339_when_a_change_is_dated_by_its_month_or_year(
    runner, tmp_path: Path
) -> None:
    """The TSB example dates rulings by their month or year ("2024-02", "2020"): the feed's
    dates are still full RFC 3339 date-times (the period's last day, as the change counts),
    and the summary keeps the month or year. Arabic titles run right to left: ←."""
    import shutil

    project = tmp_path / "tsb"
    shutil.copytree(Path(__file__).resolve().parent.parent / "examples" / "tsb-aviation", project)
    done = runner.invoke(cli, ["build", str(project), "--format", "html", "--lang", "en,ar"])
    assert done.exit_code == 0, done.output
    stamp = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
    for name, arrow in (("feed.xml", " → "), ("feed.ar.xml", " ← ")):
        root = ElementTree.fromstring((project / "output" / name).read_bytes())
        assert stamp.fullmatch(root.findtext(f"{ATOM}updated"))
        entries = root.findall(f"{ATOM}entry")
        for entry in entries:
            assert stamp.fullmatch(entry.findtext(f"{ATOM}updated")), name
            assert stamp.fullmatch(entry.findtext(f"{ATOM}published")), name
            assert arrow in entry.findtext(f"{ATOM}title")
        partial = [e for e in entries if re.match(r"\d{4}(-\d{2})?:", e.findtext(f"{ATOM}summary"))]
        assert partial, "the example has changes dated by month or year"
        assert not feedparser.parse((project / "output" / name).read_bytes()).bozo
