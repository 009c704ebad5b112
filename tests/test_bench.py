"""The benchmark script runs end to end on the smallest size and writes its table. It asserts no
timing: speed is reported in BENCHMARKS.md, not tested here."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import yaml

from scorecard.load import parse_bytes

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import gen  # noqa: E402
import run  # noqa: E402


def test_synthetic_campaigns_are_valid_and_the_same_for_the_same_seed(
    tmp_path: Path, runner
) -> None:
    from scorecard.cli import cli

    folder = gen.write(tmp_path / "c", 20, 60)
    result = runner.invoke(cli, ["validate", str(folder)])
    assert result.exit_code == 0, result.output
    assert "OK: 20 demands, 60 responses" in result.output
    responses = yaml.safe_load((folder / "responses.yaml").read_text())["responses"]
    assert all(1 <= len(r["sources"]) <= 4 for r in responses)
    assert any("**" in r["summary"] for r in responses)  # Markdown
    assert sum(r["summary"] == gen.BOILERPLATE + "\n" for r in responses) > 1  # repeats
    assert parse_bytes((folder / "responses.yaml").read_bytes(), "r").problems == []
    again = gen.write(tmp_path / "d", 20, 60)
    assert (again / "responses.yaml").read_bytes() == (folder / "responses.yaml").read_bytes()


def test_bench_runs_end_to_end_and_writes_the_table(tmp_path: Path) -> None:
    out = tmp_path / "BENCHMARKS.md"
    out.write_text(
        "# Benchmarks\n\nWritten by hand.\n\n<!-- bench:begin -->\nold\n"
        "<!-- bench:end -->\n\n## Analysis\nKept.\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            str(ROOT / "bench" / "run.py"),
            "--sizes",
            "10x30",
            "--runs",
            "1",
            "--pdf-max",
            "0",
            "--out",
            str(out),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    text = out.read_text()
    assert text.startswith("# Benchmarks\n\nWritten by hand.\n\n<!-- bench:begin -->\n")
    assert text.endswith("<!-- bench:end -->\n\n## Analysis\nKept.\n")
    assert "\nold\n" not in text
    import yaml

    counted = (
        len(yaml.safe_load((ROOT / name).read_text(encoding="utf-8"))[key])
        for name, key in (("demands.yaml", "demands"), ("responses.yaml", "responses"))
    )
    example = "| example ({}/{}) |".format(*counted)  # what is measured, counted
    for row in (example, "| 10/30 |", "| import floor", "scorecard --help"):
        assert row in text
    assert "| example HTML and JSON build at most 1.3x the import floor |" in text
    stage_rows = [line for line in text.splitlines() if line.startswith("| 10/30 |")]
    assert len(stage_rows) == 2  # the stages table and the whole-process table
    assert all(float(cell) >= 0 for cell in stage_rows[0].split("|")[2:8])


def test_report_table_from_known_numbers() -> None:
    floor = {"s": 0.2, "mb": 30, "cpu": 0.2, "min": 0.2}
    helps = {"s": 0.1, "mb": 20, "cpu": 0.1, "min": 0.1}
    times = {
        "import": 0.1,
        "parse": 0.01,
        "load": 0.001,
        "validate": 0.002,
        "match": 0.0,
        "html": 0.05,
        "pdf_import": 1.0,
        "pdf": 2.0,
    }
    row = {
        "label": "example (10/31)",
        "cold": {"s": 0.3, "mb": 40, "cpu": 0.3},
        "warm": {"s": 0.25, "mb": 40, "cpu": 0.2},
        "pdf": {"s": 3.0, "mb": 120, "cpu": 3},
        "chromium": {"s": 2.0, "pages": 20, "cpu": 1.0, "mb": 100},
        "stages": {
            "times": times,
            "html_bytes": 100_000,
            "evidence_bytes": 200_000,
            "pdf_pages": 23,
            "maxrss_mb": 120,
        },
    }
    status = {"s": 0.25, "mb": 40, "cpu": 0.2, "min": 0.25}
    serve = {"rebuild_ms": 80.0, "rebuild_max_ms": 120.0}
    text = run.report(
        [row],
        floor,
        helps,
        {"python": "3"},
        "a machine",
        run.dt.datetime(2026, 1, 1, tzinfo=run.dt.UTC),
        5,
        status,
        serve,
    )
    assert (
        "| `scorecard status` (example) at most the import floor + 0.1 s | 0.250 s (floor "
        "0.200 s, +0.050) | yes |"
    ) in text
    assert (
        "| `serve` rebuilds every output but the PDF within 0.1 s (example) | 0.080 s "
        "(median) | yes |"
    ) in text
    assert (
        "| example HTML and JSON build at most 1.3x the import floor | 1.25x (0.250 s / 0.200 s); "
        "CPU 1.00x | yes |"
    ) in text
    assert "| example PDF no slower than Chromium | 1.50x (3.000 s / 2.000 s) | **no** |" in text
    assert (
        "| example (10/31) | 0.300; 0.300; 40 | 0.250; 0.200; 40 | 1.25x, 1.00x | "
        "3.000; 3.000; 120 | 2.000; 1.000; 100 | 1.50x, 3.00x | 23 / 20 |"
    ) in text
    assert "| `scorecard --help` at most 0.15 s | 0.100 s | yes |" in text
