"""The command line: exact output, exit codes, help on every command."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import click
import pytest
from conftest import ROOT, snapshot

from scorecard import __version__
from scorecard.cli import cli

STATUS_TABLE = """\
Demand  Status                        Last response  Title
D1      Partly met                    2020-07-07     Civil rights executive
D2      Not addressed                 2020-07-07     Independent audits
D3      Refused                       2020-08-01     Remove hate groups
D4      Not applicable (set by hand)  -              Politician exemption

Mini campaign: 0 of 3 met, 1 partly (12.5%) as of 2020-12-01; rule: latest (4 responses).
Rule: Latest verdict wins: a demand takes the status of the most recent response that gave it \
a verdict other than 'none', so a later refusal overrides an earlier step.
Partly met: A response did part of what the demand asked (verdict 'partial').
Refused: The target declined to do what the demand asked (verdict 'refused').
Not addressed: Responses touched the demand but offered nothing on it (only 'none' verdicts).
Not applicable: Set by hand as not applicable; left out of the score.
"""


def test_status_table(runner, mini: Path) -> None:
    result = runner.invoke(cli, ["status", str(mini), "--as-of", "2020-12-01"])
    assert result.exit_code == 0
    assert result.stdout == STATUS_TABLE
    assert result.stderr.endswith(
        "warning: 'r3' addresses no demand; it is shown as addressing nothing\n"
    )


def test_status_json_is_the_scorecard_document(runner, mini: Path) -> None:
    result = runner.invoke(cli, ["status", str(mini), "--as-of", "2020-07-07", "--format", "json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["as_of"] == "2020-07-07" and doc["rule"]["id"] == "latest"
    assert doc["generated_on"] == "2023-11-14T22:13:20Z"  # SOURCE_DATE_EPOCH
    assert [(d["id"], d["status"]) for d in doc["demands"]] == [
        ("D1", "partial"),
        ("D2", "not-addressed"),
        ("D3", "partial"),
        ("D4", "no-response"),
    ]
    built = runner.invoke(cli, ["build", str(mini), "--as-of", "2020-07-07", "--format", "json"])
    assert built.exit_code == 0
    written = json.loads((mini / "output" / "scorecard.json").read_text(encoding="utf-8"))
    # The same document, but for how the build was asked for (formats, languages): status
    # is no build.
    assert written["provenance"].pop("build")["formats"] == ["json"]
    assert doc["provenance"].pop("build") is None
    assert written == doc


def test_build_prints_one_result_line(runner, mini: Path) -> None:
    result = runner.invoke(
        cli,
        [
            "build",
            str(mini),
            "--as-of",
            "2020-12-01",
            "--format",
            "html,json",
            "--out",
            str(mini / "site"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        f"0 of 3 met, 1 partly (12.5%) as of 2020-12-01, rule: latest. Wrote "
        f"{mini / 'site' / 'scorecard.json'}, {mini / 'site' / 'scorecard.html'}, "
        f"{mini / 'site' / 'evidence.html'}, {mini / 'site' / 'badge.svg'}, {mini / 'site' / 'feed.xml'} and 4 badges of demands "
        "(badge.D1.svg...)\n"
    )
    assert sorted(p.name for p in (mini / "site").iterdir()) == [
        "badge.D1.svg",
        "badge.D2.svg",
        "badge.D3.svg",
        "badge.D4.svg",
        "badge.svg",
        "evidence.html",
        "feed.xml",
        "scorecard.html",
        "scorecard.json",
    ]


def test_rule_option_overrides(runner, mini: Path) -> None:
    result = runner.invoke(cli, ["status", str(mini), "--as-of", "2020-12-01", "--rule", "best"])
    assert "Remove hate groups" in result.stdout
    assert "D3      Partly met" in result.stdout
    assert "rule: best" in result.stdout


def test_validate(runner, mini: Path) -> None:
    result = runner.invoke(cli, ["validate", str(mini)])
    assert result.exit_code == 0
    assert result.stdout == "OK: 4 demands, 4 responses, 1 warning.\n"


def test_default_project_is_the_current_folder(runner, mini: Path, monkeypatch) -> None:
    monkeypatch.chdir(mini)
    result = runner.invoke(cli, ["validate"])
    assert result.exit_code == 0 and result.stdout.startswith("OK: 4 demands")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["build", "--as-of", "2020-13-01"], "'2020-13-01' is not a date; write it as YYYY-MM-DD"),
        (["build", "--format", "html,docx"], "'docx' is not a format"),
        (["build", "--rule", "worst"], "'worst' is not one of 'latest', 'best'"),
        (["status", "--format", "xml"], "'xml' is not one of 'text', 'json'"),
        (["nonsense"], "No such command 'nonsense'"),
    ],
)
def test_usage_errors_exit_2(runner, mini: Path, args: list[str], message: str) -> None:
    before = snapshot(mini)
    result = runner.invoke(cli, [*args[:1], str(mini), *args[1:]] if len(args) > 1 else args)
    assert result.exit_code == 2
    assert message in result.output
    assert snapshot(mini) == before


def test_version(runner) -> None:
    result = runner.invoke(cli, ["--version"])
    assert result.stdout == f"scorecard, version {__version__}\n"


def all_commands() -> list[str]:
    return sorted(cli.commands)


@pytest.mark.parametrize("name", all_commands())
def test_every_command_has_help_and_is_in_the_readme(runner, name: str) -> None:
    result = runner.invoke(cli, [name, "--help"])
    assert result.exit_code == 0
    command = cli.commands[name]
    assert command.help and len(command.help) > 20
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{name} {param.opts} has no help"
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert f"scorecard {name}" in readme, f"the README does not document 'scorecard {name}'"


def test_schema_is_json_schema_of_the_files(runner) -> None:
    result = runner.invoke(cli, ["schema"])
    assert result.exit_code == 0
    schemas = json.loads(result.stdout)
    assert set(schemas) == {"demands.yaml", "responses.yaml", "assessments.yaml"}
    ruling = schemas["assessments.yaml"]["$defs"]["Ruling"]
    assert set(ruling["required"]) == {"demand", "status", "reason"}
    assert ruling["properties"]["status"]["enum"] == [
        "met",
        "partial",
        "promised",
        "refused",
        "not-addressed",
        "no-response",
        "n/a",
    ]
    demands = schemas["demands.yaml"]
    assert demands["$schema"].startswith("https://json-schema.org/")
    assert demands["required"] == ["campaign", "demands"]
    assert demands["additionalProperties"] is False
    response = schemas["responses.yaml"]["$defs"]["Response"]
    assert {"id", "date", "summary", "sources", "kind"} <= set(response["required"])
    assert response["properties"]["date"]["pattern"] == r"^\d{4}(-\d{2}(-\d{2})?)?$"
    only = json.loads(runner.invoke(cli, ["schema", "responses"]).stdout)
    assert only["title"] == "scorecard responses.yaml"


def test_schema_validates_the_example() -> None:
    """What an editor does: read the YAML with its usual types (dates as text) and check it."""
    import datetime as dt

    import jsonschema
    import yaml

    from scorecard.model import DemandsFile, ResponsesFile

    def plain(value):
        if isinstance(value, dict):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, list):
            return [plain(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    for name, model in (("demands.yaml", DemandsFile), ("responses.yaml", ResponsesFile)):
        data = plain(yaml.safe_load((ROOT / name).read_text(encoding="utf-8")))
        jsonschema.validate(data, model.model_json_schema())


def test_python_dash_m(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "scorecard", "--help"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 0
    assert "Usage: scorecard [OPTIONS] COMMAND" in result.stdout


def test_no_traceback_for_a_user_mistake(tmp_path: Path) -> None:
    (tmp_path / "demands.yaml").write_text("campaign: [\n", encoding="utf-8")
    (tmp_path / "responses.yaml").write_text("responses: []\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "scorecard", "build", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "demands.yaml:2:1: YAML syntax error" in result.stderr
    assert not (tmp_path / "output").exists()


def test_a_build_counts_its_warnings_past_twenty(runner, mini: Path) -> None:
    """A campaign with hundreds of warnings keeps the build's summary in sight; `validate`
    still lists every one."""
    path = mini / "responses.yaml"
    text = path.read_text(encoding="utf-8")
    extra = "".join(
        f"""  - id: extra-{i}
    date: 2020-07-07
    kind: statement
    summary: Nothing on the demands.
    sources:
      - title: Statement
        url: https://example.org/extra-{i}
    addresses: []
"""
        for i in range(30)
    )
    path.write_text(text + extra, encoding="utf-8")
    built = runner.invoke(cli, ["build", str(mini), "--format", "html"])
    assert built.exit_code == 0, built.output
    lines = built.output.splitlines()
    assert sum("addresses no demand" in line for line in lines) == 20
    assert "... and 11 more warnings: `scorecard validate` lists them all" in lines
    checked = runner.invoke(cli, ["validate", str(mini)])
    assert sum("addresses no demand" in line for line in checked.output.splitlines()) == 31
