"""The PDF report, checked by its text, pages, outline, fonts and metadata (never byte for
byte), and the guarantee that rendering fetches nothing but the tool's own assets."""

from __future__ import annotations

import json
import logging
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

from scorecard.cli import cli
from scorecard.render import pdf as pdf_module

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import gen  # noqa: E402


@pytest.fixture
def report(runner, mini: Path) -> tuple[Path, object]:
    result = runner.invoke(cli, ["build", str(mini), "--as-of", "2020-12-01", "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert "PDF:" not in result.output, "WeasyPrint logged warnings or errors"
    return mini / "output" / "scorecard.pdf", result


def test_text_pages_outline_metadata(report) -> None:
    path, _ = report
    reader = PdfReader(path)
    text = "\n".join(page.extract_text() for page in reader.pages)
    for title in (
        "Civil rights executive",
        "Independent audits",
        "Remove hate groups",
        "Politician exemption",
    ):
        assert title in text
    assert "0 of 3 met, 1 partly" in text and "Rule in force: latest" in text
    assert "Page 2 of" in text
    assert 3 <= len(reader.pages) <= 12
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert {
        "The demands at a glance",
        "Accountability",
        "Decency",
        "Evidence register",
        "Methodology",
        "Sources",
    } <= set(top)
    nested = [
        i.title
        for group in reader.outline
        if isinstance(group, list)
        for i in group
        if not isinstance(i, list)
    ]
    assert [t for t in nested if t[:2] in ("D1", "D2", "D3", "D4")] == [
        "D1. Civil rights executive",
        "D2. Independent audits",
        "D3. Remove hate groups",
        "D4. Politician exemption",
    ]
    meta = reader.metadata
    assert meta.title == "Mini campaign"
    assert meta.author == "Group A, Group B"
    assert reader.trailer["/Root"].get("/Lang") == "en"


def test_fonts_are_embedded(report) -> None:
    path, _ = report
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows, out.stdout
    for row in rows:
        assert " yes " in row.split("Identity-H")[-1][:8] or row.split()[-5] == "yes", row
        assert "Scorecard" in row, f"a font other than the packaged ones was used: {row}"


def test_fetcher_serves_only_packaged_assets(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP SECRET", encoding="utf-8")
    fetcher = pdf_module.assets_only_fetcher([tmp_path / "assets"])
    for url in (
        secret.as_uri(),
        "file:///etc/passwd",
        "http://127.0.0.1:9/x",
        "http://169.254.169.254/latest",
        "data:text/plain,hi",
        "https://example.org/",
    ):
        with pytest.raises(ValueError, match="fetches only its own assets"):
            fetcher.fetch(url)
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "a.css").write_text("p{}", encoding="utf-8")
    assert fetcher.fetch((assets / "a.css").as_uri()).read() == b"p{}"
    with pytest.raises(ValueError):
        fetcher.fetch((assets / ".." / "secret.txt").as_uri())


def outline_titles(outline: list) -> list[str]:
    """Every bookmark title, nested ones included, in order."""
    titles: list[str] = []
    for item in outline:
        titles += outline_titles(item) if isinstance(item, list) else [item.title]
    return titles


def test_example_pdf(built_example) -> None:
    """The bundled example's PDF, built once per session in its own process."""
    folder, stderr = built_example
    assert "PDF:" not in stderr, f"WeasyPrint logged warnings or errors:\n{stderr}"
    doc = json.loads((folder / "output" / "scorecard.json").read_text(encoding="utf-8"))
    reader = PdfReader(folder / "output" / "scorecard.pdf")
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    text = " ".join(pages)
    assert len(doc["demands"]) == 10
    for demand in doc["demands"]:
        assert demand["title"]["en"] in text, f"{demand['id']}: title not extractable"
    count = len(reader.pages)
    assert count >= 10, "a cover, a summary and one section per demand"
    assert f"Page {count} of {count}" in pages[-1]
    titles = outline_titles(reader.outline)
    assert {"The demands at a glance", "Evidence register", "Methodology", "Sources"} <= set(titles)
    for demand in doc["demands"]:
        assert f"{demand['id']}. {demand['title']['en']}" in titles
    assert reader.metadata.title == "#StopHateForProfit"


def test_example_pdf_fonts_are_embedded(built_example) -> None:
    folder, _ = built_example
    path = folder / "output" / "scorecard.pdf"
    out = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True)
    rows = out.stdout.splitlines()[2:]
    assert rows, out.stdout
    for row in rows:
        emb, _sub, uni = row.split()[-5:-2]
        assert (emb, uni) == ("yes", "yes"), f"not embedded or no Unicode map: {row}"
        assert "Scorecard" in row, f"a font other than the packaged ones was used: {row}"
    fonts = {}
    for page in PdfReader(path).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", [font]):
                descendant = descendant.get_object()
                fonts[descendant["/BaseFont"]] = descendant["/FontDescriptor"].get_object()
    assert fonts
    for name, descriptor in fonts.items():
        assert {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor), name


def test_print_css_problems_reach_our_log(runner, mini: Path, tmp_path: Path) -> None:
    """The judge above can fail: a bad print stylesheet is reported as "PDF: ..." even when
    the application has silenced WeasyPrint's logger, and the logger is left as it was."""
    templates = tmp_path / "templates"
    templates.mkdir()
    css = (pdf_module.templates_dir() / "report.css").read_text(encoding="utf-8")
    (templates / "report.css").write_text(
        css + "\n.cover { colr: red; width: banana; }\n", encoding="utf-8"
    )
    logger = logging.getLogger("weasyprint")
    before = logger.level
    logger.setLevel(logging.ERROR)
    try:
        result = runner.invoke(
            cli, ["build", str(mini), "--format", "pdf", "--templates", str(templates)]
        )
        assert logger.level == logging.ERROR
    finally:
        logger.setLevel(before)
    assert result.exit_code == 0, result.output
    assert "PDF: WARNING: Ignored `colr: red` at" in result.output
    assert "PDF: WARNING: Ignored `width: banana` at" in result.output


def page_texts(path: Path) -> list[str]:
    """Each page's text as pdftotext lays it out."""
    pages = len(PdfReader(path).pages)
    return [
        subprocess.run(
            ["pdftotext", "-layout", "-f", str(n), "-l", str(n), str(path), "-"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for n in range(1, pages + 1)
    ]


def test_timeline_starts_with_its_first_rows(runner, tmp_path: Path) -> None:
    """Each demand over time starts on a page with its heading, caption, head row and at least
    five rows (40 demands: it began at a page's foot with three, the rest overleaf); every
    demand's row is still there, and the key to the colours stays with the last rows."""
    folder = gen.write(tmp_path / "c", 40, 120)
    result = runner.invoke(cli, ["build", str(folder), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    pages = page_texts(folder / "output" / "scorecard.pdf")
    caption = "Status of each demand over time"
    first = next(i for i, text in enumerate(pages) if caption in text)
    assert "Each demand over time" in pages[first]
    rows = re.findall(r"^\s*(D\d+) ", pages[first].split(caption, 1)[1], re.M)
    assert rows[:5] == ["D1", "D2", "D3", "D4", "D5"], rows
    seen: list[str] = []
    for text in pages[first:]:
        part = text.split(caption, 1)[-1]
        seen += re.findall(r"^\s*(D\d+) ", part.split("The demands", 1)[0], re.M)
        if "The demands" in text:
            break
    assert seen == [f"D{n}" for n in range(1, 41)]
    last = next(text for text in pages[first:] if re.search(r"^\s*D40 ", text, re.M))
    key = last.split("D40 ", 1)[1]
    assert "Partly met" in key and "No response" in key, "the key left its last rows"


def test_a_date_never_breaks_inside(tmp_path: Path) -> None:
    """A date in the demands at a glance stays on one line, even in a narrow cell ("March" at a
    line's end, "2019, ruling of ..." on the next: TSB)."""
    templates = pdf_module.templates_dir()
    source = (templates / "report.html.j2").read_text(encoding="utf-8")
    assert '<span class="date">{{ date(ru.date) }}</span>' in source
    assert '<span class="date">{{ date(e.date) }}</span>' in source
    css = (templates / "report.css").read_text(encoding="utf-8")
    cell = '<span class="date">March 2019</span>, ruling of the board: met.'
    html = (
        f"<html lang=en><head><style>{css}</style></head><body><table class=demand-table>"
        f'<tr><td style="width: 11mm" class="latest">{cell}</td><td>Other words</td></tr>'
        "</table></body></html>"
    )
    data, _ = pdf_module.html_to_pdf(html, title="t", author="a", lang="en", when="2024-01-01")
    path = tmp_path / "date.pdf"
    path.write_bytes(data)
    assert "March 2019" in page_texts(path)[0]
