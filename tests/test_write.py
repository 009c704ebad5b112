"""Crash safety: a build killed with SIGKILL at any point leaves the previous outputs intact
(byte for byte) or, once the new ones are all in place, the new ones; never a mix and never a
partial file under output/. The next build cleans up after the dead one.

The kill points are found, not guessed: a small driver runs ``scorecard build`` with an audit
hook (``sys.addaudithook``) that sees every file operation under the project folder and kills the
process with SIGKILL just before the K-th one. A first run counts the operations; then the build
is killed before each of them in turn. Other builds are killed by the clock while the PDF renders.
"""

from __future__ import annotations

import os
import shutil
import signal
import stat
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hostile_helpers import EPOCH, ROOT, scorecard, snapshot

from scorecard.write import write_outputs

HERE = Path(__file__).resolve().parent
FORMATS = "html,pdf,json"
PREVIOUS_AS_OF, NEW_AS_OF = "2020-07-01", "2020-12-01"

DRIVER = r"""
import os, signal, sys
watch, kill_at, log = os.environ["WATCH"], int(os.environ["KILL_AT"]), os.environ.get("EVLOG")
events, count = [], 0
PATH_EVENTS = {"os.rename", "os.link", "os.remove", "os.rmdir", "os.mkdir", "os.chmod",
               "os.symlink", "os.truncate", "shutil.rmtree", "shutil.copytree",
               "tempfile.mkdtemp"}

def inside(path):
    try:
        return os.path.abspath(os.fsdecode(path)).startswith(watch)
    except TypeError:
        return False

def hook(event, args):
    global count
    if event == "open":
        writing = args[2] & (os.O_WRONLY | os.O_RDWR | os.O_CREAT) if args[2] else "w" in str(args[1])
        if not (writing and inside(args[0])):
            return
    elif event not in PATH_EVENTS or not inside(args[0]):
        return
    count += 1
    events.append(f"{count} {event} {os.fsdecode(args[0]) if isinstance(args[0], (str, bytes)) else args[0]}")
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)

if log:
    import atexit
    fd = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
    atexit.register(lambda: (os.write(fd, "\n".join(events).encode()), os.close(fd)))
sys.addaudithook(hook)
from scorecard.cli import cli
cli(sys.argv[1:], prog_name="scorecard")
"""


def _driver(
    args: list[str], cwd: Path, kill_at: int, log: Path | None = None
) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": EPOCH,
        "WATCH": str(cwd / "p"),
        "KILL_AT": str(kill_at),
    }
    if log:
        env["EVLOG"] = str(log)
    return subprocess.run(
        [sys.executable, "-c", DRIVER, *args], cwd=cwd, env=env, capture_output=True, timeout=120
    )


