"""Lossless edits: link, unlink, set-status, add-response change only the lines they are about.

Every comparison here is of bytes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import FIXTURES, snapshot

from scorecard.cli import cli
from scorecard.cli import options as cli_options
from scorecard.edit import campaign as edit
from scorecard.edit import yamltext
from scorecard.errors import ScorecardError

DEMANDS_FLOW = """\
campaign: {title: "Flow campaign", target: 'ExampleCorp', lang: en}   # all flow
groups: [{id: g, title: {en: Group, ar: مجموعة}}]
demands:
- {id: D1, group: g, title: 'Civil rights executive', text: "Hire one."}
- {id: D2, group: g, title: Audits, text: Submit to audits., weight: 2}
"""
RESPONSES_FLOW = """\
responses:
- {id: r1, date: 2020-06-30, kind: policy, summary: 'Did a thing.', sources: [{title: T, url: 'https://example.org/a'}], addresses: [{demand: D1, verdict: partial}]}
- {id: r2, date: 2020-07-01, kind: other, summary: "Nothing.", sources: [{title: U, url: "https://example.org/b"}], addresses: []}
"""
DEMANDS_QUOTED = """\
# Everything quoted, list items not indented under their key.
"campaign":
  "title": "Quoted campaign"
  'target': 'ExampleCorp'
  "lang": "en"
"demands":
- "id": "D1"
  "title": 'Civil rights executive'   # trailing comment
  "text": "Hire one."

- "id": "D2"
  "title": "Audits"
  "text": |-
    Submit to
    audits.
"""
RESPONSES_QUOTED = """\
"responses":
- "id": "r1"
  "date": "2020-06-30"
  "kind": "policy"
  "summary": "Did a thing."
  "sources":
  - "title": "T"
    "url": "https://example.org/a"
  "addresses":
  - "demand": "D1"
    "verdict": "partial"
    "reason": 'Half: of it'
- "id": "r2"
  "date": "2020-07-01"
  "kind": "other"
  "summary": >
    Nothing
    at all.
  "sources":
  - {"title": "U", "url": "https://example.org/b"}
  "addresses": []      # nothing yet
"""
COMMENTS = """\
# top comment

responses:   # the list
  # before r1
  - id: r1    # id comment
    # inside r1
    date: 2020-06-30
    kind: policy
    summary: |
      Did a thing.

    sources:
      - title: T   # t
        url: https://example.org/a
    addresses:
      # the links
      - demand: D1   # first
        verdict: partial  # why
        # after verdict

      # between links
  # before r2

  - id: r2
    date: 2020-07-01
    kind: other
    summary: Nothing.
    sources:
      - title: U
        url: https://example.org/b
    addresses: []  # none yet
