"""Watched sources: is every source URL of the campaign still there, and does it still say what
it said? (``scorecard check-sources``)

Each distinct URL is fetched once (GET, redirects followed, a few at a time, with a connect
and read timeout and an overall deadline per URL, a User-Agent naming this tool and no cookies
kept) and reported as:

- ``live``: it answers 2xx at the address given;
- ``redirected``: it answers 2xx, after one or more redirects (``final_url`` says where);
- ``gone``: 4xx or 5xx, a name that does not resolve, a refused connection, a timeout;
- ``changed``: it answers, but the SHA-256 of its content differs from the ``sha256`` recorded
  on the source.

``record`` writes ``sha256`` and ``checked`` (and ``archive``, the Internet Archive's snapshot
made by ``archive``) onto each source, through edit.py's text splicer: nothing else in the YAML
changes. Only this module touches the network, and only when asked; the build never does.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import http.cookiejar
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import __version__
from .errors import ScorecardError
from .model import Project, Source
from .validate import ASSESSMENTS, DEMANDS, RESPONSES

USER_AGENT = f"scorecard/{__version__} (accountability scorecard source checker; python-httpx)"
ARCHIVE_ENV = "SCORECARD_ARCHIVE_URL"
ARCHIVE_DEFAULT = "https://web.archive.org"
STATES = ("live", "redirected", "changed", "gone")


@dataclass(frozen=True)
class Citation:
    """Where a source is: its file, the key path of the source mapping, and a readable place."""

    file: str  # demands.yaml or responses.yaml
    path: tuple[str | int, ...]  # e.g. ("responses", 3, "sources", 0)
    where: str  # e.g. "response 2020-07-01-letter"
    source: Source


@dataclass
class Check:
    """The result for one URL (cited by one or more sources)."""

    url: str
    citations: list[Citation]
    state: str = "gone"
    status_code: int | None = None
    final_url: str | None = None
    sha256: str | None = None  # of the content fetched now
    recorded: str | None = None  # the sha256 recorded on the source(s), if any
    reason: str = ""
    archive: str | None = None  # a snapshot made now (archive())

    @property
    def ok(self) -> bool:
        return self.state != "gone"

    def to_dict(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "state": self.state,
            "status_code": self.status_code,
            "final_url": self.final_url,
            "sha256": self.sha256,
            "recorded_sha256": self.recorded,
            "reason": self.reason,
            "archive": self.archive
            or next((c.source.archive for c in self.citations if c.source.archive), None),
            "cited_by": [c.where for c in self.citations],
        }


# --------------------------------------------------------------------------- what to check


def citations(project: Project) -> list[Citation]:
    """Every source with a URL, in file order: the campaign's, the demands', the responses',
    the assessments'."""
    out = [
        Citation(DEMANDS, ("campaign", "sources", j), "campaign", s)
        for j, s in enumerate(project.campaign.sources)
    ]
    for i, d in enumerate(project.demands):
        out += [
            Citation(DEMANDS, ("demands", i, "sources", j), f"demand {d.id}", s)
            for j, s in enumerate(d.sources)
        ]
    for i, r in enumerate(project.responses):
        out += [
            Citation(RESPONSES, ("responses", i, "sources", j), f"response {r.id}", s)
            for j, s in enumerate(r.sources)
        ]
    for i, a in enumerate(project.assessments):
        out += [
            Citation(ASSESSMENTS, ("assessments", i, "sources", j), f"assessment {a.id}", s)
            for j, s in enumerate(a.sources)
        ]
    return [c for c in out if c.source.url]


def by_url(found: Iterable[Citation]) -> list[Check]:
    """One check per distinct URL, in order of first citation."""
    checks: dict[str, Check] = {}
    for c in found:
        check = checks.setdefault(c.source.url, Check(c.source.url, []))  # type: ignore[arg-type]
        check.citations.append(c)
        if c.source.sha256 and not check.recorded:
            check.recorded = c.source.sha256
    return list(checks.values())


# --------------------------------------------------------------------------- fetching


def client(timeout: float = 10.0, user_agent: str = USER_AGENT):
    """An HTTP client that follows redirects, names this tool and keeps no cookie."""
    import httpx

    jar = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    return httpx.Client(
        follow_redirects=True,
        max_redirects=10,
        cookies=jar,
        timeout=httpx.Timeout(timeout, connect=timeout),
        headers={"User-Agent": user_agent, "Accept": "*/*"},
    )


