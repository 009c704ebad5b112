"""A cache of parsed YAML files, so that a large campaign is not parsed again on every build.

Parsing a 12 MB responses.yaml (10,000 responses) from YAML events takes over a second; reading
the same result back from this cache takes a fraction of that. The same store keeps the HTML of
every Markdown text of the last build (texts rarely change between builds, and Markdown is
half the cost of the page), and Jinja's compiled templates.

- Where: the user's cache folder (``$SCORECARD_CACHE``, else ``$XDG_CACHE_HOME/scorecard``, else
  ``~/.cache/scorecard``), never the project folder: a build that fails writes nothing in the
  project, and a campaign folder received from someone else cannot bring cache files with it.
  ``SCORECARD_CACHE=""`` turns the cache off.
- Never stale: an entry's name is the SHA-256 of the file's bytes together with the loader's
  own source code (load.py and this module), so a changed file or a changed loader looks up a
  different entry.
- The validated campaign too (validate.py): the model and the warnings of a campaign that has no
  error, named after the SHA-256 of each input file, the names its problems are shown under,
  every module of the package and the versions of Python and the libraries validation uses.
  A warm build then neither reads the parsed YAML nor checks it again.
- Safe to read: entries are ``marshal`` data of plain values (dicts, lists, tuples, strings,
  ints; marshal has no way to name a class or call a function on load, unlike pickle), and each
  is signed with HMAC-SHA256 under a random key made once per user (file mode 0600). An entry
  that is truncated, corrupt or forged fails the check and is ignored: the file is parsed again.
- Bounded: at most ``MAX_ENTRIES`` entries and ``MAX_BYTES`` in all are kept; the least
  recently written go first. The folder is private to the user (0700).

Every failure of the cache (unwritable folder, bad entry) only costs time; it never fails a
build and never changes a result.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import marshal
import os
import secrets
from pathlib import Path
from typing import Any

FORMAT = b"scorecard-yaml-cache/1\n"
MAX_ENTRIES = 32
MAX_BYTES = 256 * 1024 * 1024
KEY_FILE = "cache-key"
_SIG = hashlib.sha256().digest_size


def default_dir() -> Path | None:
    """The cache folder, or None when the cache is turned off."""
    configured = os.environ.get("SCORECARD_CACHE")
    if configured is not None:
        return Path(configured) if configured.strip() else None
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "scorecard"


@functools.cache
def _code_version() -> bytes:
    """A digest of the code that produces the cached values: change it, and entries change."""
    digest = hashlib.sha256(FORMAT)
    here = Path(__file__).resolve().parent
    for name in ("load.py", "cache.py", "errors.py"):
        digest.update((here / name).read_bytes())
    return digest.digest()


def entry_name(raw: bytes) -> str:
    return hashlib.sha256(_code_version() + raw).hexdigest() + ".yamlcache"


@functools.cache
def _package_version() -> bytes:
    """A digest of every module of the package's top level (validation's code and all it
    imports: model, budget, load, errors...) and of the libraries that shape its result."""
    import sys
    from importlib import metadata  # (pydantic imports it already)

    digest = hashlib.sha256(FORMAT + sys.version.encode())
    # by their installed versions: a build that finds the campaign in the cache never imports
    # markdown-it or PyYAML (~30 ms)
    for library in ("pydantic", "pydantic-core", "markdown-it-py", "PyYAML"):
        digest.update(f"|{library} {metadata.version(library)}".encode())
    for module in sorted(Path(__file__).resolve().parent.glob("*.py")):
        digest.update(module.name.encode() + b"\0" + module.read_bytes())
    return digest.digest()


def validated_entry_name(inputs: list[tuple[str, str, str]]) -> str:
    """The entry of a validated campaign: its input files as (file, shown as, SHA-256)."""
    digest = hashlib.sha256(_package_version())
    for item in inputs:
        digest.update(repr(item).encode())
    return digest.hexdigest() + ".validcache"


def _key(folder: Path) -> bytes | None:
    path = folder / KEY_FILE
    try:
        key = path.read_bytes()
        if len(key) == 32:
            return key
    except OSError:
        pass
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        tmp = folder / f"{KEY_FILE}.{secrets.token_hex(8)}.tmp"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
        os.replace(tmp, path)
        return key
    except OSError:
        return None


def read(folder: Path, raw: bytes) -> Any | None:
    """The value stored for a file's bytes, or None (no entry, or one that fails the check)."""
    return read_entry(folder, entry_name(raw))


