"""The hostile-input corpus (tests/hostile/): bad input gets a clear, located error, exit 1, no
traceback and nothing written; valid-but-nasty input renders safely. Every case runs
``python -m scorecard build`` in a subprocess with a timeout."""

from __future__ import annotations

import json
import shutil
import tomllib
from pathlib import Path

import pytest
from hostile_helpers import PAGES, pages_issues, scorecard, snapshot, tag_counts

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "hostile"
CASES = tomllib.loads((CORPUS / "cases.toml").read_text(encoding="utf-8"))
PREVIOUS = {"scorecard.html": b"<p>the previous page</p>\n", "scorecard.json": b"{}\n"}
TIMEOUT = 30  # seconds: a guard against hangs, not a benchmark


def _project(
    tmp_path: Path, files: dict[str, bytes] | None = None, case: str | None = None
) -> Path:
    """A copy of the mini campaign with the case's files laid over it, plus previous outputs."""
    project = tmp_path / "p"
    shutil.copytree(HERE / "fixtures" / "mini", project)
    if case:
        for path in (CORPUS / case).iterdir():
            shutil.copy(path, project / path.name)
    for name, content in (files or {}).items():
        (project / name).write_bytes(content)
    (project / "output").mkdir()
    for name, content in PREVIOUS.items():
        (project / "output" / name).write_bytes(content)
    return project


@pytest.fixture(scope="module")
def baseline(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, int]]:
    """How many <script> and <style> elements each page of the untouched mini campaign has."""
    tmp = tmp_path_factory.mktemp("baseline")
    project = _project(tmp)
    run = scorecard("build", "p", "--format", "html", cwd=tmp, timeout=TIMEOUT)
    assert run.code == 0, run.err
    counts = {
        name: tag_counts((project / "output" / name).read_text(encoding="utf-8")) for name in PAGES
    }
    assert pages_issues(project / "output", counts) == []  # the pages themselves are clean
    return counts


def test_corpus_is_big_enough_and_complete() -> None:
    folders = {p.name for p in CORPUS.iterdir() if p.is_dir()}
    assert folders == set(CASES), "every folder has an entry in cases.toml and back"
    assert len(CASES) >= 30
    for name, case in CASES.items():
        assert case["threat"], name
        assert case["exit"] in (0, 1), name
        assert ("message" in case) == (case["exit"] == 1), name


def assert_refused(
    tmp_path: Path, project: Path, run, where: str, message: str, before: dict
) -> None:
    assert run.code == 1, f"exit {run.code}\n{run.err}"
    assert "Traceback" not in run.err and "Traceback" not in run.out, run.err
    prefix = f"p/{where}" + ("" if where.endswith(":") else ": ")  # "file:line:" or "file:l:c"
    hits = [line for line in run.lines if line.startswith(prefix) and message in line]
    assert hits, f"no line 'p/{where}: ...{message}...' in:\n{run.err}"
    assert run.lines[-1].endswith("nothing was written."), run.err
    assert snapshot(tmp_path) == before, "a file was created, changed or removed"


@pytest.mark.parametrize("name", sorted(CASES))
def test_case(name: str, tmp_path: Path, baseline: dict[str, dict[str, int]]) -> None:
    case = CASES[name]
    project = _project(tmp_path, case=name)
    inputs = {p.name: p.read_bytes() for p in project.glob("*.yaml")}
    before = snapshot(tmp_path)
    run = scorecard("build", "p", "--format", "html,json", cwd=tmp_path, timeout=TIMEOUT)
    if case["exit"] == 1:
        assert_refused(tmp_path, project, run, case["where"], case["message"], before)
        return
    assert run.code == 0, run.err
    assert "Traceback" not in run.err, run.err
    assert {p.name: p.read_bytes() for p in project.glob("*.yaml")} == inputs
    out = project / "output"
    assert sorted(
        p.name
        for p in out.iterdir()
        if not (  # the badges per demand aside
            p.name.startswith("badge.") and p.name != "badge.svg"
        )
    ) == ["badge.svg", "evidence.html", "feed.xml", "scorecard.html", "scorecard.json"]
    assert not list(tmp_path.glob(".scorecard-staging-*")), "a staging folder was left behind"
    assert pages_issues(out, baseline) == []
    html = "".join((out / name).read_text(encoding="utf-8") for name in PAGES)
    for text in case["shows"]:
        assert text in html, f"{text!r} is not in the pages"
    data = (out / "scorecard.json").read_text(encoding="utf-8")
    json.loads(data, parse_constant=lambda c: pytest.fail(f"{c} in scorecard.json"))
    for text in case.get("json_shows", []):
        assert text in data, f"{text!r} is not in scorecard.json"


