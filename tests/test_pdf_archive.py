"""The PDF report is archival and tagged: PDF/A-3u identified in its XMP metadata, scorecard.json
(and the CSV files) attached, and a structure tree (headings, tables, lists, the document's
language, Arabic too) that a screen reader follows. Checked with pypdf."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject

from scorecard.cli import cli


@pytest.fixture(scope="module")
def reports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini campaign built once, in English and Arabic, with every data format."""
    import shutil

    from click.testing import CliRunner
    from conftest import EPOCH, FIXTURES

    folder = tmp_path_factory.mktemp("archive") / "mini"
    shutil.copytree(FIXTURES / "mini", folder)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SOURCE_DATE_EPOCH", EPOCH)
        result = CliRunner().invoke(
            cli,
            [
                "build",
                str(folder),
                "--as-of",
                "2020-12-01",
                "--format",
                "pdf,json,csv",
                "--lang",
                "en,ar",
            ],
        )
    assert result.exit_code == 0, result.output
    assert "PDF:" not in result.output, "WeasyPrint logged warnings or errors"
    return folder / "output"


def _xmp(reader: PdfReader) -> str:
    return reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode("utf-8")


def _structure(node, kinds: Counter) -> None:
    """Count the structure types (/S) of every element under ``node``."""
    node = node.get_object()
    if isinstance(node, ArrayObject):
        for child in node:
            _structure(child, kinds)
        return
    if not isinstance(node, DictionaryObject):
        return
    if "/S" in node:
        kinds[str(node["/S"])] += 1
    if "/K" in node:
        _structure(node["/K"], kinds)


@pytest.mark.parametrize("name", ["scorecard.pdf", "scorecard.ar.pdf"])
def test_pdf_a_identification(reports: Path, name: str) -> None:
    reader = PdfReader(reports / name)
    xmp = _xmp(reader)
    assert re.search(r'pdfaid:part="3"|<pdfaid:part>3</pdfaid:part>', xmp), xmp[:2000]
    assert re.search(r'pdfaid:conformance="U"|<pdfaid:conformance>U</pdfaid:conformance>', xmp)
    root = reader.trailer["/Root"]
    assert root["/OutputIntents"][0].get_object()["/S"] == "/GTS_PDFA1"
    assert reader.pdf_header.startswith("%PDF-1.7")
    # The provenance in the metadata, in the Info dictionary and in XMP alike.
    doc = json.loads((reports / "scorecard.json").read_text(encoding="utf-8"))
    for entry in doc["provenance"]["inputs"]:
        assert f"{entry['file']} sha256:{entry['sha256']}" in reader.metadata["/Keywords"]
        assert entry["sha256"] in xmp


@pytest.mark.parametrize("name", ["scorecard.pdf", "scorecard.ar.pdf"])
def test_attachments(reports: Path, name: str) -> None:
    reader = PdfReader(reports / name)
    attached = {k: v[0] for k, v in reader.attachments.items()}
    assert set(attached) == {
        "scorecard.json",
        "demands.csv",
        "responses.csv",
        "rulings.csv",
        "targets.csv",
    }
    for file, data in attached.items():
        assert data == (reports / file).read_bytes(), f"{file} attached differs"
    # PDF/A-3: each file is associated with the document (/AF) and says its relationship.
    root = reader.trailer["/Root"]
    specs = [a.get_object() for a in root["/AF"]]
    assert {str(s["/F"]) for s in specs} == set(attached)
    assert {str(s["/AFRelationship"]) for s in specs} == {"/Data"}
    subtypes = {str(s["/F"]): str(s["/EF"]["/F"].get_object()["/Subtype"]) for s in specs}
    assert subtypes["scorecard.json"] == "/application/json"


def test_json_attached_when_not_a_format(runner, mini: Path) -> None:
    result = runner.invoke(cli, ["build", str(mini), "--format", "pdf"])
    assert result.exit_code == 0, result.output
    assert not (mini / "output" / "scorecard.json").exists()
    reader = PdfReader(mini / "output" / "scorecard.pdf")
    assert set(reader.attachments) == {"scorecard.json"}
    doc = json.loads(reader.attachments["scorecard.json"][0])
    assert doc["provenance"]["build"]["formats"] == ["pdf"]


@pytest.mark.parametrize(("name", "lang"), [("scorecard.pdf", "en"), ("scorecard.ar.pdf", "ar")])
def test_structure_tree(reports: Path, name: str, lang: str) -> None:
    reader = PdfReader(reports / name)
    root = reader.trailer["/Root"]
    assert root["/Lang"] == lang
    assert root["/MarkInfo"]["/Marked"] is True or root["/MarkInfo"]["/Marked"] == True  # noqa: E712
    kinds: Counter = Counter()
    _structure(root["/StructTreeRoot"], kinds)
    assert kinds["/H1"] >= 1 and kinds["/H2"] >= 5 and kinds["/H3"] >= 4, kinds
    assert kinds["/Table"] >= 2 and kinds["/TH"] >= 3 and kinds["/TD"] >= 12, kinds
    assert kinds["/L"] >= 1 and kinds["/LI"] >= 3, kinds
    assert kinds["/P"] >= 10 and kinds["/Link"] >= 1, kinds
    # Each page's content is marked: its marked-content ids lead into the tree.
    assert "/ParentTree" in root["/StructTreeRoot"]
    for page in reader.pages:
        assert "/StructParents" in page


def test_last_page_says_how_the_report_was_made(reports: Path) -> None:
    reader = PdfReader(reports / "scorecard.pdf")
    last = " ".join(reader.pages[-1].extract_text().split())
    doc = json.loads((reports / "scorecard.json").read_text(encoding="utf-8"))
    assert "How this report was made" in last
    assert f"scorecard {doc['provenance']['version']}" in last
    for entry in doc["provenance"]["inputs"]:
        assert f"{entry['file']} {entry['sha256'][:16]}" in last
    assert "Not built from a git checkout" in last
    arabic = " ".join(PdfReader(reports / "scorecard.ar.pdf").pages[-1].extract_text().split())
    assert "SHA-256" in arabic and doc["provenance"]["inputs"][0]["sha256"][:16] in arabic
