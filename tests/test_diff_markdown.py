"""`scorecard diff --format markdown` (diff.to_markdown): the pull request comment of the CI
workflow. A GitHub Flavored Markdown table of the demands whose status changes, from -> to,
with the responses that changed it; user text in it is inert (no markup, HTML or mentions)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from markdown_it import MarkdownIt

from scorecard.cli import cli
from scorecard.edit import campaign as edit

MINI_SINCE = """\
### Statuses that change

From `2020-07-01` to `2020-12-01`, statuses as of 2020-12-01: **4 demands** change status.

| Demand | From | To | Responses |
| --- | --- | --- | --- |
| **D1** Civil rights executive | No response | **Partly met** | 2020-07-07 `r2` (partial) |
| **D2** Independent audits | No response | **Not addressed** | 2020-07-07 `r2` (none) |
| **D3** Remove hate groups | Partly met | **Refused** | 2020-08-01 `r4` (refused) |
| **D4** Politician exemption | No response | **Not applicable (set by hand)** | – |
"""


def gfm(text: str) -> str:
    return MarkdownIt("commonmark", {"html": True}).enable("table").render(text)


def test_markdown_since_a_date(runner, mini: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "diff",
            str(mini),
            "--since",
            "2020-07-01",
            "--as-of",
            "2020-12-01",
            "--format",
            "markdown",
        ],
    )
    assert (result.exit_code, result.stdout) == (0, MINI_SINCE)
    html = gfm(result.stdout)
    assert html.count("<tr>") == 5 and html.count("<td>") == 16  # a header and 4 rows of 4


def test_markdown_when_nothing_changes(runner, mini: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "diff",
            str(mini),
            "--since",
            "2020-08-02",
            "--as-of",
            "2020-08-30",
            "--format",
            "markdown",
        ],
    )
    assert result.exit_code == 0
    assert result.stdout.endswith("statuses as of 2020-08-30: no demand changes status.\n")
    assert "|" not in result.stdout


def test_one_change_and_a_removed_link(runner, mini: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(mini, new)
    edit.unlink(new, "r4", "D3")
    result = runner.invoke(
        cli, ["diff", str(mini), str(new), "--as-of", "2020-12-01", "--format", "markdown"]
    )
    assert result.exit_code == 0, result.output
    assert "**1 demand** changes status." in result.stdout
    assert (
        "| **D3** Remove hate groups | Refused | **Partly met** | "
        "2020-08-01 `r4` (refused, link removed) |"
    ) in result.stdout


def test_user_text_is_inert(runner, mini: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(mini, new)
    hostile = "Audit | @octocat <script>x</script> *now* #12 [link](https://e.org) `code`"
    text = (
        (new / "demands.yaml")
        .read_text()
        .replace("title: Independent audits", f"title: '{hostile}'")
    )
    (new / "demands.yaml").write_text(text)
    (mini / "demands.yaml").write_text(text)
    edit.link(new, "r3", "D2", "full")
    result = runner.invoke(
        cli, ["diff", str(mini), str(new), "--as-of", "2020-12-01", "--format", "markdown"]
    )
    assert result.exit_code == 0, result.output
    html = gfm(result.stdout)
    row = html.split("<tbody>")[1]
    assert row.count("<td>") == 4  # the | in the title did not open a cell
    for bad in ("<script", "<em>", "<a ", "@octocat", "#12"):
        assert bad not in row
    # shown as written (a word joiner after @ and #), escaped once, not twice
    assert (
        "Audit | @\u2060octocat &lt;script&gt;x&lt;/script&gt; *now* #\u206012 "
        "[link](https://e.org) `code`"
    ) in row


def test_markdown_between_git_revisions(runner, mini: Path) -> None:
    def git(*args: str) -> str:
        return subprocess.run(
            ["git", "-C", str(mini), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()

    git("init", "-q")
    git("add", ".")
    git("commit", "-qm", "one")
    base = git("rev-parse", "HEAD")
    edit.link(mini, "r3", "D2", "full", "Audit published")
    git("commit", "-qam", "two")
    head = git("rev-parse", "HEAD")
    result = runner.invoke(
        cli,
        [
            "diff",
            str(mini),
            "--from",
            base,
            "--to",
            head,
            "--as-of",
            "2020-12-01",
            "--format",
            "markdown",
        ],
    )
    assert result.exit_code == 0, result.output
    assert f"From `{base}` to `{head}`" in result.stdout
    assert (
        "| **D2** Independent audits | Not addressed | **Met** | 2020-07-07 `r3` (full) |"
        in result.stdout
    )
