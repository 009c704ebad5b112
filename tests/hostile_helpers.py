"""Helpers shared by the hostile-input, fuzzing, crash and isolation tests.

Builds run as a real ``python -m scorecard`` subprocess of this checkout, with a timeout: the
timeout is a guard against hangs (an alias bomb, a regex gone quadratic), not a benchmark.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EPOCH = "1700000000"
SAFE_URL_PREFIXES = ("#", "https://", "http://", "mailto:")
# The pages a build writes, which link to each other (scorecard.html#D1, evidence.html#r-r1).
PAGES = ("scorecard.html", "evidence.html")
OWN_PAGE_LINK = re.compile(r"(scorecard|evidence)\.html(#[^\s/:]+)?")
URL_ATTRIBUTES = {
    "href",
    "src",
    "action",
    "formaction",
    "xlink:href",
    "srcset",
    "poster",
    "data",
    "background",
    "cite",
    "ping",
}
FETCHING_TAGS = {
    "iframe",
    "frame",
    "img",
    "object",
    "embed",
    "base",
    "link",
    "audio",
    "video",
    "source",
    "track",
    "picture",
    "image",
    "use",
    "feimage",
}


@dataclass
class Run:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.splitlines()


def scorecard(*args: str, cwd: Path, timeout: float = 60, env: dict | None = None) -> Run:
    """Run ``python -m scorecard ARGS`` from this checkout in a fresh process."""
    full_env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": EPOCH,
        "NO_COLOR": "1",
        **(env or {}),
    }
    proc = subprocess.run(
        [sys.executable, "-m", "scorecard", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
    )
    return Run(
        proc.returncode,
        proc.stdout.decode("utf-8", "replace"),
        proc.stderr.decode("utf-8", "replace"),
    )


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder with its bytes (and every folder, as None)."""
    return {
        str(p.relative_to(folder)): (p.read_bytes() if p.is_file() else None)
        for p in sorted(folder.rglob("*"))
    }


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: dict[str, int] = {}
        self.issues: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] = self.tags.get(tag, 0) + 1
        if tag in FETCHING_TAGS:
            self.issues.append(f"<{tag}> would fetch or embed something")
        if tag == "meta" and any(k == "http-equiv" for k, _ in attrs):
            self.issues.append("<meta http-equiv>")
        for name, value in attrs:
            value = (value or "").strip()
            if name.startswith("on"):
                self.issues.append(f"<{tag} {name}=...> event handler")
            if (
                name in URL_ATTRIBUTES
                and not value.lower().startswith(SAFE_URL_PREFIXES)
                and not OWN_PAGE_LINK.fullmatch(value)
            ):
                self.issues.append(
                    f"<{tag} {name}={value[:80]!r}> is not an http(s)/mailto/# link or one to the other page"
                )
            if name == "style" and "url(" in value.lower():
                self.issues.append(f"<{tag} style=...url(...)>")

    handle_startendtag = handle_starttag


def html_issues(html: str, baseline: dict[str, int]) -> list[str]:
    """What makes a page unsafe: tags that fetch or embed, event handlers, links that are not
    http(s), mailto or in-page, and more <script>/<style> elements than the page itself has."""
    parser = _Collector()
    parser.feed(html)
    parser.close()
    issues = list(parser.issues)
    for tag in ("script", "style"):
        if parser.tags.get(tag, 0) != baseline.get(tag, 0):
            issues.append(
                f"{parser.tags.get(tag, 0)} <{tag}> elements; the page has "
                f"{baseline.get(tag, 0)} of its own"
            )
    return issues


def pages_issues(out: Path, baselines: dict[str, dict[str, int]]) -> list[str]:
    """``html_issues`` of each page of a build (PAGES), against that page's clean counts."""
    return [
        f"{name}: {issue}"
        for name in PAGES
        for issue in html_issues((out / name).read_text(encoding="utf-8"), baselines[name])
    ]


def tag_counts(html: str) -> dict[str, int]:
    parser = _Collector()
    parser.feed(html)
    parser.close()
    return parser.tags
