#!/usr/bin/env python3
"""Measure `scorecard suggest`: hide the links of labelled campaigns and see how many it finds.

Every campaign's links are removed before anything is suggested (the suggestions see a copy of
the campaign without a single link, nor the reasons written with them). Then, for every response
that had links:

- P@1: the share of responses whose first suggestion is one of their real links;
- R@3: the mean share of their real links found among the first three;
- group@1: the share whose first suggestion is a demand of the same group as one of their real
  links ("-" when the campaign has no groups);
- shown: the share that get at least one suggestion at all (the others fall below the floor),
  and P@1 shown, the P@1 among those;
- sure: the share whose first suggestion is not marked "unsure", and P@1 sure, the P@1 among
  those (with a version of the suggestions that has no "unsure", every shown one counts).

Run from the repository root:

    python3 scripts/eval_suggest.py                 # every labelled campaign the project has
    python3 scripts/eval_suggest.py DIR...          # other campaign folders
    python3 scripts/eval_suggest.py --speed 1000x10000     # time suggestions on a synthetic one
    python3 scripts/eval_suggest.py --speed 1000x10000 --write BENCHMARKS.md   # into its markers
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scorecard.errors import DataError  # noqa: E402
from scorecard.suggest import Matcher, suggest  # noqa: E402
from scorecard.validate import load_project  # noqa: E402

# The labelled campaigns, and what each was to the suggestions: "tuning" ones were looked at
# while the vocabulary and weights were written; "held out" ones never were.
CAMPAIGNS = [
    (ROOT, "tuning"),
    (ROOT / "examples" / "google-walkout", "tuning"),
    (ROOT / "examples" / "qatar-workers", "held out"),
]
EXTRA = Path("/work/wt-data")  # a labelled campaign prepared beside this one, if any
BEGIN, END = "<!-- suggest:begin -->", "<!-- suggest:end -->"


@dataclass(frozen=True)
class Row:
    name: str
    role: str
    demands: int
    labelled: int
    p1: float
    r3: float
    group: float | None
    shown: float
    p1_shown: float
    sure: float | None = None
    p1_sure: float | None = None


def without_links(project):
    """A copy of the campaign with every link removed: nothing to learn the answers from."""
    responses = [r.model_copy(update={"addresses": []}) for r in project.responses]
    return project.model_copy(
        update={
            "responses_file": project.responses_file.model_copy(update={"responses": responses})
        }
    )


def measure(folder: Path, role: str) -> Row:
    project, _ = load_project(folder)
    gold = {r.id: {link.demand for link in r.addresses} for r in project.responses}
    labelled = [r for r in gold if gold[r]]
    hidden = without_links(project)
    matcher = Matcher(hidden)
    ranked = {r: [s.demand for s in matcher.rank_demands(r)] for r in labelled}
    shown = suggest(hidden, top=3).for_responses
    group_of = {d.id: d.group for d in project.demands}
    n = len(labelled) or 1
    p1 = sum(bool(ranked[r]) and ranked[r][0] in gold[r] for r in labelled) / n
    r3 = sum(len(set(ranked[r][:3]) & gold[r]) / len(gold[r]) for r in labelled) / n
    group = None
    if any(group_of.values()):
        group = (
            sum(
                bool(ranked[r])
                and group_of[ranked[r][0]] is not None
                and group_of[ranked[r][0]] in {group_of[d] for d in gold[r]}
                for r in labelled
            )
            / n
        )
    seen = [r for r in labelled if shown.get(r)]
    p1_shown = (sum(shown[r][0].demand in gold[r] for r in seen) / len(seen)) if seen else 0.0
    sure = [r for r in seen if not getattr(shown[r][0], "unsure", False)]
    p1_sure = (sum(shown[r][0].demand in gold[r] for r in sure) / len(sure)) if sure else 0.0
    name = next(iter(project.campaign.title.values()))
    return Row(
        name,
        role,
        len(project.demands),
        len(labelled),
        p1,
        r3,
        group,
        len(seen) / n,
        p1_shown,
        len(sure) / n,
        p1_sure,
    )


def campaigns(args: list[str]) -> list[tuple[Path, str]]:
    if args:
        return [(Path(a), "given") for a in args]
    found = [(folder, role) for folder, role in CAMPAIGNS if (folder / "demands.yaml").exists()]
    if EXTRA.is_dir():
        found += [
            (d, "held out")
            for d in sorted(EXTRA.iterdir())
            if (d / "demands.yaml").exists() and (d / "responses.yaml").exists()
        ]
    return found


def table(rows: list[Row]) -> str:
    lines = [
        (
            "| campaign | role | demands | labelled responses | P@1 | R@3 | group@1 | shown "
            "| P@1 shown | sure | P@1 sure |"
        ),
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        group = "-" if r.group is None else f"{r.group:.3f}"
        lines.append(
            f"| {r.name} | {r.role} | {r.demands} | {r.labelled} | {r.p1:.3f} | "
            f"{r.r3:.3f} | {group} | {r.shown:.3f} | {r.p1_shown:.3f} | "
            f"{r.sure:.3f} | {r.p1_sure:.3f} |"
        )
    return "\n".join(lines) + "\n"


def speed(size: str) -> tuple[str, float, float]:
    """Seconds to suggest links for every response of a synthetic campaign whose links were
    removed (the matcher built, every response ranked against every demand, and the reverse)."""
    n_demands, n_responses = (int(x) for x in size.split("x"))
    with tempfile.TemporaryDirectory(prefix="scorecard-suggest-") as tmp:
        folder = Path(tmp) / "c"
        subprocess.run(
            [
                sys.executable,
                str(ROOT / "bench" / "gen.py"),
                str(n_demands),
                str(n_responses),
                str(folder),
            ],
            check=True,
            capture_output=True,
        )
        project, _ = load_project(folder)
    hidden = without_links(project)
    start = time.perf_counter()
    cpu = time.process_time()
    found = suggest(hidden, top=3)
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    assert len(found.for_responses) == n_responses
    return f"{n_demands:,} demands x {n_responses:,} responses", wall, cpu


def write(path: Path, text: str) -> None:
    """Replace the text between the markers, or add a section at the end."""
    old = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if BEGIN in old and END in old:
        head, rest = old.split(BEGIN, 1)
        tail = rest.split(END, 1)[1]
    else:
        head, tail = old.rstrip("\n") + "\n\n## Suggestions\n\n", "\n"
    path.write_text(f"{head}{BEGIN}\n{text}{END}{tail}", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folders", nargs="*", help="campaign folders (default: every labelled one)")
    ap.add_argument(
        "--speed",
        metavar="DxR",
        help="also time a synthetic campaign of D demands and R responses (bench/gen.py)",
    )
    ap.add_argument(
        "--write",
        type=Path,
        metavar="FILE",
        help="write the table into FILE between its suggest markers",
    )
    args = ap.parse_args(argv)
    rows = []
    for folder, role in campaigns(args.folders):
        try:
            rows.append(measure(folder, role))
        except DataError as e:  # a campaign being written beside this one may not load yet
            if role != "held out" or args.folders:
                raise
            print(f"skipped {folder}: {e}", file=sys.stderr)
    text = table(rows)
    if args.speed:
        label, wall, cpu = speed(args.speed)
        text += (
            f"\nSpeed: suggestions for {label} (links removed, `suggest()` in one process, "
            f"parsing not counted): {wall:.2f} s wall, {cpu:.2f} s CPU.\n"
        )
    print(text, end="")
    if args.write:
        write(args.write, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
