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

Builds into one folder take turns: each holds an exclusive ``flock`` on the folder that holds
the output folder while it writes (a later build waits), so two builds never mix their files.
The output folder is checked before anything is built (``check_output``): the default
``PROJECT/output`` must not be a link leading out of the project, and an existing output folder
must be a plain folder this user owns. Inside it, links are never followed: files are written in
a new staging folder and other entries are carried over as they are (a link stays a link).

Where the swap is not available (other systems, some file systems) or not wise (the output
folder holds more than 1,000 entries the build does not replace, or is the current folder or
holds it), each file is moved into place with its own rename: every file is still whole, but a
build killed between two renames leaves some files new and some previous.
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
from collections.abc import Callable
from pathlib import Path

from .errors import ScorecardError, display

STAGING_PREFIX = ".scorecard-staging-"
MAX_SWAP_ENTRIES = 1_000


def check_output(root: Path, out: Path | None) -> None:
    """Refuse, before anything is built or written, an output folder that would send the
    outputs somewhere the user did not mean: the default ``PROJECT/output`` when it is a link
    (even a dangling one) leading out of the project, and any existing output path that is not
    a plain folder this user owns. An explicit ``--out`` is taken as given (a link the user
    names is the user's choice), but what it leads to must be such a folder."""
    if out is None:
        default = root / "output"
        if default.is_symlink():
            real = Path(os.path.realpath(default))
            if not real.is_relative_to(Path(os.path.realpath(root))) or not real.exists():
                raise ScorecardError(
                    f"{default}: the output folder is a link to {real}, "
                    f"{'outside the project' if real.exists() else 'which does not exist'}; "
                    "nothing was written: remove the link (or give --out to write there on "
                    "purpose)"
                )
        out = default
    _check_plain_folder(out)


def _check_plain_folder(out: Path) -> None:
    try:
        info = out.stat()  # through a link the user named: where the outputs would go
    except FileNotFoundError:
        return  # made by the build
    except OSError as exc:
        raise ScorecardError(
            f"{out}: cannot use it as the output folder ({exc.strerror}); "
            "nothing was written: choose another with --out"
        ) from exc
    if not stat.S_ISDIR(info.st_mode):
        raise ScorecardError(
            f"{out}: is not a folder; nothing was written: remove it, or "
            "choose another output folder with --out"
        )
    if hasattr(os, "getuid") and info.st_uid != os.getuid():
        raise ScorecardError(
            f"{out}: the output folder belongs to another user; nothing was "
            "written: choose a folder of your own with --out"
        )