# ------------------------------------------------------------------ generated at run time


def _responses(summary: str) -> bytes:
    return (
        "responses:\n  - id: r1\n    date: 2020-06-30\n    kind: statement\n"
        f"    summary: {summary}\n    sources:\n      - title: Post\n"
        "        url: https://example.org/post\n    addresses: []\n"
    ).encode()


def _alias_bomb(levels: int = 9, width: int = 9) -> bytes:
    """The "billion laughs": 9 levels of 9 aliases each, 387 million strings once expanded."""
    lines = ['lol0: &lol0 "lol"']
    lines += [
        f"lol{i}: &lol{i} [{', '.join([f'*lol{i - 1}'] * width)}]" for i in range(1, levels + 1)
    ]
    return ("responses: []\n" + "\n".join(lines) + "\n").encode()


GENERATED = {
    "string-50mb": (
        lambda: _responses("x" * 50_000_000),
        "responses.yaml:1:1",
        "more than the 20 MB a campaign file may be",
    ),
    "string-15mb": (lambda: _responses("x" * 15_000_000), "responses.yaml:5:14", "is too long"),
    # the column is ours (52) or, with newer libyaml builds, where libyaml's own limit stops
    "nesting-10000-flow": (
        lambda: _responses("[" * 10_000 + "]" * 10_000),
        "responses.yaml:5:",
        "nests deeper than 40 levels",
    ),
    "nesting-10000-block": (
        lambda: _responses("\n" + "      - " * 10_000 + "x"),
        "responses.yaml:6:",
        "nests deeper than 40 levels",
    ),
    "alias-bomb": (_alias_bomb, "responses.yaml:2:7", "anchors and aliases are not supported"),
    "alias-bomb-wide": (
        lambda: ('x: &x "' + "A" * 1000 + '"\ny: [' + ", ".join(["*x"] * 500_000) + "]\n").encode(),
        "responses.yaml:2:",
        "more than 100 problems in this file",
    ),
}


def _many_unknown_keys() -> bytes:
    demands = (HERE / "fixtures" / "mini" / "demands.yaml").read_text(encoding="utf-8")
    keys = "".join(f"  k{i}: x\n" for i in range(100_000))
    return demands.replace("  lang: en\n", "  lang: en\n" + keys).encode()


def _many_bad_references() -> bytes:
    """5,000 responses, each addressing a demand that does not exist: every one of them would
    be worth a "did you mean", and each guess costs time."""
    return (
        "responses:\n"
        + "".join(
            f"  - id: r{i}\n    date: 2020-01-01\n    kind: other\n    summary: s\n"
            f"    sources: [{{title: t, url: 'https://example.org'}}]\n"
            f"    addresses: [{{demand: X{i}, verdict: full}}]\n"
            for i in range(5_000)
        )
    ).encode()


def _huge_key() -> bytes:
    """A 1 MB key, twice: the messages must not repeat it in full."""
    demands = (HERE / "fixtures" / "mini" / "demands.yaml").read_text(encoding="utf-8")
    key = "k" * 1_000_000
    return demands.replace(
        "  lang: en\n", f"  lang: en\n  ? {key}\n  : v\n  ? {key}\n  : v\n"
    ).encode()


def _unknown_key_then_115_errors() -> bytes:
    """An unknown key on line 2, then 115 wrong weights: pydantic lists the unknown key last."""
    demands = (HERE / "fixtures" / "mini" / "demands.yaml").read_text(encoding="utf-8")
    demands = demands.replace("campaign:\n", "x_unknown: 1\ncampaign:\n", 1)
    return (
        demands
        + "".join(
            f"  - id: E{i}\n    group: decency\n    title: T\n    text: X\n    weight: heavy\n"
            for i in range(115)
        )
    ).encode()


