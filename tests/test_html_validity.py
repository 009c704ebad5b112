"""The W3C Nu HTML Checker (vnu.jar from the npm package vnu-jar, run with Java) on every
page the tool generates: the web page of the example and of the mini fixture, the page of a
date before any response, and the HTML that WeasyPrint turns into the PDF.

One run of the checker for all pages (the JVM takes seconds to start). A judge that cannot
run fails: Java comes from scripts/system-deps, vnu.jar from `npm ci` (make test does both).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlparse

import pytest
from conftest import EPOCH, FIXTURES, PAGED_MEDIA_CSS, VNU, build_process

from scorecard.build import load, make
from scorecard.document import documents
from scorecard.render.html import Renderer
from scorecard.write import write_outputs

PAGES = [
    "example",
    "example-2019",
    "mini",
    "mini-2019",
    "example-report",
    "mini-report",
    "example-ar",
    "example-fr",
    "example-youtube-ar",
    "example-report-ar",
    "example-report-fr",
    "example-evidence",
    "example-evidence-2019",
    "mini-evidence",
    "example-evidence-ar",
    "example-split",
    "example-split-evidence-2",
    "example-split-evidence-4-ar",
]


def report_html(project: Path, lang: str | None = None) -> str:
    """The HTML given to WeasyPrint for the PDF, as `scorecard build` renders it."""
    when = dt.datetime.fromtimestamp(int(EPOCH), dt.UTC)
    docs = documents(load(project)[0], dt.date(2023, 11, 14), when=when)
    return Renderer().report_html(docs.primary, lang)


@pytest.fixture(scope="module")
def checked(built_example, tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[dict]]:
    """Every page, checked in one run of vnu: its messages by page name."""
    java = shutil.which("java")
    if java is None:
        pytest.fail("java is not installed: run scripts/system-deps (make test does)")
    if not VNU.is_file():
        pytest.fail(f"{VNU.name} is missing: run `npm ci --ignore-scripts` (make test does)")
    example, _ = built_example
    tmp = tmp_path_factory.mktemp("pages")
    mini = tmp / "mini"
    shutil.copytree(FIXTURES / "mini", mini)
    pages = {
        "example": example / "output" / "scorecard.html",
        "mini": mini / "output" / "scorecard.html",
    }
    done = build_process(mini, "--format", "html")
    assert done.returncode == 0, done.stderr
    for name, project in (("example-2019", example), ("mini-2019", mini)):
        out = tmp / name
        done = build_process(
            project, "--format", "html", "--as-of", "2019-01-01", "--out", str(out)
        )
        assert done.returncode == 0, done.stderr
        pages[name] = out / "scorecard.html"
    pages["example-evidence"] = example / "output" / "evidence.html"
    pages["example-evidence-2019"] = tmp / "example-2019" / "evidence.html"
    pages["mini-evidence"] = mini / "output" / "evidence.html"
    for name, project in (("example-report", example), ("mini-report", mini)):
        pages[name] = tmp / f"{name}.html"
        pages[name].write_text(report_html(project), encoding="utf-8")
    assert "No response to this demand is recorded" in pages["example-2019"].read_text("utf-8")
    out = tmp / "languages"
    done = build_process(example, "--format", "html", "--lang", "en,ar,fr", "--out", str(out))
    assert done.returncode == 0, done.stderr
    pages["example-ar"] = out / "scorecard.ar.html"
    pages["example-fr"] = out / "scorecard.fr.html"
    pages["example-youtube-ar"] = out / "scorecard.youtube.ar.html"
    pages["example-evidence-ar"] = out / "evidence.ar.html"
    pages["example-report-ar"] = tmp / "example-report-ar.html"
    pages["example-report-ar"].write_text(report_html(example, "ar"), encoding="utf-8")
    pages["example-report-fr"] = tmp / "example-report-fr.html"
    pages["example-report-fr"].write_text(report_html(example, "fr"), encoding="utf-8")
    # the evidence on several pages (8 entries a page: 5 pages), and the page linking to them
    split = make(example, ("html",), langs=("en", "ar"), renderer=Renderer(evidence_per_page=8))
    write_outputs(tmp / "split", split.files, durable=False)
    pages["example-split"] = tmp / "split" / "scorecard.html"
    pages["example-split-evidence-2"] = tmp / "split" / "evidence_2.html"
    pages["example-split-evidence-4-ar"] = tmp / "split" / "evidence_4.ar.html"

    run = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            "--also-check-svg",
            *map(str, pages.values()),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    result = json.loads(run.stdout)
    by_path = {path.resolve(): name for name, path in pages.items()}
    messages: dict[str, list[dict]] = {name: [] for name in pages}
    for message in result["messages"]:
        path = Path(unquote(urlparse(message.get("url", "")).path)).resolve()
        assert path in by_path, f"vnu: {message}"  # a message about no page: the run failed
        messages[by_path[path]].append(message)
    assert sorted(messages) == sorted(PAGES)
    return messages


def describe(message: dict) -> str:
    return (
        f"{message.get('type')}/{message.get('subType', '')} line "
        f"{message.get('lastLine')}: {message.get('message')} "
        f"[{message.get('extract', '').strip()[:80]}]"
    )


@pytest.mark.parametrize("page", PAGES)
def test_no_html_errors(checked: dict[str, list[dict]], page: str) -> None:
    errors = [
        describe(m)
        for m in checked[page]
        if m.get("type") != "info"
        and not ("-report" in page and PAGED_MEDIA_CSS.match(m["message"]))
    ]
    assert errors == []


@pytest.mark.parametrize("page", PAGES)
def test_no_html_warnings(checked: dict[str, list[dict]], page: str) -> None:
    warnings = [describe(m) for m in checked[page] if m.get("type") == "info"]
    assert warnings == []


def test_the_checker_finds_errors(tmp_path: Path) -> None:
    """The judge can say no: a broken page gets errors, so silence above means something."""
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail("java or vnu.jar is missing: run make test")
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><html lang=en><title>x</title><p><div id=a id=a></p>", encoding="utf-8"
    )
    run = subprocess.run(
        [java, "-jar", str(VNU), "--format", "json", "--stdout", str(bad)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    errors = [m for m in json.loads(run.stdout)["messages"] if m["type"] == "error"]
    assert len(errors) >= 2, run.stdout
    assert run.returncode != 0
