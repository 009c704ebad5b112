"""Make the screenshots in docs/ from the bundled example (run from the repo root).

python3 scripts/screenshots.py

English and Arabic pages at 1280 and 360 px, the comparison matrix, the charts over time, one
demand with its history, and the first two pages of the PDF report. The example is built into
a temporary folder (HTML in en, ar and fr; the PDF in English) with a fixed SOURCE_DATE_EPOCH;
Chromium comes from the system (scripts/system-deps), the PDF pages from pdftoppm.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
DOCS = Path("docs")
# (file, page, width, height of the window, element to capture or None for the window)
SHOTS = [
    ("screenshot.png", "scorecard.html", 1280, 1400, None),
    ("screenshot-ar.png", "scorecard.ar.html", 1280, 1400, None),
    ("screenshot-phone.png", "scorecard.html", 360, 1400, None),
    ("screenshot-phone-ar.png", "scorecard.ar.html", 360, 1400, None),
    ("screenshot-matrix.png", "scorecard.html", 1280, 900, "#matrix"),
    ("screenshot-time.png", "scorecard.html", 1280, 900, "#over-time"),
    ("screenshot-demand.png", "scorecard.html", 1280, 900, "#D2"),
    ("screenshot-evidence.png", "evidence.html", 1280, 1300, None),
]


def build(out: Path, *args: str) -> None:
    env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1700000000")}
    command = [sys.executable, "-m", "scorecard", "build", ".", "--out", str(out), *args]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)


def main() -> None:
    chromium = shutil.which("chromium")
    if chromium is None:
        sys.exit("chromium is not installed: run scripts/system-deps")
    with tempfile.TemporaryDirectory() as tmp:
        pages, report = Path(tmp) / "pages", Path(tmp) / "report"
        build(pages, "--format", "html", "--lang", "en,ar,fr")
        build(report, "--format", "pdf")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=ARGS)
            for name, page_name, width, height, element in SHOTS:
                page = browser.new_page(viewport={"width": width, "height": height})
                page.goto((pages / page_name).as_uri())
                target = page.locator(element).first if element else page
                target.screenshot(path=str(DOCS / name))
                page.close()
                print(f"wrote {DOCS / name}")
            browser.close()
        for number, name in ((1, "screenshot-pdf-cover.png"), (2, "screenshot-pdf-glance.png")):
            stem = Path(tmp) / f"page-{number}"
            subprocess.run(
                ["pdftoppm", "-r", "60", "-png", "-singlefile", "-f", str(number)]
                + ["-l", str(number), str(report / "scorecard.pdf"), str(stem)],
                check=True,
            )
            shutil.copyfile(stem.with_suffix(".png"), DOCS / name)
            print(f"wrote {DOCS / name}")


if __name__ == "__main__":
    main()
