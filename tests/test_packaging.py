"""The wheel carries the templates, and an install outside the checkout finds them."""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
        capture_output=True,
    )
    (found,) = out.glob("scorecard-*.whl")
    return found


def test_wheel_contains_templates(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    for template in (
        "base.html.j2",
        "scorecard.html.j2",
        "report.html.j2",
        "_macros.html.j2",
        "style.css",
        "report.css",
        "filter.js",
        "evidence.js",
    ):
        assert f"scorecard/templates/{template}" in names
    assert {"scorecard/cli/__init__.py", "scorecard/render/pdf.py"} <= names
    entry = [n for n in names if n.endswith("entry_points.txt")]
    assert (
        entry and "scorecard = scorecard.cli:main" in zipfile.ZipFile(wheel).read(entry[0]).decode()
    )


def test_installed_wheel_builds_outside_the_checkout(wheel: Path, tmp_path: Path) -> None:
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    project = tmp_path / "campaign"
    shutil.copytree(FIXTURES / "mini", project)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import scorecard, scorecard.render.html as r;"
        "assert scorecard.__file__.startswith(sys.argv[1]), scorecard.__file__;"
        "print(r.templates_dir()); from scorecard.cli import main; sys.argv[1:] = sys.argv[2:];"
        "main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(site), "build", str(project), "--format", "html,pdf"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[0] == str(site / "scorecard" / "templates")
    assert (project / "output" / "scorecard.pdf").stat().st_size > 10_000
    assert 'id="D1"' in (project / "output" / "scorecard.html").read_text(encoding="utf-8")


def test_wheel_carries_the_skeleton_and_the_suggestion_terms(wheel: Path, tmp_path: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "scorecard/data/suggest_terms.yaml",
        "scorecard/templates/init/demands.yaml",
        "scorecard/templates/init/responses.yaml",
        "scorecard/templates/init/README.md",
    } <= names
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); from scorecard.cli import main;"
        "sys.argv[1:] = sys.argv[2:]; main()"
    )
    for args in (["init", str(tmp_path / "new")], ["suggest", str(ROOT)]):
        result = subprocess.run(
            [sys.executable, "-c", code, str(site), *args],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=False,
        )
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "new" / "demands.schema.json").is_file()
