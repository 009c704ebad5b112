"""Deadlines: past its due date (its own or the campaign's) without 'met', a demand is marked
overdue, with the days elapsed, in the status table, the JSON, the page and the PDF."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from scorecard.cli import cli
from scorecard.edit import campaign as edit


@pytest.fixture
def due(mini: Path) -> Path:
    path = mini / "demands.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("  lang: en\n", "  lang: en\n  due: 2020-09-01\n", 1)
    text = text.replace("    weight: 2\n", "    weight: 2\n    due: 2020-08-15\n", 1)
    path.write_text(text, encoding="utf-8")
    edit.link(mini, "r2", "D1", "full")  # D1 met: never overdue
    return mini


EXPECTED = {"D1": None, "D2": 108, "D3": 91, "D4": None}  # as of 2020-12-01; D4 is n/a


def test_overdue_in_json_and_status_table(runner, due: Path) -> None:
    result = runner.invoke(cli, ["status", str(due), "--as-of", "2020-12-01", "--format", "json"])
    doc = json.loads(result.stdout)
    assert {d["id"]: d["overdue_days"] for d in doc["demands"]} == EXPECTED
    assert {d["id"]: d["due"] for d in doc["demands"]} == {
        "D1": "2020-09-01",
        "D2": "2020-08-15",
        "D3": "2020-09-01",
        "D4": "2020-09-01",
    }
    table = runner.invoke(cli, ["status", str(due), "--as-of", "2020-12-01"]).stdout
    assert "D2      Not addressed, overdue 108 days" in table
    assert "D3      Refused, overdue 91 days" in table
    assert re.search(r"D1\s+Met\s+2020-07-07", table)
    before = runner.invoke(cli, ["status", str(due), "--as-of", "2020-08-15"]).stdout
    assert "overdue" not in before  # on the due date itself, not yet overdue


def test_overdue_on_the_page_and_in_the_pdf(runner, due: Path) -> None:
    result = runner.invoke(cli, ["build", str(due), "--as-of", "2020-12-01"])
    assert result.exit_code == 0, result.output
    html = (due / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert html.count('<span class="overdue">overdue 108 days</span>') == 1  # status table
    assert html.count('<strong class="overdue">overdue 108 days</strong>') == 1  # its section
    assert html.count("overdue 91 days") == 2
    assert "overdue" not in html[html.index('id="D1"') : html.index('id="D2"')]
    text = "\n".join(p.extract_text() for p in PdfReader(due / "output" / "scorecard.pdf").pages)
    assert len(re.findall(r"overdue\s+108\s+days", text)) == 2
    assert len(re.findall(r"overdue\s+91\s+days", text)) == 2
