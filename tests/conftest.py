"""Shared test helpers. Golden files are regenerated with ``pytest --update-golden``."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
GOLDEN = Path(__file__).resolve().parent / "golden"
EPOCH = "1700000000"  # 2023-11-14T22:13:20Z
# The judges: Chromium as the machine allows it, and the W3C checker (vnu) from npm.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
VNU = (
    Path(__file__).resolve().parent.parent
    / "node_modules"
    / "vnu-jar"
    / "build"
    / "dist"
    / "vnu.jar"
)
# CSS for paged media (CSS GCPM: running strings, PDF bookmarks) that WeasyPrint implements
# and the checker's CSS validator does not know. Only these exact messages are let through;
# the print CSS itself is judged by WeasyPrint's log (tests/test_pdf.py).
PAGED_MEDIA_CSS = re.compile(
    r"^CSS: (“content”: “string\(campaign\)” is not a “content” value"
    r"|“(string-set|bookmark-level)”: Property “\2” doesn't exist)\.$"
)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ files")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture(autouse=True)
def _reproducible(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)


@pytest.fixture(autouse=True)
def _own_cache(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Each test gets an empty cache of parsed YAML (see scorecard/cache.py), not the user's."""
    monkeypatch.setenv("SCORECARD_CACHE", str(tmp_path_factory.mktemp("scorecard-cache")))


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    """A copy of the small test campaign, safe to change."""
    dest = tmp_path / "mini"
    shutil.copytree(FIXTURES / "mini", dest)
    return dest


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the bundled example campaign (repo root)."""
    return copy_example(tmp_path / "example")


def copy_example(dest: Path) -> Path:
    """The bundled example's files (demands, responses, the coalition's rulings and the copies
    of the source articles) copied into a new folder."""
    dest.mkdir()
    for name in ("demands.yaml", "responses.yaml", "assessments.yaml"):
        shutil.copy(ROOT / name, dest / name)
    shutil.copytree(ROOT / "sources", dest / "sources")
    return dest


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, with its bytes: to prove nothing was written or changed."""
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def build_process(
    project: Path, *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """`scorecard build PROJECT ARGS` in its own Python process, as a user runs it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "scorecard", "build", str(project), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The bundled example built once per session (HTML, PDF, JSON): its folder and stderr."""
    dest = copy_example(tmp_path_factory.mktemp("built") / "example")
    done = build_process(dest)
    assert done.returncode == 0, done.stderr
    return dest, done.stderr


_SKIPPED: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    if report.skipped and not hasattr(report, "wasxfail"):
        _SKIPPED.append(report.nodeid)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Nothing may be skipped: a judge that cannot run must fail the run."""
    if _SKIPPED and exitstatus == 0:
        session.exitstatus = 1


def pytest_terminal_summary(terminalreporter) -> None:
    if _SKIPPED:
        terminalreporter.write_line(
            f"FAILED: {len(_SKIPPED)} test(s) skipped; every test must "
            f"run: {', '.join(_SKIPPED[:5])}",
            red=True,
        )


# A second target for the mini campaign (tests of several targets and of their exports).
TARGETS = """targets:
  - id: examplecorp
    name: ExampleCorp
  - id: rival
    name: RivalCorp
    note: Answers the same demands.

groups:"""

RIVAL = """
  - id: q1
    target: rival
    date: 2020-07-01
    kind: policy
    summary: "=HYPERLINK(\\"https://example.org\\") new policy; بالعربية: سياسة جديدة"
    sources:
      - title: "-Rival post"
        url: https://example.org/rival
    addresses:
      - demand: D1
        verdict: full
        reason: "+A C-suite civil rights officer."
      - demand: D3
        verdict: promised
  - id: q2
    target: rival
    date: 2020-10-01
    kind: statement
    summary: "@ We take it back."
    sources:
      - title: Rival statement
        url: https://example.org/rival-2
    addresses:
      - demand: D3
        verdict: refused
"""


def replace_once(path: Path, old: str, new: str) -> None:
    """Change a fixture file's text, failing if the text to change is not there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"fixture changed: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.fixture
def multi(mini: Path) -> Path:
    """The mini campaign with a second target, RivalCorp, and two responses of its own."""
    replace_once(mini / "demands.yaml", "groups:", TARGETS)
    with (mini / "responses.yaml").open("a", encoding="utf-8") as fh:
        fh.write(RIVAL)
    return mini


# `make check` leaves these out (`pytest -m "not slow"`): the judges (a browser, the W3C
# checker, actionlint), builds in fresh processes or with PDFs, wheels, fuzzing and crash tests.
SLOW_MODULES = frozenset(
    {
        "test_browser",
        "test_html_validity",
        "test_since_page",
        "test_write",
        "test_hostile",
        "test_isolation",
        "test_pdf",
        "test_packaging",
        "test_bench",
        "test_reproducibility",
        "test_ci_workflow",
        "test_verify",
        "test_pdf_archive",
        "test_fuzz",
        "test_design",
        "test_serve",
        "test_sources",
        "test_datapackage",
    }
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.module is not None and item.module.__name__ in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)


@pytest.fixture(scope="module")
def browser():
    """Headless Chromium from the system (scripts/system-deps), launched once per test module."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: run scripts/system-deps (make test does)")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield launched
        launched.close()