GENERATED_DEMANDS = {
    "huge-key": (
        _huge_key,
        "demands.yaml:10:5",
        "' appears twice in the same mapping (first on line 8); keep one of them",
    ),
    "many-unknown-keys": (
        _many_unknown_keys,
        "demands.yaml:108:3",
        "more than 100 problems in this file: the first 100 (in line order) are listed",
    ),
}
GENERATED_MARKDOWN = {  # the PDF stage's known killers, stopped by the Markdown budget
    "markdown-alternating-emphasis": (
        lambda: _responses(json.dumps("a*b*" * 5_000)),
        "responses.yaml:5:14",
        "the Markdown holds 5,000 inline elements",
    ),
    "markdown-nested-emphasis": (
        lambda: _responses(json.dumps("*" * 500 + "a" + "*" * 500)),
        "responses.yaml:5:14",
        "the Markdown nests deeper than 20",
    ),
    "markdown-nested-quotes": (
        lambda: _responses(json.dumps(">" * 5_000 + " a")),
        "responses.yaml:5:14",
        "the Markdown nests deeper than 20",
    ),
    "markdown-45-alternating": (
        lambda: _many_summaries("a*b*" * 5_000, 45),
        "responses.yaml:5:14",
        "the Markdown holds 5,000 inline",
    ),
    "markdown-brackets-20mb": (
        lambda: _many_summaries("[" * 20_000, 1_000),
        "responses.yaml:77:14",
        "than 250,000 characters that can start",
    ),
}


def _many_summaries(summary: str, count: int) -> bytes:
    return (
        "responses:\n"
        + "".join(
            f"  - id: r{i}\n    date: 2020-06-30\n    kind: statement\n"
            f"    summary: {json.dumps(summary)}\n    sources: [{{title: t, url: "
            "'https://example.org'}]\n    addresses: []\n"
            for i in range(count)
        )
    ).encode()


GENERATED_DEMANDS["unknown-key-then-115-errors"] = (
    _unknown_key_then_115_errors,
    "demands.yaml:543:13",
    "the first 100 (in line order) are listed, at least 16 more are not",
)
GENERATED_RESPONSES_MANY = {
    "many-bad-references": (
        _many_bad_references,
        "responses.yaml:607:26",
        "more than 100 problems in this file: the first 100 (in line order) are listed",
    ),
}


@pytest.mark.parametrize(
    "name",
    sorted(GENERATED)
    + sorted(GENERATED_DEMANDS)
    + sorted(GENERATED_RESPONSES_MANY)
    + sorted(GENERATED_MARKDOWN),
)
def test_generated_case(name: str, tmp_path: Path) -> None:
    file = "demands.yaml" if name in GENERATED_DEMANDS else "responses.yaml"
    make, where, message = {
        **GENERATED,
        **GENERATED_DEMANDS,
        **GENERATED_RESPONSES_MANY,
        **GENERATED_MARKDOWN,
    }[name]
    project = _project(tmp_path, {file: make()})
    before = snapshot(tmp_path)
    formats = "html,json,pdf" if name in GENERATED_MARKDOWN else "html,json"
    run = scorecard("build", "p", "--format", formats, cwd=tmp_path, timeout=TIMEOUT)
    assert_refused(tmp_path, project, run, where, message, before)
    assert len(run.err) < 100_000, "the message should not repeat the huge input"
    assert len(run.lines) <= 2 * 101 + 1, "at most 100 problems a file, then one line"
    if name == "unknown-key-then-115-errors":
        assert run.lines[0].startswith(
            "p/demands.yaml:2:1: x_unknown: 'x_unknown' is not a known key"
        ), run.err
        assert run.lines[-1].endswith("at least 116 errors; nothing was written."), run.err


# ------------------------------------------------------------------ the editing commands

