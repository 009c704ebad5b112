"""Measure how much Arabic copies out of the Arabic PDF intact (run from the repo root).

    python3 scripts/arabic_pdf_text.py [PROJECT] [--compare]

Renders PROJECT's (default: the bundled example) Arabic report, extracts its text with pdftotext
and pypdf, and counts the Arabic words of the report's own text (every Arabic word of the
rendered report HTML, and separately the words of the demand titles) found intact in the
extracted text. Only Unicode NFKC is applied to the extracted text (it maps Arabic presentation
forms to the letters they stand for). --compare also measures the same report with the Arabic
font's default OpenType features (the required ligatures and kerning that scorecard turns off).
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import unicodedata
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

from pypdf import PdfReader

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # this checkout, not an install

from scorecard.build import load
from scorecard.document import documents
from scorecard.render import pdf as pdf_module
from scorecard.render.html import Renderer

# Arabic letters and marks (not Arabic punctuation such as the comma U+060C)
WORD = re.compile(
    r"[\u0621-\u063A\u0640-\u065F\u066E-\u06D3\u06D5\u0750-\u077F"
    r"\uFB50-\uFDFF\uFE70-\uFEFC]+"
)


class Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs) -> None:
        self.skip += tag in ("style", "title", "svg")

    def handle_endtag(self, tag) -> None:
        self.skip -= tag in ("style", "title", "svg")

    def handle_data(self, data) -> None:
        if not self.skip:
            self.parts.append(data)


def words(text: str) -> Counter:
    return Counter(WORD.findall(unicodedata.normalize("NFKC", text)))


def share(source: Counter, found: Counter) -> tuple[int, int]:
    return sum(min(n, found[w]) for w, n in source.items()), sum(source.values())


def measure(project: Path, label: str) -> None:
    data, _ = load(project)
    doc = documents(data).primary
    renderer = Renderer()
    parser = Text()
    parser.feed(renderer.report_html(doc, "ar"))
    source = words(" ".join(parser.parts))
    titles = words(" ".join(d.title.get("ar", "") for d in data.demands))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "scorecard.ar.pdf"
        path.write_bytes(pdf_module.pdf(renderer, doc, "ar")[0])
        extracted = {
            "pdftotext": words(
                subprocess.run(
                    ["pdftotext", str(path), "-"], check=True, capture_output=True, text=True
                ).stdout
            ),
            "pypdf": words("\n".join(p.extract_text() for p in PdfReader(path).pages)),
        }
    for tool, found in extracted.items():
        t_ok, t_all = share(titles, found)
        a_ok, a_all = share(source, found)
        missing = sorted(w for w in source if found[w] < source[w])
        print(
            f"{label:28} {tool:9} titles {t_ok}/{t_all} ({100 * t_ok / t_all:.1f}%)  "
            f"whole report {a_ok}/{a_all} ({100 * a_ok / a_all:.1f}%)"
            + (f"  e.g. not intact: {' '.join(missing[:6])}" if missing else "")
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("project", nargs="?", default=".", type=Path)
    parser.add_argument("--compare", action="store_true")
    options = parser.parse_args()
    measure(options.project, "rlig and kern off (used)")
    if options.compare:
        used = pdf_module.font_faces
        pdf_module.font_faces = lambda: used().replace(
            'font-feature-settings: "rlig" 0, "kern" 0; ', ""
        )
        measure(options.project, "font defaults")


if __name__ == "__main__":
    main()
