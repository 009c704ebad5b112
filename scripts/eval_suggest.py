#!/usr/bin/env python3
"""Measure `scorecard suggest`: hide the links of labelled campaigns and see how many it finds.

For every response that has links, the demands are ranked by the suggestion score; precision at
1 is the share of responses whose first suggestion is one of their real links, recall at 3 the
mean share of their real links found among the first three. Run from the repository root:

    python3 scripts/eval_suggest.py            # the bundled example and examples/google-walkout
    python3 scripts/eval_suggest.py DIR...     # other campaign folders
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scorecard.suggest import evaluate  # noqa: E402
from scorecard.validate import load_project  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DEFAULT = [ROOT, ROOT / "examples" / "google-walkout"]


def main(folders: list[Path]) -> int:
    print(f"{'campaign':40} {'labelled':>8} {'P@1':>6} {'R@3':>6}")
    for folder in folders:
        project, _ = load_project(folder)
        result = evaluate(project)
        name = next(iter(project.campaign.title.values()))
        print(f"{name[:40]:40} {result.responses:>8} {result.precision_at_1:>6.3f} "
              f"{result.recall_at_3:>6.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main([Path(a) for a in sys.argv[1:]] or DEFAULT))
