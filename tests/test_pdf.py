"""The PDF report, checked by its text, pages, outline, fonts and metadata (never byte for
byte), and the guarantee that rendering fetches nothing but the tool's own assets."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from scorecard import pdf as pdf_module
from scorecard.cli import cli


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
    for title in ("Civil rights executive", "Independent audits", "Remove hate groups",
                  "Politician exemption"):
        assert title in text
    assert "0 of 3 met, 1 partly" in text and "Rule in force: latest" in text
    assert "Page 2 of" in text
    assert 3 <= len(reader.pages) <= 12
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert {"Summary", "Accountability", "Decency", "Methodology", "Sources"} <= set(top)
    nested = [i.title for group in reader.outline if isinstance(group, list) for i in group
              if not isinstance(i, list)]
    assert [t for t in nested if t[:2] in ("D1", "D2", "D3", "D4")] == [
        "D1. Civil rights executive", "D2. Independent audits", "D3. Remove hate groups",
        "D4. Politician exemption"]
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
    fetcher = pdf_module.AssetsOnlyFetcher([tmp_path / "assets"])
    for url in (secret.as_uri(), "file:///etc/passwd", "http://127.0.0.1:9/x",
                "http://169.254.169.254/latest", "data:text/plain,hi", "https://example.org/"):
        with pytest.raises(ValueError, match="fetches only its own assets"):
            fetcher.fetch(url)
    assets = tmp_path / "assets"
    assets.mkdir()
    (assets / "a.css").write_text("p{}", encoding="utf-8")
    assert fetcher.fetch((assets / "a.css").as_uri()).read() == b"p{}"
    with pytest.raises(ValueError):
        fetcher.fetch((assets / ".." / "secret.txt").as_uri())