@pytest.fixture(scope="module")
def states(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """A project with a previous build in output/ (as of July), the outputs a new build (as of
    December) makes, and the file operations of that new build."""
    base = tmp_path_factory.mktemp("crash")
    template = base / "template"
    template.mkdir()
    shutil.copytree(HERE / "fixtures" / "mini", template / "p")
    (template / "p" / "output").mkdir()
    (template / "p" / "output" / "notes.txt").write_text("a file of the user's, kept\n")
    (template / "p" / "output" / "assets").mkdir()
    (template / "p" / "output" / "assets" / "logo.svg").write_text("<svg/>\n")
    run = scorecard("build", "p", "--format", FORMATS, "--as-of", PREVIOUS_AS_OF, cwd=template)
    assert run.code == 0, run.err
    previous = snapshot(template / "p" / "output")
    counted = base / "counted"
    shutil.copytree(template, counted)
    proc = _driver(
        ["build", "p", "--format", FORMATS, "--as-of", NEW_AS_OF],
        counted,
        0,
        log=base / "events.log",
    )
    assert proc.returncode == 0, proc.stderr.decode()
    new = snapshot(counted / "p" / "output")
    assert new != previous
    assert set(new) == set(previous)  # the same files, other contents
    events = (base / "events.log").read_text().splitlines()
    return {"template": template, "previous": previous, "new": new, "events": events}


def _fresh(states: dict, tmp_path: Path) -> Path:
    work = tmp_path / "work"
    shutil.copytree(states["template"], work)
    return work


def _no_partial_outputs(work: Path, states: dict) -> str:
    """'previous' or 'new': what output/ holds, which must be one whole set or the other."""
    now = snapshot(work / "p" / "output")
    if now == states["previous"]:
        return "previous"
    if now == states["new"]:
        return "new"
    changed = sorted(
        k for k in set(now) | set(states["previous"]) if now.get(k) != states["previous"].get(k)
    )
    pytest.fail(f"output/ is neither the previous build nor the new one; differs in {changed}")


def test_the_build_has_write_steps_to_kill(states: dict) -> None:
    events = states["events"]
    assert len(events) >= 8, events
    assert any("shutil.rmtree" in e and ".scorecard-staging-" in e for e in events), events


def test_killed_before_each_file_operation(states: dict, tmp_path: Path) -> None:
    """SIGKILL just before each file operation of the build, one build per operation (run a
    few at a time: each renders the PDF before it reaches the write step)."""
    events = states["events"]
    # The staging folder is removed right after the swap: from there on, the new set is live.
    swapped = next(
        i for i, e in enumerate(events, 1) if "shutil.rmtree" in e and ".scorecard-staging-" in e
    )

    def kill_at(k: int) -> None:
        work = tmp_path / f"k{k}"
        shutil.copytree(states["template"], work)
        proc = _driver(["build", "p", "--format", FORMATS, "--as-of", NEW_AS_OF], work, k)
        assert proc.returncode == -signal.SIGKILL, (k, events[k - 1], proc.stderr.decode())
        state = _no_partial_outputs(work, states)
        expected = "previous" if k < swapped else "new"
        assert state == expected, f"killed before {events[k - 1]!r}: output/ holds the {state} set"
        if k in (swapped - 1, swapped):  # the next build cleans up and completes
            run = scorecard("build", "p", "--format", "html,json", "--as-of", NEW_AS_OF, cwd=work)
            assert run.code == 0, run.err
            assert not list((work / "p").glob(".scorecard-staging-*"))
            assert snapshot(work / "p" / "output")["notes.txt"] == b"a file of the user's, kept\n"
        shutil.rmtree(work)

    with ThreadPoolExecutor(max_workers=min(4, os.cpu_count() or 1)) as pool:
        for future in [pool.submit(kill_at, k) for k in range(1, len(events) + 1)]:
            future.result()


@pytest.mark.parametrize("delay", [0.5, 1.5, 2.5])
def test_killed_by_the_clock_while_rendering(states: dict, tmp_path: Path, delay: float) -> None:
    work = _fresh(states, tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "scorecard",
            "build",
            "p",
            "--format",
            FORMATS,
            "--as-of",
            NEW_AS_OF,
        ],
        cwd=work,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    time.sleep(delay)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    _no_partial_outputs(work, states)  # either set, whole, whenever the kill landed


# ------------------------------------------------------------------ write.py, in process


def test_first_build_creates_the_folder_in_one_rename(tmp_path: Path) -> None:
    out = tmp_path / "site" / "out"
    written = write_outputs(out, {"a.html": b"A", "b.json": b"B"})
    assert written == [out / "a.html", out / "b.json"]
    assert snapshot(out) == {"a.html": b"A", "b.json": b"B"}
    assert stat.S_IMODE(out.stat().st_mode) == 0o755
    assert sorted(p.name for p in out.parent.iterdir()) == ["out"]  # no staging left


def test_swap_keeps_the_users_files_and_the_folder_mode(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir(mode=0o750)
    out.chmod(0o750)
    (out / "a.html").write_bytes(b"old")
    (out / "keep.txt").write_bytes(b"mine")
    (out / "link").symlink_to("keep.txt")
    write_outputs(out, {"a.html": b"new"})
    assert snapshot(out) == {"a.html": b"new", "keep.txt": b"mine", "link": b"mine"}
    assert (out / "link").is_symlink()
    assert stat.S_IMODE(out.stat().st_mode) == 0o750
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_swap_keeps_subfolders(tmp_path: Path) -> None:
    out = tmp_path / "out"
    (out / "assets" / "img").mkdir(parents=True)
    (out / "assets" / "img" / "logo.svg").write_bytes(b"<svg/>")
    inode = out.stat().st_ino
    write_outputs(out, {"a.html": b"new"})
    assert out.stat().st_ino != inode  # swapped in one step
    assert snapshot(out) == {
        "a.html": b"new",
        "assets": None,
        "assets/img": None,
        "assets/img/logo.svg": b"<svg/>",
    }


@pytest.mark.parametrize("where", ["big", "cwd"])
def test_fallback_renames_each_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str
) -> None:
    """A folder of more than 1,000 entries, or one we stand in, is not swapped: files move one
    by one, and everything else in it stays where it is (the same folder)."""
    out = tmp_path / "out"
    out.mkdir()
    if where == "big":
        for i in range(1_001):
            (out / f"page{i}.html").write_bytes(b"mine")
    else:
        monkeypatch.chdir(out)
    inode = out.stat().st_ino
    write_outputs(out, {"a.html": b"new"})
    assert out.stat().st_ino == inode  # the same folder, not a swapped one
    assert (out / "a.html").read_bytes() == b"new"
    assert not list(tmp_path.glob(".scorecard-staging-*"))


def test_a_big_folder_the_build_replaces_whole_is_swapped(tmp_path: Path) -> None:
    """Only the entries carried over count against the 1,000: a build that replaces its own
    1,001 badges swaps the folder in one rename."""
    if not sys.platform.startswith("linux"):
        pytest.skip("the swap is Linux's renameat2")
    out = tmp_path / "out"
    out.mkdir()
    files = {f"badge.D{i}.svg": b"new" for i in range(1_001)}
    for name in files:
        (out / name).write_bytes(b"old")
    (out / "mine.txt").write_bytes(b"kept")
    inode = out.stat().st_ino
    write_outputs(out, files)
    assert out.stat().st_ino != inode  # swapped, not renamed file by file
    assert (out / "badge.D7.svg").read_bytes() == b"new"
    assert (out / "mine.txt").read_bytes() == b"kept"


def test_an_unchanged_file_is_kept_and_a_changed_one_written(tmp_path: Path) -> None:
    """The same bytes as before: the previous file itself (not rewritten, not freed); other
    bytes, or a file that is not a plain 0644 file, are written anew."""
    out = tmp_path / "out"
    write_outputs(out, {"same.svg": b"S", "changed.html": b"old", "mode.json": b"M"})
    (out / "mode.json").chmod(0o600)
    before = {name: (out / name).stat().st_ino for name in ("same.svg", "changed.html")}
    write_outputs(out, {"same.svg": b"S", "changed.html": b"new", "mode.json": b"M"})
    assert (out / "same.svg").stat().st_ino == before["same.svg"]
    assert (out / "changed.html").read_bytes() == b"new"
    assert stat.S_IMODE((out / "mode.json").stat().st_mode) == 0o644


def test_only_the_staging_folders_of_dead_builds_are_removed(tmp_path: Path) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    (tmp_path / f".scorecard-staging-{dead}-abc").mkdir()
    (tmp_path / ".scorecard-staging-legacy").mkdir()
    alive = tmp_path / f".scorecard-staging-{os.getpid()}-running"  # a build still at work
    alive.mkdir()
    write_outputs(tmp_path / "out", {"a.html": b"A"})
    assert sorted(p.name for p in tmp_path.iterdir()) == [alive.name, "out"]


def test_a_changed_file_of_a_carried_folder_is_not_written_through(tmp_path: Path) -> None:
    """sources/ is carried into the staging folder as hard links: a changed file is written
    as a new file, so the published one stays as it was until the swap."""
    out = tmp_path / "out"
    write_outputs(out, {"a.html": b"one", "sources/x.txt": b"old", "sources/y.txt": b"same"})
    before = tmp_path / "published-x"
    os.link(out / "sources" / "x.txt", before)  # the file readers had until the swap
    same = (out / "sources" / "y.txt").stat().st_ino
    write_outputs(out, {"a.html": b"two", "sources/x.txt": b"new", "sources/y.txt": b"same"})
    assert (out / "sources" / "x.txt").read_bytes() == b"new"
    assert before.read_bytes() == b"old"
    assert (out / "sources" / "y.txt").stat().st_ino == same  # unchanged: the same file


@pytest.mark.parametrize("swap", [True, False])
def test_names_said_stale_are_removed_and_others_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, swap: bool
) -> None:
    from scorecard import write
    from scorecard.render import is_later_evidence_page

    if not swap:
        monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    out = tmp_path / "out"
    names = ["evidence.html", "evidence_2.html", "evidence_3.html", "evidence.t_2.ar.html"]
    write_outputs(out, {name: b"x" for name in names})
    (out / "notes.txt").write_text("mine")
    write_outputs(
        out, {"evidence.html": b"y", "evidence_2.html": b"y"}, stale=is_later_evidence_page
    )
    assert sorted(p.name for p in out.iterdir()) == [
        "evidence.html",
        "evidence_2.html",
        "notes.txt",
    ]