ADD = [
    "add-response",
    "p",
    "--id",
    "r9",
    "--date",
    "2020-01-01",
    "--kind",
    "other",
    "--source-title",
    "T",
    "--source-url",
    "https://example.org/t",
    "--summary",
]
EDITS = {  # name: (arguments, the file edited, what reads back: None if refused)
    "set-status-reason-newline": (
        ["set-status", "D1", "met", "-C", "p", "--date", "2020-01-01", "--reason", "a\nb"],
        "assessments.yaml",
        "a\nb\n",
    ),
    "summary-leading-spaces": ([*ADD, "  lead\nx"], "responses.yaml", "  lead\nx"),
    "summary-trailing-spaces": ([*ADD, "trail  \nx"], "responses.yaml", "trail  \nx"),
    "summary-cr": ([*ADD, "a\rb\nc"], "responses.yaml", "a\rb\nc"),
    "summary-u2028": ([*ADD, "a\u2028b\nc"], "responses.yaml", "a\u2028b\nc"),
    "summary-injection": (
        [*ADD, "x\n- id: r1\n---\nkey: value"],
        "responses.yaml",
        "x\n- id: r1\n---\nkey: value\n",
    ),
    "link-reason-esc": (
        ["link", "r1", "D1", "--verdict", "full", "-C", "p", "--reason", "a\x1b[2Jb"],
        "responses.yaml",
        None,
    ),
    "link-reason-nel": (
        ["link", "r1", "D1", "--verdict", "full", "-C", "p", "--reason", "a\x85b"],
        "responses.yaml",
        None,
    ),
    "link-reason-rlo": (
        ["link", "r1", "D1", "--verdict", "full", "-C", "p", "--reason", "a\u202eb"],
        "responses.yaml",
        None,
    ),
    "link-reason-fffe": (
        ["link", "r1", "D1", "--verdict", "full", "-C", "p", "--reason", "a\ufffeb"],
        "responses.yaml",
        None,
    ),
}


def _read_back(project: Path, file: str) -> str:
    from scorecard.load import parse_bytes

    data = parse_bytes((project / file).read_bytes(), file).data
    if file == "assessments.yaml":
        return data["assessments"][-1]["rulings"][0]["reason"]
    if data["responses"][-1]["id"] == "r9":
        return data["responses"][-1]["summary"]
    return data["responses"][0]["addresses"][-1]["reason"]


@pytest.mark.parametrize("name", sorted(EDITS))
def test_edit_command_stores_verbatim_or_refuses(name: str, tmp_path: Path) -> None:
    args, file, expected = EDITS[name]
    project = _project(tmp_path)
    before = snapshot(tmp_path)
    run = scorecard(*args, cwd=tmp_path, timeout=TIMEOUT)
    assert "Traceback" not in run.err + run.out, run.err
    if expected is None:
        assert run.code == 1, run.err
        assert run.lines[-1].startswith("--reason: the text holds "), run.err
        assert run.lines[-1].endswith("nothing was written"), run.err
        assert "\x1b" not in run.err and "\u202e" not in run.err
        assert snapshot(tmp_path) == before
        return
    assert run.code == 0, run.err
    assert _read_back(project, file) == expected


# ------------------------------------------------------------------ the PDF's budget


def test_pdf_over_its_budget_is_refused_before_weasyprint(tmp_path: Path) -> None:
    """450 summaries of 100 emphases each: every text is within its own limits, the report as
    a whole would keep WeasyPrint busy for minutes."""
    project = _project(tmp_path, {"responses.yaml": _many_summaries("*a* " * 100, 450)})
    before = snapshot(tmp_path)
    run = scorecard("build", "p", "--format", "html,pdf", cwd=tmp_path, timeout=TIMEOUT)
    assert run.code == 1, run.err
    assert "Traceback" not in run.err, run.err
    assert run.lines[-1].startswith("the PDF report would weigh "), run.err
    assert "more than the 125,000 the PDF stage lays out in about 96 s" in run.err
    assert snapshot(tmp_path) == before, "a file was created, changed or removed"
    assert project.is_dir()