# the end
"""


def _project(tmp_path: Path, demands: str, responses: str, crlf_bom: bool = False) -> Path:
    root = tmp_path / "p"
    root.mkdir()
    for name, text in (("demands.yaml", demands), ("responses.yaml", responses)):
        data = text.encode()
        if crlf_bom:
            data = b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n")
        (root / name).write_bytes(data)
    return root


def _mini_demands() -> str:
    return (FIXTURES / "mini" / "demands.yaml").read_text(encoding="utf-8")


def _mini_responses() -> str:
    return (FIXTURES / "mini" / "responses.yaml").read_text(encoding="utf-8")


STYLES = {
    "block": lambda: (_mini_demands(), _mini_responses(), False),
    "block-crlf-bom": lambda: (_mini_demands(), _mini_responses(), True),
    "flow": lambda: (DEMANDS_FLOW, RESPONSES_FLOW, False),
    "flow-crlf-bom": lambda: (DEMANDS_FLOW, RESPONSES_FLOW, True),
    "quoted": lambda: (DEMANDS_QUOTED, RESPONSES_QUOTED, False),
    "comments": lambda: (DEMANDS_QUOTED, COMMENTS, False),
    "comments-crlf-bom": lambda: (DEMANDS_QUOTED, COMMENTS, True),
}
# (response with links, response without links) in each style
PAIRS = {
    "block": ("r1", "r3"),
    "flow": ("r1", "r2"),
    "quoted": ("r1", "r2"),
    "comments": ("r1", "r2"),
}


def _pairs(style: str) -> tuple[str, str]:
    return PAIRS[style.split("-")[0]]


@pytest.fixture(params=list(STYLES))
def styled(request, tmp_path: Path) -> tuple[str, Path]:
    demands, responses, crlf_bom = STYLES[request.param]()
    return request.param, _project(tmp_path, demands, responses, crlf_bom)


@pytest.mark.parametrize("which", [0, 1])
def test_link_then_unlink_restores_the_file_byte_for_byte(styled, which: int) -> None:
    style, root = styled
    before = snapshot(root)
    response = _pairs(style)[which]
    edit.link(root, response, "D2", "promised", "Said: later.")
    after = snapshot(root)
    assert after != before
    assert after["demands.yaml"] == before["demands.yaml"]
    edit.unlink(root, response, "D2")
    assert snapshot(root) == before


def test_link_changes_only_the_lines_it_is_about(styled) -> None:
    style, root = styled
    old = (root / "responses.yaml").read_bytes()
    edit.link(root, _pairs(style)[1], "D1", "full", "Done.")
    new = (root / "responses.yaml").read_bytes()
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    # every old line is still there, in order; what is new mentions the link
    import difflib

    ops = difflib.SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes()
    changed = [
        (tag, b"".join(old_lines[i1:i2]), b"".join(new_lines[j1:j2]))
        for tag, i1, i2, j1, j2 in ops
        if tag != "equal"
    ]
    assert len(changed) == 1, changed
    tag, gone, added = changed[0]
    assert b"D1" in added and b"full" in added and b"Done." in added
    assert gone.count(b"\n") <= 1 and (not gone or b"addresses" in gone)
    if style.endswith("crlf-bom"):
        assert new.startswith(b"\xef\xbb\xbf")
        assert new.count(b"\n") == new.count(b"\r\n")


def test_link_into_block_list_exact_bytes(mini: Path) -> None:
    path = mini / "responses.yaml"
    old = path.read_bytes()
    edit.link(mini, "r1", "D1", "promised", "Said it would: soon")
    assert path.read_bytes() == old.replace(
        b"        reason: Some groups removed.\n",
        b"        reason: Some groups removed.\n"
        b"      - demand: D1\n        verdict: promised\n"
        b'        reason: "Said it would: soon"\n',
    )


def test_link_into_empty_list_exact_bytes(mini: Path) -> None:
    path = mini / "responses.yaml"
    old = path.read_bytes()
    edit.link(mini, "r3", "D2", "none")
    assert path.read_bytes() == old.replace(
        b"    addresses: []\n", b"    addresses:\n      - demand: D2\n        verdict: none\n"
    )


def test_link_into_flow_list_exact_bytes(tmp_path: Path) -> None:
    root = _project(tmp_path, DEMANDS_FLOW, RESPONSES_FLOW, crlf_bom=True)
    path = root / "responses.yaml"
    old = path.read_bytes()
    edit.link(root, "r1", "D2", "refused", "no")
    assert path.read_bytes() == old.replace(
        b"addresses: [{demand: D1, verdict: partial}]}",
        b"addresses: [{demand: D1, verdict: partial}, {demand: D2, verdict: refused, "
        b'reason: "no"}]}',
    )
    edit.link(root, "r2", "D2", "full")
    assert b"addresses: [{demand: D2, verdict: full}]}\r\n" in path.read_bytes()


def test_changing_a_verdict_touches_that_line_only(mini: Path) -> None:
    path = mini / "responses.yaml"
    old = path.read_bytes()
    edit.link(mini, "r2", "D1", "full")
    assert path.read_bytes() == old.replace(
        b"      - demand: D1\n        verdict: partial\n",
        b"      - demand: D1\n        verdict: full\n",
    )
    edit.link(mini, "r2", "D1", "full", "Now a C-suite role.")
    assert path.read_bytes() == old.replace(
        b"      - demand: D1\n        verdict: partial\n"
        b"        reason: A civil rights role, not in the C-suite.\n",
        b"      - demand: D1\n        verdict: full\n        reason: Now a C-suite role.\n",
    )


def test_set_status_appends_rulings_and_leaves_the_other_files_alone(styled) -> None:
    import datetime as dt

    from scorecard.validate import load_project

    _, root = styled
    before = snapshot(root)
    edit.set_status(root, "D2", "n/a", "Withdrawn: by the campaign", dt.date(2021, 1, 1))
    first = (root / "assessments.yaml").read_bytes()
    assert {k: v for k, v in snapshot(root).items() if k != "assessments.yaml"} == before
    edit.set_status(root, "D2", "met", "Back, and done", dt.date(2021, 2, 1))
    second = (root / "assessments.yaml").read_bytes()
    assert second.startswith(first)  # the first ruling is kept, byte for byte
    project, _ = load_project(root)
    (one, two) = project.assessments
    assert (one.date, one.rulings[0].status.value, one.rulings[0].reason["en"]) == (
        dt.date(2021, 1, 1),
        "n/a",
        "Withdrawn: by the campaign",
    )
    assert (two.id, two.rulings[0].status.value) == ("2021-02-01-d2-met", "met")


def test_set_status_moves_a_status_written_on_the_demand_into_the_rulings(mini: Path) -> None:
    import datetime as dt

    from scorecard.match import scorecard
    from scorecard.validate import load_project

    path = mini / "demands.yaml"
    old = path.read_bytes()
    edit.set_status(mini, "D4", "refused", "Refused in writing", dt.date(2020, 10, 1))
    assert path.read_bytes() == old.replace(
        b"    status:\n      value: n/a\n      reason: Withdrawn by the campaign.\n"
        b"      date: 2020-09-01\n",
        b"",
    )
    project, _ = load_project(mini)
    assert [(a.date.isoformat(), a.by, a.rulings[0].status.value) for a in project.assessments] == [
        ("2020-09-01", "set by hand in demands.yaml", "n/a"),
        ("2020-10-01", "Group A, Group B", "refused"),
    ]
    card = scorecard(project, dt.date(2020, 9, 15))
    assert card.demands[3].status.value == "n/a"
    card = scorecard(project, dt.date(2020, 12, 1))
    assert card.demands[3].status.value == "refused"
    assert card.demands[3].cause.kind == "ruling"


def test_clear_removes_a_status_written_on_the_demand(mini: Path) -> None:
    path = mini / "demands.yaml"
    old = path.read_bytes()
    edit.set_status(mini, "D4", None)
    assert path.read_bytes() == old.replace(
        b"    status:\n      value: n/a\n      reason: Withdrawn by the campaign.\n"
        b"      date: 2020-09-01\n",
        b"",
    )
    assert not (mini / "assessments.yaml").exists()


def test_an_edit_that_breaks_validation_writes_nothing(runner, mini: Path) -> None:
    before = snapshot(mini)
    result = runner.invoke(cli, ["link", "r1", "D9", "--verdict", "full", "-C", str(mini)])
    assert result.exit_code == 1
    assert "'D9' is not a demand in" in result.output and "did you mean 'D" in result.output
    result = runner.invoke(
        cli,
        [
            "add-response",
            str(mini),
            "--date",
            "2020-01-01",
            "--kind",
            "other",
            "--summary",
            "x",
            "--source-title",
            "T",
            "--source-url",
            "ftp://example.org/x",
        ],
    )
    assert result.exit_code == 1
    assert "is not a web address" in result.output and "nothing was written" in result.output
    assert "Traceback" not in result.output
    assert snapshot(mini) == before


def test_invalid_project_is_refused_before_editing(runner, mini: Path) -> None:
    path = mini / "demands.yaml"
    path.write_bytes(path.read_bytes().replace(b"group: decency\n", b"group: decncy\n", 1))
    before = snapshot(mini)
    result = runner.invoke(cli, ["unlink", "r1", "D3", "-C", str(mini)])
    assert result.exit_code == 1
    assert "'decncy' is not a group; did you mean 'decency'?" in result.output
    assert snapshot(mini) == before


def test_a_file_changed_meanwhile_is_not_overwritten(mini: Path, monkeypatch) -> None:
    path = mini / "responses.yaml"
    real = edit.CampaignFiles.commit

    def someone_saves(self, doc, change):
        path.write_bytes(path.read_bytes() + b"# saved by someone else\n")
        return real(self, doc, change)

    monkeypatch.setattr(edit.CampaignFiles, "commit", someone_saves)
    with pytest.raises(ScorecardError, match="was changed by someone else"):
        edit.link(mini, "r1", "D1", "full")
    assert path.read_bytes().endswith(b"# saved by someone else\n")
    assert b"verdict: full" not in path.read_bytes()
    assert [p.name for p in mini.iterdir() if p.name.endswith(".tmp")] == []


def test_unlink_and_clear_say_when_there_is_nothing_to_do(runner, mini: Path) -> None:
    result = runner.invoke(cli, ["unlink", "r1", "D1", "-C", str(mini)])
    assert (result.exit_code, result.output) == (
        1,
        "'r1' does not address 'D1'; nothing to unlink\n",
    )
    result = runner.invoke(cli, ["set-status", "D1", "--clear", "-C", str(mini)])
    assert (result.exit_code, result.output) == (
        1,
        "'D1' has no status set by hand; nothing to clear\n",
    )
    result = runner.invoke(cli, ["set-status", "D1", "met", "-C", str(mini)])
    assert result.exit_code == 2 and "--reason is required" in result.output


def test_set_status_command(runner, mini: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "set-status",
            "D2",
            "met",
            "--reason",
            "Audit published",
            "--date",
            "2020-09-09",
            "-C",
            str(mini),
        ],
    )
    assert (result.exit_code, result.output) == (
        0,
        "D2: ruled met from 2020-09-09 (2020-09-09-d2-met in assessments.yaml)\n",
    )
    status = runner.invoke(cli, ["status", str(mini), "--as-of", "2020-12-01"])
    assert "D2      Met " in status.output
    doc = json.loads(
        runner.invoke(
            cli, ["status", str(mini), "--as-of", "2020-12-01", "--format", "json"]
        ).output
    )
    d2 = next(d for d in doc["demands"] if d["id"] == "D2")
    assert d2["cause"] == {
        "kind": "ruling",
        "date": "2020-09-09",
        "id": "2020-09-09-d2-met",
        "by": "Group A, Group B",
    }
    result = runner.invoke(cli, ["set-status", "D2", "not-asked", "--reason", "x", "-C", str(mini)])
    assert result.exit_code == 2 and "'not-asked' is not one of" in result.output


def test_add_response_from_options(runner, mini: Path) -> None:
    old = (mini / "responses.yaml").read_bytes()
    result = runner.invoke(
        cli,
        [
            "add-response",
            str(mini),
            "--date",
            "2020-09-01",
            "--kind",
            "policy",
            "--speaker",
            "CEO",
            "--summary",
            "New audit: published.",
            "--source-title",
            "Audit",
            "--source-url",
            "https://example.org/audit",
            "--link",
            "D2:full:Audit published",
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.output.startswith("Added response 2020-09-01-new-audit-published to ")
    new = (mini / "responses.yaml").read_bytes()
    assert new == old + (
        b"  - id: 2020-09-01-new-audit-published\n    date: 2020-09-01\n    kind: policy\n"
        b'    speaker: CEO\n    summary: "New audit: published."\n    sources:\n'
        b"      - title: Audit\n        url: https://example.org/audit\n    addresses:\n"
        b"      - demand: D2\n        verdict: full\n        reason: Audit published\n"
    )
    status = runner.invoke(cli, ["status", str(mini), "--as-of", "2020-12-01"])
    assert "D2      Met" in status.output


def test_add_response_keeps_blank_line_separation_and_crlf(runner, example: Path) -> None:
    path = example / "responses.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    old = path.read_bytes()
    result = runner.invoke(
        cli,
        [
            "add-response",
            str(example),
            "--id",
            "fb-2021-07-01-x",
            "--date",
            "2021-07-01",
            "--kind",
            "statement",
            "--summary",
            "Line one.\nLine two.",
            "--source-title",
            "T",
            "--source-url",
            "https://example.org/t",
        ],
    )
    assert result.exit_code == 0, result.output
    new = path.read_bytes()
    assert new.startswith(old)
    assert new[len(old) :] == (
        b"\r\n  - id: fb-2021-07-01-x\r\n    date: 2021-07-01\r\n    kind: statement\r\n"
        b"    summary: |\r\n      Line one.\r\n      Line two.\r\n    sources:\r\n"
        b"      - title: T\r\n        url: https://example.org/t\r\n    addresses: []\r\n"
    )


def test_add_response_never_prompts_without_a_terminal(runner, mini: Path) -> None:
    before = snapshot(mini)
    result = runner.invoke(cli, ["add-response", str(mini), "--date", "2020-09-01"], input="x\n")
    assert result.exit_code == 2
    assert (
        "missing --kind, --summary, --source-title, --source-url (input is not a terminal, "
        "so nothing is asked)"
    ) in result.output
    assert snapshot(mini) == before


@pytest.mark.parametrize("blank", ["   ", "\n", "\t \n"])
def test_a_blank_value_is_refused_on_one_line(runner, mini: Path, blank: str) -> None:
    """Only spaces or line breaks: refused before anything is read, naming the option, in one
    line (the loader strips a one-line field, so the file would otherwise become invalid)."""
    before = snapshot(mini)
    result = runner.invoke(
        cli,
        ["add-response", str(mini), "--date", "2020-09-01", "--kind", "statement"]
        + ["--summary", "Said so.", "--source-title", "Post", "--source-url", "https://a.example/"]
        + ["--speaker", blank],
    )
    assert result.exit_code == 1
    assert result.output.count("\n") == 1, result.output
    assert result.output.startswith("--speaker: the value is only spaces or line breaks")
    assert snapshot(mini) == before


def test_add_response_prompts_on_a_terminal(runner, mini: Path, monkeypatch) -> None:
    monkeypatch.setattr(cli_options, "interactive", lambda: True)
    answers = "2020-09-02\nhire\nCEO\nHired a VP.\nNews\nhttps://example.org/n\nD1:partial\n\n"
    result = runner.invoke(cli, ["add-response", str(mini)], input=answers)
    assert result.exit_code == 0, result.output
    assert "Date (YYYY-MM-DD):" in result.output and "Source URL:" in result.output
    text = (mini / "responses.yaml").read_text(encoding="utf-8")
    assert text.endswith(
        "  - id: 2020-09-02-hired-a-vp\n    date: 2020-09-02\n    kind: hire\n"
        "    speaker: CEO\n    summary: Hired a VP.\n    sources:\n"
        "      - title: News\n        url: https://example.org/n\n"
        "    addresses:\n      - demand: D1\n        verdict: partial\n"
    )


def test_edits_work_on_the_example(example: Path) -> None:
    before = snapshot(example)
    edit.link(example, "fb-2020-06-17-clegg-press-call", "D4", "none", "Hate speech, not groups")
    edit.unlink(example, "fb-2020-06-17-clegg-press-call", "D4")
    edit.link(example, "fb-2021-06-04-politicians-newsworthiness", "D10", "promised")
    edit.unlink(example, "fb-2021-06-04-politicians-newsworthiness", "D10")
    assert snapshot(example) == before


def test_scalar_round_trips() -> None:
    from scorecard.load import parse_bytes

    for value in [
        "plain",
        "no",
        "010",
        "a: b",
        "#x",
        "null",
        "",
        " lead",
        "قال: نعم",
        "it's",
        '"q"',
        "- x",
        "[x]",
        "{x}",
        "x #y",
        "@x",
        "`x",
        "1e3",
        "~",
    ]:
        text = yamltext.scalar(value)
        assert "\n" not in text
        assert parse_bytes(f"k: {text}\n".encode(), "t").data == {"k": value}, value


def test_help_of_edit_commands(runner) -> None:
    for name in ("add-response", "link", "unlink", "set-status"):
        result = runner.invoke(cli, [name, "--help"])
        assert result.exit_code == 0 and "Usage:" in result.output


def test_copy_is_not_shared(tmp_path: Path) -> None:
    # the fixture folders are never edited in place
    shutil.copytree(FIXTURES / "mini", tmp_path / "m")
    edit.link(tmp_path / "m", "r3", "D1", "none")
    assert b"addresses: []" in (FIXTURES / "mini" / "responses.yaml").read_bytes()


def test_add_response_with_every_field(runner, mini: Path) -> None:
    old = (mini / "responses.yaml").read_bytes()
    result = runner.invoke(
        cli,
        [
            "add-response",
            str(mini),
            "--id",
            "r5",
            "--date",
            "2020-09-01",
            "--date-note",
            "Reported a day later",
            "--kind",
            "statement",
            "--speaker",
            "CEO",
            "--summary",
            "Line one.\nLine two.",
            "--quote",
            "We hear you",
            "--quote-by",
            "CEO",
            "--note",
            "Unverified",
            "--source-title",
            "Post",
            "--source-url",
            "https://example.org/p",
            "--source-publisher",
            "Newsroom",
            "--source-date",
            "2020-09-02",
            "--source-lang",
            "ar",
            "--link",
            "D1:none",
            "--link",
            "D3:promised:Will look again",
        ],
    )
    assert result.exit_code == 0, result.output
    assert (mini / "responses.yaml").read_bytes() == old + (
        b"  - id: r5\n    date: 2020-09-01\n    date_note: Reported a day later\n"
        b"    kind: statement\n    speaker: CEO\n    summary: |\n      Line one.\n      Line two.\n"
        b"    quote:\n      text: We hear you\n      by: CEO\n    note: Unverified\n"
        b"    sources:\n      - title: Post\n        url: https://example.org/p\n"
        b"        publisher: Newsroom\n        date: 2020-09-02\n        lang: ar\n"
        b"    addresses:\n      - demand: D1\n        verdict: none\n"
        b"      - demand: D3\n        verdict: promised\n        reason: Will look again\n"
    )
    result = runner.invoke(cli, ["add-response", str(mini), "--quote", "x"])
    assert result.exit_code == 2 and "--quote needs --quote-by" in result.output


def test_link_adds_a_missing_addresses_key(mini: Path) -> None:
    path = mini / "responses.yaml"
    path.write_bytes(path.read_bytes().replace(b"    addresses: []\n", b""))
    old = path.read_bytes()
    edit.link(mini, "r3", "D1", "none")
    assert path.read_bytes() == old.replace(
        b"        url: https://example.org/statement\n",
        b"        url: https://example.org/statement\n"
        b"    addresses:\n      - demand: D1\n        verdict: none\n",
    )
    edit.unlink(mini, "r3", "D1")  # the list stays, empty, as docs/format.md writes it
    assert path.read_bytes() == old.replace(
        b"        url: https://example.org/statement\n",
        b"        url: https://example.org/statement\n    addresses: []\n",
    )


def test_linking_again_with_the_same_verdict_changes_nothing(runner, mini: Path) -> None:
    before = snapshot(mini)
    result = runner.invoke(cli, ["link", "r1", "D3", "--verdict", "partial", "-C", str(mini)])
    assert (result.exit_code, result.output) == (
        0,
        "r1 -> D3: already linked with verdict partial; nothing changed\n",
    )
    assert snapshot(mini) == before


@pytest.mark.parametrize("nl", [b"\n", b"\r\n"])
def test_a_file_without_a_final_newline(runner, mini: Path, nl: bytes) -> None:
    path = mini / "responses.yaml"
    path.write_bytes(path.read_bytes().rstrip(b"\n").replace(b"\n", nl))
    before = snapshot(mini)
    edit.link(mini, "r4", "D1", "none")
    assert path.read_bytes().endswith(
        b"verdict: refused" + nl + b"      - demand: D1" + nl + b"        verdict: none"
    )
    edit.unlink(mini, "r4", "D1")
    assert snapshot(mini) == before
    edit.set_status(mini, "D1", "met", "Done", __import__("datetime").date(2020, 9, 1))
    assert {k: v for k, v in snapshot(mini).items() if k != "assessments.yaml"} == before
    result = runner.invoke(
        cli,
        [
            "add-response",
            str(mini),
            "--id",
            "r9",
            "--date",
            "2020-09-09",
            "--kind",
            "other",
            "--summary",
            "x",
            "--source-title",
            "T",
            "--source-url",
            "https://example.org/t",
        ],
    )
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(before["responses.yaml"] + nl + b"  - id: r9" + nl)


def test_new_lines_follow_the_quoting_and_indentation_of_their_neighbours(tmp_path: Path) -> None:
    import datetime as dt

    root = _project(tmp_path, DEMANDS_QUOTED, RESPONSES_QUOTED)
    path = root / "responses.yaml"
    old = path.read_bytes()
    edit.link(root, "r2", "D2", "full", "it's done")
    assert path.read_bytes() == old.replace(
        b'  "addresses": []      # nothing yet\n',
        b'  "addresses":      # nothing yet\n  - "demand": "D2"\n    "verdict": "full"\n'
        b'    "reason": "it\'s done"\n',
    )
    edit.add_response(
        root,
        {
            "id": "r3",
            "date": dt.date(2021, 1, 1),
            "kind": "other",
            "summary": "s",
            "source_title": "t",
            "source_url": "https://e.org",
        },
    )
    assert path.read_text(encoding="utf-8").endswith(
        '- "id": "r3"\n  "date": "2021-01-01"\n  "kind": "other"\n  "summary": "s"\n'
        '  "sources":\n  - "title": "t"\n    "url": "https://e.org"\n  "addresses": []\n'
    )
    edit.set_status(root, "D1", "met", "y", dt.date(2020, 1, 1))
    assert "        status: met\n        reason: y\n" in (root / "assessments.yaml").read_text(
        encoding="utf-8"
    )
