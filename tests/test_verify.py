"""Provenance and `scorecard verify`: every output says where it came from (the tool's version,
each input's SHA-256, the git commit), and verify rebuilds with the recorded settings and says,
file by file, whether the published outputs are exactly what the data gives."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import replace_once

from scorecard.cli import cli
from scorecard.provenance import git_state


def _build(runner, project: Path, *args: str) -> Path:
    result = runner.invoke(cli, ["build", str(project), *args])
    assert result.exit_code == 0, result.output
    return project / "output"


def _verify(runner, published: Path, project: Path, *args: str):
    return runner.invoke(cli, ["verify", str(published), str(project), *args])


def _line(output: str, name: str) -> str:
    return next(
        line for line in output.splitlines() if re.search(rf"\s{re.escape(name)}(\s|$)", line)
    )


def test_provenance_in_the_json_and_the_page(runner, mini: Path) -> None:
    out = _build(runner, mini, "--format", "html,json", "--as-of", "2020-12-01")
    doc = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    p = doc["provenance"]
    assert p["version"] and p["git"] is None  # tmp_path is no git checkout
    assert p["inputs"] == [
        {"file": n, "sha256": hashlib.sha256((mini / n).read_bytes()).hexdigest()}
        for n in ("demands.yaml", "responses.yaml")
    ]
    assert p["build"] == {
        "formats": ["html", "json"],
        "languages": ["en"],
        "since": None,
        "templates": "default",
    }
    page = (out / "scorecard.html").read_text(encoding="utf-8")
    meta = re.search(r"<meta name=\"scorecard:provenance\" content='([^']*)'>", page)
    assert meta, "the provenance meta tag"
    shown = json.loads(meta[1].replace("&#34;", '"'))
    assert shown == {"version": p["version"], "inputs": p["inputs"], "git": None}
    footer = page[page.index('<footer class="colophon">') :]
    assert p["inputs"][0]["sha256"][:16] in footer and "Not built from a git checkout" in footer


def test_git_commit_and_modified(tmp_path: Path, mini: Path, runner) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(mini, repo / "campaign")
    git = ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@example.org"]
    subprocess.run([*git, "init", "-q"], check=True)
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "data"], check=True)
    head = subprocess.run(
        [*git, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    folder = repo / "campaign"
    assert git_state(folder, ["demands.yaml", "responses.yaml"]) == {
        "commit": head,
        "path": "campaign/",
        "modified": False,
    }
    out = _build(runner, folder, "--format", "json")
    doc = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))
    assert doc["provenance"]["git"] == {"commit": head, "path": "campaign/", "modified": False}
    # The outputs, untracked, are not the inputs; an edited input is.
    replace_once(folder / "responses.yaml", "verdict: partial", "verdict: full")
    assert git_state(folder, ["demands.yaml", "responses.yaml"])["modified"] is True
    assert git_state(folder, ["demands.yaml"])["modified"] is False


def test_no_git_never_fails_the_build(runner, mini: Path, monkeypatch) -> None:
    monkeypatch.setenv("PATH", str(mini))  # no git on the PATH
    assert git_state(mini, ["demands.yaml"]) is None
    _build(runner, mini, "--format", "json")


def test_verify_passes_on_the_example(runner, built_example) -> None:
    """A fresh build of the bundled example (three targets, their PDFs): every file the same."""
    folder, _ = built_example
    result = _verify(runner, folder / "output", folder)
    assert result.exit_code == 0, result.output
    assert "OK: the" in result.output and "DIFFERENT" not in result.output
    for name in ("scorecard.html", "scorecard.pdf", "scorecard.json", "scorecard.youtube.pdf"):
        assert _line(result.output, name).split()[0] == "same"
    assert "demands.yaml: the same as recorded" in result.output


@pytest.fixture
def published(runner, mini: Path) -> Path:
    return _build(
        runner, mini, "--format", "html,json,csv", "--as-of", "2020-12-01", "--lang", "en,ar"
    )


def test_verify_passes_with_the_recorded_settings(runner, mini: Path, published: Path) -> None:
    """The as-of date, languages, formats and clock come from scorecard.json, not from today."""
    result = _verify(runner, published, mini)
    assert result.exit_code == 0, result.output
    assert "as of 2020-12-01" in result.output and "languages en,ar" in result.output
    assert _line(result.output, "scorecard.ar.html").split()[0] == "same"


def test_one_byte_of_the_page_changed(runner, mini: Path, published: Path) -> None:
    page = published / "scorecard.html"
    data = bytearray(page.read_bytes())
    at = data.index(b"Civil rights executive")
    data[at] = ord("c")
    page.write_bytes(bytes(data))
    result = _verify(runner, published, mini)
    assert result.exit_code == 1, result.output
    line = _line(result.output, "scorecard.html")
    assert line.split()[0] == "DIFFERENT" and "civil rights executive" in line
    assert _line(result.output, "scorecard.json").split()[0] == "same"
    assert "NOT THE SAME: 1 of" in result.output


def test_one_verdict_changed_in_the_published_data(runner, mini: Path, published: Path) -> None:
    data = published / "scorecard.json"
    text = data.read_text(encoding="utf-8")
    assert '"verdict": "partial"' in text
    data.write_text(text.replace('"verdict": "partial"', '"verdict": "full"', 1), encoding="utf-8")
    result = _verify(runner, published, mini)
    assert result.exit_code == 1, result.output
    line = _line(result.output, "scorecard.json")
    assert line.split()[0] == "DIFFERENT" and '"verdict": "full"' in line


def test_one_verdict_changed_in_the_project(runner, mini: Path, published: Path) -> None:
    """The data changed since publishing: the outputs it shows differ, and the input's hash."""
    replace_once(mini / "responses.yaml", "verdict: partial", "verdict: full")
    result = _verify(runner, published, mini)
    assert result.exit_code == 1, result.output
    for name in ("scorecard.html", "scorecard.json", "responses.csv"):
        assert _line(result.output, name).split()[0] == "DIFFERENT", name
    assert "responses.yaml: CHANGED: recorded" in result.output
    assert "demands.yaml: the same as recorded" in result.output


