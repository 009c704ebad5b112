"""The page with a "What changed" section (build --since), judged like the plain page: the W3C
checker, axe-core, and no horizontal scrolling at 360 px."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from conftest import CHROMIUM_ARGS, PAGED_MEDIA_CSS, VNU, build_process
from playwright.sync_api import sync_playwright


@pytest.fixture(scope="module")
def since_page(built_example, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder, _ = built_example
    out = tmp_path_factory.mktemp("since")
    done = build_process(
        folder,
        "--format",
        "html",
        "--as-of",
        "2020-12-31",
        "--since",
        "2020-07-01",
        "--out",
        str(out),
    )
    assert done.returncode == 0, done.stderr
    page = out / "scorecard.html"
    assert 'id="changes"' in page.read_text(encoding="utf-8")
    return page


def test_the_w3c_checker_finds_no_error(since_page: Path) -> None:
    java = shutil.which("java")
    if java is None or not VNU.is_file():
        pytest.fail("java or vnu.jar is missing: run scripts/system-deps and npm ci (make test)")
    run = subprocess.run(
        [
            java,
            "-jar",
            str(VNU),
            "--format",
            "json",
            "--stdout",
            "--also-check-svg",
            str(since_page),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = json.loads(run.stdout)["messages"]
    bad = [
        m
        for m in messages
        if m.get("type") == "error" and not PAGED_MEDIA_CSS.match(m.get("message", ""))
    ]
    assert bad == []


@pytest.mark.parametrize("width", [1280, 360])
def test_axe_and_no_horizontal_scrolling(since_page: Path, width: int) -> None:
    executable = shutil.which("chromium")
    if executable is None:
        pytest.fail("chromium is not installed: run scripts/system-deps (make test does)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": width, "height": 800})
            page.goto(since_page.as_uri(), wait_until="load")
            results = Axe().run(page).response
            bad = [
                f"{v['id']} ({v['impact']}): {v['help']}"
                for v in results["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            assert bad == []
            scroll, client = page.evaluate(
                "[document.documentElement.scrollWidth, document.documentElement.clientWidth]"
            )
            assert scroll <= client
        finally:
            browser.close()
