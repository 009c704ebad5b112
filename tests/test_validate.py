"""One bad file per validation rule: exit 1, file:line:col, the fix, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import snapshot

from scorecard.cli import cli


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CASES = [
    # (file, old, new, expected message fragment)
    (
        "demands.yaml",
        "    group: decency\n    title: Remove hate groups",
        "    group: decncy\n    title: Remove hate groups",
        "demands.yaml:32:12: demands[2].group: 'decncy' is not a group; did you mean 'decency'?",
    ),
    (
        "demands.yaml",
        "  lang: en\n",
        "  lang: en\n  colour: red\n",
        "demands.yaml:8:3: campaign.colour: 'colour' is not a known key",
    ),
    (
        "demands.yaml",
        "    weight: 2",
        "    wieght: 2",
        "demands.yaml:30:5: demands[1].wieght: 'wieght' is not a known key; did you mean 'weight'?",
    ),
    (
        "demands.yaml",
        "    weight: 2",
        "    weight: two",
        "demands.yaml:30:13: demands[1].weight: 'two' is not a number",
    ),
    (
        "demands.yaml",
        "  - id: D2\n",
        "  - id: D1\n",
        "demands.yaml:26:9: demands[1].id: 'D1' is already the id of another demand (line 18)",
    ),
    (
        "demands.yaml",
        "  - id: D2\n",
        "  - id: ../D2\n",
        "demands.yaml:26:9: demands[1].id: '../D2' is not a valid id; ids use only letters, digits",
    ),
    ("demands.yaml", "  - id: D2\n", "  - id: D/2\n", "demands[1].id: 'D/2' is not a valid id"),
    (
        "demands.yaml",
        "  launched: 2020-06-01",
        "  launched: 2020-06-31",
        "demands.yaml:6:13: campaign.launched: '2020-06-31' is not a real date",
    ),
    (
        "demands.yaml",
        "  launched: 2020-06-01",
        "  launched: June 1st",
        "demands.yaml:6:13: campaign.launched: 'June 1st' is not a date; write it as YYYY-MM-DD",
    ),
    (
        "demands.yaml",
        "  target: ExampleCorp\n",
        "",
        "demands.yaml:3:3: campaign.target: 'target' is required here; add it",
    ),
    (
        "demands.yaml",
        "      value: n/a",
        "      value: gone",
        "demands.yaml:40:14: demands[3].status.value: 'gone' is not allowed here; use one of: met",
    ),
    (
        "responses.yaml",
        "      - demand: D3\n        verdict: refused",
        "      - demand: D33\n        verdict: refused",
        (
            "responses.yaml:47:17: responses[3].addresses[0].demand: 'D33' is not a demand in "
            "demands.yaml; did you mean 'D3'?"
        ),
    ),
    (
        "responses.yaml",
        "      - demand: D3\n        verdict: refused",
        "      - demand: d3\n        verdict: refused",
        "did you mean 'D3'?",
    ),
    (
        "responses.yaml",
        "        verdict: refused",
        "        verdict: refuse",
        (
            "responses.yaml:48:18: responses[3].addresses[0].verdict: 'refuse' is not allowed here; "
            "use one of: full, partial, promised, none, refused; did you mean 'refused'?"
        ),
    ),
    (
        "responses.yaml",
        "    date: 2020-08-01",
        "    date: 2020-02-30",
        "responses.yaml:40:11: responses[3].date: '2020-02-30' is not a real date",
    ),
    (
        "responses.yaml",
        "  - id: r4\n",
        "  - id: r1\n",
        "responses.yaml:39:9: responses[3].id: 'r1' is already the id of another response (line 2)",
    ),
    (
        "responses.yaml",
        "    sources:\n      - title: Letter\n        url: https://example.org/letter\n",
        "    sources: []\n",
        ("responses.yaml:43:14: responses[3].sources: at least one source is required"),
    ),
    (
        "responses.yaml",
        "    sources:\n      - title: Letter\n        url: https://example.org/letter\n",
        "",
        "responses.yaml:39:5: responses[3].sources: 'sources' is required here",
    ),
    (
        "responses.yaml",
        "        url: https://example.org/letter",
        "        url: javascript:alert(1)",
        (
            "responses.yaml:45:14: responses[3].sources[0].url: 'javascript:alert(1)' is not a web "
            "address"
        ),
    ),
    (
        "responses.yaml",
        "        url: https://example.org/letter",
        "        publisher: X",
        "responses.yaml:44:9: responses[3].sources[0]: a source needs a url (a web address) or a seed",
    ),
    (
        "responses.yaml",
        "    kind: letter",
        "    kind: tweet",
        "responses.yaml:41:11: responses[3].kind: 'tweet' is not allowed here",
    ),
    (
        "responses.yaml",
        "    summary: We will not remove more groups.",
        "    summary: [a, b]",
        "responses.yaml:42:14: responses[3].summary: must be text",
    ),
    (
        "responses.yaml",
        "      - demand: D3\n        verdict: refused",
        "      - demand: D3\n        verdict: refused\n      - demand: D3\n        verdict: full",
        (
            "responses.yaml:49:17: responses[3].addresses[1].demand: this response already addresses "
            "'D3'"
        ),
    ),
    (
        "responses.yaml",
        "    date: 2020-08-01\n",
        "    date: 2020-08-01\n    date: 2020-08-02\n",
        "responses.yaml:41:5: responses[3].date: 'date' appears twice in the same mapping",
    ),
    (
        "responses.yaml",
        "responses:\n",
        "responses:\nresponses:\n",
        "responses.yaml:2:1: responses: 'responses' appears twice",
    ),
    (
        "responses.yaml",
        "        verdict: refused",
        "        verdict: &v refused",
        "responses.yaml:48:18: responses[3].addresses[0].verdict: '&v' is an anchor",
    ),
    ("responses.yaml", "    kind: letter", "    kind: !!str letter", "'!!str' is a YAML tag"),
    (
        "demands.yaml",
        "  - id: D4\n    group: decency",
        "  - id: D4\n\tgroup: decency",
        "demands.yaml:36:1: YAML syntax error",
    ),
    (
        "demands.yaml",
        "    title: Politician exemption",
        "    title: Politicians: the exemption",
        "demands.yaml:37:23: YAML syntax error (mapping values are not allowed",
    ),
    ("demands.yaml", "    weight: 2", "    weight: 010", None),  # YAML 1.1 octal: read as 10
]


@pytest.mark.parametrize(("name", "old", "new", "expected"), CASES)
def test_each_rule(runner, mini: Path, name: str, old: str, new: str, expected: str | None) -> None:
    edit(mini / name, old, new)
    before = snapshot(mini)
    result = runner.invoke(cli, ["build", str(mini), "--format", "html,json"])
    if expected is None:
        assert result.exit_code == 0, result.output
        return
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.splitlines()
    assert any(expected in line for line in lines), result.output
    assert lines[-1].startswith("the campaign data is not valid: ")
    assert lines[-1].endswith("; nothing was written.")
    assert snapshot(mini) == before  # no output, no file changed


def test_all_problems_of_both_files_at_once(runner, mini: Path) -> None:
    edit(
        mini / "demands.yaml",
        "    group: decency\n    title: Remove",
        "    group: decncy\n    title: Remove",
    )
    edit(mini / "responses.yaml", "        verdict: refused", "        verdict: refuse")
    edit(mini / "responses.yaml", "    date: 2020-08-01", "    date: 2020-13-01")
    result = runner.invoke(cli, ["validate", str(mini)])
    assert result.exit_code == 1
    assert "3 errors; nothing was written." in result.output
    order = [line.split(":")[0] for line in result.output.splitlines()[:-1]]
    assert order == sorted(order)  # demands.yaml problems first, then responses.yaml


def test_yaml_11_values_are_not_silently_changed(mini: Path) -> None:
    from scorecard.validate import load_project

    edit(mini / "demands.yaml", "  - id: D4\n", "  - id: no\n")
    edit(mini / "demands.yaml", "    title: Independent audits", "    title: off")
    edit(mini / "demands.yaml", "    weight: 2", "    weight: 010")
    project, _ = load_project(mini)
    assert project.demands[3].id == "no"
    demand = project.demands[1]
    assert demand.title == {"en": "off"}
    assert demand.weight == 10


def test_missing_file(runner, tmp_path: Path) -> None:
    result = runner.invoke(cli, ["validate", str(tmp_path)])
    assert result.exit_code == 1
    assert "demands.yaml:1:1: demands.yaml was not found" in result.output
    assert "responses.yaml:1:1: responses.yaml was not found" in result.output


def test_top_level_list_or_scalar(runner, mini: Path) -> None:
    (mini / "demands.yaml").write_text("- a\n- b\n", encoding="utf-8")
    (mini / "responses.yaml").write_text("just text\n", encoding="utf-8")
    result = runner.invoke(cli, ["validate", str(mini)])
    assert result.exit_code == 1
    assert (
        "demands.yaml:1:1: the file holds a list; it should be a mapping with the keys "
        "'campaign', 'targets', 'scoring', 'groups', 'demands'"
    ) in result.output
    assert "responses.yaml:1:1: the file holds a single value" in result.output


def test_strict_turns_warnings_into_errors(runner, mini: Path) -> None:
    ok = runner.invoke(cli, ["validate", str(mini)])
    assert ok.exit_code == 0
    assert "warning: 'r3' addresses no demand" in ok.output
    strict = runner.invoke(cli, ["validate", str(mini), "--strict"])
    assert strict.exit_code == 1
    assert "'r3' addresses no demand" in strict.output
    assert "has warnings and --strict is on" in strict.output


def test_absurd_size_is_refused(runner, mini: Path) -> None:
    with (mini / "responses.yaml").open("a", encoding="utf-8") as fh:
        fh.write("# " + "x" * (21 * 1024 * 1024) + "\n")
    result = runner.invoke(cli, ["validate", str(mini)])
    assert result.exit_code == 1
    assert "responses.yaml:1:1: the file is 22 MB, more than the 20 MB" in result.output


def test_overlong_text_is_refused(runner, mini: Path) -> None:
    edit(
        mini / "responses.yaml",
        "    summary: We will not remove more groups.",
        "    summary: " + "x" * 30_000,
    )
    result = runner.invoke(cli, ["validate", str(mini)])
    assert result.exit_code == 1
    assert "responses.yaml:42:14: responses[3].summary: is too long" in result.output
