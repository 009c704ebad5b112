"""`scorecard check-sources`: every source URL fetched from a local HTTP server on 127.0.0.1
(live, redirected, 404, changed content, slow, refused), `--record` writing sha256 and the
date into the YAML without touching another byte, and `--archive` against a local stand-in for
the Internet Archive's Save Page Now endpoint. No test here needs the internet."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml

from scorecard import __version__
from scorecard.cli import cli
from scorecard.errors import ScorecardError
from scorecard.sources import (
    Check,
    _why,
    by_url,
    check_sources,
    citations,
)
from scorecard.validate import load_project

LIVE = b"<html><body>The company promised an audit.</body></html>"


class Site:
    """A local web server with one path per case, recording the headers it receives."""

    def __init__(self) -> None:
        self.changing = b"first version"
        self.requests: list[tuple[str, dict[str, str]]] = []
        site = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:  # quiet
                pass

            def do_GET(self) -> None:  # noqa: N802 - the http.server API
                site.requests.append((self.path, dict(self.headers)))
                if self.path == "/live":
                    self._send(200, LIVE)
                elif self.path == "/moved":
                    self._send(301, b"", {"Location": "/live"})
                elif self.path == "/missing":
                    self._send(404, b"not here")
                elif self.path == "/broken":
                    self._send(503, b"down")
                elif self.path == "/changing":
                    self._send(200, site.changing)
                elif self.path == "/slow":
                    time.sleep(3)
                    self._send(200, b"too late")
                elif self.path == "/cookie":
                    self._send(
                        302, b"", {"Location": "/after-cookie", "Set-Cookie": "track=1; Path=/"}
                    )
                elif self.path == "/after-cookie":
                    self._send(200, b"cookie page")
                elif self.path.startswith("/redirecting/save/"):  # answers with a redirect
                    target = self.path[len("/redirecting/save/") :]
                    self._send(302, b"", {"Location": f"{site.base}/web/20261201130000/{target}"})
                elif self.path.startswith("/linking/save/"):  # answers with a Link header
                    target = self.path[len("/linking/save/") :]
                    self._send(
                        200,
                        b"saved",
                        {"Link": f'<{site.base}/web/20261201140000/{target}>; rel="memento"'},
                    )
                elif self.path.startswith("/refusing/save/"):
                    self._send(
                        200,
                        b"",
                        {
                            "X-Archive-Wayback-Runtime-Error": "RobotAccessControlException: Blocked By Robots"
                        },
                    )
                elif self.path.startswith("/save/"):  # the archive's stand-in
                    target = self.path[len("/save/") :]
                    self._send(200, b"saved", {"Content-Location": f"/web/20261201120000/{target}"})
                else:
                    self._send(404, b"?")

            def _send(self, code: int, body: bytes, headers: dict | None = None) -> None:
                self.send_response(code)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def paths(self) -> list[str]:
        return [p for p, _ in self.requests]


@pytest.fixture
def site(monkeypatch: pytest.MonkeyPatch):
    for name in (
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ):
        monkeypatch.delenv(name, raising=False)
    s = Site()
    s.thread.start()
    monkeypatch.setenv("SCORECARD_ARCHIVE_URL", s.base)
    yield s
    s.server.shutdown()
    s.server.server_close()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def campaign(root: Path, base: str, changing_sha: str | None = None, crlf: bool = False) -> Path:
    """A campaign citing every case: a flow-style campaign source, block demand sources, and
    response sources in both styles, with comments that must survive --record."""
    root.mkdir(parents=True, exist_ok=True)
    sha = f", sha256: {changing_sha}" if changing_sha else ""
    demands = f"""# demands, with comments to keep
campaign:
  title: Sources test
  target: ExampleCorp
  sources:
    - {{title: Launch post, url: {base}/live}}   # flow style
demands:
  - id: D1
    title: Audit
    text: Submit to an audit.
    sources:
      - title: The demand letter
        url: "{base}/moved"     # quoted, with a comment
  - id: D2
    title: Transparency
    text: Publish the data.
