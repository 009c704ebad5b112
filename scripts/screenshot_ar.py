"""Make docs/screenshot-ar.png: the example's Arabic page in Chromium (run from the repo root).

python3 scripts/screenshot_ar.py [--width 1000] [--height 1100]
"""

from __future__ import annotations

import argparse
import os
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--width", type=int, default=1000)
    parser.add_argument("--height", type=int, default=1100)
    parser.add_argument("--as-of", default="2021-06-30")
    parser.add_argument("--out", default="docs/screenshot-ar.png")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "SOURCE_DATE_EPOCH": os.environ.get("SOURCE_DATE_EPOCH", "1625011200")}
        subprocess.run(
            [
                sys.executable,
                "-m",
                "scorecard",
                "build",
                ".",
                "--out",
                tmp,
                "--format",
                "html",
                "--lang",
                "en,ar,fr",
                "--as-of",
                options.as_of,
            ],
            check=True,
            env=env,
        )
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": options.width, "height": options.height})
            page.goto((Path(tmp) / "scorecard.ar.html").as_uri())
            page.screenshot(path=options.out)
            browser.close()
    print(f"wrote {options.out}")


if __name__ == "__main__":
    main()