def test_missing_and_extra_files(runner, mini: Path, published: Path) -> None:
    (published / "feed.xml").unlink()
    (published / "notes.txt").write_text("mine\n", encoding="utf-8")
    (published / ".hidden").write_text("not an output\n", encoding="utf-8")
    result = _verify(runner, published, mini)
    assert result.exit_code == 1, result.output
    assert _line(result.output, "feed.xml").split()[0] == "MISSING"
    assert _line(result.output, "notes.txt").split()[0] == "EXTRA"
    assert ".hidden" not in result.output


def test_verify_one_published_pdf(runner, mini: Path, tmp_path: Path) -> None:
    """A journalist holding only the PDF: its attached scorecard.json says how it was built."""
    out = _build(runner, mini, "--format", "pdf", "--as-of", "2020-12-01")
    pdf = tmp_path / "downloaded" / "scorecard.pdf"
    pdf.parent.mkdir()
    shutil.copy(out / "scorecard.pdf", pdf)
    shutil.rmtree(out)
    result = _verify(runner, pdf, mini)
    assert result.exit_code == 0, result.output
    assert "attached to" in result.output
    assert _line(result.output, "scorecard.pdf").split()[0] == "same"
    replace_once(mini / "responses.yaml", "verdict: partial", "verdict: full")
    result = _verify(runner, pdf, mini)
    assert result.exit_code == 1, result.output
    assert _line(result.output, "scorecard.pdf").split()[0] == "DIFFERENT"
    assert "responses.yaml: CHANGED" in result.output


def test_verify_without_a_record(runner, mini: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    result = _verify(runner, empty, mini)
    assert result.exit_code == 1
    assert "nothing says how it was built" in result.output


def test_a_pdf_built_without_a_fixed_clock_verifies(runner, mini: Path, monkeypatch) -> None:
    """Without SOURCE_DATE_EPOCH the build takes the time, and records it: the PDF's bytes
    (fonts' timestamps included) depend on that recorded clock only, so verify, later, gives
    the same bytes."""
    import time

    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    out = _build(runner, mini, "--format", "pdf,json")
    time.sleep(1.5)
    result = _verify(runner, out, mini)
    assert result.exit_code == 0, result.output
    assert _line(result.output, "scorecard.pdf").split()[0] == "same"
