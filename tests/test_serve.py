"""scorecard serve: a real server on 127.0.0.1, rebuilding on save, reloading the browser."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from scorecard.edit import campaign as edit
from scorecard.serve import RELOAD_SCRIPT, STATE_PATH, Preview


def _get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""


def _wait(url: str, test, timeout: float = 15.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        state = json.loads(_get(url + STATE_PATH)[1])
        if test(state):
            return state
        time.sleep(0.05)
    raise AssertionError(f"the server never reached the expected state; last: {state}")


@pytest.fixture
def served(example: Path):
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "scorecard", "serve", str(example), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    try:
        line = process.stdout.readline()
        assert line.startswith(f"Serving a preview of {example} on http://127.0.0.1:"), line
        url = line.split(" on ")[1].split()[0].rstrip("/")
        yield example, url, process
    finally:
        process.terminate()
        process.wait(10)


def test_serve_rebuilds_on_save_and_keeps_the_last_good_build(served) -> None:
    root, url, process = served
    status, page = _get(url + "/")
    assert status == 200 and STATE_PATH in page and "#StopHateForProfit</bdi></span></h1>" in page
    assert page.count(RELOAD_SCRIPT) == 1 and page.index(RELOAD_SCRIPT) == page.rindex(
        "</body>"
    ) - len(RELOAD_SCRIPT)  # injected once, as served
    assert not (root / "output").exists(), "the preview wrote inside the project"
    first = _wait(url, lambda s: s["version"] >= 1)
    assert first["error"] is None

    edit.set_status(root, "D9", "n/a", "Withdrawn", __import__("datetime").date(2020, 7, 1))
    _wait(url, lambda s: s["version"] > first["version"])
    time.sleep(0.5)  # an editor's save can make two events: let them settle
    second = json.loads(_get(url + STATE_PATH)[1])
    assert "Withdrawn" in _get(url + "/evidence.html")[1]  # the ruling, in full

    good = _get(url + "/scorecard.html")[1]
    demands = root / "demands.yaml"
    text = demands.read_text(encoding="utf-8")
    demands.write_text(
        text.replace("  - id: D10\n", "  - id: D10\n    wieght: 2\n"), encoding="utf-8"
    )
    bad = _wait(url, lambda s: s["error"] is not None)
    assert "'wieght' is not a known key; did you mean 'weight'?" in bad["error"]
    assert bad["version"] == second["version"]
    assert _get(url + "/scorecard.html")[1] == good  # last good build kept
    assert _get(url + "/")[0] == 200

    demands.write_text(text, encoding="utf-8")
    fixed = _wait(url, lambda s: s["version"] > second["version"])
    assert fixed["error"] is None

    assert _get(url + "/../demands.yaml")[0] == 404  # only the preview's folder is served
    assert _get(url + "/.cache/")[0] == 404
    process.terminate()
    _, err = process.communicate(timeout=10)
    assert "did you mean 'weight'?" in err  # the terminal shows the error too
    assert "Traceback" not in err
    assert not (root / "output").exists(), "the preview wrote inside the project"


def test_preview_reports_rebuild_time(example: Path) -> None:
    messages: list[str] = []
    preview = Preview(example, report=messages.append)
    assert preview.rebuild() is True
    assert preview.state() == {"version": 1, "error": None}
    assert messages[0].startswith("Rebuilt ") and " files in " in messages[0]
    assert preview.seconds > 0
    (example / "responses.yaml").write_text("responses: [", encoding="utf-8")
    assert preview.rebuild() is False
    assert preview.state()["version"] == 1 and "YAML syntax error" in preview.state()["error"]


def test_the_preview_is_exactly_what_build_writes(example: Path, tmp_path: Path) -> None:
    """Every page of every target and language, and every other output but the PDF, served
    byte for byte as `scorecard build` writes it, but for the reload script in the pages."""
    import threading

    from scorecard.build import build
    from scorecard.serve import FORMATS, server

    langs = ("en", "ar", "fr")
    built = build(example, tmp_path / "built", FORMATS, langs=langs)
    preview = Preview(example, out=tmp_path / "preview", langs=langs)
    assert preview.rebuild() is True
    httpd = server(preview, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        pages = [p for p in built.written if p.suffix == ".html"]
        assert len(pages) == 18  # three targets, three languages, each page and evidence page
        for path in built.written:
            name = path.relative_to(tmp_path / "built").as_posix()  # sources/ too
            with urllib.request.urlopen(f"{url}/{name}", timeout=10) as response:
                body = response.read()
            if path.suffix == ".html":
                body = body.decode("utf-8").replace(RELOAD_SCRIPT, "", 1).encode("utf-8")
            assert body == path.read_bytes(), path.name
    finally:
        httpd.shutdown()
        httpd.server_close()


def test_server_listens_on_localhost_only(example: Path) -> None:
    from scorecard.serve import server

    httpd = server(Preview(example), 0)
    try:
        assert httpd.server_address[0] == "127.0.0.1"
    finally:
        httpd.server_close()


@pytest.fixture
def in_thread(example: Path):
    import threading

    from scorecard.serve import server

    preview = Preview(example)
    preview.rebuild()
    httpd = server(preview, 0)
    stop = threading.Event()
    threads = [
        threading.Thread(target=httpd.serve_forever, daemon=True),
        threading.Thread(target=preview.watch, args=(stop,), daemon=True),
    ]
    for t in threads:
        t.start()
    time.sleep(0.3)  # let the watcher start
    try:
        yield example, f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        stop.set()
        httpd.shutdown()
        httpd.server_close()


def test_the_browser_reloads_and_shows_errors(in_thread) -> None:
    from playwright.sync_api import sync_playwright

    root, url = in_thread
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=["--no-sandbox"])
        try:
            page = browser.new_page()
            page.goto(url + "/")
            assert "0 of 10 met, 5 partly" in page.inner_text(".score")
            page.wait_for_timeout(700)  # the script has read the first version
            edit.link(root, "fb-2021-01-11-roy-austin-vp-civil-rights", "D1", "full")
            page.wait_for_function(
                "document.querySelector('.score').innerText.includes('1 of 10 met')", timeout=15000
            )
            demands = root / "demands.yaml"
            good = demands.read_text(encoding="utf-8")
            demands.write_text(
                good.replace("  - id: D10\n", "  - id: D10\n    wieght: 2\n"), encoding="utf-8"
            )
            alert = page.wait_for_selector("[role=alert]", timeout=15000)
            assert "did you mean 'weight'?" in alert.inner_text()
            assert "1 of 10 met" in page.inner_text(".score")  # the last good build
            demands.write_text(good, encoding="utf-8")
            page.wait_for_selector("[role=alert]", state="detached", timeout=15000)
        finally:
            browser.close()


def test_a_busy_port_is_a_clear_error(example: Path) -> None:
    import socket

    from scorecard.errors import ScorecardError
    from scorecard.serve import server

    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        with pytest.raises(ScorecardError, match=f"cannot listen on 127.0.0.1:{port} .*--port"):
            server(Preview(example), port)


def test_a_project_broken_from_the_start_is_served_with_its_error(example: Path) -> None:
    import threading

    from scorecard.serve import NOT_BUILT, server

    (example / "responses.yaml").write_text("responses: [", encoding="utf-8")
    preview = Preview(example)
    assert preview.rebuild() is False
    httpd = server(preview, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{httpd.server_address[1]}"
        status, page = _get(url + "/")
        assert status == 200 and page.startswith(NOT_BUILT[: -len("</body></html>")])
        assert STATE_PATH in page
        assert "YAML syntax error" in json.loads(_get(url + STATE_PATH)[1])["error"]
    finally:
        httpd.shutdown()
        httpd.server_close()


# ------------------------------------------------------------------ hostile places


def _request(url: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    """GET with a chosen Host header (http.client, which sends exactly what it is given)."""
    import http.client
    from urllib.parse import urlparse

    where = urlparse(url)
    conn = http.client.HTTPConnection(where.hostname, where.port, timeout=10)
    try:
        conn.putrequest("GET", path, skip_host=host is not None)
        if host is not None:
            conn.putheader("Host", host)
        conn.endheaders()
        reply = conn.getresponse()
        return reply.status, reply.read()
    finally:
        conn.close()


@pytest.fixture
def threaded(example: Path):
    import threading

    from scorecard.serve import server

    preview = Preview(example)
    preview.rebuild()
    httpd = server(preview, 0)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield preview, f"http://127.0.0.1:{httpd.server_address[1]}", httpd.server_address[1]
    finally:
        httpd.shutdown()
        httpd.server_close()
        preview.close()


def test_the_preview_writes_nothing_in_the_project_and_ignores_planted_links(
    example: Path, tmp_path: Path
) -> None:
    """A campaign folder received from someone else can carry links in output/: the preview
    neither writes through them nor serves them."""
    from conftest import snapshot

    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n", encoding="utf-8")
    out = example / "output"
    out.mkdir()
    (out / ".scorecard.html.preview").symlink_to(victim)
    (out / "scorecard.html").symlink_to(victim)
    before = snapshot(example)
    preview = Preview(example)
    try:
        assert preview.rebuild() is True
        assert victim.read_text(encoding="utf-8") == "precious\n"
        assert snapshot(example) == before
        assert not preview.out.is_relative_to(example)
        assert preview.out.stat().st_mode & 0o777 == 0o700
        assert not preview.out.is_symlink() and (preview.out / "scorecard.html").is_file()
    finally:
        preview.close()
    assert not preview.out.exists(), "the private folder was not removed"


def test_a_foreign_host_is_refused(threaded) -> None:
    """DNS rebinding: a page on evil.example whose name now points to 127.0.0.1."""
    _, url, port = threaded
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", f"[::1]:{port}", f"LOCALHOST:{port}"):
        assert _request(url, "/", host)[0] == 200, host
        assert _request(url, STATE_PATH, host)[0] == 200, host
    for host in (
        f"evil.example:{port}",
        "evil.example",
        f"127.0.0.1:{port + 1}",
        "127.0.0.1",
        f"127.0.0.1.evil.example:{port}",
        "",
    ):
        for path in ("/", STATE_PATH, "/scorecard.html"):
            status, body = _request(url, path, host)
            assert status == 421, (host, path, status)
            assert b"StopHateForProfit" not in body and b"version" not in body


def test_a_link_out_of_the_preview_folder_is_not_served(threaded, tmp_path: Path) -> None:
    preview, url, port = threaded
    secret = tmp_path / "secret.txt"
    secret.write_text("the secret\n", encoding="utf-8")
    (preview.out / "secret.txt").symlink_to(secret)
    (preview.out / "up").symlink_to(tmp_path)
    for path in ("/secret.txt", "/up/secret.txt", "/up/"):
        status, body = _request(url, path, f"127.0.0.1:{port}")
        assert status == 404, (path, status)
        assert b"the secret" not in body


def test_a_killed_previews_folder_is_removed_by_the_next(tmp_path: Path) -> None:
    """SIGKILL leaves the preview's folder behind: the next preview removes the folders of
    previews whose process is gone, and keeps a running one's, a link, and a stranger's name."""
    from scorecard.serve import remove_stale_folders

    killed = subprocess.Popen([sys.executable, "-c", "pass"])
    killed.wait()
    stale = tmp_path / f"scorecard-serve-{killed.pid}-abc"
    (stale / "sources").mkdir(parents=True)
    (stale / "scorecard.html").write_text("old", encoding="utf-8")
    running = tmp_path / f"scorecard-serve-{os.getpid()}-def"
    running.mkdir()
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    link = tmp_path / f"scorecard-serve-{killed.pid}-link"
    link.symlink_to(elsewhere)
    other = tmp_path / "scorecard-serve-notapid-x"
    other.mkdir()
    assert remove_stale_folders(tmp_path) == [stale]
    assert not stale.exists()
    assert running.is_dir() and link.is_symlink() and elsewhere.is_dir() and other.is_dir()
