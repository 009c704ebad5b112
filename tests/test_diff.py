"""scorecard diff and build --since: what changed, between dates, folders and git revisions."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from scorecard.cli import cli
from scorecard.edit import campaign as edit

MINI_SINCE = """\
What changed from 2020-07-01 to 2020-12-01 (statuses as of 2020-12-01):
  D1 Civil rights executive: No response -> Partly met
      2020-07-07 r2 (partial)
  D2 Independent audits: No response -> Not addressed
      2020-07-07 r2 (none)
  D3 Remove hate groups: Partly met -> Refused
      2020-08-01 r4 (refused)
  D4 Politician exemption: No response -> Not applicable (set by hand)
"""


def test_diff_since_a_date(runner, mini: Path) -> None:
    result = runner.invoke(
        cli, ["diff", str(mini), "--since", "2020-07-01", "--as-of", "2020-12-01"]
    )
    assert (result.exit_code, result.stdout) == (0, MINI_SINCE)


def test_diff_since_json(runner, mini: Path) -> None:
    result = runner.invoke(
        cli,
        ["diff", str(mini), "--since", "2020-07-07", "--as-of", "2020-08-01", "--format", "json"],
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "before": "2020-07-07",
        "after": "2020-08-01",
        "as_of": "2020-08-01",
        "changes": [
            {
                "demand": "D3",
                "title": {"en": "Remove hate groups"},
                "from": "partial",
                "to": "refused",
                "set_by_hand": False,
                "ruling": None,
                "responses": [{"id": "r4", "date": "2020-08-01", "verdict": "refused"}],
            }
        ],
    }


def test_nothing_changed(runner, mini: Path) -> None:
    result = runner.invoke(
        cli, ["diff", str(mini), "--since", "2020-08-02", "--as-of", "2020-08-30"]
    )
    assert result.stdout.endswith("  no demand changed status.\n")


def test_diff_between_two_folders(runner, mini: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(mini, new)
    edit.link(new, "r3", "D2", "full", "Audit published")
    result = runner.invoke(cli, ["diff", str(mini), str(new), "--as-of", "2020-12-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[1:] == [
        "  D2 Independent audits: Not addressed -> Met",
        "      2020-07-07 r3 (full)",
    ]


def _git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), *args], check=True, capture_output=True, text=True
    ).stdout.strip()


def test_diff_between_git_revisions(runner, mini: Path) -> None:
    _git(mini, "init", "-q")
    _git(mini, "-c", "user.name=t", "-c", "user.email=t@example.org", "add", ".")
    _git(mini, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qm", "one")
    edit.set_status(mini, "D1", "met", "Hired a chief", __import__("datetime").date(2020, 9, 1))
    result = runner.invoke(cli, ["diff", str(mini), "--from", "HEAD", "--as-of", "2020-12-01"])
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "What changed from HEAD to the working folder (statuses as of 2020-12-01):\n"
        "  D1 Civil rights executive: Partly met -> Met (ruling 2020-09-01-d1-met)\n"
    )
    _git(mini, "add", "assessments.yaml")
    _git(mini, "-c", "user.name=t", "-c", "user.email=t@example.org", "commit", "-qam", "two")
    both = runner.invoke(
        cli,
        [
            "diff",
            str(mini),
            "--from",
            "HEAD~1",
            "--to",
            "HEAD",
            "--as-of",
            "2020-12-01",
            "--format",
            "json",
        ],
    )
    assert json.loads(both.stdout)["changes"][0]["to"] == "met"
    bad = runner.invoke(cli, ["diff", str(mini), "--from", "nosuchrev"])
    assert bad.exit_code == 1
    assert bad.output.startswith("cannot read demands.yaml at revision 'nosuchrev': ")
    assert "Traceback" not in bad.output


@pytest.mark.parametrize(
    "args", [[], ["--since", "2020-01-01", "--from", "HEAD"], ["--to", "HEAD"]]
)
def test_diff_needs_exactly_one_mode(runner, mini: Path, args: list[str]) -> None:
    result = runner.invoke(cli, ["diff", str(mini), *args])
    assert result.exit_code == 2 and "give one of: --since DATE" in result.output


def test_since_after_as_of_is_an_error(runner, mini: Path) -> None:
    result = runner.invoke(
        cli, ["diff", str(mini), "--since", "2021-01-01", "--as-of", "2020-01-01"]
    )
    assert result.exit_code == 1 and "--since 2021-01-01 is after" in result.output


def test_build_since_adds_what_changed_to_page_pdf_and_json(runner, mini: Path) -> None:
    result = runner.invoke(
        cli, ["build", str(mini), "--as-of", "2020-12-01", "--since", "2020-07-01"]
    )
    assert result.exit_code == 0, result.output
    html = (mini / "output" / "scorecard.html").read_text(encoding="utf-8")
    section = html[html.index('<section class="changes"') :]
    section = section[: section.index("</section>")]
    assert '<h2 id="changes-heading">What changed</h2>' in section
    assert "Status changes from 2020-07-01 to 2020-12-01." in section
    assert section.count("<li><a href=") == 4 and 'r4 (<span class="verdict v-refused">' in section
    text = "\n".join(p.extract_text() for p in PdfReader(mini / "output" / "scorecard.pdf").pages)
    assert "What changed" in text and re.search(r"Partly met\s*→\s*Refused", text)
    doc = json.loads((mini / "output" / "scorecard.json").read_text(encoding="utf-8"))
    assert [c["demand"] for c in doc["changes"]["changes"]] == ["D1", "D2", "D3", "D4"]
    plain = runner.invoke(
        cli, ["build", str(mini), "--as-of", "2020-12-01", "--format", "html,json"]
    )
    assert plain.exit_code == 0
    assert "What changed" not in (mini / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert "changes" not in json.loads((mini / "output" / "scorecard.json").read_text())


def test_a_removed_link_is_named_as_the_cause(runner, mini: Path, tmp_path: Path) -> None:
    new = tmp_path / "new"
    shutil.copytree(mini, new)
    edit.unlink(new, "r4", "D3")
    result = runner.invoke(cli, ["diff", str(mini), str(new), "--as-of", "2020-12-01"])
    assert result.stdout.splitlines()[1:] == [
        "  D3 Remove hate groups: Refused -> Partly met",
        "      2020-08-01 r4 (refused, link removed)",
    ]
    data = json.loads(
        runner.invoke(
            cli, ["diff", str(mini), str(new), "--as-of", "2020-12-01", "--format", "json"]
        ).stdout
    )
    assert data["changes"][0]["responses"] == [
        {"id": "r4", "date": "2020-08-01", "verdict": "refused", "removed": True}
    ]
