"""Where the outputs came from: the git commit of the campaign folder, when it is a git checkout.

The SHA-256 of each input file is taken by the loader from the bytes it parsed
(``Project.inputs``); document.py puts both, with the tool's version and how the build was
asked for, in every document's ``provenance``. Nothing here ever fails a build: without git, or
outside a checkout, or when git is slow, there is simply no commit.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path
from typing import Any

TIMEOUT = 10  # seconds for each git command
# git reads the repository's own config: never let it run a program (fsmonitor, pager, editor)
# or take the index's lock (a build must not touch the repository).
_GIT = ["git", "-c", "core.fsmonitor=false", "-c", "core.pager=cat", "--no-pager"]
_ENV = {"GIT_OPTIONAL_LOCKS": "0", "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(
            [*_GIT, "-C", str(root), *args],
            capture_output=True,
            timeout=TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
            env={**os.environ, **_ENV},
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    return done.stdout.decode("utf-8", errors="replace")


def git_state(root: Path | None, files: list[str]) -> dict[str, Any] | None:
    """``{"commit", "path", "modified"}`` of the checkout holding ``root``, else None.

    ``path``: the campaign folder inside the repository ("" at its root); ``modified``: whether
    any of ``files`` (names in ``root``) differs from that commit (changed, staged, untracked
    or ignored)."""
    if root is None:
        return None
    head = _git(root, "rev-parse", "--show-prefix", "HEAD")  # the prefix's line, then HEAD's
    lines = (head or "").splitlines()
    if len(lines) != 2:
        return None
    path, commit = lines[0].strip(), lines[1].strip()
    if len(commit) not in (40, 64) or not all(c in "0123456789abcdef" for c in commit):
        return None
    status = _git(root, "status", "--porcelain", "--ignored", "--untracked-files=all", "--", *files)
    return {"commit": commit, "path": path, "modified": status is None or bool(status.strip())}


def file_hashes(root: Path, names: list[str]) -> dict[str, str | None]:
    """The SHA-256 of each file of ``root`` (None: not there)."""
    out: dict[str, str | None] = {}
    for name in names:
        path = root / name
        out[name] = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
    return out
