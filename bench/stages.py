"""One cold run of the pipeline, stage by stage, in a fresh process: the benchmark's worker.

    python bench/stages.py PROJECT [--pdf] [--report-html FILE]

The YAML is timed twice: parsed without the cache ("parse"), then read through the cache as a
build does ("load"; warm from the second run on: run.py reports medians).

Prints one JSON object: seconds per stage, the page's size, the PDF's pages, and the peak
memory of this process or of the largest of its workers (ru_maxrss). With --report-html it
also writes the PDF report's HTML, with the same @font-face rules WeasyPrint gets, so that
Chromium can print the very same page.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout's scorecard


def main(argv: list[str]) -> dict:
    root = Path(argv[0])
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = now - clock
        clock = now

    from scorecard import cache, document, load, validate
    from scorecard.render.html import Renderer

    lap("import")
    for name in (validate.DEMANDS, validate.RESPONSES):
        load.load_file(root / name, cache_dir=None)
    lap("parse")  # the YAML parse alone, as on a first build
    demands = load.load_file(root / validate.DEMANDS, cache_dir=cache.default_dir())
    responses = load.load_file(root / validate.RESPONSES, cache_dir=cache.default_dir())
    lap("load")  # through the cache, as a build does (warm after the first run)
    project, problems = validate.validate(demands, responses, root=root)
    if project is None:
        raise SystemExit("\n".join(str(p) for p in problems if p.severity == "error"))
    lap("validate")
    docs = document.documents(project)
    doc = docs.primary
    lap("match")  # and the documents: every target's, computed once
    renderer = Renderer()
    page, evidence = renderer.html_pages(doc)  # the page and its evidence pages
    lap("html")
    out = {
        "demands": len(project.demands),
        "responses": len(project.responses),
        "html_bytes": len(page),
        "evidence_bytes": max(len(content) for content in evidence.values()),  # the largest
        "evidence_pages": len(evidence),
    }
    if "--pdf" in argv:
        import weasyprint  # noqa: F401  (timed apart: about a second)

        lap("pdf_import")
        from scorecard.render.pdf import pdf

        data, _ = pdf(renderer, doc, html=renderer.report_html(doc))  # past the budget
        lap("pdf")
        out["pdf_bytes"] = len(data)
        out["pdf_pages"] = pdf_pages(data)
    if "--report-html" in argv:
        from scorecard.render.pdf import font_faces

        html = renderer.report_html(doc).replace("<style>", f"<style>\n{font_faces()}\n", 1)
        Path(argv[argv.index("--report-html") + 1]).write_text(html, encoding="utf-8")
    out["times"] = times
    # The largest of this process and the workers that laid out a long PDF's parts.
    out["maxrss_mb"] = (
        max(
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
        )
        / 1024
    )
    return out


def pdf_pages(data: bytes) -> int:
    import io

    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1:])))