def fetch(http, check: Check, timeout: float = 10.0) -> Check:
    """Fetch one URL and fill in ``check`` (its state, status, final URL and content hash)."""
    import httpx

    deadline = time.monotonic() + 3 * timeout  # a server that trickles bytes is cut off too
    try:
        with http.stream("GET", check.url) as response:
            check.status_code = response.status_code
            check.final_url = str(response.url)
            if response.status_code >= 400:
                check.state = "gone"
                check.reason = f"HTTP {response.status_code} {response.reason_phrase}".strip()
                return check
            if not 200 <= response.status_code < 300:
                check.state = "gone"
                check.reason = f"HTTP {response.status_code}: no page to read"
                return check
            digest = hashlib.sha256()
            for chunk in response.iter_bytes():
                digest.update(chunk)
                if time.monotonic() > deadline:
                    check.state = "gone"
                    check.reason = f"too slow: not read in {3 * timeout:g} s"
                    return check
            check.sha256 = digest.hexdigest()
            moved = bool(response.history)
    except httpx.TimeoutException:
        check.state, check.reason = "gone", f"timed out (no answer in {timeout:g} s)"
        return check
    except httpx.TooManyRedirects:
        check.state, check.reason = "gone", "too many redirects"
        return check
    except httpx.ConnectError as exc:
        check.state, check.reason = "gone", f"cannot connect ({_why(exc)})"
        return check
    except (httpx.HTTPError, httpx.InvalidURL) as exc:
        check.state, check.reason = "gone", f"{type(exc).__name__}: {_why(exc)}"
        return check
    if check.recorded and check.recorded != check.sha256:
        check.state = "changed"
        check.reason = "content differs from the recorded sha256"
    elif moved:
        check.state = "redirected"
        check.reason = f"now at {check.final_url}"
    else:
        check.state = "live"
        check.reason = f"HTTP {check.status_code}"
    return check