@contextlib.contextmanager
def _turn(folder: Path):
    """An exclusive lock on ``folder`` (the parent of the output folder) for the time of a
    write: a second build into the same place waits for the first to finish."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: no lock
        yield
        return
    try:
        fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError as exc:
        raise ScorecardError(
            f"{folder}: cannot open the folder that holds the outputs "
            f"({exc.strerror}); nothing was written"
        ) from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print(f"Waiting for another build writing into {folder}...", file=sys.stderr)
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def write_outputs(
    out: Path,
    files: dict[str, bytes],
    durable: bool = True,
    stale: Callable[[str], bool] | None = None,
) -> list[Path]:
    """Write ``{name: content}`` into ``out``; returns the paths written. Builds into the same
    place take turns (see ``_turn``). ``durable=False`` skips flushing to disk (a preview needs
    no durability, and fsync is most of a rebuild's time on some disks). ``stale``: which
    names of the folder's top level, when not among ``files``, an earlier build made and this
    one no longer does (they are removed with the swap: an evidence page past the last)."""
    target = out.resolve()
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ScorecardError(
            f"{out}: cannot create the output folder ({exc.strerror}); choose another with --out"
        ) from exc
    with _turn(target.parent):
        _check_plain_folder(target)  # again, now that no other build can change it
        return _write_outputs(out, target, files, durable, stale or (lambda name: False))


def _write_outputs(
    out: Path, target: Path, files: dict[str, bytes], durable: bool, stale: Callable[[str], bool]
) -> list[Path]:
    try:
        _remove_stale(target.parent)
        staging = Path(
            tempfile.mkdtemp(prefix=f"{STAGING_PREFIX}{os.getpid()}-", dir=target.parent)
        )
    except OSError as exc:
        raise ScorecardError(
            f"{out}: cannot create the output folder ({exc.strerror}); choose another with --out"
        ) from exc
    try:
        existed = target.is_dir()
        swap = existed and _can_swap(target, set(files))
        if swap:
            os.chmod(staging, stat.S_IMODE(target.stat().st_mode))
            _link_others(target, staging, set(files), stale)
        else:
            os.chmod(staging, 0o755)
        for name, content in files.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)  # sources/FILE
            if existed and _link_same(target / name, path, content):
                continue
            # A file of a folder carried over (sources/) is a link to the previous file: never
            # write through it, which would change the published file before the swap.
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
            with path.open("wb") as fh:
                fh.write(content)
            path.chmod(0o644)
        if durable:
            _flush(staging, [staging / name for name in files])
        if not (swap and _exchange(staging, target) or not existed and _rename(staging, target)):
            target.mkdir(parents=True, exist_ok=True)
            for name in files:  # the fallback: one rename per file
                (target / name).parent.mkdir(parents=True, exist_ok=True)
                os.replace(staging / name, target / name)
            for entry in os.scandir(target):
                if entry.name not in files and stale(entry.name) and entry.is_file():
                    os.unlink(entry.path)
        if durable:
            _fsync_dir(target.parent)
        return [out / name for name in files]
    except OSError as exc:
        raise ScorecardError(
            f"{out}: cannot write the outputs ({exc.strerror}); check the "
            "folder's permissions and free space"
        ) from exc
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def replace_file(
    path: Path,
    content: bytes,
    *,
    expect: bytes | None = None,
    durable: bool = True,
    mode: int | None = None,
) -> None:
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

    changed = ScorecardError(
        f"{display(path)} was changed by someone else while this edit was "
        "being made; nothing was written: run the command again"
    )
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
        raise ScorecardError(
            f"{display(path)}: cannot write ({exc.strerror}); nothing was changed"
        ) from exc
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


def _can_swap(target: Path, replaced: set[str]) -> bool:
    """Swap only a folder this process does not stand in, with at most MAX_SWAP_ENTRIES
    entries to carry over (the files the build writes anew are not carried: a campaign of
    1,000 demands has over 1,000 outputs, all replaced)."""
    cwd = Path.cwd().resolve()
    if cwd == target or target in cwd.parents:
        return False  # swapping would leave this process (and its shell) in a deleted folder
    count = 0
    for folder, folders, names in os.walk(target):
        if folder == str(target):
            names = [name for name in names if name not in replaced]
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
    renameat2.argtypes = [
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_int,
        ctypes.c_char_p,
        ctypes.c_uint,
    ]
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False  # the file system cannot swap: use the fallback
    raise OSError(code, os.strerror(code), str(b))


def _link_others(source: Path, dest: Path, skip: set[str], stale: Callable[[str], bool]) -> None:
    """Give ``dest`` everything else ``source`` holds but ``stale`` names, as hard links
    (copies where links fail)."""
    for entry in os.scandir(source):
        if entry.name in skip or entry.name.startswith(STAGING_PREFIX) or stale(entry.name):
            continue
        if entry.is_dir(follow_symlinks=False):
            shutil.copytree(
                entry.path, dest / entry.name, symlinks=True, copy_function=_link_or_copy
            )
        elif entry.is_symlink():
            os.symlink(os.readlink(entry.path), dest / entry.name)
        else:
            _link_or_copy(entry.path, str(dest / entry.name))


def _link_same(previous: Path, path: Path, content: bytes) -> bool:
    """Give ``path`` the previous output file itself (a hard link) when it holds exactly
    ``content``: a plain file of this user, mode 0644, never a link. An unchanged file is then
    neither written again nor, with the previous folder, deleted: freeing the blocks of a
    thousand badges took seconds on a busy disk."""
    try:
        info = previous.lstat()
        if not (
            stat.S_ISREG(info.st_mode)
            and stat.S_IMODE(info.st_mode) == 0o644
            and info.st_size == len(content)
            and info.st_uid == getattr(os, "getuid", lambda: info.st_uid)()
            and _holds(previous, content)
        ):
            return False
        try:
            os.link(previous, path, follow_symlinks=False)
        except FileExistsError:  # carried over with its folder (sources/): the same file?
            return os.path.samestat(path.lstat(), info)
    except (OSError, NotImplementedError):  # NotImplementedError: no linkat on this system
        return False
    return True


def _holds(path: Path, content: bytes) -> bool:
    """Whether the file holds ``content``, read a megabyte at a time (not another copy of a
    35 MB scorecard.json in memory)."""
    with path.open("rb") as fh:
        for start in range(0, len(content), 1 << 20):
            # bytes against bytes: one memcmp (a memoryview compares byte by byte, 3x slower)
            if fh.read(1 << 20) != content[start : start + (1 << 20)]:
                return False
        return fh.read(1) == b""


def _link_or_copy(src: str, dst: str) -> None:
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


def _flush(folder: Path, paths: list[Path]) -> None:
    """Put the new files and their folder on disk before they are swapped in: one ``syncfs``
    of the file system where Linux has it (an fsync per file costs ~0.4 ms: 0.4 s for the
    1,000 badges of a big campaign), else an fsync of each file and of the folder."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            syncfs = ctypes.CDLL(None, use_errno=True).syncfs
        except (OSError, AttributeError):
            syncfs = None
        if syncfs is not None:
            fd = os.open(folder, os.O_RDONLY)
            try:
                if syncfs(fd) == 0:
                    return
            finally:
                os.close(fd)
    for path in paths:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    _fsync_dir(folder)


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
        pid = stale.name[len(STAGING_PREFIX) :].split("-")[0]
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
