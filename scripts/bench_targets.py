#!/usr/bin/env python3
"""Benchmark of the several-targets outputs on a synthetic campaign.

    python3 scripts/bench_targets.py [--targets 3] [--responses 3000] [--demands 50]

Makes a campaign in a temporary folder (every response on its own date, so the score can change
every day), then times: loading, each target's scorecard and score history
(document.documents), the same history computed the obvious way (scorecard() as of every
date, on at most --naive-dates dates, extrapolated), and a build of html,json,csv,sqlite. Prints
the numbers; asserts nothing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scorecard.build import build, load  # noqa: E402
from scorecard.document import documents  # noqa: E402
from scorecard.match import scorecard  # noqa: E402

VERDICTS = ("full", "partial", "promised", "refused", "none")


def make(folder: Path, targets: int, responses: int, demands: int, seed: int = 1) -> None:
    rng = random.Random(seed)
    lines = ["campaign:", "  title: Benchmark", "  target: Target 0", "targets:"]
    for t in range(targets):
        lines += [f"  - id: t{t}", f"    name: Target {t}"]
    lines.append("demands:")
    for d in range(demands):
        lines += [f"  - id: D{d}", f"    title: Demand {d}", f"    text: The text of demand {d}."]
    (folder / "demands.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    start = dt.date(2020, 1, 1)
    lines = ["responses:"]
    for r in range(responses):
        lines += [
            f"  - id: r{r}",
            f"    target: t{r % targets}",
            f"    date: {start + dt.timedelta(days=r // targets)}",
            "    kind: policy",
            f"    summary: Response {r}.",
            "    sources:",
            "      - title: Source",
            f"        url: https://example.org/{r}",
            "    addresses:",
        ]
        for d in rng.sample(range(demands), k=min(2, demands)):
            lines += [f"      - demand: D{d}", f"        verdict: {rng.choice(VERDICTS)}"]
    (folder / "responses.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def timed(label: str, fn):
    t0 = time.perf_counter()
    value = fn()
    print(f"{label:<58} {time.perf_counter() - t0:8.3f} s")
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--targets", type=int, default=3)
    parser.add_argument("--responses", type=int, default=3000)
    parser.add_argument("--demands", type=int, default=50)
    parser.add_argument("--naive-dates", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        make(root, args.targets, args.responses, args.demands)
        print(f"{args.targets} targets, {args.responses} responses, {args.demands} demands")
        project, _ = timed("load and validate", lambda: load(root))
        as_of = max(r.date for r in project.responses)
        docs = timed(
            "documents (scorecards + score history, every target)",
            lambda: documents(project, as_of),
        )
        points = sum(len(t["score_history"]) for t in docs.primary["targets"])
        print(f"{'  points in the score histories':<58} {points:8d}")
        subs = [project.for_target(t.id) for t in project.targets]
        dates = sorted({r.date for r in subs[0].responses})
        sample = dates[:: max(1, len(dates) // args.naive_dates)]
        t0 = time.perf_counter()
        for d in sample:
            scorecard(subs[0], d)
        per = (time.perf_counter() - t0) / len(sample)
        print(
            f"{f'naive: scorecard() as of {len(sample)} dates, one target':<58} "
            f"{per * len(sample):8.3f} s"
        )
        print(
            f"{'  naive, extrapolated to every date of every target':<58} "
            f"{per * len(dates) * len(subs):8.3f} s"
        )
        timed(
            "build --format html,json,csv,sqlite",
            lambda: build(root, formats=("html", "json", "csv", "sqlite"), as_of=as_of),
        )


if __name__ == "__main__":
    main()