def _why(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    if (
        "Name or service not known" in text
        or "nodename nor servname" in text
        or "No address associated" in text
        or "Temporary failure in name resolution" in text
    ):
        return "the name does not resolve (DNS)"
    return text.splitlines()[0][:200]


def check_all(
    checks: list[Check],
    concurrency: int = 4,
    timeout: float = 10.0,
    progress: Callable[[Check], None] = lambda c: None,
) -> list[Check]:
    """Fetch every URL, ``concurrency`` at a time; returns the checks in their order."""
    with client(timeout) as http, ThreadPoolExecutor(max_workers=max(1, concurrency)) as pool:
        for done in pool.map(lambda c: fetch(http, c, timeout), checks):
            progress(done)
    return checks


# --------------------------------------------------------------------------- archiving


def archive_base() -> str:
    return (os.environ.get(ARCHIVE_ENV) or ARCHIVE_DEFAULT).rstrip("/")


def archive(url: str, timeout: float = 120.0, base: str | None = None) -> str:
    """Ask the Internet Archive's Save Page Now to capture ``url`` (its documented anonymous
    ``GET /save/URL``); returns the snapshot's address. The endpoint's base address comes from
    SCORECARD_ARCHIVE_URL when set (a local stand-in in tests), else https://web.archive.org."""
    import httpx

    base = (base or archive_base()).rstrip("/")
    jar = http.cookiejar.CookieJar(http.cookiejar.DefaultCookiePolicy(allowed_domains=[]))
    try:
        with httpx.Client(
            follow_redirects=False, cookies=jar, timeout=timeout, headers={"User-Agent": USER_AGENT}
        ) as http_:
            response = http_.get(f"{base}/save/{url}")
    except httpx.HTTPError as exc:
        raise ScorecardError(f"the archive at {base} did not answer ({_why(exc)})") from exc
    error = response.headers.get("X-Archive-Wayback-Runtime-Error")
    if error:
        raise ScorecardError(f"the archive refused to save {url}: {error}")
    if response.status_code == 429:
        raise ScorecardError("the archive says too many requests; try again later")
    if response.status_code >= 400:
        raise ScorecardError(f"the archive answered HTTP {response.status_code} for {url}")
    for where in (
        response.headers.get("Content-Location"),
        response.headers.get("Location") if response.is_redirect else None,
        response.links.get("memento", {}).get("url"),
    ):
        if where and "/web/" in where:
            return where if where.startswith(("http://", "https://")) else base + where
    raise ScorecardError(f"the archive's answer for {url} gave no snapshot address")


# --------------------------------------------------------------------------- recording


def record(root: Path, checks: list[Check], on: dt.date, hashes: bool = True) -> list[Path]:
    """Write ``sha256`` and ``checked`` (when ``hashes``) and any new ``archive`` onto each
    source of the checks, in place, keeping every other byte of the files; returns the files
    changed."""
    from .edit.campaign import CampaignFiles
    from .edit.yamltext import Edit, set_fields

    fields: dict[tuple[str, tuple], dict[str, str]] = {}
    for check in checks:
        for c in check.citations:
            values: dict[str, str] = {}
            if hashes and check.sha256:
                values = {"sha256": check.sha256, "checked": on.isoformat()}
            if check.archive and not c.source.archive:
                values["archive"] = check.archive
            if values:
                fields[(c.file, c.path)] = values
    if not fields:
        return []
    written = []
    for name in (DEMANDS, RESPONSES, ASSESSMENTS):
        mine = {path: values for (file, path), values in fields.items() if file == name}
        if not mine:
            continue
        camp = CampaignFiles.open(root)  # again for each file: commit checks it with the others
        doc = {DEMANDS: camp.demands, RESPONSES: camp.responses}.get(name) or camp.assessments
        assert doc is not None  # a citation of assessments.yaml: the file exists
        expected = copy.deepcopy(camp.data(doc))
        edits: list[tuple[int, int, str]] = []
        for path, values in mine.items():
            node, data = _find(doc, expected, path)
            edits += set_fields(doc, node, values)
            data.update(values)
        text = doc.text
        for start, end, new in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
            text = text[:start] + new + text[end:]
        written.append(camp.commit(doc, Edit(text, expected)))
    return written


def _find(doc, data: Any, path: tuple) -> tuple[yaml.MappingNode, dict]:
    node = doc.root
    for step in path:
        if isinstance(step, int):
            node, data = node.value[step], data[step]
        else:
            node, data = doc.entry(node, step)[1], data[step]
    return node, data


@dataclass
class Report:
    checks: list[Check]
    skipped: int = 0  # sources without a URL (a seed only)
    written: list[Path] = field(default_factory=list)
    archive_errors: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {s: sum(c.state == s for c in self.checks) for s in STATES}

    def to_dict(self) -> dict[str, Any]:
        return {
            "checked": len(self.checks),
            "counts": self.counts(),
            "sources_without_url": self.skipped,
            "sources": [c.to_dict() for c in self.checks],
            "archive_errors": self.archive_errors,
            "written": [str(p) for p in self.written],
        }


def check_sources(
    root: Path,
    concurrency: int = 4,
    timeout: float = 10.0,
    write: bool = False,
    archive_missing: bool = False,
    on: dt.date | None = None,
    progress: Callable[[Check], None] = lambda c: None,
    archive_pause: float = 5.0,
) -> Report:
    """Check every source URL of the campaign in ``root``; with ``write``, record the hashes and
    the date; with ``archive_missing``, ask the archive for a snapshot of every source that
    answered and has none, and record it (one at a time, ``archive_pause`` seconds apart: the
    archive limits how many captures it takes a minute)."""
    from .build import load
    from .document import generated_on

    project, _ = load(root)
    found = citations(project)
    total = (
        len(project.campaign.sources)
        + sum(len(d.sources) for d in project.demands)
        + sum(len(r.sources) for r in project.responses)
        + sum(len(a.sources) for a in project.assessments)
    )
    checks = check_all(by_url(found), concurrency, timeout, progress)
    report = Report(checks, skipped=total - len(found))
    if archive_missing:
        asked = 0
        for check in checks:
            if check.ok and any(not c.source.archive for c in check.citations):
                if asked:
                    time.sleep(archive_pause)
                asked += 1
                try:
                    check.archive = archive(check.url)
                except ScorecardError as exc:
                    report.archive_errors.append(f"{check.url}: {exc}")
                    if "too many requests" in str(exc):
                        break
    if write or archive_missing:
        report.written = record(root, checks, on or generated_on().date(), hashes=write)
    return report