def write(folder: Path, raw: bytes, value: Any) -> None:
    """Store a value (plain data only) for a file's bytes. Failures are ignored."""
    store(folder, entry_name(raw), value)


def store(folder: Path, name: str, value: Any) -> None:
    """Write an entry, then drop the oldest ones past the bounds. Failures are ignored."""
    write_entry(folder, name, value)
    _prune(folder)


def markdown_entry_name() -> str:
    """The one entry of rendered Markdown: named after the code that renders it (markdown.py,
    and i18n.py, whose rule isolates #hashtags)."""
    from importlib import metadata

    here = Path(__file__).resolve().parent
    digest = hashlib.sha256(_code_version() + (here / "render" / "markdown.py").read_bytes())
    digest.update((here / "i18n.py").read_bytes())
    digest.update(metadata.version("markdown-it-py").encode())  # (not imported: see above)
    return digest.hexdigest() + ".mdcache"


def read_entry(folder: Path, name: str) -> Any | None:
    key = _key(folder)
    if key is None:
        return None
    try:
        blob = (folder / name).read_bytes()
    except OSError:
        return None
    if not blob.startswith(FORMAT) or len(blob) < len(FORMAT) + _SIG:
        return None
    signature, body = blob[len(FORMAT) : len(FORMAT) + _SIG], blob[len(FORMAT) + _SIG :]
    if not hmac.compare_digest(signature, hmac.new(key, body, "sha256").digest()):
        return None
    try:
        return marshal.loads(body)
    except (ValueError, EOFError, TypeError):  # pragma: no cover - signed, so only our own data
        return None


def write_entry(folder: Path, name: str, value: Any) -> None:
    key = _key(folder)
    if key is None:
        return
    try:
        body = marshal.dumps(value)
        tmp = folder / f"{name}.{secrets.token_hex(8)}.tmp"
        with tmp.open("wb") as fh:  # in pieces: not another copy of a 26 MB entry
            fh.write(FORMAT)
            fh.write(hmac.new(key, body, "sha256").digest())
            fh.write(body)
        os.replace(tmp, folder / name)
    except (OSError, ValueError):
        pass


def _prune(folder: Path) -> None:
    try:
        # Rendered Markdown is one entry, named after the code that renders it: an entry of
        # another name was written by another version of that code and is never read again.
        rendered = sorted(folder.glob("*.mdcache"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in rendered[1:]:
            stale.unlink(missing_ok=True)
        found = [*folder.glob("*.yamlcache"), *folder.glob("*.validcache")]
        entries = sorted(found, key=lambda p: p.stat().st_mtime, reverse=True)
        total = 0
        for i, entry in enumerate(entries):
            total += entry.stat().st_size
            if i and (i >= MAX_ENTRIES or total > MAX_BYTES):  # the newest one stays
                entry.unlink(missing_ok=True)
    except OSError:
        pass


def template_cache() -> Any:
    """Jinja's compiled-template cache in a private folder of the cache (0700), or None.

    Jinja checks each entry against the template's source; the key here also holds the digest
    of render/html.py (the Environment's options live there) and of Jinja's version, so a change to
    either compiles afresh. Like Python's own __pycache__, entries are code: the folder is the
    user's own and nobody else's.
    """
    folder = default_dir()
    if folder is None:
        return None
    import jinja2

    folder = folder / "templates"
    try:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        stat = folder.stat()
        if stat.st_uid != getattr(os, "getuid", lambda: stat.st_uid)() or stat.st_mode & 0o077:
            return None  # someone else could write there: no compiled code from it
    except OSError:
        return None
    here = Path(__file__).resolve().parent
    salt = hashlib.sha256((here / "render" / "html.py").read_bytes() + jinja2.__version__.encode())

    class TemplateCache(jinja2.FileSystemBytecodeCache):
        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return hashlib.sha256(f"{salt.hexdigest()}|{name}|{filename}".encode()).hexdigest()

    return TemplateCache(str(folder))
