"""Stage 5, write: put rendered outputs in place all together, atomically.

Every file is first written into a staging folder beside the output folder, flushed to disk, and
only then moved into place, one rename each. A build killed at any moment leaves the previous
outputs whole and no partial file in the output folder; the next build removes stale staging
folders.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from .errors import ScorecardError

STAGING_PREFIX = ".scorecard-staging-"


def write_outputs(out: Path, files: dict[str, bytes]) -> list[Path]:
    """Write ``{name: content}`` into ``out``; returns the paths written."""
    try:
        out.mkdir(parents=True, exist_ok=True)
        for stale in out.parent.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(stale, ignore_errors=True)
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out.parent))
    except OSError as exc:
        raise ScorecardError(f"{out}: cannot create the output folder ({exc.strerror}); "
                             "choose another with --out") from exc
    try:
        for name, content in files.items():
            path = staging / name
            with path.open("wb") as fh:
                fh.write(content)
                fh.flush()
                os.fsync(fh.fileno())
            path.chmod(0o644)
        written = []
        for name in files:
            target = out / name
            os.replace(staging / name, target)
            written.append(target)
        return written
    except OSError as exc:
        raise ScorecardError(f"{out}: cannot write the outputs ({exc.strerror}); check the "
                             "folder's permissions and free space") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)
