"""scorecard init: a new campaign that validates, builds and can be edited at once."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema

from scorecard.cli import cli
from scorecard.load import load_file


def test_init_writes_a_skeleton_that_validates_and_builds(runner, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    result = runner.invoke(
        cli, ["init", str(folder), "--title", "Fair pay: now", "--target-name", "ACME Corp"]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir()) == [
        ".gitignore",
        "README.md",
        "assessments.schema.json",
        "demands.schema.json",
        "demands.yaml",
        "responses.schema.json",
        "responses.yaml",
    ]
    assert (folder / ".gitignore").read_text() == "output/\n"
    for name in ("demands", "responses"):
        text = (folder / f"{name}.yaml").read_text(encoding="utf-8")
        assert text.startswith(f"# yaml-language-server: $schema={name}.schema.json\n")
        schema = json.loads((folder / f"{name}.schema.json").read_text(encoding="utf-8"))
        assert schema == json.loads(runner.invoke(cli, ["schema", name]).stdout)
        jsonschema.validate(load_file(folder / f"{name}.yaml").data, schema)
    assert 'title: "Fair pay: now"' in (folder / "demands.yaml").read_text(encoding="utf-8")
    assert "# Fair pay: now" in (folder / "README.md").read_text(encoding="utf-8")
    assert runner.invoke(cli, ["validate", str(folder)]).exit_code == 0
    built = runner.invoke(cli, ["build", str(folder)])
    assert built.exit_code == 0, built.output
    html = (folder / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert "Fair pay: now" in html and "ACME Corp" in html
    assert (folder / "output" / "scorecard.pdf").read_bytes().startswith(b"%PDF")


def test_editing_a_fresh_project(runner, tmp_path: Path) -> None:
    folder = tmp_path / "new"
    runner.invoke(cli, ["init", str(folder)])
    before = (folder / "responses.yaml").read_bytes()
    result = runner.invoke(
        cli,
        [
            "add-response",
            str(folder),
            "--date",
            "2030-01-15",
            "--kind",
            "letter",
            "--summary",
            "A letter.",
            "--source-title",
            "Letter",
            "--source-url",
            "https://example.org/l",
        ],
    )
    assert result.exit_code == 0, result.output
    after = (folder / "responses.yaml").read_bytes()
    assert after == before.replace(
        b"responses: []\n",
        (
            b"responses:\n  - id: 2030-01-15-a-letter\n    date: 2030-01-15\n    kind: letter\n"
            b"    summary: A letter.\n    sources:\n      - title: Letter\n"
            b"        url: https://example.org/l\n    addresses: []\n"
        ),
    )
    for args in (
        ["link", "2030-01-15-a-letter", "D1", "--verdict", "promised"],
        ["unlink", "2030-01-15-a-letter", "D1"],
    ):
        assert runner.invoke(cli, [*args, "-C", str(folder)]).exit_code == 0
    assert (folder / "responses.yaml").read_bytes() == after
    status = runner.invoke(
        cli,
        [
            "set-status",
            "D1",
            "refused",
            "--reason",
            "Said no",
            "--date",
            "2030-02-01",
            "-C",
            str(folder),
        ],
    )
    assert status.exit_code == 0, status.output
    assert runner.invoke(cli, ["validate", str(folder)]).exit_code == 0


def test_init_never_overwrites(runner, mini: Path) -> None:
    before = {p.name: p.read_bytes() for p in mini.iterdir()}
    result = runner.invoke(cli, ["init", str(mini)])
    assert (result.exit_code, result.output) == (
        1,
        (f"{mini} is not an empty folder; give a new folder name (init never overwrites a file)\n"),
    )
    assert {p.name: p.read_bytes() for p in mini.iterdir()} == before
