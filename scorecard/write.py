"""Stage 6, write: the one way files are written. ``write_outputs`` puts rendered outputs in
place all together, atomically; ``replace_file`` replaces one file (an edited YAML file, a cache
entry) atomically.

The new output folder is assembled as a staging folder beside it (``.scorecard-staging-*``):
the new files, flushed to disk, plus hard links to everything else the output folder holds. Then
one system call swaps the two folders (Linux ``renameat2(RENAME_EXCHANGE)``; a plain rename when
there is no output folder yet), and the staging folder, now holding the previous outputs, is
removed. A build killed at any moment leaves either all the previous outputs or all the new
ones, never a mix and never a partial file; the next build removes the staging folders of
builds that died.

Where the swap is not available (other systems, some file systems) or not wise (the output
folder holds more than 1,000 entries, or is the current folder or holds it), each file is moved
into place with its own rename: every file is still whole, but a build killed between two
renames leaves some files new and some previous.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import shutil
import stat
import sys
import tempfile
from pathlib import Path

from .errors import ScorecardError, display

STAGING_PREFIX = ".scorecard-staging-"
MAX_SWAP_ENTRIES = 1_000


def write_outputs(out: Path, files: dict[str, bytes], durable: bool = True) -> list[Path]:
    """Write ``{name: content}`` into ``out``; returns the paths written. ``durable=False``
    skips flushing to disk (a preview needs no durability, and fsync is most of a rebuild's
    time on some disks)."""
    target = out.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_stale(target.parent)
        staging = Path(tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-",
                                        dir=target.parent))
    except OSError as exc:
        raise ScorecardError(f"{out}: cannot create the output folder ({exc.strerror}); "
                             "choose another with --out") from exc
    try:
        existed = target.is_dir()
        swap = existed and _can_swap(target)
        if swap:
            os.chmod(staging, stat.S_IMODE(target.stat().st_mode))
            _link_others(target, staging, set(files))
        else:
            os.chmod(staging, 0o755)
        for name, content in files.items():
            path = staging / name
            with path.open("wb") as fh:
                fh.write(content)
                if durable:
                    fh.flush()
                    os.fsync(fh.fileno())
            path.chmod(0o644)
        if durable:
            _fsync_dir(staging)
        if not (swap and _exchange(staging, target) or not existed and _rename(staging, target)):
            target.mkdir(parents=True, exist_ok=True)
            for name in files:  # the fallback: one rename per file
                os.replace(staging / name, target / name)
        if durable:
            _fsync_dir(target.parent)
        return [out / name for name in files]
    except OSError as exc:
        raise ScorecardError(f"{out}: cannot write the outputs ({exc.strerror}); check the "
                             "folder's permissions and free space") from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def replace_file(path: Path, content: bytes, *, expect: bytes | None = None,
                 durable: bool = True, mode: int | None = None) -> None:
    """Replace one file atomically: a temporary file beside it, flushed (unless not
    ``durable``), then renamed over it. It keeps the file's mode (else ``mode``, else 0644).
    With ``expect``: only while the file still holds those bytes (someone may save it
    meanwhile), checked before and after the temporary file is written."""

    def unchanged() -> bool:
        try:
            current = path.read_bytes()
        except OSError:
            return False
        return hashlib.sha256(current).digest() == hashlib.sha256(expect or b"").digest()

    changed = ScorecardError(f"{display(path)} was changed by someone else while this edit was "
                             "being made; nothing was written: run the command again")
    if expect is not None and not unchanged():
        raise changed
    tmp = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            fh.write(content)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        if path.exists():
            mode = stat.S_IMODE(path.stat().st_mode)
        os.chmod(tmp, 0o644 if mode is None else mode)
        if expect is not None and not unchanged():
            raise changed
        os.replace(tmp, path)
    except OSError as exc:
        raise ScorecardError(f"{display(path)}: cannot write ({exc.strerror}); nothing was "
                             "changed") from exc
    finally:
        if tmp and os.path.exists(tmp):
            os.unlink(tmp)


def _rename(staging: Path, target: Path) -> bool:
    """No output folder yet: the staging folder becomes it, in one rename."""
    try:
        os.rename(staging, target)
    except OSError:
        return False  # it appeared meanwhile: use the fallback
    return True


def _can_swap(target: Path) -> bool:
    """Swap only a folder this process does not stand in, of at most MAX_SWAP_ENTRIES."""
    cwd = Path.cwd().resolve()
    if cwd == target or target in cwd.parents:
        return False  # swapping would leave this process (and its shell) in a deleted folder
    count = 0
    for _folder, folders, names in os.walk(target):
        count += len(folders) + len(names)
        if count > MAX_SWAP_ENTRIES:
            return False  # a whole site: linking it all again on every build costs too much
    return True


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders atomically (Linux renameat2 with RENAME_EXCHANGE)."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):  # a C library without renameat2 (glibc < 2.28, musl)
        return False
    at_fdcwd, rename_exchange = -100, 2
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # the file system cannot swap: use the fallback
    raise OSError(code, os.strerror(code), str(b))


def _link_others(source: Path, dest: Path, skip: set[str]) -> None:
    """Give ``dest`` everything else ``source`` holds, as hard links (copies where links fail)."""
    for entry in os.scandir(source):
        if entry.name in skip or entry.name.startswith(STAGING_PREFIX):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(entry.path, dest / entry.name, symlinks=True,
                            copy_function=_link_or_copy)
        elif entry.is_symlink():
            os.symlink(os.readlink(entry.path), dest / entry.name)
        else:
            _link_or_copy(entry.path, str(dest / entry.name))


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _fsync_dir(folder: Path) -> None:
    with contextlib.suppress(OSError):  # not every system can open a folder
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_stale(parent: Path) -> None:
    """Remove the staging folders of builds that died (their process is gone)."""
    for stale in parent.glob(f"{STAGING_PREFIX}*"):
        pid = stale.name[len(STAGING_PREFIX):].split("-")[0]
        if pid.isdigit() and _alive(int(pid)):
            continue  # another build, still running
        shutil.rmtree(stale, ignore_errors=True)


def _alive(pid: int) -> bool:
    if os.name != "posix":
        return False  # no harmless way to ask (os.kill would end it): treat it as gone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True
