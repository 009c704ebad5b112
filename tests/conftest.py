"""Shared test helpers. Golden files are regenerated with ``pytest --update-golden``."""

from __future__ import annotations

import os
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
    dest = tmp_path / "example"
    dest.mkdir()
    for name in ("demands.yaml", "responses.yaml"):
        shutil.copy(ROOT / name, dest / name)
    return dest


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder, with its bytes: to prove nothing was written or changed."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def build_process(project: Path, *args: str, env: dict[str, str] | None = None
                  ) -> subprocess.CompletedProcess:
    """`scorecard build PROJECT ARGS` in its own Python process, as a user runs it."""
    env = {**os.environ, "SOURCE_DATE_EPOCH": EPOCH, **(env or {})}
    return subprocess.run([sys.executable, "-m", "scorecard", "build", str(project), *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="session")
def built_example(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The bundled example built once per session (HTML, PDF, JSON): its folder and stderr."""
    dest = tmp_path_factory.mktemp("built") / "example"
    dest.mkdir()
    for name in ("demands.yaml", "responses.yaml"):
        shutil.copy(ROOT / name, dest / name)
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
        terminalreporter.write_line(f"FAILED: {len(_SKIPPED)} test(s) skipped; every test must "
                                    f"run: {', '.join(_SKIPPED[:5])}", red=True)
