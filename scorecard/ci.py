"""``scorecard init --ci github``: a GitHub Actions workflow for a campaign's repository.

On a pull request it validates, builds and comments the statuses that would change
(``scorecard diff --from BASE --to HEAD --format markdown``); on the default branch it builds and
publishes the outputs to GitHub Pages. The workflow goes in the git repository's root
(``.github/workflows/scorecard.yml``), wherever the campaign folder is inside it.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import __version__
from .errors import ScorecardError
from .render.html import templates_dir

WORKFLOW = Path(".github") / "workflows" / "scorecard.yml"
KINDS = ("github",)


def repository_root(folder: Path) -> Path:
    """The git work tree holding ``folder`` (the nearest parent with a .git), else ``folder``."""
    start = folder.resolve()
    for candidate in (start, *start.parents):
        if (candidate / ".git").exists():
            return candidate
    return start


def workflow(campaign: str = ".", package: str | None = None) -> str:
    """The workflow's text. ``campaign``: the campaign folder from the repository's root;
    ``package``: what pip installs (a requirement such as git+https://...; empty: the workflow
    stops at once and asks for it, as "scorecard" on the package index is another project)."""
    text = (templates_dir() / "ci" / "github.yml").read_text(encoding="utf-8")
    values = {
        "version": __version__,
        "campaign": json.dumps(campaign),
        "package": json.dumps(package or ""),
    }
    for key, value in values.items():
        text = text.replace("{{ " + key + " }}", value)
    return text


def check_package(package: str | None) -> None:
    if package and (any(c in package for c in "\n\r\"'$`\\") or package.startswith("-")):
        raise ScorecardError(
            f"--package {package!r}: give one pip requirement, e.g. "
            "git+https://github.com/OWNER/scorecard@v0.1.0"
        )


def add_ci(folder: Path, kind: str = "github", package: str | None = None) -> Path:
    """Write the workflow for the campaign in ``folder``; never overwrites one."""
    if kind not in KINDS:
        raise ScorecardError(f"'{kind}' is not a CI this tool writes for; use {', '.join(KINDS)}")
    root = repository_root(folder)
    campaign = folder.resolve().relative_to(root).as_posix() or "."
    if any(c in campaign for c in "\n\r\"'$`\\"):
        raise ScorecardError(
            f"{campaign}: the campaign folder's path has characters a workflow "
            "cannot quote safely; rename it"
        )
    check_package(package)
    path = root / WORKFLOW
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("x", encoding="utf-8", newline="\n") as fh:
            fh.write(workflow(campaign, package))
    except FileExistsError:
        raise ScorecardError(
            f"{path} exists; remove it first to write a new one (init never overwrites a file)"
        ) from None
    except OSError as exc:
        raise ScorecardError(f"{path}: cannot write the workflow ({exc.strerror})") from exc
    return path
