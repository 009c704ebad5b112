#!/usr/bin/env python3
"""Measure `scorecard serve`: the time to rebuild every output but the PDF after one edit of the
example, and the time from saving a file to the new version being served (watcher included).

    python3 scripts/bench_serve.py [--runs 20] [--json]

Prints the median and the slowest of each (or one JSON object, for bench/run.py); nothing is
asserted (numbers, not a test).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scorecard.serve import Preview  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    runs = args.runs
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        for name in ("demands.yaml", "responses.yaml"):
            shutil.copy(ROOT / name, root / name)
        path = root / "responses.yaml"
        original = path.read_text(encoding="utf-8")
        preview = Preview(root)
        start = time.perf_counter()
        preview.rebuild()
        first = time.perf_counter() - start

        def edit(i: int) -> None:
            path.write_text(
                original.replace(
                    "emphatically stands against hate speech",
                    f"emphatically stands against hate speech {i}",
                ),
                encoding="utf-8",
            )

        rebuilds = []
        for i in range(runs):
            edit(i)
            start = time.perf_counter()
            preview.rebuild()
            rebuilds.append(time.perf_counter() - start)

        stop = threading.Event()
        watcher = threading.Thread(target=preview.watch, args=(stop,), daemon=True)
        watcher.start()
        time.sleep(0.5)
        latencies = []
        for i in range(runs):
            version = preview.state()["version"]
            start = time.perf_counter()
            edit(1000 + i)
            while preview.state()["version"] == version:
                time.sleep(0.002)
            latencies.append(time.perf_counter() - start)
            time.sleep(0.1)
        stop.set()
        watcher.join(5)
    ms = [x * 1000 for x in rebuilds]
    lat = [x * 1000 for x in latencies]
    if args.json:
        import json

        print(
            json.dumps(
                {
                    "first_ms": first * 1000,
                    "rebuild_ms": statistics.median(ms),
                    "rebuild_max_ms": max(ms),
                    "latency_ms": statistics.median(lat),
                }
            )
        )
        return 0
    print(f"first build (templates compiled): {first * 1000:.0f} ms")
    print(
        f"rebuild after one edit, {runs} runs: median {statistics.median(ms):.1f} ms, "
        f"slowest {max(ms):.1f} ms"
    )
    print(
        f"save to new version served (watcher debounce included), {runs} runs: median "
        f"{statistics.median(lat):.0f} ms, slowest {max(lat):.0f} ms"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