"""
    responses = f"""responses:
  - id: r1
    date: 2020-07-01
    kind: letter
    summary: A letter.
    sources:
      - title: The letter
        url: {base}/changing
        publisher: ExampleCorp{(chr(10) + "        sha256: " + changing_sha) if changing_sha else ""}
      - title: Offline copy
        seed: 001_letter.txt
    addresses:
      - demand: D1
        verdict: promised
  - id: r2
    date: 2020-08-01
    kind: statement
    summary: A statement.
    sources:
      - {{title: Deleted page, url: {base}/missing{sha}}}
      - title: Down
        url: {base}/broken
      - title: The letter again
        url: {base}/changing
    addresses: []
"""
    if crlf:
        demands, responses = demands.replace("\n", "\r\n"), responses.replace("\n", "\r\n")
    (root / "demands.yaml").write_bytes(demands.encode())
    (root / "responses.yaml").write_bytes(responses.encode())
    return root


def states(report) -> dict[str, str]:
    return {c.url.rsplit("/", 1)[1]: c.state for c in report.checks}


def test_each_url_once_in_file_order(tmp_path: Path, site: Site) -> None:
    project, _ = load_project(campaign(tmp_path / "c", site.base))
    found = citations(project)
    assert [c.where for c in found] == [
        "campaign",
        "demand D1",
        "response r1",
        "response r2",
        "response r2",
        "response r2",
    ]  # the seed-only one is not
    checks = by_url(found)
    assert [c.url.rsplit("/", 1)[1] for c in checks] == [
        "live",
        "moved",
        "changing",
        "missing",
        "broken",
    ]
    assert [c.where for c in checks[2].citations] == ["response r1", "response r2"]


def test_live_redirected_gone(tmp_path: Path, site: Site) -> None:
    report = check_sources(campaign(tmp_path / "c", site.base), timeout=5)
    assert states(report) == {
        "live": "live",
        "moved": "redirected",
        "changing": "live",
        "missing": "gone",
        "broken": "gone",
    }
    by = {c.url.rsplit("/", 1)[1]: c for c in report.checks}
    assert by["live"].sha256 == hashlib.sha256(LIVE).hexdigest()
    assert by["moved"].final_url == f"{site.base}/live"
    assert by["moved"].sha256 == by["live"].sha256
    assert by["missing"].status_code == 404 and "404" in by["missing"].reason
    assert by["broken"].status_code == 503
    assert report.skipped == 1
    assert site.paths().count("/changing") == 1  # cited twice, fetched once
    assert report.written == []  # nothing recorded without --record


def test_changed_content(tmp_path: Path, site: Site) -> None:
    old = hashlib.sha256(b"what the page said before").hexdigest()
    report = check_sources(campaign(tmp_path / "c", site.base, changing_sha=old), timeout=5)
    changed = next(c for c in report.checks if c.url.endswith("/changing"))
    assert changed.state == "changed"
    assert changed.recorded == old
    assert changed.sha256 == hashlib.sha256(b"first version").hexdigest()


def test_same_content_as_recorded_is_live(tmp_path: Path, site: Site) -> None:
    same = hashlib.sha256(b"first version").hexdigest()
    report = check_sources(campaign(tmp_path / "c", site.base, changing_sha=same), timeout=5)
    assert states(report)["changing"] == "live"


def test_slow_server_times_out(tmp_path: Path, site: Site) -> None:
    from scorecard.sources import client, fetch

    with client(timeout=0.5) as http:
        started = time.monotonic()
        check = fetch(http, Check(f"{site.base}/slow", []), timeout=0.5)
    assert check.state == "gone" and "timed out" in check.reason
    assert time.monotonic() - started < 2.5


def test_refused_connection_is_gone() -> None:
    from scorecard.sources import client, fetch

    with client(timeout=2) as http:
        check = fetch(http, Check(f"http://127.0.0.1:{closed_port()}/x", []), timeout=2)
    assert check.state == "gone" and check.reason.startswith("cannot connect")


def test_dns_failure_is_named() -> None:
    assert (
        _why(OSError("[Errno -2] Name or service not known")) == "the name does not resolve (DNS)"
    )


def test_user_agent_and_no_cookies(tmp_path: Path, site: Site) -> None:
    from scorecard.sources import client, fetch

    with client(timeout=5) as http:
        first = fetch(http, Check(f"{site.base}/cookie", []))
        fetch(http, Check(f"{site.base}/live", []))
    assert first.state == "redirected"
    for _path, headers in site.requests:
        assert headers["User-Agent"].startswith(f"scorecard/{__version__} ")
        assert "Cookie" not in headers  # the cookie set by /cookie is never sent back


def test_record_writes_hash_and_date_and_nothing_else(tmp_path: Path, site: Site) -> None:
    root = campaign(tmp_path / "c", site.base)
    before = {n: (root / n).read_text() for n in ("demands.yaml", "responses.yaml")}
    check_sources(root, timeout=5, write=True, on=dt.date(2026, 12, 1))
    after = {n: (root / n).read_text() for n in before}
    live = hashlib.sha256(LIVE).hexdigest()
    first = hashlib.sha256(b"first version").hexdigest()
    # the flow mapping gets the keys inline, the block mappings new lines at their indentation
    assert (
        f"    - {{title: Launch post, url: {site.base}/live, sha256: {live}, checked: "
        "2026-12-01}   # flow style\n"
    ) in after["demands.yaml"]
    assert (
        f'        url: "{site.base}/moved"     # quoted, with a comment\n'
        f"        sha256: {live}\n        checked: 2026-12-01\n"
    ) in after["demands.yaml"]
    # removing the added text gives back the file as it was, byte for byte
    restored = (
        after["demands.yaml"]
        .replace(f", sha256: {live}, checked: 2026-12-01", "")
        .replace(f"        sha256: {live}\n        checked: 2026-12-01\n", "")
    )
    assert restored == before["demands.yaml"]
    restored = after["responses.yaml"].replace(
        f"        sha256: {first}\n        checked: 2026-12-01\n", ""
    )
    assert restored == before["responses.yaml"]  # gone sources got nothing
    project, _ = load_project(root)
    assert project.responses[0].sources[0].sha256 == first
    assert project.responses[0].sources[0].checked == dt.date(2026, 12, 1)
    assert project.responses[1].sources[0].sha256 is None  # the 404 one
    # a second check sees the recorded hashes: the same content is live, not changed
    again = check_sources(root, timeout=5)
    assert states(again)["changing"] == "live"
    site.changing = b"second version"
    assert states(check_sources(root, timeout=5))["changing"] == "changed"


def test_record_replaces_an_old_hash_in_place(tmp_path: Path, site: Site) -> None:
    old = hashlib.sha256(b"old").hexdigest()
    root = campaign(tmp_path / "c", site.base, changing_sha=old, crlf=True)
    check_sources(root, timeout=5, write=True, on=dt.date(2026, 12, 1))
    text = (root / "responses.yaml").read_bytes().decode()
    new = hashlib.sha256(b"first version").hexdigest()
    assert old not in text.split("Deleted page")[0]  # replaced on the 200 source ...
    assert f"        sha256: {new}\r\n        checked: 2026-12-01\r\n" in text
    assert "\n" not in text.replace("\r\n", "")  # CRLF kept
    assert f"url: {site.base}/missing, sha256: {old}}}" in text  # ... kept on the gone one


def test_archive_asks_the_stand_in_and_records_the_snapshot(tmp_path: Path, site: Site) -> None:
    root = campaign(tmp_path / "c", site.base)
    report = check_sources(
        root, timeout=5, archive_missing=True, archive_pause=0, on=dt.date(2026, 12, 1)
    )
    saved = sorted(p for p in site.paths() if p.startswith("/save/"))
    assert saved == sorted(f"/save/{site.base}/{n}" for n in ("live", "moved", "changing"))
    project, _ = load_project(root)
    assert project.campaign.sources[0].archive == f"{site.base}/web/20261201120000/{site.base}/live"
    assert project.responses[1].sources[0].archive is None  # gone: nothing to save
    assert project.campaign.sources[0].sha256 is None  # --archive alone records no hash
    assert not report.archive_errors
    # sources that have an archive address are not sent again
    site.requests.clear()
    check_sources(root, timeout=5, archive_missing=True, archive_pause=0)
    assert not [p for p in site.paths() if p.startswith("/save/")]


def test_archive_refusal_is_reported(
    tmp_path: Path, site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SCORECARD_ARCHIVE_URL", f"http://127.0.0.1:{closed_port()}")
    report = check_sources(
        campaign(tmp_path / "c", site.base), timeout=2, archive_missing=True, archive_pause=0
    )
    assert report.archive_errors and "did not answer" in report.archive_errors[0]
    assert report.written == []


def test_cli_table_json_and_strict(tmp_path: Path, site: Site, runner) -> None:
    root = campaign(tmp_path / "c", site.base)
    done = runner.invoke(cli, ["check-sources", str(root), "--timeout", "5"])
    assert done.exit_code == 0, done.output
    assert "GONE" in done.output and "redirected" in done.output
    assert "5 addresses checked: 2 live, 1 redirected, 0 changed, 2 gone" in done.output
    done = runner.invoke(cli, ["check-sources", str(root), "--strict", "--timeout", "5"])
    assert done.exit_code == 1
    done = runner.invoke(cli, ["check-sources", str(root), "--format", "json", "--timeout", "5"])
    data = json.loads(done.output)
    assert data["counts"] == {"live": 2, "redirected": 1, "changed": 0, "gone": 2}
    assert data["sources"][3]["state"] == "gone"
    assert data["sources"][2]["cited_by"] == ["response r1", "response r2"]
    assert yaml.safe_load((root / "demands.yaml").read_text())["campaign"]["sources"][0] == {
        "title": "Launch post",
        "url": f"{site.base}/live",
    }  # unchanged without --record


def test_strict_passes_when_nothing_is_gone(tmp_path: Path, site: Site, runner) -> None:
    root = tmp_path / "ok"
    campaign(root, site.base)
    text = (
        (root / "responses.yaml")
        .read_text()
        .replace("/missing", "/live")
        .replace("/broken", "/live")
    )
    (root / "responses.yaml").write_text(text)
    done = runner.invoke(cli, ["check-sources", str(root), "--strict", "--timeout", "5"])
    assert done.exit_code == 0, done.output


def test_the_build_never_fetches(tmp_path: Path, site: Site) -> None:
    from scorecard.build import build

    root = campaign(tmp_path / "c", site.base)
    build(root, formats=("html", "json", "csv", "sqlite"))
    assert site.requests == []


def test_archive_answers_in_each_documented_form(site: Site) -> None:
    from scorecard.sources import archive

    page = f"{site.base}/live"
    assert archive(page) == f"{site.base}/web/20261201120000/{page}"  # Content-Location
    assert (
        archive(page, base=f"{site.base}/redirecting") == f"{site.base}/web/20261201130000/{page}"
    )
    assert archive(page, base=f"{site.base}/linking") == f"{site.base}/web/20261201140000/{page}"
    with pytest.raises(ScorecardError, match="Blocked By Robots"):
        archive(page, base=f"{site.base}/refusing")
    with pytest.raises(ScorecardError, match="HTTP 404"):
        archive(page, base=f"{site.base}/nowhere")
    agents = {h["User-Agent"] for p, h in site.requests if "/save/" in p}
    assert len(agents) == 1 and agents.pop().startswith("scorecard/")


def test_archive_requests_are_spaced(tmp_path: Path, site: Site) -> None:
    started = time.monotonic()
    check_sources(
        campaign(tmp_path / "c", site.base), timeout=5, archive_missing=True, archive_pause=0.3
    )
    assert len([p for p in site.paths() if p.startswith("/save/")]) == 3
    assert time.monotonic() - started >= 0.6  # two pauses between three captures


def test_cli_record(tmp_path: Path, site: Site, runner) -> None:
    root = campaign(tmp_path / "c", site.base)
    done = runner.invoke(cli, ["check-sources", str(root), "--record", "--timeout", "5"])
    assert done.exit_code == 0, done.output
    assert "Wrote" in done.output and "demands.yaml" in done.output
    project, _ = load_project(root)
    assert project.campaign.sources[0].sha256 == hashlib.sha256(LIVE).hexdigest()
    assert project.campaign.sources[0].checked == dt.date(2023, 11, 14)  # SOURCE_DATE_EPOCH
    assert "check-sources" in runner.invoke(cli, ["--help"]).output
