#!/usr/bin/env python3
"""Why edits are text edits: how many lines a no-op ruamel.yaml round trip (load, then dump,
with quotes preserved and the example's indentation and no line wrapping) changes in files of
different styles. Run from the repository root: python3 scripts/compare_ruamel.py"""

from __future__ import annotations

import difflib
import io
import sys
from pathlib import Path

from ruamel.yaml import YAML

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from test_edit import COMMENTS, DEMANDS_QUOTED, RESPONSES_FLOW  # noqa: E402


def changed_lines(text: str) -> int:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 10**6
    out = io.StringIO()
    yaml.dump(yaml.load(text), out)
    diff = difflib.unified_diff(
        text.splitlines(keepends=True), out.getvalue().splitlines(keepends=True), n=0
    )
    return sum(1 for line in diff if line[:1] in "+-" and not line.startswith(("+++", "---")))


def main() -> int:
    example = (ROOT / "responses.yaml").read_text(encoding="utf-8")
    files = {
        "example responses.yaml": example,
        "the same with CRLF line endings": example.replace("\n", "\r\n"),
        "flow style (tests/test_edit.py)": RESPONSES_FLOW,
        "lists not indented under their key": DEMANDS_QUOTED,
        "comments everywhere": COMMENTS,
    }
    for name, text in files.items():
        print(f"{name:40} {changed_lines(text):>4} lines changed by a no-op round trip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
