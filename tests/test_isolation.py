"""Rendering touches nothing outside the project: no request to a server the data points at, no
local file the data names ends up in the page or the PDF."""

from __future__ import annotations

import http.server
import io
import os
import shutil
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from hostile_helpers import EPOCH, ROOT, scorecard
from pypdf import PdfReader

HERE = Path(__file__).resolve().parent


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: list[str]

    def _any(self) -> None:
        self.requests.append(f"{self.command} {self.path}")
        body = b"fetched"
        self.send_response(200)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_HEAD = do_PUT = do_OPTIONS = _any

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib's name
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """An HTTP server on 127.0.0.1 (random port, in a thread) that records every request."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    # The recorder works: a request does get counted (then the count starts from zero).
    with urllib.request.urlopen(f"{base}/self-test", timeout=5) as reply:
        assert reply.read() == b"fetched"
    assert requests == ["GET /self-test"]
    requests.clear()
    try:
        yield base, requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


def _yaml_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _campaign(project: Path, refs: list[str], urls: list[str]) -> None:
    """The mini campaign, with every text field pointing at ``refs`` in every way we know, and
    every url field at ``urls``."""
    markdown = " ".join(
        f'![image {i}]({ref}) [link {i}]({ref}) <{ref}> <img src="{ref}"> '
        f'<iframe src="{ref}"></iframe> <object data="{ref}"></object> '
        f'<link rel="stylesheet" href="{ref}"> <a rel="attachment" href="{ref}">a</a> '
        f'<style>@import url("{ref}"); body {{ background: url("{ref}") }}</style> '
        f"[ref {i}] ![ref image {i}][img{i}]\n\n[img{i}]: {ref}\n"
        for i, ref in enumerate(refs)
    )
    demands = (project / "demands.yaml").read_text(encoding="utf-8")
    demands = demands.replace(
        "  lang: en\n",
        "  lang: en\n  description: "
        + _yaml_text(markdown)
        + "\n  url: "
        + urls[0]
        + "\n  sources:\n"
        + "".join(
            f"    - title: Campaign source {i}\n      url: {u}\n" for i, u in enumerate(urls)
        ),
    )
    demands = demands.replace(
        "    text: Find and remove hate groups.\n", "    text: " + _yaml_text(markdown) + "\n"
    )
    (project / "demands.yaml").write_text(demands, encoding="utf-8")
    responses = (project / "responses.yaml").read_text(encoding="utf-8")
    responses = responses.replace(
        "    summary: We will not remove more groups.\n",
        "    summary: "
        + _yaml_text(markdown)
        + "\n    quote:\n      text: "
        + _yaml_text(markdown)
        + "\n      by: "
        + _yaml_text(refs[0])
        + "\n",
    )
    responses = responses.replace(
        "      - title: Letter\n        url: https://example.org/letter\n",
        "".join(f"      - title: {_yaml_text(refs[0])}\n        url: {u}\n" for u in urls),
    )
    responses = responses.replace(
        "        verdict: refused\n",
        "        verdict: refused\n        reason: " + _yaml_text(markdown) + "\n",
    )
    (project / "responses.yaml").write_text(responses, encoding="utf-8")


def _pdf_everything(pdf: Path) -> tuple[str, dict, int]:
    """The PDF's text, its attachments and how many images it holds."""
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    images = sum(len(page.images) for page in reader.pages)
    return text, dict(reader.attachments), images