def test_a_response_shown_under_thousands_of_demands_is_refused(tmp_path: Path) -> None:
    """0.4 MB of YAML: one 17 KB summary addressing 5,000 demands made a 111 MB page and a
    100 MB feed (and 0.8 GB in the PDF stage)."""
    demands = "campaign: {title: T, target: X}\ndemands:\n" + "".join(
        f"  - {{id: D{i}, title: t, text: x}}\n" for i in range(5_000)
    )
    links = ", ".join(f"{{demand: D{i}, verdict: partial}}" for i in range(5_000))
    responses = _many_summaries("lorem ipsum " * 1_400, 1).replace(
        b"addresses: []", f"addresses: [{links}]".encode()
    )
    project = _project(tmp_path, {"demands.yaml": demands.encode(), "responses.yaml": responses})
    before = snapshot(tmp_path)
    run = scorecard("build", "p", "--format", "html,json,pdf", cwd=tmp_path, timeout=TIMEOUT)
    assert_refused(
        tmp_path,
        project,
        run,
        "responses.yaml:2:5",
        "shown once for each of the 5,000 demands it addresses",
        before,
    )
    assert "more than 40,000,000 characters of text" in run.err


def test_the_pdf_budget_bounds_the_reports_of_a_build_together(tmp_path: Path) -> None:
    """30 targets, each report within the budget of one: 30 PDFs would keep WeasyPrint busy
    for many minutes; all the reports of a build together have a bound too."""
    text = "lorem ipsum " * 1_600
    demands = (
        "campaign: {title: T, target: T0}\ntargets:\n"
        + "".join(f"  - {{id: t{i}, name: T{i}}}\n" for i in range(30))
        + "demands:\n"
        + "".join(f"  - {{id: D{i}, title: t, text: {text}}}\n" for i in range(40))
    )
    project = _project(
        tmp_path, {"demands.yaml": demands.encode(), "responses.yaml": b"responses: []\n"}
    )
    before = snapshot(tmp_path)
    run = scorecard("build", "p", "--format", "html,pdf", cwd=tmp_path, timeout=TIMEOUT)
    assert run.code == 1, run.err
    assert "Traceback" not in run.err, run.err
    assert run.lines[-1].startswith(
        "the 30 PDF reports of this build (one per target and language) would weigh "
    ), run.err
    assert " together (4 times the budget of one report)" in run.lines[-1]
    assert "more than the 500,000 the PDF stage lays out" in run.lines[-1]
    assert snapshot(tmp_path) == before, "a file was created, changed or removed"
    assert project.is_dir()


def test_a_pdf_far_over_its_budget_is_refused_before_any_report_is_rendered(tmp_path: Path) -> None:
    """9,000 responses: five elements each at the least, over a budget of 40,000 without
    rendering (the default budget is passed the same way, by 25,000 linked responses)."""
    project = _project(tmp_path, {"responses.yaml": _many_summaries("s", 9_000)})
    before = snapshot(tmp_path)
    run = scorecard(
        "build", "p", "--format", "html,pdf", "--pdf-budget", "40000", cwd=tmp_path, timeout=TIMEOUT
    )
    assert run.code == 1, run.err
    assert run.lines[-1].startswith(
        "the PDF report would weigh at least 45,000 (five elements for each response shown)"
    ), run.err
    assert snapshot(tmp_path) == before
    assert project.is_dir()


def test_the_pdf_budget_can_be_raised_for_trusted_data(runner, mini: Path) -> None:
    """A refused PDF says how much budget it needs; given that, the same build makes it."""
    from scorecard.cli import cli

    result = runner.invoke(cli, ["build", str(mini), "--format", "pdf", "--pdf-budget", "1000"])
    assert result.exit_code == 1
    assert "more than the 1,000 the PDF stage lays out" in result.output
    needed = result.output.split("--pdf-budget ")[1].split(":")[0].replace(",", "")
    assert not (mini / "output").exists()
    result = runner.invoke(cli, ["build", str(mini), "--format", "pdf", "--pdf-budget", needed])
    assert result.exit_code == 0, result.output
    assert (mini / "output" / "scorecard.pdf").read_bytes().startswith(b"%PDF")
