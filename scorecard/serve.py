"""``scorecard serve``: rebuild when a campaign file is saved, serve the outputs on 127.0.0.1, and
reload the browser.

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
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2

from .build import load, render
from .document import documents
from .errors import ScorecardError
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


NOT_BUILT = ("<!DOCTYPE html><html lang=\"en\"><meta charset=\"utf-8\"><title>scorecard serve"
             "</title><body><p>Not built yet: fix the error shown below (and in the terminal) "
             "and save.</p></body></html>")


FORMATS = ("html", "json", "csv", "sqlite")  # every output but the PDF (seconds, not ms)


class Preview:
    """Rebuilds the outputs of a campaign folder, keeping the template environment warm."""

    def __init__(self, root: Path, out: Path | None = None, templates: Path | None = None,
                 langs: tuple[str, ...] | None = None,
                 report: Callable[[str], None] = lambda message: None) -> None:
        self.root = root
        self.out = out or root / "output"
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
            project, _ = load(self.root)
            docs = documents(project)
            files, _ = render(docs, FORMATS, self.langs, self.renderer)
            write_outputs(self.out, files, durable=False)
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
        self.report(f"Rebuilt {len(files)} files in {self.seconds * 1000:.0f} ms: "
                    f"{score['summary']} ({score['percent']:g}%)")
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
        for changes in watch(self.root, stop_event=stop, debounce=50, step=20,
                             watch_filter=lambda change, path: Path(path).name in names,
                             recursive=False):
            if changes:
                self.rebuild()


def handler(preview: Preview) -> type[http.server.SimpleHTTPRequestHandler]:
    class Handler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet
            pass

        def do_GET(self) -> None:  # noqa: N802 - the http.server API
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
    """An HTTP server on 127.0.0.1 only (port 0: any free port); call serve_forever()."""
    preview.out.mkdir(parents=True, exist_ok=True)
    factory = functools.partial(handler(preview), directory=str(preview.out))
    try:
        return http.server.ThreadingHTTPServer(("127.0.0.1", port), factory)
    except OSError as exc:
        raise ScorecardError(f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose "
                             "another with --port") from exc
