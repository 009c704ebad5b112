"""Time and peak memory of ``scorecard build --format html,json,pdf`` on hostile inputs under the
loader's 20 MB limit: the known killers of the PDF stage, and the largest inputs each limit of
scorecard/budget.py lets through (see docs/format.md, "Limits").

    python scripts/measure_hostile.py [--keep DIR] [NAME ...]

Each build runs in a fresh process with the cache off; peak memory is ``ru_maxrss`` from
``os.wait4``. The goal (issue 12): every one builds or fails in under 30 s and 1 GB.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MINI = ROOT / "tests" / "fixtures" / "mini"
LINKED = "[{demand: D1, verdict: partial}]"


def responses(summaries: list[str], links: str = "[]") -> str:
    return "responses:\n" + "".join(
        f"  - id: r{i}\n    date: 2020-06-30\n    kind: other\n    summary: {json.dumps(s)}\n"
        f"    sources: [{{title: t, url: 'https://example.org'}}]\n    addresses: {links}\n"
        for i, s in enumerate(summaries)
    )


def many_demands(count: int) -> str:
    return "campaign: {title: T, target: X}\ndemands:\n" + "".join(
        f"  - {{id: D{i}, title: t, text: x}}\n" for i in range(count)
    )


def all_demands(count: int) -> str:
    return "[" + ", ".join(f"{{demand: D{i}, verdict: partial}}" for i in range(count)) + "]"


LOREM = "lorem ipsum dolor sit amet "
CASES = {  # name: (demands.yaml or None for the mini campaign's, responses.yaml)
    "ab-20kb": (None, responses(["a*b*" * 5_000])),
    "ab-20kb-x45": (None, responses(["a*b*" * 5_000] * 45)),
    "nested-star-500": (None, responses(["*" * 500 + "a" + "*" * 500])),
    "brackets-20mb": (None, responses(["[" * 20_000] * 1_000)),
    "bang-20mb": (None, responses(["![" * 10_000] * 1_000)),
    "plain-20mb": (None, responses([LOREM * 740] * 990)),
    "summary-x5000-demands": (
        many_demands(5_000),
        responses(
            ["lorem ipsum dolor *sit* amet " * 99 + "lorem ipsum " * 1_400], all_demands(5_000)
        ),
    ),
    "responses-100k": (None, responses(["s"] * 100_000)),
    # the largest that each limit lets through
    "allowed: bang-x12": (None, responses(["![" * 10_000] * 12)),
    "allowed: ab100-x118": (None, responses(["a*b*" * 100] * 118, LINKED)),
    "allowed: plain-20kb-x47": (None, responses([LOREM * 740] * 47, LINKED)),
    "allowed: nest20-x300": (None, responses(["*" * 38 + "a" + "*" * 38] * 300)),
    "allowed: shown-text-39.7M": (
        many_demands(5_000),
        responses(
            ["lorem ipsum dolor *sit* amet " * 99 + "lorem ipsum " * 420], all_demands(5_000)
        ),
    ),
}


def run(folder: Path, out: Path) -> tuple[int, float, float, str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCORECARD_CACHE": ""}
    start = time.monotonic()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scorecard",
            "build",
            str(folder),
            "--out",
            str(out),
            "--format",
            "html,json,pdf",
        ],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    output = proc.stdout.read() if proc.stdout else b""
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.monotonic() - start
    last = output.decode("utf-8", "replace").strip().splitlines()[-1:] or [""]
    return os.waitstatus_to_exitcode(status), seconds, usage.ru_maxrss / 1024, last[0]


def main(argv: list[str]) -> None:
    keep = None
    if argv[:1] == ["--keep"]:
        keep, argv = Path(argv[1]), argv[2:]
    names = argv or list(CASES)
    tmp = keep or Path(tempfile.mkdtemp(prefix="scorecard-hostile-"))
    print("| input | size MB | exit | wall s | peak MB | last line |")
    print("|---|---:|---:|---:|---:|---|")
    try:
        for name in names:
            demands, resp = CASES[name]
            folder = tmp / name.replace(": ", "-")
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
            (folder / "demands.yaml").write_text(
                demands or (MINI / "demands.yaml").read_text(encoding="utf-8"), encoding="utf-8"
            )
            (folder / "responses.yaml").write_text(resp, encoding="utf-8")
            size = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
            code, seconds, peak, last = run(folder, folder / "output")
            print(
                f"| {name} | {size:.1f} | {code} | {seconds:.1f} | {peak:.0f} | {last[:90]} |",
                flush=True,
            )
    finally:
        if keep is None:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