def test_a_full_build_makes_no_request(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    base, requests = server
    project = tmp_path / "p"
    shutil.copytree(HERE / "fixtures" / "mini", project)
    refs = [
        f"{base}/markdown.png",
        f"//127.0.0.1:{base.rsplit(':', 1)[1]}/scheme-relative.css",
        f"{base}/page.html",
    ]
    _campaign(project, refs, [f"{base}/source", f"{base}/source.pdf?x=1"])
    run = scorecard("build", "p", "--format", "html,pdf,json", cwd=tmp_path, timeout=180)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    assert requests == [], f"the build requested {requests}"
    html = (project / "output" / "scorecard.html").read_text(encoding="utf-8")
    assert f'href="{base}/source"' in html  # the sources are there, as links, not fetched
    text, attachments, images = _pdf_everything(project / "output" / "scorecard.pdf")
    assert "Campaign source 0" in html and images == 0
    # The one file attached is the scorecard's own data, as written beside the PDF.
    assert attachments == {"scorecard.json": [(project / "output" / "scorecard.json").read_bytes()]}


def _secret_png(path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (8, 8), (255, 0, 0)).save(path)


def test_a_secret_local_file_never_appears(tmp_path: Path) -> None:
    canary = "CANARY-7f3a9c-secret-do-not-leak"
    secret = tmp_path / "secret.txt"
    secret.write_text(f"{canary}\n", encoding="utf-8")
    _secret_png(tmp_path / "secret.png")
    project = tmp_path / "p"
    shutil.copytree(HERE / "fixtures" / "mini", project)
    shutil.copy(secret, project / "secret.txt")  # also inside the project folder
    shutil.copy(tmp_path / "secret.png", project / "secret.png")
    refs = [
        secret.as_uri(),
        (tmp_path / "secret.png").as_uri(),
        "secret.txt",
        "secret.png",
        "../secret.txt",
        "../secret.png",
        "./secret.txt",
        str(secret),
        "file://localhost" + str(secret),
        "file:" + str(secret),
        "FILE:///" + str(secret).lstrip("/"),
        "file:///etc/passwd",
    ]
    _campaign(project, refs, ["https://example.org/a"])
    responses = (project / "responses.yaml").read_text(encoding="utf-8")
    (project / "responses.yaml").write_text(
        responses.replace("        seed: 001_example.txt\n", "        seed: secret.txt\n"),
        encoding="utf-8",
    )
    run = scorecard("build", "p", "--format", "html,pdf,json", cwd=tmp_path, timeout=180)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err
    out = project / "output"
    html = (out / "scorecard.html").read_text(encoding="utf-8")
    assert "secret.txt" in html  # the references are shown as text ...
    for name in ("scorecard.html", "scorecard.json", "scorecard.pdf"):
        assert canary.encode() not in (out / name).read_bytes(), name  # ... never the content
    assert "root:x:0:0" not in html
    text, attachments, images = _pdf_everything(out / "scorecard.pdf")
    assert "secret.txt" in text
    assert canary not in text and "root:x:0:0" not in text
    assert attachments == {"scorecard.json": [(out / "scorecard.json").read_bytes()]}, (
        f"files embedded in the PDF: {list(attachments)}"
    )
    assert images == 0, "an image was embedded in the PDF"


WATCHER = r"""
import os, sys
secrets = {os.path.realpath(p) for p in os.environ["SECRETS"].split(os.pathsep)}
log = os.open(os.environ["EVLOG"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC)
NETWORK = ("socket.", "urllib.Request", "http.client.", "ftplib.", "smtplib.", "webbrowser.")

def hook(event, args):
    if event.startswith(NETWORK):
        os.write(log, f"{event} {args!r}\n".encode())
    elif event == "open" and isinstance(args[0], (str, bytes)):
        if os.path.realpath(os.fsdecode(args[0])) in secrets:
            os.write(log, f"open {os.fsdecode(args[0])}\n".encode())

sys.addaudithook(hook)
from scorecard.cli import cli
cli(sys.argv[1:], prog_name="scorecard")
"""


def test_the_build_opens_no_named_file_and_no_socket(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    """Seen from inside the process (audit hooks): while it builds all three outputs from data
    that names a secret file and a server in every way, it opens neither the file nor any
    socket, even without showing anything of them."""
    base, requests = server
    secret = tmp_path / "secret.png"
    _secret_png(secret)
    project = tmp_path / "p"
    shutil.copytree(HERE / "fixtures" / "mini", project)
    shutil.copy(secret, project / "secret.png")
    refs = [secret.as_uri(), "secret.png", "../secret.png", str(secret), f"{base}/image.png"]
    _campaign(project, refs, [f"{base}/source"])
    log = tmp_path / "events.log"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "SOURCE_DATE_EPOCH": EPOCH,
        "SECRETS": os.pathsep.join([str(secret), str(project / "secret.png")]),
        "EVLOG": str(log),
    }
    proc = subprocess.run(
        [sys.executable, "-c", WATCHER, "build", "p"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        timeout=180,
    )
    assert proc.returncode == 0, proc.stderr.decode()
    assert (project / "output" / "scorecard.pdf").exists()
    assert log.read_text() == ""
    assert requests == []


# ------------------------------------------------------------------ the output folder


def _mini(tmp_path: Path) -> Path:
    project = tmp_path / "p"
    shutil.copytree(HERE / "fixtures" / "mini", project)
    return project


def _tree(folder: Path) -> dict[str, bytes | str | None]:
    """Every entry under a folder, links as their target (never followed)."""
    return {
        str(p.relative_to(folder)): (
            f"-> {os.readlink(p)}" if p.is_symlink() else p.read_bytes() if p.is_file() else None
        )
        for p in sorted(folder.rglob("*"))
    }


def _refused(run, *words: str) -> None:
    assert run.code == 1, run.err
    assert "Traceback" not in run.err, run.err
    assert all(w in run.err for w in words), run.err
    assert "nothing was written" in run.err, run.err


def test_default_output_linked_out_of_the_project_is_refused(tmp_path: Path) -> None:
    project = _mini(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (elsewhere / "scorecard.html").write_text("someone else's page\n", encoding="utf-8")
    (project / "output").symlink_to(elsewhere)
    before = _tree(tmp_path)
    run = scorecard("build", "p", "--format", "html,json", cwd=tmp_path)
    _refused(run, "output", "outside the project", "remove the link")
    assert _tree(tmp_path) == before


def test_default_output_as_a_dangling_link_is_refused(tmp_path: Path) -> None:
    project = _mini(tmp_path)
    (project / "output").symlink_to(tmp_path / "nowhere" / "deep")
    before = _tree(tmp_path)
    run = scorecard("build", "p", "--format", "html,json", cwd=tmp_path)
    _refused(run, "which does not exist")
    assert _tree(tmp_path) == before
    assert not (tmp_path / "nowhere").exists(), "a tree was made where the link pointed"


def test_default_output_linked_inside_the_project_is_used(tmp_path: Path) -> None:
    project = _mini(tmp_path)
    (project / "site").mkdir()
    (project / "output").symlink_to("site")
    run = scorecard("build", "p", "--format", "html,json", cwd=tmp_path)
    assert run.code == 0, run.err
    assert (project / "site" / "scorecard.json").is_file()


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    project = _mini(tmp_path)
    (project / "output").write_text("a file\n", encoding="utf-8")
    before = _tree(tmp_path)
    run = scorecard("build", "p", "--format", "html,json", cwd=tmp_path)
    _refused(run, "is not a folder")
    assert _tree(tmp_path) == before


def test_an_output_folder_of_another_user_is_refused(tmp_path: Path, monkeypatch) -> None:
    from click.testing import CliRunner

    from scorecard.cli import cli

    project = _mini(tmp_path)
    (project / "output").mkdir()
    monkeypatch.setattr(os, "getuid", lambda: os.stat(project / "output").st_uid + 1)
    before = _tree(tmp_path)
    result = CliRunner().invoke(cli, ["build", str(project), "--format", "html,json"])
    assert result.exit_code == 1, result.output
    assert "belongs to another user" in result.stderr and "nothing was written" in result.stderr
    assert _tree(tmp_path) == before


def test_explicit_out_is_used_as_given_but_links_inside_are_not_followed(tmp_path: Path) -> None:
    _mini(tmp_path)
    victim = tmp_path / "victim.html"
    victim.write_text("precious\n", encoding="utf-8")
    real = tmp_path / "real-out"
    real.mkdir()
    (real / "scorecard.html").symlink_to(victim)
    (real / "scorecard.json").symlink_to(tmp_path / "dangling.json")
    (tmp_path / "chosen").symlink_to(real)  # the user names a link: their choice
    run = scorecard("build", "p", "--out", "chosen", "--format", "html,json", cwd=tmp_path)
    assert run.code == 0, run.err
    assert victim.read_text(encoding="utf-8") == "precious\n"
    assert not (tmp_path / "dangling.json").exists()
    for name in ("scorecard.html", "scorecard.json"):
        assert not (real / name).is_symlink() and (real / name).is_file()
    assert (tmp_path / "chosen").is_symlink()


CONCURRENT = r"""
import sys
from pathlib import Path
from scorecard.cli import cli
cli(["build", sys.argv[1], "--out", sys.argv[2], "--format", "html,json,csv",
     "--as-of", sys.argv[3]], prog_name="scorecard")
"""


def test_concurrent_builds_into_one_new_folder_never_mix(tmp_path: Path) -> None:
    """Six builds at once into one new --out, each with its own date, again and again: every
    time, all the files come from one build."""
    project = _mini(tmp_path)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SOURCE_DATE_EPOCH": EPOCH}
    for round_ in range(8):
        out = tmp_path / f"out{round_}"
        dates = [f"2020-07-0{i}" for i in range(1, 7)]
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", CONCURRENT, str(project), str(out), d],
                env=env,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
            )
            for d in dates
        ]
        for proc in procs:
            _, err = proc.communicate(timeout=120)
            assert proc.returncode == 0, err.decode()
        import json

        from scorecard.i18n import Formats

        as_of = json.loads((out / "scorecard.json").read_text(encoding="utf-8"))["as_of"]
        assert f"as of {Formats('en').date(as_of)}" in (out / "badge.svg").read_text(
            encoding="utf-8"
        )
        assert as_of in (out / "scorecard.html").read_text(encoding="utf-8")
        for other in set(dates) - {as_of}:
            for name in ("badge.svg", "scorecard.html", "scorecard.json"):
                text = (out / name).read_text(encoding="utf-8")
                assert other not in text, (round_, name)
                assert Formats("en").date(other) not in text, (round_, name)
        assert not list(tmp_path.glob(".scorecard-staging-*"))
