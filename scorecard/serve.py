"""``scorecard serve``: rebuild when a campaign file is saved, serve the outputs on 127.0.0.1, and
reload the browser.

The preview writes nothing inside the project: it renders into a private folder of its own (made
by ``tempfile.mkdtemp``: mode 0700, a new name, never through a link; removed when the preview
ends, or by the next preview if this one was killed) and serves only from there. It answers
only requests whose ``Host`` is 127.0.0.1, localhost or [::1] with its port (anything else,
such as a web page that rebinds its own name to 127.0.0.1, gets 421), and never a path that
resolves outside its folder.

A rebuild takes the same path as ``scorecard build`` (load, documents, render, write) for every
output but the PDF, so the files are exactly what ``build`` writes: the reload script is added
to HTML pages only as they are served. It polls ``/__scorecard__/state`` (a version number and
the last error); a bad save keeps the last good outputs on disk and shows the error over the
page, and through ``report`` (the terminal).
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import tempfile
import threading
import time
import weakref
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from .build import make
from .errors import ScorecardError
from .render import is_later_evidence_page
from .render.html import Renderer
from .validate import ASSESSMENTS, DEMANDS, RESPONSES
from .write import write_outputs

STATE_PATH = "/__scorecard__/state"
RELOAD_SCRIPT = """
<script>
(function () {
  var seen = null, box = null;
  function show(error) {
    if (!error) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement("pre");
      box.setAttribute("role", "alert");
      box.style.cssText = "position:fixed;inset:auto 0 0 0;margin:0;padding:1em;max-height:50vh;" +
        "overflow:auto;background:#a40e26;color:#fff;font:14px/1.4 monospace;z-index:99;" +
        "white-space:pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "scorecard serve: the last save has errors; showing the last good build." +
      "\\n\\n" + error;
  }
  function poll() {
    fetch("__STATE__", {cache: "no-store"}).then(function (r) { return r.json(); })
    .then(function (s) {
      if (seen !== null && s.version !== seen) { location.reload(); return; }
      seen = s.version; show(s.error);
    }).catch(function () {}).finally(function () { setTimeout(poll, 300); });
  }
  poll();
})();
</script>
""".replace("__STATE__", STATE_PATH)


NOT_BUILT = (
    '<!DOCTYPE html><html lang="en"><meta charset="utf-8"><title>scorecard serve'
    "</title><body><p>Not built yet: fix the error shown below (and in the terminal) "
    "and save.</p></body></html>"
)


FORMATS = ("html", "json", "csv", "sqlite")  # every output but the PDF (seconds, not ms)


class Preview:
    """Rebuilds the outputs of a campaign folder, keeping the template environment warm."""

    def __init__(
        self,
        root: Path,
        out: Path | None = None,
        templates: Path | None = None,
        langs: tuple[str, ...] | None = None,
        report: Callable[[str], None] = lambda message: None,
    ) -> None:
        self.root = root
        self.out = out or private_folder()
        # A folder of our own is removed when the preview ends (or is garbage-collected).
        self.close: Callable[[], Any] = (
            weakref.finalize(self, shutil.rmtree, self.out, True) if out is None else (lambda: None)
        )
        self.renderer = Renderer(templates)
        self.langs = langs
        self.report = report
        self.version = 0
        self.error: str | None = None
        self.seconds = 0.0  # how long the last rebuild took
        self.lock = threading.Lock()

    def rebuild(self) -> bool:
        """Build once; True when the page was replaced, False when the data has errors."""
        start = time.perf_counter()
        try:
            made = make(self.root, FORMATS, langs=self.langs, renderer=self.renderer)
            files, docs = made.files, made.documents
            write_outputs(self.out, files, durable=False, stale=is_later_evidence_page)
        except ScorecardError as exc:
            return self._failed(exc.format_message())
        except jinja2.TemplateError as exc:
            if self.renderer.user_templates is None:
                raise  # a bug in the default templates: keep the traceback
            return self._failed(f"template error: {exc}")
        self.seconds = time.perf_counter() - start
        with self.lock:
            self.error = None
            self.version += 1
        score = docs.primary["score"]
        self.report(
            f"Rebuilt {len(files)} files in {self.seconds * 1000:.0f} ms: "
            f"{score['summary']} ({score['percent']:g}%)"
        )
        return True

    def _failed(self, message: str) -> bool:
        with self.lock:
            self.error = message
        self.report(message)
        return False

    def state(self) -> dict[str, Any]:
        with self.lock:
            return {"version": self.version, "error": self.error}

    def watch(self, stop: threading.Event) -> None:
        """Rebuild whenever a campaign file changes, until ``stop`` is set."""
        from watchfiles import watch

        names = {DEMANDS, RESPONSES, ASSESSMENTS}
        for changes in watch(
            self.root,
            stop_event=stop,
            debounce=50,
            step=20,
            watch_filter=lambda change, path: Path(path).name in names,
            recursive=False,
        ):
            if changes:
                self.rebuild()


def private_folder() -> Path:
    """A new folder only this user can enter, for the preview's page, named with this process's
    id. A preview that was killed (SIGKILL, a power cut) could not remove its folder: the folders
    of previews whose process is gone are removed first."""
    remove_stale_folders(Path(tempfile.gettempdir()))
    return Path(tempfile.mkdtemp(prefix=f"scorecard-serve-{os.getpid()}-"))


def remove_stale_folders(tmp: Path) -> list[Path]:
    """Remove this user's preview folders (scorecard-serve-PID-...) whose process no longer
    runs; never a link, never another user's folder. Returns what was removed."""
    removed = []
    for folder in tmp.glob("scorecard-serve-*-*"):
        pid = folder.name.split("-")[2]
        try:
            info = folder.lstat()
        except OSError:
            continue
        if not pid.isdigit() or not folder.is_dir() or folder.is_symlink():
            continue
        if info.st_uid != os.getuid() or process_runs(int(pid)):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def process_runs(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process: running
        return True
    return True


def allowed_hosts(port: int) -> set[str]:
    """The Host headers the preview answers: its own loopback names with its port."""
    names = ("127.0.0.1", "localhost", "[::1]")
    return {f"{name}:{port}" for name in names} | (set(names) if port == 80 else set())


def inside(folder: Path, file: str) -> bool:
    """Whether ``file`` resolves (through every link) to a path inside ``folder``."""
    root = os.path.realpath(folder)
    real = os.path.realpath(file)
    return real == root or real.startswith(root + os.sep)


def handler(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            pass

        def _refused(self) -> bool:
            """Answer 421 to a Host that is not ours (DNS rebinding), 404 to a path that
            resolves outside the folder; True when the request was answered so."""
            host = (self.headers.get("Host") or "").strip().lower()
            port = int(self.server.server_address[1])  # type: ignore[index]  # a TCP address
            if host not in allowed_hosts(port):
                self.send_error(
                    421, "this preview answers only to 127.0.0.1, localhost and [::1] with its port"
                )
                return True
            path = self.path.split("?", 1)[0].split("#", 1)[0]
            if path != STATE_PATH and not inside(preview.out, self.translate_path(path)):
                self.send_error(404, "not in the preview's folder")
                return True
            return False

        def do_HEAD(self) -> None:  # noqa: N802 - the http.server API
            if not self._refused():
                super().do_HEAD()

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            if self._refused():
                return None
            path = self.path.split("?", 1)[0]
            if path == STATE_PATH:
                return self._send(json.dumps(preview.state()).encode(), "application/json")
            if path in ("", "/"):
                path = "/scorecard.html"
            if path.endswith(".html"):
                file = Path(self.translate_path(path))
                html = file.read_text(encoding="utf-8") if file.is_file() else NOT_BUILT
                at = html.rfind("</body>")
                html = html[:at] + RELOAD_SCRIPT + html[at:] if at >= 0 else html + RELOAD_SCRIPT
                return self._send(html.encode(), "text/html; charset=utf-8")
            return super().do_GET()

        def list_directory(self, path: Any) -> None:
            self.send_error(404, "no folder listings")
            return None

        def _send(self, body: bytes, kind: str) -> None:
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(body)

    return Handler


def server(preview: Preview, port: int = 8000) -> http.server.ThreadingHTTPServer:
    """An HTTP server on 127.0.0.1 only (port 0: any free port), serving the preview's private
    folder; call serve_forever()."""
    preview.out.mkdir(parents=True, exist_ok=True)
    factory = functools.partial(handler(preview), directory=str(preview.out))
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), factory)
    except OSError as exc:
        raise ScorecardError(
            f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose another with --port"
        ) from exc
